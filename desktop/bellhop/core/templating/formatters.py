"""Template filters for people: dates in their time zone, money, numbers, text, lists.

`FILTER_HELP` lists them with an example each, in both languages, for the
inspector's help; a test renders every example and checks the result shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Undefined

from bellhop.core.i18n import N_, _


def to_datetime(value: Any) -> datetime:
    """Read an ISO 8601 text, a Unix time (seconds or milliseconds) or a datetime."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        if number > 1e11:  # milliseconds, as JavaScript senders use
            number /= 1000
        return datetime.fromtimestamp(number, UTC)
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(_("'{value}' is not a date or time Bellhop can read").format(
        value=value))


def _zone(tz: str | None) -> Any:
    if not tz:
        return None  # the computer's own time zone
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(_("'{tz}' is not a time zone name (try Asia/Taipei)").format(
            tz=tz)) from exc


def date_filter(value: Any, fmt: str = "%Y-%m-%d %H:%M", tz: str | None = None) -> str:
    """`{{ body.created_at | date("%Y/%m/%d", "Asia/Taipei") }}`: reformat a date."""
    moment = to_datetime(value)
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is taken as this computer's
    return moment.astimezone(_zone(tz)).strftime(fmt)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(_("'{value}' is not a number").format(
            value=value))
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(_("'{value}' is not a number").format(
            value=value)) from exc


MAX_DIGITS = 1_000  # more digits than any amount has; a text like '1e999999999' would give a GB


def _showable(amount: Decimal, decimals: int | None = None) -> Decimal:
    if amount.is_finite() and abs(amount.adjusted()) > MAX_DIGITS:
        raise ValueError(_("'{value}' has too many digits to show (at most {limit}).").format(
            value=amount, limit=f"{MAX_DIGITS:,}"))
    if isinstance(decimals, int) and decimals > MAX_DIGITS:
        raise ValueError(_("A number cannot be shown with {decimals} decimal places (at most "
                           "{limit}).").format(
            decimals=decimals, limit=f"{MAX_DIGITS:,}"))
    return amount


def number_filter(value: Any, decimals: int | None = None) -> str:
    """`{{ 1234567.5 | number }}` → `1,234,567.5`: thousand separators."""
    amount = _showable(_decimal(value), decimals)
    if decimals is None:
        text = f"{amount:,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return f"{amount:,.{decimals}f}"


def money_filter(value: Any, symbol: str = "", decimals: int = 2, cents: bool = False) -> str:
    """`{{ body.total_price | money("NT$", 0) }}` → `NT$1,280`; `cents=True` divides by 100."""
    amount = _showable(_decimal(value), decimals)
    if cents:
        amount = amount / 100
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.{decimals}f}"


def _missing(value: Any) -> bool:
    return isinstance(value, Undefined) or value is None or (
        isinstance(value, str | list | dict) and not (value.strip() if isinstance(value, str)
                                                      else value))


def default_filter(value: Any, fallback: Any = "", *_jinja_boolean: Any) -> Any:
    """`{{ body.note | default("—") }}`: the fallback when the field is missing or empty."""
    return fallback if _missing(value) else value


def truncate_filter(value: Any, length: int = 100, end: str = "…") -> str:
    """`{{ body.message | truncate(20) }}`: at most `length` characters, ending with '…'."""
    text = "" if value is None else str(value)
    if len(text) <= length:
        return text
    return text[: max(0, length - len(end))] + end


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else None


def pluck_filter(items: Any, name: str) -> list[Any]:
    """`{{ body.line_items | pluck("title") | join(", ") }}`: one field of every item."""
    if not isinstance(items, list):
        return []
    return [value for value in (_field(item, name) for item in items) if value is not None]


def sum_of_filter(items: Any, name: str | None = None) -> str:
    """`{{ body.line_items | sum_of("quantity") }}`: the total of a field over the items."""
    values = pluck_filter(items, name) if name else (items if isinstance(items, list) else [])
    total = sum((_decimal(value) for value in values), Decimal(0))
    return number_filter(total).replace(",", "")


FILTERS = {
    "date": date_filter,
    "number": number_filter,
    "money": money_filter,
    "default": default_filter,
    "truncate": truncate_filter,
    "pluck": pluck_filter,
    "sum_of": sum_of_filter,
}


@dataclass(frozen=True)
class FilterExample:
    """One line of the formatting help: a template, what it gives, and what it is for."""

    template: str
    result: str
    what: str  # English, marked with N_()

    def purpose(self) -> str:
        """What the filter is for, in the current language."""
        return _(self.what)


# The event the examples run against (a test checks every `result`).
EXAMPLE_EVENT = {"body": {
    "created_at": "2026-11-28T06:05:31Z", "total_price": "1640.00", "amount": 164000,
    "email": "  Mei.Lin@Example.com ", "note": "", "message": "請問週末有營業嗎？想訂兩盒烏龍茶。",
    "line_items": [{"title": "凍頂烏龍茶", "quantity": 2}, {"title": "手作陶瓷杯", "quantity": 1}],
}}

FILTER_HELP = [
    FilterExample("{{ body.created_at | date('%Y/%m/%d %H:%M', 'Asia/Taipei') }}",
                  "2026/11/28 14:05",
                  N_("Date and time in a format and time zone (default: this computer's)")),
    FilterExample("{{ body.created_at | date('%Y年%m月%d日', 'Asia/Taipei') }}",
                  "2026年11月28日", N_("Dates in Chinese")),
    FilterExample("{{ body.total_price | money('NT$', 0) }}", "NT$1,640",
                  N_("Money with thousand separators")),
    FilterExample("{{ body.amount | money('NT$', 0, cents=True) }}", "NT$1,640",
                  N_("Amounts in cents (Stripe)")),
    FilterExample("{{ 1234567.5 | number }}", "1,234,567.5",
                  N_("Numbers with thousand separators")),
    # Examples read the same in English and Chinese: no English word in the Chinese help.
    FilterExample("{{ body.email | trim | lower }}", "mei.lin@example.com",
                  N_("Text: trim spaces, UPPER or lower case")),
    FilterExample("{{ body.message | truncate(10) }}", "請問週末有營業嗎？…",
                  N_("Shorten text to a number of characters")),
    FilterExample("{{ body.message | replace('烏龍茶', '高山茶') }}",
                  "請問週末有營業嗎？想訂兩盒高山茶。", N_("Replace words")),
    FilterExample("{{ body.line_items | count }}", "2", N_("How many items a list has")),
    FilterExample("{{ body.line_items | sum_of('quantity') }}", "3",
                  N_("The total of a field over the items")),
    FilterExample("{{ body.line_items | pluck('title') | join('、') }}", "凍頂烏龍茶、手作陶瓷杯",
                  N_("Join one field of every item")),
    FilterExample("{{ body.note | default('—') }}", "—",
                  N_("A fallback when the field is missing or empty")),
]
