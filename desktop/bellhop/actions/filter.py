"""Filter: go on only when the event matches the conditions; otherwise the run is skipped.

A condition card: it answers a Decision, and its step's output says `matched` (and each
condition's result) for Activity and for later steps (`{{ steps.1.matched }}`)."""

from __future__ import annotations

import operator
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bellhop.core.cards import ActionType, Decision, StepConfig, field
from bellhop.core.i18n import N_, NP_
from bellhop.core.stepcontext import StepContext
from bellhop.core.templating import lookup

Operator = Literal[
    "eq", "ne", "gt", "ge", "lt", "le", "contains", "starts_with", "is_empty", "not_empty"
]


class Condition(BaseModel):
    """One test on one field of the event."""

    model_config = ConfigDict(extra="forbid", strict=True)

    field: str = Field(..., min_length=1, title=N_("Field"))
    op: Operator = Field("eq", title=NP_("filter condition", "Test"))
    value: Any = Field(None, title=NP_("filter condition", "Value"))


class FilterConfig(StepConfig):
    """Conditions and whether all or any must hold."""

    type: Literal["filter"] = "filter"
    match: Literal["all", "any"] = field(
        "all", label=N_("Go on when"),
        help=N_("'all': every condition must hold. 'any': one is enough."),
    )
    conditions: list[Condition] = field(
        ..., label=N_("Conditions"), min_length=1,
        help=N_("Each condition tests one field of the event, e.g. body.total_price > 1000."),
    )


# Money as people type it: "NT$1,640", "$1,280.00", "US$ 12", "€9.50", "1,640元", "TWD 1640".
_CODES = "TWD|NTD|USD|HKD|CNY|RMB|JPY|KRW|SGD|MYR|THB|EUR|GBP|AUD|CAD"
_MONEY = re.compile(
    rf"(?P<sign>[-+]?)\s*(?:[A-Za-z]{{0,3}}\$|[€£¥￥₩]|(?:{_CODES})\s?)?\s*"
    rf"(?P<amount>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?:元|圓|円|{_CODES})?"
)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    number: Decimal | None = None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip()
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            money = _MONEY.fullmatch(text)
            if money is None:
                return None
            number = Decimal(money["sign"] + money["amount"].replace(",", ""))
    # "NaN" or "Infinity" typed into a form is text to compare, not a number.
    return number if number is not None and number.is_finite() else None


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0) or (
        isinstance(value, str) and not value.strip()
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _words(value: Any) -> bool:
    """Text a person could put in order: a string with something in it."""
    return isinstance(value, str) and bool(value.strip())


def _same_item(item: Any, expected: Any) -> bool:
    left, right = _number(item), _number(expected)
    if left is not None and right is not None:
        return left == right
    return _text(item).casefold() == _text(expected).casefold()


_COMPARE = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "ge": operator.ge,
            "lt": operator.lt, "le": operator.le}


def condition_holds(actual: Any, op: str, expected: Any) -> bool:
    """Whether `actual <op> expected`; numbers compare as numbers when both sides are numbers."""
    if op == "is_empty":
        return _is_empty(actual)
    if op == "not_empty":
        return not _is_empty(actual)
    if op == "contains":
        if isinstance(actual, list):  # e.g. tags: one of the items, not part of one
            return any(_same_item(item, expected) for item in actual)
        return _text(expected).casefold() in _text(actual).casefold()
    if op == "starts_with":
        return _text(actual).casefold().startswith(_text(expected).casefold())
    left, right = _number(actual), _number(expected)
    if left is not None and right is not None:
        return bool(_COMPARE[op](left, right))
    if op in ("eq", "ne"):
        return bool(_COMPARE[op](_text(actual), _text(expected)))
    # More or less than needs two numbers or two texts. A word against a number, an
    # empty or missing field, yes/no or a list is neither more nor less than anything.
    if left is not None or right is not None or not (_words(actual) and _words(expected)):
        return False
    return bool(_COMPARE[op](actual, expected))


def evaluate(ctx: StepContext, config: FilterConfig) -> Decision:
    """Check the conditions: the run goes on only if they match."""
    results = []
    for condition in config.conditions:
        try:
            actual = lookup(ctx.values, condition.field)
        except KeyError:
            # Not mutated: "" would do the same, as every operator and the shown value treat
            # a missing field and an empty text alike.
            actual = None  # pragma: no mutate
        expected = condition.value
        if isinstance(expected, str) and "{{" in expected:
            expected = ctx.render(expected, ACTION.field_label("conditions"),
                                  field="conditions")
        results.append(
            {"field": condition.field, "op": condition.op, "value": expected,
             "actual": actual if isinstance(actual, str | int | float | bool) else _text(actual),
             "holds": condition_holds(actual, condition.op, expected)}
        )
    holds = [r["holds"] for r in results]
    matched = all(holds) if config.match == "all" else any(holds)
    return Decision(go_on=matched, output={"matched": matched, "conditions": results})


async def run(ctx: StepContext, config: FilterConfig) -> Decision:
    """The same check, for runs the engine resumes or replays."""
    return evaluate(ctx, config)


ACTION = ActionType(
    type="filter",
    label=N_("Only continue if…"),
    description=N_("Stops the rule quietly unless the event matches your conditions."),
    icon="filter",
    config_model=FilterConfig,
    run=run,
    has_side_effects=False,
    evaluate=evaluate,
    noun=N_("the condition"),
)
