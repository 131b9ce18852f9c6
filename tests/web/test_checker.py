import socket
import time

import pytest

from health_lint.web import Cache, check_urls
from health_lint.web.client import HttpClient, parse_retry_after

from .conftest import fast_config

HTML = {"Content-Type": "text/html; charset=utf-8"}


def check_one(url, config, cache=None):
    return check_urls([url], config, cache)[url]


def test_ok_uses_head_only(site, config):
    site.page("/ok", "<p>hello</p>")
    r = check_one(site.url("/ok"), config)
    assert (r.classification, r.status, r.chain) == ("ok", 200, [])
    assert site.count("/ok", "HEAD") == 1 and site.count("/ok", "GET") == 0


def test_redirect_chain_permanent_then_temporary(site, config):
    site.route("/old", (301, {"Location": "/new"}, b""))
    site.route("/new", (302, {"Location": "/final"}, b""))
    site.page("/final", "ok")
    r = check_one(site.url("/old"), config)
    assert r.classification == "redirected"
    assert r.permanent and r.fix_url == site.url("/new")
    assert [s for _u, s in r.chain] == [301, 302, 200]
    assert r.final_url == site.url("/final")


@pytest.mark.parametrize("code, permanent", [(301, True), (308, True), (302, False), (303, False), (307, False)])
def test_redirect_codes(site, config, code, permanent):
    site.route("/r", (code, {"Location": site.url("/t")}, b""))
    site.page("/t", "target")
    r = check_one(site.url("/r"), config)
    assert r.classification == "redirected" and r.permanent is permanent
    assert r.chain == [(site.url("/r"), code), (site.url("/t"), 200)]


@pytest.mark.parametrize("code", [404, 410])
def test_broken(site, config, code):
    site.route("/gone", (code, HTML, b"gone"))
    r = check_one(site.url("/gone"), config)
    assert r.classification == "broken" and r.status == code


def test_redirect_to_404_is_broken_with_chain(site, config):
    site.route("/moved", (301, {"Location": "/missing"}, b""))
    r = check_one(site.url("/moved"), config)
    assert r.classification == "broken" and r.status == 404 and len(r.chain) == 2


def test_429_retry_after_then_ok(site, config):
    site.route("/limited", lambda req: (429, {"Retry-After": "1"}, b"") if req.n == 1 else (200, HTML, b"ok"))
    t = time.monotonic()
    r = check_one(site.url("/limited"), config)
    assert r.classification == "ok"
    assert time.monotonic() - t >= 0.9  # Retry-After honoured
    assert site.count("/limited") == 2


def test_429_always_is_unverified_and_slows_host(site):
    cfg = fast_config(retries=2, max_retry_after=0.05)
    site.route("/limited", (429, {"Retry-After": "0"}, b""))
    client = HttpClient(cfg)
    r = check_urls([site.url("/limited")], cfg, client=client)[site.url("/limited")]
    assert r.classification == "unverified" and r.status == 429
    assert site.count("/limited") == 3
    assert client.host_state(site.url("/")).slowdowns >= 1


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_beyond_max_gives_up_at_once(site, status):
    cfg = fast_config(retries=3, max_retry_after=0.05)
    site.route("/limited", (status, {"Retry-After": "100"}, b""))
    t = time.monotonic()
    r = check_urls([site.url("/limited")], cfg)[site.url("/limited")]
    assert time.monotonic() - t < 1.0
    assert r.classification == "unverified" and r.status == status
    assert "100 s" in r.error and "max-retry-after" in r.error
    # not retried: one HEAD (429), or HEAD + the GET fallback for a 5xx
    assert site.count("/limited") == (1 if status == 429 else 2)


def test_retry_after_http_date():
    import email.utils

    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < parse_retry_after(when, 60) <= 30
    assert parse_retry_after(when, 5) == 5
    assert parse_retry_after("7", 60) == 7
    assert parse_retry_after("soon", 60) is None


def test_503_then_ok(site, config):
    site.route("/flaky", lambda req: (503, HTML, b"busy") if req.n <= 2 else (200, HTML, b"ok"))
    r = check_one(site.url("/flaky"), config)
    assert r.classification == "ok"


def test_500_always_is_server_error(site):
    cfg = fast_config(retries=2)
    site.route("/err", (500, HTML, b"boom"))
    r = check_one(site.url("/err"), cfg)
    assert r.classification == "server-error" and r.status == 500
    # HEAD is not retried on 5xx: one HEAD, then GET with its retries
    assert site.count("/err", "HEAD") == 1 and site.count("/err", "GET") == 3


