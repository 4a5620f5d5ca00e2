"""The short road for plain deliveries; aiohttp for everything else.

Nearly every webhook is the same shape: one `POST /hooks/<token> HTTP/1.1`
with a few ASCII headers, a Content-Length and the whole body in the same
packet. `HookConnection` reads exactly that shape itself and answers with
bytes it writes in one go, which costs about a third of what aiohttp's
general request and response objects cost. The moment a connection shows
anything else (chunked or compressed bodies, `Expect`, an upgrade, a header
it does not fully understand, a request split across packets, any other
address or method), the connection is handed to aiohttp as it stands, bytes
received so far included, and stays there. Doubt always goes to aiohttp: this
module never answers 400 on its own.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus

from multidict import CIMultiDict

log = logging.getLogger("bellhop.receiver")

MAX_HEAD = 8190  # aiohttp's own line limit: a longer head goes to aiohttp and its checks
# Pipelined requests wait while one is answered; past this the socket stops being read.
MAX_BUFFERED = 256 * 1024

_REQUEST_LINE = re.compile(
    rb"POST /hooks/([A-Za-z0-9_-]{1,128})(?:\?([!\"$-~]*))? HTTP/1\.1")
_HEADER_BLOCK = re.compile(rb"(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e]*\r\n)*")
# Headers whose meaning aiohttp implements (bodies in pieces, compression, go-aheads,
# protocol switches): a request carrying one is aiohttp's.
_NOT_OURS = frozenset((b"transfer-encoding", b"content-encoding", b"expect", b"upgrade",
                       b"te", b"trailer"))


@dataclass(slots=True)
class Answer:
    """What to send back, whichever road the request came by."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] | None = None
    close: bool = False  # the connection ends after this answer


@dataclass(slots=True)
class Delivery:
    """One request read by the short road."""

    token: str
    query_string: str
    headers: CIMultiDict[str]
    body: bytes
    close: bool  # the sender said `Connection: close`


def read_delivery(buffer: bytes, max_body: int) -> tuple[Delivery, int] | None:
    """The first request in `buffer` and where it ends, or None: not this road's to take.

    None covers an incomplete request too: whatever arrived is given to aiohttp,
    which waits for the rest under its own limits.
    """
    end = buffer.find(b"\r\n\r\n", 0, MAX_HEAD)
    if end < 0:
        return None
    first = buffer.find(b"\r\n", 0, end + 2)
    line = _REQUEST_LINE.fullmatch(buffer, 0, first)
    if line is None or _HEADER_BLOCK.fullmatch(buffer, first + 2, end + 2) is None:
        return None
    pairs: list[tuple[str, str]] = []
    length: int | None = None
    close = False
    for raw in buffer[first + 2:end].split(b"\r\n") if end > first else ():
        name, _, value = raw.partition(b":")
        value = value.strip(b" \t")
        lower = name.lower()
        if lower in _NOT_OURS:
            return None
        if lower == b"content-length":
            if length is not None or not value.isdigit() or len(value) > 12:
                return None
            length = int(value)
        elif lower == b"connection":
            kind = value.lower()
            if kind == b"close":
                close = True
            elif kind != b"keep-alive":
                return None
        pairs.append((name.decode("ascii"), value.decode("ascii")))
    start = end + 4
    if length is None or length > max_body or len(buffer) - start < length:
        return None
    query = line.group(2)
    delivery = Delivery(
        token=line.group(1).decode("ascii"),
        query_string=query.decode("ascii") if query else "",
        headers=CIMultiDict(pairs),
        body=buffer[start:start + length],
        close=close,
    )
    return delivery, start + length


_date: tuple[int, bytes] = (0, b"")


def _http_date() -> bytes:
    global _date
    now = int(time.time())
    if now != _date[0]:
        _date = (now, formatdate(now, usegmt=True).encode("ascii"))
    return _date[1]


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


def _header_value(value: str) -> bytes:
    if "\r" in value or "\n" in value:
        raise ValueError("a header value may not hold a line break")
    return value.encode("utf-8")


def wire(answer: Answer, close: bool) -> bytes:
    """The answer as the bytes of an HTTP/1.1 response."""
    parts = [b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nDate: %s\r\n" % (
        answer.status, _reason(answer.status), _header_value(answer.content_type),
        len(answer.body), _http_date())]
    for name, value in (answer.headers or {}).items():
        parts.append(b"%s: %s\r\n" % (_header_value(name), _header_value(value)))
    if close:
        parts.append(b"Connection: close\r\n")
    parts.append(b"\r\n")
    parts.append(answer.body)
    return b"".join(parts)


SERVER_ERROR = Answer(500, b'{"ok": false, "error": "Internal error"}', close=True)


class HookConnection(asyncio.Protocol):
    """One connection on the short road, until it needs aiohttp."""

    def __init__(self, take: Callable[[Delivery], Awaitable[Answer]],
                 fallback: Callable[[], asyncio.Protocol], connections: set[HookConnection],
                 max_body: int, error_answer: Callable[[], Answer] = lambda: SERVER_ERROR) -> None:
        self._take = take
        self._fallback = fallback
        self._connections = connections
        self._max_body = max_body
        self._error_answer = error_answer
        self._transport: asyncio.Transport | None = None
        self._buffer = b""
        self._busy = False
        self._paused = False
        self.last_seen = 0.0
        self.in_flight: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]
        self._connections.add(self)
        self.last_seen = time.monotonic()

    def connection_lost(self, exc: Exception | None) -> None:
        # A delivery being stored is still stored and run; only its answer has nowhere to go.
        self._connections.discard(self)
        self._transport = None
        self._buffer = b""

    def data_received(self, data: bytes) -> None:
        self.last_seen = time.monotonic()
        self._buffer = self._buffer + data if self._buffer else data
        if self._busy:
            if len(self._buffer) > MAX_BUFFERED and not self._paused:
                self._paused = True
                self._transport.pause_reading()  # type: ignore[union-attr]
            return
        self._next()

    @property
    def idle(self) -> bool:
        """Nothing being answered and nothing half-received."""
        return not self._busy and not self._buffer

    def close(self) -> None:
        """End the connection (when idle, or on shutdown)."""
        if self._transport is not None:
            self._transport.close()

    def _next(self) -> None:
        if not self._buffer or self._transport is None:
            return
        found = read_delivery(self._buffer, self._max_body)
        if found is None:
            self._hand_over()
            return
        delivery, used = found
        self._buffer = self._buffer[used:]
        self._busy = True
        self.in_flight = asyncio.get_running_loop().create_task(self._serve(delivery))

    async def _serve(self, delivery: Delivery) -> None:
        try:
            answer = await self._take(delivery)
            data = wire(answer, answer.close or delivery.close)
        except Exception:
            log.exception("a delivery on the short road failed")
            answer = self._error_answer()
            data = wire(answer, True)
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        transport.write(data)
        if answer.close or delivery.close:
            transport.close()
            return
        self._busy = False
        self.in_flight = None
        if self._paused:
            self._paused = False
            transport.resume_reading()
        self._next()

    def _hand_over(self) -> None:
        # aiohttp takes the connection as it stands, bytes not yet parsed included.
        transport = self._transport
        assert transport is not None
        self._connections.discard(self)
        if self._paused:
            self._paused = False
            transport.resume_reading()
        handler = self._fallback()
        transport.set_protocol(handler)
        handler.connection_made(transport)
        pending, self._buffer = self._buffer, b""
        self._transport = None
        if pending:
            handler.data_received(pending)
