"""While the window runs, reference cycles are freed on the window's thread, never the engine's.

A cycle freed on the engine thread can hold the window's Qt objects; PySide then takes Qt's
connection lock there and waits for the GIL that the window's thread holds while it waits
for that lock (a frozen window, seen in a test). See bellhop/ui/collector.py.
"""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path
from typing import Any

from bellhop.ui.collector import WindowThreadCollector
from helpers import start_app, stop_app, wait_for


class Knot:
    """An object in a reference cycle: only the cycle collector can free it."""

    def __init__(self) -> None:
        self.me = self


def make_garbage_on_the_engine_thread(service: Any) -> list[weakref.ref[Knot]]:
    """Far more cycles than the young generation's threshold, dropped on the engine thread;
    weak references to them, to see when they are freed."""
    knots = [Knot() for _ in range(5 * gc.get_threshold()[0])]
    return [weakref.ref(knot) for knot in knots]


def test_cycles_made_by_the_engine_are_freed_by_the_window_thread(
        qtbot: Any, qapp: Any, home: Path) -> None:
    collecting_threads: set[int] = set()

    def note_thread(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting_threads.add(threading.get_ident())

    app = start_app(qtbot, qapp, home)
    gc.callbacks.append(note_thread)
    try:
        assert not gc.isenabled()
        refs: list[list[weakref.ref[Knot]]] = []
        app.bridge.call_plain(make_garbage_on_the_engine_thread, refs.append)
        wait_for(qtbot, lambda: refs)
        wait_for(qtbot, lambda: all(ref() is None for ref in refs[0]))
    finally:
        gc.callbacks.remove(note_thread)
        stop_app(app)
    assert collecting_threads == {threading.get_ident()}
    assert gc.isenabled()  # Python collects on its own again once the window has stopped


def test_the_generations_collected_follow_pythons_counts(qapp: Any) -> None:
    collector = WindowThreadCollector()
    collected: list[int] = []

    def note_generation(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collected.append(info["generation"])

    collector.start()
    gc.callbacks.append(note_generation)
    try:
        gc.collect()
        assert collector.collect_due() == 0 and collected == [2]  # nothing due after a full pass
        young, middle, old = gc.get_threshold()
        keep = [[] for _ in range(2 * young)]  # containers counted as young allocations
        assert collector.collect_due() == 0 and collected == [2, 0]
        for _ in range(middle + 1):
            keep += [[] for _ in range(2 * young)]
            collector.collect_due()
        assert collected[-1] == 1 and set(collected[1:]) == {0, 1}
        for _ in range((old + 2) * (middle + 2)):  # enough middle passes for a full one
            keep += [[] for _ in range(2 * young)]
            collector.collect_due()
        assert 2 in collected[2:]
    finally:
        gc.callbacks.remove(note_generation)
        collector.stop()
    assert gc.isenabled()
