"""Retry and replay asked from outside the window (core/running/redo.py): the engine's own
calls, then a wait for each run's outcome; on a real Bellhop with the filter and probe cards."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.running.redo import answer
from bellhop.service import Bellhop

PATIENT = {"attempts": 3, "first_delay": 3600}  # a passing problem: the next try is far off


async def post(app: Bellhop, body: object) -> str:
    assert app.engine is not None
    async with aiohttp.ClientSession() as http, http.post(
            app.hook_url(app.engine.rules[0]), json=body) as reply:
        assert reply.status == 202
        return str((await reply.json())["event_id"])


async def test_outcomes_come_back_as_each_run_ends_or_waits(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe", "fail_times": 1,
                                             "fail_kind": "permanent"}])], probe)
    __, finished = collect(app)
    try:
        assert app.engine is not None
        event_id = await post(app, {"n": 1})
        [failed] = await finished()
        assert failed.status == "failed"
        assert await answer(app.engine, {"command": "ping"}) == {"ok": True}
        assert (await answer(app.engine, {"command": "dance"}))["ok"] is False

        retried = await answer(app.engine, {"command": "retry", "ids": [event_id, "run_x"]})
        assert retried == {"ok": True, "paused": False, "results": [
            {"id": event_id, "run": failed.run_id, "event": event_id, "status": "succeeded",
             "problem": None},
            {"id": "run_x", "run": None, "event": None, "status": None, "problem": "unknown"}]}
        again = await answer(app.engine, {"command": "retry", "ids": [failed.run_id]})
        assert again["results"][0]["problem"] == "not_failed"
        assert again["results"][0]["status"] == "succeeded"

        app.save_rules([{**make_rule([{"type": "probe", "fail_times": 5, "retry": PATIENT}]),
                         "trigger": app.engine.rules[0].raw["trigger"]}])
        replayed = await answer(app.engine, {"command": "replay", "ids": [event_id]})
        [result] = replayed["results"]
        assert result["status"] == "waiting" and result["run"] != failed.run_id
        [stored] = [run for run in await app.runs_of_event(event_id) if run.id == result["run"]]
        assert stored.status == "waiting" and stored.next_try_ts is not None
        assert await app.engine.stop_retrying(result["run"])
    finally:
        await app.stop()


async def test_while_paused_the_runs_wait_for_resume(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe"}])], probe)
    __, finished = collect(app)
    try:
        assert app.engine is not None
        event_id = await post(app, {"n": 1})
        await finished()
        app.engine.pause_all()
        replayed = await asyncio.wait_for(
            answer(app.engine, {"command": "replay", "ids": [event_id]}), 10)
        assert replayed["paused"] is True
        assert replayed["results"][0]["status"] == "queued"
        assert len(probe.calls) == 1
        await app.engine.resume_all()
        await finished(2)
        assert len(probe.calls) == 2
    finally:
        await app.stop()
