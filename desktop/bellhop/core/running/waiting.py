"""The backlog: work waiting for a run slot, one lane per rule, bounded in memory.

Everything here is on disk already: answered events (state "new") and runs a
stop left unfinished. Memory only spares reading them back. Each lane starts
at most `slots` runs at a time, oldest first; what does not fit in memory
waits on disk and is read back a page at a time when its lane has room. So a
slow destination holds its own rule's lane, never memory or other rules.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bellhop.core.running.rules import LoadedRule
from bellhop.core.storage.records import EventRecord, RunRecord
from bellhop.core.storage.store import EventStore

MAX_QUEUED = 1000  # fresh events held in memory, all lanes together
MAX_QUEUED_BYTES = 4 * 1024 * 1024  # their bodies
LANE_QUEUED = 200  # fresh events one lane holds in memory: a slow rule cannot take it all
PAGE = 50  # events or runs read back at a time for one lane whose queue is empty

# The engine starts runs for at most SLICE before it lets the loop turn; during a burst
# of deliveries, for BUSY_SLICE at a time and at most BUSY_SHARE of the loop: answering a
# sender (who has a time limit and retries) comes before the errands, safe on disk.
SLICE = 0.002
BUSY_SLICE = 0.0005
BUSY_SHARE = 0.02
BUSY_RATE = 2000  # fresh events a second: a burst that takes the whole loop


class ArrivalRate:
    """Counts fresh events; `busy()` says whether they come faster than BUSY_RATE a second."""

    __slots__ = ("_asked_at", "_counted", "count")

    def __init__(self) -> None:
        self.count = 0
        self._counted = 0
        self._asked_at = time.monotonic()

    def busy(self) -> bool:
        """True when events came faster than BUSY_RATE a second since the last time asked."""
        now = time.monotonic()
        came, span = self.count - self._counted, now - self._asked_at
        self._counted, self._asked_at = self.count, now
        return came >= 2 and came > BUSY_RATE * span


@dataclass
class Begun:
    """A fresh event's run after its instant steps: finished already, or to go on."""

    run: RunRecord
    rule: LoadedRule
    began: float


@dataclass(slots=True)
class Work:
    """One thing a lane starts: a fresh event (run None) or a run to go on with."""

    event: EventRecord | None  # None: read with the run (an unfinished run from disk)
    body: Any = None
    run: RunRecord | None = None

    @property
    def key(self) -> str:
        """What keeps it from being started twice: the event id, or the run id."""
        if self.run is not None:
            return self.run.id
        assert self.event is not None
        return self.event.id

    @property
    def size(self) -> int:
        return len(self.event.body) if self.event is not None else 0


class Lane:
    """One rule's queue: its runs going, what waits in memory, whether more waits on disk."""

    __slots__ = ("disk_seq", "events_on_disk", "queue", "rule_id", "run_seq", "running",
                 "runs_on_disk", "spills")

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id
        self.queue: deque[Work] = deque()
        self.running = 0
        self.runs_on_disk = False  # unfinished runs to read back (after a restart)
        self.run_seq = 0
        self.events_on_disk = False  # answered events to read back
        self.disk_seq = 0
        self.spills = 0  # counts spills, so a read-back that raced one keeps looking

    @property
    def on_disk(self) -> bool:
        return self.runs_on_disk or self.events_on_disk

    def __repr__(self) -> str:
        return (f"Lane({self.rule_id!r}, running={self.running}, queued={len(self.queue)}, "
                f"on_disk={self.on_disk})")


