"""The receiver: aiohttp on 127.0.0.1 answering `/hooks/<token>` and `/healthz`, nothing else.

An event is on disk before its 2xx leaves; anything wrong with a request
gets a plain 4xx and nothing is stored or run.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from bellhop.core.errors import BellhopError
from bellhop.core.events import local_now
from bellhop.core.i18n import tr
from bellhop.core.inbox.bodies import TooLarge, Unexpected, as_response, read_body
from bellhop.core.inbox.burst import BurstMeter
from bellhop.core.inbox.credentials import hidden_headers
from bellhop.core.inbox.dedupe import DeliveryLedger, delivery_id
from bellhop.core.inbox.fastpath import Answer, Delivery, HookConnection, PendingAnswer
from bellhop.core.inbox.line import is_line_delivery, is_line_verify
from bellhop.core.inbox.request import Headers, header_values, query_values
from bellhop.core.inbox.verify import Rejected, check_delivery
from bellhop.core.platform.secrets import CachedSecrets
from bellhop.core.running.payload import BadPayload, check_body, media_type, parse_body
from bellhop.core.running.rules import LoadedRule, RespondConfig, VerifyConfig
from bellhop.core.storage.records import EventRecord, clean_text, new_id
from bellhop.core.storage.store import StoreError

if TYPE_CHECKING:
    from bellhop.core.running.engine import Engine

log = logging.getLogger("bellhop.receiver")
MAX_TOKEN = 128
KEEPALIVE = 3630.0  # seconds an idle connection stays open (aiohttp's own default)


def _plain(status: int, message: str, *, close: bool = False, **headers: str) -> Answer:
    body = json.dumps({"ok": False, "error": message}, ensure_ascii=False).encode("utf-8")
    return Answer(status, body, headers=headers or None, close=close)


def _json(status: int, value: dict[str, object]) -> Answer:
    return Answer(status, json.dumps(value).encode("utf-8"))


@dataclass(slots=True)
class Admitted:
    """A delivery that passed every check, as the event to store."""

    event: EventRecord
    body: Any  # None: not built yet (event_values parses it when the rule runs)
    delivery: str | None  # the sender's delivery id, when it gives one
    status: int = 202  # LINE counts anything but 200 as failed


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
        self.meter = BurstMeter()  # the engine gives way while a burst is coming in
        engine.busy = self.meter.busy
        self.port: int | None = None
        self.host: str | None = None

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
                return as_response(await self.receive_hook(request, token))
        elif path == "/healthz":
            if request.method in ("GET", "HEAD"):
                return web.Response(text="ok")
            return as_response(_plain(405, tr("This address does not take that method."),
                                    Allow="GET, HEAD"))
        return as_response(_plain(404, tr("Nothing here.")))

    async def stop(self) -> None:
        """Stop listening; requests in flight finish first."""
        self.meter.calm()
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

    @property
    def base_url(self) -> str:
        """The local base of every webhook URL."""
        host = self.host or "127.0.0.1"
        if host in ("0.0.0.0", "", "::"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    @staticmethod
    def _server_error() -> Answer:
        return _plain(500, tr("Bellhop could not take this delivery; please send it again."),
                      close=True)

    async def _read_or_refuse(self, request: web.BaseRequest) -> bytes | Answer:
        """The body, or the answer that says why it could not be read."""
        try:
            return await read_body(request, self.max_body_bytes, self.body_read_timeout)
        except TooLarge:
            return _plain(413, tr("The body is larger than {limit} bytes.",
                                  limit=self.max_body_bytes), close=True)
        except Unexpected:
            return _plain(417, tr("This address only understands “Expect: 100-continue”."),
                          close=True)
        except TimeoutError:
            return _plain(408, tr("The body took too long to arrive."), close=True)
        except (RequestPayloadError, HttpProcessingError):  # e.g. gzip that is not gzip
            return _plain(400, tr("The body could not be read as it was sent."), close=True)

    def _gate(self, token: str, method: str) -> LoadedRule | Answer:
        """The rule behind the token if it takes this request now; else the refusal.

        A rule waiting for a sample takes anything, whatever its settings."""
        self.meter.taken += 1
        rule = self.engine.route(token) if len(token) <= MAX_TOKEN else None
        if rule is None:
            if self.engine.is_held(token):  # its rule is in a rules.json with a mistake
                return _plain(503, tr("This rule has a problem; fix it in Bellhop."),
                              **{"Retry-After": "60"})
            return _plain(404, tr("Nothing here."))
        if rule.id in self.engine.capturing:
            return rule
        head = rule.head
        if head is None or not rule.available:
            # The sender retries on 503, so the delivery comes back once the rule is fixed.
            return _plain(503, tr("This rule has a problem; fix it in Bellhop."),
                          **{"Retry-After": "60"})
        methods = head.trigger.methods
        if method not in methods:
            return _plain(405, tr("This address does not take {method} requests.",
                                  method=method), Allow=", ".join(methods))
        return rule

    async def receive_hook(self, request: web.BaseRequest, token: str) -> Answer:
        """A delivery aiohttp read: checked before its body is read, then taken."""
        rule = self._gate(token, request.method)
        if isinstance(rule, Answer):
            return rule
        capture = rule.id in self.engine.capturing  # decided before the body, as the gate was
        raw = await self._read_or_refuse(request)
        if isinstance(raw, Answer):
            return raw
        return await self.take(rule, request.method, request.headers, request.query_string, raw,
                               capture=capture)

    def take_delivery(self, delivery: Delivery) -> Answer | PendingAnswer | Awaitable[Answer]:
        """A delivery the fast path read (a POST, its body complete).

        The usual delivery (no signature to check, no delivery id to look up) needs
        no coroutine: its pending answer is set when the store's group commit is known.
        """
        rule = self._gate(delivery.token, "POST")
        if isinstance(rule, Answer):
            return rule
        trigger = rule.head.trigger  # type: ignore[union-attr]  # _gate checked it
        capture = rule.id in self.engine.capturing
        if capture or trigger.verify is not None:
            return self.take(rule, "POST", delivery.headers, delivery.query_string,
                             delivery.body, capture=capture)
        admitted = self._admit(rule, "POST", delivery.headers, delivery.query_string,
                               delivery.body)
        if isinstance(admitted, Answer):
            return admitted
        if admitted.delivery is not None:
            return self._store_and_answer(rule, admitted)
        return self._store(rule, admitted)

    async def take(self, rule: LoadedRule, method: str, headers: Headers, query_string: str,
                   raw: bytes, *, capture: bool = False) -> Answer:
        """Take one delivery for the rule, whichever path it came by.

        Only what decides the answer happens here: checks, one durable write, the
        2xx. The rule's steps (filters too) run after, in the engine, which gives
        way to deliveries during a burst.
        """
        if capture:
            return await self._capture(rule, method, headers, query_string, raw)
        trigger = rule.head.trigger  # type: ignore[union-attr]  # _gate checked it
        if trigger.verify is not None:
            refusal = await self._check_signature(rule, trigger.verify, raw, headers)
            if refusal is not None:
                return refusal
        admitted = self._admit(rule, method, headers, query_string, raw)
        if isinstance(admitted, Answer):
            return admitted
        return await self._store_and_answer(rule, admitted)

    def _admit(self, rule: LoadedRule, method: str, headers: Headers, query_string: str,
               raw: bytes) -> Admitted | Answer:
        """Read the body and make the event; or the answer that turns the delivery away.

        The body is parsed here only when the rule's settings say the answer reads it
        (`rule.body_needs`, decided when the rules load); any other body is checked.
        """
        trigger = rule.head.trigger  # type: ignore[union-attr]
        needs = rule.body_needs
        rule_id = rule.id
        content_type = headers.get("Content-Type", "")
        try:
            if needs.parse:
                body = parse_body(raw, content_type, trigger.invalid_json)
            else:
                body = check_body(raw, content_type, trigger.invalid_json)
        except BadPayload as exc:
            return _plain(400, str(exc))
        is_line = needs.line and is_line_delivery(body)
        if is_line and not body["events"]:  # LINE checks the address: say yes, run nothing
            self.engine.emit("verify_request", {"rule_id": rule_id, "rule_name": rule.name,
                                                "service": "LINE"})
            return _json(200, {"ok": True})
        if needs.surveycake and not (
                isinstance(body, dict) and body.get("svid") and body.get("hash")):
            return _plain(400, tr("This address expects SurveyCake's svid and hash fields."))
        received_at, received_ts = local_now()
        delivery = delivery_id(headers, body, trigger.dedupe, needs.ids)
        event = EventRecord(
            id=new_id("ev"), rule_id=rule_id, received_at=received_at,
            received_ts=received_ts, method=method, query=query_values(query_string),
            headers=header_values(headers, hidden_headers(trigger.verify)),
            content_type=clean_text(media_type(content_type)),
            body=raw, delivery_id=delivery,
        )
        return Admitted(event, body, delivery, 200 if is_line else 202)

    async def _store_and_answer(self, rule: LoadedRule, admitted: Admitted) -> Answer:
        """Store the event (once per delivery id), then answer."""
        delivery = admitted.delivery
        if delivery is not None:
            first = await self.ledger.check_in(rule.id, delivery, admitted.event.received_ts)
            if first is not None:  # a copy the sender sent again: answer, run nothing
                return self._answer(rule.head.trigger.respond,  # type: ignore[union-attr]
                                    first, duplicate=True)
        pending = self._store(rule, admitted)
        if isinstance(pending, Answer):
            return pending
        answer = await pending.wait()
        if answer is None:
            raise RuntimeError("a delivery could not be answered")  # aiohttp answers 500
        return answer

    def _store(self, rule: LoadedRule, admitted: Admitted) -> PendingAnswer | Answer:
        """Queue the event for the next group commit; the pending answer is set once the
        commit is known. A delivery id checked in with the ledger is settled there too."""
        pending = PendingAnswer()
        try:
            self.engine.store.append_event_then(
                admitted.event, partial(self._stored, rule, admitted, pending))
        except StoreError as exc:
            self._settle_delivery(rule, admitted, stored=False)
            return self._not_stored(exc)
        return pending

    def _settle_delivery(self, rule: LoadedRule, admitted: Admitted, *, stored: bool) -> None:
        if admitted.delivery is not None:
            self.ledger.settle(rule.id, admitted.delivery,
                               admitted.event.id if stored else None)

    def _stored(self, rule: LoadedRule, admitted: Admitted, pending: PendingAnswer,
                error: BaseException | None) -> None:
        # On the loop, right after the commit: the answer goes out from here.
        try:
            self._settle_delivery(rule, admitted, stored=error is None)
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
        # On disk: the engine runs it soon; the sender hears yes.
        self.engine.accept(admitted.event, admitted.body)
        return self._answer(rule.head.trigger.respond,  # type: ignore[union-attr]
                            admitted.event.id, duplicate=False, accepted=admitted.status)

    @staticmethod
    def _not_stored(exc: BaseException) -> Answer:
        log.error("could not store an event: %s", exc)
        return _plain(503, tr("Bellhop could not save this delivery; please send it again."),
                      **{"Retry-After": "30"})

    async def _capture(self, rule: LoadedRule, method: str, headers: Headers,
                       query_string: str, raw: bytes) -> Answer:
        """Keep one delivery as the rule's sample: stored, run nothing, whatever the rule.

        A LINE rule's Verify request is no sample: it is answered, and the rule listens on."""
        content_type = headers.get("Content-Type", "")
        if rule.body_needs.line:
            try:
                if is_line_verify(parse_body(raw, content_type, "text")):
                    return _json(200, {"ok": True})  # keep listening
            except BadPayload:
                pass
        verify = rule.head.trigger.verify if rule.head is not None else None
        received_at, received_ts = local_now()
        event = EventRecord(
            id=new_id("ev"), rule_id=rule.id, received_at=received_at,
            received_ts=received_ts, method=method, query=query_values(query_string),
            headers=header_values(headers, hidden_headers(verify)),
            content_type=clean_text(media_type(content_type)), body=raw, state="sample",
        )
        try:
            await self.engine.store.append_event(event)
        except StoreError as exc:
            return self._not_stored(exc)
        self.engine.capturing.discard(rule.id)
        self.engine.emit("event_received", {"event_id": event.id, "rule_id": rule.id,
                                            "sample": True})
        return self._answer(None, event.id, duplicate=False)

    async def _check_signature(self, rule: LoadedRule, verify: VerifyConfig, raw: bytes,
                               headers: Headers) -> Answer | None:
        """None when the delivery proves its sender; else the answer to send."""
        try:
            secret = await self.secrets.get(verify.secret)
        except BellhopError as exc:
            self.engine.note_rejected(rule, exc.message)
            return _plain(503, tr("This rule has a problem; fix it in Bellhop."),
                          **{"Retry-After": "60"})
        try:
            check_delivery(verify, secret, raw, headers, time.time())
        except Rejected as exc:
            self.engine.note_rejected(rule, exc.reason)
            return _plain(401, tr("This delivery could not be verified."))
        return None

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
