"""Inputs that have broken webhook receivers, shared by the fuzz tests and the fuzz bench."""

from __future__ import annotations

import re


def _deep(n: int, close: bool) -> bytes:
    return b"[" * n + (b"]" * n if close else b"")

STATUS_LINE = re.compile(rb"^HTTP/\d\.\d (\d{3})(?: [^\r\n]*)?\r\n")

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~"

DELIVERY_HEADERS = ["X-GitHub-Delivery", "X-Shopify-Webhook-Id", "webhook-id", "X-Request-Id"]

HEADER_NAMES = ["User-Agent", "Accept", "X-Shopify-Topic", "X-Hub-Signature-256",
                "Authorization", "Cookie", "X-Forwarded-For", "X-Line-Signature", "Accept-Encoding",
                "Content-Language", "Date", "Referer", "Origin", "X-Request-Id", "Range"]

CONTENT_TYPES = [
    "application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
    "application/vnd.api+json", "text/json", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=XyZ", "multipart/form-data", "multipart/form-data; boundary=",
    'multipart/form-data; boundary="a b c"', "multipart/mixed; boundary=XyZ", "text/plain",
    "text/plain; charset=utf-16", "text/plain; charset=nonsense", "application/octet-stream",
    "application/xml", "*/*", ";;;", "json", "application/json; charset", "",
]

NASTY_BODIES = [
    b"", b"{}", b"[]", b"null", b"0", b'""', _deep(10_000, True), _deep(10_000, False),
    _deep(1000, True), b'{"a":' * 3000 + b"1" + b"}" * 3000, b"1e999", b"-1e999",
    b'{"total_price": 1e999}', b'{"total_price": -1e999}', b"9" * 5000,
    b'{"total_price": ' + b"9" * 5000 + b"}", b'{"total_price": ' + b"9" * 4000 + b"}",
    b'{"total_price": NaN}', b'{"total_price": Infinity}', b'{"total_price": "sNaN"}',
    b'{"total_price": "1e999999999"}', b'{"total_price": "-0"}', b'{"total_price": true}',
    b'{"total_price": [1, 2]}', b'{"total_price": {"a": 1}}', b"\x00", b"\x00" * 1000,
    b'{"total_price": "\x00"}', b'{"a": "\\u0000"}', b"\xff\xfe\xfd", b"\xef\xbb\xbf{}",
    b'{"total_price": 150', b'{"total_price": 150}}', b'{"a": 1, "a": 2}', b"\xc3\x28",
    b'{"\xff": 1}', b"total_price=150&name=x", b"--XyZ\r\nContent-Disp", b"--XyZ--",
    b"\r\n\r\n", b'{"name": "' + "王小明".encode() + b'", "total_price": "1,500"}',
    b'{"id": "evt_1", "object": "event", "total_price": 150}', b'{"id": "evt_", "object": "event"}',
    b'{"events": [{"webhookEventId": "01H"}, {"webhookEventId": "01J"}, 5]}',
    b'{"events": [{"webhookEventId": ""}], "name": "x"}', b'{"events": "nope"}',
]
