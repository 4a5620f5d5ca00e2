"""Before 'Run test' sends the sample through cards that act for real, the person is asked.

A card says what it really does in a test (`ActionType.test_effect`: "sends the email
for real"); a rule without such cards is tested at once. The question names each card
in words, offers "Run test" and "Cancel", and "Don't ask again for this rule".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.cards import Registry
from bellhop.core.i18n import _
from bellhop.service import Bellhop
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.rules.labels import card_label


def real_effects(steps: list[dict[str, Any]], registry: Registry) -> list[str]:
    """One line per card that acts for real in a test: '2. Email the warehouse: sends the
    email for real' (numbered as the builder numbers its cards)."""
    lines = []
    for number, step in enumerate(steps, start=1):
        action = registry.get(str(step.get("type")))
        if action is None or not action.test_effect:
            continue
        name = str(step.get("name") or "").strip() or card_label(action)
        lines.append(_("{number}. {card}: {effect}").format(
            number=number, card=name, effect=_(action.test_effect)))
    return lines


class RealEffectsDialog(QDialog):
    """'Run test really does this': the cards in words, Run test or Cancel."""

    def __init__(self, effects: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Run the test for real?"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        intro = QLabel(_("Run test sends the sample event through this rule's cards, and they "
                         "do their work for real:"))
        intro.setWordWrap(True)
        self.effects = QLabel("\n".join(f"•  {line}" for line in effects))
        self.effects.setWordWrap(True)
        self.effects.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.effects.setStyleSheet("QLabel { padding: 4px 0 4px 8px; font-weight: 600; }")
        after = QLabel(_("Emails really arrive, rows stay in the sheet or file, and the web "
                         "addresses really get the call. Use test addresses and files if you "
                         "only want to try."))
        after.setWordWrap(True)
        after.setObjectName("Hint")
        self.quiet = QCheckBox(_("Don't ask again for this rule"))
        self.buttons = QDialogButtonBox()
        self.run_button = self.buttons.addButton(_("Run test"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.run_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.effects, after, self.quiet, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(460)


def confirm_real_effects(parent: QWidget, effects: list[str],
                         then: Callable[[bool], None]) -> RealEffectsDialog:
    """Ask before a test that acts for real; `then(quiet)` runs once the person says Run
    test (`quiet`: don't ask again for this rule). The window stays responsive meanwhile."""
    dialog = RealEffectsDialog(effects, parent)
    dialog.accepted.connect(lambda: then(dialog.quiet.isChecked()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


class RealEffectsGuard(QObject):
    """Asks before a test that acts for real, except for rules the person said not to
    ask about again (kept in settings.json, `run_test_without_asking`)."""

    def __init__(self, bridge: EngineBridge, registry: Registry,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.bridge, self.registry, self.page = bridge, registry, parent
        self.quiet: set[str] = set()  # rule ids
        self.question: RealEffectsDialog | None = None

    def load(self) -> None:
        """Read which rules are tested without asking (the answer comes later)."""
        self.bridge.call_plain(lambda s: list(s.settings.run_test_without_asking),
                               self.quiet.update)

    def ask(self, rule_id: str, steps: list[dict[str, Any]], then: Callable[[], None]) -> None:
        """Run `then` now when the rule's cards change nothing outside Bellhop in a test or
        the person said not to ask; else once the person says Run test."""
        effects = real_effects(steps, self.registry)
        if not effects or rule_id in self.quiet:
            then()
            return

        def answered(quiet: bool) -> None:
            self.question = None
            if quiet:
                self._keep_quiet(rule_id)
            then()

        question = confirm_real_effects(self.page, effects, answered)
        if question is not None and question.isVisible():  # not answered yet
            self.question = question
            question.rejected.connect(lambda: setattr(self, "question", None))

    def _keep_quiet(self, rule_id: str) -> None:
        self.quiet.add(rule_id)

        def keep(service: Bellhop) -> Any:
            ids = service.settings.run_test_without_asking
            if rule_id in ids:
                return service.settings
            return service.update_settings(run_test_without_asking=[*ids, rule_id])

        self.bridge.call_plain(keep)
