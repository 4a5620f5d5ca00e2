"""What an operation in a template would allocate, worked out before it runs.

Each estimate is in characters (a list slot counts `ITEM`) and errs on the big
side; `template_limits.charge` compares it with the limits. Numbers are checked
here directly against `MAX_INT_DIGITS`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup

from bellhop.core.i18n import _
from bellhop.core.templating.limits import (
    ITEM,
    MAX_BULK,
    MAX_INT_BITS,
    MAX_INT_DIGITS,
    MAX_VALUE,
    LimitBroken,
    as_int,
    item_count,
    text_size,
    too_long_number,
)

# -- operators ---------------------------------------------------------------------------

def _is_text(value: Any) -> bool:
    return isinstance(value, str | bytes)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, str | bytes | list | tuple)


def _sequence_size(value: Any, count: int) -> int:
    return len(value) * count * (1 if _is_text(value) else ITEM)


def check_int_size(bits: int) -> None:
    """LimitBroken when a number of `bits` bits would be over `MAX_INT_DIGITS` digits."""
    if bits > MAX_INT_BITS:
        raise too_long_number()


def binop_size(operator: str, left: Any, right: Any) -> int:
    """What `left <operator> right` would allocate (numbers: checked against MAX_INT_DIGITS)."""
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            check_int_size(left.bit_length() + right.bit_length() - 1)
            return 0
        if _is_sequence(left) and isinstance(right, int):
            return _sequence_size(left, max(right, 0))
        if _is_sequence(right) and isinstance(left, int):
            return _sequence_size(right, max(left, 0))
        return 0
    if operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            check_int_size(right)  # at least one bit a time
            digits = math.floor(right * math.log10(abs(left))) + 1
            if digits > MAX_INT_DIGITS:
                raise too_long_number()
        return 0
    if operator == "+":
        if _is_sequence(left) and _is_sequence(right):
            growth = 5 if isinstance(left, Markup) and not isinstance(right, Markup) else 1
            return _sequence_size(left, 1) + _sequence_size(right, growth)
        return 0
    if operator == "%" and _is_text(left):
        return percent_size(left, right)
    return 0


_PERCENT_SPEC = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)


def percent_size(template: str | bytes, args: Any) -> int:
    """What `template % args` would allocate: the text, the widths and the values it takes."""
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    positional = args if isinstance(args, tuple) else () if isinstance(args, Mapping) else (args,)
    total = len(text)
    index = 0
    for match in _PERCENT_SPEC.finditer(text):
        key, width, precision, conversion = match.groups()
        if conversion == "%" and key is None and not width and not precision:
            continue
        for part in (width, precision):
            if part == "*":
                total += abs(as_int(positional[index])) if index < len(positional) else 0
                index += 1
            elif part:
                total += int(part) if len(part) < 10 else MAX_VALUE + 1
        if key is not None and isinstance(args, Mapping):
            total += text_size(args.get(key))
        elif index < len(positional):
            total += text_size(positional[index])
            index += 1
        if total > MAX_VALUE:
            break
    return total


def concat_size(values: Iterable[Any]) -> int:
    """What joining the texts of `values` would allocate."""
    return sum(len(v) if type(v) is str else text_size(v) for v in values)


_FORMAT_SPEC = re.compile(r"(\d+)?(?:[,_])?(?:\.(\d+))?[a-zA-Z%]?$")


def format_field_size(value: Any, spec: str) -> int:
    """What `format(value, spec)` would allocate (width and precision included)."""
    total = text_size(value)
    match = _FORMAT_SPEC.search(spec)
    if match:
        for part in match.groups():
            if part:
                total += int(part) if len(part) < 10 else MAX_VALUE + 1
    return total


# -- methods called from a template ------------------------------------------------------

def _width(owner: Any, width: Any = 0, *_: Any, **__: Any) -> int:
    return max(len(owner), as_int(width))


def _expandtabs(owner: Any, tabsize: Any = 8, **kwargs: Any) -> int:
    tab = "\t" if isinstance(owner, str) else b"\t"
    return len(owner) + owner.count(tab) * max(as_int(kwargs.get("tabsize", tabsize)), 0)


def replace_size(text: Any, old: Any, new: Any, count: Any = -1) -> int:
    """What `text.replace(old, new, count)` would allocate."""
    if not (_is_text(text) and type(old) is type(new) and isinstance(old, type(text[:0]))):
        return text_size(text)
    found = text.count(old) if old else len(text) + 1
    count = as_int(count, -1)
    if count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _replace_method(owner: Any, old: Any = "", new: Any = "", count: Any = -1,
                    **_: Any) -> int:
    return replace_size(owner, old, new, count)


def _translate(owner: Any, table: Any = None, *_: Any) -> int:
    if isinstance(table, Mapping):
        longest = max((len(v) for v in table.values() if _is_text(v)), default=1)
        return len(owner) * max(longest, 1)
    return len(owner)


def _split(owner: Any, sep: Any = None, *_: Any, **kwargs: Any) -> int:
    sep = kwargs.get("sep", sep)
    same_kind = isinstance(sep, type(owner[:0])) and sep
    pieces = owner.count(sep) + 1 if same_kind else len(owner) // 2 + 1
    return len(owner) + ITEM * pieces


def _scaled(factor: int) -> Callable[..., int]:
    return lambda owner, *_, **__: len(owner) * factor


def _added(owner: Any, *args: Any, **kwargs: Any) -> int:
    return ITEM + sum(text_size(a) for a in args) + sum(text_size(v) for v in kwargs.values())


def _bulk(owner: Any, *args: Any, **kwargs: Any) -> int:
    entries = sum(item_count(a) for a in args if not isinstance(a, str)) + len(kwargs)
    if entries > MAX_BULK:
        raise LimitBroken(_("This template builds a table with too many entries at once "
                            "(over {limit}).").format(
            limit=f"{MAX_BULK:,}"))
    return 2 * ITEM * entries + _added(owner, *args, **kwargs)


def _to_bytes(owner: Any, length: Any = 1, *_: Any, **kwargs: Any) -> int:
    return as_int(kwargs.get("length", length), 1)


_TEXT_METHODS: dict[str, Callable[..., int]] = {
    "center": _width, "ljust": _width, "rjust": _width, "zfill": _width,
    "expandtabs": _expandtabs, "replace": _replace_method, "translate": _translate,
    "encode": _scaled(4), "hex": _scaled(3),
    "upper": _scaled(3), "lower": _scaled(3), "title": _scaled(3), "capitalize": _scaled(3),
    "swapcase": _scaled(3), "casefold": _scaled(3),
    "split": _split, "rsplit": _split, "splitlines": _split,
}
_CONTAINER_METHODS: dict[str, Callable[..., int]] = {
    "append": _added, "insert": _added, "extend": _added, "setdefault": _added,
    "update": _bulk, "fromkeys": _bulk, "copy": _scaled(2 * ITEM),
}


def method_size(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """What calling a method of a text, list, dict or number would allocate (0: nothing much)."""
    owner = getattr(method, "__self__", None)
    if owner is None:
        if method is dict:
            return _bulk({}, *args, **kwargs)
        return 0
    name = getattr(method, "__name__", "")
    if isinstance(owner, str | bytes):
        size = _TEXT_METHODS.get(name)
    elif isinstance(owner, list | dict):
        size = _CONTAINER_METHODS.get(name)
    elif isinstance(owner, type) and issubclass(owner, dict):  # dict.fromkeys
        size = _CONTAINER_METHODS.get(name)
        owner = {}
    elif isinstance(owner, int) and name == "to_bytes":
        size = _to_bytes
    else:
        return 0
    return size(owner, *args, **kwargs) if size is not None else 0


# -- what each filter may make, worked out before it runs --------------------------------

def _nothing(*_: Any, **__: Any) -> int:
    return 0


def text_prices(value: Any, *args: Any, **kwargs: Any) -> int:
    """What a filter that rewrites the text of its value and arguments may allocate."""
    total = len(value) if type(value) is str else text_size(value)
    for arg in (*args, *kwargs.values()) if kwargs else args:
        kind = type(arg)
        total += len(arg) if kind is str else arg.bit_length() if kind is int else text_size(arg)
    return total


def _items(value: Any, *_: Any, **__: Any) -> int:
    return 2 * ITEM * item_count(value) + (len(value) if isinstance(value, str) else 0)


def _center(value: Any, width: Any = 80, *_: Any) -> int:
    return max(text_size(value), as_int(width))


def _indent(value: Any, width: Any = 4, *_: Any, **kwargs: Any) -> int:
    width = kwargs.get("width", width)
    lines = value.count("\n") + 1 if isinstance(value, str) else text_size(value)
    return text_size(value) + lines * (len(width) if isinstance(width, str) else as_int(width))


def _wordwrap(value: Any, width: Any = 79, breaks: Any = True, wrapstring: Any = None,
              *_: Any, **kwargs: Any) -> int:
    wrapstring = kwargs.get("wrapstring", wrapstring)
    return text_size(value) * (1 + (len(wrapstring) if isinstance(wrapstring, str) else 2))


def _replace_filter(value: Any, old: Any = "", new: Any = "", count: Any = None,
                    **_: Any) -> int:
    return replace_size(value, old, new, -1 if count is None else count)


def _format(value: Any, *args: Any, **kwargs: Any) -> int:
    return percent_size(value, kwargs or args) if isinstance(value, str) else text_size(value)


def _batch(value: Any, linecount: Any = 1, *_: Any, **__: Any) -> int:
    return ITEM * (2 * item_count(value) + max(as_int(linecount), 0))


def _slice(value: Any, slices: Any = 1, *_: Any, **__: Any) -> int:
    return ITEM * (2 * item_count(value) + 2 * max(as_int(slices), 0))


def _date(value: Any, fmt: Any = "", *args: Any, **kwargs: Any) -> int:
    fmt = kwargs.get("fmt", fmt)
    return text_prices(value, *args) + 16 * (len(fmt) if type(fmt) is str else text_size(fmt))


def _money(value: Any, symbol: Any = "", *_: Any, **kwargs: Any) -> int:
    symbol = kwargs.get("symbol", symbol)
    return len(symbol) if type(symbol) is str else text_size(symbol)  # the number is short


def _round(value: Any, precision: Any = 0, *_: Any, **kwargs: Any) -> int:
    check_int_size(abs(as_int(kwargs.get("precision", precision))) * 4)  # 10**precision
    return 0


# None: the filter makes nothing new (a number, one of its items, a lazy stream).
FILTER_SIZES: dict[str, Callable[..., int] | None] = {
    **dict.fromkeys(["abs", "attr", "count", "length", "d", "default", "first", "last",
                     "random", "float", "int", "filesizeformat", "min", "max", "map",
                     "select", "reject", "selectattr", "rejectattr",
                     "number", "sum_of", "required"]),  # MAX_DIGITS keeps numbers short
    **dict.fromkeys(["capitalize", "lower", "upper", "title", "trim", "striptags", "string",
                     "safe", "e", "escape", "forceescape", "urlencode", "urlize", "xmlattr",
                     "tojson", "pprint", "wordcount", "truncate", "phone"], text_prices),
    **dict.fromkeys(["list", "sort", "unique", "reverse", "dictsort", "items", "groupby",
                     "pluck"], _items),
    "center": _center, "indent": _indent, "wordwrap": _wordwrap, "replace": _replace_filter,
    "format": _format, "batch": _batch, "slice": _slice, "round": _round, "money": _money,
    "date": _date,
    "join": _nothing, "sum": _nothing,  # priced once their items are a list (template_sandbox)
}


def joined_size(items: Any, separator: Any) -> int:
    """What joining the list `items` with `separator` would allocate."""
    total = 0
    for item in items:
        total += len(item) if type(item) is str else text_size(item)
    if not total:
        return 0
    return total + len(items) * (len(separator) if type(separator) is str
                                 else text_size(separator))


# Filters whose result is at most a few times what they are given, once what they are given
# is text (`LINEAR_TEXT`) or a list (`LINEAR_ITEMS`): called with constant arguments, they
# are measured after instead of priced before, which costs far less (template_sandbox).
LINEAR_TEXT = frozenset(["capitalize", "lower", "upper", "title", "trim", "striptags",
                         "string", "safe", "e", "escape", "forceescape", "urlencode",
                         "urlize", "xmlattr", "tojson", "pprint", "wordcount", "truncate",
                         "money", "phone"])
LINEAR_ITEMS = frozenset(["list", "sort", "unique", "reverse", "dictsort", "items", "groupby",
                          "pluck"])
