"""Findings: what rules report and reporters print.

A rule yields :class:`Problem` objects that point at offsets in the document
source; the linter turns them into :class:`Finding` objects with line/column
positions and the configured severity. Reporters only ever see findings.
"""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from . import regexcache

SEVERITIES = ("error", "warning", "info")
# Lower rank = more severe. "never" is only a fail level: nothing reaches it.
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2, "never": -1}
FAIL_LEVELS = ("error", "warning", "info", "never")


_URL_RE = regexcache.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def project_path(path: str, root: "os.PathLike[str] | str | None") -> str:
    """``path`` as baselines and fingerprints store it: POSIX, relative to the
    project ``root`` (the configuration file's folder, else the current
    folder), so it does not depend on the folder health-lint runs from nor on
    whether the path was given absolute or relative. A URL (crawl) is kept as
    is; a file outside the root gets ``../`` segments; with no root, the path
    as given."""
    if root is None or _URL_RE.match(path):
        return path
    return _project_path(path, os.fspath(root), os.getcwd())


@functools.lru_cache(maxsize=1 << 16)
def _project_path(path: str, root: str, cwd: str) -> str:
    # Memoised per (path, root, current folder): a report of 50,000 findings
    # on 2,000 files makes 2,000 path computations, not 50,000 (abspath asks
    # the system for the current folder, realpath walks every segment with
    # lstat). Symlinks are assumed not to change during one run.
    absolute, base = os.path.join(cwd, path), os.path.join(cwd, root)
    absolute, base = os.path.normpath(absolute), os.path.normpath(base)
    found = None
    for a, b in ((absolute, base), (os.path.realpath(absolute), os.path.realpath(base))):
        try:
            rel = os.path.relpath(a, b)
        except ValueError:  # another drive (Windows)
            continue
        found = rel
        if rel != ".." and not rel.startswith(".." + os.sep):
            break
    return (found if found is not None else absolute).replace(os.sep, "/")


def at_or_above(severity: str, level: str) -> bool:
    """True if ``severity`` is at least as severe as the fail ``level``."""
    if level == "never":
        return False
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[level]


@dataclass
class Problem:
    """What a rule reports: a message about a range of the document source.

    ``start``/``end`` are character offsets into ``Document.source``. A problem
    about the whole document (no single offending place) sets
    ``document_level=True`` and may leave the offsets at 0.
    """

    message: str
    start: int = 0
    end: int = 0
    hint: str = ""
    document_level: bool = False
    # Free-form details a reporter may show (HTTP chain, suggestions...).
    data: dict[str, Any] = field(default_factory=dict)
    # Overrides the rule's configured severity (e.g. temporary vs permanent
    # redirects share one rule id but differ in severity).
    severity: str | None = None
    # Text used to fingerprint the finding for baselines; defaults to the
    # source text between start and end.
    fingerprint_text: str | None = None
    # How `check --fix` repairs it, if it can (see health_lint/fix.py).
    fix: "Fix | None" = None


@dataclass(frozen=True)
class Fix:
    """Edits to the document source (character offsets into
    ``Document.source``, as Problem positions), applied together by
    ``check --fix``. ``safe``: applied by ``--fix``; unsafe ones need
    ``--unsafe-fixes`` too (a guess a person should review)."""

    edits: tuple[tuple[int, int, str], ...]
    description: str
    safe: bool = True


@dataclass(slots=True)  # a site's run holds hundreds of thousands: no __dict__ each
class Finding:
    """One problem found: where, which rule, how severe, what to do."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: str
    message: str
    hint: str = ""
    document_level: bool = False
    snippet: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    # A Fix, and the digest of the file it was computed on (never reported).
    fix: Fix | None = field(default=None, repr=False, compare=False)
    fix_digest: str = field(default="", repr=False, compare=False)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)

    def fingerprint(self, root: "os.PathLike[str] | str | None" = None) -> str:
        """Stable id for baselines: rule + path + offending text, not the line,
        so inserting lines above a finding keeps it matched. With ``root``
        (the report's project root) the path is taken relative to it
        (:func:`project_path`), so the id does not depend on the current
        folder: baselines and SARIF use that form."""
        text = " ".join(self.snippet.split()) if self.snippet else self.message
        path = project_path(self.path, root) if root is not None else self.path
        raw = "\x1f".join((self.rule, path, text))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def to_dict(self, root: "os.PathLike[str] | str | None" = None) -> dict[str, Any]:
        out = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "document_level": self.document_level,
            "fingerprint": self.fingerprint(root),
        }
        if self.data:
            out["data"] = self.data
        return out
