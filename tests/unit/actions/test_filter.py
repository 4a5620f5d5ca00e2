"""The filter card: every operator at, above and below its boundary; odd inputs; all/any."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bellhop.actions.filter import (
    ACTION,
    FilterConfig,
    condition_holds,
    describe,
    evaluate,
    run,
    summary,
)
from bellhop.core.cards import Decision, Registry
from bellhop.core.errors import PermanentError
from bellhop.core.running.rules import check_rule, new_token
from bellhop.core.stepcontext import Services, StepContext

# What each comparison says of a value below, at and above the value it is compared with.
BOUNDARY = {
    "gt": (False, False, True),
    "ge": (False, True, True),
    "lt": (True, False, False),
    "le": (True, True, False),
    "eq": (False, True, False),
    "ne": (True, False, True),
}

# (below, at, above) the expected value, written the ways events and rules write them.
SIDES = [
    ((99, 100, 101), 100),
    ((99.99, 100, 100.01), 100),
    ((99.99, 100.0, 100.01), "100"),
    (("99.99", "100.00", "100.01"), 100),
    (("99.99", "100", "100.01"), "100.00"),
    ((" 99 ", " 100 ", " 101 "), 100.0),
    (("9", "10", "11"), "10"),  # as numbers: "9" < "10" although not as text
    (("1,279.99", "1,280.00", "1,280.01"), 1280),
    (("1279", "1280", "1281"), "1,280.00"),
    (("NT$1,639", "NT$1,640", "NT$1,641"), 1640),
    (("$1,279.5", "$1,280", "$1,280.5"), "NT$1,280"),
    (("1,639元", "1,640元", "1,641元"), "1640"),
    (("TWD 1,639", "TWD 1,640", "TWD 1,641"), "1,640"),
    (("-NT$51", "-NT$50", "-NT$49"), -50),
    (("1e3", "1000.5", "1e4"), "1000.5"),
    ((0.09, 0.1, 0.11), "0.10"),  # 0.1 as written, not as a binary float
    ((10**30 - 1, 10**30, 10**30 + 1), str(10**30)),
    # Text a person can put in order: dates written year first, words.
    (("2024-01-04", "2024-01-05", "2024-01-06"), "2024-01-05"),
    (("apple", "banana", "cherry"), "banana"),
]


@pytest.mark.parametrize("op", list(BOUNDARY))
@pytest.mark.parametrize(("values", "expected"), SIDES)
def test_each_comparison_below_at_and_above_its_boundary(
        op: str, values: tuple[Any, Any, Any], expected: Any) -> None:
    got = tuple(condition_holds(value, op, expected) for value in values)
    assert got == BOUNDARY[op]
    # The same with the sides swapped: "100 < x" says what "x > 100" says.
    mirror = {"gt": "lt", "ge": "le", "lt": "gt", "le": "ge", "eq": "eq", "ne": "ne"}
    assert tuple(condition_holds(expected, mirror[op], value) for value in values) == got


@pytest.mark.parametrize(("actual", "op", "expected", "holds"), [
    ("Paid", "eq", "paid", False), ("Paid", "ne", "paid", True),  # eq/ne mind the case
    ("paid", "eq", "paid", True), ("paid", "ne", "paid", False),
    ("5", "eq", 5, True), (5, "le", 5.0, True), ("100.00", "eq", "100", True),
    ("NT$1,640", "eq", "1,640", True), ("NT$500", "gt", 1000, False),  # not "N" > "1"
    ("abc", "lt", "abd", True), ("abd", "lt", "abc", False),
    ("B", "lt", "a", True),  # text order is the characters' order: capitals first
    (True, "eq", "true", True), (False, "eq", "false", True), (True, "eq", True, True),
    (True, "eq", False, False), (True, "ne", False, True), (True, "eq", 1, False),
    (None, "eq", None, True), (None, "eq", "", True), ("", "ne", None, False),
    ("x", "eq", None, False), ("x", "ne", None, True),
    ("1,000.", "eq", 1000, True), ("1,000.", "lt", "1,000.01", True),  # "1000." is 1000 too
])
def test_equal_and_order_of_text_numbers_and_yes_no(actual: Any, op: str, expected: Any,
                                                    holds: bool) -> None:
    assert condition_holds(actual, op, expected) is holds


# Neither a number nor text to put in order: never more or less than 100, never equal to it.
NOT_COMPARABLE = ["", "   ", None, "abc", "NT$", "12:30", True, False, [], ["100"], {"a": 100},
                  "NaN", "nan", "sNaN", "Infinity", "-Infinity", float("nan"), float("inf")]


@pytest.mark.parametrize("odd", NOT_COMPARABLE)
@pytest.mark.parametrize(("op", "holds"), [("gt", False), ("ge", False), ("lt", False),
                                           ("le", False), ("eq", False), ("ne", True)])
def test_what_is_not_a_number_is_neither_more_nor_less_than_one(
        odd: Any, op: str, holds: bool) -> None:
    assert condition_holds(odd, op, 100) is holds
    assert condition_holds(100, op, odd) is holds
    assert condition_holds(odd, op, "100") is holds


@pytest.mark.parametrize("op", ["gt", "ge", "lt", "le"])
@pytest.mark.parametrize(("actual", "expected"), [
    ("", "a"), ("a", ""), (None, "a"), ("  ", "a"), (True, False), (False, "true"),
    (["b"], "a"), ({"b": 1}, "a"), (float("nan"), "nan"),
])
def test_empty_missing_yes_no_and_lists_are_never_more_or_less(
        actual: Any, op: str, expected: Any) -> None:
    assert condition_holds(actual, op, expected) is False


@pytest.mark.parametrize(("actual", "expected", "holds"), [
    ("Hello World", "world", True), ("Hello World", "lo W", True), ("Hello World", "World!", False),
    ("Hello World", "Hello World", True), ("Hello", "Hello World", False),
    ("營業時間請問", "營業時間", True), ("營業", "營業時間", False),
    (1280, "28", True), (100, 10, True), (100, 2, False), (True, "ru", True),
    (None, "x", False), ("", "x", False), ("x", "", True), ("x", None, True),
    # A list holds items: one of them must be the value (case aside), not part of one.
    (["vip", "new"], "vip", True), (["vip", "new"], "new", True), (["VIP"], "vip", True),
    (["vip"], "vi", False), (["vip"], "vip2", False), ([], "", False), ([], "vip", False),
    ([1, 2], "2", True), ([1.0], 1, True), (["1,280.00"], 1280, True), ([1, 2], 3, False),
    # Only one side reads as an amount ("usd" is no currency code): the text decides.
    (["USD 12"], "usd 12", True), (["usd 12"], "USD 12", True), (["USD 12"], "usd 13", False),
])
def test_contains(actual: Any, expected: Any, holds: bool) -> None:
    assert condition_holds(actual, "contains", expected) is holds


@pytest.mark.parametrize(("actual", "expected", "holds"), [
    ("0912345678", "09", True), ("0912345678", "0912345678", True),
    ("0912", "0912345", False), ("+886912345678", "09", False), ("8809", "09", False),
    ("Order #1001", "order", True), ("ORDER", "Order #", False), ("abc", "c", False),
    (1280, "12", True), (1280, 12, True), (1280, 28, False),
    (None, "09", False), ("", "09", False), ("09", "", True),
])
def test_starts_with(actual: Any, expected: Any, holds: bool) -> None:
    assert condition_holds(actual, "starts_with", expected) is holds


@pytest.mark.parametrize(("actual", "empty"), [
    (None, True), ("", True), ("   ", True), ("\n\t", True), ([], True), ({}, True),
    ("x", False), (" x ", False), ("0", False), (0, False), (0.0, False), (False, False),
    ([""], False), ({"a": None}, False),
])
def test_is_empty_and_not_empty(actual: Any, empty: bool) -> None:
    assert condition_holds(actual, "is_empty", None) is empty
    assert condition_holds(actual, "not_empty", None) is (not empty)
    assert condition_holds(actual, "is_empty", "ignored") is empty


def context(body: Any, tmp_path: Path) -> StepContext:
    services = Services(home=tmp_path, accounts=dict, http=None)  # type: ignore[arg-type]
    return StepContext(services, {"body": body, "method": "POST"}, "r", "ev", 1, "Filter")


def config(match: str, *conditions: dict[str, Any]) -> FilterConfig:
    return FilterConfig.model_validate(
        {"type": "filter", "match": match, "conditions": list(conditions)})


ORDER = {"total": "1,280.00", "city": "高雄市", "tags": ["vip", "new"], "limit": "1000",
         "paid": True, "note": ""}
MIXED = [
    {"field": "body.total", "op": "gt", "value": "{{ body.limit }}"},
    {"field": "body.city", "op": "eq", "value": "台北市"},
    {"field": "body.tags", "op": "contains", "value": "VIP"},
    {"field": "body.gift_note", "op": "not_empty"},
    {"field": "body.paid", "op": "eq", "value": True},
]
MIXED_OUT = [
    {"field": "body.total", "op": "gt", "value": "1000", "actual": "1,280.00", "holds": True},
    {"field": "body.city", "op": "eq", "value": "台北市", "actual": "高雄市", "holds": False},
    {"field": "body.tags", "op": "contains", "value": "VIP", "actual": "['vip', 'new']",
     "holds": True},
    {"field": "body.gift_note", "op": "not_empty", "value": None, "actual": "", "holds": False,
     "missing": True},
    {"field": "body.paid", "op": "eq", "value": True, "actual": True, "holds": True},
]


@pytest.mark.parametrize(("match", "matched"), [("all", False), ("any", True)])
def test_mixed_results_with_all_and_any(tmp_path: Path, match: str, matched: bool) -> None:
    decision = evaluate(context(ORDER, tmp_path), config(match, *MIXED))
    assert decision == Decision(go_on=matched,
                                output={"matched": matched, "conditions": MIXED_OUT})


@pytest.mark.parametrize(("match", "holds", "matched"), [
    ("all", [True, True], True), ("all", [True, False], False), ("all", [False, True], False),
    ("all", [False, False], False), ("any", [True, True], True), ("any", [True, False], True),
    ("any", [False, True], True), ("any", [False, False], False),
])
def test_all_needs_every_condition_and_any_needs_one(
        tmp_path: Path, match: str, holds: list[bool], matched: bool) -> None:
    conditions = [{"field": "body.n", "op": "eq" if wanted else "ne", "value": 1}
                  for wanted in holds]
    out = evaluate(context({"n": 1}, tmp_path), config(match, *conditions)).output
    assert out["matched"] is matched
    assert [c["holds"] for c in out["conditions"]] == holds


def test_a_single_condition_decides_alone_and_all_is_the_default(tmp_path: Path) -> None:
    assert FilterConfig.model_validate(
        {"type": "filter", "conditions": [{"field": "body.n"}]}).match == "all"
    for match in ("all", "any"):
        assert evaluate(context({"n": 5}, tmp_path), config(
            match, {"field": "body.n", "op": "ge", "value": 5})).go_on is True
        assert evaluate(context({"n": 5}, tmp_path), config(
            match, {"field": "body.n", "op": "gt", "value": 5})).go_on is False


def test_fields_the_event_lacks_count_as_empty(tmp_path: Path) -> None:
    out = evaluate(context({"a": {"b": []}}, tmp_path), config(
        "all",
        {"field": "body.nope", "op": "is_empty"},
        {"field": "body.a.b[0]", "op": "is_empty"},
        {"field": "body.a.b.c", "op": "eq", "value": None},
        {"field": "body.nope", "op": "lt", "value": 100},
        {"field": "headers.x-missing", "op": "ne", "value": "x"},
    )).output
    assert out == {"matched": False, "conditions": [
        {"field": "body.nope", "op": "is_empty", "value": None, "actual": "", "holds": True,
         "missing": True},
        {"field": "body.a.b[0]", "op": "is_empty", "value": None, "actual": "", "holds": True,
         "missing": True},
        {"field": "body.a.b.c", "op": "eq", "value": None, "actual": "", "holds": True,
         "missing": True},
        {"field": "body.nope", "op": "lt", "value": 100, "actual": "", "holds": False,
         "missing": True},
        {"field": "headers.x-missing", "op": "ne", "value": "x", "actual": "", "holds": True,
         "missing": True},
    ]}


def test_other_event_values_and_odd_actual_values_as_shown(tmp_path: Path) -> None:
    out = evaluate(context({"shop": {"id": 7}, "n": 0.5}, tmp_path), config(
        "all",
        {"field": "method", "op": "eq", "value": "POST"},
        {"field": "body.shop", "op": "not_empty"},
        {"field": "body.n", "op": "lt", "value": "1"},
    )).output
    assert out == {"matched": True, "conditions": [
        {"field": "method", "op": "eq", "value": "POST", "actual": "POST", "holds": True},
        {"field": "body.shop", "op": "not_empty", "value": None, "actual": "{'id': 7}",
         "holds": True},
        {"field": "body.n", "op": "lt", "value": "1", "actual": 0.5, "holds": True},
    ]}


@pytest.mark.parametrize(("value", "error"), [
    ("{{ body.max * 2 }}",
     "Conditions: The field 'body.max' is not in this event. Fields at body: n."),
    ("{{ body.n | nope }}", "Conditions: Template mistake on line 1: No filter named 'nope'."),
    ("{{ body.max | required }}",
     "Conditions: The field 'body.max' is missing or empty, and the template marks it as "
     "required."),
])
def test_a_value_template_that_cannot_be_filled_fails_the_step_in_words(
        tmp_path: Path, value: str, error: str) -> None:
    with pytest.raises(PermanentError) as caught:
        evaluate(context({"n": 1}, tmp_path), config(
            "any", {"field": "body.n", "op": "eq", "value": 1},
            {"field": "body.n", "op": "eq", "value": value}))
    assert caught.value.message == error


def _problems(step: dict[str, Any]) -> list[str]:
    raw = {"id": "r1", "name": "Orders", "enabled": True,
           "trigger": {"type": "webhook", "token": new_token()}, "steps": [step]}
    return check_rule(raw, Registry([ACTION])).problems


OPS = ("'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'contains', 'starts_with', 'is_empty' "
       "or 'not_empty'")


@pytest.mark.parametrize(("step", "problems"), [
    ({"type": "filter", "match": "some", "conditions": [{"field": "body.a"}]},
     ["Step 1 (Only continue if…): the field 'Go on when' must be one of: 'all' or 'any'"]),
    ({"type": "filter", "conditions": []},
     ["Step 1 (Only continue if…): the field 'Conditions' is empty"]),
    ({"type": "filter", "conditions": [{"field": "body.a", "op": "gte", "value": 1}]},
     [f"Step 1 (Only continue if…): the field 'Conditions › Test' must be one of: {OPS}"]),
    ({"type": "filter", "conditions": [{"field": "", "op": "eq"}]},
     ["Step 1 (Only continue if…): the field 'Conditions › Field' is empty"]),
    ({"type": "filter", "conditions": [{"field": "body.a", "op": "gt", "value": 100}]}, []),
])
def test_a_filter_written_wrong_is_explained(step: dict[str, Any], problems: list[str]) -> None:
    assert _problems(step) == problems


async def test_run_gives_what_evaluate_gives(tmp_path: Path) -> None:
    async with aiohttp.ClientSession() as http:
        services = Services(home=tmp_path, accounts=dict, http=http)
        ctx = StepContext(services, {"body": ORDER}, "r", "ev", 1, "Filter")
        assert await run(ctx, config("any", *MIXED)) == Decision(
            go_on=True, output={"matched": True, "conditions": MIXED_OUT})


def test_text_from_invalid_utf8_can_be_stored() -> None:
    from bellhop.core.storage.records import clean_text

    assert clean_text("caf\udce9") == "caf\ufffd"
    assert clean_text("訂單") == "訂單"


# -- the card and its result in sentences -----------------------------------------------------

SHOPIFY = {"name": "#1042", "total_price": "300.00", "line_items": [], "tags": "VIP, 回購",
           "note": "", "email": "mei@example.com", "financial_status": "paid"}


def told(body: Any, tmp_path: Path, match: str, *conditions: dict[str, Any]) -> str:
    """What a person reads about the filter's result on this event."""
    decision = evaluate(context(body, tmp_path), config(match, *conditions))
    return describe(decision.output, {"match": match, "conditions": list(conditions)})


