"""HTML pages via BeautifulSoup + lxml.

We read the main content (``<main>``/``<article>``, else ``<body>`` minus
navigation and boilerplate), metadata from ``<title>``, ``<meta>`` and
schema.org JSON-LD, and map every piece of text back to the source with the
aligner (lxml keeps no columns, so positions come from the source itself).
"""
from __future__ import annotations

import json
import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from ..document import Block, Document, Link, slugify
from .. import regexcache
from . import metadata as meta_mod
from .align import Aligner, BlockBuilder
from .link_context import mark_listed_links
from .errors import InputError

# Never prose, wherever they are.
SKIP_ALWAYS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "nav", "aside", "form",
                         "button", "select", "textarea", "canvas", "video", "audio", "object", "map"})
# Boilerplate when reading a whole <body>; inside <main>/<article> a header
# usually holds the article's own title and byline, so it is kept there.
SKIP_OUTSIDE_MAIN = frozenset({"header", "footer"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements whose inline content forms one block.
BLOCK_KIND = {"p": "paragraph", "li": "list_item", "dt": "list_item", "dd": "list_item", "td": "table_cell",
              "th": "table_cell", "blockquote": "blockquote", "figcaption": "paragraph", "caption": "table_cell",
              "summary": "paragraph"}
CONTAINERS = frozenset({"div", "section", "article", "main", "body", "ul", "ol", "dl", "table", "thead", "tbody",
                        "tfoot", "tr", "figure", "header", "footer", "details", "hgroup", "address", "center",
                        "fieldset", "html", "span-block"})
NON_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)

# Markup masked out of the source so text is only ever found in text.
_MASK_RE = regexcache.compile(
    r"<!--.*?(?:-->|\Z)|<script\b.*?(?:</script\s*>|\Z)|<style\b.*?(?:</style\s*>|\Z)|<!\[CDATA\[.*?\]\]>"
    r"|<[!?/]?[A-Za-z][^>]*>?",
    re.S | re.I,
)
_A_TAG_RE = regexcache.compile(r"<a\b[^>]*>", re.I)
_A_END_RE = regexcache.compile(r"</a", re.I)
_SRC_RE = regexcache.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_HREF_RE = regexcache.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_TAG_RE = regexcache.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>", re.S)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr", "keygen", "command", "basefont", "frame", "isindex"})
# Elements whose end tag HTML lets authors omit.
OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "option", "optgroup",
                          "colgroup", "caption", "html", "head", "body", "rt", "rp"})


def mask_markup(source: str) -> str:
    return _MASK_RE.sub(lambda m: "\0" * len(m.group()), source)


def parse(source: str, path: str, keys: dict[str, list[str]] | None = None) -> Document:
    # Static-site templates (Jekyll, Eleventy, Hugo layouts) start with YAML
    # front matter: read it like Markdown's, then blank it out (newlines
    # kept, so offsets and lines stay exact) before reading the HTML.
    from .markdown import split_front_matter

    front, body_start = split_front_matter(source) if source.lstrip("\ufeff").startswith(("---", "+++")) else ({}, 0)
    markup = re.sub(r"[^\r\n]", " ", source[:body_start]) + source[body_start:] if body_start else source
    doc = Document(path=path, source=source, format="html", front_matter=front, body_start=body_start)
    problem = find_markup_problem(markup)
    if problem:
        doc.input_problems.append(problem)
    soup = _soup(markup)
    html_tag = soup.find("html")
    doc.language = str(html_tag.get("lang") or html_tag.get("xml:lang") or "").strip() if html_tag else ""
    if not doc.language and front:
        doc.language = str(front.get("lang") or front.get("language") or front.get("locale") or "").strip()
    # Front matter first: it wins over JSON-LD and meta tags, as in Markdown.
    meta_mod.from_mapping(doc.metadata, front, "front-matter", keys)
    _read_metadata(doc, soup, keys)
    for el in soup.find_all(attrs={"id": True}):
        doc.anchors.add(str(el.get("id")))
    for el in soup.find_all("a", attrs={"name": True}):
        doc.anchors.add(str(el.get("name")))
    root = soup.find("main") or soup.find("article")
    in_main = root is not None
    if root is None:
        root = soup.body or soup
    walker = _Walker(doc, Aligner(mask_markup(markup)), in_main)
    start = _root_offset(markup, root) if in_main else _root_offset(markup, soup.body) if soup.body else body_start
    walker.aligner.cursor = start
    walker.walk(root, "paragraph")
    walker.flush()
    doc.extra_text = " ".join(" ".join(el.get_text(" ").split()) for el in soup.find_all(["footer", "aside"]))
    meta_mod.from_content(doc.metadata, doc.blocks, doc.extra_text)
    mark_listed_links(doc)
    return doc


