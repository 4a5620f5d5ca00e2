"""Template text as pieces a person sees: plain text and field chips.

The builder shows `Order {{ body.name }}` as the text "Order " and a chip "Order
number". A chip is one expression of the grammar its menu writes:

    {{ PATH | required | FORMAT | default('TEXT') }}     each part after PATH optional

FORMAT is one of `date('…')` (optionally with a time zone), `money('NT$', 0)`, `phone`,
`number`, `upper` or `lower`. Any other expression (`{{ x | truncate(9) }}`, a loop's
`{{ item.title }}`) is a custom piece shown as it is written; statements and comments
(`{% for %}`, `{# … #}`) stay text. Every piece keeps its source, so `join(split(t)) == t`
for every text: a rule edited by hand and saved unchanged is saved byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from bellhop.core.i18n import _

TOP_LEVEL = ("body", "query", "headers", "method", "received_at", "event_id", "rule", "steps")

_STRING = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PATH = re.compile(rf"{_NAME}(?:\s*\.\s*{_NAME}|\s*\.\s*\d+|\s*\[\s*(?:-?\d+|{_STRING})\s*\])*",
                   re.S)
_PATH_PART = re.compile(rf"\.\s*({_NAME}|\d+)|\[\s*(-?\d+|{_STRING})\s*\]|({_NAME})", re.S)
_FORMATS = {
    "date": re.compile(rf"date\(\s*{_STRING}\s*(?:,\s*{_STRING}\s*)?\)", re.S),
    "money": re.compile(rf"money\(\s*{_STRING}\s*(?:,\s*\d+\s*)?\)", re.S),
    "phone": re.compile(r"phone"),
    "number": re.compile(r"number"),
    "upper": re.compile(r"upper"),
    "lower": re.compile(r"lower"),
}
_DEFAULT = re.compile(rf"default\(\s*({_STRING})\s*\)", re.S)
_STRING_RE = re.compile(_STRING, re.S)

# The presets the chip's menu writes.
DATE_TIME = "date('%Y/%m/%d %H:%M')"
DATE_CHINESE = "date('%m月%d日')"
DATE_ISO = "date('%Y-%m-%dT%H:%M:%S%z')"
PHONE, NUMBER, UPPER, LOWER = "phone", "number", "upper", "lower"


def quote(text: str) -> str:
    """A Jinja string literal for `text`: `it's` → `'it\\'s'` (read back by `unquote`)."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == "'":
            out.append("\\'")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def unquote(literal: str) -> str:
    """The text of a Jinja string literal, read as Jinja reads it."""
    inner = re.sub(r"\r\n|\r", "\n", literal[1:-1])
    return inner.encode("ascii", "backslashreplace").decode("unicode-escape")


def money_format(symbol: str, decimals: int) -> str:
    """The money FORMAT for a currency symbol and a number of decimals."""
    return f"money({quote(symbol)}, {int(decimals)})"


def date_format(pattern: str) -> str:
    """The date FORMAT for a strftime pattern (in the computer's time zone)."""
    return f"date({quote(pattern)})"


def format_kind(fmt: str | None) -> str | None:
    """'date', 'money', 'phone', 'number', 'upper' or 'lower' for a FORMAT text."""
    if not fmt:
        return None
    return next((kind for kind, pattern in _FORMATS.items() if pattern.fullmatch(fmt)), None)


def format_arguments(fmt: str) -> list[str]:
    """The string arguments of a FORMAT, decoded: money('NT$', 0) → ['NT$']."""
    return [unquote(m.group(0)) for m in _STRING_RE.finditer(fmt)]


def money_decimals(fmt: str) -> int:
    """The decimals of a money FORMAT (2 when it names none, as the filter does)."""
    rest = _STRING_RE.sub("", fmt)
    digits = re.search(r",\s*(\d+)", rest)
    return int(digits.group(1)) if digits else 2


@dataclass(frozen=True)
class Chip:
    """A field with how it is shown: `{{ body.total_price | money('NT$', 0) }}`."""

    path: str  # as written in the template: body.line_items[0].title, body["訂單 編號"]
    required: bool = False
    format: str | None = None  # one of the FORMAT texts
    default: str | None = None  # the "if empty" text, decoded
    source: str = field(default="", compare=False)  # the exact text; '' means canonical

    @property
    def text(self) -> str:
        """The template text of the chip (as read, or canonical when made or changed)."""
        return self.source or self.canonical()

    def canonical(self) -> str:
        """The chip in the grammar's own spelling."""
        parts = [self.path]
        if self.required:
            parts.append("required")
        if self.format:
            parts.append(self.format)
        if self.default is not None:
            parts.append(f"default({quote(self.default)})")
        return "{{ " + " | ".join(parts) + " }}"

    def changed(self, **changes: object) -> Chip:
        """A copy with other settings, written canonically."""
        values = {"path": self.path, "required": self.required, "format": self.format,
                  "default": self.default, **changes}
        return Chip(**values)  # type: ignore[arg-type]

    @property
    def parts(self) -> list[str | int]:
        """The path as keys and list positions: ['body', 'line_items', 0, 'title']."""
        return path_parts(self.path)


@dataclass(frozen=True)
class Custom:
    """An expression the chip menu does not write; kept exactly as it is."""

    source: str

    @property
    def text(self) -> str:
        return self.source

    @property
    def inner(self) -> str:
        """What the braces hold, trimmed: `item.title | upper`."""
        inner = self.source[2:-2]
        if inner[:1] in "-+":
            inner = inner[1:]
        if inner[-1:] in "-+":
            inner = inner[:-1]
        return inner.strip()


