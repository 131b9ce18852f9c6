"""Matching term packs (claims, jargon, vague anchors), red-flag topics and
source domains against a Document. Rules call these; packs stay data."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import urlsplit

from .document import Block, Document
from .text import PhraseIndex, Token, compile_phrase, fold, sentences, tokens
from . import regexcache

# -- term packs -----------------------------------------------------------


@dataclass
class TermMatch:
    """A pack term found in a block."""

    block: Block
    start: int  # offsets in block.text
    end: int
    term: dict[str, Any]
    pack: dict[str, Any]
    toks: list[Token]
    first: int  # token indexes
    last: int


def term_index(packs: list[dict[str, Any]]) -> PhraseIndex:
    entries = []
    for pack in packs:
        for term in pack.get("terms", []):
            for phrase in [term["term"], *term.get("variants", [])]:
                entries.append((str(phrase), (term, pack)))
    return PhraseIndex(entries)


def find_terms(document: Document, index: PhraseIndex, kinds=("paragraph", "list_item", "blockquote", "table_cell", "heading")) -> Iterator[TermMatch]:
    """Longest non-overlapping matches of the pack's terms in prose blocks."""
    for block in document.blocks:
        if block.kind not in kinds:
            continue
        toks = tokens(block.text, block.ignore)
        matches = index.finditer(toks)
        if not matches:
            continue
        matches = sorted(matches, key=_longest_first)
        taken_until = -1
        for first, last, (term, pack), _ in matches:
            if first <= taken_until:
                continue
            taken_until = last
            yield TermMatch(block, toks[first].start, toks[last].end, term, pack, toks, first, last)


def _longest_first(match: tuple) -> tuple[int, int]:
    return match[0], match[0] - match[1]


def sentence_of(text: str, start: int) -> tuple[int, int]:
    """The sentence holding ``start`` (or the next one after a gap)."""
    sents = sentences(text)
    # In text order, not overlapping: the first that ends after ``start``.
    i = bisect.bisect_right(sents, start, key=_sentence_end)
    return sents[i] if i < len(sents) else (0, len(text))


def _sentence_end(span: tuple[int, int]) -> int:
    return span[1]


_QUOTES = [('"', '"'), ("\u201c", "\u201d"), ("\u2018", "\u2019")]


def inside_quotes(text: str, start: int, end: int) -> bool:
    """True if [start, end) sits inside a pair of quotation marks in the
    same sentence: quoted claims are reported speech, not ours."""
    s, e = sentence_of(text, start)
    for open_q, close_q in _QUOTES:
        before = text[s:start]
        after = text[end:e]
        if open_q == close_q:
            if before.count(open_q) % 2 == 1 and open_q in after:
                return True
        else:
            if before.rfind(open_q) > before.rfind(close_q) and close_q in after:
                return True
    return False


def preceded_by(match: TermMatch, phrases: list[str], window: int) -> bool:
    """One of ``phrases`` ends within ``window`` words before the match, in
    the same sentence (negation: "there is no cure")."""
    if not phrases:
        return False
    s, _ = sentence_of(match.block.text, match.start)
    lo = match.first
    while lo > 0 and match.first - lo < window and match.toks[lo - 1].start >= s:
        lo -= 1
    before = match.toks[lo:match.first]
    if not before:
        return False
    stems = [t.stem for t in before]
    for phrase in phrases:
        parts = compile_phrase(phrase).parts
        n = len(parts)
        for i in range(0, len(stems) - n + 1):
            if all(part is not None and stems[i + k] in part for k, part in enumerate(parts)):
                return True
    return False


_CLAUSE_BREAK_RE = regexcache.compile(r"[,;:()\u2013\u2014]|\s-\s")


