"""The engine: each stored event runs through its rule's steps, recorded and retried.

It knows card types only through the registry handed to it, runs on one
asyncio loop, and publishes what happens to subscribers (the CLI's log lines,
the window's bridge). Runs start through the backlog (core/waiting.py): a rule
has at most `rule_concurrency` runs going; the rest waits, in memory up to a
bound and on disk beyond it, and a run is "running" only once it has started.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bellhop.core.events import (
    EngineEvent,
    EventReceived,
    Listener,
    PauseChanged,
    Rejections,
    RunFinished,
    RunStarted,
    StepFinished,
    local_now,
)
from bellhop.core.i18n import _
from bellhop.core.running import steps
from bellhop.core.running.payload import event_values
from bellhop.core.running.rules import LoadedRule
from bellhop.core.running.steps import (
    Outcome,
    PlannedStep,
    StepRunner,
    align_steps,
    make_plan,
    take_output,
)
from bellhop.core.running.waiting import (
    BUSY_SHARE,
    BUSY_SLICE,
    SLICE,
    ArrivalRate,
    Backlog,
    Begun,
    Work,
)
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.storage.records import EventRecord, RunRecord, StepRecord, new_id
from bellhop.core.storage.store import EventStore, StoreError

if TYPE_CHECKING:
    from bellhop.core.cards import Registry

log = logging.getLogger("bellhop.engine")


class Engine:
    """Runs events through rules; owns the run records and the retry timers."""

    def __init__(self, store: EventStore, registry: Registry, services: Services,
                 rule_concurrency: int = 4) -> None:
        self.store = store
        self.registry = registry
        self.services = services
        if services.publish is None:
            services.publish = self.publish
        self.steps = StepRunner(store, self._step_event)
        self._rules: dict[str, LoadedRule] = {}
        self._plans: dict[str, list[PlannedStep]] = {}
        self._by_token: dict[str, LoadedRule] = {}
        self._held: frozenset[str] = frozenset()  # tokens of rules that cannot be read now
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopped: set[str] = set()  # runs whose retries the person stopped while queued
        self._listeners: list[Listener] = []
        self.rejections: dict[str, Rejections] = {}
        self.paused = False
        self.capturing: set[str] = set()  # rules whose next delivery becomes their sample
        self._idle = asyncio.Event()
        self._idle.set()
        # Answered events and runs waiting for a slot of their rule (see `accept`).
        self._backlog = Backlog(rule_concurrency)
        # Each run's places at the destinations its steps write to, reserved when it
        # starts, so that the rule's rows land in the order its events arrived.
        self._places: dict[str, dict[int, tuple[str, int]]] = {}
        self._wake = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._stopping = False
        self.arrivals = ArrivalRate()
        self.busy: Callable[[], bool] = self.arrivals.busy  # a burst of deliveries coming in?
        self._busy = False

    # -- rules ---------------------------------------------------------------------------

    def set_rules(self, rules: list[LoadedRule]) -> None:
        """Use these rules from now on (runs already going keep the rule they started with)."""
        self._rules = {rule.id: rule for rule in rules}
        self._by_token = {rule.token: rule for rule in rules if rule.token}
        self._plans = {rule.id: make_plan(rule, self.registry) for rule in rules
                       if rule.available}
        # A file or tab no rule writes to any more is forgotten once nothing waits for it.
        self.services.destinations.forget_idle()

    def hold_tokens(self, tokens: set[str]) -> None:
        """Tokens named by a rules.json that cannot be read: they answer 503 (senders try
        again later), never 404, until the file is fixed. Tokens of rules in use run on."""
        self._held = frozenset(tokens - self._by_token.keys())

    def is_held(self, token: str) -> bool:
        """True for a token whose rule cannot be read now (see `hold_tokens`)."""
        return token in self._held

    @property
    def rules(self) -> list[LoadedRule]:
        """The rules in use, in file order."""
        return list(self._rules.values())

    def rule(self, rule_id: str) -> LoadedRule | None:
        """The rule with this id."""
        return self._rules.get(rule_id)

    def route(self, token: str) -> LoadedRule | None:
        """The enabled rule listening on `token` (or any rule waiting for a sample)."""
        rule = self._by_token.get(token)
        if rule is None:
            return None
        return rule if rule.enabled or rule.id in self.capturing else None

    def rule_of_token(self, token: str) -> LoadedRule | None:
        """The rule with this address, on or off (to say why a delivery was turned away)."""
        return self._by_token.get(token)

    def capture_next(self, rule_id: str) -> None:
        """Keep the rule's next delivery as a sample, without running anything (also while
        the rule is off or unfinished): 'Listen for a test event'."""
        self.capturing.add(rule_id)

    def stop_capture(self, rule_id: str) -> None:
        """Stop waiting for a sample."""
        self.capturing.discard(rule_id)

    # -- events to listeners ----------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` on the engine loop for every engine event."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def publish(self, event: EngineEvent) -> None:
        """Tell every listener; a failing listener never stops the engine."""
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("listener failed on %s", type(event).__name__)

    def note_rejected(self, rule: LoadedRule, reason: str) -> None:
        """Count a delivery refused for its signature, so the window can ask about the secret.

        The receiver records every refusal and tells listeners (`DeliveryRejected`) once
        it is on disk (core/inbox/refusals.py)."""
        seen = self.rejections.setdefault(rule.id, Rejections())
        seen.count += 1
        seen.last_reason, seen.last_at = reason, time.time()

    def _step_event(self, run: RunRecord, step: StepRecord) -> None:
        error, next_try = step.error, None
        if step.status == "waiting" and run.next_try_ts:
            next_try = run.next_try_ts
            error = " ".join(filter(None, [error, steps.retry_words(next_try - time.time())]))
        self.publish(StepFinished(
            run_id=run.id, event_id=run.event_id, rule_id=run.rule_id, index=step.idx,
            label=step.label, status=step.status, attempts=step.attempts, error=error,
            fix=step.fix, next_try_ts=next_try))

    # -- fresh events -------------------------------------------------------------------------

    def pause_all(self) -> None:
        """Keep taking deliveries (they are stored) but run nothing until `resume_all`."""
        self.paused = True
        self.publish(PauseChanged(paused=True))

    async def resume_all(self) -> int:
        """Run everything that arrived while paused; how many runs were started."""
        self.paused = False
        self.publish(PauseChanged(paused=False))
        started = await self.resume()
        if self._backlog:  # retried or replayed while paused: queued here, not on disk
            self._kick()
        return started

    async def test_run(self, rule: LoadedRule, event: EventRecord, body: Any) -> RunRecord:
        """Run a rule's steps on a sample, for real, without storing anything: 'Run test'."""
        run = self._new_run(event, "test")
        began = time.monotonic()
        if not rule.available:
            self._close(run, "failed", began, " ".join(rule.problems))
            return run
        plan = make_plan(rule, self.registry)
        align_steps(run, plan)
        values = event_values(event, rule.name, body)
        values["steps"] = {}
        status, error = await self._run_steps(rule, event, run, plan, values, store=False)
        self._close(run, status, began, error)
        return run

    def begin(self, rule: LoadedRule, event: EventRecord, body: Any) -> Begun:
        """Start a fresh event's run; instant steps (filters) run at once, in this call.

        A run that ends here (a filter said no) is stored with other such runs in one
        write and needs no task of its own.
        """
        run = self._new_run(event, "new")
        begun = Begun(run, rule, time.monotonic())
        plan = self._plans[rule.id]
        align_steps(run, plan)
        values = event_values(event, rule.name, body)
        values["steps"] = {}
        for planned, step in zip(plan, run.steps, strict=True):
            if planned.action.evaluate is None:
                return begun  # the errands run in the background
            context = StepContext(self.services, values, rule.name, event.id, step.idx,
                                  step.label)
            outcome = self.steps.evaluate(run, step, planned, context)
            if outcome is Outcome.LATER:
                return begun
            if outcome is Outcome.FAILED:
                self._close(run, "failed", begun.began, step.error)
                return begun
            take_output(values, planned, step.output)
            if outcome is Outcome.STOP:
                steps.skip_after(run, step)
                self._close(run, "skipped", begun.began, None)
                return begun
        self._close(run, "succeeded", begun.began, None)
        return begun

    def accept(self, event: EventRecord, body: Any = None) -> None:
        """An answered event is on disk: tell listeners, and run it soon.

        The receiver calls this right after the event's commit; the runs start in
        the worker task, never on the answer's path.
        """
        self.publish(EventReceived(event_id=event.id, rule_id=event.rule_id))
        self.arrivals.count += 1
        if self.paused:
            return  # kept on disk as new; `resume_all` runs it
        self._backlog.add(event, body)
        self._kick()

    def _kick(self) -> None:
        if self._stopping:
            return
        self._idle.clear()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._work())
        self._wake.set()

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        backlog = self._backlog
        while True:
            began = loop.time()
            limit = BUSY_SLICE if self._busy else SLICE
            finished: list[Begun] = []
            moved = False
            if not self.paused:
                for lane in backlog.ready():
                    if not lane.queue:  # its next page waits on disk
                        try:
                            await backlog.read_back(lane, self.store)
                        except StoreError as exc:
                            log.error("could not read waiting events: %s", exc)
                            await asyncio.sleep(1.0)
                        moved = True
                    while lane.queue and lane.running < backlog.slots:
                        begun = self._dispatch(backlog.take(lane))
                        moved = True
                        if begun is not None:
                            finished.append(begun)
                        if loop.time() - began >= limit:
                            break
                    if loop.time() - began >= limit:
                        break
            if finished:
                self._spawn(self._record(finished))
            if not moved:
                self._wake.clear()
                self._check_idle()
                await self._wake.wait()
                continue
            spent = loop.time() - began
            await asyncio.sleep(0)  # deliveries that came in meanwhile start now...
            self._busy = self.busy()
            if self._busy:  # ...and during a burst of them, the errands wait their turn
                await asyncio.sleep(spent * (1 / BUSY_SHARE - 1))

    def _dispatch(self, work: Work) -> Begun | None:
        """Start one piece of work in its slot: a finished run to record, or None (a task
        goes on and frees the slot when it ends)."""
        if work.run is not None:  # a run to go on with: resumed, retried or replayed
            self._spawn(self._go_on(work.run, work.event))
            return None
        event, body = work.event, work.body
        assert event is not None
        rule = self._rules.get(event.rule_id)
        if rule is not None and rule.available and rule.id in self._plans:
            begun = self.begin(rule, event, body)
            if begun.run.finished:
                self._backlog.free(event.rule_id)  # claimed until `_record` stored it
                return begun
            run, began = begun.run, begun.began
        else:
            run, began = self._new_run(event, "new"), time.monotonic()
        self._reserve_places(run)
        self._backlog.claim(run.id)
        self._spawn(self._start_claimed(event, run, body, began))
        return None

    def _reserve_places(self, run: RunRecord) -> None:
        places = {planned.index: (planned.destination,
                                  self.services.destinations.get(planned.destination).reserve())
                  for planned in self._plans.get(run.rule_id, ())
                  if planned.destination is not None}
        if places:
            self._places[run.id] = places

    def _release_places(self, run_id: str) -> None:
        for name, ticket in self._places.pop(run_id, {}).values():
            self.services.destinations.get(name).release(ticket)

    async def _start_claimed(self, event: EventRecord, run: RunRecord, body: Any,
                             began: float) -> None:
        try:
            await self._start(event, run, body, began)
        finally:
            self._release_places(run.id)
            self._slot_done(run.rule_id, event.id, run.id)

    async def _go_on(self, run: RunRecord, event: EventRecord | None) -> None:
        try:
            if event is None:
                event = await self.store.get_event(run.event_id)
            if run.id in self._stopped:  # 'Stop retrying' while it waited in the lane
                self._stopped.discard(run.id)
                return
            if event is None:
                await self._finish(run, "failed", time.monotonic(), _(
                    "The event of this run is no longer stored."), self._rules.get(run.rule_id))
                return
            await self._start(event, run, None)
        finally:
            self._slot_done(run.rule_id, run.id)

    def _slot_done(self, rule_id: str, *keys: str) -> None:
        self._backlog.free(rule_id)
        self._backlog.release(*keys)
        self._kick()  # the lane may start its next run

    async def _record(self, finished: list[Begun]) -> None:
        """Store runs that ended at once, in one write, then tell listeners."""
        try:
            await self.store.save_runs([begun.run for begun in finished])
        except StoreError as exc:
            log.error("could not record runs: %s", exc)
            for begun in finished:  # still new on disk: they are read back and run again
                self._backlog.release(begun.run.event_id)
            self._backlog.spill_all()
            await asyncio.sleep(1.0)
            self._kick()
            return
        for begun in finished:
            self._backlog.release(begun.run.event_id)
            run = begun.run
            self.publish(RunStarted(run_id=run.id, event_id=run.event_id,
                                    rule_id=run.rule_id))
            for step in run.steps:
                if step.status in ("succeeded", "failed"):
                    self._step_event(run, step)
            self._finished_event(run, begun.rule)

    # -- stored events --------------------------------------------------------------------

    async def replay(self, event_id: str) -> str | None:
        """Run a stored event again against the current rule; the new run's id."""
        event = await self.store.get_event(event_id)
        if event is None:
            return None
        run = self._new_run(event, "replay")
        self._backlog.add_run(run, event)
        self._kick()
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
            if step.status in ("failed", "skipped", "pending", "waiting", "stopped"):
                step.status, step.error, step.fix, step.warnings = "pending", None, None, []
        self._stopped.discard(run.id)
        self._backlog.add_run(run, event)
        self._kick()
        return True

    async def stop_retrying(self, run_id: str) -> bool:
        """'Stop retrying': a run waiting to try a step again ends now, failed, its step
        "stopped"; it is stored so, and a restart does not take it up again. False when the
        run is not waiting (it finished, or a try is going on right now)."""
        if self.steps.stop_waiting(run_id):
            return True  # its task ends the run and records it
        run = await self.store.get_run(run_id)
        if self.steps.stop_waiting(run_id):
            return True  # it started waiting while the store was read
        if run is None or run.status != "waiting":
            return False
        # Nobody waits on it here: it is on disk since a restart, or queued in its lane,
        # where `_go_on` will now leave it alone.
        self._stopped.add(run_id)
        step = next((s for s in run.steps if s.status == "waiting"), None)
        if step is not None:
            steps.stop_step(step)
        run.status, run.next_try_ts = "failed", None
        run.error = steps.run_error(step) if step is not None else None
        run.finished_at, __ = local_now()
        await self.store.save_run(run)
        if step is not None:
            self._step_event(run, step)
        self._finished_event(run, self._rules.get(run.rule_id))
        return True

    async def resume(self) -> int:
        """Finish what a previous stop left: events never started and runs never finished.

        Nothing is read into memory here: each rule's lane reads its backlog back a
        page at a time as its runs go, so the receiver answers at once after a restart."""
        counts = await self.store.backlog_counts()
        for rule_id, (new, unfinished) in counts.items():
            lane = self._backlog.lane(rule_id)
            if unfinished:
                lane.runs_on_disk, lane.run_seq = True, 0
            if new:
                self._backlog.spill(lane)
                lane.disk_seq = 0
        if counts:
            self._kick()
        return sum(new + unfinished for new, unfinished in counts.values())

    def backlog(self) -> dict[str, tuple[int, int]]:
        """Per rule: runs going and work waiting in memory (the store counts the disk)."""
        return self._backlog.counts()

    # -- background runs ------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        self._idle.clear()
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._check_idle()
        if not task.cancelled() and task.exception() is not None:
            log.error("run crashed", exc_info=task.exception())

    def _check_idle(self) -> None:
        waiting = bool(self._backlog) and not self.paused
        if not self._tasks and not waiting and not self._wake.is_set():
            self._idle.set()

    async def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until no run is going (for tests and a clean stop)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    async def stop(self) -> None:
        """Stop every run where it is; unfinished ones resume at the next start."""
        self._stopping = True
        tasks = list(self._tasks)
        if self._worker is not None:
            tasks.append(self._worker)
            self._worker = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _new_run(self, event: EventRecord, reason: str) -> RunRecord:
        started, _ = local_now()
        return RunRecord(id=new_id("run"), event_id=event.id, rule_id=event.rule_id,
                         reason=reason, status="running", started_at=started)

    async def _start(self, event: EventRecord, run: RunRecord, body: Any,
                     began: float | None = None) -> None:
        rule = self._rules.get(event.rule_id)
        began = time.monotonic() if began is None else began
        self.publish(RunStarted(run_id=run.id, event_id=event.id, rule_id=event.rule_id))
        if rule is None or not rule.available:
            reason = (_("The rule for this event no longer exists.") if rule is None
                      else " ".join(rule.problems))
            await self._finish(run, "failed", began, reason, rule)
            return
        if run.next_try_ts:  # a retry that was waiting when Bellhop stopped
            waiting = next((s for s in run.steps if s.status == "waiting"), None)
            if not await self.steps.wait_to_retry(run, run.next_try_ts - time.time()):
                if waiting is not None:
                    steps.stop_step(waiting)
                    self._step_event(run, waiting)
                await self._finish(run, "failed", began,
                                   steps.run_error(waiting) if waiting else None, rule)
                return
        plan = self._plans[rule.id]
        align_steps(run, plan)
        values = event_values(event, rule.name, body)
        values["steps"] = {}
        status, error = await self._run_steps(rule, event, run, plan, values)
        await self._finish(run, status, began, error, rule)

    async def _run_steps(self, rule: LoadedRule, event: EventRecord, run: RunRecord,
                         plan: list[PlannedStep], values: dict[str, Any], *,
                         store: bool = True) -> tuple[str, str | None]:
        saved = not store  # a test run is never stored
        for planned, step in zip(plan, run.steps, strict=True):
            if step.status == "succeeded":
                take_output(values, planned, step.output)
                continue
            side_effects = planned.action.has_side_effects
            if side_effects and not saved:
                await self.store.save_run(run)  # from here on a crash resumes, not restarts
                saved = True
            place = self._places.get(run.id, {}).get(step.idx) if store else None
            context = StepContext(self.services, values, rule.name, event.id, step.idx,
                                  step.label, test_run=not store,
                                  place=place[1] if place is not None else None)
            # A test run tries once: the person is waiting for the answer.
            outcome = await self.steps.run(run, step, planned, context,
                                           attempts=None if store else 1)
            if outcome is Outcome.FAILED:
                return "failed", steps.run_error(step)
            take_output(values, planned, step.output)
            if side_effects and store:
                await self.store.save_run(run)
            if outcome is Outcome.STOP:
                steps.skip_after(run, step)
                return "skipped", None
        return "succeeded", None

    @staticmethod
    def _close(run: RunRecord, status: str, began: float, error: str | None) -> None:
        run.status, run.error = status, error
        run.finished_at, _ = local_now()
        run.duration_ms = (time.monotonic() - began) * 1000
        run.next_try_ts = None

    async def _finish(self, run: RunRecord, status: str, began: float, error: str | None,
                      rule: LoadedRule | None) -> None:
        self._close(run, status, began, error)
        await self.store.save_run(run)
        self._finished_event(run, rule)

    def _finished_event(self, run: RunRecord, rule: LoadedRule | None) -> None:
        self.publish(RunFinished(
            run_id=run.id, event_id=run.event_id, rule_id=run.rule_id,
            rule_name=rule.name if rule else run.rule_id, status=run.status, error=run.error,
            duration_ms=run.duration_ms, steps=tuple((s.label, s.status) for s in run.steps),
            warnings=tuple(run.warnings)))
