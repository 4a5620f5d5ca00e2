"""'Stop retrying', and the fix an error offers, through the engine into events.db and back.

A run waiting to try a step again can be stopped: it ends failed, its step "stopped", and
a restart does not take it up again; whether it waited in this Bellhop or in one that was
stopped meanwhile. Real SQLite files throughout.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any, Literal

import aiohttp
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.cards import ActionType, Registry, StepConfig
from bellhop.core.errors import PermanentError, edit_card
from bellhop.core.events import EngineEvent, RunFinished, StepFinished
from bellhop.core.running.engine import Engine
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.storage import schema
from bellhop.core.storage.store import EventStore
from bellhop.service import Bellhop
from support.records import make_event, make_run, make_step

PATIENT = {"attempts": 5, "first_delay": 3600}  # the next try is an hour away


async def post(app: Bellhop, body: Any) -> str:
    assert app.engine is not None
    url = app.hook_url(app.engine.rules[0])
    async with aiohttp.ClientSession() as http, http.post(url, json=body) as answer:
        assert answer.status == 202
        return str((await answer.json())["event_id"])


async def until(check: Any, timeout: float = 10) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)
    await asyncio.wait_for(poll(), timeout)


def waiting_steps(seen: list[EngineEvent]) -> list[StepFinished]:
    return [e for e in seen if isinstance(e, StepFinished) and e.status == "waiting"]


async def test_a_waiting_run_stops_for_good_and_stays_stopped_after_a_restart(
        home: Path) -> None:
    probe = Probe()
    rule = make_rule([{"type": "probe", "fail_times": 9, "retry": PATIENT}, {"type": "probe"}])
    app = await start_app(home, [rule], probe)
    seen, finished = collect(app)
    try:
        event_id = await post(app, {"n": 1})
        await until(lambda: waiting_steps(seen))
        [waiting] = waiting_steps(seen)
        assert waiting.next_try_ts is not None and waiting.error is not None
        assert waiting.error.startswith("the probe is busy, try again Bellhop will try again in ")
        [stored] = await app.runs_of_event(event_id)
        assert stored.status == "waiting" and stored.next_try_ts == waiting.next_try_ts
        assert stored.steps[0].error == "the probe is busy, try again"  # the card's words

        assert app.engine is not None
        assert await app.engine.stop_retrying(waiting.run_id)
        [run] = await finished()
        assert run.status == "failed"
        assert run.error == "the probe is busy, try again You stopped the retries."
        [stored] = await app.runs_of_event(event_id)
        assert stored.status == "failed" and stored.next_try_ts is None
        assert [s.status for s in stored.steps] == ["stopped", "pending"]
        assert stored.steps[0].error == "the probe is busy, try again"  # the card's words
        assert stored.steps[0].attempts == 1 and probe.calls == []
        assert not await app.engine.stop_retrying(waiting.run_id)  # nothing waits any more
    finally:
        await app.stop()

    again = await start_app(home, [rule], probe)
    try:
        assert again.engine is not None
        assert await again.engine.resume() == 0
        await again.engine.wait_idle(5)
        [stored] = await again.runs_of_event(event_id)
        assert stored.status == "failed" and stored.steps[0].attempts == 1
        assert probe.failures == {(event_id, 1): 1}  # never tried again
    finally:
        await again.stop()


async def test_a_run_left_waiting_by_a_stopped_bellhop_can_be_stopped_after_the_restart(
        home: Path) -> None:
    probe = Probe()
    rule = make_rule([{"type": "probe", "fail_times": 9, "retry": PATIENT}])
    app = await start_app(home, [rule], probe)
    seen, _ = collect(app)
    event_id = await post(app, {"n": 2})
    await until(lambda: waiting_steps(seen))
    run_id = waiting_steps(seen)[0].run_id
    await app.stop()  # while the retry waits

    again = await start_app(home, [rule], probe)
    seen, finished = collect(again)
    try:
        assert again.engine is not None
        # The resumed run waits for the time its retry was due, in the new Bellhop.
        await until(lambda: run_id in again.engine.steps.waiting)  # type: ignore[union-attr]
        assert await again.engine.stop_retrying(run_id)
        [run] = await finished()
        assert run.status == "failed" and run.run_id == run_id
        assert [e.status for e in seen if isinstance(e, StepFinished)] == ["stopped"]
        [stored] = await again.runs_of_event(event_id)
        assert stored.steps[0].status == "stopped" and stored.steps[0].attempts == 1
    finally:
        await again.stop()

    third = await start_app(home, [rule], probe)
    try:
        assert third.engine is not None
        await third.engine.wait_idle(5)
        [stored] = await third.runs_of_event(event_id)
        assert stored.status == "failed" and probe.failures == {(event_id, 1): 1}
    finally:
        await third.stop()


async def test_a_waiting_run_no_task_holds_is_stopped_on_disk(home: Path, tmp_path: Path) -> None:
    """A run waiting on disk that no lane has started (the engine is paused) is stopped in
    the store: resuming then finds nothing to run."""
    store = EventStore(home / "events.db")
    await store.open()
    event = make_event({"n": 3})
    await store.append_event(event)
    run = make_run(event, "waiting", next_try_ts=4102444800.0, steps=[
        make_step(1, "probe", "waiting", attempts=2, error="the probe is busy")])
    await store.save_run(run)
    probe = Probe()
    async with aiohttp.ClientSession() as http:
        engine = Engine(store, Registry([probe.action()]),
                        Services(home=tmp_path, accounts=dict, http=http))
        seen: list[EngineEvent] = []
        engine.subscribe(seen.append)
        try:
            engine.pause_all()
            assert await engine.resume() == 1
            assert await engine.stop_retrying(run.id)
            stored = await store.get_run(run.id)
            assert stored is not None and stored.status == "failed"
            assert stored.error == "the probe is busy You stopped the retries."
            assert stored.steps[0].status == "stopped" and stored.finished_at
            assert [type(e).__name__ for e in seen][-2:] == ["StepFinished", "RunFinished"]
            await engine.resume_all()
            await engine.wait_idle(5)
            assert probe.calls == [] and probe.failures == {}
            assert (await store.unfinished()) == ([], [])
            # A stopped run can still be retried from its step, by the person.
            assert await engine.retry(run.id)
            assert await engine.stop_retrying("run_nope") is False
        finally:
            await engine.stop()
            await store.close()


# -- the fix of an error, stored with its step ---------------------------------------------------

class StrictConfig(StepConfig):
    type: Literal["strict"] = "strict"


async def strict(ctx: StepContext, config: StrictConfig) -> dict[str, Any]:
    raise PermanentError("The address is missing.", fix=edit_card("to"))


async def test_the_fix_of_an_error_is_stored_with_its_step_and_told(home: Path) -> None:
    from bellhop.core.running.rules import save_rules

    save_rules(home / "rules.json", [make_rule([{"type": "strict"}, {"type": "strict"}])])
    app = Bellhop(home, Registry([ActionType(type="strict", label="Strict", description="",
                                             icon="", config_model=StrictConfig, run=strict)]))
    await app.start("127.0.0.1", 0)
    seen: list[EngineEvent] = []
    app.subscribe(seen.append)
    try:
        event_id = await post(app, {})
        await until(lambda: any(isinstance(e, RunFinished) for e in seen))
        [told] = [e for e in seen if isinstance(e, StepFinished)]
        assert told.fix == ("edit_card", 1, "to")  # the card left its place to the engine
        [stored] = await app.runs_of_event(event_id)
        assert stored.steps[0].fix == ("edit_card", 1, "to")
        assert stored.steps[1].fix is None
        assert app.engine is not None and await app.engine.retry(stored.id)
        await app.engine.wait_idle(5)
        [stored] = await app.runs_of_event(event_id)
        assert stored.steps[0].fix == ("edit_card", 1, "to")  # failed again, told again
    finally:
        await app.stop()


def test_an_events_db_from_before_fixes_opens_with_its_steps(tmp_path: Path) -> None:
    """Version 5 (no fix column): the migration adds it and keeps every step run."""
    path = tmp_path / "events.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in schema.MIGRATIONS[:5]:
        for statement in migration.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("PRAGMA user_version = 5")
    conn.execute("INSERT INTO events (id, rule_id, received_at, received_ts, method, query,"
                 " headers, content_type, body, state) VALUES ('ev_1', 'r1', '2026-11-28', 1,"
                 " 'POST', '{}', '{}', 'application/json', x'7b7d', 'taken')")
    conn.execute("INSERT INTO runs (id, event_id, rule_id, reason, status, started_at, error)"
                 " VALUES ('run_1', 'ev_1', 'r1', 'new', 'failed', '2026-11-28', 'bad')")
    conn.execute("INSERT INTO step_runs (run_id, idx, type, label, status, attempts, error)"
                 " VALUES ('run_1', 1, 'send_email', 'Email the warehouse', 'failed', 3,"
                 " 'The mail server refused.')")
    conn.close()

    async def read() -> Any:
        store = EventStore(path)
        await store.open()
        try:
            return await store.get_run("run_1")
        finally:
            await store.close()

    run = asyncio.run(read())
    assert run is not None and run.status == "failed" and run.error == "bad"
    [step] = run.steps
    assert (step.label, step.status, step.attempts, step.error, step.fix) == (
        "Email the warehouse", "failed", 3, "The mail server refused.", None)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()
