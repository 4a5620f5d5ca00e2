"""Fuzzing the receiver over a real socket: odd methods, paths, headers, framing and bodies.

One Bellhop listens on 127.0.0.1 for the whole module. Every request is written
byte for byte on a raw socket, so Content-Length, chunking and encodings are
exactly what the test says. Whatever arrives, the answer must be a well-formed
HTTP response, 2xx or 4xx (never 5xx, never a traceback), every 2xx from a hook
must be an event on disk, and the process must stay up with bounded memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import gzip
import json
import logging
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import pytest_asyncio
from enginekit import Probe, make_rule, start_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bellhop.core import records
from bellhop.core.logfile import LOGGERS
from bellhop.core.settings import Settings, save_settings
from bellhop.service import Bellhop
from fuzz_corpus import (
    CONTENT_TYPES,
    DELIVERY_HEADERS,
    HEADER_NAMES,
    NASTY_BODIES,
    STATUS_LINE,
    TOKEN_CHARS,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

BODY_READ_TIMEOUT = 0.5
RSS_GROWTH_LIMIT_KIB = 50 * 1024
FUZZ = settings(max_examples=220, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])
try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL("libc.so.6")
except OSError:  # not glibc: RSS then includes what the allocator keeps
    _LIBC = None


# -- the server and what it answered ---------------------------------------------------------


@dataclass
class Answer:
    """One HTTP response as it came off the socket (status 0: closed without one)."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Fuzzed:
    """The module's Bellhop, its tokens, and a tally of every answer it gave."""

    app: Bellhop
    port: int
    tokens: dict[str, str]
    statuses: Counter[int] = field(default_factory=Counter)
    known_bug_statuses: Counter[int] = field(default_factory=Counter)

    def path(self, rule_id: str) -> str:
        """The hook path of one of the module's rules."""
        return f"/hooks/{self.tokens[rule_id]}"

    async def stored(self) -> int:
        """How many events the store holds now."""
        return await self.app.store.read(records.count_events)

    async def send(self, request: bytes, *, head: bool = False, timeout: float = 15.0,
                   known_bug: bool = False, may_drop: bool = False) -> Answer:
        """Write `request` as is, read one answer, and tally it (known bugs apart).

        A 2xx from a hook must name an event that is on disk already (checked here, for
        every request of every test). `may_drop`: the request breaks HTTP framing or
        syntax, so the server may close while bytes are still coming, and the kernel then
        drops its answer with a reset.
        """
        try:
            answer = await exchange(self.port, request, head=head, timeout=timeout)
        except (ConnectionResetError, asyncio.IncompleteReadError):
            if not may_drop:
                raise
            answer = Answer(0, {}, b"")
        (self.known_bug_statuses if known_bug else self.statuses)[answer.status] += 1
        if 200 <= answer.status < 300 and answer.body != b"ok" and not head:
            event_id = answer_event_id(answer)
            assert event_id is not None, f"a 2xx without an event id: {answer.body[:200]!r}"
            assert await self.app.store.get_event(event_id) is not None, event_id
        return answer


def answer_event_id(answer: Answer) -> str | None:
    """The event id a hook's 2xx answer names, if it names one."""
    try:
        return str(json.loads(answer.body)["event_id"])
    except (ValueError, KeyError, TypeError):
        return None


HAS_PROC = Path("/proc/self/status").exists()


def vm_rss_kib() -> int:
    """VmRSS of this process (the server runs in it) in KiB, after a collection.

    Freed memory that the C allocator keeps for later is handed back first
    (glibc's malloc_trim), so the figure follows live memory, not the allocator's cache.
    """
    status = Path("/proc/self/status")
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS line in /proc/self/status")


