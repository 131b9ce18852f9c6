"""Hostile servers on 127.0.0.1, started by the tests: each must cost the
checker bounded time and memory and be classified correctly.

* a raw socket server that drips its status line, its headers or its body
  one byte at a time (the whole-link deadline covers all of it, and every
  redirect hop);
* endless redirect chains and loops that the crawler follows page by page;
* sitemap bombs (gzip generated here at test time) and sitemap trees too
  many, too deep or too long;
* a ``Crawl-delay: 86400``;
* a server at its connection cap (slows the checker down, never "broken").

Memory is measured in a child process (``ru_maxrss``), so the figure is the
crawl's own and not the test runner's.
"""
from __future__ import annotations

import functools
import json
import socket
import subprocess
import sys
import threading
import time
import zlib

import pytest

from health_lint.web import check_urls, crawl, crawl_findings

from ..conftest import ROOT
from .conftest import fast_config

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml"}
TEXT = {"Content-Type": "text/plain"}


class DripServer:
    """Answers every request by sending ``prefix`` at once and then
    ``drip`` one byte every ``interval`` seconds, for up to a minute.
    ``cut_after`` records how long after the request each connection was
    closed by the client (the server notices on its next send)."""

    def __init__(self, prefix: bytes, drip: bytes, interval: float = 0.05):
        self.prefix, self.drip, self.interval = prefix, drip, interval
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests = 0
        self.cut_after: list[float] = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        start = time.monotonic()
        try:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            self.requests += 1
            start = time.monotonic()
            if self.prefix:
                conn.sendall(self.prefix)
            for i in range(int(60 / self.interval)):
                if self.closed:
                    return
                time.sleep(self.interval)
                conn.sendall(self.drip[i % len(self.drip):i % len(self.drip) + 1])
        except OSError:
            self.cut_after.append(time.monotonic() - start)
        finally:
            conn.close()

    def close(self):
        self.closed = True
        self.sock.close()


STATUS = b"HTTP/1.1 200 OK\r\n"
HEADERS = b"Content-Type: text/html\r\nX-Padding: " + b"p" * 5000 + b"\r\n\r\n"


@pytest.mark.parametrize("prefix, drip", [
    (b"", STATUS),  # the status line, a byte at a time
    (STATUS, HEADERS),  # the headers, a byte at a time
    (STATUS + b"Content-Type: text/html\r\nContent-Length: 100000\r\n\r\n", b"<p>" + b"x" * 99_997),  # the body
], ids=["status-line", "headers", "body"])
@pytest.mark.parametrize("head_first", [True, False], ids=["HEAD", "GET"])
def test_a_dripping_answer_is_cut_at_the_deadline(prefix, drip, head_first):
    server = DripServer(prefix, drip)
    try:
        cfg = fast_config(connect_timeout=0.2, read_timeout=0.5, total_timeout=1.0, head_first=head_first)
        t = time.monotonic()
        r = check_urls([server.url + "/"], cfg)[server.url + "/"]
        took = time.monotonic() - t
        if head_first and prefix.endswith(b"100000\r\n\r\n"):
            # HEAD has no body: the complete headers are the answer.
            assert r.classification == "ok"
            return
        assert took < 2.0, took
        assert r.classification == "unverified" and r.error_kind == "timeout", r
        assert "within 1 s" in r.error
        assert server.requests == 1  # a whole-link timeout is not retried
        deadline = time.monotonic() + 2
        while not server.cut_after and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.cut_after and server.cut_after[0] < 1.5  # the connection was closed, not left dripping
    finally:
        server.close()


