"""Errors that carry a message a person can read and act on."""

from __future__ import annotations


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
