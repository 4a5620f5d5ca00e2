"""Repeated deliveries: which id each sender's delivery is known by, under each `dedupe`
setting, the ledger's window, and over a real socket what is stored and run."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from enginekit import Probe, collect, make_rule, start_app
from multidict import CIMultiDict

from bellhop.core.inbox import delivery as admitting
from bellhop.core.inbox.dedupe import MAX_ID, DeliveryLedger, delivery_id
from bellhop.core.inbox.fastpath import LowerHeaders
from bellhop.core.platform.secrets import set_secret
from bellhop.core.platform.settings import Settings, save_settings
from bellhop.core.running.rules import BODY_SENDERS
from bellhop.core.storage.records import EventRecord
from bellhop.core.storage.store import EventStore
from bellhop.service import Bellhop

SHOPIFY_EVENT = "98880550-7158-44d4-b7cd-2c97c8a091b5"
GITHUB = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
STRIPE = {"id": "evt_1NG8Du2eZvKYlo2CUI79vXWy", "object": "event", "type": "charge.succeeded"}
LINE = {"destination": "U1234", "events": [
    {"type": "message", "webhookEventId": "01FZ74ASS536FW97EX38NKCZQK"},
    {"type": "message", "webhookEventId": "01FZ74A0TDDPYRVKNK77XKC3ZR"}]}
LINE_IDS = "line:01FZ74A0TDDPYRVKNK77XKC3ZR,01FZ74ASS536FW97EX38NKCZQK"

# (headers, body, the id under 'auto', the id under 'request_id') where every sender's id in
# the body is read (the rule names its sender, or the headers declare it); 'off': None.
SENDERS: dict[str, tuple[dict[str, str], Any, str | None, str | None]] = {
    "shopify delivery": ({"X-Shopify-Webhook-Id": "b54557e4-bdfc-4a5e-9b6e-1f0f3d4c1a2b"},
                         {"id": 1001}, "x-shopify-webhook-id:b54557e4-bdfc-4a5e-9b6e-1f0f3d4c1a2b",
                         "x-shopify-webhook-id:b54557e4-bdfc-4a5e-9b6e-1f0f3d4c1a2b"),
    "shopify event": ({"X-Shopify-Event-Id": SHOPIFY_EVENT}, {"id": 1001},
                      f"x-shopify-event-id:{SHOPIFY_EVENT}", f"x-shopify-event-id:{SHOPIFY_EVENT}"),
    "shopify both": ({"X-Shopify-Webhook-Id": "b54557e4", "X-Shopify-Event-Id": SHOPIFY_EVENT,
                      "X-Shopify-Topic": "orders/create"}, {"id": 1001},
                     f"x-shopify-event-id:{SHOPIFY_EVENT}", f"x-shopify-event-id:{SHOPIFY_EVENT}"),
    "github": ({"X-GitHub-Delivery": GITHUB, "X-GitHub-Event": "push"}, {"ref": "main"},
               f"x-github-delivery:{GITHUB}", f"x-github-delivery:{GITHUB}"),
    "github, lower case": ({"x-github-delivery": f"  {GITHUB} "}, None,
                           f"x-github-delivery:{GITHUB}", f"x-github-delivery:{GITHUB}"),
    "standard webhooks": ({"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
                           "webhook-timestamp": "1614265330"}, {"type": "invoice.paid"},
                          "webhook-id:msg_p5jXN8AQM9LWM0D4loKWxJek",
                          "webhook-id:msg_p5jXN8AQM9LWM0D4loKWxJek"),
    "stripe": ({"Stripe-Signature": "t=1,v1=00"}, STRIPE, f"stripe:{STRIPE['id']}",
               f"stripe:{STRIPE['id']}"),
    "stripe-like, not an event": ({}, {"id": "evt_1", "object": "charge"}, None, None),
    "stripe-like, not evt_": ({}, {"id": "ch_1", "object": "event"}, None, None),
    "line, ids sorted": ({"X-Line-Signature": "x"}, LINE, LINE_IDS, LINE_IDS),
    "line verify button": ({}, {"destination": "U1234", "events": []}, None, None),
    "line event without id": ({}, {"events": [{"type": "message"}]}, None, None),
    "surveycake": ({}, {"svid": "8aB3kQ", "hash": "5f0c"}, "surveycake:8aB3kQ:5f0c",
                   "surveycake:8aB3kQ:5f0c"),
    "surveycake and more": ({}, {"svid": "8aB3kQ", "hash": "5f0c", "x": 1}, None, None),
    "request id only": ({"X-Request-Id": "req-1"}, {"a": 1}, None, "x-request-id:req-1"),
    "request id, padded": ({"x-request-id": " req-1 "}, None, None, "x-request-id:req-1"),
    "empty request id": ({"X-Request-Id": ""}, {}, None, None),
    "header before request id": ({"X-Request-Id": "req-1", "X-GitHub-Delivery": "g-1"}, {},
                                 "x-github-delivery:g-1", "x-github-delivery:g-1"),
    "body before request id": ({"X-Request-Id": "req-1"}, STRIPE, f"stripe:{STRIPE['id']}",
                               f"stripe:{STRIPE['id']}"),
    "header before body": ({"webhook-id": "msg_1"}, STRIPE, "webhook-id:msg_1",
                           "webhook-id:msg_1"),
    "empty id header": ({"X-GitHub-Delivery": "", "webhook-id": "msg_2"}, {},
                        "webhook-id:msg_2", "webhook-id:msg_2"),
    "nothing": ({"Content-Type": "application/json"}, {"id": 5}, None, None),
    "text body": ({}, "plain words", None, None),
    "long id": ({"webhook-id": "x" * 500}, {}, "webhook-id:" + "x" * MAX_ID,
                "webhook-id:" + "x" * MAX_ID),
}


def both_paths(headers: dict[str, str]) -> list[Any]:
    """The headers as aiohttp gives them and as the fast path gives them."""
    return [CIMultiDict(headers), LowerHeaders({k.lower(): v for k, v in headers.items()})]


@pytest.mark.parametrize("sender", list(SENDERS))
def test_the_delivery_id_of_each_sender_under_each_setting(sender: str) -> None:
    headers, body, auto, request_id = SENDERS[sender]
    for given in both_paths(headers):
        assert delivery_id(given, body, "auto", BODY_SENDERS) == auto
        assert delivery_id(given, body, "request_id", BODY_SENDERS) == request_id
        assert delivery_id(given, body, "off", BODY_SENDERS) is None


@pytest.mark.parametrize(("body", "sender", "expected"), [
    (STRIPE, "stripe", f"stripe:{STRIPE['id']}"),
    (LINE, "line", LINE_IDS),
    ({"svid": "8aB3kQ", "hash": "5f0c"}, "surveycake", "surveycake:8aB3kQ:5f0c"),
])
def test_an_id_in_the_body_is_read_only_for_the_senders_the_rule_names(
        body: Any, sender: str, expected: str) -> None:
    assert delivery_id({}, body, "auto", (sender,)) == expected
    assert delivery_id({}, body, "auto") is None  # a rule that names no sender
    others = tuple(other for other in BODY_SENDERS if other != sender)
    assert delivery_id({}, body, "auto", others) is None
    assert delivery_id({"X-Request-Id": "r"}, body, "request_id") == "x-request-id:r"


def test_off_takes_no_id_whatever_the_delivery_holds() -> None:
    everything = {"X-Shopify-Event-Id": "e", "X-Shopify-Webhook-Id": "w",
                  "X-GitHub-Delivery": "g", "webhook-id": "m", "X-Request-Id": "r"}
    for body in (STRIPE, LINE, {"svid": "a", "hash": "b"}, None):
        for given in both_paths(everything):
            assert delivery_id(given, body, "off") is None


# --- The ledger, on its own clock (the `now` it is given) ------------------------------

T0 = 1_700_000_000.0
DAY = 86400.0


def event(event_id: str, rule_id: str, delivery: str | None, ts: float) -> EventRecord:
    return EventRecord(id=event_id, rule_id=rule_id, received_at="2023-11-14T22:13:20+00:00",
                       received_ts=ts, method="POST", query={}, headers={},
                       content_type="application/json", body=b"{}", delivery_id=delivery)


@pytest.fixture
async def events_db(tmp_path: Path) -> Any:
    store = EventStore(tmp_path / "events.db")
    await store.open()
    yield store
    await store.close()


async def answer_of(copy: asyncio.Future[str | None]) -> str | None:
    """What a waiting copy is told once the loop has turned a few times (no clock involved).

    A copy still waiting by then fails the test instead of hanging it.
    """
    for _ in range(10):
        if copy.done():
            return copy.result()
        await asyncio.sleep(0)
    copy.cancel()
    pytest.fail("the copy is still waiting")


async def check_in(ledger: DeliveryLedger, rule_id: str, delivery: str,
                   now: float) -> str | None:
    """`ledger.check_in`, failing instead of hanging if it waits for a copy never settled."""
    return await answer_of(asyncio.ensure_future(ledger.check_in(rule_id, delivery, now)))


async def test_the_ledger_finds_a_delivery_only_within_its_window(events_db: EventStore) -> None:
    await events_db.append_event(event("ev_1", "r1", "webhook-id:m1", T0))
    ledger = DeliveryLedger(events_db.path, retention_days=1)
    try:
        assert await check_in(ledger, "r1", "webhook-id:m1", T0) == "ev_1"
        assert await check_in(ledger, "r1", "webhook-id:m1", T0 + DAY - 1) == "ev_1"
        assert await check_in(ledger, "r1", "webhook-id:m1", T0 + DAY - 0.001) == "ev_1"
        for rule, delivery, now in (("r1", "webhook-id:m1", T0 + DAY),  # the window ended
                                    ("r1", "webhook-id:m1", T0 + 30 * DAY),
                                    ("r2", "webhook-id:m1", T0),  # another rule's
                                    ("r1", "webhook-id:m2", T0),  # another delivery
                                    ("r1", "x-request-id:m1", T0)):
            assert await check_in(ledger, rule, delivery, now) is None
            ledger.settle(rule, delivery, None)
    finally:
        ledger.close()


async def test_the_ledger_answers_with_the_latest_copy_in_the_window(
        events_db: EventStore) -> None:
    # A delivery stored again after the window ended is the one a later copy is told of.
    await events_db.append_event(event("ev_old", "r1", "d", T0))
    await events_db.append_event(event("ev_new", "r1", "d", T0 + 2 * DAY))
    ledger = DeliveryLedger(events_db.path, retention_days=1)
    try:
        assert await check_in(ledger, "r1", "d", T0 + DAY / 2) == "ev_old"
        assert await check_in(ledger, "r1", "d", T0 + 2 * DAY + 1) == "ev_new"
    finally:
        ledger.close()


async def test_a_window_of_zero_days_finds_nothing_on_disk(events_db: EventStore) -> None:
    await events_db.append_event(event("ev_1", "r1", "d", T0))
    ledger = DeliveryLedger(events_db.path, retention_days=0)
    try:
        assert await check_in(ledger, "r1", "d", T0) is None
        ledger.settle("r1", "d", None)
    finally:
        ledger.close()


async def test_a_copy_in_flight_waits_for_the_first_and_gets_its_event_id(
        events_db: EventStore) -> None:
    ledger = DeliveryLedger(events_db.path)
    try:
        assert await check_in(ledger, "r1", "d", T0) is None  # the first copy: ours
        second = asyncio.ensure_future(ledger.check_in("r1", "d", T0))
        await asyncio.sleep(0)
        assert not second.done()
        ledger.settle("r1", "d", "ev_first")
        assert await answer_of(second) == "ev_first"
        # A first copy that was refused lets the next one through as the first.
        assert await check_in(ledger, "r1", "e", T0) is None
        third = asyncio.ensure_future(ledger.check_in("r1", "e", T0))
        await asyncio.sleep(0)
        ledger.settle("r1", "e", None)
        assert await answer_of(third) is None
        ledger.settle("r1", "e", "ev_third")
    finally:
        ledger.close()


async def test_copies_of_other_deliveries_do_not_wait(events_db: EventStore) -> None:
    ledger = DeliveryLedger(events_db.path)
    try:
        assert await check_in(ledger, "r1", "d", T0) is None  # in flight from here on
        for rule_id, delivery in (("r1", "e"), ("r2", "d")):
            other = asyncio.ensure_future(ledger.check_in(rule_id, delivery, T0))
            assert await answer_of(other) is None
            ledger.settle(rule_id, delivery, None)
        ledger.settle("r1", "d", None)
    finally:
        ledger.close()


async def test_settling_what_is_not_in_flight_changes_nothing(events_db: EventStore) -> None:
    ledger = DeliveryLedger(events_db.path)
    try:
        ledger.settle("r1", "never checked in", "ev_1")
        assert await check_in(ledger, "r1", "d", T0) is None
        ledger.settle("r1", "d", None)
        ledger.settle("r1", "d", "ev_2")  # settled already
        assert await check_in(ledger, "r1", "d", T0) is None  # not on disk, and free again
        ledger.settle("r1", "d", None)
    finally:
        ledger.close()


async def test_a_deleted_or_replaced_database_tells_no_copy_its_id(tmp_path: Path) -> None:
    # What the old file held is on no disk any more: no copy may be answered from it.
    path = tmp_path / "events.db"
    store = EventStore(path)
    await store.open()
    unused, used = DeliveryLedger(path), DeliveryLedger(path)
    try:
        await store.append_event(event("ev_1", "r1", "d", T0))
        assert await check_in(used, "r1", "d", T0) == "ev_1"
        path.unlink()  # another program deletes it; its WAL stays
        for ledger in (unused, used):
            assert await check_in(ledger, "r1", "d", T0) is None
            ledger.settle("r1", "d", None)
        await store.close()
        store = EventStore(path)  # a new database at the same place
        await store.open()
        await store.append_event(event("ev_2", "r1", "d", T0))
        assert await check_in(used, "r1", "d", T0) is None  # still holds the deleted one
        used.settle("r1", "d", None)
        used.close()  # lets go of it: the next lookup opens the database there now
        assert await check_in(used, "r1", "d", T0) == "ev_2"
    finally:
        unused.close()
        used.close()
        await store.close()


# --- Over a real socket, with a running Bellhop ----------------------------------------

SECRET = "github-signing-0123"


def github_signature(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


async def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    sent = {"Content-Type": "application/json", **headers}
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=sent) as resp:
        return resp.status, await resp.json()


def stored(home: Path) -> list[tuple[str, str, str | None]]:
    """(event id, rule id, delivery id) of every event, read apart from Bellhop's own."""
    conn = sqlite3.connect(f"file:{home / 'events.db'}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id, rule_id, delivery_id FROM events ORDER BY seq").fetchall()
    finally:
        conn.close()


