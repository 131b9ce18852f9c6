"""Command line: `health-lint check|rules|explain|graph|links|crawl|init|merge-reports`.

Exit codes (the same for every command):
  0  no finding at or above the fail level
  1  findings at or above the fail level
  2  usage or configuration error
  3  internal error (a bug: please report it)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
BUG_URL = "https://github.com/health-lint/health-lint/issues"

app = typer.Typer(
    name="health-lint",
    help="Lint patient-facing health articles: readability, disclaimers, red flags, trust signals and links.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class UsageFailure(Exception):
    """Raised for usage and configuration errors; exit code 2."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"health-lint {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


# -- shared by every command that reports findings --------------------------
FormatOpt = typer.Option("text", "--format", "-f", help="Output format: text, concise (one line per finding), json, "
                         "sarif, github, junit, gitlab (Code Quality).")
OutputOpt = typer.Option(None, "--output", "-o", help="Write the report to FILE; the terminal still shows the summary.")
FailLevelOpt = typer.Option(None, "--fail-level", help="Exit 1 on findings at or above: error, warning, info, never.")
ConfigOpt = typer.Option(None, "--config", "-c", help="Configuration file (default: nearest .health-lint.toml or pyproject.toml).")
BaselineOpt = typer.Option(None, "--baseline", help="Report and fail only on findings not recorded in this baseline file.")
WriteBaselineOpt = typer.Option(None, "--write-baseline", help="Record today's findings in FILE and exit 0.")
DiffBaseOpt = typer.Option(None, "--diff-base", help="Report only findings on lines changed since this git ref.")
MaxAnnotationsOpt = typer.Option(None, "--max-annotations", help="github format: most annotations per run (default 50).")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print the findings only: no summary, notes or hints.")
StatisticsOpt = typer.Option(False, "--statistics", help="Print how many findings each rule has, instead of the findings.")
ExitZeroOpt = typer.Option(False, "--exit-zero", help="Exit 0 even when findings are at or above the fail level "
                           "(usage and internal errors still exit 2 and 3).")
ColorOpt = typer.Option("auto", "--color", help="Colour the text output: auto (a terminal; NO_COLOR and FORCE_COLOR "
                        "honoured), always, never.")
ShardOpt = typer.Option(None, "--shard", help="Check only part K of N of the files (e.g. 2/4), a stable split by "
                        "path for a CI matrix; join the reports with `health-lint merge-reports`.")


def shard_of_option(value: Optional[str]):
    """The parsed --shard value, or None; a malformed one is a usage error."""
    if value is None:
        return None
    from .shard import ShardError, parse_shard

    try:
        return parse_shard(value)
    except ShardError as exc:
        raise UsageFailure(str(exc)) from None


def load_config(config_path: Optional[Path]):
    from .config import ConfigError, load

    try:
        return load(config_path)
    except ConfigError as exc:
        raise UsageFailure(str(exc)) from None


COLOR_CHOICES = ("auto", "always", "never")


def use_color(stream=None, mode: str = "auto") -> bool:
    """``--color``: always / never, or auto: NO_COLOR (set and not empty,
    https://no-color.org) turns colour off, FORCE_COLOR (set, not empty, not
    0) turns it on, else colour only on a terminal that is not ``dumb``."""
    if mode not in COLOR_CHOICES:
        raise UsageFailure(f"--color must be one of {', '.join(COLOR_CHOICES)}, not {mode!r}")
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    stream = stream or sys.stdout
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def finish(report, fmt: str, output: Optional[Path], baseline: Optional[Path] = None,
           write_baseline: Optional[Path] = None, diff_base: Optional[str] = None,
           max_annotations: Optional[int] = None, quiet: bool = False, statistics: bool = False,
           exit_zero: bool = False, color: str = "auto") -> None:
    """Apply gating (baseline, changed lines), print the report and exit
    with the documented code. Every command that reports findings ends here."""
    from .reporters import FORMATS, render

    if fmt not in FORMATS:
        raise UsageFailure(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    from .reporters.redact import redact_report

    # Before any format or baseline sees them: no password from a URL.
    redact_report(report)
    if write_baseline is not None or diff_base or baseline is not None:
        from . import gating

        try:
            if write_baseline is not None:
                count = gating.write_baseline(write_baseline, report.findings, root=report.root)
                typer.echo(f"Wrote {count} finding(s) to baseline {write_baseline}.", err=True)
                raise typer.Exit(EXIT_OK)
            if diff_base:
                gating.keep_changed_lines(report, diff_base)
            if baseline is not None:
                gating.apply_baseline(report, baseline)
        except gating.GatingError as exc:
            raise UsageFailure(str(exc)) from None
    if max_annotations is not None:
        if max_annotations < 0:
            raise UsageFailure(f"--max-annotations must be 0 or more, not {max_annotations}")
        report.options["max-annotations"] = max_annotations
    use = use_color(mode=color)  # a bad --color value is exit 2 before anything is printed
    if quiet:
        report.options["quiet"] = True
        report.options["hints"] = False
        report.text_sections = []
    code = EXIT_FINDINGS if report.failing() and not exit_zero else EXIT_OK
    if statistics and output is None:
        sys.stdout.write(render_statistics(report, fmt, use))
        raise typer.Exit(code)
    if output is not None:
        from .safe_write import write_file

        text = render(fmt, report, color=False)
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            # Atomic: a failed or interrupted run keeps the previous report whole.
            write_file(output, text)
        except OSError as exc:
            raise UsageFailure(f"cannot write the report to {output}: {exc.strerror or exc} "
                               "(any previous report there is unchanged)") from None
        # The terminal keeps the command's summary sections (link graph,
        # HTTP counts, baseline and diff notes) and the summary line.
        # Content-derived text: control characters and CI commands neutralised.
        from .reporters.escape import safe_line

        if statistics:  # the counts on the terminal, the report in the file
            sys.stdout.write(render_statistics(report, "text", use, summary=False))
        if not quiet:
            for section in report.text_sections:
                typer.echo(safe_line(section))
            if report.text_sections:
                typer.echo("")
            typer.echo(safe_line(f"{report.summary_line()}. Report written to {output}."))
    else:
        from .reporters import render_chunks

        for chunk in render_chunks(fmt, report, color=fmt in ("text", "concise") and use):
            sys.stdout.write(chunk)
    raise typer.Exit(code)


def render_statistics(report, fmt: str, color: bool, summary: bool = True) -> str:
    """``--statistics``: findings per rule, most first (ruff's --statistics);
    JSON with ``--format json``."""
    from collections import Counter

    from .reporters.text_format import _c

    counts = Counter((f.rule, f.severity) for f in report.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        import json

        return json.dumps([{"rule": r, "severity": sev, "count": n} for (r, sev), n in rows], indent=2) + "\n"
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = [f"{n:>{width}}  {_c(f'{sev:<7}', sev, color)}  {rule}" for (rule, sev), n in rows]
    if summary and not report.options.get("quiet"):
        lines.append(report.summary_line())
    return "\n".join(lines) + ("\n" if lines else "")


def fail_level_of(cli_value: Optional[str], config) -> str:
    from .findings import FAIL_LEVELS

    level = cli_value or config.fail_level
    if level not in FAIL_LEVELS:
        raise UsageFailure(f"--fail-level must be one of {', '.join(FAIL_LEVELS)}, not {level!r}")
    return level


def check_format(fmt: str) -> str:
    """Reject an unknown --format (exit 2) before a command does any work."""
    from .reporters import FORMATS

    if fmt not in FORMATS:
        raise UsageFailure(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return fmt


# -- commands ------------------------------------------------------------------
SelectOpt = typer.Option(None, "--select", help="Run only these rules: ids, families (links or links/*) or ALL; "
                         "comma-separated or repeated.")
ExtendSelectOpt = typer.Option(None, "--extend-select", help="Run these rules as well (turned off in the configuration).")
IgnoreOpt = typer.Option(None, "--ignore", help="Do not run these rules (ids or families).")


def content_root_of(cfg) -> Optional[Path]:
    """The configured content root ([tool.health-lint.site] content-root,
    relative to the configuration file's folder), or None."""
    root = cfg.section("site").get("content-root")
    return (Path(cfg.root) / root) if root else None


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files and folders to check (folders are searched for .md, "
                                                ".html, .txt); `-` reads standard input. Default: the configured "
                                                "content root, else the current folder."),
    fmt: str = FormatOpt,
    output: Optional[Path] = OutputOpt,
    fail_level: Optional[str] = FailLevelOpt,
    config: Optional[Path] = ConfigOpt,
    baseline: Optional[Path] = BaselineOpt,
    write_baseline: Optional[Path] = WriteBaselineOpt,
    diff_base: Optional[str] = DiffBaseOpt,
    max_annotations: Optional[int] = MaxAnnotationsOpt,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=0,
                                       help="Worker processes (default, or 0: one per core when there are many files)."),
    no_graph: bool = typer.Option(False, "--no-graph", help="Skip the link-graph rules for folders."),
    shard: Optional[str] = ShardOpt,
    select: Optional[List[str]] = SelectOpt,
    extend_select: Optional[List[str]] = ExtendSelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    quiet: bool = QuietOpt,
    statistics: bool = StatisticsOpt,
    exit_zero: bool = ExitZeroOpt,
    color: str = ColorOpt,
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="With `-`: the name of the text read "
                                                 "from standard input (its format, overrides and report path)."),
    fix: bool = typer.Option(False, "--fix", help="Apply the safe fixes (`health-lint explain RULE` says which rules "
                             "can fix), then report what is left."),
    diff: bool = typer.Option(False, "--diff", help="Print the fixes --fix would apply as a unified diff; write nothing "
                              "(exit 1 when there is something to fix)."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="With --fix or --diff: apply the unsafe fixes too "
                                      "(guesses to review)."),
    force_exclude: bool = typer.Option(False, "--force-exclude", help="Skip files named on the command line that are "
                                       "not articles (outside the content root, not matching include, excluded): "
                                       "for the pre-commit hook, which passes every staged file."),
) -> None:
    """Check articles offline: content rules, and for folders the internal link graph."""
    from . import collector

    # The modules and rules a check imports live until the end (see collector).
    with collector.paused():
        from .config import ConfigError, select_rules
        from .linter import UsageError, lint, lint_source, with_content_root
        from .reporters import Report

        check_format(fmt)
        use_color(mode=color)
        part = shard_of_option(shard)
        cfg = load_config(config)
        try:
            cfg = select_rules(cfg, select or [], extend_select or [], ignore or [])
        except ConfigError as exc:
            raise UsageFailure(str(exc)) from None
    if not paths:
        root = content_root_of(cfg)
        if root is not None and not root.is_dir():
            raise UsageFailure(f"the configured content root {root} is not a folder ([tool.health-lint.site] "
                               "content-root in " + str(cfg.path) + ")")
        paths = [os.path.relpath(root) if root is not None else "."]
    if "-" in paths:
        if fix or diff:
            raise UsageFailure("--fix and --diff work on files, not standard input")
        if len(paths) > 1:
            raise UsageFailure("`-` (standard input) cannot be combined with other paths")
        if part is not None:
            raise UsageFailure("--shard does not apply to standard input")
        name = stdin_filename or "stdin.md"
        try:
            result = lint_source(sys.stdin.buffer.read(), name, cfg)
        except UsageError as exc:
            raise UsageFailure(str(exc)) from None
        report = Report(findings=result.findings, files=result.files, suppressed=result.suppressed,
                        fail_level=fail_level_of(fail_level, cfg), command="check", root=cfg.root,
                        options={"paths": result.paths})
        finish(report, fmt, output, baseline, write_baseline, diff_base, max_annotations,
               quiet=quiet, statistics=statistics, exit_zero=exit_zero, color=color)
    if stdin_filename is not None:
        raise UsageFailure("--stdin-filename only applies when the path is `-` (standard input)")
    cfg = with_content_root(cfg, paths)
    level = fail_level_of(fail_level, cfg)
    # Link-graph rules need the whole tree: when a folder is given, or when
    # single files are checked and the content root is configured (the
    # hook): the graph is then the content root's, reported for those files
    # and for the links elsewhere that their change broke.
    tree = content_root_of(cfg)
    graph_tree = None
    keep_elsewhere = None
    if (not no_graph and part is None and tree is not None and tree.is_dir()
            and not any(Path(p).is_dir() for p in paths)):
        from .gating import caused_by_working_changes

        graph_tree = os.path.relpath(tree)
        keep_elsewhere = caused_by_working_changes(tree, paths)
    project = not no_graph and (any(Path(p).is_dir() for p in paths) or graph_tree is not None)

    def run():
        try:
            return lint(paths, cfg, jobs=jobs, project_rules=project, shard=part, force_exclude=force_exclude,
                        graph_tree=graph_tree, keep_elsewhere=keep_elsewhere)
        except UsageError as exc:
            raise UsageFailure(str(exc)) from None

    result = run()
    notes: list[str] = []
    if fix or diff:
        result, notes = apply_fixes(result, run, cfg, diff=diff, unsafe=unsafe_fixes)
    report = Report(findings=result.findings, files=result.files, suppressed=result.suppressed,
                    fail_level=level, command="check", root=cfg.root, options={"paths": result.paths})
    if part is not None:
        report.extra["shard"] = {"index": part[0], "count": part[1]}
    report.text_sections.extend(notes)
    safe = sum(1 for f in result.findings if f.fix is not None and f.fix.safe)
    unsafe = sum(1 for f in result.findings if f.fix is not None and not f.fix.safe)
    if safe and not fix:
        report.text_sections.append(f"{safe} finding{'s' if safe != 1 else ''} can be fixed with --fix "
                                    "(--diff shows how).")
    if unsafe and not unsafe_fixes:
        report.text_sections.append(f"{unsafe} more fix{'es' if unsafe != 1 else ''} available with --fix "
                                    "--unsafe-fixes (review them).")
    finish(report, fmt, output, baseline, write_baseline, diff_base, max_annotations,
           quiet=quiet, statistics=statistics, exit_zero=exit_zero, color=color)


def apply_fixes(result, run, cfg, diff: bool, unsafe: bool):
    """--fix: write the fixes, re-check, repeat while fixes apply (an
    overlapping fix waits for the next pass); returns the last result and
    notes for the report. --diff: print the changes and exit."""
    from . import fix as fixing
    from .reporters.escape import safe_line

    notes: list[str] = []
    fixed = files = 0
    failed = False
    for _ in range(fixing.MAX_PASSES):
        plans, skipped = fixing.plan(result.findings, unsafe, cfg.max_file_size)
        for note in skipped:
            typer.echo(safe_line(note), err=True)
        if diff:
            for ff in plans:
                sys.stdout.write(fixing.unified_diff(ff))
            count = sum(len(ff.fixes) for ff in plans)
            typer.echo(f"{count} fix{'es' if count != 1 else ''} in {len(plans)} file{'s' if len(plans) != 1 else ''} "
                       "would be applied (nothing was written).", err=True)
            raise typer.Exit(EXIT_FINDINGS if plans else EXIT_OK)
        written = 0
        for ff in plans:
            problem = fixing.write(ff)
            if problem is not None:
                typer.echo(safe_line(problem), err=True)
                failed = True
                continue
            written += 1
            fixed += len(ff.fixes)
            for finding, one in ff.fixes:
                typer.echo(safe_line(f"fixed {finding.path}:{finding.line}:{finding.column} {finding.rule}: "
                                     f"{one.description}"), err=True)
        files += written
        if not written:
            break
        result = run()
    notes.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''} in {files} file{'s' if files != 1 else ''}."
                 + (" Some files could not be fixed (see above)." if failed else ""))
    return result, notes


