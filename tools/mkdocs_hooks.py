"""MkDocs hook: pages generated from the code at build time, so the
documentation cannot drift from it (as ruff generates its rule pages).

- ``rules/index.md`` and one page per rule, from the rule modules'
  docstrings (the text ``health-lint explain RULE`` prints);
- ``configuration-reference.md``, from the configuration schema
  (``health_lint.config.SECTIONS``, the link checker's ``WebConfig`` and
  every rule's options);
- ``formats.md``'s list of formats, from ``health_lint.reporters.FORMATS``
  and each reporter module's docstring.

A schema key without a description is logged as a warning, which fails
``mkdocs build --strict`` (the tests build the site that way).
"""
from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import logging
import re

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.plugins.health_lint")

# The top-level, [site] and [graph] settings (the link checker's settings
# are described by the comments in health_lint/web/config.py).
DESCRIPTIONS = {
    "": {
        "fail-level": "Exit 1 on findings at or above this level: error, warning, info or never.",
        "ignore": "Globs of files that are not checked (relative to the configuration file's folder).",
        "exclude": "The same list as `ignore` (the name ruff and markdownlint use); both are read.",
        "include": "Globs: when set, only matching files are articles.",
        "packs": "Folders of your own rule packs (term lists, red flags, disclaimer wording, accept.txt).",
        "max-file-size": "Files larger than this many bytes get `input/too-large` instead of being checked.",
        "jobs": "Worker processes for many files; 0 = one per core.",
        "metadata-keys": "Front-matter names to read for each metadata field (author, reviewer, dates).",
        "rules": "Per-rule settings: `enabled`, `severity` and the rule's options, or `\"rule/id\" = false`.",
        "overrides": "Array of tables: `files` globs and `rules` settings for them; later ones win.",
        "site": "The published site, for link resolution and the content root (see [site]).",
        "graph": "Link-graph settings (see [graph]).",
        "links": "`health-lint links` settings (see [links] and [crawl]).",
        "crawl": "`health-lint crawl` settings; falls back to [links].",
        "report": "Settings of report formats.",
    },
    "site": {
        "base-url": "The site's address, so absolute links to it are internal links.",
        "domains": "Other host names of the same site (www., a CDN).",
        "content-root": "The folder of articles: `check` with no path checks it, the hook checks only files in it, "
                        "and site-root links (`/back-pain/`) resolve from it.",
        "permalink": "How file paths become URLs (for example `/:section/:slug/`).",
        "index-files": "File names that are a folder's page (`index.md`, `_index.md`).",
        "static-dirs": "Folders served at the site root as they are (images, PDFs).",
    },
    "graph": {
        "entry-pages": "Pages a reader reaches from the menu: the graph's roots for orphan and depth checks.",
        "max-depth": "Most clicks from an entry page before graph/deep reports a page.",
    },
}


def _md(text: str) -> str:
    """A rule docstring (reST-like) as Markdown."""
    text = text.replace("``", "`")
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and re.fullmatch(r"-{3,}", nxt.strip()):
            out += [f"## {line.strip()}", ""]
            i += 2
            continue
        m = re.match(r"^(PASS|FAIL)(.*):\s*$", line)
        if m:
            out.append(f"**{m.group(1)}**{m.group(2)}:")
            out.append("")
            i += 1
            block: list[str] = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            while block and not block[0].strip():
                block.pop(0)
            fmt = "html" if "(html)" in m.group(2) else ("text" if "(text)" in m.group(2) else "markdown")
            out += [f"```{fmt}", *block, "```", ""]
            continue
        out.append(_quote_markup(line))
        i += 1
    return "\n".join(out)


_LINK_SYNTAX_RE = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)")


def _quote_markup(line: str) -> str:
    """Markdown link syntax quoted in a docstring's prose ("[sciatica](sciatica.md)
    is reported") is an example, not a link of the site: shown as code."""
    pieces = line.split("`")
    for k in range(0, len(pieces), 2):  # outside code spans
        pieces[k] = _LINK_SYNTAX_RE.sub(lambda m: f"`{m.group()}`", pieces[k])
    return "`".join(pieces)


def rule_slug(rule_id: str) -> str:
    return rule_id.replace("/", "-")


