"""Issue 12: the adaptive per-host window (client.HostState).

The controller logic is tested step by step with a fake clock (no threads,
no network); then whole crawls of a loopback server that cannot take more
than 8 requests at once, with the defaults a user gets.
"""
from __future__ import annotations

import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from health_lint.web import WebConfig, crawl
from health_lint.web.client import HostState


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def no_wait() -> threading.Event:
    """A set stop event: interval waits return at once (the test reads the
    interval, it does not sleep through it)."""
    ev = threading.Event()
    ev.set()
    return ev


def fill_window(st: HostState, n: int) -> list:
    """``n`` requests sent together, their slots given back (answers are
    then reported one by one): their tickets."""
    tickets = [st.acquire() for _ in range(n)]
    for _ in tickets:
        st.release()
    return tickets


def run_round(st: HostState, latency, fill: bool = True) -> None:
    """One round of healthy answers: as many requests as the window holds,
    all in flight together (``fill``) or one at a time. ``latency``: seconds,
    or a function of the requests in flight when each was sent."""
    n = st.limit
    if fill:
        tickets = [st.acquire() for _ in range(n)]
        for t in tickets:
            st.release()
            st.answered(t, latency(t.in_flight) if callable(latency) else latency)
    else:
        for _ in range(n):
            t = st.acquire()
            st.release()
            st.answered(t, latency)


def test_slow_start_grows_to_the_ceiling_and_never_past_it():
    st = HostState(16, 0.0, no_wait(), clock=Clock())
    seen = [st.limit]
    for _ in range(12):
        run_round(st, 0.002)
        seen.append(st.limit)
    assert seen[0] == HostState.INITIAL_LIMIT == 4
    assert seen[:5] == [4, 6, 9, 13, 16]
    assert max(seen) == 16 and st.limit == 16


def test_ceiling_of_one_is_never_exceeded():
    st = HostState(1, 0.0, no_wait(), clock=Clock())
    for _ in range(10):
        run_round(st, 0.001)
    assert st.limit == 1 and st.peak_limit == 1


def test_not_adaptive_starts_at_the_ceiling_and_ignores_latency():
    st = HostState(16, 0.0, no_wait(), clock=Clock(), adaptive=False)
    assert st.limit == 16
    for lat in (0.01, 0.5, 0.9, 0.02):
        run_round(st, lat)
    assert st.limit == 16 and st.slowdowns == 0
    tickets = fill_window(st, 16)
    st.overloaded(tickets[-1], throttled=True)  # the host's own word still counts
    assert st.limit == 8


def test_window_not_in_use_does_not_grow():
    # One request at a time (a small frontier) says nothing about whether
    # the host could take more.
    st = HostState(16, 0.0, no_wait(), clock=Clock())
    for _ in range(10):
        run_round(st, 0.002, fill=False)
    assert st.limit == HostState.INITIAL_LIMIT


def test_throttling_backs_off_once_per_window_and_learns_the_cap():
    clock = Clock()
    st = HostState(32, 0.0, no_wait(), clock=clock)
    while st.limit < 13:
        run_round(st, 0.01)
    assert st.limit == 13
    tickets = fill_window(st, 13)
    # The thirteenth request in flight answered 429: halve; the host's limit
    # is below 13, and at most the halved window (the in-flight count
    # overstates what reached the host): the cap is 6.
    st.overloaded(tickets[12], throttled=True)
    assert st.slowdowns == 1 and st.limit == 6 and st.cap == 6
    # Another of the same window, sent with 5 in flight: no second halving,
    # but the host's limit is below 5.
    st.overloaded(tickets[4], throttled=True)
    assert st.slowdowns == 1 and st.throttled == 2
    assert st.limit == 4 and st.cap == 4
    # Answers to requests sent before the back-off do not count.
    for t in tickets[:4] + tickets[5:12]:
        st.answered(t, 0.01)
    assert st.limit == 4
    # Growth stops at the learned cap.
    for _ in range(30):
        clock.now += 0.1
        run_round(st, 0.01)
    assert st.limit == 4 and st.peak_limit == 13
    # After PROBE_AFTER seconds without trouble the cap is probed one higher.
    clock.now += HostState.PROBE_AFTER
    run_round(st, 0.01)
    assert st.cap == 5 and st.limit == 5


