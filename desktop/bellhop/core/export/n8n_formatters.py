"""Bellhop's formatters as JavaScript for n8n expressions, with the same results.

Each maker takes the JavaScript of the value and the formatter's settings (as written in
the template) and gives the JavaScript of the formatted value. Like Bellhop's own
formatters (templating/formatters.py), each passes a missing or empty value on
unchanged, so a `default` after it still applies. Settings n8n cannot take raise
TypeError or ValueError; `LEFT_OUT` names the formatters written as if absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from bellhop.core.i18n import N_

Maker = Callable[[str, list[Any], dict[str, Any]], str]


def js_string(text: str) -> str:
    """A JavaScript string literal for `text`, never holding `{{` or `}}` (which would end
    or start an n8n expression inside it): `'{{ x }}'` becomes `"{" + "{ x }" + "}"`."""
    parts = re.split(r"(?<=\{)(?=\{)|(?<=\})(?=\})", text)
    return " + ".join(json.dumps(part, ensure_ascii=False) for part in parts)


_EMPTY = "v == null || v === ''"  # what Bellhop's formatters pass on unchanged


def _guarded(value: str, body: str) -> str:
    """`body` (of v) applied to `value`, an empty value passed on unchanged."""
    return f"(v => {_EMPTY} ? v : {body})({value})"


def _number_of(v: str) -> str:
    return f"Number(String({v}).replaceAll(',', ''))"


def _locale(minimum: int, maximum: int) -> str:
    return (f"toLocaleString('en-US', {{minimumFractionDigits: {minimum}, "
            f"maximumFractionDigits: {maximum}}})")


def _text_arg(args: list[Any], index: int, default: str = "") -> str:
    value = args[index] if len(args) > index else default
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _int_arg(args: list[Any], index: int, default: int | None) -> int | None:
    value = args[index] if len(args) > index else default
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(value)
    return value


def _money(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    symbol = _text_arg(args, 0)
    decimals = _int_arg(args, 1, 2) or 0
    cents = kwargs.pop("cents", args[2] if len(args) > 2 else False)
    if kwargs or not isinstance(cents, bool):
        raise TypeError(kwargs)
    amount = _number_of("v") + (" / 100" if cents else "")
    sign = f"(n < 0 ? '-' : '') + {js_string(symbol)} + " if symbol else "(n < 0 ? '-' : '') + "
    return _guarded(value, f"(n => {sign}Math.abs(n).{_locale(decimals, decimals)})"
                           f"({amount})")


def _number(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    decimals = _int_arg(args, 0, None)
    low, high = (0, 20) if decimals is None else (decimals, decimals)
    return _guarded(value, f"{_number_of('v')}.{_locale(low, high)}")


def _date(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    pattern = luxon_format(_text_arg(args, 0, "%Y-%m-%d %H:%M"))
    zone = _text_arg(args, 1, "")
    moment = ("(typeof v === 'number' || /^\\d+$/.test(v) ? DateTime.fromMillis("
              "Number(v) > 1e11 ? Number(v) : Number(v) * 1000) : "
              "DateTime.fromISO(String(v)))")
    if zone:
        moment += f".setZone({js_string(zone)})"
    return _guarded(value, f"{moment}.toFormat({js_string(pattern)})")


def _truncate(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    length = _int_arg(args, 0, 100) or 0
    end = _text_arg(args, 1, "…")
    keep = max(0, length - len(end))
    return _guarded(value, f"(s => s.length <= {length} ? s : s.slice(0, {keep}) + "
                           f"{js_string(end)})(String(v))")


def _default(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    fallback = args[0] if args else ""
    text = js_string(fallback) if isinstance(fallback, str) else json.dumps(fallback)
    return f"$ifEmpty({value}, {text})"


def _simple(template: str) -> Maker:
    def make(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
        if args or kwargs:
            raise TypeError(args)
        return template.format(v=value)
    return make


def _pluck(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    key = js_string(_text_arg(args, 0))
    return (f"(v => Array.isArray(v) ? v.map(i => i?.[{key}]).filter(x => x != null) : [])"
            f"({value})")


def _sum_of(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    item = f"i?.[{js_string(_text_arg(args, 0))}]" if args else "i"
    return (f"(v => (Array.isArray(v) ? v : []).reduce((t, i) => t + "
            f"{_number_of(item + ' ?? 0')}, 0))({value})")


def _join(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    return f"[].concat({value} ?? []).join({js_string(_text_arg(args, 0))})"


def _replace(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    old, new = _text_arg(args, 0), _text_arg(args, 1)
    return f"String({value} ?? '').replaceAll({js_string(old)}, {js_string(new)})"


def _round(value: str, args: list[Any], kwargs: dict[str, Any]) -> str:
    places = _int_arg(args, 0, 0) or 0
    return f"Number(Number({value}).toFixed({places}))"


FILTERS: dict[str, Maker] = {
    "money": _money,
    "number": _number,
    "date": _date,
    "truncate": _truncate,
    "default": _default,
    "d": _default,
    "upper": _simple("(v => " + _EMPTY + " ? v : String(v).toUpperCase())({v})"),
    "lower": _simple("(v => " + _EMPTY + " ? v : String(v).toLowerCase())({v})"),
    "trim": _simple("String({v} ?? '').trim()"),
    "length": _simple("({v} ?? []).length"),
    "count": _simple("({v} ?? []).length"),
    "first": _simple("({v} ?? [])[0]"),
    "last": _simple("({v} ?? []).at(-1)"),
    "tojson": _simple("JSON.stringify({v} ?? null)"),
    "string": _simple("String({v} ?? '')"),
    "int": _simple("parseInt({v})"),
    "float": _simple("parseFloat({v})"),
    "abs": _simple("Math.abs({v})"),
    "round": _round,
    "pluck": _pluck,
    "sum_of": _sum_of,
    "join": _join,
    "replace": _replace,
}

# Formatters n8n has no short equivalent for: the value is written without them.
LEFT_OUT = {
    "phone": N_("the “phone” formatter (Taiwan phone numbers) is not carried over: the number "
                "is written as the sender sent it"),
    "title": N_("the “title” formatter is not carried over: the text is written as it is"),
    "capitalize": N_("the “capitalize” formatter is not carried over: the text is written as "
                     "it is"),
}


# strftime directives and the Luxon tokens that write the same thing.
_LUXON = {"Y": "yyyy", "y": "yy", "m": "MM", "d": "dd", "H": "HH", "I": "hh", "M": "mm",
          "S": "ss", "p": "a", "b": "LLL", "B": "LLLL", "a": "ccc", "A": "cccc", "j": "ooo",
          "z": "ZZZ", "Z": "ZZZZ", "-m": "M", "-d": "d", "-H": "H", "-I": "h", "-M": "m"}


def luxon_format(pattern: str) -> str:
    """A strftime pattern ('%Y年%m月%d日') as a Luxon one ("yyyy'年'MM'月'dd'日'")."""
    out: list[str] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            out.append("'" + "".join(literal) + "'")
            literal.clear()

    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "%" and i + 1 < len(pattern):
            directive = pattern[i + 1:i + 3] if pattern[i + 1] == "-" else pattern[i + 1]
            if directive == "%":
                literal.append("%")
            elif directive in _LUXON:
                flush()
                out.append(_LUXON[directive])
            else:
                raise ValueError(directive)
            i += 1 + len(directive)
            continue
        if char == "'":
            raise ValueError(char)  # Luxon cannot quote a quote
        literal.append(char)
        i += 1
    flush()
    return "".join(out)
