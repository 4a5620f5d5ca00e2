"""Senders retry: the same delivery must run once. Delivery ids, and the ledger of them.

Most services name each delivery (a header, or an id in the body). A delivery
whose id this rule has already taken within the retention window is answered
200 again with the first event's id, and nothing runs. Two copies arriving at
the same moment are told apart in memory before either is on disk.

Headers are read for every rule. An id in the body is read only for a sender
known before the body is read: the rule's settings name it (`BodyNeeds.ids`), or
the delivery's headers declare it (see bellhop.core.inbox.delivery); only those
bodies are parsed before the answer.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bellhop.core.inbox.answers import Admitted, Answered, accepted
from bellhop.core.storage.records import clean_text
from bellhop.core.storage.store import FileIdentity, connect, database_files

# Shopify names the event (its documented key for duplicates) and each delivery; the event
# id comes first, the delivery id stays for senders that give only that.
ID_HEADERS = ("X-Shopify-Event-Id", "X-Shopify-Webhook-Id", "X-GitHub-Delivery", "webhook-id")
MAX_ID = 300


def delivery_id(headers: Mapping[str, str], body: Any, mode: str,
                senders: tuple[str, ...] = ()) -> str | None:
    """The sender's own name for this delivery, if it gives one (None: no dedupe).

    `senders` are those whose id is read in the parsed `body` ("line", "stripe",
    "surveycake"): named by the rule or declared by the delivery's headers.
    """
    if mode == "off":
        return None
    for name in ID_HEADERS:
        value = headers.get(name)
        if value:
            return clean_text(f"{name.lower()}:{value.strip()[:MAX_ID]}")
    if senders and isinstance(body, dict):
        if "line" in senders:
            events = body.get("events")
            if isinstance(events, list):  # LINE: one body can carry several events
                ids = sorted({str(e["webhookEventId"]) for e in events
                              if isinstance(e, dict) and e.get("webhookEventId")})
                if ids:
                    return clean_text("line:" + ",".join(ids)[:MAX_ID])
        event_id = body.get("id")
        if ("stripe" in senders and isinstance(event_id, str) and event_id.startswith("evt_")
                and body.get("object") == "event"):
            return clean_text(f"stripe:{event_id[:MAX_ID]}")
        svid, hash_ = body.get("svid"), body.get("hash")
        if ("surveycake" in senders and isinstance(svid, str) and isinstance(hash_, str)
                and svid and hash_ and len(body) == 2):  # one hash per response
            return clean_text(f"surveycake:{svid}:{hash_}"[:MAX_ID])
    if mode == "request_id":
        value = headers.get("X-Request-Id")
        if value:
            return clean_text(f"x-request-id:{value.strip()[:MAX_ID]}")
    return None


class DeliveryLedger:
    """Which delivery ids each rule has taken, on disk and in flight."""

    def __init__(self, db_path: Path, retention_days: float = 7.0) -> None:
        self.db_path = db_path
        self.retention = retention_days * 86400
        self._in_flight: dict[tuple[str, str], asyncio.Future[str | None]] = {}
        self._conn: sqlite3.Connection | None = None
        # _reader sets this before it first reads it: the start value never counts.
        self._files: tuple[FileIdentity, FileIdentity] = (None, None)  # pragma: no mutate

    def _reader(self) -> sqlite3.Connection | None:
        """The read connection; None while the database is not the file it opened.

        Another program may delete or replace the file: what the open one holds (the
        first copy's event among it) is then on no disk, and no copy may be told its id.
        """
        files = database_files(self.db_path)
        if self._conn is None:
            if files[0] is None:
                return None
            self._conn = connect(self.db_path, readonly=True)
            self._files = files
        return self._conn if files == self._files else None

    def close(self) -> None:
        """Let go of the read connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def check_in(self, rule_id: str, delivery: str, now: float) -> str | None:
        """The event id of an earlier copy of this delivery; or None, and it is now ours.

        Whoever gets None must call `settle` once the event is stored (or refused).
        """
        key = (rule_id, delivery)
        while (pending := self._in_flight.get(key)) is not None:
            first = await asyncio.shield(pending)
            if first is not None:
                return first
        # From here to the claim nothing awaits, so two copies cannot both get through.
        # The lookup uses an index and takes microseconds: no thread hop for it.
        reader = self._reader()
        row = reader.execute(
            "SELECT id FROM events WHERE rule_id = ? AND delivery_id = ? AND received_ts > ?"
            " ORDER BY seq LIMIT 1", (rule_id, delivery, now - self.retention),
        ).fetchone() if reader is not None else None
        if row:
            return str(row[0])
        self._in_flight[key] = asyncio.get_running_loop().create_future()
        return None

    async def first_copy(self, outcome: Admitted | Answered) -> Admitted | Answered:
        """The delivery, now checked in under its id; or, for a copy the sender sent
        again, the answer its first copy got (200, that event's id; nothing runs).

        A delivery answered already or without an id passes through as it came."""
        if not isinstance(outcome, Admitted) or outcome.event.delivery_id is None:
            return outcome
        rule, event = outcome.rule, outcome.event
        first = await self.check_in(rule.id, event.delivery_id, event.received_ts)
        if first is None:
            return outcome
        respond = rule.head.trigger.respond  # type: ignore[union-attr]  # not a sample's
        return Answered(accepted(respond, first, duplicate=True), rule)

    def settle(self, rule_id: str, delivery: str, event_id: str | None) -> None:
        """The first copy is on disk (event_id) or was refused (None)."""
        future = self._in_flight.pop((rule_id, delivery), None)
        if future is not None and not future.done():
            future.set_result(event_id)
