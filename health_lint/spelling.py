"""The spelling vocabulary: pyspellchecker's English dictionary plus the
medical word list and project vocabularies shipped as rule packs.

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

from .usercache import cached, file_key

@lru_cache(maxsize=1)
def english_frequencies() -> dict[str, int]:
    """pyspellchecker's English word frequencies (cached, see usercache)."""
    import importlib.util

    spec = importlib.util.find_spec("spellchecker")
    source = Path(spec.origin).parent / "resources" / "en.json.gz" if spec and spec.origin else Path("-")

    def build() -> dict[str, int]:
        from spellchecker import SpellChecker

        return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)

    return cached("spelling-en", file_key(source), build, lambda v: isinstance(v, dict) and bool(v))


class Vocabulary:
    """Known words: English + medical + accept lists; reject list."""

    def __init__(self, extra: list[str], accept: list[str], reject: list[str]):
        self.english = english_frequencies()
        # Text is split into words at hyphens, so "co-codamol" in a list
        # must also accept the word "codamol" (but "and" from
        # "hand-foot-and-mouth" is not a medical word: parts are kept apart).
        words = extra + accept
        self.parts = {p.lower() for w in words if "-" in w for p in w.split("-") if p}
        # Entries with capitals (brands, acronyms) are matched case-sensitively.
        self.extra_exact = {w for w in words if w != w.lower()}
        self.extra_lower = {w for w in words if w == w.lower()}
        self.reject = {w.lower() for w in reject}
        self._checker = None

    def is_known(self, word: str) -> bool:
        if word in self.extra_exact:
            return True
        low = word.lower()
        if low in self.english or low in self.extra_lower or low in self.parts:
            return True
        if not low.isascii():  # naïve, café, Barré: the dictionaries mostly lack accents
            plain = unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode()
            return plain != low and (plain in self.english or plain in self.extra_lower or plain in self.parts)
        return False

    def suggest(self, word: str) -> str | None:
        """The most frequent known word one edit away, or None. Long words
        are not tried: pyspellchecker's search there is slow and rarely right."""
        if len(word) > 24:
            return None
        if self._checker is None:
            from spellchecker import SpellChecker

            checker = SpellChecker(language=None, distance=1)
            checker.word_frequency.load_json({**self.english, **dict.fromkeys(self.extra_lower, 1)})
            self._checker = checker
        candidates = self._checker.candidates(word.lower()) or set()
        candidates.discard(word.lower())
        if not candidates:
            return None
        freq = self._checker.word_frequency
        return max(sorted(candidates), key=lambda c: freq[c])


_BY_PACKS: dict[int, Vocabulary] = {}


def vocabulary(packs) -> Vocabulary:
    """One Vocabulary per loaded PackSet (pack sets are cached by folder)."""
    if id(packs) in _BY_PACKS:
        return _BY_PACKS[id(packs)]
    extra = []
    for name, words in packs.word_lists.items():
        if name not in ("accept", "reject"):
            extra.extend(words)
    vocab = Vocabulary(extra, packs.words("accept"), packs.words("reject"))
    _BY_PACKS[id(packs)] = vocab
    return vocab
