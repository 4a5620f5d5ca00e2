"""Plain words for the Accounts page: coloured status lines and errors without tracebacks."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.ui.theme import BAD, OK


def say(label: QLabel, text: str, good: bool | None = None) -> None:
    """Show `text` in green (good), red (not good) or the normal colour (None)."""
    colour = "" if good is None else (OK if good else BAD)
    label.setStyleSheet(f"color: {colour};" if colour else "")
    label.setText(text)


def plain_message(error: BaseException) -> str:
    """What went wrong, in the words the engine gave, never a traceback."""
    if isinstance(error, BellhopError):
        return error.message
    reason = error.strerror if isinstance(error, OSError) and error.strerror else \
        type(error).__name__
    return _("Bellhop could not do that ({reason}). Try again; if it keeps happening, restart "
             "Bellhop.").format(
        reason=reason)