def read_fragment(fragment: str, doc: Document, aligner: Aligner, section: str) -> str:
    """Add the blocks and links of an HTML fragment (raw HTML in Markdown) to
    ``doc``, aligned from the aligner's cursor; returns the section (last
    heading) it ends in."""
    soup = _soup(fragment)
    walker = _Walker(doc, aligner, in_main=True)
    walker.section = section
    walker.walk(soup.body or soup, "paragraph")
    walker.flush()
    return walker.section


def _soup(markup: str) -> BeautifulSoup:
    # bs4 warns (on stderr, for every file) about XHTML pages and about
    # markup that looks like a file name; both are parsed fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, "lxml")


def _root_offset(source: str, root: Tag | None) -> int:
    if root is None or not getattr(root, "name", None):
        return 0
    m = re.search(rf"<{root.name}\b", source, re.I)
    return m.start() if m else 0


class _Walker:
    def __init__(self, doc: Document, aligner: Aligner, in_main: bool):
        self.doc = doc
        self.aligner = aligner
        self.in_main = in_main
        self.buffer: list = []
        self.kind = "paragraph"
        self.level = 0
        self.section = doc.metadata.title
        self.seen_slugs: dict[str, int] = {}
        self._lang_memo: dict[int, bool] = {}

    def _in_other_language(self, el) -> bool:
        """True inside an element whose ``lang`` differs from the page's
        (``<li lang="es">`` in a "help in your language" list): English
        rules (spelling, jargon, claims) must not read that text. Walks up
        to the nearest ``lang`` once per element (memoised, no recursion)."""
        path = []
        result = False
        while el is not None and getattr(el, "name", None) not in (None, "[document]"):
            known = self._lang_memo.get(id(el))
            if known is not None:
                result = known
                break
            path.append(id(el))
            lang = el.get("lang") or el.get("xml:lang")
            if lang is not None:
                primary = str(lang).strip().lower().replace("_", "-").split("-")[0]
                page = (self.doc.language or "en").strip().lower().replace("_", "-").split("-")[0]
                result = bool(primary) and primary != page
                break
            el = el.parent
        for key in path:
            self._lang_memo[key] = result
        return result

    def walk(self, root: Tag, ctx: str) -> None:
        """Turn the content under ``root`` into blocks. Iterative, with an
        explicit stack: a page nested thousands of elements deep must not
        exhaust Python's recursion limit."""
        # Each entry: the children still to visit, the block context, and
        # whether leaving it flushes (every element but the root).
        stack = [(iter(root.children), ctx, False)]
        while stack:
            children, ctx, flush_after = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                self.kind = ctx
                if flush_after:
                    self.flush()
                continue
            if isinstance(child, NON_TEXT):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(child)
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in SKIP_ALWAYS or (not self.in_main and name in SKIP_OUTSIDE_MAIN) or child.get("hidden") is not None:
                continue
            if name in HEADINGS:
                self.flush()
                self._block(child, "heading", HEADINGS[name])
            elif name == "pre":
                self.flush()
                self._code(child)
            elif name in BLOCK_KIND:
                self.flush()
                kind = BLOCK_KIND[name] if ctx == "paragraph" or name in ("li", "td", "th") else ctx
                # A list item or cell may hold paragraphs and nested lists.
                self.kind = kind
                stack.append((iter(child.children), kind, True))
            elif name in CONTAINERS:
                self.flush()
                stack.append((iter(child.children), ctx, True))
            else:
                self.buffer.append(child)

    def _block(self, el: Tag, kind: str, level: int) -> None:
        self.buffer = list(el.children)
        self.kind = kind
        self.level = level
        block = self.flush(explicit_id=el.get("id"))
        self.level = 0
        self.kind = "paragraph"
        if block is not None and kind == "heading":
            self.section = block.text

    def _code(self, el: Tag) -> None:
        text = el.get_text()
        segs = self.aligner.place(text)
        start = segs[0].source_start if segs else self.aligner.cursor
        self.doc.blocks.append(Block(kind="code", text=text, segments=segs, start=start,
                                     end=self.aligner.cursor, section=self.section))

    def flush(self, explicit_id=None) -> Block | None:
        if not self.buffer:
            return None
        nodes, self.buffer = self.buffer, []
        builder = BlockBuilder()
        for node in nodes:
            self._emit(node, builder)
        block = builder.build(self.kind, level=self.level, section=self.section)
        if block is None:
            return None
        if block.kind == "heading":
            block.slug = str(explicit_id) if explicit_id else slugify(block.text, self.seen_slugs)
        self.doc.blocks.append(block)
        return block

    def _emit(self, top, builder: BlockBuilder) -> None:
        """Add the text under ``top`` to ``builder``, depth first, with an
        explicit stack (no recursion limit on deeply nested inline markup).
        A callable on the stack runs when its element's children are done."""
        stack = [top]
        while stack:
            node = stack.pop()
            if callable(node) and not isinstance(node, (Tag, NavigableString)):
                node()
                continue
            if isinstance(node, NON_TEXT):
                continue
            if isinstance(node, NavigableString):
                text = str(node)
                a = builder.length
                builder.add(text, self.aligner.place(text))
                if self._in_other_language(node.parent):
                    builder.ignore.append((a, builder.length))
                continue
            name = node.name
            if name in SKIP_ALWAYS:
                continue
            if name == "br":
                builder.space()
                continue
            if name == "img":
                self._image(node)
                continue
            if name == "a":
                cursor_before = self.aligner.cursor
                text_start = builder.length
                stack.append(lambda node=node, text_start=text_start, cursor_before=cursor_before:
                             self._link(node, builder, text_start, cursor_before))
            elif name in ("code", "kbd", "samp", "var"):
                a = builder.length
                stack.append(lambda a=a: builder.ignore.append((a, builder.length)))
            elif name in HEADINGS or name in BLOCK_KIND or name in CONTAINERS or name == "pre":
                # A block inside an inline element (a heading and a paragraph
                # in a link card) is a separate run of text, never glued to
                # the word before or after it ("bugDrink").
                builder.space()
                stack.append(builder.space)
            stack.extend(reversed(node.contents))

    def _link(self, node: Tag, builder: BlockBuilder, text_start: int, cursor_before: int) -> None:
        href = node.get("href")
        if href is None:
            return
        source = self.doc.source
        m = _A_TAG_RE.search(source, cursor_before)
        start = m.start() if m else cursor_before
        url_start = url_end = -1
        if m:
            h = _HREF_RE.search(m.group())
            if h:
                group = next(i for i in (1, 2, 3) if h.group(i) is not None)
                url_start, url_end = m.start() + h.start(group), m.start() + h.end(group)
        close_m = _A_END_RE.search(source, max(self.aligner.cursor, m.end() if m else 0))
        close = close_m.start() if close_m else -1
        end = source.find(">", close) + 1 if close >= 0 else self.aligner.cursor
        if m and not builder.text_from(text_start).strip():
            self.aligner.cursor = max(self.aligner.cursor, m.end())
        rel = node.get("rel")
        text = builder.text_from(text_start).strip()
        text_span = builder.source_span(text_start, builder.length) if text else None
        self.doc.links.append(Link(url=str(href).strip(), text=text, start=start,
                                   end=max(end, start), rel=" ".join(rel) if isinstance(rel, list) else str(rel or ""),
                                   title=str(node.get("title") or ""), url_start=url_start, url_end=url_end,
                                   text_start=text_span[0] if text_span else -1,
                                   text_end=text_span[1] if text_span else -1))

    def _image(self, node: Tag) -> None:
        src = node.get("src")
        if not src:
            return
        m = regexcache.compile(r"<img\b[^>]*>", re.I).search(self.doc.source, self.aligner.cursor)
        start, end = (m.start(), m.end()) if m else (self.aligner.cursor, self.aligner.cursor)
        url_start = url_end = -1
        if m:
            s = _SRC_RE.search(m.group())
            if s:
                group = next(i for i in (1, 2, 3) if s.group(i) is not None)
                url_start, url_end = m.start() + s.start(group), m.start() + s.end(group)
        self.doc.links.append(Link(url=str(src).strip(), text=str(node.get("alt") or ""), start=start, end=end,
                                   kind="image", url_start=url_start, url_end=url_end))


