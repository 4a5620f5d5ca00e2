"""The engine's thread gives way a little: to the disk writer, the window and the user's
other programs.

When the engine's loop and the store's writer share a CPU, every sender waits on the
commit in flight, and the CPU sat idle about 15 % of the time while a commit's write
finished and the writer waited for its turn. With the loop a few nice steps below the
writer, the writer runs as soon as it can: the CPU was busy 89-94 % instead of 84-90 %;
answers a second changed by -5.5 % to +12.5 % in eight runs of bench/bench_priority.py
(side by side, median +1.7 %), a gain of a few per cent at best on a noisy machine. A
webhook answer needs little CPU, so giving way to a busy desktop costs it little.

Linux only: there a thread's nice value is its own. Elsewhere the call does nothing.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger("bellhop.priority")
_gave_way: set[int] = set()  # threads (native ids) already lowered


def thread_nice(native_id: int | None = None) -> int | None:
    """A thread's nice value (this thread's by default); None where it cannot be read."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return os.getpriority(os.PRIO_PROCESS, native_id or threading.get_native_id())
    except OSError:
        return None


def give_way(steps: int) -> int | None:
    """Lower this thread's CPU priority by `steps` nice levels (at most to 19), once.

    Call it from the engine's thread after the store's writer thread has started:
    threads started later from this one inherit the lower priority, earlier ones keep
    theirs. Returns the thread's nice value afterwards (None where not supported).
    A process can never raise a priority back without privileges, so this is done
    once per thread and never undone.
    """
    now = thread_nice()
    me = threading.get_native_id()
    if now is None or steps <= 0 or me in _gave_way:
        return now
    _gave_way.add(me)  # a second Bellhop started on this thread (tests) lowers no further
    try:
        os.setpriority(os.PRIO_PROCESS, me, min(19, now + steps))
    except OSError as exc:  # a sandbox that forbids it: run as we are
        log.info("could not lower the engine thread's priority: %s", exc)
        return now
    return thread_nice()
