"""``health-lint check --fix``: apply the fixes rules attach to findings.

As ruff: ``--fix`` applies the safe fixes, ``--unsafe-fixes`` the others
too, ``--diff`` prints what ``--fix`` would change as a unified diff and
writes nothing. A fix is a set of edits to the document source (see
:class:`health_lint.findings.Fix`); a rule's documentation says whether it
can fix ("Fix" in its "How to fix" section).

Guarantees:

- byte-exact elsewhere: only the edited spans change; the file keeps its
  encoding, byte-order mark and line endings;
- never front matter or code: rules only attach fixes outside them, and an
  edit that would reach into front matter or a code block is refused here
  as well;
- idempotent: a fixed finding is gone, so a second run changes nothing;
- safe writes: every file goes through :func:`health_lint.safe_write.write_file`,
  which re-checks the file just before replacing it; a file edited since it
  was checked is skipped (and said so), never overwritten.

Fixes that overlap an earlier one in the same file wait for the next pass
(``check`` runs up to :data:`MAX_PASSES` passes, re-checking in between).
"""
from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field

from . import parsers
from .findings import Finding, Fix

MAX_PASSES = 5


@dataclass
class FileFix:
    path: str
    old: str
    new: str
    fixes: list[tuple[Finding, Fix]] = field(default_factory=list)


def wanted(f: Finding, unsafe: bool) -> bool:
    return f.fix is not None and (f.fix.safe or unsafe)


def _protected(doc) -> list[tuple[int, int]]:
    """Spans no fix may touch: front matter and code. A fence that is never
    closed runs to the end of the file (whatever span the parser gave it)."""
    import re

    spans = [(0, doc.body_start)] if doc.body_start else []
    source = doc.source
    for b in doc.blocks:
        if b.kind != "code":
            continue
        end = b.end
        fence = re.match(r"[ ]{0,3}(`{3,}|~{3,})", source[b.start:b.start + 100])
        if fence is not None:
            mark = fence.group(1)
            first_nl = source.find("\n", b.start)
            closing = re.compile(r"^[ ]{0,3}" + re.escape(mark[0]) + "{" + str(len(mark)) + r",}[ \t]*\r?$", re.M)
            if first_nl < 0 or closing.search(source, first_nl + 1) is None:
                end = len(source)
        spans.append((b.start, max(end, b.end)))
    return spans


def plan(findings: list[Finding], unsafe: bool, max_bytes: int) -> tuple[list[FileFix], list[str]]:
    """The new text of every file with fixes to apply, and notes about files
    skipped (changed since they were checked, unreadable)."""
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        if wanted(f, unsafe):
            by_path.setdefault(f.path, []).append(f)
    out: list[FileFix] = []
    notes: list[str] = []
    for path, items in sorted(by_path.items()):
        try:
            doc = parsers.load(path, path, max_bytes)
        except Exception as exc:  # noqa: BLE001 - any failure: not fixed, said so
            notes.append(f"skipped {path}: cannot read it again to fix it ({exc}); not changed")
            continue
        if any(f.fix_digest and f.fix_digest != doc.file_digest for f in items):
            notes.append(f"skipped {path}: it changed since it was checked; not fixed (run --fix again)")
            continue
        protected = _protected(doc)
        taken: list[tuple[int, int]] = []
        edits: dict[tuple[int, int, str], None] = {}
        chosen: list[tuple[Finding, Fix]] = []
        for f in sorted(items, key=lambda f: min(e[0] for e in f.fix.edits)):
            spans = [(a, b) for a, b, _ in f.fix.edits]
            # An insertion at the very end of an unclosed code fence would land in the code.
            if any(a < pb and pa < b or (a == b and (pa <= a < pb or a == pb == len(doc.source)))
                   for a, b in spans for pa, pb in protected):
                continue  # front matter or code: never
            new_edits = [e for e in f.fix.edits if e not in edits]
            # Identical edits (one reference definition used twice) merge;
            # an overlapping one waits for the next pass.
            if any(a < tb and ta < b or a == b == ta for a, b, _ in new_edits for ta, tb in taken):
                continue
            for e in new_edits:
                edits[e] = None
                taken.append((e[0], e[1]))
            chosen.append((f, f.fix))
        if not chosen:
            continue
        new = doc.source
        for a, b, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            new = new[:a] + text + new[b:]
        if new != doc.source:
            ff = FileFix(path, doc.source, new, chosen)
            ff.encoding, ff.bom, ff.digest = doc.encoding, doc.bom, doc.file_digest  # type: ignore[attr-defined]
            out.append(ff)
    return out, notes


def unified_diff(ff: FileFix) -> str:
    lines = difflib.unified_diff(ff.old.splitlines(keepends=True), ff.new.splitlines(keepends=True),
                                 fromfile=f"a/{ff.path}", tofile=f"b/{ff.path}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write(ff: FileFix) -> str | None:
    """Write one fixed file; None when written, else why not."""
    from pathlib import Path

    from .safe_write import ChangedMeanwhile, write_file

    try:
        current = Path(ff.path).read_bytes()
    except OSError as exc:
        return f"cannot read {ff.path} again to fix it: {exc.strerror or exc}; it was not changed"
    if hashlib.sha256(current).hexdigest() != ff.digest:  # type: ignore[attr-defined]
        return f"skipped {ff.path}: it changed while it was being fixed; not fixed (run --fix again)"
    try:
        data = ff.bom + ff.new.encode(ff.encoding)  # type: ignore[attr-defined]
    except UnicodeEncodeError:
        return f"cannot fix {ff.path}: the fix has characters its encoding cannot hold; it was not changed"
    try:
        write_file(ff.path, data, expected=current)
    except ChangedMeanwhile:
        return f"skipped {ff.path}: it changed while it was being fixed; not fixed (run --fix again)"
    except OSError as exc:
        return f"cannot write {ff.path}: {exc.strerror or exc}; the file was left as it was"
    return None
