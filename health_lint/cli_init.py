"""`health-lint init`: starter configuration, pre-commit hook and GitHub
Actions workflow for a content repository.

Writes, in the target folder (default: the current one):

- a commented ``[tool.health-lint]`` section appended to an existing
  ``pyproject.toml`` (the file's own text is kept byte for byte), or a
  ``.health-lint.toml`` when there is no pyproject.toml;
- a ``health-lint`` hook in ``.pre-commit-config.yaml`` (a new file, or one
  more entry appended to the file's ``repos:`` list);
- ``.github/workflows/health-lint.yml``: checks the articles, uploads SARIF
  to code scanning and gates pull requests on changed lines. With
  ``--shards N`` a matrix of N runners each checks one part (``--shard
  K/N``) and a last job merges their SARIF (``merge-reports``).

It never replaces something that exists without ``--force``: an existing
file or section is reported as skipped. With ``--force`` the health-lint
section, hook entry or workflow is replaced and the rest of the file kept.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .cli import BUG_URL, UsageFailure, app
from .config import invalid_utf8_message
from . import regexcache

REPO_URL = BUG_URL.rsplit("/issues", 1)[0]
WORKFLOW_PATH = Path(".github") / "workflows" / "health-lint.yml"
CONTENT_GUESSES = ("content", "articles", "posts", "_posts", "docs", "pages", "src/content")

CONFIG_BODY = """\
# Exit 1 on findings at or above this level: error | warning | info | never.
fail-level = "error"
# Files to skip (globs, relative to this file's folder).
ignore = ["drafts/**"]
# Folders of your own rule packs (term lists, red flags, disclaimer wording):
# packs = ["style/health-lint"]
# Files larger than this many bytes get input/too-large.
max-file-size = 2000000
"""

RULES_BODY = """\
# Per-rule settings. `health-lint rules` lists the rules and
# `health-lint explain RULE` documents each one's options.
[{prefix}rules."readability/grade"]
max-grade = 8            # NIH/AMA: grade 6 to 8 for patient material
# severity = "error"     # error | warning | info
# enabled = false

[{prefix}rules."readability/long-sentence"]
max-words = 25

# Turn a rule off: "rule/id" = false (a rule without a table of its own above)
# [{prefix}rules]
# "plain-language/jargon" = false

# Different settings for some files (later overrides win):
# [[{prefix}overrides]]
# files = ["kids/**"]
# rules = {{ "readability/grade" = {{ max-grade = 6 }} }}
"""

HEADER = f"# health-lint configuration (written by `health-lint init`, health-lint {__version__}).\n"


SITE_BODY = """\
# Where the articles are: `health-lint check` with no path checks this
# folder, and the pre-commit hook checks only the staged files inside it
# (a README or a word list elsewhere is not an article).
[{prefix}site]
{content_line}
"""


def starter_config(in_pyproject: bool, content: str = ".") -> str:
    """The commented starter configuration, as a pyproject.toml section or a
    whole .health-lint.toml; ``content`` (the articles folder init found or
    was given) becomes the site's content root."""
    prefix = "tool.health-lint." if in_pyproject else ""
    content_line = (f"content-root = {_toml_string(content)}" if content not in ("", ".")
                    else '# content-root = "content"')
    site = SITE_BODY.format(prefix=prefix, content_line=content_line)
    if in_pyproject:
        return HEADER + "[tool.health-lint]\n" + CONFIG_BODY + "\n" + site + "\n" + RULES_BODY.format(prefix=prefix)
    return HEADER + CONFIG_BODY + "\n" + site + "\n" + RULES_BODY.format(prefix=prefix)


def _toml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def pre_commit_entry(indent: str = "  ") -> str:
    i = indent
    return (f"{i}- repo: {REPO_URL}\n"
            f"{i}  rev: v{__version__}\n"
            f"{i}  hooks:\n"
            f"{i}    - id: health-lint          # offline checks of the staged articles\n"
            f"{i}    # - id: health-lint-links  # online link check: pre-commit run --hook-stage manual health-lint-links\n")


def pre_commit_config() -> str:
    return ("# See https://pre-commit.com for more information\n"
            "repos:\n" + pre_commit_entry())


