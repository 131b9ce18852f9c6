"""URLs: normalisation (cache keys), skipped schemes, scope and address safety.

* :func:`normalize_url` gives the key used for de-duplication and the cache:
  scheme and host lowercased, default ports dropped, the fragment removed,
  percent-encoding normalised (unreserved characters decoded, escapes
  upper-cased), an empty path turned into ``/``, dot segments resolved.
* :func:`skip_reason` says why a URL is not requested at all (``mailto:``,
  ``tel:``, ``javascript:``, ``data:`` and other non-HTTP schemes).
* :class:`Scope` decides which URLs a crawl may follow (same host as the
  start URL by default, plus ``include``/``exclude`` regexes).
* :class:`AddressPolicy` refuses requests to link-local / cloud-metadata
  addresses (169.254.0.0/16, fe80::/10) always, and to private and loopback
  ranges unless allowed (``allow_private``; in a crawl it defaults to
  "allowed if the start URL is itself private"). Hosts are resolved before any
  request, and every redirect hop is checked again.
"""
from __future__ import annotations

from functools import lru_cache

import ipaddress
import re
import socket
import threading
from typing import Iterable
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

SKIPPED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms", "callto", "fax", "about", "blob", "file", "ftp", "irc", "news", "urn", "geo", "skype", "whatsapp"})
HTTP_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
# Characters that may appear unescaped in a path or query; everything else
# (spaces, non-ASCII, quotes...) is percent-encoded as UTF-8.
_SAFE_PATH = frozenset("/:@!$&'()*+,;=-._~%")
_SAFE_QUERY = _SAFE_PATH | frozenset("?/")


