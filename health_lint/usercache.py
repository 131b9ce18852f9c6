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

import os
import pickle
from pathlib import Path
from typing import Callable, TypeVar

from .safe_write import write_file

T = TypeVar("T")
FORMAT = 4  # bump when a cached structure changes shape (4: WordTable as one string)


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
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError):
        pass  # absent or unreadable: rebuild
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Atomic: a parallel or interrupted run never leaves half a file.
        write_file(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        for old in folder.glob(f"{name}-v*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
