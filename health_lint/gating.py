"""Gating: which findings count. Baselines for adopting health-lint on a
site with thousands of existing findings, and changed-lines-only reports for
pull requests.

Baseline file (JSON, ``version`` 1)::

    {"version": 1,
     "tool": {"name": "health-lint", "version": "0.1.0"},
     "findings": [{"fingerprint": "...", "rule": "readability/long-sentence",
                   "path": "articles/back-pain.md", "message": "...", "count": 2}]}

An entry matches findings by fingerprint (rule + path + offending text, see
``Finding.fingerprint``), never by line, so inserting or deleting lines above
a finding keeps it matched. The same text can offend twice in one file
(a repeated sentence): ``count`` is how many occurrences are known, and a
third occurrence is new. Entries sorted by path, rule and fingerprint, so the
file diffs cleanly when re-written.

Changed lines: ``git diff --unified=0`` from the merge base of REF and
``HEAD`` to the working tree, plus untracked files as wholly new. A finding
is kept when its line range touches an added or changed line; a
whole-document finding is kept when its file changed at all.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import __version__
from .findings import Finding

BASELINE_VERSION = 1


class GatingError(Exception):
    """A baseline or git problem the user must fix (exit code 2)."""


# -- baseline -------------------------------------------------------------------
def baseline_entries(findings: Iterable[Finding]) -> list[dict]:
    counts: Counter = Counter()
    first: dict[str, Finding] = {}
    for f in findings:
        fp = f.fingerprint()
        counts[fp] += 1
        first.setdefault(fp, f)
    entries = [{"fingerprint": fp, "rule": first[fp].rule, "path": first[fp].path,
                "message": first[fp].message, "count": n} for fp, n in counts.items()]
    entries.sort(key=lambda e: (e["path"], e["rule"], e["fingerprint"]))
    return entries


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Record today's findings; returns how many were recorded."""
    path = Path(path)
    data = {"version": BASELINE_VERSION, "tool": {"name": "health-lint", "version": __version__},
            "findings": baseline_entries(findings)}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".health-lint-baseline.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise GatingError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(findings)


def read_baseline(path: Path) -> dict[str, dict]:
    """fingerprint -> entry (with ``count``), validated."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GatingError(f"baseline file not found: {path} (create it with --write-baseline {path})") from None
    except IsADirectoryError:
        raise GatingError(f"baseline {path} is a folder, not a file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GatingError(f"cannot read baseline {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GatingError(f"baseline {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                          f"re-create it with --write-baseline") from None
    if not isinstance(data, dict) or "version" not in data or not isinstance(data.get("findings"), list):
        raise GatingError(f"baseline {path} is not a health-lint baseline (expected an object with "
                          f"\"version\" and \"findings\")")
    if data["version"] != BASELINE_VERSION:
        raise GatingError(f"baseline {path} has version {data['version']!r}; this health-lint reads version "
                          f"{BASELINE_VERSION} (re-create it with --write-baseline)")
    entries: dict[str, dict] = {}
    for i, entry in enumerate(data["findings"]):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        if not isinstance(fp, str) or not fp or not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise GatingError(f"baseline {path}: findings[{i}] needs a \"fingerprint\" string and a positive "
                              f"\"count\"")
        if fp in entries:
            entries[fp]["count"] += count
        else:
            entries[fp] = {**entry, "count": count}
    return entries


def apply_baseline(report, path: Path) -> None:
    """Keep only findings not recorded in the baseline; record matched, new
    and stale counts in ``report.extra["baseline"]``.

    Stale entries are known occurrences that no longer occur (fixed, or their
    text changed). Files the command did not look at cannot be judged: when
    the command says which files it checked (``report.options["paths"]``)
    only entries for those files count as stale. Findings dropped earlier by
    ``--diff-base`` still exist, so they do not make their entries stale.
    """
    entries = read_baseline(path)
    budget = {fp: e["count"] for fp, e in entries.items()}
    new: list[Finding] = []
    matched = 0
    for f in report.findings:
        fp = f.fingerprint()
        if budget.get(fp, 0) > 0:
            budget[fp] -= 1
            matched += 1
        else:
            new.append(f)
    for f in report.options.get("_outside_diff", []):
        fp = f.fingerprint()
        if budget.get(fp, 0) > 0:
            budget[fp] -= 1
    checked = report.options.get("paths")
    checked_set = {os.path.normpath(str(p)) for p in checked} if checked is not None else None
    stale = sum(n for fp, n in budget.items()
                if n > 0 and (checked_set is None or os.path.normpath(str(entries[fp].get("path", ""))) in checked_set))
    report.findings = new
    report.extra["baseline"] = {"matched": matched, "new": len(new), "stale": stale}
    if stale:
        report.text_sections.append(
            f"Baseline {path}: {stale} stale entr{'ies' if stale != 1 else 'y'} (findings that were fixed or "
            f"changed); run with --write-baseline {path} to drop them.")


# -- changed lines ----------------------------------------------------------------
@dataclass
class FileChanges:
    lines: set[int] = field(default_factory=set)
    whole: bool = False  # untracked, or binary diff: every line counts


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True,
                              timeout=120)
    except FileNotFoundError:
        raise GatingError("--diff-base needs git, and git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GatingError(f"git {' '.join(args)} took more than 120 s in {cwd}") from None
    if check and proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise GatingError(f"git {' '.join(args)} failed in {cwd}: {err}")
    return proc


def repo_root(folder: Path) -> Path:
    proc = _git(folder, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        raise GatingError(f"--diff-base needs a git repository, and {folder} is not inside one")
    return Path(proc.stdout.decode("utf-8", "surrogateescape").strip())


_QUOTED_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def unquote_git_path(text: str) -> str:
    """Undo git's C-style quoting of unusual path names (``"a\\303\\251.md"``)."""
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        return text
    body, out, i = text[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if re.fullmatch(r"[0-7]{3}", body[i + 1:i + 4]):
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out.append(_QUOTED_ESCAPES.get(nxt, ord(nxt)))
            i += 2
            continue
        out.extend(ch.encode("utf-8", "surrogateescape"))
        i += 1
    return out.decode("utf-8", "surrogateescape")


_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def parse_diff(text: str) -> dict[str, FileChanges]:
    """Repo-relative path -> added/changed lines, from ``git diff -U0``."""
    changes: dict[str, FileChanges] = {}
    current: FileChanges | None = None
    for line in text.split("\n"):
        if line.startswith("diff --git "):
            current = None
        elif line.startswith("+++ "):
            name = line[4:].rstrip("\t")
            if name == "/dev/null":
                current = None  # deleted file
                continue
            name = unquote_git_path(name)
            if name.startswith("b/"):
                name = name[2:]
            current = changes.setdefault(name, FileChanges())
        elif line.startswith("@@ ") and current is not None:
            m = _HUNK_RE.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) or 1)
                current.lines.update(range(start, start + count))
        elif line.startswith("Binary files ") and line.endswith(" differ"):
            # "Binary files a/x and b/y differ" (or /dev/null on either side).
            m = re.match(r'^Binary files (.*) and (.*) differ$', line)
            if m and m.group(2) != "/dev/null":
                name = unquote_git_path(m.group(2))
                name = name[2:] if name.startswith("b/") else name
                changes.setdefault(name, FileChanges()).whole = True
        elif line.startswith("rename to ") or line.startswith("copy to "):
            # A pure rename has no +++ line; the file still changed.
            name = unquote_git_path(line.split(" to ", 1)[1])
            changes.setdefault(name, FileChanges())
    return changes


