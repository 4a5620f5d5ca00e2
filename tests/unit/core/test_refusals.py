"""Refused deliveries are recorded: each kind over a real socket, repeats added up, the table
kept small, and the answers never waiting for any of it."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import aiohttp
import pytest
from enginekit import Probe, collect, make_rule, refused, start_app

from bellhop.actions import filter as filter_card
from bellhop.actions import surveycake
from bellhop.core.cards import Registry
from bellhop.core.events import DeliveryRejected, EngineEvent
from bellhop.core.inbox.refusals import RefusalLog, refusal_reason, size_words
from bellhop.core.platform.secrets import set_secret
from bellhop.core.running.rules import save_rules
from bellhop.core.storage import records
from bellhop.core.storage.refusals import (
    RefusalNote,
    recent_refusals,
    refusal_count,
    refused_counts,
    write_refusals,
)
from bellhop.core.storage.schema import migrate
from bellhop.core.storage.store import EventStore
from bellhop.service import Bellhop

SECRET = "shpss_refusal_test"


# -- the table: coalescing and pruning ------------------------------------------------------


@pytest.fixture
def db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    return conn


def note(rule_id: str = "r1", status: int = 401, kind: str = "signature", at: float = 1000.0,
         count: int = 1, reason: str = "wrong secret") -> RefusalNote:
    return RefusalNote(rule_id, status, kind, reason, at, at, count)


def test_repeats_within_a_minute_share_a_row_with_a_count(db: sqlite3.Connection) -> None:
    write_refusals(db, [note(at=1000.0, count=3)])
    write_refusals(db, [note(at=1059.0, count=2, reason="still wrong")])
    [row] = recent_refusals(db)
    assert (row.count, row.first_ts, row.last_ts, row.reason) == (5, 1000.0, 1059.0,
                                                                  "still wrong")
    write_refusals(db, [note(at=1061.0)])  # over a minute after the row began: a new row
    newest, oldest = recent_refusals(db)
    assert (newest.count, newest.first_ts, oldest.count) == (1, 1061.0, 5)


def test_other_rules_statuses_and_kinds_get_rows_of_their_own(db: sqlite3.Connection) -> None:
    write_refusals(db, [note(), note(rule_id="r2"), note(status=404, kind="off"),
                        note(rule_id="", status=404, kind="unknown", count=7)])
    assert refusal_count(db) == 4
    assert refused_counts(db, since=0) == {"r1": 2, "r2": 1, "": 7}
    assert [r.kind for r in recent_refusals(db, rule_id="")] == ["unknown"]
    assert refused_counts(db, since=2000.0) == {}  # "today" starts after them


def test_only_the_newest_rows_are_kept(db: sqlite3.Connection) -> None:
    for minute in range(30):
        write_refusals(db, [note(at=minute * 120.0, count=minute + 1)], keep=10)
    rows = recent_refusals(db)
    assert len(rows) == 10 and refusal_count(db) == 10
    assert [r.count for r in rows] == list(range(30, 20, -1))  # the newest ten


def test_each_reason_says_what_happened_and_what_fixes_it() -> None:
    assert refusal_reason("signature") == (
        "The signature did not match: check the secret in this rule's trigger.")
    assert refusal_reason("method", "GET", allowed=("POST",)) == (
        "This address does not take GET requests: the sender must POST.")
    assert refusal_reason("method", "GET", allowed=("POST", "PUT")) == (
        "This address does not take GET requests: the sender must use POST, PUT.")
    assert refusal_reason("too_large", limit=1024 * 1024).startswith(
        "The body is larger than 1 MB: ")
    assert refusal_reason("bad_json", "The body is not valid JSON: Expecting value") == (
        "The body is not valid JSON: Expecting value. Check the sender's settings: it must "
        "send JSON.")
    assert refusal_reason("unknown") == (
        "No rule has this address: the rule was deleted or its address changed; paste the "
        "new address into the sender.")
    assert "turn it on" in refusal_reason("off")
    assert (size_words(65536), size_words(3 * 1024 * 1024 // 2)) == ("64 KB", "1.5 MB")


# -- the log: added up in memory, written in one commit, told once per kind -------------------


async def test_notes_are_added_up_and_written_once(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.db")
    await store.open()
    told: list[EngineEvent] = []
    log = RefusalLog(store, told.append, {"r1": "Orders"}.get)
    try:
        for _i in range(500):
            log.note("r1", 401, "signature", "wrong secret")
        log.note("", 404, "unknown")
        assert told == []  # nothing is told before it is on disk
        news = await refused_news(told, 501)
        assert sorted((n.rule_id, n.kind, n.new, n.count, n.rule_name) for n in news) == [
            ("", "unknown", 1, 1, None), ("r1", "signature", 500, 500, "Orders")]
        rows = await store.read(recent_refusals)
        assert sorted((r.rule_id, r.count) for r in rows) == [("", 1), ("r1", 500)]
        assert log.last["r1"].reason == refusal_reason("signature", "wrong secret")
        assert log.totals == {"r1": 500, "": 1}
    finally:
        await store.close()


async def test_notes_left_at_a_stop_are_written_before_the_store_closes(
        tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.db")
    await store.open()
    log = RefusalLog(store, lambda news: None)
    log.note("r1", 405, "method", "GET", allowed=("POST",))
    log.flush()
    await store.close()
    with closing(sqlite3.connect(tmp_path / "events.db")) as conn:
        assert [(r.kind, r.count) for r in recent_refusals(conn)] == [("method", 1)]


async def refused_news(told: list[EngineEvent], n: int) -> list[DeliveryRejected]:
    async def poll() -> list[DeliveryRejected]:
        while True:
            news = [e for e in told if isinstance(e, DeliveryRejected)]
            if sum(e.new for e in news) >= n:
                return news
            await asyncio.sleep(0.01)
    return await asyncio.wait_for(poll(), 10)


# -- over a real socket: every kind of refusal ------------------------------------------------


@pytest.fixture
async def app(home: Path) -> AsyncIterator[Bellhop]:
    set_secret("shop-signing", SECRET)
    rules = [
        make_rule([{"type": "probe"}], rule_id="json", name="Orders"),
        make_rule([{"type": "probe"}], rule_id="off", enabled=False),
        make_rule([{"type": "nonsense"}], rule_id="broken"),
        make_rule([{"type": "probe"}], rule_id="signed",
                  verify={"scheme": "shopify", "secret": "shop-signing"}),
        make_rule([{"type": "probe"}], rule_id="unsaved",
                  verify={"scheme": "github", "secret": "never-saved"}),
        make_rule([{"type": "probe"}], rule_id="survey",
                  surveycake={"domain": "127.0.0.1:9", "hash_key": "k" * 16,
                              "iv_key": "i" * 16}),
    ]
    save_rules(home / "rules.json", rules)
    bellhop = Bellhop(home, Registry([filter_card.ACTION, surveycake.ACTION,
                                      Probe().action()]))
    await bellhop.start("127.0.0.1", 0)
    yield bellhop
    await bellhop.stop()


def url(app: Bellhop, rule_id: str) -> str:
    assert app.engine is not None
    rule = app.engine.rule(rule_id)
    assert rule is not None
    return app.hook_url(rule)


def shopify_signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(("rule_id", "method", "body", "headers", "status", "kind", "words"), [
    (None, "POST", b"{}", JSON, 404, "unknown", "No rule has this address"),
    (None, "GET", b"", {}, 404, "unknown", "paste the new address into the sender"),
    ("off", "POST", b"{}", JSON, 404, "off", "This rule is off"),
    ("broken", "POST", b"{}", JSON, 503, "problem", "fix what is marked on its cards"),
    ("json", "GET", b"", {}, 405, "method", "does not take GET requests: the sender must POST"),
    ("json", "POST", b'{"name": ', JSON, 400, "bad_json", "The body is not valid JSON"),
    ("json", "POST", b"x" * (1024 * 1024 + 1), {}, 413, "too_large", "larger than 1 MB"),
    ("json", "POST", b"not gzip at all", {"Content-Encoding": "gzip"}, 400, "unreadable",
     "could not be read as it was sent"),
    ("json", "POST", b"{}", {"Expect": "tea"}, 417, "expect", "Expect"),
    ("signed", "POST", b"{}", {**JSON, "X-Shopify-Hmac-Sha256": shopify_signature(b"{}", "x")},
     401, "signature", "The signature did not match: check the secret in this rule's trigger"),
    ("signed", "POST", b"{}", JSON, 401, "signature", "has no X-Shopify-Hmac-Sha256 header"),
    ("unsaved", "POST", b"{}", JSON, 503, "no_secret", "its secret is not saved"),
    ("survey", "POST", b'{"a": 1}', JSON, 400, "surveycake", "svid and hash"),
])
async def test_each_refusal_is_recorded_with_its_rule_and_reason(
        app: Bellhop, rule_id: str | None, method: str, body: bytes, headers: dict[str, str],
        status: int, kind: str, words: str) -> None:
    assert app.receiver is not None
    seen, _ = collect(app)
    address = url(app, rule_id) if rule_id else app.receiver.base_url + "/hooks/" + "z" * 22
    async with aiohttp.ClientSession(auto_decompress=False) as http, http.request(
            method, address, data=body, headers=headers) as resp:
        assert resp.status == status
    [news] = await refused(seen, 1)
    assert (news.rule_id, news.status, news.kind, news.new) == (rule_id or "", status, kind, 1)
    assert words in news.reason
    rule = app.engine.rule(rule_id) if app.engine is not None and rule_id else None
    assert news.rule_name == (rule.name if rule is not None else "")
    [row] = await app.store.read(recent_refusals)
    assert (row.rule_id, row.status, row.kind, row.count, row.reason) == (
        rule_id or "", status, kind, 1, news.reason)
    assert await app.store.read(records.count_events) == 0


async def test_a_slow_body_is_recorded_as_refused(home: Path) -> None:
    from bellhop.core.platform.settings import Settings, save_settings

    save_settings(home / "settings.json", Settings(body_read_timeout=0.3))
    app = await start_app(home, [make_rule([{"type": "probe"}])], Probe())
    seen, _ = collect(app)
    try:
        assert app.receiver is not None and app.engine is not None
        reader, writer = await asyncio.open_connection("127.0.0.1", app.receiver.port)
        path = f"/hooks/{app.engine.rules[0].token}"
        writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{{".encode())
        await writer.drain()
        assert b" 408 " in await asyncio.wait_for(reader.readline(), 5)
        writer.close()
        [news] = await refused(seen, 1)
        assert (news.rule_id, news.status, news.kind) == ("r1", 408, "slow")
    finally:
        await app.stop()


async def test_a_flood_of_refused_requests_stays_one_row(app: Bellhop) -> None:
    """Fast-path and aiohttp-path refusals alike are added up: 300 requests, one row."""
    assert app.receiver is not None
    seen, _ = collect(app)
    address = app.receiver.base_url + "/hooks/" + "q" * 22
    async with aiohttp.ClientSession() as http:
        async def send(i: int) -> int:
            async with http.request("POST" if i % 2 else "PUT", address, data=b"{}") as resp:
                return resp.status
        statuses = await asyncio.gather(*(send(i) for i in range(300)))
    assert set(statuses) == {404}
    news = await refused(seen, 300)
    assert sum(n.new for n in news) == 300 and len(news) <= 300 // 10
    [row] = await app.store.read(recent_refusals)
    assert (row.rule_id, row.kind, row.count) == ("", "unknown", 300)


async def test_good_deliveries_are_not_recorded_as_refused(app: Bellhop) -> None:
    seen, finished = collect(app)
    async with aiohttp.ClientSession() as http:
        async with http.post(url(app, "json"), json={"name": "#1"}) as resp:
            assert resp.status == 202
        body = b'{"name": "#2"}'
        async with http.post(url(app, "signed"), data=body, headers={
                **JSON, "X-Shopify-Hmac-Sha256": shopify_signature(body, SECRET)}) as resp:
            assert resp.status == 202
    await finished(2)
    await asyncio.sleep(0.4)  # past the moment a refusal would have been written
    assert await app.store.read(refusal_count) == 0
    assert not [e for e in seen if isinstance(e, DeliveryRejected)]