def test_405_on_head_falls_back_to_get(site, config):
    site.route("/nohead", lambda req: (405, {}, b"") if req.method == "HEAD" else (200, HTML, b"ok"))
    r = check_one(site.url("/nohead"), config)
    assert r.classification == "ok"
    assert site.count("/nohead", "HEAD") == 1 and site.count("/nohead", "GET") == 1


@pytest.mark.parametrize("code", [401, 403, 999])
def test_unverified_statuses(site, config, code):
    site.route("/auth", (code, HTML, b"no"))
    assert check_one(site.url("/auth"), config).classification == "unverified"


def test_cloudflare_challenge_is_unverified_not_retried(site, config):
    site.route("/cf", (503, {"Content-Type": "text/html", "Server": "cloudflare"},
                       b"<html><head><title>Just a moment...</title></head></html>"))
    site.route("/cf2", (403, {"cf-mitigated": "challenge"}, b""))
    res = check_urls([site.url("/cf"), site.url("/cf2")], config)
    assert res[site.url("/cf")].classification == "unverified"
    assert "bot" in res[site.url("/cf")].error
    assert res[site.url("/cf2")].classification == "unverified"
    assert site.count("/cf", "GET") == 1


def test_accept_and_ignore_and_exclude(site):
    site.route("/forbidden", (403, HTML, b""))
    site.route("/teapot", (418, HTML, b""))
    site.page("/private/x", "secret")
    cfg = fast_config(accept_statuses=(403,), ignore_statuses=(418,), exclude=(r"/private/",))
    res = check_urls([site.url("/forbidden"), site.url("/teapot"), site.url("/private/x")], cfg)
    assert res[site.url("/forbidden")].classification == "ok"
    assert res[site.url("/teapot")].classification == "skipped"
    assert res[site.url("/private/x")].classification == "skipped"
    assert site.count("/private/x") == 0


def test_slow_response_ok_and_timeout_unverified(site):
    def slow(delay):
        def handler(req):
            time.sleep(delay)
            return 200, HTML, b"ok"
        return handler

    site.route("/slow", slow(0.3))
    site.route("/slower", slow(1.5))
    cfg = fast_config(read_timeout=0.5)
    t = time.monotonic()
    res = check_urls([site.url("/slow"), site.url("/slower")], cfg)
    assert res[site.url("/slow")].classification == "ok"
    r = res[site.url("/slower")]
    assert r.classification == "unverified" and r.error_kind == "timeout"
    assert time.monotonic() - t < 4


def test_redirect_loop_and_too_many(site):
    site.route("/a", (302, {"Location": "/b"}, b""))
    site.route("/b", (302, {"Location": "/a"}, b""))
    for i in range(20):
        site.route(f"/hop{i}", (301, {"Location": f"/hop{i + 1}"}, b""))
    cfg = fast_config(max_redirects=5)
    res = check_urls([site.url("/a"), site.url("/hop0")], cfg)
    assert res[site.url("/a")].classification == "broken" and res[site.url("/a")].error_kind == "loop"
    assert res[site.url("/hop0")].error_kind == "too-many-redirects"
    assert site.count("/a") == 1 and site.count("/b") == 1


def test_huge_body_is_capped(site):
    chunk = b"x" * 65536

    def endless(req):
        return 200, {"Content-Type": "text/html"}, (chunk for _ in range(100_000))  # ~6.5 GB if read

    site.route("/huge", endless)
    cfg = fast_config(max_body_bytes=200_000)
    client = HttpClient(cfg)
    t = time.monotonic()
    out = client.fetch(site.url("/huge"), want_body=True)
    assert out.status == 200 and out.truncated and len(out.body) <= 200_000
    r = check_one(site.url("/huge"), fast_config(head_first=False))
    assert r.classification == "ok"
    assert time.monotonic() - t < 3


def test_metadata_address_never_requested(site, config, monkeypatch):
    site.route("/to-metadata", (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""))
    connects = []
    real_connect = socket.socket.connect

    def spy(self, address):
        connects.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    res = check_urls(["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", site.url("/to-metadata")], config)
    assert res["http://169.254.169.254/latest/meta-data/"].classification == "blocked"
    assert res["http://[fe80::1]/"].classification == "blocked"
    r = res[site.url("/to-metadata")]
    assert r.classification == "blocked" and r.chain[0][1] == 302
    assert all(not str(a[0]).startswith(("169.254.", "fe80")) for a in connects)
    assert all(a[0] == "127.0.0.1" for a in connects)