def _norm_pct(part: str, safe: frozenset[str]) -> str:
    """Decode escapes of unreserved characters, upper-case the others and
    escape characters that should not appear raw."""

    def fix(m: re.Match) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else "%" + m.group(1).upper()

    part = _PCT.sub(fix, part)
    out = []
    for ch in part:
        if ch in _UNRESERVED or ch in safe:
            out.append(ch)
        else:
            out.extend("%{:02X}".format(b) for b in ch.encode("utf-8"))
    # A stray % not followed by two hex digits must itself be escaped.
    text = "".join(out)
    return re.sub(r"%(?![0-9A-F]{2})", "%25", text)


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        if seg == ".":
            if i == len(segments) - 1:
                out.append("")
            continue
        if seg == "..":
            if len(out) > 1:
                out.pop()
            if i == len(segments) - 1:
                out.append("")
            continue
        out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    """Lowercased host (IDNA-encoded) of an absolute URL, '' if none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    try:
        return host.encode("idna").decode("ascii").lower() if host and not host.isascii() else host.lower()
    except UnicodeError:
        return host.lower()


@lru_cache(maxsize=65536)
def origin_host(url: str) -> str:
    """Host plus a non-default port: what "same site" compares."""
    host = host_of(url)
    try:
        parts = urlsplit(url)
        port = parts.port
        scheme = parts.scheme.lower()
    except ValueError:
        return host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        return f"{host}:{port}"
    return host


@lru_cache(maxsize=65536)
def normalize_url(url: str, base: str | None = None, keep_fragment: bool = False) -> str:
    """Canonical form of an http(s) URL, used as the cache and de-dup key.

    Non-HTTP URLs are returned stripped but otherwise unchanged.
    """
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in HTTP_SCHEMES:
        return url
    host = host_of(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += ":" + parts.password
        netloc = f"{userinfo}@{netloc}"
    path = _remove_dot_segments(_norm_pct(parts.path or "/", _SAFE_PATH))
    query = _norm_pct(parts.query, _SAFE_QUERY) if parts.query else ""
    fragment = parts.fragment if keep_fragment else ""
    return urlunsplit(SplitResult(scheme, netloc, path, query, fragment))


def split_fragment(url: str) -> tuple[str, str]:
    """(url without fragment, fragment) — the fragment is unquoted text."""
    from urllib.parse import unquote

    if "#" not in url:
        return url, ""
    head, _, frag = url.partition("#")
    return head, unquote(frag)


@lru_cache(maxsize=65536)
def scheme_of(url: str) -> str:
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url.strip())
    return m.group(1).lower() if m else ""


@lru_cache(maxsize=65536)
def skip_reason(url: str) -> str | None:
    """Why ``url`` must not be requested, or None if it is an http(s) URL."""
    scheme = scheme_of(url)
    if not scheme:
        return "relative URL without a base"
    if scheme in HTTP_SCHEMES:
        try:
            if not urlsplit(url).hostname:
                return "URL has no host"
        except ValueError:
            return "malformed URL"
        return None
    if scheme in SKIPPED_SCHEMES:
        return f"{scheme}: links are not requested"
    return f"unsupported scheme {scheme}:"


class Scope:
    """Which URLs a crawl follows: same host(s) as the start URL and, when
    ``include`` regexes are given, matching one of them; never URLs matching
    ``exclude``.
    Hosts are compared with their non-default port (another port is another
    site)."""

    def __init__(self, start_url: str, include: Iterable[str] = (), exclude: Iterable[str] = (), extra_hosts: Iterable[str] = ()):
        self.hosts = {origin_host(start_url)} | {h.lower() for h in extra_hosts}
        # www.example.org and example.org are the same site for most people.
        for h in list(self.hosts):
            self.hosts.add(h[4:] if h.startswith("www.") else "www." + h)
        self.include = [re.compile(p) for p in include]
        self.exclude = [re.compile(p) for p in exclude]

    def excluded(self, url: str) -> bool:
        return any(p.search(url) for p in self.exclude)

    def same_site(self, url: str) -> bool:
        """On the crawled host(s) and not excluded; ``include`` not applied."""
        if skip_reason(url) or self.excluded(url):
            return False
        return origin_host(url) in self.hosts

    def __contains__(self, url: str) -> bool:
        # ``include`` narrows the same-host scope; it never widens it to
        # other hosts (a page's links must not take the crawl elsewhere).
        if not self.same_site(url):
            return False
        if self.include:
            return any(p.search(url) for p in self.include)
        return True


# --- address safety -------------------------------------------------------

LINK_LOCAL = [ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10")]
# Besides what ``ipaddress`` calls private/reserved/multicast/not global:
# ranges it counts as global that still lead somewhere internal.
PRIVATE = [
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "100.64.0.0/10", "0.0.0.0/8",
              "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "::1/128", "fc00::/7", "::/128",
              "64:ff9b::/96", "64:ff9b:1::/48")
]


def _ip_class(ip: ipaddress._BaseAddress) -> str:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_link_local or any(ip in n for n in LINK_LOCAL if n.version == ip.version):
        return "link-local"
    if (ip.is_private or ip.is_reserved or ip.is_multicast or ip.is_loopback or ip.is_unspecified
            or not ip.is_global or any(ip in n for n in PRIVATE if n.version == ip.version)):
        return "private"
    return "public"


def literal_ip(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_private_host(host: str) -> bool:
    """True if ``host`` is (or resolves to) a private/loopback address."""
    if host in ("localhost",) or host.endswith(".localhost"):
        return True
    ip = literal_ip(host)
    if ip is not None:
        return _ip_class(ip) != "public"
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    return any(_ip_class(ipaddress.ip_address(i[4][0].split("%")[0])) != "public" for i in infos)


class AddressPolicy:
    """Resolve a URL's host and refuse unsafe destinations.

    :meth:`check` returns ``None`` when the request may go ahead, else a
    ``(kind, reason)`` pair where kind is ``blocked`` (unsafe address) or
    ``dns`` (the host does not resolve). IP literals are judged without any
    network activity; names are resolved once and cached.
    """

    def __init__(self, allow_private: bool = False, allow_link_local: bool = False):
        self.allow_private = allow_private
        self.allow_link_local = allow_link_local
        self._cache: dict[str, tuple[str, str] | None] = {}
        self._lock = threading.Lock()

    def _judge(self, ips: list) -> tuple[str, str] | None:
        for ip in ips:
            cls = _ip_class(ip)
            if cls == "link-local" and not self.allow_link_local:
                return ("blocked", f"refusing to request link-local/cloud-metadata address {ip}")
            if cls == "private" and not self.allow_private:
                return ("blocked", f"refusing to request private address {ip} (set allow_private to permit)")
        return None

    def check(self, url: str) -> tuple[str, str] | None:
        host = host_of(url)
        if not host:
            return ("blocked", "URL has no host")
        with self._lock:
            if host in self._cache:
                return self._cache[host]
        ip = literal_ip(host)
        if ip is not None:
            verdict = self._judge([ip])
        else:
            try:
                infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
                ips = [ipaddress.ip_address(i[4][0].split("%")[0]) for i in infos]
                verdict = self._judge(ips)
            except (socket.gaierror, UnicodeError) as exc:
                verdict = ("dns", f"DNS lookup failed for {host}: {exc}")
            except OSError as exc:
                verdict = ("dns", f"DNS lookup failed for {host}: {exc}")
        with self._lock:
            # DNS failures may be transient: do not remember them.
            if verdict is None or verdict[0] == "blocked":
                self._cache[host] = verdict
        return verdict
