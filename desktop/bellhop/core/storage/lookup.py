"""Finding events and runs for the command line: by rule, status and time, newest first,
and the failed runs there are to retry.

The statuses are the Activity page's (an event's status is its latest run's), so
`bellhop events --status failed` lists what the window's "Failed" filter lists.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from bellhop.core.storage import records
from bellhop.core.storage.activity import EventFilter
from bellhop.core.storage.records import EventRecord, RunRecord


def first_seq_since(conn: sqlite3.Connection, since_ts: float) -> int:
    """The seq of the first event received at or after `since_ts` (past the newest when
    none was).

    Events are stored in arrival order, so their times rise with their seqs: a binary
    search reads some twenty rows instead of every event. A clock set back meanwhile
    can only let a few older events in, and the caller filters by time as well."""
    low, high = conn.execute("SELECT MIN(seq), MAX(seq) FROM events").fetchone()
    if low is None:
        return 1
    high += 1
    while low < high:
        middle = (low + high) // 2
        row = conn.execute("SELECT seq, received_ts FROM events WHERE seq >= ? ORDER BY seq"
                           " LIMIT 1", (middle,)).fetchone()
        if row is None or row[1] >= since_ts:
            high = middle
        else:
            low = row[0] + 1
    return low


def find_events(conn: sqlite3.Connection, *, rule_id: str | None = None,
                status: str | None = None, since_ts: float | None = None,
                limit: int = 20) -> tuple[list[EventRecord], bool]:
    """Newest events first, of a rule, whose latest run has a status (one of the Activity
    page's: succeeded, failed, skipped, running, waiting, new), received since a time; and
    whether there are more than `limit` of them."""
    terms, args = EventFilter(rule_id=rule_id, status=status).terms()
    if since_ts is not None:
        terms += ["e.seq >= ?", "e.received_ts >= ?"]
        args += [first_seq_since(conn, since_ts), since_ts]
    where = f"WHERE {' AND '.join(terms)}" if terms else ""
    ids = [row[0] for row in conn.execute(
        f"SELECT e.id FROM events e {where} ORDER BY e.seq DESC LIMIT ?",
        (*args, max(limit, 0) + 1))]
    found = [event for event in (records.get_event(conn, event_id)
                                 for event_id in ids[:max(limit, 0)]) if event is not None]
    return found, len(ids) > limit


def latest_failed_runs(conn: sqlite3.Connection, rule_id: str | None = None) -> list[str]:
    """Ids of the runs that failed and are their event's latest run, oldest first (of one
    rule when asked): what 'retry every failed run' tries again. Through the index of
    failed runs, so succeeded runs are never read."""
    sql = ("SELECT r.id FROM runs r WHERE r.status = 'failed' AND NOT EXISTS (SELECT 1 FROM"
           " runs r2 WHERE r2.event_id = r.event_id AND r2.seq > r.seq)")
    args: list[Any] = []
    if rule_id is not None:
        sql += " AND r.rule_id = ?"
        args.append(rule_id)
    return [row[0] for row in conn.execute(sql + " ORDER BY r.seq", args)]


def latest_run(conn: sqlite3.Connection, event_id: str) -> RunRecord | None:
    """The newest run of an event, with its steps."""
    row = conn.execute("SELECT id FROM runs WHERE event_id = ? ORDER BY seq DESC LIMIT 1",
                       (event_id,)).fetchone()
    return records.get_run(conn, row[0]) if row else None


def has_events_of_rule(conn: sqlite3.Connection, rule_id: str) -> bool:
    """True when events.db holds events of this rule id (a rule deleted since, perhaps)."""
    return conn.execute("SELECT 1 FROM events WHERE rule_id = ? LIMIT 1",
                        (rule_id,)).fetchone() is not None
