"""Crawl a published site breadth-first and check every link found once.

Public API::

    crawl(start_url: str, config: WebConfig, cache: Cache | None = None,
          resume: bool = False, on_page: Callable | None = None) -> CrawlResult

* Seeds: the start URL, plus every in-scope URL of the sitemaps (``Sitemap:``
  lines of robots.txt, else ``/sitemap.xml``; sitemap indexes and ``.xml.gz``
  are followed). Sitemap pages are roots (depth 0) so links on pages nobody
  links to are checked too.
* Scope: same host as the start URL (``www.`` or not) and, when given, an
  ``include`` regex (includes narrow the host scope, never widen it); never
  ``exclude`` regexes. The start page and sitemap seeds always have their
  links extracted, even when no include matches them. Out-of-scope links are checked (HEAD)
  but never crawled. ``robots.txt`` is respected for the crawled host
  (``user_agent``; its ``Crawl-delay`` slows the host down); disallowed URLs
  are reported ``skipped``.
* ``max_pages`` / ``max_depth`` bound the crawl; links beyond them are still
  checked, not crawled (``CrawlResult.limits`` says which bound stopped it).
  ``max_depth`` 0 crawls the start page only: sitemap pages are checked
  like its links.
* Sitemaps are bounded: ``sitemap_max_bytes`` of XML after decompression
  for all sitemaps together, ``sitemap_max_files`` files,
  ``sitemap_max_depth`` levels of indexes, ``sitemap_max_urls`` URLs and no
  more URLs than ``max_pages``; parsing is streamed (a gzip bomb costs
  bounded memory and time) and a note says which bound stopped the reading.
* Redirects followed from page to page (each in-scope target is a page the
  crawl fetches) count as one chain: more than ``max_redirects`` hops, or a
  chain that comes back to a URL it passed, is ``broken`` as in one fetch.
* ``Crawl-delay`` is honoured up to ``max_crawl_delay`` seconds (default 10);
  the value the site asked for is in ``CrawlResult.crawl_delays`` and a note.
* ``on_page(url, body: bytes, content_type: str, result: LinkResult)`` is
  called in the main thread for every fetched HTML page (the ``--lint`` hook;
  ``content_type`` is the Content-Type header as sent, charset included);
  whatever JSON-serialisable value it returns is kept in
  ``CrawlResult.page_data`` and in the crawl state. If it raises, the crawl
  stops (state saved so far is kept; that page is fetched again on resume).
* With a cache, each fetched page (depth, result, extracted links, anchors,
  ``page_data``) is saved as soon as it is processed, so an interrupted crawl
  (Ctrl-C, exception, ``max_pages``) continues with ``resume=True`` without
  fetching those pages again; link results come from the results cache.
* Orphans: sitemap URLs that no crawled page links to (directly or through a
  redirect), other than the start URL. Only reported when every in-scope page
  found was fetched: when ``max_pages`` or ``max_depth`` left pages
  unfetched (their links are unknown), no orphans are reported and
  ``CrawlResult.notes`` says why. Pages robots.txt disallows do not stop
  orphan reporting (a note says they were not read).
* ``page_facts=True``: each HTML page's title, meta description, canonical
  URL, first ``<h1>``, word count and reading grade are read while its links
  are (``PageInfo.facts``, see :func:`page_facts`; saved in the crawl state)
  for ``crawl --export`` (:mod:`.pages`).
* Threads: on Linux the crawl's threads, and the calling thread while
  ``crawl`` runs (its CPU affinity is given back at the end), share the CPU
  the calling thread was on (see ``_current_cpu``); ``SHARE_ONE_CPU = False``
  turns that off.
* Ctrl-C (``KeyboardInterrupt``): the client stops (no new request, waits
  end, requests in flight are cut), queued fetches are cancelled, finished
  pages and results are saved to the cache, then the exception propagates;
  ``resume=True`` goes on.
"""
from __future__ import annotations

import html
import os
import re
import threading

import queue as queue_mod
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from .cache import Cache
from .checker import LinkResult, apply_fragment, charset_of, cache_key, cached_result, resolve_pending, result_from_outcome, skipped_result, store, worker_count
from .client import HttpClient
from .config import WebConfig
from .progress import Progress
from .remap import compile_remaps, remap_url
from .urls import AddressPolicy, Scope, has_credentials, host_of, join_url, origin_host, normalize_url, skip_reason, split_fragment

# Elements whose URL attribute is a link, and whether following it leads to a
# page worth crawling.
LINK_ATTRS = {
    "a": ("href", True),
    "area": ("href", True),
    "iframe": ("src", True),
    "frame": ("src", True),
    "img": ("src", False),
    "script": ("src", False),
    "link": ("href", False),
    "source": ("src", False),
    "video": ("src", False),
    "audio": ("src", False),
    "embed": ("src", False),
}
NON_RESOURCE_RELS = {"preconnect", "dns-prefetch", "alternate", "search"}
# Fetch tasks started per origin beyond its request window: ready to send
# as soon as a slot frees, without the crawl's thread in between.
DISPATCH_SLACK = 2
# The crawl's threads share one CPU (see _current_cpu).
SHARE_ONE_CPU = True


@dataclass(slots=True)  # a crawl makes one per link of every page: no __dict__ each
class Occurrence:
    """One place a link appears: a crawled page (``source`` is its URL, line
    from the HTML) or a local file (``source`` is its path)."""

    source: str
    url: str  # absolute, with fragment
    text: str = ""
    line: int = 1
    column: int = 1
    end_line: int = 0
    end_column: int = 0
    tag: str = "a"
    # Offsets of the URL in the source text (local files; for --fix).
    url_start: int = -1
    url_end: int = -1


@dataclass
class PageInfo:
    url: str
    depth: int
    status: int
    classification: str
    final_url: str
    links: int
    content_type: str = ""
    # crawl(page_facts=True): FACT_FIELDS of an HTML page (a tuple: one per
    # page, kept small), empty otherwise.
    facts: tuple = ()


