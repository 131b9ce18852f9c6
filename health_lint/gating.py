"""Gating: which findings count. Baselines for adopting health-lint on a
site with thousands of existing findings, and changed-lines-only reports for
pull requests.

Baseline file (JSON, ``version`` 2)::

    {"version": 2,
     "tool": {"name": "health-lint", "version": "0.1.0"},
     "findings": [{"fingerprint": "...", "rule": "readability/long-sentence",
                   "path": "articles/back-pain.md", "message": "...", "count": 2}]}

An entry matches findings by fingerprint (rule + path + offending text, see
``Finding.fingerprint``), never by line, so inserting or deleting lines above
a finding keeps it matched. Paths (in ``path`` and in the fingerprint) are
relative to the project root (``Report.root``: the configuration file's
folder, else the current folder), so a baseline written from one folder
matches when health-lint runs from another, and ``content/a.md`` and
``/abs/site/content/a.md`` are the same file; crawled pages keep their URL.
Version 1 files (paths as displayed, relative to the folder health-lint ran
from) are still read and matched the old way; ``--write-baseline`` rewrites
them as version 2. The same text can offend twice in one file
(a repeated sentence): ``count`` is how many occurrences are known, and a
third occurrence is new. Entries sorted by path, rule and fingerprint, so the
file diffs cleanly when re-written.

Changed lines: ``git diff --unified=0`` from the merge base of REF and
``HEAD`` to the working tree, plus untracked files as wholly new. A finding
is kept when its line range touches an added or changed line; a
whole-document finding is kept when its file changed at all. A link-graph
finding (a rule with scope "project") is also kept when the change touched
what it depends on in another file: the page a broken link pointed at was
renamed or deleted, links to an orphan were removed... (see
:func:`depends_on_change` and "Changed lines only" in the README).
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from . import __version__
from .findings import Finding, project_path
from .safe_write import write_file
from . import regexcache

BASELINE_VERSION = 2
READABLE_BASELINE_VERSIONS = (1, 2)


class GatingError(Exception):
    """A baseline or git problem the user must fix (exit code 2)."""


# -- baseline -------------------------------------------------------------------
def baseline_entries(findings: Iterable[Finding], root=None) -> list[dict]:
    """Baseline entries; with ``root`` (the project root) paths and
    fingerprints are relative to it (version 2)."""
    counts: Counter = Counter()
    first: dict[str, Finding] = {}
    for f in findings:
        fp = f.fingerprint(root)
        counts[fp] += 1
        first.setdefault(fp, f)
    entries = [{"fingerprint": fp, "rule": first[fp].rule, "path": project_path(first[fp].path, root),
                "message": first[fp].message, "count": n} for fp, n in counts.items()]
    entries.sort(key=lambda e: (e["path"], e["rule"], e["fingerprint"]))
    return entries


def write_baseline(path: Path, findings: list[Finding], root=None) -> int:
    """Record today's findings, paths relative to the project ``root``
    (default: the current folder); returns how many were recorded."""
    path = Path(path)
    root = Path.cwd() if root is None else root
    data = {"version": BASELINE_VERSION, "tool": {"name": "health-lint", "version": __version__},
            "findings": baseline_entries(findings, root)}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, text)
    except OSError as exc:
        raise GatingError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(findings)


def read_baseline(path: Path) -> dict[str, dict]:
    """fingerprint -> entry (with ``count``), validated."""
    return load_baseline(path)[1]


def load_baseline(path: Path) -> tuple[int, dict[str, dict]]:
    """(file version, fingerprint -> entry with ``count``), validated."""
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
    version = data["version"]
    if isinstance(version, bool) or version not in READABLE_BASELINE_VERSIONS:
        raise GatingError(f"baseline {path} has version {version!r}; this health-lint reads versions "
                          f"{', '.join(map(str, READABLE_BASELINE_VERSIONS))} (re-create it with --write-baseline)")
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
    return version, entries


def apply_baseline(report, path: Path) -> None:
    """Keep only findings not recorded in the baseline; record matched, new
    and stale counts in ``report.extra["baseline"]``.

    Stale entries are known occurrences that no longer occur (fixed, or their
    text changed). Files the command did not look at cannot be judged: when
    the command says which files it checked (``report.options["paths"]``)
    only entries for those files count as stale, and entries for files that
    no longer exist (deleted, or renamed: the new name's findings are new). Findings dropped earlier by
    ``--diff-base`` still exist, so they do not make their entries stale.
    """
    version, entries = load_baseline(path)
    root = getattr(report, "root", None) or Path.cwd()
    if version == 1:
        # Old files: paths as displayed, relative to the folder health-lint
        # ran from. Matched the old way; --write-baseline upgrades them.
        def key(f: Finding) -> str:
            return f.fingerprint()

        def where(p: str) -> str:
            return os.path.normpath(str(p))
        stored = where
    else:
        def key(f: Finding) -> str:
            return f.fingerprint(root)

        def where(p: str) -> str:
            return project_path(str(p), root)

        def stored(p: str) -> str:  # already relative to the root
            return str(p)
    budget = {fp: e["count"] for fp, e in entries.items()}
    new: list[Finding] = []
    matched = 0
    for f in report.findings:
        fp = key(f)
        if budget.get(fp, 0) > 0:
            budget[fp] -= 1
            matched += 1
        else:
            new.append(f)
    for f in report.options.get("_outside_diff", []):
        fp = key(f)
        if budget.get(fp, 0) > 0:
            budget[fp] -= 1
    checked = report.options.get("paths")
    checked_set = {where(p) for p in checked} if checked is not None else None
    shard = report.extra.get("shard")

    def gone(entry_path: str) -> bool:
        """The entry's file was deleted or renamed: its entries can never
        match again, whatever was checked (in one shard only: its own)."""
        if not entry_path or "://" in entry_path or report.command == "crawl":
            return False
        if (Path(root) if version == 2 else Path.cwd()).joinpath(entry_path).exists():
            return False
        if shard:
            from .shard import in_shard

            return in_shard(str(Path(root).joinpath(entry_path)), root, (shard["index"], shard["count"]))
        return True

    stale = sum(n for fp, n in budget.items()
                if n > 0 and (checked_set is None or stored(entries[fp].get("path", "")) in checked_set
                              or gone(str(entries[fp].get("path", "")))))
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
    renamed_from: str | None = None  # the old path of a renamed (moved) file


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


_HUNK_RE = regexcache.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def parse_diff(text: str, removed: set[str] | None = None) -> dict[str, FileChanges]:
    """Repo-relative path -> added/changed lines, from ``git diff -U0``.
    Paths that no longer exist (deleted files, the old names of renamed
    ones) are added to ``removed`` when given."""
    changes: dict[str, FileChanges] = {}
    current: FileChanges | None = None
    old_name: str | None = None      # the "--- a/..." side of the current file
    rename_from: str | None = None
    for line in text.split("\n"):
        if line.startswith("diff --git "):
            current = None
            old_name = rename_from = None
        elif line.startswith("--- "):
            name = line[4:].rstrip("\t")
            old_name = None if name == "/dev/null" else unquote_git_path(name)
            if old_name is not None and old_name.startswith("a/"):
                old_name = old_name[2:]
        elif line.startswith("+++ "):
            name = line[4:].rstrip("\t")
            if name == "/dev/null":
                current = None  # deleted file
                if removed is not None and old_name is not None:
                    removed.add(old_name)
                continue
            name = unquote_git_path(name)
            if name.startswith("b/"):
                name = name[2:]
            current = changes.setdefault(name, FileChanges())
            if rename_from is not None:
                current.renamed_from = rename_from
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
            elif m and removed is not None and m.group(1) != "/dev/null":
                name = unquote_git_path(m.group(1))
                removed.add(name[2:] if name.startswith("a/") else name)
        elif line.startswith("rename from "):
            rename_from = unquote_git_path(line[len("rename from "):])
            if removed is not None:
                removed.add(rename_from)
        elif line.startswith("rename to ") or line.startswith("copy to "):
            # A pure rename has no +++ line; the file still changed.
            name = unquote_git_path(line.split(" to ", 1)[1])
            fc = changes.setdefault(name, FileChanges())
            if line.startswith("rename to ") and rename_from is not None:
                fc.renamed_from = rename_from
    return changes


def changed_lines(root: Path, ref: str, removed: set[str] | None = None) -> tuple[dict[str, FileChanges], str]:
    """Changes in the repository at ``root`` since ``ref``; also returns the
    commit compared against (the merge base of ``ref`` and HEAD). Deleted
    paths and the old names of renamed files go to ``removed``."""
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
    changes = parse_diff(diff.stdout.decode("utf-8", "surrogateescape"), removed)
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


# -- what a project-scope finding depends on ------------------------------------
# Link-graph findings (rules with scope "project") can be caused by a change
# to another file than the one they are reported on: renaming a page breaks
# the links to it in files the change never touched. Such a finding is kept
# when the change touched what it depends on, judged by page *names*: the
# last segment of a path or URL, without a page extension or date prefix,
# an index page named by its folder, compared case-insensitively. Names
# over-match (two pages called "exercises" in different folders) but never
# under-match, whatever the permalink rules, so a finding the change caused
# is not hidden; a few older findings may show up with it.
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mdx", ".html", ".htm", ".txt")
INDEX_STEMS = ("index", "_index", "readme")
_DATE_PREFIX_RE = regexcache.compile(r"^\d{4}-\d{1,2}-\d{1,2}-(.+)$")
_SCHEME_RE = regexcache.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_YAML_FM_RE = regexcache.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_TOML_FM_RE = regexcache.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)
_LINK_RES = (
    regexcache.compile(r"\]\(\s*<([^>\n]*)>"),                                   # [text](<url with spaces>)
    regexcache.compile(r"\]\(\s*([^)\s<][^)\s]*)"),                               # [text](url "title")
    regexcache.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^>\s]+)", re.M),         # [ref]: url
    regexcache.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.I),        # HTML
    regexcache.compile(r"""\b(?:href|src)\s*=\s*([^\s"'>]+)""", re.I),
    regexcache.compile(r"""\{\{[<%]\s*(?:rel)?ref\s+["']?([^"'\s>%]+)"""),          # Hugo ref shortcodes
)
# Link-graph rules about a page as a whole, and what they depend on.
_INBOUND_RULES = ("graph/orphan", "graph/deep")     # links *to* the page
_OUTBOUND_RULES = ("graph/dead-end",)               # links *from* the page


def page_name(path: str) -> str:
    """The name a page or file goes by: ``content/back-pain/exercises.md``,
    ``/back-pain/exercises/`` and ``exercises.html#stretches`` are all
    ``exercises``; ``back-pain/index.md`` is ``back-pain``."""
    path = unquote(path.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    parts = [seg for seg in path.split("/") if seg not in ("", ".", "..")]
    while parts:
        last = parts.pop()
        low = last.lower()
        for ext in PAGE_SUFFIXES:
            if low.endswith(ext) and len(last) > len(ext):
                last = last[:-len(ext)]
                break
        if last.lower() in INDEX_STEMS:
            continue
        m = _DATE_PREFIX_RE.match(last)
        return (m.group(1) if m else last).casefold()
    return ""


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.casefold()).strip("-")


def page_names(rel_path: str, text: str | None) -> set[str]:
    """Every name a page is reachable by: its path, and the permalink,
    slug, title, aliases and redirect_from of its front matter."""
    names = {page_name(rel_path)}
    if not text or not rel_path.lower().endswith(PAGE_SUFFIXES):
        return names
    meta = None
    m = _YAML_FM_RE.match(text)
    if m:
        import yaml

        try:
            from .parsers import yaml_safe

            meta = yaml_safe.load(m.group(1))
        except Exception:  # a broken front matter: the path is the name
            meta = None
    else:
        m = _TOML_FM_RE.match(text)
        if m:
            import tomllib

            try:
                meta = tomllib.loads(m.group(1))
            except Exception:
                meta = None
    if isinstance(meta, dict):
        for key in ("permalink", "url", "slug", "aliases", "redirect_from"):
            value = meta.get(key)
            for item in [value] if isinstance(value, str) else (value if isinstance(value, list) else []):
                if isinstance(item, str) and item.strip():
                    names.add(page_name(urlsplit(item.strip()).path if "://" in item else item.strip()))
        if isinstance(meta.get("title"), str) and meta["title"].strip():
            names.add(_slug(meta["title"]))
    return names


def url_name(url: str, rel_path: str) -> str | None:
    """The page name a link on ``rel_path`` points at, or None when it
    points at no file (``mailto:``, an in-page ``#fragment``)."""
    url = url.strip()
    path = url.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    scheme = _SCHEME_RE.match(path)
    if path.startswith("//") or (scheme and not re.match(r"^[A-Za-z]:[\\/]", path)):
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            return None
        path = urlsplit(url).path
    elif not path.startswith("/"):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(rel_path), unquote(path)))
    return page_name(path)


