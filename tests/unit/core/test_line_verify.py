"""LINE's "Verify" request (no events) is answered 200 and changes nothing, even while
Bellhop listens for a sample; real LINE deliveries are answered 200 as LINE expects.

A delivery is LINE's when the rule's settings say so (the LINE signature check, or a
Reply on LINE step) or when it carries X-Line-Signature, which LINE sends with every
delivery; any other delivery with a LINE-shaped body is taken as any other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
from pathlib import Path

import aiohttp
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.events import AddressChecked
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
            assert [type(e) for e in seen] == [AddressChecked]

            app.engine.capture_next("r1")  # 'Listen for a test event': Verify is no sample
            async with http.post(url, data=verify, headers=signed(verify)) as answer:
                assert answer.status == 200
            assert "r1" in app.engine.capturing and await app.recent_events() == []
            app.engine.stop_capture("r1")

            async with http.post(url, data=message, headers=signed(message)) as answer:
                assert answer.status == 200  # LINE counts anything else as a failure
                event_id = (await answer.json())["event_id"]
        [run] = await finished()
        assert run.event_id == event_id and run.status == "succeeded"
        assert [call["text"] for call in probe.calls] == ["營業時間"]
    finally:
        await app.stop()


async def test_an_unsigned_rule_answers_lines_verify_by_its_header_and_runs_nothing(
        home: Path) -> None:
    # As before the rules said who sends: LINE's own header is enough, checked or not.
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe"}])], probe)
    seen, _ = collect(app)
    try:
        url = app.hook_url(app.engine.rules[0])
        verify = b'{"destination": "U8d3ef2f1a4b6c7d8e9f0a1b2c3d4e5f6", "events": []}'
        headers = {"Content-Type": "application/json", "X-Line-Signature": "unchecked"}
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=verify, headers=headers) as answer:
                assert answer.status == 200 and await answer.json() == {"ok": True}
            assert [type(event) for event in seen] == [AddressChecked]
            app.engine.capture_next("r1")  # no sample either
            async with http.post(url, data=verify, headers=headers) as answer:
                assert answer.status == 200 and await answer.json() == {"ok": True}
            assert "r1" in app.engine.capturing
            app.engine.stop_capture("r1")
        await app.engine.wait_idle()
        assert await app.recent_events() == [] and probe.calls == []
    finally:
        await app.stop()


async def test_a_delivery_that_does_not_say_line_takes_a_line_body_as_any_other(
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
        assert run.event_id == event_id and not any(isinstance(e, AddressChecked) for e in seen)
        assert [call["text"] for call in probe.calls] == ["[]"]
        conn = sqlite3.connect(f"file:{home / 'events.db'}?mode=ro", uri=True)
        try:
            [(body, delivery)] = conn.execute("SELECT body, delivery_id FROM events").fetchall()
        finally:
            conn.close()
        assert (bytes(body), delivery) == (verify, None)
    finally:
        await app.stop()