async def _read_answer(reader: asyncio.StreamReader, head: bool) -> Answer:
    while True:
        raw_head = await reader.readuntil(b"\r\n\r\n")
        match = STATUS_LINE.match(raw_head)
        assert match, f"not an HTTP status line: {raw_head[:200]!r}"
        status = int(match.group(1))
        headers: dict[str, str] = {}
        for line in raw_head.split(b"\r\n")[1:]:
            if line:
                name, colon, value = line.partition(b":")
                assert colon, f"malformed header line in the answer: {line!r}"
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
    """Send raw bytes to 127.0.0.1:port and read one HTTP answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        with contextlib.suppress(ConnectionError):  # the server may answer before reading all
            await writer.drain()
        return await asyncio.wait_for(_read_answer(reader, head), timeout)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


def check(answer: Answer, may_drop: bool = False) -> None:
    """The contract for any request: a 2xx or a 4xx, in words, never a traceback."""
    if answer.status == 0 and may_drop:
        return
    assert answer.status in (200, 202) or 400 <= answer.status < 500, (
        answer.status, answer.body[:300])
    assert b"Traceback" not in answer.body


def request_bytes(method: str, target: str, headers: list[tuple[str, str]],
                  body: bytes = b"") -> bytes:
    """A request exactly as given; Host and Connection: close are added first and last."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1",
             *(f"{name}: {value}" for name, value in headers), "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def post(target: str, body: bytes, content_type: str | None = "application/json",
         extra: list[tuple[str, str]] | None = None) -> bytes:
    """A well-framed POST."""
    headers = [("Content-Type", content_type)] if content_type else []
    return request_bytes("POST", target, [*headers, *(extra or []),
                                          ("Content-Length", str(len(body)))], body)


