"""The sample's fields as a person finds them: by label or path, typed or dragged."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMimeData

from bellhop.core.templating.chips import TOP_LEVEL, path_source
from bellhop.ui.rules.context import BuilderContext

FIELD_MIME = "application/x-bellhop-field"  # a field dragged from the picker: its path
LIST_ITEMS_SHOWN = 5
MOST_MATCHES = 8
OBJECT_CHAR = "\ufffc"  # where a chip sits in the editor's text


@dataclass(frozen=True)
class FieldEntry:
    """One field of the sample: its path as a template writes it, its label, its value."""

    path: str
    label: str
    value: Any


def walk(context: BuilderContext) -> list[tuple[list[str | int], Any]]:
    """Every field of the sample (top level first, lists cut at a few items), in order."""
    found: list[tuple[list[str | int], Any]] = []

    def visit(parts: list[str | int], value: Any) -> None:
        found.append((parts, value))
        if isinstance(value, Mapping):
            for key, child in value.items():
                visit([*parts, str(key)], child)
        elif isinstance(value, list):
            for index, child in enumerate(value[:LIST_ITEMS_SHOWN]):
                visit([*parts, index], child)

    values = context.values() if context.has_sample else {}
    for key in TOP_LEVEL:
        if key in values and not (key in ("query", "steps") and not values[key]):
            visit([key], values[key])
    return found


def sample_fields(context: BuilderContext) -> list[FieldEntry]:
    """The sample's fields that hold a value (not whole groups or lists), with labels."""
    return [FieldEntry(path, context.label_of(path), value)
            for path, value in ((path_source(parts), value) for parts, value in walk(context))
            if not isinstance(value, Mapping | list)]


_WORD_BREAK = re.compile(r"[\s._\-\[\]\"'›()/]+|(?<=[a-z0-9])(?=[A-Z])")


def _words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD_BREAK.split(text) if word]


def matching(entries: list[FieldEntry], query: str, anywhere: bool = False) -> list[FieldEntry]:
    """The fields a typed query means, best first (at most MOST_MATCHES).

    Latin letters match the start of a word of the label or of the path ("total" finds
    Order total and body.total_price, not Subtotal); Chinese matches anywhere in the label
    ("總額" finds 訂單總額). `anywhere` (after `{{`) matches any part of label or path."""
    needle = query.strip().casefold()
    ranked: list[tuple[int, int, FieldEntry]] = []
    for order, entry in enumerate(entries):
        label, path = entry.label.casefold(), entry.path.casefold()
        if label.startswith(needle):
            rank = 0
        elif any(word.startswith(needle) for word in _words(entry.label)):
            rank = 1
        elif any(word.startswith(needle) for word in _words(entry.path)):
            rank = 2
        elif (anywhere or not needle.isascii()) and (needle in label or needle in path):
            rank = 3
        else:
            continue
        ranked.append((rank, order, entry))
    ranked.sort(key=lambda item: item[:2])
    return [entry for __, __, entry in ranked[:MOST_MATCHES]]


@dataclass(frozen=True)
class Query:
    """What the person is typing that may name a field: where it starts and the words."""

    start: int  # index in the text before the caret
    text: str
    braces: bool  # typed after `{{`: any field, matched anywhere


_TRAILING_WORD = re.compile(r"\w+$")


def completion_queries(before: str) -> list[Query]:
    """The queries the text before the caret may be, longest first.

    After an open `{{` the query is what follows it. Otherwise it is the word being typed:
    Latin words from their start and at least 3 letters; Chinese also from any character
    (no spaces between words), at least 2."""
    opening = before.rfind("{{")
    if opening >= 0 and OBJECT_CHAR not in before[opening:] and "}}" not in before[opening:] \
            and "\n" not in before[opening:]:
        return [Query(opening, before[opening + 2:].strip(), True)]
    match = _TRAILING_WORD.search(before)
    if not match:
        return []
    queries = []
    for start in range(match.start(), len(before)):
        text = before[start:]
        wide = not text.isascii()
        at_word_start = start == match.start() or not before[start].isascii() or \
            not before[start - 1].isascii()
        if at_word_start and len(text) >= (2 if wide else 3) and not text.isdigit():
            queries.append(Query(start, text, False))
    return queries


def field_mime(path: str) -> QMimeData:
    """What a dragged field carries: its path, and its template text for other programs."""
    data = QMimeData()
    data.setData(FIELD_MIME, path.encode("utf-8"))
    data.setText("{{ " + path + " }}")
    return data


def path_of(data: QMimeData) -> str | None:
    """The path a dropped field carries (None when the drop is something else)."""
    if not data.hasFormat(FIELD_MIME):
        return None
    path = bytes(data.data(FIELD_MIME).data()).decode("utf-8", errors="replace").strip()
    return path or None
