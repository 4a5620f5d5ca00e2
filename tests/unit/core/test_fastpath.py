"""The fast path for plain deliveries, and the hand-over of everything else to aiohttp.

Requests here are written byte by byte on real loopback sockets, so each test
knows which path it takes: aiohttp's answers carry a `Server` header, the fast
path's do not.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import re
import socket
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from enginekit import Probe, make_rule, start_app, token_of

from bellhop.core.inbox import delivery as admitting
from bellhop.core.inbox import fastpath
from bellhop.core.inbox.answers import Answer
from bellhop.core.inbox.fastpath import read_deliveries, read_delivery, wire
from bellhop.core.platform.secrets import set_secret
from bellhop.service import Bellhop

Reply = tuple[int, dict[str, str], bytes]
ORDER = json.dumps({"id": 1001, "total_price": "1280.00", "name": "#1001"}).encode()


def post(token: str, body: bytes = ORDER, *, query: str = "", extra: bytes = b"",
         version: bytes = b"HTTP/1.1", method: bytes = b"POST") -> bytes:
    target = f"/hooks/{token}" + (f"?{query}" if query else "")
    return (method + b" " + target.encode() + b" " + version + b"\r\n"
            b"Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n".encode() + extra + b"\r\n" + body)


def chunked(token: str, body: bytes = ORDER) -> bytes:
    return (f"POST /hooks/{token} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
            + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")


async def read_reply(reader: asyncio.StreamReader) -> Reply:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(lines[0].split()[1]), headers, body


class Client:
    """One raw connection to the receiver."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def send(self, *parts: bytes, pause: float = 0.05) -> None:
        for n, part in enumerate(parts):
            if n:
                await asyncio.sleep(pause)  # a separate packet
            self.writer.write(part)
            await self.writer.drain()

    async def reply(self) -> Reply:
        return await read_reply(self.reader)

    async def closed_by_server(self) -> bool:
        return await asyncio.wait_for(self.reader.read(1), 10) == b""

    def close(self) -> None:
        self.writer.close()


async def connect(app: Bellhop) -> Client:
    assert app.receiver is not None
    return Client(*await asyncio.open_connection("127.0.0.1", app.receiver.port))


def fast_path(reply: Reply) -> bool:
    return "server" not in reply[1]


async def stored(app: Bellhop) -> list[tuple[str, str, str, bytes]]:
    return await app.store.read(lambda conn: conn.execute(
        "SELECT id, query, headers, body FROM events ORDER BY seq").fetchall())


@pytest.fixture
async def app(home: Path) -> Any:
    rules = [make_rule([{"type": "probe", "text": "{{ body.name }}"}]),
             make_rule([], rule_id="put", name="PUT only", methods=["PUT"]),
             make_rule([], rule_id="plain", name="Says ok",
                       respond={"status": 200, "body": "thanks", "content_type": "text/plain"}),
             make_rule([], rule_id="line", name="LINE",
                       verify={"scheme": "line", "secret": "line-signing"})]
    set_secret("line-signing", LINE_SECRET)
    started = await start_app(home, rules, Probe())
    yield started
    await started.stop()


# --- reading a request ------------------------------------------------------------------------

def test_a_plain_delivery_is_read_with_its_headers_query_and_body() -> None:
    data = post("tok_en-1", query="a=1&b=%E4%B8%AD", extra=b"X-Shopify-Topic:  orders/create \r\n")
    found = read_delivery(data + b"GET /next", 1024)
    assert found is not None
    delivery, used = found
    assert data[used:] == b"" and used == len(data)
    assert (delivery.token, delivery.query_string, delivery.body) == (
        "tok_en-1", "a=1&b=%E4%B8%AD", ORDER)
    assert delivery.headers["x-shopify-topic"] == "orders/create"
    assert delivery.headers["CONTENT-LENGTH"] == str(len(ORDER))
    assert delivery.close is False
    assert read_delivery(post("t", extra=b"Connection: close\r\n"), 1024)[0].close is True  # type: ignore[index]


