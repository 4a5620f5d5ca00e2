"""Filter: go on only when the event matches the conditions; otherwise the run is skipped.

A condition card: it answers a Decision, and its step's output says `matched` (and each
condition's result) for Activity and for later steps (`{{ steps.1.matched }}`). People
read it in sentences: the card says "Only if the order total is more than 1000"
(`summary`), and its result "Skipped: the order total, 300, is not more than 1000."
(`describe`), with the fields named as fieldlabels names them for the event's sender."""

from __future__ import annotations

import operator
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bellhop.core.cards import ActionType, Decision, StepConfig, field
from bellhop.core.i18n import N_, NP_, _, current_language
from bellhop.core.running.fieldlabels import field_label, sender_of
from bellhop.core.running.sentences import cjk_spaced, quoted, value_words
from bellhop.core.stepcontext import StepContext
from bellhop.core.storage.records import StepRecord
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
    match: Literal["all", "any"] = field("all", label=N_("Go on when"))
    conditions: list[Condition] = field(
        ..., label=N_("Conditions"), min_length=1,
        help=N_("Each condition tests one field of the event, for example: "
                "Order total · is more than · 1000."),
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
        missing = False
        try:
            actual = lookup(ctx.values, condition.field)
        except KeyError:
            # Not mutated: "" would do the same, as every operator and the shown value treat
            # a missing field and an empty text alike.
            actual = None  # pragma: no mutate
            missing = True
        expected = condition.value
        if isinstance(expected, str) and "{{" in expected:
            expected = ctx.render(expected, ACTION.field_label("conditions"),
                                  field="conditions")
        result = {"field": condition.field, "op": condition.op, "value": expected,
                  "actual": actual if isinstance(actual, str | int | float | bool) else
                  _text(actual),
                  "holds": condition_holds(actual, condition.op, expected)}
        if missing:  # the sentence then says the event has no such field
            result["missing"] = True
        results.append(result)
    holds = [r["holds"] for r in results]
    matched = all(holds) if config.match == "all" else any(holds)
    output: dict[str, Any] = {"matched": matched, "conditions": results}
    sender = sender_of(ctx.values.get("headers"), ctx.values.get("body"))
    if sender:  # names the fields in the sentence as the sender's ("Order total")
        output["sender"] = sender
    return Decision(go_on=matched, output=output)


async def run(ctx: StepContext, config: FilterConfig) -> Decision:
    """The same check, for runs the engine resumes or replays."""
    return evaluate(ctx, config)


# The sentences. {field} is the field ("the order total"), {actual} its value in the
# event, {value} what it is compared with. A condition as the card states it:
_RULES = {
    "eq": N_("{field} is {value}"),
    "ne": N_("{field} is not {value}"),
    "gt": N_("{field} is more than {value}"),
    "ge": N_("{field} is at least {value}"),
    "lt": N_("{field} is less than {value}"),
    "le": N_("{field} is at most {value}"),
    "contains": N_("{field} contains {value}"),
    "starts_with": N_("{field} starts with {value}"),
    "is_empty": N_("{field} is empty"),
    "not_empty": N_("{field} is not empty"),
}
# A condition checked against an event: (when it held, when it did not).
_RESULTS = {
    "eq": (N_("{field} is {value}"), N_("{field}, {actual}, is not {value}")),
    "ne": (N_("{field}, {actual}, is not {value}"), N_("{field} is {value}")),
    "gt": (N_("{field}, {actual}, is more than {value}"),
           N_("{field}, {actual}, is not more than {value}")),
    "ge": (N_("{field}, {actual}, is at least {value}"),
           N_("{field}, {actual}, is less than {value}")),
    "lt": (N_("{field}, {actual}, is less than {value}"),
           N_("{field}, {actual}, is not less than {value}")),
    "le": (N_("{field}, {actual}, is at most {value}"),
           N_("{field}, {actual}, is more than {value}")),
    "contains": (N_("{field}, {actual}, contains {value}"),
                 N_("{field}, {actual}, does not contain {value}")),
    "starts_with": (N_("{field}, {actual}, starts with {value}"),
                    N_("{field}, {actual}, does not start with {value}")),
    "is_empty": (N_("{field} is empty"), N_("{field}, {actual}, is not empty")),
    "not_empty": (N_("{field}, {actual}, is not empty"), N_("{field} is empty")),
}
_ONE_FIELD = re.compile(r"^\{\{\s*([A-Za-z_][\w.\[\]]*)\s*\}\}$")


def _lower_first(label: str) -> str:
    """'Order total' → 'order total' inside an English sentence; 'SKU', 'GitHub user' stay."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return label[0].lower() + label[1:]
    return label


def field_words(path: str, sender: str | None) -> str:
    """A field as a sentence names it: 'the order total' (訂單總額), 'the answer to “Age”'."""
    label = field_label(path, sender)
    if re.match(r"^(steps\.\d+\.)?body\.answers[.\[]", path):  # SurveyCake: the question
        return _("the answer to {question}").format(question=quoted(label))
    if current_language() == "en":  # "Shipping address › Phone" → "shipping address › phone"
        label = " › ".join(_lower_first(part) for part in label.split(" › "))
    return _("the {field}").format(field=label)


def _compared_with(value: Any, sender: str | None) -> str:
    """What a field is compared with: 1000, “VIP”, or another field ('the subtotal')."""
    found = _ONE_FIELD.match(value.strip()) if isinstance(value, str) else None
    if found:
        return field_words(found[1], sender)
    return value_words(value)


_AND, _OR = NP_("joining conditions", " and "), NP_("joining conditions", " or ")


def _joined(parts: list[str], match: Any) -> str:
    joiner = _OR if match == "any" else _AND
    return _(joiner).join(parts)


def summary(step: dict[str, Any], sender: str | None = None) -> str:
    """The card's conditions as one sentence: 'Only if the order total is more than 1000'."""
    conditions = step.get("conditions") if isinstance(step.get("conditions"), list) else []
    parts = []
    for condition in conditions:
        if not isinstance(condition, dict):
            continue
        op = str(condition.get("op") or "eq")
        path = str(condition.get("field") or "").strip()
        parts.append(_(_RULES.get(op, _RULES["eq"])).format(
            field=field_words(path, sender) if path else _("(a field not chosen yet)"),
            value=_compared_with(condition.get("value"), sender)))
    if not parts:
        return _("No conditions yet")
    return cjk_spaced(_("Only if {conditions}").format(
        conditions=_joined(parts, step.get("match"))))


def step_title(step: StepRecord) -> str:
    """A run's step by name (Activity, `bellhop show`); a filter without a name of its own
    says what it checks ('Only if the order total is more than 1000')."""
    config = step.input if isinstance(step.input, dict) else None
    if step.type == "filter" and config is not None and not config.get("name"):
        output = step.output if isinstance(step.output, dict) else {}
        sender = output.get("sender") if isinstance(output.get("sender"), str) else None
        return summary(config, sender)
    return step.label or step.type


def _result_words(result: dict[str, Any], sender: str | None) -> str:
    """One checked condition: 'the order total, 300, is not more than 1000'."""
    field_name = field_words(str(result.get("field") or ""), sender)
    if result.get("missing"):
        return _("{field} is not in this event").format(field=field_name)
    held, not_held = _RESULTS.get(str(result.get("op")), _RESULTS["eq"])
    return _(held if result.get("holds") else not_held).format(
        field=field_name, actual=value_words(result.get("actual")),
        value=value_words(result.get("value")))


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """The result in a sentence: 'Went on: …' or 'Skipped: the order total, 300, is not
    more than 1000.' (the conditions that decided it)."""
    results = [r for r in output.get("conditions") or [] if isinstance(r, dict)]
    sender = output.get("sender") if isinstance(output.get("sender"), str) else None
    match = "any" if config.get("match") == "any" else "all"
    separator = _("; ")
    if not results:  # an output from elsewhere (edited by hand): the outcome alone
        return _("Went on.") if output.get("matched") else _("Skipped.")
    if output.get("matched"):
        shown = [r for r in results if r.get("holds")] if match == "any" else results
        return cjk_spaced(_("Went on: {reasons}.").format(
            reasons=separator.join(_result_words(r, sender) for r in shown)))
    failed = [r for r in results if not r.get("holds")]
    reasons = separator.join(_result_words(r, sender) for r in failed)
    if match == "any" and len(results) > 1:
        sentence = _("Skipped: none of the conditions held: {reasons}.")
    else:
        sentence = _("Skipped: {reasons}.")
    return cjk_spaced(sentence.format(reasons=reasons))


ACTION = ActionType(
    type="filter",
    label=N_("Only continue if…"),
    description=N_("Stops the rule quietly unless the event matches your conditions."),
    icon="filter",
    config_model=FilterConfig,
    run=run,
    has_side_effects=False,
    evaluate=evaluate,
    describe=describe,
    noun=N_("the condition"),
)
