"""A card's settings form, generated from its pydantic config schema (no hand-made forms)."""

from __future__ import annotations

import inspect
import types
import typing
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from bellhop.core.i18n import _
from bellhop.ui.rules.collection_editors import PairsEditor, RowsEditor
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.editors import (
    AccountEditor,
    BoolEditor,
    ChoiceEditor,
    FieldEditor,
    FileEditor,
    JsonEditor,
    LineEditor,
    MultilineEditor,
    NumberEditor,
    PickerButton,
)
from bellhop.ui.rules.field_picker import TemplatePreviewLabel, template_expression
from bellhop.ui.rules.labels import field_help, field_label, takes_template, widget_hint
from bellhop.ui.rules.problems import field_problems
from bellhop.ui.rules.secret_editor import SecretEditor
from bellhop.ui.rules.template_editors import TemplateLineEditor, TemplateTextEditor
from bellhop.ui.theme import BAD

HIDDEN = ("type",)
MORE = ("name", "retry")  # settings every card has: under "More settings"


def _unwrap(annotation: Any) -> Any:
    """`X | None` → X."""
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    low = high = None
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            low = item.ge
        elif isinstance(item, annotated_types.Gt):
            low = item.gt
        elif isinstance(item, annotated_types.Le):
            high = item.le
        elif isinstance(item, annotated_types.Lt):
            high = item.lt
    return low, high


def make_editor(name: str, info: FieldInfo, context: BuilderContext) -> FieldEditor:
    """The editor a field's type and widget hint ask for."""
    annotation = _unwrap(info.annotation)
    origin = typing.get_origin(annotation)
    hint = widget_hint(info)
    template = takes_template(info)
    if hint.startswith("account:"):
        return AccountEditor(hint.split(":", 1)[1], context)
    if hint == "secret":
        return SecretEditor(context)
    if origin is Literal:
        return ChoiceEditor(typing.get_args(annotation))
    if annotation is bool:
        return BoolEditor(field_label(name, info))
    if annotation in (int, float):
        low, high = _bounds(info)
        return NumberEditor(annotation is float, low, high)
    if origin is dict:
        if hint == "columns":
            return PairsEditor(_("Column header"), _("Value"),
                               _("Add a column"), template, context)
        return PairsEditor(_("Name"), _("Value"),
                           _("Add a row"), template, context)
    if origin is list:
        item = typing.get_args(annotation)[0] if typing.get_args(annotation) else None
        if inspect.isclass(item) and issubclass(item, BaseModel):
            add = _("Add a condition") if "op" in item.model_fields else \
                _("Add a row")
            return RowsEditor(item, add, context)
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return ModelEditor(annotation, context)
    if annotation is str:
        if hint == "multiline":
            return TemplateTextEditor(context) if template else MultilineEditor()
        if hint == "file":
            return FileEditor()
        return TemplateLineEditor(context) if template else LineEditor()
    return JsonEditor()


