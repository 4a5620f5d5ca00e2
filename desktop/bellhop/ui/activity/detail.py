"""EventDetailPanel: one event — what went wrong first, then its runs, steps and request."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bellhop.actions.registry import shipped_registry
from bellhop.core.i18n import _, data_size
from bellhop.core.running.sentences import skipped_reason
from bellhop.core.storage.records import EventRecord, RunRecord, StepRecord
from bellhop.ui import theme
from bellhop.ui.activity import countdown
from bellhop.ui.activity.request import RequestView
from bellhop.ui.activity.runs import RunStepsWidget
from bellhop.ui.activity.status import COLOURS, status_hint, status_word
from bellhop.ui.fixes import FixButton
from bellhop.ui.flow_layout import FlowLayout

_STYLE = """
QLabel#DetailTitle { font-size: 13pt; font-weight: 600; }
QLabel#Problem { background: rgba(214, 69, 69, 0.08); border: 1px solid rgba(214, 69, 69, 0.55);
    border-radius: 8px; padding: 8px 10px; }
QLabel#Problem[tone="waiting"] { background: rgba(217, 119, 6, 0.08);
    border-color: rgba(217, 119, 6, 0.55); }
"""


class EventDetailPanel(QWidget):
    """What one event brought and what each run of it did, with the fix of what went wrong,
    Retry, Replay, Stop retrying and Copy as curl."""

    retryRequested = Signal(str)  # run id
    replayRequested = Signal(str)  # event id
    copyRequested = Signal(str)  # event id
    stopRequested = Signal(str)  # run id: stop retrying it
    fixRequested = Signal(object, str)  # the fix of the failed step, the rule's id

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
        self.problem_step: StepRecord | None = None  # the step the problem box is about
        self.problem_run: RunRecord | None = None
        self.fix = FixButton()
        self.fix.setProperty("primary", True)
        self.fix.fixRequested.connect(
            lambda fix: self.shown and self.fixRequested.emit(fix, self.shown.rule_id))
        self.retry = QPushButton(_("Retry from the failed step"))
        self.retry.setToolTip(_("Goes on from the step that failed, with the settings the run "
                                "had; the steps that worked are not done again."))
        self.replay = QPushButton(_("Run again with the current rule"))
        self.replay.setToolTip(_("Sends this delivery through the rule as it is now, every step "
                                 "from the start, as a new run."))
        self.stop = QPushButton(_("Stop retrying"))
        self.stop.setToolTip(_("Bellhop stops trying this step again; the run ends as failed, "
                               "and you can still retry it later."))
        self.stop.clicked.connect(self._ask_stop)
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

        # The fix first; the buttons go on to a second line rather than lose their words.
        buttons = FlowLayout()
        for button in (self.fix, self.stop, self.retry, self.replay, self.copy):
            buttons.addWidget(button)
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
        self.problem_run = self.problem_step = None
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
            size=data_size(len(event.body)), event_id=event.id))
        latest = runs[-1] if runs else None
        status = latest.status if latest else ("sample" if event.state == "sample" else "new")
        # A failed run's box below says what went wrong: no need for the general hint.
        hint = "" if status == "failed" else f" — {html.escape(status_hint(status))}"
        words = f"<b>{html.escape(status_word(status))}</b>{hint}"
        reason = skipped_reason(shipped_registry(), latest) if latest else ""
        if reason:  # "Skipped: the order total, 300, is not more than 1000."
            words = f"<b>{html.escape(reason)}</b>"
        self.state.setText(
            f"<span style='color:{COLOURS.get(status, '#888')}; font-size:14pt'>●</span> "
            + words)
        self._show_problem(latest)
        self.request.show_event(event)
        self.runs.show_runs(runs)
        self._run_picked(self.runs.selected_run())

    def _show_problem(self, run: RunRecord | None) -> None:
        self.problem_run = run if run is not None and run.status in ("failed", "waiting") \
            else None
        if self.problem_run is None:
            self.problem_step = None
            self.problem.hide()
            self.fix.show_fix(None)
            self.retry.setProperty("primary", True)
            return
        self.problem_step = next((s for s in run.steps if s.error and s.status in (
            "failed", "waiting", "stopped")), None)
        self.problem.setProperty("tone", run.status)
        self.problem.style().unpolish(self.problem)
        self.problem.style().polish(self.problem)
        self.tick(countdown.clock())
        self.problem.show()
        self.fix.show_fix(self.problem_step.fix if self.problem_step is not None else None)
        # One blue button: the fix when there is one, else Retry.
        self.retry.setProperty("primary", self.fix.fix is None)
        self.retry.style().unpolish(self.retry)
        self.retry.style().polish(self.retry)

    def counting_down(self) -> bool:
        """True while the run shown waits to retry (its sentence counts down)."""
        run = self.problem_run
        return self.isVisible() and run is not None and run.status == "waiting" and bool(
            run.next_try_ts)

    def tick(self, now: float) -> None:
        """Say what went wrong, and when the next try comes as it is at `now`."""
        run, step = self.problem_run, self.problem_step
        if run is None:
            return
        error = (step.error if step else None) or run.error or _("No reason was recorded.")
        name = (step.label or step.type) if step is not None else ""
        if step is None:
            text = error
        elif step.status == "stopped":
            text = _("Stopped by you: “{step}” was not done. {error}").format(
                step=name, error=error)  # the step's error is the card's own words
        elif run.status == "failed":
            text = _("“{step}” could not be done: {error}").format(step=name, error=error)
        else:
            text = _("“{step}” hit a problem and will be tried again: {error}").format(
                step=name, error=error)
            if run.next_try_ts:
                text += " " + countdown.retry_sentence(run.next_try_ts, now)
        self.problem.setText(text)

    def _run_picked(self, run: RunRecord | None) -> None:
        failed = run is not None and run.status == "failed"
        self.retry.setEnabled(failed)
        self.retry.setVisible(failed)
        waiting = run is not None and run.status == "waiting"
        self.stop.setEnabled(waiting)
        self.stop.setVisible(waiting)

    def _ask_retry(self) -> None:
        run = self.runs.selected_run()
        if run is not None and run.status == "failed":
            self.retryRequested.emit(run.id)

    def _ask_stop(self) -> None:
        run = self.runs.selected_run()
        if run is not None and run.status == "waiting":
            self.stop.setEnabled(False)  # once: the run's news shows what came of it
            self.stopRequested.emit(run.id)

    def say(self, message: str, *, problem: bool = False) -> None:
        """A short note under the buttons (what a button did, or why it could not)."""
        self.feedback.setStyleSheet(f"color: {theme.BAD}" if problem else "")
        self.feedback.setText(message)