def test_latency_growth_backs_off():
    # The host answers in 20 ms up to 8 at once, 250 ms above: no single
    # answer is sharply slow, the round's mean is.
    st = HostState(32, 0.0, no_wait(), clock=Clock())
    slow_above_8 = lambda n: 0.02 if n <= 8 else 0.25  # noqa: E731
    for _ in range(4):  # windows 4, 6, 9, 13
        run_round(st, slow_above_8)
    assert st.slowdowns == 1
    # The round at 13 was slow. The in-flight count is a weak bound (12), so
    # the cap is the halved window, as TCP's slow-start threshold.
    assert st.cap == 6 and st.limit == 6
    for _ in range(10):
        run_round(st, slow_above_8)
    assert st.limit <= 8 and st.slowdowns == 1


def test_sharply_slow_answers_back_off_at_once():
    # The fast answers of a round would hide the few requests over the
    # server's limit that it queued: two such answers in a window suffice.
    st = HostState(32, 0.0, no_wait(), clock=Clock())
    for _ in range(4):
        run_round(st, 0.02)
    before = st.limit
    tickets = fill_window(st, before)
    st.answered(tickets[-1], 0.2)  # slower, but within 0.25 s of the best: noise
    st.answered(tickets[-2], 0.42)  # one slow page is not an overloaded host
    assert st.slowdowns == 0
    st.answered(tickets[-3], 0.42)
    assert st.slowdowns == 1 and st.limit == before // 2
    # Below what the first slow one was sent with, and no more than the
    # halved window.
    assert st.cap == min(before - 3, before // 2)


def test_small_latency_noise_is_not_a_slowdown():
    # Loopback answers in 1 ms, then 3 ms: within the slack, not growth.
    st = HostState(32, 0.0, no_wait(), clock=Clock())
    for lat in (0.001, 0.003, 0.002, 0.004, 0.003, 0.002):
        run_round(st, lat)
    assert st.slowdowns == 0 and st.limit > 9


def test_refusals_and_timeouts_back_off_without_a_status():
    st = HostState(16, 0.0, no_wait(), clock=Clock())
    for _ in range(4):
        run_round(st, 0.01)
    before = st.limit
    tickets = fill_window(st, before)
    st.overloaded(tickets[-1])
    assert st.limit == before // 2 and st.throttled == 0 and st.slowdowns == 1
    assert st.cap == min(before - 1, before // 2)


def test_rate_floor_is_kept_and_a_window_of_one_backs_off_in_time():
    st = HostState(4, 0.0, no_wait(), clock=Clock())
    st.set_min_interval(0.2)  # robots.txt Crawl-delay
    assert st.interval == 0.2 and st.min_interval == 0.2
    st.set_min_interval(0.1)  # a floor only rises
    assert st.min_interval == 0.2
    # Trouble halves the window to one; after that the interval doubles (a rate limit).
    for _ in range(4):
        t = st.acquire()
        st.release()
        st.overloaded(t, throttled=True)
    assert st.limit == 1 and st.interval == 1.6
    # Healthy rounds halve it back, never below the floor.
    for _ in range(10):
        run_round(st, 0.01)
    assert st.interval == 0.2


def test_summary_reports_where_it_settled():
    clock = Clock()
    st = HostState(8, 0.0, no_wait(), clock=clock)
    for _ in range(10):
        run_round(st, 0.01)
        clock.now += 0.5
    s = st.summary()
    assert s["concurrency"] == 8 and s["ceiling"] == 8 and s["peak_concurrency"] == 8
    assert s["requests"] == st.requests and s["rate"] > 0 and s["slowdowns"] == 0


# --- whole crawls of a fragile loopback server ------------------------------

class FragileServer:
    """Serves a linked site of ``pages`` pages after ``delay`` s; with more
    than ``limit`` requests in flight it answers 429 (``mode="429"``) or
    becomes ``slow`` s slower (``mode="slow"``). Records every 429 and the
    most requests it ever had in flight."""

    def __init__(self, pages: int, limit: int = 8, delay: float = 0.02, mode: str = "429", slow: float = 0.4):
        self.pages, self.limit, self.delay, self.mode, self.slow = pages, limit, delay, mode, slow
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.over_limit = 0  # requests that arrived with more than `limit` in flight
        self.over_times: list[float] = []  # when each of them arrived
        self.throttled = 0
        rng = random.Random(3)
        self.links = {i: [c for c in (2 * i + 1, 2 * i + 2) if c < pages] + [rng.randrange(pages) for _ in range(3)]
                      for i in range(pages)}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_HEAD(self):
                self.do_GET(head=True)

            def do_GET(self, head=False):
                with server.lock:
                    server.in_flight += 1
                    n = server.in_flight
                    server.peak = max(server.peak, n)
                    over = n > server.limit
                    if over:
                        server.over_limit += 1
                        server.over_times.append(time.monotonic())
                        if server.mode == "429":
                            server.throttled += 1
                try:
                    time.sleep(server.delay + (server.slow if over and server.mode == "slow" else 0))
                    if over and server.mode == "429":
                        status, body = 429, b"slow down"
                    else:
                        status, body = server.answer(self.path)
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if not head:
                        self.wfile.write(body)
                finally:
                    with server.lock:
                        server.in_flight -= 1

        ThreadingHTTPServer.daemon_threads = True
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.request_queue_size = 128
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, path: str) -> tuple[int, bytes]:
        if path == "/":
            return 200, b'<a href="/p/0.html">start</a>'
        if path.startswith("/p/") and path.endswith(".html") and path[3:-5].isdigit():
            i = int(path[3:-5])
            if i < self.pages:
                return 200, "".join(f'<a href="/p/{j}.html">{j}</a>' for j in self.links[i]).encode()
        return 404, b"not here"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("mode", ["429", "slow"])
def test_fragile_server_defaults_no_false_broken_and_limit_respected(mode):
    server = FragileServer(pages=200, mode=mode)
    try:
        # The defaults a user gets (ceilings 16 per host, 32 in all), no cache.
        cfg = WebConfig(allow_private=True, progress=False, use_sitemap=False, respect_robots=False)
        started = time.monotonic()  # a moment before the crawler's first request
        res = crawl(server.base + "/", cfg)
    finally:
        server.close()
    classes = [r.classification for r in res.results.values()]
    assert len(res.pages) == 201
    assert classes.count("ok") == len(classes), {r.url: (r.classification, r.status) for r in res.results.values()
                                                  if r.classification != "ok"}
    rates = next(iter(res.host_rates.values()))
    if server.over_limit == 0:
        # A busy machine may never put more than the limit at the host at
        # once: nothing to react to, and nothing to check below.
        assert rates["slowdowns"] == 0 or mode == "slow"
        return
    assert rates["slowdowns"] >= 1
    # Once the crawler has backed off (its own clock, the server's: one
    # process), the learned cap keeps the window near the host's limit: at
    # most one request over it after that (the crawler counts requests in
    # flight a little high, so the first cap can be one above the limit).
    # Requests already sent before the back-off may still arrive over the
    # limit for a moment: loopback transit plus a busy machine's scheduling.
    signal_back = started + rates["first_back_off_s"] + 0.25
    late = [t for t in server.over_times if t > signal_back]
    assert len(late) <= 1, (len(late), server.over_limit, rates)
    if mode == "429":
        # A handful of 429s in all (each retried: no false broken link above).
        assert server.throttled <= 6, (server.throttled, rates)
    else:
        # The slowdown is seen only when the slow answer arrives; slow start
        # may have grown the window meanwhile.
        assert server.over_limit <= 24, (server.over_limit, rates)


def test_fast_server_window_reaches_the_ceiling():
    server = FragileServer(pages=300, limit=1000, delay=0.02)
    try:
        cfg = WebConfig(allow_private=True, progress=False, use_sitemap=False, respect_robots=False,
                        per_host_concurrency=12)
        res = crawl(server.base + "/", cfg)
    finally:
        server.close()
    rates = next(iter(res.host_rates.values()))
    assert rates["peak_concurrency"] == 12 and rates["slowdowns"] == 0
    assert server.peak <= 12
