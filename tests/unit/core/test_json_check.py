"""A delivery's JSON is checked, not built, on the way to its 2xx; the run builds it.

The check must never pass a body the parser refuses (the sender would hear 202 for
a body Bellhop cannot read). Only where the rule's settings (LINE, Stripe, SurveyCake)
or the delivery's headers (X-Line-Signature, Stripe-Signature) say the answer reads the
body is it parsed first, and then what it reads is found however it is written, escapes
included.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
from pathlib import Path

import aiohttp
import pytest
from enginekit import Probe, make_rule, start_app
from hypothesis import given
from hypothesis import strategies as st

from bellhop.core import jsoncodec
from bellhop.core.inbox.dedupe import delivery_id
from bellhop.core.platform.secrets import set_secret
from bellhop.core.running.payload import BadPayload, check_body, parse_body
from bellhop.core.running.rules import BODY_SENDERS
from helpers import load_sample

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


def parses(raw: bytes) -> bool:
    try:
        jsoncodec.loads(raw)
    except (ValueError, RecursionError):
        return False
    return True


@given(JSON_VALUES, st.booleans())
def test_every_json_document_passes_the_check(value: object, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert jsoncodec.valid(raw)


@given(JSON_VALUES, st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=2)),
                             min_size=1, max_size=4))
def test_a_damaged_document_passes_only_if_it_parses(value: object,
                                                     edits: list[tuple[int, bytes]]) -> None:
    raw = bytearray(json.dumps(value, ensure_ascii=False).encode())
    for at, new in edits:  # replace one byte (or drop it) somewhere
        at %= len(raw) or 1
        raw[at:at + 1] = new
    raw_bytes = bytes(raw)
    if jsoncodec.valid(raw_bytes):
        assert parses(raw_bytes)


def test_the_check_never_passes_what_the_parser_refuses() -> None:
    # A wide sweep of single-byte damage to a real order; hypothesis explores the rest.
    order = load_sample("shopify_order_create.json")
    rnd = random.Random(7)
    alphabet = b'{}[]":,.-+eE019 \\/untfal\x00\x1f\x7f\xc3\xa9\xff\xed\xa0'
    passed = 0
    for _ in range(20_000):
        raw = bytearray(order)
        at = rnd.randrange(len(raw))
        if rnd.random() < 0.5:
            del raw[at]
        else:
            raw[at] = rnd.choice(alphabet)
        if jsoncodec.valid(bytes(raw)):
            passed += 1
            assert parses(bytes(raw)), bytes(raw)
    assert passed > 0  # some damage leaves good JSON (a digit for a digit): those were compared


@pytest.mark.parametrize("raw", [
    b'{"id": 123456789012345678901234567890}',  # over 64 bits: the standard library reads it
    b'{"total": NaN}',
    b'{"name": "\\ud800"}',  # a lone surrogate
])
def test_what_the_check_declines_is_left_to_the_parser(raw: bytes) -> None:
    assert not jsoncodec.valid(raw)
    assert parses(raw)  # the receiver then parses it, as before the check existed


def test_a_byte_order_mark_passes_and_parses() -> None:
    raw = b"\xef\xbb\xbf" + b'{"bom": 1}'  # orjson refuses it; the standard library reads it
    assert jsoncodec.valid(raw) and jsoncodec.loads(raw) == {"bom": 1}


@pytest.mark.parametrize("raw", [b"", b"   ", b"{", b'{"a": 1,}', b'{"a": 1} 2', b"\xff",
                                 b"[" * 1025 + b"]" * 1025])
def test_broken_json_fails_the_check(raw: bytes) -> None:
    assert not jsoncodec.valid(raw)


def test_big_bodies_are_parsed_instead_of_checked() -> None:
    raw = json.dumps({"rows": ["x" * 100] * 1000}).encode()
    assert len(raw) > jsoncodec.CHECK_LIMIT
    assert not jsoncodec.valid(raw)
    assert jsoncodec.valid(json.dumps({"rows": ["x" * 100] * 10}).encode())


@pytest.mark.parametrize(("raw", "content_type", "built"), [
    (b'{"name": "#1001"}', "application/json", None),
    (b'{"name": "#1001"}', "application/vnd.shop+json; charset=utf-8", None),
    # What the answer of some rules reads is nothing to the check: no byte is looked for.
    (b'{"destination": "U1", "events": []}', "application/json", None),
    (b'{"id": "evt_1", "object": "event"}', "application/json", None),
    (b'{"\\u0073vid": "a", "hash": "b"}', "application/json", None),
    (b'{"name": "\\u9673\\u7f8e\\u73b2"}', "application/json", None),
    (b'{"name": "#1001"}', "text/plain", None),  # text: nothing to refuse, the run reads it
    (b"a=1&b=2", "application/x-www-form-urlencoded", None),
    (b"", "application/json", {}),  # an empty body is no JSON to check: built, as {}
    (b'{"name": "\\ud800"}', "application/json", {"name": "\ud800"}),  # the parser decides
    (b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
     "multipart/form-data; boundary=b", {"a": "1"}),  # a form that may be broken: built
])
def test_what_the_check_builds(raw: bytes, content_type: str, built: object) -> None:
    assert check_body(raw, content_type) == built
    assert check_body(raw, content_type, "text") == built


@pytest.mark.parametrize(("raw", "content_type"), [
    (b'{"name": ', "application/json"),
    (b'{"a": 1,}', "application/vnd.shop+json"),
    (b"--b\r\nno end", "multipart/form-data"),  # no boundary at all
])
def test_the_check_refuses_what_the_parser_refuses_in_its_words(
        raw: bytes, content_type: str) -> None:
    with pytest.raises(BadPayload) as parsed:
        parse_body(raw, content_type)
    with pytest.raises(BadPayload) as checked:
        check_body(raw, content_type)
    assert str(checked.value) == str(parsed.value)


def test_broken_json_kept_as_text_is_built_as_text() -> None:
    assert check_body(b'{"name": ', "application/json", "text") == '{"name": '


@given(JSON_VALUES, st.binary(max_size=3), st.integers(0, 10_000))
def test_the_check_agrees_with_the_parser(value: object, new: bytes, at: int) -> None:
    raw = bytearray(json.dumps(value, ensure_ascii=False).encode())
    at %= len(raw) or 1
    raw[at:at + 1] = new
    try:
        parsed = parse_body(bytes(raw), "application/json")
    except BadPayload:
        with pytest.raises(BadPayload):
            check_body(bytes(raw), "application/json")
        return
    built = check_body(bytes(raw), "application/json")
    assert built is None or built == parsed


def escaped(text: str, mask: list[bool]) -> str:
    """`text` as a JSON string, each character written as a \\u escape where `mask` says."""
    out = []
    for index, char in enumerate(text):
        if mask[index % len(mask)] or char in '"\\' or char < " ":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


@given(st.sampled_from([("events", '[{"webhookEventId": "E1"}]', "line:E1"),
                        ("svid", '"a"', "surveycake:a:h"),
                        ("id", '"evt_1"', "stripe:evt_1")]),
       st.lists(st.booleans(), min_size=1, max_size=12))
def test_a_key_the_answer_reads_is_found_however_it_is_written(
        key_value: tuple[str, str, str], mask: list[bool]) -> None:
    key, value, expected = key_value
    fields = [f"{escaped(key, mask)}: {value}"]
    if key == "id":
        fields = [f"{escaped(key, mask)}: {escaped('evt_1', mask)}",
                  f"{escaped('object', mask)}: {escaped('event', mask)}"]
    elif key == "svid":
        fields.append(f"{escaped('hash', mask)}: {escaped('h', mask)}")
    raw = ("{" + ", ".join(fields) + "}").encode()
    body = parse_body(raw, "application/json")  # what the receiver does for such a rule
    assert delivery_id({}, body, "auto", BODY_SENDERS) == expected


async def post(url: str, raw: bytes, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    sent = {"Content-Type": "application/json", **(headers or {})}
    async with aiohttp.ClientSession() as http, http.post(url, data=raw, headers=sent) as resp:
        return resp.status, await resp.json()


async def test_a_checked_body_reaches_the_run_whole(home: Path) -> None:
    probe = Probe()
    rule = make_rule([{"type": "probe",
                       "text": "{{ body.name }} {{ body.line_items[0].title }}"}])
    app = await start_app(home, [rule], probe)
    try:
        raw = load_sample("shopify_order_create.json")
        assert check_body(raw, "application/json") is None  # checked, not built
        status, answer = await post(app.hook_url(app.engine.rules[0]), raw)
        assert status == 202
        await app.engine.wait_idle()
        order = json.loads(raw)
        assert [call["text"] for call in probe.calls] == [
            f"{order['name']} {order['line_items'][0]['title']}"]
        assert probe.calls[0]["event_id"] == answer["event_id"]

        escaped_order = json.dumps({"name": "#1002 陳美玲", "line_items": [{"title": "烏龍茶"}]})
        assert "\\u" in escaped_order
        assert check_body(escaped_order.encode(), "application/json") is None
        status, _ = await post(app.hook_url(app.engine.rules[0]), escaped_order.encode())
        assert status == 202
        await app.engine.wait_idle()
        assert probe.calls[-1]["text"] == "#1002 陳美玲 烏龍茶"
    finally:
        await app.stop()


async def test_escaped_keys_still_make_a_line_verify_and_a_stripe_id(home: Path) -> None:
    # The rules that read the body have it parsed: an escape spells its key as well.
    set_secret("line-signing", "line-channel-secret")
    probe = Probe()
    app = await start_app(home, [
        make_rule([{"type": "probe"}], rule_id="line", dedupe="off",
                  verify={"scheme": "line", "secret": "line-signing"}),
        make_rule([{"type": "probe"}], rule_id="plain")], probe)
    try:
        line_url, plain_url = (app.hook_url(rule) for rule in app.engine.rules)
        verify = b'{"destination": "U1", "\\u0065vents": []}'
        mac = hmac.new(b"line-channel-secret", verify, hashlib.sha256).digest()
        status, answer = await post(line_url, verify,
                                    {"X-Line-Signature": base64.b64encode(mac).decode()})
        assert (status, answer) == (200, {"ok": True})  # LINE's Verify: nothing stored
        assert await app.recent_events() == []

        stripe = b'{"id": "\\u0065vt_1", "object": "event"}'
        declared = {"Stripe-Signature": "t=1,v1=0"}  # Stripe's, unchecked by this rule
        first_status, first = await post(plain_url, stripe, declared)
        again_status, again = await post(plain_url, stripe, declared)
        assert (first_status, again_status) == (202, 200)
        assert again["event_id"] == first["event_id"] and again["duplicate"] is True
        await app.engine.wait_idle()
        assert len(probe.calls) == 1
    finally:
        await app.stop()
