"""The receiver over a real socket: answers for good and bad input, and what gets stored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.events import EngineEvent, EventReceived
from bellhop.core.storage import records
from bellhop.service import Bellhop
from helpers import load_sample


@pytest.fixture
async def app(home: Path) -> AsyncIterator[Bellhop]:
    rules = [
        make_rule([{"type": "probe", "text": "{{ body.name }}"}], rule_id="json"),
        make_rule([{"type": "probe", "text": "{{ body }}"}], rule_id="text",
                  invalid_json="text", methods=["POST", "PUT"]),
        make_rule([{"type": "probe"}], rule_id="off", enabled=False),
        make_rule([{"type": "probe"}], rule_id="custom",
                  respond={"status": 200, "body": "thanks", "content_type": "text/plain"}),
        make_rule([{"type": "nonsense"}], rule_id="broken"),
    ]
    bellhop = await start_app(home, rules, Probe())
    yield bellhop
    await bellhop.stop()


def url(app: Bellhop, rule_id: str) -> str:
    assert app.engine is not None
    rule = app.engine.rule(rule_id)
    assert rule is not None
    return app.hook_url(rule)


async def stored_count(app: Bellhop) -> int:
    return await app.store.read(records.count_events)


async def test_json_delivery_is_stored_then_answered_202(app: Bellhop) -> None:
    _, finished = collect(app)
    raw = load_sample("shopify_order_create.json")
    async with aiohttp.ClientSession() as http, http.post(
            url(app, "json") + "?shop=demo", data=raw,
            headers={"Content-Type": "application/json", "X-Shopify-Topic": "orders/create"}
    ) as resp:
        assert resp.status == 202
        answer = await resp.json()
    assert answer["ok"] is True
    stored = await app.store.get_event(answer["event_id"])
    assert stored is not None
    assert stored.body == raw  # the raw bytes, exactly (signatures need them)
    assert stored.headers["x-shopify-topic"] == "orders/create"
    assert stored.query == {"shop": "demo"}
    [run] = await finished()
    assert run.status == "succeeded"


async def test_form_and_multipart_fields_become_body(app: Bellhop, home: Path) -> None:
    probe_calls: list[EngineEvent] = []
    app.subscribe(probe_calls.append)
    form = load_sample("website_form.txt")
    async with aiohttp.ClientSession() as http:
        async with http.post(url(app, "json"), data=form, headers={
                "Content-Type": "application/x-www-form-urlencoded"}) as resp:
            assert resp.status == 202
            event_id = (await resp.json())["event_id"]
        data = aiohttp.FormData()
        data.add_field("name", "王小明")
        data.add_field("file", b"abc", filename="a.txt")
        async with http.post(url(app, "json"), data=data) as resp:
            assert resp.status == 202
    from bellhop.core.running.payload import parse_body

    stored = await app.store.get_event(event_id)
    assert stored is not None
    body = parse_body(stored.body, "application/x-www-form-urlencoded")
    assert isinstance(body, dict) and body  # the sample's fields parsed as a mapping


@pytest.mark.parametrize(("path", "method", "status"), [
    ("/", "GET", 404), ("/hooks", "POST", 404), ("/hooks/", "POST", 404),
    ("/admin", "GET", 404), ("/hooks/unknown-token-aaaaaaaaaaaaa", "POST", 404),
    ("/hooks/" + "a" * 300, "POST", 404), ("/healthz", "POST", 405),
])
async def test_unknown_paths_and_tokens_are_404(app: Bellhop, path: str, method: str,
                                                status: int) -> None:
    assert app.receiver is not None
    async with aiohttp.ClientSession() as http, http.request(
            method, app.receiver.base_url + path, data=b"{}") as resp:
        assert resp.status == status
        assert "Traceback" not in await resp.text()
    assert await stored_count(app) == 0


async def test_bad_requests_store_nothing_and_run_nothing(app: Bellhop) -> None:
    seen, _ = collect(app)
    async with aiohttp.ClientSession() as http:
        async with http.get(url(app, "json")) as resp:
            assert resp.status == 405
            assert resp.headers["Allow"] == "POST"
        async with http.post(url(app, "json"), data=b'{"name": ',
                             headers={"Content-Type": "application/json"}) as resp:
            assert resp.status == 400
            assert "not valid JSON" in (await resp.json())["error"]
        async with http.post(url(app, "json"), data=b"x" * (1024 * 1024 + 1)) as resp:
            assert resp.status == 413
        async with http.post(url(app, "off"), json={}) as resp:
            assert resp.status == 404
        async with http.post(url(app, "broken"), json={}) as resp:
            assert resp.status == 503 and resp.headers["Retry-After"]
        deep = b"[" * 5000 + b"]" * 5000
        async with http.post(url(app, "json"), data=deep,
                             headers={"Content-Type": "application/json"}) as resp:
            assert resp.status == 400
    await asyncio.sleep(0.05)
    assert await stored_count(app) == 0
    assert not [e for e in seen if isinstance(e, EventReceived)]


async def test_declared_oversize_body_is_refused_without_reading_it(app: Bellhop) -> None:
    assert app.receiver is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", app.receiver.port)
    path = url(app, "json").split(str(app.receiver.port), 1)[1]
    writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n"
                 "Content-Type: application/json\r\n\r\n".encode())
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 5)
    assert b" 413 " in status_line
    writer.close()


async def test_broken_json_is_kept_as_text_when_the_rule_says_so(app: Bellhop) -> None:
    _, finished = collect(app)
    async with aiohttp.ClientSession() as http, http.put(
            url(app, "text"), data=b'{"oops"', headers={"Content-Type": "application/json"}
    ) as resp:
        assert resp.status == 202
    [run] = await finished()
    assert run.status == "succeeded"


async def test_custom_response_and_healthz(app: Bellhop) -> None:
    assert app.receiver is not None
    async with aiohttp.ClientSession() as http:
        async with http.post(url(app, "custom"), data=b"hello") as resp:
            assert resp.status == 200 and await resp.text() == "thanks"
        async with http.get(app.receiver.base_url + "/healthz") as resp:
            assert resp.status == 200 and await resp.text() == "ok"
    assert await stored_count(app) == 1


async def test_slow_body_times_out_with_408(home: Path) -> None:
    from bellhop.core.platform.settings import Settings, save_settings

    save_settings(home / "settings.json", Settings(body_read_timeout=0.3))
    app = await start_app(home, [make_rule([{"type": "probe"}])], Probe())
    try:
        assert app.receiver is not None and app.engine is not None
        reader, writer = await asyncio.open_connection("127.0.0.1", app.receiver.port)
        path = f"/hooks/{app.engine.rules[0].token}"
        writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{{".encode())
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 5)
        assert b" 408 " in status_line
        writer.close()
        assert await stored_count(app) == 0
    finally:
        await app.stop()
