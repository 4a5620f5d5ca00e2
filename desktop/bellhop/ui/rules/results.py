"""Details of one card in a test run: what it did in a sentence, what went wrong, and the
data it was given and gave under "Technical details"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from bellhop.actions.registry import shipped_registry
from bellhop.core.cards import Registry
from bellhop.core.i18n import _, ngettext
from bellhop.core.running.sentences import step_sentence
from bellhop.core.storage.records import RunRecord, StepRecord
from bellhop.ui.rules.widgets import state_colour
from bellhop.ui.technical import TechnicalDetails


class StepResultDialog(QDialog):
    """A card's test result: a sentence first, the JSON folded under Technical details."""

    def __init__(self, record: StepRecord, parent: QWidget | None = None,
                 registry: Registry | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Test result: {card}").format(
            card=record.label))
        self.setMinimumWidth(480)
        words = {"succeeded": _("This card worked."),
                 "failed": _("This card did not work."),
                 "skipped": _("This card did not run.")}
        state = {"succeeded": "ok", "failed": "failed"}.get(record.status, "skipped")
        summary = QLabel(words.get(record.status, record.status))
        summary.setStyleSheet(f"color: {state_colour(state)}; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        self.sentence = QLabel(step_sentence(registry or shipped_registry(), record))
        self.sentence.setWordWrap(True)
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sentence.setStyleSheet("font-size: 12pt;")
        self.sentence.setVisible(bool(self.sentence.text()))
        layout.addWidget(self.sentence)
        for warning in record.warnings:  # done, but a field the event lacks was left empty
            note = QLabel(warning)
            note.setWordWrap(True)
            note.setStyleSheet(f"color: {state_colour('warned')};")
            layout.addWidget(note)
        if record.error:
            error = QLabel(record.error)
            error.setWordWrap(True)
            error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(error)
        self.technical = TechnicalDetails()
        self.technical.show_data([(_("What it gave"), record.output),
                                  (_("What it was given"), record.input)])
        self.technical.toggled.connect(self._fit)
        layout.addWidget(self.technical, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fit(self, open_: bool) -> None:
        if open_:
            self.resize(max(self.width(), 560), max(self.height(), 460))
        else:
            self.adjustSize()


def test_outcome(run: RunRecord) -> tuple[str, str]:
    """What a 'Run test' came to, in words, and its kind (ok, info, failed)."""
    failed = next((step for step in run.steps if step.status == "failed"), None)
    if run.status == "succeeded" and run.warnings:
        warnings = run.warnings
        return ngettext("Test finished: every card worked. Worth a look: {warning}",
                        "Test finished: every card worked. {n} things worth a look, first: "
                        "{warning}", len(warnings)).format(
            n=len(warnings), warning=warnings[0]), "problem"
    if run.status == "succeeded":
        return _("Test finished: every card worked."), "ok"
    if run.status == "skipped":
        return _("Test finished: the filter stopped this event, so the "
                 "later cards did not run."), "info"
    if failed is not None and failed.idx == 0:  # the trigger's own step (SurveyCake)
        return _("The test stopped before the cards: {error}").format(
            error=failed.error or ""), "failed"
    if failed is not None:
        return _("The test stopped at card {n}: {error}").format(
            n=failed.idx, error=failed.error or ""), "failed"
    return _("The test could not run: {reason}").format(
        reason=run.error or ""), "failed"
