"""Steps and runs told in sentences: the card contract's `describe`, its generic fallback,
and the helpers that put values into sentences."""

from __future__ import annotations

from typing import Any

import pytest

from bellhop.actions.registry import default_registry, shipped_registry
from bellhop.core.cards import ActionType, Registry, StepConfig
from bellhop.core.i18n import set_language
from bellhop.core.running.sentences import (
    cjk_spaced,
    clip,
    deciding_step,
    skipped_reason,
    step_sentence,
    value_words,
)
from bellhop.core.storage.records import RunRecord, StepRecord


async def _nothing(ctx: Any, config: Any) -> dict[str, Any]:
    return {}


def card(describe: Any = None) -> ActionType:
    return ActionType(type="probe", label="Probe", description="", icon="card",
                      config_model=StepConfig, run=_nothing, describe=describe)


def test_every_shipped_card_says_what_it_did_in_its_own_words() -> None:
    assert all(action.describe is not None for action in default_registry())
    assert shipped_registry() is shipped_registry()  # one, shared by every reader


def test_a_card_without_words_or_with_broken_ones_gets_the_generic_sentence() -> None:
    def broken(output: dict[str, Any], config: dict[str, Any]) -> str:
        return str(output["missing"])

    registry = Registry([card()])
    assert registry.describe_result("probe", {"x": 1}, {}) == "Done: Probe"
    assert Registry([card(broken)]).describe_result("probe", {"x": 1}, {}) == "Done: Probe"
    assert Registry([card(lambda o, c: "")]).describe_result("probe", {}, {}) == "Done: Probe"
    assert registry.describe_result("gone_card", {}, {}) == "Done: gone_card"
    said = Registry([card(lambda o, c: f"Said {o['n']} with {c.get('k')}")])
    assert said.describe_result("probe", {"n": 3}, {"k": "v"}) == "Said 3 with v"
    assert said.describe_result("probe", {"n": 3}, "not a dict") == "Said 3 with None"
    assert said.describe_result("probe", ["a list"], {}) == "Done: Probe"
    set_language("zh_TW")
    assert registry.describe_result("probe", {}, {}) == "完成：Probe"


def step(idx: int, status: str, output: Any = None, type_: str = "filter",
         config: Any = None) -> StepRecord:
    return StepRecord(idx=idx, type=type_, label="", status=status, output=output, input=config)


SKIPPED_OUTPUT = {"matched": False, "sender": "shopify", "conditions": [
    {"field": "body.total_price", "op": "gt", "value": 1000, "actual": "300.00",
     "holds": False}]}


def test_a_step_sentence_only_for_a_step_that_finished_well() -> None:
    registry = shipped_registry()
    done = step(1, "succeeded", {"path": "/tmp/orders.csv", "row": 7}, "append_file",
                {"path": "/tmp/orders.csv"})
    assert step_sentence(registry, done) == "Added row 7 to orders.csv"
    for status in ("failed", "pending", "skipped", "waiting", "running"):
        assert step_sentence(registry, step(1, status, {"row": 7}, "append_file")) == ""


def test_a_skipped_run_is_explained_by_the_step_that_stopped_it() -> None:
    registry = shipped_registry()
    steps = [step(1, "succeeded", {"path": "a.csv", "row": 2}, "append_file"),
             step(2, "succeeded", SKIPPED_OUTPUT, config={"match": "all"}),
             step(3, "skipped", None, "send_email")]
    run = RunRecord(id="run1", event_id="ev1", rule_id="r1", reason="new", status="skipped",
                    started_at="2026-12-06T11:34:37", steps=steps)
    assert deciding_step(run) is steps[1]
    assert skipped_reason(registry, run) == \
        "Skipped: the order total, 300.00, is not more than 1000."
    run.status = "succeeded"
    assert deciding_step(run) is None and skipped_reason(registry, run) == ""
    empty = RunRecord(id="run2", event_id="ev1", rule_id="r1", reason="new", status="skipped",
                      started_at="2026-12-06T11:34:37", steps=[step(1, "pending")])
    assert skipped_reason(registry, empty) == ""


@pytest.mark.parametrize(("value", "words"), [
    (1000, "1000"), (12.5, "12.5"), ("1640.00", "1640.00"), (" -3 ", "-3"),
    ("paid", "“paid”"), ("NT$1,640", "“NT$1,640”"), ("1e3", "“1e3”"), ("NaN", "“NaN”"),
    (True, "yes"), (False, "no"), (None, "(empty)"), ("", "(empty)"), ("  ", "(empty)"),
    ([], "(empty)"), (["vip", "new"], "“vip, new”"), ("x" * 80, "“" + "x" * 59 + "…”"),
])
def test_values_read_as_numbers_quoted_texts_or_words(value: Any, words: str) -> None:
    assert value_words(value) == words


def test_values_in_traditional_chinese_are_quoted_the_chinese_way() -> None:
    set_language("zh_TW")
    assert value_words("paid") == "「paid」"
    assert value_words(None) == "（空白）"
    assert value_words(True) == "是"


def test_chinese_meets_latin_letters_and_digits_with_a_space_quotes_stay_as_they_are() -> None:
    assert cjk_spaced("只在訂單總額大於1000時") == "只在訂單總額大於 1000 時"
    assert cjk_spaced("SKU為「A1訂單」，大於1000。") == "SKU 為「A1訂單」，大於 1000。"
    assert cjk_spaced("the answer to “年齡2”") == "the answer to “年齡2”"
    assert cjk_spaced("Skipped: the order total, 300, is not more than 1000.") == \
        "Skipped: the order total, 300, is not more than 1000."
    assert clip("a\n  b", 10) == "a b" and clip("abcdef", 4) == "abc…"