def negated(text: str, toks: list[Token], first: int, negators: list[str], window: int,
            through: frozenset | set | None = None) -> bool:
    """One of ``negators`` ends within ``window`` words before ``toks[first]``,
    in the same sentence and clause (no comma, semicolon, colon, bracket or
    dash in between). With ``through`` (a set of stems), every word between
    the negator and the match must be one of them, so "you do not need to go
    to the emergency room" is negated but "do not wait to call 999" and "if
    it does not stop bleeding call 999" are not."""
    if not negators or first <= 0:
        return False
    s, _ = sentence_of(text, toks[first].start)
    lo = first
    while lo > 0 and first - lo < window and toks[lo - 1].start >= s \
            and not _CLAUSE_BREAK_RE.search(text[toks[lo - 1].end:toks[lo].start]):
        lo -= 1
    stems = [t.stem for t in toks[lo:first]]
    for phrase in negators:
        parts = compile_phrase(phrase).parts
        n = len(parts)
        if not n or any(part is None for part in parts):
            continue
        for i in range(0, len(stems) - n + 1):
            if all(stems[i + k] in part for k, part in enumerate(parts)):
                if through is None or all(st in through for st in stems[i + n:]):
                    return True
    return False


# -- sources ----------------------------------------------------------------


def host_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def domain_in(host: str, domains) -> str | None:
    """The most specific listed domain that ``host`` is or is a subdomain of.
    ``domains`` is a set or dict of lower-case domains (as
    ``authoritative_domains`` and ``low_quality_domains`` build them) or
    any other iterable, lower-cased here."""
    if not isinstance(domains, (set, frozenset, dict)):
        domains = {d.lower() for d in domains}
    # Longest suffix first: one look-up per label instead of a scan of the
    # whole list per link (pages with thousands of links).
    labels = host.split(".")
    for i in range(len(labels)):
        candidate = ".".join(labels[i:])
        if candidate in domains:
            return candidate
    return None


def authoritative_domains(packs) -> dict[str, str]:
    """domain -> tier, from every `domains` pack."""
    out: dict[str, str] = {}
    for pack in packs.of_kind("domains"):
        for tier, domains in (pack.get("tiers") or {}).items():
            for d in domains or []:
                out[str(d).lower()] = tier
    return out


def low_quality_domains(packs, extra=()) -> set[str]:
    out = {str(d).lower() for d in extra}
    for pack in packs.of_kind("domains"):
        out.update(str(d).lower() for d in pack.get("low-quality") or [])
    return out


def is_outbound(url: str) -> bool:
    return url.lower().startswith(("http://", "https://", "//"))


# -- red flags --------------------------------------------------------------


def article_tokens(document: Document) -> list[list[Token]]:
    """Tokens of each prose block (a new list each call: callers append)."""
    if "article_tokens" not in document.derived:
        document.derived["article_tokens"] = [tokens(b.text, b.ignore) for b in document.prose_blocks()]
    return list(document.derived["article_tokens"])


def tokens_with_title(document: Document) -> list[list[Token]]:
    """Prose block tokens plus the title's: a red flag or emergency advice
    counts wherever it is written, title included."""
    toks = article_tokens(document)
    if document.metadata.title:
        toks.append(tokens(document.metadata.title))
    return toks


