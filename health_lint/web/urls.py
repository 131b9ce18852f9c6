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
  ranges unless allowed (``allow_private``, or ``allow_addresses`` for some
  addresses/networks only; in a crawl it defaults to "allowed if the start
  URL is itself private"). Hosts are resolved before any request, and every
  redirect hop is checked again.

Every http(s) URL is parsed with the WHATWG URL rules browsers use
(:func:`parse_http_url`, the ``ada`` parser): ``\\`` is a path separator,
``user:pass@`` is split at the last ``@``, IPv4 hosts in decimal, octal or
hex (``2130706433``, ``0x7f.1``, ``0177.0.0.1``) become dotted quads, IDNA
hosts become punycode. The checker then only handles the canonical
serialisation, so the host the policy judges is the host the HTTP client
connects to; the client also connects only to the addresses the policy
checked (see ``client.py``), so a name that resolves differently on a second
lookup (DNS rebinding) cannot lead elsewhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ipaddress
import re
import socket
import threading
from typing import Callable, Iterable
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import ada_url

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


@dataclass(frozen=True)
class ParsedURL:
    """An http(s) URL as the WHATWG URL standard reads it."""

    href: str  # canonical serialisation (fragment kept)
    scheme: str  # "http" or "https"
    host: str  # ASCII, lowercased; an IPv6 literal without brackets
    port: int | None  # None for the scheme's default port
    username: str  # percent-encoded, as serialised
    password: str
    path: str  # "/..." (percent-encoded)
    query: str  # without "?"
    fragment: str  # without "#"

    @property
    def netloc_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def has_credentials(self) -> bool:
        return bool(self.username or self.password)


@lru_cache(maxsize=65536)
def parse_http_url(url: str, base: str | None = None) -> ParsedURL | None:
    """Parse ``url`` (relative to ``base``) with the WHATWG rules; None when it
    is not a valid http(s) URL. The one parser every check and request uses."""
    try:
        href = ada_url.join_url(base, url) if base else ada_url.normalize_url(url)
    except (ValueError, TypeError, UnicodeError):
        return None
    # The WHATWG serialisation is unambiguous (user info percent-encoded, no
    # backslashes before the path, canonical host and port), so splitting it
    # cannot read another host; it is also much faster than asking the
    # parser for each part.
    try:
        parts = urlsplit(href)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in HTTP_SCHEMES or not parts.hostname:
        return None
    return ParsedURL(
        href=href, scheme=parts.scheme, host=parts.hostname, port=port,
        username=parts.username or "", password=parts.password or "", path=parts.path or "/",
        query=parts.query, fragment=parts.fragment,
    )


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    """Lowercased host (IDNA-encoded; IPv6 without brackets) of an absolute
    URL, '' if none."""
    parsed = parse_http_url(url.strip())
    if parsed is not None:
        return parsed.host
    if scheme_of(url) in HTTP_SCHEMES:
        return ""  # not a valid http(s) URL: no host to talk to
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
    parsed = parse_http_url(url.strip())
    if parsed is None:
        return host_of(url)
    if parsed.port is not None:
        return f"{parsed.host}:{parsed.port}"
    return parsed.host


@lru_cache(maxsize=65536)
def normalize_url(url: str, base: str | None = None, keep_fragment: bool = False) -> str:
    """Canonical form of an http(s) URL, used as the cache and de-dup key and
    as the URL actually requested: the WHATWG serialisation, with escapes of
    unreserved characters decoded and the others upper-cased.

    Non-HTTP and invalid URLs are returned stripped but otherwise unchanged.
    """
    url = url.strip()
    parsed = parse_http_url(url, base.strip() if base else None)
    if parsed is None:
        return urljoin(base, url) if base else url
    netloc = parsed.netloc_host
    if parsed.port is not None:
        netloc = f"{netloc}:{parsed.port}"
    if parsed.has_credentials:
        userinfo = parsed.username + (":" + parsed.password if parsed.password else "")
        netloc = f"{userinfo}@{netloc}"
    path = _remove_dot_segments(_norm_pct(parsed.path, _SAFE_PATH))
    query = _norm_pct(parsed.query, _SAFE_QUERY) if parsed.query else ""
    fragment = parsed.fragment if keep_fragment else ""
    return urlunsplit(SplitResult(parsed.scheme, netloc, path, query, fragment))


_ABSOLUTE_HTTP = re.compile(r"^https?://", re.I)


# A path-absolute reference ("/guides/back-pain.html?page=2#top") made only
# of characters the URL standard keeps as they are in a path, query and
# fragment (no "%", quote, backslash, space or control character), and no
# "." segment: resolved, it is the base's origin followed by it as written.
_PLAIN_PATH_REF = re.compile(r"(/[A-Za-z0-9\-._~!$&()*+,;=:@/]*)(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/?]+)?"
                             r"(?:#[A-Za-z0-9\-._~!$&()*+,;=:@/?]*)?")


@lru_cache(maxsize=1024)
def _origin_prefix(base: str) -> str | None:
    """``scheme://[userinfo@]host[:port]`` of ``base`` as the URL standard
    writes it, None when ``base`` is not an http(s) URL."""
    parsed = parse_http_url(base)
    if parsed is None:
        return None
    # In the serialisation the first "/" after "scheme://" starts the path
    # (user info is percent-encoded, a host holds no "/").
    return parsed.href[:parsed.href.index("/", len(parsed.scheme) + 3)]


def join_url(base: str, url: str) -> str:
    """``url`` resolved against ``base`` as a browser does (``http:\\\\host``
    and ``\\\\host`` are network paths, not relative paths). An absolute
    ``http(s)://`` URL is returned as written; non-HTTP results (``mailto:``...)
    as :func:`urllib.parse.urljoin` gives them."""
    url = url.strip()
    if _ABSOLUTE_HTTP.match(url):
        return url
    if url[:1] == "/" and url[1:2] != "/":
        # Most links of a site: no parser needed (the same result as the
        # parser's, see tests/web/test_urls.py), a few microseconds a link.
        m = _PLAIN_PATH_REF.fullmatch(url)
        if m is not None and "/." not in m.group(1):
            prefix = _origin_prefix(base)
            if prefix is not None:
                return prefix + url
    parsed = parse_http_url(url, base)
    if parsed is not None:
        return parsed.href
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def redact_url(url: str) -> str:
    """``url`` with any ``user:password@`` shown as ``***@`` (for messages)."""
    from ..reporters.redact import redact_text

    return redact_text(url)


def has_credentials(url: str) -> bool:
    parsed = parse_http_url(url.strip())
    return parsed is not None and parsed.has_credentials


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


# An http(s) URL no browser could open (a space or "<" in the host, an IPv4
# address with five parts...): reported broken, not skipped.
MALFORMED_URL = "malformed URL (a browser cannot open it)"


@lru_cache(maxsize=65536)
def skip_reason(url: str) -> str | None:
    """Why ``url`` must not be requested, or None if it is an http(s) URL."""
    scheme = scheme_of(url)
    if not scheme:
        return "relative URL without a base"
    if scheme in HTTP_SCHEMES:
        # "https:///x" is "https://x/" to a browser, but in an article it is
        # a typo: report it rather than guess a host.
        if re.match(r"^\s*https?:[/\\]{3}", url, re.I) or re.match(r"^\s*https?:[/\\]*$", url, re.I):
            return "URL has no host"
        if parse_http_url(url.strip()) is None:
            return MALFORMED_URL
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


Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    """The addresses ``host`` resolves to (raises ``OSError`` if none)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(i[4][0].split("%")[0] for i in infos))


def _is_localhost_name(host: str) -> bool:
    host = host.rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def is_private_host(host: str, resolver: Resolver | None = None) -> bool:
    """True if ``host`` is (or resolves to) a private/loopback address."""
    if _is_localhost_name(host):
        return True
    ip = literal_ip(host)
    if ip is not None:
        return _ip_class(ip) != "public"
    try:
        addresses = (resolver or system_resolver)(host)
    except (OSError, UnicodeError):
        return False
    return any(_ip_class(ipaddress.ip_address(a)) != "public" for a in addresses)


def _pin_key(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


class AddressPolicy:
    """Resolve a URL's host, refuse unsafe destinations, and remember the
    addresses that were judged so the client connects to exactly those.

    :meth:`check` returns ``None`` when the request may go ahead, else a
    ``(kind, reason)`` pair where kind is ``blocked`` (unsafe address),
    ``dns`` (the host does not resolve) or ``invalid`` (not a valid http(s)
    URL). IP literals are judged without any network activity; names are
    resolved once per run with ``resolver`` (default: the system's) and the
    answer is kept: :meth:`pinned` gives the checked addresses of a host,
    the only ones the HTTP client will connect to.

    ``allow_addresses``: IP addresses or networks that may be requested even
    though private (link-local stays governed by ``allow_link_local``).
    """

    def __init__(self, allow_private: bool = False, allow_link_local: bool = False,
                 allow_addresses: Iterable[str] = (), resolver: Resolver | None = None):
        self.allow_private = allow_private
        self.allow_link_local = allow_link_local
        self.allowed_networks = []
        for text in allow_addresses:
            try:
                self.allowed_networks.append(ipaddress.ip_network(str(text).strip(), strict=False))
            except ValueError:
                raise ValueError(f"allow-addresses: {text!r} is not an IP address or network") from None
        self.resolver: Resolver = resolver or system_resolver
        self._cache: dict[str, tuple[str, str] | None] = {}
        self._pins: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def _explicitly_allowed(self, ip) -> bool:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return any(ip.version == n.version and ip in n for n in self.allowed_networks)

    def _judge(self, ips: list) -> tuple[str, str] | None:
        for ip in ips:
            cls = _ip_class(ip)
            if cls == "link-local" and not self.allow_link_local:
                return ("blocked", f"refusing to request link-local/cloud-metadata address {ip}")
            if cls == "private" and not self.allow_private and not self._explicitly_allowed(ip):
                return ("blocked", f"refusing to request private address {ip} (allow it with allow-private or allow-addresses)")
        return None

    def host_is_private(self, host: str) -> bool:
        """Like :func:`is_private_host`, with this policy's resolver."""
        return is_private_host(host, self.resolver)

    def check(self, url: str) -> tuple[str, str] | None:
        parsed = parse_http_url(url.strip())
        if parsed is None:
            return ("invalid", f"not a valid http(s) URL: {redact_url(url)}")
        host = _pin_key(parsed.host)
        if not host:
            return ("blocked", "URL has no host")
        with self._lock:
            if host in self._cache:
                return self._cache[host]
        addresses: list[str] = []
        ip = literal_ip(host)
        if ip is not None:
            addresses = [str(ip)]
            verdict = self._judge([ip])
        elif _is_localhost_name(host) and not self.allow_private:
            verdict = ("blocked", f"refusing to request {host} (a loopback name; allow it with allow-private)")
        else:
            try:
                addresses = list(self.resolver(host))
                ips = [ipaddress.ip_address(a.split("%")[0]) for a in addresses]
                verdict = self._judge(ips) if ips else ("dns", f"DNS lookup failed for {host}: no address")
            except (OSError, UnicodeError, ValueError) as exc:
                verdict = ("dns", f"DNS lookup failed for {host}: {exc}")
        with self._lock:
            if host in self._cache:  # another thread judged it first: keep one answer
                return self._cache[host]
            # DNS failures may be transient: do not remember them.
            if verdict is None or verdict[0] == "blocked":
                self._cache[host] = verdict
            if verdict is None:
                self._pins[host] = tuple(a.split("%")[0] for a in addresses)
        return verdict

    def pinned(self, host: str) -> tuple[str, ...] | None:
        """The addresses :meth:`check` approved for ``host``; None if the
        host was never approved (then nothing may connect to it)."""
        with self._lock:
            return self._pins.get(_pin_key(host))
