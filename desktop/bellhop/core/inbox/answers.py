"""What a delivery comes to, whichever path it came by: the `Answer` the sender gets,
and on the way to it `Admitted` (an event to store) or `Answered` (nothing stored).

An admitted delivery's answer is a `PendingAnswer` until the store's group commit is
known; everything the sender can be told is made here, in one place.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bellhop.core.i18n import _
from bellhop.core.running.rules import LoadedRule, RespondConfig
from bellhop.core.storage.records import EventRecord

log = logging.getLogger("bellhop.receiver")

# Refusals that say the sender was not believed: the window asks about the rule's secret.
NOT_BELIEVED = frozenset(("signature", "no_secret"))


@dataclass(slots=True)
class Answer:
    """What to send back, whichever path the request came by."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] | None = None
    close: bool = False  # the connection ends after this answer


@dataclass(slots=True)
class Admitted:
    """A delivery that passed every check, as the event to store."""

    rule: LoadedRule
    event: EventRecord
    body: Any  # None: not built yet (event_values parses it when the rule runs)
    status: int = 202  # LINE counts anything but 200 as failed


@dataclass(slots=True)
class Answered:
    """A delivery answered at once, nothing stored: refused, a copy sent again, or its
    sender checking the address."""

    answer: Answer
    rule: LoadedRule | None = None  # None: no rule has the address
    refused: str | None = None  # the kind of refusal, recorded for Activity (see refusals.py)
    detail: str = ""  # what was wrong, in the parser's or the check's words; or the method
    allowed: tuple[str, ...] = ()  # for a refused method: the methods the rule takes
    address_check: str | None = None  # the service that checked the address ("LINE")

    @property
    def rejected(self) -> str | None:
        """Why the sender was not believed (a signature, a secret), else None."""
        return self.detail if self.refused in NOT_BELIEVED else None


def refusal(status: int, message: str, *, close: bool = False, **headers: str) -> Answer:
    """The answer that turns a request away, saying why in one line."""
    body = json.dumps({"ok": False, "error": message}, ensure_ascii=False).encode("utf-8")
    return Answer(status, body, headers=headers or None, close=close)


def rule_has_a_problem() -> Answer:
    """503 for a rule that cannot take deliveries now: the sender tries again later."""
    return refusal(503, _("This rule has a problem; fix it in Bellhop."),
                   **{"Retry-After": "60"})


def server_error() -> Answer:
    """500 for a delivery nothing could be decided about (the sender sends it again)."""
    return refusal(500, _("Bellhop could not take this delivery; please send it again."),
                   close=True)


def not_stored(exc: BaseException) -> Answer:
    """503 for a delivery the store could not write (a full disk, a locked file)."""
    log.error("could not store an event: %s", exc)
    return refusal(503, _("Bellhop could not save this delivery; please send it again."),
                   **{"Retry-After": "30"})


def accepted(respond: RespondConfig | None, event_id: str, *, duplicate: bool = False,
             status: int = 202) -> Answer:
    """The yes for a stored event: the rule's own answer if it sets one, else its id.

    A copy the sender sent again gets 200 and the first copy's id."""
    if respond is not None:
        return Answer(200 if duplicate else respond.status, respond.body.encode("utf-8"),
                      respond.content_type)
    if duplicate:
        body = json.dumps({"ok": True, "event_id": event_id, "duplicate": True})
        return Answer(200, body.encode("utf-8"))
    # Event ids are plain ASCII: the body is put together without a JSON encoder.
    return Answer(status, b'{"ok": true, "event_id": "' + event_id.encode() + b'"}',
                  "application/json")



class PendingAnswer:
    """An answer that waits for the event's group commit in the store.

    The fast path's connection asks `when_answered`, called the moment the commit is
    known (no future, no task, no further turn of the loop). A coroutine (aiohttp's
    path, a shutdown waiting for deliveries in flight) awaits `wait()` instead."""

    __slots__ = ("_future", "answer", "answered", "on_answer")

    def __init__(self) -> None:
        self.on_answer: Callable[[Answer | None], None] | None = None
        self.answered = False
        self.answer: Answer | None = None
        self._future: asyncio.Future[Answer | None] | None = None

    def set_answer(self, answer: Answer | None) -> None:
        """The answer is known (None: something went wrong making it)."""
        self.answered, self.answer = True, answer
        if self.on_answer is not None:
            self.on_answer(answer)
        if self._future is not None and not self._future.done():
            self._future.set_result(answer)

    def when_answered(self, callback: Callable[[Answer | None], None]) -> None:
        """Call `callback(answer)` once the answer is known: now, if it already is."""
        if self.answered:
            callback(self.answer)
        else:
            self.on_answer = callback

    def wait(self) -> asyncio.Future[Answer | None]:
        """A future that completes with the answer once it is known."""
        if self._future is None:
            self._future = asyncio.get_running_loop().create_future()
            if self.answered:
                self._future.set_result(self.answer)
        return self._future

    async def get(self) -> Answer:
        """The answer once it is known; RuntimeError if none could be made (aiohttp's path
        then answers its own 500)."""
        answer = await self.wait()
        if answer is None:
            raise RuntimeError("a delivery could not be answered")
        return answer