def hook(app: Bellhop, rule_id: str) -> str:
    assert app.engine is not None
    rule = app.engine.rule(rule_id)
    assert rule is not None
    return app.hook_url(rule)


RULES = [
    make_rule([{"type": "probe"}], rule_id="auto"),
    make_rule([{"type": "probe"}], rule_id="request_id", dedupe="request_id"),
    make_rule([{"type": "probe"}], rule_id="off", dedupe="off"),
    make_rule([{"type": "probe"}], rule_id="signed",
              verify={"scheme": "github", "secret": "github-signing"}),
    make_rule([{"type": "probe"}], rule_id="signed_off", dedupe="off",
              verify={"scheme": "github", "secret": "github-signing"}),
    make_rule([{"type": "probe"}], rule_id="stripe",
              verify={"scheme": "stripe", "secret": "stripe-signing"}),
]


@pytest.fixture
async def app(home: Path) -> Any:
    set_secret("github-signing", SECRET)
    set_secret("stripe-signing", SECRET)
    probe = Probe()
    bellhop = await start_app(home, RULES, probe)
    bellhop.probe = probe  # type: ignore[attr-defined]
    yield bellhop
    await bellhop.stop()


def runs_of(app: Bellhop, event_ids: set[str]) -> list[str]:
    return [call["event_id"] for call in app.probe.calls  # type: ignore[attr-defined]
            if call["event_id"] in event_ids]


