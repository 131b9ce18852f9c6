"""Persistent cache of link results and crawl state, in one SQLite file.

``Cache(path)`` opens (or creates) the file — default
``.health-lint-cache.sqlite`` — in WAL mode with a busy timeout, so several
processes (``links`` in one terminal, ``crawl`` in another, CI jobs sharing a
workspace) can read and write it at once; every write is one short
transaction, retried when the database is busy.

Link results are stored by normalised URL (:func:`urls.normalize_url`) as
JSON with an expiry time chosen per result class by the caller (see
``WebConfig.ttl_for``); expired rows are ignored and overwritten.

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
import threading
import time
from typing import Any, Iterable

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


class Cache:
    def __init__(self, path: str | os.PathLike = DEFAULT_CACHE_PATH, busy_timeout: float = 30.0):
        self.path = os.fspath(path)
        self._lock = threading.RLock()
        self.busy_timeout = busy_timeout
        self._conn = sqlite3.connect(self.path, timeout=busy_timeout, check_same_thread=False, isolation_level=None)
        self._conn.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        self._retry(lambda: self._conn.execute("PRAGMA journal_mode=WAL"))
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._retry(lambda: self._conn.executescript(SCHEMA))

    # -- plumbing ---------------------------------------------------------
    def _retry(self, fn, attempts: int = 50):
        delay = 0.01
        for i in range(attempts):
            try:
                with self._lock:
                    return fn()
            except sqlite3.OperationalError as exc:
                msg = str(exc).lower()
                if ("locked" not in msg and "busy" not in msg) or i == attempts - 1:
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
                cur.execute("ROLLBACK")
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
        return json.loads(row[0])

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
                out[key] = json.loads(data)
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
        return json.loads(row[0]) if row else {}

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
        return [(k, d, json.loads(data)) for k, d, data in rows]
