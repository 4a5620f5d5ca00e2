"""Credentials a sender sends (passwords, tokens, cookies, signatures) stay out of events.

An event's headers are stored (events.db and its WAL), shown (Activity, 'Copy as
curl') and read by templates. The value of every header that carries a credential
is replaced by HIDDEN before the event is made; its name is kept, so a person can
still see that the sender sent one. The checks that need the real value (signature,
delivery id) read the request itself, before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bellhop.core.inbox.fastpath import LowerHeaders
from bellhop.core.inbox.verify import credential_headers
from bellhop.core.storage.records import clean_text

if TYPE_CHECKING:
    from bellhop.core.running.rules import VerifyConfig

HIDDEN = "(hidden)"  # what an event holds instead of a credential (migration 4 writes it too)
# Credentials whatever the rule: HTTP's own authentication and cookies (lower case).
ALWAYS_HIDDEN = frozenset(("authorization", "proxy-authorization", "cookie", "set-cookie"))


# Per (scheme, rule's header): a rule's set is made once, not at every delivery.
_per_scheme: dict[tuple[str, str], frozenset[str]] = {}


def header_values(headers: Mapping[str, str], verify: VerifyConfig | None) -> dict[str, str]:
    """An event's `headers`: names in lower case, text SQLite can store, and the value of
    each credential (whatever the rule, and the rule's `verify` header) replaced by HIDDEN."""
    if isinstance(headers, LowerHeaders):  # the fast path's: lower-case ASCII already
        values = dict(headers)  # a plain dict, as on aiohttp's path and after a restart
    else:
        values = {clean_text(k.lower()): clean_text(v) for k, v in headers.items()}
    hidden = hidden_headers(verify)
    if not values.keys().isdisjoint(hidden):  # the usual delivery: this one test, no call
        for name in hidden.intersection(values):
            values[name] = HIDDEN
    return values


def hidden_headers(verify: VerifyConfig | None) -> frozenset[str]:
    """Lower-case names of the headers whose values a rule's events never keep."""
    if verify is None:
        return ALWAYS_HIDDEN
    key = (verify.scheme, verify.header)
    names = _per_scheme.get(key)
    if names is None:
        names = ALWAYS_HIDDEN.union(name.lower() for name in credential_headers(verify))
        if len(_per_scheme) < 1024:  # header names come from rules.json: few, but bounded
            _per_scheme[key] = names
    return names