@pytest.mark.parametrize("data", [
    pytest.param(chunked("tok"), id="chunked body"),
    pytest.param(post("tok", extra=b"Content-Encoding: gzip\r\n"), id="compressed body"),
    pytest.param(post("tok", extra=b"Expect: 100-continue\r\n"), id="expect"),
    pytest.param(post("tok", extra=b"Upgrade: websocket\r\nConnection: upgrade\r\n"), id="upgrade"),
    pytest.param(post("tok", extra=b"Content-Length: 3\r\n"), id="two lengths"),
    pytest.param(post("tok", extra=b"X-Tag: a\r\nx-tag: b\r\n"), id="repeated header"),
    pytest.param(post("tok").replace(b"Content-Length: ", b"Content-Length: +"),
                 id="signed length"),
    pytest.param(post("tok").replace(b"Content-Type:", b"Content-Type :"), id="space before colon"),
    pytest.param(post("tok").replace(b"Host: 127.0.0.1\r\n", b"Host: 127.0.0.1\n"), id="bare LF"),
    pytest.param(post("tok", extra=b"X-Long: a\r\n  b\r\n"), id="folded header"),
    pytest.param(post("tok", extra="X-Name: 王\r\n".encode()), id="non-ASCII header"),
    pytest.param(post("tok", extra=b"X-Nul: a\x00b\r\n"), id="control character"),
    pytest.param(post("tok", version=b"HTTP/1.0"), id="HTTP/1.0"),
    pytest.param(post("tok", method=b"PUT"), id="other method"),
    pytest.param(post("a%2Fb"), id="encoded path"),
    pytest.param(post("tok", query="a=1#frag"), id="fragment"),
    pytest.param(post("x" * 129), id="token too long"),
    pytest.param(post("tok", extra=b"X-Big: " + b"a" * 9000 + b"\r\n"), id="head too long"),
    pytest.param(post("tok", b"x" * 2000), id="body over the limit"),
    pytest.param(post("tok")[:-5], id="body not all here"),
    pytest.param(post("tok")[:30], id="head not all here"),
    pytest.param(post("tok").replace(b"Content-Length", b"X-Length"), id="no length"),
])
def test_anything_else_is_left_to_aiohttp(data: bytes) -> None:
    assert read_delivery(data, 1024) is None


def test_a_packet_is_read_whole_or_not_at_all() -> None:
    one, close = post("tok"), post("tok", extra=b"Connection: close\r\n")
    found = read_deliveries(b"xx" + one * 3, 2, 32, 1024)
    assert found is not None and found[1] == 2 + 3 * len(one)
    assert [(d.body, used) for d, used in found[0]] == [(ORDER, len(one))] * 3
    found = read_deliveries(one * 3 + b"GARBAGE", 0, 2, 1024)  # room for two: the rest waits
    assert found is not None and (len(found[0]), found[1]) == (2, 2 * len(one))
    for refused in (one * 2 + b"GARBAGE", one + one[:-1], close + one, one + close + b"\r\n",
                    one + post("tok", extra=b"Transfer-Encoding: chunked\r\n")):
        assert read_deliveries(refused, 0, 32, 1024) is None
    found = read_deliveries(close + one, 0, 1, 1024)  # what follows is past the read-ahead
    assert found is not None and found[1] == len(close)


def test_answers_are_written_as_http_with_date_length_and_extra_headers() -> None:
    data = wire(Answer(405, b'{"ok": false}', headers={"Allow": "PUT"}), close=True)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"HTTP/1.1 405 Method Not Allowed"
    assert b"Content-Length: 13" in lines and b"Allow: PUT" in lines
    assert b"Connection: close" in lines and body == b'{"ok": false}'
    assert any(line.startswith(b"Date: ") and line.endswith(b" GMT") for line in lines)
    with pytest.raises(ValueError):
        wire(Answer(200, b"", content_type="text/plain\r\nX-Evil: 1"), close=False)


# --- on real connections ----------------------------------------------------------------------

async def test_a_plain_delivery_takes_the_fast_path_and_is_stored(app: Bellhop) -> None:
    client = await connect(app)
    await client.send(post(token_of(app), query="src=shop&tag=%E4%B8%AD+x"))
    reply = await client.reply()
    client.close()
    assert fast_path(reply) and reply[0] == 202
    assert reply[1]["content-type"] == "application/json"
    event_id = json.loads(reply[2])["event_id"]
    [(stored_id, query, headers, body)] = await stored(app)
    assert stored_id == event_id and bytes(body) == ORDER
    assert json.loads(query) == {"src": "shop", "tag": "中 x"}
    assert json.loads(headers)["content-type"] == "application/json"