@app.command("rules")
def list_rules(fmt: str = typer.Option("text", "--format", "-f", help="text or json.")) -> None:
    """List every rule with its id, default severity and summary."""
    from .rules import registry

    rules = registry()
    if fmt == "json":
        import json

        typer.echo(json.dumps([{"id": r.id, "severity": r.severity, "scope": r.scope, "summary": r.summary,
                                "options": r.default, "fix": r.fix or None} for r in rules.values()],
                              indent=2, default=str))
        return
    width = max(len(r) for r in rules)
    for r in rules.values():
        fix = {"safe": "fix", "unsafe": "fix*"}.get(r.fix, "")
        typer.echo(f"{r.id:<{width}}  {r.severity:<7}  {fix:<4}  {r.summary}")
    typer.echo("\nfix: `check --fix` repairs it; fix*: only with --unsafe-fixes.")


@app.command()
def explain(rule: str = typer.Argument(..., help="Rule id, e.g. readability/grade."),
            topic: Optional[str] = typer.Option(None, "--topic", help="Red-flag rules: show one topic's concepts "
                                                "with their ids, phrasings, urgency and guideline.")) -> None:
    """Print a rule's documentation: what it does, why it matters, options, examples, how to fix."""
    from .rules import get, registry

    r = get(rule)
    if r is None:
        close = [rid for rid in registry() if rule.split("/")[-1] in rid or rid.startswith(rule)]
        hint = f" Did you mean: {', '.join(close)}?" if close else " Run `health-lint rules` for the list."
        raise UsageFailure(f"unknown rule {rule!r}.{hint}")
    loaded = None
    if r.explain_packs is not None:
        from . import packs

        try:
            loaded = packs.load(load_config(None).pack_folders())
        except packs.PackError as exc:
            raise UsageFailure(str(exc)) from None
    if topic is not None and r.explain_packs is None:
        raise UsageFailure(f"--topic only applies to rules with topic packs (red-flags/...), not {r.id}")
    if loaded is not None:
        try:
            text = r.explain_packs(loaded, topic) if topic is not None else r.explain_packs(loaded)
        except ValueError as exc:
            raise UsageFailure(str(exc)) from None
    fixable = {"safe": "; check --fix repairs it", "unsafe": "; check --fix --unsafe-fixes repairs it"}.get(r.fix, "")
    typer.echo(f"{r.id}  (default severity: {r.severity}{fixable})\n")
    if topic is None:
        typer.echo(r.doc.rstrip() + "\n")
    if loaded is not None:
        typer.echo(text.rstrip() + "\n")


