"""The durability promises, checked from outside: a real service, real sockets, real SQLite.

"An event that got a 2xx answer is on disk before the answer left." Each test
here looks at the database with its own connection, never through the store:
another connection holds SQLite's write lock so the store's commit must wait,
or the database really fails (full, read-only, gone), and the answer on the
socket is compared with what a read-only connection finds on disk.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from diskkit import file_size_limit, needs_file_size_limit, on_disk, write_lock
from enginekit import Probe, make_rule, start_app, token_of

from bellhop.service import Bellhop
from support import rawhttp
from support.rawhttp import Answer, exchange, read_answer, request_bytes

Headers = list[tuple[str, str]]

QUIET = 0.3  # seconds a held commit is given to (wrongly) let an answer out
NOT_SAVED = {"ok": False,
             "error": "Bellhop could not save this delivery; please send it again."}


# --- the outside view: raw HTTP, a second SQLite connection ---------------------------------

def post(token: str, body: bytes, *, extra: Headers | None = None) -> bytes:
    """A plain delivery: the fast path takes it (one packet, a Content-Length)."""
    return rawhttp.post(f"/hooks/{token}", body, extra=extra)


def chunked(token: str, body: bytes, *, extra: Headers | None = None) -> bytes:
    """A delivery in chunks: aiohttp's road."""
    return request_bytes("POST", f"/hooks/{token}", [
        ("Content-Type", "application/json"), *(extra or []), ("Transfer-Encoding", "chunked")],
        b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))


def put(token: str, body: bytes) -> bytes:
    """A PUT with a Content-Length: aiohttp's path too (the fast path takes only POST)."""
    return request_bytes("PUT", f"/hooks/{token}", [
        ("Content-Type", "application/json"), ("Content-Length", str(len(body)))], body)


class Client:
    """One raw connection to the receiver, kept open while its answer is awaited."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def to(cls, app: Bellhop) -> Client:
        assert app.receiver is not None
        return cls(*await asyncio.open_connection("127.0.0.1", app.receiver.port))

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def silent_for(self, seconds: float) -> bool:
        """True when not one byte of an answer arrives within `seconds`."""
        try:
            # A byte taken here is an answer that came too early: the test fails anyway.
            await asyncio.wait_for(self.reader.readexactly(1), seconds)
        except TimeoutError:
            return True
        return False

    async def reply(self) -> Answer:
        return await asyncio.wait_for(read_answer(self.reader), 10)

    def close(self) -> None:
        self.writer.close()


async def answer(app: Bellhop, request: bytes) -> Answer:
    assert app.receiver is not None and app.receiver.port is not None
    return await exchange(app.receiver.port, request)


def fast_path(reply: Answer) -> bool:
    """The fast path's answers carry no Server header; aiohttp's do."""
    return "server" not in reply.headers


def event_id(reply: Answer) -> str:
    return str(json.loads(reply.body)["event_id"])


def refused_to_save(reply: Answer) -> bool:
    """The store-failure answer: 503, retry in 30 s, the plain message, nothing more."""
    return ((reply.status, reply.headers.get("retry-after"), json.loads(reply.body))
            == (503, "30", NOT_SAVED))


# Rules with no steps: what is tested ends with the answer. The same tokens on every start.
RULES = [make_rule([], rule_id="post"),
         make_rule([], rule_id="put", name="PUT only", methods=["PUT"])]


@pytest.fixture
async def app(home: Path) -> AsyncIterator[Bellhop]:
    started = await start_app(home, RULES, Probe())
    yield started
    await started.stop()


def token(app: Bellhop, rule_id: str = "post") -> str:
    return token_of(app, rule_id)


def database(app: Bellhop) -> Path:
    return app.store.path


# --- 1. the answer leaves after the commit, on both paths ------------------------------------

def on_road(app: Bellhop, road: str, body: bytes) -> bytes:
    """A delivery that takes the given road through the receiver."""
    if road == "fast path":
        return post(token(app), body)
    if road == "aiohttp, chunked":
        return chunked(token(app), body)
    if road == "aiohttp, PUT":
        return put(token(app, "put"), body)
    assert road == "sample capture"  # "wait for a sample": kept as the rule's example
    assert app.engine is not None
    app.engine.capture_next("post")
    return post(token(app), body)


PATHS = ["fast path", "aiohttp, chunked", "aiohttp, PUT", "sample capture"]


@pytest.mark.parametrize("road", PATHS)
async def test_no_answer_leaves_while_the_commit_waits_and_the_2xx_follows_it(
        app: Bellhop, road: str) -> None:
    db = database(app)
    client = await Client.to(app)
    try:
        with write_lock(db):
            await client.send(on_road(app, road, b'{"n": 1}'))
            assert await client.silent_for(QUIET), "answered before the event was committed"
            assert on_disk(db) == []
        reply = await client.reply()
    finally:
        client.close()
    assert reply.status == 202
    assert fast_path(reply) == (road in ("fast path", "sample capture"))
    assert on_disk(db) == [event_id(reply)]


# --- 2. real database failures: 503, and nothing answered before is lost --------------------

BIG = json.dumps({"note": "x" * 20000}).encode()  # overflow pages: a full file has no room
SMALL = b'{"n": 2}'


async def accepted(app: Bellhop, count: int) -> list[str]:
    """`count` deliveries answered 202, half on each road; their event ids."""
    ids = []
    for n in range(count):
        body = b'{"n": %d}' % n
        reply = await answer(app, post(token(app), body) if n % 2 else chunked(token(app), body))
        assert reply.status == 202
        ids.append(event_id(reply))
    return ids


async def pragma(app: Bellhop, statement: str) -> Any:
    """A PRAGMA on the store's own connection, in the writer thread."""
    return await app.store.write(lambda conn: conn.execute(statement).fetchone())


