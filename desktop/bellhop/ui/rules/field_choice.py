"""Choosing one field of the event by the name a person reads ("Order total"), keeping its
path (body.total_price) for rules.json: the filter's conditions use it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem

from bellhop.core.i18n import _
from bellhop.core.running.fieldlabels import field_label, sender_of
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.editors import FieldEditor, PickerButton
from bellhop.ui.rules.field_picker import path_text, short_value

PATH_ROLE = Qt.ItemDataRole.UserRole
SAMPLE_ROLE = Qt.ItemDataRole.UserRole + 1  # the sample's value, shown grey at the right
LIST_ITEMS = 1  # of a list of records, the fields of the first one are offered


def sample_sender(context: BuilderContext) -> str | None:
    """Which service sent the builder's sample event (None: unknown, or no sample)."""
    sample = context.sample
    if not sample:
        return None
    return sender_of(sample.get("headers"), sample.get("body"))


def _leaves(value: Any, parts: list[str | int]) -> Iterator[tuple[list[str | int], Any]]:
    if isinstance(value, Mapping):
        for key, child in value.items():
            # SurveyCake's answers come by question and by number: the question is enough.
            if parts[-1:] == ["answers"] and str(key).isdigit():
                continue
            yield from _leaves(child, [*parts, str(key)])
    elif isinstance(value, list) and value and all(isinstance(i, Mapping) for i in value):
        for index, child in enumerate(value[:LIST_ITEMS]):
            yield from _leaves(child, [*parts, index])
    else:  # a value, or a list of values ("contains" looks for one of them)
        yield parts, value


def sample_fields(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(path, sample value) of each field a condition can test, in the sample's order:
    the body's, then the address query's."""
    found: list[tuple[str, Any]] = []
    for top in ("body", "query"):
        if isinstance(values.get(top), Mapping) and values[top]:
            found += [(path_text(parts), value) for parts, value in _leaves(values[top], [top])]
    return found


class SampleValueDelegate(QStyledItemDelegate):
    """A field's name, with its value in the sample in grey at the right of the list."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        sample = index.data(SAMPLE_ROLE)
        if not sample:
            return
        rect: QRect = option.rect.adjusted(option.rect.width() // 2, 0, -8, 0)
        text = option.fontMetrics.elidedText(str(sample), Qt.TextElideMode.ElideRight,
                                             rect.width())
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() * 2 + 24, size.height())


class FieldChoiceEditor(FieldEditor):
    """A list of the sample's fields by name, and the field picker for any other; the value
    is the chosen field's path."""

    def __init__(self, context: BuilderContext) -> None:
        super().__init__()
        self.context = context
        self._path = ""
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(10)
        self.combo.setMaxVisibleItems(14)
        self.combo.setItemDelegate(SampleValueDelegate(self.combo))
        self.combo.view().setMinimumWidth(360)
        self.combo.setAccessibleName(_("Field"))
        self.combo.activated.connect(self._activated)
        self.picker = PickerButton(context, self.choose, compact=True)
        self.picker.setToolTip(_("Pick any field of the sample event, with its value"))
        self._row(self.combo, self.picker)
        self.setFocusProxy(self.combo)
        context.sampleChanged.connect(self._fill)  # a bound slot: dropped with the editor
        self._fill()

    def _fill(self) -> None:
        sender = sample_sender(self.context)
        fields = sample_fields(self.context.values()) if self.context.has_sample else []
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(_("Choose a field…"), "")
        seen: set[str] = set()
        for path, value in fields:
            label = field_label(path, sender)
            if label in seen:  # two fields with one name: say which is which
                label = f"{label} ({path.removeprefix('body.')})"
            seen.add(label)
            self._add(label, path, short_value(value, 40) if value not in (None, "") else "")
        if self._path and self.combo.findData(self._path) < 0:  # not in this sample
            self._add(field_label(self._path, sender), self._path, "")
        self.combo.setCurrentIndex(max(self.combo.findData(self._path), 0))
        self.combo.blockSignals(False)
        self._explain()

    def _add(self, label: str, path: str, sample: str) -> None:
        self.combo.addItem(label, path)
        index = self.combo.count() - 1
        self.combo.setItemData(index, sample, SAMPLE_ROLE)
        tip = f"{path} · {sample}" if sample else path
        self.combo.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)

    def _explain(self) -> None:
        if not self.context.has_sample:
            tip = _("Choose a sample event on the trigger card to list its fields here.")
        elif self._path:
            tip = self._path
        else:
            tip = _("The field of the event to test")
        self.combo.setToolTip(tip)

    def _activated(self, index: int) -> None:
        self._path = str(self.combo.itemData(index) or "")
        self._explain()
        self.changed.emit()

    def choose(self, path: str) -> None:
        """Use the field at `path` (from the picker, or a test), as if chosen from the list."""
        self.set_value(path)
        self.changed.emit()

    def value(self) -> str:
        return self._path

    def set_value(self, value: Any) -> None:
        self._path = "" if value is None else str(value).strip()
        self._fill()
