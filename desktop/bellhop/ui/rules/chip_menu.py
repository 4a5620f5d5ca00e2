"""The chip's menu: how a field is shown (date, money, phone, …), "if empty", "required".

Every choice writes the chip in the grammar of `bellhop.core.templating.chips`, e.g.
`{{ body.total_price | required | money('NT$', 0) | default('0') }}`. Presets are
labelled by what they make of the sample's value ("NT$1,640", "2026/11/28 14:05").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QSpinBox,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.core.templating.chips import (
    DATE_CHINESE,
    DATE_ISO,
    DATE_TIME,
    LOWER,
    NUMBER,
    PHONE,
    UPPER,
    Chip,
    Custom,
    Piece,
    format_arguments,
    format_kind,
    money_decimals,
    money_format,
    split,
)
from bellhop.core.templating.formatters import date_filter, money_filter, number_filter, to_datetime
from bellhop.ui.rules.chip_view import chip_hover, chip_label
from bellhop.ui.rules.context import BuilderContext

EXAMPLE_MOMENT = datetime(2026, 11, 28, 14, 5, 31)
EXAMPLE_AMOUNT = "1640"
MONEY_PRESETS = (("NT$", 0), ("NT$", 2), ("$", 2))
DATE_PRESETS = (DATE_TIME, DATE_CHINESE, DATE_ISO)

PiecesHandler = Callable[[list[Piece]], None]  # what replaces the chip ([] removes it)


def _example(convert: Callable[[Any], str], value: Any, fallback: Any) -> str:
    for candidate in (value, fallback):
        try:
            return convert(candidate)
        except (ValueError, TypeError, ArithmeticError):
            continue
    return ""


def _sample_moment(value: Any) -> Any:
    """The sample's value when it reads as a date (not a price that could be a timestamp)."""
    plausible = (isinstance(value, str) and not value.strip().replace(".", "").isdigit()) or (
        isinstance(value, int | float) and not isinstance(value, bool) and value > 1e9)
    if plausible:
        try:
            return to_datetime(value)
        except ValueError:
            pass
    return EXAMPLE_MOMENT


