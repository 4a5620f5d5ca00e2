"""What a request brings besides its body: query, headers (credentials hidden), the JSON check."""

from __future__ import annotations

import re
from collections.abc import Mapping

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bellhop.core import jsoncodec
from bellhop.core.inbox.credentials import hide_credentials
from bellhop.core.inbox.fastpath import LowerHeaders
from bellhop.core.running.payload import is_json_type
from bellhop.core.storage.records import clean_text

Headers = CIMultiDict[str] | CIMultiDictProxy[str] | LowerHeaders


def query_values(query_string: str) -> dict[str, str]:
    """An event's `query`: yarl reads it on both paths, so `+`, `%xx` and repeats agree."""
    if not query_string:
        return {}
    query = URL.build(path="/", query_string=query_string, encoded=True).query
    return {clean_text(k): clean_text(v) for k, v in query.items()}


def header_values(headers: Headers | Mapping[str, str],
                  hidden: frozenset[str]) -> dict[str, str]:
    """An event's `headers`: names in lower case, text SQLite can store, the values of
    the `hidden` ones (credentials, see bellhop.core.inbox.credentials) replaced by HIDDEN."""
    if isinstance(headers, LowerHeaders):  # the fast path's: lower-case ASCII already
        values = dict(headers)  # a plain dict, as on aiohttp's path and after a restart
    else:
        values = {clean_text(k.lower()): clean_text(v) for k, v in headers.items()}
    if not values.keys().isdisjoint(hidden):  # the usual delivery: this one test, no call
        hide_credentials(values, hidden)
    return values


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
