"""Resolve the links of a content tree to its pages, offline.

A content tree is the folder of Markdown/HTML sources a static site is built
from. Every document is reachable at several *site paths* (keys), all
normalised by :func:`norm_key`:

* its file path under the content root: ``guides/back-pain.md`` is
  ``/guides/back-pain`` — the same key as ``/guides/back-pain.html``,
  ``/guides/back-pain/`` and ``/guides/back-pain.md`` (``.md`` ↔ ``.html`` ↔
  directory, trailing slash or not);
* index pages stand for their folder: ``guides/index.md``,
  ``guides/_index.md`` (Hugo), ``guides/README.md`` (MkDocs, GitHub) and the
  configured ``index-files`` are ``/guides``;
* front matter ``permalink``/``url`` (an absolute site path), ``slug``
  (replaces the last segment), ``aliases`` (Hugo) and ``redirect_from``
  (Jekyll) add keys;
* ``[site] permalink`` — a Jekyll style (``date``, ``pretty``, ``ordinal``,
  ``none``) or a pattern such as ``/:year/:month/:slug/`` or
  ``/:categories/:title/`` — adds a key per page; Jekyll ``_posts`` get
  Jekyll's default ``date`` style when no pattern is set.

A link is then resolved as follows (query strings are ignored, names are
percent-decoded):

* ``#frag`` — the same page;
* ``https://example.org/...`` — internal when the host is the ``base-url``
  host or one of ``domains`` (``www.`` ignored), else external;
* ``/guides/back-pain/`` — a site path (the ``base-url`` path prefix, if any,
  is optional);
* ``../guides/back-pain.md`` — relative to the source file (how editors and
  GitHub/MkDocs see it) *and* relative to the page's published URL
  (``/guides/sciatica/`` + ``../back-pain/``, how Hugo/Jekyll pretty URLs
  resolve it); either is accepted.

A target that is not a page is looked up as a file (images, PDFs) under the
content root and the configured ``static-dirs``. Fragments are checked
against the target page's anchors (heading slugs, explicit ``id``/``name``,
``{#custom-id}`` heading attributes).
"""
from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import unquote, urlsplit

from ..document import Document, slugify
from .. import regexcache

PAGE_EXTS = (".md", ".markdown", ".mdown", ".html", ".htm")
DEFAULT_INDEX_STEMS = ("index", "_index", "readme")
SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".hg", ".svn"})
# Fragments a browser always accepts.
SPECIAL_FRAGMENTS = frozenset({"", "top"})
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_DATE_PREFIX_RE = regexcache.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_HEADING_ATTR_RE = regexcache.compile(r"\{[^{}]*#([A-Za-z][\w\-:.]*)[^{}]*\}\s*$")
_PLACEHOLDER_RE = regexcache.compile(r":(output_ext|short_year|short_day|categories|contentbasename|basename|filename|"
                             r"sections|section|i_month|i_day|y_day|month|title|slug|year|week|path|name|day)")
_ABS_RE = regexcache.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//([^/?#]*)([^?#]*)")
_SCHEME_RE = regexcache.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")

# Link statuses.
OK, BROKEN, MISSING_ANCHOR, EXTERNAL, SKIPPED, ASSET, OUTSIDE = (
    "ok", "broken", "missing-anchor", "external", "skipped", "asset", "outside")


def norm_key(path: str, index_stems: Iterable[str] = DEFAULT_INDEX_STEMS) -> str:
    """The normalised site path of a URL path or a file path: percent-decoded,
    dot segments resolved, no trailing slash, no page extension, index
    pages folded into their folder. The site root is ``/``."""
    path = unquote(path).replace("\\", "/")
    parts: list[str] = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts:
                parts.pop()
            continue
        parts.append(seg)
    if parts:
        last = parts[-1]
        low = last.lower()
        for ext in PAGE_EXTS:
            if low.endswith(ext) and len(last) > len(ext):
                last = last[: -len(ext)]
                break
        if last.lower() in index_stems:
            parts.pop()
        else:
            parts[-1] = last
    return "/" + "/".join(parts)


