"""Server-side request forgery: links and redirects must never reach an
address the policy refuses, however the URL spells it.

The allowed test server listens on 127.0.0.2 and the policy allows only that
address (``allow_private = false``, ``allow_addresses = ["127.0.0.2"]``); a
canary listener on 127.0.0.1 counts every TCP connection it receives and must
receive none. The same canary is hit when the policy allows it (control
tests), so a zero means "blocked", not "unreachable". In-process tests also
spy on ``socket.connect`` (metadata addresses cannot be listened on here) and
inject the DNS resolver to simulate rebinding.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import quote

import pytest

from health_lint.reporters.redact import redact_text
from health_lint.web import check_urls, crawl
from health_lint.web.client import HttpClient, classify_exception
from health_lint.web.urls import normalize_url, parse_http_url

from ..conftest import run_cli
from .conftest import fast_config, start_site

ALLOWED = "127.0.0.2"


class Canary:
    """A TCP listener on 127.0.0.1 that records every connection (and the
    request line, if any) and answers 200, so a request that reaches it
    would look like a success."""

    def __init__(self, port: int = 0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.requests: list[str] = []
        self.stop = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.settimeout(2)
            data = conn.recv(4096)
            self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\nConnection: close\r\n\r\ncanary")
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stop = True
        self.sock.close()


def loopback_variants(port: int) -> dict[str, str]:
    """Spellings of 127.0.0.1:port (the canary) that a URL parser may read
    differently: every one must be blocked."""
    return {
        "plain": f"http://127.0.0.1:{port}/",
        "localhost": f"http://localhost:{port}/",
        "localhost-upper": f"HTTP://LOCALHOST:{port}/",
        "backslash-before-at": f"http://127.0.0.1:{port}\\@1.2.3.4/",
        "backslashes-after-scheme": f"http:\\\\127.0.0.1:{port}/",
        "userinfo": f"http://1.2.3.4@127.0.0.1:{port}/",
        "userinfo-with-port": f"http://1.2.3.4:80@127.0.0.1:{port}/",
        "at-in-fragment": f"http://127.0.0.1:{port}#@1.2.3.4/",
        "at-in-query": f"http://127.0.0.1:{port}?@1.2.3.4/",
        "decimal": f"http://2130706433:{port}/",
        "hex-dotted": f"http://0x7f.1:{port}/",
        "hex-whole": f"http://0x7f000001:{port}/",
        "octal": f"http://0177.0.0.1:{port}/",
        "short-form": f"http://127.1:{port}/",
        "zero-padded": f"http://127.000.000.001:{port}/",
        "percent-encoded-host": f"http://%31%32%37.0.0.1:{port}/",
        "fullwidth-digits": f"http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:{port}/",
        "trailing-dot": f"http://127.0.0.1.:{port}/",
        "unspecified-0": f"http://0:{port}/",  # 0.0.0.0 reaches this host
        "ipv4-mapped-ipv6": f"http://[::ffff:127.0.0.1]:{port}/",
        "ipv4-mapped-ipv6-hex": f"http://[0:0:0:0:0:ffff:7f00:1]:{port}/",
        "ipv6-loopback": f"http://[::1]:{port}/",
    }


METADATA_VARIANTS = {
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "metadata-decimal": "http://2852039166/latest/meta-data/",
    "metadata-hex": "http://0xa9fea9fe/latest/meta-data/",
    "metadata-ipv4-mapped": "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "ipv6-link-local": "http://[fe80::1]/",
}


def location(url: str) -> str:
    """A Location header value (latin-1 only): non-ASCII percent-encoded."""
    return quote(url, safe="".join(chr(i) for i in range(32, 127)))


@pytest.fixture
def allowed_site():
    s = start_site(ALLOWED)
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture
def canary():
    c = Canary()
    yield c
    c.close()


@pytest.fixture
def connects(monkeypatch):
    """Every address this process connects a socket to."""
    seen: list = []
    real = socket.socket.connect

    def spy(self, address):
        seen.append(address)
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    return seen


def strict_config(**kw):
    return fast_config(**{"allow_private": False, "allow_addresses": (ALLOWED,), "retries": 0, **kw})


def test_the_parser_reads_hosts_as_browsers_do():
    assert parse_http_url("http://127.0.0.1:8080\\@1.2.3.4/").host == "127.0.0.1"
    assert parse_http_url("http://1.2.3.4@127.0.0.1/").host == "127.0.0.1"
    for spelled in ("http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/"):
        assert parse_http_url(spelled).host == "127.0.0.1", spelled
    assert parse_http_url("http://[::ffff:127.0.0.1]/").host == "::ffff:7f00:1"
    assert parse_http_url("http://1.2.3.4.5/") is None  # invalid IPv4: not guessed at
    assert parse_http_url("ftp://example.org/") is None


def test_every_loopback_spelling_is_blocked_direct_and_after_redirect(allowed_site, canary, connects):
    variants = loopback_variants(canary.port)
    for name, url in variants.items():
        allowed_site.route(f"/r/{name}", (302, {"Location": location(url)}, b""))
    allowed_site.page("/fine", "fine")
    urls = list(variants.values()) + [allowed_site.url(f"/r/{n}") for n in variants] + [allowed_site.url("/fine")]
    res = check_urls(urls, strict_config())
    assert canary.connections == 0, canary.requests
    assert res[allowed_site.url("/fine")].classification == "ok"  # the allowed server is reachable
    for name, url in variants.items():
        assert res[url].classification == "blocked", (name, res[url])
        via = res[allowed_site.url(f"/r/{name}")]
        assert via.classification == "blocked" and via.chain[0][1] == 302, (name, via)
    assert {a[0] for a in connects} == {ALLOWED}


def test_metadata_and_link_local_never_connected_to(allowed_site, connects):
    for name, url in METADATA_VARIANTS.items():
        allowed_site.route(f"/r/{name}", (302, {"Location": url}, b""))
    urls = list(METADATA_VARIANTS.values()) + [allowed_site.url(f"/r/{n}") for n in METADATA_VARIANTS]
    # Even with every private range allowed, link-local stays refused.
    res = check_urls(urls, fast_config(allow_private=True, retries=0))
    for url in urls:
        assert res[url].classification == "blocked", (url, res[url])
        assert "link-local" in res[url].error
    assert all(not str(a[0]).startswith(("169.254.", "fe80", "::ffff:169")) for a in connects)


class FlippingResolver:
    """DNS that answers ``first`` on the first lookup of a name and ``then``
    afterwards (a rebinding attacker's name server with TTL 0)."""

    def __init__(self, answers: dict[str, tuple[list[str], list[str]]]):
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.calls.append(host)
        first, then = self.answers[host]
        return first if self.calls.count(host) == 1 else then


@pytest.fixture
def same_port_pair():
    """The allowed server on 127.0.0.2:P and a canary on 127.0.0.1:P (the
    same port, so only the address tells them apart)."""
    for _ in range(20):
        site = start_site(ALLOWED)
        try:
            c = Canary(port=site.server.server_address[1])
        except OSError:
            site.server.server_close()
            continue
        yield site, c
        c.close()
        site.server.shutdown()
        site.server.server_close()
        return
    pytest.skip("no port free on both loopback addresses")


def test_dns_rebinding_connects_to_the_checked_address(same_port_pair, connects):
    site, canary = same_port_pair
    port = canary.port
    site.page("/", "<p>allowed</p>")
    site.page("/next", "<p>next</p>")
    resolver = FlippingResolver({"rebind.test": ([ALLOWED], ["127.0.0.1"])})
    cfg = strict_config(head_first=False)
    client = HttpClient(cfg, resolver=resolver)
    urls = [f"http://rebind.test:{port}/", f"http://rebind.test:{port}/next"]
    res = check_urls(urls, cfg, client=client)
    # A second lookup would have answered 127.0.0.1 (the canary): there is
    # none, and both requests went to the checked 127.0.0.2.
    assert [r.classification for r in res.values()] == ["ok", "ok"]
    assert canary.connections == 0
    assert resolver.calls == ["rebind.test"]
    assert site.count("/") == 1 and site.count("/next") == 1
    assert {a[0] for a in connects} == {ALLOWED}


def test_rebinding_in_a_crawl_and_names_resolving_to_unsafe_addresses(same_port_pair, connects):
    site, canary = same_port_pair
    port = canary.port
    names = {
        "internal.test": ["127.0.0.1"],  # a public-looking name for loopback
        "intranet.test": ["10.20.30.40"],
        "metadata.test": ["169.254.169.254"],
        "mixed.test": [ALLOWED, "127.0.0.1"],  # one unsafe answer is enough
    }
    links = "".join(f'<a href="http://{n}:{port}/">{n}</a> ' for n in names)
    site.page("/", f'<a href="/b">b</a> {links}')
    site.page("/b", f'<a href="http://rebind.test:{port}/c">c</a>')
    site.page("/c", "<p>c</p>")
    resolver = FlippingResolver({"rebind.test": ([ALLOWED], ["127.0.0.1"]),
                                 **{n: (a, a) for n, a in names.items()}})
    cfg = strict_config(use_sitemap=False, respect_robots=False)
    client = HttpClient(cfg, resolver=resolver)
    res = crawl(f"http://rebind.test:{port}/", cfg, client=client)
    assert canary.connections == 0
    for n in names:
        assert res.results[f"http://{n}:{port}/"].classification == "blocked", n
    assert res.results[f"http://rebind.test:{port}/c"].classification == "ok"
    assert site.count("/c", "GET") == 1
    assert {a[0] for a in connects} == {ALLOWED}


def test_a_connection_the_policy_did_not_approve_is_refused(site):
    """Defence in depth: whatever reaches the connection pool without a
    check (another parser's reading of a URL) cannot connect."""
    site.page("/x", "x")
    client = HttpClient(fast_config())
    try:
        with pytest.raises(Exception) as info:
            client.session.get(site.url("/x"), timeout=2)
        assert classify_exception(info.value) == "blocked"
        assert site.count("/x") == 0
        assert client.fetch(site.url("/x")).status == 200  # checked first: allowed
    finally:
        client.close()


def test_control_the_canary_is_reached_when_the_policy_allows_it(allowed_site, canary):
    """The zero counts above mean "blocked": allowed, the same URLs connect."""
    url = f"http://127.0.0.1:{canary.port}\\@1.2.3.4/"
    res = check_urls([url], strict_config(allow_addresses=(ALLOWED, "127.0.0.1")))
    assert res[url].classification == "ok"
    assert canary.connections >= 1 and canary.requests[0].split()[1] == "/@1.2.3.4/"


def test_control_without_pinning_a_rebinding_name_would_reach_the_canary(same_port_pair):
    site, canary = same_port_pair
    resolver = FlippingResolver({"rebind.test": (["127.0.0.1"], ["127.0.0.1"])})
    cfg = strict_config(allow_addresses=(ALLOWED, "127.0.0.1"))
    res = check_urls([f"http://rebind.test:{canary.port}/"], cfg, client=HttpClient(cfg, resolver=resolver))
    assert list(res.values())[0].classification == "ok" and canary.connections >= 1


# --- the real commands --------------------------------------------------------

CONFIG = """[{section}]
rate-limit = 0
retries = 0
flaky-retries = 0
backoff-base = 0.01
backoff-max = 0.05
connect-timeout = 2.0
read-timeout = 2.0
allow-private = false
allow-addresses = ["{allowed}"]
"""


def _html_escape(url: str) -> str:
    return url.replace("&", "&amp;").replace('"', "&quot;")


def test_links_command_blocks_every_variant(allowed_site, canary, tmp_path):
    variants = {**loopback_variants(canary.port), **METADATA_VARIANTS}
    for name, url in variants.items():
        allowed_site.route(f"/r/{name}", (302, {"Location": location(url)}, b""))
    allowed_site.page("/fine", "fine")
    targets = list(variants.values()) + [allowed_site.url(f"/r/{n}") for n in variants]
    body = "\n".join(f'<p><a href="{_html_escape(u)}">link {i}</a></p>' for i, u in enumerate(targets))
    (tmp_path / "article.html").write_text(
        f"<html><head><title>Links</title></head><body><h1>Links</h1>{body}"
        f'<p><a href="{allowed_site.url("/fine")}">fine</a></p></body></html>', encoding="utf-8")
    (tmp_path / ".health-lint.toml").write_text(CONFIG.format(section="links", allowed=ALLOWED))
    t = time.monotonic()
    proc = run_cli("links", "article.html", "--no-cache", "--format", "json", cwd=tmp_path)
    out = json.loads(proc.stdout)
    assert canary.connections == 0, canary.requests
    blocked = {f["data"]["url"] for f in out["findings"] if f["data"].get("classification") == "blocked"}
    # (URLs with user info are reported redacted: http://***@127.0.0.1:…)
    assert blocked == {redact_text(u) for u in targets}, set(targets) - blocked
    assert out["links"]["by_class"] == {"blocked": len(targets), "ok": 1}
    assert time.monotonic() - t < 60


def test_crawl_command_blocks_every_variant(allowed_site, canary, tmp_path):
    variants = {**loopback_variants(canary.port), **METADATA_VARIANTS}
    for name, url in variants.items():
        allowed_site.route(f"/r/{name}", (302, {"Location": location(url)}, b""))
    links = " ".join(f'<a href="{_html_escape(u)}">v</a>' for u in variants.values())
    redirects = " ".join(f'<a href="/r/{n}">r</a>' for n in variants)
    allowed_site.page("/", f'<meta charset="utf-8"><p>{links} {redirects}</p>')
    (tmp_path / ".health-lint.toml").write_text(CONFIG.format(section="crawl", allowed=ALLOWED))
    proc = run_cli("crawl", allowed_site.url("/"), "--no-cache", "--no-sitemap", "--format", "json", cwd=tmp_path)
    out = json.loads(proc.stdout)
    assert canary.connections == 0, canary.requests
    # Every variant (spellings of one URL are checked once) and every
    # redirect to one: blocked; the start page: ok.
    distinct = len({normalize_url(u) for u in variants.values()}) + len(variants)
    assert out["crawl"]["by_class"] == {"blocked": distinct, "ok": 1}, out["crawl"]
    # ...and each is reported where it appears, as in `links`.
    reported = [f for f in out["findings"] if f["data"].get("classification") == "blocked"]
    assert len(reported) == 2 * len(variants) and {f["severity"] for f in reported} == {"warning"}


@pytest.fixture
def tls_site(tmp_path):
    """An HTTPS server on 127.0.0.2 with a certificate for "secure.test"
    only (made with the openssl command line)."""
    from .conftest import start_tls_site

    site, cert = start_tls_site(tmp_path, ALLOWED, "secure.test", "DNS:secure.test")
    yield site, cert
    site.server.shutdown()
    site.server.server_close()


def test_https_to_a_pinned_address_still_verifies_the_host_name(tls_site, connects):
    site, cert = tls_site
    site.page("/", "<p>secure</p>")
    client = HttpClient(strict_config(), resolver=FlippingResolver({"secure.test": ([ALLOWED], ["127.0.0.1"])}))
    client.session.verify = str(cert)
    try:
        # SNI and the certificate check use the name; the socket goes to the checked address.
        assert client.fetch(site.url("/")).status == 200
        assert {a[0] for a in connects} == {ALLOWED}
        # The certificate is for the name only: the same server by address fails the check.
        by_address = client.fetch(site.url("/").replace("secure.test", ALLOWED))
        assert by_address.error_kind == "tls"
    finally:
        client.close()


def test_urls_no_browser_can_open_are_broken_not_skipped(config):
    urls = ["http://exa mple.org/", "http://1.2.3.4.5/", "https://ex<ample.org/"]
    res = check_urls(urls, config)
    for url in urls:
        assert res[url].classification == "broken" and "malformed" in res[url].error, url


def test_a_bad_allow_addresses_entry_is_a_usage_error(tmp_path):
    (tmp_path / "a.md").write_text("# A\n\n[x](http://example.invalid/)\n", encoding="utf-8")
    (tmp_path / ".health-lint.toml").write_text('[links]\nallow-addresses = ["10.0.0.0/8", "intranet"]\n')
    for args in (("links", "a.md"), ("crawl", "http://example.invalid/")):
        proc = run_cli(*args, "--no-cache", cwd=tmp_path)
        assert proc.returncode == 2 and "'intranet' is not an IP address or network" in proc.stderr, proc.stderr


def test_non_ascii_links_and_ids_read_with_the_header_charset(site):
    """A UTF-8 page without <meta charset> (the charset is in the header):
    "/café" must be requested as /caf%C3%A9, not as Latin-1 mojibake."""
    site.page("/", '<a href="/caf\u00e9">caf\u00e9</a> <a href="/doc#schmerz-\u00fc">doc</a>')
    site.page("/caf%C3%A9", "<p>caf\u00e9</p>")
    site.page("/doc", '<h2 id="schmerz-\u00fc">Schmerz</h2>')
    res = crawl(site.url("/"), fast_config(use_sitemap=False, respect_robots=False, check_fragments=True))
    assert res.results[site.url("/caf%C3%A9")].classification == "ok"
    assert site.count("/caf%C3%A9") >= 1
    frag = res.result_for(site.url("/doc#schmerz-\u00fc"))
    assert frag is not None and frag.classification == "ok", frag
