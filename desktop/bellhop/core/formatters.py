"""Template filters for people: dates in their time zone, money, numbers, defaults."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bellhop.core.i18n import tr


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
    raise ValueError(tr("'{value}' is not a date or time Bellhop can read", value=value))


def _zone(tz: str | None) -> Any:
    if not tz:
        return None  # the computer's own time zone
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(tr("'{tz}' is not a time zone name (try Asia/Taipei)", tz=tz)) from exc


def date_filter(value: Any, fmt: str = "%Y-%m-%d %H:%M", tz: str | None = None) -> str:
    """`{{ body.created_at | date("%Y/%m/%d", "Asia/Taipei") }}`: reformat a date."""
    moment = to_datetime(value)
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is taken as this computer's
    return moment.astimezone(_zone(tz)).strftime(fmt)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(tr("'{value}' is not a number", value=value))
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(tr("'{value}' is not a number", value=value)) from exc


def number_filter(value: Any, decimals: int | None = None) -> str:
    """`{{ 1234567.5 | number }}` → `1,234,567.5`: thousand separators."""
    amount = _decimal(value)
    if decimals is None:
        text = f"{amount:,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return f"{amount:,.{decimals}f}"


def money_filter(value: Any, symbol: str = "", decimals: int = 2, cents: bool = False) -> str:
    """`{{ body.total_price | money("NT$", 0) }}` → `NT$1,280`; `cents=True` divides by 100."""
    amount = _decimal(value)
    if cents:
        amount = amount / 100
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.{decimals}f}"


FILTERS = {
    "date": date_filter,
    "number": number_filter,
    "money": money_filter,
}
