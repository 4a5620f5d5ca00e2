"""The chain of cards: trigger, then steps; drop, drag, "+", keyboard and undo all meet here.

Every change goes through `insert_card`, `move_card` and `remove_card`, which push
undo commands; drops, keys, the "+" menus and the palette only work out the index and
call them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QApplication, QFrame, QMenu, QScrollArea, QVBoxLayout, QWidget

from bellhop.core.cards import Registry
from bellhop.core.i18n import _
from bellhop.core.storage.records import StepRecord
from bellhop.ui.rules.add_card import AddCardPopup, CardGap, ChainEnd
from bellhop.ui.rules.cards import STEP_MIME, BaseCardWidget, CardWidget, TriggerCardWidget
from bellhop.ui.rules.draft import InsertCardCommand, MoveCardCommand, RemoveCardCommand, RuleDraft
from bellhop.ui.rules.palette import CARD_TYPE_MIME
from bellhop.ui.rules.problems import TRIGGER, PlacedProblems
from bellhop.ui.theme import ACCENT, WARN

_LOCAL_STYLE = (f'QFrame#Card[state="problem"] {{ border-left: 5px solid {WARN}; }}'
                f'QFrame#Card[focused="true"] {{ background: #eef3fd; }}')


class ChainCanvas(QWidget):
    """The area holding the cards; it takes drops and the chain's keyboard keys."""

    def __init__(self, chain: RuleChainView) -> None:
        super().__init__()
        self.chain = chain
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Cards of this rule"))
        self.setStyleSheet(_LOCAL_STYLE)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 4, 4, 8)
        self.layout_.setSpacing(0)
        self.indicator = QFrame(self)
        self.indicator.setFixedHeight(4)
        self.indicator.setStyleSheet(f"background: {ACCENT}; border-radius: 2px;")
        self.indicator.hide()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.chain.accepts(event.mimeData()):
            event.acceptProposedAction()
            self.show_indicator(event.position().y())
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.chain.accepts(event.mimeData()):
            event.acceptProposedAction()
            self.show_indicator(event.position().y())
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self.indicator.hide()

    def dropEvent(self, event: QDropEvent) -> None:
        self.indicator.hide()
        if self.chain.drop(event.mimeData(), event.position().y()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def show_indicator(self, y: float) -> None:
        """Draw the line where a dropped card would go."""
        line_y = self.chain.gap_y(self.chain.drop_index_at(y))
        margin = 16
        self.indicator.setGeometry(margin, int(line_y) - 2, self.width() - 2 * margin, 4)
        self.indicator.show()
        self.indicator.raise_()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.chain.handle_key(event):
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.chain.show_focus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.chain.show_focus(False)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # The menu key (or a right click beside the cards): the selected card's menu.
        card = self.chain.selected_card()
        if isinstance(card, CardWidget):
            self.chain.open_card_menu(card.index, card.mapToGlobal(QPoint(24, card.height())))


class RuleChainView(QScrollArea):
    """The rule's cards in order, top to bottom, with the trigger first."""

    selectionChanged = Signal(int)  # TRIGGER or a step index
    detailsRequested = Signal(int)
    fixRequested = Signal(object)  # the fix a card's test result offers
    cardRemoved = Signal(str)  # the removed card's title, to say how to bring it back

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.draft: RuleDraft | None = None
        self.new_step: Callable[[str], dict[str, Any]] = lambda type_name: {"type": type_name}
        self.field_name: Callable[[str], str] | None = None  # names fields in summaries
        self.selected = TRIGGER
        self.results: dict[int, StepRecord] = {}
        self.problems = PlacedProblems()
        self.cards: list[CardWidget] = []
        self.sender: str | None = None  # the sample's sender, to name fields in summaries
        self.gaps: list[CardGap] = []
        self.add_menu: AddCardPopup | None = None  # the "+" menu last opened
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the canvas inside takes the keys
        self.canvas = ChainCanvas(self)
        self.setWidget(self.canvas)
        self.trigger_card = TriggerCardWidget()
        self.trigger_card.clicked.connect(self._card_clicked)
        self.trigger_card.fixRequested.connect(self.fixRequested)
        self.canvas.layout_.addWidget(self.trigger_card)
        self.end = ChainEnd()
        self.end.addRequested.connect(self.open_add_menu)

    # -- the draft ----------------------------------------------------------------------

    def set_draft(self, draft: RuleDraft | None) -> None:
        """Show another rule (None: nothing)."""
        if self.draft is not None:
            self.draft.chainChanged.disconnect(self.rebuild)
            self.draft.stepEdited.disconnect(self._step_edited)
        self.draft = draft
        if draft is not None:
            draft.chainChanged.connect(self.rebuild)
            draft.stepEdited.connect(self._step_edited)
        self.rebuild(TRIGGER)

    def rebuild(self, select: int = TRIGGER) -> None:
        """Lay the cards out again after they were added, removed or moved."""
        layout = self.canvas.layout_
        refocus = self.canvas.isAncestorOf(QApplication.focusWidget())
        for widget in [*self.cards, *self.gaps]:
            layout.removeWidget(widget)
            widget.deleteLater()
        layout.removeWidget(self.end)
        while layout.count() > 1:  # the stretch
            layout.takeAt(1)
        self.cards, self.gaps, self.results = [], [], {}
        steps = self.draft.steps if self.draft else []
        above: BaseCardWidget = self.trigger_card
        for index, step in enumerate(steps):
            self._add_gap(index, above)
            card = CardWidget(index, self.registry.get(str(step.get("type"))), step,
                              name_of=self.field_name, sender=self.sender)
            card.clicked.connect(self._card_clicked)
            card.detailsRequested.connect(self.detailsRequested)
            card.fixRequested.connect(self.fixRequested)
            card.menuRequested.connect(self.open_card_menu)
            layout.addWidget(card)
            card.show()  # now, not on the next loop turn: drops need its place at once
            self.cards.append(card)
            above = card
        self.end.gap = len(steps)
        layout.addWidget(self.end)
        self.end.setVisible(self.draft is not None)
        layout.addStretch(1)
        self._paint_states()
        self.select(select)
        if refocus:  # the "+" or "⋯" that had the focus is gone: the cards keep it
            self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_sender(self, sender: str | None) -> None:
        """Name fields in the cards' summaries as `sender` does (the sample changed)."""
        if sender == self.sender:
            return
        self.sender = sender
        for card in self.cards:
            card.sender = sender
            if self.draft is not None and card.index < len(self.draft.steps):
                card.show_step(self.draft.steps[card.index])

    def _add_gap(self, gap: int, above: BaseCardWidget) -> None:
        widget = CardGap(gap, above.title.text())
        widget.addRequested.connect(self.open_add_menu)
        self.canvas.layout_.addWidget(widget)
        widget.show()
        self.gaps.append(widget)

    def refresh_summaries(self) -> None:
        """Write every card's summary again (the sample, and so the fields' names, changed)."""
        if self.draft is not None:
            for card, step in zip(self.cards, self.draft.steps, strict=False):
                card.show_step(step)

    def _step_edited(self, index: int) -> None:
        if self.draft is not None and 0 <= index < len(self.cards):
            self.cards[index].show_step(self.draft.steps[index])

    # -- the three edits ----------------------------------------------------------------

    def insert_card(self, index: int, type_name: str) -> bool:
        """Add a new card of `type_name` at `index` (0 = right after the trigger)."""
        if self.draft is None or type_name not in self.registry:
            return False
        index = max(0, min(index, len(self.draft.steps)))
        self.draft.undo_stack.push(InsertCardCommand(
            self.draft, index, self.new_step(type_name), _("Add card")))
        return True

    def add_after_selection(self, type_name: str) -> bool:
        """Add a card right after the selected one (the palette's Enter)."""
        return self.insert_card(self.selected + 1, type_name)

    def duplicate_card(self, index: int) -> bool:
        """Add a copy of the card at `index` right after it."""
        if self.draft is None or not 0 <= index < len(self.draft.steps):
            return False
        self.draft.undo_stack.push(InsertCardCommand(
            self.draft, index + 1, self.draft.steps[index], _("Duplicate card")))
        return True

    def move_card(self, source: int, target: int) -> bool:
        """Move the card at `source` so that it ends up at `target`."""
        if self.draft is None:
            return False
        count = len(self.draft.steps)
        if not (0 <= source < count and 0 <= target < count) or source == target:
            return False
        self.draft.undo_stack.push(MoveCardCommand(self.draft, source, target,
                                                   _("Move card")))
        return True

    def remove_card(self, index: int) -> bool:
        """Take the card at `index` out of the rule (Ctrl+Z brings it back)."""
        if self.draft is None or not 0 <= index < len(self.draft.steps):
            return False
        title = self.cards[index].title.text() if index < len(self.cards) else ""
        self.draft.undo_stack.push(RemoveCardCommand(self.draft, index, _("Remove card")))
        self.cardRemoved.emit(title)
        return True

    # -- the "+" menus and the card menu ------------------------------------------------

    def open_add_menu(self, gap: int, anchor: QWidget | None = None) -> AddCardPopup | None:
        """Show the cards one can add at `gap` (0 = right after the trigger) under `anchor`."""
        if self.draft is None:
            return None
        if anchor is None:  # from the keyboard: the "+" under the selected card
            anchor = self.gaps[gap].button if gap < len(self.gaps) else self.end.button
            self.ensureWidgetVisible(anchor, 0, 80)
        popup = AddCardPopup(self.registry, self)
        popup.chosen.connect(lambda type_name: self._add_from_menu(gap, type_name))
        self.add_menu = popup
        popup.open_at(anchor)
        return popup

    def _add_from_menu(self, gap: int, type_name: str) -> None:
        if self.insert_card(gap, type_name):
            self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def card_menu(self, index: int) -> QMenu:
        """What can be done with one card: add after it, duplicate, move, remove."""
        menu = QMenu(self)
        count = len(self.cards)
        entries = (
            (_("Add a card after this one…"), "Ins", True,
             lambda: self.open_add_menu(index + 1)),
            (_("Duplicate"), "", True, lambda: self.duplicate_card(index)),
            (_("Move up"), "Ctrl+Up", index > 0, lambda: self.move_card(index, index - 1)),
            (_("Move down"), "Ctrl+Down", index < count - 1,
             lambda: self.move_card(index, index + 1)),
            (_("Remove"), "Del", True, lambda: self.remove_card(index)),
        )
        for text, keys, enabled, work in entries:
            action = menu.addAction(text)
            if keys:
                action.setShortcut(QKeySequence(keys))  # shown beside the entry; keys below
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setEnabled(enabled)
            action.triggered.connect(work)
        return menu

    def open_card_menu(self, index: int, where: QPoint) -> QMenu:
        """Show a card's menu at `where` (global)."""
        self.select(index)
        menu = self.card_menu(index)
        menu.popup(where)
        return menu

    # -- drops --------------------------------------------------------------------------

    def accepts(self, data: QMimeData) -> bool:
        """True for a card type from the palette or a card of this chain."""
        return self.draft is not None and (
            data.hasFormat(CARD_TYPE_MIME) or data.hasFormat(STEP_MIME))

    def drop_index_at(self, y: float) -> int:
        """The gap (0 = before the first step) nearest to `y` in canvas coordinates."""
        self.canvas.layout_.activate()  # cards added a moment ago have their places
        for index, card in enumerate(self.cards):
            if y < card.geometry().center().y():
                return index
        return len(self.cards)

    def gap_y(self, gap: int) -> float:
        """Where the drop line of a gap is drawn."""
        above = self.cards[gap - 1] if gap > 0 else self.trigger_card
        below = self.cards[gap] if gap < len(self.cards) else self.end
        return (above.geometry().bottom() + below.geometry().top()) / 2

    def drop(self, data: QMimeData, y: float) -> bool:
        """Handle a drop at `y`: a new card from the palette, or a card moved in the chain."""
        if not self.accepts(data):
            return False
        gap = self.drop_index_at(y)
        if data.hasFormat(CARD_TYPE_MIME):
            return self.insert_card(gap, bytes(data.data(CARD_TYPE_MIME).data()).decode())
        source = int(bytes(data.data(STEP_MIME).data()).decode())
        return self.move_card(source, gap - 1 if gap > source else gap)

    # -- selection and keys -------------------------------------------------------------

    def _card_clicked(self, index: int) -> None:
        self.select(index)
        self.canvas.setFocus(Qt.FocusReason.MouseFocusReason)

    def selected_card(self) -> BaseCardWidget:
        """The selected card's widget (the trigger's when it is selected)."""
        return self.trigger_card if self.selected == TRIGGER else self.cards[self.selected]

    def select(self, index: int) -> None:
        """Select the trigger (TRIGGER) or a step card, and tell the inspector."""
        index = max(TRIGGER, min(index, len(self.cards) - 1))
        self.selected = index
        self.trigger_card.set_selected(index == TRIGGER)
        for card in self.cards:
            card.set_selected(card.index == index)
        widget = self.selected_card()
        self.ensureWidgetVisible(widget, 0, 24)
        self.show_focus(self.canvas.hasFocus())
        self.canvas.setAccessibleDescription(_("Selected: {card}").format(
            card=widget.spoken()))
        self.selectionChanged.emit(index)

    def show_focus(self, focused: bool) -> None:
        """Mark the selected card while the keys act on it (the canvas has the focus)."""
        for card in [self.trigger_card, *self.cards]:
            card.set_focused(focused and card.index == self.selected)
        if focused:  # after the scroll area's own scrolling to the canvas, which comes later
            QTimer.singleShot(0, self, lambda: self.ensureWidgetVisible(self.selected_card(),
                                                                        0, 24))

    def handle_key(self, event: QKeyEvent) -> bool:
        """Up/Down select, Ctrl or Alt with Up/Down move the selected card, Delete removes
        it, Insert opens the "+" menu under it, Home/End go to the first and last card."""
        if self.draft is not None and event.matches(QKeySequence.StandardKey.Undo):
            self.draft.undo_stack.undo()  # also when the window's shortcut did not see it
            return True
        if self.draft is not None and (event.matches(QKeySequence.StandardKey.Redo) or
                                       QKeySequence(event.keyCombination()) ==
                                       QKeySequence("Ctrl+Shift+Z")):
            self.draft.undo_stack.redo()
            return True
        key = event.key()
        moving = bool(event.modifiers() & (Qt.KeyboardModifier.AltModifier |
                                           Qt.KeyboardModifier.ControlModifier))
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            if moving:
                if self.selected >= 0:
                    self.move_card(self.selected, self.selected + step)
            else:
                self.select(self.selected + step)
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.select(TRIGGER if key == Qt.Key.Key_Home else len(self.cards) - 1)
            return True
        if key == Qt.Key.Key_Insert or (key == Qt.Key.Key_Plus and not moving):
            self.open_add_menu(self.selected + 1)
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected >= 0:
            self.remove_card(self.selected)
            return True
        return False

    # -- what the cards show ------------------------------------------------------------

    def show_problems(self, problems: PlacedProblems) -> None:
        """Mark the cards that have problems (test results, when shown, come first)."""
        self.problems = problems
        self._paint_states()

    def show_results(self, records: list[StepRecord]) -> None:
        """Show a test run's outcome on each card."""
        self.results = {record.idx - 1: record for record in records}
        self._paint_states()

    def clear_results(self) -> None:
        """Forget the last test run (the rule changed since)."""
        if self.results:
            self.results = {}
            self._paint_states()

    def _paint_states(self) -> None:
        for card in self.cards:
            record = self.results.get(card.index)
            found = self.problems.of(card.index)
            if record is not None and record.status != "pending":
                card.show_result(record)
            elif found:
                card.set_state("problem", "\n".join(found))
            else:
                card.set_state("")
        trigger = self.problems.of(TRIGGER)
        fetched = self.results.get(TRIGGER)  # the trigger's own step (SurveyCake's answers)
        fix = None
        if fetched is not None and fetched.status == "failed":
            trigger, fix = [*trigger, fetched.error or ""], fetched.fix
        self.trigger_card.set_state("problem" if trigger else "", "\n".join(trigger), fix=fix)