def _read_metadata(doc: Document, soup: BeautifulSoup, keys) -> None:
    meta = doc.metadata
    items = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            items.extend(meta_mod.flatten_json_ld(json.loads(script.string or "")))
        except (ValueError, TypeError):
            continue  # a broken JSON-LD block is the page's problem, not ours to crash on
    meta_mod.from_json_ld(meta, items)
    tags: dict[str, str] = {}
    for el in soup.find_all("meta"):
        name = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        if name and el.get("content") is not None and name not in tags:
            tags[name] = str(el.get("content")).strip()
    mapping = {
        "description": ["description", "og:description"],
        "author": ["author", "article:author", "citation_author"],
        "reviewer": ["reviewed-by", "reviewer", "reviewedby"],
        "published": ["article:published_time", "date", "datepublished", "citation_publication_date", "dc.date"],
        "updated": ["article:modified_time", "last-modified", "datemodified", "og:updated_time"],
        "last_reviewed": ["last-reviewed", "lastreviewed", "article:reviewed_time"],
        "tags": ["keywords", "article:tag"],
    }
    found = {}
    for field, names in mapping.items():
        for name in names:
            if tags.get(name):
                found[field] = tags[name]
                break
    meta_mod.from_mapping(meta, found, "meta", {f: [f] for f in found})
    _read_time_elements(meta, soup)
    if soup.title and soup.title.string:
        meta_mod._set(meta, "title", soup.title.string.strip(), "title")
    elif tags.get("og:title"):
        meta_mod._set(meta, "title", tags["og:title"], "meta")


