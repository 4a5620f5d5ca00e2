"""Template filters for people: dates in their time zone, money, numbers, phone numbers,
text, lists.

Given an empty value (a missing field, null, "") each of them gives it back unchanged,
so `| default('…')` after it still applies and a step never fails for a formatter's sake
on a field the event left out. Amounts round half up, as people do (1640.5 → 1,641).
`FILTER_HELP` lists them with an example each, in both languages, for the inspector's
help; a test renders every example and checks the result shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Undefined
from markupsafe import soft_str

from bellhop.core.i18n import N_, _


def _missing(value: Any) -> bool:
    """True for a missing field, null, or empty text or list: what `default` replaces."""
    return isinstance(value, Undefined) or value is None or (
        isinstance(value, str | list | dict) and not (value.strip() if isinstance(value, str)
                                                      else value))


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
    if _missing(value):
        return value
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


# Enough digits for any amount `_showable` lets through, rounding as people do.
_HALF_UP = Context(prec=3 * MAX_DIGITS, rounding=ROUND_HALF_UP, Emax=4 * MAX_DIGITS,
                   Emin=-4 * MAX_DIGITS)


def rounded(amount: Decimal, decimals: int) -> Decimal:
    """`amount` to `decimals` places, halves up (away from zero): 2.345 → 2.35, 0.5 → 1."""
    if not amount.is_finite() or decimals < 0:
        return amount
    return amount.quantize(Decimal(1).scaleb(-decimals), context=_HALF_UP)


def number_filter(value: Any, decimals: int | None = None) -> Any:
    """`{{ 1234567.5 | number }}` → `1,234,567.5`: thousand separators."""
    if _missing(value):
        return value
    amount = _showable(_decimal(value), decimals)
    if decimals is None:
        text = f"{amount:,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return f"{rounded(amount, decimals):,.{decimals}f}"


def money_filter(value: Any, symbol: str = "", decimals: int = 2, cents: bool = False) -> Any:
    """`{{ body.total_price | money("NT$", 0) }}` → `NT$1,280`; `cents=True` divides by 100."""
    if _missing(value):
        return value
    amount = _showable(_decimal(value), decimals)
    if cents:
        amount = amount.scaleb(-2)
    amount = rounded(amount, decimals)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.{decimals}f}"


# Taiwan's area codes, longest first: the digits of the number after each.
_AREAS = (("0836", 5), ("0826", 5), ("0800", 6), ("089", 6), ("082", 6), ("049", 7),
          ("037", 6), ("02", 8), ("03", 7), ("04", 8), ("04", 7), ("05", 7), ("06", 7),
          ("07", 7), ("08", 7))
_PHONE_MARKS = re.compile(r"[\s\-.()/]")


def _local_number(digits: str) -> str:
    """'0223456789' → '02-2345-6789'; '' when it is no Taiwan number Bellhop knows."""
    if len(digits) == 10 and digits.startswith("09"):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    for area, length in _AREAS:
        rest = digits[len(area):]
        if digits.startswith(area) and len(rest) == length:
            head = {5: 2, 6: 3, 7: 3, 8: 4}[length]
            return f"{area}-{rest[:head]}-{rest[head:]}"
    return ""


def phone_filter(value: Any) -> Any:
    """`{{ body.phone | phone }}`: a Taiwan number written the usual way, its leading 0 kept
    ('+886912345678' → '0912-345-678', '0223456789' → '02-2345-6789'). A number it cannot
    read (another country's, an extension) comes back as it was."""
    if _missing(value) or isinstance(value, bool) or not isinstance(value, str | int):
        return value
    text = _PHONE_MARKS.sub("", str(value).strip())
    if text.startswith("+886") or (text.startswith("886") and len(text) in (11, 12)):
        text = "0" + text.removeprefix("+").removeprefix("886").removeprefix("0")
    elif isinstance(value, int) and len(text) == 9 and text.startswith("9"):
        text = "0" + text  # a mobile number kept as a number lost its 0
    if not text.isascii() or not text.isdigit():
        return value
    return _local_number(text) or value


def upper_filter(value: Any) -> Any:
    """`{{ body.name | upper }}`: upper case (an empty field stays as it is)."""
    return value if _missing(value) else soft_str(value).upper()


def lower_filter(value: Any) -> Any:
    """`{{ body.email | lower }}`: lower case (an empty field stays as it is)."""
    return value if _missing(value) else soft_str(value).lower()


def default_filter(value: Any, fallback: Any = "", *_jinja_boolean: Any) -> Any:
    """`{{ body.note | default("—") }}`: the fallback when the field is missing or empty."""
    return fallback if _missing(value) else value


def truncate_filter(value: Any, length: int = 100, end: str = "…") -> Any:
    """`{{ body.message | truncate(20) }}`: at most `length` characters, ending with '…'."""
    if _missing(value):
        return value
    text = str(value)
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
    "phone": phone_filter,
    "upper": upper_filter,
    "lower": lower_filter,
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
    "email": "  Mei.Lin@Example.com ", "note": "", "phone": "+886912345678",
    "message": "請問週末有營業嗎？想訂兩盒烏龍茶。",
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
    FilterExample("{{ 1640.5 | money('NT$', 0) }}", "NT$1,641",
                  N_("Money rounds half up, as on a receipt")),
    FilterExample("{{ body.phone | phone }}", "0912-345-678",
                  N_("Phone numbers written the Taiwan way, keeping the leading 0")),
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
    FilterExample("{{ body.created_at | required | date('%m月%d日', 'Asia/Taipei') }}",
                  "11月28日",
                  N_("Required: the card stops, and says why, when the field is missing or "
                     "empty (without it, a missing field is left empty and the run notes it)")),
]