RULES = [
    make_rule([{"type": "filter", "conditions": [
        {"field": "body.total_price", "op": "gt", "value": 100}]}],
        rule_id="json", name="JSON orders"),
    make_rule([{"type": "probe", "text": "{{ (body | string)[:80] }}"}],
              rule_id="text", name="Kept as text", invalid_json="text"),
    make_rule([{"type": "filter", "match": "any", "conditions": [
        {"field": "body.name", "op": "not_empty"},
        {"field": "method", "op": "eq", "value": "PUT"}]},
               {"type": "probe", "text": "{{ method }} {{ body.name }}"}],
              rule_id="put", name="PUT updates", methods=["PUT"]),
]


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Silence the server's loggers (aiohttp, asyncio, bellhop) for a while.

    pytest's log capture keeps every record until a test ends, tracebacks and their
    frames included, i.e. whole request bodies: a Hypothesis test is one pytest test, so
    that alone grows the process by tens of megabytes. That is the harness's memory, not
    the server's; `bellhop serve` has no such handler (bench/fuzz_receiver.py measures it).
    """
    loggers = [logging.getLogger(name) for name in LOGGERS]
    before = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, before, strict=True):
            logger.setLevel(level)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Fuzzed]:
    """One Bellhop for the module: a JSON rule with a filter, a text rule, a PUT rule."""
    home = tmp_path_factory.mktemp("fuzz-home")
    save_settings(home / "settings.json", Settings(body_read_timeout=BODY_READ_TIMEOUT))
    app = await start_app(home, RULES, Probe())
    with quiet_logs():
        try:
            assert app.receiver is not None and app.receiver.port is not None
            assert app.engine is not None
            tokens = {rule.id: rule.token or "" for rule in app.engine.rules}
            # Warm up (lazy imports, caches, the allocator's pool for big bodies) before
            # measuring memory: growth after this is what the fuzzing itself costs.
            big = b'{"pad": "' + b"x" * 1_000_000 + b'"}'
            for n in range(20):
                target = f"/hooks/{tokens['json']}" if n % 2 else "/hooks/nothing-here"
                answer = await exchange(app.receiver.port,
                                        post(target, big if n % 4 < 2 else b"{}"))
                assert answer.status in (202, 404)
            yield Fuzzed(app, app.receiver.port, tokens)
        finally:
            await app.stop()


# -- strategies ------------------------------------------------------------------------------

METHODS = ["POST"] * 8 + ["PUT"] * 3 + [
    "GET", "HEAD", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "M-SEARCH",
    "post", "Post", "put", "BREW", "X" * 40]
KNOWN_METHODS = {"POST", "PUT", "GET", "HEAD", "DELETE", "PATCH", "OPTIONS", "TRACE",
                 "PROPFIND", "MKCOL", "M-SEARCH"}
# Senders' delivery ids: the receiver answers a repeated one 200 with the first event's id.
# Headers whose name would change framing or the connection are the request's own business.
RESERVED = {"host", "content-length", "transfer-encoding", "connection", "expect", "upgrade",
            "content-type", "content-encoding", "keep-alive", "te", "trailer"}
# Printable text for header values: valid UTF-8 only (invalid bytes: the known-bug tests).
header_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
path_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
                    max_size=20).filter(lambda s: "#" not in s)


queries = st.one_of(
    st.just(""), st.just(""),
    st.sampled_from(["?", "?a=1", "?a=1&a=2", "?a=%FF", "?%FF=%FE", "?a=%ZZ", "?=&&=",
                     "?a=" + "b" * 3000, "?a=%ED%A0%80", "?x=%00", "?a+b=c+d", "?a=%2F.."]),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=4).map(
        lambda d: "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in d.items())),
)


@st.composite
def targets(draw: st.DrawFn, tokens: dict[str, str]) -> tuple[str, str | None]:
    """A request target, and the rule it reaches (if it is one of the real hooks).

    Real hooks half of the time; else their mangled twins, and anything else.
    """
    rule_id = draw(st.sampled_from(sorted(tokens)))
    token = tokens[rule_id]
    if draw(st.booleans()):
        return f"/hooks/{token}" + draw(queries), rule_id
    path = draw(st.one_of(
        st.sampled_from(["/..", "/../", "%2F..", "%2f..%2f", "%2F", "/", "//", "/x", ";a=b",
                         "%00", "%20", ".", "%2e%2e", "\\..", "?"]).map(
            lambda tail: f"/hooks/{token}{tail}"),
        st.sampled_from(["//hooks//", "/hooks//", "/hooks/%2e%2e/hooks/", "/hooks/../hooks/",
                         "/HOOKS/", "/hooks%2F", "/x/../hooks/", "/./hooks/", "hooks/"]).map(
            lambda head: f"{head}{token}"),
        st.sampled_from(["/hooks/..%2Fhealthz", "/hooks/%2e%2e/", "/hooks/%2e%2e/healthz",
                         "/hooks/..", "/hooks/", "/hooks", "/", "*", "/healthz", "/healthz/",
                         "/healthz/..", "/%68ooks/x", "/hooks/%ZZ", "/hooks/%", "/favicon.ico",
                         "http://127.0.0.1/hooks/x", "//evil.example/hooks/x", "/" * 300]),
        st.integers(129, 5000).map(lambda n: "/hooks/" + "a" * n),
        st.integers(129, 1000).map(lambda n: f"/hooks/{token}" + "A" * (n - len(token))),
        path_text.map(lambda s: "/hooks/" + quote(s, safe="")),
        path_text.map(lambda s: "/hooks/" + quote(s, safe="/")),
        path_text.map(lambda s: "/hooks/" + s),  # raw UTF-8 in the request line
    ))
    return path + draw(queries), None


def multipart(fields: list[tuple[str, str, bool]], boundary: str = "XyZ") -> bytes:
    """A multipart/form-data body; the bool makes a field a file upload."""
    parts = []
    for name, value, is_file in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{name}.txt"' if is_file
                                                      else "")
        parts.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n{value}\r\n")
    return ("".join(parts) + f"--{boundary}--\r\n").encode("utf-8")






def json_value() -> st.SearchStrategy[Any]:
    """JSON-able values, with NaN and infinities (the stdlib writes and reads them)."""
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
            st.sampled_from(["total_price", "name", ""]) | st.text(max_size=8), inner,
            max_size=4),
        max_leaves=12)


orders = st.fixed_dictionaries(
    {"total_price": st.one_of(st.integers(), st.floats(), st.text(max_size=10), st.none(),
                              st.sampled_from(["150", "NaN", "1,000", " 7 ", "1e3"]))},
    optional={"name": st.text(max_size=20)})
form_fields = st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), max_size=5)
multipart_fields = st.lists(
    st.tuples(st.text(st.characters(blacklist_categories=("Cc", "Cs"),
                                    blacklist_characters='"\\'), max_size=10),
              st.text(max_size=30).filter(lambda s: "--XyZ" not in s), st.booleans()),
    max_size=4)


@st.composite
def payloads(draw: st.DrawFn) -> tuple[str | None, bytes]:
    """A Content-Type (or none) and a body; usually a matching pair, sometimes not."""
    kind = draw(st.sampled_from(["json", "order", "nasty", "binary", "form", "multipart",
                                 "truncated", "large"]))
    content_type: str | None = "application/json"
    if kind == "json":
        body = json.dumps(draw(json_value()), ensure_ascii=draw(st.booleans())).encode()
    elif kind == "order":
        body = json.dumps(draw(orders), ensure_ascii=draw(st.booleans())).encode()
    elif kind == "nasty":
        body = draw(st.sampled_from(NASTY_BODIES))
    elif kind == "binary":
        body, content_type = draw(st.binary(max_size=2000)), None
    elif kind == "form":
        content_type = "application/x-www-form-urlencoded"
        body = "&".join(f"{quote(k)}={quote(v)}" for k, v in draw(form_fields)).encode()
    elif kind in ("multipart", "truncated"):
        content_type = "multipart/form-data; boundary=XyZ"
        body = multipart(draw(multipart_fields))
        if kind == "truncated":
            body = body[:draw(st.integers(0, max(len(body) - 1, 0)))]
    else:
        size = draw(st.integers(10_000, 1_000_000))
        filler = draw(st.sampled_from([b"x", b"\xff", b"\x00", "字".encode()]))
        body = b'{"total_price": 500, "pad": "' + filler * (size // len(filler)) + b'"}'
    if draw(st.integers(0, 3)) == 0:  # a Content-Type that does not match the body
        content_type = draw(st.one_of(st.none(), st.sampled_from(CONTENT_TYPES),
                                      header_text.filter(lambda s: s == s.strip())))
    return content_type, body


@st.composite
def framed(draw: st.DrawFn, body: bytes) -> tuple[bool, list[tuple[str, str]], bytes]:
    """Framing headers and the bytes after the head: right, wrong, or chunked.

    The bool says whether the bytes sent end exactly where the framing says.
    """
    how = draw(st.sampled_from(["exact"] * 12 + ["none", "short", "long", "chunked",
                                                  "bad_chunked", "bad_length"]))
    if how == "exact":
        return True, [("Content-Length", str(len(body)))], body
    if how == "none":
        return not body, [], body
    if how == "short":
        return not body, [("Content-Length", str(len(body) // 2))], body
    if how == "long":  # the server waits for bytes that never come, then says 408
        return True, [("Content-Length", str(len(body) + 1 + len(body) // 2))], body
    if how == "chunked":
        cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=4)))
        pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces if p)
        return True, [("Transfer-Encoding", "chunked")], chunks + b"0\r\n\r\n"
    if how == "bad_chunked":
        return False, [("Transfer-Encoding", "chunked")], b"zz\r\n" + body
    value = draw(st.sampled_from(["abc", "-5", "1e3", "99999999999999999999", " 2", "2,2", ""]))
    return False, [("Content-Length", value)], body


@dataclass
class Req:
    """One raw request; its repr stays short (bodies run to a megabyte)."""

    raw: bytes
    head: bool  # a HEAD: the answer has no body
    may_drop: bool  # broken framing or syntax: see Fuzzed.send

    def __repr__(self) -> str:
        return f"Req({self.raw[:400]!r}... {len(self.raw)} bytes)"


@st.composite
def fuzz_requests(draw: st.DrawFn, tokens: dict[str, str]) -> Req:
    """One raw request: a method, a target, headers, a body and its framing."""
    target, rule_id = draw(targets(tokens))
    odds = draw(st.integers(0, 9))
    if rule_id is not None and odds < 7:  # mostly a method the rule takes
        method = "PUT" if rule_id == "put" else "POST"
    else:
        method = draw(st.sampled_from(METHODS) if odds else st.text(TOKEN_CHARS, min_size=1,
                                                                   max_size=12))
    content_type, body = draw(payloads())
    headers = draw(st.lists(st.tuples(
        st.sampled_from(HEADER_NAMES) | st.text(TOKEN_CHARS, min_size=1, max_size=20),
        header_text.map(str.strip)), max_size=6))
    headers = [(n, v) for n, v in headers if n.lower() not in RESERVED]
    delivery = draw(st.none() | st.tuples(st.sampled_from(DELIVERY_HEADERS),
                                          st.sampled_from(["d1", "d2", "d3"]) | header_text))
    if delivery is not None and delivery[1].strip():  # repeats make duplicates
        headers.append((delivery[0], delivery[1].strip()))
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    well_framed, framing, rest = draw(framed(body))
    well_formed = well_framed and method in KNOWN_METHODS and target.isascii()
    return Req(request_bytes(method, target, [*headers, *framing], rest), method == "HEAD",
               may_drop=not well_formed)


# -- Hypothesis ------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
async def test_fuzzed_requests_get_a_clear_answer(fuzzed: Fuzzed, data: st.DataObject) -> None:
    """One random request at a time: 2xx or 4xx, in words."""
    request = data.draw(fuzz_requests(fuzzed.tokens))
    before = await fuzzed.stored()
    answer = await fuzzed.send(request.raw, head=request.head, may_drop=request.may_drop)
    check(answer, request.may_drop)
    if answer.status == 0:  # no answer: then nothing may have happened either
        assert await fuzzed.stored() == before


@settings(FUZZ, max_examples=40)
@given(data=st.data())
async def test_fuzzed_requests_at_once(fuzzed: Fuzzed, data: st.DataObject) -> None:
    """Several at once, so that deliveries share the store's batched writes."""
    batch = data.draw(st.lists(fuzz_requests(fuzzed.tokens), min_size=2, max_size=8))
    good = post(fuzzed.path("json"), b'{"total_price": 500}')
    answers = await asyncio.gather(
        *(fuzzed.send(r.raw, head=r.head, may_drop=r.may_drop) for r in batch),
        fuzzed.send(good))
    for request, answer in zip(batch, answers, strict=False):
        check(answer, request.may_drop)
    assert answers[-1].status == 202


