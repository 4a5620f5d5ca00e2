"""Python's cycle collector, run by the window's thread only, while the window process lives.

CPython collects reference cycles in whichever thread happens to cross an allocation
threshold. In the window process that is often the engine thread, busy with deliveries,
and the garbage it finds can hold Qt objects the window dropped (a closed form, a card's
connections). Freed there, PySide disconnects them from the engine thread: it takes Qt's
connection lock and then waits for the GIL, while the window's thread holds the GIL and
waits for that lock. The window froze so, once, in a test that clicked through every card.

So while the window runs, automatic collection is off and a timer on the window's thread
collects the same generations Python would have, by the same counts. `bellhop serve` has
no Qt and keeps Python's own collector.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# Often enough that cycles made during a burst stay small; a young-generation pass with
# nothing to find costs microseconds.
INTERVAL_MS = 250


class WindowThreadCollector(QObject):
    """Turns automatic collection off and collects from a timer on the thread it lives on."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = False

    def start(self) -> None:
        """From now on only this thread collects cycles."""
        if self._timer.isActive():
            return
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Give collection back to Python (call once no other thread touches Qt objects)."""
        if not self._timer.isActive():
            return
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int:
        """Collect the generations whose counts passed their thresholds, as Python would;
        how many unreachable objects were found."""
        young, middle, old = gc.get_count()
        young_limit, middle_limit, old_limit = gc.get_threshold()
        if young <= young_limit:
            return 0
        if middle <= middle_limit:
            return gc.collect(0)
        if old <= old_limit:
            return gc.collect(1)
        return gc.collect(2)
