"""Regression tests for the review of ``health_lint/web`` (issue 5)."""
import os
import signal
import subprocess
import sys
import time

import pytest

from health_lint.web import Cache, check_urls, crawl, results_to_findings
from health_lint.web.crawler import Occurrence
from health_lint.web.urls import AddressPolicy, is_private_host

from .conftest import fast_config

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml"}


def drip(req):
    """Headers at once, then 2 bytes every 0.05 s, for ~minutes."""
    def body():
        yield b"<p>"
        for _ in range(4000):
            time.sleep(0.05)
            yield b"xx"
    return 200, HTML, body()


# 1 -------------------------------------------------------------------------
def test_head_404_is_confirmed_with_get(site, config):
    site.route("/head404", lambda req: (404, HTML, b"") if req.method == "HEAD" else (200, HTML, b"<p>fine</p>"))
    site.route("/head410", lambda req: (410, HTML, b"") if req.method == "HEAD" else (200, HTML, b"<p>fine</p>"))
    site.route("/gone", (410, HTML, b"gone"))
    res = check_urls([site.url("/head404"), site.url("/head410"), site.url("/gone")], config)
    assert res[site.url("/head404")].classification == "ok"
    assert res[site.url("/head410")].classification == "ok"
    assert res[site.url("/gone")].classification == "broken" and res[site.url("/gone")].status == 410
    assert site.count("/gone", "GET") == 1


# 2 -------------------------------------------------------------------------
def test_dripping_body_is_bounded_by_the_timeout(site):
    site.route("/drip", drip)
    cfg = fast_config(read_timeout=0.25, connect_timeout=0.1, head_first=False)  # deadline 0.1 + 3 × 0.25 s
    t = time.monotonic()
    r = check_urls([site.url("/drip")], cfg)[site.url("/drip")]
    assert time.monotonic() - t < 3
    assert r.classification == "unverified" and r.error_kind == "timeout"
    assert "within" in r.error
    assert site.count("/drip") == 1  # a whole-request timeout is not retried


def test_dripping_page_and_sitemap_are_bounded_in_a_crawl(site):
    site.page("/", '<a href="/slow-page">slow</a>')
    site.route("/slow-page", drip)
    site.route("/sitemap.xml", drip)
    t = time.monotonic()
    res = crawl(site.url("/"), fast_config(read_timeout=0.15, connect_timeout=0.05, respect_robots=False))
    assert time.monotonic() - t < 5
    r = res.results[site.url("/slow-page")]
    assert r.classification == "unverified" and r.error_kind == "timeout"
    assert any("sitemap" in n for n in res.notes)


