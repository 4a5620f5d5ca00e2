"""The receiver: aiohttp on 127.0.0.1 answering `/hooks/<token>` and `/healthz`, nothing else.

An event is on disk before its 2xx leaves; anything wrong with a request
gets a plain 4xx and nothing is stored or run. Each refusal of a request to /hooks/…
is recorded for the person, with its reason, after the answer (core/inbox/refusals.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable
from functools import partial
from typing import TYPE_CHECKING

from aiohttp import web

from bellhop.core.errors import BellhopError
from bellhop.core.events import AddressChecked, EventReceived
from bellhop.core.i18n import _
from bellhop.core.inbox.bodies import as_response, read_body
from bellhop.core.inbox.dedupe import DeliveryLedger
from bellhop.core.inbox.delivery import Admitted, Answered, Headers, admit
from bellhop.core.inbox.fastpath import Answer, Delivery, HookConnection, PendingAnswer, refusal
from bellhop.core.inbox.refusals import RefusalLog
from bellhop.core.platform.secrets import CachedSecrets
from bellhop.core.running.rules import LoadedRule, RespondConfig
from bellhop.core.storage.store import StoreError

if TYPE_CHECKING:
    from bellhop.core.running.engine import Engine

log = logging.getLogger("bellhop.receiver")
MAX_TOKEN = 128
# What a body that aiohttp's path could not read was refused as, by its answer's status.
_UNREAD = {413: "too_large", 417: "expect", 408: "slow", 400: "unreadable"}
KEEPALIVE = 3630.0  # seconds an idle connection stays open (aiohttp's own default)


def _json(status: int, value: dict[str, object]) -> Answer:
    return Answer(status, json.dumps(value).encode("utf-8"))


def _rule_has_a_problem() -> Answer:
    """503 for a rule that cannot take deliveries now: the sender tries again later."""
    return refusal(503, _("This rule has a problem; fix it in Bellhop."),
                   **{"Retry-After": "60"})


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
        self.refusals = RefusalLog(engine.store, engine.publish, self._rule_name)

    def _rule_name(self, rule_id: str) -> str:
        rule = self.engine.rule(rule_id) if rule_id else None
        return rule.name if rule is not None else ""

    def _refused(self, rule_id: str, answer: Answer, kind: str, detail: str = "", *,
                 method: str = "", allowed: tuple[str, ...] = ()) -> Answer:
        """Note a refusal for the person (the answer goes out at once); the answer."""
        self.refusals.note(rule_id, answer.status, kind, detail, method=method,
                           allowed=allowed, limit=self.max_body_bytes)
        return answer

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
                                       self.max_body_bytes, self._server_error),
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
            token = path[7:]
            if token and "/" not in token:
                answer = await self.receive_hook(request, token)
                return as_response(answer)
            return as_response(self._refused("", refusal(404, _("Nothing here.")), "unknown"))
        elif path == "/healthz":
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

    @staticmethod
    def _server_error() -> Answer:
        return refusal(500, _("Bellhop could not take this delivery; please send it again."),
                        close=True)

    def _gate(self, token: str, method: str) -> LoadedRule | Answer:
        """The rule behind the token if it takes this request now; else the refusal.

        A rule waiting for a sample takes anything, whatever its settings."""
        rule = self.engine.route(token) if len(token) <= MAX_TOKEN else None
        if rule is None:
            if self.engine.is_held(token):  # its rule is in a rules.json with a mistake
                return self._refused("", _rule_has_a_problem(), "held")
            off = self.engine.rule_of_token(token) if len(token) <= MAX_TOKEN else None
            return self._refused(off.id if off is not None else "",
                                 refusal(404, _("Nothing here.")),
                                 "off" if off is not None else "unknown")
        if rule.id in self.engine.capturing:
            return rule
        head = rule.head
        if head is None or not rule.available:
            # The sender retries on 503, so the delivery comes back once the rule is fixed.
            return self._refused(rule.id, _rule_has_a_problem(), "problem")
        methods = head.trigger.methods
        if method not in methods:
            return self._refused(rule.id, refusal(
                405, _("This address does not take {method} requests.").format(method=method),
                Allow=", ".join(methods)), "method", method=method, allowed=tuple(methods))
        return rule

    async def receive_hook(self, request: web.BaseRequest, token: str) -> Answer:
        """A delivery aiohttp read: its rule's gate before its body is read, then taken."""
        rule = self._gate(token, request.method)
        if isinstance(rule, Answer):
            return rule
        capture = rule.id in self.engine.capturing  # decided before the body, as the gate was
        raw = await read_body(request, self.max_body_bytes, self.body_read_timeout)
        if isinstance(raw, Answer):
            return self._refused(rule.id, raw, _UNREAD.get(raw.status, "unreadable"))
        return await self.take(rule, request.method, request.headers, request.query_string, raw,
                               capture=capture)

    def take_delivery(self, delivery: Delivery) -> Answer | PendingAnswer | Awaitable[Answer]:
        """A delivery the fast path read (a POST, its body complete).

        The usual delivery (no secret to fetch, no delivery id to look up) needs no
        coroutine: its pending answer is set when the store's group commit is known.
        """
        rule = self._gate(delivery.token, "POST")
        if isinstance(rule, Answer):
            return rule
        capture = rule.id in self.engine.capturing
        if not capture and rule.head.trigger.verify is not None:  # type: ignore[union-attr]
            return self.take(rule, "POST", delivery.headers, delivery.query_string,
                             delivery.body)  # the secret comes from the keychain: a coroutine
        checked = admit(rule, "POST", delivery.headers, delivery.query_string, delivery.body,
                        sample=capture)
        return self._store_and_answer(rule, checked)

    async def take(self, rule: LoadedRule, method: str, headers: Headers, query_string: str,
                   raw: bytes, *, capture: bool = False) -> Answer:
        """Take one delivery for the rule, whichever path it came by.

        Only what decides the answer happens here: checks, one durable write, the
        2xx. The rule's steps (filters too) run after, in the engine, which runs them
        in short slices during a burst so that deliveries are answered first.
        """
        verify = None if capture else rule.head.trigger.verify  # type: ignore[union-attr]
        checked: Admitted | Answered
        try:
            secret = await self.secrets.get(verify.secret) if verify is not None else None
        except BellhopError as exc:  # e.g. no such secret: the sender retries on 503
            checked = Answered(_rule_has_a_problem(), rejected=exc.message, refused="no_secret",
                               detail=exc.message)
        else:
            checked = admit(rule, method, headers, query_string, raw, secret, sample=capture)
        answer = self._store_and_answer(rule, checked)
        if isinstance(answer, PendingAnswer):
            return await answer.get()
        return answer if isinstance(answer, Answer) else await answer

    def _store_and_answer(self, rule: LoadedRule, checked: Admitted | Answered,
                          ) -> Answer | PendingAnswer | Awaitable[Answer]:
        """The answer now (nothing to store), or once the event is on disk.

        A delivery with an id is looked up with the ledger first (a coroutine): a copy
        the sender sent again is answered with the first one's event, and nothing runs."""
        if isinstance(checked, Admitted):
            if checked.event.delivery_id is not None:
                return self._store_once(rule, checked)
            return self._store(rule, checked)
        if checked.rejected is not None:
            self.engine.note_rejected(rule, checked.rejected)
        if checked.refused is not None:
            self._refused(rule.id, checked.answer, checked.refused, checked.detail)
        elif checked.address_check is not None:  # e.g. LINE: say yes, run nothing
            self.engine.publish(AddressChecked(rule_id=rule.id, rule_name=rule.name,
                                               service=checked.address_check))
        return checked.answer

    async def _store_once(self, rule: LoadedRule, admitted: Admitted) -> Answer:
        event = admitted.event
        first = await self.ledger.check_in(rule.id, event.delivery_id,  # type: ignore[arg-type]
                                           event.received_ts)
        if first is not None:  # a copy the sender sent again: answer, run nothing
            return self._answer(rule.head.trigger.respond,  # type: ignore[union-attr]
                                first, duplicate=True)
        return await self._store(rule, admitted).get()

    def _store(self, rule: LoadedRule, admitted: Admitted) -> PendingAnswer:
        """Queue the event for the next group commit; the pending answer is set once the
        commit is known. A delivery id checked in with the ledger is settled there too."""
        pending = PendingAnswer()
        self.engine.store.append_event_then(
            admitted.event, partial(self._stored, rule, admitted, pending))
        return pending

    def _stored(self, rule: LoadedRule, admitted: Admitted, pending: PendingAnswer,
                error: BaseException | None) -> None:
        # On the loop, right after the commit: the answer goes out from here.
        event = admitted.event
        try:
            if event.delivery_id is not None:  # copies waiting on this one learn its fate
                self.ledger.settle(rule.id, event.delivery_id, None if error else event.id)
            if error is None:
                answer: Answer | None = self._accepted(rule, admitted)
            elif isinstance(error, StoreError):
                answer = self._not_stored(error)
            else:
                log.error("an event's commit failed: %r", error)
                answer = None
        except Exception:
            log.exception("a stored delivery could not be answered")
            answer = None
        pending.set_answer(answer)

    def _accepted(self, rule: LoadedRule, admitted: Admitted) -> Answer:
        # On disk: the engine runs it soon (a sample: never); the sender hears yes.
        event = admitted.event
        if event.state == "sample":
            self.engine.capturing.discard(rule.id)
            self.engine.publish(EventReceived(event_id=event.id, rule_id=rule.id, sample=True))
            return self._answer(None, event.id, duplicate=False)
        self.engine.accept(event, admitted.body)
        return self._answer(rule.head.trigger.respond,  # type: ignore[union-attr]
                            event.id, duplicate=False, accepted=admitted.status)

    @staticmethod
    def _not_stored(exc: BaseException) -> Answer:
        log.error("could not store an event: %s", exc)
        return refusal(503, _("Bellhop could not save this delivery; please send it again."),
                        **{"Retry-After": "30"})

    @staticmethod
    def _answer(respond: RespondConfig | None, event_id: str, *, duplicate: bool,
                accepted: int = 202) -> Answer:
        if respond is not None:
            return Answer(200 if duplicate else respond.status, respond.body.encode("utf-8"),
                          respond.content_type)
        if duplicate:
            return _json(200, {"ok": True, "event_id": event_id, "duplicate": True})
        # Event ids are plain ASCII: the body is put together without a JSON encoder.
        return Answer(accepted, b'{"ok": true, "event_id": "' + event_id.encode() + b'"}',
                      "application/json")
