"""ActivityTableView: fixed-height rows (a million of them scroll like ten), a note when empty."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from bellhop.core.i18n import _

ROW_HEIGHT = 30


class ActivityTableView(QTableView):
    """The events table; keeps what you are reading in place when new events arrive on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = ""
        self.setObjectName("ActivityTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setIconSize(QSize(12, 12))
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.setAccessibleName(_("Events"))
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(ROW_HEIGHT)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns.setStretchLastSection(False)

    def setModel(self, model: Any) -> None:
        """Use `model` and size the columns: the summary takes the room left."""
        super().setModel(model)
        columns = self.horizontalHeader()
        for column, width in ((0, 128), (1, 130), (3, 118)):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            columns.resizeSection(column, width)
        columns.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        model.rowsInserted.connect(self._keep_place)

    def _keep_place(self, parent: QModelIndex | QPersistentModelIndex, first: int,
                    last: int) -> None:
        # Rows arriving above what the person reads push it down: scroll along with them.
        # At the very top, new events simply appear.
        bar = self.verticalScrollBar()
        if first == 0 and bar.value() > 0:
            bar.setValue(bar.value() + last - first + 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The rows, or a sentence saying why there are none."""
        super().paintEvent(event)
        model = self.model()
        if model is None or model.rowCount() or not self.empty_text:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().placeholderText().color())
        area = self.viewport().rect().adjusted(40, 40, -40, -40)
        painter.drawText(area, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, self.empty_text)
        painter.end()