# What a <time datetime> element dates, from the words around it ("Last
# updated <time ...>3 May</time>") or its own class/itemprop.
_TIME_FIELDS = (("last_reviewed", regexcache.compile(r"review", re.I)),
                ("updated", regexcache.compile(r"updated|modified", re.I)),
                ("published", regexcache.compile(r"published|posted|datepublished|pubdate", re.I)))


def _read_time_elements(meta, soup: BeautifulSoup) -> None:
    """Dates in ``<time datetime="2026-05-03">`` elements whose label says
    what they date: the visible text often has no year ("Updated 3 May")."""
    for el in soup.find_all("time", attrs={"datetime": True}):
        value = str(el.get("datetime") or "").strip()
        if not meta_mod.parse_date(value):
            continue
        own = " ".join([*(el.get("class") or []), str(el.get("itemprop") or ""),
                        "pubdate" if el.has_attr("pubdate") else ""])
        parent = el.parent.get_text(" ", strip=True)[:120] if el.parent is not None else ""
        for field, pattern in _TIME_FIELDS:
            if pattern.search(own) or pattern.search(parent):
                meta_mod._set(meta, field, value, "time")
                break


def find_markup_problem(source: str) -> InputError | None:
    """The first structural error in the markup, if any: an unterminated
    comment or tag, an end tag nothing opened, or an element never closed.
    lxml recovers from all of them, so we report and keep going."""
    # Every step is linear in the page: the first '<!--' with no '-->'
    # after it starts after the last '-->'.
    last_close = source.rfind("-->")
    unclosed = source.find("<!--", max(0, last_close - 3)) if last_close >= 0 else source.find("<!--")
    if unclosed >= 0:
        return _problem(source, unclosed, "comment opened with '<!--' is never closed")
    stack: list[tuple[str, int]] = []
    open_count: dict[str, int] = {}  # names on the stack (a page may nest thousands deep)
    masked = _blank_raw_sections(source)
    last_gt = masked.rfind(">")
    last = _TAG_START_RE.search(masked, last_gt + 1)
    if last:
        return _problem(source, last.start(), "tag is never closed with '>'")
    for t in _TAG_RE.finditer(masked):
        closing, name, selfclose = t.group(1), t.group(2).lower(), t.group(3)
        if name in VOID or selfclose:
            continue
        if not closing:
            stack.append((name, t.start()))
            open_count[name] = open_count.get(name, 0) + 1
            continue
        if open_count.get(name):
            while stack:
                open_name, pos = stack.pop()
                open_count[open_name] -= 1
                if open_name == name:
                    break
                if open_name not in OPTIONAL_END:
                    return _problem(source, pos, f"<{open_name}> is not closed before </{name}>")
        elif name not in OPTIONAL_END:
            return _problem(source, t.start(), f"</{name}> closes an element that was never opened")
    for name, pos in stack:
        if name not in OPTIONAL_END:
            return _problem(source, pos, f"<{name}> is never closed")
    return None


