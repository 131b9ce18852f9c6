"""The client sends straight to the adapter's connection pools (not through
``Session.request``): TLS verification, keep-alive, credentials in URLs,
pools the pool manager closed. Real servers on loopback, a real certificate
made by ``openssl`` for the TLS cases."""
from __future__ import annotations

import pytest

from health_lint.web import check_urls
from health_lint.web.client import HttpClient

from .conftest import fast_config, start_tls_site


@pytest.fixture
def tls_server(tmp_path):
    site, cert = start_tls_site(tmp_path, "127.0.0.1", "127.0.0.1", "IP:127.0.0.1")
    site.page("/page", "<p>hello</p>")
    yield site.base, cert
    site.server.shutdown()
    site.server.server_close()


def test_tls_certificate_is_verified_by_default(tls_server):
    base, _cert = tls_server
    results = check_urls([base + "/page"], fast_config(retries=0))
    r = results[base + "/page"]
    assert r.status == 0 and r.error_kind == "tls", (r.classification, r.error_kind, r.error)


def test_tls_with_the_servers_certificate_as_the_bundle_is_ok(tls_server, monkeypatch):
    base, cert = tls_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    results = check_urls([base + "/page"], fast_config())
    assert results[base + "/page"].status == 200


def test_tls_not_verified_when_asked(tls_server):
    base, _cert = tls_server
    results = check_urls([base + "/page"], fast_config(verify_tls=False))
    assert results[base + "/page"].status == 200


def test_one_connection_is_reused_and_a_closed_pool_is_replaced(site):
    for i in range(6):
        site.page(f"/p{i}", f"page {i}")
    client = HttpClient(fast_config())
    for i in range(3):
        assert client.fetch(site.url(f"/p{i}"), want_body=True).status == 200
    # The pool manager drops its pools (as it does past 64 origins): the
    # client's remembered pool is closed, and the next request still works.
    client._adapter.poolmanager.clear()
    for i in range(3, 6):
        assert client.fetch(site.url(f"/p{i}"), want_body=True).status == 200
    assert client.request_count == 6


# Header blocks as servers send them, and as they should not: the client's
# reader must give what http.client's own parser gives (the email package's),
# header for header, payload and defects included.
HEADER_BLOCKS = [
    b"Content-Type: text/html\r\nContent-Length: 12\r\n\r\n",
    b"Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Empty:\r\nX-Spaces:   padded  \r\n\r\n",
    b"Location:\t/next\r\nServer: caf\xe9\r\n\r\n",
    b"Content-Type: text/html\nContent-Length: 3\n\n",  # bare LF line ends
    b"X-Folded: first\r\n second line\r\nServer: x\r\n\r\n",  # obsolete line folding
    b"Server: x\r\nno colon here\r\nX-After: y\r\n\r\n",  # a defect: the rest is the body
    b": no name\r\nServer: x\r\n\r\n",
    b"Bad Name: x\r\nServer: y\r\n\r\n",
    b"X-Cr: a\rb\r\nServer: y\r\n\r\n",  # a bare CR inside a value
    b"From someone\r\nServer: y\r\n\r\n",
    b"Server: cut off",  # EOF before the end of the headers
    b"\r\n",  # no header at all
]


@pytest.mark.skipif(not __import__("health_lint.web.client", fromlist=["x"])._follows_this_http_client(),
                    reason="this Python's http.client is newer than the header reader follows: it keeps its own")
@pytest.mark.parametrize("block", HEADER_BLOCKS)
def test_header_block_read_as_http_client_reads_it(block):
    import http.client
    import io

    from health_lint.web.client import _parse_headers

    ours = _parse_headers(io.BytesIO(block))
    theirs = http.client.parse_headers(io.BytesIO(block))
    assert type(ours) is type(theirs)

    def state(msg):  # defects are compared by kind (each is a new object)
        return {**vars(msg), "defects": [type(d) for d in msg.defects]}

    assert state(ours) == state(theirs)
    assert ours.items() == theirs.items() and ours.get_payload() == theirs.get_payload()


def test_folded_header_and_chunked_body_through_the_client(site):
    # A real answer with a folded header (read by http.client's own parser,
    # unfolded by urllib3) and a chunked body.
    site.route("/odd", (200, {"Content-Type": "text/html", "X-Folded": "one\r\n two"},
                        [b"<p>chunk one</p>", b"<p>chunk two</p>"]))
    client = HttpClient(fast_config())
    try:
        out = client.fetch(site.url("/odd"), want_body=True)
    finally:
        client.close()
    assert out.status == 200 and out.body == b"<p>chunk one</p><p>chunk two</p>"
    assert out.headers["x-folded"] == "one two"
    assert out.headers["content-type"] == "text/html"
