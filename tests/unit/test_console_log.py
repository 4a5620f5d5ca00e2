"""`bellhop serve`'s console lines: an event told from a worker thread is printed too, and
does not hold back the lines after it."""

from __future__ import annotations

import asyncio

import pytest

from bellhop.commands.serve import ConsoleLog
from bellhop.core.events import AddressChecked


async def test_an_event_from_a_worker_thread_does_not_stop_the_console(
        capsys: pytest.CaptureFixture[str]) -> None:
    log = ConsoleLog()
    # e.g. a rules reload in a worker thread tells its news from there
    await asyncio.to_thread(log.on_engine_event,
                            AddressChecked(rule_id="r1", rule_name="From a thread",
                                           service="LINE"))
    log.on_engine_event(AddressChecked(rule_id="r2", rule_name="On the loop", service="LINE"))
    for _ in range(5):
        await asyncio.sleep(0)
    out = capsys.readouterr().out
    assert "LINE checked the address of “From a thread”: it works." in out
    assert "LINE checked the address of “On the loop”: it works." in out