Piece = str | Chip | Custom


def path_parts(path: str) -> list[str | int]:
    """`body.items[0]["訂單 編號"]` → ['body', 'items', 0, '訂單 編號']."""
    parts: list[str | int] = []
    for match in _PATH_PART.finditer(path):
        dotted, bracket, first = match.groups()
        if first is not None:
            parts.append(first)
        elif dotted is not None:
            parts.append(int(dotted) if dotted.isdigit() else dotted)
        elif bracket[0] in "'\"":
            parts.append(unquote(bracket))
        else:
            parts.append(int(bracket))
    return parts


def dotted(parts: list[str | int]) -> str:
    """['body', 'items', 0, 'title'] → 'body.items[0].title' (the form field labels use)."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _split_filters(inner: str) -> list[str] | None:
    """Split at top-level `|`, outside strings and brackets; None when unbalanced."""
    segments, depth, start, i = [], 0, 0, 0
    while i < len(inner):
        char = inner[i]
        if char in "'\"":
            match = _STRING_RE.match(inner, i)
            if match is None:
                return None
            i = match.end()
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif char == "|" and depth == 0:
            segments.append(inner[start:i].strip())
            start = i + 1
        i += 1
    if depth:
        return None
    segments.append(inner[start:].strip())
    return segments


@lru_cache(maxsize=1024)
def read_expression(source: str) -> Chip | Custom:
    """One `{{ … }}` as a chip when it follows the grammar, otherwise as custom."""
    inner = source[2:-2]
    if inner.startswith(("-", "+")) or inner.endswith(("-", "+")):
        return Custom(source)  # whitespace control: written by hand, kept by hand
    segments = _split_filters(inner)
    if not segments or not _PATH.fullmatch(segments[0]):
        return Custom(source)
    parts = path_parts(segments[0])
    if not parts or parts[0] not in TOP_LEVEL:
        return Custom(source)  # a loop's variable, a literal
    rest = segments[1:]
    required = bool(rest) and rest[0] == "required"
    if required:
        rest = rest[1:]
    fmt = None
    if rest and format_kind(rest[0]):
        fmt, rest = rest[0], rest[1:]
    default = None
    if rest and (match := _DEFAULT.fullmatch(rest[0])):
        default, rest = unquote(match.group(1)), rest[1:]
    if rest:
        return Custom(source)
    chip = Chip(segments[0], required, fmt, default)
    return chip if chip.canonical() == source else Chip(segments[0], required, fmt, default,
                                                        source)


def _closing_end(text: str, start: int, closing: str) -> int:
    """The index after the `closing` mark ('}}' or '%}') that ends the tag opened at
    `start`, skipping quoted strings; -1 when it is not closed."""
    i = start + 2
    while i < len(text):
        if text[i] in "'\"":
            match = _STRING_RE.match(text, i)
            if match is None:
                return -1
            i = match.end()
            continue
        if text.startswith(closing, i):
            return i + 2
        i += 1
    return -1


_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)


def split(text: str) -> list[Piece]:
    """Template text as text, chips and custom expressions, in order (`join` undoes it)."""
    pieces: list[Piece] = []
    plain, i = [], 0
    while i < len(text):
        if text.startswith("{{", i):
            end = _closing_end(text, i, "}}")
            if end > 0:
                if plain:
                    pieces.append("".join(plain))
                    plain = []
                pieces.append(read_expression(text[i:end]))
                i = end
                continue
        elif text.startswith("{#", i):
            end = text.find("#}", i + 2)
            if end > 0:
                plain.append(text[i:end + 2])
                i = end + 2
                continue
        elif text.startswith("{%", i):
            raw = _RAW.match(text, i)
            end = raw.end() if raw else _closing_end(text, i, "%}")
            if end > 0:
                plain.append(text[i:end])
                i = end
                continue
        plain.append(text[i])
        i += 1
    if plain:
        pieces.append("".join(plain))
    return pieces


def join(pieces: list[Piece]) -> str:
    """The template text of the pieces."""
    return "".join(piece if isinstance(piece, str) else piece.text for piece in pieces)


_LEADING_PATH = re.compile(r"^\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])+)")


def custom_name(piece: Custom, name_of: Callable[[str], str]) -> str:
    """A custom expression in words: the field it starts from, marked custom
    ("Items (custom)" for `body.line_items | pluck('title') | join(', ')`); else its source."""
    found = _LEADING_PATH.match(piece.inner)
    if found and re.split(r"[.\[]", found.group(1))[0] in TOP_LEVEL:  # a loop's item is not
        return _("{field} (custom)").format(field=name_of(found.group(1)))
    return piece.inner or piece.source


def describe(text: str, name_of: Callable[[str], str]) -> str:
    """Template text for a one-line summary: each field as its name in brackets.

    `New order {{ body.name | upper }}` → `New order [Order number]`; a custom
    expression reads as the field it starts from ("[Items (custom)]")."""
    return "".join(
        piece if isinstance(piece, str) else
        f"[{name_of(piece.path) if isinstance(piece, Chip) else custom_name(piece, name_of)}]"
        for piece in split(text))


def path_source(parts: list[str | int]) -> str:
    """['body', 'a b', 0] → 'body["a b"][0]': a path as the picker writes it."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(_NAME, part):
            text += f".{part}" if text else part
        else:
            text += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return text