async def settled(app: Bellhop) -> None:
    # Runs of the events so far are written before the database is made to fail, so that
    # only deliveries meet the failure.
    assert app.engine is not None
    await app.engine.wait_idle(10)


async def test_a_full_database_answers_503_and_keeps_every_event_answered_before(
        app: Bellhop, caplog: pytest.LogCaptureFixture) -> None:
    db = database(app)
    kept = await accepted(app, 4)
    await settled(app)
    pages = (await pragma(app, "PRAGMA page_count"))[0]
    assert await pragma(app, "PRAGMA max_page_count = 1") == (pages,)  # no room to grow
    refused = [await answer(app, on_road(app, road, BIG)) for road in PATHS]
    assert [refused_to_save(r) for r in refused] == [True] * len(PATHS)
    assert [fast_path(r) for r in refused] == [True, False, False, True]
    assert on_disk(db) == kept
    assert "database or disk is full. Check that the disk has free space." in caplog.text
    assert app.engine is not None and "post" in app.engine.capturing  # still waits for one
    app.engine.stop_capture("post")
    await pragma(app, "PRAGMA max_page_count = 4294967294")  # room again
    again = [await answer(app, post(token(app), BIG)), await answer(app, chunked(token(app), BIG))]
    assert [r.status for r in again] == [202, 202]
    assert on_disk(db) == kept + [event_id(r) for r in again]


async def test_a_database_that_cannot_be_written_answers_503_and_says_why(
        app: Bellhop, caplog: pytest.LogCaptureFixture) -> None:
    # chmod stops nobody who runs as root, and the open file keeps the mode it was opened
    # with anyway; query_only makes SQLite refuse every write with the error a read-only
    # file gives (SQLITE_READONLY), through the same statement and commit paths.
    db = database(app)
    kept = await accepted(app, 2)
    await settled(app)
    await pragma(app, "PRAGMA query_only = 1")
    refused = [await answer(app, post(token(app), SMALL)),
               await answer(app, chunked(token(app), SMALL))]
    assert [refused_to_save(r) for r in refused] == [True, True]
    assert on_disk(db) == kept
    assert ("attempt to write a readonly database. Check that the file and its folder can "
            "be written to.") in caplog.text
    await app.store.read(lambda conn: conn.execute("PRAGMA query_only = 0"))
    reply = await answer(app, post(token(app), SMALL))
    assert reply.status == 202 and on_disk(db) == [*kept, event_id(reply)]


@needs_file_size_limit
async def test_a_disk_that_will_not_take_more_bytes_answers_503_and_loses_nothing(
        app: Bellhop, caplog: pytest.LogCaptureFixture) -> None:
    # The file size limit makes the operating system refuse the write that would grow the
    # WAL, inside SQLite's own write path, as a full disk does (EFBIG there, ENOSPC here).
    db = database(app)
    kept = await accepted(app, 2)
    await settled(app)
    wal = db.with_name(db.name + "-wal")
    with file_size_limit(wal.stat().st_size):
        refused = [await answer(app, post(token(app), SMALL)),
                   await answer(app, chunked(token(app), SMALL))]
    assert [refused_to_save(r) for r in refused] == [True, True]
    assert "disk I/O error" in caplog.text
    assert on_disk(db) == kept
    reply = await answer(app, post(token(app), SMALL))
    assert reply.status == 202 and on_disk(db) == [*kept, event_id(reply)]


def vanish(db: Path, how: str) -> None:
    """Another program takes the database away from under Bellhop."""
    if how == "deleted":
        db.unlink()
    elif how == "WAL deleted":  # "a leftover file": the events not yet copied into the db
        db.with_name(db.name + "-wal").unlink()
    else:  # a backup or sync tool puts back a copy: another file at the same path
        copy = db.with_name("copy.db")
        source, target = sqlite3.connect(f"file:{db}?mode=ro", uri=True), sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
        os.replace(copy, db)


