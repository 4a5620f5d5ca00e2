"""Destinations write in the order places were reserved, in batches; budgets pace requests."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from bellhop.core.services.pacing import MARGIN, Budget, Destination, Destinations


class Sink:
    """A destination's writer that records each write and may be held or fail."""

    def __init__(self) -> None:
        self.writes: list[list[Any]] = []
        self.open = asyncio.Event()
        self.open.set()
        self.fail_with: BaseException | None = None
        self.refuse: set[Any] = set()  # items that fail on their own

    async def write(self, items: Sequence[Any]) -> list[Any]:
        await self.open.wait()
        if self.fail_with is not None:
            raise self.fail_with
        self.writes.append(list(items))
        return [ValueError(f"no {i}") if i in self.refuse else f"wrote {i}" for i in items]


async def test_items_are_written_in_place_order_whatever_order_they_come_in() -> None:
    destination, sink = Destination("tab"), Sink()
    places = [destination.reserve() for _ in range(5)]
    results = {}

    async def hand_in(n: int, delay: float) -> None:
        await asyncio.sleep(delay)
        results[n] = await destination.put(places[n], n, sink.write, "same")

    # The last run gets there first; nothing may be written before place 0 is in.
    await asyncio.gather(*(hand_in(n, delay) for n, delay in
                           enumerate([0.05, 0.04, 0.03, 0.02, 0.0])))
    assert [item for batch in sink.writes for item in batch] == [0, 1, 2, 3, 4]
    assert sink.writes == [[0, 1, 2, 3, 4]]  # all were waiting for the first: one write
    assert results == {n: f"wrote {n}" for n in range(5)}
    assert destination.waiting() == 0


async def test_items_that_arrive_while_a_write_is_going_share_the_next_one() -> None:
    destination, sink = Destination("tab"), Sink()
    sink.open.clear()
    first = asyncio.ensure_future(destination.put(None, "a", sink.write, "same"))
    await asyncio.sleep(0.01)  # "a" is being written (held)
    later = [asyncio.ensure_future(destination.put(None, x, sink.write, "same")) for x in "bcd"]
    await asyncio.sleep(0.01)
    sink.open.set()
    await asyncio.gather(first, *later)
    assert sink.writes == [["a"], ["b", "c", "d"]]
    assert destination.writes == 2


async def test_a_place_given_back_lets_the_next_ones_go() -> None:
    destination, sink = Destination("file"), Sink()
    skipped, kept = destination.reserve(), destination.reserve()
    waiting = asyncio.ensure_future(destination.put(kept, "row", sink.write, "same"))
    await asyncio.sleep(0.02)
    assert not waiting.done() and sink.writes == []  # it waits for the earlier place
    destination.release(skipped)  # e.g. that run's filter said no
    assert await waiting == "wrote row"
    assert destination.waiting() == 0


async def test_places_given_back_between_items_do_not_stay_behind() -> None:
    destination, sink = Destination("file"), Sink()
    places = [destination.reserve() for _ in range(4)]
    destination.release(places[1])
    destination.release(places[2])
    await asyncio.gather(destination.put(places[3], "d", sink.write, "same"),
                         destination.put(places[0], "a", sink.write, "same"))
    assert sink.writes == [["a", "d"]]
    assert destination.waiting() == 0


async def test_items_that_cannot_share_a_write_go_in_turn() -> None:
    destination, sink = Destination("tab"), Sink()
    places = [destination.reserve() for _ in range(4)]
    kinds = ["x", "x", "y", "x"]  # e.g. two rules with different columns on one tab
    await asyncio.gather(*(destination.put(p, n, sink.write, kinds[n])
                           for n, p in reversed(list(enumerate(places)))))
    assert sink.writes == [[0, 1], [2], [3]]


async def test_a_failed_write_fails_its_items_and_the_next_ones_still_go() -> None:
    destination, sink = Destination("tab"), Sink()
    sink.fail_with = ConnectionError("gone")
    with pytest.raises(ConnectionError):
        await destination.put(None, 1, sink.write, "same")
    sink.fail_with = None
    sink.refuse = {3}
    outcomes = await asyncio.gather(destination.put(None, 2, sink.write, "same"),
                                    destination.put(None, 3, sink.write, "same"),
                                    return_exceptions=True)
    assert outcomes[0] == "wrote 2" and isinstance(outcomes[1], ValueError)


async def test_a_wrong_number_of_results_fails_the_batch_plainly() -> None:
    destination = Destination("tab")

    async def short(items: Sequence[Any]) -> list[Any]:
        return []

    with pytest.raises(RuntimeError, match="wrong number"):
        await destination.put(None, 1, short, "same")


async def test_an_item_cancelled_before_its_write_is_not_written() -> None:
    destination, sink = Destination("tab"), Sink()
    first = destination.reserve()
    cancelled = asyncio.ensure_future(destination.put(None, "gone", sink.write, "same"))
    await asyncio.sleep(0.01)
    cancelled.cancel()  # e.g. Bellhop quits while the run waits for its turn
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert await destination.put(first, "kept", sink.write, "same") == "wrote kept"
    assert sink.writes == [["kept"]] and destination.waiting() == 0


async def test_batches_are_bounded() -> None:
    destination, sink = Destination("tab", max_batch=3), Sink()
    places = [destination.reserve() for _ in range(7)]
    await asyncio.gather(*(destination.put(p, n, sink.write, "same")
                           for n, p in reversed(list(enumerate(places)))))
    assert sink.writes == [[0, 1, 2], [3, 4, 5], [6]]


async def test_destinations_are_made_once_and_idle_ones_forgotten() -> None:
    destinations = Destinations()
    tab = destinations.get("sheets:a")
    assert destinations.get("sheets:a") is tab
    ticket = tab.reserve()
    destinations.forget_idle()
    assert destinations.get("sheets:a") is tab  # a place is reserved: kept
    tab.release(ticket)
    destinations.forget_idle()
    assert destinations.get("sheets:a") is not tab


async def test_a_budget_lets_limit_requests_through_per_window_then_waits() -> None:
    now = [100.0]
    budget = Budget(3, window=60.0, clock=lambda: now[0])
    for _ in range(3):
        await asyncio.wait_for(budget.take(), 0.1)
    assert budget.wait_seconds() == pytest.approx(60.0 + MARGIN)
    waiting = asyncio.ensure_future(budget.take())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    now[0] += 60.0 + MARGIN  # the first request leaves the window
    await asyncio.wait_for(waiting, 1.0)
    assert budget.wait_seconds() == pytest.approx(0.0)


async def test_a_budget_never_passes_its_limit_in_any_window() -> None:
    budget = Budget(5, window=0.3)
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def request() -> None:
        await budget.take()
        times.append(loop.time())

    await asyncio.gather(*(request() for _ in range(12)))
    assert len(times) == 12
    for i, moment in enumerate(times):
        assert sum(1 for t in times[i:] if t - moment < 0.3) <= 5
