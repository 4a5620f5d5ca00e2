"""Whether people read Bellhop's messages in the window or in a console (`bellhop serve`).

A message that tells what to do next names a button in the window ("press Retry")
and a command in a console ("bellhop serve --tunnel ngrok"). The core writes both
and `worded` picks the one for where it will be read, so the core never needs to
know about the window. `bellhop serve` turns console wording on for its whole run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

_headless = False


def headless() -> bool:
    """True while messages are read in a console, with no window to press anything in."""
    return _headless


def set_headless(value: bool) -> None:
    """Word the messages made from now on for a console (True) or the window (False)."""
    global _headless
    _headless = value


@contextlib.contextmanager
def headless_wording() -> Iterator[None]:
    """Console wording for the time of the `with` block, then as it was."""
    before = _headless
    set_headless(True)
    try:
        yield
    finally:
        set_headless(before)


def worded(window: str, console: str) -> str:
    """`console` in a console, `window` otherwise (both already translated)."""
    return console if _headless else window
