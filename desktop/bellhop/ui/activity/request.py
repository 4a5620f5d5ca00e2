"""RequestView: what a delivery brought — its body (tidy or exactly as received) and headers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bellhop.core import jsoncodec
from bellhop.core.i18n import _, data_size
from bellhop.core.running.payload import BadPayload, is_json_type, media_type, parse_body
from bellhop.core.storage.records import EventRecord
from bellhop.ui.activity.curl import header_name
from bellhop.ui.technical import pretty

SHOWN_BYTES = 256 * 1024  # more than this is cut in the view (the event keeps it all)


def tidy_body(event: EventRecord) -> str:
    """JSON indented, form fields one per line, anything else as text."""
    raw = event.body[:SHOWN_BYTES]
    if len(event.body) > SHOWN_BYTES:
        return raw.decode("utf-8", errors="replace")
    if is_json_type(event.content_type):
        try:
            return pretty(jsoncodec.loads(raw))
        except ValueError:
            return raw.decode("utf-8", errors="replace")
    if media_type(event.content_type) in ("application/x-www-form-urlencoded",
                                          "multipart/form-data"):
        try:
            fields = parse_body(raw, event.content_type)
        except BadPayload:
            return raw.decode("utf-8", errors="replace")
        if isinstance(fields, dict):
            return "\n".join(f"{key} = {pretty(value)}" for key, value in fields.items())
    return raw.decode("utf-8", errors="replace")


class RequestView(QWidget):
    """The body of a delivery with a 'tidy / as received' switch, and its headers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: EventRecord | None = None
        self.raw = QCheckBox(_("Show exactly as received"))
        self.raw.toggled.connect(self._show_body)
        self.body = QPlainTextEdit(readOnly=True)
        self.body.setAccessibleName(_("What arrived"))
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.cut_note = QLabel(objectName="Hint")
        self.cut_note.setWordWrap(True)
        self.headers = QTableWidget(0, 2)
        self.headers.setAccessibleName(_("Headers"))
        self.headers.setTabKeyNavigation(False)
        self.headers.setHorizontalHeaderLabels([_("Header"), _("Value")])
        self.headers.verticalHeader().hide()
        self.headers.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.headers.horizontalHeader().resizeSection(0, 170)
        self.headers.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.headers.setWordWrap(False)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.raw)
        top_layout.addWidget(self.body, 1)
        top_layout.addWidget(self.cut_note)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.headers)
        split.setSizes([300, 140])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_event(self, event: EventRecord | None) -> None:
        """Show what this event brought (None empties the view)."""
        self.shown = event
        self._show_body()
        headers = sorted(event.headers.items()) if event else []
        self.headers.setRowCount(len(headers))
        for row, (name, value) in enumerate(headers):
            self.headers.setItem(row, 0, QTableWidgetItem(header_name(name)))
            self.headers.setItem(row, 1, QTableWidgetItem(value))

    def _show_body(self) -> None:
        event = self.shown
        if event is None:
            self.body.clear()
            self.cut_note.hide()
            return
        if self.raw.isChecked():
            text = event.body[:SHOWN_BYTES].decode("utf-8", errors="replace")
        else:
            text = tidy_body(event)
        self.body.setPlainText(text or _("(The delivery had no body.)"))
        cut = len(event.body) > SHOWN_BYTES
        self.cut_note.setVisible(cut)
        if cut:
            self.cut_note.setText(_("Only the beginning is shown: the body is {size} "
                                    "long.").format(size=data_size(len(event.body))))