@dataclass
class CrawlResult:
    start_url: str
    pages: dict[str, PageInfo] = field(default_factory=dict)  # key -> page
    edges: set[tuple[str, str]] = field(default_factory=set)  # (page key, target key)
    results: dict[str, LinkResult] = field(default_factory=dict)  # normalised URL -> result
    occurrences: list[Occurrence] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    sitemap_urls: list[str] = field(default_factory=list)
    page_data: dict[str, Any] = field(default_factory=dict)
    resumed: bool = False
    complete: bool = True  # False when max_pages or max_depth left pages uncrawled
    requests: int = 0  # HTTP requests made by this run
    elapsed: float = 0.0
    notes: list[str] = field(default_factory=list)
    crawl_delays: dict[str, float] = field(default_factory=dict)  # origin -> Crawl-delay the site asked for
    # origin -> where its adaptive request window settled (HostState.summary)
    host_rates: dict[str, dict] = field(default_factory=dict)
    # Why the crawl is incomplete: "max-pages", "max-depth" (empty when complete).
    limits: list[str] = field(default_factory=list)

    def result_for(self, url: str, config: WebConfig | None = None) -> LinkResult | None:
        """Result of a link as written (fragment checked if configured)."""
        r = self.results.get(url) or self.results.get(normalize_url(url))
        if r is None:
            return None
        return apply_fragment(r, url, config or WebConfig())


# --- parsing ----------------------------------------------------------------

_PARSERS = threading.local()


def _thread_parser(encoding: str | None = None):
    """One lxml HTML parser per thread (and encoding): lxml's module-level
    default parser takes a lock, so crawl threads sharing it parse one page
    at a time."""
    parsers = getattr(_PARSERS, "html", None)
    if parsers is None:
        parsers = _PARSERS.html = {}
    parser = parsers.get(encoding)
    if parser is None:
        import lxml.html

        parser = parsers[encoding] = lxml.html.HTMLParser(encoding=encoding)
    return parser


# Blocks whose text is prose for the page row's word count and reading
# grade; the page's chrome (menus, header, footer, asides) is left out.
_PROSE_BLOCKS = frozenset({"p", "li", "dd", "dt", "td", "th", "blockquote", "figcaption", "h1", "h2", "h3", "h4",
                           "h5", "h6", "pre"})
_CHROME = frozenset({"nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form",
                     "button", "select", "svg"})
FACT_FIELDS = ("title", "meta_description", "canonical", "h1", "word_count", "reading_grade")
_FACT_TEXT_MAX = 300  # characters of a title/description/heading kept per page


def _short(text: str | None) -> str:
    return " ".join((text or "").split())[:_FACT_TEXT_MAX]


def page_facts(root, base: str) -> list:
    """[title, meta description, canonical URL, first heading, word count,
    reading grade (Flesch-Kincaid, 1 decimal; None without a sentence)] of
    a parsed page, for ``crawl --export``. The text measured is the prose
    blocks of ``<main>`` (or ``<article>``, else ``<body>``), without
    navigation, header, footer and asides, as the ``readability/grade``
    rule reads an article's prose."""
    from ..readability import ZERO, score_text

    title = next((_short("".join(t.itertext())) for t in root.iter("title")), "")
    description = canonical = ""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").strip().lower() == "description":
            description = _short(meta.get("content"))
            break
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = join_url(base, link.get("href").strip())
            break
    heading = next((_short("".join(h.itertext())) for h in root.iter("h1")), "")
    main = None
    for tag in ("main", "article", "body"):
        main = next(iter(root.iter(tag)), None)
        if main is not None:
            break
    scores = words = ZERO
    if main is not None:
        blocks: list[tuple[bool, str]] = []
        _prose_blocks(main, blocks)
        for is_heading, text in blocks:
            sc = score_text(text)
            words = words + sc
            if not is_heading:
                scores = scores + sc
    grade = round(scores.flesch_kincaid_grade, 1) if scores.words and scores.sentences else None
    return [title, description, canonical, heading, words.words, grade]


def _prose_blocks(el, out: list[tuple[bool, str]]) -> None:
    """Text of each prose block under ``el`` (a block inside another one
    is its own block, not counted twice). Headings count for the word
    count, not for the reading grade (they are not sentences)."""
    parts: list[str] = []

    def walk(node, into: list[str]) -> None:
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _CHROME:
                if child.tail:
                    into.append(child.tail)
                continue
            if tag in _PROSE_BLOCKS:
                inner: list[str] = [child.text or ""]
                walk(child, inner)
                text = " ".join("".join(inner).split())
                if text:
                    out.append((tag[:1] == "h" and tag[1:].isdigit(), text))
            else:
                into.append(child.text or "")
                walk(child, into)
            if child.tail:
                into.append(child.tail)

    walk(el, parts)
    # Text outside any prose block (<div>Some text</div>) is prose too.
    loose = " ".join("".join(parts).split())
    if loose:
        out.append((False, loose))


