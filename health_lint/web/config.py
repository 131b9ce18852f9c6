"""All knobs of link checking and crawling, with their defaults.

The CLI / ``[tool.health-lint.links]`` / ``[tool.health-lint.crawl]`` config fill a :class:`WebConfig`;
:meth:`WebConfig.from_mapping` accepts a dict with the same field names
(dashes or underscores) and raises ``ValueError`` naming an unknown key.
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Any

# Fields that may be left unset (None) as well as given a value.
_OPTIONAL_NUMBERS = {"total_timeout", "ttl_ok", "ttl_redirected", "ttl_broken", "ttl_server_error",
                     "ttl_unverified", "ttl_network_error"}
_OPTIONAL_BOOLS = {"allow_private", "progress"}
# RFC 9110 token characters: what a header name may contain.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A CR or LF would end the header (header injection); requests refuses it,
# which would make every link look broken.
_BAD_HEADER_CHARS = re.compile(r"[\r\n\x00]")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


DEFAULT_USER_AGENT = "health-lint/0.1 (+https://pypi.org/project/health-lint/; link checker)"


_STATUS_LISTS = ("accept_statuses", "ignore_statuses", "unverified_statuses")
_STATUS_RANGE = re.compile(r"(\d{3})(?:\.\.(=?)(\d{3}))?")


def status_codes(values, label: str = "--accept") -> tuple[int, ...]:
    """HTTP statuses as lychee writes them: ``403``, ``200..=299``
    (inclusive), ``200..300`` (end left out), comma-separated within a
    string; numbers as they are. ``ValueError`` names ``label`` and the part
    that is wrong."""
    out: set[int] = set()
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            parts = [str(value)]
        elif isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
        else:
            raise ValueError(f"{label}: {value!r} is not a status code or a range such as 200..=299")
        for part in parts:
            m = _STATUS_RANGE.fullmatch(part)
            if not m:
                raise ValueError(f"{label} {part!r}: give status codes or ranges such as 403, 200..=299 or 200..300")
            low = int(m.group(1))
            high = low if m.group(3) is None else int(m.group(3)) - (0 if m.group(2) else 1)
            if not 100 <= low <= high <= 999:
                raise ValueError(f"{label} {part!r}: not a range of HTTP statuses (100 to 999, low to high)")
            out.update(range(low, high + 1))
    return tuple(sorted(out))


@dataclass
class WebConfig:
    # --- HTTP client ---
    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 32  # requests in flight, all hosts together
    # Ceilings of the adaptive per-host window (client.HostState): it starts
    # at 2 in flight and grows while the host answers fast and healthy.
    per_host_concurrency: int = 16  # requests in flight to one host (--per-host)
    rate_limit: float = 0.0  # requests per second per host (--max-rate); 0 = no ceiling
    # False: per_host_concurrency requests in flight from the start, answer
    # times not watched (only 429/503, refusals and timeouts back off).
    adaptive_rate: bool = True
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    # Whole request (headers and body); None = connect_timeout + 3 × read_timeout,
    # so --timeout also bounds a server that drips its answer.
    total_timeout: float | None = None
    max_redirects: int = 10
    max_body_bytes: int = 5_000_000  # bytes read from a page (crawl, fragments)
    # Sitemaps are bounded (a sitemap bomb must cost bounded memory and
    # time): bytes of XML read from all sitemaps together, after
    # decompression (one sitemap may hold 50 MB by the protocol), sitemap
    # files read, index nesting, and page URLs taken from them all.
    sitemap_max_bytes: int = 50_000_000
    sitemap_max_files: int = 100
    sitemap_max_depth: int = 3  # an index (1) → its sitemaps (2) → one more level
    sitemap_max_urls: int = 50_000
    head_first: bool = True
    # HEAD answered with one of these: ask again with GET.
    get_fallback_statuses: tuple[int, ...] = (400, 403, 405, 406, 501, 999)
    check_fragments: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    verify_tls: bool = True

    # --- retries ---
    retries: int = 3  # extra attempts after the first
    # A host that answered before and now refuses/resets connections is
    # overloaded (connection cap), not gone: retry longer and slow down.
    flaky_retries: int = 6
    backoff_base: float = 0.5  # seconds; doubled each attempt, with jitter
    backoff_max: float = 30.0
    max_retry_after: float = 60.0  # a longer Retry-After: give up (unverified)
    retry_statuses: tuple[int, ...] = (408, 429, 500, 502, 503, 504)

    # --- classification ---
    accept_statuses: tuple[int, ...] = ()  # treated as ok (e.g. 403 for a site)
    ignore_statuses: tuple[int, ...] = ()  # reported as skipped
    unverified_statuses: tuple[int, ...] = (401, 403, 407, 429, 451, 999)
    exclude: tuple[str, ...] = ()  # regexes: matching URLs are not checked
    include: tuple[str, ...] = ()  # crawl scope regexes (default: same host)
    # "PATTERN REPLACEMENT" rules applied to each URL before it is checked
    # (lychee's --remap; web/remap.py), e.g. to check a staging copy.
    remap: tuple[str, ...] = ()

    # --- safety ---
    # None = automatic: allowed when the start URL is itself private.
    allow_private: bool | None = None
    allow_link_local: bool = False
    # Addresses or networks ("10.20.0.0/16", "192.168.1.5") that may be
    # requested although private, without allowing every private range.
    allow_addresses: tuple[str, ...] = ()

    # --- crawl ---
    max_pages: int = 10_000
    max_depth: int = 50
    respect_robots: bool = True
    # A robots.txt Crawl-delay above this many seconds is capped (a site
    # asking for 86400 s would stall the crawl for days); 0 = ignore Crawl-delay.
    max_crawl_delay: float = 10.0
    use_sitemap: bool = True
    check_external: bool = True

    # --- cache (seconds; None = do not cache) ---
    cache_path: str = ".health-lint-cache.sqlite"
    ttl_ok: float | None = 86_400
    ttl_redirected: float | None = 86_400
    ttl_broken: float | None = 3_600
    ttl_server_error: float | None = 3_600
    ttl_unverified: float | None = 3_600
    ttl_network_error: float | None = None

    # --- output ---
    progress: bool | None = None  # None = only on a terminal outside CI

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> "WebConfig":
        names = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            name = key.replace("-", "_")
            if name not in names:
                raise ValueError(f"unknown web option {key!r}")
            default = getattr(cls(), name)
            if name in _STATUS_LISTS and isinstance(value, (list, tuple, str, int)) and not isinstance(value, bool):
                # 403, "403", "200..=299" (lychee's ranges), or a list of them.
                value = status_codes(value if isinstance(value, (list, tuple)) else [value], label=key)
            elif isinstance(default, tuple) and isinstance(value, list):
                value = tuple(value)
            kwargs[name] = value
        return cls(**kwargs)

    def problems(self) -> list[str]:
        """What is wrong with these settings (empty when nothing): a value of
        the wrong type, a number that is not finite, a header that cannot be
        sent. The CLI turns each into a usage error (exit 2) instead of
        letting it surface later as a crash or as every link "broken"."""
        out: list[str] = []
        default = WebConfig()
        for f in dataclasses.fields(self):
            name, value, dflt = f.name, getattr(self, f.name), getattr(default, f.name)
            label = name.replace("_", "-")
            if name in _OPTIONAL_NUMBERS:
                if value is not None and not _is_number(value):
                    out.append(f"{label} must be a number or unset, not {value!r}")
                elif value is not None and not math.isfinite(value):
                    out.append(f"{label} must be a finite number, not {value!r}")
            elif name in _OPTIONAL_BOOLS:
                if value is not None and not isinstance(value, bool):
                    out.append(f"{label} must be true or false, not {value!r}")
            elif isinstance(dflt, bool):
                if not isinstance(value, bool):
                    out.append(f"{label} must be true or false, not {value!r}")
            elif isinstance(dflt, int):
                if not (isinstance(value, int) and not isinstance(value, bool)):
                    out.append(f"{label} must be a whole number, not {value!r}")
            elif isinstance(dflt, float):
                if not _is_number(value):
                    out.append(f"{label} must be a number, not {value!r}")
                elif not math.isfinite(value):
                    out.append(f"{label} must be a finite number, not {value!r}")
            elif isinstance(dflt, str):
                if not isinstance(value, str):
                    out.append(f"{label} must be a string, not {value!r}")
            elif isinstance(dflt, tuple):
                item_type = int if name.endswith("statuses") else str
                if not isinstance(value, (tuple, list)) or not all(
                        isinstance(v, item_type) and not isinstance(v, bool) for v in value):
                    kind = "whole numbers" if item_type is int else "strings"
                    out.append(f"{label} must be a list of {kind}, not {value!r}")
        if isinstance(self.allow_addresses, (tuple, list)):
            import ipaddress

            for text in self.allow_addresses:
                try:
                    ipaddress.ip_network(str(text).strip(), strict=False)
                except ValueError:
                    out.append(f"allow-addresses: {text!r} is not an IP address or network (e.g. \"10.20.0.0/16\")")
        if isinstance(self.user_agent, str) and _BAD_HEADER_CHARS.search(self.user_agent):
            out.append(f"user-agent must be one line (no CR, LF or NUL): {self.user_agent!r}")
        if not isinstance(self.headers, dict):
            out.append(f"headers must be a table of names and string values, not {self.headers!r}")
        else:
            for key, value in self.headers.items():
                if not isinstance(key, str) or not _HEADER_NAME.fullmatch(key):
                    out.append(f"headers: {key!r} is not a valid HTTP header name")
                elif not isinstance(value, str):
                    out.append(f"headers: the value of {key} must be a string, not {value!r} "
                               f"(write {key} = \"{value}\")")
                elif _BAD_HEADER_CHARS.search(value):
                    out.append(f"headers: the value of {key} must be one line (no CR, LF or NUL)")
        return out

    def classification_tag(self) -> str:
        """Short hash of the settings that change how an answer is classified
        (empty with the defaults); part of the results-cache key, so changing
        them takes effect at once instead of at cache expiry."""
        fields = ("accept_statuses", "ignore_statuses", "unverified_statuses")
        default = WebConfig()
        values = {f: sorted(getattr(self, f)) for f in fields}
        if all(values[f] == sorted(getattr(default, f)) for f in fields):
            return ""
        import hashlib
        import json

        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:10]

    def ttl_for(self, classification: str, network_error: bool = False) -> float | None:
        if network_error:
            return self.ttl_network_error
        return {
            "ok": self.ttl_ok,
            "redirected": self.ttl_redirected,
            "broken": self.ttl_broken,
            "server-error": self.ttl_server_error,
            "unverified": self.ttl_unverified,
        }.get(classification)
