"""One editor per kind of config field: text, long text, file, choice, number, yes/no, account."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.ui.resources import icon
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.field_picker import FieldPickerPopup
from bellhop.ui.rules.labels import choice_label

_PLAIN_NUMBER = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d+)?$")


class FieldEditor(QWidget):
    """An editor of one config value; `changed` fires on every edit."""

    changed = Signal()
    takes_text = False  # True when a field picker can insert text at the cursor

    def value(self) -> Any:
        """The edited value as it goes into rules.json."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show `value` (without firing `changed`)."""
        raise NotImplementedError

    def insert_text(self, text: str) -> None:
        """Insert text at the cursor (templated text fields)."""

    def set_accessible_label(self, label: str) -> None:
        """Name the editor's control as its field's label, for screen readers."""
        (self.focusProxy() or self).setAccessibleName(label)

    def _row(self, *widgets: QWidget) -> QHBoxLayout:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in widgets:
            layout.addWidget(widget, 1 if isinstance(widget, QLineEdit | QComboBox) else 0)
        return layout


class LineEditor(FieldEditor):
    """One line of text."""

    takes_text = True

    def __init__(self, placeholder: str = "") -> None:
        super().__init__()
        self.edit = QLineEdit(placeholderText=placeholder)
        self.edit.textEdited.connect(lambda _: self.changed.emit())
        self._row(self.edit)
        self.setFocusProxy(self.edit)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))
        self.edit.setCursorPosition(0)  # the start of a long template says the most

    def insert_text(self, text: str) -> None:
        self.edit.insert(text)
        self.edit.setFocus()
        self.changed.emit()