def rule_pages():
    from health_lint import rules as registry

    pages = {}
    rows = []
    for rule in registry.registry().values():
        fix = {"safe": "`check --fix`", "unsafe": "`check --fix --unsafe-fixes`"}.get(rule.fix, "—")
        options = ", ".join(f"`{k}`" for k in rule.default) or "—"
        header = (f"# {rule.id}\n\n{rule.summary}\n\n| default severity | scope | fix | options |\n|---|---|---|---|\n"
                  f"| {rule.severity} | {rule.scope} | {fix} | {options} |\n\n")
        body = rule.doc.strip().split("\n", 1)[1] if "\n" in rule.doc.strip() else ""
        pages[f"rules/{rule_slug(rule.id)}.md"] = header + _md(body.strip("\n")) + "\n"
        rows.append(f"| [`{rule.id}`]({rule_slug(rule.id)}.md) | {rule.severity} | {rule.scope} | "
                    f"{ {'safe': 'fix', 'unsafe': 'fix (unsafe)'}.get(rule.fix, '') } | {rule.summary} |")
    pages["rules/index.md"] = (
        "# Rules\n\nEvery rule, generated from the rule modules (the text `health-lint explain RULE` prints). "
        "Severities are defaults; change them in the [configuration](../configuration-reference.md). Every "
        "PASS/FAIL example on these pages runs as a test.\n\n"
        "| rule | severity | scope | fix | summary |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    return pages


def _kind(kind) -> str:
    if isinstance(kind, tuple):
        return " \\| ".join(f"`{k}`" for k in kind)
    if isinstance(kind, type):
        return {"str": "text", "int": "integer", "float": "number", "bool": "true/false", "list": "list of text",
                "dict": "table"}[kind.__name__]
    return {"tables": "array of tables", "optional": "value or unset", "ints-or-strings": "list"}.get(kind, str(kind))


def _web_comments() -> dict[str, str]:
    """WebConfig field -> the comment beside or above it in the source."""
    from health_lint.web import config as web_config

    source = inspect.getsource(web_config.WebConfig)
    lines = source.split("\n")
    out: dict[str, str] = {}
    pending: list[str] = []
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith("# ---"):
            pending = []
            continue
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("# ").strip())
            continue
        m = re.match(r"^\s+(\w+)\s*:", line)
        if m:
            inline = line.split("  # ", 1)[1].strip() if "  # " in line else ""
            out[m.group(1)] = " ".join(pending + ([inline] if inline else []))
        pending = []
    return out


def configuration_reference() -> str:
    from health_lint import config as config_mod
    from health_lint import rules as registry
    from health_lint.web.config import WebConfig

    parts = ["# Configuration reference\n",
             "Generated from the configuration schema. Settings live in `[tool.health-lint]` of `pyproject.toml` "
             "or at the top level of `.health-lint.toml`; sections below are tables (`[tool.health-lint.site]` or "
             "`[site]`). An unknown key, rule or option, or a bad value, is an error (exit 2) naming it. See "
             "[Configuration](configuration.md) for examples.\n"]
    for section, keys in config_mod.SECTIONS.items():
        if not keys:
            continue
        title = "Top level" if section == "" else f"[{section}]"
        parts.append(f"## {title}\n\n| key | type | description |\n|---|---|---|")
        for key, kind in keys.items():
            text = DESCRIPTIONS.get(section, {}).get(key)
            if not text:
                log.warning(f"configuration key {section or 'top level'}.{key} has no description "
                            "(tools/mkdocs_hooks.py DESCRIPTIONS)")
                text = ""
            parts.append(f"| `{key}` | {_kind(kind)} | {text} |")
        parts.append("")
    comments = _web_comments()
    defaults = WebConfig()
    parts.append("## [links] and [crawl]\n\nThe link checker's settings (`health-lint links` reads [links]; "
                 "`health-lint crawl` reads [crawl], then [links]). Command-line options override them.\n\n"
                 "| key | type | default | description |\n|---|---|---|---|")
    schema = config_mod._web_schema()
    for f in dataclasses.fields(WebConfig):
        key = f.name.replace("_", "-")
        if key not in schema:
            continue
        default = getattr(defaults, f.name)
        shown = "unset" if default is None else (", ".join(map(str, default)) if isinstance(default, tuple)
                                                 else str(default))
        parts.append(f"| `{key}` | {_kind(schema[key])} | `{shown or '(none)'}` | "
                     f"{comments.get(f.name, '').replace('|', '/')} |")
    parts.append("\n## Rule options\n\n`[tool.health-lint.rules.\"RULE\"]` takes `enabled` (true/false), "
                 "`severity` (error, warning, info) and the rule's options:\n\n| rule | option | default |\n|---|---|---|")
    for rule in registry.registry().values():
        for option, default in rule.default.items():
            parts.append(f"| [`{rule.id}`](rules/{rule_slug(rule.id)}.md) | `{option}` | `{default!r}` |")
    return "\n".join(parts) + "\n"


def formats_list() -> str:
    from health_lint.reporters import FORMATS

    out = ["## Every format\n\nGenerated from the reporter modules' documentation.\n"]
    for fmt in FORMATS:
        module = importlib.import_module(f"health_lint.reporters.{fmt}_format")
        doc = (module.__doc__ or "").strip().replace("``", "`")
        out.append(f"### `{fmt}`\n\n{_indent_examples(doc)}\n")
    return "\n".join(out)


def _indent_examples(doc: str) -> str:
    # Indented blocks (examples) become fenced code.
    out, block = [], []
    for line in doc.split("\n") + [""]:
        if line.startswith("    "):
            block.append(line[4:])
            continue
        if block:
            if out and out[-1].endswith("::"):
                out[-1] = out[-1][:-1]
            out += ["", "```", *block, "```", ""]
            block = []
        out.append(line)
    return "\n".join(out).strip()


def on_config(config):
    """Every rule page in the navigation, under Reference > Rules."""
    from health_lint import rules as registry

    pages = ["rules/index.md"] + [{rule.id: f"rules/{rule_slug(rule.id)}.md"} for rule in registry.registry().values()]

    def visit(items):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                for title, value in item.items():
                    if value == "rules/index.md":
                        items[i] = {title: pages}
                    elif isinstance(value, list):
                        visit(value)
    visit(config.nav or [])
    return config


def on_files(files, config):
    generated = dict(rule_pages())
    generated["configuration-reference.md"] = configuration_reference()
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "formats.md" and "<!-- formats -->" in markdown:
        return markdown.replace("<!-- formats -->", formats_list())
    return markdown
