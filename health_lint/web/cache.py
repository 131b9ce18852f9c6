"""Persistent cache of link results and crawl state, in one SQLite file.

``Cache(path)`` opens (or creates) the file — default
``.health-lint-cache.sqlite`` — in WAL mode with a busy timeout, so several
processes (``links`` in one terminal, ``crawl`` in another, CI jobs sharing a
workspace) can read and write it at once; every write is one short
transaction, retried when the database is busy.

Link results are stored by normalised URL (:func:`urls.normalize_url`) as
JSON with an expiry time chosen per result class by the caller (see
``WebConfig.ttl_for``); expired rows are ignored and overwritten.

Damage never stops a run: a file that is not an SQLite database or is
malformed is renamed ``<path>.damaged-<time>`` with a warning and a new cache
is built in its place (also when the damage shows up mid-run); a row whose
JSON cannot be read is dropped with a warning and its URL checked again.

Crawl state: a crawl is identified by its normalised start URL. For each
fetched page the crawler stores its depth, HTTP result and extracted links
(with anchor text), plus the seeds found in sitemaps. ``crawl --resume``
replays these pages instead of fetching them again, which rebuilds the
frontier exactly, and goes on from there.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from typing import Any, Callable, Iterable

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    classification TEXT NOT NULL,
    data TEXT NOT NULL,
    stored_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS crawls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    start_key TEXT NOT NULL UNIQUE,
    started REAL NOT NULL,
    finished REAL,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS crawl_pages (
    crawl_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    depth INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (crawl_id, key)
);
"""

DEFAULT_CACHE_PATH = ".health-lint-cache.sqlite"


def _is_damage(exc: BaseException) -> bool:
    """An SQLite error that means the file is not a (sound) database, as
    opposed to a lock, a permission or a bad path."""
    msg = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError):
        return "malformed" in msg or "not a database" in msg
    return isinstance(exc, sqlite3.DatabaseError)


def _warn_stderr(message: str) -> None:
    sys.stderr.write(f"health-lint: warning: {message}\n")


