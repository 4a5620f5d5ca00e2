"""Editors of card fields that take event data: text with fields shown as chips."""

from __future__ import annotations

from typing import Any

from bellhop.ui.rules.chip_edit import ChipTextEdit
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.editors import FieldEditor


class TemplateLineEditor(FieldEditor):
    """One line of template text, such as an email's subject."""

    takes_text = True
    single_line = True

    def __init__(self, context: BuilderContext, placeholder: str = "") -> None:
        super().__init__()
        self.edit = ChipTextEdit(context, self.single_line, placeholder)
        self.edit.textEdited.connect(lambda _text: self.changed.emit())
        self._row(self.edit)
        self.setFocusProxy(self.edit)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def insert_text(self, text: str) -> None:
        self.edit.insert(text)
        self.edit.setFocus()


class TemplateTextEditor(TemplateLineEditor):
    """Several lines of template text, such as an email's message."""

    single_line = False
