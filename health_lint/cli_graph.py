"""`health-lint graph PATH`: the internal link graph of a content tree.

Prints the summary (pages, links, orphans, dead ends, broken links, depth
histogram, most/fewest inlinks, top link scores) and the graph findings;
``--format json`` adds a ``graph`` object to the usual findings report;
``--export FORMAT`` / ``--export-file FILE`` write the graph (dot, graphml,
json, csv) or the self-contained HTML report.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import List, Optional

import typer

from .cli import (BaselineOpt, ConfigOpt, DiffBaseOpt, FailLevelOpt, FormatOpt, MaxAnnotationsOpt, OutputOpt,
                  UsageFailure, WriteBaselineOpt, app, check_format, fail_level_of, finish, load_config)


def _export_targets(export: list[str], export_file: list[Path]) -> list[tuple[str, Path]]:
    from .graph.export import EXTENSIONS, FORMATS

    for fmt in export:
        if fmt not in FORMATS:
            raise UsageFailure(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if export and export_file and len(export) != len(export_file):
        raise UsageFailure("give one --export-file per --export format (or leave --export-file out)")
    targets: list[tuple[str, Path]] = []
    if export_file and not export:
        for path in export_file:
            fmt = EXTENSIONS.get(path.suffix.lower())
            if fmt is None:
                raise UsageFailure(f"cannot tell the export format from {path} (use --export "
                                   f"{'|'.join(FORMATS)} or a .dot/.graphml/.json/.csv/.html name)")
            targets.append((fmt, path))
    elif export_file:
        targets = list(zip(export, export_file))
    else:
        targets = [(fmt, Path(f"link-graph{FORMATS[fmt]}")) for fmt in export]
    return targets


def _command_line() -> str:
    """The command that made an export, for the HTML report's header
    (credentials in URLs redacted)."""
    import shlex
    import sys

    from .reporters.redact import redact_text

    return redact_text("health-lint " + shlex.join(sys.argv[1:]))


def summary_lines(s: dict, top: int = 5) -> list[str]:
    def names(paths: list[str], limit: int = 8) -> str:
        shown = ", ".join(paths[:limit])
        return shown + (f", … (+{len(paths) - limit})" if len(paths) > limit else "")

    lines = ["Link graph",
             f"  pages: {s['pages']}   internal links: {s['internal_links']} ({s['edges']} page-to-page)"
             f"   entry pages: {len(s['entry_pages'])}",
             f"  orphans: {len(s['orphans'])}   dead ends: {len(s['dead_ends'])}   broken links: {s['broken_links']}"
             f"   missing anchors: {s['missing_anchors']}   deeper than {s['max_depth']}: {len(s['deep'])}"]
    if s.get("not_a_site"):
        cut = s["not_a_site"]
        why = (f"{cut['broken_root_links']} of {cut['root_links']} links to site pages lead outside the folder"
               if cut["broken_root_links"] else "its pages do not link to each other")
        entry = "no entry page" if not cut.get("entry_pages") else f"entry pages reach {cut['reached']} pages"
        lines.append(f"  not a whole site: {entry}, {why}; orphans, dead ends and broken links to site pages "
                     "are not reported (set content-root or base-url in [tool.health-lint.site])")
    if s["orphans"]:
        lines.append(f"  orphan pages: {names(s['orphans'])}")
    if s["dead_ends"]:
        lines.append(f"  dead ends: {names(s['dead_ends'])}")
    if s["depth_histogram"]:
        hist = "  ".join(f"{d}: {n}" for d, n in s["depth_histogram"].items())
        unreached = f"  unreached: {s['unreached']}" if s.get("unreached") else ""
        lines.append(f"  clicks from entry pages: {hist}{unreached}")
    else:
        lines.append("  clicks from entry pages: no entry page (set [tool.health-lint.graph] entry-pages)")
    for key, title in (("most_inlinks", "most inlinks"), ("fewest_inlinks", "fewest inlinks")):
        if s[key]:
            lines.append(f"  {title}: " + ", ".join(f"{r['path']} ({r['inlinks']})" for r in s[key][:top]))
    if s["top_link_scores"]:
        lines.append("  top link scores: " + ", ".join(f"{r['path']} ({r['link_score']:g})"
                                                        for r in s["top_link_scores"][:top]))
    return lines


@app.command()
def graph(
    paths: List[str] = typer.Argument(..., help="The content folder (its root is the site root), or files."),
    fmt: str = FormatOpt,
    output: Optional[Path] = OutputOpt,
    fail_level: Optional[str] = FailLevelOpt,
    config: Optional[Path] = ConfigOpt,
    baseline: Optional[Path] = BaselineOpt,
    write_baseline: Optional[Path] = WriteBaselineOpt,
    diff_base: Optional[str] = DiffBaseOpt,
    max_annotations: Optional[int] = MaxAnnotationsOpt,
    export: List[str] = typer.Option([], "--export", "-x",
                                     help="Write the graph: dot, graphml, json, csv or html (repeatable). "
                                          "Default file: link-graph.EXT."),
    export_file: List[Path] = typer.Option([], "--export-file", "-e",
                                           help="File for --export; alone, the format comes from its extension "
                                                "(.dot .graphml .json .csv .html)."),
    top: int = typer.Option(10, "--top", help="How many pages to list for most/fewest inlinks and link scores."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=0, help="Worker processes for parsing (0: one per core)."),
) -> None:
    """The internal link graph of a content folder: broken links and anchors, orphans, dead ends, depth, exports."""
    from .graph import graph_for
    from .graph.export import write
    from .graph.load import load_documents
    from .linter import UsageError, run_project_rules, with_content_root
    from .reporters import Report

    check_format(fmt)
    cfg = load_config(config)
    level = fail_level_of(fail_level, cfg)
    targets = _export_targets(export, export_file)
    if len(paths) == 1 and paths[0].lower().endswith(".json") and Path(paths[0]).is_file():
        # A crawl's saved pages (`crawl --export pages.json`): its graph.
        from .cli_links import graph_of_crawl

        return graph_of_crawl(paths[0], targets, fmt, output, level, cfg, baseline, write_baseline, diff_base,
                              max_annotations)
    # The folder given is the content root (site root) unless configured.
    cfg = with_content_root(cfg, paths)
    try:
        documents, findings, n_files = load_documents(paths, cfg, jobs)
    except UsageError as exc:
        raise UsageFailure(str(exc)) from None
    project_findings, suppressed = run_project_rules(documents, cfg) if documents else ([], 0)
    findings = sorted(findings + project_findings, key=lambda f: f.sort_key())
    context = SimpleNamespace(settings={"site": cfg.section("site"), "graph": cfg.section("graph"), "root": cfg.root})
    lg = graph_for(documents, context)
    summary = lg.summary(top=top)
    report = Report(findings=findings, files=n_files, suppressed=suppressed, fail_level=level, command="graph",
                    root=cfg.root)
    report.extra["graph"] = summary
    report.text_sections = summary_lines(summary, top=min(top, 5))
    for fmt_name, path in targets:
        try:
            written = write(lg, fmt_name, path, findings, summary, command=_command_line())
        except OSError as exc:
            raise UsageFailure(f"cannot write the {fmt_name} export to {path}: {exc.strerror or exc}") from None
        typer.echo(f"Wrote {fmt_name} export to {', '.join(map(str, written))}.", err=True)
    finish(report, fmt, output, baseline, write_baseline, diff_base, max_annotations)
