"""Retry and replay asked for from outside the window, waiting for what came of them.

`bellhop retry` and `bellhop replay` do what the Activity page's "Retry from the
failed step" and "Run again with the current rule" do, through the same engine
calls, and then wait until each run has ended or waits to try a step again. The
running Bellhop answers them over its control channel (core/platform/control.py);
with none running, the command starts the engine alone and asks it the same way.

Requests and answers are plain JSON: the words are the command's business.
  {"command": "retry", "ids": [run or event ids]}
  {"command": "retry_failed", "rule": rule id or null}
  {"command": "replay", "ids": [event ids]}
  → {"ok": true, "paused": bool, "results": [{"id", "run", "event", "status", "problem"}]}
`status` is how the run ended (succeeded, failed, skipped), "waiting" (to try a step
again later, by itself) or "queued" (Bellhop is paused); `problem` is "unknown" (no
such run or event) or "not_failed" (with the run's `status`) when nothing was started.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bellhop.core.events import EngineEvent, RunFinished, StepFinished
from bellhop.core.running.engine import Engine
from bellhop.core.storage import records
from bellhop.core.storage.lookup import latest_failed_runs, latest_run

Result = dict[str, Any]


class Outcomes:
    """How runs end from now on, as the engine tells it: finished, or waiting to retry."""

    def __init__(self, engine: Engine) -> None:
        self._ends: dict[str, asyncio.Future[str]] = {}
        self._unsubscribe = engine.subscribe(self._heard)

    def _future(self, run_id: str) -> asyncio.Future[str]:
        if run_id not in self._ends:
            self._ends[run_id] = asyncio.get_running_loop().create_future()
        return self._ends[run_id]

    def _heard(self, event: EngineEvent) -> None:
        match event:
            case RunFinished():
                self._end(event.run_id, event.status)
            case StepFinished(status="waiting"):
                self._end(event.run_id, "waiting")

    def _end(self, run_id: str, status: str) -> None:
        future = self._future(run_id)
        if not future.done():  # the first end counts: a waiting run goes on by itself
            future.set_result(status)

    async def wait(self, run_id: str) -> str:
        """How the run ended, once it has."""
        return await self._future(run_id)

    def close(self) -> None:
        """Stop listening."""
        self._unsubscribe()


async def answer(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Do what a command asked and wait for the runs it started; the JSON answer."""
    command = request.get("command")
    if command == "ping":
        return {"ok": True}
    ids = [str(item) for item in request.get("ids") or []]
    outcomes = Outcomes(engine)
    try:
        if command == "retry":
            results = [await _retry(engine, given) for given in ids]
        elif command == "retry_failed":
            rule = request.get("rule")
            found = await engine.store.read(
                lambda conn: latest_failed_runs(conn, str(rule) if rule else None))
            results = [await _retry(engine, run_id) for run_id in found]
        elif command == "replay":
            results = [await _replay(engine, given) for given in ids]
        else:
            return {"ok": False, "problem": "unknown_command"}
        for result in results:
            if result["problem"] is None:
                result["status"] = "queued" if engine.paused else await outcomes.wait(
                    result["run"])
    finally:
        outcomes.close()
    return {"ok": True, "paused": engine.paused, "results": results}


def _result(given: str, run: str | None = None, event: str | None = None,
            status: str | None = None, problem: str | None = None) -> Result:
    return {"id": given, "run": run, "event": event, "status": status, "problem": problem}


async def _retry(engine: Engine, given: str) -> Result:
    """Retry a run from its failed step; an event's id stands for its latest run."""
    def find(conn: Any) -> Any:
        return records.get_run(conn, given) or latest_run(conn, given)

    run = await engine.store.read(find)
    if run is None:
        return _result(given, problem="unknown")
    if run.status != "failed" or not await engine.retry(run.id):
        now = await engine.store.get_run(run.id)
        return _result(given, run.id, run.event_id, now.status if now else run.status,
                       problem="not_failed")
    return _result(given, run.id, run.event_id)


async def _replay(engine: Engine, given: str) -> Result:
    """A new run of a stored event with the rule as it is now."""
    run_id = await engine.replay(given)
    if run_id is None:
        return _result(given, problem="unknown")
    return _result(given, run_id, given)
