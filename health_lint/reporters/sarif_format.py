"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, GitLab, Azure
DevOps, VS Code's SARIF viewer).

One ``run`` whose ``tool.driver.rules`` describes every registered rule (id,
short and full description, help text and Markdown, default level), and one
``result`` per finding:

- ``level``: error -> ``error``, warning -> ``warning``, info -> ``note``;
- ``locations[0].physicalLocation.artifactLocation``: the file's path relative
  to the repository root (``git rev-parse --show-toplevel`` run from the
  project root ``Report.root``; the project root itself outside a git
  repository) under ``uriBaseId`` ``%SRCROOT%`` (declared in
  ``run.originalUriBaseIds``), percent-encoded, as code scanning expects
  wherever health-lint runs from; a file outside that root gets an absolute
  ``file://`` URI, a crawled page its own URL;
- ``region``: start/end line and column, columns counted in Unicode code
  points (``run.columnKind``), end column exclusive as SARIF defines it; a
  whole-document finding has only ``startLine``;
- ``partialFingerprints["healthLint/v1"]``: the baseline fingerprint (rule,
  path relative to the project root, offending text: the same value a
  ``--write-baseline`` file records), so code scanning tracks a finding
  across edits.

Validated against the official OASIS schema in ``tests/ci``.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from .. import regexcache

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/health-lint/health-lint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "healthLint/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_URL_RE = regexcache.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: str) -> bool:
    return bool(_URL_RE.match(path))


def relative_path(path: str, root: Path) -> str | None:
    """``path`` (as given, relative to the current folder or absolute) as a
    POSIX path relative to ``root``, or None when it lies outside ``root``."""
    if is_url(path):
        return None
    absolute = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(root)), Path(root).resolve()):
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            pass
    try:  # symlinked folders (e.g. /tmp -> /private/tmp)
        return absolute.resolve().relative_to(Path(root).resolve()).as_posix()
    except (ValueError, OSError):
        return None


def source_root(root: Path) -> Path:
    """The repository root containing the project ``root`` (so SARIF paths
    are relative to the repository, as code scanning expects), or ``root``
    itself when it is not inside a git repository or git is unavailable."""
    folder = Path(os.path.abspath(root))
    probe = folder
    while not probe.is_dir() and probe != probe.parent:
        probe = probe.parent
    try:
        proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=probe, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return folder
    top = proc.stdout.decode("utf-8", "surrogateescape").strip()
    if proc.returncode != 0 or not top:
        return folder
    top_path = Path(top)
    # git prints the real path (symlinks resolved); keep the form the
    # project root was given in when it is the same folder tree.
    try:
        rel = folder.resolve().relative_to(top_path.resolve())
    except (ValueError, OSError):
        return top_path
    parts = len(rel.parts)
    return folder.parents[parts - 1] if parts else folder


def artifact_location(path: str, root: Path) -> dict[str, Any]:
    if is_url(path):
        return {"uri": quote(path, safe=":/?#[]@!$&'()*+,;=%~")}
    rel = relative_path(path, root)
    if rel is not None:
        return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}
    return {"uri": Path(os.path.abspath(path)).as_uri()}


def rule_name(rule_id: str) -> str:
    """``readability/long-sentence`` -> ``ReadabilityLongSentence`` (SARIF
    ``name`` is meant to be an identifier-like word)."""
    return "".join(part.capitalize() for part in re.split(r"[/_\-. ]+", rule_id) if part)


def rule_descriptor(rule) -> dict[str, Any]:
    summary = rule.summary
    full = " ".join(rule.section("What it does").split()) or summary
    doc = rule.doc.strip()
    family = rule.id.split("/", 1)[0]
    return {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        # The rule docstrings use setext headings and indented examples, which
        # are Markdown already.
        "help": {"text": doc or summary, "markdown": doc or summary},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["health-lint", family], "scope": rule.scope, "severity": rule.severity},
    }


def _unknown_descriptor(rule_id: str, severity: str) -> dict[str, Any]:
    return {"id": rule_id, "name": rule_name(rule_id), "shortDescription": {"text": rule_id},
            "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
            "properties": {"tags": ["health-lint", rule_id.split("/", 1)[0]]}}


def region(f) -> dict[str, Any]:
    line = max(1, int(f.line or 1))
    if f.document_level:
        return {"startLine": line}
    out: dict[str, Any] = {"startLine": line, "startColumn": max(1, int(f.column or 1))}
    end_line = int(f.end_line or 0)
    end_col = int(f.end_column or 0)
    if end_line > line or (end_line == line and end_col >= out["startColumn"]):
        out["endLine"] = end_line
        out["endColumn"] = max(1, end_col)
    return out


def result(f, index: int | None, root: Path, baseline_applied: bool, project_root: Path | None = None) -> dict[str, Any]:
    text = f.message.strip() or f.rule
    if f.hint:
        text += f"\nHow to fix: {f.hint.strip()}"
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(f.path, root), "region": region(f)}}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint(project_root if project_root is not None else root)},
        "properties": {"severity": f.severity, "documentLevel": bool(f.document_level)},
    }
    if index is not None:
        out["ruleIndex"] = index
    if f.hint:
        out["properties"]["hint"] = f.hint
    if f.data:
        out["properties"]["data"] = json.loads(json.dumps(f.data, default=str))
    if baseline_applied:
        out["baselineState"] = "new"
    return out


def build(report) -> dict[str, Any]:
    from ..rules import registry

    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule in registry().values():
        index[rule.id] = len(descriptors)
        descriptors.append(rule_descriptor(rule))
    for f in report.findings:  # rules from plug-ins or commands not in the registry
        if f.rule not in index:
            index[f.rule] = len(descriptors)
            descriptors.append(_unknown_descriptor(f.rule, f.severity))
    project_root = Path(report.root)
    root = source_root(project_root)
    baseline_applied = "baseline" in report.extra
    root_uri = Path(os.path.abspath(root)).as_uri().rstrip("/") + "/"
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "health-lint", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": descriptors}},
        "invocations": [{"executionSuccessful": True,
                         "properties": {"command": report.command, "summary": report.summary()}}],
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri,
                                         "description": {"text": "The repository root (the git work tree containing the project; "
                                                                  "the project root outside git)."}}},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, index.get(f.rule), root, baseline_applied, project_root) for f in report.findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report, color: bool = False) -> str:
    return json.dumps(build(report), indent=2, ensure_ascii=False, default=str) + "\n"
