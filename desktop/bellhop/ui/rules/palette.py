"""The card palette: every card type the registry holds, ready to drag into the chain."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from bellhop.core.cards import Registry
from bellhop.core.i18n import _
from bellhop.ui.resources import icon
from bellhop.ui.rules.cards import STEP_MIME
from bellhop.ui.rules.labels import card_description, card_label

CARD_TYPE_MIME = "application/x-bellhop-card-type"  # a new card: its type name
TYPE_ROLE = Qt.ItemDataRole.UserRole


class CardPaletteView(QListWidget):
    """Card types as tiles; drag one into the chain, or select it and press Enter.

    A card dragged from the chain onto the palette is removed from the rule.
    """

    cardChosen = Signal(str)  # a type name, chosen with Enter or a double click
    removeRequested = Signal(int)  # a step index dropped onto the palette

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CardPalette")
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(3)
        self.setIconSize(QSize(22, 22))
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet(
            "QListWidget#CardPalette { border: none; background: transparent; }"
            "QListWidget#CardPalette::item { border: 1px solid palette(mid); border-radius: 8px;"
            " padding: 4px 8px; background: palette(base); }"
            "QListWidget#CardPalette::item:selected { border: 2px solid palette(highlight);"
            " color: palette(text); }"
        )
        self._removing = False
        for action in registry:
            if action.hidden:
                continue
            item = QListWidgetItem(icon(action.icon), card_label(action), self)
            item.setData(TYPE_ROLE, action.type)
            description = card_description(action)
            item.setToolTip(description + "\n" + _(
                "Drag into the rule, or select and press Enter to add it after the selected card."))
            item.setStatusTip(description)
        self.itemActivated.connect(lambda item: self.cardChosen.emit(item.data(TYPE_ROLE)))
        self.setAccessibleName(_("Cards you can add"))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_height)

    def _fit_height(self) -> None:
        # Tiles wrap onto as many lines as the width needs: show them all, never scroll.
        self.doItemsLayout()
        bottom = max((self.visualItemRect(self.item(i)).bottom() for i in range(self.count())),
                     default=0)
        height = bottom + self.verticalOffset() + 2 * self.frameWidth() + 8
        if height != self.height():
            self.setFixedHeight(height)

    def type_names(self) -> list[str]:
        """The card types on offer, in order."""
        return [self.item(i).data(TYPE_ROLE) for i in range(self.count())]

    def item_for(self, type_name: str) -> QListWidgetItem | None:
        """The tile of a card type."""
        return next((self.item(i) for i in range(self.count())
                     if self.item(i).data(TYPE_ROLE) == type_name), None)

    def mimeTypes(self) -> list[str]:
        return [CARD_TYPE_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(CARD_TYPE_MIME, str(items[0].data(TYPE_ROLE)).encode())
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(STEP_MIME):
            self._set_removing(True)
            event.acceptProposedAction()
        else:
            event.ignore()  # tiles are not rearranged

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(STEP_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self._set_removing(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_removing(False)
        if event.mimeData().hasFormat(STEP_MIME):
            index = int(bytes(event.mimeData().data(STEP_MIME).data()).decode())
            event.acceptProposedAction()
            self.removeRequested.emit(index)
        else:
            event.ignore()

    def _set_removing(self, removing: bool) -> None:
        # While a card hovers over the palette, say that letting go removes it.
        self._removing = removing
        self.viewport().setStyleSheet(
            "background: rgba(214, 69, 69, 0.12); border-radius: 8px;" if removing else "")
        self.setToolTip(_("Drop here to remove the card") if removing else "")