_TAG_START_RE = regexcache.compile(r"<[A-Za-z/]")
_RAW_OPEN_RE = regexcache.compile(r"<!--|<script\b|<style\b", re.I)
_RAW_CLOSE_RE = {"<!--": regexcache.compile(r"-->"), "<script": regexcache.compile(r"</script\s*>", re.I),
                 "<style": regexcache.compile(r"</style\s*>", re.I)}


def _blank_raw_sections(source: str) -> str:
    """``source`` with comments, scripts and styles replaced by spaces (same
    length). An opener whose closer never comes is left as it is; once one
    has no closer, later openers of that kind are not searched again, so a
    page of unclosed ``<script`` stays linear."""
    out: list[str] = []
    pos = done = 0
    unclosed: set[str] = set()
    while True:
        m = _RAW_OPEN_RE.search(source, pos)
        if m is None:
            break
        kind = m.group().lower()
        close = None if kind in unclosed else _RAW_CLOSE_RE[kind].search(source, m.end())
        if close is None:
            unclosed.add(kind)
            pos = m.start() + 1
            continue
        out.append(source[done:m.start()])
        out.append(" " * (close.end() - m.start()))
        pos = done = close.end()
    out.append(source[done:])
    return "".join(out)


_LINE_BREAK_RE = regexcache.compile(r"\r\n|\r|\n")


def _problem(source: str, offset: int, reason: str) -> InputError:
    # Lines end at \n, \r\n or a lone \r, as Document.position counts them.
    line, line_start = 1, 0
    for m in _LINE_BREAK_RE.finditer(source, 0, offset):
        line, line_start = line + 1, m.end()
    column = offset - line_start + 1
    return InputError("malformed-html", f"malformed HTML: {reason} (the rest of the page was still checked)",
                      line=line, column=column)
