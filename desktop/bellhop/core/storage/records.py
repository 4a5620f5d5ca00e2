"""What the store keeps: events, runs, step runs, and the SQL that reads and writes them.

Plain functions over a sqlite3 connection, so the async store (one writer
thread) and the command line (a read-only connection) share them.
"""

from __future__ import annotations

import random
import secrets
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

from bellhop.core import jsoncodec
from bellhop.core.errors import Fix, fix_from_json

# Ids need to be unique, not secret: a generator seeded once from the OS is enough, and
# keeps a system call (slow in some sandboxes) off the path of every webhook.
_ids = random.Random(secrets.randbits(64))


def new_id(prefix: str) -> str:
    """A unique id that sorts by time, e.g. 'ev_0192f3a4b5c6d7e8f9a0'."""
    return f"{prefix}_{int(time.time() * 1000):012x}{_ids.getrandbits(32):08x}"


@dataclass
class EventRecord:
    """One delivery as it arrived: the raw body and what came with it."""

    id: str
    rule_id: str
    received_at: str
    received_ts: float
    method: str
    query: dict[str, Any]
    headers: dict[str, str]
    content_type: str
    body: bytes
    delivery_id: str | None = None
    state: str = "new"
    seq: int | None = None
    run_status: str | None = None


@dataclass
class StepRecord:
    """One step of one run: what went in, what came out or went wrong, how often it was tried."""

    idx: int
    type: str
    label: str
    # pending | running | succeeded | failed | skipped | waiting | stopped (the person
    # stopped its retries: the run is failed)
    status: str = "pending"
    attempts: int = 0
    input: Any = None
    output: Any = None
    error: str | None = None
    started_at: str | None = None
    duration_ms: float | None = None
    fix: Fix | None = None  # what fixes `error`, for the window's button
    # Done, but worth a look: fields the event lacks that the step left empty, in words.
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunRecord:
    """One pass of an event through its rule."""

    id: str
    event_id: str
    rule_id: str
    reason: str  # new | replay | retry
    status: str  # running | waiting | succeeded | failed | skipped
    started_at: str
    finished_at: str | None = None
    duration_ms: float | None = None
    error: str | None = None
    next_try_ts: float | None = None
    steps: list[StepRecord] = field(default_factory=list)
    seq: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed", "skipped")

    @property
    def warnings(self) -> list[str]:
        """The warnings of its steps, in step order (a run with some still succeeded)."""
        return [warning for step in self.steps for warning in step.warnings]


def clean_text(value: str) -> str:
    """Text SQLite can store: bytes that were not UTF-8 become U+FFFD, not lone surrogates."""
    if value.isascii():  # nearly every header: no need to look further
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:  # bytes smuggled in by surrogateescape come back as the bytes they were
            raw = value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # other lone surrogates, e.g. "\ud800" from JSON
            raw = value.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")
    return value


def _clean(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def _dump(value: Any) -> str | None:
    return None if value is None else jsoncodec.dumps(value)


def _load(text: str | None) -> Any:
    return None if text is None else jsoncodec.loads(text)



_INSERT_EVENT = (
    "INSERT INTO events (id, rule_id, received_at, received_ts, method, query, headers,"
    " content_type, body, delivery_id, state) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)
_UPSERT_RUN = (
    "INSERT INTO runs (id, event_id, rule_id, reason, status, started_at, finished_at,"
    " duration_ms, error, next_try_ts) VALUES (?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT (id) DO UPDATE SET status=excluded.status,"
    " finished_at=excluded.finished_at, duration_ms=excluded.duration_ms,"
    " error=excluded.error, next_try_ts=excluded.next_try_ts"
)
_UPSERT_STEP = (
    "INSERT OR REPLACE INTO step_runs (run_id, idx, type, label, status, attempts, input,"
    " output, error, started_at, duration_ms, fix, warnings)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
)

RunRows = tuple[tuple[Any, ...], list[tuple[Any, ...]]]


def event_row(event: EventRecord) -> tuple[Any, ...]:
    """An event as the values of one INSERT (taken at once: later changes are not saved)."""
    content_type, delivery_id = clean_text(event.content_type), _clean(event.delivery_id)
    return (event.id, event.rule_id, event.received_at, event.received_ts, event.method,
            _dump(event.query), _dump(event.headers), content_type,
            event.body, delivery_id, event.state)


def run_rows(run: RunRecord) -> RunRows:
    """A run and its steps as they are now, ready to write."""
    return (
        (run.id, run.event_id, run.rule_id, run.reason, run.status, run.started_at,
         run.finished_at, run.duration_ms, _clean(run.error), run.next_try_ts),
        [(run.id, s.idx, s.type, clean_text(s.label), s.status, s.attempts, _dump(s.input),
          _dump(s.output), _clean(s.error), s.started_at, s.duration_ms,
          None if s.fix is None else _dump(list(s.fix)),
          _dump([clean_text(w) for w in s.warnings]) if s.warnings else None)
         for s in run.steps],
    )


MANY_ROWS = 64  # rows per statement
_RUN_CONFLICT = " ON CONFLICT" + _UPSERT_RUN.split(" ON CONFLICT", 1)[1]


def _many(conn: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]],
          tail: str = "") -> None:
    # One statement for many rows: sqlite3 lets other threads run during each step, and
    # on a busy loop getting the GIL back after every row costs more than the row.
    head = sql.split(" VALUES ", 1)[0].split(" ON CONFLICT", 1)[0] + " VALUES "
    marks = "(" + ",".join("?" * len(rows[0])) + ")"
    for start in range(0, len(rows), MANY_ROWS):
        chunk = rows[start:start + MANY_ROWS]
        conn.execute(head + ",".join([marks] * len(chunk)) + tail,
                     [value for row in chunk for value in row])


