"""How a run's status looks: a coloured dot and a word a shop owner understands."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from bellhop.ui import theme

COLOURS = {
    "succeeded": theme.OK, "failed": theme.BAD, "skipped": "#8a8f98",
    "running": theme.ACCENT, "waiting": theme.WARN, "new": "#7c6fd6",
    "pending": "#b3b7bf",
}


# Marked for lupdate; translated when shown.
_WORDS = {
    "succeeded": QT_TRANSLATE_NOOP("ActivityStatus", "Done"),
    "failed": QT_TRANSLATE_NOOP("ActivityStatus", "Failed"),
    "skipped": QT_TRANSLATE_NOOP("ActivityStatus", "Skipped"),
    "running": QT_TRANSLATE_NOOP("ActivityStatus", "Running"),
    "waiting": QT_TRANSLATE_NOOP("ActivityStatus", "Will try again"),
    "new": QT_TRANSLATE_NOOP("ActivityStatus", "Not run yet"),
    "pending": QT_TRANSLATE_NOOP("ActivityStatus", "Not reached"),
}
_HINTS = {
    "succeeded": QT_TRANSLATE_NOOP("ActivityStatus", "Every step went through."),
    "failed": QT_TRANSLATE_NOOP(
        "ActivityStatus", "A step could not be done. Select the event to see why."),
    "skipped": QT_TRANSLATE_NOOP(
        "ActivityStatus", "A filter step decided this delivery needs nothing done."),
    "running": QT_TRANSLATE_NOOP("ActivityStatus", "Bellhop is working on it now."),
    "waiting": QT_TRANSLATE_NOOP(
        "ActivityStatus", "A step hit a passing problem; Bellhop tries again by itself soon."),
    "new": QT_TRANSLATE_NOOP(
        "ActivityStatus", "Received while Bellhop was paused; it runs when you resume."),
    "pending": QT_TRANSLATE_NOOP("ActivityStatus", "This step was not reached."),
}


def status_word(status: str) -> str:
    """'failed' → 'Failed' in the window's language."""
    return QCoreApplication.translate("ActivityStatus", _WORDS.get(status, status))


def status_hint(status: str) -> str:
    """One sentence saying what a status means."""
    return QCoreApplication.translate("ActivityStatus", _HINTS.get(status, ""))


def filter_choices() -> list[tuple[str, str | None]]:
    """(label, status) pairs for the status filter, 'All results' first."""
    every = QCoreApplication.translate("ActivityStatus", "All results")
    return [(every, None)] + [(status_word(s), s) for s in
                              ("failed", "waiting", "running", "succeeded", "skipped", "new")]


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
