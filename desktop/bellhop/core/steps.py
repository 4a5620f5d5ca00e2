"""Running one step: the rule's plan, attempts with backoff, and plain errors for bugs.

The engine decides which runs happen; this module decides how a single step
is tried, retried, timed and recorded.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bellhop.core.errors import StepError
from bellhop.core.i18n import current_language, tr
from bellhop.core.payload import local_now
from bellhop.core.records import RunRecord, StepRecord
from bellhop.core.rules import LoadedRule
from bellhop.core.stepcontext import StepContext

if TYPE_CHECKING:
    from bellhop.actions.base import ActionType, StepConfig
    from bellhop.actions.registry import Registry
    from bellhop.core.store import EventStore

log = logging.getLogger("bellhop.engine")
StepListener = Callable[[RunRecord, StepRecord], None]


@dataclass(frozen=True)
class PlannedStep:
    """One step of a rule, ready to run: its config, its card type, its label, its input."""

    config: StepConfig
    action: ActionType
    label: str
    input: dict[str, Any]


def make_plan(rule: LoadedRule, registry: Registry) -> list[PlannedStep]:
    """The steps of an available rule, worked out once per rule rather than once per event."""
    language = current_language()
    plan = []
    for config in rule.steps:
        action = registry.get(config.type)
        assert action is not None  # an available rule only has known card types
        plan.append(PlannedStep(config=config, action=action,
                                label=config.name or action.label_for(language),
                                input=config.model_dump(exclude={"type", "retry"})))
    return plan


def align_steps(run: RunRecord, plan: list[PlannedStep]) -> None:
    """Give a run one record per planned step, keeping results of steps that still match."""
    fresh = []
    for idx, planned in enumerate(plan, start=1):
        old = run.steps[idx - 1] if idx - 1 < len(run.steps) else None
        if old is not None and old.type == planned.config.type:
            old.label = planned.label
            fresh.append(old)
        else:
            fresh.append(StepRecord(idx=idx, type=planned.config.type, label=planned.label,
                                    input=planned.input))
    run.steps = fresh


def backoff(first_delay: float, tries: int, retry_after: float | None) -> float:
    """Seconds to wait before try number `tries + 1`: doubling, with ±20 % jitter."""
    delay = first_delay * (2 ** (tries - 1)) * random.uniform(0.8, 1.2)
    if retry_after is not None:
        delay = max(delay, min(retry_after, 3600.0))
    return delay


def _wait(seconds: float) -> str:
    if seconds < 90:
        return tr("{n} seconds", n=max(1, round(seconds)))
    return tr("{n} minutes", n=round(seconds / 60))


def _bug_message(exc: Exception) -> str:
    return tr("Something unexpected went wrong in this step ({kind}: {detail}). Please "
              "report it.", kind=type(exc).__name__, detail=exc)


class StepRunner:
    """Tries steps: at once for instant cards, with retries and a per-rule limit for errands."""

    def __init__(self, store: EventStore, on_step: StepListener, rule_concurrency: int) -> None:
        self.store = store
        self.on_step = on_step
        self.rule_concurrency = rule_concurrency
        self._slots: dict[str, asyncio.Semaphore] = {}

    def _slot(self, rule_id: str) -> asyncio.Semaphore:
        slot = self._slots.get(rule_id)
        if slot is None:
            slot = self._slots[rule_id] = asyncio.Semaphore(self.rule_concurrency)
        return slot

    def evaluate(self, run: RunRecord, step: StepRecord, planned: PlannedStep,
                 context: StepContext) -> bool | None:
        """Run an instant step now: True done, False failed, None leave it for later."""
        assert planned.action.evaluate is not None
        step.attempts += 1
        step.started_at = run.started_at
        began = time.monotonic()
        try:
            output = planned.action.evaluate(context, planned.config)
        except StepError as exc:
            if exc.transient:  # not for now: the run goes on in the background and retries
                step.attempts -= 1
                return None
            step.status, step.error = "failed", exc.message
        except Exception as exc:  # a bug in a card must not reach the sender
            log.exception("instant step %s of run %s crashed", step.idx, run.id)
            step.status, step.error = "failed", _bug_message(exc)
        else:
            step.status, step.output = "succeeded", output
        step.duration_ms = (time.monotonic() - began) * 1000
        return step.status == "succeeded"

    async def run(self, run: RunRecord, step: StepRecord, planned: PlannedStep,
                  context: StepContext, *, attempts: int | None = None) -> bool:
        """Try a step until it succeeds, fails for good, or runs out of attempts."""
        config, run_fn = planned.config, planned.action.run
        policy = config.retry
        most = attempts or policy.attempts
        tries = 0
        while True:
            tries += 1
            step.attempts += 1
            step.status = "running"
            step.started_at, _ = local_now()
            began = time.monotonic()
            try:
                if planned.action.has_side_effects:
                    # The limit protects the services errands go to; a filter needs none.
                    async with self._slot(run.rule_id):
                        output = await run_fn(context, config)
                else:
                    output = await run_fn(context, config)
            except StepError as exc:
                step.duration_ms = (time.monotonic() - began) * 1000
                step.error = exc.message
                if not exc.transient or tries >= most:
                    if exc.transient and tries > 1:
                        step.error += " " + tr(
                            "Bellhop tried {n} times and stopped. Fix the problem, then press "
                            "Retry in Activity.", n=tries)
                    step.status = "failed"
                    self.on_step(run, step)
                    return False
                delay = backoff(policy.first_delay, tries, exc.retry_after)
                step.error += " " + tr("Bellhop will try again in {wait}.", wait=_wait(delay))
                step.status, run.status = "waiting", "waiting"
                run.next_try_ts = time.time() + delay
                await self.store.save_run(run)
                self.on_step(run, step)
                await asyncio.sleep(delay)
                run.status, run.next_try_ts = "running", None
                continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug in a card must not take the engine down
                log.exception("step %s of run %s crashed", step.idx, run.id)
                step.duration_ms = (time.monotonic() - began) * 1000
                step.status, step.error = "failed", _bug_message(exc)
                self.on_step(run, step)
                return False
            step.duration_ms = (time.monotonic() - began) * 1000
            step.status, step.output, step.error = "succeeded", output, None
            self.on_step(run, step)
            return True
