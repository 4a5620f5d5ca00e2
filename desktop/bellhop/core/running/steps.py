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
from enum import Enum
from typing import TYPE_CHECKING, Any

from bellhop.core.cards import Decision
from bellhop.core.errors import Fix, StepError
from bellhop.core.events import local_now
from bellhop.core.i18n import _, ngettext
from bellhop.core.running.missingfields import required_sentence, warnings_for
from bellhop.core.running.rules import LoadedRule
from bellhop.core.stepcontext import FieldRequired, StepContext
from bellhop.core.storage.records import RunRecord, StepRecord

if TYPE_CHECKING:
    from bellhop.core.cards import ActionType, Registry, StepConfig, StepResult
    from bellhop.core.storage.store import EventStore

log = logging.getLogger("bellhop.engine")
StepListener = Callable[[RunRecord, StepRecord], None]


class Outcome(Enum):
    """How a step's try ended, for the run it belongs to."""

    GO_ON = "go on"  # it succeeded: the next step runs
    STOP = "stop"  # it succeeded, and it was a condition that said no: the run is skipped
    FAILED = "failed"
    LATER = "later"  # an instant step that must be tried in the background after all


def _succeeded(step: StepRecord, result: StepResult, planned: PlannedStep,
               context: StepContext) -> Outcome:
    """Record a step's result: its output, the fields it left empty, whether the run goes on."""
    step.status, step.error, step.fix = "succeeded", None, None
    step.warnings = warnings_for(context.missing, context.values, planned.action.noun,
                                 planned.label) if context.missing else []
    if isinstance(result, Decision):
        step.output = result.output
        return Outcome.GO_ON if result.go_on else Outcome.STOP
    step.output = result
    return Outcome.GO_ON


@dataclass(frozen=True)
class PlannedStep:
    """One step of a rule, ready to run: its config, its card type, its label, its input."""

    config: StepConfig
    action: ActionType
    label: str
    input: dict[str, Any]
    index: int  # the step's number: 1, 2, … for the rule's cards, 0 for the trigger's own
    destination: str | None = None  # where it writes, in arrival order (ActionType.destination)


# A trigger option that needs a step of its own before the cards (run as step 0, recorded
# and retried like any step): the option's name in the trigger → the card type that does it.
TRIGGER_STEPS = {"surveycake": "surveycake_answers"}


def trigger_steps(rule: LoadedRule, registry: Registry) -> list[tuple[StepConfig, ActionType]]:
    """The step 0 a trigger option asks for (e.g. fetching SurveyCake's answers), if any."""
    trigger = rule.head.trigger if rule.head is not None else None
    found = []
    for option, type_name in TRIGGER_STEPS.items():
        settings = getattr(trigger, option, None)
        action = registry.get(type_name)
        if settings is not None and action is not None:
            config = action.config_model.model_validate({"type": type_name,
                                                         **settings.model_dump(exclude_none=True)})
            found.append((config, action))
    return found


def make_plan(rule: LoadedRule, registry: Registry) -> list[PlannedStep]:
    """The steps of an available rule, worked out once per rule rather than once per event."""
    plan = [PlannedStep(config=config, action=action, label=action.label_for(),
                        input=config.model_dump(exclude={"type", "retry"}), index=0)
            for config, action in trigger_steps(rule, registry)]
    for index, config in enumerate(rule.steps, start=1):
        action = registry.get(config.type)
        assert action is not None  # an available rule only has known card types
        plan.append(PlannedStep(config=config, action=action,
                                label=config.name or action.label_for(),
                                input=config.model_dump(exclude={"type", "retry"}),
                                index=index, destination=_destination(action, config)))
    return plan


def _destination(action: ActionType, config: StepConfig) -> str | None:
    """Where the step writes in arrival order; None when it names no place (or its card
    cannot tell: a rule must never fail to load because of it)."""
    if action.destination is None:
        return None
    try:
        return action.destination(config)
    except Exception:  # the step's own run says what is wrong with its settings
        log.exception("card %s could not name its destination", action.type)
        return None


def take_output(values: dict[str, Any], planned: PlannedStep, output: Any) -> None:
    """Make a finished step's output visible to later steps (`steps.<n>`; a trigger step's
    `body` output joins the event's body, e.g. SurveyCake's answers)."""
    values["steps"][str(planned.index)] = output
    if planned.index == 0 and isinstance(output, dict) and isinstance(output.get("body"), dict):
        body = values.get("body")
        values["body"] = {**body, **output["body"]} if isinstance(body, dict) else \
            dict(output["body"])


def align_steps(run: RunRecord, plan: list[PlannedStep]) -> None:
    """Give a run one record per planned step, keeping results of steps that still match."""
    fresh = []
    by_idx = {step.idx: step for step in run.steps}
    for planned in plan:
        idx = planned.index
        old = by_idx.get(idx)
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
        n = max(1, round(seconds))
        return ngettext("{n} second", "{n} seconds", n).format(n=n)
    n = round(seconds / 60)
    return ngettext("{n} minute", "{n} minutes", n).format(n=n)


def retry_words(seconds: float) -> str:
    """'Bellhop will try again in 46 seconds.' (said when a step starts waiting; the window
    counts down from the run's next_try_ts itself)."""
    return _("Bellhop will try again in {wait}.").format(wait=_wait(seconds))


def fix_of(exc: StepError, step: StepRecord) -> Fix | None:
    """The fix an error offers, the step's own index filled in where the card left it out."""
    fix = exc.fix
    if fix and fix[0] == "edit_card" and (len(fix) < 2 or fix[1] is None):
        return ("edit_card", step.idx, fix[2] if len(fix) > 2 else None)
    return fix


