"""Loopback HTTP servers for the web tests (never the internet, no mocks).

``site`` fixture: a real ``ThreadingHTTPServer`` on 127.0.0.1 (ephemeral
port, HTTP/1.1 keep-alive) with a routing table. A route is either a tuple
``(status, headers, body)`` or a callable ``(req) -> (status, headers, body)``
where ``req`` has ``.method``, ``.path``, ``.n`` (hits on this path so far,
1-based) and ``.headers``; ``body`` may also be an iterable of byte chunks
(streamed without Content-Length). Every request is counted in
``site.hits[(method, path)]``.
"""
from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from health_lint.web import WebConfig


class Site:
    def __init__(self):
        self.routes: dict[str, object] = {}
        self.hits: Counter = Counter()
        self.lock = threading.Lock()
        self.server = None
        self.base = ""

    def route(self, path: str, response) -> None:
        self.routes[path] = response

    def page(self, path: str, html: str, headers: dict | None = None) -> None:
        self.routes[path] = (200, {"Content-Type": "text/html; charset=utf-8", **(headers or {})}, html.encode())

    def url(self, path: str = "/") -> str:
        return self.base + path

    def count(self, path: str, method: str | None = None) -> int:
        with self.lock:
            if method:
                return self.hits[(method, path)]
            return sum(v for (m, p), v in self.hits.items() if p == path)

    def total(self) -> int:
        with self.lock:
            return sum(self.hits.values())


def _make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def _serve(self, method: str):
            path = self.path.split("?")[0] if self.path.split("?")[0] in site.routes else self.path
            with site.lock:
                site.hits[(method, path)] += 1
                n = sum(v for (m, p), v in site.hits.items() if p == path)
            route = site.routes.get(path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/html"}, b"<h1>not found</h1>"
            elif callable(route):
                status, headers, body = route(SimpleNamespace(method=method, path=path, n=n, headers=self.headers))
            else:
                status, headers, body = route
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if isinstance(body, (bytes, bytearray)):
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if method != "HEAD":
                        self.wfile.write(body)
                else:  # streamed chunks, connection closed at the end
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.close_connection = True
                    if method != "HEAD":
                        for chunk in body:
                            self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def do_GET(self):
            self._serve("GET")

        def do_HEAD(self):
            self._serve("HEAD")

    return Handler


def start_site(host: str = "127.0.0.1", port: int = 0) -> Site:
    site = Site()
    server = ThreadingHTTPServer((host, port), _make_handler(site))
    server.daemon_threads = True
    site.server = server
    site.base = f"http://{host}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return site


def start_tls_site(tmp_path, host: str, name: str, san: str):
    """An HTTPS :class:`Site` on ``host``, with a self-signed certificate for
    ``name`` (subjectAltName ``san``, e.g. "DNS:secure.test" or
    "IP:127.0.0.1") made by the openssl command line. Returns the site
    (``base`` uses ``name``) and the certificate's path; skips the test
    when openssl is missing."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl command not available")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName={san}"],
                   check=True, capture_output=True)
    site = Site()
    server = ThreadingHTTPServer((host, 0), _make_handler(site))
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    site.server = server
    site.base = f"https://{name}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return site, cert


@pytest.fixture
def site():
    s = start_site()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture
def other_site():
    """A second server: another origin (out of scope of ``site``)."""
    s = start_site()
    s.base = s.base.replace("127.0.0.1", "localhost")
    yield s
    s.server.shutdown()
    s.server.server_close()


def fast_config(**kw) -> WebConfig:
    """Short timeouts and backoffs so the whole module stays fast."""
    base = dict(
        rate_limit=0, backoff_base=0.01, backoff_max=0.05, max_retry_after=2.0, connect_timeout=2.0,
        read_timeout=2.0, allow_private=True, progress=False, concurrency=8, per_host_concurrency=8,
    )
    base.update(kw)
    return WebConfig(**base)


@pytest.fixture
def config():
    return fast_config()


class FlakyServer:
    """A raw HTTP server that resets every other connection (SO_LINGER 0),
    like a server at its connection cap; the others get a 200."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.served = 0
        self.stop = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        import struct

        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            if self.accepted % 2 == 1:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()  # RST
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.settimeout(2)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            method = data.split(b" ", 1)[0]
            body = b"" if method == b"HEAD" else b"ok"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n" + body)
            self.served += 1
        finally:
            conn.close()

    def close(self):
        self.stop = True
        self.sock.close()


class TogglingListener:
    """A port that alternately listens and refuses (nothing bound): real
    ECONNREFUSED on some connections, like an overloaded or restarting
    server. Connections that get in are answered by a tiny HTTP responder."""

    def __init__(self, up: float = 0.03, down: float = 0.03):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.up, self.down = up, down
        self.stop = False
        self.served = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while not self.stop:
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", self.port))
            except OSError:
                time.sleep(0.005)
                continue
            s.listen(64)
            s.settimeout(0.005)
            until = time.monotonic() + self.up
            while time.monotonic() < until:
                try:
                    conn, _ = s.accept()
                except (socket.timeout, OSError):
                    continue
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()
            s.close()
            time.sleep(self.down)

    def _serve(self, conn):
        try:
            conn.settimeout(2)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            self.served += 1
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stop = True


@pytest.fixture
def flaky_server():
    s = FlakyServer()
    yield s
    s.close()


@pytest.fixture
def toggling_listener():
    s = TogglingListener()
    yield s
    s.close()


@pytest.fixture
def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
