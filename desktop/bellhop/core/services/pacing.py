"""Talking to a service within its limits: writes to one destination in arrival order and
in batches, and a budget of requests per minute.

A destination is one place rows or messages go to (a Google Sheets tab, a file, a mail
account). Runs of a rule start in the order their events arrived, but each goes at its
own pace (an email before the sheet may take a second or three), so a run reserves its
place at each destination when it starts (`Destination.reserve`, the engine does this)
and hands its item in when its step gets there (`Destination.put`). Items are written
in place order; the items that are waiting when the destination is free go together in
one write (one `values.append` for 50 rows, one load and save of a workbook). A place
whose run ends without getting there (a filter said no, an earlier step failed) is
given back (`Destination.release`) and the places after it move on.

`Budget` counts requests in a sliding window (Google: 60 writes a minute per user) and
makes the next one wait until the window has room, so a flash sale is paced rather
than answered 429.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Write = Callable[[Sequence[Any]], Awaitable[Sequence[Any]]]  # items → one result each
# (a result may be an exception instance: that item's step fails with it)

MAX_BATCH = 500  # items in one write at most (500 rows are well inside a Sheets append)


@dataclass(eq=False)
class _Place:
    ticket: int
    item: Any = None
    write: Write | None = None
    together: Any = None  # items with equal values here may share one write
    done: asyncio.Future[Any] | None = None
    given_back: bool = False
    writing: bool = False


@dataclass(eq=False)
class Destination:
    """Items written in the order of their places, those waiting together in one write."""

    name: str
    max_batch: int = MAX_BATCH
    _next: int = 0
    _places: dict[int, _Place] = field(default_factory=dict)
    _head: int = 0  # the first place not written or given back yet
    _writer: asyncio.Task[None] | None = None
    writes: int = 0  # writes made (tests and benchmarks look)

    def reserve(self) -> int:
        """A place at the end of the line; hand it to `put` or `release`."""
        ticket = self._next
        self._next += 1
        self._places[ticket] = _Place(ticket)
        return ticket

    def release(self, ticket: int) -> None:
        """A place whose run will not write here: the places after it move on."""
        place = self._places.get(ticket)
        if place is None or place.done is not None:
            return  # written already, or being written
        place.given_back = True
        self._pump()

    async def put(self, ticket: int | None, item: Any, write: Write, together: Any) -> Any:
        """Write `item` in its place's turn (None: a new place at the end); its result.

        `write(items)` writes items in one go and returns one result for each (an
        exception instance fails that item); it raises for the whole batch. Neighbouring
        items whose `together` values are equal (e.g. the same columns) share a write,
        made by the first one's `write`."""
        if ticket is None or ticket not in self._places:
            ticket = self.reserve()
        place = self._places[ticket]
        place.item, place.write, place.together = item, write, together
        place.done = done = asyncio.get_running_loop().create_future()
        done.add_done_callback(_looked_at)  # a run that stopped waiting is not told
        self._pump()
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:  # the run stops (Bellhop quits): not written yet, not at all
            if not place.writing and not done.done():
                done.cancel()
                place.given_back = True
                self._pump()
            raise

    def waiting(self) -> int:
        """Places reserved and not written or given back yet."""
        return len(self._places)

    def idle(self) -> bool:
        """Nothing reserved here and nothing being written."""
        return not self._places and (self._writer is None or self._writer.done())

    def _pump(self) -> None:
        if self._writer is None or self._writer.done():
            self._skip_given_back()
            head = self._places.get(self._head)
            if head is not None and head.done is not None:
                self._writer = asyncio.get_running_loop().create_task(self._write_ready())

    def _skip_given_back(self) -> None:
        while (place := self._places.get(self._head)) is not None and place.given_back:
            del self._places[self._head]
            self._head += 1

    def _ready(self) -> list[_Place]:
        """The places from the head on whose items are in, with the head's way of writing."""
        self._skip_given_back()
        batch: list[_Place] = []
        ticket = self._head
        while len(batch) < self.max_batch:
            place = self._places.get(ticket)
            if place is None:
                break
            if place.given_back:
                ticket += 1
                continue
            if place.done is None or (batch and place.together != batch[0].together):
                break
            batch.append(place)
            ticket += 1
        return batch

    async def _write_ready(self) -> None:
        while batch := self._ready():
            write = batch[0].write
            assert write is not None
            for place in batch:
                place.writing = True
            self.writes += 1
            try:
                results: Sequence[Any] = await write([place.item for place in batch])
            except BaseException as exc:  # every item of the batch fails with it
                results = [exc] * len(batch)
                if isinstance(exc, asyncio.CancelledError):
                    self._settle(batch, results)
                    raise
            if len(results) != len(batch):
                results = [RuntimeError("a destination's write gave the wrong number of "
                                        "results")] * len(batch)
            self._settle(batch, results)

    def _settle(self, batch: list[_Place], results: Sequence[Any]) -> None:
        for ticket in range(self._head, batch[-1].ticket + 1):  # the batch and the places
            self._places.pop(ticket, None)                      # given back between its items
        for place, result in zip(batch, results, strict=True):
            assert place.done is not None
            if place.done.done():
                continue
            if isinstance(result, asyncio.CancelledError):
                place.done.cancel()
            elif isinstance(result, BaseException):
                place.done.set_exception(result)
            else:
                place.done.set_result(result)
        self._head = max(self._head, batch[-1].ticket + 1)
        self._skip_given_back()


def _looked_at(done: asyncio.Future[Any]) -> None:
    if not done.cancelled():
        done.exception()  # marks it seen: asyncio logs exceptions nobody looked at


class Destinations:
    """Every destination of the engine, by name (e.g. 'sheets:<account>:<id>:<tab>')."""

    def __init__(self) -> None:
        self._by_name: dict[str, Destination] = {}

    def get(self, name: str) -> Destination:
        """The destination called `name` (made the first time)."""
        found = self._by_name.get(name)
        if found is None:
            found = self._by_name[name] = Destination(name)
        return found

    def forget_idle(self) -> None:
        """Drop destinations with nothing reserved or being written."""
        for name, destination in list(self._by_name.items()):
            if destination.idle():
                del self._by_name[name]


# Seconds added to a budget's window: a request counted when it leaves may reach the
# service a little later, and the service counts when it arrives.
MARGIN = 0.25


class Budget:
    """At most `limit` requests in any `window` seconds; `take()` waits for room."""

    def __init__(self, limit: int, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = max(1, limit)
        self.window = window
        self.clock = clock
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        """Wait until one more request fits in the window, and count it."""
        async with self._lock:  # in order: a request that waited longest goes first
            while True:
                now = self.clock()
                while self._sent and now - self._sent[0] >= self.window + MARGIN:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return
                # Looked at again at least twice a second: cheap, and a changed clock counts.
                await asyncio.sleep(min(self._sent[0] + self.window + MARGIN - now, 0.5))

    def wait_seconds(self) -> float:
        """How long the next request would wait now (0: it goes at once)."""
        now = self.clock()
        recent = [t for t in self._sent if now - t < self.window + MARGIN]
        if len(recent) < self.limit:
            return 0.0
        return recent[0] + self.window + MARGIN - now
