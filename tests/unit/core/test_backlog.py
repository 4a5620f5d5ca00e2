"""A slow destination holds its own rule's lane, never memory or other rules; a restart
with a backlog reads it back a page at a time while deliveries are answered.

The numbers are small here (the bounds are made small to match); bench/bench_backlog.py
measures 50,000 events waiting behind a 60-second step.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any, Literal

import aiohttp
import pytest
from enginekit import Probe, make_rule

from bellhop.core.cards import ActionType, Registry, StepConfig
from bellhop.core.platform import paths
from bellhop.core.platform.settings import Settings, save_settings
from bellhop.core.running import waiting as waiting_module
from bellhop.core.running.rules import save_rules
from bellhop.core.stepcontext import StepContext
from bellhop.service import Bellhop

SLOTS = 4  # rule_concurrency in these tests: small, so lanes fill quickly


class GateConfig(StepConfig):
    type: Literal["gate"] = "gate"


class Gate:
    """A card that records which event started, then waits until the test opens it."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.open = asyncio.Event()

    async def run(self, ctx: StepContext, config: GateConfig) -> dict[str, Any]:
        self.started.append(int(ctx.render("{{ body.n }}", "n")))
        await self.open.wait()
        return {"ok": True}

    def action(self) -> ActionType:
        return ActionType(type="gate", label="Gate", description="test", icon="probe",
                          config_model=GateConfig, run=self.run)


@pytest.fixture
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounds small enough that a few dozen events spill to disk and are read back."""
    monkeypatch.setattr(waiting_module, "MAX_QUEUED", 12)
    monkeypatch.setattr(waiting_module, "LANE_QUEUED", 8)
    monkeypatch.setattr(waiting_module, "PAGE", 5)


def on_disk(home: Path, sql: str, *args: Any) -> Any:
    """One value read with a separate read-only connection (what another program sees)."""
    conn = sqlite3.connect(f"file:{paths.events_db(home)}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchone()[0]
    finally:
        conn.close()


async def post_in_order(url: str, numbers: range) -> list[str]:
    """One delivery after the other (their arrival order is their number)."""
    ids = []
    async with aiohttp.ClientSession() as http:
        for n in numbers:
            async with http.post(url, json={"n": n}) as answer:
                assert answer.status == 202
                ids.append((await answer.json())["event_id"])
    return ids


async def until(check: Any, timeout: float = 20) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)
    await asyncio.wait_for(poll(), timeout)


async def start(home: Path, gate: Gate, probe: Probe) -> Bellhop:
    save_settings(paths.settings_file(home), Settings(rule_concurrency=SLOTS))
    app = Bellhop(home, Registry([gate.action(), probe.action()]))
    await app.start("127.0.0.1", 0)
    return app


async def test_a_slow_rule_keeps_its_backlog_on_disk_and_in_order(
        home: Path, small_bounds: None) -> None:
    save_rules(paths.rules_file(home), [
        make_rule([{"type": "gate"}], rule_id="slow", name="Slow"),
        make_rule([{"type": "probe", "text": "{{ body.n }}"}], rule_id="fast", name="Fast")])
    gate, probe = Gate(), Probe()
    app = await start(home, gate, probe)
    try:
        assert app.engine is not None
        slow, fast = app.engine.rules
        await post_in_order(app.hook_url(slow), range(60))
        await post_in_order(app.hook_url(fast), range(5))
        # The other rule is not held up by the slow one.
        await until(lambda: on_disk(home, "SELECT COUNT(*) FROM runs WHERE rule_id = 'fast'"
                                          " AND status = 'succeeded'") == 5)
        assert gate.started == [0, 1, 2, 3]
        # Only the runs that have started are "running"; the rest wait as answered events.
        assert on_disk(home, "SELECT COUNT(*) FROM runs WHERE status = 'running'") == SLOTS
        assert on_disk(home, "SELECT COUNT(*) FROM events WHERE state = 'new' AND rule_id = ?",
                       "slow") == 56
        going, queued = app.engine.backlog()["slow"]
        assert going == SLOTS and queued <= waiting_module.LANE_QUEUED

        gate.open.set()
        await app.engine.wait_idle(30)
        assert gate.started == list(range(60))  # started in arrival order, once each
        assert on_disk(home, "SELECT COUNT(*) FROM runs WHERE status = 'succeeded'") == 65
        assert on_disk(home, "SELECT COUNT(*) FROM events WHERE state = 'new'") == 0
        assert app.engine.backlog() == {}
    finally:
        await app.stop()


async def test_a_restart_reads_the_backlog_back_a_page_at_a_time(
        home: Path, small_bounds: None) -> None:
    save_rules(paths.rules_file(home), [make_rule([{"type": "gate"}], rule_id="slow")])
    gate = Gate()
    app = await start(home, gate, Probe())
    assert app.engine is not None
    url = app.hook_url(app.engine.rules[0])
    ids = await post_in_order(url, range(40))
    await until(lambda: len(gate.started) == SLOTS)
    await app.stop()  # as SIGTERM does: the four runs stop where they are
    # An earlier Bellhop started every run at once: 20 more runs left "running" on disk.
    conn = sqlite3.connect(paths.events_db(home))
    with conn:
        for event_id in ids[SLOTS:SLOTS + 20]:
            conn.execute("INSERT INTO runs (id, event_id, rule_id, reason, status, started_at)"
                         " VALUES (?, ?, 'slow', 'new', 'running', '2026-12-06T10:00:00')",
                         ("run_old" + event_id, event_id))
            conn.execute("UPDATE events SET state = 'taken' WHERE id = ?", (event_id,))
    conn.close()

    gate = Gate()
    app = await start(home, gate, Probe())
    try:
        assert app.engine is not None
        # A delivery is answered while the backlog still waits on disk.
        await post_in_order(app.hook_url(app.engine.rules[0]), range(40, 41))
        assert on_disk(home, "SELECT COUNT(*) FROM events WHERE state = 'new'") >= 16
        await until(lambda: len(gate.started) == SLOTS)
        await asyncio.sleep(0.1)
        assert len(gate.started) == SLOTS  # not 24: the rest waits for a free slot
        assert len(app.engine._backlog.claimed) <= 2 * SLOTS + waiting_module.PAGE
        assert sorted(gate.started) == [0, 1, 2, 3]  # the runs a stop left go on first

        gate.open.set()
        await app.engine.wait_idle(30)
        assert sorted(gate.started) == list(range(41))
        runs = on_disk(home, "SELECT COUNT(*) FROM runs")
        assert runs == 41  # one run per event: resumed, never started twice
        assert on_disk(home, "SELECT COUNT(*) FROM runs WHERE status != 'succeeded'") == 0
    finally:
        await app.stop()


async def test_retries_and_replays_wait_for_a_slot_too(home: Path) -> None:
    save_rules(paths.rules_file(home), [make_rule([{"type": "gate"}], rule_id="slow")])
    gate = Gate()
    app = await start(home, gate, Probe())
    try:
        assert app.engine is not None
        ids = await post_in_order(app.hook_url(app.engine.rules[0]), range(SLOTS))
        await until(lambda: len(gate.started) == SLOTS)
        replayed = [await app.engine.replay(event_id) for event_id in ids]
        assert all(replayed)
        await asyncio.sleep(0.1)
        assert len(gate.started) == SLOTS  # the replays wait behind the four going
        gate.open.set()
        await app.engine.wait_idle(30)
        assert sorted(gate.started) == sorted([0, 1, 2, 3] * 2)
    finally:
        await app.stop()
