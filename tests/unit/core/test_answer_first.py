"""Answer first, run after: the receiver's one write, the engine's queue, bursts, Expect."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import pytest
from enginekit import Probe, make_rule, start_app

from bellhop.core.cards import Registry
from bellhop.core.running import waiting as waiting_module
from bellhop.core.running.rules import save_rules
from bellhop.core.storage import records
from bellhop.core.storage.store import EventStore
from bellhop.service import Bellhop
from support.records import make_event


async def runs_per_event(app: Bellhop) -> dict[str, int]:
    rows = await app.store.read(lambda conn: conn.execute(
        "SELECT e.id, COUNT(r.id) FROM events e LEFT JOIN runs r ON r.event_id = e.id"
        " GROUP BY e.id").fetchall())
    return dict(rows)


async def post_many(url: str, count: int) -> list[str]:
    async def one(http: aiohttp.ClientSession, n: int) -> str:
        async with http.post(url, json={"n": n}) as resp:
            assert resp.status == 202
            return (await resp.json())["event_id"]

    connector = aiohttp.TCPConnector(limit=32)
    async with aiohttp.ClientSession(connector=connector) as http:
        return list(await asyncio.gather(*(one(http, n) for n in range(count))))


async def test_the_answer_leaves_before_the_run_and_the_run_follows(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe", "text": "{{ body.n }}",
                                             "hold": 0.3}])], probe)
    try:
        assert app.engine is not None
        rule = app.engine.rules[0]
        [event_id] = await post_many(app.hook_url(rule), 1)
        # Answered while the step still holds: on disk, its run not finished.
        event = await app.store.get_event(event_id)
        assert event is not None and event.run_status in (None, "running")
        await app.engine.wait_idle(10)
        assert [c["text"] for c in probe.calls] == ["0"]
        assert await runs_per_event(app) == {event_id: 1}
    finally:
        await app.stop()


async def test_past_the_memory_queue_events_are_read_back_from_disk_and_run_once(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A small queue and pages: most of the burst waits on disk only. The card stores
    # nothing before it ends (no side effects) and holds a while, so events being run
    # are still "new" on disk when the pages are read back: they must not run twice.
    monkeypatch.setattr(waiting_module, "MAX_QUEUED", 5)
    monkeypatch.setattr(waiting_module, "PAGE", 7)
    probe = Probe()
    save_rules(home / "rules.json", [make_rule(
        [{"type": "probe", "text": "{{ body.n }}", "hold": 0.2}])])
    app = Bellhop(home, Registry([dataclasses.replace(probe.action(),
                                                      has_side_effects=False)]))
    await app.start("127.0.0.1", 0)
    try:
        assert app.engine is not None
        ids = await post_many(app.hook_url(app.engine.rules[0]), 120)
        await app.engine.wait_idle(30)
        assert sorted(int(c["text"]) for c in probe.calls) == list(range(120))
        assert await runs_per_event(app) == {event_id: 1 for event_id in ids}
    finally:
        await app.stop()


async def test_events_a_filter_turns_away_are_recorded_as_skipped_in_one_write(
        home: Path) -> None:
    rule = make_rule([{"type": "filter", "match": "all",
                       "conditions": [{"field": "body.n", "op": "gt", "value": 1000}]},
                      {"type": "probe"}])
    probe = Probe()
    app = await start_app(home, [rule], probe)
    try:
        assert app.engine is not None
        ids = await post_many(app.hook_url(app.engine.rules[0]), 40)
        await app.engine.wait_idle(10)
        statuses = await app.store.read(lambda conn: conn.execute(
            "SELECT status, COUNT(*) FROM runs GROUP BY status").fetchall())
        assert statuses == [("skipped", 40)]
        assert probe.calls == []
        for event_id in ids[:3]:
            [run] = await app.store.runs_of_event(event_id)
            assert [s.status for s in run.steps] == ["succeeded", "skipped"]
        waiting = await app.store.read(records.count_new_events)
        assert waiting == 0
    finally:
        await app.stop()


async def test_during_a_burst_the_engine_gives_way_but_never_stops(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe"}])], probe)
    try:
        assert app.engine is not None
        asked = 0

        def always_busy() -> bool:
            nonlocal asked
            asked += 1
            return True

        app.engine.busy = always_busy
        await post_many(app.hook_url(app.engine.rules[0]), 30)
        await app.engine.wait_idle(30)
        assert len(probe.calls) == 30 and asked > 0
    finally:
        await app.stop()


async def test_the_engine_calls_a_fast_stream_of_events_a_burst_and_leaves_the_gc_be(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More than BUSY_RATE fresh events a second is a burst, on a clock the test moves;
    a burst sets nothing process-wide (the collector keeps its pace)."""
    now = [0.0]
    monkeypatch.setattr(waiting_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    usual = gc.get_threshold()
    app = await start_app(home, [make_rule([{"type": "probe"}])], Probe())
    try:
        engine = app.engine
        assert engine is not None
        engine.arrivals.busy()  # start counting from now
        now[0] += 0.2
        assert engine.arrivals.busy() is False  # nothing came
        await post_many(app.hook_url(engine.rules[0]), 1)
        await engine.wait_idle(30)
        now[0] += 0.2
        assert engine.arrivals.busy() is False  # one delivery in 0.2 s is no burst
        engine.arrivals.count += 500  # 500 in 0.1 s
        now[0] += 0.1
        assert engine.arrivals.busy() is True and gc.get_threshold() == usual
        now[0] += 0.2
        assert engine.arrivals.busy() is False
    finally:
        await app.stop()
    assert gc.get_threshold() == usual


async def test_events_that_arrive_while_paused_run_once_after_resume(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe", "text": "{{ body.n }}"}])],
                          probe)
    try:
        assert app.engine is not None
        app.engine.pause_all()
        ids = await post_many(app.hook_url(app.engine.rules[0]), 12)
        await asyncio.sleep(0.1)
        assert probe.calls == []
        assert await app.store.read(records.count_new_events) == 12
        assert await app.engine.resume_all() == 12
        await app.engine.wait_idle(10)
        assert await runs_per_event(app) == {event_id: 1 for event_id in ids}
    finally:
        await app.stop()


async def raw_exchange(port: int, head: str, body: bytes | None) -> tuple[bytes, bytes]:
    """Send the head, read the first answer line; then send the body and read the rest."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode())
        await writer.drain()
        first = await asyncio.wait_for(reader.readline(), 5)
        rest = b""
        if body is not None:
            await asyncio.wait_for(reader.readline(), 5)  # the blank line after 100
            writer.write(body)
            await writer.drain()
            rest = await asyncio.wait_for(reader.readline(), 5)
        return first, rest
    finally:
        writer.close()


async def test_expect_100_continue_gets_the_go_ahead_then_the_delivery_is_taken(
        home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe", "text": "{{ body.n }}"}])],
                          probe)
    try:
        assert app.receiver is not None and app.engine is not None
        body = b'{"n": 7}'
        head = (f"POST /hooks/{app.engine.rules[0].token} HTTP/1.1\r\nHost: x\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                "Expect: 100-continue\r\n\r\n")
        first, rest = await raw_exchange(app.receiver.port or 0, head, body)
        assert first.startswith(b"HTTP/1.1 100 ")
        assert b" 202 " in rest
        await app.engine.wait_idle(10)
        assert [c["text"] for c in probe.calls] == ["7"]
    finally:
        await app.stop()


async def test_an_expectation_other_than_100_continue_gets_417_and_nothing_is_stored(
        home: Path) -> None:
    app = await start_app(home, [make_rule([{"type": "probe"}])], Probe())
    try:
        assert app.receiver is not None and app.engine is not None
        head = (f"POST /hooks/{app.engine.rules[0].token} HTTP/1.1\r\nHost: x\r\n"
                "Content-Length: 2\r\nExpect: tea\r\n\r\n")
        first, _ = await raw_exchange(app.receiver.port or 0, head, None)
        assert b" 417 " in first
        assert await app.store.read(records.count_events) == 0
    finally:
        await app.stop()


async def test_a_too_large_body_is_refused_before_the_go_ahead(home: Path) -> None:
    app = await start_app(home, [make_rule([{"type": "probe"}])], Probe())
    try:
        assert app.receiver is not None and app.engine is not None
        head = (f"POST /hooks/{app.engine.rules[0].token} HTTP/1.1\r\nHost: x\r\n"
                "Content-Length: 50000000\r\nExpect: 100-continue\r\n\r\n")
        first, _ = await raw_exchange(app.receiver.port or 0, head, None)
        assert b" 413 " in first
    finally:
        await app.stop()


async def test_a_batch_larger_than_one_statement_is_stored_whole(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.db")
    await store.open()
    try:
        events = [make_event(f"body {i}".encode(), "r", query={"i": str(i)},
                             content_type="text/plain") for i in range(150)]
        await store.write(lambda conn: records.write_rows(
            conn, [records.event_row(e) for e in events], []))
        page = await store.new_events(0, 200)
        assert [e.body for e in page] == [f"body {i}".encode() for i in range(150)]
        second = await store.new_events(page[99].seq or 0, 200)
        assert [e.query["i"] for e in second] == [str(i) for i in range(100, 150)]
    finally:
        await store.close()
