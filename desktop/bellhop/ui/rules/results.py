"""Details of one card in a test run: what went in, what came out, what went wrong."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _, ngettext
from bellhop.core.storage.records import RunRecord, StepRecord
from bellhop.ui.rules.widgets import state_colour


def pretty(value: Any) -> str:
    """A value as indented JSON (text stays text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


class StepResultDialog(QDialog):
    """A card's test result with its input and output as JSON."""

    def __init__(self, record: StepRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Test result: {card}").format(
            card=record.label))
        self.resize(560, 460)
        words = {"succeeded": _("This card worked."),
                 "failed": _("This card did not work."),
                 "skipped": _("This card did not run.")}
        state = {"succeeded": "ok", "failed": "failed"}.get(record.status, "skipped")
        summary = QLabel(words.get(record.status, record.status))
        summary.setStyleSheet(f"color: {state_colour(state)}; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        for warning in record.warnings:  # done, but a field the event lacks was left empty
            note = QLabel(warning)
            note.setWordWrap(True)
            note.setStyleSheet(f"color: {state_colour('warned')};")
            layout.addWidget(note)
        if record.error:
            error = QLabel(record.error)
            error.setWordWrap(True)
            layout.addWidget(error)
        tabs = QTabWidget()
        for title, value in ((_("What it gave"), record.output),
                             (_("What it was given"), record.input)):
            view = QPlainTextEdit(pretty(value), readOnly=True)
            view.setFont(QFont("monospace"))
            tabs.addTab(view, title)
        layout.addWidget(tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


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
