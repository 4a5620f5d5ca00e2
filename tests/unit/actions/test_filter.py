"""The filter card: every operator, numbers as numbers, all/any."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bellhop.actions.filter import FilterConfig, condition_holds, run
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.templating import make_context


@pytest.mark.parametrize(("actual", "op", "expected", "holds"), [
    ("1280.00", "gt", 1000, True), ("999", "gt", "1,000", False), (100, "ge", "100", True),
    ("9", "lt", "10", True),  # numbers, not text ("9" > "10" as text)
    ("abc", "lt", "abd", True), ("Paid", "eq", "paid", False), ("paid", "eq", "paid", True),
    ("x", "ne", "y", True), (5, "le", 5.0, True), ("5", "eq", 5, True),
    ("營業時間請問", "contains", "營業時間", True), ("Hello World", "contains", "world", True),
    (["vip", "new"], "contains", "vip", True), (["vip"], "contains", "vi", False),
    ("0912345678", "starts_with", "09", True), ("", "is_empty", None, True),
    (None, "is_empty", None, True), ("  ", "is_empty", None, True), ([], "is_empty", None, True),
    ("x", "not_empty", None, True), (None, "not_empty", None, False), (True, "eq", "true", True),
])
def test_condition_operators(actual: object, op: str, expected: object, holds: bool) -> None:
    assert condition_holds(actual, op, expected) is holds


async def _run(config: dict, body: dict, tmp_path: Path) -> dict:
    async with aiohttp.ClientSession() as http:
        services = Services(home=tmp_path, accounts=dict, http=http)
        ctx = StepContext(services, make_context({"body": body}), "r", "ev", 1, "Filter")
        return await run(ctx, FilterConfig.model_validate({"type": "filter", **config}))


async def test_all_and_any(tmp_path: Path) -> None:
    conditions = [{"field": "body.total", "op": "gt", "value": 100},
                  {"field": "body.city", "op": "eq", "value": "台北市"}]
    body = {"total": "150", "city": "高雄市"}
    assert (await _run({"match": "all", "conditions": conditions}, body, tmp_path))[
        "matched"] is False
    out = await _run({"match": "any", "conditions": conditions}, body, tmp_path)
    assert out["matched"] is True
    assert [c["holds"] for c in out["conditions"]] == [True, False]


async def test_missing_field_counts_as_empty_and_templates_in_values(tmp_path: Path) -> None:
    out = await _run({"conditions": [{"field": "body.nope", "op": "is_empty"}]}, {}, tmp_path)
    assert out["matched"] is True
    out = await _run({"conditions": [
        {"field": "body.a", "op": "eq", "value": "{{ body.b }}"}]}, {"a": "x", "b": "x"}, tmp_path)
    assert out["matched"] is True


@pytest.mark.parametrize("odd", ["NaN", "nan", "sNaN", "Infinity", float("nan"), float("inf")])
@pytest.mark.parametrize("op", ["eq", "ne", "gt", "ge", "lt", "le"])
def test_not_a_number_is_compared_as_text_and_never_crashes(odd: object, op: str) -> None:
    assert condition_holds(odd, op, 100) in (True, False)
    assert condition_holds(100, op, odd) in (True, False)


def test_text_from_invalid_utf8_can_be_stored() -> None:
    from bellhop.core.records import clean_text

    assert clean_text("caf\udce9") == "caf\ufffd"
    assert clean_text("訂單") == "訂單"
