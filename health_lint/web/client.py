"""The HTTP client: pooled connections, politeness, retries, manual redirects.

:class:`HttpClient` wraps one ``requests.Session`` (an ``HTTPAdapter`` whose
pool is sized to the concurrency) and is safe to call from many threads:

* a global limit on requests in flight (``concurrency``) and, per host, an
  adaptive window (:class:`HostState`): it starts at 4 requests in flight,
  grows while answers stay healthy and fast, backs off at once on 429/503,
  refused or reset connections, timeouts and latency growth, and never
  exceeds ``per_host_concurrency`` (``--per-host``) nor ``rate_limit``
  requests/second (``--max-rate``; a minimum interval between request
  starts, which ``robots.txt`` ``Crawl-delay`` can only lengthen);
  :meth:`HttpClient.host_summaries` says where each host settled;
* connect/read timeouts, and a deadline for the whole link
  (``total_timeout``, default connect + 3 × read timeout): status lines,
  headers and bodies of every attempt and redirect hop together (waits
  between retries aside). A read timeout applies to each socket read, so a
  server dripping a byte at a time never trips it; a watchdog thread
  (:class:`_Watchdog`) shuts the connection down at the deadline instead, so
  no worker is held: a miss is a ``timeout`` (not retried). Response bodies
  are streamed and capped. (Through a proxy the watchdog cannot see the
  connection; the body is still bounded by the deadline);
* retries with exponential backoff and jitter for connection errors, 408,
  429, 500, 502, 503, 504, honouring ``Retry-After`` (seconds or HTTP-date);
  a ``Retry-After`` longer than ``max_retry_after`` is not waited for: the
  request gives up at once (``error_kind == "retry-after"``, unverified);
  a 429 or 503 backs the whole host off;
* :meth:`HttpClient.stop` (Ctrl-C) sets ``stop_event``: no new request
  starts, rate-limit and backoff waits end at once, and every request in
  flight is cut (``error_kind == "stopped"``; never cached);
* a host that has answered before and then refuses or resets connections is
  treated as overloaded (e.g. a server's connection cap): it gets more
  retries and a lower per-host concurrency, and a refusal there is never
  reported as a dead link (see ``FetchOutcome.error_kind == "refused-flaky"``);
* redirects are followed by hand (``allow_redirects=False``) up to
  ``max_redirects``, every hop is re-checked against the address policy, the
  chain is recorded and loops are detected;
* URLs (the first and every ``Location``) are parsed once with the WHATWG
  rules and requested in their canonical form (:func:`urls.normalize_url`);
  connections go only to the addresses the policy checked for that host
  (:class:`PinnedAdapter`): the host name still serves TLS (SNI, certificate)
  and the ``Host`` header, but is never resolved again, so DNS rebinding
  cannot reach an address that was not checked. A connection to a host the
  policy never approved is refused (``error_kind == "blocked"``). With a
  proxy configured, the proxy connects and this pinning does not apply;
* HEAD first; GET when HEAD is answered with one of
  ``get_fallback_statuses``, a 5xx, or 404/410 (a dead link is confirmed
  with GET: some servers and CDNs answer HEAD wrongly), or when the body is
  needed (fragments, pages).

:meth:`HttpClient.fetch` returns a :class:`FetchOutcome`; it never raises for
network problems.
"""
from __future__ import annotations

import email.parser
import email.utils
import http.client
import inspect
import os
import random
import re
import socket
import ssl
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

from .config import WebConfig
from .urls import AddressPolicy, Resolver, normalize_url, origin_host, parse_http_url, redact_url, split_fragment

PROBE_BYTES = 65_536  # body read on a plain GET check (challenge detection)


@dataclass
class FetchOutcome:
    url: str
    status: int = 0  # final HTTP status; 0 when no response
    chain: list[tuple[str, int]] = field(default_factory=list)  # redirect hops
    final_url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    method: str = ""
    error_kind: str = ""  # dns|refused|refused-flaky|reset|timeout|tls|blocked|loop|too-many-redirects|invalid|retry-after|stopped|other
    error: str = ""
    elapsed: float = 0.0
    attempts: int = 0
    requests: int = 0
    # Set when the redirect chain reached a URL the caller already handles
    # (``stop_at``): the chain ends there and the caller supplies its result.
    stopped_at: str = ""
    # Seconds spent talking to servers (every attempt and hop): bounded by
    # HttpClient.total_timeout().
    network_time: float = 0.0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class _DeadlineExceeded(Exception):
    """The request as a whole took longer than the total timeout."""


class _Stopped(Exception):
    """The client was stopped (Ctrl-C) while reading a body."""


class _Ticket:
    """What a request was sent under: the host's window then, how many
    requests to the host were in flight with it, and the window's epoch (a
    back-off starts a new one: answers to requests sent before it say
    nothing about the smaller window)."""

    __slots__ = ("epoch", "limit", "in_flight")

    def __init__(self, epoch: int, limit: int, in_flight: int):
        self.epoch, self.limit, self.in_flight = epoch, limit, in_flight


