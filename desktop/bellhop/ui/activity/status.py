"""How a run's status looks: a coloured dot and a word a shop owner understands."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from bellhop.core.i18n import N_, _
from bellhop.core.running.runwords import status_word
from bellhop.ui import theme

COLOURS = {
    "succeeded": theme.OK, "failed": theme.BAD, "skipped": "#8a8f98",
    "running": theme.ACCENT, "waiting": theme.WARN, "new": "#7c6fd6",
    "pending": "#b3b7bf", "stopped": "#8a8f98", "sample": "#4f8fa8", "refused": "#b3541e",
}


# Marked for the catalogue with N_(); translated when shown.
_HINTS = {
    "succeeded": N_("Every step went through."),
    "failed": N_("A step could not be done. Select the event to see why."),
    "skipped": N_("A filter step decided this delivery needs nothing done."),
    "running": N_("Bellhop is working on it now."),
    "waiting": N_("A step hit a passing problem; Bellhop tries again by itself soon."),
    "new": N_("Received while Bellhop was paused; it runs when you resume."),
    "pending": N_("This step was not reached."),
    "stopped": N_("You stopped Bellhop from trying this step again; it was not done."),
    "sample": N_("Kept as a rule's sample event (Listen for a test event): it does not "
                 "run by itself."),
    "refused": N_("Bellhop turned this delivery away: nothing was stored or run. The reason "
                  "says what to fix."),
}


def status_hint(status: str) -> str:
    """One sentence saying what a status means."""
    return _(_HINTS.get(status, ""))


def filter_choices() -> list[tuple[str, str | None]]:
    """(label, status) pairs for the status filter, 'All results' first."""
    every = _("All results")
    return [(every, None)] + [(status_word(s), s) for s in
                              ("failed", "waiting", "running", "succeeded", "skipped", "new",
                               "refused")]


def colour(status: str) -> QColor:
    """The dot colour of a status."""
    return QColor(COLOURS.get(status, "#8a8f98"))


@cache
def dot(status: str, size: int = 12) -> QIcon:
    """A round coloured dot for a status (made once per status)."""
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour(status))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return QIcon(pixmap)