def test_the_deadline_spans_every_redirect_hop(site):
    # Each hop answers within the read timeout (its status line takes 0.3 s),
    # but ten of them together take far longer than the 1 s budget.
    def slow_hop(req):
        time.sleep(0.3)
        n = int(req.path.rsplit("/", 1)[-1])
        return 302, {"Location": f"/hop/{n + 1}"}, b""

    for n in range(12):
        site.route(f"/hop/{n}", slow_hop)
    cfg = fast_config(connect_timeout=0.2, read_timeout=0.5, total_timeout=1.0)
    t = time.monotonic()
    r = check_urls([site.url("/hop/0")], cfg)[site.url("/hop/0")]
    assert time.monotonic() - t < 2.0
    assert r.classification == "unverified" and r.error_kind == "timeout"
    assert sum(site.count(f"/hop/{n}") for n in range(12)) <= 5


def test_a_crawl_start_page_that_drips_its_headers_is_bounded():
    server = DripServer(STATUS, HEADERS)
    try:
        t = time.monotonic()
        res = crawl(server.url + "/", fast_config(connect_timeout=0.2, read_timeout=0.5, total_timeout=1.0,
                                                  respect_robots=False, use_sitemap=False))
        assert time.monotonic() - t < 3.0
        r = res.results[server.url + "/"]
        assert r.classification == "unverified" and r.error_kind == "timeout"
    finally:
        server.close()


# --- redirect chains followed page by page by crawl ----------------------------------------

def test_an_endless_redirect_chain_in_a_crawl_is_bounded_and_broken(site):
    def next_hop(req):
        n = int(req.path.rsplit("/", 1)[-1])
        return 302, {"Location": f"/r/{n + 1}"}, b""

    for n in range(200):
        site.route(f"/r/{n}", next_hop)
    site.page("/", '<a href="/r/0">start of the chain</a>')
    t = time.monotonic()
    cfg = fast_config(use_sitemap=False, respect_robots=False, max_redirects=10)
    res = crawl(site.url("/"), cfg)
    assert time.monotonic() - t < 5
    assert sum(site.count(f"/r/{n}") for n in range(200)) <= 12  # 11 pages at most, then the chain is cut
    r = res.results[site.url("/r/0")]
    assert r.classification == "broken" and r.error_kind == "too-many-redirects", r
    findings = [f for f in crawl_findings(res, cfg) if f.data.get("url") == site.url("/r/0")]
    assert [(f.rule, f.severity) for f in findings] == [("links/broken", "error")]
    assert "more than 10 redirects" in findings[0].message


def test_a_redirect_loop_across_crawl_pages_is_broken_not_a_warning(site):
    site.route("/loop/a", (301, {"Location": "/loop/b"}, b""))
    site.route("/loop/b", (301, {"Location": "/loop/c"}, b""))
    site.route("/loop/c", (301, {"Location": "/loop/a"}, b""))
    site.page("/", '<a href="/loop/a">loop</a> <a href="/loop/b">loop too</a>')
    cfg = fast_config(use_sitemap=False, respect_robots=False)
    res = crawl(site.url("/"), cfg)
    for path in ("/loop/a", "/loop/b"):
        r = res.results[site.url(path)]
        assert r.classification == "broken" and r.error_kind == "loop", r
        assert "redirect loop back to" in r.error
    rules = {(f.data["url"], f.rule, f.severity) for f in crawl_findings(res, cfg) if "/loop/" in f.data.get("url", "")}
    assert rules == {(site.url("/loop/a"), "links/broken", "error"), (site.url("/loop/b"), "links/broken", "error")}
    assert max(site.count(p) for p in ("/loop/a", "/loop/b", "/loop/c")) <= 2


def test_a_short_redirect_chain_across_pages_still_resolves(site):
    site.route("/one", (301, {"Location": "/two"}, b""))
    site.route("/two", (302, {"Location": "/three"}, b""))
    site.page("/three", "<p>here</p>")
    site.page("/", '<a href="/one">moved</a>')
    res = crawl(site.url("/"), fast_config(use_sitemap=False, respect_robots=False))
    r = res.results[site.url("/one")]
    assert r.classification == "redirected" and r.final_url == site.url("/three")
    assert [s for _u, s in r.chain] == [301, 302, 200]