class ChipMenu(QMenu):
    """The menu of one chip; each choice hands the changed chip to `on_pieces`."""

    def __init__(self, context: BuilderContext, piece: Chip | Custom,
                 on_pieces: PiecesHandler, parent: QWidget) -> None:
        super().__init__(parent)
        self.context, self.piece, self.on_pieces = context, piece, on_pieces
        self.keyed: dict[str, QAction] = {}  # every choice by a short key (for tests)
        self.dialog: QDialog | None = None
        title = self.addAction(chip_hover(context, piece).split("\n")[0])
        title.setEnabled(False)
        self.addSeparator()
        if isinstance(piece, Chip):
            self._fill(piece)
        else:
            self._add("edit", _("Edit as text…"), self._edit_custom)
            self.addSeparator()
            self._add("remove", _("Remove"), lambda: self.on_pieces([]))

    def _add(self, key: str, text: str, run: Callable[[], None], menu: QMenu | None = None,
             checked: bool | None = None) -> QAction:
        action = (menu or self).addAction(text)
        if checked is not None:
            action.setCheckable(True)
            action.setChecked(checked)
        action.triggered.connect(lambda _on=False: run())
        self.keyed[key] = action
        return action

    def _set(self, **changes: Any) -> None:
        assert isinstance(self.piece, Chip)
        self.on_pieces([self.piece.changed(**changes)])

    def _value(self) -> Any:
        try:
            return self.context.value_at(self.piece.path) if isinstance(self.piece, Chip) else None
        except KeyError:
            return None

    def _fill(self, chip: Chip) -> None:
        value, current = self._value(), chip.format
        kind = format_kind(current)
        dates = self.addMenu(_("Date and time"))
        money = self.addMenu(_("Money"))
        moment = _sample_moment(value)
        for fmt in DATE_PRESETS:
            example = _example(lambda m, fmt=fmt: date_filter(m, format_arguments(fmt)[0]),
                               moment, EXAMPLE_MOMENT)
            text = _("{example} (ISO 8601)").format(example=example) if fmt == DATE_ISO \
                else example
            self._add(f"date:{fmt}", text, lambda fmt=fmt: self._set(format=fmt), dates,
                      current == fmt)
        if kind == "date" and current not in DATE_PRESETS:
            self._as_written(dates, current, lambda: date_filter(
                moment, *format_arguments(current or "")))
        for symbol, decimals in MONEY_PRESETS:
            fmt = money_format(symbol, decimals)
            example = _example(lambda v, s=symbol, d=decimals: money_filter(v, s, d), value,
                               EXAMPLE_AMOUNT)
            self._add(f"money:{symbol}:{decimals}", example,
                      lambda fmt=fmt: self._set(format=fmt), money, current == fmt)
        if kind == "money" and current not in [money_format(*p) for p in MONEY_PRESETS]:
            self._as_written(money, current, lambda: money_filter(
                value, *format_arguments(current or ""), money_decimals(current or "")))
        money.addSeparator()
        self._add("money:other", _("Other currency or decimals…"), self._ask_money, money)
        for submenu, title in ((dates, _("Date and time · {example}")),
                               (money, _("Money · {example}"))):
            checked = [action.text() for action in submenu.actions() if action.isChecked()]
            if checked:  # what the chip does now, seen without opening the submenu
                submenu.setTitle(title.format(example=checked[0]))
        number = _example(number_filter, value, EXAMPLE_AMOUNT)
        for key, fmt, text in (
                ("phone", PHONE, _("Phone number (0912-345-678)")),
                ("number", NUMBER, _("Number ({example})").format(example=number)),
                ("upper", UPPER, _("UPPER CASE")),
                ("lower", LOWER, _("lower case"))):
            self._add(key, text, lambda fmt=fmt: self._set(format=fmt), checked=current == fmt)
        plain = self._add("plain", _("Remove formatting"), lambda: self._set(format=None))
        plain.setEnabled(current is not None)
        self.addSeparator()
        if chip.default is None:
            text = _("If empty, use…")
        else:
            text = _("If empty, use “{text}”…").format(text=chip.default)
        self._add("default", text, self._ask_default, checked=chip.default is not None)
        self._add("required", _("Required: stop when this field is missing"),
                  lambda: self._set(required=not chip.required), checked=chip.required)
        self.addSeparator()
        self._add("remove", _("Remove this field"), lambda: self.on_pieces([]))

    def _as_written(self, menu: QMenu, fmt: str | None, example: Callable[[], str]) -> None:
        try:
            shown = example()
        except (ValueError, TypeError, ArithmeticError):
            shown = fmt or ""
        action = menu.addAction(_("As written: {example}").format(example=shown))
        action.setCheckable(True)
        action.setChecked(True)
        action.setEnabled(False)

    def _dialog_parent(self) -> QWidget:
        return self.parentWidget() or self

    def _ask_default(self) -> None:
        """Ask for the text a missing or empty field is replaced by ('' takes it away)."""
        assert isinstance(self.piece, Chip)
        dialog = QInputDialog(self._dialog_parent())
        dialog.setWindowTitle(_("If the field is empty"))
        dialog.setLabelText(_("When “{label}” is empty or missing, use this text instead "
                              "(leave it empty to use nothing):").format(
            label=chip_label(self.context, self.piece)))
        dialog.setTextValue(self.piece.default or "")
        dialog.textValueSelected.connect(lambda text: self._set(default=text or None))
        self._open(dialog)

    def _ask_money(self) -> None:
        """Ask for a currency symbol and a number of decimals."""
        assert isinstance(self.piece, Chip)
        dialog = MoneyDialog(self._dialog_parent())
        if format_kind(self.piece.format) == "money":
            arguments = format_arguments(self.piece.format or "")
            dialog.symbol.setText(arguments[0] if arguments else "")
            dialog.decimals.setValue(money_decimals(self.piece.format or ""))
        dialog.accepted.connect(lambda: self._set(format=money_format(
            dialog.symbol.text(), dialog.decimals.value())))
        self._open(dialog)

    def _edit_custom(self) -> None:
        """Edit a custom expression as the text it is."""
        dialog = QInputDialog(self._dialog_parent())
        dialog.setWindowTitle(_("Edit the expression"))
        dialog.setLabelText(_("Template text:"))
        dialog.setTextValue(self.piece.text)
        dialog.textValueSelected.connect(lambda text: self.on_pieces(split(text)))
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog  # kept while it is open (the editor keeps this menu)
        dialog.open()


class MoneyDialog(QDialog):
    """A currency symbol and how many decimals to show."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Money"))
        self.symbol = QLineEdit("NT$")
        self.symbol.setMaxLength(8)
        self.decimals = QSpinBox()
        self.decimals.setRange(0, 4)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Currency symbol"), self.symbol)
        form.addRow(_("Decimals"), self.decimals)
        form.addRow(buttons)
