"""A time limit for work that runs on the caller's thread (filling in a template).

One watchdog thread serves every thread. When a watched call passes its deadline,
the watchdog raises `Overtime` inside that thread with
`PyThreadState_SetAsyncExc`, once, and marks the call so that cooperative
checks (`check_time`) raise it too in case the first one was swallowed (in a
`__del__`, say). The exception never reaches code outside the watched call:
the watchdog fires only while holding the lock and only for a call still
marked active, the call unmarks itself under that lock and then clears an
exception still pending, and an Overtime that lands while it ends is caught
there. Pure C work (one huge sort) is not interrupted; the template size
limits keep such work short.

Starting a watched call takes no lock (a few attribute stores on the thread's
own slot), because a template is filled in for every step of every run.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
_set_async_exc.restype = ctypes.c_int
_NO_EXCEPTION = ctypes.py_object()  # NULL: withdraws an exception not raised yet


class Overtime(BaseException):
    """A watched call ran past its deadline.

    A BaseException, so that `except Exception` in a filter cannot swallow it."""


class Slot:
    """A thread's watched call: whether one runs, its deadline, whether the watchdog fired,
    and the work it has accounted so far (`template_limits.charge` counts there)."""

    __slots__ = ("active", "deadline", "fired", "thread_id", "work")

    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self.active = False
        self.deadline = 0.0
        self.fired = False
        self.work = 0


_lock = threading.Lock()
_slots: dict[int, Slot] = {}  # thread id -> its slot (a new thread of that id replaces it)
_wake = threading.Event()
_idle = True  # the watchdog sleeps until woken: a new watched call must set _wake
_watchdog: threading.Thread | None = None
current = threading.local()  # .slot: this thread's Slot, once it has made a watched call


def _watch_forever() -> None:
    global _idle
    while True:
        _wake.clear()
        with _lock:
            _idle = True  # before looking, so a call that starts after the look wakes us
            now = time.monotonic()
            wake_at = []
            for slot in _slots.values():
                if not slot.active:
                    continue
                _idle = False
                if slot.fired:
                    wake_at.append(now + 0.1)  # stuck in C work: look again until it ends
                elif slot.deadline <= now:
                    slot.fired = True
                    _set_async_exc(slot.thread_id, Overtime)
                    wake_at.append(now + 0.1)
                else:
                    wake_at.append(slot.deadline)
        _wake.wait(max(min(wake_at) - now, 0.001) if wake_at else None)


def _slot() -> Slot:
    global _watchdog
    slot = Slot(threading.get_ident())
    with _lock:
        _slots[slot.thread_id] = slot
        if _watchdog is None:
            _watchdog = threading.Thread(target=_watch_forever, name="bellhop-render-watchdog",
                                         daemon=True)
            _watchdog.start()
    current.slot = slot
    return slot


def run_with_deadline(work: Callable[..., T], seconds: float, *args: Any) -> T:
    """`work(*args)` on this thread; `Overtime` is raised inside it past `seconds`."""
    slot = getattr(current, "slot", None) or _slot()
    if slot.active:
        return work(*args)  # a call inside a watched call: the outer deadline holds
    try:
        slot.deadline = time.monotonic() + seconds
        slot.fired = False
        slot.work = 0
        slot.active = True  # from here on, an Overtime can only land inside this try
        if _idle:
            _wake.set()
        return work(*args)
    finally:
        while True:  # the one Overtime the watchdog may throw can land in here too: finish
            try:
                with _lock:
                    slot.active = False
                    if slot.fired:
                        _set_async_exc(slot.thread_id, _NO_EXCEPTION)
                break
            except Overtime:
                continue


def check_time() -> None:
    """Raise `Overtime` when the watched call on this thread is past its deadline."""
    slot = getattr(current, "slot", None)
    if slot is not None and slot.active and (slot.fired or time.monotonic() > slot.deadline):
        raise Overtime