def link_names(rel_path: str, text: str | None) -> set[str]:
    """Names of the pages and files a page's text links to."""
    names: set[str] = set()
    if not text or not rel_path.lower().endswith(PAGE_SUFFIXES):
        return names
    for rx in _LINK_RES:
        for m in rx.finditer(text):
            name = url_name(m.group(1), rel_path)
            if name is not None:
                names.add(name)
    return names


class RepoDiff:
    """One repository's changes since the base, with the old and new text
    of changed files (read lazily: only project-scope findings need them)."""

    def __init__(self, root: Path, changes: dict[str, FileChanges], base: str, removed: set[str]):
        self.root, self.changes, self.base, self.removed = root, changes, base, removed
        self._old: dict[str, str | None] | None = None
        self._cache: dict[str, object] = {}

    def _load_old(self) -> dict[str, str | None]:
        """Text at the base of every changed or removed page file."""
        if self._old is None:
            wanted = sorted(p for p in set(self.changes) | self.removed
                            if p.lower().endswith(PAGE_SUFFIXES) and "\n" not in p)
            self._old = {p: None for p in wanted}
            if wanted:
                try:
                    proc = subprocess.run(["git", "cat-file", "--batch"], cwd=self.root, timeout=120,
                                          input="".join(f"{self.base}:{p}\n" for p in wanted).encode("utf-8",
                                                                                                   "surrogateescape"),
                                          capture_output=True)
                except (OSError, subprocess.SubprocessError) as exc:
                    raise GatingError(f"git cat-file failed in {self.root}: {exc}") from None
                out, pos = proc.stdout, 0
                for p in wanted:
                    end = out.find(b"\n", pos)
                    if end < 0:
                        break
                    # "<sha> <type> <size>" and the body, or "<spec> missing".
                    header = re.fullmatch(rb"[0-9a-f]{40,64} (\w+) (\d+)", out[pos:end])
                    pos = end + 1
                    if header is not None:
                        size = int(header.group(2))
                        if header.group(1) == b"blob":
                            self._old[p] = out[pos:pos + size].decode("utf-8", "replace")
                        pos += size + 1
        return self._old

    def old_text(self, rel: str) -> str | None:
        return self._load_old().get(rel)

    def had_anchor(self, rel: str, fragment: str) -> bool:
        """Whether page ``rel`` had the anchor ``#fragment`` at the base (a
        page that did not exist then, or cannot be read: True, so that the
        finding is kept)."""
        old = self.old_text(rel)
        if old is None:
            return True

        def compute() -> set[str]:
            from . import parsers

            try:
                return set(parsers.parse(old, rel, parsers.format_of(rel) or "text").anchors)
            except Exception:  # an unparsable old version: judged as having had it
                return {fragment}
        anchors = self._memo(f"anchors:{rel}", compute)
        return fragment in anchors or unquote(fragment) in anchors or fragment.lower() in anchors

    def new_text(self, rel: str) -> str | None:
        if not rel.lower().endswith(PAGE_SUFFIXES):
            return None
        try:
            return (self.root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def _memo(self, key: str, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def gone_names(self) -> set[str]:
        """Names nothing answers to any more: deleted and renamed-away files,
        and names a changed page dropped (a new slug, a removed alias)."""
        def compute() -> set[str]:
            names: set[str] = set()
            for rel in self.removed:
                names |= page_names(rel, self.old_text(rel))
            for rel in self.changes:
                old = self.old_text(rel)
                if old is not None:
                    names |= page_names(rel, old) - page_names(rel, self.new_text(rel))
            return names
        return self._memo("gone", compute)

    @property
    def changed_names(self) -> set[str]:
        """Names of every changed, added, renamed or removed file."""
        def compute() -> set[str]:
            names = set(self.gone_names)
            for rel in self.changes:
                names |= page_names(rel, self.new_text(rel))
            return names
        return self._memo("changed", compute)

    @property
    def linked_names(self) -> set[str]:
        """Names that the changed and removed files link to, now or at the
        base: a page whose inbound links changed is among them."""
        def compute() -> set[str]:
            names: set[str] = set()
            for rel in set(self.changes) | self.removed:
                names |= link_names(rel, self.old_text(rel))
                if rel in self.changes:
                    names |= link_names(rel, self.new_text(rel))
            return names
        return self._memo("linked", compute)

    def rel_of(self, path: str) -> str | None:
        loc = _location(path)
        return _repo_relative(loc[1], self.root) if loc else None


def depends_on_change(f: Finding, rel: str, diff: RepoDiff) -> bool:
    """True when a project-scope finding on ``rel`` (a file the change did
    not touch on the finding's lines) may be caused by the change."""
    fc = diff.changes.get(rel)
    if fc is not None and fc.renamed_from is not None:
        return True  # a moved page: its relative links resolve differently
    data = f.data if isinstance(f.data, dict) else {}
    if f.rule == "links/broken-internal":
        url = data.get("url")
        if not isinstance(url, str):
            return bool(diff.gone_names)
        name = url_name(url, rel)
        return name is not None and name in diff.gone_names
    if f.rule == "links/missing-anchor":
        target = data.get("target")
        if isinstance(target, str) and target:
            target_rel = diff.rel_of(target)
            if target_rel is not None:
                # Caused by the change only if the target page had the anchor
                # at the base: an anchor missing before is an old finding,
                # whatever else the change did to that page.
                fragment = data.get("fragment")
                if target_rel not in diff.changes:
                    return False
                return not isinstance(fragment, str) or diff.had_anchor(target_rel, fragment)
        url = data.get("url")
        name = url_name(url, rel) if isinstance(url, str) else None
        return name is None or name in diff.changed_names
    if f.rule in _INBOUND_RULES:
        if page_names(rel, diff.new_text(rel)) & diff.linked_names:
            return True
        chain = data.get("path")
        if f.rule == "graph/deep" and isinstance(chain, str):
            return any(diff.rel_of(step.strip()) in diff.changes for step in chain.split("→"))
        return False
    if f.rule in _OUTBOUND_RULES:
        return bool(link_names(rel, diff.new_text(rel)) & diff.gone_names)
    # links/duplicate, links/self and other link-graph rules: the target.
    for key in ("url", "target"):
        value = data.get(key)
        if isinstance(value, str) and value:
            name = url_name(value, rel) if key == "url" else page_name(value)
            if name is not None and name in diff.changed_names:
                return True
    return False


def _project_rules() -> set[str]:
    from .rules import registry

    return {rid for rid, rule in registry().items() if getattr(rule, "scope", "") == "project"}


def keep_changed_lines(report, ref: str) -> None:
    """Keep findings on lines changed since ``ref`` (and whole-document
    findings of changed files), and link-graph findings the change caused
    in other files (see :func:`depends_on_change`); drop the rest."""
    if report.command == "crawl":
        raise GatingError("--diff-base works on files in a git repository; crawl reports pages by URL")
    roots: dict[Path, Path] = {}
    repos: dict[Path, RepoDiff] = {}

    def repo_for(folder: Path) -> Path:
        if folder not in roots:
            roots[folder] = repo_root(folder)
        return roots[folder]

    def diff_for(root: Path) -> RepoDiff:
        if root not in repos:
            removed: set[str] = set()
            changes, base = changed_lines(root, ref, removed)
            repos[root] = RepoDiff(root, changes, base, removed)
        return repos[root]

    if not any(_location(f.path) for f in report.findings):
        # Validate the ref even when nothing was found, so a typo is not silent.
        diff_for(repo_for(Path(os.path.abspath(report.root))))
    project_rules: set[str] | None = None
    kept: list[Finding] = []
    dropped: list[Finding] = []
    dependent = 0
    for f in report.findings:
        loc = _location(f.path)
        if loc is None:
            dropped.append(f)
            continue
        folder, absolute = loc
        diff = diff_for(repo_for(folder))
        rel = _repo_relative(absolute, diff.root)
        fc = diff.changes.get(rel) if rel is not None else None
        if fc is not None and (fc.whole or f.document_level):
            kept.append(f)
            continue
        if fc is not None:
            last = max(f.line, f.end_line or f.line)
            # A finding ending at column 1 of the next line ends on the line before.
            if last > f.line and f.end_column == 1:
                last -= 1
            if any(n in fc.lines for n in range(f.line, last + 1)):
                kept.append(f)
                continue
        if project_rules is None:
            project_rules = _project_rules()
        if rel is not None and f.rule in project_rules and depends_on_change(f, rel, diff):
            kept.append(f)
            dependent += 1
        else:
            dropped.append(f)
    report.findings = kept
    report.options["_outside_diff"] = dropped
    bases = {r: d.base for r, d in repos.items()}
    changed_files = sum(len(d.changes) for d in repos.values())
    report.extra["diff_base"] = {"ref": ref, "base": next(iter(bases.values())) if len(bases) == 1 else sorted(bases.values()),
                                 "changed_files": changed_files, "kept": len(kept), "outside_changes": len(dropped),
                                 "caused_elsewhere": dependent}
    caused = (f" or caused by them ({dependent} link-graph finding{'s' if dependent != 1 else ''} in "
              f"files the changes did not touch there)" if dependent else "")
    report.text_sections.append(
        f"Changed lines since {ref}: {len(kept)} finding{'s' if len(kept) != 1 else ''} on changed lines{caused}; "
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


def caused_by_working_changes(folder: Path, checked: list[str]):
    """For checking single files against the whole tree (the pre-commit
    hook): a predicate that keeps a link-graph finding on a file that was
    not checked when the working tree's changes since ``HEAD`` (staged ones,
    in the hook) caused it: a renamed or deleted page, a removed anchor.
    Outside git, or before the first commit, it keeps the findings about a
    checked file (a link into it)."""
    checked_real = {os.path.realpath(p) for p in checked}
    diff: RepoDiff | None = None
    try:
        root = repo_root(folder)
        proc = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        if proc.returncode == 0:
            removed: set[str] = set()
            changes, base = changed_lines(root, "HEAD", removed)
            diff = RepoDiff(root, changes, base, removed)
    except GatingError:
        diff = None
    project_rules: set[str] | None = None

    def keep(f: Finding) -> bool:
        nonlocal project_rules
        data = f.data if isinstance(f.data, dict) else {}
        target = data.get("target")
        if diff is None:
            return isinstance(target, str) and os.path.realpath(target) in checked_real
        loc = _location(f.path)
        rel = _repo_relative(loc[1], diff.root) if loc else None
        if project_rules is None:
            project_rules = _project_rules()
        return rel is not None and f.rule in project_rules and depends_on_change(f, rel, diff)

    return keep
