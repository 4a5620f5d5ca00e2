"""Answered events waiting for their first run: in memory up to a limit, else on disk only.

Every event here is on disk already (state "new"); memory only spares reading
it back. Past the limits the engine reads them back a page at a time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from bellhop.core.records import EventRecord, RunRecord
from bellhop.core.rules import LoadedRule
from bellhop.core.store import EventStore

MAX_QUEUED = 1000
MAX_QUEUED_BYTES = 4 * 1024 * 1024
PAGE = 200

# The engine starts runs for at most SLICE before it lets the loop turn; during a burst
# of deliveries, for BUSY_SLICE at a time and at most BUSY_SHARE of the loop: answering a
# sender (who has a time limit and retries) comes before the errands, safe on disk.
SLICE = 0.002
BUSY_SLICE = 0.0005
BUSY_SHARE = 0.02


@dataclass
class Begun:
    """A fresh event's run after its instant steps: finished already, or to go on."""

    run: RunRecord
    rule: LoadedRule
    began: float


class Waiting:
    """The engine's queue of events to start, and which ones are being started."""

    def __init__(self) -> None:
        self.queue: deque[tuple[EventRecord, Any]] = deque()
        self.queued_bytes = 0
        self.on_disk = False  # some wait on disk only
        self.disk_seq = 0  # where reading them back goes on from
        self.spills = 0
        self.claimed: set[str] = set()  # queued or being started: never read back twice

    def __bool__(self) -> bool:
        return bool(self.queue)

    def add(self, event: EventRecord, body: Any) -> None:
        """A fresh event: into memory, or (past the limits) left on disk to read back."""
        if (self.on_disk or len(self.queue) >= MAX_QUEUED
                or self.queued_bytes >= MAX_QUEUED_BYTES):
            self.spill()
        else:
            self._push(event, body)

    def _push(self, event: EventRecord, body: Any) -> None:
        self.queue.append((event, body))
        self.queued_bytes += len(event.body)
        self.claimed.add(event.id)

    def take(self) -> tuple[EventRecord, Any]:
        """The oldest queued event (it stays claimed until `release`)."""
        event, body = self.queue.popleft()
        self.queued_bytes -= len(event.body)
        return event, body

    def release(self, event_id: str) -> None:
        """The event's run is stored (or failed to be): it is no longer being started."""
        self.claimed.discard(event_id)

    def spill(self, from_start: bool = False) -> None:
        """Some events wait on disk only (from the oldest again when `from_start`)."""
        self.on_disk = True
        self.spills += 1
        if from_start:
            self.disk_seq = 0

    async def read_back(self, store: EventStore) -> None:
        """Queue the next page of events waiting on disk (StoreError if it cannot)."""
        spills = self.spills
        events = await store.new_events(self.disk_seq, PAGE)
        if events:
            self.disk_seq = events[-1].seq or self.disk_seq
        if len(events) < PAGE and spills == self.spills:
            self.on_disk, self.disk_seq = False, 0
        for event in events:
            if event.id not in self.claimed:
                self._push(event, None)
