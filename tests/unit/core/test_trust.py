"""Over a real socket: signed deliveries accepted, forged ones refused and counted, and
repeated deliveries answered again without running twice."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from enginekit import Probe, collect, make_rule, refused, start_app

from bellhop.core.platform.secrets import set_secret
from bellhop.core.storage import records
from bellhop.service import Bellhop
from helpers import load_sample
from support import rawhttp

SECRET = "shpss_test_secret_0123"


def shopify_signature(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


async def post(url: str, body: bytes, **headers: str) -> tuple[int, dict[str, Any]]:
    sent = {"Content-Type": "application/json", **{k.replace("_", "-"): v
                                                   for k, v in headers.items()}}
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=sent) as resp:
        return resp.status, await resp.json()


def url(app: Bellhop, index: int = 0) -> str:
    assert app.engine is not None
    return app.hook_url(app.engine.rules[index])


async def count(app: Bellhop) -> int:
    return await app.store.read(records.count_events)


async def test_signed_shopify_delivery_runs_and_forgeries_are_refused(home: Path) -> None:
    set_secret("shopify-signing", SECRET)
    probe = Probe()
    app = await start_app(home, [make_rule(
        [{"type": "probe", "text": "{{ body.name }}"}],
        verify={"scheme": "shopify", "secret": "shopify-signing"})], probe)
    seen, finished = collect(app)
    try:
        body = load_sample("shopify_order_create.json")
        status, answer = await post(url(app), body, X_Shopify_Hmac_Sha256=shopify_signature(body))
        assert status == 202
        await finished()
        assert len(probe.calls) == 1
        for forged in (shopify_signature(body, "guess"), "", shopify_signature(body + b" ")):
            status, answer = await post(url(app), body, X_Shopify_Hmac_Sha256=forged)
            assert status == 401
            assert answer == {"ok": False, "error": "This delivery could not be verified."}
        status, _ = await post(url(app), body)  # no signature at all
        assert status == 401
        assert await count(app) == 1 and len(probe.calls) == 1
        assert app.engine is not None
        rejected = app.engine.rejections["r1"]
        assert rejected.count == 4 and "header" in rejected.last_reason
        # Recorded a moment after the answers, and told once per kind (not per request).
        refusals = await refused(seen, 4)
        assert refusals[-1].count == 4 and sum(e.new for e in refusals) == 4
        assert {(e.rule_id, e.status, e.kind) for e in refusals} == {("r1", 401, "signature")}
        assert "secret" in refusals[0].reason
    finally:
        await app.stop()


def stored_events(home: Path) -> int:
    """Events in events.db, read through a separate read-only connection."""
    with closing(sqlite3.connect(f"file:{home / 'events.db'}?mode=ro", uri=True)) as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


async def test_a_tampered_github_delivery_gets_401_and_nothing_is_stored(home: Path) -> None:
    set_secret("github-signing", "gh-webhook-secret")
    probe = Probe()
    app = await start_app(home, [make_rule(
        [{"type": "probe"}], verify={"scheme": "github", "secret": "github-signing"})], probe)
    _, finished = collect(app)
    try:
        body = json.dumps({"ref": "refs/heads/main", "after": "6113728f"}).encode()
        signature = "sha256=" + hmac.new(b"gh-webhook-secret", body, hashlib.sha256).hexdigest()
        tampered = body.replace(b"6113728f", b"6113728e")
        for forged in (tampered, body + b"\n", body[:-1]):
            status, answer = await post(url(app), forged, X_Hub_Signature_256=signature)
            assert (status, answer) == (
                401, {"ok": False, "error": "This delivery could not be verified."})
        assert stored_events(home) == 0 and probe.calls == []
        assert app.engine is not None
        assert app.engine.rejections["r1"].count == 3
        assert app.engine.rejections["r1"].last_reason == (
            "The signature does not match. Is the secret in Bellhop the same as the one the "
            "service shows?")
        status, _ = await post(url(app), body, X_Hub_Signature_256=signature)
        assert status == 202  # the same delivery, untouched, is stored before the answer
        assert stored_events(home) == 1
        await finished()
        assert len(probe.calls) == 1
    finally:
        await app.stop()


async def test_a_signature_that_is_not_utf8_gets_401_not_an_error(home: Path) -> None:
    set_secret("github-signing", "gh-webhook-secret")
    app = await start_app(home, [make_rule(
        [{"type": "probe"}], verify={"scheme": "github", "secret": "github-signing"})], Probe())
    try:
        address = urlsplit(url(app))
        assert address.port is not None
        request = rawhttp.with_raw_header(rawhttp.post(address.path, b"{}"),
                                          b"X-Hub-Signature-256", b"sha256=\xff\xfe")
        answer = await rawhttp.exchange(address.port, request)
        assert (answer.status, json.loads(answer.body)) == (
            401, {"ok": False, "error": "This delivery could not be verified."})
        assert app.engine is not None
        assert app.engine.rejections["r1"].last_reason == (
            "The signature does not match. Is the secret in Bellhop the same as the one the "
            "service shows?")
        assert stored_events(home) == 0
    finally:
        await app.stop()


async def test_a_rule_whose_secret_is_missing_answers_503(home: Path) -> None:
    app = await start_app(home, [make_rule(
        [{"type": "probe"}], verify={"scheme": "github", "secret": "not-saved"})], Probe())
    try:
        status, _ = await post(url(app), b"{}", X_Hub_Signature_256="sha256=00")
        assert status == 503
        assert app.engine is not None
        assert "bellhop secret set not-saved" in app.engine.rejections["r1"].last_reason
        assert await count(app) == 0
    finally:
        await app.stop()


async def test_a_repeated_delivery_answers_the_same_event_and_runs_once(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe"}])], probe)
    _, finished = collect(app)
    try:
        body = load_sample("shopify_order_create.json")
        first_status, first = await post(url(app), body, X_Shopify_Webhook_Id="b54557e4-1")
        again_status, again = await post(url(app), body, X_Shopify_Webhook_Id="b54557e4-1")
        assert (first_status, again_status) == (202, 200)
        assert again == {"ok": True, "event_id": first["event_id"], "duplicate": True}
        other_status, other = await post(url(app), body, X_Shopify_Webhook_Id="b54557e4-2")
        assert other_status == 202 and other["event_id"] != first["event_id"]
        await finished(2)
        await asyncio.sleep(0.05)
        assert len(probe.calls) == 2 and await count(app) == 2
    finally:
        await app.stop()


async def test_concurrent_copies_make_one_event_and_one_run(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe", "hold": 0.02}])], probe)
    _, finished = collect(app)
    try:
        body = json.dumps({"ref": "refs/heads/main"}).encode()
        answers = await asyncio.gather(*(
            post(url(app), body, X_GitHub_Delivery="72d3162e-cc78-11e3") for _ in range(12)))
        ids = {answer["event_id"] for _, answer in answers}
        assert len(ids) == 1
        assert sorted(status for status, _ in answers) == [200] * 11 + [202]
        await finished(1)
        await asyncio.sleep(0.1)
        assert len(probe.calls) == 1 and await count(app) == 1
    finally:
        await app.stop()


STRIPE_SIGNED = {"Stripe_Signature": "t=1,v1=0"}  # the rule checks nothing: any value
LINE_SIGNED = {"X_Line_Signature": "x"}


@pytest.mark.parametrize(("first", "second", "headers", "same"), [
    ({"id": "evt_1", "object": "event"}, {"id": "evt_1", "object": "event"}, STRIPE_SIGNED,
     True),
    ({"destination": "U1", "events": [{"webhookEventId": "A"}, {"webhookEventId": "B"}]},
     {"destination": "U1", "events": [{"webhookEventId": "B"}, {"webhookEventId": "A"}]},
     LINE_SIGNED, True),
    ({"events": [{"webhookEventId": "A"}]},
     {"events": [{"webhookEventId": "A"}, {"webhookEventId": "C"}]}, LINE_SIGNED, False),
    ({"id": "evt_1"}, {"id": "evt_1"}, STRIPE_SIGNED, False),  # not a Stripe event object
    ({"id": "evt_1", "object": "event"}, {"id": "evt_1", "object": "event"}, LINE_SIGNED,
     False),  # LINE declared: a Stripe id is not LINE's
])
async def test_ids_in_the_body(home: Path, first: dict, second: dict, headers: dict[str, str],
                               same: bool) -> None:
    # Read where the headers declare the sender; without them, no id is read in the body.
    app = await start_app(home, [make_rule([{"type": "probe"}], rule_id="a")], Probe())
    try:
        _, a = await post(url(app), json.dumps(first).encode(), **headers)
        status, b = await post(url(app), json.dumps(second).encode(), **headers)
        assert (a["event_id"] == b["event_id"]) is same
        assert status in ((200,) if same else (200, 202))
        _, a = await post(url(app), json.dumps(first).encode())
        status, b = await post(url(app), json.dumps(second).encode())
        assert a["event_id"] != b["event_id"] and status == 202
    finally:
        await app.stop()


async def test_request_id_counts_only_when_the_rule_opts_in(home: Path) -> None:
    app = await start_app(home, [make_rule([{"type": "probe"}], rule_id="a"),
                                 make_rule([{"type": "probe"}], rule_id="b",
                                           dedupe="request_id")], Probe())
    try:
        for index, expect_same in ((0, False), (1, True)):
            _, a = await post(url(app, index), b"{}", X_Request_Id="req-1")
            _, b = await post(url(app, index), b"{}", X_Request_Id="req-1")
            assert (a["event_id"] == b["event_id"]) is expect_same
    finally:
        await app.stop()


async def test_same_delivery_id_for_two_rules_runs_both(home: Path) -> None:
    app = await start_app(home, [make_rule([{"type": "probe"}], rule_id="a"),
                                 make_rule([{"type": "probe"}], rule_id="b")], Probe())
    try:
        assert (await post(url(app, 0), b"{}", webhook_id="msg_1"))[0] == 202
        assert (await post(url(app, 1), b"{}", webhook_id="msg_1"))[0] == 202
    finally:
        await app.stop()


async def test_dedupe_survives_a_restart_and_ends_with_the_retention_window(
        home: Path) -> None:
    rule = make_rule([{"type": "probe"}])
    app = await start_app(home, [rule], Probe())
    _, first = await post(url(app), b"{}", X_GitHub_Delivery="d-1")
    await app.stop()
    app = await start_app(home, [rule], Probe())
    try:
        status, again = await post(url(app), b"{}", X_GitHub_Delivery="d-1")
        assert status == 200 and again["event_id"] == first["event_id"]
        eight_days = 8 * 86400
        await app.store.write(lambda conn: conn.execute(
            "UPDATE events SET received_ts = received_ts - ?", (eight_days,)))
        status, later = await post(url(app), b"{}", X_GitHub_Delivery="d-1")
        assert status == 202 and later["event_id"] != first["event_id"]
    finally:
        await app.stop()


async def test_a_duplicate_gets_the_rules_custom_answer(home: Path) -> None:
    app = await start_app(home, [make_rule([{"type": "probe"}], respond={
        "status": 200, "body": "OK", "content_type": "text/plain"})], Probe())
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(2):
                async with http.post(url(app), data=b"{}",
                                     headers={"X-GitHub-Delivery": "same"}) as resp:
                    assert resp.status == 200 and await resp.text() == "OK"
        assert await count(app) == 1
    finally:
        await app.stop()
