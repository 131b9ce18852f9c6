"""A read-only word -> integer table that loads fast from a pickle.

The spelling dictionary (160,000 words) and the syllable table (140,000)
are read on every run. Unpickling a dict of that size takes about 33 ms; a
sorted list of words plus an array of values takes about 13 ms, and lookups
by binary search (C-level bisect) are still well under a microsecond.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from typing import Iterator, Mapping


class WordTable:
    __slots__ = ("words", "values", "_lookups", "_dict")

    # After this many lookups in a process, a dict (built in about 20 ms for
    # 160,000 words) answers faster than more binary searches: a site's run
    # or spelling suggestions (hundreds of candidates a word) get there, a
    # pre-commit run on one article does not.
    DICT_AFTER = 20_000

    def __init__(self, mapping: Mapping[str, int] | None = None):
        items = sorted((mapping or {}).items())
        self.words = [w for w, _ in items]
        self.values = array("q", [v for _, v in items])
        self._lookups = 0
        self._dict: dict[str, int] | None = None

    def as_dict(self) -> None:
        """Build the lookup dict now (before forking workers, so that they
        share it instead of each building its own)."""
        if self._dict is None:
            self._dict = {w: i for i, w in enumerate(self.words)}

    def _index(self, word: str) -> int:
        d = self._dict
        if d is not None:
            return d.get(word, -1)
        self._count_lookups(1)
        return self._search(word)

    def _count_lookups(self, n: int) -> None:
        self._lookups += n
        if self._lookups >= self.DICT_AFTER:
            self.as_dict()

    def _search(self, word: str) -> int:
        i = bisect_left(self.words, word)
        return i if i < len(self.words) and self.words[i] == word else -1

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._index(word) >= 0

    def present(self, words: set[str]) -> list[str]:
        """The ``words`` that are in the table. With the lookup dict built,
        one C-level set intersection instead of a Python call per word
        (spelling suggestions test hundreds of candidates a word)."""
        if self._dict is None:
            self._count_lookups(len(words))
        if self._dict is not None:
            return list(words & self._dict.keys())
        return [w for w in words if self._search(w) >= 0]

    def get(self, word: str, default=None):
        i = self._index(word)
        return self.values[i] if i >= 0 else default

    def __getitem__(self, word: str) -> int:
        i = self._index(word)
        if i < 0:
            raise KeyError(word)
        return self.values[i]

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __getstate__(self):
        return self.words, self.values

    def __setstate__(self, state) -> None:
        self.words, self.values = state
        self._lookups = 0
        self._dict = None