async def test_keep_alive_and_pipelined_requests_are_answered_in_order(app: Bellhop) -> None:
    client = await connect(app)
    token = token_of(app)
    await client.send(post(token))
    first = await client.reply()
    await client.send(post(token, b'{"name": "B"}') + post(token, b'{"name": "C"}'))
    second, third = await client.reply(), await client.reply()
    client.close()
    replies = [first, second, third]
    assert all(fast_path(r) and r[0] == 202 for r in replies)
    ids = [json.loads(r[2])["event_id"] for r in replies]
    rows = await stored(app)
    assert [row[0] for row in rows] == ids
    assert [bytes(row[3]) for row in rows] == [ORDER, b'{"name": "B"}', b'{"name": "C"}']


async def test_a_chunked_request_moves_the_connection_to_aiohttp_for_good(app: Bellhop) -> None:
    client = await connect(app)
    token = token_of(app)
    await client.send(post(token))
    plain = await client.reply()
    await client.send(chunked(token, b'{"name": "chunks"}'))
    chunky = await client.reply()
    await client.send(post(token, b'{"name": "after"}'))
    after = await client.reply()
    client.close()
    assert fast_path(plain) and not fast_path(chunky) and not fast_path(after)
    assert [r[0] for r in (plain, chunky, after)] == [202, 202, 202]
    assert [bytes(row[3]) for row in await stored(app)] == [
        ORDER, b'{"name": "chunks"}', b'{"name": "after"}']


async def test_a_request_split_across_packets_is_finished_by_aiohttp(app: Bellhop) -> None:
    data = post(token_of(app))
    client = await connect(app)
    await client.send(data[:40], data[40:-10], data[-10:])
    reply = await client.reply()
    client.close()
    assert reply[0] == 202 and not fast_path(reply)
    assert [bytes(row[3]) for row in await stored(app)] == [ORDER]


async def test_connection_close_is_honoured(app: Bellhop) -> None:
    client = await connect(app)
    await client.send(post(token_of(app), extra=b"Connection: close\r\n"))
    reply = await client.reply()
    assert reply[0] == 202 and fast_path(reply)
    assert reply[1]["connection"] == "close"
    assert await client.closed_by_server()


LINE_SECRET = "line-channel-secret"
LINE_VERIFY = b'{"destination": "U1", "events": []}'


def line_signed(body: bytes) -> bytes:
    mac = hmac.new(LINE_SECRET.encode(), body, hashlib.sha256).digest()
    return b"X-Line-Signature: " + base64.b64encode(mac) + b"\r\n"


RoadCase = Callable[[Bellhop], bytes]
CASES: list[tuple[str, RoadCase]] = [
    ("unknown address", lambda app: post("no-such-token")),
    ("method the rule does not take", lambda app: post(token_of(app, "put"))),
    ("broken JSON", lambda app: post(token_of(app), b'{"name": ')),
    ("the rule's own answer", lambda app: post(token_of(app, "plain"))),
    ("LINE checking the address", lambda app: post(
        token_of(app, "line"), LINE_VERIFY, extra=line_signed(LINE_VERIFY))),
    ("LINE, unsigned", lambda app: post(token_of(app, "line"), LINE_VERIFY)),
    ("LINE, broken JSON", lambda app: post(
        token_of(app, "line"), b'{"events": ', extra=line_signed(b'{"events": '))),
    # A rule that checks no signature knows LINE by the header LINE always sends.
    ("LINE checking an unsigned rule's address", lambda app: post(
        token_of(app), LINE_VERIFY, extra=b"X-Line-Signature: unchecked\r\n")),
]


@pytest.mark.parametrize("case", [name for name, _ in CASES])
async def test_both_paths_give_the_same_answer(app: Bellhop, case: str) -> None:
    data = dict(CASES)[case](app)
    client = await connect(app)
    await client.send(data)
    short = await client.reply()
    client.close()
    client = await connect(app)
    await client.send(data[:20], data[20:])  # split: aiohttp's road
    long = await client.reply()
    client.close()
    assert fast_path(short) and not fast_path(long)
    assert short[0] == long[0]
    assert short[1]["content-type"] == long[1]["content-type"]
    assert short[1].get("allow") == long[1].get("allow")
    assert short[2] == long[2]


STRIPE_EVENT = json.dumps({"id": "evt_1NG8Du2eZvKYlo2C", "object": "event"}).encode()
LINE_EVENTS = json.dumps({"destination": "U1", "events": [
    {"type": "message", "webhookEventId": "01FZ74A0TDDPYRVKNK77XKC3ZR"}]}).encode()


