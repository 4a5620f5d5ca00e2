"""'Technical details': a step's data as JSON, folded away until a person asks for it.

Results lead with a sentence ("Sent to warehouse@example.com: Order #1042"); the JSON a
card gave and was given stays one click away, for whoever helps them.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QTabWidget, QToolButton, QVBoxLayout, QWidget

from bellhop.core.i18n import _


def pretty(value: Any) -> str:
    """Data as indented JSON with Chinese shown as is (text stays text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, indent=2, default=str)
    except (TypeError, ValueError):
        return str(value)


class TechnicalDetails(QWidget):
    """A fold-out section: a toggle, then one tab of JSON per part ('What came out', …)."""

    toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(text=_("Technical details"))
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolTip(_("The data this step gave and was given, as JSON"))
        self.tabs = QTabWidget()
        self.tabs.hide()
        self.toggle.toggled.connect(self._show)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.tabs, 1)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def _show(self, on: bool) -> None:
        self.tabs.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.toggled.emit(on)

    def show_data(self, parts: list[tuple[str, Any]]) -> None:
        """Show these (title, data) parts; the ones without data are left out, and the whole
        section when none has any. Open or folded stays as the person left it."""
        kept = self.tabs.currentIndex()
        self.tabs.clear()
        for title, value in parts:
            if value is None:
                continue
            view = QPlainTextEdit(pretty(value), readOnly=True)
            view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            self.tabs.addTab(view, title)
        self.tabs.setCurrentIndex(max(0, min(kept, self.tabs.count() - 1)))
        self.setVisible(self.tabs.count() > 0)

    def text(self) -> str:
        """Everything the section holds, as plain text (for tests and copying)."""
        return "\n".join(self.tabs.widget(i).toPlainText()  # type: ignore[attr-defined]
                         for i in range(self.tabs.count()))