# 3 -------------------------------------------------------------------------
def test_include_narrows_scope_and_roots_keep_their_links(site, other_site, config):
    # The include would match the other host's URL too: it must not be crawled.
    site.page("/", f'<a href="/docs/a">a</a> <a href="/blog/b">b</a> <a href="{other_site.url("/docs/x")}">x</a>')
    site.page("/docs/a", '<a href="/docs/deep">deep</a>')
    site.page("/docs/deep", "deep")
    site.page("/blog/b", '<a href="/docs/from-blog">never followed</a>')
    site.page("/seed", '<a href="/docs/from-seed">seed link</a>')
    site.page("/docs/from-seed", "ok")
    other_site.page("/docs/x", '<a href="/docs/y">y</a>')
    site.route("/sitemap.xml", (200, XML, f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url('/seed')}</loc></url></urlset>""".encode()))
    res = crawl(site.url("/"), fast_config(include=(r"/docs/",), respect_robots=False))
    assert other_site.count("/docs/x", "GET") == 0 and other_site.count("/docs/y") == 0
    assert res.results[other_site.url("/docs/x")].classification == "ok"  # checked, not crawled
    assert site.url("/docs/deep") in res.pages
    assert site.count("/blog/b", "GET") == 0 and site.count("/docs/from-blog") == 0
    # start page and sitemap seed: links extracted although /docs/ does not match them
    assert site.url("/docs/from-seed") in res.pages
    assert site.count("/docs/from-seed", "GET") == 1


def test_include_matching_another_host_does_not_widen_scope(site, other_site):
    site.page("/docs/", f'<a href="/docs/a">a</a> <a href="{other_site.url("/docs/x")}">x</a>')
    site.page("/docs/a", "a")
    other_site.page("/docs/x", '<a href="/docs/y">y</a>')
    res = crawl(site.url("/docs/"), fast_config(include=(r"/docs/",), respect_robots=False, use_sitemap=False))
    assert site.url("/docs/a") in res.pages
    assert other_site.url("/docs/x") not in res.pages
    assert other_site.count("/docs/x", "GET") == 0 and other_site.count("/docs/y") == 0
    assert res.results[other_site.url("/docs/x")].classification == "ok"  # checked with HEAD


# 5 -------------------------------------------------------------------------
def test_classification_settings_change_the_cache_key(site, tmp_path):
    site.route("/forbidden", (403, HTML, b"no"))
    url = site.url("/forbidden")
    with Cache(tmp_path / "c.sqlite") as cache:
        assert check_urls([url], fast_config(), cache)[url].classification == "unverified"
        again = check_urls([url], fast_config(), cache)[url]
        assert again.from_cache
        accepted = check_urls([url], fast_config(accept_statuses=(403,)), cache)[url]
        assert accepted.classification == "ok" and not accepted.from_cache
        ignored = check_urls([url], fast_config(ignore_statuses=(403,), unverified_statuses=(401,)), cache)[url]
        assert ignored.classification == "skipped"
        assert check_urls([url], fast_config(accept_statuses=(403,)), cache)[url].from_cache
        assert check_urls([url], fast_config(), cache)[url].classification == "unverified"


def test_classification_settings_change_the_cache_key_in_a_crawl(site, tmp_path):
    site.page("/", '<img src="/pic.png">')
    site.route("/pic.png", (403, {}, b""))
    with Cache(tmp_path / "c.sqlite") as cache:
        cfg = fast_config(use_sitemap=False, respect_robots=False)
        assert crawl(site.url("/"), cfg, cache).results[site.url("/pic.png")].classification == "unverified"
        res = crawl(site.url("/"), fast_config(use_sitemap=False, respect_robots=False, accept_statuses=(403,)), cache)
        assert res.results[site.url("/pic.png")].classification == "ok"


# 6 -------------------------------------------------------------------------
def test_redirect_loop_message_says_loop(site, config):
    site.route("/a", (302, {"Location": "/b"}, b""))
    site.route("/b", (302, {"Location": "/a"}, b""))
    res = check_urls([site.url("/a")], config)
    occ = [Occurrence(source="page.md", url=site.url("/a"), text="loop")]
    (f,) = results_to_findings(res, occ, config=config)
    assert f.rule == "links/broken" and "redirect loop" in f.message
    assert "Found" not in f.message


# 9 -------------------------------------------------------------------------
@pytest.mark.parametrize("ip", ["198.18.0.1", "198.19.255.254", "224.0.0.1", "239.1.2.3", "240.0.0.1",
                                "255.255.255.255", "[64:ff9b::a00:1]", "[ff02::1]", "100.64.0.1", "[2001:db8::1]"])
def test_special_ranges_are_not_public(ip):
    assert AddressPolicy(allow_private=False).check(f"http://{ip}/")[0] == "blocked"
    assert is_private_host(ip)


def test_public_addresses_stay_public():
    assert AddressPolicy(allow_private=False).check("http://93.184.216.34/") is None
    assert AddressPolicy(allow_private=False).check("http://[2606:2800:220:1::1]/") is None


# 7 -------------------------------------------------------------------------
def test_ctrl_c_stops_fast_saves_finished_pages_and_resume_skips_them(site, tmp_path):
    n = 12
    site.page("/", " ".join(f'<a href="/p{i}">p{i}</a>' for i in range(n)))

    def slow(req):
        time.sleep(0.1)
        n_ = req.path[2:]
        return 200, HTML, f'<p>page <img src="/img{n_}.png"> <a href="/">home</a></p>'.encode()

    for i in range(n):
        site.route(f"/p{i}", slow)
    db = tmp_path / "cache.sqlite"
    # --rate 4: workers queue up in the per-host rate limit (seconds ahead);
    # on Ctrl-C they must not go on to make their requests.
    cmd = [sys.executable, "-m", "health_lint", "crawl", site.url("/"), "--cache", str(db), "--no-sitemap",
           "--ignore-robots", "--no-external", "--concurrency", "2", "--per-host", "2", "--rate", "4", "--format", "json"]
    env = {**os.environ, "CI": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 10
        while sum(site.count(f"/p{i}", "GET") for i in range(n)) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, proc.stderr.read().decode()
        first_hits = {i: site.count(f"/p{i}", "GET") for i in range(n)}
        t = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=5)
        stopped_in = time.monotonic() - t
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert stopped_in < 1.0, stopped_in
    after_stop = {i: site.count(f"/p{i}", "GET") for i in range(n)}
    # no new request once stopped (at most those already being sent)
    assert sum(after_stop.values()) - sum(first_hits.values()) <= 2
    fetched_first = [i for i in range(n) if after_stop[i]]
    assert fetched_first and len(fetched_first) < n

    fast = [("0" if a == "4" and cmd[i - 1] == "--rate" else a) for i, a in enumerate(cmd)]
    res = subprocess.run(fast + ["--resume"], capture_output=True, env=env, timeout=30)
    assert res.returncode in (0, 1), res.stderr.decode()
    assert all(site.count(f"/p{i}", "GET") >= 1 for i in range(n))  # the resumed crawl finished
    assert site.count("/", "GET") == 1  # the start page was saved
    refetched = [i for i in fetched_first if site.count(f"/p{i}", "GET") > 1]
    # Only the (at most 2) fetches in flight at the interruption are repeated.
    assert len(refetched) <= 2, (refetched, fetched_first)


def test_keyboard_interrupt_saves_finished_pages_with_links(site, tmp_path):
    site.page("/", " ".join(f'<a href="/p{i}">p{i}</a>' for i in range(8)))
    for i in range(8):
        site.page(f"/p{i}", f'<img src="/img{i}.png"> <a href="/">home</a> <a href="/q{i}">q</a>')
        site.page(f"/q{i}", "q")
    seen = []

    def hook(url, body, content_type, result):
        seen.append(url)
        if len(seen) == 4:
            raise KeyboardInterrupt
        return {"n": len(seen)}

    db = tmp_path / "c.sqlite"
    cfg = fast_config(use_sitemap=False, respect_robots=False, concurrency=2, per_host_concurrency=2)
    with Cache(db) as cache, pytest.raises(KeyboardInterrupt):
        crawl(site.url("/"), cfg, cache, on_page=hook)
    with Cache(db) as cache:
        res = crawl(site.url("/"), cfg, cache, resume=True)
    assert res.complete and {site.url(f"/q{i}") for i in range(8)} <= set(res.pages)
    for url in seen[:3]:  # finished before the interruption: saved, not fetched again
        assert site.count(url.replace(site.base, ""), "GET") == 1, url