class HostState:
    """One host's request slots, adapted to how the host answers.

    The window (requests in flight) works like TCP congestion control and
    Scrapy's AutoThrottle: it starts at ``INITIAL_LIMIT`` and, after each
    *round* (as many answers as the window holds), grows when the round was
    healthy and the window was in use -- by half while in slow start, by one
    after the first trouble. It never exceeds ``ceiling`` (``--per-host``).

    Trouble backs off at once, once per window (:meth:`overloaded`): a 429 or
    503, a refused or reset connection from a host that answered before, a
    timeout, or a round whose mean answer time grew past
    ``LATENCY_FACTOR`` × the best round + ``LATENCY_SLACK`` (the slack keeps
    loopback noise and client CPU time from counting), or a single answer
    more than ``SHARP_FACTOR`` × and ``SHARP_SLACK`` s slower than the best. The window halves, and
    the host's *learned cap* becomes the halved window, or one less than the
    number of requests in flight when the troubled request was sent if that
    is lower: growth stops there, so a server that cannot take more than N
    requests at once sees at most N after the first back-off.
    The cap is probed one higher only after ``PROBE_AFTER`` seconds without
    trouble. At a window of one, trouble doubles the interval between request
    starts instead (a rate limit, not a connection limit); healthy rounds
    halve it back.

    ``min_interval`` (``--max-rate``, and ``robots.txt`` ``Crawl-delay``) is a
    hard floor between request starts whatever the controller does.
    """

    # 4, not 2: two rounds (about four round trips) sooner at the ceiling of
    # 16, and still fewer connections than a browser opens to a host (6).
    INITIAL_LIMIT = 4
    GROWTH = 1.5
    LATENCY_FACTOR = 2.0
    LATENCY_SLACK = 0.05
    SHARP_FACTOR = 4.0  # one answer this much slower than the best round ...
    SHARP_SLACK = 0.25  # ... and at least this many seconds slower: back off at once
    PROBE_AFTER = 15.0
    MAX_INTERVAL = 2.0

    def __init__(self, limit: int, interval: float, stop: threading.Event | None = None,
                 clock: Callable[[], float] = time.monotonic, adaptive: bool = True):
        self.stop = stop or threading.Event()
        self.clock = clock
        self.cond = threading.Condition()
        self.active = 0
        self.ceiling = max(1, limit)
        # Not adaptive (``adaptive_rate = false``): the window starts at the
        # ceiling and only trouble the host reports (429/503, refusals,
        # timeouts) shrinks it; answer times are not watched.
        self.adaptive = adaptive
        self.limit = min(self.ceiling, self.INITIAL_LIMIT) if adaptive else self.ceiling
        self.ssthresh = self.ceiling  # slow start until the first trouble
        self.cap = self.ceiling  # learned from trouble; probed after PROBE_AFTER
        self.cap_since = 0.0
        self.min_interval = self.interval = interval
        self.next_at = 0.0
        self.epoch = 0
        self.best_latency: float | None = None
        self._round_n = 0
        self._round_latency = 0.0
        self._round_full = False
        self._round_peak = 0
        self._sharp: list[int] = []  # in flight with each sharply slow answer of this window
        # Figures for the summary.
        self.successes = 0
        self.slowdowns = 0  # back-offs (one per window)
        self.first_back_off_at: float | None = None  # clock() of the first back-off
        self.throttled = 0  # 429/503 answers
        self.peak_limit = self.limit
        self.requests = 0
        self.first_start: float | None = None
        self.last_end = 0.0

    # Compatibility names: the configured ceiling and the rate floor.
    @property
    def max_limit(self) -> int:
        return self.ceiling

    @property
    def base_interval(self) -> float:
        return self.min_interval

    def set_min_interval(self, seconds: float) -> None:
        """A hard floor between request starts (``Crawl-delay``)."""
        with self.cond:
            self.min_interval = max(self.min_interval, seconds)
            self.interval = max(self.interval, self.min_interval)

    def acquire(self) -> _Ticket:
        with self.cond:
            while self.active >= self.limit:
                self.cond.wait()
            self.active += 1
            ticket = _Ticket(self.epoch, self.limit, self.active)
            now = self.clock()
            if self.first_start is None:
                self.first_start = now
            self.requests += 1
            start = max(now, self.next_at)
            self.next_at = start + self.interval
        if start > now:
            self.stop.wait(start - now)  # returns at once on Ctrl-C
        return ticket

    def release(self) -> None:
        with self.cond:
            self.active -= 1
            self.last_end = self.clock()
            self.cond.notify()

    def pause(self, seconds: float) -> None:
        """No new request to this host for ``seconds`` (Retry-After)."""
        with self.cond:
            self.next_at = max(self.next_at, self.clock() + seconds)

    def answered(self, ticket: _Ticket | None, latency: float) -> None:
        """A healthy answer (any status but 429/503) after ``latency`` s."""
        with self.cond:
            self.successes += 1
            sharp = self.adaptive and self.best_latency is not None and latency > max(self.SHARP_FACTOR * self.best_latency,
                                                                    self.best_latency + self.SHARP_SLACK)
            if ticket is None or ticket.epoch != self.epoch:
                if sharp and ticket is not None and ticket.epoch == self.epoch - 1:
                    # Slow answers pile up (each keeps the host busy longer):
                    # not one request too many each, but still a bound.
                    self.cap = max(1, min(self.cap, ticket.in_flight - 1))
                    self.limit = min(self.limit, self.cap)
                return  # sent under a window that was since cut
            if sharp:
                # Answers far slower than the host's best: the requests over
                # its limit are queued or slowed (the fast ones would hide
                # them in a round's mean). Two in one window, so that one
                # slow page is not taken for an overloaded host.
                self._sharp.append(ticket.in_flight)
                if len(self._sharp) >= 2:
                    self._back_off(min(self._sharp))
                    return
            if ticket.limit < self.limit:
                # Sent under a smaller window: a round is the answers to the
                # current window (about one round trip, as TCP's), or slow
                # start would outgrow the answers that can refute it.
                return
            self._round_n += 1
            self._round_latency += latency
            self._round_full = self._round_full or ticket.in_flight >= ticket.limit
            self._round_peak = max(self._round_peak, ticket.in_flight)
            if self._round_n < self.limit:
                return
            mean = self._round_latency / self._round_n
            full, peak = self._round_full, self._round_peak
            self._new_round()
            if (self.adaptive and self.best_latency is not None
                    and mean > self.best_latency * self.LATENCY_FACTOR + self.LATENCY_SLACK):
                self._back_off(peak)
                return
            if self.best_latency is None or mean < self.best_latency:
                self.best_latency = mean
            if self.interval > self.min_interval:
                self.interval = max(self.min_interval, self.interval / 2)
                self.next_at = min(self.next_at, self.clock() + self.interval)
            elif full:
                self._grow()

    def overloaded(self, ticket: _Ticket | None, throttled: bool = False) -> None:
        """The host said it is overloaded (429/503: ``throttled``), refused or
        reset a connection after answering before, or timed out."""
        with self.cond:
            if throttled:
                self.throttled += 1
                self.successes += 1  # it answered: a later refusal is overload, not a dead host
            if ticket is None:
                self._back_off(self.limit)
            elif ticket.epoch != self.epoch:
                # This window was already cut (no second halving), but one
                # more of its requests was too many for the host.
                self._one_too_many(ticket)
            else:
                self._back_off(ticket.in_flight)

    # Old names (kept for callers outside the client).
    def slow_down(self, rate_limited: bool = False) -> None:
        self.overloaded(None, throttled=rate_limited)

    def note_success(self) -> None:
        self.answered(None, 0.0)

    def _one_too_many(self, ticket: _Ticket) -> None:
        """A request of a window already cut was answered with trouble too:
        the host's limit is one lower than the cap said (each request over
        the limit is one of the window), and below what it was sent with."""
        if ticket.epoch == self.epoch - 1:
            self.cap = max(1, min(self.cap - 1, ticket.in_flight - 1))
            self.limit = min(self.limit, self.cap)

    def _new_round(self) -> None:
        self._round_n = 0
        self._round_latency = 0.0
        self._round_full = False
        self._round_peak = 0

    def _back_off(self, sent_with: int) -> None:
        """Halve the window; ``sent_with``: requests in flight when the
        troubled request was sent. When it reached the host, at most those
        were there (fewer if some were answered meanwhile): the host's limit
        is below that. That count is a weak bound (answers the host already
        sent but a busy client has not read yet still count: 13 to 16 for a
        host that took 9, measured), so the cap is also the halved window,
        as TCP's slow-start threshold: slow start overshoots the host's
        limit by at most that much."""
        self.slowdowns += 1
        if self.first_back_off_at is None:
            self.first_back_off_at = self.clock()
        self.epoch += 1
        self._new_round()
        self._sharp = []
        self.cap = max(1, min(self.cap, sent_with - 1, self.limit // 2))
        self.cap_since = self.clock()
        if self.limit <= 1:
            self.interval = min(max(self.interval * 2, 0.05), max(self.MAX_INTERVAL, self.min_interval))
        self.limit = max(1, min(self.cap, self.limit // 2))
        self.ssthresh = self.limit

    def _grow(self) -> None:
        now = self.clock()
        if self.limit >= self.cap and self.cap < self.ceiling and now - self.cap_since >= self.PROBE_AFTER:
            self.cap += 1
            self.cap_since = now
        if self.limit < self.ssthresh:
            new = max(self.limit + 1, int(self.limit * self.GROWTH))
        else:
            new = self.limit + 1
        new = min(new, self.cap, self.ceiling)
        if new > self.limit:
            self.limit = new
            self.peak_limit = max(self.peak_limit, new)
            self.cond.notify_all()

    def summary(self) -> dict:
        """Where the controller settled: window, peak window, requests per
        second over the host's busy time, back-offs."""
        with self.cond:
            span = (self.last_end - self.first_start) if self.first_start is not None else 0.0
            rate = self.requests / span if span > 0 else 0.0
            return {"concurrency": self.limit, "peak_concurrency": self.peak_limit, "ceiling": self.ceiling,
                    "requests": self.requests, "rate": round(rate, 1),
                    "min_interval": self.min_interval, "interval": round(self.interval, 4),
                    "slowdowns": self.slowdowns, "throttled": self.throttled,
                    # When it first backed off, in seconds after the host's first request.
                    "first_back_off_s": (round(self.first_back_off_at - self.first_start, 3)
                                         if self.first_back_off_at is not None and self.first_start is not None
                                         else None)}


def parse_retry_after(value: str | None, cap: float | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date),
    capped at ``cap`` (``None``: not capped)."""
    if not value:
        return None
    value = value.strip()
    try:
        secs = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        secs = when.timestamp() - time.time()
    secs = max(0.0, secs)
    return secs if cap is None else min(secs, cap)


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (args, reason, cause, context)."""
    seen: list[BaseException] = []
    stack: list[object] = [exc]
    while stack and len(seen) < 20:
        e = stack.pop()
        if not isinstance(e, BaseException) or any(e is s for s in seen):
            continue
        seen.append(e)
        stack.extend([getattr(e, "reason", None), e.__cause__, e.__context__])
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
    return seen


def classify_exception(exc: BaseException) -> str:
    causes = _causes(exc)
    if any(isinstance(c, UncheckedAddress) for c in causes):
        return "blocked"
    names = {type(c).__name__ for c in causes}
    text = " ".join(str(c) for c in causes).lower()
    if isinstance(exc, requests.exceptions.SSLError) or any(isinstance(c, ssl.SSLError) for c in causes):
        return "tls"
    if any(isinstance(c, socket.gaierror) for c in causes) or "NameResolutionError" in names:
        return "dns"
    if isinstance(exc, (requests.exceptions.Timeout,)) or any(isinstance(c, (socket.timeout, TimeoutError)) for c in causes) or "timed out" in text:
        return "timeout"
    if any(isinstance(c, ConnectionRefusedError) for c in causes) or "connection refused" in text:
        return "refused"
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema, requests.exceptions.InvalidHeader)):
        return "invalid"
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)) or any(
        isinstance(c, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)) for c in causes
    ) or "RemoteDisconnected" in names or "ProtocolError" in names:
        return "reset"
    return "other"


