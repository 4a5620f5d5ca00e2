"""HTTP/1.1 written and read byte for byte over a raw socket, for fuzzing the receiver.

Requests are exactly the bytes given (Content-Length, chunking and encodings as the caller
says), so a test or a benchmark can send what no HTTP client would.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass

HOST = "127.0.0.1"
STATUS_LINE = re.compile(rb"^HTTP/\d\.\d (\d{3})(?: [^\r\n]*)?\r\n")


@dataclass
class Answer:
    """One HTTP response as it came off the socket (status 0: closed without one)."""

    status: int
    headers: dict[str, str]
    body: bytes


class NotHttp(AssertionError):
    """The bytes that came back are not an HTTP response."""


async def read_answer(reader: asyncio.StreamReader, head: bool = False) -> Answer:
    """Read one HTTP answer (after any 100 Continue); `head`: it has no body."""
    while True:
        raw_head = await reader.readuntil(b"\r\n\r\n")
        match = STATUS_LINE.match(raw_head)
        if not match:
            raise NotHttp(f"not an HTTP status line: {raw_head[:200]!r}")
        status = int(match.group(1))
        headers: dict[str, str] = {}
        for line in raw_head.split(b"\r\n")[1:]:
            if not line:
                continue
            name, colon, value = line.partition(b":")
            if not colon:
                raise NotHttp(f"malformed header line in the answer: {line[:200]!r}")
            headers[name.decode("latin-1").lower()] = value.strip().decode("latin-1")
        if status != 100:  # 100 Continue comes before the real answer
            break
    if head or status in (204, 304):
        return Answer(status, headers, b"")
    if "content-length" in headers:
        return Answer(status, headers, await reader.readexactly(int(headers["content-length"])))
    return Answer(status, headers, await reader.read())


async def exchange(port: int, request: bytes, *, head: bool = False,
                   timeout: float = 15.0) -> Answer:
    """Send raw bytes to 127.0.0.1:port and read one HTTP answer, all within `timeout`."""
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(request)
            with contextlib.suppress(ConnectionError):  # the server may answer before reading
                await writer.drain()
            return await read_answer(reader, head)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def request_bytes(method: str, target: str, headers: list[tuple[str, str]],
                  body: bytes = b"") -> bytes:
    """A request exactly as given; Host and Connection: close are added first and last."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}",
             *(f"{name}: {value}" for name, value in headers), "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def post(target: str, body: bytes, content_type: str | None = "application/json",
         extra: list[tuple[str, str]] | None = None) -> bytes:
    """A well-framed POST."""
    headers = [("Content-Type", content_type)] if content_type else []
    return request_bytes("POST", target, [*headers, *(extra or []),
                                          ("Content-Length", str(len(body)))], body)


def with_raw_header(request: bytes, name: bytes, value: bytes) -> bytes:
    """`request` with one more header right after Host, as raw bytes (not UTF-8, say)."""
    host = f"Host: {HOST}\r\n".encode()
    return request.replace(host, host + name + b": " + value + b"\r\n", 1)