def extract_links(body: bytes, page_url: str, charset: str | None = None,
                  facts: list | None = None) -> tuple[list[list], list[str], str]:
    """(links, anchors, base) of an HTML page (``charset``: from the
    Content-Type header). Each link is ``[absolute_url, anchor_text, tag, line]``.
    With ``facts`` (a list), :func:`page_facts` of the page are put in it."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(body, parser=_thread_parser(charset))
    except Exception:  # noqa: BLE001 - empty or unparsable page
        return [], [], page_url
    base = page_url
    for b in root.iter("base"):
        href = b.get("href")
        if href:
            base = join_url(page_url, href.strip())
            break
    links: list[list] = []
    for el in root.iter(*LINK_ATTRS):
        attr, _nav = LINK_ATTRS[el.tag]
        raw = el.get(attr)
        if raw is None:
            continue
        raw = raw.strip()
        if not raw or raw.startswith("#") and el.tag not in ("a", "area"):
            continue
        if el.tag == "link" and set((el.get("rel") or "").lower().split()) & NON_RESOURCE_RELS:
            continue
        if raw.startswith("#") and not raw[1:]:
            continue  # href="#": a script hook, not a link
        # WHATWG resolution, as the browser does ("http:\\\\host/" is another host).
        url = join_url(base, raw)  # leaves mailto:, tel:, ... unchanged
        if el.tag in ("a", "area"):
            # itertext, not text_content(): text_content() evaluates one
            # module-level XPath object whose lock all crawl threads contend for.
            text = " ".join("".join(el.itertext()).split())
            if not text:
                img = next(iter(el.iter("img")), None)
                text = (img.get("alt") or "") if img is not None else (el.get("title") or el.get("aria-label") or "")
        else:
            text = el.get("alt") or el.get("title") or ""
        links.append([url, text[:200], el.tag, el.sourceline or 1])
    # Element iteration, not xpath(): no shared XPath evaluator to contend for.
    ids = {el.get("id") for el in root.iter() if el.get("id") is not None}
    ids |= {el.get("name") for el in root.iter("a") if el.get("name") is not None}
    if facts is not None:
        facts[:] = page_facts(root, base)
    return links, sorted(str(i) for i in ids), base


@dataclass
class SitemapContent:
    pages: list[str] = field(default_factory=list)  # page URLs (<urlset>)
    children: list[str] = field(default_factory=list)  # child sitemaps (<sitemapindex>)
    oversized: bool = False  # more than max_bytes after decompression: the rest was not read
    too_many_urls: bool = False  # more than max_urls page URLs: the rest were not read
    too_many_children: bool = False  # more than max_children child sitemaps: the rest were dropped
    size: int = 0  # bytes of XML read (after decompression)


# The tokens of a sitemap that matter: an entry's start (<url>, <sitemap>,
# any namespace prefix) and a <loc> with its text. Scanning for them, rather
# than building an XML tree, costs constant memory and no entity is ever
# expanded, whatever the document holds.
_NAME_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_SITEMAP_TOKEN = re.compile(
    rb"<(" + _NAME_PREFIX + rb")(sitemap|url)\b[^<>]*>"
    rb"|<(" + _NAME_PREFIX + rb")loc\b[^<>]*>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</" + _NAME_PREFIX + rb"loc\s*>",
    re.S)
_MAX_CARRY = 65_536  # bytes kept between pieces for a token cut in two (a <loc> is a URL: short)


def parse_sitemap(body: bytes, max_bytes: int, max_urls: int | None = None,
                  max_children: int | None = None) -> SitemapContent:
    """Page URLs and child sitemap URLs of a sitemap or sitemap index
    (gzip-compressed or not). Streamed: at most ``max_bytes`` of XML (after
    decompression) are read, in pieces; reading stops at ``max_urls`` page
    URLs and child sitemaps past ``max_children`` are dropped, so a sitemap
    bomb costs bounded memory and time."""
    out = SitemapContent()
    if body[:2] == b"\x1f\x8b":
        pieces = _gunzip_pieces(body, max_bytes + 1)
    else:
        pieces = (body[i:i + 262_144] for i in range(0, min(len(body), max_bytes + 1), 262_144))
    carry = b""
    in_index_entry = False  # the latest entry started is a <sitemap> (its <loc> is a child sitemap)
    # The namespace prefix of the entries: a <loc> with another prefix
    # belongs to an extension (<image:loc> in an image sitemap), not to us.
    prefix = b""
    try:
        for piece in pieces:
            if out.size + len(piece) > max_bytes:
                piece = piece[:max_bytes - out.size]
                out.oversized = True
            out.size += len(piece)
            buf = carry + piece
            done = 0
            for m in _SITEMAP_TOKEN.finditer(buf):
                done = m.end()
                if m.group(2) is not None:
                    prefix, in_index_entry = m.group(1), m.group(2) == b"sitemap"
                    continue
                if m.group(3) != prefix:
                    continue
                text = html.unescape(m.group(4).decode("utf-8", "replace")).strip()
                if not text:
                    continue
                if in_index_entry:
                    if max_children is not None and len(out.children) >= max_children:
                        out.too_many_children = True
                    else:
                        out.children.append(text)
                else:
                    out.pages.append(text)
                    if max_urls is not None and len(out.pages) >= max_urls:
                        out.too_many_urls = True
                        return out
            # Keep the unmatched end: it may hold a token cut by the piece's
            # end (it holds no whole token, or it would have matched).
            carry = buf[max(done, len(buf) - _MAX_CARRY):]
            if out.oversized:
                break
    except (zlib.error, EOFError):
        pass  # a damaged gzip stream: what was read before still counts
    return out


def _gunzip_pieces(data: bytes, limit: int):
    """Decompressed gzip data in pieces of at most 256 KB, ``limit`` bytes in all."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    produced = 0
    pending = data
    while produced < limit:
        piece = d.decompress(pending, min(262_144, limit - produced))
        pending = d.unconsumed_tail
        if not piece:
            return
        produced += len(piece)
        yield piece


# --- robots.txt ---------------------------------------------------------------

class RobotsRules:
    """The robots.txt of one origin, read as RFC 9309 says (and Google
    does): ``*`` and ``$`` wildcards, the most specific (longest) matching
    rule wins, and Allow wins a tie. The standard library's parser ignores
    wildcards and applies the first matching line, so ``Disallow: /*?print=``
    or ``Allow: /guides/$`` were misread; Protego (Scrapy's parser) is used.
    ``allow`` without ``text``: everything allowed (no robots.txt) or, when
    False, nothing (robots.txt answered 5xx)."""

    def __init__(self, text: str | None = None, allow: bool = True):
        self._allow = allow
        self._rules = None
        if text is not None:
            from protego import Protego

            self._rules = Protego.parse(text)

    def can_fetch(self, user_agent: str, url: str) -> bool:
        if self._rules is None:
            return self._allow
        return self._rules.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        return self._rules.crawl_delay(user_agent) if self._rules is not None else None

    def site_maps(self) -> list[str]:
        return list(self._rules.sitemaps) if self._rules is not None else []