def _norm_host(host: str) -> str:
    host = host.lower().rsplit("@", 1)[-1]
    if host.startswith("[") is False and host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


@dataclass
class Resolution:
    status: str
    target: int | None = None  # index of the target document
    fragment: str = ""
    site_path: str = ""  # what was looked up (for messages)
    suggestion: str = ""  # closest existing page, as a path in the content tree (broken) ...
    suggestion_target: int | None = None
    anchors: list[str] = field(default_factory=list)  # ... or nearest anchors (missing-anchor)
    reason: str = ""


@dataclass
class SiteSettings:
    content_root: Path | None = None
    base_url: str = ""
    domains: list[str] = field(default_factory=list)
    permalink: str = ""
    index_files: list[str] = field(default_factory=list)
    static_dirs: list[str] = field(default_factory=lambda: ["static"])  # [site] static-dirs

    @classmethod
    def from_context(cls, settings: dict[str, Any]) -> "SiteSettings":
        site = dict(settings.get("site") or {})
        root = Path(settings.get("root") or Path.cwd())
        content_root = site.get("content-root")
        out = cls(
            content_root=(root / content_root).resolve() if content_root else None,
            base_url=site.get("base-url", ""),
            domains=list(site.get("domains", [])),
            permalink=site.get("permalink", ""),
            index_files=list(site.get("index-files", [])),
        )
        if "static-dirs" in site:
            out.static_dirs = list(site["static-dirs"])
        return out


