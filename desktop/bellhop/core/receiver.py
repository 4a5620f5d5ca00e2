"""The receiver: aiohttp on 127.0.0.1 answering `/hooks/<token>` and `/healthz`, nothing else.

An event is on disk before its 2xx leaves; anything wrong with a request
gets a plain 4xx and nothing is stored or run.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import TYPE_CHECKING

from aiohttp import HttpVersion11, web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from bellhop.core.dedupe import DeliveryLedger, delivery_id
from bellhop.core.errors import BellhopError
from bellhop.core.i18n import tr
from bellhop.core.payload import BadPayload, local_now, media_type, parse_body
from bellhop.core.records import EventRecord, clean_text, new_id
from bellhop.core.rules import LoadedRule, RespondConfig, VerifyConfig
from bellhop.core.secrets import CachedSecrets
from bellhop.core.store import StoreError
from bellhop.core.verify import Rejected, check_delivery

if TYPE_CHECKING:
    from bellhop.core.engine import Engine

log = logging.getLogger("bellhop.receiver")
MAX_TOKEN = 128
READ_CHUNK = 64 * 1024
BUSY_RATE = 2000  # deliveries a second


def is_line_delivery(body: object) -> bool:
    """True for a LINE Messaging API webhook (LINE counts anything but 200 as failed)."""
    return (isinstance(body, dict) and isinstance(body.get("destination"), str)
            and isinstance(body.get("events"), list))


def is_line_verify(body: object) -> bool:
    """True for the LINE console's "Verify" request: a LINE webhook with no events."""
    return is_line_delivery(body) and not body["events"]  # type: ignore[index]


def _plain(status: int, message: str, **headers: str) -> web.Response:
    body = json.dumps({"ok": False, "error": message}, ensure_ascii=False)
    return web.Response(status=status, text=body, content_type="application/json",
                        headers=headers or None)


def _query(request: web.BaseRequest) -> dict[str, str]:
    if not request.query_string:
        return {}
    return {clean_text(k): clean_text(v) for k, v in request.query.items()}


def _headers(request: web.BaseRequest) -> dict[str, str]:
    return {clean_text(k.lower()): clean_text(v) for k, v in request.headers.items()}


class TooLarge(Exception):
    """The body went over the limit while being read."""