def _current_cpu() -> set[int] | None:
    """``{the CPU this thread runs on}`` (Linux), None where threads cannot
    be given one (other systems, or no such information).

    The crawl's threads run there together: a crawl of a fast server is
    bound by the GIL, and threads on two CPUs hand it over across them --
    each handover wakes the other CPU (on a VM, a halted virtual CPU the
    host must schedule again). On one CPU the same crawl of a loopback site
    took about a fifth less time (measured on a 2-CPU VM, docs/links.md);
    its I/O waits are no longer (the sockets do not care), and a slow site
    keeps that CPU idle anyway."""
    if not SHARE_ONE_CPU or not hasattr(os, "sched_setaffinity"):
        return None
    try:
        with open("/proc/thread-self/stat", "rb") as f:
            # Field 39 (processor), counting from the state after the name.
            cpu = int(f.read().rsplit(b")", 1)[1].split()[36])
        allowed = os.sched_getaffinity(0)
    except (OSError, ValueError, IndexError):
        return None
    return {cpu} if cpu in allowed and len(allowed) > 1 else None


def _pin_thread(cpus: set[int] | None) -> set[int] | None:
    """Run this thread on ``cpus`` (Linux; 0 below is this thread); the
    CPUs it was allowed before, None when it was not moved (no ``cpus``,
    or the CPU left the allowed set meanwhile: it runs anywhere)."""
    if not cpus:
        return None
    try:
        before = os.sched_getaffinity(0)
        os.sched_setaffinity(0, cpus)
    except OSError:
        return None
    return before


class _Workers:
    """The crawl's fetch threads. A task is a tuple on a queue and its
    outcome ``(task id, value, exception)`` a tuple on ``done``: a
    ``ThreadPoolExecutor`` builds a Future per task (a Condition, an RLock,
    a callback list), about a tenth of a loopback crawl's CPU. Threads start
    as tasks need them, up to ``size``."""

    def __init__(self, size: int, done: queue_mod.SimpleQueue, cpus: set[int] | None = None):
        self.size = size
        self.done = done
        self.cpus = cpus  # the CPU the threads run on (None: wherever)
        self.tasks: queue_mod.SimpleQueue = queue_mod.SimpleQueue()
        self.threads: list[threading.Thread] = []
        self.cancelled = False

    def start(self, tid: int, fn, args: tuple, busy: int) -> None:
        """Run ``fn(*args)``; ``busy``: tasks started before it and not
        finished yet (a thread is started while there are no more threads)."""
        if self.cancelled:
            return
        self.tasks.put((tid, fn, args))
        if len(self.threads) <= busy and len(self.threads) < self.size:
            # Daemon: after Ctrl-C, a thread still in a (cut) request must
            # not hold the interpreter's exit.
            t = threading.Thread(target=self._run, name=f"health-lint-crawl-{len(self.threads)}", daemon=True)
            t.start()
            self.threads.append(t)

    def _run(self) -> None:
        _pin_thread(self.cpus)
        get, put = self.tasks.get, self.done.put
        while True:
            task = get()
            if task is None:
                return
            if self.cancelled:
                continue  # Ctrl-C: queued fetches are dropped
            tid, fn, args = task
            try:
                put((tid, fn(*args), None))
            except BaseException as exc:  # noqa: BLE001 - handed to the crawl's thread, which raises it
                put((tid, None, exc))

    def shutdown(self, wait: bool, cancel: bool = False) -> None:
        if cancel:
            self.cancelled = True
        for _ in self.threads:
            self.tasks.put(None)
        if wait:
            for t in self.threads:
                t.join()


# --- the crawl ----------------------------------------------------------------