def workflow(content: str) -> str:
    target = content or "."
    return f"""\
# Written by `health-lint init` (health-lint {__version__}).
name: health-lint

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read
  security-events: write   # upload SARIF to code scanning

jobs:
  health-lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # --diff-base needs the base branch's history
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install health-lint
        run: pip install "health-lint @ git+{REPO_URL}@v{__version__}"

      # Every finding goes to code scanning (Security > Code scanning and the
      # pull request's checks); this step never fails the job.
      - name: health-lint (SARIF)
        run: health-lint check {target} --format sarif --output health-lint.sarif --fail-level never
      # Forks and repositories without code scanning cannot upload: that
      # must not fail the job nor skip the gate below.
      - name: Upload SARIF
        if: always()
        continue-on-error: true
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: health-lint.sarif
          category: health-lint

      # The gate: annotations on the pull request, failing only on errors in
      # lines the pull request changed. It always runs, whatever happened to
      # the SARIF steps. Add --baseline health-lint-baseline.json to adopt
      # health-lint on an existing site (see the README).
      - name: health-lint (gate)
        if: always()
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: |
          if [ -n "$BASE_REF" ]; then
            health-lint check {target} --format github --diff-base "origin/$BASE_REF"
          else
            health-lint check {target} --format github
          fi
"""


def matrix_workflow(content: str, shards: int) -> str:
    """The workflow for a large site: ``shards`` runners each check one part
    (``--shard K/N``, a stable split by path); a last job merges their SARIF
    with ``health-lint merge-reports`` and uploads it once."""
    target = content or "."
    parts = ", ".join(str(k) for k in range(1, shards + 1))
    return f"""\
# Written by `health-lint init --shards {shards}` (health-lint {__version__}).
# {shards} runners check one part of the site each (a stable split by file
# path); every part still reads the whole tree for the link-graph rules, so
# the parts together report exactly what one run would.
name: health-lint

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

jobs:
  health-lint:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false   # every part reports, even when one fails
      matrix:
        shard: [{parts}]
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # --diff-base needs the base branch's history
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install health-lint
        run: pip install "health-lint @ git+{REPO_URL}@v{__version__}"
      - name: health-lint (SARIF, part ${{{{ matrix.shard }}}} of {shards})
        run: >-
          health-lint check {target} --shard ${{{{ matrix.shard }}}}/{shards}
          --format sarif --output health-lint-${{{{ matrix.shard }}}}.sarif --fail-level never
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: health-lint-sarif-${{{{ matrix.shard }}}}
          path: health-lint-${{{{ matrix.shard }}}}.sarif
      # The gate: annotations on the pull request, failing only on errors in
      # lines the pull request changed, for this part's files.
      - name: health-lint (gate, part ${{{{ matrix.shard }}}} of {shards})
        if: always()
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: |
          if [ -n "$BASE_REF" ]; then
            health-lint check {target} --shard ${{{{ matrix.shard }}}}/{shards} --format github --diff-base "origin/$BASE_REF"
          else
            health-lint check {target} --shard ${{{{ matrix.shard }}}}/{shards} --format github
          fi

  upload:
    needs: health-lint
    if: always()
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write   # upload SARIF to code scanning
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install health-lint
        run: pip install "health-lint @ git+{REPO_URL}@v{__version__}"
      - uses: actions/download-artifact@v4
        with:
          pattern: health-lint-sarif-*
          merge-multiple: true
      - name: Merge the parts
        run: health-lint merge-reports health-lint-*.sarif --output health-lint.sarif
      # Forks and repositories without code scanning cannot upload: that
      # must not fail the workflow.
      - name: Upload SARIF
        continue-on-error: true
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: health-lint.sarif
          category: health-lint
"""


# -- editing existing files without reformatting them --------------------------
_TABLE_RE = regexcache.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _is_ours(table: str) -> bool:
    name = table.replace('"', "").replace("'", "").replace(" ", "")
    return name == "tool.health-lint" or name.startswith("tool.health-lint.")


