"""The chain of cards: trigger, then steps; drop, drag, keyboard and undo all meet here.

Every change goes through `insert_card`, `move_card` and `remove_card`, which push
undo commands; drops, keys and the palette only work out the index and call them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from bellhop.core.cards import Registry
from bellhop.core.i18n import _
from bellhop.core.storage.records import StepRecord
from bellhop.ui.resources import icon
from bellhop.ui.rules.cards import STEP_MIME, CardWidget, TriggerCardWidget
from bellhop.ui.rules.draft import InsertCardCommand, MoveCardCommand, RemoveCardCommand, RuleDraft
from bellhop.ui.rules.palette import CARD_TYPE_MIME
from bellhop.ui.rules.problems import TRIGGER, PlacedProblems
from bellhop.ui.theme import ACCENT, WARN

_LOCAL_STYLE = f'QFrame#Card[state="problem"] {{ border-left: 5px solid {WARN}; }}'


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
        self.layout_.setContentsMargins(4, 4, 4, 12)
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


class RuleChainView(QScrollArea):
    """The rule's cards in order, top to bottom, with the trigger first."""

    selectionChanged = Signal(int)  # TRIGGER or a step index
    detailsRequested = Signal(int)
    fixRequested = Signal(object)  # the fix a card's test result offers

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
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.canvas = ChainCanvas(self)
        self.setWidget(self.canvas)
        self.trigger_card = TriggerCardWidget()
        self.trigger_card.clicked.connect(self._card_clicked)
        self.trigger_card.fixRequested.connect(self.fixRequested)
        self.canvas.layout_.addWidget(self.trigger_card)
        self.end_hint = QLabel(_("Drag a card here from the list above, or select one "
                                 "there and press Enter."))
        self.end_hint.setObjectName("Hint")
        self.end_hint.setWordWrap(True)
        self.end_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.end_hint.setStyleSheet("QLabel { border: 2px dashed palette(mid); border-radius:"
                                    " 10px; padding: 14px; margin-top: 4px; }")
        self._connectors: list[QLabel] = []

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
        for widget in [*self.cards, *self._connectors]:
            layout.removeWidget(widget)
            widget.deleteLater()
        layout.removeWidget(self.end_hint)
        while layout.count() > 1:  # the stretch
            layout.takeAt(1)
        self.cards, self._connectors, self.results = [], [], {}
        steps = self.draft.steps if self.draft else []
        for index, step in enumerate(steps):
            self._add_connector()
            card = CardWidget(index, self.registry.get(str(step.get("type"))), step,
                              name_of=self.field_name, sender=self.sender)
            card.clicked.connect(self._card_clicked)
            card.detailsRequested.connect(self.detailsRequested)
            card.fixRequested.connect(self.fixRequested)
            layout.addWidget(card)
            card.show()  # now, not on the next loop turn: drops need its place at once
            self.cards.append(card)
        self._add_connector()
        layout.addWidget(self.end_hint)
        self.end_hint.setVisible(True)
        layout.addStretch(1)
        self._paint_states()
        self.select(select)

    def set_sender(self, sender: str | None) -> None:
        """Name fields in the cards' summaries as `sender` does (the sample changed)."""
        if sender == self.sender:
            return
        self.sender = sender
        for card in self.cards:
            card.sender = sender
            if self.draft is not None and card.index < len(self.draft.steps):
                card.show_step(self.draft.steps[card.index])

    def _add_connector(self) -> None:
        arrow = QLabel()
        arrow.setPixmap(icon("arrow-down").pixmap(QSize(18, 18)))
        arrow.setAlignment(Qt.AlignmentFlag.AlignCenter)
        arrow.setFixedHeight(26)
        self.canvas.layout_.addWidget(arrow)
        arrow.show()
        self._connectors.append(arrow)

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
        self.draft.undo_stack.push(RemoveCardCommand(self.draft, index, _("Remove card")))
        return True

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
        below = self.cards[gap] if gap < len(self.cards) else self.end_hint
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

    def select(self, index: int) -> None:
        """Select the trigger (TRIGGER) or a step card, and tell the inspector."""
        index = max(TRIGGER, min(index, len(self.cards) - 1))
        self.selected = index
        self.trigger_card.set_selected(index == TRIGGER)
        for card in self.cards:
            card.set_selected(card.index == index)
        widget = self.trigger_card if index == TRIGGER else self.cards[index]
        self.ensureWidgetVisible(widget, 0, 24)
        self.selectionChanged.emit(index)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Up/Down select, Alt+Up/Alt+Down move the selected card, Delete removes it."""
        if self.draft is not None and event.matches(QKeySequence.StandardKey.Undo):
            self.draft.undo_stack.undo()  # also when the window's shortcut did not see it
            return True
        if self.draft is not None and (event.matches(QKeySequence.StandardKey.Redo) or
                                       QKeySequence(event.keyCombination()) ==
                                       QKeySequence("Ctrl+Shift+Z")):
            self.draft.undo_stack.redo()
            return True
        key, alt = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            if alt:
                if self.selected >= 0:
                    self.move_card(self.selected, self.selected + step)
            else:
                self.select(self.selected + step)
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
