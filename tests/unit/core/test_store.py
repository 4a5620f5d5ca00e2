"""EventStore: durable group commit, queries, migrations, errors in plain words."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from diskkit import file_size_limit, needs_file_size_limit, on_disk

from bellhop.core import records
from bellhop.core.records import EventRecord, RunRecord, StepRecord, new_id
from bellhop.core.schema import SCHEMA_VERSION
from bellhop.core.store import EventStore, StoreError

FIXTURES = Path(__file__).parents[2] / "fixtures"


def event(rule_id: str = "r1", body: bytes = b'{"a": 1}') -> EventRecord:
    return EventRecord(id=new_id("ev"), rule_id=rule_id, received_at="2026-11-28T10:00:00+08:00",
                       received_ts=1.0, method="POST", query={"q": "1"},
                       headers={"content-type": "application/json"},
                       content_type="application/json", body=body)


@pytest.fixture
async def store(tmp_path: Path):
    s = EventStore(tmp_path / "events.db")
    await s.open()
    yield s
    await s.close()


async def test_appended_event_is_committed_and_visible_to_another_connection(
        store: EventStore, tmp_path: Path) -> None:
    ev = event(body="訂單 #1001".encode())
    await store.append_event(ev)
    # A separate connection (another process would be the same) sees it at once.
    other = sqlite3.connect(tmp_path / "events.db")
    row = other.execute("SELECT body, state FROM events WHERE id = ?", (ev.id,)).fetchone()
    other.close()
    assert bytes(row[0]).decode() == "訂單 #1001" and row[1] == "new"


async def test_database_uses_wal_and_full_sync(tmp_path: Path, store: EventStore) -> None:
    modes = await store.read(lambda c: (c.execute("PRAGMA journal_mode").fetchone()[0],
                                        c.execute("PRAGMA synchronous").fetchone()[0]))
    assert modes == ("wal", 2)  # 2 = FULL


async def test_concurrent_appends_share_commits_and_all_land(store: EventStore) -> None:
    events = [event() for _ in range(500)]
    await asyncio.gather(*(store.append_event(e) for e in events))
    count = await store.read(records.count_events)
    assert count == 500
    recent = await store.recent_events(limit=1000)
    assert {e.id for e in recent} == {e.id for e in events}


async def test_a_failing_job_does_not_undo_its_batch_neighbours(store: EventStore) -> None:
    good = event()

    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE events SET state = 'broken'")
        raise ValueError("this job fails")

    results = await asyncio.gather(store.append_event(good), store.write(half_then_fail),
                                   store.append_event(event()), return_exceptions=True)
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], ValueError)
    stored = await store.get_event(good.id)
    assert stored is not None and stored.state == "new"  # the failed job's change was undone
    assert await store.read(records.count_events) == 2


async def test_a_lone_failing_write_leaves_nothing_behind(store: EventStore) -> None:
    await store.append_event(event())

    def insert_then_fail(conn: sqlite3.Connection) -> None:
        records.insert_event(conn, event())
        conn.execute("UPDATE events SET state = 'broken'")
        raise ValueError("this job fails")

    with pytest.raises(ValueError):
        await store.write(insert_then_fail)  # alone in its batch: no savepoint of its own
    assert await store.read(records.count_events) == 1
    [kept] = await store.recent_events()
    assert kept.state == "new"
    await store.append_event(event())  # the connection is usable afterwards
    assert await store.read(records.count_events) == 2


async def test_row_jobs_in_one_batch_are_written_together_in_order(store: EventStore) -> None:
    # Jobs queued while a commit is in flight join one batch; row jobs side by side merge.
    gate = asyncio.Event()
    loop = asyncio.get_running_loop()
    blocker = store.write(lambda conn: asyncio.run_coroutine_threadsafe(
        gate.wait(), loop).result(5))
    first = [event(body=b'{"n": %d}' % n) for n in range(3)]
    firsts = [asyncio.ensure_future(store.append_event(e)) for e in first]
    await asyncio.sleep(0.01)  # next turn of the loop: a second row job
    second = [event(body=b'{"n": %d}' % n) for n in range(3, 200)]
    seconds = [asyncio.ensure_future(store.append_event(e)) for e in second]
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.gather(blocker, *firsts, *seconds)
    stored = await store.read(lambda conn: [bytes(row[0]) for row in conn.execute(
        "SELECT body FROM events ORDER BY seq")])
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
    await asyncio.wait_for(done.wait(), 5)
    assert heard == [("clumsy", None), ("careful", None)]
    assert await store.read(records.count_events) == 2
    assert "a commit's waiter failed" in caplog.text


async def test_runs_and_steps_round_trip_and_unfinished_query(store: EventStore) -> None:
    ev = event()
    await store.append_event(ev)
    new, unfinished = await store.unfinished()
    assert [e.id for e in new] == [ev.id] and unfinished == []
    run = RunRecord(id=new_id("run"), event_id=ev.id, rule_id="r1", reason="new",
                    status="running", started_at="t0",
                    steps=[StepRecord(idx=1, type="send_email", label="Send email",
                                      status="succeeded", attempts=2, input={"to": "a@b"},
                                      output={"message_id": "<x>"})])
    await store.save_run(run)
    new, unfinished = await store.unfinished()
    assert new == [] and [r.id for r in unfinished] == [run.id]
    assert unfinished[0].steps[0].output == {"message_id": "<x>"}
    run.status = "succeeded"
    await store.save_run(run)
    new, unfinished = await store.unfinished()
    assert unfinished == []
    [stored] = await store.runs_of_event(ev.id)
    assert stored.status == "succeeded" and stored.steps[0].attempts == 2
    latest = await store.get_event(ev.id)
    assert latest is not None and latest.run_status == "succeeded"


async def test_many_runs_in_one_write_keep_the_last_state_of_each(store: EventStore) -> None:
    # More runs than one statement holds, one of them twice (started, then finished).
    events = [event() for _ in range(150)]
    await asyncio.gather(*(store.append_event(e) for e in events))
    runs = [RunRecord(id=new_id("run"), event_id=e.id, rule_id="r1", reason="new",
                      status="skipped", started_at="t0",
                      steps=[StepRecord(idx=1, type="filter", label="Filter", status="skipped")])
            for e in events]
    running = dataclasses.replace(runs[70], status="running", steps=[
        StepRecord(idx=1, type="filter", label="Filter", status="running")])
    await store.save_runs([running, *runs])
    assert await store.read(records.count_new_events) == 0
    statuses = await store.read(lambda conn: conn.execute(
        "SELECT status, COUNT(*) FROM runs GROUP BY status").fetchall())
    assert statuses == [("skipped", 150)]
    [again] = await store.runs_of_event(events[70].id)
    assert again.steps[0].status == "skipped"


async def test_marking_events_taken_goes_by_id_not_through_the_backlog(
        store: EventStore) -> None:
    await asyncio.gather(*(store.append_event(event()) for _ in range(300)))
    plan = await store.read(lambda conn: conn.execute(
        "EXPLAIN QUERY PLAN " + records.take_events_sql(3), ["a", "b", "c"]).fetchall())
    details = " ".join(row[-1] for row in plan)
    assert "events_new" not in details and "(id=?)" in details


async def test_recent_events_filters_and_pages(store: EventStore) -> None:
    for i in range(10):
        await store.append_event(event(rule_id="a" if i % 2 else "b"))
    first = await store.recent_events(limit=3)
    second = await store.recent_events(limit=3, before_seq=first[-1].seq)
    assert len({e.id for e in first + second}) == 6
    assert all(e.seq < first[-1].seq for e in second)
    only_a = await store.recent_events(limit=100, rule_id="a")
    assert len(only_a) == 5 and {e.rule_id for e in only_a} == {"a"}


async def test_close_finishes_jobs_in_flight(tmp_path: Path) -> None:
    s = EventStore(tmp_path / "events.db")
    await s.open()
    pending = [asyncio.ensure_future(s.append_event(event())) for _ in range(50)]
    await asyncio.sleep(0)
    await s.close()
    await asyncio.gather(*pending)
    conn = sqlite3.connect(tmp_path / "events.db")
    assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 50
    conn.close()


async def test_unwritable_location_gives_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    s = EventStore(blocker / "events.db")
    with pytest.raises(StoreError) as caught:
        await s.open()
    assert "could not open its event database" in caught.value.message


async def test_version_one_database_fixture_opens_and_keeps_its_events(tmp_path: Path) -> None:
    copy = tmp_path / "events.db"
    shutil.copy(FIXTURES / "events_v1.db", copy)
    s = EventStore(copy)
    await s.open()
    try:
        version = await s.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0])
        assert version == SCHEMA_VERSION
        [ev] = await s.recent_events()
        assert ev.body.decode() == '{"name": "#1001", "total_price": "1280.00"}'
        [run] = await s.runs_of_event(ev.id)
        assert run.status == "succeeded" and run.steps[0].type == "filter"
    finally:
        await s.close()


async def test_newer_database_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    s = EventStore(path)
    with pytest.raises(StoreError) as caught:
        await s.open()
    assert "newer Bellhop" in caught.value.message


@needs_file_size_limit
async def test_a_commit_the_disk_refuses_fails_its_writes_and_leaves_nothing_half_done(
        store: EventStore, tmp_path: Path) -> None:
    # Rows wait in SQLite's page cache until COMMIT writes them to the WAL: a WAL that may
    # not grow (as on a full disk) makes the COMMIT itself fail, not the statements.
    db = tmp_path / "events.db"
    kept = event()
    await store.append_event(kept)
    gate, holding = asyncio.Event(), threading.Event()
    loop = asyncio.get_running_loop()

    def hold(conn: sqlite3.Connection) -> None:
        holding.set()
        asyncio.run_coroutine_threadsafe(gate.wait(), loop).result(5)

    blocked = asyncio.ensure_future(store.write(hold))
    await loop.run_in_executor(None, holding.wait, 5)  # what follows waits for a next batch
    lost = [event(), event()]
    jobs = [asyncio.ensure_future(store.write(lambda conn: records.insert_event(conn, lost[0]))),
            asyncio.ensure_future(store.append_event(lost[1]))]
    with file_size_limit((tmp_path / "events.db-wal").stat().st_size):
        gate.set()
        await blocked
        results = await asyncio.gather(*jobs, return_exceptions=True)
    assert [type(r) for r in results] == [StoreError, StoreError]
    assert all("disk I/O error" in r.message for r in results)
    assert on_disk(db) == [kept.id]
    await store.append_event(lost[1])  # the sender sends it again: the store goes on
    assert on_disk(db) == [kept.id, lost[1].id]


async def test_writes_are_refused_while_the_database_file_is_not_where_it_was_opened(
        store: EventStore, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # SQLite would write on into the file it holds open, where nobody looks any more.
    db, aside = tmp_path / "events.db", tmp_path / "aside.db"
    kept = event()
    await store.append_event(kept)
    db.rename(aside)
    refused = [event(), event()]
    for ev in refused:
        with pytest.raises(StoreError) as caught:
            await store.append_event(ev)
        assert caught.value.message == (
            f"The event database {db} was deleted or replaced while Bellhop was running, so "
            "nothing more can be saved in it. Restart Bellhop; until then deliveries are "
            "refused and their senders asked to send them again.")
    assert await store.read(records.count_events) == 1  # reads still answer
    aside.rename(db)  # put back: the very file the store opened
    again = event()
    await store.append_event(again)
    assert on_disk(db) == [kept.id, again.id]  # nothing refused went into the file
    assert "was deleted or replaced by another program" in caplog.text
    assert "is back where it was" in caplog.text
