"""Field names people read: the sender's own names, readable keys, both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bellhop.core.i18n import set_language
from bellhop.core.running.fieldlabels import field_label, readable, sender_of
from helpers import load_sample
from support.english_words import english_words


@pytest.fixture(autouse=True)
def english() -> object:
    set_language("en")
    yield
    set_language("en")


def test_a_shopify_order_speaks_of_orders_and_customers() -> None:
    assert field_label("body.total_price", "shopify") == "Order total"
    assert field_label("body.customer.first_name", "shopify") == "Customer first name"
    assert field_label("body.line_items[1].title", "shopify") == "Item (item 2)"


def test_the_same_field_reads_in_traditional_chinese() -> None:
    set_language("zh_TW")
    assert field_label("body.total_price", "shopify") == "訂單總額"
    assert field_label("body.customer.email", "shopify") == "顧客電子郵件"


def paths(value: Any, path: str) -> Iterator[str]:
    """Every field of a JSON value, groups too, as the field picker lists them."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, f"{path}[{index}]")


def test_every_field_of_a_shopify_order_has_a_chinese_name() -> None:
    set_language("zh_TW")
    order = json.loads(load_sample("shopify_order_create.json"))
    names = {path: field_label(path, "shopify") for path in paths(order, "body")}
    english = {path: name for path, name in names.items() if english_words(name)}
    assert english == {}
    assert names["body.id"] == "訂單 ID"
    assert names["body.line_items[0].vendor"] == "廠商 （第 1 項）"


def test_unknown_keys_are_made_readable_with_their_parent() -> None:
    assert readable("shipping_address") == "Shipping address"
    assert readable("userId") == "User id"
    assert field_label("body.delivery.window_start") == "Delivery › Window start"
    assert field_label("body.total_price") == "Total price"
    assert field_label("received_at") == "Received at"


def test_surveycake_answers_keep_the_question_title() -> None:
    assert field_label("steps.2.body.answers.整體滿意度", "surveycake") == "整體滿意度"


@pytest.mark.parametrize(("headers", "body", "sender"), [
    ({"X-Shopify-Topic": "orders/create"}, {}, "shopify"),
    ({"x-line-signature": "abc"}, {}, "line"),
    ({"X-GitHub-Event": "push"}, {}, "github"),
    ({"Stripe-Signature": "t=1"}, {}, "stripe"),
    ({}, {"destination": "U1", "events": []}, "line"),
    ({}, {"svid": "8aB3kQ", "hash": "x"}, "surveycake"),
    ({}, {"object": "event", "data": {"object": {}}}, "stripe"),
    ({}, {"name": "Mei"}, None),
    (None, "plain text", None),
])
def test_the_sender_is_told_by_its_headers_or_body(
        headers: dict[str, str] | None, body: object, sender: str | None) -> None:
    assert sender_of(headers, body) == sender