# -- explicit cases --------------------------------------------------------------------------

TRAVERSALS = [
    "/hooks/{t}/..", "/hooks/{t}/../", "/hooks/{t}/../../healthz", "/hooks/{t}%2F..",
    "/hooks/{t}%2f..%2f", "/hooks/{t}%2F", "/hooks/{t}/", "/hooks/{t}//", "//hooks//{t}",
    "/hooks//{t}", "/hooks/%2e%2e/hooks/{t}", "/hooks/..%2Fhooks%2F{t}", "/hooks/..%2F{t}",
    "/hooks%2F{t}", "/hooks/{t}%00", "/hooks/{t}/x", "/hooks/{t}%2Fx", "/hooks/x/../{t}",
    "/hooks/./{t}", "/hooks/%2e/{t}", "/x/../hooks/{t}", "/hooks/{t}\\..", "/HOOKS/{t}",
]


@pytest.mark.parametrize("shape", TRAVERSALS)
async def test_traversal_and_encoded_slash_twins_of_a_real_token_are_404(
        fuzzed: Fuzzed, shape: str) -> None:
    """Dots and encoded slashes around a valid token never reach the rule."""
    before = await fuzzed.stored()
    answer = await fuzzed.send(post(shape.format(t=fuzzed.tokens["json"]), b"{}"))
    assert answer.status in (400, 404), (shape, answer.status, answer.body[:200])
    check(answer)
    assert await fuzzed.stored() == before


