"""Errors that carry a message a person can read and act on."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime


class BellhopError(Exception):
    """Base for errors whose text is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StepError(BellhopError):
    """A step could not do its errand. `transient` means trying again may work."""

    transient = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
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