@pytest.mark.parametrize(("op", "value", "went_on", "skipped"), [
    ("eq", "paid", "Went on: the payment status is “paid”.",
     "Skipped: the payment status, “paid”, is not “refunded”."),
    ("ne", "refunded", "Went on: the payment status, “paid”, is not “refunded”.",
     "Skipped: the payment status is “paid”."),
    ("contains", "ai", "Went on: the payment status, “paid”, contains “ai”.",
     "Skipped: the payment status, “paid”, does not contain “refunded”."),
    ("starts_with", "pa", "Went on: the payment status, “paid”, starts with “pa”.",
     "Skipped: the payment status, “paid”, does not start with “refunded”."),
])
def test_each_text_test_reads_as_a_sentence_both_ways(
        tmp_path: Path, op: str, value: str, went_on: str, skipped: str) -> None:
    field = {"field": "body.financial_status", "op": op}
    assert told(SHOPIFY, tmp_path, "all", {**field, "value": value}) == went_on
    wrong = "refunded" if op != "ne" else "paid"
    assert told(SHOPIFY, tmp_path, "all", {**field, "value": wrong}) == skipped


@pytest.mark.parametrize(("op", "went_on_with", "went_on", "skipped"), [
    ("gt", 100, "the order total, 300.00, is more than 100",
     "the order total, 300.00, is not more than 1000"),
    ("ge", 300, "the order total, 300.00, is at least 300",
     "the order total, 300.00, is less than 1000"),
    ("lt", 1000, "the order total, 300.00, is less than 1000",
     "the order total, 300.00, is not less than 100"),
    ("le", 300, "the order total, 300.00, is at most 300",
     "the order total, 300.00, is more than 100"),
])
def test_each_comparison_reads_as_a_sentence_both_ways(
        tmp_path: Path, op: str, went_on_with: int, went_on: str, skipped: str) -> None:
    field = {"field": "body.total_price", "op": op}
    assert told(SHOPIFY, tmp_path, "all", {**field, "value": went_on_with}) == \
        f"Went on: {went_on}."
    other = 1000 if op in ("gt", "ge") else 100
    assert told(SHOPIFY, tmp_path, "all", {**field, "value": other}) == f"Skipped: {skipped}."


