"""'Send the sample to this rule': a real request to the rule's own address, signed as the
service would sign it, run like any delivery; refusals come back in words."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.errors import BellhopError
from bellhop.core.inbox.sample_send import sample_request
from bellhop.core.inbox.signing import signature_headers
from bellhop.core.inbox.verify import Rejected, check_delivery
from bellhop.core.platform.secrets import set_secret
from bellhop.core.running.rules import VerifyConfig
from bellhop.core.storage import records
from bellhop.service import Bellhop
from helpers import sample_json

SHOPIFY_HEADERS = {k.lower(): v for k, v in sample_json(
    "shopify_order_create.headers.json").items()}
ORDER = {"source": "shopify_order", "method": "POST", "headers": SHOPIFY_HEADERS,
         "query": {}, "body": sample_json("shopify_order_create.json")}


@pytest.mark.parametrize(("scheme", "secret", "extra"), [
    ("shopify", "shpss_1", {}), ("line", "line-secret", {}), ("github", "gh", {}),
    ("stripe", "whsec_stripe", {}), ("slack", "slack-signing", {}),
    ("standard", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", {}),
    ("basic", "pa55", {"username": "shop"}), ("header", "tok-1", {"header": "X-Token"}),
])
def test_a_signed_sample_passes_the_rules_own_check(scheme: str, secret: str,
                                                    extra: dict[str, str]) -> None:
    config = VerifyConfig(scheme=scheme, secret="name", **extra)  # type: ignore[arg-type]
    raw = json.dumps({"name": "#1042", "note": "請盡快出貨"}, ensure_ascii=False).encode()
    now = time.time()
    headers = signature_headers(config, secret, raw, now)
    check_delivery(config, secret, raw, headers, now)
    with pytest.raises(Rejected):  # the same headers do not vouch for other bytes
        check_delivery(config, secret + "x", raw, headers, now) if scheme in (
            "basic", "header") else check_delivery(config, secret, raw + b" ", headers, now)


def test_the_sample_request_is_a_fresh_delivery_without_the_old_signature() -> None:
    method, raw, headers = sample_request(ORDER)
    assert method == "POST" and json.loads(raw) == ORDER["body"]
    assert headers["Content-Type"] == "application/json"
    assert "x-shopify-hmac-sha256" not in {k.lower() for k in headers}
    assert headers["x-shopify-topic"] == "orders/create"
    assert headers["x-shopify-webhook-id"].startswith("bellhop-sample-")
    assert headers["x-shopify-webhook-id"] != sample_request(ORDER)[2]["x-shopify-webhook-id"]


def test_a_form_sample_goes_as_form_fields_and_text_as_text() -> None:
    form = {"headers": {"content-type": "application/x-www-form-urlencoded"},
            "body": {"name": "張小華", "phone": "0922333444", "nested": {"x": 1}}}
    __, raw, headers = sample_request(form)
    assert raw == b"name=%E5%BC%B5%E5%B0%8F%E8%8F%AF&phone=0922333444"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    __, raw, headers = sample_request({"headers": {}, "body": "plain words"})
    assert (raw, headers["Content-Type"]) == (b"plain words", "text/plain; charset=utf-8")
    hidden = sample_request({"headers": {"authorization": "(hidden)", "x-a": "1"}, "body": {}})
    assert "authorization" not in hidden[2] and hidden[2]["x-a"] == "1"


@pytest.fixture
def probe() -> Probe:
    return Probe()


@pytest.fixture
async def app(home: Path, probe: Probe) -> AsyncIterator[Bellhop]:
    set_secret("shop-signing", "shpss_sample_secret")
    rules = [
        make_rule([{"type": "probe", "text": "{{ body.name }}"}], rule_id="signed",
                  verify={"scheme": "shopify", "secret": "shop-signing"}),
        make_rule([{"type": "probe"}], rule_id="off", enabled=False),
        make_rule([{"type": "probe"}], rule_id="unsaved",
                  verify={"scheme": "github", "secret": "never-saved"}),
        make_rule([{"type": "probe", "text": "{{ body.name }}"}], rule_id="form"),
    ]
    bellhop = await start_app(home, rules, probe)
    yield bellhop
    await bellhop.stop()


async def test_the_sample_is_signed_stored_and_run_every_time_it_is_sent(
        app: Bellhop, probe: Probe) -> None:
    _, finished = collect(app)
    first = await app.send_sample("signed", ORDER)
    second = await app.send_sample("signed", ORDER)
    assert first.taken and first.status == 202 and first.event_id
    assert "see it in Activity" in first.message
    assert second.event_id not in (None, first.event_id)
    await finished(2)
    assert [call["text"] for call in probe.calls] == ["#1042", "#1042"]
    event = await app.store.get_event(first.event_id)
    assert event is not None and event.headers["user-agent"] == "Bellhop (sample)"
    assert event.headers["x-shopify-hmac-sha256"] == "(hidden)"  # stored as any credential


async def test_a_form_sample_arrives_as_form_fields(app: Bellhop, probe: Probe) -> None:
    _, finished = collect(app)
    sent = await app.send_sample("form", {
        "method": "POST", "headers": {"content-type": "application/x-www-form-urlencoded"},
        "query": {"from": "site"}, "body": {"name": "張小華"}})
    assert sent.taken
    [run] = await finished()
    assert run.status == "succeeded"
    event = await app.store.get_event(str(sent.event_id))
    assert event is not None and event.query == {"from": "site"}
    assert event.content_type == "application/x-www-form-urlencoded"
    assert probe.calls[-1]["text"] == "張小華"


@pytest.mark.parametrize(("rule_id", "status", "words"), [
    ("off", 404, "This rule is off, so its address turns deliveries away"),
    ("unsaved", 503, "its secret is not saved: save it in this rule's trigger"),
])
async def test_a_refused_sample_says_why_in_words(app: Bellhop, rule_id: str, status: int,
                                                 words: str) -> None:
    sent = await app.send_sample(rule_id, ORDER)
    assert (sent.taken, sent.status, sent.event_id) == (False, status, None)
    assert sent.message.startswith("The rule turned the sample away: ") and words in sent.message
    assert await app.store.read(records.count_events) == 0


async def test_a_rule_that_is_not_saved_has_no_address_to_send_to(app: Bellhop) -> None:
    with pytest.raises(BellhopError) as caught:
        await app.send_sample("not-there", ORDER)
    assert caught.value.message == "Save the rule first: it has no address yet."


def sample_with(**changes: Any) -> dict[str, Any]:
    return {**ORDER, **changes}


async def test_a_get_sample_is_sent_without_a_body(app: Bellhop) -> None:
    sent = await app.send_sample("form", sample_with(method="GET"))
    assert (sent.taken, sent.status) == (False, 405)
    assert "does not take GET requests: the sender must POST" in sent.message