def take_events_sql(count: int) -> str:
    """Mark events as taken by id. `+state` keeps the planner on the id index: through the
    partial index of new events it would read every event still waiting (a backlog)."""
    return ("UPDATE events SET state = 'taken' WHERE id IN (" + ",".join("?" * count)
            + ") AND +state = 'new'")


def _take_events(conn: sqlite3.Connection, event_ids: list[str]) -> None:
    for start in range(0, len(event_ids), MANY_ROWS):
        chunk = event_ids[start:start + MANY_ROWS]
        conn.execute(take_events_sql(len(chunk)), chunk)


def write_rows(conn: sqlite3.Connection, events: list[tuple[Any, ...]],
               runs: list[RunRows]) -> None:
    """Insert events, then upsert runs with their steps and mark their events as taken."""
    if events:
        _many(conn, _INSERT_EVENT, events)
    if runs:
        _many(conn, _UPSERT_RUN, [run for run, _ in runs], _RUN_CONFLICT)
        steps = [step for _, steps in runs for step in steps]
        if steps:
            _many(conn, _UPSERT_STEP, steps)
        _take_events(conn, [run[1] for run, _ in runs])


def insert_event(conn: sqlite3.Connection, event: EventRecord) -> None:
    """Add a new event."""
    write_rows(conn, [event_row(event)], [])


def save_run(conn: sqlite3.Connection, run: RunRecord) -> None:
    """Insert or update a run with all its steps, and mark its event as taken."""
    write_rows(conn, [], [run_rows(run)])


_EVENT_COLUMNS = (
    "e.seq, e.id, e.rule_id, e.received_at, e.received_ts, e.method, e.query, e.headers,"
    " e.content_type, e.body, e.delivery_id, e.state"
)
_LAST_RUN = "(SELECT status FROM runs r WHERE r.event_id = e.id ORDER BY r.seq DESC LIMIT 1)"


def _event(row: tuple[Any, ...]) -> EventRecord:
    return EventRecord(
        seq=row[0], id=row[1], rule_id=row[2], received_at=row[3], received_ts=row[4],
        method=row[5], query=_load(row[6]) or {}, headers=_load(row[7]) or {},
        content_type=row[8], body=bytes(row[9]), delivery_id=row[10], state=row[11],
        run_status=row[12] if len(row) > 12 else None,
    )


def get_event(conn: sqlite3.Connection, event_id: str) -> EventRecord | None:
    """One event by id, with the status of its latest run."""
    row = conn.execute(
        f"SELECT {_EVENT_COLUMNS}, {_LAST_RUN} FROM events e WHERE e.id = ?", (event_id,)
    ).fetchone()
    return _event(row) if row else None