class _Crawl:
    def __init__(self, start_url: str, config: WebConfig, cache: Cache | None, resume: bool, on_page, client: HttpClient | None,
                 want_facts: bool = False):
        self.config = config
        self.want_facts = want_facts
        self.remaps = compile_remaps(config.remap)
        self.cache = cache
        self.on_page = on_page
        self.start = normalize_url(start_url)
        self.scope = Scope(self.start, config.include, config.exclude)
        self.policy = AddressPolicy(allow_private=bool(config.allow_private), allow_link_local=config.allow_link_local,
                                    allow_addresses=config.allow_addresses)
        if config.allow_private is None:
            self.policy.allow_private = self.policy.host_is_private(host_of(self.start))
        self.client = client or HttpClient(config, self.policy)
        self.own_client = client is None
        self.res = CrawlResult(start_url=self.start)
        if cache is not None and has_credentials(self.start):
            # Every page URL would carry the password: nothing is stored.
            self.cache = cache = None
            self.res.notes.append("the start URL holds credentials: nothing was cached (no --resume)")
        self.robots: dict[str, RobotsRules | None] = {}
        self.crawl_id = None
        self.meta: dict[str, Any] = {}
        self.stored: dict[str, tuple[int, dict]] = {}
        if cache is not None:
            self.crawl_id, self.res.resumed = cache.crawl_begin(self.start, resume)
            if self.res.resumed:
                self.meta = cache.crawl_meta(self.crawl_id)
                # Pages whose saved result cannot be read are fetched again.
                self.stored = {k: (d, data) for k, d, data in cache.crawl_pages(self.crawl_id)
                               if _readable_page(data)
                               # --export on resume: an HTML page saved without its facts is read again.
                               and not (want_facts and data.get("content_type") and "facts" not in data)}
        self.roots: set[str] = {self.start}  # start + sitemap seeds
        self.progress = Progress.create(config, unit="url")
        self.requests_before = self.client.request_count

    # robots.txt / sitemaps -------------------------------------------------
    def _robots_for(self, url: str):
        if not self.config.respect_robots:
            return None
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin in self.robots:
            return self.robots[origin]
        saved = self.meta.setdefault("robots", {})
        if origin in saved:
            status, text = saved[origin]
        else:
            out = self.client.fetch(origin + "/robots.txt", want_body=True, body_limit=512_000)
            status, text = out.status, out.body.decode("utf-8", "replace") if out.status == 200 else ""
            if out.error_kind:
                status = -1
            saved[origin] = [status, text]
            self._save_meta()
        if status == 200:
            rp = RobotsRules(text)
        elif 500 <= status < 600:
            rp = RobotsRules(allow=False)  # RFC 9309: unreachable robots.txt = full disallow
            self.res.notes.append(f"{origin}/robots.txt answered {status}: crawl disallowed")
        else:
            rp = RobotsRules(allow=True)
        delay = rp.crawl_delay(self.config.user_agent) if status == 200 else None
        if delay:
            cap = self.config.max_crawl_delay
            used = min(float(delay), cap)
            if float(delay) > cap:
                self.res.notes.append(f"{origin}/robots.txt asks for Crawl-delay: {delay:g} s; "
                                      f"waited {used:g} s between requests (max-crawl-delay)")
            else:
                self.res.notes.append(f"{origin}/robots.txt Crawl-delay: {delay:g} s honoured")
            self.res.crawl_delays[origin] = float(delay)
            if used > 0:
                self.client.host_state(origin).set_min_interval(used)
        self.robots[origin] = rp
        return rp

    def allowed_cached(self, url: str) -> bool:
        """Like :meth:`allowed` but never fetches robots.txt (thread-safe)."""
        parts = urlsplit(url)
        rp = self.robots.get(f"{parts.scheme}://{parts.netloc}")
        return rp is None or rp.can_fetch(self.config.user_agent, url)

    def allowed(self, url: str) -> bool:
        rp = self._robots_for(url)
        return rp is None or rp.can_fetch(self.config.user_agent, url)

    def _save_meta(self) -> None:
        if self.cache is not None and self.crawl_id is not None:
            self.cache.crawl_set_meta(self.crawl_id, self.meta)

    def sitemap_seeds(self) -> list[str]:
        """Page URLs of the site's sitemaps (same site only). Bounded: bytes
        of XML after decompression (all sitemaps together), sitemap files,
        index nesting and URLs (``sitemap_max_*``), and no more URLs than
        ``max_pages`` (the crawl could not fetch more); a note says which
        bound stopped it."""
        cfg = self.config
        url_limit = min(cfg.sitemap_max_urls, cfg.max_pages)
        # A resumed crawl reuses the seeds unless they were cut at a smaller
        # page limit than this run's.
        if "sitemap" in self.meta and self.meta.get("sitemap_cut_at", url_limit) >= url_limit:
            return self.meta["sitemap"][:url_limit]
        urls: dict[str, None] = {}
        cut_at = None
        if cfg.use_sitemap:
            rp = self._robots_for(self.start) if cfg.respect_robots else None
            todo = [(u, 1) for u in (rp.site_maps() or [])] if rp is not None else []
            if not todo:
                parts = urlsplit(self.start)
                todo = [(f"{parts.scheme}://{parts.netloc}/sitemap.xml", 1)]
            seen: set[str] = set()
            bytes_read = 0  # XML read from all sitemaps, after decompression
            too_deep: list[str] = []
            # Page entries read in all: room for duplicates and other sites'
            # URLs, but not for a bomb of them.
            loc_budget = 2 * url_limit + 100
            locs_read = 0
            while todo:
                sm, depth = todo.pop(0)
                if sm in seen or sm not in self.scope and origin_host(sm) not in self.scope.hosts:
                    continue
                if len(seen) >= cfg.sitemap_max_files:
                    self.res.notes.append(f"sitemaps: read {cfg.sitemap_max_files} files (sitemap-max-files); "
                                          f"{len(todo) + 1} more not read")
                    break
                if depth > cfg.sitemap_max_depth:
                    if not too_deep:  # one note, however many there are
                        self.res.notes.append(f"sitemap {sm}: nested deeper than {cfg.sitemap_max_depth} levels "
                                              "(sitemap-max-depth); not read, nor any other that deep")
                    too_deep.append(sm)
                    continue
                budget = cfg.sitemap_max_bytes - bytes_read
                if budget <= 0:
                    self.res.notes.append(f"sitemaps: {cfg.sitemap_max_bytes} bytes read in all (sitemap-max-bytes); "
                                          f"{len(todo) + 1} more not read")
                    break
                seen.add(sm)
                out = self.client.fetch(sm, want_body=True, body_limit=budget)
                if out.status != 200 or not out.body:
                    if out.status not in (404, 410):
                        self.res.notes.append(f"sitemap {sm}: {out.status or out.error}")
                    continue
                content = parse_sitemap(out.body, budget, loc_budget - locs_read, cfg.sitemap_max_files)
                bytes_read += content.size
                locs_read += len(content.pages)
                if content.too_many_children:
                    self.res.notes.append(f"sitemap {sm} lists more than {cfg.sitemap_max_files} sitemaps "
                                          "(sitemap-max-files): the rest were not read")
                if content.oversized or out.truncated:
                    self.res.notes.append(f"sitemap {sm}: more than {budget} bytes left of sitemap-max-bytes "
                                          f"({cfg.sitemap_max_bytes}, all sitemaps together): only its beginning was read")
                for page in content.pages:
                    page = remap_url(page, self.remaps)
                    if self.scope.same_site(page):
                        urls.setdefault(page)
                todo.extend((child, depth + 1) for child in content.children)
                if content.too_many_urls and len(urls) < url_limit:
                    # Repeated or other sites' URLs: the crawl has no use for more.
                    self.res.notes.append(f"sitemaps: stopped reading after {locs_read} page entries that gave "
                                          f"{len(urls)} URLs of this site")
                    break
                if len(urls) >= url_limit:
                    why = "--max-pages" if url_limit == cfg.max_pages else "sitemap-max-urls"
                    self.res.notes.append(f"sitemaps: stopped reading at {url_limit} page URLs ({why} {url_limit})")
                    cut_at = url_limit
                    break
        # Seeds: same host (an include need not match: their links count).
        seeds = list(urls)[:url_limit]
        self.meta["sitemap"] = seeds
        if cut_at is not None:
            self.meta["sitemap_cut_at"] = cut_at
        else:
            self.meta.pop("sitemap_cut_at", None)
        self._save_meta()
        return seeds

    # pages --------------------------------------------------------------------
    def fetch_page(self, url: str, known=None) -> tuple[dict, bytes, LinkResult]:
        """(page data as saved in the crawl state, the body when it is an
        HTML page of the site, the page's result)."""
        out = self.client.fetch(url, want_body=True, stop_at=known)
        r = result_from_outcome(out, self.config, read_anchors=False)
        data: dict[str, Any] = {"url": url, "links": [], "anchors": None}
        final = out.final_url or url
        # The start page and sitemap seeds always count, whatever include says.
        in_scope = final in self.scope or (normalize_url(url) in self.roots and self.scope.same_site(final))
        if out.status == 200 and "html" in out.content_type and out.body and in_scope:
            facts: list | None = [] if self.want_facts else None
            links, anchors, _base = extract_links(out.body, final, charset_of(out.headers.get("content-type", "")), facts)
            if self.remaps:
                links = [[remap_url(link[0], self.remaps), *link[1:]] for link in links]
            data["links"] = links
            if facts:
                data["facts"] = facts
            r.anchors = anchors
        data["result"] = r.to_dict()
        ok_html = out.status == 200 and "html" in out.content_type and in_scope
        if ok_html:
            # The whole header, charset included: --lint decodes the page with it.
            data["content_type"] = out.headers.get("content-type", "")
        return data, (out.body if ok_html else b""), r

    def run(self) -> CrawlResult:
        cfg = self.config
        res = self.res
        started = time.monotonic()
        queue: deque[tuple[str, int]] = deque([(self.start, 0)])
        seeds = self.sitemap_seeds()
        res.sitemap_urls = [normalize_url(u) for u in seeds]
        self.roots.update(res.sitemap_urls)
        depth_cut: set[str] = set()  # in-scope pages beyond max_depth
        robots_skipped: set[str] = set()  # in-scope pages robots.txt kept us from
        max_pages_hit: list[bool] = []
        if cfg.max_depth > 0:
            queue.extend((u, 0) for u in seeds)
        scheduled: set[str] = set()  # page keys taken from the queue
        checking: set[str] = set()  # link keys submitted / resolved
        deferred: dict[str, str] = {}  # in-scope links that may become pages
        want_anchor: set[str] = set()
        redirect_hops: dict[str, int] = {}  # page reached through redirects -> hops so far
        pages_taken = 0
        workers = worker_count(cfg)
        # Finished tasks arrive here: (task id, value, exception).
        done_q: queue_mod.SimpleQueue = queue_mod.SimpleQueue()
        # The fetch threads and this one on one CPU (this one from the
        # ``try`` below, which gives its affinity back), for the crawl only.
        cpus = _current_cpu()
        pool = _Workers(workers, done_q, cpus)
        inflight: dict[int, tuple] = {}  # task id -> (kind, key, depth)

        stopping = []  # non-empty once Ctrl-C was pressed: submit nothing more

        # Tasks are started per origin as its request window has room (and
        # a few more, so that the next request is ready when a slot frees):
        # started all at once, a thread per task waits on the host's slots,
        # and a hundred threads taking turns at the GIL and at the host's
        # lock made a loopback crawl about a fifth slower.
        running: dict[tuple, int] = {}  # origin -> tasks started, not handled yet
        waiting: dict[tuple, deque] = {}  # origin -> tasks waiting for room there
        windows: dict[tuple, Any] = {}  # origin -> the client's HostState
        started_count = [0]
        task_ids = iter(range(1, 1 << 62))

        def origin_of(url: str) -> tuple:
            parts = urlsplit(url)
            return parts.scheme, parts.netloc

        def room(origin: tuple, url: str) -> int:
            window = windows.get(origin)
            if window is None:
                window = windows[origin] = self.client.host_state(url)
            return window.limit + DISPATCH_SLACK

        def start(origin: tuple, tid: int, fn, args: tuple) -> None:
            running[origin] = running.get(origin, 0) + 1
            pool.start(tid, fn, args, started_count[0])
            started_count[0] += 1

        def submit(tag: tuple, fn, *args) -> None:
            if stopping:
                return
            tid = next(task_ids)
            origin = origin_of(tag[1])
            inflight[tid] = (*tag, origin)
            if running.get(origin, 0) < room(origin, tag[1]) and not waiting.get(origin):
                start(origin, tid, fn, args)
            else:
                waiting.setdefault(origin, deque()).append((tid, fn, args, tag[1]))

        def task_done(origin: tuple) -> None:
            running[origin] -= 1
            started_count[0] -= 1
            queued_here = waiting.get(origin)
            while queued_here and not stopping and running[origin] < room(origin, queued_here[0][3]):
                tid, fn, args, _url = queued_here.popleft()
                start(origin, tid, fn, args)
        batch: list[tuple[str, LinkResult]] = []
        to_save: list[tuple[str, int, dict]] = []

        def submit_check(url: str, key: str) -> None:
            if key in checking or key in res.results:
                return
            checking.add(key)
            if self.cache is not None:
                data = self.cache.get(cache_key(key, cfg))
                r = cached_result(data) if data is not None else None
                if r is not None:
                    if not (key in want_anchor and r.anchors is None):
                        res.results[key] = r
                        # Counted apart: the bar's total, rate and ETA are
                        # the requests still to make (a cached answer was
                        # never added to the total).
                        self.progress.cached(1)
                        return
            if key in self.scope and not self.allowed(key):
                res.results[key] = skipped_result(key, "disallowed by robots.txt")
                return
            need_body = key in want_anchor
            submit(("link", key, 0), self.client.fetch, key, need_body)
            self.progress.add_total(1)

        # What a link as written is, worked out once per distinct URL (most
        # links of a site repeat on every page: its menu, its home page):
        # (why it is skipped, key, fragment to check, excluded, in scope).
        link_facts: dict[str, tuple] = {}
        queued: set[str] = set()  # page keys queued from a page's links

        def classify_link(url: str) -> tuple:
            reason = skip_reason(url)
            if reason:
                return reason, url, False, False, False
            excluded = self.scope.excluded(url)
            return (None, normalize_url(url), bool(cfg.check_fragments and split_fragment(url)[1]), excluded,
                    not excluded and url in self.scope)

        def process_page(key: str, depth: int, data: dict, fetched: bool, r: LinkResult | None = None) -> None:
            # ``r``: the result just fetched (else read back from ``data``).
            if r is None:
                r = LinkResult.from_dict(data["result"], from_cache=not fetched)
            r.from_cache = not fetched
            res.results[key] = r
            deferred.pop(key, None)
            final_key = normalize_url(r.final_url or key)
            if r.pending_target:
                # Redirects followed from page to page count as one chain:
                # an endless chain stops at max_redirects, as in one fetch.
                hops = redirect_hops.get(key, 0) + len(r.chain)
                if hops > cfg.max_redirects:
                    r = LinkResult(**{**r.__dict__, "pending_target": "", "classification": "broken",
                                      "error_kind": "too-many-redirects",
                                      "error": f"more than {cfg.max_redirects} redirects"})
                    res.results[key] = r
                else:
                    redirect_hops.setdefault(final_key, hops)
            if final_key != key:
                res.edges.add((key, final_key))
                if r.pending_target:
                    if final_key not in scheduled:
                        queue.append((final_key, depth))
                        deferred.setdefault(final_key, final_key)
                elif r.error_kind not in ("loop", "too-many-redirects"):  # a cut chain: its end was not fetched
                    scheduled.add(final_key)
                    res.results.setdefault(final_key, LinkResult(**{**r.__dict__, "url": final_key, "chain": [], "classification": "ok" if r.classification == "redirected" else r.classification}))
            res.pages[key] = PageInfo(url=data["url"], depth=depth, status=r.status, classification=r.classification,
                                      final_url=r.final_url, links=len(data["links"]), content_type=r.content_type,
                                      facts=tuple(data.get("facts") or ()))
            if "page_data" in data:
                res.page_data[key] = data["page_data"]
            # A fetched page was added to the bar's total when it was sent.
            self.progress.page(fetched)
            source = data["url"]
            for url, text, tag, line in data["links"]:
                res.occurrences.append(Occurrence(source, url, text, line, tag=tag))
                facts = link_facts.get(url)
                if facts is None:
                    facts = link_facts[url] = classify_link(url)
                reason, lkey, fragment, excluded, in_scope = facts
                if reason:
                    res.results.setdefault(url, skipped_result(url, reason))
                    continue
                res.edges.add((key, lkey))
                if fragment:
                    want_anchor.add(lkey)
                if excluded:
                    res.results.setdefault(lkey, skipped_result(lkey, "excluded by configuration"))
                    continue
                if not in_scope and not cfg.check_external:
                    continue
                nav = LINK_ATTRS.get(tag, ("", False))[1]
                if in_scope and nav and depth + 1 <= cfg.max_depth:
                    if lkey not in queued and lkey not in scheduled:
                        # The first time a page is queued is at its smallest
                        # depth (the queue is breadth-first): later ones
                        # would only be taken off and dropped.
                        queued.add(lkey)
                        deferred.setdefault(lkey, lkey)
                        queue.append((lkey, depth + 1))
                else:
                    if in_scope and nav:
                        depth_cut.add(lkey)
                    if lkey not in checking and lkey not in res.results:  # else known: no call
                        submit_check(url, lkey)

        def is_page(key: str) -> bool:
            # A redirect to a page this crawl fetches (or will): stop there.
            if key in scheduled or key in res.pages:
                return True
            # In scope: process_page queues it (and it is checked if the
            # crawl stops before fetching it).
            return key in self.scope and self.allowed_cached(key)

        rechecks: dict[str, int] = {}
        refused: dict[str, tuple[str, int]] = {}

        def resubmit(kind: str, key: str, depth: int, error_kind: str) -> bool:
            """A connection refused by a host that answered other requests
            is overload (a connection cap), not a dead link: ask again."""
            if error_kind != "refused" or rechecks.get(key, 0) >= 2:
                refused.pop(key, None)
                return False
            if not self.client.host_answered(key):
                refused[key] = (kind, depth)
                return False
            refused.pop(key, None)
            rechecks[key] = rechecks.get(key, 0) + 1
            if kind == "page":
                submit(("page", key, depth), self.fetch_page, key, is_page)
            else:
                submit(("link", key, 0), self.client.fetch, key, key in want_anchor)
            return True

        def finish_link(key: str, out) -> None:
            r = result_from_outcome(out, cfg, key in want_anchor)
            res.results[key] = r
            batch.append((key, r))
            self.progress.update(r)

        def handle(done: tuple, interrupted: bool = False) -> None:
            tid, value, exc = done
            kind, key, depth, origin = inflight.pop(tid)
            task_done(origin)
            if exc is not None:
                raise exc
            if kind == "link":
                out = value
                if interrupted:
                    if out.error_kind != "stopped":
                        finish_link(key, out)
                elif not resubmit(kind, key, depth, out.error_kind):
                    finish_link(key, out)
                return
            data, body, page_result = value
            if interrupted:
                if data["result"].get("error_kind") == "stopped":
                    return
            elif resubmit(kind, key, depth, data["result"].get("error_kind", "")):
                return
            if self.on_page is not None and body:
                r = LinkResult.from_dict(data["result"])
                value = self.on_page(data["url"], body, data.get("content_type") or r.content_type, r)
                if value is not None:
                    data["page_data"] = value
            process_page(key, depth, data, fetched=True, r=page_result)
            batch.append((key, res.results[key]))
            to_save.append((key, depth, data))

        def flush() -> None:
            if to_save and self.cache is not None:
                self.cache.crawl_save_pages(self.crawl_id, to_save)
            to_save.clear()
            store(self.cache, cfg, batch)
            batch.clear()

        if cfg.max_depth == 0:
            # --max-depth 0: the start page only; sitemap pages are checked
            # like the links on it, not crawled.
            for url in seeds:
                key = normalize_url(url)
                if key != self.start:
                    depth_cut.add(key)
                    submit_check(url, key)
        affinity_before = _pin_thread(cpus)
        try:
            while True:
                # Take pages from the queue while there is room.
                while queue and len(inflight) < workers * 2:
                    url, depth = queue.popleft()
                    key = normalize_url(url)
                    if key in scheduled:
                        continue
                    if pages_taken >= cfg.max_pages:
                        res.complete = False
                        max_pages_hit.append(True)
                        queue.appendleft((url, depth))
                        break
                    scheduled.add(key)
                    if key in self.stored:
                        pages_taken += 1
                        sdepth, sdata = self.stored[key]
                        process_page(key, depth, sdata, fetched=False)
                        continue
                    if not self.allowed(key):
                        robots_skipped.add(key)
                        res.results[key] = skipped_result(key, "disallowed by robots.txt")
                        deferred.pop(key, None)
                        continue
                    pages_taken += 1
                    submit(("page", key, depth), self.fetch_page, key, is_page)
                    self.progress.add_total(1)
                if not inflight:
                    if queue and pages_taken < cfg.max_pages:
                        continue
                    for k, (kind, depth) in list(refused.items()):
                        resubmit(kind, k, depth, "refused")
                    if inflight:
                        continue
                    # Crawl over: check in-scope links that were not crawled.
                    left = [k for k in deferred if k not in res.results and k not in checking]
                    deferred.clear()
                    if not left:
                        break
                    for k in left:
                        submit_check(k, k)
                    if not inflight:
                        break
                try:
                    done = [done_q.get(timeout=1.0)]
                except queue_mod.Empty:
                    continue
                while True:
                    try:
                        done.append(done_q.get_nowait())
                    except queue_mod.Empty:
                        break
                for item in done:
                    handle(item)
                if len(to_save) >= 20 or len(batch) >= 200:
                    flush()
            res.complete = res.complete and not queue
        except KeyboardInterrupt:
            # Stop at once: no new request starts, queued fetches are
            # cancelled, fetches in flight give up; what finished is kept.
            stopping.append(True)
            self.client.stop()
            pool.shutdown(wait=False, cancel=True)
            try:
                # Fetches that finished: kept. Those still running end as
                # "stopped" (the client cut them) and are left.
                while True:
                    try:
                        item = done_q.get_nowait()
                    except queue_mod.Empty:
                        break
                    try:
                        handle(item, interrupted=True)
                    except Exception:  # noqa: BLE001 - saving is best effort here
                        continue
                flush()
            finally:
                self.progress.close()
            raise
        except BaseException:
            pool.shutdown(wait=False, cancel=True)
            flush()
            self.progress.close()
            raise
        finally:
            _pin_thread(affinity_before)  # the caller's thread as it was
        flush()
        pool.shutdown(wait=True)
        pending = {key: r for key, r in res.results.items() if r.pending_target}
        for key, r in pending.items():
            if r.pending_target:
                res.results[key] = resolve_redirects(key, r, pending, res.results, cfg.max_redirects)
                if key in res.pages:
                    res.pages[key].classification = res.results[key].classification
                    res.pages[key].status = res.results[key].status
        if self.cache is not None and res.complete:
            self.cache.crawl_finish(self.crawl_id)
        # max_depth cut pages off: their links are unknown.
        cut = [k for k in depth_cut if k not in res.pages]
        if cut:
            res.complete = False
        # Orphans: sitemap pages nothing links to -- only knowable when every
        # in-scope page found was fetched.
        unfetched = []
        if max_pages_hit:
            unfetched.append(f"max-pages ({cfg.max_pages}) was reached")
        if cut:
            unfetched.append(f"max-depth ({cfg.max_depth}) left {len(cut)} page(s) uncrawled")
        if robots_skipped and res.sitemap_urls:
            # Pages the site itself keeps robots out of rarely carry its
            # navigation; orphans are still reported, with this caveat.
            res.notes.append(f"robots.txt disallowed {len(robots_skipped)} page(s); an orphan linked only from "
                             "them is still reported (use --ignore-robots to read them)")
        if max_pages_hit:
            res.limits.append("max-pages")
        if cut:
            res.limits.append("max-depth")
        if unfetched:
            res.orphans = []
            if res.sitemap_urls:
                res.notes.append("orphan pages not reported: the crawl is incomplete ("
                                 + "; ".join(unfetched) + "), so pages it did not fetch may link to them")
        else:
            targets = {t for (_s, t) in res.edges if _s != t}
            for key, r in list(res.results.items()):
                if key in targets and r.final_url:
                    targets.add(normalize_url(r.final_url))
            res.orphans = sorted(u for u in dict.fromkeys(res.sitemap_urls) if u not in targets and u != self.start)
        res.requests = self.client.request_count - self.requests_before
        res.elapsed = time.monotonic() - started
        res.host_rates = self.client.host_summaries()
        self.progress.close()
        if self.own_client:
            self.client.close()
        return res


