"""The spelling vocabulary: pyspellchecker's English dictionary plus the
medical word list and project vocabularies shipped as rule packs.

pyspellchecker's dictionary is US English. Other spellings come from dialect
word lists named after their language tag (``en-GB.txt``; a site may add
``en-AU.txt`` and so on in its packs folder), accepted only when the tag is
in the ``dialects`` option of ``spelling/unknown-word``.

pyspellchecker takes about 0.13 s to load its dictionary, a third of a
pre-commit run's budget, so the loaded word frequencies are kept in the
user cache (``usercache``; about 25 ms to read), rebuilt when the installed
dictionary file changes. Suggestions need the full SpellChecker, which is
built only when an article has an unknown word.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from .usercache import Memo, cached, file_key
from .wordtable import WordTable
from . import regexcache


@lru_cache(maxsize=1)
def english_frequencies() -> WordTable:
    """pyspellchecker's English word frequencies (cached, see usercache)."""
    import importlib.util

    spec = importlib.util.find_spec("spellchecker")
    source = Path(spec.origin).parent / "resources" / "en.json.gz" if spec and spec.origin else Path("-")

    def build() -> WordTable:
        from spellchecker import SpellChecker

        return WordTable(SpellChecker(language="en", distance=1).word_frequency.dictionary)

    return cached("spelling-en", file_key(source), build, lambda v: isinstance(v, WordTable) and len(v) > 0)


DEFAULT_DIALECTS = ("en-US", "en-GB")
# Word lists named like a language tag are dialect lists: en-GB.txt, en-AU.txt.
_DIALECT_LIST = regexcache.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})+$")

# British -> American spelling changes, tried (up to two at a time) to find
# the US spelling of a word from a dialect list: colour -> color,
# centre -> center, paediatric -> pediatric, organise -> organize.
_US_CHANGES = (
    ("our", "or"), ("tre", "ter"), ("bre", "ber"), ("tred", "tered"), ("bred", "bered"), ("ae", "e"), ("oe", "e"),
    ("is", "iz"), ("ys", "yz"), ("ogue", "og"), ("nce", "nse"), ("mme", "m"), ("ll", "l"), ("l", "ll"),
    ("ou", "o"), ("ph", "f"), ("que", "ck"), ("ough", "ow"), ("xion", "ction"),
)


def is_dialect_list(name: str) -> bool:
    return bool(_DIALECT_LIST.match(name))


def normalise_dialects(dialects) -> tuple[str, ...]:
    """Sorted, case-folded language tags (en-gb and en-GB are the same)."""
    return tuple(sorted({str(d).strip().lower() for d in dialects or () if str(d).strip()}))


def us_spelling(word: str, known, changes=_US_CHANGES) -> str | None:
    """The US spelling of a British (or other) spelling, when one or two of
    the usual changes give a word in ``known``; the most frequent wins."""
    def variants(w: str) -> set[str]:
        out = set()
        for old, new in changes:
            i = w.find(old)
            while i != -1:
                out.add(w[:i] + new + w[i + len(old):])
                i = w.find(old, i + 1)
        return out

    first = variants(word)
    candidates = {c for c in first | {v for f in first for v in variants(f)} if c != word and c in known}
    if not candidates:
        return None
    return max(sorted(candidates), key=lambda c: known.get(c, 0) if hasattr(known, "get") else 0)


_LETTERS = "abcdefghijklmnopqrstuvwxyz'"