def recent_events(
    conn: sqlite3.Connection, limit: int = 50, rule_id: str | None = None,
    before_seq: int | None = None,
) -> list[EventRecord]:
    """The newest events first, each with the status of its latest run."""
    where, args = [], []
    if rule_id is not None:
        where.append("e.rule_id = ?")
        args.append(rule_id)
    if before_seq is not None:
        where.append("e.seq < ?")
        args.append(before_seq)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(
        f"SELECT {_EVENT_COLUMNS}, {_LAST_RUN} FROM events e {clause}"
        " ORDER BY e.seq DESC LIMIT ?",
        (*args, limit),
    ).fetchall()
    return [_event(row) for row in rows]


def new_events(conn: sqlite3.Connection, after_seq: int = 0, limit: int | None = None,
               rule_id: str | None = None) -> list[EventRecord]:
    """Events that were answered but never got a run, oldest first (a page of them when
    `limit` is given: those after `after_seq`; of one rule when `rule_id` is given)."""
    where = "e.state = 'new' AND e.seq > ?"
    args: list[Any] = [after_seq]
    if rule_id is not None:
        where += " AND e.rule_id = ?"
        args.append(rule_id)
    rows = conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM events e WHERE {where} ORDER BY e.seq LIMIT ?",
        (*args, -1 if limit is None else limit),
    ).fetchall()
    return [_event(row) for row in rows]


def count_new_events(conn: sqlite3.Connection) -> int:
    """How many answered events wait for their first run."""
    return conn.execute("SELECT COUNT(*) FROM events WHERE state = 'new'").fetchone()[0]


def backlog_counts(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Per rule: answered events waiting for their first run, and runs not finished
    (running, or waiting to try a step again)."""
    counts: dict[str, tuple[int, int]] = {}
    for rule_id, new in conn.execute(
            "SELECT rule_id, COUNT(*) FROM events WHERE state = 'new' GROUP BY rule_id"):
        counts[rule_id] = (new, 0)
    for rule_id, unfinished in conn.execute(
            "SELECT rule_id, COUNT(*) FROM runs WHERE status IN ('running', 'waiting')"
            " GROUP BY rule_id"):
        counts[rule_id] = (counts.get(rule_id, (0, 0))[0], unfinished)
    return counts


_RUN_COLUMNS = (
    "seq, id, event_id, rule_id, reason, status, started_at, finished_at, duration_ms,"
    " error, next_try_ts"
)


def _run(conn: sqlite3.Connection, row: tuple[Any, ...]) -> RunRecord:
    run = RunRecord(
        seq=row[0], id=row[1], event_id=row[2], rule_id=row[3], reason=row[4], status=row[5],
        started_at=row[6], finished_at=row[7], duration_ms=row[8], error=row[9],
        next_try_ts=row[10],
    )
    run.steps = [
        StepRecord(idx=s[0], type=s[1], label=s[2], status=s[3], attempts=s[4],
                   input=_load(s[5]), output=_load(s[6]), error=s[7], started_at=s[8],
                   duration_ms=s[9], fix=fix_from_json(_load(s[10])),
                   warnings=_load(s[11]) or [])
        for s in conn.execute(
            "SELECT idx, type, label, status, attempts, input, output, error, started_at,"
            " duration_ms, fix, warnings FROM step_runs WHERE run_id = ? ORDER BY idx",
            (run.id,)
        )
    ]
    return run


def runs_of_event(conn: sqlite3.Connection, event_id: str) -> list[RunRecord]:
    """Every run of an event, oldest first, with their steps."""
    rows = conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM runs WHERE event_id = ? ORDER BY seq", (event_id,)
    ).fetchall()
    return [_run(conn, row) for row in rows]


def get_run(conn: sqlite3.Connection, run_id: str) -> RunRecord | None:
    """One run with its steps."""
    row = conn.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
    return _run(conn, row) if row else None


def unfinished_runs(conn: sqlite3.Connection, rule_id: str | None = None,
                    after_seq: int = 0, limit: int | None = None) -> list[RunRecord]:
    """Runs that were running or waiting to retry when Bellhop stopped, oldest first (of
    one rule, a page after `after_seq`, when asked)."""
    where = "status IN ('running', 'waiting') AND seq > ?"
    args: list[Any] = [after_seq]
    if rule_id is not None:
        where += " AND rule_id = ?"
        args.append(rule_id)
    rows = conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM runs WHERE {where} ORDER BY seq LIMIT ?",
        (*args, -1 if limit is None else limit),
    ).fetchall()
    return [_run(conn, row) for row in rows]


def count_events(conn: sqlite3.Connection) -> int:
    """How many events the store holds."""
    return conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
