"""Small widgets the Rules page is built from: an on/off switch, a status dot, elided text."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QSizePolicy, QWidget

from bellhop.ui.theme import ACCENT, BAD, OK, WARN

DOT_COLOURS = {"ok": OK, "failed": BAD, "unavailable": WARN, "off": "#a0a5b0",
               "new": "#a0a5b0"}


class ToggleSwitch(QAbstractButton):
    """A small on/off switch (a checkable button drawn as a pill)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:
        return QSize(36, 20)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(1, 1, self.width() - 2, self.height() - 2)
        on = self.isChecked()
        track = QColor(ACCENT if on else "#c3c7cf")
        if not self.isEnabled():
            track.setAlpha(110)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        knob = rect.height() - 4
        x = rect.right() - knob - 2 if on else rect.left() + 2
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(QRectF(x, rect.top() + 2, knob, knob))
        if self.hasFocus():
            painter.setPen(QColor(ACCENT))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5), rect.height() / 2,
                                    rect.height() / 2)


class StatusDot(QWidget):
    """A coloured dot: ok, failed, unavailable, off; the reason is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = "new"
        self.setFixedSize(12, 12)

    def set_state(self, state: str, reason: str = "") -> None:
        """Show `state` (a key of DOT_COLOURS) with `reason` as the tooltip."""
        self.state = state
        self.setToolTip(reason)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(DOT_COLOURS.get(self.state, "#a0a5b0")))
        painter.drawEllipse(QRectF(1, 1, 10, 10))


class ElidedLabel(QLabel):
    """A one-line label that ends in … when the text does not fit; the full text is the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        """Change the text (shown elided to the label's width)."""
        self._full = " ".join(text.split())
        self.setToolTip(text if len(text) > 40 else "")
        self._elide()

    def full_text(self) -> str:
        """The text before eliding."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = QFontMetrics(self.font())
        width = max(self.width(), 40)
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, width))


def state_colour(state: str) -> str:
    """The colour of a card state's text: ok, warned (done, worth a look), failed, problem,
    skipped."""
    return {"ok": OK, "warned": WARN, "failed": BAD, "problem": WARN}.get(state, "#7a808c")
