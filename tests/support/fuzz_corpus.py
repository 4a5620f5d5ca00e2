"""Inputs that have broken webhook receivers, shared by the fuzz tests and the fuzz bench.

The lists, and the pieces both build requests from (framing, multipart bodies, the inputs
of bugs found and fixed); each draws from them its own way (Hypothesis, `random`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from support.rawhttp import request_bytes


def _deep(n: int, close: bool) -> bytes:
    return b"[" * n + (b"]" * n if close else b"")


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

KNOWN_METHODS = ["POST", "PUT", "GET", "HEAD", "DELETE", "PATCH", "OPTIONS", "TRACE",
                 "PROPFIND", "MKCOL", "M-SEARCH"]
ODD_METHODS = ["post", "Post", "put", "BREW", "X" * 40, "GET\x00", "P OST", ""]
# Put after a real token, before one, and anywhere: twins of a hook that must not reach it.
PATH_TAILS = ["/..", "/../", "%2F..", "%2f..%2f", "%2F", "/", "//", "/x", ";a=b", "%00", "%20",
              ".", "%2e%2e", "\\..", "?"]
PATH_HEADS = ["//hooks//", "/hooks//", "/hooks/%2e%2e/hooks/", "/hooks/../hooks/", "/HOOKS/",
              "/hooks%2F", "/x/../hooks/", "/./hooks/", "hooks/"]
ODD_PATHS = ["/hooks/..%2Fhealthz", "/hooks/%2e%2e/", "/hooks/%2e%2e/healthz", "/hooks/..",
             "/hooks/", "/hooks", "/", "*", "/healthz", "/healthz/", "/healthz/..", "/%68ooks/x",
             "/hooks/%ZZ", "/hooks/%", "/favicon.ico", "http://127.0.0.1/hooks/x",
             "//evil.example/hooks/x", "/" * 300]
QUERIES = ["?", "?a=1", "?a=1&a=2", "?a=%FF", "?%FF=%FE", "?a=%ZZ", "?=&&=", "?a=" + "b" * 3000,
           "?a=%ED%A0%80", "?x=%00", "?a+b=c+d", "?a=%2F.."]
# Fillers of large bodies (one to four bytes each).
PAD_FILLERS = [b"x", b"\xff", b"\x00", "字".encode()]


def padded_order(filler: bytes, size: int) -> bytes:
    """A JSON order of about `size` bytes: a real total and a long pad of `filler`."""
    return b'{"total_price": 500, "pad": "' + filler * (size // len(filler)) + b'"}'


def multipart(fields: Sequence[tuple[str, str, bool]], boundary: str = "XyZ") -> bytes:
    """A multipart/form-data body; the bool makes a field a file upload."""
    parts = []
    for name, value, is_file in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{name}.txt"' if is_file
                                                      else "")
        parts.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n{value}\r\n")
    return ("".join(parts) + f"--{boundary}--\r\n").encode("utf-8")


# How a body is framed, and how often each way is drawn.
FRAMINGS = {"exact": 12, "none": 1, "short": 1, "long": 1, "chunked": 2, "bad_chunked": 1,
            "bad_length": 1}
BAD_LENGTHS = ["abc", "-5", "1e3", "99999999999999999999", " 2", "2,2", ""]


def frame(how: str, body: bytes, cuts: Sequence[int] = (), bad_length: str = ""
          ) -> tuple[bool, list[tuple[str, str]], bytes]:
    """Framing headers and the bytes after the head, the FRAMINGS way `how`.

    The bool says whether the bytes sent end exactly where the framing says. `cuts`: where
    a chunked body is cut into chunks; `bad_length`: the Content-Length of "bad_length".
    """
    if how == "exact":
        return True, [("Content-Length", str(len(body)))], body
    if how == "none":
        return not body, [], body
    if how == "short":
        return not body, [("Content-Length", str(len(body) // 2))], body
    if how == "long":  # the server waits for bytes that never come, then says 408
        return True, [("Content-Length", str(len(body) + 1 + len(body) // 2))], body
    if how == "chunked":
        ends = sorted(cuts)
        pieces = [body[a:b] for a, b in zip([0, *ends], [*ends, len(body)], strict=True)]
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces if p)
        return True, [("Transfer-Encoding", "chunked")], chunks + b"0\r\n\r\n"
    if how == "bad_chunked":
        return False, [("Transfer-Encoding", "chunked")], b"zz\r\n" + body
    assert how == "bad_length", how
    return False, [("Content-Length", bad_length)], body


@dataclass
class Req:
    """One raw request and what its answer may legitimately be; its repr stays short."""

    raw: bytes
    head: bool  # a HEAD: the answer has no body
    may_drop: bool  # broken framing or syntax: the server may close without an answer
    known_bug: bool = False  # an input of a bug already reported (tallied apart)

    def __repr__(self) -> str:
        return f"Req({self.raw[:400]!r}... {len(self.raw)} bytes)"


def fuzz_request(method: str, target: str, headers: list[tuple[str, str]],
                 framed: tuple[bool, list[tuple[str, str]], bytes]) -> Req:
    """A request from its parts and a `frame(...)`; whether it may go unanswered follows."""
    well_framed, framing, rest = framed
    well_formed = well_framed and method in KNOWN_METHODS and target.isascii()
    return Req(request_bytes(method, target, [*headers, *framing], rest), method == "HEAD",
               may_drop=not well_formed)


# -- inputs of bugs this fuzzing found (fixed; the bench sends them with --known-bugs) --------

# Header values that are not UTF-8, under a plain name and under a delivery id's name.
INVALID_UTF8_HEADERS = [(b"X-Name", b"caf\xe9\xff"), (b"X-GitHub-Delivery", b"caf\xe9\xff")]


def multipart_in(charset: str, payload: bytes) -> bytes:
    """A multipart body whose one field, total_price, is text in `charset`."""
    return (b'--XyZ\r\nContent-Disposition: form-data; name="total_price"\r\n'
            b"Content-Type: text/plain; charset=" + charset.encode() + b"\r\n\r\n"
            + payload + b"\r\n--XyZ--\r\n")


# A lone surrogate in the field a filter reads: (Content-Type, body) by test id.
LONE_SURROGATES = {
    "json-escape": ("application/json", b'{"total_price": "\\ud800"}'),
    "multipart-unicode_escape": ("multipart/form-data; boundary=XyZ",
                                 multipart_in("unicode_escape", b"\\ud800")),
    "multipart-utf-7": ("multipart/form-data; boundary=XyZ", multipart_in("utf-7", b"+2AA-")),
}
