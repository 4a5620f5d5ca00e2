"""What a request brings besides its body: its query and headers (credentials hidden)."""

from __future__ import annotations

from collections.abc import Mapping

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bellhop.core.inbox.credentials import hide_credentials
from bellhop.core.inbox.fastpath import LowerHeaders
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
