"""Turning a delivery's raw bytes into `body` for templates: JSON, form fields or text."""

from __future__ import annotations

import codecs
import json
import re
import time
from collections.abc import Mapping
from datetime import datetime, tzinfo
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bellhop.core import jsoncodec
from bellhop.core.credentials import hide_credentials
from bellhop.core.fastpath import LowerHeaders
from bellhop.core.i18n import tr
from bellhop.core.records import EventRecord, clean_text

Headers = CIMultiDict[str] | CIMultiDictProxy[str] | LowerHeaders


class BadPayload(ValueError):
    """The body does not match its content type; the message is one plain line."""


def query_values(query_string: str) -> dict[str, str]:
    """An event's `query`: yarl reads it on both roads, so `+`, `%xx` and repeats agree."""
    if not query_string:
        return {}
    query = URL.build(path="/", query_string=query_string, encoded=True).query
    return {clean_text(k): clean_text(v) for k, v in query.items()}


def header_values(headers: Headers | Mapping[str, str],
                  hidden: frozenset[str]) -> dict[str, str]:
    """An event's `headers`: names in lower case, text SQLite can store, the values of
    the `hidden` ones (credentials, see bellhop.core.credentials) replaced by HIDDEN."""
    if isinstance(headers, LowerHeaders):  # the short road's: lower-case ASCII already
        values = dict(headers)  # a plain dict, as on aiohttp's road and after a restart
    else:
        values = {clean_text(k.lower()): clean_text(v) for k, v in headers.items()}
    if not values.keys().isdisjoint(hidden):  # the usual delivery: this one test, no call
        hide_credentials(values, hidden)
    return values


def media_type(content_type: str) -> str:
    """'application/json; charset=utf-8' → 'application/json'."""
    return content_type.split(";", 1)[0].strip().lower()


def is_json_type(content_type: str) -> bool:
    """True for application/json and the +json family (e.g. application/vnd.x+json)."""
    kind = media_type(content_type)
    return kind == "application/json" or kind.endswith("+json") or kind == "text/json"


def _form(raw: bytes) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    text = raw.decode("utf-8", errors="replace")
    for key, value in parse_qsl(text, keep_blank_values=True):
        if key in fields:
            existing = fields[key]
            fields[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            fields[key] = value
    return fields


def _multipart(raw: bytes, content_type: str) -> dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + raw
    )
    if not message.is_multipart():
        raise BadPayload(tr("The multipart form could not be read."))
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        if part.get_filename():
            fields[str(name)] = {"filename": part.get_filename(),
                                 "size": len(part.get_payload(decode=True) or b"")}
            continue
        payload = part.get_payload(decode=True) or b""
        fields[str(name)] = payload.decode(_text_charset(part.get_content_charset()), "replace")
    return fields


def _text_charset(name: str | None) -> str:
    # Only real text encodings: a sender may not make Python run 'unicode_escape' or
    # 'utf-7' on its bytes (they can produce lone surrogates and other oddities).
    try:
        info = codecs.lookup(name or "utf-8")
    except LookupError:
        return "utf-8"
    if not getattr(info, "_is_text_encoding", True) or info.name in (
            "raw-unicode-escape", "unicode-escape", "utf-7"):
        return "utf-8"
    return info.name


def parse_body(raw: bytes, content_type: str, invalid_json: str = "reject") -> Any:
    """The body as data; BadPayload when JSON is promised but broken (unless kept as text)."""
    if not raw:
        return {}
    if is_json_type(content_type):
        try:
            value = jsoncodec.loads(raw)
        except (ValueError, RecursionError) as exc:
            if invalid_json == "text":
                return raw.decode("utf-8", errors="replace")
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise BadPayload(tr("The body is not valid JSON: {reason}", reason=reason)) from exc
        return value
    kind = media_type(content_type)
    if kind == "application/x-www-form-urlencoded":
        return _form(raw)
    if kind == "multipart/form-data":
        try:
            return _multipart(raw, content_type)
        except BadPayload:
            raise
        except Exception as exc:
            raise BadPayload(tr("The multipart form could not be read.")) from exc
    return raw.decode("utf-8", errors="replace")


# A \u escape of U+0040-U+007F: the only escapes that can spell a letter or "_".
_LETTER_ESCAPE = re.compile(rb"\\u00[4-7]")


def plain_json(raw: bytes, content_type: str, marks: tuple[bytes, ...]) -> bool:
    """True for a good JSON body that holds none of the byte strings `marks`, found
    without building the data (the answer's path needs no more; the run parses it).

    Unless a \\u escape spells one of its letters, a key holds its own bytes: a body
    without the bytes '"events"' and without such escapes has no key "events".
    Escapes of other characters (Chinese text as \\u4e2d, '&' as \\u0026) are fine.
    """
    if not is_json_type(content_type):
        return False
    if b"\\" in raw and b"\\u00" in raw and _LETTER_ESCAPE.search(raw):
        return False  # (the byte searches first: most bodies have no backslash at all)
    for mark in marks:
        if mark in raw:
            return False
    return jsoncodec.valid(raw)


_zone: tuple[float, tzinfo | None] = (0.0, None)


def _local_zone(now: float) -> tzinfo | None:
    # Finding the local zone costs more than the rest of a request: look it up once a
    # minute (often enough to follow a daylight-saving change).
    global _zone
    if now - _zone[0] > 60 or _zone[1] is None:
        _zone = (now, datetime.fromtimestamp(now).astimezone().tzinfo)
    return _zone[1]


_last_stamp: tuple[int, str] = (-1, "")


def local_now() -> tuple[str, float]:
    """Now as ISO 8601 in the local time zone, and as a Unix time."""
    global _last_stamp
    now = time.time()
    millis = int(now * 1000)
    if millis == _last_stamp[0]:  # deliveries in a burst share their millisecond
        return _last_stamp[1], now
    text = datetime.fromtimestamp(millis / 1000, _local_zone(now)).isoformat(
        timespec="milliseconds")
    _last_stamp = (millis, text)
    return text, now


def event_values(event: EventRecord, rule_name: str, body: Any = None) -> dict[str, Any]:
    """The template context of an event (without `steps`, which the run fills in)."""
    if body is None:
        try:
            body = parse_body(event.body, event.content_type, "text")
        except BadPayload:
            body = event.body.decode("utf-8", errors="replace")
    return {
        "body": body,
        "query": event.query,
        "headers": event.headers,
        "method": event.method,
        "received_at": event.received_at,
        "event_id": event.id,
        "rule": rule_name,
    }