def _edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion
    away (Norvig's edit distance 1, as pyspellchecker generates it)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


# Prefixes that build new words from known ones: perimenopause,
# prediabetes, preauthorization, disenroll, unvaccinated, copayment. The
# rest must be a known word of 5+ letters ("un" + "till" is the typo
# "untill", not a word), and the whole must not be one edit from a common
# word ("pre" + "sense" is the typo "presense").
_PREFIXES = tuple(sorted((
    "anti", "auto", "bio", "cardio", "co", "counter", "cross", "de", "dis", "dys", "endo", "extra", "hyper",
    "hypo", "inter", "intra", "macro", "micro", "mid", "mini", "mis", "multi", "neuro", "non", "out", "over",
    "peri", "poly", "post", "pre", "pro", "pseudo", "re", "retro", "self", "semi", "sub", "super", "tele",
    "trans", "ultra", "un", "under",
), key=len, reverse=True))
# A dictionary word this much more frequent (Zipf units: 1.0 = ten times)
# one edit away means the word is more likely its typo: "recieve" (2.75)
# beside "receive" (4.9).
_TYPO_MARGIN = 1.0
# Zipf frequency (wordfreq) above which an unknown word counts as attested
# English: about 3 uses per million words (app 4.9, intro 3.8, metadata 3.4).
_ATTESTED_ZIPF = 2.5


# Below this Zipf frequency a word's exact value never changes a verdict
# (attested needs 2.5; a "common word" nearby needs 3.0 or the word's own
# value + 1), so the table keeps only words at or above it.
_ZIPF_FLOOR = 2.0


@lru_cache(maxsize=1)
def english_zipf() -> WordTable:
    """wordfreq's English Zipf frequencies (x100) of words at or above
    _ZIPF_FLOOR, from the installed wordfreq data. Importing wordfreq and
    loading its list costs about 0.3 s, a pre-commit run's whole budget, so
    the table is built once into the user cache (about 8 ms to read) and
    wordfreq is imported only to rebuild it."""
    import importlib.util
    import math

    spec = importlib.util.find_spec("wordfreq")
    data = Path(spec.origin).parent / "data" / "large_en.msgpack.gz" if spec and spec.origin else Path("-")

    def build() -> WordTable:
        try:
            from wordfreq import get_frequency_dict
        except ImportError:  # pragma: no cover - a declared dependency
            return WordTable({})
        table = {}
        for word, freq in get_frequency_dict("en", wordlist="best").items():
            zipf = round(math.log10(freq) + 9, 2)
            if zipf >= _ZIPF_FLOOR and word.isascii() and word.isalpha():
                table[word] = int(round(zipf * 100))
        return WordTable(table)

    return cached("spelling-zipf-en", file_key(data), build, lambda v: isinstance(v, WordTable))


def _zipf(word: str) -> float:
    """English Zipf frequency of a lowercase word (0 below _ZIPF_FLOOR)."""
    return english_zipf().get(word, 0) / 100


@lru_cache(maxsize=65536)
def is_latin_script(word: str) -> bool:
    """True when every letter of ``word`` is a Latin letter (accents
    included). Words in other scripts (Korean, Chinese, Arabic, Cyrillic)
    are not English spelling mistakes."""
    return all(c.isascii() or not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in word)


def _in_sorted_lines(blob: str, word: str) -> bool:
    """Whether ``word`` is a line of ``blob``, whose lines are sorted."""
    if not word:
        return False
    lo, hi = 0, len(blob)  # the lines that start in [lo, hi) are left
    while lo < hi:
        mid = (lo + hi) // 2
        start = blob.rfind("\n", 0, mid) + 1
        if start < lo:  # mid is inside the line that starts at lo
            start = lo
        end = blob.find("\n", start)
        if end < 0:
            end = len(blob)
        line = blob[start:end]
        if line == word:
            return True
        if line < word:
            lo = end + 1
        else:
            hi = start
    return False


class WordBlob:
    """A large word list that is read on every run but consulted only for
    words the dictionary lacks: kept as one newline-joined string per case,
    so loading it from the user cache costs about 2 ms, where a set of its
    108,000 words costs 50 ms to build and 35 ms to unpickle. A lookup is a
    binary search over the sorted lines (about 20 µs; a substring search
    took 0.5 ms); verdicts are memoised per word."""

    __slots__ = ("lower", "exact", "_lookups", "_lower_set", "_exact_set")

    # After this many lookups in one process (a folder of articles), the
    # sets (about 20 ms to build) are cheaper than more binary searches
    # (about 5.5 µs each). A worker of a 200-article run makes about 1,200.
    SET_AFTER = 4000

    def __init__(self, words=()):
        words = list(words)
        lower = "\n" + "\n".join(sorted({w for w in words if w == w.lower()})) + "\n"
        exact = "\n" + "\n".join(sorted({w for w in words if w != w.lower()})) + "\n"
        self.__setstate__((lower, exact))

    def __getstate__(self):
        return (self.lower, self.exact)

    def __setstate__(self, state):
        self.lower, self.exact = state
        self._lookups = 0
        self._lower_set = None
        self._exact_set = None

    def prepare_set(self) -> None:
        """Build the lookup sets now (before worker processes are forked,
        so they share them instead of each building its own)."""
        if self._lower_set is None:
            self._lower_set = frozenset(self.lower.split("\n")) - {""}
            self._exact_set = frozenset(self.exact.split("\n")) - {""}

    def has_lower(self, low: str) -> bool:
        return self._has(low, self.lower, "_lower_set")

    def has_exact(self, word: str) -> bool:
        return self._has(word, self.exact, "_exact_set")

    def _has(self, word: str, lines: str, set_name: str) -> bool:
        if "\n" in word:
            return False
        if self._lower_set is None:  # the two sets are built together
            self._lookups += 1
            if self._lookups < self.SET_AFTER:
                return _in_sorted_lines(lines, word)
            self.prepare_set()
        return word in getattr(self, set_name)


def general_words() -> WordBlob:
    """``rules/words/general.words``: real English words pyspellchecker
    lacks (see tools/build_general_words.py). Not a ``.txt`` pack list, so
    the pack cache stays small; cached on its own."""
    from .packs import builtin_dir

    path = builtin_dir() / "words" / "general.words"

    def build() -> WordBlob:
        from .packs import _read_word_list

        return WordBlob(_read_word_list(path) if path.is_file() else [])

    return cached("spelling-general", file_key(path), build, lambda v: isinstance(v, WordBlob))


class Vocabulary:
    """Known words: English + medical + accepted dialect lists + accept
    list; reject list; words of dialects that are not accepted."""

    def __init__(self, sets: dict[str, set | dict]):
        self.english = english_frequencies()
        self.general = general_words()
        # Words of dialect lists that are not accepted (word -> dialect):
        # reported even when another list (medical.txt) has them; only
        # accept.txt overrides.
        self.other_dialects = sets["other_dialects"]
        self.parts = sets["parts"]
        self.extra_exact = sets["extra_exact"]
        self.extra_lower = sets["extra_lower"]
        self.reject = sets["reject"]

    def is_known(self, word: str) -> bool:
        if word in self.extra_exact:
            return True
        low = word.lower()
        if low in self.english or low in self.extra_lower or low in self.parts:
            return True
        if not low.isascii():  # naïve, café, Barré: the dictionaries mostly lack accents
            plain = unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode()
            return plain != low and (plain in self.english or plain in self.extra_lower or plain in self.parts)
        # SCOWL's American lists keep some British variants ("programme"):
        # a spelling of a dialect that is not accepted stays a finding.
        if low in self.other_dialects:
            return False
        return self.general.has_lower(low) or self.general.has_exact(word)

    def near_common_word(self, low: str) -> bool:
        """True if a common dictionary word (Zipf >= 3, and ten times more
        frequent than ``low``) is one edit away: then ``low`` is more likely
        its typo ("presense", "diabetus") than a rare word of its own."""
        floor = max(3.0, _zipf(low) + _TYPO_MARGIN)
        return any(e != low and _zipf(e) >= floor for e in self.english.present(_edits1(low)))

    def is_affixed(self, low: str) -> bool:
        """A known word with a prefix (perimenopause, disenroll) that is not
        one edit from a common word, or the plural of a known word
        (copayments, encodings)."""
        for prefix in _PREFIXES:
            if low.startswith(prefix) and len(low) - len(prefix) >= 5:
                rest = low[len(prefix):]
                if self._plain_word(rest) and not self.near_common_word(low):
                    return True
        if low.endswith("s") and len(low) > 4:
            stems = [low[:-1]]
            if low.endswith("es"):
                stems.append(low[:-2])
            if low.endswith("ies"):
                stems.append(low[:-3] + "y")
            return any(self._plain_word(s) for s in stems)
        return False

    def _plain_word(self, low: str) -> bool:
        return low in self.english or low in self.extra_lower or self.general.has_lower(low)

    def is_attested(self, low: str) -> bool:
        """Second opinion from word frequencies: a word common in running
        English (wordfreq Zipf >= 2.5) that is not the typo of a much more
        frequent dictionary word one edit away. Frequency is evidence, not a
        dictionary: common typos are common too (recieve 2.75)."""
        if len(low) < 3 or not low.isascii():
            return False
        z = _zipf(low)
        if z < _ATTESTED_ZIPF:
            return False
        return not any(e != low and _zipf(e) >= z + _TYPO_MARGIN for e in self.english.present(_edits1(low)))

    def suggest(self, word: str) -> str | None:
        """The most frequent known word one edit away (pyspellchecker's
        ranking), or None. Candidates are generated here against the loaded
        frequencies: building a SpellChecker would reload the whole
        dictionary (about 0.1 s) for the first typo of a run."""
        low = word.lower()
        if len(low) > 24:
            return None
        if low in self.other_dialects:
            us = us_spelling(low, self.english)
            if us:
                return us
        # The most frequent candidate; on a tie, the first in alphabetical order.
        best, best_freq = None, 0
        candidates = _edits1(low)
        candidates.discard(low)
        # Only the few candidates that are words are looked at one by one.
        known = self.english.present(candidates)
        for candidate in [*known, *(candidates & self.extra_lower).difference(known)]:
            freq = self.english.get(candidate, 1)  # a word of the packs' lists only: 1
            if freq > 0 and (freq > best_freq or (freq == best_freq and candidate < best)):
                best, best_freq = candidate, freq
        return best


def release(packs) -> None:
    """Let go of the loaded word tables and ``packs``' vocabularies (they
    are loaded again on their next use)."""
    english_frequencies.cache_clear()
    english_zipf.cache_clear()
    _SETS.clear()
    packs.forget(lambda key: isinstance(key, tuple) and key[:1] == ("vocabulary",))


def vocabulary(packs, dialects=DEFAULT_DIALECTS) -> Vocabulary:
    """One Vocabulary per loaded PackSet (pack sets are cached by folder) and
    set of accepted dialects. Dialect word lists (``en-GB.txt``) count only
    when their tag is in ``dialects``."""
    accepted = normalise_dialects(dialects)
    return packs.derived(("vocabulary", accepted), lambda: _build_vocabulary(packs, accepted))


def _build_vocabulary(packs, accepted) -> Vocabulary:
    if not packs.fingerprint:  # packs not loaded from files: nothing to key a memo by
        return Vocabulary(_vocabulary_sets(packs, accepted))
    return Vocabulary(_SETS.get((packs.fingerprint, accepted), lambda: _vocabulary_sets(packs, accepted)))


# The vocabulary's sets, kept between runs (building them from the word
# lists takes about 10 ms of a one-article run): keyed by the pack files'
# fingerprint and the accepted dialects.
_SETS = Memo("vocabulary", code=(__file__,), limit=16)


def _vocabulary_sets(packs, accepted) -> dict[str, set | dict]:
    extra: list[str] = []
    other: dict[str, str] = {}
    accepted_dialect_words: set[str] = set()
    for name, words in packs.word_lists.items():
        if name in ("accept", "reject"):
            continue
        if is_dialect_list(name) and name.lower() not in accepted:
            other.update((w.lower(), name) for w in words)
            continue
        if is_dialect_list(name):
            accepted_dialect_words.update(w.lower() for w in words)
        extra.extend(words)
    # A spelling shared by an accepted dialect (en-AU "colour") is not foreign.
    other = {w: d for w, d in other.items() if w not in accepted_dialect_words}
    extra = [w for w in extra if w.lower() not in other]
    # Text is split into words at hyphens, so "co-codamol" in a list
    # must also accept the word "codamol" (but "and" from
    # "hand-foot-and-mouth" is not a medical word: parts are kept apart).
    words = extra + packs.words("accept")
    return {
        "other_dialects": other,
        "parts": {p.lower() for w in words if "-" in w for p in w.split("-") if p},
        # Entries with capitals (brands, acronyms) are matched case-sensitively.
        "extra_exact": {w for w in words if w != w.lower()},
        "extra_lower": {w for w in words if w == w.lower()},
        "reject": {w.lower() for w in packs.words("reject")},
    }
