"""Errors that carry a message a person can read and act on."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any

# What fixes an error: a kind and its target, for the button the window offers beside the
# message. The engine stores it with the step run (events.db, as a JSON list); the window
# maps each kind to a translated button and an action (ui/fixes.py). Kinds:
#   ("open_account", name)            the Accounts page on that account
#   ("sign_in_google", name)          the same, at "Sign in with Google"
#   ("edit_card", step_index, field)  the rule's card in the builder (step 0: the trigger),
#                                     the field focused when named; a card may leave the
#                                     step index None: the engine fills in its own
#   ("connect_tunnel",)               the tunnel's settings
Fix = tuple[Any, ...]
FIX_KINDS = ("open_account", "sign_in_google", "edit_card", "connect_tunnel")


def open_account(name: str) -> Fix:
    """Fix: look at (or add) the account called `name`."""
    return ("open_account", name)


def sign_in_google(name: str) -> Fix:
    """Fix: sign in to Google again for the account called `name`."""
    return ("sign_in_google", name)


def edit_card(field: str | None = None, step: int | None = None) -> Fix:
    """Fix: change this card (its `field` when named); `step` None means the failing one."""
    return ("edit_card", step, field)


def connect_tunnel() -> Fix:
    """Fix: turn on the tunnel, so services on the internet can reach this computer."""
    return ("connect_tunnel",)


def fix_from_json(value: Any) -> Fix | None:
    """A fix as read back from events.db (a JSON list); None for anything not a fix."""
    if isinstance(value, list | tuple) and value and value[0] in FIX_KINDS:
        return tuple(value)
    return None


class BellhopError(Exception):
    """Base for errors whose text is shown to the user as it is; `fix` says what fixes
    it, when the person can (see Fix)."""

    def __init__(self, message: str, *, fix: Fix | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return self.message


class StepError(BellhopError):
    """A step could not do its errand. `transient` means trying again may work."""

    transient = False

    def __init__(self, message: str, *, retry_after: float | None = None,
                 fix: Fix | None = None) -> None:
        super().__init__(message, fix=fix)
        self.retry_after = retry_after


class PermanentError(StepError):
    """Trying again will not help until the user changes something."""

    transient = False


class TransientError(StepError):
    """A passing problem (network, busy server): the engine tries again later."""

    transient = True


class ConfigError(BellhopError):
    """A file or setting the user controls is not usable."""


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None
