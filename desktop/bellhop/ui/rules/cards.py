"""The cards of the chain: the trigger at the top, then one card per step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QDrag, QGuiApplication, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.cards import ActionType, generic_result
from bellhop.core.errors import Fix
from bellhop.core.i18n import _
from bellhop.core.storage.records import StepRecord
from bellhop.ui.fixes import FixButton
from bellhop.ui.resources import icon
from bellhop.ui.rules.labels import card_label, card_summary
from bellhop.ui.rules.widgets import ElidedLabel, state_colour
from bellhop.ui.theme import WARN

STEP_MIME = "application/x-bellhop-step"  # a card being moved: its index in the chain
ICON = QSize(24, 24)
STATE_ICONS = {"ok": "check", "warned": "warning", "failed": "cross", "skipped": "skipped",
               "problem": "warning"}


class BaseCardWidget(QFrame):
    """A card: icon, title, one-line summary, and a state line (problems or test result)."""

    clicked = Signal(int)
    detailsRequested = Signal(int)
    fixRequested = Signal(object)  # the fix of the error the card shows (core/errors.py)
    menuRequested = Signal(int, QPoint)  # the card's index, where to show its menu (global)

    def __init__(self, index: int, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.index = index
        self.state = ""
        self.setProperty("selected", False)
        self.setProperty("focused", False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.icon = QLabel()
        self.icon.setPixmap(icon(icon_name).pixmap(ICON))
        self.icon.setFixedSize(ICON)
        self.title = QLabel(objectName="CardTitle")
        self.summary = ElidedLabel()
        self.summary.setObjectName("Hint")
        self.state_icon = QLabel()
        self.state_icon.setFixedSize(20, 20)
        self.state_text = QLabel()
        self.state_text.setWordWrap(True)
        self.state_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPushButton(_("Details"))
        self.details.setFlat(True)
        self.details.setCursor(Qt.CursorShape.PointingHandCursor)
        self.details.setStyleSheet("QPushButton { color: palette(link); padding: 0 4px; }")
        self.details.clicked.connect(lambda: self.detailsRequested.emit(self.index))
        self.fix = FixButton()
        self.fix.fixRequested.connect(self.fixRequested)
        self.state_row = QWidget()
        state_layout = QHBoxLayout(self.state_row)
        state_layout.setContentsMargins(0, 2, 0, 0)
        state_layout.addWidget(self.state_text, 1)
        state_layout.addWidget(self.fix, 0, Qt.AlignmentFlag.AlignTop)
        state_layout.addWidget(self.details, 0, Qt.AlignmentFlag.AlignTop)
        self.text_column = QVBoxLayout()
        self.text_column.setSpacing(1)
        self.text_column.addWidget(self.title)
        self.text_column.addWidget(self.summary)
        self.text_column.addWidget(self.state_row)
        self.head = QHBoxLayout(self)
        self.head.setContentsMargins(10, 6, 8, 6)
        self.head.setSpacing(8)
        self.head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        self.head.addLayout(self.text_column, 1)
        self.head.addWidget(self.state_icon, 0, Qt.AlignmentFlag.AlignTop)
        self.set_state("")

    def set_selected(self, selected: bool) -> None:
        """Draw the card as the selected one."""
        self.setProperty("selected", selected)
        self._restyle()

    def set_focused(self, focused: bool) -> None:
        """Draw the card as the one the keys act on (the chain has the keyboard focus)."""
        if self.property("focused") != focused:
            self.setProperty("focused", focused)
            self._restyle()

    def spoken(self) -> str:
        """The card in words for a screen reader: title, summary and state."""
        parts = [self.title.text(), self.summary.full_text()]
        if self.state_row.isVisibleTo(self) and self.state_text.text():
            parts.append(self.state_text.text())
        return ". ".join(part for part in parts if part)

    def set_state(self, state: str, text: str = "", details: bool = False,
                  fix: Fix | None = None) -> None:
        """'', 'ok', 'warned', 'failed', 'skipped' or 'problem', with a line of words (and
        the button to the fix of an error)."""
        self.state = state
        self.setProperty("state", state)
        name = STATE_ICONS.get(state)
        self.state_icon.setPixmap(icon(name).pixmap(QSize(20, 20)) if name else QPixmap())
        self.state_text.setText(text)
        self.state_text.setStyleSheet(f"color: {state_colour(state)};")
        self.state_row.setVisible(bool(text))
        self.details.setVisible(details)
        self.fix.show_fix(fix)
        self._restyle()

    def _restyle(self) -> None:
        self.style().unpolish(self)
        self.style().polish(self)
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.index)
        super().mousePressEvent(event)


class CardWidget(BaseCardWidget):
    """A step's card; it can be dragged to another place, or out of the chain."""

    def __init__(self, index: int, action: ActionType | None, step: dict[str, Any],
                 parent: QWidget | None = None,
                 name_of: Callable[[str], str] | None = None, sender: str | None = None) -> None:
        super().__init__(index, action.icon if action else "card", parent)
        self.action = action
        self.name_of = name_of  # a field's name in the summary (the sample's labels)
        self.sender = sender  # the sample's sender: a filter's summary names fields as it does
        self.grip = QLabel()
        self.grip.setPixmap(icon("grip").pixmap(QSize(14, 20)))
        self.grip.setToolTip(_("Drag to move this card; drag it onto the card list "
                               "above to remove it"))
        self.head.insertWidget(0, self.grip, 0, Qt.AlignmentFlag.AlignVCenter)
        self.head.setContentsMargins(4, 6, 6, 6)
        self.more = QToolButton()
        self.more.setIcon(icon("more"))
        self.more.setAutoRaise(True)
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more.setToolTip(_("Add a card after this one, duplicate, move or remove it"))
        self.more.clicked.connect(lambda: self.menuRequested.emit(
            self.index, self.more.mapToGlobal(QPoint(0, self.more.height()))))
        self.head.addWidget(self.more, 0, Qt.AlignmentFlag.AlignTop)
        self._press: QPoint | None = None
        self.show_step(step)

    def show_step(self, step: dict[str, Any]) -> None:
        """Show the step's name and a summary of its settings."""
        name = str(step.get("name") or "").strip()
        number = f"{self.index + 1}. "
        if self.action is None:
            self.title.setText(number + _("Unknown card '{type}'").format(
                type=step.get("type")))
            self.summary.set_full_text(_("This Bellhop does not know this kind of card."))
        else:
            self.title.setText(number + (name or card_label(self.action)))
            self.summary.set_full_text(card_summary(self.action, step, self.name_of,
                                                    self.sender))
        self.more.setAccessibleName(_("Card menu: {card}").format(card=self.title.text()))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.menuRequested.emit(self.index, event.globalPos())

    def show_result(self, record: StepRecord) -> None:
        """Show how this card did in a test run."""
        if record.status == "succeeded":
            # What it did, in a sentence: "Sent to a@b.c: Order #1042", "Skipped: …".
            text = (self.action.describe_result(record.output, record.input) if self.action
                    else generic_result(record.label or record.type))
            if record.duration_ms is not None and record.duration_ms >= 1:
                text += _(" · {ms} ms").format(
                    ms=round(record.duration_ms))
            if record.warnings:  # done, but a field the event lacks was left empty
                self.set_state("warned", "\n".join([text, *record.warnings]), details=True)
                return
            self.set_state("ok", text, details=True)
        elif record.status == "failed":
            self.set_state("failed", record.error or _("Failed"), details=True, fix=record.fix)
        elif record.status == "skipped":
            self.set_state("skipped", _("Did not run: an earlier card stopped the rule."))
        else:
            self.set_state("", "")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        moved = (event.position().toPoint() - self._press).manhattanLength()
        if moved < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        data = QMimeData()
        data.setData(STEP_MIME, str(self.index).encode())
        drag.setMimeData(data)
        drag.setPixmap(self.grab().scaledToWidth(min(self.width(), 320),
                                                 Qt.TransformationMode.SmoothTransformation))
        drag.setHotSpot(QPoint(12, 12))
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)


