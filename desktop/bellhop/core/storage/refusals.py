"""Deliveries the receiver turned away, in events.db's `refusals` table: written, kept small,
read back for Activity and `bellhop events --refused`.

One row stands for one kind of refusal of one rule's address (a wrong secret, a wrong
method, broken JSON, …) within a minute, however many times it happened: repeats add to
its `count`. Only the newest `KEEP` rows are kept, pruned in the same commit as each
write, so a sender (or an attacker) that is refused again and again cannot grow the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

KEEP = 1000  # rows kept; older ones go in the commit that writes new ones
COALESCE_SECONDS = 60.0  # repeats within this of a row's first refusal join that row


@dataclass(slots=True)
class RefusalRecord:
    """One row: a kind of refusal of one address, how often, first and last time."""

    seq: int
    rule_id: str  # '' when no rule has the address
    status: int
    kind: str
    reason: str  # in words, with what fixes it
    first_ts: float
    last_ts: float
    count: int


@dataclass(slots=True)
class RefusalNote:
    """Refusals gathered in memory since the last write: one key, how many, when."""

    rule_id: str
    status: int
    kind: str
    reason: str
    first_ts: float
    last_ts: float
    count: int = 1


def write_refusals(conn: sqlite3.Connection, notes: Iterable[RefusalNote],
                   keep: int = KEEP) -> None:
    """Add the notes (joining a row of the same rule, status and kind from the last
    minute) and drop all but the newest `keep` rows. Runs inside the writer's commit."""
    for note in notes:
        joined = conn.execute(
            "UPDATE refusals SET count = count + ?, last_ts = max(last_ts, ?), reason = ?"
            " WHERE seq = (SELECT seq FROM refusals WHERE rule_id = ? AND status = ?"
            " AND kind = ? AND first_ts >= ? ORDER BY seq DESC LIMIT 1)",
            (note.count, note.last_ts, note.reason, note.rule_id, note.status, note.kind,
             note.first_ts - COALESCE_SECONDS)).rowcount
        if not joined:
            conn.execute(
                "INSERT INTO refusals (rule_id, status, kind, reason, first_ts, last_ts, count)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (note.rule_id, note.status, note.kind, note.reason, note.first_ts,
                 note.last_ts, note.count))
    # seq only grows (rows go from the oldest end), so the newest `keep` are the top ones.
    conn.execute("DELETE FROM refusals WHERE seq <= (SELECT MAX(seq) FROM refusals) - ?",
                 (keep,))


_COLUMNS = "seq, rule_id, status, kind, reason, first_ts, last_ts, count"


def recent_refusals(conn: sqlite3.Connection, rule_id: str | None = None,
                    since: float | None = None, limit: int = KEEP) -> list[RefusalRecord]:
    """Refusal rows, newest first; of one rule (`''`: of no rule), since a time."""
    terms, args = [], []
    if rule_id is not None:
        terms.append("rule_id = ?")
        args.append(rule_id)
    if since is not None:
        terms.append("last_ts >= ?")
        args.append(since)
    where = (" WHERE " + " AND ".join(terms)) if terms else ""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM refusals{where} ORDER BY seq DESC LIMIT ?",
                        (*args, limit))
    return [RefusalRecord(*row) for row in rows]


def refused_counts(conn: sqlite3.Connection, since: float) -> dict[str, int]:
    """How many deliveries each rule ('' for none) had turned away since `since`."""
    return {rule_id: int(total) for rule_id, total in conn.execute(
        "SELECT rule_id, SUM(count) FROM refusals WHERE last_ts >= ? GROUP BY rule_id",
        (since,))}


def refused_since(conn: sqlite3.Connection, rule_id: str, since: float) -> int:
    """How many deliveries one rule turned away since `since`."""
    row = conn.execute("SELECT SUM(count) FROM refusals WHERE rule_id = ? AND last_ts >= ?",
                       (rule_id, since)).fetchone()
    return int(row[0] or 0)


def refusal_count(conn: sqlite3.Connection) -> int:
    """How many refusal rows there are."""
    return int(conn.execute("SELECT COUNT(*) FROM refusals").fetchone()[0])
