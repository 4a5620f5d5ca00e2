"""The engine: each stored event runs through its rule's steps, recorded and retried.

It knows card types only through the registry handed to it, runs on one
asyncio loop, and publishes what happens to subscribers (the CLI's log lines,
the window's bridge).
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
from bellhop.core.payload import event_values, local_now
from bellhop.core.records import EventRecord, RunRecord, StepRecord, new_id
from bellhop.core.rules import LoadedRule
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.store import EventStore

if TYPE_CHECKING:
    from bellhop.actions.base import ActionType, StepConfig
    from bellhop.actions.registry import Registry

log = logging.getLogger("bellhop.engine")
Listener = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class PlannedStep:
    """One step of a rule, ready to run: its config, its card type, its label."""

    config: StepConfig
    action: ActionType
    label: str
    input: dict[str, Any]


class Engine:
    """Runs events through rules; owns the run records and the retry timers."""

    def __init__(self, store: EventStore, registry: Registry, services: Services,
                 rule_concurrency: int = 4) -> None:
        self.store = store
        self.registry = registry
        self.services = services
        self.rule_concurrency = rule_concurrency
        self._rules: dict[str, LoadedRule] = {}
        self._plans: dict[str, list[PlannedStep]] = {}
        self._by_token: dict[str, LoadedRule] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._listeners: list[Listener] = []
        self._idle = asyncio.Event()
        self._idle.set()

    # -- rules ---------------------------------------------------------------------------

    def set_rules(self, rules: list[LoadedRule]) -> None:
        """Use these rules from now on (runs already going keep the rule they started with)."""
        self._rules = {rule.id: rule for rule in rules}
        self._by_token = {rule.token: rule for rule in rules if rule.token}
        self._plans = {rule.id: self._plan(rule) for rule in rules if rule.available}

    def _plan(self, rule: LoadedRule) -> list[PlannedStep]:
        # Worked out once per rule, not once per event: labels, card types, recorded input.
        language = current_language()
        plan = []
        for config in rule.steps:
            action = self.registry.get(config.type)
            assert action is not None  # an available rule only has known card types
            plan.append(PlannedStep(
                config=config, action=action,
                label=config.name or action.label_for(language),
                input=config.model_dump(exclude={"type", "retry"}),
            ))
        return plan

    @property
    def rules(self) -> list[LoadedRule]:
        """The rules in use, in file order."""
        return list(self._rules.values())

    def rule(self, rule_id: str) -> LoadedRule | None:
        """The rule with this id."""
        return self._rules.get(rule_id)

    def route(self, token: str) -> LoadedRule | None:
        """The enabled rule listening on `token`, if any."""
        rule = self._by_token.get(token)
        return rule if rule is not None and rule.enabled else None

    # -- events to listeners ----------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(kind, data)` on the engine loop for every engine event."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def emit(self, kind: str, data: dict[str, Any]) -> None:
        """Tell every listener; a failing listener never stops the engine."""
        for listener in list(self._listeners):
            try:
                listener(kind, data)
            except Exception:
                log.exception("listener failed on %s", kind)

    # -- starting runs ----------------------------------------------------------------------

    def submit(self, event: EventRecord, body: Any = None) -> None:
        """Run a freshly stored event through its rule (in the background)."""
        self.emit("event_received", {"event_id": event.id, "rule_id": event.rule_id})
        self._spawn(self._run_new(event, "new", body))

    async def replay(self, event_id: str) -> str | None:
        """Run a stored event again against the current rule; the new run's id."""
        event = await self.store.get_event(event_id)
        if event is None:
            return None
        run = self._new_run(event, "replay")
        self._spawn(self._start(event, run, None))
        return run.id

    async def retry(self, run_id: str) -> bool:
        """Try a failed run again from its failed step (earlier steps keep their results)."""
        run = await self.store.get_run(run_id)
        if run is None or run.status != "failed":
            return False
        event = await self.store.get_event(run.event_id)
        if event is None:
            return False
        run.status, run.error, run.finished_at = "running", None, None
        for step in run.steps:
            if step.status in ("failed", "skipped", "pending", "waiting"):
                step.status, step.error = "pending", None
        self._spawn(self._start(event, run, None))
        return True

    async def resume(self) -> int:
        """Finish what a previous stop left: events never started and runs never finished."""
        new, unfinished = await self.store.unfinished()
        for run in unfinished:
            event = await self.store.get_event(run.event_id)
            if event is not None:
                self._spawn(self._start(event, run, None))
        for event in new:
            self._spawn(self._run_new(event, "new", None))
        return len(new) + len(unfinished)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        self._idle.clear()
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("run crashed", exc_info=task.exception())

    async def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until no run is going (for tests and a clean stop)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    async def stop(self) -> None:
        """Stop every run where it is; unfinished ones resume at the next start."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _new_run(self, event: EventRecord, reason: str) -> RunRecord:
        started, _ = local_now()
        return RunRecord(id=new_id("run"), event_id=event.id, rule_id=event.rule_id,
                         reason=reason, status="running", started_at=started)

    async def _run_new(self, event: EventRecord, reason: str, body: Any) -> None:
        await self._start(event, self._new_run(event, reason), body)

    # -- running ----------------------------------------------------------------------------

    async def _start(self, event: EventRecord, run: RunRecord, body: Any) -> None:
        rule = self._rules.get(event.rule_id)
        began = time.monotonic()
        self.emit("run_started", {"run_id": run.id, "event_id": event.id,
                                  "rule_id": event.rule_id})
        if rule is None or not rule.available:
            reason = (tr("The rule for this event no longer exists.") if rule is None
                      else " ".join(rule.problems))
            await self._finish(run, "failed", began, reason, rule)
            return
        if run.next_try_ts:  # a retry that was waiting when Bellhop stopped
            await asyncio.sleep(max(0.0, run.next_try_ts - time.time()))
        plan = self._plans[rule.id]
        self._align_steps(run, plan)
        values = event_values(event, rule.name, body)
        values["steps"] = {}
        status, error = await self._run_steps(rule, event, run, plan, values)
        await self._finish(run, status, began, error, rule)

    @staticmethod
    def _align_steps(run: RunRecord, plan: list[PlannedStep]) -> None:
        # A resumed run keeps the results of steps that still match the rule's steps.
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

    async def _run_steps(self, rule: LoadedRule, event: EventRecord, run: RunRecord,
                         plan: list[PlannedStep], values: dict[str, Any]
                         ) -> tuple[str, str | None]:
        saved = False
        for planned, step in zip(plan, run.steps, strict=True):
            if step.status == "succeeded":
                values["steps"][str(step.idx)] = step.output
                continue
            side_effects = planned.action.has_side_effects
            if side_effects and not saved:
                await self.store.save_run(run)  # from here on a crash resumes, not restarts
                saved = True
            context = StepContext(self.services, values, rule.name, event.id, step.idx,
                                  step.label)
            if not await self._run_step(run, step, planned, context):
                return "failed", step.error
            values["steps"][str(step.idx)] = step.output
            if side_effects:
                await self.store.save_run(run)
            if isinstance(step.output, dict) and step.output.get("matched") is False:
                for later in run.steps[step.idx:]:
                    later.status = "skipped"
                return "skipped", None
        return "succeeded", None

    async def _run_step(self, run: RunRecord, step: StepRecord, planned: PlannedStep,
                        context: StepContext) -> bool:
        step.input = planned.input
        config, run_fn = planned.config, planned.action.run
        policy = config.retry
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
                if not exc.transient or tries >= policy.attempts:
                    step.status = "failed"
                    self._step_event(run, step)
                    return False
                delay = self._backoff(policy.first_delay, tries, exc.retry_after)
                step.status, run.status = "waiting", "waiting"
                run.next_try_ts = time.time() + delay
                await self.store.save_run(run)
                self._step_event(run, step)
                await asyncio.sleep(delay)
                run.status, run.next_try_ts = "running", None
                continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug in a card must not take the engine down
                log.exception("step %s of run %s crashed", step.idx, run.id)
                step.duration_ms = (time.monotonic() - began) * 1000
                step.status = "failed"
                step.error = tr("Something unexpected went wrong in this step ({kind}: {detail})."
                                " Please report it.", kind=type(exc).__name__, detail=exc)
                self._step_event(run, step)
                return False
            step.duration_ms = (time.monotonic() - began) * 1000
            step.status, step.output, step.error = "succeeded", output, None
            self._step_event(run, step)
            return True

    @staticmethod
    def _backoff(first_delay: float, tries: int, retry_after: float | None) -> float:
        delay = first_delay * (2 ** (tries - 1)) * random.uniform(0.8, 1.2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, 3600.0))
        return delay

    def _slot(self, rule_id: str) -> asyncio.Semaphore:
        slot = self._slots.get(rule_id)
        if slot is None:
            slot = self._slots[rule_id] = asyncio.Semaphore(self.rule_concurrency)
        return slot

    def _step_event(self, run: RunRecord, step: StepRecord) -> None:
        self.emit("step_finished", {
            "run_id": run.id, "event_id": run.event_id, "rule_id": run.rule_id,
            "index": step.idx, "label": step.label, "status": step.status,
            "attempts": step.attempts, "error": step.error,
        })

    async def _finish(self, run: RunRecord, status: str, began: float, error: str | None,
                      rule: LoadedRule | None) -> None:
        run.status, run.error = status, error
        run.finished_at, _ = local_now()
        run.duration_ms = (time.monotonic() - began) * 1000
        run.next_try_ts = None
        await self.store.save_run(run)
        self.emit("run_finished", {
            "run_id": run.id, "event_id": run.event_id, "rule_id": run.rule_id,
            "rule_name": rule.name if rule else run.rule_id, "status": status,
            "error": error, "duration_ms": run.duration_ms,
            "steps": [(s.label, s.status) for s in run.steps],
        })