# Each command family lives in its own module and adds itself to `app`.
COMMAND_MODULES: list[str] = ["cli_init", "cli_graph", "cli_links", "cli_merge"]


def _register_commands(argv: Optional[List[str]] = None) -> None:
    """Import the other command families, unless the command asked for is
    one of this module's (``check``, ``rules``, ``explain``): their imports
    (HTTP client, graph, templates) cost a pre-commit run about 15 ms."""
    import importlib

    args = sys.argv[1:] if argv is None else argv
    first = next((a for a in args if not a.startswith("-")), None)
    own = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    if first in own:
        return
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}")


def main(argv: Optional[List[str]] = None) -> None:
    _register_commands(argv)
    try:
        # Standalone mode: typer prints usage errors itself and exits 2.
        app(args=argv, prog_name="health-lint")
    except UsageFailure as exc:
        from .reporters.escape import safe_line

        # The reason may quote a file name or URL: printed on one safe line.
        from .reporters.redact import redact_text

        typer.echo(safe_line(redact_text(f"health-lint: error: {exc}")), err=True)
        sys.exit(EXIT_USAGE)
    except SystemExit:
        raise
    except KeyboardInterrupt:  # Ctrl-C before typer runs (typer itself exits 130)
        sys.exit(130)
    except Exception as exc:
        from .reporters.escape import safe_line

        from .reporters.redact import redact_text

        typer.echo(safe_line(redact_text(f"health-lint: internal error: {type(exc).__name__}: {exc}")), err=True)
        if os.environ.get("HEALTH_LINT_DEBUG"):
            import traceback

            traceback.print_exc()
        typer.echo(f"This is a bug in health-lint {__version__}. Please report it at {BUG_URL} with the command "
                   "you ran and, if you can, the file (set HEALTH_LINT_DEBUG=1 for a traceback).", err=True)
        sys.exit(EXIT_INTERNAL)


def run() -> None:
    """The ``health-lint`` command: :func:`main`, then a quick exit.

    Once the report is out, Python would still free every object one by
    one (the word tables, every page of a site's run): 25-40 ms of a run
    that takes 0.2 s for one article. The exit handlers still run (temporary
    folders, multiprocessing), then the process ends without that teardown,
    as mypy does."""
    import atexit

    try:
        main()
        code = EXIT_OK
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass  # the reader went away (`| head`), or a stream was closed: nothing left to tell it
    os._exit(code)