@pytest.mark.parametrize("how", ["deleted", "replaced", "WAL deleted"])
async def test_a_database_taken_away_while_running_is_noticed_and_answered_503(
        home: Path, how: str, caplog: pytest.LogCaptureFixture) -> None:
    app = await start_app(home, RULES, Probe())
    db = database(app)
    try:
        kept = await accepted(app, 2)
        await settled(app)
        vanish(db, how)
        # SQLite would go on writing into the files it holds open; nobody reads them again.
        refused = [await answer(app, post(token(app), SMALL)),
                   await answer(app, chunked(token(app), SMALL)),
                   await answer(app, put(token(app, "put"), SMALL))]
        assert [refused_to_save(r) for r in refused] == [True, True, True]
    finally:
        await app.stop()
    assert (f"the event database {db} was deleted or replaced by another program; deliveries "
            "are refused until Bellhop is restarted") in caplog.text
    assert (f"The event database {db} was deleted or replaced while Bellhop was running, so "
            "nothing more can be saved in it. Restart Bellhop") in caplog.text
    # What the next start finds: every event answered 202 that the other program left, and
    # no WAL of the old file to lay over the new one (it is kept aside, under another name).
    if how != "WAL deleted":
        assert not db.with_name(db.name + "-wal").exists()
        assert db.with_name(db.name + "-wal.orphaned").exists()
        assert "its write-ahead log, which belongs to the old file, is now" in caplog.text
    if how == "deleted":
        assert not db.exists()
        left = []
    else:  # after "WAL deleted", SQLite copied the WAL it held open into the file at close
        assert on_disk(db) == kept
        left = kept
    app = await start_app(home, RULES, Probe())
    try:
        reply = await answer(app, post(token(app), SMALL))
    finally:
        await app.stop()
    assert reply.status == 202 and on_disk(db) == [*left, event_id(reply)]


# --- 3. copies of one delivery waiting while the first copy's write fails ------------------

def copy(app: Bellhop, road: str = "short") -> bytes:
    """One more copy of the same GitHub delivery (same X-GitHub-Delivery)."""
    header = [("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")]
    if road == "short":
        return post(token(app), BIG, extra=header)
    return chunked(token(app), BIG, extra=header)


async def copies_waiting_on_a_held_commit(app: Bellhop) -> list[Client]:
    """Three copies sent while another connection holds the write lock: the first one's
    write waits for it, the other two wait for the first. None is answered yet."""
    clients = [await Client.to(app) for _ in range(3)]
    await clients[0].send(copy(app))
    assert await clients[0].silent_for(QUIET), "answered before the event was committed"
    await clients[1].send(copy(app))
    await clients[2].send(copy(app, "aiohttp"))
    silent = await asyncio.gather(*(c.silent_for(QUIET) for c in clients[1:]))
    assert silent == [True, True], "a waiting copy was answered before the first was settled"
    return clients


async def replies(clients: list[Client]) -> list[Answer]:
    try:
        return [await client.reply() for client in clients]
    finally:
        for client in clients:
            client.close()


async def test_waiting_copies_of_a_delivery_that_cannot_be_saved_all_get_503(
        app: Bellhop) -> None:
    db = database(app)
    kept = await accepted(app, 1)
    await settled(app)
    await pragma(app, "PRAGMA max_page_count = 1")
    with write_lock(db):
        clients = await copies_waiting_on_a_held_commit(app)
    answers = await replies(clients)
    # Each copy in turn tried to save the delivery, and none could: none is told an id.
    assert [refused_to_save(r) for r in answers] == [True, True, True]
    assert on_disk(db) == kept
    await pragma(app, "PRAGMA max_page_count = 4294967294")
    again = await answer(app, copy(app))  # the sender's retry
    assert again.status == 202 and on_disk(db) == [*kept, event_id(again)]


async def test_when_the_first_copy_fails_a_waiting_copy_is_saved_and_the_other_gets_its_id(
        app: Bellhop) -> None:
    db = database(app)
    kept = await accepted(app, 1)
    await settled(app)
    await pragma(app, "PRAGMA max_page_count = 1")
    with write_lock(db):
        clients = await copies_waiting_on_a_held_commit(app)
        # Queued behind the first copy's write (which waits for the lock): room comes back
        # before either waiting copy writes.
        room = asyncio.ensure_future(pragma(app, "PRAGMA max_page_count = 4294967294"))
        await asyncio.sleep(0)  # the task's first step queues the job
    first, *others = await replies(clients)
    await room
    assert refused_to_save(first)
    saved = [r for r in others if r.status == 202]
    assert len(saved) == 1, others
    [told] = [r for r in others if r.status != 202]
    assert (told.status, json.loads(told.body)) == (
        200, {"ok": True, "event_id": event_id(saved[0]), "duplicate": True})
    assert on_disk(db) == [*kept, event_id(saved[0])]


async def test_copies_of_a_delivery_whose_database_vanished_during_its_commit_get_503(
        app: Bellhop) -> None:
    db = database(app)
    await accepted(app, 1)
    await settled(app)
    with write_lock(db):
        clients = await copies_waiting_on_a_held_commit(app)
        vanish(db, "deleted")  # while the first copy's commit waits for the lock
    answers = await replies(clients)
    # The first copy's commit went into the deleted file: it is not on disk, and neither
    # the waiting copies nor the sender's retry may be told its id.
    assert [refused_to_save(r) for r in answers] == [True, True, True]
    assert refused_to_save(await answer(app, copy(app)))
