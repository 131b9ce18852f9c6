"""Derived data kept between runs in the user's cache folder.

Parsing rule packs, the spelling dictionary and the syllable table costs
more than a pre-commit run can spend, every run. We keep pickles of the
parsed results, keyed by what they are derived from, so a change to any
source rebuilds them. Nothing here is downloaded: everything is derived from
installed files. A missing or read-only cache folder only makes runs slower.

Location: HEALTH_LINT_CACHE_DIR, else $XDG_CACHE_HOME/health-lint, else
~/.cache/health-lint.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Callable, TypeVar

from .safe_write import write_file

T = TypeVar("T")
FORMAT = 5  # bump when a cached structure changes shape (5: WordTable keeps a sample of its words)


def cache_dir() -> Path:
    if os.environ.get("HEALTH_LINT_CACHE_DIR"):
        return Path(os.environ["HEALTH_LINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "health-lint"


def file_key(*paths: Path) -> str:
    """A key that changes when any of the files changes."""
    parts = []
    for path in paths:
        try:
            st = path.stat()
            parts.append(f"{st.st_size:x}-{st.st_mtime_ns:x}")
        except OSError:
            parts.append("missing")
    return "-".join(parts)


def cached(name: str, key: str, build: Callable[[], T], check: Callable[[object], bool] = lambda v: True) -> T:
    """``build()``'s result, read from ``<cache>/<name>-<key>.pickle`` when
    present; older entries of the same name are removed when a new one is
    written."""
    folder = cache_dir()
    path = folder / f"{name}-v{FORMAT}-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            value = pickle.load(fh)
        if check(value):
            return value
    except Exception:  # noqa: BLE001  absent, unreadable or damaged (any error unpickling): rebuild
        pass
    value = build()
    _write(path, name, value)
    return value


class Memo:
    """A memo kept between runs: values that are a pure function of their
    key and of the code in ``code`` (source files), such as a pack phrase's
    compiled form. Loaded on first use; written at exit when this process
    added entries. Another content of any of ``code``, or another Python,
    starts a new memo, so an upgrade never reads values other code built.
    At most ``limit`` entries are kept, the oldest going first."""

    def __init__(self, name: str, code: tuple[str, ...] = (), version: str = "", limit: int = 20_000):
        self.name = name
        self.code = code
        self.version = version  # what else the values depend on
        self.limit = limit
        self._data: dict | None = None
        self._path: Path | None = None
        self._changed = False

    def get(self, key, build: Callable[[], T]) -> T:
        """The value kept for ``key``, else ``build()``'s (then kept)."""
        data = self.entries()
        try:
            return data[key]
        except KeyError:
            pass
        value = build()
        self.add(key, value)
        return value

    def entries(self) -> dict:
        return self._data if self._data is not None else self._load()

    def add(self, key, value) -> None:
        data = self.entries()
        while len(data) >= self.limit:
            del data[next(iter(data))]  # the oldest entry goes
        data[key] = value
        if not self._changed:
            self._changed = True
            import atexit

            atexit.register(self.save)

    def _load(self) -> dict:
        # The code's bytes, not its size and time (some installers give
        # every file the same time), and the Python that runs it (Unicode
        # tables, the regex engine).
        h = hashlib.blake2b(f"{self.version}\0{sys.version}\0".encode(), digest_size=12)
        for path in self.code:
            try:
                h.update(Path(path).read_bytes())
            except OSError:
                h.update(b"\0missing")
        self._path = cache_dir() / f"{self.name}-v{FORMAT}-{h.hexdigest()}.pickle"
        self._data = {}
        try:
            with open(self._path, "rb") as fh:
                raw = fh.read()
            # A memo's values are used as they are (a regular expression's
            # engine code): a damaged file must not be read at all.
            if hashlib.blake2b(raw[_DIGEST:], digest_size=_DIGEST).digest() == raw[:_DIGEST]:
                data = pickle.loads(raw[_DIGEST:])
                if isinstance(data, dict):
                    self._data = data
        except Exception:  # noqa: BLE001  absent, unreadable or damaged: filled again as values are built
            pass
        return self._data

    def save(self) -> None:
        """Write the memo if this process added entries (run at exit)."""
        if not self._changed or self._data is None or self._path is None:
            return
        self._changed = False
        data = pickle.dumps(self._data, protocol=pickle.HIGHEST_PROTOCOL)
        _write(self._path, self.name, hashlib.blake2b(data, digest_size=_DIGEST).digest() + data)

    def clear(self) -> None:
        """Forget what is loaded (the file is read again on next use)."""
        self._data, self._changed = None, False


_DIGEST = 16  # a memo file starts with this many bytes of BLAKE2b of the rest


def _write(path: Path, name: str, value) -> None:
    """Write ``value`` (pickled unless it is bytes) to ``path`` and remove
    older entries of ``name``.
    Atomic: a parallel or interrupted run never leaves half a file. A
    read-only or missing cache folder only makes runs slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, value if isinstance(value, bytes) else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob(f"{name}-v*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
