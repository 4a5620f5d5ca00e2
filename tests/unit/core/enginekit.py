"""A running Bellhop on a free port with test-only card types, for engine and receiver tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from bellhop.actions import filter as filter_card
from bellhop.core.cards import ActionType, Registry, StepConfig
from bellhop.core.errors import PermanentError, TransientError
from bellhop.core.events import DeliveryRejected, EngineEvent, RunFinished
from bellhop.core.running.rules import new_token, save_rules
from bellhop.core.stepcontext import StepContext
from bellhop.service import Bellhop


class ProbeConfig(StepConfig):
    """A test card: records what it saw, fails as told."""

    type: Literal["probe"] = "probe"
    text: str = "{{ body }}"
    fail_times: int = 0
    fail_kind: Literal["transient", "permanent", "crash"] = "transient"
    hold: float = 0.0


class Probe:
    """Remembers every call of the probe card, across runs."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.failures: dict[tuple[str, int], int] = {}
        self.running = 0
        self.most_running = 0

    async def run(self, ctx: StepContext, config: ProbeConfig) -> dict[str, Any]:
        key = (ctx.event_id, ctx.step_index)
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            if config.hold:
                await asyncio.sleep(config.hold)
            done = self.failures.get(key, 0)
            if done < config.fail_times:
                self.failures[key] = done + 1
                if config.fail_kind == "transient":
                    raise TransientError("the probe is busy, try again")
                if config.fail_kind == "permanent":
                    raise PermanentError("the probe refuses")
                raise ZeroDivisionError("probe bug")
            text = ctx.render(config.text, "Text")
            self.calls.append({"event_id": ctx.event_id, "step": ctx.step_index, "text": text})
            return {"text": text}
        finally:
            self.running -= 1

    def action(self) -> ActionType:
        return ActionType(type="probe", label="Probe", description="test", icon="probe",
                          config_model=ProbeConfig, run=self.run)


def make_rule(steps: list[dict[str, Any]], **trigger: Any) -> dict[str, Any]:
    """A rule dict with a fresh token."""
    return {"id": trigger.pop("rule_id", "r1"), "name": trigger.pop("name", "Test rule"),
            "enabled": trigger.pop("enabled", True),
            "trigger": {"type": "webhook", "token": new_token(), **trigger}, "steps": steps}


def token_of(app: Bellhop, rule_id: str = "r1") -> str:
    """The webhook token of one of the app's rules (make_rule's id by default)."""
    assert app.engine is not None
    return next(rule.token for rule in app.engine.rules if rule.id == rule_id)


async def start_app(home: Path, rules: list[dict[str, Any]], probe: Probe) -> Bellhop:
    """A started Bellhop on a free port with the filter and probe cards."""
    save_rules(home / "rules.json", rules)
    app = Bellhop(home, Registry([filter_card.ACTION, probe.action()]))
    await app.start("127.0.0.1", 0)
    return app


def collect(app: Bellhop) -> tuple[list[EngineEvent], Callable[..., Any]]:
    """Every engine event, and a waiter for the n-th RunFinished."""
    seen: list[EngineEvent] = []
    app.subscribe(seen.append)

    async def finished(n: int = 1, timeout: float = 10) -> list[RunFinished]:
        async def poll() -> list[RunFinished]:
            while True:
                done = [event for event in seen if isinstance(event, RunFinished)]
                if len(done) >= n:
                    return done
                await asyncio.sleep(0.01)
        return await asyncio.wait_for(poll(), timeout)

    return seen, finished


async def refused(seen: list[EngineEvent], n: int = 1,
                  timeout: float = 10) -> list[DeliveryRejected]:
    """The DeliveryRejected news in `seen`, once it tells of at least `n` refused requests
    (the receiver records them a moment after answering, then tells)."""
    async def poll() -> list[DeliveryRejected]:
        while True:
            news = [event for event in seen if isinstance(event, DeliveryRejected)]
            if sum(event.new for event in news) >= n:
                return news
            await asyncio.sleep(0.01)
    return await asyncio.wait_for(poll(), timeout)
