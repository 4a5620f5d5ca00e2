"""EventDetailPanel: one event — what went wrong first, then its runs, steps and request."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.core.storage.records import EventRecord, RunRecord
from bellhop.ui import theme
from bellhop.ui.activity.request import RequestView
from bellhop.ui.activity.runs import RunStepsWidget
from bellhop.ui.activity.status import COLOURS, status_hint, status_word

_STYLE = """
QLabel#DetailTitle { font-size: 13pt; font-weight: 600; }
QLabel#Problem { background: rgba(214, 69, 69, 0.08); border: 1px solid rgba(214, 69, 69, 0.55);
    border-radius: 8px; padding: 8px 10px; }
QLabel#Problem[tone="waiting"] { background: rgba(217, 119, 6, 0.08);
    border-color: rgba(217, 119, 6, 0.55); }
"""


class EventDetailPanel(QWidget):
    """What one event brought and what each run of it did, with Retry, Replay, Copy as curl."""

    retryRequested = Signal(str)  # run id
    replayRequested = Signal(str)  # event id
    copyRequested = Signal(str)  # event id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        self.shown: EventRecord | None = None
        self.title = QLabel(objectName="DetailTitle")
        self.subtitle = QLabel(objectName="Hint")
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle.setWordWrap(True)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.problem = QLabel(objectName="Problem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry = QPushButton(_("Try again"))
        self.retry.setProperty("primary", True)
        self.retry.setToolTip(_("Tries the failed step again and goes on from there; steps that "
                                "worked are not repeated."))
        self.replay = QPushButton(_("Run again"))
        self.replay.setToolTip(_("Runs this delivery through the rule as it is now, every step, as "
                                 "a new run."))
        self.copy = QPushButton(_("Copy as curl"))
        self.copy.setToolTip(_("Copies a command that sends this delivery again, for someone "
                               "helping you."))
        self.feedback = QLabel(objectName="Hint")
        self.feedback.setWordWrap(True)
        self.runs = RunStepsWidget()
        self.request = RequestView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.runs, _("What happened"))
        self.tabs.addTab(self.request, _("What arrived"))
        self.tabs.tabBar().setAccessibleName(_("What happened, or what arrived"))
        self.retry.clicked.connect(self._ask_retry)
        self.replay.clicked.connect(lambda: self.shown and self.replayRequested.emit(self.shown.id))
        self.copy.clicked.connect(lambda: self.shown and self.copyRequested.emit(self.shown.id))
        self.runs.runSelected.connect(self._run_picked)

        buttons = QHBoxLayout()
        for button in (self.retry, self.replay, self.copy):
            buttons.addWidget(button)
        buttons.addStretch(1)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addWidget(self.state)
        column.addWidget(self.problem)
        column.addLayout(buttons)
        column.addWidget(self.feedback)
        column.addWidget(self.tabs, 1)
        self.nothing = QLabel(_("Pick an event in the list to see what happened to it."),
                              objectName="Hint")
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.nothing)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.pages)

    def clear(self) -> None:
        """Show no event."""
        self.shown = None
        self.runs.show_runs([])
        self.request.show_event(None)
        self.pages.setCurrentIndex(0)

    def show_event(self, event: EventRecord, runs: list[RunRecord], rule_name: str) -> None:
        """Show an event with its runs (refreshing the same event keeps what is picked)."""
        if self.shown is None or self.shown.id != event.id:
            self.feedback.clear()
            self.tabs.setCurrentIndex(0)
        self.shown = event
        self.pages.setCurrentIndex(1)
        self.title.setText(rule_name)
        self.subtitle.setText(_("Received {time} · {method} · {size} · {event_id}").format(
            time=datetime.fromtimestamp(event.received_ts).strftime("%Y-%m-%d %H:%M:%S"),
            method=event.method,
            size=QLocale().formattedDataSize(len(event.body), 1), event_id=event.id))
        latest = runs[-1] if runs else None
        status = latest.status if latest else "new"
        # A failed run's box below says what went wrong: no need for the general hint.
        hint = "" if status == "failed" else f" — {html.escape(status_hint(status))}"
        self.state.setText(
            f"<span style='color:{COLOURS.get(status, '#888')}; font-size:14pt'>●</span> "
            f"<b>{html.escape(status_word(status))}</b>{hint}")
        self._show_problem(latest)
        self.request.show_event(event)
        self.runs.show_runs(runs)
        self._run_picked(self.runs.selected_run())

    def _show_problem(self, run: RunRecord | None) -> None:
        if run is None or run.status not in ("failed", "waiting"):
            self.problem.hide()
            return
        step = next((s for s in run.steps if s.status in ("failed", "waiting") and s.error), None)
        error = (step.error if step else None) or run.error or _("No reason was recorded.")
        if step is not None and run.status == "failed":
            text = _("“{step}” could not be done: {error}").format(
                step=step.label or step.type, error=error)
        elif step is not None:
            text = _("“{step}” hit a problem and will be tried again: {error}").format(
                step=step.label or step.type, error=error)
        else:
            text = error
        self.problem.setProperty("tone", run.status)
        self.problem.style().unpolish(self.problem)
        self.problem.style().polish(self.problem)
        self.problem.setText(text)
        self.problem.show()

    def _run_picked(self, run: RunRecord | None) -> None:
        self.retry.setEnabled(run is not None and run.status == "failed")
        self.retry.setVisible(run is not None and run.status == "failed")

    def _ask_retry(self) -> None:
        run = self.runs.selected_run()
        if run is not None and run.status == "failed":
            self.retryRequested.emit(run.id)

    def say(self, message: str, *, problem: bool = False) -> None:
        """A short note under the buttons (what a button did, or why it could not)."""
        self.feedback.setStyleSheet(f"color: {theme.BAD}" if problem else "")
        self.feedback.setText(message)
