"""Finding events for the command line: by rule, status and time, and the failed runs to
retry; on a real events.db."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bellhop.core.storage import records
from bellhop.core.storage.lookup import (
    find_events,
    first_seq_since,
    has_events_of_rule,
    latest_failed_runs,
    latest_run,
)
from bellhop.core.storage.schema import migrate
from bellhop.core.storage.store import connect
from support.records import make_event, make_run


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    db = connect(tmp_path / "events.db")
    migrate(db)
    yield db
    db.close()


def add(conn: sqlite3.Connection, ts: float, rule: str = "r1", *statuses: str) -> str:
    """An event received at `ts` with runs of these statuses, oldest first; its id."""
    event = make_event(rule_id=rule, received_ts=ts)
    records.insert_event(conn, event)
    for status in statuses:
        records.save_run(conn, make_run(event, status))
    return event.id


def test_first_seq_since_finds_the_first_event_at_or_after_a_time(
        conn: sqlite3.Connection) -> None:
    assert first_seq_since(conn, 100.0) == 1  # no events
    for ts in range(100, 200, 10):  # seqs 1..10, received at 100, 110, ... 190
        add(conn, float(ts))
    conn.execute("DELETE FROM events WHERE seq IN (4, 5, 6)")  # holes do not matter
    assert first_seq_since(conn, 0.0) == 1
    assert first_seq_since(conn, 100.0) == 1
    assert first_seq_since(conn, 100.5) == 2
    assert first_seq_since(conn, 125.0) == 4  # 4-6 are gone: seq 7 is the first one there
    assert conn.execute("SELECT MIN(seq) FROM events WHERE seq >= 4").fetchone()[0] == 7
    assert first_seq_since(conn, 190.0) == 10
    assert first_seq_since(conn, 191.0) == 11  # none: past the newest


def test_events_by_rule_status_and_time_newest_first(conn: sqlite3.Connection) -> None:
    done = add(conn, 100.0, "r1", "succeeded")
    failed_then_done = add(conn, 110.0, "r1", "failed", "succeeded")
    failed = add(conn, 120.0, "r2", "failed")
    new = add(conn, 130.0, "r1")
    waiting = add(conn, 140.0, "r1", "waiting")

    def ids(**asked: object) -> list[str]:
        found, __ = find_events(conn, **asked)  # type: ignore[arg-type]
        return [event.id for event in found]

    assert ids() == [waiting, new, failed, failed_then_done, done]
    assert ids(status="failed") == [failed]  # the latest run decides
    assert ids(status="succeeded") == [failed_then_done, done]
    assert ids(status="new") == [new]
    assert ids(status="waiting", rule_id="r1") == [waiting]
    assert ids(rule_id="r2") == [failed]
    assert ids(since_ts=120.0) == [waiting, new, failed]
    assert ids(since_ts=120.0, status="succeeded") == []
    assert ids(since_ts=1000.0) == []
    found, more = find_events(conn, limit=2)
    assert [e.id for e in found] == [waiting, new] and more is True
    assert found[0].run_status == "waiting" and found[1].run_status is None
    assert find_events(conn, limit=5)[1] is False


def test_a_clock_set_back_lets_no_older_event_in(conn: sqlite3.Connection) -> None:
    add(conn, 100.0)
    late = add(conn, 300.0)
    earlier = add(conn, 150.0)  # the clock went back between these deliveries
    found, __ = find_events(conn, since_ts=200.0)
    assert [event.id for event in found] == [late]
    assert earlier not in [event.id for event in find_events(conn, since_ts=200.0)[0]]


def test_failed_runs_to_retry_are_the_latest_of_their_event(conn: sqlite3.Connection) -> None:
    first = add(conn, 1.0, "r1", "failed")
    add(conn, 2.0, "r1", "failed", "succeeded")  # retried since: nothing to do
    other = add(conn, 3.0, "r2", "succeeded", "failed")  # a replay that failed
    expected = [latest_run(conn, first), latest_run(conn, other)]
    assert latest_failed_runs(conn) == [run.id for run in expected if run is not None]
    assert latest_failed_runs(conn, "r2") == [run.id for run in expected[1:] if run]
    assert latest_failed_runs(conn, "r3") == []
    assert latest_run(conn, "ev_none") is None
    assert has_events_of_rule(conn, "r2") and not has_events_of_rule(conn, "r3")