class FieldRow(QWidget):
    """A field's label, editor, field picker, live preview, help and problem."""

    def __init__(self, name: str, info: FieldInfo, context: BuilderContext) -> None:
        super().__init__()
        self.name = name
        self.editor = make_editor(name, info, context)
        self.label = QLabel(field_label(name, info))
        self.label.setStyleSheet("font-weight: 600;")
        self.label.setBuddy(self.editor)
        self.editor.set_accessible_label(self.label.text())
        self.picker: PickerButton | None = None
        self.preview: TemplatePreviewLabel | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(3)
        is_bool = isinstance(self.editor, BoolEditor)
        if not is_bool:
            layout.addWidget(self.label)
        line = QHBoxLayout()
        line.setSpacing(4)
        line.addWidget(self.editor, 1)
        if takes_template(info) and self.editor.takes_text:
            self.picker = PickerButton(context, self._insert_field)
            line.addWidget(self.picker, 0, Qt.AlignmentFlag.AlignTop)
            self.preview = TemplatePreviewLabel(context)
            self.editor.changed.connect(lambda: self.preview.show_for(str(self.editor.value())))
        layout.addLayout(line)
        if self.preview is not None:
            layout.addWidget(self.preview)
            self.preview.hide()
        help_text = field_help(info)
        if help_text:
            help_label = QLabel(help_text)
            help_label.setObjectName("Hint")
            help_label.setWordWrap(True)
            layout.addWidget(help_label)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {BAD};")
        self.problem.hide()
        layout.addWidget(self.problem)

    def _insert_field(self, path: str) -> None:
        self.editor.insert_text(template_expression(path))

    def set_value(self, value: Any) -> None:
        """Show a value without firing `changed`."""
        self.editor.blockSignals(True)
        self.editor.set_value(value)
        self.editor.blockSignals(False)
        if self.preview is not None:
            self.preview.show_for(str(self.editor.value()))

    def set_problem(self, text: str) -> None:
        """Show what is wrong with this field ('' when nothing is)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


class SchemaForm(QWidget):
    """Rows for a model's fields; `edited` carries the whole edited dict."""

    edited = Signal(dict)

    def __init__(self, model: type[BaseModel], context: BuilderContext,
                 skip: tuple[str, ...] = HIDDEN, group_more: bool = False) -> None:
        super().__init__()
        self.model = model
        self.data: dict[str, Any] = {}
        self.rows: dict[str, FieldRow] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        more = QVBoxLayout()
        more_box = QFrame()
        more_box.setLayout(more)
        more.setContentsMargins(0, 0, 0, 0)
        for name, info in model.model_fields.items():
            if name in skip:
                continue
            row = FieldRow(name, info, context)
            row.editor.changed.connect(lambda name=name: self._changed(name))
            advanced = isinstance(info.json_schema_extra, dict) and bool(
                info.json_schema_extra.get("advanced"))
            (more if group_more and (name in MORE or advanced) else layout).addWidget(row)
            self.rows[name] = row
        if group_more and more.count():
            toggle = QToolButton(text=_("More settings"))
            toggle.setCheckable(True)
            toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            toggle.setArrowType(Qt.ArrowType.RightArrow)
            toggle.setAutoRaise(True)
            toggle.toggled.connect(more_box.setVisible)
            toggle.toggled.connect(lambda on: toggle.setArrowType(
                Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow))
            layout.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(more_box)
            more_box.hide()
            self.more_toggle = toggle

    def set_data(self, data: dict[str, Any]) -> None:
        """Show a dict (a step as in rules.json); missing fields show their defaults."""
        self.data = dict(data)
        for name, row in self.rows.items():
            info = self.model.model_fields[name]
            default = None if info.is_required() else info.get_default(
                call_default_factory=True)
            value = data.get(name, default)
            if isinstance(value, BaseModel):
                value = value.model_dump()
            row.set_value(value)
        self.show_problems()

    def editor(self, name: str) -> FieldEditor:
        """The editor of one field."""
        return self.rows[name].editor

    def _changed(self, name: str) -> None:
        self.data[name] = self.rows[name].editor.value()
        self.show_problems()
        self.edited.emit(dict(self.data))

    def show_problems(self) -> dict[str, str]:
        """Validate the dict with the model and show each field's problem beside it."""
        found = field_problems(self.model, self.data)
        for name, row in self.rows.items():
            row.set_problem(found.get(name, ""))
        return found


class ModelEditor(FieldEditor):
    """A group of settings that is itself a small model (a card's retry policy)."""

    def __init__(self, model: type[BaseModel], context: BuilderContext) -> None:
        super().__init__()
        self.form = SchemaForm(model, context, skip=())
        self.form.edited.connect(lambda _: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.form)

    def value(self) -> dict[str, Any]:
        return dict(self.form.data)

    def set_value(self, value: Any) -> None:
        self.form.set_data(value if isinstance(value, dict) else {})