class MultilineEditor(FieldEditor):
    """Several lines of text, such as an email's message."""

    takes_text = True

    def __init__(self) -> None:
        super().__init__()
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(96)
        self.edit.textChanged.connect(self._changed)
        self._quiet = False
        self._row(self.edit)
        self.setFocusProxy(self.edit)

    def _changed(self) -> None:
        if not self._quiet:
            self.changed.emit()

    def value(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self._quiet = True
        self.edit.setPlainText("" if value is None else str(value))
        self._quiet = False

    def insert_text(self, text: str) -> None:
        self.edit.insertPlainText(text)
        self.edit.setFocus()


class FileEditor(LineEditor):
    """A file path typed in, or chosen with Browse."""

    takes_text = False

    def __init__(self) -> None:
        super().__init__(_("e.g. ~/Documents/orders.xlsx"))
        browse = QToolButton()
        browse.setIcon(icon("folder"))
        browse.setToolTip(_("Choose a file"))
        browse.setAccessibleName(_("Choose a file"))
        browse.clicked.connect(self._browse)
        self.layout().addWidget(browse)

    def _browse(self) -> None:
        path, __ = QFileDialog.getSaveFileName(
            self, _("Spreadsheet file"), self.edit.text(),
            _("Spreadsheets (*.xlsx *.csv)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.edit.setText(path)
            self.changed.emit()


class ChoiceEditor(FieldEditor):
    """One of a fixed set of values, shown as words."""

    def __init__(self, choices: tuple[Any, ...]) -> None:
        super().__init__()
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        for choice in choices:
            self.combo.addItem(choice_label(choice), choice)
        self.combo.activated.connect(lambda _: self.changed.emit())
        self._row(self.combo)
        self.setFocusProxy(self.combo)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0 and value is not None:
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))


class NumberEditor(FieldEditor):
    """A whole number or a decimal number within the schema's bounds."""

    def __init__(self, decimals: bool, low: float | None, high: float | None) -> None:
        super().__init__()
        box: QSpinBox | QDoubleSpinBox = QDoubleSpinBox() if decimals else QSpinBox()
        if isinstance(box, QDoubleSpinBox):
            box.setDecimals(1)
            box.setRange(low if low is not None else -1e9, high if high is not None else 1e9)
        else:
            box.setRange(int(low) if low is not None else -(2**31),
                         int(high) if high is not None else 2**31 - 1)
        self.box = box
        box.valueChanged.connect(lambda _: self.changed.emit())
        self._row(box)
        self.layout().addStretch(1)
        self.setFocusProxy(box)

    def value(self) -> float | int:
        return self.box.value()

    def set_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        with contextlib.suppress(TypeError, ValueError):
            self.box.setValue(float(value) if isinstance(self.box, QDoubleSpinBox) else
                              int(value))
        self.box.blockSignals(False)


class BoolEditor(FieldEditor):
    """Yes or no."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.box = QCheckBox(text)
        self.box.toggled.connect(lambda _: self.changed.emit())
        self._row(self.box)
        self.setFocusProxy(self.box)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(bool(value))
        self.box.blockSignals(False)


class ValueEditor(LineEditor):
    """A free value: a plain number stays a number, anything else is text."""

    def value(self) -> Any:
        text = self.edit.text().strip()
        if _PLAIN_NUMBER.match(text):
            return float(text) if "." in text else int(text)
        return self.edit.text()


class JsonEditor(LineEditor):
    """A value of a kind the builder has no editor for, typed as JSON."""

    def value(self) -> Any:
        try:
            return json.loads(self.edit.text())
        except ValueError:
            return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText(json.dumps(value, ensure_ascii=False))


class AccountEditor(FieldEditor):
    """One of the person's accounts of a kind (e.g. their email accounts)."""

    def __init__(self, kind: str, context: BuilderContext) -> None:
        super().__init__()
        self.kind, self.context = kind, context
        self.combo = QComboBox()
        self.combo.activated.connect(lambda _: self.changed.emit())
        self.hint = QLabel()
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        self.hint.linkActivated.connect(self._open_accounts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.combo)
        self._value = ""
        context.accountsChanged.connect(self._fill)
        self._fill()

    def _fill(self) -> None:
        names = self.context.accounts_of_kind(self.kind)
        self.combo.clear()
        self.combo.addItem(_("Choose an account…"), "")
        for name in names:
            self.combo.addItem(name, name)
        if self._value and self._value not in names:
            self.combo.addItem(_("{name} (not found under Accounts)").format(
                name=self._value), self._value)
        self.combo.setCurrentIndex(max(self.combo.findData(self._value), 0))
        if names:
            text = _("Add or change accounts under <a href='accounts'>Accounts</a>.")
        elif self.kind == "smtp":
            text = _("You have no email account yet: add one under "
                     "<a href='accounts'>Accounts</a>.")
        else:
            text = _("You have no account of this kind yet: add one under "
                     "<a href='accounts'>Accounts</a>.")
        self.hint.setText(text)

    def _open_accounts(self, _link: str) -> None:
        show_page: Callable[[str], None] | None = getattr(self.window(), "show_page", None)
        if show_page is not None:
            show_page("accounts")

    def value(self) -> str:
        return str(self.combo.currentData() or "")

    def set_value(self, value: Any) -> None:
        self._value = str(value or "")
        self._fill()


class PickerButton(QToolButton):
    """'{ } Insert field': opens the sample's field tree and hands over the chosen path."""

    def __init__(self, context: BuilderContext, on_path: Callable[[str], None],
                 compact: bool = False) -> None:
        super().__init__()
        self.context, self.on_path = context, on_path
        self.setIcon(icon("braces"))
        self.setToolTip(_("Insert a field of the sample event"))
        self.setAccessibleName(_("Insert field"))
        if not compact:
            self.setText(_("Insert field"))
            self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.popup: FieldPickerPopup | None = None
        self.clicked.connect(self.open_picker)

    def open_picker(self) -> FieldPickerPopup:
        """Show the field tree under the button (inside the screen); the chosen path goes to
        `on_path`."""
        self.popup = FieldPickerPopup(self.context, self)
        self.popup.chosen.connect(self.on_path)
        self.popup.popup_at(QRect(self.mapToGlobal(QPoint(0, 0)), self.size()))
        return self.popup