@pytest.mark.parametrize("length", [129, 130, 1000, 5000])
async def test_overlong_token_is_404(fuzzed: Fuzzed, length: int) -> None:
    """A token longer than any real one (even one that starts with a real one) is 404."""
    before = await fuzzed.stored()
    token = fuzzed.tokens["json"]
    for target in ("/hooks/" + "a" * length, f"/hooks/{token}" + "a" * (length - len(token))):
        answer = await fuzzed.send(post(target, b"{}"))
        assert answer.status == 404, (target[:60], answer.status)
        check(answer)
    assert await fuzzed.stored() == before


async def test_slowloris_body_gets_408_and_stores_nothing(fuzzed: Fuzzed) -> None:
    """Headers at once, then a byte every 0.2 s: cut off (408) before the body is all there.

    The whole body would take 50 s to drip; the server's body_read_timeout is 0.5 s. The
    check is the order (the answer came while bytes were still to come), not a duration.
    """
    before = await fuzzed.stored()
    reader, writer = await asyncio.open_connection("127.0.0.1", fuzzed.port)
    body = b'{"total_price": 5000, "name": "slow", "pad": "' + b"x" * 200 + b'"}'
    writer.write(request_bytes("POST", fuzzed.path("json"), [
        ("Content-Type", "application/json"), ("Content-Length", str(len(body)))]))
    await writer.drain()
    sent = 0

    async def trickle() -> None:
        nonlocal sent
        with contextlib.suppress(ConnectionError):
            for byte in body:
                writer.write(bytes([byte]))
                await writer.drain()
                sent += 1
                await asyncio.sleep(0.2)

    dripping = asyncio.create_task(trickle())
    try:
        answer = await asyncio.wait_for(_read_answer(reader, False), 30)  # a hang guard
        sent_by_the_answer = sent
    finally:
        dripping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await dripping
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    fuzzed.statuses[answer.status] += 1
    assert answer.status == 408
    assert sent_by_the_answer < len(body)
    assert await fuzzed.stored() == before