def stop_step(step: StepRecord) -> None:
    """The person stopped the retries of a waiting step: it stays undone, its error as the
    card said it, its status "stopped"."""
    step.status = "stopped"


def run_error(step: StepRecord) -> str | None:
    """The error of a run that ended at `step` (one stopped by the person says so)."""
    if step.status == "stopped":
        return " ".join(filter(None, [step.error, _("You stopped the retries.")]))
    return step.error


def _failed(step: StepRecord, exc: StepError, planned: PlannedStep,
            context: StepContext) -> None:
    """Record why a step's try failed, in words."""
    if isinstance(exc, FieldRequired):
        step.error = required_sentence(exc, context.values, planned.action.noun, planned.label)
    else:
        step.error = exc.message
    step.fix = fix_of(exc, step)
    step.warnings = []


def _bug_message(exc: Exception) -> str:
    return _("Something unexpected went wrong in this step ({kind}: {detail}). Please "
             "report it.").format(
        kind=type(exc).__name__, detail=exc)


class StepRunner:
    """Tries steps: at once for instant cards, with retries for errands.

    How many runs go at once is the backlog's business (core/waiting.py)."""

    def __init__(self, store: EventStore, on_step: StepListener) -> None:
        self.store = store
        self.on_step = on_step
        # Runs waiting to try a step again, by run id: setting the event stops the waiting.
        self.waiting: dict[str, asyncio.Event] = {}

    async def wait_to_retry(self, run: RunRecord, seconds: float) -> bool:
        """Wait before the next try; False when the person stopped the retries meanwhile."""
        stop = self.waiting[run.id] = asyncio.Event()
        try:
            await asyncio.wait_for(stop.wait(), max(0.0, seconds))
        except TimeoutError:
            return True
        finally:
            if self.waiting.get(run.id) is stop:
                del self.waiting[run.id]
        return False

    def stop_waiting(self, run_id: str) -> bool:
        """Stop the retries of a run waiting in `wait_to_retry`; False if none waits."""
        stop = self.waiting.get(run_id)
        if stop is None:
            return False
        stop.set()
        return True

    def evaluate(self, run: RunRecord, step: StepRecord, planned: PlannedStep,
                 context: StepContext) -> Outcome:
        """Run an instant step now (LATER: leave it to the background)."""
        assert planned.action.evaluate is not None
        step.attempts += 1
        step.started_at = run.started_at
        began = time.monotonic()
        context.missing.clear()
        try:
            result = planned.action.evaluate(context, planned.config)
        except StepError as exc:
            if exc.transient:  # not for now: the run goes on in the background and retries
                step.attempts -= 1
                return Outcome.LATER
            step.status = "failed"
            _failed(step, exc, planned, context)
            outcome = Outcome.FAILED
        except Exception as exc:  # a bug in a card must not reach the sender
            log.exception("instant step %s of run %s crashed", step.idx, run.id)
            step.status, step.error, step.fix = "failed", _bug_message(exc), None
            outcome = Outcome.FAILED
        else:
            outcome = _succeeded(step, result, planned, context)
        step.duration_ms = (time.monotonic() - began) * 1000
        return outcome

    async def run(self, run: RunRecord, step: StepRecord, planned: PlannedStep,
                  context: StepContext, *, attempts: int | None = None) -> Outcome:
        """Try a step until it succeeds, fails for good, or runs out of attempts."""
        config, run_fn = planned.config, planned.action.run
        policy = config.retry
        most = attempts or policy.attempts
        tries = 0
        while True:
            tries += 1
            step.attempts += 1
            step.status = "running"
            step.started_at, __ = local_now()
            began = time.monotonic()
            context.missing.clear()
            try:
                result = await run_fn(context, config)
            except StepError as exc:
                step.duration_ms = (time.monotonic() - began) * 1000
                _failed(step, exc, planned, context)
                if not exc.transient or tries >= most:
                    if exc.transient and tries > 1:
                        step.error += " " + ngettext(
                            "Bellhop tried {n} time and stopped. Fix the problem, then press "
                            "Retry in Activity.",
                            "Bellhop tried {n} times and stopped. Fix the problem, then press "
                            "Retry in Activity.", tries).format(n=tries)
                    step.status = "failed"
                    self.on_step(run, step)
                    return Outcome.FAILED
                delay = backoff(policy.first_delay, tries, exc.retry_after)
                # The error stays as the card said it; when the next try comes is the
                # run's next_try_ts (the window counts down to it, the event says it).
                step.status, run.status = "waiting", "waiting"
                run.next_try_ts = time.time() + delay
                await self.store.save_run(run)
                self.on_step(run, step)
                if not await self.wait_to_retry(run, delay):
                    stop_step(step)
                    self.on_step(run, step)
                    return Outcome.FAILED
                run.status, run.next_try_ts = "running", None
                continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug in a card must not take the engine down
                log.exception("step %s of run %s crashed", step.idx, run.id)
                step.duration_ms = (time.monotonic() - began) * 1000
                step.status, step.error, step.fix = "failed", _bug_message(exc), None
                self.on_step(run, step)
                return Outcome.FAILED
            step.duration_ms = (time.monotonic() - began) * 1000
            outcome = _succeeded(step, result, planned, context)
            self.on_step(run, step)
            return outcome


def skip_after(run: RunRecord, step: StepRecord) -> None:
    """A condition said no at `step`: the steps after it are skipped."""
    for later in run.steps:
        if later.idx > step.idx:
            later.status = "skipped"
