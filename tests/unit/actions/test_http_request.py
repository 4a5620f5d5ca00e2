"""The 'Call a web address' card against a real aiohttp server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bellhop.actions.http_request import ACTION, HttpRequestConfig
from bellhop.core.errors import PermanentError, TransientError
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.templating import make_context
from fakes.http_fake import FakeService
from helpers import CONTROL_CHARACTERS, LINE_BREAKS, char_id, step_error
from support.ports import free_port

EVENT = {
    "body": {"name": "#1001", "customer": {"name": "王小明"}, "note": 'say "hi"', "total": 1280},
    "query": {}, "headers": {}, "method": "POST", "received_at": "2024-05-01T10:00:00+08:00",
    "event_id": "ev1", "rule": "Shopify 訂單", "steps": {},
}


async def echo(request: web.Request) -> web.Response:
    raw = await request.read()
    return web.json_response({
        "method": request.method,
        "path": request.path,
        "headers": {k.lower(): v for k, v in request.headers.items()},
        "text": raw.decode("utf-8"),
        "form": dict(await request.post()) if request.content_type.endswith("urlencoded") else None,
    }, headers={"X-Request-Id": "req-7", "X-Secret-Stuff": "no"})


async def status(request: web.Request) -> web.Response:
    code = int(request.match_info["code"])
    headers = {"Retry-After": request.query["retry"]} if "retry" in request.query else {}
    return web.Response(status=code, text=f"status {code}: 找不到" + " x" * 300, headers=headers)


async def text(request: web.Request) -> web.Response:
    return web.Response(text="你好，" + "a" * 100_000, content_type="text/plain")


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(1)
    return web.Response(text="late")


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/echo", echo)
    app.router.add_route("*", "/status/{code}", status)
    app.router.add_get("/text", text)
    app.router.add_get("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}"
    await runner.cleanup()


@pytest.fixture
async def ctx(tmp_path: Path) -> AsyncIterator[StepContext]:
    async with aiohttp.ClientSession() as http:
        services = Services(home=tmp_path, accounts=dict, http=http)
        yield StepContext(services, values=make_context(EVENT), rule_name="r", event_id="ev1",
                          step_index=1, step_label="Call a web address")


def config(**values: Any) -> HttpRequestConfig:
    return HttpRequestConfig.model_validate({"type": "http_request", **values})


async def test_json_post_round_trip_with_chinese_and_templated_headers(
    ctx: StepContext, base_url: str
) -> None:
    out = await ACTION.run(ctx, config(
        url=base_url + "/echo",
        headers={"Authorization": "Bearer {{ body.name }}", "X-Rule": "{{ rule | urlencode }}"},
        body='{"customer": {{ body.customer.name | tojson }}, "note": {{ body.note | tojson }},'
             ' "total": {{ body.total }}}',
    ))
    assert out["status"] == 200
    echoed = out["body"]
    assert echoed["method"] == "POST"
    assert echoed["headers"]["authorization"] == "Bearer #1001"
    assert echoed["headers"]["x-rule"] == "Shopify%20%E8%A8%82%E5%96%AE"
    assert echoed["headers"]["content-type"] == "application/json; charset=utf-8"
    assert json.loads(echoed["text"]) == {"customer": "王小明", "note": 'say "hi"', "total": 1280}
    assert out["headers"]["x-request-id"] == "req-7"
    assert out["headers"]["content-type"].startswith("application/json")
    assert "x-secret-stuff" not in out["headers"]


async def test_get_sends_no_body_and_method_is_case_insensitive(
    ctx: StepContext, base_url: str
) -> None:
    out = await ACTION.run(ctx, config(method="get", url=base_url + "/echo?q={{ body.total }}"))
    assert out["body"]["method"] == "GET"
    assert out["body"]["text"] == ""


async def test_form_body_from_json_object_and_from_pairs(ctx: StepContext, base_url: str) -> None:
    out = await ACTION.run(ctx, config(
        url=base_url + "/echo", body_type="form",
        body='{"name": {{ body.customer.name | tojson }}, "n": {{ body.total }}}'))
    assert out["body"]["form"] == {"name": "王小明", "n": "1280"}
    out = await ACTION.run(ctx, config(
        url=base_url + "/echo", body_type="form", body="a=1&b={{ body.customer.name }}"))
    assert out["body"]["form"] == {"a": "1", "b": "王小明"}


async def test_text_body_and_text_answer_truncated(ctx: StepContext, base_url: str) -> None:
    out = await ACTION.run(ctx, config(method="GET", url=base_url + "/text"))
    assert out["status"] == 200
    assert out["body"].startswith("你好，aaa")
    assert len(out["body"]) == 64 * 1024
    out = await ACTION.run(ctx, config(url=base_url + "/echo", body_type="text",
                                       body="訂單 {{ body.name }}"))
    assert out["body"]["text"] == "訂單 #1001"
    assert out["body"]["headers"]["content-type"] == "text/plain; charset=utf-8"


async def test_404_is_permanent_with_status_and_snippet(ctx: StepContext, base_url: str) -> None:
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config(url=base_url + "/status/404", body="{}"))
    message = caught.value.message
    assert "127.0.0.1 answered 404" in message and "status 404: 找不到" in message
    assert len(message) < 400


async def test_503_is_transient_and_honours_retry_after(ctx: StepContext, base_url: str) -> None:
    with pytest.raises(TransientError) as caught:
        await ACTION.run(ctx, config(url=base_url + "/status/503?retry=120"))
    assert "503" in caught.value.message
    assert caught.value.retry_after == 120


@pytest.mark.parametrize("code", [408, 429, 500, 502])
async def test_busy_answers_are_transient(ctx: StepContext, base_url: str, code: int) -> None:
    with pytest.raises(TransientError) as caught:
        await ACTION.run(ctx, config(url=f"{base_url}/status/{code}"))
    assert caught.value.retry_after is None


async def test_429_with_http_date_retry_after(ctx: StepContext, base_url: str) -> None:
    when = formatdate(time.time() + 60, usegmt=True)
    with pytest.raises(TransientError) as caught:
        await ACTION.run(ctx, config(url=f"{base_url}/status/429?retry={when}"))
    assert 50 < caught.value.retry_after <= 60


async def test_connection_refused_is_transient(ctx: StepContext) -> None:
    port = free_port()  # free: nothing listens there
    with pytest.raises(TransientError, match=r"Could not reach 127\.0\.0\.1"):
        await ACTION.run(ctx, config(url=f"http://127.0.0.1:{port}/x"))


async def test_timeout_is_transient(ctx: StepContext, base_url: str) -> None:
    with pytest.raises(TransientError, match=r"did not answer within 0\.2 seconds"):
        await ACTION.run(ctx, config(method="GET", url=base_url + "/slow", timeout=0.2))


async def test_invalid_json_body_is_permanent_and_suggests_tojson(
    ctx: StepContext, base_url: str
) -> None:
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config(url=base_url + "/echo",
                                     body='{"note": "{{ body.note }}"}'))
    assert "not valid JSON" in caught.value.message
    assert "{{ body.name | tojson }}" in caught.value.message


@pytest.mark.parametrize("url", ["not a url", "ftp://example.com/x", "http://", "{{ '' }}"])
async def test_invalid_url_is_permanent(ctx: StepContext, url: str) -> None:
    with pytest.raises(PermanentError, match="is not a web address"):
        await ACTION.run(ctx, config(url=url))


async def test_line_break_in_header_is_rejected(ctx: StepContext, base_url: str) -> None:
    ctx.values["body"]["evil"] = "x\r\nX-Injected: 1"
    with pytest.raises(PermanentError, match="line break"):
        await ACTION.run(ctx, config(url=base_url + "/echo", headers={"X-A": "{{ body.evil }}"}))


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeService]:
    with FakeService() as service:  # stopping one takes half a second: one per module
        yield service


@pytest.fixture
def fake(fake_server: FakeService) -> FakeService:
    """A server that keeps every request it gets: a refused step must send it none."""
    fake_server.requests.clear()
    return fake_server


@pytest.mark.parametrize("char", LINE_BREAKS, ids=char_id)
async def test_every_kind_of_line_break_in_a_header_value_fails_plainly(
    ctx: StepContext, fake: FakeService, char: str
) -> None:
    ctx.values["body"]["evil"] = f"王小明{char}X-Injected: 1"
    error = await step_error(ACTION, ctx, config(
        url=fake.base + "/hook", headers={"X-Customer": "{{ body.evil }}"}))
    assert error == ("The header 'X-Customer' contains a line break, which is not allowed. "
                     "Check the template and the event data it uses.")
    assert "Something unexpected" not in error
    assert fake.requests == []


@pytest.mark.parametrize("char", CONTROL_CHARACTERS, ids=char_id)
async def test_control_character_in_a_header_value_fails_plainly(
    ctx: StepContext, fake: FakeService, char: str
) -> None:
    ctx.values["body"]["evil"] = f"王小明{char}"
    error = await step_error(ACTION, ctx, config(
        url=fake.base + "/hook", headers={"X-Customer": "{{ body.evil }} ok"}))
    assert error == ("The header 'X-Customer' contains an invisible control character, which "
                     "is not allowed. Check the template and the event data it uses.")
    assert fake.requests == []


async def test_newline_at_the_end_of_a_header_name_fails_plainly(
    ctx: StepContext, fake: FakeService
) -> None:
    error = await step_error(ACTION, ctx, config(url=fake.base + "/hook",
                                                 headers={"X-A\n": "1"}))
    assert error == "'X-A\n' is not a valid header name: use letters, digits and dashes."
    assert fake.requests == []


async def test_tab_in_a_header_value_is_sent(ctx: StepContext, fake: FakeService) -> None:
    await step_error(ACTION, ctx, config(url=fake.base + "/hook",
                                         headers={"X-Tab": "a\tb"}))  # the fake answers 404
    assert [seen.headers["x-tab"] for seen in fake.requests] == ["a\tb"]


async def test_non_ascii_header_value_is_sent_as_utf8(ctx: StepContext, base_url: str) -> None:
    out = await ACTION.run(ctx, config(url=base_url + "/echo",
                                       headers={"X-Name": "{{ body.customer.name }}"}))
    assert out["body"]["headers"]["x-name"] == "王小明"
    assert out["body"]["headers"]["user-agent"].startswith("Bellhop/")


async def test_bad_header_name_is_rejected(ctx: StepContext, base_url: str) -> None:
    with pytest.raises(PermanentError, match="not a valid header name"):
        await ACTION.run(ctx, config(url=base_url + "/echo", headers={"Bad Name": "x"}))


def test_config_defaults_and_validation() -> None:
    cfg = config(url="https://example.com")
    assert (cfg.method, cfg.body_type, cfg.timeout, cfg.headers) == ("POST", "json", 30.0, {})
    with pytest.raises(ValueError):
        config(url="https://example.com", method="TRACE")
    with pytest.raises(ValueError):
        config(url="https://example.com", body_type="xml")
    assert ACTION.field_label("url", "zh_TW") == "網址"


async def test_the_result_names_the_address_without_its_query_or_password(
        ctx: StepContext, base_url: str) -> None:
    port = base_url.rsplit(":", 1)[1]
    out = await ACTION.run(ctx, config(
        method="GET", url=f"http://me:pw@127.0.0.1:{port}/echo?key=secret#top"))
    assert out["url"] == f"http://127.0.0.1:{port}/echo"
    assert ACTION.describe_result(out, {}) == \
        f"Called http://127.0.0.1:{port}/echo — it answered 200 OK"
    assert ACTION.describe_result({"status": 299}, {}) == "The web address answered 299"