async def test_many_half_open_connections_do_not_block_a_real_delivery(fuzzed: Fuzzed) -> None:
    """200 sockets stuck mid-headers; a normal POST gets its 202 while they are all held.

    The server keeps an idle connection for an hour, so the 202 cannot have waited for them
    to be dropped: each one still has no answer and no end after it (checked, not timed).
    """
    stuck: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    try:
        for n in range(200):
            reader, writer = await asyncio.open_connection("127.0.0.1", fuzzed.port)
            writer.write(f"POST {fuzzed.path('json')} HTTP/1.1\r\nHost: x\r\nX-N: {n}\r\n"
                         "Content-Le".encode())
            stuck.append((reader, writer))
        await asyncio.gather(*(w.drain() for _, w in stuck))
        answer = await fuzzed.send(post(fuzzed.path("json"), b'{"total_price": 150}'),
                                   timeout=30)  # a hang guard
        assert answer.status == 202
        health = await exchange(fuzzed.port, request_bytes("GET", "/healthz", []), timeout=30)
        assert health.status == 200

        async def still_held(reader: asyncio.StreamReader) -> bool:
            try:  # anything already there (an answer, the end) comes back at once
                await asyncio.wait_for(reader.read(1), 0.05)
            except TimeoutError:
                return True
            return False

        held = await asyncio.gather(*(still_held(r) for r, _ in stuck))
        assert all(held), f"{held.count(False)} of the stuck connections were answered"
    finally:
        for _, writer in stuck:
            writer.close()
        await asyncio.gather(*(w.wait_closed() for _, w in stuck), return_exceptions=True)


async def test_valid_gzip_body_is_taken(fuzzed: Fuzzed) -> None:
    """A gzip-encoded delivery is read (decompressed) like any other."""
    body = gzip.compress(b'{"total_price": 150}')
    answer = await fuzzed.send(post(fuzzed.path("json"), body,
                                    extra=[("Content-Encoding", "gzip")]))
    check(answer)
    assert answer.status == 202


# -- bugs this fuzzing found, fixed; kept so they stay fixed -----------------------------------


@pytest.mark.parametrize("name", [b"X-Name", b"X-GitHub-Delivery"])
async def test_invalid_utf8_header_value_is_not_a_500(fuzzed: Fuzzed, name: bytes) -> None:
    """Header bytes that are not UTF-8 still get a clear answer."""
    request = post(fuzzed.path("json"), b"{}").replace(
        b"Host: 127.0.0.1\r\n", b"Host: 127.0.0.1\r\n" + name + b": caf\xe9\xff\r\n")
    answer = await fuzzed.send(request, known_bug=True)
    check(answer)


async def test_invalid_utf8_content_type_is_not_a_500(fuzzed: Fuzzed) -> None:
    """A Content-Type that is not UTF-8 still gets a clear answer."""
    answer = await fuzzed.send(post(fuzzed.path("text"), b"hi", content_type=None).replace(
        b"Host: 127.0.0.1\r\n", b"Host: 127.0.0.1\r\nContent-Type: text/\xff\r\n"),
        known_bug=True)
    check(answer)


async def test_one_bad_delivery_does_not_fail_the_others_written_with_it(
        fuzzed: Fuzzed) -> None:
    """Deliveries that arrive together are stored (or refused) one by one."""
    bad = post(fuzzed.path("json"), b"{}").replace(
        b"Host: 127.0.0.1\r\n", b"Host: 127.0.0.1\r\nX-Name: \xff\r\n")
    good = post(fuzzed.path("json"), b'{"total_price": 150}')
    answers = await asyncio.gather(fuzzed.send(bad, known_bug=True),
                                   *(fuzzed.send(good, known_bug=True) for _ in range(5)))
    assert [a.status for a in answers[1:]] == [202] * 5


def _multipart_in(charset: str, payload: bytes) -> bytes:
    return (b'--XyZ\r\nContent-Disposition: form-data; name="total_price"\r\n'
            b"Content-Type: text/plain; charset=" + charset.encode() + b"\r\n\r\n"
            + payload + b"\r\n--XyZ--\r\n")


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/json", b'{"total_price": "\\ud800"}'),
    ("multipart/form-data; boundary=XyZ", _multipart_in("unicode_escape", b"\\ud800")),
    ("multipart/form-data; boundary=XyZ", _multipart_in("utf-7", b"+2AA-")),
], ids=["json-escape", "multipart-unicode_escape", "multipart-utf-7"])
async def test_lone_surrogate_in_a_filtered_field_is_not_a_500(
        fuzzed: Fuzzed, content_type: str, body: bytes) -> None:
    """A body whose text holds a lone surrogate, in the field a filter reads."""
    answer = await fuzzed.send(post(fuzzed.path("json"), body, content_type), known_bug=True)
    check(answer)


