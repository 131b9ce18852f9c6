"""A crawler that stalls itself (a C call holding the GIL, a garbage
collection) must not read its own stall as a host slowing down."""
from __future__ import annotations

import time

from health_lint.web.client import HostState, StallClock

from .test_adaptive_rate import run_round


def _hold_the_gil() -> float:
    """One C call that keeps the GIL (the clock's thread cannot run
    meanwhile); returns how long it took."""
    start = time.monotonic()
    sum(range(25_000_000))
    return time.monotonic() - start


def test_a_stall_of_this_process_is_measured_and_quiet_time_is_not():
    clock = StallClock()
    try:
        assert clock.stalled_between(0, time.monotonic()) == 0.0  # starts the clock
        time.sleep(0.2)
        quiet_start = time.monotonic()
        time.sleep(0.3)
        assert clock.stalled_between(quiet_start, time.monotonic()) < 0.1
        start = time.monotonic()
        held = _hold_the_gil()
        time.sleep(0.1)  # the clock's thread wakes and records the stall
        stalled = clock.stalled_between(start, time.monotonic())
        assert held * 0.6 <= stalled <= held + 0.1, (stalled, held)
        # Only the overlap with the asked interval counts.
        assert clock.stalled_between(start - 10, start - 5) == 0.0
    finally:
        clock.close()


def test_answers_slowed_by_a_stall_do_not_back_the_window_off():
    # The same answers, as the client reports them: measured latency minus
    # the stall seen while they were in flight (0.3 s of a GC pause).
    st = HostState(16, 0.0)
    for _ in range(4):
        run_round(st, 0.002)
    before = st.limit
    run_round(st, 0.302 - 0.3)
    assert st.slowdowns == 0 and st.limit >= before
    # Without the correction the same answers are a slowdown.
    run_round(st, 0.302)
    assert st.slowdowns == 1
