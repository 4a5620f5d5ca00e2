"""The rule builder: the rule's name, Save and Run test, the card palette and the chain.

The palette folds away: on a laptop it would take the room of the cards, and the "+"
between the cards adds them as well. Unless the person chose (settings.json keeps the
choice), it shows only when the builder is tall enough to keep four cards in view.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QUndoGroup
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.cards import Registry
from bellhop.core.i18n import _
from bellhop.ui.resources import icon
from bellhop.ui.rules.chain import RuleChainView
from bellhop.ui.rules.draft import RuleDraft
from bellhop.ui.rules.palette import CardPaletteView
from bellhop.ui.theme import ACCENT, BAD, OK, WARN

TALL_ENOUGH_FOR_PALETTE = 820  # builder pixels: with the palette, four cards still show
BANNER = {"ok": (OK, "#e8f6ee"), "failed": (BAD, "#fcebeb"), "problem": (WARN, "#fdf3e3"),
          "info": (ACCENT, "#eaf0fd")}


class MessageBar(QLabel):
    """A coloured line of news under the toolbar (saved, test result, problems)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def say(self, text: str, kind: str = "info") -> None:
        """Show `text` ('' hides the bar); kind: ok, failed, problem, info."""
        self.kind = kind if text else ""
        self.setText(text)
        colour, background = BANNER.get(kind, BANNER["info"])
        self.setStyleSheet(f"QLabel {{ color: {colour}; background: {background}; border-left:"
                           f" 4px solid {colour}; border-radius: 6px; padding: 8px 10px; }}")
        self.setVisible(bool(text))


class EmptyRulesView(QWidget):
    """What a first-time user sees: one sentence and a big New rule button."""

    newRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        picture = QLabel()
        picture.setPixmap(icon("bellhop").pixmap(QSize(72, 72)))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(_("No rules yet"), objectName="PageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(_("A rule says what Bellhop does when a service such as Shopify "
                        "sends it news: make your first one to get its web address."))
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = text.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        text.setFont(font)
        self.button = QPushButton(icon("plus-white"), _("New rule"))
        self.button.setProperty("primary", True)
        self.button.setMinimumSize(200, 44)
        self.button.setStyleSheet("font-size: 12pt;")
        self.button.clicked.connect(self.newRequested)
        column = QWidget()
        column.setFixedWidth(440)
        inner = QVBoxLayout(column)
        inner.setSpacing(12)
        for widget in (picture, title, text):
            inner.addWidget(widget)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


class RuleBuilderView(QWidget):
    """Centre of the Rules page for one rule."""

    saveRequested = Signal()
    testRequested = Signal()
    paletteChoiceChanged = Signal(str)  # "shown" or "hidden": the person chose

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: RuleDraft | None = None
        self.palette_choice = "auto"  # "auto", "shown" or "hidden", as in settings.json
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Rule name"))
        self.name.setAccessibleName(_("Rule name"))
        self.name.setStyleSheet("font-size: 14pt; font-weight: 600; padding: 4px 6px;")
        self.name.textEdited.connect(self._name_edited)
        self.undo_group = QUndoGroup(self)
        self.undo_action = self._action(self.undo_group.createUndoAction(self, _("Undo")),
                                        "undo", [QKeySequence.StandardKey.Undo])
        self.redo_action = self._action(self.undo_group.createRedoAction(self, _("Redo")),
                                        "redo", [QKeySequence.StandardKey.Redo,
                                                 QKeySequence("Ctrl+Shift+Z")])
        self.test_button = QPushButton(icon("play"), _("Run test"))
        self.test_button.setToolTip(_("Send the sample event through the cards, for "
                                      "real: emails are sent and rows are added."))
        self.test_button.clicked.connect(self.testRequested)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setProperty("primary", True)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.saveRequested)
        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.save_button)
        self.message = MessageBar()
        self.problems = MessageBar()
        self.palette = CardPaletteView(registry)
        self.chain = RuleChainView(registry)
        self.palette.cardChosen.connect(self.chain.add_after_selection)
        self.palette.removeRequested.connect(self.chain.remove_card)
        self.chain.cardRemoved.connect(self._card_removed)
        self.palette_toggle = QToolButton(text=_("Card list"))
        self.palette_toggle.setCheckable(True)
        self.palette_toggle.setAutoRaise(True)
        self.palette_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.palette_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.palette_toggle.setToolTip(_("Show every card you can add, to drag into the rule. "
                                         "The + between the cards adds them too."))
        self.palette_toggle.toggled.connect(self._palette_toggled)
        tools = QHBoxLayout()
        tools.addWidget(self.palette_toggle)
        tools.addStretch(1)
        for action in (self.undo_action, self.redo_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            tools.addWidget(button)
        tools.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.problems)
        layout.addLayout(tools)
        layout.addWidget(self.palette)
        layout.addWidget(self.chain, 1)
        self._fade = QTimer(self, singleShot=True, interval=8000)
        self._fade.timeout.connect(lambda: self.message.say("") if self.message.kind in (
            "ok", "info") else None)
        self._show_palette(False)

    # -- the palette folds away ---------------------------------------------------------

    def set_palette_choice(self, choice: str) -> None:
        """Follow the saved choice: "shown", "hidden", or "auto" (shown when tall enough)."""
        self.palette_choice = choice if choice in ("shown", "hidden") else "auto"
        self._follow_choice()

    def _follow_choice(self) -> None:
        if self.palette_choice == "auto":
            self._show_palette(self.height() >= TALL_ENOUGH_FOR_PALETTE)
        else:
            self._show_palette(self.palette_choice == "shown")

    def _show_palette(self, shown: bool) -> None:
        self.palette_toggle.blockSignals(True)
        self.palette_toggle.setChecked(shown)
        self.palette_toggle.blockSignals(False)
        self.palette_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else
                                         Qt.ArrowType.RightArrow)
        self.palette.setVisible(shown)

    def _palette_toggled(self, shown: bool) -> None:
        self._show_palette(shown)
        self.palette_choice = "shown" if shown else "hidden"
        self.paletteChoiceChanged.emit(self.palette_choice)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.palette_choice == "auto":
            self._follow_choice()

    def _card_removed(self, title: str) -> None:
        keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText)
        self.say(_("Removed “{card}”. Undo ({keys}) brings it back.").format(
            card=title, keys=keys), "info")

    def _action(self, action: QAction, icon_name: str,
                keys: list[QKeySequence | QKeySequence.StandardKey]) -> QAction:
        action.setIcon(icon(icon_name))
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def set_draft(self, draft: RuleDraft | None) -> None:
        """Edit another rule."""
        self.draft = draft
        self.name.setText(draft.name if draft else "")
        self.name.setCursorPosition(0)
        if draft is not None:
            if draft.undo_stack not in self.undo_group.stacks():
                self.undo_group.addStack(draft.undo_stack)
            self.undo_group.setActiveStack(draft.undo_stack)
        self.chain.set_draft(draft)
        self.message.say("")

    def _name_edited(self, text: str) -> None:
        if self.draft is not None:
            self.draft.set_name(text)

    def say(self, text: str, kind: str = "info") -> None:
        """Show news above the cards; good news fades after a while."""
        self.message.say(text, kind)
        if kind in ("ok", "info"):
            self._fade.start()