def test_empty_and_not_empty_and_a_missing_field(tmp_path: Path) -> None:
    assert told(SHOPIFY, tmp_path, "all", {"field": "body.note", "op": "is_empty"}) == \
        "Went on: the order note is empty."
    assert told(SHOPIFY, tmp_path, "all", {"field": "body.note", "op": "not_empty"}) == \
        "Skipped: the order note is empty."
    assert told(SHOPIFY, tmp_path, "all", {"field": "body.tags", "op": "is_empty"}) == \
        "Skipped: the tags, “VIP, 回購”, is not empty."
    assert told(SHOPIFY, tmp_path, "all", {"field": "body.tags", "op": "not_empty"}) == \
        "Went on: the tags, “VIP, 回購”, is not empty."
    # A guest checkout has no customer: the sentence says so, whatever the test was.
    for op in ("gt", "not_empty", "eq"):
        assert told(SHOPIFY, tmp_path, "all",
                    {"field": "body.customer.phone", "op": op, "value": 1}) == \
            "Skipped: the customer phone is not in this event."
    assert told(SHOPIFY, tmp_path, "all", {"field": "body.customer", "op": "is_empty"}) == \
        "Went on: the customer is not in this event."


def test_all_names_what_failed_and_any_what_held_or_that_none_did(tmp_path: Path) -> None:
    big = {"field": "body.total_price", "op": "gt", "value": 1000}
    vip = {"field": "body.tags", "op": "contains", "value": "VIP"}
    paid = {"field": "body.financial_status", "op": "eq", "value": "paid"}
    assert told(SHOPIFY, tmp_path, "all", vip, paid) == (
        "Went on: the tags, “VIP, 回購”, contains “VIP”; the payment status is “paid”.")
    assert told(SHOPIFY, tmp_path, "all", big, vip, paid) == (
        "Skipped: the order total, 300.00, is not more than 1000.")
    assert told(SHOPIFY, tmp_path, "any", big, vip) == (
        "Went on: the tags, “VIP, 回購”, contains “VIP”.")
    gift = {"field": "body.gift_note", "op": "not_empty"}
    assert told(SHOPIFY, tmp_path, "any", big, gift) == (
        "Skipped: none of the conditions held: the order total, 300.00, is not more than "
        "1000; the gift note is not in this event.")