class TriggerCardWidget(BaseCardWidget):
    """The first card: when a webhook arrives at the rule's address, and who can reach it."""

    urlCopied = Signal()
    connectRequested = Signal()  # "Connect the tunnel"
    sendRequested = Signal()  # "Send the sample to this rule"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(-1, "webhook", parent)
        self.title.setText(_("When a webhook arrives"))
        self.url = ElidedLabel()
        self.url.setStyleSheet("font-family: monospace;")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = QToolButton()
        self.copy.setIcon(icon("copy"))
        self.copy.setText(_("Copy"))
        self.copy.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.copy.setToolTip(_("Copy the address, then paste it into the service's "
                               "webhook settings"))
        self.copy.setAccessibleName(_("Copy the web address"))
        self.copy.clicked.connect(self.copy_url)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.url, 1)
        row.addWidget(self.copy)
        self.text_column.insertLayout(1, row)
        self.moved = QLabel(_("⚠ This address changed. Copy it and paste it into the "
                              "service's webhook settings again."), wordWrap=True)
        self.moved.setStyleSheet(f"color: {WARN};")
        self.moved.hide()
        self.text_column.insertWidget(2, self.moved)
        # Who can reach the address: where to paste it, or that it is local, with offers.
        self.reach = QLabel(wordWrap=True)
        self.reach.setObjectName("Hint")
        self.connect_button = QPushButton(icon("globe"), _("Connect the tunnel"))
        self.connect_button.setToolTip(_("Give this address a public twin that services on "
                                         "the internet can reach"))
        self.connect_button.clicked.connect(self.connectRequested)
        self.send_button = QPushButton(icon("play"), _("Send the sample to this rule"))
        self.send_button.setToolTip(_("Deliver the sample event to this address from this "
                                      "computer, as the service would; it shows in Activity"))
        self.send_button.clicked.connect(self.sendRequested)
        self.offers = QWidget()
        offers = QHBoxLayout(self.offers)
        offers.setContentsMargins(0, 2, 0, 0)
        offers.addWidget(self.connect_button)
        offers.addWidget(self.send_button)
        offers.addStretch(1)
        self.text_column.insertWidget(3, self.reach)
        self.text_column.insertWidget(4, self.offers)
        self.public, self._reach, self._connect = False, "", False
        self.set_url("")
        self.show_sample("")

    def show_reach(self, public: bool, text: str, connect: bool) -> None:
        """Say who can reach the address: where to paste a public one, or that it is local
        (then offer to connect the tunnel and to send the sample here)."""
        self.public, self._reach, self._connect = public, text, connect
        self._show_reach()

    def _show_reach(self) -> None:
        public, text, has_url = self.public, self._reach, bool(self._url)
        self.reach.setText(("" if public or not text else "⚠ ") + text)
        self.reach.setStyleSheet("" if public else f"color: {WARN};")
        self.reach.setVisible(bool(text) and has_url)
        self.connect_button.setVisible(self._connect)
        self.offers.setVisible(has_url and not public)
        self.copy.setToolTip(_("Copy the address, then paste it into the service's webhook "
                               "settings") if public else
                             _("Copy the address (it works only on this computer)"))

    def set_address_changed(self, changed: bool) -> None:
        """Mark (or unmark) the address as new since the services were told it."""
        self.moved.setVisible(changed)

    def set_url(self, url: str) -> None:
        """Show the rule's webhook address."""
        self.url.set_full_text(url or _("(the address appears once Bellhop listens)"))
        self.copy.setEnabled(bool(url))
        self.copy.setText(_("Copy"))
        self._url = url
        self._show_reach()

    def show_sample(self, sample_name: str) -> None:
        """Say which sample event the builder uses."""
        self.summary.set_full_text(
            _("Sample event: {name}").format(
                name=sample_name) if sample_name
            else _("No sample event yet: choose one in the panel on the right"))

    def copy_url(self) -> None:
        """Put the address on the clipboard."""
        if self._url:
            QGuiApplication.clipboard().setText(self._url)
            self.copy.setText(_("Copied"))
            self.urlCopied.emit()