RETRYABLE_ERRORS = {"refused", "reset", "timeout", "other"}


class _RequestWatch:
    """One request attempt under watch: its deadline and, once urllib3 takes
    one from the pool, its connection."""

    __slots__ = ("deadline", "conn", "expired", "stopped", "done")

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.conn = None
        self.expired = False  # the deadline passed: the connection was cut
        self.stopped = False  # the client was stopped: the connection was cut
        self.done = False


# The request attempt the current thread is making (see _WatchedPoolMixin).
_CURRENT_WATCH = threading.local()


def _cut(conn) -> None:
    """Shut a connection's socket down from another thread: a read blocked
    on it returns at once (the request then fails and the connection is
    discarded, never reused)."""
    sock = getattr(conn, "sock", None)
    if sock is None:
        return
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


class _WatchedPoolMixin:
    """Hands the connection a request takes to that request's watch, so
    the watchdog can cut it. Read timeouts apply to each socket read; only
    this bounds a server that drips its status line or headers."""

    def _get_conn(self, timeout=None):
        conn = super()._get_conn(timeout)
        watch = getattr(_CURRENT_WATCH, "watch", None)
        if watch is not None:
            watch.conn = conn
            if watch.expired or watch.stopped:
                _cut(conn)
        return conn


class _Watchdog:
    """One thread per client that cuts the connection of every request
    attempt still running at its deadline, and of all of them on
    :meth:`cut_all` (Ctrl-C)."""

    RECHECK = 0.05  # an expired request with no socket yet is looked at again

    def __init__(self):
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _RequestWatch]] = []
        self._active: dict[int, _RequestWatch] = {}
        self._seq = 0
        self._thread: threading.Thread | None = None
        self._closed = False

    def watch(self, deadline: float) -> _RequestWatch:
        import heapq

        w = _RequestWatch(deadline)
        with self._cond:
            self._seq += 1
            self._active[id(w)] = w
            heapq.heappush(self._heap, (deadline, self._seq, w))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="health-lint-deadlines", daemon=True)
                self._thread.start()
            if self._heap[0][2] is w:
                self._cond.notify()
        _CURRENT_WATCH.watch = w
        return w

    def unwatch(self, w: _RequestWatch) -> None:
        import heapq

        _CURRENT_WATCH.watch = None
        with self._cond:
            w.done = True
            self._active.pop(id(w), None)
            # Finished requests leave the heap as they reach its top, so it
            # holds about the requests in flight, not every request made.
            while self._heap and self._heap[0][2].done:
                heapq.heappop(self._heap)

    def cut_all(self) -> None:
        with self._cond:
            watches = list(self._active.values())
            for w in watches:
                w.stopped = True
        for w in watches:
            _cut(w.conn)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        import heapq

        while True:
            with self._cond:
                while not self._closed:
                    while self._heap and self._heap[0][2].done:
                        heapq.heappop(self._heap)
                    wait = self._heap[0][0] - time.monotonic() if self._heap else None
                    if wait is not None and wait <= 0:
                        break
                    self._cond.wait(wait)
                if self._closed:
                    return
                _deadline, _seq, w = heapq.heappop(self._heap)
                w.expired = True
                if w.conn is None or getattr(w.conn, "sock", None) is None:
                    self._seq += 1
                    heapq.heappush(self._heap, (time.monotonic() + self.RECHECK, self._seq, w))
            _cut(w.conn)