def test_fields_are_named_as_the_sender_names_them_else_from_their_key(tmp_path: Path) -> None:
    condition = {"field": "body.total_price", "op": "gt", "value": 1000}
    output = evaluate(context(SHOPIFY, tmp_path), config("all", condition)).output
    assert output["sender"] == "shopify"  # kept with the result, for the sentence later
    plain = {key: value for key, value in SHOPIFY.items() if key != "line_items"}
    output = evaluate(context(plain, tmp_path), config("all", condition)).output
    assert "sender" not in output
    assert describe(output, {}) == "Skipped: the total price, 300.00, is not more than 1000."
    # SurveyCake's answers are named by their question.
    answers = {"answers": {"您的年齡": "17"}}
    assert told(answers, tmp_path, "all",
                {"field": "body.answers.您的年齡", "op": "ge", "value": 18}) == \
        "Skipped: the answer to “您的年齡”, 17, is less than 18."


def test_the_sentences_in_traditional_chinese(tmp_path: Path) -> None:
    from bellhop.core.i18n import set_language

    set_language("zh_TW")
    big = {"field": "body.total_price", "op": "gt", "value": 1000}
    assert told(SHOPIFY, tmp_path, "all", big) == "略過：訂單總額為 300.00，不大於 1000。"
    assert summary({"conditions": [big]}, "shopify") == "只在訂單總額大於 1000 時"
    vip = {"field": "body.tags", "op": "contains", "value": "VIP"}
    assert summary({"match": "any", "conditions": [big, vip]}, "shopify") == \
        "只在訂單總額大於 1000 或標籤包含「VIP」時"
    gift = {"field": "body.gift_note", "op": "not_empty"}
    assert told(SHOPIFY, tmp_path, "any", big, gift) == \
        "略過：沒有任何條件成立：訂單總額為 300.00，不大於 1000；這個事件沒有 Gift note。"


