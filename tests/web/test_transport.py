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
