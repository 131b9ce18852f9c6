"""Hypothesis profiles for the fuzz tests.

``ci`` (the default): a fixed, derandomised set of 100 documents per
property with a deadline, so the suite stays fast and never flakes on a new
random example. ``long`` (``HEALTH_LINT_FUZZ=long``): random exploration,
``HEALTH_LINT_FUZZ_EXAMPLES`` documents per property (default 2,500, so the
four document properties check 10,000 documents), no deadline.
"""
from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

from .harness import STATS

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile("ci", max_examples=100, deadline=timedelta(seconds=5), derandomize=True,
                          database=None, suppress_health_check=_SLOW_OK, print_blob=True)
settings.register_profile("long", max_examples=int(os.environ.get("HEALTH_LINT_FUZZ_EXAMPLES", "2500")),
                          deadline=None, database=None, suppress_health_check=_SLOW_OK, print_blob=True)
PROFILE = "long" if os.environ.get("HEALTH_LINT_FUZZ") == "long" else "ci"


def pytest_terminal_summary(terminalreporter):
    if STATS["documents"]:
        terminalreporter.write_line(
            f"fuzz ({PROFILE}): {STATS['documents']:,} documents checked, {STATS['bytes']:,} bytes, "
            f"{STATS['findings']:,} findings, slowest {STATS['slowest']:.2f} s ({STATS['slowest_kb']:.1f} KB), "
            f"{STATS['seconds']:.1f} s in the pipeline")