@pytest.mark.parametrize(("body", "header", "first_status"), [
    (STRIPE_EVENT, b"Stripe-Signature: t=1,v1=0\r\n", 202),
    (LINE_EVENTS, b"X-Line-Signature: unchecked\r\n", 200),  # LINE counts only 200
])
async def test_a_sender_declared_by_its_header_is_deduped_by_the_id_in_its_body_on_both_paths(
        app: Bellhop, body: bytes, header: bytes, first_status: int) -> None:
    # r1 checks no signature and says nothing of its sender ("dedupe": "auto").
    data = post(token_of(app), body, extra=header)
    replies = []
    for parts in ((data,), (data[:20], data[20:]), (data,)):
        client = await connect(app)
        await client.send(*parts)
        replies.append(await client.reply())
        client.close()
    assert [fast_path(reply) for reply in replies] == [True, False, True]
    assert [reply[0] for reply in replies] == [first_status, 200, 200]
    first_id = json.loads(replies[0][2])["event_id"]
    for repeat in replies[1:]:
        assert json.loads(repeat[2]) == {"ok": True, "event_id": first_id, "duplicate": True}
    assert [row[0] for row in await stored(app)] == [first_id]


async def test_a_body_is_parsed_before_the_answer_only_where_rule_or_headers_say(
        app: Bellhop, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[bool] = []
    real = admitting.check_body

    def watched(*args: Any, **kwargs: Any) -> Any:
        body = real(*args, **kwargs)
        built.append(body is not None)
        return body

    monkeypatch.setattr(admitting, "check_body", watched)
    plain = [post(token_of(app), body) for body in (STRIPE_EVENT, LINE_EVENTS, LINE_VERIFY)]
    declared = [post(token_of(app), STRIPE_EVENT, extra=b"Stripe-Signature: t=1,v1=0\r\n"),
                post(token_of(app), LINE_VERIFY, extra=b"X-Line-Signature: x\r\n")]
    for data in plain + declared:
        for parts in ((data,), (data[:20], data[20:])):
            client = await connect(app)
            await client.send(*parts)
            await client.reply()
            client.close()
    # Without the sender's header the JSON is checked, not built (the run parses it).
    assert built == [False] * 6 + [True] * 4


async def test_both_paths_store_the_same_query_and_headers(app: Bellhop) -> None:
    data = post(token_of(app), query="a=1&b=%E4%B8%AD+x&b=2&flag&c=%zz",
                extra=b"X-Trace: 42\r\nx-OTHER:  \t1 \r\nEmpty:\r\n")
    for parts in ((data,), (data[:25], data[25:])):
        client = await connect(app)
        await client.send(*parts)
        assert (await client.reply())[0] == 202
        client.close()
    short, long = await stored(app)
    assert short[1] == long[1] and json.loads(short[1])["b"] == "2"
    short_headers, long_headers = json.loads(short[2]), json.loads(long[2])
    assert short_headers == long_headers
    assert (short_headers["x-trace"], short_headers["x-other"], short_headers["empty"]) == (
        "42", "1", "")


@contextlib.asynccontextmanager
async def aiohttp_alone(app: Bellhop) -> AsyncIterator[int]:
    """A second port where aiohttp's server, with the receiver's handler, reads everything."""
    assert app.receiver is not None and app.receiver._runner is not None
    server = await asyncio.get_running_loop().create_server(
        app.receiver._runner.server, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


async def answers_to_packet(port: int, data: bytes, count: int | None = None) -> bytes:
    """Everything answered to `data` written at once: until the server closes, or `count`
    answers when it keeps the connection; Date lines blanked."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    received = b""
    if count is None:
        received = await asyncio.wait_for(reader.read(), 10)
    else:
        for _ in range(count):
            received += (head := await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10))
            length = re.search(rb"\r\nContent-Length: (\d+)\r\n", head)
            received += await reader.readexactly(int(length.group(1)) if length else 0)
    writer.close()
    return re.sub(rb"\r\nDate: [^\r]*", b"\r\nDate: -", received)


def statuses(answers: bytes) -> list[bytes]:
    return re.findall(rb"HTTP/1\.[01] \d{3} [A-Za-z ]+(?=\r\n)", answers)


def events_on_disk(home: Path) -> int:
    """The events in events.db, as a reader of its own sees them."""
    conn = sqlite3.connect(f"file:{home / 'events.db'}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        conn.close()


REFUSED_PACKETS: dict[str, Callable[[str], bytes]] = {
    "garbage after a delivery": lambda token: post(token) + b"GARBAGE\r\n\r\n",
    "a delivery after Connection: close": lambda token: (
        post(token, extra=b"Connection: close\r\n") + post(token)),
    "Content-Length and Transfer-Encoding after a delivery": lambda token: (
        post(token) + post(token, extra=b"Transfer-Encoding: chunked\r\n")),
}


@pytest.mark.parametrize("case", list(REFUSED_PACKETS))
async def test_a_packet_aiohttp_refuses_is_refused_whole_with_nothing_stored(
        app: Bellhop, home: Path, case: str) -> None:
    # aiohttp parses the packet before it runs any of it: one 400, the delivery not run.
    data = REFUSED_PACKETS[case](token_of(app))
    assert app.receiver is not None
    async with aiohttp_alone(app) as alone_port:
        alone = await answers_to_packet(alone_port, data)
        bellhop = await answers_to_packet(app.receiver.port, data)
    assert statuses(alone) == [b"HTTP/1.0 400 Bad Request"]  # and the connection closed
    assert bellhop == alone
    assert events_on_disk(home) == 0


@pytest.mark.parametrize("count", [2, 31, 32, 40])
async def test_deliveries_before_garbage_in_one_packet_fare_as_with_aiohttp(
        app: Bellhop, home: Path, count: int) -> None:
    # aiohttp parses at most 32 requests ahead: with fewer, the garbage refuses them all.
    data = post(token_of(app)) * count + b"GARBAGE\r\n\r\n"
    assert app.receiver is not None
    async with aiohttp_alone(app) as alone_port:
        alone = statuses(await answers_to_packet(alone_port, data))
        stored_alone = events_on_disk(home)
        bellhop = statuses(await answers_to_packet(app.receiver.port, data))
    assert bellhop == alone
    assert events_on_disk(home) == 2 * stored_alone
    assert alone[-1] == b"HTTP/1.0 400 Bad Request"
    assert stored_alone == len(alone) - 1 == (0 if count < 32 else count)


async def test_deliveries_pipelined_in_one_packet_stay_on_the_fast_path(
        app: Bellhop, home: Path) -> None:
    token = token_of(app)
    data = post(token) + post(token, b'{"name": "B"}', extra=b"Connection: close\r\n")
    assert app.receiver is not None
    async with aiohttp_alone(app) as alone_port:
        alone = await answers_to_packet(alone_port, data)
        bellhop = await answers_to_packet(app.receiver.port, data)
    assert statuses(bellhop) == statuses(alone) == [b"HTTP/1.1 202 Accepted"] * 2
    assert b"\r\nServer: " in alone and b"\r\nServer: " not in bellhop
    assert events_on_disk(home) == 4


async def test_stop_lets_a_delivery_in_flight_finish_and_closes_idle_connections(
        app: Bellhop, monkeypatch: pytest.MonkeyPatch) -> None:
    idle = await connect(app)
    await idle.send(post(token_of(app)))
    assert (await idle.reply())[0] == 202
    original = app.store.append_event_then

    def slow_append(event: Any, then: Any) -> None:  # the commit takes a while
        asyncio.get_running_loop().call_later(0.3, original, event, then)

    monkeypatch.setattr(app.store, "append_event_then", slow_append)
    busy = await connect(app)
    await busy.send(post(token_of(app), b'{"name": "late"}'))
    await asyncio.sleep(0.1)
    assert app.receiver is not None
    await app.receiver.stop()
    reply = await busy.reply()
    assert reply[0] == 202 and fast_path(reply)
    assert await idle.closed_by_server()
    assert [bytes(row[3]) for row in await stored(app)] == [ORDER, b'{"name": "late"}']


async def test_a_failure_on_the_fast_path_is_a_plain_500_not_a_traceback(
        app: Bellhop, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    assert app.receiver is not None

    def broken(delivery: Any) -> Answer:
        raise RuntimeError("boom")

    monkeypatch.setattr(app.receiver, "take_delivery", broken)  # new connections use it
    client = await connect(app)
    await client.send(post(token_of(app)))
    status, headers, body = await client.reply()
    assert status == 500 and headers["connection"] == "close"
    assert "boom" not in body.decode() and json.loads(body)["ok"] is False
    assert "Traceback" not in body.decode()
    assert await client.closed_by_server()


async def test_an_unexpected_commit_error_is_a_plain_500(
        app: Bellhop, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(event: Any, then: Any) -> None:
        asyncio.get_running_loop().call_soon(then, RuntimeError("disk on fire"))

    monkeypatch.setattr(app.store, "append_event_then", broken)
    client = await connect(app)
    await client.send(post(token_of(app)))
    reply = await client.reply()
    status, headers, body = reply
    assert status == 500 and headers["connection"] == "close" and fast_path(reply)
    assert "fire" not in body.decode() and json.loads(body)["ok"] is False
    assert await client.closed_by_server()


async def test_pipelined_requests_past_the_buffer_limit_are_all_answered(
        app: Bellhop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastpath, "MAX_BUFFERED", 64)  # pause reading after one waiting request
    token = token_of(app)
    client = await connect(app)
    await client.send(b"".join(post(token, b'{"name": "%d"}' % n) for n in range(20)))
    replies = [await client.reply() for _ in range(20)]
    client.close()
    assert [r[0] for r in replies] == [202] * 20
    assert [bytes(row[3]) for row in await stored(app)] == [
        b'{"name": "%d"}' % n for n in range(20)]


async def test_thousands_of_pipelined_requests_are_answered_in_order_even_read_late(
        app: Bellhop) -> None:
    # Answered at once (unknown address), so the server's answers pile up while the
    # sender is not reading: it must stop reading too, then carry on, in order.
    count = 5000
    assert app.receiver is not None
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a sender slow to read
    sock.connect(("127.0.0.1", app.receiver.port))
    sock.setblocking(False)
    client = Client(*await asyncio.open_connection(sock=sock))
    await asyncio.sleep(0.05)
    [conn] = app.receiver._connections
    conn._transport.get_extra_info("socket").setsockopt(  # type: ignore[union-attr]
        socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    requests = b"".join(post(f"nobody-{n}", b"{}") for n in range(count))

    async def write() -> None:
        client.writer.write(requests)
        await client.writer.drain()

    writing = asyncio.create_task(write())
    await asyncio.sleep(0.5)  # the answers wait, unread
    replies = [await client.reply() for _ in range(count)]
    await writing
    client.close()
    assert {r[0] for r in replies} == {404}
    assert len(replies) == count and await stored(app) == []


async def test_a_delivery_id_check_on_the_fast_path_answers_a_repeat_with_the_first_id(
        home: Path) -> None:
    app = await start_app(home, [make_rule([], dedupe="auto")], Probe())
    try:
        client = await connect(app)
        data = post(token_of(app), extra=b"X-GitHub-Delivery: 72d3162e-cc78\r\n")
        await client.send(data)
        first = await client.reply()
        await client.send(data)
        repeat = await client.reply()
        client.close()
        assert fast_path(first) and fast_path(repeat)
        assert (first[0], repeat[0]) == (202, 200)
        assert json.loads(repeat[2]) == {"ok": True, "event_id": json.loads(first[2])["event_id"],
                                         "duplicate": True}
        assert len(await stored(app)) == 1
    finally:
        await app.stop()


async def test_a_failed_commit_on_the_fast_path_asks_the_sender_to_retry(
        app: Bellhop, monkeypatch: pytest.MonkeyPatch) -> None:
    from bellhop.core.storage.store import StoreError

    def failing(event: Any, then: Any) -> None:
        asyncio.get_running_loop().call_soon(then, StoreError("disk full"))

    monkeypatch.setattr(app.store, "append_event_then", failing)
    client = await connect(app)
    await client.send(post(token_of(app)))
    status, headers, body = await client.reply()
    assert (status, headers["retry-after"]) == (503, "30") and fast_path((status, headers, body))
    assert "disk full" not in body.decode()
    monkeypatch.undo()
    await client.send(post(token_of(app)))  # the same connection goes on
    assert (await client.reply())[0] == 202
    client.close()
    assert len(await stored(app)) == 1


async def test_a_delivery_after_the_store_closed_is_refused_on_both_paths(app: Bellhop) -> None:
    token = token_of(app)
    await app.store.close()  # e.g. the app is stopping: nothing can be saved any more
    client = await connect(app)
    await client.send(post(token))
    fast = await client.reply()
    await client.send(chunked(token))  # aiohttp's path
    slow = await client.reply()
    client.close()
    for status, headers, body in (fast, slow):
        assert (status, headers["retry-after"]) == (503, "30")
        assert json.loads(body)["ok"] is False and "closed" not in body.decode()
    assert fast_path(fast) and not fast_path(slow)


async def test_a_taken_port_is_refused_and_leaves_nothing_half_started(app: Bellhop) -> None:
    from bellhop.core.inbox.receiver import Receiver

    assert app.engine is not None and app.receiver is not None
    other = Receiver(app.engine, app.ledger)
    with pytest.raises(OSError):
        await other.start("127.0.0.1", app.receiver.port)
    assert other._runner is None and other._listener is None
    await other.stop()  # nothing to stop, and no error