class StallClock:
    """Measures when this process itself stalls: a thread wakes every
    ``TICK`` seconds and records by how much it woke late (a garbage
    collection, a C call holding the GIL, a starved CPU). An answer time
    includes such stalls, and a loopback crawl bound by its own CPU would
    read them as a host slowing down (and halve its window for nothing).
    One per process (stalls are the process's): started with the first
    question, a daemon thread after that."""

    TICK = 0.02
    MIN_STALL = 0.03  # lateness below this is scheduling noise
    KEEP = 256  # stalls remembered (the oldest go first)

    def __init__(self):
        self._lock = threading.Lock()
        self._stalls: list[tuple[float, float]] = []  # (start, end), in time order
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()

    def _run(self) -> None:
        while True:
            before = time.monotonic()
            if self._closed.wait(self.TICK):
                return
            now = time.monotonic()
            late = now - before - self.TICK
            if late >= self.MIN_STALL:
                with self._lock:
                    self._stalls.append((now - late, now))
                    del self._stalls[:-self.KEEP]

    def stalled_between(self, start: float, end: float) -> float:
        """Seconds of [start, end] this process was seen stalled."""
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._closed.is_set():
                    self._thread = threading.Thread(target=self._run, name="health-lint-stall-clock", daemon=True)
                    self._thread.start()
            return 0.0
        with self._lock:
            return sum(max(0.0, min(end, b) - max(start, a)) for a, b in self._stalls if b > start and a < end)

    def close(self) -> None:
        self._closed.set()


PROCESS_STALLS = StallClock()


class UncheckedAddress(OSError):
    """A connection to a host whose addresses the policy did not approve."""


class _PinnedConnectionMixin:
    """Connect to the addresses the address policy approved for the host,
    never to a fresh DNS answer. ``policy`` is set on the per-client
    subclasses built by :class:`PinnedAdapter`."""

    policy: AddressPolicy

    def _new_conn(self):
        host = self._dns_host
        addresses = self.policy.pinned(host)
        if not addresses:
            raise NewConnectionError(self, f"refusing to connect to {host}: its address was not checked "
                                           "by the address policy") from UncheckedAddress(host)
        last: OSError | None = None
        for address in addresses:
            try:
                sock = urllib3_connection.create_connection(
                    (address, self.port), self.timeout, source_address=self.source_address,
                    socket_options=self.socket_options)
            except socket.timeout as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})") from exc
            except OSError as exc:
                last = exc
                continue
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {last}") from last


