"""The "+" between cards: a small menu of the cards to add there, with a search box.

As in n8n and Zapier, a card is added where the person is looking, without a palette
taking the room of the rule. Typing filters the list, Up and Down move in it from the
search box, Enter or a click adds the card, Escape closes the menu.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.cards import Registry
from bellhop.core.i18n import _
from bellhop.ui.resources import icon
from bellhop.ui.rules.labels import card_description, card_label

TYPE_ROLE = Qt.ItemDataRole.UserRole
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 1


def place_on_screen(size: QSize, anchor: QRect, screen: QRect) -> QPoint:
    """Where a popup of `size` goes: under `anchor` (global), or above it, always on `screen`."""
    x = anchor.left() + anchor.width() // 2 - size.width() // 2
    x = max(screen.left(), min(x, screen.right() + 1 - size.width()))
    y = anchor.bottom() + 1
    if y + size.height() > screen.bottom() + 1 and anchor.top() - size.height() >= screen.top():
        y = anchor.top() - size.height()
    y = max(screen.top(), min(y, screen.bottom() + 1 - size.height()))
    return QPoint(x, y)


class AddCardPopup(QFrame):
    """The cards one can add, with a search box; `chosen` carries the picked card type."""

    chosen = Signal(str)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("AddCardPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Add a card"))
        self.search = QLineEdit(placeholderText=_("Search cards"))
        self.search.setAccessibleName(_("Search cards"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Cards you can add"))
        self.list.setIconSize(QSize(22, 22))
        self.list.setUniformItemSizes(True)
        self.list.setStyleSheet(
            "QListWidget { border: none; } QListWidget::item { padding: 4px; }"
            "QListWidget::item:selected { background: #dfe8fc; color: palette(text); }")
        for action in registry:
            if action.hidden:
                continue
            description = card_description(action)
            item = QListWidgetItem(icon(action.icon), card_label(action), self.list)
            item.setData(TYPE_ROLE, action.type)
            item.setData(DESCRIPTION_ROLE, description)
            item.setToolTip(description)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, description)
        self.list.itemClicked.connect(self._choose)
        self.list.itemActivated.connect(self._choose)
        self.list.currentItemChanged.connect(self._describe)
        self.description = QLabel(objectName="Hint", wordWrap=True)
        self.description.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.nothing = QLabel(objectName="Hint", wordWrap=True)
        self.nothing.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.nothing)
        layout.addWidget(self.description)
        rows = min(self.list.count(), 9)
        row_height = self.list.sizeHintForRow(0) if self.list.count() else 30
        self.list.setMinimumHeight(rows * row_height + 6)
        self.resize(340, self.sizeHint().height())
        self.list.setCurrentRow(0)

    def type_names(self) -> list[str]:
        """The card types the list shows now (the search hides the others)."""
        return [self.list.item(i).data(TYPE_ROLE) for i in range(self.list.count())
                if not self.list.item(i).isHidden()]

    def open_at(self, anchor: QWidget) -> None:
        """Show the menu under `anchor` (above it when there is no room), on the screen."""
        rect = QRect(anchor.mapToGlobal(QPoint(0, 0)), anchor.size())
        screen = (anchor.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.move(place_on_screen(self.size(), rect, screen))
        self.show()
        frame = self.frameGeometry()  # shown: now the frame's size is known too
        wanted = place_on_screen(frame.size(), rect, screen)
        if wanted != frame.topLeft():
            self.move(self.pos() + wanted - frame.topLeft())
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)

    def _visible_rows(self) -> list[int]:
        return [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            haystack = " ".join((item.text(), str(item.data(DESCRIPTION_ROLE)),
                                 str(item.data(TYPE_ROLE)))).casefold()
            item.setHidden(not all(word in haystack for word in words))
        rows = self._visible_rows()
        self.nothing.setText(_("No card matches “{words}”.").format(words=text.strip()))
        self.nothing.setVisible(not rows)
        current = self.list.currentRow()
        if rows and current not in rows:
            self.list.setCurrentRow(rows[0])
        elif not rows:
            self.list.setCurrentRow(-1)

    def _step(self, delta: int) -> None:
        rows = self._visible_rows()
        if not rows:
            return
        current = self.list.currentRow()
        position = rows.index(current) + delta if current in rows else 0
        self.list.setCurrentRow(rows[max(0, min(position, len(rows) - 1))])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up, Down, Page Up/Down and Enter in the search box work on the list."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5,
                     Qt.Key.Key_PageUp: -5}
            if key in moves:
                self._step(moves[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.list.currentItem()
                if item is not None and not item.isHidden():
                    self._choose(item)
                return True
        return super().eventFilter(watched, event)

    def _describe(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self.description.setText(str(item.data(DESCRIPTION_ROLE)) if item is not None else "")

    def _choose(self, item: QListWidgetItem) -> None:
        type_name = str(item.data(TYPE_ROLE))
        self.close()
        self.chosen.emit(type_name)


class CardGap(QWidget):
    """The space between two cards: a line down to the next card and a "+" to add one there."""

    addRequested = Signal(int, QWidget)  # the gap (0 = right after the trigger), the button

    def __init__(self, gap: int, after: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gap = gap
        self.setFixedHeight(30)
        self.button = QToolButton(self)
        self.button.setObjectName("AddCardButton")
        self.button.setIcon(icon("plus"))
        self.button.setIconSize(QSize(14, 14))
        self.button.setFixedSize(22, 22)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setStyleSheet(
            "QToolButton#AddCardButton { border: 1px solid palette(mid); border-radius: 11px;"
            " background: palette(base); }"
            "QToolButton#AddCardButton:hover, QToolButton#AddCardButton:focus {"
            " border: 2px solid palette(highlight); }")
        self.button.setToolTip(_("Add a card here"))
        self.button.setAccessibleName(_("Add a card after “{card}”").format(card=after))
        self.button.clicked.connect(lambda: self.addRequested.emit(self.gap, self.button))

    def resizeEvent(self, event: object) -> None:
        self.button.move((self.width() - self.button.width()) // 2,
                         (self.height() - self.button.height()) // 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().mid().color(), 1.5))
        x = self.width() / 2
        painter.drawLine(int(x), 0, int(x), self.height())


class ChainEnd(QWidget):
    """After the last card: a short line and a wide "+ Add a card" button."""

    addRequested = Signal(int, QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gap = 0
        self.button = QPushButton(icon("plus"), _("Add a card"))
        self.button.setObjectName("AddCardEnd")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setToolTip(_("Choose a card to add at the end of the rule. You can also "
                                 "drag one here from the card list."))
        self.button.setAccessibleName(_("Add a card at the end"))
        self.button.setStyleSheet(
            "QPushButton#AddCardEnd { border: 2px dashed palette(mid); border-radius: 10px;"
            " padding: 8px; background: transparent; color: palette(text); }"
            "QPushButton#AddCardEnd:hover, QPushButton#AddCardEnd:focus {"
            " border-color: palette(highlight); }")
        self.button.clicked.connect(lambda: self.addRequested.emit(self.gap, self.button))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 14, 0, 0)
        layout.addWidget(self.button)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().mid().color(), 1.5))
        x = self.width() // 2
        painter.drawLine(x, 0, x, 14)
