"""LINE's "Verify" request (no events) is answered 200 and changes nothing, even while
Bellhop listens for a sample; real LINE deliveries are answered 200 as LINE expects."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.events import AddressChecked
from helpers import load_sample


async def test_verify_request_is_answered_and_nothing_runs(home: Path) -> None:
    probe = Probe()
    rule = make_rule([{"type": "probe", "text": "{{ body.events[0].message.text }}"}])
    app = await start_app(home, [rule], probe)
    seen, finished = collect(app)
    try:
        url = app.hook_url(app.engine.rules[0])
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=load_sample("line_verify.json"),
                                 headers={"Content-Type": "application/json"}) as answer:
                assert answer.status == 200 and await answer.json() == {"ok": True}
            assert await app.recent_events() == []
            assert [type(e) for e in seen] == [AddressChecked]

            app.engine.capture_next("r1")  # 'Listen for a test event': Verify is no sample
            async with http.post(url, data=load_sample("line_verify.json"),
                                 headers={"Content-Type": "application/json"}) as answer:
                assert answer.status == 200
            assert "r1" in app.engine.capturing and await app.recent_events() == []
            app.engine.stop_capture("r1")

            async with http.post(url, data=load_sample("line_message_event.json"),
                                 headers={"Content-Type": "application/json"}) as answer:
                assert answer.status == 200  # LINE counts anything else as a failure
                event_id = (await answer.json())["event_id"]
        [run] = await finished()
        assert run.event_id == event_id and run.status == "succeeded"
        assert [call["text"] for call in probe.calls] == ["營業時間"]
    finally:
        await app.stop()