async def sent_twice(app: Bellhop, rule_id: str, headers: dict[str, str],
                     ) -> list[tuple[int, dict[str, Any]]]:
    """The same signed GitHub-style delivery posted twice to the rule: both answers."""
    body = json.dumps({"ref": "refs/heads/main"}).encode()
    headers = {**headers, "X-Hub-Signature-256": github_signature(body)}
    return [await post(hook(app, rule_id), body, headers) for _ in range(2)]


@pytest.mark.parametrize(("rule_id", "headers"), [
    ("auto", {"X-GitHub-Delivery": GITHUB}),
    ("auto", {"X-Shopify-Event-Id": SHOPIFY_EVENT, "X-Shopify-Webhook-Id": "w-1"}),
    ("request_id", {"X-Request-Id": "req-1"}),
    ("signed", {"X-GitHub-Delivery": GITHUB}),  # a signed delivery takes aiohttp's road
])
async def test_the_same_delivery_twice_is_stored_and_run_once(
        app: Bellhop, home: Path, rule_id: str, headers: dict[str, str]) -> None:
    _, finished = collect(app)
    (first_status, first), (again_status, again) = await sent_twice(app, rule_id, headers)
    assert (first_status, again_status) == (202, 200)
    assert first == {"ok": True, "event_id": first["event_id"]}
    assert again == {"ok": True, "event_id": first["event_id"], "duplicate": True}
    await finished(1)
    # One event on disk: nothing else can run (a run belongs to a stored event).
    [(event_id, stored_rule, _)] = stored(home)
    assert (event_id, stored_rule) == (first["event_id"], rule_id)
    assert runs_of(app, {event_id}) == [event_id]


