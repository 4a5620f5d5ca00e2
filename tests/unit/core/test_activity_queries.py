"""Activity queries on real SQLite files: listings, filters, search, paging, news, time limits."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellhop.core.storage import activity, records
from bellhop.core.storage.activity import EventFilter
from bellhop.core.storage.records import EventRecord
from bellhop.core.storage.schema import migrate
from bellhop.core.storage.seqlist import SeqList
from bellhop.core.storage.store import connect
from support import records as built
from support.records import make_run

STATUSES = ("succeeded", "failed", "skipped", "running", "waiting")


def make_event(rule_id: str, body: bytes, content_type: str = "application/json",
               state: str = "taken") -> EventRecord:
    """An event of `rule_id` that the engine took (ran) unless `state` says otherwise."""
    return built.make_event(body, rule_id, content_type=content_type, state=state)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A migrated events.db written through the store's own SQL."""
    conn = connect(tmp_path / "events.db")
    migrate(conn)
    yield conn
    conn.close()


def fill(conn: sqlite3.Connection, count: int, seed: int = 1) -> dict[str, str]:
    """`count` events over two rules with mixed latest statuses; event id → latest status."""
    rng = random.Random(seed)
    latest: dict[str, str] = {}
    events, runs = [], []
    for n in range(count):
        rule = "r_shop" if n % 3 else "r_form"
        body = json.dumps({"name": f"#{1000 + n}", "total_price": "1280.00", "currency": "TWD",
                           "buyer": rng.choice(["王小明", "Alice", "林美玲"])},
                          ensure_ascii=n % 2 == 0).encode()
        if n % 10 == 0:
            event = make_event(rule, b"", state="new")  # never ran: paused
            events.append(records.event_row(event))
            latest[event.id] = "new"
            continue
        event = make_event(rule, body)
        events.append(records.event_row(event))
        status = rng.choice(STATUSES)
        runs.append(records.run_rows(make_run(event, status)))
        if n % 7 == 0:  # replayed later: the latest run decides
            status = rng.choice(STATUSES)
            runs.append(records.run_rows(make_run(event, status, reason="replay")))
        latest[event.id] = status
    conn.execute("BEGIN")
    records.write_rows(conn, events, runs)
    conn.execute("COMMIT")
    return latest


def ids_newest_first(conn: sqlite3.Connection, where: str = "1", args: tuple = ()) -> list[str]:
    return [row[0] for row in conn.execute(
        f"SELECT e.id FROM events e WHERE {where} ORDER BY e.seq DESC", args)]


def listed_ids(conn: sqlite3.Connection, event_filter: EventFilter) -> list[str]:
    """Open a listing and finish its scan, then read the ids of every row in order."""
    listing = activity.open_listing(conn, event_filter)
    while listing.scan is not None and not listing.scan.done:
        listing.seqs.extend_older(listing.scan.step(conn, budget=0.001))
    seqs = list(listing.seqs)
    found = activity.rows(conn, seqs)
    return [found[seq].id for seq in seqs]


def test_unfiltered_listing_is_a_range_in_newest_first_order(db: sqlite3.Connection) -> None:
    fill(db, 500)
    listing = activity.open_listing(db, EventFilter())
    assert isinstance(listing.seqs._body, range) and listing.scan is None
    assert len(listing.seqs) == 500
    expected = ids_newest_first(db)
    found = activity.rows(db, [listing.seqs[0], listing.seqs[250], listing.seqs[499]])
    assert [found[listing.seqs[i]].id for i in (0, 250, 499)] == [expected[i] for i in (0, 250,
                                                                                        499)]


def test_holes_in_the_seqs_make_a_scan_that_finds_every_event(db: sqlite3.Connection) -> None:
    fill(db, 400)
    db.execute("DELETE FROM events WHERE seq % 9 = 0 AND seq NOT IN "
               "(SELECT e.seq FROM events e JOIN runs r ON r.event_id = e.id)")
    listing = activity.open_listing(db, EventFilter())
    assert listing.scan is not None
    assert listed_ids(db, EventFilter()) == ids_newest_first(db)