class Cache:
    def __init__(self, path: str | os.PathLike = DEFAULT_CACHE_PATH, busy_timeout: float = 30.0,
                 on_warning: Callable[[str], None] | None = None):
        self.path = os.fspath(path)
        self._lock = threading.RLock()
        self.busy_timeout = busy_timeout
        self.on_warning = on_warning or _warn_stderr
        self.warnings: list[str] = []
        self._bad_rows = 0
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise
            self._set_aside(exc)

    def _open(self) -> None:
        self._conn = sqlite3.connect(self.path, timeout=self.busy_timeout, check_same_thread=False,
                                     isolation_level=None)
        try:
            self._conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
            self._retry(lambda: self._conn.execute("PRAGMA journal_mode=WAL"), recover=False)
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._retry(lambda: self._conn.executescript(SCHEMA), recover=False)
        except BaseException:
            self._conn.close()
            raise

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        self.on_warning(message)

    def _set_aside(self, exc: BaseException) -> None:
        """Move a damaged database (and its WAL files) out of the way and
        start a new, empty one."""
        with self._lock:
            try:
                self._conn.close()
            except (AttributeError, sqlite3.Error):
                pass
            aside = f"{self.path}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                if os.path.exists(self.path + suffix):
                    os.replace(self.path + suffix, aside + suffix)
            self._warn(f"cache {self.path} is damaged ({exc}); moved it to {aside} and started a new cache")
            self._open()

    def _bad_row(self, table: str, key: Any) -> None:
        self._bad_rows += 1
        if self._bad_rows == 1:
            self._warn(f"cache {self.path}: a damaged {table} entry was dropped (it is checked again)")
        try:
            if table == "results":
                self._write([("DELETE FROM results WHERE key=?", (key,))])
            else:
                self._write([("DELETE FROM crawl_pages WHERE crawl_id=? AND key=?", key)])
        except sqlite3.Error:
            pass  # dropping it is a courtesy: it is ignored either way

    def _loads(self, table: str, key: Any, text: Any) -> Any:
        """Decoded JSON of a row, or None (row dropped) when unreadable."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError, RecursionError):
            self._bad_row(table, key)
            return None
        if not isinstance(data, dict):
            self._bad_row(table, key)
            return None
        return data

    # -- plumbing ---------------------------------------------------------
    def _retry(self, fn, attempts: int = 50, recover: bool = True):
        delay = 0.01
        for i in range(attempts):
            try:
                with self._lock:
                    return fn()
            except sqlite3.DatabaseError as exc:
                if _is_damage(exc):
                    if not recover:
                        raise
                    # Damage found mid-run: a fresh cache, then the same call once more.
                    self._set_aside(exc)
                    recover = False
                    continue
                msg = str(exc).lower()
                if not isinstance(exc, sqlite3.OperationalError) or ("locked" not in msg and "busy" not in msg) \
                        or i == attempts - 1:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def _write(self, statements: Iterable[tuple[str, tuple]]) -> None:
        statements = list(statements)

        def run():
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    cur.execute(sql, args)
                cur.execute("COMMIT")
            except BaseException:
                try:
                    cur.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # no transaction left (e.g. a damaged file): the original error says why
                raise

        self._retry(run)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- link results -------------------------------------------------------
    def get(self, key: str, now: float | None = None) -> dict[str, Any] | None:
        now = time.time() if now is None else now
        row = self._retry(lambda: self._conn.execute("SELECT data, expires_at FROM results WHERE key=?", (key,)).fetchone())
        if row is None or row[1] < now:
            return None
        return self._loads("results", key, row[0])

    def get_many(self, keys: Iterable[str], now: float | None = None) -> dict[str, dict[str, Any]]:
        now = time.time() if now is None else now
        keys = list(dict.fromkeys(keys))
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._retry(lambda: self._conn.execute(
                f"SELECT key, data FROM results WHERE expires_at >= ? AND key IN ({marks})", (now, *chunk)
            ).fetchall())
            for key, data in rows:
                value = self._loads("results", key, data)
                if value is not None:
                    out[key] = value
        return out

    def put(self, key: str, data: dict[str, Any], classification: str, ttl: float | None) -> None:
        self.put_many([(key, data, classification, ttl)])

    def put_many(self, items: Iterable[tuple[str, dict[str, Any], str, float | None]]) -> None:
        now = time.time()
        stmts = [
            ("INSERT OR REPLACE INTO results (key, classification, data, stored_at, expires_at) VALUES (?,?,?,?,?)",
             (key, cls, json.dumps(data), now, now + ttl))
            for key, data, cls, ttl in items
            if ttl is not None and ttl > 0
        ]
        if stmts:
            self._write(stmts)

    def count(self) -> int:
        return self._retry(lambda: self._conn.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def purge_expired(self) -> None:
        self._write([("DELETE FROM results WHERE expires_at < ?", (time.time(),))])

    # -- crawl state ----------------------------------------------------------
    def crawl_begin(self, start_key: str, resume: bool) -> tuple[int, bool]:
        """Return (crawl id, resumed). Without ``resume`` any earlier state of
        this start URL is discarded."""
        row = self._retry(lambda: self._conn.execute("SELECT id FROM crawls WHERE start_key=?", (start_key,)).fetchone())
        if row is not None and resume:
            return row[0], True
        stmts = []
        if row is not None:
            stmts += [("DELETE FROM crawl_pages WHERE crawl_id=?", (row[0],)), ("DELETE FROM crawls WHERE id=?", (row[0],))]
        stmts.append(("INSERT INTO crawls (start_key, started) VALUES (?, ?)", (start_key, time.time())))
        self._write(stmts)
        new = self._retry(lambda: self._conn.execute("SELECT id FROM crawls WHERE start_key=?", (start_key,)).fetchone())
        return new[0], False

    def crawl_meta(self, crawl_id: int) -> dict[str, Any]:
        row = self._retry(lambda: self._conn.execute("SELECT meta FROM crawls WHERE id=?", (crawl_id,)).fetchone())
        if not row:
            return {}
        try:
            meta = json.loads(row[0])
        except (TypeError, ValueError, RecursionError):
            meta = None
        if not isinstance(meta, dict):
            self._warn(f"cache {self.path}: the saved crawl state is damaged; robots.txt and sitemaps are read again")
            return {}
        return meta

    def crawl_set_meta(self, crawl_id: int, meta: dict[str, Any]) -> None:
        self._write([("UPDATE crawls SET meta=? WHERE id=?", (json.dumps(meta), crawl_id))])

    def crawl_finish(self, crawl_id: int) -> None:
        self._write([("UPDATE crawls SET finished=? WHERE id=?", (time.time(), crawl_id))])

    def crawl_save_pages(self, crawl_id: int, pages: Iterable[tuple[str, int, dict[str, Any]]]) -> None:
        base = self._retry(lambda: self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM crawl_pages WHERE crawl_id=?", (crawl_id,)).fetchone()[0])
        stmts = [
            ("INSERT OR REPLACE INTO crawl_pages (crawl_id, key, depth, seq, data) VALUES (?,?,?,?,?)",
             (crawl_id, key, depth, base + i + 1, json.dumps(data)))
            for i, (key, depth, data) in enumerate(pages)
        ]
        if stmts:
            self._write(stmts)

    def crawl_pages(self, crawl_id: int) -> list[tuple[str, int, dict[str, Any]]]:
        rows = self._retry(lambda: self._conn.execute(
            "SELECT key, depth, data FROM crawl_pages WHERE crawl_id=? ORDER BY seq", (crawl_id,)).fetchall())
        out = []
        for key, depth, data in rows:
            page = self._loads("crawl_pages", (crawl_id, key), data)
            if page is not None:
                out.append((key, depth, page))
        return out
