"""aiohttp's side of a request: reading its body (the size limit, `Expect`, a timer for slow
senders) or the refusal that says why it could not be read, and sending an Answer back as
aiohttp's response."""

from __future__ import annotations

import asyncio

from aiohttp import HttpVersion11, web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from bellhop.core.i18n import _, data_size
from bellhop.core.inbox.answers import Answer, Answered, refusal
from bellhop.core.running.rules import LoadedRule

READ_CHUNK = 64 * 1024


class TooLarge(Exception):
    """The body went over the limit (declared, or while being read)."""


class Unexpected(Exception):
    """An Expect header other than 100-continue."""


async def read_body(request: web.BaseRequest, rule: LoadedRule, max_bytes: int,
                    timeout: float) -> bytes | Answered:
    """The whole body; or the refusal that says why it could not be read (past `max_bytes`,
    past `timeout` seconds, an `Expect` other than 100-continue, a body not as sent)."""
    try:
        return await _read(request, max_bytes, timeout)
    except TooLarge:
        return Answered(refusal(413, _("The body is larger than {limit}.").format(
            limit=data_size(max_bytes)), close=True), rule, refused="too_large")
    except Unexpected:
        return Answered(refusal(
            417, _("This address only understands “Expect: 100-continue”."), close=True),
            rule, refused="expect")
    except TimeoutError:
        return Answered(refusal(408, _("The body took too long to arrive."), close=True),
                        rule, refused="slow")
    except (RequestPayloadError, HttpProcessingError):  # e.g. gzip that is not gzip
        return Answered(refusal(400, _("The body could not be read as it was sent."),
                                close=True), rule, refused="unreadable")


async def _read(request: web.BaseRequest, max_bytes: int, timeout: float) -> bytes:
    declared = request.content_length
    if declared is not None and declared > max_bytes:
        raise TooLarge
    expect = request.headers.get("Expect")
    if expect is not None:
        await go_ahead(request, expect)
    content = request.content
    if declared is not None and content.is_eof():
        return await content.read()  # all here already: no timer needed
    chunks: list[bytes] = []
    size = 0
    async with asyncio.timeout(timeout):
        while True:
            chunk = await content.read(READ_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge
            chunks.append(chunk)
    return b"".join(chunks)


async def go_ahead(request: web.BaseRequest, expect: str) -> None:
    """Answer `Expect: 100-continue` (the address, method and declared size were checked)."""
    # The sender waits for a go-ahead before the body (curl does for large ones).
    if expect.lower() != "100-continue":
        raise Unexpected
    if request.version >= HttpVersion11:
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")


def as_response(answer: Answer) -> web.Response:
    """The answer as aiohttp sends it (the fast path writes the same answer itself)."""
    headers = {"Content-Type": answer.content_type}
    if answer.headers:
        headers.update(answer.headers)
    if answer.close:
        headers["Connection"] = "close"
    return web.Response(status=answer.status, body=answer.body, headers=headers)
