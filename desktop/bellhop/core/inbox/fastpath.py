"""The fast path: plain webhook deliveries read and answered here; aiohttp takes the rest.

Contract:

* It takes only this shape: `POST /hooks/<token> HTTP/1.1`, ASCII headers each
  named once, a Content-Length (no more than the body limit), no
  Transfer-Encoding, Content-Encoding, Expect, Upgrade, TE or Trailer header,
  `Connection` absent, `keep-alive` or `close`, and the whole request in the
  bytes received so far. A packet is read whole (up to aiohttp's own read-ahead)
  before its first request is taken, because aiohttp parses a packet before it
  runs any request in it.
* Anything else goes to aiohttp's low-level server (`RequestHandler`) with the
  connection as it stands, every byte received and not yet answered included,
  and stays there: another address or method, a chunked or compressed body, a
  request split across packets, a header it does not fully understand, and any
  packet holding one such request (its first requests included). This module
  never answers 400 on its own: doubt goes to aiohttp.
* Its answers are byte for byte aiohttp's for the same request, except the
  `Server` header, which it leaves out (tests send the same bytes both ways and
  compare). The checks and the answers themselves are the receiver's, shared by
  both paths; an answer waits for the event's group commit as on aiohttp's path.

The hand-over uses aiohttp's `RequestHandler` as a protocol (`connection_made`,
then `data_received` with the bytes so far) and mirrors its read-ahead
(`MAX_MSG_QUEUE_SIZE`): pyproject.toml pins aiohttp to the releases this is
tested with.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import formatdate
from functools import partial
from http import HTTPStatus
from typing import Any

from aiohttp import web_protocol

from bellhop.core.inbox.answers import Answer, PendingAnswer, refusal

log = logging.getLogger("bellhop.receiver")

MAX_HEAD = 8190  # aiohttp's own line limit: a longer head goes to aiohttp and its checks
# Pipelined requests wait while one is answered; past this the socket stops being read.
MAX_BUFFERED = 256 * 1024
# Requests aiohttp parses ahead of the one it answers; the rest of a packet waits its turn
# (an aiohttp without this limit parses every packet whole).
READ_AHEAD: int = getattr(web_protocol, "MAX_MSG_QUEUE_SIZE", 0) or sys.maxsize

_REQUEST_LINE = re.compile(
    rb"POST /hooks/([A-Za-z0-9_-]{1,128})(?:\?([!\"$-~]*))? HTTP/1\.1")
_HEADER_BLOCK = re.compile(rb"(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e]*\r\n)*")
# Headers whose meaning aiohttp implements (bodies in pieces, compression, go-aheads,
# protocol switches): a request carrying one is aiohttp's.
_NOT_OURS = frozenset(("transfer-encoding", "content-encoding", "expect", "upgrade", "te",
                       "trailer"))


class LowerHeaders(dict[str, str]):
    """Header names in lower case, each once; looked up whatever the case asked for."""

    __slots__ = ()

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return dict.get(self, name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return dict.__getitem__(self, name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and dict.__contains__(self, name.lower())


@dataclass(slots=True)
class Delivery:
    """One request read by the fast path."""

    token: str
    query_string: str
    headers: LowerHeaders
    body: bytes
    close: bool  # the sender said `Connection: close`


def read_delivery(buffer: bytes, max_body: int, start: int = 0) -> tuple[Delivery, int] | None:
    """The request at `start` in `buffer` and where it ends, or None: not the fast path's.

    None covers an incomplete request too: whatever arrived goes to aiohttp,
    which waits for the rest under its own limits.
    """
    end = buffer.find(b"\r\n\r\n", start, start + MAX_HEAD)
    if end < 0:
        return None
    first = buffer.find(b"\r\n", start, end + 2)
    line = _REQUEST_LINE.fullmatch(buffer, start, first)
    if line is None or _HEADER_BLOCK.fullmatch(buffer, first + 2, end + 2) is None:
        return None
    headers = LowerHeaders()
    put = headers.setdefault
    length: int | None = None
    close = False
    lines = buffer[first + 2:end].decode("ascii").split("\r\n") if end > first else ()
    for count, raw in enumerate(lines, 1):
        name, _, value = raw.partition(":")
        key = name.lower()
        value = value.strip(" \t")
        put(key, value)
        if len(headers) != count:
            return None  # a repeated header: aiohttp keeps every copy
        if key == "content-length":
            if not value.isdigit() or len(value) > 12:
                return None
            length = int(value)
        elif key in _NOT_OURS:
            return None
        elif key == "connection":
            kind = value.lower()
            if kind == "close":
                close = True
            elif kind != "keep-alive":
                return None
    body = end + 4
    if length is None or length > max_body or len(buffer) - body < length:
        return None
    query = line.group(2)
    delivery = Delivery(
        token=line.group(1).decode("ascii"),
        query_string=query.decode("ascii") if query else "",
        headers=headers,
        body=buffer[body:body + length],
        close=close,
    )
    return delivery, body + length


def read_deliveries(buffer: bytes, start: int, room: int,
                    max_body: int) -> tuple[list[tuple[Delivery, int]], int] | None:
    """Up to `room` requests from `start` on, each with its length, and where they end.

    None unless the fast path reads every byte up to the end or the `room`-th request:
    aiohttp refuses all of them for garbage, a request with both Content-Length and
    Transfer-Encoding, or bytes after `Connection: close`, and anything else the fast
    path cannot read (a request not all here, a GET) goes to aiohttp with those before it.
    """
    found: list[tuple[Delivery, int]] = []
    size = len(buffer)
    while start < size and len(found) < room:
        one = read_delivery(buffer, max_body, start)
        if one is None:
            return None
        delivery, end = one
        found.append((delivery, end - start))
        start = end
        if delivery.close and start < size and len(found) < room:
            return None  # aiohttp takes only line breaks after it; the fast path, nothing
    return found, start


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


_starts: dict[tuple[int, str], bytes] = {}


def _start(status: int, content_type: str) -> bytes:
    start = _starts.get((status, content_type))
    if start is None:
        start = b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: " % (
            status, _reason(status), _header_value(content_type))
        if len(_starts) < 64:  # a rule's own answers are few; never let them pile up
            _starts[(status, content_type)] = start
    return start


def wire(answer: Answer, close: bool) -> bytes:
    """The answer as the bytes of an HTTP/1.1 response."""
    parts = [_start(answer.status, answer.content_type),
             b"%d\r\nDate: %s\r\n" % (len(answer.body), _http_date())]
    for name, value in (answer.headers or {}).items():
        parts.append(b"%s: %s\r\n" % (_header_value(name), _header_value(value)))
    if close:
        parts.append(b"Connection: close\r\n")
    parts.append(b"\r\n")
    parts.append(answer.body)
    return b"".join(parts)


SERVER_ERROR = refusal(500, "Internal error", close=True)


class HookConnection(asyncio.Protocol):
    """One connection on the fast path, until it needs aiohttp."""

    def __init__(self, take: Callable[[Delivery], Answer | PendingAnswer | Awaitable[Answer]],
                 fallback: Callable[[], asyncio.Protocol], connections: set[HookConnection],
                 max_body: int, error_answer: Callable[[], Answer] = lambda: SERVER_ERROR) -> None:
        self._take = take
        self._fallback = fallback
        self._connections = connections
        self._max_body = max_body
        self._error_answer = error_answer
        self._transport: asyncio.Transport | None = None
        self._buffer = b""
        # Requests at the buffer's head read with their packet, and the bytes they hold.
        self._ahead: deque[tuple[Delivery, int]] = deque()
        self._read = 0
        self._busy = False
        self._paused = False  # reading stopped: too much waiting in the buffer
        self._blocked = False  # the sender is not reading its answers
        self._looping = False
        self.last_seen = 0.0
        # The answer being waited for: the group commit's, or a coroutine's.
        self._pending_answer: PendingAnswer | None = None
        self._task: asyncio.Future[Answer] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]
        self._connections.add(self)
        self.last_seen = time.monotonic()

    def connection_lost(self, exc: Exception | None) -> None:
        # A delivery being stored is still stored and run; only its answer has nowhere to go.
        self._connections.discard(self)
        self._transport = None
        self._buffer = b""
        self._ahead.clear()
        self._read = 0

    def data_received(self, data: bytes) -> None:
        self.last_seen = time.monotonic()
        start = len(self._buffer)
        self._buffer = self._buffer + data if self._buffer else data
        if start == self._read:  # read a packet as aiohttp does: when it comes, on its own
            self._read_ahead()
        if self._busy or self._blocked:
            if len(self._buffer) > MAX_BUFFERED:
                self._paused = True
                self._follow_reading()
            return
        self._next()

    def pause_writing(self) -> None:
        # A sender that pipelines without reading its answers: read nothing more until it does.
        self._blocked = True
        self._follow_reading()

    def resume_writing(self) -> None:
        self._blocked = False
        self._follow_reading()
        self._next()

    def _follow_reading(self) -> None:
        # Read while neither reason to wait holds (both calls do nothing when repeated).
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if self._paused or self._blocked:
            transport.pause_reading()
        else:
            transport.resume_reading()

    @property
    def idle(self) -> bool:
        """Nothing being answered and nothing half-received."""
        return not self._busy and not self._buffer

    def close(self) -> None:
        """End the connection (when idle, or on shutdown)."""
        if self._transport is not None:
            self._transport.close()

    def _next(self) -> None:
        # A loop, not recursion: a sender may pipeline thousands of requests answered at once.
        if self._looping:
            return
        self._looping = True
        try:
            while (self._buffer and not self._busy and not self._blocked
                   and self._transport is not None):
                self._one()
        finally:
            self._looping = False

    def _read_ahead(self) -> bool:
        """Read requests after those already read, as many as aiohttp would; False: cannot."""
        found = read_deliveries(self._buffer, self._read, READ_AHEAD - len(self._ahead),
                                self._max_body)
        if found is None:
            return False
        deliveries, self._read = found
        self._ahead.extend(deliveries)
        return True

    def _one(self) -> None:
        # Bytes left unread (they came while a request was answered, or filled aiohttp's
        # read-ahead) are read when their turn comes, with what came after them.
        if not self._ahead and not self._read_ahead():
            self._hand_over()
            return
        delivery, used = self._ahead.popleft()
        self._read -= used
        self._buffer = self._buffer[used:]
        if len(self._buffer) > self._read:
            self._read_ahead()  # aiohttp too reads on as it takes each request
        self._busy = True
        try:
            result = self._take(delivery)
        except Exception:
            log.exception("a delivery on the fast path failed")
            self._reply(self._error_answer(), delivery, failed=True)
            return
        if isinstance(result, Answer):
            self._reply(result, delivery)
            return
        if isinstance(result, PendingAnswer):  # the usual delivery: its commit answers it
            self._pending_answer = result
            result.when_answered(partial(self._commit_answered, delivery))
            return
        task = asyncio.ensure_future(result)  # a coroutine: signatures, delivery ids
        self._task = task
        task.add_done_callback(partial(self._task_answered, delivery))

    def in_flight(self) -> asyncio.Future[Any] | None:
        """What the delivery being answered waits for, if one is."""
        if self._pending_answer is not None:
            return self._pending_answer.wait()
        return self._task

    def _commit_answered(self, delivery: Delivery, answer: Answer | None) -> None:
        self._pending_answer = None
        if answer is None:
            self._reply(self._error_answer(), delivery, failed=True)
        else:
            self._reply(answer, delivery)

    def _task_answered(self, delivery: Delivery, task: asyncio.Future[Answer]) -> None:
        self._task = None
        try:
            answer = task.result()
        except (Exception, asyncio.CancelledError):
            log.exception("a delivery on the fast path failed")
            self._reply(self._error_answer(), delivery, failed=True)
            return
        self._reply(answer, delivery)

    def _reply(self, answer: Answer, delivery: Delivery, failed: bool = False) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        close = failed or answer.close or delivery.close
        try:
            data = wire(answer, close)
        except ValueError:  # e.g. a line break in a rule's own content type
            log.exception("an answer could not be written")
            close, data = True, wire(self._error_answer(), True)
        transport.write(data)
        if close:
            transport.close()
            return
        self._busy = False
        if self._paused:
            self._paused = False
            self._follow_reading()
        self._next()

    def _hand_over(self) -> None:
        # aiohttp takes the connection as it stands, bytes not yet parsed included.
        transport = self._transport
        assert transport is not None
        self._connections.discard(self)
        self._paused = self._blocked = False
        self._follow_reading()
        handler = self._fallback()
        transport.set_protocol(handler)
        handler.connection_made(transport)
        pending, self._buffer = self._buffer, b""
        self._transport = None
        if pending:
            handler.data_received(pending)
