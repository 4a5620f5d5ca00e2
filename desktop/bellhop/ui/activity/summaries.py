"""One short line that says what a delivery was about, from the first bytes of its body.

Qt-free: '#1042 · NT$1,640 · 林美玲' for a Shopify order, the text of a LINE
message, the first few 'key: value' pairs of any other JSON or form, the first
line of plain text. Bodies longer than the prefix read are summarised from
the key/value pairs found in that prefix.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

from bellhop.core import jsoncodec
from bellhop.core.running.payload import is_json_type, media_type

SEPARATOR = " · "
MAX_VALUE = 40
MAX_PAIRS = 3
MAX_LINE = 160
SYMBOLS = {"TWD": "NT$", "USD": "US$", "HKD": "HK$", "JPY": "¥", "CNY": "CN¥", "EUR": "€",
           "GBP": "£", "SGD": "S$"}
ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"}  # Stripe's units
_PAIR = re.compile(
    r'"((?:[^"\\]|\\.){1,64})"\s*:\s*'
    r'("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false)')
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
Pairs = list[tuple[str, Any]]


def summarize(head: bytes, size: int, content_type: str) -> str:
    """A one-line summary of a body whose first bytes are `head` (of `size` bytes in all)."""
    if not head:
        return ""
    complete = len(head) >= size
    text = head.decode("utf-8", errors="replace" if complete else "ignore")
    stripped = text.lstrip()
    if is_json_type(content_type) or stripped[:1] in ("{", "["):
        if complete:
            try:
                return _clip(_data_summary(jsoncodec.loads(head)))
            except (ValueError, RecursionError):
                pass
        return _clip(_pairs_summary(_pairs_in(text)))
    if media_type(content_type) == "application/x-www-form-urlencoded":
        if not complete:
            text = text.rsplit("&", 1)[0]
        return _clip(_join(parse_qsl(text, keep_blank_values=True)))
    return _clip(_first_line(text))


def _clip(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= MAX_LINE else line[:MAX_LINE - 1] + "…"


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


def _join(pairs: Pairs) -> str:
    shown = [f"{key}: {_short(value)}" for key, value in pairs if _short(value)]
    return SEPARATOR.join(shown[:MAX_PAIRS])


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def money(amount: Any, currency: Any, minor_units: bool = False) -> str:
    """'1640.00', 'TWD' → 'NT$1,640'; Stripe's smallest units when `minor_units`."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return _short(amount)
    code = str(currency or "").upper()
    if minor_units and code not in ZERO_DECIMAL:
        value /= 100
    number = f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"
    symbol = SYMBOLS.get(code)
    if symbol:
        return f"{symbol}{number}"
    return f"{number} {code}".strip()


def person(first: Any, last: Any) -> str:
    """A name from its parts: '林' + '美玲' for Chinese names, 'Mei Lin' otherwise."""
    first, last = str(first or "").strip(), str(last or "").strip()
    if _CJK.search(first + last):
        return last + first
    return f"{first} {last}".strip()


def _get(data: Any, *path: str | int) -> Any:
    for key in path:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def _data_summary(data: Any) -> str:
    if isinstance(data, list):
        return _data_summary(data[0]) if data else ""
    if not isinstance(data, dict):
        return _short(data)
    for shape in (_shopify, _stripe, _github, _line, _surveycake):
        line = shape(data)
        if line:
            return line
    return _join(_scalars(data))


def _shopify(data: dict[str, Any]) -> str:
    name = data.get("name")
    if "total_price" not in data or not ("order_number" in data or str(name).startswith("#")):
        return ""
    order = name if isinstance(name, str) and name else f"#{data.get('order_number')}"
    buyer = (_get(data, "shipping_address", "name") or _get(data, "billing_address", "name")
             or person(_get(data, "customer", "first_name"), _get(data, "customer", "last_name"))
             or data.get("email"))
    parts = [order, money(data["total_price"], data.get("currency")), _short(buyer)]
    return SEPARATOR.join(part for part in parts if part)


def _stripe(data: dict[str, Any]) -> str:
    if data.get("object") != "event" or not isinstance(data.get("type"), str):
        return ""
    thing = _get(data, "data", "object") or {}
    parts = [data["type"]]
    if isinstance(thing, dict) and "amount" in thing:
        parts.append(money(thing["amount"], thing.get("currency"), minor_units=True))
    if isinstance(thing, dict):
        parts.append(_short(thing.get("description") or thing.get("receipt_email") or ""))
    return SEPARATOR.join(part for part in parts if part)


def _github(data: dict[str, Any]) -> str:
    repo = _get(data, "repository", "full_name")
    if not repo:
        return ""
    message = _get(data, "head_commit", "message") or _get(data, "commits", -1, "message")
    who = _get(data, "pusher", "name") or _get(data, "sender", "login")
    title = _get(data, "pull_request", "title") or _get(data, "issue", "title")
    parts = [repo, _short(_first_line(str(message or title or ""))), _short(who)]
    return SEPARATOR.join(part for part in parts if part)


def _line(data: dict[str, Any]) -> str:
    if "destination" not in data or not isinstance(data.get("events"), list):
        return ""
    texts = [_get(event, "message", "text") or _get(event, "message", "type")
             or _get(event, "type") for event in data["events"]]
    return SEPARATOR.join(_short(text) for text in texts[:MAX_PAIRS] if text)


def _surveycake(data: dict[str, Any]) -> str:
    answers = data.get("result")
    if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
        return ""
    pairs = [(str(a.get("subject", "")), ", ".join(map(str, a.get("answer") or [])))
             for a in answers if a.get("subject")]
    return _join(pairs)


def _scalars(data: dict[str, Any]) -> Pairs:
    """Scalar values nearest the top first (breadth-first through nested objects)."""
    found: Pairs = []
    level: list[dict[str, Any]] = [data]
    while level and len(found) < MAX_PAIRS:
        deeper: list[dict[str, Any]] = []
        for item in level:
            for key, value in item.items():
                if isinstance(value, dict):
                    deeper.append(value)
                elif not isinstance(value, list) and value not in (None, ""):
                    found.append((key, value))
        level = deeper
    return found


def _pairs_in(text: str) -> Pairs:
    """'key: value' pairs of scalars in a JSON text cut short, in the order they appear."""
    pairs: Pairs = []
    for match in _PAIR.finditer(text):
        try:
            key, value = jsoncodec.loads(f'"{match[1]}"'), jsoncodec.loads(match[2])
        except ValueError:
            continue
        pairs.append((key, value))
    return pairs


def _pairs_summary(pairs: Pairs) -> str:
    first: dict[str, Any] = {}
    for key, value in pairs:
        first.setdefault(key, value)
    name = first.get("name")
    if "total_price" in first and ("order_number" in first or str(name).startswith("#")):
        order = name if isinstance(name, str) and name else f"#{first.get('order_number')}"
        buyer = person(first.get("first_name"), first.get("last_name")) or first.get("email")
        parts = [order, money(first["total_price"], first.get("currency")), _short(buyer)]
        return SEPARATOR.join(part for part in parts if part)
    return _join([(key, value) for key, value in pairs if value not in (None, "")])