class Unexpected(Exception):
    """An Expect header other than 100-continue."""


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
        # The engine gives way while a burst of deliveries is coming in.
        self.taken = 0
        self._taken_when_asked = 0
        self._asked_at = time.monotonic()
        engine.busy = self.busy
        self.port: int | None = None
        self.host: str | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 8765) -> int:
        """Listen on host:port (0 picks a free port); returns the port.

        aiohttp's low-level server: with two fixed addresses a router and its
        middleware chain only cost time on every delivery (about 7 µs of 35).
        """
        server = web.Server(self.handle, access_log=None)
        self._runner = web.ServerRunner(server, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else port
        self.host = host
        return self.port

    def busy(self) -> bool:
        """True when deliveries came faster than BUSY_RATE a second since the last time
        asked: the sign of a burst that takes the whole loop."""
        now = time.monotonic()
        came, span = self.taken - self._taken_when_asked, now - self._asked_at
        self._taken_when_asked, self._asked_at = self.taken, now
        return came >= 2 and came > BUSY_RATE * span

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """Every request: a webhook delivery, the health check, or 404."""
        path = request.rel_url.path_safe  # decoded, but an encoded slash stays %2F
        if path.startswith("/hooks/"):
            token = path[7:]
            if token and "/" not in token:
                self.taken += 1
                return await self.receive_hook(request, token)
        elif path == "/healthz":
            if request.method in ("GET", "HEAD"):
                return web.Response(text="ok")
            return _plain(405, tr("This address does not take that method."),
                          Allow="GET, HEAD")
        return _plain(404, tr("Nothing here."))

    async def stop(self) -> None:
        """Stop listening; requests in flight finish first."""
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

    async def _read_body(self, request: web.BaseRequest) -> bytes:
        declared = request.content_length
        if declared is not None and declared > self.max_body_bytes:
            raise TooLarge
        expect = request.headers.get("Expect")
        if expect is not None:
            await self._continue(request, expect)
        content = request.content
        if declared is not None and content.is_eof():
            return await content.read()  # all here already: no timer needed
        chunks: list[bytes] = []
        size = 0
        async with asyncio.timeout(self.body_read_timeout):
            while True:
                chunk = await request.content.read(READ_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise TooLarge
                chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    async def _continue(request: web.BaseRequest, expect: str) -> None:
        # The sender waits for a go-ahead before the body (curl does for large ones);
        # the address, method and declared size were checked already.
        if expect.lower() != "100-continue":
            raise Unexpected
        if request.version >= HttpVersion11:
            await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    async def _read_or_refuse(self, request: web.BaseRequest) -> bytes | web.Response:
        """The body, or the answer that says why it could not be read."""
        try:
            return await self._read_body(request)
        except TooLarge:
            return _plain(413, tr("The body is larger than {limit} bytes.",
                                  limit=self.max_body_bytes), Connection="close")
        except Unexpected:
            return _plain(417, tr("This address only understands “Expect: 100-continue”."),
                          Connection="close")
        except TimeoutError:
            return _plain(408, tr("The body took too long to arrive."), Connection="close")
        except (RequestPayloadError, HttpProcessingError):  # e.g. gzip that is not gzip
            return _plain(400, tr("The body could not be read as it was sent."),
                          Connection="close")

    async def receive_hook(self, request: web.BaseRequest, token: str) -> web.Response:
        """Take one delivery for the rule behind the token.

        Only what decides the answer happens here: checks, one durable write, the
        2xx. The rule's steps (filters too) run after, in the engine, which gives
        way to deliveries during a burst.
        """
        rule = self.engine.route(token) if len(token) <= MAX_TOKEN else None
        if rule is None:
            return _plain(404, tr("Nothing here."))
        if rule.id in self.engine.capturing:
            return await self._capture(rule, request)
        head = rule.head
        if head is None or not rule.available:
            # The sender retries on 503, so the delivery comes back once the rule is fixed.
            return _plain(503, tr("This rule has a problem; fix it in Bellhop."),
                          **{"Retry-After": "60"})
        trigger = head.trigger
        if request.method not in trigger.methods:
            return _plain(405, tr("This address does not take {method} requests.",
                                  method=request.method), Allow=", ".join(trigger.methods))
        raw = await self._read_or_refuse(request)
        if isinstance(raw, web.Response):
            return raw
        if trigger.verify is not None:
            refusal = await self._check_signature(rule, trigger.verify, raw, request)
            if refusal is not None:
                return refusal
        content_type = request.headers.get("Content-Type", "")
        try:
            body = parse_body(raw, content_type, trigger.invalid_json)
        except BadPayload as exc:
            return _plain(400, str(exc))
        if is_line_verify(body):  # LINE checks the address: say yes, run nothing
            self.engine.emit("verify_request", {"rule_id": rule.id, "rule_name": rule.name,
                                                "service": "LINE"})
            return web.json_response({"ok": True}, status=200)
        if trigger.surveycake is not None and not (
                isinstance(body, dict) and body.get("svid") and body.get("hash")):
            return _plain(400, tr("This address expects SurveyCake's svid and hash fields."))
        received_at, received_ts = local_now()
        delivery = delivery_id(request.headers, body, trigger.dedupe)
        if delivery is not None:
            first = await self.ledger.check_in(rule.id, delivery, received_ts)
            if first is not None:  # a copy the sender sent again: answer, run nothing
                return self._answer(trigger.respond, first, duplicate=True)
        event = EventRecord(
            id=new_id("ev"), rule_id=rule.id, received_at=received_at,
            received_ts=received_ts, method=request.method, query=_query(request),
            headers=_headers(request), content_type=clean_text(media_type(content_type)),
            body=raw, delivery_id=delivery,
        )
        stored = False
        try:
            await self.engine.store.append_event(event)
            stored = True
        except StoreError as exc:
            log.error("could not store an event: %s", exc)
            return _plain(503, tr("Bellhop could not save this delivery; please send it again."),
                          **{"Retry-After": "30"})
        finally:
            if delivery is not None:
                self.ledger.settle(rule.id, delivery, event.id if stored else None)
        self.engine.accept(event, body)
        return self._answer(trigger.respond, event.id, duplicate=False,
                            accepted=200 if is_line_delivery(body) else 202)

    async def _capture(self, rule: LoadedRule, request: web.BaseRequest) -> web.Response:
        """Keep one delivery as the rule's sample: stored, run nothing, whatever the rule."""
        raw = await self._read_or_refuse(request)
        if isinstance(raw, web.Response):
            return raw
        content_type = request.headers.get("Content-Type", "")
        try:
            if is_line_verify(parse_body(raw, content_type, "text")):
                return web.json_response({"ok": True}, status=200)  # keep listening
        except BadPayload:
            pass
        received_at, received_ts = local_now()
        event = EventRecord(
            id=new_id("ev"), rule_id=rule.id, received_at=received_at,
            received_ts=received_ts, method=request.method,
            query=_query(request), headers=_headers(request),
            content_type=clean_text(media_type(request.headers.get("Content-Type", ""))),
            body=raw, state="sample",
        )
        try:
            await self.engine.store.append_event(event)
        except StoreError:
            return _plain(503, tr("Bellhop could not save this delivery; please send it again."),
                          **{"Retry-After": "30"})
        self.engine.capturing.discard(rule.id)
        self.engine.emit("event_received", {"event_id": event.id, "rule_id": rule.id,
                                            "sample": True})
        return self._answer(None, event.id, duplicate=False)

    async def _check_signature(self, rule: LoadedRule, verify: VerifyConfig, raw: bytes,
                               request: web.BaseRequest) -> web.Response | None:
        """None when the delivery proves its sender; else the answer to send."""
        try:
            secret = await self.secrets.get(verify.secret)
        except BellhopError as exc:
            self.engine.note_rejected(rule, exc.message)
            return _plain(503, tr("This rule has a problem; fix it in Bellhop."),
                          **{"Retry-After": "60"})
        try:
            check_delivery(verify, secret, raw, request.headers, time.time())
        except Rejected as exc:
            self.engine.note_rejected(rule, exc.reason)
            return _plain(401, tr("This delivery could not be verified."))
        return None

    @staticmethod
    def _answer(respond: RespondConfig | None, event_id: str, *, duplicate: bool,
                accepted: int = 202) -> web.Response:
        if respond is not None:
            return web.Response(status=200 if duplicate else respond.status,
                                body=respond.body.encode("utf-8"),
                                headers={"Content-Type": respond.content_type})
        if duplicate:
            return web.json_response({"ok": True, "event_id": event_id, "duplicate": True},
                                     status=200)
        # Event ids are plain ASCII: the body is put together without a JSON encoder.
        return web.Response(status=accepted, content_type="application/json",
                            body=b'{"ok": true, "event_id": "' + event_id.encode() + b'"}')