# --- sitemap bombs ----------------------------------------------------------------------------

def gzip_bomb(entry: bytes, size: int) -> bytes:
    """``size`` bytes of XML (``entry`` repeated inside a <urlset>), gzipped."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = entry * (1_048_576 // len(entry))
    parts = [comp.compress(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')]
    for _ in range(size // len(block)):
        parts.append(comp.compress(block))
    parts.append(comp.compress(b"</urlset>"))
    parts.append(comp.flush())
    return b"".join(parts)


CHILD = """
import json, resource, sys, time
from health_lint.web import WebConfig, crawl
cfg = WebConfig(**json.loads(sys.argv[2]))
t = time.monotonic()
res = crawl(sys.argv[1], cfg)
print(json.dumps({"pages": len(res.pages), "seeds": len(res.sitemap_urls), "notes": res.notes,
                  "elapsed": time.monotonic() - t,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
BASELINE = """
import resource
from health_lint.web import WebConfig, crawl
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def crawl_in_child(url: str, **settings) -> dict:
    settings = {"allow_private": True, "progress": False, "rate_limit": 0, **settings}
    proc = subprocess.run([sys.executable, "-c", CHILD, url, json.dumps(settings)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@functools.lru_cache(maxsize=None)
def baseline_mb() -> float:
    """Peak memory of a child that imports the crawler and does nothing."""
    proc = subprocess.run([sys.executable, "-c", BASELINE], capture_output=True, text=True, timeout=60, cwd=ROOT)
    return float(proc.stdout)


def test_a_sitemap_index_of_gzip_bombs_costs_bounded_time_and_memory(site):
    # 40 sitemaps, each 64 MB of XML after decompression (~200 KB gzipped):
    # 2.5 GB in all, over the 50 MB bound, and 60 million (repeated) URLs.
    bomb = gzip_bomb(f"<url><loc>{site.url('/p')}</loc></url>".encode(), 64 * 1_048_576)
    assert len(bomb) < 200_000
    index = "".join(f"<sitemap><loc>{site.url(f'/s/{i}.xml.gz')}</loc></sitemap>" for i in range(40))
    site.route("/robots.txt", (200, TEXT, f"Sitemap: {site.url('/index.xml')}\n".encode()))
    site.route("/index.xml", (200, XML, f"<sitemapindex>{index}</sitemapindex>".encode()))
    for i in range(40):
        site.route(f"/s/{i}.xml.gz", (200, {"Content-Type": "application/gzip"}, bomb))
    site.page("/", "<p>home</p>")
    site.page("/p", "<p>listed</p>")
    out = crawl_in_child(site.url("/"), max_pages=20)
    assert out["elapsed"] < 5, out
    assert out["seeds"] == 1 and out["pages"] == 2
    assert any("sitemaps: stopped reading after 140 page entries" in n for n in out["notes"]), out["notes"]
    assert out["maxrss_mb"] - baseline_mb() < 60, out


def test_one_sitemap_bomb_is_read_only_up_to_the_byte_bound(site):
    # Entries without a <loc>: nothing to collect, so only the byte bound stops the reading.
    bomb = gzip_bomb(b"<url><priority>0.5</priority></url>", 256 * 1_048_576)
    site.route("/sitemap.xml", (200, {**XML, "Content-Encoding": "gzip"}, bomb))  # transport compression
    site.route("/robots.txt", (200, TEXT, f"Sitemap: {site.url('/sitemap.xml')}\nSitemap: {site.url('/s.xml.gz')}\n".encode()))
    site.route("/s.xml.gz", (200, {"Content-Type": "application/gzip"}, bomb))  # a compressed file
    site.page("/", "<p>home</p>")
    out = crawl_in_child(site.url("/"), sitemap_max_bytes=4_000_000)
    assert out["elapsed"] < 4, out
    # The first sitemap uses the whole budget (all sitemaps together); the second is not read.
    assert any("sitemap.xml: more than 4000000 bytes left" in n for n in out["notes"]), out["notes"]
    assert any("4000000 bytes read in all (sitemap-max-bytes); 1 more not read" in n for n in out["notes"]), out["notes"]
    assert out["maxrss_mb"] - baseline_mb() < 100, out


def test_sitemaps_too_deep_too_many_or_too_long_are_cut_with_a_note(site):
    site.page("/", "<p>home</p>")
    # An index that nests itself ever deeper.
    for n in range(10):
        site.route(f"/deep/{n}.xml", (200, XML, f"<sitemapindex><sitemap><loc>{site.url(f'/deep/{n + 1}.xml')}</loc>"
                                                 f"</sitemap></sitemapindex>".encode()))
    site.route("/robots.txt", (200, TEXT, f"Sitemap: {site.url('/deep/0.xml')}\n".encode()))
    res = crawl(site.url("/"), fast_config(sitemap_max_depth=3))
    assert [site.count(f"/deep/{n}.xml") for n in range(5)] == [1, 1, 1, 0, 0]
    assert any("nested deeper than 3 levels" in n for n in res.notes), res.notes
    # An index of 300 sitemaps, one page each.
    wide = "".join(f"<sitemap><loc>{site.url(f'/w/{i}.xml')}</loc></sitemap>" for i in range(300))
    site.route("/wide.xml", (200, XML, f"<sitemapindex>{wide}</sitemapindex>".encode()))
    for i in range(300):
        site.route(f"/w/{i}.xml", (200, XML, f"<urlset><url><loc>{site.url(f'/page{i}')}</loc></url></urlset>".encode()))
    site.route("/robots.txt", (200, TEXT, f"Sitemap: {site.url('/wide.xml')}\n".encode()))
    res = crawl(site.url("/"), fast_config(sitemap_max_files=30, max_depth=0))
    assert sum(site.count(f"/w/{i}.xml") for i in range(300)) == 29  # and the index itself
    assert any("read 30 files (sitemap-max-files)" in n for n in res.notes), res.notes
    assert len(res.sitemap_urls) == 29
    # --max-pages 5: five seed URLs are enough, reading stops there.
    res = crawl(site.url("/"), fast_config(max_pages=5, max_depth=0))
    assert len(res.sitemap_urls) == 5
    assert sum(site.count(f"/w/{i}.xml") for i in range(300)) == 29 + 5
    assert any("stopped reading at 5 page URLs (--max-pages 5)" in n for n in res.notes), res.notes


# --- Crawl-delay -------------------------------------------------------------------------------

def test_a_huge_crawl_delay_is_capped_and_reported(site):
    site.route("/robots.txt", (200, TEXT, b"User-agent: *\nCrawl-delay: 86400\n"))
    site.page("/", '<a href="/a">a</a> <a href="/b">b</a>')
    site.page("/a", "<p>a</p>")
    site.page("/b", "<p>b</p>")
    t = time.monotonic()
    res = crawl(site.url("/"), fast_config(use_sitemap=False, max_crawl_delay=0.2))
    took = time.monotonic() - t
    assert len(res.pages) == 3
    assert 0.3 < took < 4  # the capped delay is kept between requests, the site's is not
    assert res.crawl_delays == {site.base: 86400.0}
    assert any("Crawl-delay: 86400 s" in n and "waited 0.2 s" in n for n in res.notes), res.notes


# --- a server at its connection cap --------------------------------------------------------------

def test_a_connection_cap_slows_the_checker_down_without_false_alarms(flaky_server):
    urls = [f"http://127.0.0.1:{flaky_server.port}/page{i}" for i in range(12)]
    res = check_urls(urls, fast_config(concurrency=6, per_host_concurrency=6, head_first=False))
    classes = {r.classification for r in res.values()}
    assert "broken" not in classes, {u: (r.classification, r.error) for u, r in res.items()}