class Resolver:
    """Maps the links of a set of documents to documents, files or nothing."""

    def __init__(self, documents: Sequence[Document], settings: SiteSettings | None = None):
        self.documents = list(documents)
        self.settings = settings or SiteSettings()
        self.index_stems = tuple(DEFAULT_INDEX_STEMS) + tuple(
            Path(n).stem.lower() for n in self.settings.index_files if Path(n).stem)
        self.abs_paths = [os.path.abspath(d.path) for d in self.documents]
        self.root = str(self.settings.content_root) if self.settings.content_root else self._common_root()
        self.rel_paths = [Path(os.path.relpath(p, self.root)).as_posix() for p in self.abs_paths]
        base = urlsplit(self.settings.base_url) if self.settings.base_url else None
        self.base_path = norm_key(base.path) if base and base.path else "/"
        self.hosts = {_norm_host(h) for h in self.settings.domains if h}
        self.hosts.update(_norm_host(urlsplit(h if "//" in h else "//" + h).netloc) for h in self.settings.domains if h)
        if base and base.netloc:
            self.hosts.add(_norm_host(base.netloc))
        self.hosts.discard("")
        # When the content root was guessed (common folder of the files), a
        # site path may still include the folders between the real root and
        # the guess: "/articles/x" for content/articles/x.md.
        self.root_prefixes = [] if self.settings.content_root else self._root_prefixes()
        self.keys: dict[str, int] = {}
        self.doc_keys: list[list[str]] = []
        self.conflicts: list[tuple[str, int, int]] = []
        for i, doc in enumerate(self.documents):
            keys = self._keys_for(i, doc)
            self.doc_keys.append(keys)
            for k in keys:
                other = self.keys.setdefault(k, i)
                if other != i and keys[0] == k:
                    self.conflicts.append((k, other, i))
        self._anchor_cache: dict[int, set[str]] = {}
        self._url_cache: dict[str, Resolution] = {}
        self._files: set[str] | None = None
        self._names: dict[str, list[int]] | None = None
        self._tokens: dict[str, set[int]] | None = None

    # -- setup -------------------------------------------------------------
    def _common_root(self) -> str:
        if not self.abs_paths:
            return os.getcwd()
        return os.path.commonpath([os.path.dirname(p) for p in self.abs_paths])

    def _root_prefixes(self) -> list[str]:
        out = []
        root = Path(self.root)
        stop = Path.cwd()
        for parent in list(root.parents)[:3]:
            rel = root.relative_to(parent).as_posix()
            out.append("/" + rel)
            if parent == stop:
                break
        return out

    def is_index(self, i: int) -> bool:
        flags = self.__dict__.get("_index_flags")
        if flags is None:  # asked several times per page while keys are built
            flags = self._index_flags = [Path(rel).stem.lower() in self.index_stems for rel in self.rel_paths]
        return flags[i]

    def url_of(self, i: int) -> str:
        """The page's primary site path, in published form (trailing slash)."""
        key = self.doc_keys[i][0]
        return key if key == "/" else key + "/"

    def _keys_for(self, i: int, doc: Document) -> list[str]:
        rel = self.rel_paths[i]
        keys = [norm_key(rel, self.index_stems)]
        fm = doc.front_matter or {}
        meta = doc.metadata
        permalink = meta.permalink or ""
        if permalink and not permalink.startswith(("http://", "https://")):
            keys.append(norm_key(permalink if permalink.startswith("/") else "/" + permalink, self.index_stems))
        elif permalink:
            keys.append(norm_key(urlsplit(permalink).path, self.index_stems))
        folder = posixpath.dirname(keys[0]) if not self.is_index(i) else posixpath.dirname(keys[0].rstrip("/") or "/")
        if meta.slug and not self.is_index(i):
            keys.append(norm_key(posixpath.join(folder, meta.slug), self.index_stems))
        for name in ("aliases", "redirect_from"):
            value = fm.get(name)
            for alias in [value] if isinstance(value, str) else (value or []):
                if isinstance(alias, str) and alias.strip():
                    path = urlsplit(alias.strip()).path if "://" in alias else alias.strip()
                    keys.append(norm_key(path if path.startswith("/") else posixpath.join(folder, path), self.index_stems))
        pattern = self.settings.permalink
        in_posts = "_posts" in rel.split("/")
        if not pattern and in_posts:
            pattern = "date"
        if pattern and not self.is_index(i):
            keys.extend(self._pattern_keys(pattern, rel, doc))
        if in_posts:  # the path without the _posts folder and date prefix
            m = _DATE_PREFIX_RE.match(Path(rel).stem)
            if m:
                keys.append(norm_key(posixpath.join(posixpath.dirname(rel).replace("_posts", ""), m.group(4)), self.index_stems))
        return list(dict.fromkeys(keys))

    def _pattern_keys(self, pattern: str, rel: str, doc: Document) -> list[str]:
        pattern = JEKYLL_STYLES.get(pattern, pattern)
        fm = doc.front_matter or {}
        stem = Path(rel).stem
        m = _DATE_PREFIX_RE.match(stem)
        date = None
        if m:
            date = (m.group(1), m.group(2), m.group(3))
            stem = m.group(4)
        published = fm.get("date") or doc.metadata.published
        if published:
            dm = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(published))
            if dm:
                date = (dm.group(1), dm.group(2).zfill(2), dm.group(3).zfill(2))
        folder_parts = [p for p in posixpath.dirname(rel).split("/") if p and p != "_posts"]
        cats = fm.get("categories", fm.get("category"))
        if isinstance(cats, str):
            cats = cats.split()
        cats = [str(c) for c in (cats or [])] or folder_parts
        slug = str(doc.metadata.slug or stem)
        title_slug = slugify(doc.metadata.title) if doc.metadata.title else slug
        values: dict[str, list[str]] = {
            "title": list(dict.fromkeys([slug, title_slug])),
            "slug": list(dict.fromkeys([slug, title_slug])),
            "name": [stem], "basename": [stem], "filename": [stem], "contentbasename": [stem],
            "path": [posixpath.join(*folder_parts, stem) if folder_parts else stem],
            "categories": list(dict.fromkeys(["/".join(cats), "/".join(c.lower() for c in cats)])),
            "section": [folder_parts[0] if folder_parts else ""],
            "sections": ["/".join(folder_parts)],
            "output_ext": [".html"],
        }
        if date:
            y, mo, d = date
            import datetime as _dt

            try:
                day = _dt.date(int(y), int(mo), int(d))
            except ValueError:
                day = None
            values.update(year=[y], month=[mo], day=[d], i_month=[str(int(mo))], i_day=[str(int(d))],
                          short_year=[y[2:]])
            if day:
                values.update(y_day=[f"{day.timetuple().tm_yday:03d}"], week=[f"{day.isocalendar()[1]:02d}"],
                              short_day=[day.strftime("%a")])
        results = [pattern]
        for name in set(_PLACEHOLDER_RE.findall(pattern)):
            options = values.get(name)
            if not options:
                return []  # e.g. a date pattern for an undated page
            results = [r.replace(":" + name, v) for r in results for v in options]
        return [norm_key(r, self.index_stems) for r in results]

    # -- lookups -----------------------------------------------------------
    def anchors_of(self, i: int) -> set[str]:
        cached = self._anchor_cache.get(i)
        if cached is None:
            doc = self.documents[i]
            cached = set(doc.anchors)
            seen: dict[str, int] = {}
            for block in doc.headings():
                m = _HEADING_ATTR_RE.search(block.text)
                if m:  # "## Heading {#custom-id}" (kramdown, Hugo, MkDocs attr_list)
                    cached.add(m.group(1))
                    cached.add(slugify(block.text[: m.start()], seen))
            self._anchor_cache[i] = cached
        return cached

    @property
    def files(self) -> set[str]:
        """Every file under the content root and the static folders, as
        site paths (not normalised)."""
        if self._files is None:
            files: set[str] = set()
            root = Path(self.root)
            # The content tree is served at its own paths; static folders
            # beside it (Hugo's static/) are served at the site root.
            roots = [root] + [root.parent / n for n in self.settings.static_dirs
                              if (root.parent / n).is_dir() and root.parent / n != root]
            for r in roots:
                for dirpath, dirnames, filenames in os.walk(r):
                    dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
                    rel_dir = Path(os.path.relpath(dirpath, r)).as_posix()
                    prefix = "/" if rel_dir == "." else "/" + rel_dir + "/"
                    for fn in filenames:
                        files.add(prefix + fn)
            self._files = files
        return self._files

    def lookup(self, site_path: str) -> int | None:
        key = norm_key(site_path, self.index_stems)
        hit = self.keys.get(key)
        if hit is None and self.base_path != "/" and (key == self.base_path or key.startswith(self.base_path + "/")):
            hit = self.keys.get(key[len(self.base_path):] or "/")
        if hit is None:
            for prefix in self.root_prefixes:
                if key == prefix or key.startswith(prefix + "/"):
                    hit = self.keys.get(key[len(prefix):] or "/")
                    if hit is not None:
                        break
        return hit

    def file_exists(self, site_path: str) -> bool:
        path = "/" + "/".join(p for p in unquote(posixpath.normpath("/" + site_path)).split("/") if p)
        candidates = [path]
        if self.base_path != "/" and path.startswith(self.base_path + "/"):
            candidates.append(path[len(self.base_path):])
        candidates += [path[len(p):] for p in self.root_prefixes if path.startswith(p + "/")]
        files = self.files
        for c in candidates:
            if c in files:
                return True
            # A folder with an index.html (or any configured index file).
            if any(c.rstrip("/") + "/" + n in files for n in self.settings.index_files or ("index.html",)):
                return True
        return False

    # -- resolution --------------------------------------------------------
    def resolve(self, i: int, url: str) -> Resolution:
        """How the link ``url`` on document ``i`` resolves. Site-root and
        absolute URLs do not depend on the page: they are resolved once."""
        url = url.strip()
        if url.startswith(("/", "http:", "https:")):
            cached = self._url_cache.get(url)
            if cached is None:
                cached = self._url_cache[url] = self._resolve(i, url)
            return cached
        return self._resolve(i, url)

    def _resolve(self, i: int, url: str) -> Resolution:
        if not url:
            return Resolution(SKIPPED, reason="empty")
        path, _, fragment = url.partition("#")
        path = path.split("?", 1)[0]
        # The fragment stays as written: _finish tries it raw, then decoded.
        scheme_m = _SCHEME_RE.match(path)
        if scheme_m and not re.match(r"^[A-Za-z]:[\\/]", path):  # not a Windows drive
            scheme = scheme_m.group(1).lower()
            if scheme not in ("http", "https"):
                return Resolution(SKIPPED, reason=f"{scheme}: link")
        if path.startswith("//") or (scheme_m and not re.match(r"^[A-Za-z]:[\\/]", path)):
            m = _ABS_RE.match(path)
            if not m or _norm_host(m.group(1)) not in self.hosts:
                return Resolution(EXTERNAL)
            return self._finish(i, [m.group(2) or "/"], fragment, m.group(2) or "/")
        if not path:  # "#frag" or "?query": this page
            return self._finish(i, None, fragment, self.url_of(i), target=i)
        if path.startswith("/"):
            return self._finish(i, [path], fragment, path)
        # Relative: to the source file, then to the page's published URL.
        decoded = unquote(path)
        file_rel = posixpath.normpath(posixpath.join(posixpath.dirname(self.rel_paths[i]), decoded))
        if file_rel.startswith("../") or file_rel == "..":
            # Outside the content tree: fine if the file exists on disk.
            target = os.path.normpath(os.path.join(os.path.dirname(self.abs_paths[i]), decoded))
            if os.path.exists(target):
                return Resolution(OUTSIDE, site_path=file_rel)
        candidates = ["/" + file_rel]
        for key in self.doc_keys[i]:
            base = key if key.endswith("/") else key + "/"
            candidates.append(posixpath.normpath(posixpath.join(base, decoded)))
        return self._finish(i, candidates, fragment, "/" + file_rel if not file_rel.startswith("..") else file_rel)

    def _finish(self, i: int, candidates: list[str] | None, fragment: str, shown: str,
                target: int | None = None) -> Resolution:
        """``fragment`` as written in the link (percent-escapes kept)."""
        raw_fragment, fragment = fragment, unquote(fragment)
        if target is None:
            for c in candidates or []:
                target = self.lookup(c)
                if target is not None:
                    break
        if target is None:
            for c in candidates or []:
                if self.file_exists(c):
                    return Resolution(ASSET, site_path=c)
            hit = self.suggest(shown)
            return Resolution(BROKEN, site_path=shown, fragment=fragment, suggestion_target=hit,
                              suggestion=self.rel_paths[hit] if hit is not None else "")
        if fragment and fragment not in SPECIAL_FRAGMENTS and not fragment.startswith(":~:") \
                and self.documents[target].format in ("markdown", "html"):
            anchors = self.anchors_of(target)
            # HTML spec ("find a potential indicated element"): an id equal to
            # the raw fragment first (<div id="tangent%3A-x">), then the decoded one.
            if raw_fragment in anchors:
                return Resolution(OK, target=target, fragment=raw_fragment, site_path=shown)
            if fragment not in anchors:
                return Resolution(MISSING_ANCHOR, target=target, fragment=fragment, site_path=shown,
                                  anchors=nearest_anchors(fragment, anchors))
        return Resolution(OK, target=target, fragment=fragment, site_path=shown)

    # -- suggestions -------------------------------------------------------
    def _index_names(self) -> None:
        self._names = {}
        self._tokens = {}
        self._folders: dict[str, dict[str, int]] = {}
        self._folder_names: dict[str, list[str]] = {}  # the same names as a list (rapidfuzz's input)
        self._suggested: dict[str, int | None] = {}
        for k, i in self.keys.items():
            folder, _, name = k.rpartition("/")
            self._folders.setdefault(folder, {}).setdefault(name.lower(), i)
        self._lower_keys = {}
        for k, i in self.keys.items():
            self._lower_keys.setdefault(k.lower(), i)
        for i, keys in enumerate(self.doc_keys):
            for key in keys:
                name = key.rsplit("/", 1)[-1].lower()
                self._names.setdefault(name, []).append(i)
                for tok in re.split(r"[-_.\s]+", name):
                    if len(tok) > 2:
                        self._tokens.setdefault(tok, set()).add(i)

    def suggest(self, site_path: str) -> int | None:
        """The existing page a broken link most likely meant (a renamed,
        moved or misspelt file); None when nothing is close enough to be
        obvious."""
        if not self.documents:
            return None
        key = norm_key(site_path, self.index_stems)
        if self._names is None:
            self._index_names()
        # The same broken target is often linked from many pages.
        if key not in self._suggested:
            self._suggested[key] = self._suggest(key)
        return self._suggested[key]

    def _suggest(self, key: str) -> int | None:
        assert self._names is not None and self._tokens is not None
        same_case = self._lower_keys.get(key.lower())  # same path in another letter case
        if same_case is not None:
            return same_case
        name = key.rsplit("/", 1)[-1].lower()
        if not name:
            return None
        folder = key.rsplit("/", 1)[0]
        # Pages in the same folder first: a renamed article usually stays put.
        siblings = self._folders.get(folder, {})
        sibling_names = self._folder_names.get(folder)
        if sibling_names is None:
            sibling_names = self._folder_names[folder] = list(siblings)
        best = closest(name, sibling_names, cutoff=0.6)
        if best is not None:
            return siblings[best]
        # Anywhere: the same file name in another folder (a moved article), or
        # a close name among pages sharing a word with it.
        if name in self._names:
            return self._names[name][0]
        pool: dict[int, int] = {}
        for tok in re.split(r"[-_.\s]+", name):
            for i in self._tokens.get(tok, ()):
                pool[i] = pool.get(i, 0) + 1
        if not pool:
            return None
        ranked = sorted(pool, key=lambda i: (-pool[i], i))[:500]
        names: dict[str, int] = {}
        for i in ranked:
            for k in self.doc_keys[i]:
                names.setdefault(k.rsplit("/", 1)[-1].lower(), i)
        best = closest(name, names, cutoff=0.75)
        return names[best] if best is not None else None


