"""Email headers parsed once: the policy the 'Send email' card builds its messages with.

Python's email package parses every header it is given into a header object, and its
header registry makes a new class for each one as it goes. A burst of orders sends the
same From, To, Date (to the second) and MIME headers again and again, so building a
message cost about 0.6 ms, more than sending it. `POLICY` is the standard policy
(`email.policy.default`) with a registry that makes each header class once and keeps
the header objects of values that repeat, keyed by name and exact text: the message
and its bytes are the same as the standard policy makes; only the work is not redone.
Header objects are immutable (a changed header is a new object), so sharing them between
messages is safe.
"""

from __future__ import annotations

import email.policy
from email.headerregistry import BaseHeader, HeaderRegistry
from functools import lru_cache
from typing import Any

# Headers whose text repeats from message to message (the sender, the recipients, the
# date to the second, the MIME headers); Subject and Message-ID differ each time.
REPEATING = frozenset({
    "from", "to", "cc", "reply-to", "date", "auto-submitted", "mime-version",
    "content-type", "content-transfer-encoding",
})
KEPT = 256  # header objects kept, the least recently used going first


class _ReusingRegistry(HeaderRegistry):
    """The standard header registry, making each header class once and keeping parsed
    headers whose text repeats."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}
        self._parse_repeating = lru_cache(maxsize=KEPT)(self._parse)

    def __getitem__(self, name: str) -> Any:
        key = name.lower()
        found = self._classes.get(key)
        if found is None:  # a race between threads makes two equal classes: harmless
            found = self._classes[key] = super().__getitem__(name)
        return found

    def __call__(self, name: str, value: Any) -> Any:
        if isinstance(value, str) and name.lower() in REPEATING:
            return self._parse_repeating(name, value)
        return self._parse(name, value)

    def _parse(self, name: str, value: Any) -> Any:
        return self[name](name, value)


POLICY = email.policy.default.clone(header_factory=_ReusingRegistry())
