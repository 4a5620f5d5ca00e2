"""What a delivery's body means: JSON, form fields or text, and the template context
of an event (used before the answer for the rules that need it, and by every run)."""

from __future__ import annotations

import codecs
import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from bellhop.core import jsoncodec
from bellhop.core.i18n import _
from bellhop.core.storage.records import EventRecord


class BadPayload(ValueError):
    """The body does not match its content type; the message is one plain line.

    `json`: the body was promised as JSON (else a form that could not be read)."""

    def __init__(self, message: str, *, json: bool = False) -> None:
        super().__init__(message)
        self.json = json


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
        raise BadPayload(_("The multipart form could not be read."))
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
    if not is_json_type(content_type):
        return _parse_other(raw, content_type)
    return _parse_json(raw, invalid_json)


def _parse_other(raw: bytes, content_type: str) -> Any:
    kind = media_type(content_type)
    if kind == "application/x-www-form-urlencoded":
        return _form(raw)
    if kind == "multipart/form-data":
        try:
            return _multipart(raw, content_type)
        except BadPayload:
            raise
        except Exception as exc:
            raise BadPayload(_("The multipart form could not be read.")) from exc
    return raw.decode("utf-8", errors="replace")


def _parse_json(raw: bytes, invalid_json: str, build: bool = True) -> Any:
    try:
        return jsoncodec.loads(raw) if build else jsoncodec.check(raw)
    except (ValueError, RecursionError) as exc:
        if invalid_json == "text":
            return raw.decode("utf-8", errors="replace")
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise BadPayload(_("The body is not valid JSON: {reason}").format(
            reason=reason), json=True) from exc


def check_body(raw: bytes, content_type: str, invalid_json: str = "reject", *,
               parse: bool = False) -> Any:
    """The body checked before the answer, built only when `parse` (the answer reads it).

    Raises BadPayload exactly where parse_body does. Returns None when nothing was built
    (good JSON checked by simdjson, form fields, text: the run parses them), else what
    parse_body built: asked to, or to find out (a body the check cannot vouch for, a
    multipart form).
    """
    if not raw:
        return {}
    if not is_json_type(content_type):
        if parse or media_type(content_type) == "multipart/form-data":
            return _parse_other(raw, content_type)
        return None  # form fields and text: nothing in them is refused
    return _parse_json(raw, invalid_json, build=parse)


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
