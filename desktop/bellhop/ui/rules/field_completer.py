"""The list of matching fields that pops up under the caret while a person types."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from bellhop.core.i18n import _
from bellhop.ui.rules.field_picker import PATH_ROLE, VALUE_ROLE, FieldItemDelegate, short_value
from bellhop.ui.rules.fields import FieldEntry
from bellhop.ui.rules.popups import place_below, screen_area

WIDTH = 440


class FieldCompleter(QFrame):
    """Matching fields under the caret; the editor keeps the keyboard and hands keys here.

    A tool-tip window never takes the focus, so typing (and a Chinese input method)
    goes on in the editor while the list follows what is typed."""

    chosen = Signal(object)  # the FieldEntry to insert

    def __init__(self, editor: QWidget, single_line: bool) -> None:
        super().__init__(editor, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.editor = editor
        self.setObjectName("FieldCompleter")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet("QFrame#FieldCompleter { background: palette(base);"
                           " border: 1px solid palette(mid); border-radius: 6px; }")
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setItemDelegate(FieldItemDelegate(self.list))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._clicked)
        self.list.setMinimumHeight(8)  # as tall as its rows, set in show_entries
        self.single_line = single_line
        self.hint = QLabel(_("Enter or Tab inserts the field · Esc: keep typing") if single_line
                           else _("Tab, or ↓ then Enter, inserts the field · Esc: keep typing"))
        self.hint.setObjectName("Hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.entries: list[FieldEntry] = []

    def show_entries(self, entries: list[FieldEntry], caret: QRect) -> None:
        """List `entries` under `caret` (global); in one line the first is ready for Enter."""
        self.entries = entries
        self.list.clear()
        for entry in entries:
            item = QListWidgetItem(entry.label)
            item.setData(PATH_ROLE, entry.path)
            item.setData(VALUE_ROLE, short_value(entry.value, 40))
            item.setToolTip(f"{entry.label}\n{entry.path}")
            self.list.addItem(item)
        self.list.setCurrentRow(0 if self.single_line else -1)
        rows = max(1, len(entries))
        height = rows * self.list.sizeHintForRow(0) + 4 + self.hint.sizeHint().height() + 12
        self.setGeometry(place_below(caret, QSize(WIDTH, height), screen_area(self.editor)))
        self.show()
        self.raise_()

    def handle_key(self, event: QKeyEvent) -> bool:
        """Keys that act on the list while it shows (True when used here)."""
        key = event.key()
        count = self.list.count()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and count:
            step = 1 if key == Qt.Key.Key_Down else -1
            row = self.list.currentRow()
            self.list.setCurrentRow(0 if row < 0 and step > 0 else (row + step) % count)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.list.currentRow() >= 0:
                self.choose(self.list.currentRow())
                return True
            self.hide()
            return False  # a new line in a message, as the person meant
        if key == Qt.Key.Key_Tab and count:
            self.choose(max(self.list.currentRow(), 0))
            return True
        if key == Qt.Key.Key_Escape:
            self.hide()
            return True
        return False

    def choose(self, row: int) -> None:
        """Insert the field on `row`."""
        entry = self.entries[row]
        self.hide()
        self.chosen.emit(entry)

    def _clicked(self, item: QListWidgetItem) -> None:
        self.choose(self.list.row(item))
