"""Words, sentences and phrase matching over block text, with offsets.

Everything here works on a block's text and returns offsets into that text,
so rules can map a match back to the source with ``Block.source_span``.
"""
from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, repeat
from typing import Iterable, Iterator, NamedTuple

from . import regexcache
from .usercache import Memo

# Same-length replacements only, so offsets stay valid: curly quotes become
# straight ones; hyphens, dashes and slashes separate words.
_FOLD = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"',
    "-": " ", "\u2010": " ", "\u2011": " ", "\u2012": " ", "\u2013": " ", "\u2014": " ", "/": " ",
})
# A word: dotted abbreviations (U.S., e.g., a.m.) and decimals (2.5) are one
# word each, as readers count them; otherwise letters/digits with inner
# apostrophes (don't).
WORD_RE = regexcache.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)+|[^\W_]+(?:'[^\W_]+)*", re.UNICODE)
# WORD_RE as the one group of a split: its matches come back between the gaps.
_WORD_SPLIT_RE = regexcache.compile("(" + WORD_RE.pattern + ")", WORD_RE.flags)
URL_RE = regexcache.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\b(?:[\w-]+\.)+(?:com|org|net|gov|edu|uk|int|io|au|ca|info|health|eu)(?:/\S*)?\b", re.I)

_ABBREVIATIONS = frozenset(
    "dr mr mrs ms prof st vs etc e.g i.e approx no fig inc ltd co jr sr mt u.s u.k a.m p.m dept est min max "
    "mg ml kg cm mm ca cf al".split()
)


class Token(NamedTuple):
    # A named tuple, not a frozen dataclass: a site's articles make hundreds
    # of thousands of tokens, and a tuple is built several times faster.
    text: str  # as written (apostrophes folded)
    norm: str  # lowercased
    stem: str
    start: int
    end: int


# Token fields as C-level getters, for map() over a block's tokens (the
# hottest loops of a run have no Python frame per word).
TOKEN_TEXT = operator.itemgetter(0)
TOKEN_NORM = operator.itemgetter(1)
TOKEN_START = operator.itemgetter(3)


def fold(text: str) -> str:
    return text.translate(_FOLD)


@lru_cache(maxsize=1 << 17)  # pure, and text repeats its words: most calls are cache hits
def stem(word: str) -> str:
    """A deliberately light stemmer: enough that "controlling", "controlled"
    and "controls" match "control", and plurals match singulars."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suffix, repl, min_len in (("ies", "y", 5), ("sses", "ss", 5), ("ches", "ch", 5), ("shes", "sh", 5),
                                  ("xes", "x", 4), ("ing", "", 6), ("ed", "", 5), ("s", "", 4)):
        if w.endswith(suffix) and len(w) >= min_len:
            if suffix == "s" and w[-2] in "su'i":
                break
            w = w[: len(w) - len(suffix)] + repl
            break
    # A doubled final consonant becomes single in every form, so that
    # stopped/stop, controlling/control and swelling/swell all agree.
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]
    # Final e's go too: lose/losing, smoke/smoking, agree/agreed.
    while w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def tokens(text: str, ignore: Iterable[tuple[int, int]] = ()) -> list[Token]:
    """Words of ``text`` with offsets, skipping URLs, e-mail addresses,
    domain names and the given ignored ranges (inline code). Several rules
    read the same blocks, so results are memoised (treat them as read-only)."""
    return _tokens(text, tuple(ignore))


class TokenList(list):
    """A list of tokens that also knows where each stem is, so a phrase
    index looks only at the tokens that can start one of its phrases."""

    @property
    def positions(self) -> dict[str, list[int]]:
        """Stem -> indexes of the tokens with that stem, in order: a phrase
        index visits only the tokens that can start one of its phrases
        instead of every token (a block is matched by a dozen indexes)."""
        cached = self.__dict__.get("_positions")
        if cached is None:
            cached = self.__dict__["_positions"] = {}
            for i, t in enumerate(self):
                hit = cached.get(t.stem)
                if hit is None:
                    cached[t.stem] = [i]
                else:
                    hit.append(i)
        return cached

    @property
    def starts(self) -> list[int]:
        cached = self.__dict__.get("_starts")
        if cached is None:
            cached = self.__dict__["_starts"] = list(map(TOKEN_START, self))
        return cached


# Every match of URL_RE holds one of these (lowercased): the regex, slow on
# prose, scans only the blocks that do.
_URL_NEEDS = ("@", "http", "www.", ".com", ".org", ".net", ".gov", ".edu", ".uk", ".int", ".io", ".au", ".ca",
              ".info", ".health", ".eu")


def holds_any(text: str, as_written: tuple[str, ...] = (), lowercased: tuple[str, ...] = ()) -> bool:
    """Whether ``text`` holds one of ``as_written``, or, lowercased, one of
    ``lowercased``: a C-level scan that rules a block out before a slower
    regex scans it."""
    finders = _substring_finders.get((as_written, lowercased))
    if finders is None:
        finders = _substring_finders[as_written, lowercased] = tuple(
            regexcache.compile("|".join(map(re.escape, strings))).search if strings else None
            for strings in (as_written, lowercased))
    as_is, folded = finders
    return (as_is is not None and as_is(text) is not None) or (folded is not None and folded(text.lower()) is not None)


# (as_written, lowercased) -> one search per group of substrings: a literal
# alternation found in one pass instead of one `in` test per substring.
_substring_finders: dict[tuple, tuple] = {}


# Rules share a document's blocks; across documents blocks rarely repeat,
# so a few documents' worth is enough (each entry holds a block's tokens).
@lru_cache(maxsize=2048)
def _tokens(text: str, ignore: tuple) -> TokenList:
    folded = fold(text)
    urls = URL_RE.finditer(text) if holds_any(text, lowercased=_URL_NEEDS) else ()
    # Ranges sorted by start; words come in order, so one pass over both
    # (a block with thousands of URLs stays linear).
    skip = sorted(list(ignore) + [(m.start(), m.end()) for m in urls])
    if not skip:  # most blocks: no URL, no code
        # The hottest loop of a run, as C-level map()s: no Python frame per
        # word (Token(...) itself has a Python-level __new__). split() gives
        # [gap, word, gap, word, ..., gap] without a match object per word;
        # the running sum of the lengths gives each word's start and end.
        pieces = _WORD_SPLIT_RE.split(folded)
        words = pieces[1::2]
        bounds = list(accumulate(map(len, pieces)))
        return TokenList(map(tuple.__new__, repeat(Token), zip(
            words, map(str.lower, words), map(stem, words), bounds[0::2], bounds[1::2])))
    next_skip = 0
    skipped_until = -1  # furthest end of the ranges starting at or before the word
    out = TokenList()
    append = out.append
    new = tuple.__new__
    for m in WORD_RE.finditer(folded):
        s, e = m.span()
        while next_skip < len(skip) and skip[next_skip][0] <= s:
            skipped_until = max(skipped_until, skip[next_skip][1])
            next_skip += 1
        if s < skipped_until:
            continue
        w = m.group()
        append(new(Token, (w, w.lower(), stem(w), s, e)))
    return out


def count_between(words: list[Token], start: int, end: int) -> int:
    """How many of ``words`` (in text order) start in [start, end)."""
    starts = [t.start for t in words] if not isinstance(words, TokenList) else words.starts
    return bisect.bisect_left(starts, end) - bisect.bisect_left(starts, start)


def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence in a block's text. A block with no end
    punctuation (a heading, a list item) is one sentence. Memoised: several
    rules split the same blocks."""
    return _sentences(text)


@lru_cache(maxsize=2048)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_iter_sentences(text))