def topics_of(document: Document, red_flag_packs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """:func:`detect_topics` once per document and pack selection: the two
    red-flag rules and the source rule all ask."""
    key = ("topics", tuple(id(p) for p in red_flag_packs))
    if key not in document.derived:
        document.derived[key] = detect_topics(document, red_flag_packs, article_tokens(document))
    return document.derived[key]


def detect_topics(document: Document, red_flag_packs: list[dict[str, Any]], block_tokens) -> list[dict[str, Any]]:
    """Packs whose topic the article is about.

    The title, the first-level heading and the tags decide first: a strong
    trigger there names a candidate topic, and a candidate is the article's
    topic when the body supports it too: at least ``min-title-support``
    (default 2) mentions of the pack's body or strong triggers in the text
    and lower headings. So "Choosing a mattress: support for your upper
    back" (no back-pain talk below the title) is not a back-pain article, and
    a neck-pain article that lists stroke signs is not a stroke article (the
    title named neck pain, so the body's stroke mentions are not used).
    Only when the title, H1 and tags name no supported topic do body
    mentions alone count: a pack's body triggers (and strong triggers in
    lower headings) must appear ``min-body-mentions`` times (default 3).

    A pack's ``triggers.exclude`` phrases ("heat stroke", "sunstroke")
    cancel the trigger matches they overlap, everywhere.

    Where a body mention is weighs what it says about the subject: a
    mention in a list item counts half (a list of causes or symptoms names
    many things in passing) and one in a link list or "See also" line
    (mostly link text) not at all. A pack's ``not-for`` phrases in the
    title, H1 or tags rule it out ("Fever in children" for adult fever),
    and ``triggers.body-only: false`` means only the title can name it
    (fever is a symptom of too many things to be found from the body)."""
    title_toks = tokens(document.metadata.title) if document.metadata.title else []
    h1_toks = [tokens(b.text) for b in document.blocks if b.kind == "heading" and b.level == 1]
    tag_toks = [tokens(t) for t in document.metadata.tags]
    strong, body, either, exclude = _trigger_indexes(red_flag_packs)
    named = set()
    for toks in (t for t in [title_toks, *h1_toks, *tag_toks] if t):
        named.update(_trigger_hits(strong, exclude, toks))
    ruled_out = _ruled_out(red_flag_packs, [t for t in [title_toks, *h1_toks, *tag_toks] if t])
    support: dict[int, int] = {}  # body or strong triggers in the body
    counts: dict[int, float] = {}   # body triggers in text, strong ones in lower headings (weighted)
    for b, toks in zip(document.prose_blocks(), block_tokens):
        if b.kind == "heading" and b.level == 1:
            continue
        for payload in _trigger_hits(either, exclude, toks):
            support[payload] = support.get(payload, 0) + 1
        hits = _trigger_hits(strong if b.kind == "heading" else body, exclude, toks)
        if hits:
            weight = _mention_weight(document, b, toks)
            for payload in hits:
                counts[payload] = counts.get(payload, 0) + weight
    supported = [p for p in red_flag_packs if id(p) in named and id(p) not in ruled_out
                 and support.get(id(p), 0) >= _trigger_setting(p, "min-title-support", 2)]
    if supported:
        return supported
    return [p for p in red_flag_packs if id(p) not in ruled_out and (p.get("triggers") or {}).get("body-only", True)
            and counts.get(id(p), 0) >= _trigger_setting(p, "min-body-mentions", 3)]


def _ruled_out(packs: list[dict[str, Any]], head_toks: list) -> set[int]:
    """Packs whose ``not-for`` phrases the title, H1 or tags contain."""
    if not head_toks:
        return set()
    key = ("not-for", tuple(id(p) for p in packs))
    if key not in _TRIGGER_INDEXES:
        _TRIGGER_INDEXES[key] = (PhraseIndex((str(ph), id(p)) for p in packs for ph in p.get("not-for") or []),)
    index = _TRIGGER_INDEXES[key][0]
    return {payload for toks in head_toks for _, _, payload, _ in index.finditer(toks)}


def _mention_weight(document: Document, block: Block, toks) -> float:
    """How much a body mention of a topic says about the article's subject:
    1 in running text and headings, 0.5 in a list item, 0 in a block that
    is mostly link text (navigation, "See also")."""
    mask = link_token_mask(document, block, toks)
    if mask is not None and block.kind != "heading" and len(toks) - sum(mask) <= 3:
        return 0.0
    return 0.5 if block.kind == "list_item" else 1.0


def link_token_mask(document: Document, block: Block, toks) -> list[bool] | None:
    """For each token, whether it is inside a link's anchor text; None when
    no link text is in the block (most blocks: nothing to compute)."""
    spans = document.derived.get("link_text_spans")
    if spans is None:
        spans = sorted((l.text_start, l.text_end) for l in document.links
                       if l.kind == "link" and 0 <= l.text_start < l.text_end)
        document.derived["link_text_spans"] = spans
        document.derived["link_text_starts"] = [s for s, _ in spans]
    if not spans or not toks:
        return None
    starts = document.derived["link_text_starts"]
    first = bisect.bisect_left(starts, block.start)
    if first >= len(spans) or spans[first][0] >= block.end:
        return None
    # The link texts of the block, as ranges of the block's text (sorted:
    # segments follow the source in order).
    seg_sources = [seg.source_start for seg in block.segments]
    ranges = []
    k = first
    while k < len(spans) and spans[k][0] < block.end:
        ranges.append((_text_offset(block, seg_sources, spans[k][0]),
                       _text_offset(block, seg_sources, spans[k][1] - 1) + 1))
        k += 1
    # One sweep over tokens and ranges (a paragraph of thousands of links
    # stays linear): a token is in link text when a range that starts at or
    # before it ends after it.
    mask = []
    r = 0
    reach = -1
    for tok in toks:
        while r < len(ranges) and ranges[r][0] <= tok.start:
            reach = max(reach, ranges[r][1])
            r += 1
        mask.append(tok.start < reach)
    return mask


def _text_offset(block: Block, seg_sources: list[int], source_offset: int) -> int:
    """The block text offset of a source offset (the next text character when
    the source offset is markup). ``seg_sources``: each segment's
    source_start, for bisecting."""
    i = bisect.bisect_right(seg_sources, source_offset) - 1
    if i < 0:
        return block.segments[0].text_start if block.segments else len(block.text)
    seg = block.segments[i]
    if source_offset < seg.source_start + seg.length:
        return seg.text_start + (source_offset - seg.source_start)
    return block.segments[i + 1].text_start if i + 1 < len(block.segments) else len(block.text)


def _trigger_setting(pack: dict[str, Any], key: str, default: int) -> int:
    return int((pack.get("triggers") or {}).get(key, default))


def _trigger_hits(index: PhraseIndex, exclude: PhraseIndex, toks) -> list:
    """Payloads of the trigger matches in ``toks`` that no exclusion of the
    same pack overlaps. Every match counts (as before exclusions existed)."""
    # One hit per span and pack ("chest pain" and "chest pains" are one phrase once stemmed).
    spans = list(dict.fromkeys((first, last, payload) for first, last, payload, _ in index.finditer(toks)))
    if not spans:
        return []
    excluded = [(first, last, payload) for first, last, payload, _ in exclude.finditer(toks)]
    if not excluded:
        return [payload for _, _, payload in spans]
    return [payload for first, last, payload in spans
            if not any(p == payload and first <= xl and xf <= last for xf, xl, p in excluded)]


_TRIGGER_INDEXES: dict[tuple, tuple[PhraseIndex, ...]] = {}


def _trigger_indexes(packs: list[dict[str, Any]]) -> tuple[PhraseIndex, ...]:
    """All packs' strong, body, strong-or-body and excluded triggers, each
    in one index (payload: the pack's id()), so a block is scanned once, not
    once per pack. Keyed by the packs' identities: a rule may pass a subset
    (its `topics` option)."""
    key = tuple(id(p) for p in packs)
    if key not in _TRIGGER_INDEXES:
        def index(*kinds):
            return PhraseIndex((phrase, id(p)) for p in packs for phrase in dict.fromkeys(
                str(ph) for kind in kinds for ph in (p.get("triggers") or {}).get(kind, []) or []))
        _TRIGGER_INDEXES[key] = (index("strong"), index("body"), index("strong", "body"), index("exclude"))
    return _TRIGGER_INDEXES[key]


def mentioned(index: PhraseIndex, block_tokens) -> set:
    seen = set()
    for toks in block_tokens:
        for _, _, payload, _ in index.finditer(toks):
            seen.add(payload)
    return seen


def title_offset(document: Document) -> int:
    """Where document-level content findings point: the first heading, else
    the start of the body."""
    first = next((b for b in document.blocks if b.kind == "heading"), None)
    return first.start if first else document.body_start


_SPACE_RE = regexcache.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE_RE.sub(" ", fold(text).lower()).strip()
