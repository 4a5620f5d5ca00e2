"""LINE's "Verify" request (no events) is answered 200 and changes nothing, even while
Bellhop listens for a sample; real LINE deliveries are answered 200 as LINE expects.

A rule is LINE's when its settings say so (the LINE signature check, or a Reply on
LINE step); any other rule takes a LINE-shaped body as any other delivery.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
from pathlib import Path

import aiohttp
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.platform.secrets import set_secret
from helpers import load_sample

SECRET = "line-channel-secret"


def signed(body: bytes) -> dict[str, str]:
    mac = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    return {"Content-Type": "application/json",
            "X-Line-Signature": base64.b64encode(mac).decode()}


async def test_verify_request_is_answered_and_nothing_runs(home: Path) -> None:
    set_secret("line-signing", SECRET)
    probe = Probe()
    rule = make_rule([{"type": "probe", "text": "{{ body.events[0].message.text }}"}],
                     verify={"scheme": "line", "secret": "line-signing"})
    app = await start_app(home, [rule], probe)
    seen, finished = collect(app)
    try:
        url = app.hook_url(app.engine.rules[0])
        verify, message = load_sample("line_verify.json"), load_sample("line_message_event.json")
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=verify, headers=signed(verify)) as answer:
                assert answer.status == 200 and await answer.json() == {"ok": True}
            assert await app.recent_events() == []
            assert [kind for kind, _ in seen] == ["verify_request"]

            app.engine.capture_next("r1")  # 'Listen for a test event': Verify is no sample
            async with http.post(url, data=verify, headers=signed(verify)) as answer:
                assert answer.status == 200
            assert "r1" in app.engine.capturing and await app.recent_events() == []
            app.engine.stop_capture("r1")

            async with http.post(url, data=message, headers=signed(message)) as answer:
                assert answer.status == 200  # LINE counts anything else as a failure
                event_id = (await answer.json())["event_id"]
        [run] = await finished()
        assert run["event_id"] == event_id and run["status"] == "succeeded"
        assert [call["text"] for call in probe.calls] == ["營業時間"]
    finally:
        await app.stop()


async def test_a_rule_that_does_not_say_line_takes_a_line_body_as_any_other(
        home: Path) -> None:
    # Not parsed before the answer (nothing in the rule reads it): checked, stored whole,
    # answered 202, and run with its body as sent.
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe", "text": "{{ body.events }}"}])],
                          probe)
    seen, finished = collect(app)
    try:
        url = app.hook_url(app.engine.rules[0])
        verify = load_sample("line_verify.json")
        async with aiohttp.ClientSession() as http, http.post(
                url, data=verify, headers={"Content-Type": "application/json"}) as answer:
            assert answer.status == 202
            event_id = (await answer.json())["event_id"]
        [run] = await finished()
        assert run["event_id"] == event_id and "verify_request" not in [k for k, _ in seen]
        assert [call["text"] for call in probe.calls] == ["[]"]
        conn = sqlite3.connect(f"file:{home / 'events.db'}?mode=ro", uri=True)
        try:
            [(body, delivery)] = conn.execute("SELECT body, delivery_id FROM events").fetchall()
        finally:
            conn.close()
        assert (bytes(body), delivery) == (verify, None)
    finally:
        await app.stop()