# A header line as a server usually sends it: a token, a colon, a value on
# one line. Anything else (folded lines, a line without a name, bare CRs,
# a cut line) goes to http.client's own parser.
_HEADER_LINE = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([^\r\n]*)\r?\n\Z")


def _parse_headers(fp) -> http.client.HTTPMessage:
    """``http.client.parse_headers(fp)``, the same ``HTTPMessage`` (same
    header list, payload and defects: tests/web/test_transport.py compares
    them), without the email package's feed parser for plain header lines:
    that parser was a tenth of a loopback crawl's CPU."""
    lines = http.client._read_headers(fp)  # the same line and count limits
    msg = http.client.HTTPMessage()
    for line in lines[:-1]:  # the last is the empty line (or EOF) that ends them
        m = _HEADER_LINE.match(line)
        if m is None:
            # What http.client.parse_headers does with the same lines.
            return email.parser.Parser(_class=http.client.HTTPMessage).parsestr(b"".join(lines).decode("iso-8859-1"))
        msg._headers.append((m.group(1).decode("iso-8859-1"), m.group(2).decode("iso-8859-1")))
    msg.set_payload("")
    return msg


class _Response(http.client.HTTPResponse):
    """``http.client.HTTPResponse`` whose ``begin`` reads the header block
    with :func:`_parse_headers`; the rest is ``begin`` as http.client has it
    (status line, 100 Continue skipped, chunked, keep-alive, length)."""

    def begin(self):
        if self.headers is not None:
            return
        while True:
            version, status, reason = self._read_status()
            if status != http.client.CONTINUE:
                break
            http.client._read_headers(self.fp)  # a 100 Continue's own headers
        self.code = self.status = status
        self.reason = reason.strip()
        if version in ("HTTP/1.0", "HTTP/0.9"):
            self.version = 10
        elif version.startswith("HTTP/1."):
            self.version = 11
        else:
            raise http.client.UnknownProtocol(version)
        self.headers = self.msg = _parse_headers(self.fp)
        tr_enc = self.headers.get("transfer-encoding")
        self.chunked = bool(tr_enc and tr_enc.lower() == "chunked")
        if self.chunked:
            self.chunk_left = None
        self.will_close = self._check_close()
        self.length = None
        length = self.headers.get("content-length")
        if length and not self.chunked:
            try:
                self.length = int(length)
            except ValueError:
                self.length = None
            else:
                if self.length < 0:  # a negative length means none
                    self.length = None
        if status in (http.client.NO_CONTENT, http.client.NOT_MODIFIED) or 100 <= status < 200 or self._method == "HEAD":
            self.length = 0
        if not self.will_close and not self.chunked and self.length is None:
            self.will_close = True


def _follows_this_http_client() -> bool:
    """Whether this Python's http.client is the one ``_Response.begin`` and
    ``_parse_headers`` follow (``_read_headers(fp)``, Python 3.10-3.12):
    newer ones pass a header-count limit and may read the status line
    differently, so they keep their own response class."""
    try:
        return list(inspect.signature(http.client._read_headers).parameters) == ["fp"]
    except (AttributeError, TypeError, ValueError):
        return False


RESPONSE_CLASS = _Response if _follows_this_http_client() else http.client.HTTPResponse


class PinnedAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose direct connections use :class:`_PinnedConnectionMixin`."""

    def __init__(self, policy: AddressPolicy, **kwargs):
        conn_http = type("PinnedHTTPConnection", (_PinnedConnectionMixin, HTTPConnection),
                         {"policy": policy, "response_class": RESPONSE_CLASS})
        conn_https = type("PinnedHTTPSConnection", (_PinnedConnectionMixin, HTTPSConnection),
                          {"policy": policy, "response_class": RESPONSE_CLASS})
        self._pool_classes = {
            "http": type("PinnedHTTPConnectionPool", (_WatchedPoolMixin, HTTPConnectionPool), {"ConnectionCls": conn_http}),
            "https": type("PinnedHTTPSConnectionPool", (_WatchedPoolMixin, HTTPSConnectionPool), {"ConnectionCls": conn_https}),
        }
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self._pool_classes)


# Characters a request target may hold as they are: anything else (spaces,
# non-ASCII, quotes) goes through requests' own URL preparation (IDNA,
# re-quoting), as Session.request would.
_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~:/?\[\]@!$&'()*+,;=%]*")


class _Answer:
    """The parts of a ``requests.Response`` the client reads, over a
    urllib3 response: ``status_code``, ``headers``, ``raw``, ``close()``.
    ``headers`` is already the dict the client keeps (names lowercased),
    not a case-insensitive mapping to copy again."""

    __slots__ = ("raw", "status_code", "headers")

    def __init__(self, raw):
        self.raw = raw
        self.status_code = raw.status
        # Repeated headers joined with ", ", as requests does.
        self.headers = {k.lower(): v for k, v in raw.headers.itermerged()}

    def close(self) -> None:
        # A body read to its end leaves the connection to the pool for the
        # next request (keep-alive); one cut short is closed.
        if not self.raw.closed:
            self.raw.close()
        self.raw.release_conn()


class _URLOnly:
    """What the adapter reads of a request to pick a pool (its URL)."""

    __slots__ = ("url",)

    def __init__(self, url: str):
        self.url = url


def _send_direct(adapter: HTTPAdapter, session: requests.Session, method: str, url: str,
                 timeout: tuple[float, float], pools: dict) -> _Answer:
    """``adapter.send`` without a PreparedRequest or a Response: the same
    pool (pinned connections, TLS settings), headers and exception types.
    ``pools``: the pool of each origin, looked up once (the adapter's lookup
    and TLS set-up cost 0.4 ms a request)."""
    from requests import exceptions as rex
    from urllib3 import exceptions as u3

    if not _PLAIN_URL.fullmatch(url) or not url.isascii():
        prepared = requests.PreparedRequest()
        prepared.prepare_url(url, None)
        url = prepared.url
    parts = urlsplit(url)
    origin = (parts.scheme, parts.netloc)
    conn = pools.get(origin)
    if conn is None or conn.pool is None:  # new origin, or a pool the manager closed
        try:
            conn = adapter.get_connection_with_tls_context(_URLOnly(url), session.verify, proxies=None, cert=None)
        except u3.LocationValueError as exc:
            raise rex.InvalidURL(exc) from exc
        adapter.cert_verify(conn, url, session.verify, None)
        pools[origin] = conn
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        raw = conn.urlopen(method=method, url=target, body=None, headers=dict(session.headers), redirect=False,
                           assert_same_host=False, preload_content=False, decode_content=False, retries=False,
                           timeout=urllib3.Timeout(connect=timeout[0], read=timeout[1]), chunked=False)
    except (u3.ProtocolError, OSError) as exc:
        raise rex.ConnectionError(exc) from exc
    except u3.ClosedPoolError:
        # The pool manager closed this origin's pool (it keeps 64): once
        # more through a fresh one.
        pools.pop(origin, None)
        return _send_direct(adapter, session, method, url, timeout, {})
    except u3.SSLError as exc:
        raise rex.SSLError(exc) from exc
    except u3.ConnectTimeoutError as exc:
        if isinstance(exc, u3.NewConnectionError):
            raise rex.ConnectionError(exc) from exc
        raise rex.ConnectTimeout(exc) from exc
    except u3.ReadTimeoutError as exc:
        raise rex.ReadTimeout(exc) from exc
    except u3.InvalidHeader as exc:
        raise rex.InvalidHeader(exc) from exc
    except u3.NewConnectionError as exc:
        raise rex.ConnectionError(exc) from exc
    return _Answer(raw)


class HttpClient:
    def __init__(self, config: WebConfig, policy: AddressPolicy | None = None, resolver: Resolver | None = None):
        """``resolver(host) -> [address, ...]`` replaces the system DNS lookup
        (tests simulate rebinding with it); ignored when ``policy`` is given."""
        self.config = config
        self.policy = policy or AddressPolicy(allow_private=bool(config.allow_private),
                                              allow_link_local=config.allow_link_local,
                                              allow_addresses=config.allow_addresses, resolver=resolver)
        self.session = requests.Session()
        pool = max(config.concurrency, config.per_host_concurrency)
        adapter = PinnedAdapter(self.policy, pool_connections=64, pool_maxsize=pool, max_retries=0, pool_block=False)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({
            "User-Agent": config.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        })
        self.session.headers.update(config.headers)
        self.session.verify = config.verify_tls
        # Reading proxy settings from the environment on every request costs
        # ~15% of a loopback crawl; only do it when a proxy is configured.
        self._adapter = adapter
        self._pools: dict = {}  # (scheme, netloc) -> connection pool (see _send_direct)
        if not urllib.request.getproxies():
            self.session.trust_env = False
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            if bundle and config.verify_tls:
                self.session.verify = bundle
        self._global = threading.BoundedSemaphore(max(1, config.concurrency))
        self._hosts: dict[str, HostState] = {}
        self._hosts_lock = threading.Lock()
        self._stats_lock = threading.Lock()
        self.request_count = 0
        # Set on Ctrl-C: no new request starts, waits end at once, bodies
        # being read are abandoned (``FetchOutcome.error_kind == "stopped"``).
        self.stop_event = threading.Event()
        self.sleep: Callable[[float], None] = self.stop_event.wait
        # Cuts connections at the request deadline and on stop().
        self._watchdog = _Watchdog()
        # How late this process runs (see StallClock): answer times that
        # grew because the crawler stalled do not slow a host down.
        self._stalls = PROCESS_STALLS

    def stop(self) -> None:
        """Ctrl-C: no new request starts, waits end, and every request in
        flight is cut at once (each ends with ``error_kind == "stopped"``)."""
        self.stop_event.set()
        self._watchdog.cut_all()

    # -- hosts ------------------------------------------------------------
    def host_state(self, url: str) -> HostState:
        host = urlsplit(url).scheme.lower() + "://" + origin_host(url)
        with self._hosts_lock:
            st = self._hosts.get(host)
            if st is None:
                interval = 1.0 / self.config.rate_limit if self.config.rate_limit and self.config.rate_limit > 0 else 0.0
                st = HostState(self.config.per_host_concurrency, interval, self.stop_event,
                               adaptive=self.config.adaptive_rate)
                self._hosts[host] = st
            return st

    def host_summaries(self) -> dict[str, dict]:
        """``scheme://host`` -> where its adaptive window settled
        (:meth:`HostState.summary`), for every host requested."""
        with self._hosts_lock:
            hosts = dict(self._hosts)
        return {h: st.summary() for h, st in hosts.items() if st.requests}

    def host_answered(self, url: str) -> bool:
        """True once the host of ``url`` has answered any request: a refusal
        from it then means overload, not a dead link."""
        return self.host_state(url).successes > 0

    def _backoff(self, attempt: int) -> float:
        base = self.config.backoff_base * (2 ** attempt)
        delay = min(base, self.config.backoff_max)
        return delay * (0.5 + random.random() / 2)  # "equal jitter"

    def total_timeout(self) -> float:
        """Seconds one link may take talking to servers in all: status lines,
        headers and bodies of every attempt and redirect hop (waits between
        retries not counted)."""
        cfg = self.config
        if cfg.total_timeout:
            return cfg.total_timeout
        return cfg.connect_timeout + 3 * cfg.read_timeout

    # -- sending -------------------------------------------------------------
    def _send(self, method: str, url: str, timeout: tuple[float, float]):
        """Send one request, no redirects followed, body not read yet.

        Without a proxy (the usual case) the request goes straight to the
        adapter's connection pool: ``Session.request`` prepares, merges
        settings and wraps the answer at about 0.4 ms of CPU a request,
        half of a loopback crawl's time. Headers, TLS verification, pinned
        connections and the exceptions raised are the same as through the
        session (``requests.exceptions``: see :func:`_send_direct`)."""
        if self.session.trust_env or "@" in urlsplit(url).netloc:
            # Proxies from the environment, or credentials in the URL (Basic
            # auth): requests handles them.
            return self.session.request(method, url, stream=True, allow_redirects=False, timeout=timeout)
        return _send_direct(self._adapter, self.session, method, url, timeout, self._pools)

    # -- one request, with retries ---------------------------------------
    def _request(self, method: str, url: str, read_limit: int, out: FetchOutcome, retry_statuses: tuple[int, ...] | None = None):
        """Returns (status, headers, body, truncated) or None with
        out.error_kind/out.error set."""
        cfg = self.config
        if retry_statuses is None:
            retry_statuses = cfg.retry_statuses
        host = self.host_state(url)
        attempt = 0
        timeout_retries = min(cfg.retries, 1)
        timeouts = 0
        total = self.total_timeout()
        while True:
            if self.stop_event.is_set():
                out.error_kind, out.error = "stopped", "interrupted"
                return None
            if out.network_time >= total:
                out.error_kind = "timeout"
                out.error = f"no complete answer within {total:g} s (all redirects and attempts together)"
                return None
            out.attempts += 1
            ticket = host.acquire()
            self._global.acquire()
            if self.stop_event.is_set():
                self._global.release()
                host.release()
                out.error_kind, out.error = "stopped", "interrupted"
                return None
            err_kind = ""
            err_text = ""
            resp = None
            attempt_started = time.monotonic()
            # What is left of the link's time budget; the watchdog cuts the
            # connection then, whatever the server is dripping.
            deadline = attempt_started + (total - out.network_time)
            watch = self._watchdog.watch(deadline)
            try:
                with self._stats_lock:
                    self.request_count += 1
                out.requests += 1
                resp = self._send(method, url, (cfg.connect_timeout, cfg.read_timeout))
                # Headers cut short by the watchdog read as complete to
                # http.client (EOF ends them): the deadline decides.
                if watch.expired:
                    raise _DeadlineExceeded(f"response not complete within {total:g} s")
                if watch.stopped:
                    raise _Stopped("interrupted")
                body = b""
                truncated = False
                if method != "HEAD" and read_limit > 0:
                    chunks = []
                    size = 0
                    raw = resp.raw
                    try:
                        # read1: returns what has arrived, so a body dripped
                        # byte by byte cannot outlive the request deadline.
                        while True:
                            if watch.expired or time.monotonic() > deadline:
                                raise _DeadlineExceeded(f"response not complete within {total:g} s")
                            if watch.stopped or self.stop_event.is_set():
                                raise _Stopped("interrupted")
                            chunk = raw.read1(65_536, decode_content=True)
                            if not chunk:
                                break
                            chunks.append(chunk)
                            size += len(chunk)
                            if size >= read_limit:
                                truncated = True
                                break
                    except (_DeadlineExceeded, _Stopped):
                        raise
                    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError):
                        # Status is known; a body cut short is not a dead link.
                        truncated = True
                    # A body that ended because the watchdog cut it is not complete.
                    if watch.expired:
                        raise _DeadlineExceeded(f"response not complete within {total:g} s")
                    if watch.stopped:
                        raise _Stopped("interrupted")
                    if size > read_limit:  # trim before joining: no second copy of a large body
                        chunks[-1] = chunks[-1][:len(chunks[-1]) - (size - read_limit)]
                    body = b"".join(chunks)
                    del chunks
                status = resp.status_code
                headers = resp.headers if type(resp) is _Answer else {k.lower(): v for k, v in resp.headers.items()}
            except _DeadlineExceeded as exc:
                err_kind, err_text = "deadline", str(exc)
            except _Stopped:
                out.error_kind, out.error = "stopped", "interrupted"
                return None
            except Exception as exc:  # noqa: BLE001 - every network failure is data
                if watch.stopped:
                    out.error_kind, out.error = "stopped", "interrupted"
                    return None
                if watch.expired:
                    # The watchdog cut a status line or headers still dripping in.
                    err_kind, err_text = "deadline", f"no complete answer within {total:g} s"
                else:
                    err_kind = classify_exception(exc)
                    err_text = _short_error(exc)
            finally:
                if resp is not None:
                    resp.close()
                self._watchdog.unwatch(watch)
                latency = time.monotonic() - attempt_started
                out.network_time += latency
                self._global.release()
                host.release()

            if not err_kind:
                # 429 and 503 say "too much": the host's window backs off.
                if status in (429, 503) and not is_challenge(status, headers, body):
                    host.overloaded(ticket, throttled=True)
                else:
                    # Time this process itself was stalled (a garbage
                    # collection, the GIL) is not the host's slowness.
                    host.answered(ticket, latency - self._stalls.stalled_between(attempt_started, attempt_started + latency))
                if status in retry_statuses and attempt < cfg.retries and not is_challenge(status, headers, body):
                    wait = parse_retry_after(headers.get("retry-after"), None)
                    if wait is not None and wait > cfg.max_retry_after:
                        # Waiting that long is not polite crawling: give up now.
                        out.error_kind = "retry-after"
                        out.error = (f"server asked to retry after {wait:.0f} s, more than "
                                     f"max-retry-after ({cfg.max_retry_after:g} s); not retried")
                        return status, headers, body, truncated
                    if wait is None:
                        wait = self._backoff(attempt)
                    host.pause(wait)
                    attempt += 1
                    continue
                return status, headers, body, truncated

            # network error
            if err_kind == "refused" and host.successes > 0:
                err_kind = "refused-flaky"
            flaky = err_kind in ("refused-flaky",) or (err_kind == "reset" and host.successes > 0)
            limit = cfg.flaky_retries if flaky else cfg.retries
            retry = err_kind in RETRYABLE_ERRORS or err_kind == "refused-flaky"
            if err_kind == "deadline":
                # The whole request took too long: a slow answer, not a
                # failed one; asking again would take as long.
                err_kind, retry = "timeout", False
            if err_kind == "timeout" and retry:
                timeouts += 1
                retry = timeouts <= timeout_retries
            if flaky or (err_kind == "timeout" and host.successes > 0):
                # An overloaded host (connection cap, queue): fewer at once.
                host.overloaded(ticket)
            if retry and attempt < limit:
                self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            out.error_kind = err_kind
            out.error = err_text
            return None

    # -- a whole check: redirects, HEAD→GET --------------------------------
    def fetch(self, url: str, want_body: bool = False, body_limit: int | None = None,
              stop_at: Callable[[str], bool] | None = None) -> FetchOutcome:
        """Request ``url`` (its fragment is kept for reporting only), follow
        redirects, and return what happened. ``want_body`` GETs and reads up
        to ``body_limit`` (default ``max_body_bytes``) of the final response.
        ``stop_at(normalised_url)`` returning True stops before requesting
        that redirect target (the crawler already fetches it)."""
        cfg = self.config
        started = time.monotonic()
        base, _fragment = split_fragment(url)  # fragments are checked by the caller
        out = FetchOutcome(url=url)
        # The canonical WHATWG form is what the policy judges and what is
        # requested: no second parser can read another host into it.
        current = normalize_url(base)
        seen = {current}
        method = "GET" if (want_body or not cfg.head_first) else "HEAD"
        limit = (body_limit or cfg.max_body_bytes) if want_body else PROBE_BYTES
        try:
            while True:
                verdict = self.policy.check(current)
                if verdict is not None:
                    out.error_kind, out.error = verdict
                    out.final_url = current
                    return out
                # HEAD is only retried for 408/429: a HEAD answered with an
                # error is asked again with GET (which gets the full retries),
                # since many servers and bot shields mishandle HEAD.
                head_retry = tuple(s for s in cfg.retry_statuses if s in (408, 429))
                res = self._request(method, current, limit, out, head_retry if method == "HEAD" else None)
                if res is None:
                    out.final_url = current
                    return out
                status, headers, body, truncated = res
                if out.error_kind == "retry-after":
                    out.method = method
                    out.status, out.headers, out.final_url = status, headers, current
                    if out.chain:
                        out.chain.append((current, status))
                    return out
                # 404/410 on HEAD are confirmed with GET: some servers and
                # CDNs answer HEAD wrongly, and "broken" must be certain.
                if method == "HEAD" and (status in cfg.get_fallback_statuses or status >= 500 or status in (404, 410)):
                    method = "GET"
                    res = self._request(method, current, limit, out)
                    if res is None:
                        out.final_url = current
                        return out
                    status, headers, body, truncated = res
                    if out.error_kind == "retry-after":
                        out.method = method
                        out.status, out.headers, out.final_url = status, headers, current
                        if out.chain:
                            out.chain.append((current, status))
                        return out
                out.method = method
                location = headers.get("location")
                if 300 <= status < 400 and status != 304 and location:
                    out.chain.append((current, status))
                    target = parse_http_url(location.strip(), current)
                    nxt = target.href if target is not None else urljoin(current, location.strip())
                    key = normalize_url(nxt)
                    if key in seen:
                        out.status = status
                        out.final_url = nxt
                        out.error_kind = "loop"
                        out.error = f"redirect loop back to {nxt}"
                        return out
                    seen.add(key)
                    if stop_at is not None and stop_at(key):
                        out.status = status
                        out.final_url = nxt
                        out.stopped_at = key
                        return out
                    if len(out.chain) > cfg.max_redirects:
                        out.status = status
                        out.final_url = nxt
                        out.error_kind = "too-many-redirects"
                        out.error = f"more than {cfg.max_redirects} redirects"
                        return out
                    if target is None:
                        out.status = status
                        out.final_url = nxt
                        out.error_kind = "invalid"
                        out.error = f"redirect to a non-HTTP or invalid URL {redact_url(nxt)}"
                        return out
                    if status == 303:
                        method = "GET" if want_body else ("HEAD" if cfg.head_first else "GET")
                    current = key
                    continue
                out.status = status
                out.headers = headers
                out.body = body
                out.truncated = truncated
                out.final_url = current
                if out.chain:
                    out.chain.append((current, status))
                return out
        finally:
            out.elapsed = time.monotonic() - started

    def close(self) -> None:
        self._watchdog.close()
        self.session.close()


def _short_error(exc: BaseException) -> str:
    causes = _causes(exc)
    # the innermost OS-level error is usually the most readable
    for c in reversed(causes):
        if isinstance(c, OSError) and str(c):
            return f"{type(c).__name__}: {c}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


CHALLENGE_MARKERS = (
    b"<title>just a moment...</title>",
    b"<title>attention required! | cloudflare</title>",
    b"cf-browser-verification",
    b"challenge-platform",
    b"ddos-guard",
    b"px-captcha",
    b"_incapsula_resource",
    b"/cdn-cgi/challenge",
    b"awswaf",
    b"captcha-delivery.com",
)


def is_challenge(status: int, headers: dict[str, str], body: bytes) -> bool:
    """A bot-protection page (Cloudflare, DataDome, PerimeterX, Incapsula...)
    rather than the real answer: the link cannot be verified by a robot."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if "x-amzn-waf-action" in headers or "x-datadome" in headers:
        return status >= 400
    if status in (403, 429, 503) and body:
        low = body[:PROBE_BYTES].lower()
        return any(m in low for m in CHALLENGE_MARKERS)
    return False
