"""The engine's thread gives way to the store's writer (and the rest of the desktop)."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from bellhop.core.running import priority
from bellhop.service import Bellhop

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="a thread's own nice value exists on Linux only")


def in_new_thread(work: Any) -> Any:
    """Run `work()` in a thread of its own (priorities never go back up) and return it."""
    out: dict[str, Any] = {}

    def body() -> None:
        try:
            out["value"] = work()
        except BaseException as exc:  # re-raised in the test's thread
            out["error"] = exc

    thread = threading.Thread(target=body)
    thread.start()
    thread.join(60)
    if "error" in out:
        raise out["error"]
    return out["value"]


@linux_only
def test_give_way_lowers_this_thread_once_and_no_other() -> None:
    def work() -> tuple[int | None, ...]:
        start = priority.thread_nice()
        after = priority.give_way(5)
        again = priority.give_way(5)  # a second Bellhop on the same thread
        return start, after, again

    main_before = priority.thread_nice()
    start, after, again = in_new_thread(work)
    assert start is not None and after == min(19, start + 5) and again == after
    assert priority.thread_nice() == main_before  # the caller's thread is untouched


@linux_only
def test_give_way_stops_at_the_lowest_priority_and_zero_changes_nothing() -> None:
    def work() -> tuple[int | None, ...]:
        start = priority.thread_nice()
        unchanged = priority.give_way(0)
        lowest = priority.give_way(40)
        return start, unchanged, lowest

    start, unchanged, lowest = in_new_thread(work)
    assert unchanged == start and lowest == 19


def test_elsewhere_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(priority.sys, "platform", "win32")
    assert priority.thread_nice() is None and priority.give_way(5) is None


def run_service(home: Path) -> tuple[int | None, int | None]:
    """Start Bellhop on a thread of its own: (its loop's nice, the store writer's nice)."""

    async def start_and_look() -> tuple[int | None, int | None]:
        service = Bellhop(home)
        await service.start(port=0)
        try:
            writer = service.store._thread
            assert writer is not None and writer.native_id is not None
            return priority.thread_nice(), priority.thread_nice(writer.native_id)
        finally:
            await service.stop()

    return in_new_thread(lambda: asyncio.run(start_and_look()))


@linux_only
def test_the_engine_loop_gives_way_and_the_writer_keeps_its_priority(home: Path) -> None:
    base = priority.thread_nice()
    assert base is not None
    loop_nice, writer_nice = run_service(home)
    assert loop_nice == min(19, base + 5)  # the default setting
    assert writer_nice == base  # started before the loop gave way


@linux_only
def test_engine_nice_zero_leaves_the_engine_as_it_is(home: Path) -> None:
    (home / "settings.json").write_text(json.dumps({"version": 1, "engine_nice": 0}))
    base = priority.thread_nice()
    assert run_service(home) == (base, base)
