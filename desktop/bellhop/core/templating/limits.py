"""The limits of filling in one template, and the account kept against them.

A template is data a person wrote, and a rule copied from elsewhere may be
written to hurt. Every operation that can make a large text, list or number
first estimates what it will allocate (`template_prices`) and `charge`s it:
one value may not pass `MAX_VALUE`, all of one filling-in may not pass
`MAX_WORK`, and a number may not pass `MAX_INT_DIGITS`. Sizes are counted in
characters; a list slot counts `ITEM`. `render_watchdog` keeps the time limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeVar

from jinja2.utils import Namespace

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.templating.watchdog import current

T = TypeVar("T")

RENDER_SECONDS = 0.5  # one filling-in of one template
MAX_VALUE = 2_000_000  # characters in one text (a list slot counts ITEM)
MAX_WORK = 20_000_000  # characters made in all by one filling-in
MAX_INT_DIGITS = 4_300  # as Python's own int-to-text limit
MAX_INT_BITS = int(MAX_INT_DIGITS / math.log10(2))
MAX_BULK = 10_000  # entries of a table built in one step (dict(...), update, fromkeys)
ITEM = 8  # a list slot, in characters


class LimitBroken(BellhopError):
    """A template would go past a size limit; the message says which, in plain words."""


def too_big() -> LimitBroken:
    """The error for one text or list past `MAX_VALUE`."""
    return LimitBroken(_("This template would make a text or list too big to handle (over {limit} "
                         "characters). Check the numbers it repeats, pads or widens by.").format(
        limit=f"{MAX_VALUE:,}"))


def too_long_number() -> LimitBroken:
    """The error for a number past `MAX_INT_DIGITS`."""
    return LimitBroken(_("This template would make a number too long to handle (over {limit} "
                         "digits).").format(
        limit=f"{MAX_INT_DIGITS:,}"))


def charge(units: int) -> None:
    """Account for `units` characters about to be made; LimitBroken if a limit would pass.

    The total counts while a template is filled in (a watched call of `run_with_deadline`)."""
    if units > MAX_VALUE:
        raise too_big()
    slot = getattr(current, "slot", None)
    if slot is not None and slot.active:
        slot.work += units
        if slot.work > MAX_WORK:
            raise LimitBroken(_("This template makes too much text in all while it is filled in "
                                "(over {limit} characters). Look for loops that add to a text or "
                                "list many times.").format(
                limit=f"{MAX_WORK:,}"))


def checked_result(value: T) -> T:
    """`value` if its length is within `MAX_VALUE` (for work that could only be measured after)."""
    if isinstance(value, (str, bytes, list, tuple, dict)) and len(value) > MAX_VALUE:
        raise too_big()
    return value


# -- sizes -------------------------------------------------------------------------------

def int_digits(value: int) -> int:
    """About how many digits `value` has (never fewer)."""
    return int(value.bit_length() * 0.30103) + 2


def text_size(value: Any, limit: int = MAX_VALUE) -> int:
    """About how long `str(value)` would be; counting stops soon after `limit`."""
    if isinstance(value, str):
        return len(value)
    if type(value) is int:
        return int_digits(value)
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += 2 * len(item) + 3  # quoted and escaped inside a list or dict
        elif isinstance(item, bool | float | None):
            total += 24
        elif isinstance(item, int):
            total += int_digits(item)
        elif isinstance(item, range):
            total += 10 * len(item)
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset | _VIEWS):
            total += 2 + 2 * len(item)
            if total <= limit:
                stack.extend(item)
        elif isinstance(item, Namespace):
            stack.append(item._Namespace__attrs)  # its text shows them
        else:
            total += 64  # the text of other things names their kind
    return total


_VIEWS = type({}.keys()) | type({}.values()) | type({}.items())


def item_count(value: Any) -> int:
    """How many items `value` has (0 when it cannot tell: the work that follows says why)."""
    try:
        return len(value)
    except Exception:  # an undefined field, a stream
        return 0


def as_int(value: Any, default: int = 0) -> int:
    """`value` when it is a whole number, else `default` (the operation then says what is wrong)."""
    return value if isinstance(value, int) else default
