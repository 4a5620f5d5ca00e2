"""The receiver: aiohttp on 127.0.0.1 answering `/hooks/<token>` and `/healthz`, nothing else.

A delivery goes the same way on both paths (the fast path's and aiohttp's):

1. the gate (core/inbox/gate.py): its rule, from the address and the method;
2. its body, read (aiohttp's path; the fast path has it whole already);
3. `admit` (core/inbox/delivery.py): the checks that decide the answer, and its event;
4. the ledger (core/inbox/dedupe.py): a copy sent again gets the first one's answer;
5. `settle`: an admitted event goes to the store's next group commit, and its 2xx
   leaves once it is on disk (the engine runs it after); a delivery answered at once
   is told to the person (core/inbox/refusals.py) and answered.

Each step hands the next a value (`Admitted` or `Answered`, core/inbox/answers.py): a
refusal found anywhere is noted in one place, after the answer is decided.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from functools import partial
from typing import TYPE_CHECKING

from aiohttp import web

from bellhop.core.events import AddressChecked, EventReceived
from bellhop.core.i18n import _
from bellhop.core.inbox.answers import (
    Admitted,
    Answer,
    Answered,
    PendingAnswer,
    accepted,
    not_stored,
    refusal,
    server_error,
)
from bellhop.core.inbox.bodies import as_response, read_body
from bellhop.core.inbox.dedupe import DeliveryLedger
from bellhop.core.inbox.delivery import admit, admit_with_secret
from bellhop.core.inbox.fastpath import Delivery, HookConnection
from bellhop.core.inbox.gate import gate
from bellhop.core.inbox.refusals import RefusalLog
from bellhop.core.platform.secrets import CachedSecrets
from bellhop.core.running.rules import LoadedRule
from bellhop.core.storage.store import StoreError

if TYPE_CHECKING:
    from bellhop.core.running.engine import Engine

log = logging.getLogger("bellhop.receiver")
KEEPALIVE = 3630.0  # seconds an idle connection stays open (aiohttp's own default)


class Receiver:
    """The HTTP side: takes deliveries, stores them, hands them to the engine."""

    def __init__(self, engine: Engine, ledger: DeliveryLedger, *,
                 max_body_bytes: int = 1024 * 1024, body_read_timeout: float = 30.0) -> None:
        self.engine = engine
        self.ledger = ledger
        self.secrets = CachedSecrets()
        self.max_body_bytes = max_body_bytes
        self.body_read_timeout = body_read_timeout
        self._runner: web.ServerRunner | None = None
        self._listener: asyncio.Server | None = None
        self._connections: set[HookConnection] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self.port: int | None = None
        self.host: str | None = None
        self.refusals = RefusalLog(engine.store, engine.publish, self._rule_name,
                                   limit=max_body_bytes)

    def _rule_name(self, rule_id: str) -> str:
        rule = self.engine.rule(rule_id) if rule_id else None
        return rule.name if rule is not None else ""

    async def start(self, host: str = "127.0.0.1", port: int = 8765) -> int:
        """Listen on host:port (0 picks a free port); returns the port.

        Each connection starts on the fast path (core/inbox/fastpath.py) and moves to
        aiohttp's low-level server the moment a request is not a plain delivery.
        """
        server = web.Server(self.handle, access_log=None, keepalive_timeout=KEEPALIVE)
        self._runner = web.ServerRunner(server, handle_signals=False)
        await self._runner.setup()
        loop = asyncio.get_running_loop()
        try:
            self._listener = await loop.create_server(
                lambda: HookConnection(self.take_delivery, server, self._connections,
                                       self.max_body_bytes, server_error),
                host, port, reuse_address=True)
        except OSError:  # the port is taken: leave nothing half started
            await self._runner.cleanup()
            self._runner = None
            raise
        sockets = self._listener.sockets or []
        self.port = sockets[0].getsockname()[1] if sockets else port
        self.host = host
        self._sweeper = loop.create_task(self._close_idle())
        return self.port

    async def _close_idle(self) -> None:
        while True:
            await asyncio.sleep(60.0)
            quiet_since = time.monotonic() - KEEPALIVE
            for conn in [c for c in self._connections if c.idle and c.last_seen < quiet_since]:
                conn.close()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """Every request aiohttp reads: a webhook delivery, the health check, or 404."""
        path = request.rel_url.path_safe  # decoded, but an encoded slash stays %2F
        if path.startswith("/hooks/"):
            answer = await self.receive_hook(request, path[7:])
            return as_response(answer)
        if path == "/healthz":
            if request.method in ("GET", "HEAD"):
                return web.Response(text="ok")
            return as_response(refusal(405, _("This address does not take that method."),
                                       Allow="GET, HEAD"))
        return as_response(refusal(404, _("Nothing here.")))

    async def stop(self) -> None:
        """Stop listening; requests in flight finish first; refusals noted are recorded."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
            await asyncio.sleep(0)  # connections just accepted get their first read
            for conn in list(self._connections):
                if conn.idle:
                    conn.close()
            in_flight = [waited for c in self._connections if (waited := c.in_flight())]
            if in_flight:
                await asyncio.wait(in_flight, timeout=60.0)
            for conn in list(self._connections):
                conn.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.refusals.flush()  # into the store's queue, which finishes it before it closes

    @property
    def base_url(self) -> str:
        """The local base of every webhook URL."""
        host = self.host or "127.0.0.1"
        if host in ("0.0.0.0", "", "::"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    async def receive_hook(self, request: web.BaseRequest, token: str) -> Answer:
        """A delivery aiohttp read: the gate before its body is read, then admitted,
        checked with the ledger, and settled."""
        outcome: LoadedRule | Admitted | Answered = gate(self.engine, token, request.method)
        if isinstance(outcome, LoadedRule):
            rule = outcome
            sample = rule.id in self.engine.capturing  # decided before the body, as the gate
            raw = await read_body(request, rule, self.max_body_bytes, self.body_read_timeout)
            if isinstance(raw, Answered):
                outcome = raw
            else:
                outcome = await admit_with_secret(rule, self.secrets, request.method,
                                                  request.headers, request.query_string, raw,
                                                  sample=sample)
                outcome = await self.ledger.first_copy(outcome)
        answer = self.settle(outcome)
        return answer if isinstance(answer, Answer) else await answer.get()

    def take_delivery(self, delivery: Delivery) -> Answer | PendingAnswer | Awaitable[Answer]:
        """A delivery the fast path read (a POST, its body complete).

        The usual delivery (no secret to fetch, no delivery id to look up) needs no
        coroutine: its pending answer is set when the store's group commit is known.
        """
        outcome: LoadedRule | Admitted | Answered = gate(self.engine, delivery.token, "POST")
        if isinstance(outcome, LoadedRule):
            rule = outcome
            sample = rule.id in self.engine.capturing
            if not sample and rule.head.trigger.verify is not None:  # type: ignore[union-attr]
                return self._take_signed(rule, delivery)  # the keychain: a coroutine
            outcome = admit(rule, "POST", delivery.headers, delivery.query_string,
                            delivery.body, sample=sample)
            if isinstance(outcome, Admitted) and outcome.event.delivery_id is not None:
                return self._settle_first_copy(outcome)  # the ledger: a coroutine
        return self.settle(outcome)

    async def _take_signed(self, rule: LoadedRule, delivery: Delivery) -> Answer:
        outcome = await admit_with_secret(rule, self.secrets, "POST", delivery.headers,
                                          delivery.query_string, delivery.body)
        return await self._settle_first_copy(outcome)

    async def _settle_first_copy(self, outcome: Admitted | Answered) -> Answer:
        answer = self.settle(await self.ledger.first_copy(outcome))
        return answer if isinstance(answer, Answer) else await answer.get()

    def settle(self, outcome: Admitted | Answered) -> Answer | PendingAnswer:
        """An admitted event to the store's next group commit, its answer pending until the
        commit is known; or the answer now, the person told why (a refusal, a LINE check).

        The rule's steps (filters too) run after, in the engine: only what decides the
        answer happens before it."""
        if isinstance(outcome, Admitted):
            pending = PendingAnswer()
            self.engine.store.append_event_then(
                outcome.event, partial(self._stored, outcome, pending))
            return pending
        rule = outcome.rule
        if outcome.address_check is not None and rule is not None:  # LINE: yes, run nothing
            self.engine.publish(AddressChecked(rule_id=rule.id, rule_name=rule.name,
                                               service=outcome.address_check))
        elif outcome.refused is not None:
            if outcome.rejected is not None and rule is not None:
                self.engine.note_rejected(rule, outcome.rejected)
            self.refusals.note(rule.id if rule is not None else "", outcome.answer.status,
                               outcome.refused, outcome.detail, allowed=outcome.allowed)
        return outcome.answer

    def _stored(self, admitted: Admitted, pending: PendingAnswer,
                error: BaseException | None) -> None:
        # On the loop, right after the commit: the answer goes out from here. A delivery
        # id checked in with the ledger is settled there too.
        rule, event = admitted.rule, admitted.event
        try:
            if event.delivery_id is not None:  # copies waiting on this one learn its fate
                self.ledger.settle(rule.id, event.delivery_id, None if error else event.id)
            if error is None:
                answer: Answer | None = self._accepted(admitted)
            elif isinstance(error, StoreError):
                answer = not_stored(error)
            else:
                log.error("an event's commit failed: %r", error)
                answer = None
        except Exception:
            log.exception("a stored delivery could not be answered")
            answer = None
        pending.set_answer(answer)

    def _accepted(self, admitted: Admitted) -> Answer:
        # On disk: the engine runs it soon (a sample: never); the sender hears yes.
        rule, event = admitted.rule, admitted.event
        if event.state == "sample":
            self.engine.capturing.discard(rule.id)
            self.engine.publish(EventReceived(event_id=event.id, rule_id=rule.id, sample=True))
            return accepted(None, event.id)
        self.engine.accept(event, admitted.body)
        return accepted(rule.head.trigger.respond,  # type: ignore[union-attr]
                        event.id, status=admitted.status)