_SENTENCE_END_RE = regexcache.compile(r"[.!?]+[\"')\]]*(?=\s+|$)")
_NEXT_CHAR_RE = regexcache.compile(r"\s+(\S)")


def _word_before(text: str, start: int, dot: int) -> str:
    """The run of word characters and dots that ends just before ``dot``
    (not before ``start``): "e.g" in "see e.g. this". Each run ends at a
    sentence-end candidate followed by whitespace, so runs never overlap and
    scanning them back stays linear over the block."""
    k = dot
    while k > start and (text[k - 1].isalnum() or text[k - 1] in "_."):
        k -= 1
    return text[k:dot]


def _iter_sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    n = len(text)
    for m in _SENTENCE_END_RE.finditer(text):
        end = m.end()
        # Not a sentence end: abbreviations, initials, decimals.
        before = _word_before(text, start, m.start()) if text[m.start()] == "." else ""
        if before:
            word = before.lower().rstrip(".")
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        nxt = _NEXT_CHAR_RE.match(text, end)
        if nxt and not (nxt.group(1).isupper() or nxt.group(1).isdigit() or nxt.group(1) in "\"'(["):
            continue
        if text[start:end].strip():
            yield _strip(text, start, end)
        start = end
    if text[start:n].strip():
        yield _strip(text, start, n)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# -- phrases -------------------------------------------------------------
GAP = None  # a "..." position in a compiled phrase
MAX_GAP = 4


@dataclass(frozen=True)
class Phrase:
    """A compiled phrase: a tuple of positions, each a frozenset of accepted
    stems, or GAP for up to MAX_GAP other words."""

    source: str
    parts: tuple