def close_matches(word: str, choices: Iterable[str], n: int, cutoff: float) -> list[str]:
    """The ``n`` choices most similar to ``word`` with a similarity of at
    least ``cutoff`` (0–1), best first, ties in the order given. The
    similarity is rapidfuzz's normalised Indel ratio, 2·LCS/(len a + len b),
    the measure difflib's ``get_close_matches`` approximates; rapidfuzz
    computes it in C with bit-parallel LCS, so a broken link on a site of
    10,000 pages costs microseconds, not the quadratic difflib scan (1.6 s
    of a 200-article run, issue 13)."""
    from rapidfuzz import fuzz, process

    found = process.extract(word, choices if isinstance(choices, list) else list(choices),
                            scorer=fuzz.ratio, score_cutoff=cutoff * 100, limit=None)
    if not found:
        return []
    # (choice, score, index). Equal scores: the longer common beginning
    # first (typos and renames usually change the end: "back-pain-34x"
    # meant "back-pain-348", not "back-pain-134"), then the input order.
    # Only the hits that can make the first n are ranked that way: on a
    # site of 10,000 pages a broken link has dozens of passable matches.
    found.sort(key=_by_score)
    floor = found[min(n, len(found)) - 1][1]
    best = [hit for hit in found if hit[1] >= floor]
    best.sort(key=lambda hit: (-hit[1], -_common_start(word, hit[0]), hit[2]))
    return [hit[0] for hit in best[:n]]


def _by_score(hit: tuple) -> float:
    return -hit[1]


def _common_start(a: str, b: str) -> int:
    """Length of the longest common beginning of ``a`` and ``b``."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def closest(word: str, choices: Iterable[str], cutoff: float) -> str | None:
    best = close_matches(word, choices, 1, cutoff)
    return best[0] if best else None


def nearest_anchors(fragment: str, anchors: Iterable[str], n: int = 3) -> list[str]:
    """The anchors most like ``fragment``: a letter-case variant first, then
    close spellings; if nothing is close, the first few anchors."""
    anchors = sorted(anchors)
    if not anchors:
        return []
    low = fragment.lower()
    same_case = [a for a in anchors if a.lower() == low]
    close = close_matches(low, anchors, n, cutoff=0.5)
    out = list(dict.fromkeys(same_case + close))[:n]
    if not out:
        contains = [a for a in anchors if low in a or a in low]
        out = contains[:n]
    return out
