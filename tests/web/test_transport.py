"""The client sends straight to the adapter's connection pools (not through
``Session.request``): TLS verification, keep-alive, credentials in URLs,
pools the pool manager closed. Real servers on loopback, a real certificate
made by ``openssl`` for the TLS cases."""
from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from health_lint.web import check_urls as check_links
from health_lint.web.client import HttpClient

from .conftest import fast_config


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    connections: set = set()

    def log_message(self, *a):
        pass

    def do_GET(self):
        type(self).connections.add(self.client_address)
        body = b"<p>hello</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET


@pytest.fixture
def tls_server(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_Handler,), {"connections": set()}))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()
    server.server_close()


def test_tls_certificate_is_verified_by_default(tls_server):
    base, _cert = tls_server
    results = check_links([base + "/page"], fast_config(retries=0))
    r = results[base + "/page"]
    assert r.status == 0 and r.error_kind == "tls", (r.classification, r.error_kind, r.error)


def test_tls_with_the_servers_certificate_as_the_bundle_is_ok(tls_server, monkeypatch):
    base, cert = tls_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    results = check_links([base + "/page"], fast_config())
    assert results[base + "/page"].status == 200


def test_tls_not_verified_when_asked(tls_server):
    base, _cert = tls_server
    results = check_links([base + "/page"], fast_config(verify_tls=False))
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