def changed_lines(root: Path, ref: str) -> tuple[dict[str, FileChanges], str]:
    """Changes in the repository at ``root`` since ``ref``; also returns the
    commit compared against (the merge base of ``ref`` and HEAD)."""
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if proc.returncode != 0:
        raise GatingError(f"--diff-base: unknown git ref {ref!r} in {root} (in CI, fetch it first, e.g. "
                          f"actions/checkout with fetch-depth: 0, or git fetch origin main)")
    ref_sha = proc.stdout.decode().strip()
    base = ref_sha
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    if head.returncode == 0:
        mb = _git(root, "merge-base", ref_sha, "HEAD", check=False)
        if mb.returncode == 0 and mb.stdout.strip():
            base = mb.stdout.decode().strip()
    diff = _git(root, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--find-renames", base, "--")
    changes = parse_diff(diff.stdout.decode("utf-8", "surrogateescape"))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    for name in untracked.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if name:
            changes.setdefault(name, FileChanges()).whole = True
    return changes, base


def _location(path: str) -> tuple[Path, str] | None:
    """(folder to ask git from, absolute path) of a finding's file."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", path):
        return None
    absolute = Path(os.path.abspath(path))
    folder = absolute if absolute.is_dir() else absolute.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder, str(absolute)


def keep_changed_lines(report, ref: str) -> None:
    """Keep findings on lines changed since ``ref`` (and whole-document
    findings of changed files); drop the rest."""
    if report.command == "crawl":
        raise GatingError("--diff-base works on files in a git repository; crawl reports pages by URL")
    roots: dict[Path, Path] = {}
    repos: dict[Path, tuple[dict[str, FileChanges], str]] = {}

    def repo_for(folder: Path) -> Path:
        if folder not in roots:
            roots[folder] = repo_root(folder)
        return roots[folder]

    def changes_for(root: Path) -> dict[str, FileChanges]:
        if root not in repos:
            repos[root] = changed_lines(root, ref)
        return repos[root][0]

    if not any(_location(f.path) for f in report.findings):
        # Validate the ref even when nothing was found, so a typo is not silent.
        changes_for(repo_for(Path(os.path.abspath(report.root))))
    kept: list[Finding] = []
    dropped: list[Finding] = []
    for f in report.findings:
        loc = _location(f.path)
        if loc is None:
            dropped.append(f)
            continue
        folder, absolute = loc
        root = repo_for(folder)
        changes = changes_for(root)
        rel = _repo_relative(absolute, root)
        fc = changes.get(rel) if rel is not None else None
        if fc is None:
            dropped.append(f)
        elif fc.whole or f.document_level:
            kept.append(f)
        else:
            last = max(f.line, f.end_line or f.line)
            # A finding ending at column 1 of the next line ends on the line before.
            if last > f.line and f.end_column == 1:
                last -= 1
            if any(n in fc.lines for n in range(f.line, last + 1)):
                kept.append(f)
            else:
                dropped.append(f)
    report.findings = kept
    report.options["_outside_diff"] = dropped
    bases = {r: base for r, (_, base) in repos.items()}
    changed_files = sum(len(c) for c, _ in repos.values())
    report.extra["diff_base"] = {"ref": ref, "base": next(iter(bases.values())) if len(bases) == 1 else sorted(bases.values()),
                                 "changed_files": changed_files, "kept": len(kept), "outside_changes": len(dropped)}
    report.text_sections.append(
        f"Changed lines since {ref}: {len(kept)} finding{'s' if len(kept) != 1 else ''} on changed lines; "
        f"{len(dropped)} elsewhere not reported.")


def _repo_relative(absolute: str, root: Path) -> str | None:
    candidates = [Path(absolute)]
    try:
        candidates.append(Path(absolute).parent.resolve() / Path(absolute).name)
    except OSError:
        pass
    for base in (root, root.resolve()):
        for cand in candidates:
            try:
                return cand.relative_to(base).as_posix()
            except ValueError:
                continue
    return None
