"""What text may stand in one header line, of an email or of an HTTP request.

One rule for every card that builds headers from a template or a saved value:
* no line break of any kind: every character `str.splitlines()` ends a line at. Python's
  email package refuses them all, and a service that reads a header as text may split
  at them, so they are refused alike in email and HTTP headers;
* no other control character (NUL, ESC, DEL, ...): RFC 5322 and RFC 9110 allow none in
  a header, and aiohttp refuses to send them;
* TAB is allowed: it is white space inside a header in both. Other characters, Chinese
  included, are allowed: email encodes them (RFC 2047), HTTP sends them as UTF-8.
"""

from __future__ import annotations

LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x20), 0x7F])) - LINE_BREAKS - {"\t"}
_UNFIT = LINE_BREAKS | CONTROL_CHARACTERS


def breaks_header_line(text: str) -> bool:
    """True if `text` holds a line break of any kind, so it cannot stay one header line."""
    return not LINE_BREAKS.isdisjoint(text)


def unfit_for_header(text: str) -> bool:
    """True if `text` holds a line break or another control character (TAB is fine)."""
    return not _UNFIT.isdisjoint(text)
