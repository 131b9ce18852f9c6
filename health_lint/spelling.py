"""The spelling vocabulary: pyspellchecker's English dictionary plus the
medical word list and project vocabularies shipped as rule packs.

pyspellchecker takes about 0.13 s to load its dictionary, a third of a
pre-commit run's budget. We keep a pickled copy of the loaded word
frequencies in the user's cache folder (about 25 ms to read), rebuilt when
pyspellchecker's version changes. Nothing is downloaded: the cache is made
from the installed package. Suggestions need the full SpellChecker, which is
built only when an article has an unknown word.
"""
from __future__ import annotations

import os
import pickle
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

CACHE_VERSION = 1


def cache_dir() -> Path:
    """HEALTH_LINT_CACHE_DIR, else $XDG_CACHE_HOME/health-lint, else ~/.cache/health-lint."""
    if os.environ.get("HEALTH_LINT_CACHE_DIR"):
        return Path(os.environ["HEALTH_LINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "health-lint"


@lru_cache(maxsize=1)
def english_frequencies() -> dict[str, int]:
    from importlib.metadata import version

    try:
        tag = version("pyspellchecker")
    except Exception:  # not installed as a distribution (vendored): no cache key
        tag = "unknown"
    path = cache_dir() / f"en-{tag}-v{CACHE_VERSION}.pickle"
    if path.is_file():
        try:
            with open(path, "rb") as fh:
                data = pickle.load(fh)
            if isinstance(data, dict) and data:
                return data
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            pass  # a broken cache is rebuilt below
    from spellchecker import SpellChecker

    data = dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a parallel run never reads half a file
    except OSError:
        pass  # read-only home: just slower next time
    return data


class Vocabulary:
    """Known words: English + medical + accept lists; reject list."""

    def __init__(self, extra: list[str], accept: list[str], reject: list[str]):
        self.english = english_frequencies()
        # Text is split into words at hyphens, so "co-codamol" in a list
        # must also accept the word "codamol".
        words = [part for w in extra + accept for part in ([w, *w.split("-")] if "-" in w else [w]) if part]
        # Entries with capitals (brands, acronyms) are matched case-sensitively.
        self.extra_exact = {w for w in words if w != w.lower()}
        self.extra_lower = {w for w in words if w == w.lower()}
        self.reject = {w.lower() for w in reject}
        self._checker = None

    def is_known(self, word: str) -> bool:
        if word in self.extra_exact:
            return True
        low = word.lower()
        if low in self.english or low in self.extra_lower:
            return True
        if not low.isascii():  # naïve, café, Barré: the dictionaries mostly lack accents
            plain = unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode()
            return plain != low and (plain in self.english or plain in self.extra_lower)
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
