"""What the parts of the core share about events: the local time stamp of a delivery,
the count of deliveries a rule refused, and the news the engine tells its listeners."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

_zone: tuple[float, tzinfo | None] = (0.0, None)


def _local_zone(now: float) -> tzinfo | None:
    # Finding the local zone costs more than the rest of a request: look it up once a
    # minute (often enough to follow a daylight-saving change).
    global _zone
    if now - _zone[0] > 60 or _zone[1] is None:
        _zone = (now, datetime.fromtimestamp(now).astimezone().tzinfo)
    return _zone[1]


_last_stamp: tuple[int, str] = (-1, "")


def local_now() -> tuple[str, float]:
    """Now as ISO 8601 in the local time zone, and as a Unix time."""
    global _last_stamp
    now = time.time()
    millis = int(now * 1000)
    if millis == _last_stamp[0]:  # deliveries in a burst share their millisecond
        return _last_stamp[1], now
    text = datetime.fromtimestamp(millis / 1000, _local_zone(now)).isoformat(
        timespec="milliseconds")
    _last_stamp = (millis, text)
    return text, now


@dataclass
class Rejections:
    """Deliveries a rule refused because they could not prove their sender (the engine
    counts them; every refusal is recorded by core/inbox/refusals.py)."""

    count: int = 0
    last_reason: str = ""
    last_at: float = 0.0


# -- what the engine tells its listeners (the window's bridge, `bellhop serve`'s log) -----
# One frozen dataclass per kind of news; listeners dispatch on the type (`match event:
# case RunFinished(): ...`). They are made on the engine's loop and read on any thread.


@dataclass(frozen=True, slots=True)
class EventReceived:
    """A delivery is on disk: a rule's event, or its new sample (`sample`)."""

    event_id: str
    rule_id: str
    sample: bool = False


@dataclass(frozen=True, slots=True)
class DeliveryRejected:
    """Deliveries were turned away and are recorded (core/inbox/refusals.py): `new` of
    them of one kind since the last such news, `count` refused so far for the rule since
    the start. `rule_id` is '' when no rule has the address; `reason` says why and what
    fixes it. `kind`: signature, no_secret, method, bad_json, bad_form, too_large,
    unreadable, slow, expect, surveycake, off, problem, held, unknown."""

    rule_id: str
    rule_name: str
    count: int
    reason: str
    status: int = 401
    kind: str = "signature"
    new: int = 1
    stored: bool = True  # False: the store could not record them (the window says so)


@dataclass(frozen=True, slots=True)
class AddressChecked:
    """A service (LINE) checked a rule's address with an empty delivery: nothing runs."""

    rule_id: str
    rule_name: str
    service: str


@dataclass(frozen=True, slots=True)
class RunStarted:
    """A run of an event began (or went on after a restart, a retry, a replay)."""

    run_id: str
    event_id: str
    rule_id: str


@dataclass(frozen=True, slots=True)
class StepFinished:
    """A step ended a try: "succeeded", "failed", "waiting" to be tried again (at
    `next_try_ts`), or "stopped" (the person stopped its retries)."""

    run_id: str
    event_id: str
    rule_id: str
    index: int
    label: str
    status: str
    attempts: int
    error: str | None
    fix: tuple[Any, ...] | None = None  # what fixes the error (core/errors.py Fix)
    next_try_ts: float | None = None


@dataclass(frozen=True, slots=True)
class RunFinished:
    """A run ended: "succeeded", "failed" or "skipped" (a filter said no); a run that
    succeeded may carry warnings (fields the event lacks, left empty)."""

    run_id: str
    event_id: str
    rule_id: str
    rule_name: str
    status: str
    error: str | None
    duration_ms: float | None
    steps: tuple[tuple[str, str], ...]  # (label, status) of each step
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PauseChanged:
    """Running was paused or resumed for all rules (deliveries are taken either way)."""

    paused: bool


@dataclass(frozen=True, slots=True)
class RulesChanged:
    """rules.json was read and is in use: how many rules, and the problems of those that
    cannot run, as (rule name, problems)."""

    rules: int
    problems: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class FileProblemFound:
    """A file the person edits (rules.json, accounts.json) cannot be used now."""

    file: str
    path: str
    message: str  # what is wrong and what Bellhop does meanwhile, in plain words
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class FileFixed:
    """A file that had a problem can be read again."""

    file: str
    path: str


@dataclass(frozen=True, slots=True)
class TunnelChanged:
    """The public address's state: "off", "connecting", "up" (public_url set) or "down"
    (reason says why). `progress`: percent of the agent's first download (-1 while its
    size is unknown), else None."""

    state: str
    public_url: str | None = None
    reason: str = ""
    url_changed: bool = False
    progress: int | None = None


@dataclass(frozen=True, slots=True)
class NoticeRequested:
    """A rule's 'Show a desktop notice' card asks for a notification."""

    title: str
    text: str
    event_id: str
    rule_name: str
    test: bool = False  # from 'Run test' on a sample


EngineEvent = (EventReceived | DeliveryRejected | AddressChecked | RunStarted | StepFinished
               | RunFinished | PauseChanged | RulesChanged | FileProblemFound | FileFixed
               | TunnelChanged | NoticeRequested)
Listener = Callable[[EngineEvent], None]
