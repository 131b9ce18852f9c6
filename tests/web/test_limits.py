"""Issue 14 regressions that need no hostile server: command-line zeros,
settings validation, page charsets in ``crawl --lint``, a damaged cache,
and Ctrl-C in ``links`` (a real SIGINT to a real process)."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from health_lint.cli_links import decode_page, web_config
from health_lint.config import Config
from health_lint.parsers.errors import InputError
from health_lint.web import Cache, check_urls

from ..conftest import FRONT, ROOT, run_cli
from .conftest import fast_config

FAST = """[links]
backoff-base = 0.01
backoff-max = 0.05
connect-timeout = 2.0
read-timeout = 2.0
allow-private = true
"""


# --- zeros are values ----------------------------------------------------------

def test_zero_on_the_command_line_is_a_value_not_the_default():
    web = web_config(Config(), "crawl", rate_limit=0, max_depth=0, max_crawl_delay=0)
    assert (web.rate_limit, web.max_depth, web.max_crawl_delay) == (0, 0, 0)
    default = web_config(Config(), "crawl", rate_limit=None, max_depth=None, max_crawl_delay=None)
    # No rate ceiling by default (the adaptive window is the politeness).
    assert (default.rate_limit, default.max_depth, default.max_crawl_delay) == (0.0, 50, 10.0)


def test_max_depth_zero_crawls_the_start_page_only_and_says_so(site, tmp_path):
    site.page("/", '<a href="/a">a</a>')
    site.page("/a", '<a href="/b">b</a>')
    site.page("/b", "b")
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("[links]", "[crawl]"))
    proc = run_cli("crawl", site.url("/"), "--max-depth", "0", "--rate", "0", "--no-sitemap", "--no-cache",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert site.count("/a", "GET") == 0 and site.count("/a", "HEAD") == 1  # checked, not crawled
    assert site.count("/b") == 0
    summary = next(line for line in proc.stdout.splitlines() if line.startswith("Crawl of"))
    assert "1 pages" in summary and "--max-depth 0" in summary and "--max-pages" not in summary


def test_the_crawl_summary_shows_the_crawl_delay_the_site_asked_for(site, tmp_path):
    site.route("/robots.txt", (200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 86400\n"))
    site.page("/", '<a href="/a">a</a>')
    site.page("/a", "a")
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("[links]", "[crawl]"))
    t = time.monotonic()
    proc = run_cli("crawl", site.url("/"), "--max-crawl-delay", "0.1", "--no-sitemap", "--no-cache", cwd=tmp_path)
    assert time.monotonic() - t < 20
    assert proc.returncode == 0, proc.stderr
    assert "asks for Crawl-delay: 86400 s; waited 0.1 s between requests (max-crawl-delay)" in proc.stdout


def test_max_pages_zero_is_a_usage_error(site, tmp_path):
    proc = run_cli("crawl", site.url("/"), "--max-pages", "0", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2
    assert "max-pages must be more than 0" in proc.stderr
    assert site.total() == 0


# --- settings validation -------------------------------------------------------------

@pytest.mark.parametrize("setting, expected", [
    ("headers = {X-A = 5}", "the value of X-A must be a string"),
    ('headers = {"Bad Name" = "x"}', "not a valid HTTP header name"),
    ('headers = {X-A = "a\\r\\nX-Evil: 1"}', "must be one line"),
])
def test_bad_settings_are_usage_errors(site, tmp_path, setting, expected):
    site.page("/", "<p>x</p>")
    (tmp_path / ".health-lint.toml").write_text(FAST + setting + "\n")
    (tmp_path / "a.md").write_text(FRONT + f"# T\n\n[home]({site.url('/')})\n")
    proc = run_cli("links", "a.md", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert expected in proc.stderr
    assert site.total() == 0


@pytest.mark.parametrize("args, expected", [
    (["--timeout", "nan"], "read-timeout must be a finite number"),
    (["--timeout", "inf"], "read-timeout must be a finite number"),
    (["--user-agent", "bot\r\nX-Evil: 1"], "user-agent must be one line"),
])
def test_bad_command_line_values_are_usage_errors(site, tmp_path, args, expected):
    site.page("/", "<p>x</p>")
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / "a.md").write_text(FRONT + f"# T\n\n[home]({site.url('/')})\n")
    proc = run_cli("links", "a.md", "--no-cache", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert expected in proc.stderr
    proc = run_cli("crawl", site.url("/"), "--no-cache", *args, cwd=tmp_path)
    assert proc.returncode == 2 and expected in proc.stderr
    assert site.total() == 0


def test_settings_problems_cover_types_and_finiteness():
    from health_lint.web import WebConfig

    bad = WebConfig(read_timeout=float("nan"), max_pages=2.5, exclude="x", allow_private="yes", ttl_ok=float("inf"))
    problems = " | ".join(bad.problems())
    for expected in ("read-timeout must be a finite number", "max-pages must be a whole number",
                     "exclude must be a list of strings", "allow-private must be true or false",
                     "ttl-ok must be a finite number"):
        assert expected in problems
    assert WebConfig().problems() == []


def test_valid_configured_headers_are_sent(site, tmp_path):
    seen = []
    site.route("/", lambda req: (seen.append(req.headers.get("X-A")), (200, {"Content-Type": "text/plain"}, b"ok"))[1])
    (tmp_path / ".health-lint.toml").write_text(FAST + 'headers = {X-A = "5"}\n')
    (tmp_path / "a.md").write_text(FRONT + f"# T\n\n[home]({site.url('/')})\n")
    proc = run_cli("links", "a.md", "--no-cache", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["links"]["by_class"] == {"ok": 1}
    assert seen and set(seen) == {"5"}


# --- charsets of crawled pages --------------------------------------------------------

LATIN1_PAGE = ("<html><head><title>Caf\u00e9 health</title></head><body><h1>Caf\u00e9 health</h1>"
               "<p>Na\u00efve advice about the caf\u00e9 near the clinic.</p></body></html>")


def test_decode_page_uses_the_declared_charset():
    body = LATIN1_PAGE.encode("iso-8859-1")
    assert "Caf\u00e9" in decode_page(body, "text/html; charset=ISO-8859-1")
    meta = b'<meta charset="iso-8859-1">' + body
    assert "Caf\u00e9" in decode_page(meta, "text/html")
    assert "Caf\u00e9" in decode_page(LATIN1_PAGE.encode(), "text/html; charset=utf-8")
    with pytest.raises(InputError):  # still caught: bytes that fit the declared charset do not
        decode_page(body, "text/html; charset=utf-8")
    with pytest.raises(InputError):
        decode_page(body, "text/html")  # no declaration, not UTF-8


def test_crawl_lint_reads_latin1_pages_declared_by_header_or_meta(site, tmp_path):
    latin1 = LATIN1_PAGE.encode("iso-8859-1")
    site.page("/", '<a href="/header">h</a> <a href="/meta">m</a> <a href="/undeclared">u</a>')
    site.route("/header", (200, {"Content-Type": "text/html; charset=ISO-8859-1"}, latin1))
    site.route("/meta", (200, {"Content-Type": "text/html"}, b'<meta charset="ISO-8859-1">' + latin1))
    site.route("/undeclared", (200, {"Content-Type": "text/html"}, latin1))
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("[links]", "[crawl]"))
    proc = run_cli("crawl", site.url("/"), "--lint", "--no-sitemap", "--no-cache", "--format", "json", cwd=tmp_path)
    findings = json.loads(proc.stdout)["findings"]
    bad = {f["path"].rsplit("/", 1)[-1] for f in findings if f["rule"] == "input/invalid-utf8"}
    assert bad == {"undeclared"}, bad


# --- a damaged cache ------------------------------------------------------------------

def _links_run(site, tmp_path, cache):
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / "a.md").write_text(FRONT + f"# T\n\n[ok]({site.url('/ok')}) and [gone]({site.url('/gone')})\n")
    return run_cli("links", "a.md", "--cache", str(cache), "--format", "json", cwd=tmp_path)


def test_bad_json_in_a_cache_row_is_dropped_with_a_warning(site, tmp_path):
    site.page("/ok", "<p>ok</p>")
    cache = tmp_path / "c.sqlite"
    assert _links_run(site, tmp_path, cache).returncode == 1  # /gone is broken
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE results SET data = '{not json' WHERE key LIKE '%/ok'")
    hits = site.count("/ok")
    proc = _links_run(site, tmp_path, cache)
    assert proc.returncode == 1, proc.stderr
    assert "warning" in proc.stderr and "damaged" in proc.stderr
    assert json.loads(proc.stdout)["links"]["by_class"] == {"ok": 1, "broken": 1}
    assert site.count("/ok") == hits + 1  # checked again, from the network


def test_a_file_that_is_not_a_database_is_set_aside(site, tmp_path):
    site.page("/ok", "<p>ok</p>")
    cache = tmp_path / "c.sqlite"
    cache.write_bytes(b"this is not an sqlite file at all\n" * 200)
    proc = _links_run(site, tmp_path, cache)
    assert proc.returncode == 1, proc.stderr
    assert "damaged" in proc.stderr and "started a new cache" in proc.stderr
    assert [p.name for p in tmp_path.glob("c.sqlite.damaged-*")]
    with sqlite3.connect(cache) as db:  # the new cache holds this run's results
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 2


def test_damage_found_mid_run_rebuilds_the_cache(tmp_path):
    path = tmp_path / "c.sqlite"
    with Cache(path) as cache:
        cache.put_many([(f"https://e.org/{i}", {"url": f"https://e.org/{i}", "classification": "ok"}, "ok", 3600)
                        for i in range(3000)])
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 40_000
    data[8192:len(data) - 4096] = b"\xa5" * (len(data) - 4096 - 8192)  # pages of the results table
    path.write_bytes(bytes(data))
    warnings = []
    cache = Cache(path, on_warning=warnings.append)
    try:
        got = cache.get_many([f"https://e.org/{i}" for i in range(3000)])
        cache.put("https://e.org/new", {"url": "https://e.org/new"}, "ok", 60)
        assert cache.get("https://e.org/new") == {"url": "https://e.org/new"}
    finally:
        cache.close()
    assert got == {} or len(got) < 3000
    assert warnings and "damaged" in warnings[0]
    assert list(tmp_path.glob("c.sqlite.damaged-*"))


# --- Ctrl-C in links ---------------------------------------------------------------------

def test_ctrl_c_in_links_stops_at_once_and_reports_what_was_checked(site, tmp_path):
    release = threading.Event()
    site.page("/fast", "<p>fast</p>")
    site.route("/gone", (404, {}, b"gone"))

    def slow(req):
        release.wait(30)  # answers only when the test ends
        return 200, {"Content-Type": "text/plain"}, b"late"

    for i in range(6):
        site.route(f"/slow{i}", slow)
    # A fixed window of 16 (not the adaptive one, which starts small): the
    # six blocked requests must not be able to hold every slot before the
    # GET that confirms the 404 is sent. This test is about Ctrl-C.
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("read-timeout = 2.0", "read-timeout = 60.0")
                                               + "adaptive-rate = false\nper-host-concurrency = 16\n")
    links = [site.url("/fast"), site.url("/gone")] + [site.url(f"/slow{i}") for i in range(6)]
    (tmp_path / "a.md").write_text(FRONT + "# T\n\n" + "\n".join(f"- [l{i}]({u})" for i, u in enumerate(links)) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "health_lint", "links", "a.md", "--no-cache", "--format", "json"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + 30
        while (site.count("/gone", "GET") == 0 or site.count("/fast") == 0
               or sum(site.count(f"/slow{i}") for i in range(6)) < 2):
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() else ""
            time.sleep(0.02)
        time.sleep(0.2)  # /fast and /gone answered
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        took = time.monotonic() - sent
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    assert took < 2.5, took
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    report = json.loads(out)
    assert report["links"]["interrupted"] is True and report["links"]["unchecked"] == 6
    urls = {f["data"]["url"]: f["rule"] for f in report["findings"]}
    assert urls == {site.url("/gone"): "links/broken"}  # nothing unchecked is reported as broken
