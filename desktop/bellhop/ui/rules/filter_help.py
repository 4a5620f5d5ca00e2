"""'Formatting help' under a card's form: the template filters, each with an example."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from bellhop.core.i18n import _
from bellhop.core.templating.formatters import FILTER_HELP


def help_html() -> str:
    """The examples as a small table: what for, the template, what it gives."""
    rows = "".join(
        f"<tr><td colspan='2'><b>{escape(example.purpose())}</b></td></tr>"
        f"<tr><td><code>{escape(example.template, quote=False)}</code></td>"
        f"<td>→ {escape(example.result)}</td></tr>"
        for example in FILTER_HELP)
    return f"<table cellspacing='2'>{rows}</table>"


class FilterHelpBox(QWidget):
    """A fold-out list of formatting examples for templated fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(text=_("Formatting help: dates, money, text, lists"))
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        intro = _("Put a filter after a field with | to change how it looks. "
                  "Examples for a Shopify order:")
        self.text = QLabel(f"<p>{escape(intro)}</p>{help_html()}")
        self.text.setObjectName("Hint")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.hide()
        self.toggle.toggled.connect(self._show)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.text)

    def _show(self, on: bool) -> None:
        self.text.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
