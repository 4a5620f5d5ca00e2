"""'Will try again in 46 seconds', counting down: the words, and one timer for a page.

A run waiting to retry keeps when its next try comes (`next_try_ts`); the words are made
from it and the clock each time they are shown. One timer per page ticks once a second,
and only while the page is visible and something on it counts down: thousands of rows
share it, and a hidden window costs nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from bellhop.core.i18n import _, ngettext

clock: Callable[[], float] = time.time  # what "now" is (tests put their own clock here)


def wait_words(seconds: float) -> str:
    """'46 seconds', '4 min 5 s' (whole seconds, rounded up: it never says 0 too soon)."""
    whole = max(1, int(-(-seconds // 1)))
    if whole < 60:
        return ngettext("{n} second", "{n} seconds", whole).format(n=whole)
    minutes, rest = divmod(whole, 60)
    return _("{m} min {s} s").format(m=minutes, s=rest)


def retry_sentence(next_try_ts: float, now: float) -> str:
    """What the run detail says: 'Bellhop will try again in 46 seconds.'"""
    if next_try_ts <= now:
        return _("Bellhop is trying again now.")
    return _("Bellhop will try again in {wait}.").format(wait=wait_words(next_try_ts - now))


def short_wait(next_try_ts: float, now: float) -> str:
    """What the Activity list's result column says: 'Retry in 0:46'."""
    if next_try_ts <= now:
        return _("Retrying now")
    whole = int(-(-(next_try_ts - now) // 1))
    minutes, seconds = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    shown = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return _("Retry in {time}").format(time=shown)


class CountdownTimer(QObject):
    """Calls `tick(now)` once a second while `wanted()` says something counts down and
    the page is visible; `check()` after anything that may change either."""

    def __init__(self, page: QObject, tick: Callable[[float], None],
                 wanted: Callable[[], bool], visible: Callable[[], bool]) -> None:
        super().__init__(page)
        self._tick, self._wanted, self._visible = tick, wanted, visible
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self.fire)

    def fire(self, now: float | None = None) -> None:
        """One tick: the words move on (the timer's slot; a test may give its own now)."""
        self._tick(clock() if now is None else now)
        self.check()

    def check(self) -> None:
        """Run the timer only while it has something to count down on a visible page."""
        if self._visible() and self._wanted():
            if not self.timer.isActive():
                self.timer.start()
        elif self.timer.isActive():
            self.timer.stop()

    @property
    def running(self) -> bool:
        """True while the timer ticks."""
        return self.timer.isActive()