@pytest.mark.parametrize(("rule_id", "headers"), [
    ("off", {"X-GitHub-Delivery": GITHUB}),
    ("off", {"X-Shopify-Event-Id": SHOPIFY_EVENT, "X-Request-Id": "req-1"}),
    ("signed_off", {"X-GitHub-Delivery": GITHUB}),
    ("auto", {"X-Request-Id": "req-1"}),  # a request id counts only when the rule asks
])
async def test_the_same_delivery_twice_is_stored_and_run_twice_when_not_deduped(
        app: Bellhop, home: Path, rule_id: str, headers: dict[str, str]) -> None:
    _, finished = collect(app)
    (first_status, first), (again_status, again) = await sent_twice(app, rule_id, headers)
    assert (first_status, again_status) == (202, 202)
    assert "duplicate" not in again and again["event_id"] != first["event_id"]
    await finished(2)
    assert stored(home) == [(first["event_id"], rule_id, None),
                            (again["event_id"], rule_id, None)]
    assert sorted(runs_of(app, {first["event_id"], again["event_id"]})) == sorted(
        [first["event_id"], again["event_id"]])


def stripe_signature(body: bytes) -> str:
    stamp = int(time.time())
    mac = hmac.new(SECRET.encode(), b"%d." % stamp + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


async def test_a_stripe_event_is_deduped_by_its_id_where_the_rule_or_its_headers_say_stripe(
        app: Bellhop, home: Path) -> None:
    # The Stripe check names the sender; Stripe-Signature declares it (Stripe signs every
    # delivery, whether or not the rule checks it). Without either, the body is not read.
    body = json.dumps(STRIPE).encode()
    signed = {"Stripe-Signature": stripe_signature(body)}
    rule_ids = ("off", "off", "auto", "auto", "stripe", "stripe")
    answers = [await post(hook(app, rule_id), body, signed) for rule_id in rule_ids]
    answers += [await post(hook(app, "auto"), body, {}) for _ in range(2)]
    assert [status for status, _ in answers] == [202, 202, 202, 200, 202, 200, 202, 202]
    ids = [answer["event_id"] for _, answer in answers]
    assert ids[3] == ids[2] and ids[5] == ids[4] and len(set(ids)) == 6
    stripe_id = f"stripe:{STRIPE['id']}"
    assert stored(home) == [(ids[0], "off", None), (ids[1], "off", None),
                            (ids[2], "auto", stripe_id), (ids[4], "stripe", stripe_id),
                            (ids[6], "auto", None), (ids[7], "auto", None)]


async def test_line_events_are_deduped_by_their_ids_where_the_headers_say_line(
        app: Bellhop, home: Path) -> None:
    # A rule that does not check LINE's signature still knows LINE by X-Line-Signature.
    body = json.dumps(LINE).encode()
    signed = {"X-Line-Signature": "not checked by this rule"}
    answers = [await post(hook(app, rule_id), body, signed)
               for rule_id in ("auto", "auto", "off", "off")]
    assert [status for status, _ in answers] == [200, 200, 200, 200]  # LINE expects 200
    ids = [answer["event_id"] for _, answer in answers]
    assert ids[1] == ids[0] and answers[1][1]["duplicate"] is True and len(set(ids)) == 3
    assert stored(home) == [(ids[0], "auto", LINE_IDS), (ids[2], "off", None),
                            (ids[3], "off", None)]


class Clock:
    """The receiver's clock, set by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> tuple[str, float]:
        return "2023-11-14T22:13:20.000+00:00", self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock(T0)
    monkeypatch.setattr(admitting, "local_now", clock)
    yield clock


@pytest.mark.parametrize("signed", [False, True])
async def test_the_window_is_the_settings_dedupe_days(home: Path, clock: Clock,
                                                      signed: bool) -> None:
    save_settings(home / "settings.json", Settings(dedupe_days=1))
    set_secret("github-signing", SECRET)
    rule_id = "signed" if signed else "auto"
    app = await start_app(home, RULES, Probe())
    try:
        body = b'{"n": 1}'
        headers = {"X-GitHub-Delivery": "d-1", "X-Hub-Signature-256": github_signature(body)}
        answers = []
        for offset in (0, DAY - 1, DAY, DAY + 1):
            clock.now = T0 + offset
            answers.append(await post(hook(app, rule_id), body, headers))
        assert [status for status, _ in answers] == [202, 200, 202, 200]
        first, second = answers[0][1]["event_id"], answers[2][1]["event_id"]
        assert first != second
        assert [answer["event_id"] for _, answer in answers] == [first, first, second, second]
        assert stored(home) == [(first, rule_id, "x-github-delivery:d-1"),
                                (second, rule_id, "x-github-delivery:d-1")]
    finally:
        await app.stop()