def remove_pyproject_section(text: str) -> str:
    """Drop every ``[tool.health-lint...]`` table (and the init header
    comment) from pyproject.toml text; everything else is kept as is."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    inside = False
    for line in lines:
        m = _TABLE_RE.match(line)
        if m:
            inside = _is_ours(m.group(1))
        if not inside:
            out.append(line)
    # Trailing comments that belonged to our section (the init header).
    while out and (out[-1].startswith("# health-lint configuration") or not out[-1].strip()):
        out.pop()
    result = "".join(out)
    return result + ("\n" if result and not result.endswith("\n") else "")


def _pre_commit_has_health_lint(data) -> int | None:
    repos = data.get("repos") if isinstance(data, dict) else None
    if not isinstance(repos, list):
        return None
    for i, repo in enumerate(repos):
        if not isinstance(repo, dict):
            continue
        if "health-lint" in str(repo.get("repo", "")) or any(
                isinstance(h, dict) and str(h.get("id", "")).startswith("health-lint") for h in repo.get("hooks") or []):
            return i
    return None


def add_pre_commit_entry(text: str, force: bool) -> tuple[str | None, str]:
    """New text of an existing .pre-commit-config.yaml with our hook added,
    or (None, reason) when it is left alone."""
    import yaml

    try:
        data = yaml.safe_load(text) or {}
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        return None, f"not valid YAML ({exc.__class__.__name__}); add the hook by hand"
    if not isinstance(data, dict) or not isinstance(data.get("repos", []), list):
        return None, "no `repos:` list; add the hook by hand"
    existing = _pre_commit_has_health_lint(data)
    if existing is not None and not force:
        return None, "already has a health-lint hook (use --force to replace it)"
    repos_node = next((v for k, v in node.value if k.value == "repos"), None) if node is not None else None
    if repos_node is None or repos_node.flow_style or not repos_node.value:
        if repos_node is None and "repos" not in data:
            new = text + ("" if text.endswith("\n") or not text else "\n") + "repos:\n" + pre_commit_entry()
        else:
            return None, "`repos:` is empty or in flow style ([...]); add the hook by hand"
    else:
        lines = text.splitlines(keepends=True)
        first = repos_node.value[0]
        prefix = lines[first.start_mark.line][:first.start_mark.column]
        indent = " " * max(0, prefix.rfind("-"))
        if existing is not None:
            item = repos_node.value[existing]
            start = item.start_mark.line
            end = (repos_node.value[existing + 1].start_mark.line if existing + 1 < len(repos_node.value)
                   else _end_line(lines, item.end_mark))
            lines[start:end] = [pre_commit_entry(indent)]
        else:
            end = _end_line(lines, repos_node.end_mark)
            if end and not lines[end - 1].endswith("\n"):
                lines[end - 1] += "\n"
            lines.insert(end, pre_commit_entry(indent))
        new = "".join(lines)
    try:
        check = yaml.safe_load(new)
    except yaml.YAMLError:
        return None, "could not add the hook without reformatting the file; add it by hand"
    others = [r for i, r in enumerate(data.get("repos") or []) if i != existing]
    if (not isinstance(check, dict) or _pre_commit_has_health_lint(check) is None
            or [r for r in check["repos"] if r not in others] != [yaml.safe_load(pre_commit_entry(""))[0]]
            or {k: v for k, v in check.items() if k != "repos"} != {k: v for k, v in data.items() if k != "repos"}):
        return None, "could not add the hook without reformatting the file; add it by hand"
    return new, "added the health-lint hook" if existing is None else "replaced the health-lint hook"


def _end_line(lines: list[str], mark) -> int:
    """Index of the line after a YAML node that ends at ``mark`` (a block
    node's end mark sits at the start of the next token's line)."""
    end = mark.line + (1 if mark.column > 0 else 0)
    end = min(end, len(lines))
    # Keep trailing blank/comment lines that follow the list where they are.
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")) and \
            not lines[end - 1].startswith(" "):
        end -= 1
    return end


def guess_content(folder: Path) -> str:
    for name in CONTENT_GUESSES:
        if (folder / name).is_dir():
            return name
    return "."


@app.command()
def init(
    directory: Path = typer.Option(Path("."), "--dir", "-d", help="Folder to set up (default: the current one)."),
    content: Optional[str] = typer.Option(None, "--content",
                                          help="Folder of articles: the content root of the configuration, "
                                               "the hook and the workflow (default: content/, articles/, "
                                               "docs/... if present, else .)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing health-lint section, hook or workflow."),
    toml: bool = typer.Option(False, "--toml", help="Write .health-lint.toml even when there is a pyproject.toml."),
    no_pre_commit: bool = typer.Option(False, "--no-pre-commit", help="Do not touch .pre-commit-config.yaml."),
    no_workflow: bool = typer.Option(False, "--no-workflow", help="Do not write the GitHub Actions workflow."),
    shards: int = typer.Option(1, "--shards", help="Write a matrix workflow: this many runners each check one part "
                                                   "of a large site (--shard K/N), then one job merges the SARIF."),
) -> None:
    """Write a starter configuration, a pre-commit hook and a GitHub Actions workflow (SARIF upload)."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    from .safe_write import write_file

    if not 1 <= shards <= 256:
        raise UsageFailure(f"--shards must be between 1 and 256, not {shards}")
    folder = directory
    if not folder.is_dir():
        raise UsageFailure(f"--dir: not a folder: {folder}")
    wrote: list[str] = []
    skipped: list[str] = []

    crlf: set[Path] = set()  # files of the user's that end lines in CRLF

    def read(path: Path) -> str:
        """A file of the user's, to edit: UTF-8, newlines as "\n" (put back as
        they were by write())."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageFailure(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UsageFailure(invalid_utf8_message(path, data, exc, "save it as UTF-8 before running init")) from None
        if "\r\n" in text:
            crlf.add(path)
        return text.replace("\r\n", "\n")

    def write(path: Path, text: str, what: str) -> None:
        if path in crlf:
            text = text.replace("\n", "\r\n")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, text)
        except OSError as exc:
            raise UsageFailure(f"cannot write {path}: {exc.strerror or exc}") from None
        wrote.append(f"{path}: {what}")

    # The articles folder: the configuration's content root (check with no
    # path, the pre-commit hook's scope) and the workflow's target.
    content_dir = content if content is not None else guess_content(folder)

    # 1. configuration
    pyproject = folder / "pyproject.toml"
    dot_toml = folder / ".health-lint.toml"
    if pyproject.is_file() and not toml and not dot_toml.exists():
        text = read(pyproject)
        try:
            has_section = "health-lint" in tomllib.loads(text).get("tool", {})
        except tomllib.TOMLDecodeError as exc:
            raise UsageFailure(f"{pyproject}: invalid TOML ({exc}); fix it before running init") from None
        if has_section and not force:
            skipped.append(f"{pyproject}: already has [tool.health-lint] (use --force to replace it)")
        else:
            base = remove_pyproject_section(text) if has_section else text
            sep = "" if not base else ("\n" if base.endswith("\n") else "\n\n")
            write(pyproject, base + sep + starter_config(in_pyproject=True, content=content_dir),
                  "replaced the [tool.health-lint] section" if has_section else "appended a [tool.health-lint] section")
    elif dot_toml.exists() and not force:
        skipped.append(f"{dot_toml}: exists (use --force to overwrite it)")
    else:
        write(dot_toml, starter_config(in_pyproject=False, content=content_dir), "starter configuration")

    # 2. pre-commit
    if not no_pre_commit:
        pc = folder / ".pre-commit-config.yaml"
        if not pc.exists():
            write(pc, pre_commit_config(), "pre-commit configuration with the health-lint hook")
        else:
            new, reason = add_pre_commit_entry(read(pc), force)
            if new is None:
                skipped.append(f"{pc}: {reason}")
            else:
                write(pc, new, reason)

    # 3. GitHub Actions
    if not no_workflow:
        wf = folder / WORKFLOW_PATH
        if wf.exists() and not force:
            skipped.append(f"{wf}: exists (use --force to overwrite it)")
        else:
            target = content_dir
            if shards > 1:
                write(wf, matrix_workflow(target, shards), f"GitHub Actions workflow checking {target} in "
                      f"{shards} parts (matrix) and uploading their merged SARIF")
            else:
                write(wf, workflow(target), f"GitHub Actions workflow checking {target} and uploading SARIF")

    for line in wrote:
        typer.echo(f"wrote    {line}")
    for line in skipped:
        typer.echo(f"skipped  {line}")
    if wrote:
        typer.echo("Next: `pre-commit install`, then `health-lint check` on your articles. "
                   "On an existing site, record today's findings with --write-baseline (see the README).")