async def test_broken_gzip_body_is_a_400(fuzzed: Fuzzed) -> None:
    """A body that does not match its Content-Encoding is the sender's mistake."""
    answer = await fuzzed.send(post(fuzzed.path("json"), b'{"total_price": 150}',
                                    extra=[("Content-Encoding", "gzip")]),
                               known_bug=True)
    check(answer)
    assert answer.status == 400


# -- after a barrage ---------------------------------------------------------------------------


def barrage(fuzzed: Fuzzed) -> list[bytes]:
    """Every nasty body to every hook with its method, under a rotating Content-Type.

    Every fifth carries a delivery id of three new ones, so some are repeats (answered with
    the first event's id, not stored again)."""
    run = uuid.uuid4().hex
    requests = []
    for rule_id in sorted(fuzzed.tokens):
        method = "PUT" if rule_id == "put" else "POST"
        for n, body in enumerate(NASTY_BODIES):
            headers = [("Content-Type", CONTENT_TYPES[n % len(CONTENT_TYPES)]),
                       ("Content-Length", str(len(body)))]
            if n % 5 == 0:
                headers.append((DELIVERY_HEADERS[0], f"{run}-{n % 3}"))
            requests.append(request_bytes(method, fuzzed.path(rule_id), headers, body))
    return requests


async def send_all(fuzzed: Fuzzed, requests: list[bytes], at_once: int = 8) -> list[Answer]:
    """Send `requests` a few at a time (so they share the store's batched writes)."""
    answers: list[Answer] = []
    for first in range(0, len(requests), at_once):
        answers += await asyncio.gather(
            *(fuzzed.send(request) for request in requests[first:first + at_once]))
    for answer in answers:
        check(answer)
    return answers


async def test_after_a_barrage_the_server_is_up_and_each_2xx_is_one_stored_event(
        fuzzed: Fuzzed) -> None:
    """Still healthy; the events stored are exactly the distinct ids its 2xx answers named."""
    before = await fuzzed.stored()
    answers = await send_all(fuzzed, barrage(fuzzed))
    named = [answer_event_id(a) for a in answers if 200 <= a.status < 300]
    ids = set(named)
    assert None not in ids and len(ids) > 10, sorted(a.status for a in answers)
    assert len(named) > len(ids)  # some were repeats of a delivery id
    # Distinct ids: a duplicate delivery is rightly answered with the first one's id.
    assert await fuzzed.stored() - before == len(ids)
    health = await exchange(fuzzed.port, request_bytes("GET", "/healthz", []))
    assert (health.status, health.body) == (200, b"ok")
    print(f"fuzz: {sorted(fuzzed.statuses.items())}, {len(ids)} events from the barrage")


@pytest.mark.skipif(not HAS_PROC, reason="the figure is VmRSS from /proc/self/status, "
                                         "which only Linux has")
async def test_memory_stays_bounded_over_big_bodies(fuzzed: Fuzzed) -> None:
    """About 150 MB of bodies (stored, refused as unknown, too large) and the barrage:
    RSS grows by less than a third of that, so no body is kept."""
    big = b'{"pad": "' + b"x" * 1_000_000 + b'"}'
    too_big = b'{"pad": "' + b"x" * 1_500_000 + b'"}'
    requests = [post(fuzzed.path("json"), big)] * 30 + [post("/hooks/nothing-here", big)] * 60
    requests += [post(fuzzed.path("json"), too_big)] * 30 + barrage(fuzzed)
    before = vm_rss_kib()
    answers = await send_all(fuzzed, requests, at_once=4)
    grown = vm_rss_kib() - before
    assert sorted({a.status for a in answers[:120]}) == [202, 404, 413]
    print(f"fuzz: RSS {grown:+} KiB over {sum(len(r) for r in requests) // 2**20} MiB sent")
    assert grown < RSS_GROWTH_LIMIT_KIB, f"RSS grew by {grown} KiB"
