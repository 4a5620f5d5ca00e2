"""EventStore: durable group commit, queries, migrations, errors in plain words.

Every await on the store is guarded (`soon`): a commit whose waiters are never woken
fails its test at once instead of stalling the run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from diskkit import file_size_limit, needs_file_size_limit, on_disk, write_lock

from bellhop.core.storage import records
from bellhop.core.storage.records import EventRecord, RunRecord, StepRecord, new_id
from bellhop.core.storage.refusals import refusal_count
from bellhop.core.storage.schema import MIGRATIONS, SCHEMA_VERSION
from bellhop.core.storage.store import EventStore, StoreError, connect

FIXTURES = Path(__file__).parents[2] / "fixtures"
GUARD = 10.0  # seconds; only a hang gets near it
T = TypeVar("T")
CLOSED = "The event database is closed."


async def soon(awaitable: Awaitable[T]) -> T:
    """The awaitable's outcome; a hang fails the test instead of stalling it. (In the
    same task, unlike `wait_for`: what the loop runs before it stays as it was.)"""
    async with asyncio.timeout(GUARD):
        return await awaitable


def event(rule_id: str = "r1", body: bytes = b'{"a": 1}') -> EventRecord:
    return EventRecord(id=new_id("ev"), rule_id=rule_id, received_at="2026-11-28T10:00:00+08:00",
                       received_ts=1.0, method="POST", query={"q": "1"},
                       headers={"content-type": "application/json"},
                       content_type="application/json", body=body)


def run_of(ev: EventRecord, status: str = "running", rule_id: str = "r1") -> RunRecord:
    return RunRecord(id=new_id("run"), event_id=ev.id, rule_id=rule_id, reason="new",
                     status=status, started_at="t0",
                     steps=[StepRecord(idx=1, type="filter", label="Filter", status=status)])


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[EventStore]:
    s = EventStore(tmp_path / "events.db")
    await soon(s.open())
    yield s
    await soon(s.close())


def store_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bellhop.store"]


class Writer:
    """Holds the store's writer thread inside a job until `release`: what is queued
    meanwhile makes up the next batch, in the order it was queued."""

    def __init__(self, store: EventStore, *, trace: list[str] | None = None) -> None:
        self.store, self.trace = store, trace
        self.gate, self.holding = asyncio.Event(), threading.Event()
        self.loop = asyncio.get_running_loop()
        self.job: asyncio.Future[Any] | None = None

    def _hold(self, conn: sqlite3.Connection) -> None:
        if self.trace is not None:
            conn.set_trace_callback(self.trace.append)
        self.holding.set()
        asyncio.run_coroutine_threadsafe(self.gate.wait(), self.loop).result(GUARD)

    async def hold(self, *, write: bool = True) -> None:
        submit = self.store.write if write else self.store.read
        self.job = asyncio.ensure_future(submit(self._hold))
        assert await self.loop.run_in_executor(None, self.holding.wait, GUARD)

    async def release(self) -> None:
        assert self.job is not None
        self.gate.set()
        await soon(self.job)


async def queued(*awaitables: Awaitable[Any]) -> list[asyncio.Future[Any]]:
    """Start each store call; once this returns, each has queued its job (row jobs after
    the turn of the loop that gathers them)."""
    futures = [asyncio.ensure_future(a) for a in awaitables]
    await asyncio.sleep(0.01)
    return futures


def shown(sql: str) -> str:
    """A statement as the store sent it, its values left out: 'INSERT INTO events ×2'."""
    if " VALUES " not in sql:
        return sql
    head, values = sql.split(" VALUES ", 1)
    return f"{head.split(' (')[0]} ×{values.count('),(') + 1}"


# --- commits: durable, grouped, each job on its own ------------------------------------

async def test_appended_event_is_committed_and_visible_to_another_connection(
        store: EventStore, tmp_path: Path) -> None:
    ev = event(body="訂單 #1001".encode())
    await soon(store.append_event(ev))
    # A separate connection (another process would be the same) sees it at once.
    other = sqlite3.connect(tmp_path / "events.db")
    row = other.execute("SELECT body, state FROM events WHERE id = ?", (ev.id,)).fetchone()
    other.close()
    assert bytes(row[0]).decode() == "訂單 #1001" and row[1] == "new"


async def test_database_uses_wal_and_full_sync(tmp_path: Path, store: EventStore) -> None:
    modes = await soon(store.read(lambda c: (c.execute("PRAGMA journal_mode").fetchone()[0],
                                             c.execute("PRAGMA synchronous").fetchone()[0])))
    assert modes == ("wal", 2)  # 2 = FULL


async def test_the_writer_is_one_named_background_thread(store: EventStore) -> None:
    # Its name is what a log line or a thread dump shows; a daemon never keeps a
    # process alive that forgot to close the store.
    seen = await soon(store.read(lambda conn: (threading.current_thread().name,
                                                threading.current_thread().daemon)))
    again = await soon(store.write(lambda conn: threading.current_thread().ident))
    assert seen == ("bellhop-store", True)
    assert again == await soon(store.read(lambda conn: threading.current_thread().ident))
    assert again != threading.get_ident()


async def test_concurrent_appends_share_commits_and_all_land(store: EventStore) -> None:
    events = [event() for _ in range(500)]
    await soon(asyncio.gather(*(store.append_event(e) for e in events)))
    count = await soon(store.read(records.count_events))
    assert count == 500
    recent = await soon(store.recent_events(limit=1000))
    assert {e.id for e in recent} == {e.id for e in events}


async def test_jobs_queued_during_a_commit_share_the_next_one_each_in_its_savepoint(
        store: EventStore, tmp_path: Path) -> None:
    # Group commit: one BEGIN ... COMMIT for every job queued while the writer was busy;
    # each write in its own savepoint, so that a failing one takes back only its own work.
    trace: list[str] = []
    writer = Writer(store, trace=trace)
    await writer.hold()
    first, second, third, late = event(), event(), event(), event()

    def write_late(conn: sqlite3.Connection) -> str:
        records.insert_event(conn, late)
        return "written"

    def delete_all_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM events")
        raise ValueError("this job fails")

    [rows] = await queued(store.append_event(first))
    wrote, counted = await queued(store.write(write_late), store.read(records.count_events))
    more = await queued(store.append_event(second), store.append_event(third))
    [failed] = await queued(store.write(delete_all_then_fail))
    await writer.release()
    assert await soon(rows) is None and await soon(wrote) == "written"
    assert await soon(counted) == 2  # the read sees the batch's writes before it
    assert [await soon(f) for f in more] == [None, None]
    with pytest.raises(ValueError, match="this job fails"):
        await soon(failed)
    assert on_disk(tmp_path / "events.db") == [first.id, late.id, second.id, third.id]
    assert [shown(sql) for sql in trace] == [
        "COMMIT",  # the holding job's own
        "BEGIN",
        "SAVEPOINT job", "INSERT INTO events ×1", "RELEASE job",
        "SAVEPOINT job", "INSERT INTO events ×1", "RELEASE job",
        "SELECT COUNT(*) FROM events",
        "SAVEPOINT job", "INSERT INTO events ×2", "RELEASE job",
        "SAVEPOINT job", "DELETE FROM events", "ROLLBACK TO job", "RELEASE job",
        "COMMIT"]


async def test_a_lone_write_needs_no_savepoint_and_a_lone_insert_no_transaction(
        store: EventStore) -> None:
    trace: list[str] = []
    await soon(store.read(lambda conn: conn.set_trace_callback(trace.append)))
    await soon(store.append_event(event()))  # one INSERT commits by itself
    await soon(store.read(records.count_events))
    await soon(store.write(lambda conn: records.insert_event(conn, event())))
    # Rows past one statement's worth need a transaction to be all or nothing.
    await soon(asyncio.gather(*(store.append_event(event()) for _ in range(records.MANY_ROWS))))
    await soon(asyncio.gather(*(store.append_event(event())
                                for _ in range(records.MANY_ROWS + 1))))
    assert [shown(sql) for sql in trace] == [
        "INSERT INTO events ×1",
        "SELECT COUNT(*) FROM events",
        "BEGIN", "INSERT INTO events ×1", "COMMIT",
        f"INSERT INTO events ×{records.MANY_ROWS}",
        "BEGIN", f"INSERT INTO events ×{records.MANY_ROWS}", "INSERT INTO events ×1", "COMMIT"]


async def test_row_jobs_side_by_side_become_one_statement_and_reads_begin_nothing(
        store: EventStore, tmp_path: Path) -> None:
    trace: list[str] = []
    writer = Writer(store, trace=trace)
    await writer.hold(write=False)
    ones, two = [event(), event()], event()
    before = await queued(store.read(records.count_events))
    rows = await queued(*(store.append_event(e) for e in ones))
    rows += await queued(store.append_event(two))
    after = await queued(store.read(records.count_events))
    await writer.release()
    assert await soon(asyncio.gather(*rows)) == [None, None, None]
    assert [await soon(f) for f in before + after] == [0, 3]
    assert on_disk(tmp_path / "events.db") == [ones[0].id, ones[1].id, two.id]
    assert [shown(sql) for sql in trace] == [
        "SELECT COUNT(*) FROM events",
        "BEGIN", "INSERT INTO events ×3",
        "SELECT COUNT(*) FROM events",
        "COMMIT"]


async def test_a_failing_job_does_not_undo_its_batch_neighbours(store: EventStore) -> None:
    good, other = event(), event()

    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE events SET state = 'broken'")
        raise ValueError("this job fails")

    writer = Writer(store)
    await writer.hold()
    jobs = await queued(store.append_event(good), store.write(half_then_fail),
                        store.append_event(other))
    await writer.release()
    results = await soon(asyncio.gather(*jobs, return_exceptions=True))
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], ValueError)
    stored = await soon(store.get_event(good.id))
    assert stored is not None and stored.state == "new"  # the failed job's change was undone
    assert await soon(store.read(records.count_events)) == 2


async def test_a_lone_failing_write_leaves_nothing_behind(store: EventStore) -> None:
    await soon(store.append_event(event()))
    trace: list[str] = []

    def insert_then_fail(conn: sqlite3.Connection) -> None:
        conn.set_trace_callback(trace.append)
        records.insert_event(conn, event())
        conn.execute("UPDATE events SET state = 'broken'")
        raise ValueError("this job fails")

    with pytest.raises(ValueError):
        await soon(store.write(insert_then_fail))  # alone in its batch: no savepoint of its own
    assert [shown(sql) for sql in trace] == [
        "INSERT INTO events ×1", "UPDATE events SET state = 'broken'", "ROLLBACK"]
    assert await soon(store.read(records.count_events)) == 1
    [kept] = await soon(store.recent_events())
    assert kept.state == "new"
    await soon(store.append_event(event()))  # the connection is usable afterwards
    assert await soon(store.read(records.count_events)) == 2


async def test_rows_written_as_one_job_are_all_or_nothing(
        store: EventStore, tmp_path: Path) -> None:
    # An event and a run gathered in one turn of the loop are one job of several
    # statements: when the run cannot be written, the event is not kept either.
    kept = event()
    await soon(store.append_event(kept))
    await soon(store.write(lambda conn: conn.execute(
        "CREATE TEMP TRIGGER no_runs BEFORE INSERT ON runs "
        "BEGIN SELECT RAISE(ABORT, 'no runs today'); END")))
    lost = event()
    results = await soon(asyncio.gather(store.append_event(lost), store.save_run(run_of(kept)),
                                        return_exceptions=True))
    assert [type(r) for r in results] == [StoreError, StoreError]
    assert results[0].message == ("Bellhop could not save to its event database: no runs "
                                  "today. Check that the disk has free space.")
    assert on_disk(tmp_path / "events.db") == [kept.id]


async def test_row_jobs_in_one_batch_are_written_together_in_order(store: EventStore) -> None:
    # Jobs queued while a commit is in flight join one batch; row jobs side by side merge.
    writer = Writer(store)
    await writer.hold()
    first = [event(body=b'{"n": %d}' % n) for n in range(3)]
    firsts = await queued(*(store.append_event(e) for e in first))
    second = [event(body=b'{"n": %d}' % n) for n in range(3, 200)]
    seconds = await queued(*(store.append_event(e) for e in second))
    await writer.release()
    await soon(asyncio.gather(*firsts, *seconds))
    stored = await soon(store.read(lambda conn: [bytes(row[0]) for row in conn.execute(
        "SELECT body FROM events ORDER BY seq")]))
    assert stored == [e.body for e in first + second]


async def test_commit_waiters_are_called_and_one_failing_keeps_no_one_waiting(
        store: EventStore, caplog: pytest.LogCaptureFixture) -> None:
    heard: list[tuple[str, BaseException | None]] = []
    done = asyncio.Event()

    def clumsy(error: BaseException | None) -> None:
        heard.append(("clumsy", error))
        raise RuntimeError("a waiter's own mistake")

    def careful(error: BaseException | None) -> None:
        heard.append(("careful", error))
        done.set()

    first, second = event(), event()
    store.append_event_then(first, clumsy)
    store.append_event_then(second, careful)
    await soon(done.wait())
    assert heard == [("clumsy", None), ("careful", None)]
    assert await soon(store.read(records.count_events)) == 2
    assert store_log(caplog) == ["a commit's waiter failed"]


async def test_a_waiter_that_stopped_waiting_keeps_no_one_else_waiting(
        store: EventStore, tmp_path: Path) -> None:
    # A cancelled wait (a sender that hung up) does not take the event back, and the
    # other waiters of the same commit are still told.
    writer = Writer(store)
    await writer.hold()
    gone, stays = event(), event()
    left, waits = await queued(store.append_event(gone), store.append_event(stays))
    left.cancel()
    await writer.release()
    assert await soon(waits) is None
    assert left.cancelled()
    assert on_disk(tmp_path / "events.db") == [gone.id, stays.id]


async def test_a_loop_that_went_away_does_not_stop_the_writer(
        store: EventStore, tmp_path: Path) -> None:
    # A job queued from another event loop (a command's asyncio.run) that has closed
    # by the time its commit returns: nobody waits for it any more, the rest goes on.
    writer = Writer(store)
    await writer.hold()
    theirs, ours = event(), event()

    async def queue_and_leave() -> None:
        store.append_event_then(theirs, lambda error: None)
        await asyncio.sleep(0.01)  # the row job is queued; then this loop closes

    await asyncio.get_running_loop().run_in_executor(None, asyncio.run, queue_and_leave())
    [mine] = await queued(store.append_event(ours))
    await writer.release()
    assert await soon(mine) is None
    assert await soon(store.read(records.count_events)) == 2
    assert on_disk(tmp_path / "events.db") == [theirs.id, ours.id]


# --- queries ---------------------------------------------------------------------------

async def test_runs_and_steps_round_trip_and_unfinished_query(store: EventStore) -> None:
    ev = event()
    await soon(store.append_event(ev))
    new, unfinished = await soon(store.unfinished())
    assert [e.id for e in new] == [ev.id] and unfinished == []
    run = RunRecord(id=new_id("run"), event_id=ev.id, rule_id="r1", reason="new",
                    status="running", started_at="t0",
                    steps=[StepRecord(idx=1, type="send_email", label="Send email",
                                      status="succeeded", attempts=2, input={"to": "a@b"},
                                      output={"message_id": "<x>"})])
    await soon(store.save_run(run))
    new, unfinished = await soon(store.unfinished())
    assert new == [] and [r.id for r in unfinished] == [run.id]
    assert unfinished[0].steps[0].output == {"message_id": "<x>"}
    run.status = "succeeded"
    await soon(store.save_run(run))
    new, unfinished = await soon(store.unfinished())
    assert unfinished == []
    [stored] = await soon(store.runs_of_event(ev.id))
    assert stored.status == "succeeded" and stored.steps[0].attempts == 2
    latest = await soon(store.get_event(ev.id))
    assert latest is not None and latest.run_status == "succeeded"
    again = await soon(store.get_run(run.id))
    assert again is not None and (again.id, again.status) == (run.id, "succeeded")
    assert await soon(store.get_run("run_missing")) is None


async def test_many_runs_in_one_write_keep_the_last_state_of_each(store: EventStore) -> None:
    # More runs than one statement holds, one of them twice (started, then finished).
    events = [event() for _ in range(150)]
    await soon(asyncio.gather(*(store.append_event(e) for e in events)))
    runs = [run_of(e, "skipped") for e in events]
    running = dataclasses.replace(runs[70], status="running", steps=[
        StepRecord(idx=1, type="filter", label="Filter", status="running")])
    await soon(store.save_runs([running, *runs]))
    assert await soon(store.read(records.count_new_events)) == 0
    statuses = await soon(store.read(lambda conn: conn.execute(
        "SELECT status, COUNT(*) FROM runs GROUP BY status").fetchall()))
    assert statuses == [("skipped", 150)]
    [again] = await soon(store.runs_of_event(events[70].id))
    assert again.steps[0].status == "skipped"


async def test_pages_of_waiting_events_and_unfinished_runs(store: EventStore) -> None:
    events = [event(rule_id="a" if n % 2 else "b") for n in range(8)]
    for ev in events:
        await soon(store.append_event(ev))
    page = await soon(store.new_events(0, 3))
    assert [e.id for e in page] == [e.id for e in events[:3]]
    of_a = await soon(store.new_events(page[0].seq or 0, 2, rule_id="a"))
    assert [e.id for e in of_a] == [events[1].id, events[3].id]
    runs = [run_of(ev, rule_id=ev.rule_id) for ev in events]
    await soon(store.save_runs(runs))
    first = await soon(store.unfinished_runs_page("a", 0, 2))
    assert [r.id for r in first] == [runs[1].id, runs[3].id]
    rest = await soon(store.unfinished_runs_page("a", first[-1].seq or 0, 10))
    assert [r.id for r in rest] == [runs[5].id, runs[7].id]
    assert await soon(store.backlog_counts()) == {"a": (0, 4), "b": (0, 4)}


async def test_marking_events_taken_goes_by_id_not_through_the_backlog(
        store: EventStore) -> None:
    await soon(asyncio.gather(*(store.append_event(event()) for _ in range(300))))
    plan = await soon(store.read(lambda conn: conn.execute(
        "EXPLAIN QUERY PLAN " + records.take_events_sql(3), ["a", "b", "c"]).fetchall()))
    details = " ".join(row[-1] for row in plan)
    assert "events_new" not in details and "(id=?)" in details


async def test_recent_events_filters_and_pages(store: EventStore) -> None:
    for i in range(10):
        await soon(store.append_event(event(rule_id="a" if i % 2 else "b")))
    first = await soon(store.recent_events(limit=3))
    second = await soon(store.recent_events(limit=3, before_seq=first[-1].seq))
    assert len({e.id for e in first + second}) == 6
    assert all(e.seq < first[-1].seq for e in second)
    only_a = await soon(store.recent_events(limit=100, rule_id="a"))
    assert len(only_a) == 5 and {e.rule_id for e in only_a} == {"a"}
    await soon(asyncio.gather(*(store.append_event(event()) for _ in range(45))))
    assert len(await soon(store.recent_events())) == 50  # the newest 50 unless told


async def test_a_failing_read_raises_its_own_error(store: EventStore) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no such table: nowhere"):
        await soon(store.read(lambda conn: conn.execute("SELECT * FROM nowhere")))
    assert await soon(store.read(records.count_events)) == 0


# --- opening and closing ----------------------------------------------------------------

async def test_close_finishes_jobs_in_flight(tmp_path: Path) -> None:
    s = EventStore(tmp_path / "events.db")
    await soon(s.open())
    pending = [asyncio.ensure_future(s.append_event(event())) for _ in range(50)]
    await asyncio.sleep(0)
    await soon(s.close())
    await soon(asyncio.gather(*pending))
    conn = sqlite3.connect(tmp_path / "events.db")
    assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 50
    conn.close()


async def test_close_runs_the_jobs_queued_with_it_then_refuses_more(tmp_path: Path) -> None:
    s = EventStore(tmp_path / "events.db")
    await soon(s.open())
    writer = Writer(s)
    await writer.hold()
    events = [event(), event()]
    jobs = await queued(*(s.append_event(e) for e in events))
    jobs += await queued(s.read(records.count_events))
    closing = asyncio.ensure_future(s.close())  # the stop joins the batch these are in
    await asyncio.sleep(0.01)
    await writer.release()
    await soon(closing)
    assert await soon(asyncio.gather(*jobs)) == [None, None, 2]
    assert on_disk(tmp_path / "events.db") == [e.id for e in events]
    for refused in (s.append_event(event()), s.read(records.count_events)):
        with pytest.raises(StoreError) as caught:
            await soon(refused)
        assert caught.value.message == CLOSED
    await soon(s.close())  # closing twice is harmless


async def test_a_store_never_opened_refuses_work_and_closes_quietly(tmp_path: Path) -> None:
    s = EventStore(tmp_path / "events.db")
    with pytest.raises(StoreError) as caught:
        await soon(s.write(records.count_events))
    assert caught.value.message == CLOSED
    told: list[BaseException | None] = []
    s.append_event_then(event(), told.append)  # the waiter hears it, as from a commit
    assert [type(e) for e in told] == [StoreError] and told[0].message == CLOSED  # type: ignore[union-attr]
    await soon(s.close())
    assert not (tmp_path / "events.db").exists()


async def test_missing_folders_are_made(tmp_path: Path) -> None:
    path = tmp_path / "new" / "home" / "events.db"
    s = EventStore(path)
    await soon(s.open())
    try:
        await soon(s.append_event(event()))
    finally:
        await soon(s.close())
    assert len(on_disk(path)) == 1


async def test_unwritable_location_gives_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    path = blocker / "events.db"
    s = EventStore(path)
    with pytest.raises(StoreError) as caught:
        await soon(s.open())
    reason = caught.value.__cause__
    assert isinstance(reason, OSError)
    assert caught.value.message == (
        f"Bellhop could not open its event database {path}: {reason}. Check that the disk "
        "has free space and the folder can be written to.")


async def test_version_one_database_fixture_opens_and_keeps_its_events(tmp_path: Path) -> None:
    copy = tmp_path / "events.db"
    shutil.copy(FIXTURES / "events_v1.db", copy)
    s = EventStore(copy)
    await soon(s.open())
    try:
        version = await soon(s.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]))
        assert version == SCHEMA_VERSION
        [ev] = await soon(s.recent_events())
        assert ev.body.decode() == '{"name": "#1001", "total_price": "1280.00"}'
        [run] = await soon(s.runs_of_event(ev.id))
        assert run.status == "succeeded" and run.steps[0].type == "filter"
        assert run.steps[0].warnings == []
    finally:
        await soon(s.close())


async def test_a_database_from_before_step_warnings_opens_keeps_its_runs_and_takes_them(
        tmp_path: Path) -> None:
    # events.db at version 5, as the Bellhop before warnings wrote it, with a failed run.
    path = tmp_path / "events.db"
    old = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:5]:
        old.executescript(migration)
    old.execute("PRAGMA user_version = 5")
    old.execute("INSERT INTO events (id, rule_id, received_at, received_ts, method, query,"
                " headers, content_type, body) VALUES ('ev_old', 'r1', '2026-11-28T10:00',"
                " 1.0, 'POST', '{}', '{}', 'application/json', X'7B7D')")
    old.execute("INSERT INTO runs (id, event_id, rule_id, reason, status, started_at, error)"
                " VALUES ('run_old', 'ev_old', 'r1', 'new', 'failed', '2026-11-28T10:00',"
                " 'The field ''body.customer'' is not in this event.')")
    old.execute("INSERT INTO step_runs (run_id, idx, type, label, status, attempts, error)"
                " VALUES ('run_old', 1, 'send_email', 'Send email', 'failed', 1,"
                " 'The field ''body.customer'' is not in this event.')")
    old.close()
    s = EventStore(path)
    await soon(s.open())
    try:
        assert await soon(s.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0])) == \
            SCHEMA_VERSION
        [run] = await soon(s.runs_of_event("ev_old"))
        [step] = run.steps
        assert (run.status, step.error, step.warnings) == (
            "failed", "The field 'body.customer' is not in this event.", [])
        # The run is retried and done, with warnings; a new one has none.
        warnings = ["This order has no customer (guest checkout); …", "這筆訂單沒有「備註」"]
        step.status, step.error, step.warnings = "succeeded", None, warnings
        run.status = "succeeded"
        newer = event()
        await soon(s.append_event(newer))
        fresh = run_of(newer, "succeeded")
        fresh.steps = [StepRecord(idx=1, type="send_email", label="Send email",
                                  status="succeeded")]
        await soon(s.save_runs([run, fresh]))
        [again] = await soon(s.runs_of_event("ev_old"))
        assert again.status == "succeeded"
        assert again.warnings == warnings
        [plain] = await soon(s.runs_of_event(newer.id))
        assert plain.warnings == []
        stored = dict(await soon(s.read(lambda c: c.execute(
            "SELECT run_id, warnings FROM step_runs").fetchall())))
        assert stored[fresh.id] is None and json.loads(stored["run_old"]) == again.warnings
    finally:
        await soon(s.close())


async def test_version_five_database_fixture_opens_with_all_its_data(tmp_path: Path) -> None:
    """The last events.db before refusals were recorded: every event, run and step is
    still there after the migration, and the new table starts empty."""
    copy = tmp_path / "events.db"
    shutil.copy(FIXTURES / "events_v5.db", copy)
    with sqlite3.connect(copy) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 5
        before = {table: old.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
                  for table in ("events", "runs", "step_runs")}
    s = EventStore(copy)
    await soon(s.open())
    try:
        version = await soon(s.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]))
        assert version == SCHEMA_VERSION
        after = await soon(s.read(lambda c: {
            table: c.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in ("events", "runs", "step_runs")}))
        # The same rows; step_runs gained columns (fix, warnings), empty for old steps.
        width = len(before["step_runs"][0])
        assert {**after, "step_runs": [row[:width] for row in after["step_runs"]]} == before
        assert all(set(row[width:]) == {None} for row in after["step_runs"])
        assert await soon(s.read(refusal_count)) == 0
        [run] = await soon(s.runs_of_event("ev_v5_order"))
        assert run.error == "The mail server said no." and run.steps[1].attempts == 3
        sample = await soon(s.get_event("ev_v5_sample"))
        assert sample is not None and sample.state == "sample"
        assert await soon(s.backlog_counts()) == {"r2": (1, 0)}
    finally:
        await soon(s.close())


async def test_newer_database_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    s = EventStore(path)
    with pytest.raises(StoreError) as caught:
        await soon(s.open())
    assert caught.value.message == (
        f"{path} was written by a newer Bellhop. Update Bellhop to open it.")


# --- errors in plain words ---------------------------------------------------------------

async def test_a_database_that_refuses_writes_says_so_plainly(
        store: EventStore, tmp_path: Path) -> None:
    kept = event()
    await soon(store.append_event(kept))
    # query_only: SQLite refuses each write as it refuses one to a read-only file.
    await soon(store.read(lambda conn: conn.execute("PRAGMA query_only = 1")))
    with pytest.raises(StoreError) as caught:
        await soon(store.append_event(event()))
    assert caught.value.message == (
        f"Bellhop could not save to its event database {tmp_path / 'events.db'}: attempt to "
        "write a readonly database. Check that the file and its folder can be written to.")
    await soon(store.read(lambda conn: conn.execute("PRAGMA query_only = 0")))
    pages = await soon(store.read(lambda conn: conn.execute("PRAGMA page_count").fetchone()))
    await soon(store.read(lambda conn: conn.execute(f"PRAGMA max_page_count = {pages[0]}")))
    with pytest.raises(StoreError) as caught:
        await soon(store.append_event(event(body=b"x" * 20000)))
    assert caught.value.message == ("Bellhop could not save to its event database: database "
                                    "or disk is full. Check that the disk has free space.")
    # sqlite3's own mistakes carry no SQLite error code; they are plain words as well.
    with pytest.raises(StoreError) as caught:
        await soon(store.write(lambda conn: conn.execute("SELECT ?", ())))
    reason = ("Incorrect number of bindings supplied. The current statement uses 1, and "
              "there are 0 supplied.")
    assert caught.value.message == (f"Bellhop could not save to its event database: {reason}. "
                                    "Check that the disk has free space.")
    assert on_disk(tmp_path / "events.db") == [kept.id]


async def test_a_commit_refused_with_its_transaction_still_open_is_rolled_back(
        store: EventStore, tmp_path: Path) -> None:
    # SQLite rolls back by itself after a full disk or an I/O error, but not after a
    # COMMIT refused for a deferred constraint: the store must, or the next write would
    # join a transaction nobody commits.
    await soon(store.read(lambda conn: conn.executescript(
        "PRAGMA foreign_keys = ON;"
        "CREATE TEMP TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TEMP TABLE child (parent INTEGER REFERENCES parent (id)"
        " DEFERRABLE INITIALLY DEFERRED);")))
    lost = event()

    def insert_and_break_a_constraint(conn: sqlite3.Connection) -> None:
        records.insert_event(conn, lost)
        conn.execute("INSERT INTO temp.child VALUES (1)")

    with pytest.raises(StoreError) as caught:
        await soon(store.write(insert_and_break_a_constraint))
    assert caught.value.message == ("Bellhop could not save to its event database: FOREIGN "
                                    "KEY constraint failed. Check that the disk has free space.")
    kept = event()
    await soon(store.append_event(kept))
    assert on_disk(tmp_path / "events.db") == [kept.id]


async def test_writes_after_a_job_that_left_a_transaction_open_fail_plainly(
        store: EventStore, tmp_path: Path) -> None:
    # A mistaken job: its BEGIN is never committed. What follows fails, never hangs.
    await soon(store.read(lambda conn: conn.execute("BEGIN")))
    writer = Writer(store)
    await writer.hold(write=False)
    jobs = await queued(store.write(lambda conn: records.insert_event(conn, event())),
                        store.write(lambda conn: records.insert_event(conn, event())))
    await writer.release()
    results = await soon(asyncio.gather(*jobs, return_exceptions=True))
    assert [getattr(r, "message", r) for r in results] == [
        "Bellhop could not save to its event database: cannot start a transaction within a "
        "transaction. Check that the disk has free space."] * 2
    await soon(store.read(lambda conn: conn.execute("ROLLBACK")))
    kept = event()
    await soon(store.append_event(kept))
    assert on_disk(tmp_path / "events.db") == [kept.id]


@needs_file_size_limit
async def test_a_commit_the_disk_refuses_fails_its_writes_and_leaves_nothing_half_done(
        store: EventStore, tmp_path: Path) -> None:
    # Rows wait in SQLite's page cache until COMMIT writes them to the WAL: a WAL that may
    # not grow (as on a full disk) makes the COMMIT itself fail, not the statements.
    db = tmp_path / "events.db"
    kept = event()
    await soon(store.append_event(kept))
    writer = Writer(store)
    await writer.hold()
    lost = [event(), event()]
    jobs = await queued(store.write(lambda conn: records.insert_event(conn, lost[0])),
                        store.append_event(lost[1]),
                        store.read(records.count_events))
    with file_size_limit((tmp_path / "events.db-wal").stat().st_size):
        await writer.release()
        results = await soon(asyncio.gather(*jobs, return_exceptions=True))
    assert [type(r) for r in results] == [StoreError, StoreError, int]
    assert all(r.message == ("Bellhop could not save to its event database: disk I/O error. "
                             "Check that the disk has free space.") for r in results[:2])
    assert results[2] == 2  # the read came before the row job: it saw lost[0] only
    assert on_disk(db) == [kept.id]
    await soon(store.append_event(lost[1]))  # the sender sends it again: the store goes on
    assert on_disk(db) == [kept.id, lost[1].id]


# --- files taken away while running ------------------------------------------------------

def gone_message(db: Path) -> str:
    return (f"The event database {db} was deleted or replaced while Bellhop was running, so "
            "nothing more can be saved in it. Restart Bellhop; until then deliveries are "
            "refused and their senders asked to send them again.")


async def test_writes_are_refused_while_the_database_file_is_not_where_it_was_opened(
        store: EventStore, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # SQLite would write on into the file it holds open, where nobody looks any more.
    caplog.set_level(logging.WARNING, "bellhop.store")
    db, aside = tmp_path / "events.db", tmp_path / "aside.db"
    kept = event()
    await soon(store.append_event(kept))
    assert store_log(caplog) == []
    db.rename(aside)
    noticed = (f"the event database {db} was deleted or replaced by another program; "
               "deliveries are refused until Bellhop is restarted")
    for ev in [event(), event(), event()]:
        with pytest.raises(StoreError) as caught:
            await soon(store.append_event(ev))
        assert caught.value.message == gone_message(db)
        assert store_log(caplog) == [noticed]  # told once, at the first refusal
    told: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()
    store.append_event_then(event(), told.set_result)
    error = await soon(told)
    assert isinstance(error, StoreError) and error.message == gone_message(db)
    assert await soon(store.read(records.count_events)) == 1  # reads still answer
    writer = Writer(store)
    await writer.hold(write=False)
    write, read = await queued(store.write(lambda conn: records.insert_event(conn, event())),
                               store.read(records.count_events))
    await writer.release()
    with pytest.raises(StoreError) as caught:
        await soon(write)
    assert caught.value.message == gone_message(db)
    assert await soon(read) == 1  # even in a batch whose writes are refused
    aside.rename(db)  # put back: the very file the store opened
    again = event()
    await soon(store.append_event(again))
    await soon(store.append_event(event()))
    assert on_disk(db)[:2] == [kept.id, again.id]  # nothing refused went into the file
    assert store_log(caplog) == [noticed, f"the event database {db} is back where it was"]


async def test_writes_are_refused_once_the_wal_is_deleted(
        store: EventStore, tmp_path: Path) -> None:
    # The WAL holds the commits not yet copied into the database file: without it at its
    # path, a commit would go where the next start never looks.
    db = tmp_path / "events.db"
    kept = event()
    await soon(store.append_event(kept))
    (tmp_path / "events.db-wal").unlink()
    with pytest.raises(StoreError) as caught:
        await soon(store.append_event(event()))
    assert caught.value.message == gone_message(db)


async def test_the_wal_of_a_database_deleted_while_running_is_put_aside_at_the_stop(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The next start would lay that WAL over whatever database is then at the path.
    db = tmp_path / "events.db"
    s = EventStore(db)
    await soon(s.open())
    await soon(s.append_event(event()))
    wal = os.stat(tmp_path / "events.db-wal")
    db.unlink()
    await soon(s.close())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.db-shm",
                                                          "events.db-wal.orphaned"]
    aside = os.stat(tmp_path / "events.db-wal.orphaned")
    assert (aside.st_dev, aside.st_ino) == (wal.st_dev, wal.st_ino)
    assert store_log(caplog)[-1] == (
        f"the event database {db} was deleted or replaced while Bellhop ran: its write-ahead "
        f"log, which belongs to the old file, is now {db}-wal.orphaned")


async def test_a_read_in_a_commit_that_went_into_a_vanished_file_still_answers(
        store: EventStore, tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    await soon(store.append_event(event()))
    inside = threading.Event()

    def insert_late(conn: sqlite3.Connection) -> None:
        inside.set()
        records.insert_event(conn, event())  # waits for the other connection's lock

    writer = Writer(store)
    await writer.hold(write=False)
    write, read = await queued(store.write(insert_late), store.read(records.count_events))
    loop = asyncio.get_running_loop()
    with write_lock(db):
        await writer.release()
        assert await loop.run_in_executor(None, inside.wait, GUARD)
        db.unlink()  # after the check before the commit, before the commit itself
    with pytest.raises(StoreError) as caught:
        await soon(write)
    assert caught.value.message == gone_message(db)
    assert await soon(read) == 2


async def test_a_wal_still_in_use_by_another_connection_stays_where_it_is(
        tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    wal = tmp_path / "events.db-wal"
    s = EventStore(db)
    await soon(s.open())
    kept = event()
    await soon(s.append_event(kept))
    reader = sqlite3.connect(db)  # the window's reader, say: the WAL outlives the store
    try:
        assert reader.execute("SELECT COUNT(*) FROM events").fetchone() == (1,)
        await soon(s.close())
        assert wal.exists() and not (tmp_path / "events.db-wal.orphaned").exists()
        assert reader.execute("SELECT id FROM events").fetchall() == [(kept.id,)]
    finally:
        reader.close()


async def test_a_database_restored_with_its_wal_keeps_that_wal(tmp_path: Path) -> None:
    # A backup tool puts back a database and its WAL while Bellhop runs: that WAL
    # belongs to the file now at the path, and is left alone at the stop.
    db = tmp_path / "events.db"
    s = EventStore(db)
    await soon(s.open())
    await soon(s.append_event(event()))
    backup = sqlite3.connect(tmp_path / "backup.db", isolation_level=None)
    try:
        backup.execute("PRAGMA journal_mode=WAL")
        backup.execute("PRAGMA wal_autocheckpoint=0")
        backup.execute("CREATE TABLE restored (x)")
        backup.execute("INSERT INTO restored VALUES ('from the WAL')")
        for suffix in ("", "-wal"):
            shutil.copy(tmp_path / f"backup.db{suffix}", tmp_path / f"copy{suffix}")
            os.replace(tmp_path / f"copy{suffix}", tmp_path / f"events.db{suffix}")
    finally:
        backup.close()
    await soon(s.close())
    assert not (tmp_path / "events.db-wal.orphaned").exists()
    restored = sqlite3.connect(db)
    try:
        assert restored.execute("SELECT x FROM restored").fetchall() == [("from the WAL",)]
    finally:
        restored.close()


# --- connections -------------------------------------------------------------------------

def in_another_thread(fn: Callable[[], T]) -> T:
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(fn()))
    thread.start()
    thread.join(GUARD)
    [result] = box
    return result


def test_a_new_connection_has_bellhops_settings_and_works_from_any_thread(
        tmp_path: Path) -> None:
    conn = connect(tmp_path / "events.db")
    try:
        settings = [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in (
            "page_size", "journal_mode", "synchronous", "temp_store", "busy_timeout")]
        assert settings == [8192, "wal", 2, 2, 5000]  # 2: FULL; 2: MEMORY
        conn.execute("CREATE TABLE t (x)")
        assert in_another_thread(lambda: conn.execute("INSERT INTO t VALUES (1)").rowcount) == 1
        assert not conn.in_transaction  # each statement commits unless told otherwise
    finally:
        conn.close()


async def test_a_read_only_connection_reads_from_any_thread_and_never_writes(
        store: EventStore, tmp_path: Path) -> None:
    kept = event()
    await soon(store.append_event(kept))
    reader = connect(tmp_path / "events.db", readonly=True)
    try:
        assert in_another_thread(lambda: reader.execute("SELECT id FROM events").fetchall()) \
            == [(kept.id,)]
        assert reader.execute("PRAGMA busy_timeout").fetchone() == (5000,)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.execute("DELETE FROM events")
    finally:
        reader.close()
    with pytest.raises(sqlite3.OperationalError):
        connect(tmp_path / "missing.db", readonly=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "events.db", "events.db-shm", "events.db-wal"]