def _readable_page(data: dict) -> bool:
    """A saved crawl page this version can replay (else it is fetched again)."""
    links = data.get("links")
    return (isinstance(data.get("result"), dict) and cached_result(data["result"]) is not None
            and isinstance(links, list) and all(isinstance(x, list) and len(x) == 4 for x in links))


def resolve_redirects(key: str, r: LinkResult, pending: dict[str, LinkResult], results: dict[str, LinkResult],
                      max_redirects: int) -> LinkResult:
    """Complete a redirect chain that stopped at a page the crawl fetched,
    following chains that stopped again: a chain that comes back to a URL
    it passed is a loop, one longer than ``max_redirects`` too long (both
    broken, as when one fetch follows them)."""
    chain = list(r.chain)
    seen = {key}
    current = r
    while True:
        target_key = current.pending_target
        if target_key in seen:
            return LinkResult(**{**r.__dict__, "pending_target": "", "chain": chain, "classification": "broken",
                                 "error_kind": "loop", "error": f"redirect loop back to {target_key}",
                                 "final_url": target_key})
        seen.add(target_key)
        target = pending.get(target_key) or results.get(target_key)
        if target is not None and target.pending_target:
            chain += target.chain
            if len(chain) > max_redirects:
                break
            current = target
            continue
        done = resolve_pending(LinkResult(**{**r.__dict__, "chain": chain}), target)
        if target is None or len([h for h in done.chain if 300 <= h[1] < 400]) <= max_redirects:
            return done
        break
    return LinkResult(**{**r.__dict__, "pending_target": "", "chain": chain[:max_redirects + 1],
                         "classification": "broken", "error_kind": "too-many-redirects",
                         "error": f"more than {max_redirects} redirects", "final_url": chain[-1][0]})


def crawl(start_url: str, config: WebConfig, cache: Cache | None = None, resume: bool = False,
          on_page: Callable[[str, bytes, str, LinkResult], Any] | None = None, *, client: HttpClient | None = None,
          page_facts: bool = False) -> CrawlResult:
    """Crawl ``start_url``; see the module docstring."""
    return _Crawl(start_url, config, cache, resume, on_page, client, page_facts).run()
