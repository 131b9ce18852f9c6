"""A tqdm progress bar for links/crawl: only on a terminal, silent in CI.

``Progress.create(config)`` returns a :class:`Progress` that does nothing
when stderr is not a TTY, ``CI`` is set, or ``config.progress`` is False.
"""
from __future__ import annotations

import os
import sys
import threading
import time


class Progress:
    def __init__(self, enabled: bool, unit: str = "link"):
        self.enabled = enabled
        self.pages = 0
        self.links = 0
        self.errors = 0
        self.from_cache = 0
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._bar = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=0, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)

    @classmethod
    def create(cls, config, unit: str = "link") -> "Progress":
        enabled = config.progress
        if enabled is None:
            enabled = sys.stderr.isatty() and not os.environ.get("CI")
        return cls(bool(enabled), unit)

    def add_total(self, n: int) -> None:
        if self._bar is not None and n:
            with self._lock:
                self._bar.total = (self._bar.total or 0) + n
                self._bar.refresh()

    def cached(self, n: int) -> None:
        """Results answered from the cache: counted apart from the bar (its
        total, rate and ETA are the requests still to make)."""
        with self._lock:
            self.from_cache += n
        self._refresh()

    def page(self, requested: bool = False) -> None:
        """A crawled page; ``requested``: it was fetched (and so counted in
        the bar's total when it was sent), not read from saved state."""
        with self._lock:
            self.pages += 1
            if requested and self._bar is not None:
                self._bar.update(1)
        self._refresh()

    def update(self, result) -> None:
        with self._lock:
            self.links += 1
            if result.classification in ("broken", "server-error"):
                self.errors += 1
            if self._bar is not None:
                self._bar.update(1)
        self._refresh()

    def _refresh(self) -> None:
        if self._bar is None:
            return
        rate = (self.pages + self.links) / max(1e-6, time.monotonic() - self.started)
        cached = f" cached={self.from_cache}" if self.from_cache else ""
        self._bar.set_postfix_str(f"pages={self.pages} links={self.links} errors={self.errors}{cached} {rate:.0f}/s",
                                  refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