# Compiled pack phrases, kept between runs: a run compiles about 1,200 of
# them, 14 ms of a one-article run. Phrases come from rule packs and
# settings, never from a document's text.
_PHRASES = Memo("phrases", code=(__file__,))


@lru_cache(maxsize=None)
def compile_phrase(phrase: str) -> Phrase:
    return _PHRASES.get(phrase, lambda: _compile_phrase(phrase))


def _compile_phrase(phrase: str) -> Phrase:
    parts = []
    for raw in fold(phrase).split():
        if raw == "...":
            parts.append(GAP)
            continue
        alternatives = [WORD_RE.findall(alt) for alt in raw.split("|")]
        alternatives = [words for words in alternatives if words]
        if len(alternatives) == 1:
            # "A&E" is two words in a row, like the text "A&E" tokenises.
            parts.extend(frozenset({stem(w)}) for w in alternatives[0])
        elif alternatives:
            parts.append(frozenset(stem(words[0]) for words in alternatives))
    while parts and parts[0] is GAP:
        parts.pop(0)
    return Phrase(phrase, tuple(parts))


class PhraseIndex:
    """Many phrases, matched in one pass over a token list. Phrases are
    indexed by the stems of their first word."""

    def __init__(self, phrases: Iterable[tuple[str, object]]):
        self.by_first: dict[str, list[tuple[Phrase, object]]] = {}
        for text, payload in phrases:
            ph = compile_phrase(text)
            if not ph.parts:
                continue
            for first in ph.parts[0]:
                self.by_first.setdefault(first, []).append((ph, payload))

    def finditer(self, toks: list[Token]) -> Iterable[tuple[int, int, object, Phrase]]:
        """(first token index, last token index, payload, phrase) of every
        match, in token order. A list, not a generator: a run asks a dozen
        indexes about each block, and most answers are empty."""
        by_first = self.by_first
        if not isinstance(toks, TokenList):
            return [(i, end - 1, payload, ph) for i, tok in enumerate(toks)
                    for ph, payload in by_first.get(tok.stem, ())
                    for end in (_match(ph.parts, 1, toks, i + 1),) if end is not None]
        positions = toks.positions
        # C-level set operations: an index of thousands of phrases meets
        # blocks of a few dozen words, most of them sharing no first word.
        if by_first.keys().isdisjoint(positions):
            return ()
        firsts = positions.keys() & by_first.keys()
        if len(firsts) == 1:
            hits = positions[next(iter(firsts))]
        else:
            hits = sorted(i for s in firsts for i in positions[s])
        found = []
        for i in hits:
            for ph, payload in by_first[toks[i].stem]:
                end = _match(ph.parts, 1, toks, i + 1)
                if end is not None:
                    found.append((i, end - 1, payload, ph))
        return found


def _match(parts: tuple, p: int, toks: list[Token], t: int) -> int | None:
    """Index after the last matched token, or None."""
    if p == len(parts):
        return t
    part = parts[p]
    if part is GAP:
        for skip in range(0, MAX_GAP + 1):
            r = _match(parts, p + 1, toks, t + skip)
            if r is not None:
                return r
        return None
    if t < len(toks) and toks[t].stem in part:
        return _match(parts, p + 1, toks, t + 1)
    return None


def literal_alternation(strings: Iterable[str], space: str = r"\s+", after_first: str = "") -> str:
    """A regex matching any of ``strings`` (spaces match ``space``), longest
    first at each position, written as a trie: ``(?:NHS(?:\\s+England)?|...)``.
    Python's ``re`` tries a flat alternation's branches one by one at every
    position; a trie decides on one character per branch point, which makes a
    scan of a long text several times faster. Kept between runs (about 7 ms
    for the packs' 1,000 source names).

    ``after_first`` (a zero-width assertion) follows each first character.
    A lookbehind written there, not before the trie, leaves the pattern
    starting with literal characters, so ``re`` skips to the positions that
    hold one of them instead of trying every position."""
    strings = sorted(set(strings))
    return _ALTERNATIONS.get((tuple(strings), space, after_first),
                             lambda: _trie_alternation(strings, space, after_first))


_ALTERNATIONS = Memo("alternations", code=(__file__,), limit=64)


def _trie_alternation(strings: list[str], space: str, after_first: str = "") -> str:
    root: dict = {}
    for s in strings:
        node = root
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, first: bool = False) -> str:
        alts = [(space if ch == " " else re.escape(ch)) + (after_first if first else "") + emit(node[ch])
                for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a string ends here; the longer ones are tried first
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return emit(root, first=True)