@pytest.mark.parametrize(("op", "words"), [
    ("eq", "is 1000"), ("ne", "is not 1000"), ("gt", "is more than 1000"),
    ("ge", "is at least 1000"), ("lt", "is less than 1000"), ("le", "is at most 1000"),
    ("contains", "contains 1000"), ("starts_with", "starts with 1000"),
    ("is_empty", "is empty"), ("not_empty", "is not empty"),
])
def test_the_card_states_each_test_in_words(op: str, words: str) -> None:
    step = {"type": "filter", "conditions": [{"field": "body.total_price", "op": op,
                                              "value": 1000}]}
    assert summary(step, "shopify") == f"Only if the order total {words}"


def test_the_card_summary_with_all_any_texts_other_fields_and_gaps() -> None:
    conditions = [{"field": "body.total_price", "op": "gt", "value": "{{ body.subtotal_price }}"},
                  {"field": "body.tags", "op": "contains", "value": "VIP"},
                  {"field": "", "op": "eq", "value": "x"}]
    assert summary({"conditions": conditions}, "shopify") == (
        "Only if the order total is more than the subtotal and the tags contains “VIP” and "
        "(a field not chosen yet) is “x”")
    assert summary({"match": "any", "conditions": conditions[1:2]}, None) == \
        "Only if the tags contains “VIP”"
    assert summary({"match": "any", "conditions": conditions[:2]}, None).count(" or ") == 1
    assert summary({"conditions": []}) == "No conditions yet"
    assert summary({"conditions": "not a list"}) == "No conditions yet"


def test_a_result_it_cannot_read_says_only_the_outcome() -> None:
    assert ACTION.describe_result({"conditions": "odd"}, {}) == "Skipped."
    assert ACTION.describe_result({"matched": True}, {}) == "Went on."
    assert ACTION.describe_result(None, {}) == "Done: Only continue if…"
    # A condition whose test this Bellhop does not know reads as "is".
    assert ACTION.describe_result({"matched": False, "conditions": [
        {"field": "body.count", "op": "near", "value": 3, "actual": 5, "holds": False}]}, {}) == \
        "Skipped: the count, 5, is not 3."
