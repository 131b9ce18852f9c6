"""A read-only word -> integer table that loads fast from a pickle.

The spelling dictionary (160,000 words), the Zipf frequencies (90,000) and
the syllable table (140,000) are read on every run. Unpickling a dict of
that size takes about 33 ms, a list of its words about 10 ms; the table is
kept as one newline-joined string of the sorted words, an array of where
each starts and an array of values, which unpickle in about 1 ms, plus
every 32nd word as a list (about 0.2 ms). A pre-commit run on one article
looks up a few thousand words: a C-level binary search in that list finds
the stretch of 32 words that can hold the word, and a C-level search of
that stretch of the string finds it (about 1 µs). A run that looks up more
gets the list of all the words (C-level binary search), then a dict.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from typing import Iterator, Mapping


class WordTable:
    __slots__ = ("_blob", "_starts", "_sample", "values", "_words", "_lookups", "_dict")

    # After this many lookups in a process, a dict (built in about 20 ms for
    # 160,000 words) answers faster than more binary searches: a site's run
    # or spelling suggestions (hundreds of candidates a word) get there, a
    # pre-commit run on one article does not.
    DICT_AFTER = 20_000
    # After this many lookups the string is split into the list of words
    # (about 8 ms for 160,000 words): C-level binary searches from then on.
    # A spelling suggestion or typo check asks about 400 candidates at once.
    LIST_AFTER = 5_000
    SAMPLE = 32  # every SAMPLE-th word is kept as a list (see _search)

    def __init__(self, mapping: Mapping[str, int] | None = None):
        items = sorted((mapping or {}).items())
        words = [w for w, _ in items]
        if any("\n" in w for w in words):
            raise ValueError("a word table's words cannot hold a newline")
        values = [v for _, v in items]
        self.__setstate__(("\n".join(words), _offsets(words), words[::self.SAMPLE], array(_typecode(values), values)))

    @property
    def words(self) -> list[str]:
        """The sorted words (split from the string on first use)."""
        if self._words is None:
            self._words = self._blob.split("\n") if self.values else []
        return self._words

    def as_dict(self) -> None:
        """Build the lookup dict now (before forking, so that worker
        processes share it instead of each building its own)."""
        if self._dict is None:
            words = self.words
            self._dict = dict(zip(words, range(len(words))))
            # The list answers from now on: the string and its offsets go
            # (about 2 MB a table, in a 10,000-article run's every process).
            self._blob, self._starts, self._sample = None, None, None

    def _index(self, word: str) -> int:
        d = self._dict
        if d is not None:
            return d.get(word, -1)
        self._count_lookups(1)
        return self._search(word)

    def _count_lookups(self, n: int) -> None:
        self._lookups += n
        if self._lookups >= self.LIST_AFTER:
            if self._lookups >= self.DICT_AFTER:
                self.as_dict()
            else:
                self.words  # noqa: B018  (split once: C-level searches)

    def _search(self, word: str) -> int:
        words = self._words
        if words is not None:
            i = bisect_left(words, word)
            return i if i < len(words) and words[i] == word else -1
        b = bisect_right(self._sample, word) - 1
        if b < 0:
            return -1
        lo, stretch = self._stretch(b)
        at = stretch.find("\n" + word + "\n")
        return -1 if at < 0 else lo + stretch.count("\n", 0, at)

    def _stretch(self, b: int) -> tuple[int, str]:
        """The index of the first of the SAMPLE words from sample entry
        ``b`` on, and those words as ``"\nw1\nw2...\n"``: the sample (every
        SAMPLE-th word, C-level bisect) finds the stretch that can hold a
        word, a C-level search of the stretch finds it (words[i] is
        blob[starts[i]:starts[i + 1] - 1])."""
        lo = b * self.SAMPLE
        hi = min(lo + self.SAMPLE, len(self.values))
        return lo, "\n" + self._blob[self._starts[lo]:self._starts[hi] - 1] + "\n"

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and "\n" not in word and self._index(word) >= 0

    def present(self, words: set[str]) -> list[str]:
        """The ``words`` that are in the table. With the lookup dict built,
        one C-level set intersection instead of a Python call per word
        (spelling suggestions test hundreds of candidates a word)."""
        if self._dict is None:
            self._count_lookups(len(words))
        if self._dict is not None:
            return list(words & self._dict.keys())
        if self._words is not None:
            return [w for w in words if "\n" not in w and self._search(w) >= 0]
        # In sorted order, neighbouring candidates share a stretch of the
        # string: each stretch is cut once (see _search).
        sample, found = self._sample, []
        current, stretch = -1, ""
        for w in sorted(words):
            b = bisect_right(sample, w) - 1
            if b < 0 or "\n" in w:
                continue
            if b != current:
                current, (_, stretch) = b, self._stretch(b)
            if "\n" + w + "\n" in stretch:
                found.append(w)
        return found

    def get(self, word: str, default=None):
        i = self._index(word) if "\n" not in word else -1
        return self.values[i] if i >= 0 else default

    def __getitem__(self, word: str) -> int:
        i = self._index(word) if "\n" not in word else -1
        if i < 0:
            raise KeyError(word)
        return self.values[i]

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __getstate__(self):
        if self._blob is None:  # see as_dict
            return "\n".join(self.words), _offsets(self.words), self.words[::self.SAMPLE], self.values
        return self._blob, self._starts, self._sample, self.values

    def __setstate__(self, state) -> None:
        self._blob, self._starts, self._sample, self.values = state
        self._words = None
        self._lookups = 0
        self._dict = None


def _typecode(values: list[int]) -> str:
    """The smallest array type that holds every value: syllable counts fit
    in a byte, Zipf frequencies in two, so the tables load faster."""
    lo, hi = (min(values), max(values)) if values else (0, 0)
    for code in "bhi":
        bound = 1 << (8 * array(code).itemsize - 1)
        if -bound <= lo and hi < bound:
            return code
    return "q"


def _offsets(words: list[str]) -> array:
    """Where each word starts in ``"\\n".join(words)``, and one past the end."""
    starts = array("i", [0])
    for w in words:
        starts.append(starts[-1] + len(w) + 1)
    return starts
