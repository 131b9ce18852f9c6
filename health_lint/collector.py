"""When Python's cyclic garbage collector runs.

Loading what a run keeps (imported modules, word tables, packs, indexes,
compiled patterns) creates only objects that live until the end, so
collecting meanwhile is wasted work: importing typer, click and the rules
and loading the first file's tables took about 25 ms more of a 0.15-0.25 s
one-article run with the collector on. The collector is paused meanwhile;
then what was loaded is frozen, never scanned again (and in forked workers
never written to by the collector, so their memory stays shared).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


def pause() -> bool:
    """Turn the collector off; whether it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    return was_enabled


def resume(was_enabled: bool) -> None:
    """Freeze what exists now, and turn the collector back on if it was."""
    gc.freeze()
    if was_enabled:
        gc.enable()


@contextmanager
def paused():
    """The collector off inside, what was created frozen afterwards; a
    caller that had it off keeps it off."""
    was_enabled = pause()
    try:
        yield
    finally:
        resume(was_enabled)
