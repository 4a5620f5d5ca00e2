"""Pop-ups that stay on the screen: below what opened them, above it when there is no room."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def screen_area(widget: QWidget) -> QRect:
    """The part of the widget's screen windows may use (without panels and docks)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def place_below(anchor: QRect, size: QSize, area: QRect) -> QRect:
    """Where a pop-up of `size` goes for `anchor` (global): below it, or above when the
    bottom of `area` is too near; moved left when it would pass the right edge; never
    larger than `area`."""
    width, height = min(size.width(), area.width()), min(size.height(), area.height())
    x = min(anchor.left(), area.right() + 1 - width)
    y = anchor.bottom() + 1
    if y + height > area.bottom() + 1:
        above = anchor.top() - height
        y = above if above >= area.top() else area.bottom() + 1 - height
    return QRect(max(x, area.left()), max(y, area.top()), width, height)