def test_private_blocked_unless_allowed(site):
    site.page("/p", "x")
    r = check_one(site.url("/p"), fast_config(allow_private=False))
    assert r.classification == "blocked" and site.count("/p") == 0


def test_skipped_schemes_not_requested(config):
    urls = ["mailto:a@b.org", "tel:+4412", "javascript:void(0)", "data:text/plain,x"]
    res = check_urls(urls, config)
    assert all(res[u].classification == "skipped" for u in urls)


def test_refused_everywhere_is_broken(closed_port, config):
    url = f"http://127.0.0.1:{closed_port}/x"
    r = check_one(url, config)
    assert r.classification == "broken" and r.error_kind == "refused"
    assert "refused" in r.error


def test_server_resetting_every_other_connection_gives_no_false_broken(flaky_server):
    cfg = fast_config(concurrency=4, per_host_concurrency=4)
    urls = [f"http://127.0.0.1:{flaky_server.port}/page{i}" for i in range(40)]
    res = check_urls(urls, cfg)
    classes = [r.classification for r in res.values()]
    assert "broken" not in classes
    assert classes.count("ok") == 40


def test_listener_refusing_some_connections_gives_no_false_broken(toggling_listener):
    cfg = fast_config(concurrency=8, per_host_concurrency=8, backoff_base=0.02, backoff_max=0.2)
    urls = [f"http://127.0.0.1:{toggling_listener.port}/p{i}" for i in range(40)]
    res = check_urls(urls, cfg)
    classes = [r.classification for r in res.values()]
    assert "broken" not in classes, [r.error for r in res.values() if r.classification == "broken"][:3]
    assert classes.count("ok") >= 36


def test_fragments_checked_with_one_get(site):
    site.page("/doc", '<h2 id="dosage">Dosage</h2><a name="old-anchor"></a>')
    cfg = fast_config(check_fragments=True)
    good, named, bad = site.url("/doc#dosage"), site.url("/doc#old-anchor"), site.url("/doc#side-effects")
    res = check_urls([good, named, bad], cfg)
    assert res[good].classification == "ok" and res[named].classification == "ok"
    assert res[bad].classification == "broken" and "side-effects" in res[bad].error
    assert site.count("/doc", "GET") == 1 and site.count("/doc", "HEAD") == 0


def test_cache_reuses_results_and_skips_network_errors(site, tmp_path, closed_port):
    site.page("/ok", "x")
    site.route("/gone", (404, HTML, b""))
    cfg = fast_config()
    dead = f"http://127.0.0.1:{closed_port}/"
    urls = [site.url("/ok"), site.url("/gone"), dead, site.url("/ok#frag")]
    with Cache(tmp_path / "c.sqlite") as cache:
        first = check_urls(urls, cfg, cache)
        assert not any(r.from_cache for r in first.values())
        second = check_urls(urls, cfg, cache)
    assert second[site.url("/ok")].from_cache and second[site.url("/gone")].from_cache
    assert second[site.url("/ok#frag")].classification == "ok"
    assert not second[dead].from_cache  # network errors are not cached
    # (a HEAD 404 is confirmed with one GET, both in the first run)
    assert site.count("/ok") == 1 and site.count("/gone", "HEAD") == 1 and site.count("/gone", "GET") == 1
    # TTL expiry
    with Cache(tmp_path / "c2.sqlite") as cache:
        cfg2 = fast_config(ttl_ok=0.2)
        check_urls([site.url("/ok")], cfg2, cache)
        time.sleep(0.3)
        assert not check_urls([site.url("/ok")], cfg2, cache)[site.url("/ok")].from_cache
    assert site.count("/ok") == 3


def test_user_agent_sent(site):
    seen = {}

    def handler(req):
        seen["ua"] = req.headers.get("User-Agent")
        return 200, HTML, b"ok"

    site.route("/ua", handler)
    check_one(site.url("/ua"), fast_config(user_agent="TestBot/1.0"))
    assert seen["ua"] == "TestBot/1.0"


def test_rate_limit_per_host(site):
    site.page("/r", "x")
    urls = [site.url(f"/r?i={i}") for i in range(6)]
    site.routes.update({f"/r?i={i}": site.routes["/r"] for i in range(6)})
    t = time.monotonic()
    check_urls(urls, fast_config(rate_limit=20))
    assert time.monotonic() - t >= 0.2  # 6 requests at 20/s: >= 5 intervals of 50 ms
