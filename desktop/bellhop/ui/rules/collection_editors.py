"""Editors of several values: name → template pairs (columns, headers) and rows of conditions."""

from __future__ import annotations

import typing
from typing import Any, Literal

from pydantic import BaseModel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.ui.resources import icon
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.editors import (
    ChoiceEditor,
    FieldEditor,
    LineEditor,
    PickerButton,
    ValueEditor,
)
from bellhop.ui.rules.field_choice import FieldChoiceEditor
from bellhop.ui.rules.field_picker import TemplatePreviewLabel, template_expression
from bellhop.ui.rules.labels import NO_VALUE_OPS, field_label
from bellhop.ui.rules.template_editors import TemplateLineEditor


def _remove_button(tip: str) -> QToolButton:
    button = QToolButton()
    button.setIcon(icon("trash"))
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setAutoRaise(True)
    return button


class PairsEditor(FieldEditor):
    """An editable two-column table: a name (column header, HTTP header) → a template."""

    def __init__(self, key_title: str, value_title: str, add_text: str, template: bool,
                 context: BuilderContext) -> None:
        super().__init__()
        self.context, self.template = context, template
        self.titles = (key_title, value_title)
        self.rows: list[tuple[LineEditor, FieldEditor, TemplatePreviewLabel, list[QWidget]]] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 3)
        for column, title in enumerate((key_title, value_title)):
            header = QLabel(title)
            header.setObjectName("Hint")
            self.grid.addWidget(header, 0, column)
        self.add_button = QPushButton(icon("plus"), add_text)
        self.add_button.clicked.connect(lambda: self.add_row("", "", focus=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def add_row(self, key: str, value: str, focus: bool = False) -> None:
        """Add one pair at the end."""
        row = 1 + 2 * len(self.rows)
        name = LineEditor()
        text: FieldEditor = TemplateLineEditor(self.context) if self.template else LineEditor()
        for editor, title in zip((name, text), self.titles, strict=True):
            editor.set_accessible_label(_("{what}, row {n}").format(
                what=title, n=len(self.rows) + 1))
        name.set_value(key)
        text.set_value(value)
        preview = TemplatePreviewLabel(self.context)
        preview.show_for(value)
        remove = _remove_button(_("Remove this row"))
        extras: list[QWidget] = [remove]
        name.changed.connect(self.changed)
        text.changed.connect(self.changed)
        text.changed.connect(lambda: preview.show_for(text.value()))
        self.grid.addWidget(name, row, 0)
        self.grid.addWidget(text, row, 1)
        if self.template:
            picker = PickerButton(self.context, lambda path: text.insert_text(
                template_expression(path)), compact=True)
            self.grid.addWidget(picker, row, 2)
            extras.append(picker)
        self.grid.addWidget(remove, row, 3)
        self.grid.addWidget(preview, row + 1, 1, 1, 3)
        entry = (name, text, preview, extras)
        remove.clicked.connect(lambda: self._remove(entry))
        self.rows.append(entry)
        if focus:
            name.setFocus()

    def _remove(self, entry: tuple[LineEditor, FieldEditor, TemplatePreviewLabel,
                                   list[QWidget]]) -> None:
        name = entry[0]
        pairs = [(n.value(), t.value()) for n, t, _, _ in self.rows if n is not name]
        self.set_value(dict(pairs))
        self.changed.emit()

    def value(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for name, text, __, __ in self.rows:
            if name.value().strip() or text.value().strip():
                pairs[name.value()] = text.value()
        return pairs

    def set_value(self, value: Any) -> None:
        for name, text, preview, extras in self.rows:
            for widget in (name, text, preview, *extras):
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = []
        pairs = value if isinstance(value, dict) else {}
        for key, text in pairs.items():
            self.add_row(str(key), "" if text is None else str(text))
        if not pairs:
            self.add_row("", "")


def _item_editor(name: str, annotation: Any, context: BuilderContext) -> FieldEditor:
    """A compact editor for one field of a row."""
    if typing.get_origin(annotation) is Literal:
        return ChoiceEditor(typing.get_args(annotation))
    if name == "field":  # a path into the event, chosen by its name: "Order total"
        return FieldChoiceEditor(context)
    if annotation is str:
        return LineEditor()
    return ValueEditor(_("e.g. 1000"))


class RowsEditor(FieldEditor):
    """A list of small records, one row each (the filter's field / test / value)."""

    def __init__(self, item_model: type[BaseModel], add_text: str,
                 context: BuilderContext) -> None:
        super().__init__()
        self.item_model, self.context = item_model, context
        self.rows: list[tuple[QFrame, dict[str, FieldEditor]]] = []
        self.box = QVBoxLayout()
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(4)
        self.add_button = QPushButton(icon("plus"), add_text)
        self.add_button.clicked.connect(self._add_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.box)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _add_clicked(self) -> None:
        self.add_row({})
        self.changed.emit()

    def add_row(self, item: dict[str, Any]) -> None:
        """Add a row showing `item`."""
        holder = QFrame()
        holder.setObjectName("RowBox")
        holder.setStyleSheet("QFrame#RowBox { border: 1px solid palette(mid); border-radius: 6px;"
                             " }")
        grid = QGridLayout(holder)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setSpacing(4)
        editors: dict[str, FieldEditor] = {}
        fields = list(self.item_model.model_fields.items())
        two_lines = len(fields) > 2  # the first field alone on top: it is the widest
        for position, (name, info) in enumerate(fields):
            editor = _item_editor(name, info.annotation, self.context)
            default = None if info.is_required() else info.get_default(
                call_default_factory=True)
            editor.set_value(item.get(name, default))
            editor.setToolTip(field_label(name, info))
            editor.set_accessible_label(field_label(name, info))
            editor.changed.connect(self.changed)
            if two_lines and position == 0:
                grid.addWidget(editor, 0, 0, 1, len(fields) - 1)
            else:
                line, column = (1, position - 1) if two_lines else (0, position)
                grid.addWidget(editor, line, column)
                grid.setColumnStretch(column, 1)
            editors[name] = editor
        remove = _remove_button(_("Remove this row"))
        grid.addWidget(remove, 0, len(fields))
        entry = (holder, editors)
        remove.clicked.connect(lambda: self._remove(entry))
        if "op" in editors and "value" in editors:
            op, value = editors["op"], editors["value"]
            op.changed.connect(lambda: value.setVisible(op.value() not in NO_VALUE_OPS))
            value.setVisible(op.value() not in NO_VALUE_OPS)
        self.box.addWidget(holder)
        self.rows.append(entry)

    def _remove(self, entry: tuple[QFrame, dict[str, FieldEditor]]) -> None:
        self.rows.remove(entry)
        self.box.removeWidget(entry[0])
        entry[0].deleteLater()
        self.changed.emit()

    def value(self) -> list[dict[str, Any]]:
        items = []
        for __, editors in self.rows:
            item = {name: editor.value() for name, editor in editors.items()}
            if item.get("op") in NO_VALUE_OPS:
                item.pop("value", None)
            items.append(item)
        return items

    def set_value(self, value: Any) -> None:
        for holder, __ in self.rows:
            self.box.removeWidget(holder)
            holder.deleteLater()
        self.rows = []
        for item in value if isinstance(value, list) else []:
            self.add_row(item if isinstance(item, dict) else {})
