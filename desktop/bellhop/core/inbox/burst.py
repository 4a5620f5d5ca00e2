"""Telling a burst of deliveries from the usual trickle, and what changes while one lasts."""

from __future__ import annotations

import gc
import time

BUSY_RATE = 2000  # deliveries a second
# During a burst the collector runs every 10,000 new objects instead of every 700: each
# delivery makes dozens (its parsed body above all, when the answer needs it), and at 700
# a pass came every dozen deliveries (about 5 % of the CPU). Outside bursts the usual pace
# frees garbage soon.
BURST_GC = (10_000, 20, 20)


class BurstMeter:
    """Counts deliveries; `busy()` says whether they come faster than BUSY_RATE a second."""

    def __init__(self) -> None:
        self.taken = 0
        self._taken_when_asked = 0
        self._asked_at = time.monotonic()
        self._usual_gc: tuple[int, int, int] | None = None  # set while a burst lasts

    def busy(self) -> bool:
        """True when deliveries came faster than BUSY_RATE a second since the last time
        asked: the sign of a burst that takes the whole loop."""
        now = time.monotonic()
        came, span = self.taken - self._taken_when_asked, now - self._asked_at
        self._taken_when_asked, self._asked_at = self.taken, now
        busy = came >= 2 and came > BUSY_RATE * span
        if busy and self._usual_gc is None:
            self._usual_gc = gc.get_threshold()
            gc.set_threshold(*BURST_GC)
        elif not busy:
            self.calm()
        return busy

    def calm(self) -> None:
        """The burst is over (or Bellhop stops): the collector's usual pace again."""
        if self._usual_gc is not None:
            gc.set_threshold(*self._usual_gc)
            self._usual_gc = None