def test_empty_database_lists_nothing(db: sqlite3.Connection) -> None:
    listing = activity.open_listing(db, EventFilter())
    assert len(listing.seqs) == 0 and listing.top == 0
    assert activity.newer(db, EventFilter(), 0) == ([], 0)


@pytest.mark.parametrize("status", [*STATUSES, "new"])
def test_status_filter_is_the_latest_runs_status(db: sqlite3.Connection, status: str) -> None:
    latest = fill(db, 600)
    expected = [i for i in ids_newest_first(db) if latest[i] == status]
    assert expected, status
    assert listed_ids(db, EventFilter(status=status)) == expected


@pytest.mark.parametrize("status", ["failed", "waiting", "new"])
def test_rare_statuses_come_from_an_index_else_a_scan_with_the_same_answer(
        db: sqlite3.Connection, status: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(db, 600)
    quick = activity.open_listing(db, EventFilter(status=status, rule_id="r_shop"))
    assert quick.scan is None
    monkeypatch.setattr(activity, "RARE_LIMIT", 0)
    slow = activity.open_listing(db, EventFilter(status=status, rule_id="r_shop"))
    assert slow.scan is not None
    assert listed_ids(db, EventFilter(status=status, rule_id="r_shop")) == list(
        activity.rows(db, list(quick.seqs))[seq].id for seq in quick.seqs)


def test_the_failed_filter_reads_the_partial_index(db: sqlite3.Connection) -> None:
    plan = " ".join(str(row) for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM runs r WHERE r.status = 'failed'"))
    assert "runs_failed" in plan


def test_rule_filter(db: sqlite3.Connection) -> None:
    fill(db, 300)
    assert listed_ids(db, EventFilter(rule_id="r_form")) == ids_newest_first(
        db, "e.rule_id = ?", ("r_form",))


def test_search_finds_words_as_typed_json_escaped_and_form_encoded(
        db: sqlite3.Connection) -> None:
    typed = make_event("r1", json.dumps({"buyer": "王小明"}, ensure_ascii=False).encode())
    escaped = make_event("r1", json.dumps({"buyer": "王小明"}).encode())  # \u738b...
    form = make_event("r1", f"name={quote_plus('王小明')}".encode(),
                      "application/x-www-form-urlencoded")
    other = make_event("r1", b'{"buyer": "Alice"}')
    for event in (typed, escaped, form, other):
        records.insert_event(db, event)
    found = listed_ids(db, EventFilter(text="王小明"))
    assert found == [form.id, escaped.id, typed.id]
    assert listed_ids(db, EventFilter(text="ALICE")) == [other.id]  # ASCII ignores case


def test_search_takes_percent_and_underscore_literally(db: sqlite3.Connection) -> None:
    literal = make_event("r1", b'{"code": "50%_off"}')
    lookalike = make_event("r1", b'{"code": "50 xoff"}')
    records.insert_event(db, literal)
    records.insert_event(db, lookalike)
    assert listed_ids(db, EventFilter(text="50%_off")) == [literal.id]


def test_filters_combine(db: sqlite3.Connection) -> None:
    latest = fill(db, 600)
    bodies = dict(db.execute("SELECT id, body FROM events WHERE rule_id = 'r_shop'"))
    expected = [i for i in ids_newest_first(db) if i in bodies and latest[i] == "skipped"
                and b"#12" in bodies[i]]
    assert expected
    assert listed_ids(db, EventFilter("r_shop", "skipped", "#12")) == expected


def test_news_are_the_matching_events_after_the_top(db: sqlite3.Connection) -> None:
    fill(db, 50)
    listing = activity.open_listing(db, EventFilter(rule_id="r_form"))
    first = make_event("r_form", b"{}")
    second = make_event("r_shop", b"{}")
    third = make_event("r_form", b"{}")
    for event in (first, second, third):
        records.insert_event(db, event)
    seqs, top = activity.newer(db, EventFilter(rule_id="r_form"), listing.top)
    assert [activity.rows(db, seqs)[s].id for s in seqs] == [first.id, third.id]
    assert top == db.execute("SELECT MAX(seq) FROM events").fetchone()[0]
    assert activity.newer(db, EventFilter(rule_id="r_form"), top) == ([], top)


def test_rows_latest_statuses_matching_and_prefixes(db: sqlite3.Connection) -> None:
    waiting = make_event("r1", b"x" * 10_000)
    records.insert_event(db, waiting)
    records.save_run(db, make_run(waiting, "failed"))
    records.save_run(db, make_run(waiting, "waiting", reason="replay"))
    fresh = make_event("r1", b"", state="new")
    records.insert_event(db, fresh)
    seq_w, seq_f = activity.seq_of(db, waiting.id), activity.seq_of(db, fresh.id)
    assert seq_w is not None and seq_f is not None and activity.seq_of(db, "nope") is None
    found = activity.rows(db, [seq_w, seq_f])
    assert (found[seq_w].status, found[seq_w].size) == ("waiting", 10_000)
    assert (found[seq_f].status, found[seq_f].size) == ("new", 0)
    assert activity.latest_statuses(db, [waiting.id, fresh.id]) == {
        waiting.id: (seq_w, "waiting"), fresh.id: (seq_f, "new")}
    assert activity.matching(db, EventFilter(status="failed"), [seq_w, seq_f]) == set()
    assert activity.matching(db, EventFilter(status="new"), [seq_w, seq_f]) == {seq_f}
    assert len(activity.prefixes(db, [seq_w])[seq_w]) == activity.PREFIX_BYTES


def test_a_waiting_row_tells_when_its_latest_run_tries_again(db: sqlite3.Connection) -> None:
    # The latest run decides: a run that waited before a replay says nothing any more.
    waiting = make_event("r1", b"{}")
    records.insert_event(db, waiting)
    records.save_run(db, make_run(waiting, "waiting", next_try_ts=500.0))
    records.save_run(db, make_run(waiting, "waiting", reason="replay", next_try_ts=900.0))
    replayed = make_event("r1", b"{}")
    records.insert_event(db, replayed)
    records.save_run(db, make_run(replayed, "waiting", next_try_ts=700.0))
    records.save_run(db, make_run(replayed, "succeeded", reason="replay"))
    no_time = make_event("r1", b"{}")
    records.insert_event(db, no_time)
    records.save_run(db, make_run(no_time, "waiting"))
    seqs = {event.id: activity.seq_of(db, event.id) for event in (waiting, replayed, no_time)}
    found = activity.rows(db, [seq for seq in seqs.values() if seq is not None])
    assert {event_id: found[seq].next_try_ts for event_id, seq in seqs.items()
            if seq is not None} == {waiting.id: 900.0, replayed.id: None, no_time.id: None}
    assert activity.retry_times(db, [waiting.id, replayed.id, no_time.id, "nope"]) == {
        waiting.id: 900.0}


def test_a_query_past_its_time_limit_is_stopped(db: sqlite3.Connection) -> None:
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT COUNT(*) FROM n WHERE i > 0 LIMIT 1")
    with pytest.raises(activity.TooSlow), activity.time_limit(db, 0.02):
        db.execute(slow).fetchone()
    assert db.execute("SELECT 1").fetchone() == (1,)  # the handler is gone afterwards


def test_a_scan_always_gets_somewhere_even_with_no_time(db: sqlite3.Connection) -> None:
    fill(db, 300)
    scan = activity.EventScan(EventFilter(text="#10"), 10_000, 1)
    found: list[int] = []
    for _ in range(10_000):
        if scan.done:
            break
        found.extend(scan.step(db, budget=0.0))
    assert scan.done
    assert found == sorted(found, reverse=True)


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        EventFilter(status="exploded")


@settings(max_examples=60, deadline=None)
@given(start=st.integers(1, 40), size=st.integers(0, 40),
       ops=st.lists(st.tuples(st.sampled_from(["insert", "remove", "newer", "older"]),
                              st.integers(-10, 120)), max_size=40))
def test_seq_list_matches_a_plain_sorted_list(start: int, size: int,
                                              ops: list[tuple[str, int]]) -> None:
    listed = SeqList(range(start + size - 1, start - 1, -1))
    model = list(range(start + size - 1, start - 1, -1))
    for op, value in ops:
        if op == "insert" and value not in model:
            assert listed.position(value) == sorted([*model, value], reverse=True).index(value)
            listed.insert(value)
            model = sorted([*model, value], reverse=True)
        elif op == "remove":
            row = listed.remove(value)
            assert row == (model.index(value) if value in model else None)
            if value in model:
                model.remove(value)
        elif op == "newer":
            fresh = [v for v in range(max(model, default=0) + 1, max(model, default=0) + 3)]
            listed.add_newer(fresh)
            model = sorted([*model, *fresh], reverse=True)
        elif op == "older" and (not model or min(model) > -50):
            low = min(model, default=0)
            old = [low - 1, low - 3]
            listed.extend_older(old)
            model = [*model, *old]
        assert list(listed) == model
        assert len(listed) == len(model)
        for row, seq in enumerate(model):
            assert listed[row] == seq and listed.row_of(seq) == row


LONG_QUERY = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
              " SELECT COUNT(*) FROM (SELECT x FROM c LIMIT 1000000000)")  # minutes of work


def test_interrupt_after_stops_a_long_query_and_leaves_the_connection_usable(
        db: sqlite3.Connection) -> None:
    with pytest.raises(activity.TooSlow), activity.interrupt_after(db, 0.05):
        db.execute(LONG_QUERY).fetchone()
    assert db.execute("SELECT 1").fetchone() == (1,)


def test_a_late_interrupt_never_reaches_the_next_query(db: sqlite3.Connection) -> None:
    fill(db, 50)
    with activity.interrupt_after(db, 0.02):
        assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (50,)
    time.sleep(0.1)  # past the limit: the timer must have been called off
    assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (50,)


def test_a_count_too_slow_to_wait_for_shows_the_whole_range_unchecked(
        db: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(db, 300)
    db.execute("DELETE FROM events WHERE seq % 9 = 0 AND seq NOT IN "
               "(SELECT e.seq FROM events e JOIN runs r ON r.event_id = e.id)")
    counted = activity.open_listing(db, EventFilter())
    assert counted.checked and counted.scan is not None  # the count saw the holes

    def count_too_slow(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
        # What a cold disk does to COUNT(*) over a million events: 0.2-0.4 s, past the limit.
        raise activity.TooSlow
        yield

    monkeypatch.setattr(activity, "interrupt_after", contextmanager(count_too_slow))
    quick = activity.open_listing(db, EventFilter())
    low, high = db.execute("SELECT MIN(seq), MAX(seq) FROM events").fetchone()
    assert not quick.checked and quick.scan is None
    assert list(quick.seqs) == list(range(high, low - 1, -1))
    assert activity.open_listing(db, EventFilter(), count_limit=None).checked


def test_a_rules_sample_is_a_test_sample_not_an_event_waiting_to_run(
        db: sqlite3.Connection) -> None:
    """'Listen for a test event' keeps a delivery that never runs: it reads 'sample', and
    the 'Not run yet' filter (deliveries waiting to run) leaves it out."""
    fill(db, 40)
    sample = make_event("r_shop", b'{"name": "#9"}', state="sample")
    db.execute("BEGIN")
    records.write_rows(db, [records.event_row(sample)], [])
    db.execute("COMMIT")
    seq = activity.seq_of(db, sample.id)
    assert seq is not None
    assert activity.rows(db, [seq])[seq].status == "sample"
    assert activity.latest_statuses(db, [sample.id]) == {sample.id: (seq, "sample")}
    waiting = listed_ids(db, EventFilter(status="new"))
    assert waiting and sample.id not in waiting
    assert sample.id in listed_ids(db, EventFilter())
    # Run later anyway (a replay): its run decides, as for any event.
    db.execute("BEGIN")
    records.write_rows(db, [], [records.run_rows(make_run(sample, "succeeded"))])
    db.execute("COMMIT")
    assert activity.rows(db, [seq])[seq].status == "succeeded"