class Backlog:
    """The engine's waiting work: lanes per rule, a memory bound, and what is claimed."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.lanes: dict[str, Lane] = {}
        self.queued = 0
        self.queued_bytes = 0
        self.claimed: set[str] = set()  # queued or going: never read back twice

    def lane(self, rule_id: str) -> Lane:
        """The lane of a rule (made on first use)."""
        lane = self.lanes.get(rule_id)
        if lane is None:
            lane = self.lanes[rule_id] = Lane(rule_id)
        return lane

    def __bool__(self) -> bool:
        return any(lane.queue or lane.on_disk or lane.running for lane in self.lanes.values())

    @property
    def full(self) -> bool:
        """True when memory holds as many fresh events as it may (a lane whose queue is
        empty still reads back one page: memory stays under MAX_QUEUED + lanes × PAGE)."""
        return self.queued >= MAX_QUEUED or self.queued_bytes >= MAX_QUEUED_BYTES

    def add(self, event: EventRecord, body: Any) -> None:
        """A fresh event: into its lane's memory queue, or (past the bound, or behind
        events already on disk) left on disk to be read back in order."""
        lane = self.lane(event.rule_id)
        if lane.events_on_disk or self.full or len(lane.queue) >= LANE_QUEUED:
            self.spill(lane)
        else:
            self._push(lane, Work(event, body))

    def add_run(self, run: RunRecord, event: EventRecord | None) -> None:
        """A run to start now (a retry or a replay), in its rule's lane."""
        self._push(self.lane(run.rule_id), Work(event, None, run))

    def _push(self, lane: Lane, work: Work) -> bool:
        key = work.key
        if key in self.claimed:
            return False
        lane.queue.append(work)
        self.queued += 1
        self.queued_bytes += work.size
        self.claimed.add(key)
        return True

    def spill(self, lane: Lane) -> None:
        """The lane's fresh events wait on disk only, from where reading back goes on."""
        lane.events_on_disk = True
        lane.spills += 1

    def spill_all(self) -> None:
        """Every lane's events may be on disk again (a write failed): read from the start."""
        for lane in self.lanes.values():
            self.spill(lane)
            lane.disk_seq = 0

    def ready(self) -> Iterator[Lane]:
        """Lanes with a free slot and something to start (in memory or on disk)."""
        for lane in list(self.lanes.values()):
            if lane.running < self.slots and (lane.queue or lane.on_disk):
                yield lane

    def take(self, lane: Lane) -> Work:
        """The lane's oldest work; it takes a slot and stays claimed until `done`."""
        work = lane.queue.popleft()
        self.queued -= 1
        self.queued_bytes -= work.size
        lane.running += 1
        return work

    def claim(self, key: str) -> None:
        """Also keep `key` (a fresh event's new run) from being read back while it goes."""
        self.claimed.add(key)

    def free(self, rule_id: str) -> None:
        """A run of the lane ended: its slot is free (what it claimed may still be held)."""
        lane = self.lanes.get(rule_id)
        if lane is not None:
            lane.running -= 1
            if not (lane.running or lane.queue or lane.on_disk):
                del self.lanes[rule_id]

    def release(self, *keys: str) -> None:
        """The work is stored as it ended (or failed to be, and is on disk as before)."""
        for key in keys:
            self.claimed.discard(key)

    async def read_back(self, lane: Lane, store: EventStore) -> None:
        """Queue the lane's next page from disk: unfinished runs first, then events
        (StoreError if it cannot)."""
        if lane.runs_on_disk:
            runs = await store.unfinished_runs_page(lane.rule_id, lane.run_seq, PAGE)
            if runs:
                lane.run_seq = runs[-1].seq or lane.run_seq
            if len(runs) < PAGE:
                lane.runs_on_disk = False
            for run in runs:
                self._push(lane, Work(None, None, run))
            return
        spills = lane.spills
        events = await store.new_events(lane.disk_seq, PAGE, lane.rule_id)
        for event in events:
            lane.disk_seq = event.seq or lane.disk_seq
            self._push(lane, Work(event, None))  # unless claimed: queued or going already
        if len(events) < PAGE and spills == lane.spills:
            lane.events_on_disk = False
            lane.disk_seq = 0

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per rule: runs going, and work queued in memory (disk is counted by the store)."""
        return {rule_id: (lane.running, len(lane.queue)) for rule_id, lane in self.lanes.items()}
