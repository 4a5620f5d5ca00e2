"""RunStepsWidget: each run of an event and its steps, and what one step did (a sentence
first), hit, gave or got (its data under "Technical details")."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bellhop.actions.filter import step_title
from bellhop.actions.registry import shipped_registry
from bellhop.core.i18n import _, ngettext
from bellhop.core.running.runwords import clock, duration_text, reason_word
from bellhop.core.running.sentences import skipped_reason, step_sentence
from bellhop.core.storage.records import RunRecord, StepRecord
from bellhop.ui import theme
from bellhop.ui.activity.status import dot, status_hint, status_word
from bellhop.ui.technical import TechnicalDetails

ITEM_ROLE = Qt.ItemDataRole.UserRole


class RunStepsWidget(QWidget):
    """The runs of one event (newest first) with their steps; details of the one picked."""

    runSelected = Signal(object)  # the RunRecord picked (its own row or one of its steps)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs: list[RunRecord] = []
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([_("Step"), _("Result"), _("Tries"),
                                   _("Took")])
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(14)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(_("Runs and their steps"))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 104), (2, 44), (3, 62)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.technical = TechnicalDetails()
        self.technical.toggled.connect(self._technical_toggled)
        lower = QWidget()
        self.lower = QVBoxLayout(lower)
        self.lower.setContentsMargins(0, 0, 0, 0)
        self.lower.addWidget(self.details, 1)
        self.lower.addWidget(self.technical, 0)
        self.details.setAccessibleName(_("The step picked, in detail"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(lower)
        split.setSizes([120, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.tree.currentItemChanged.connect(self._picked)

    def show_runs(self, runs: list[RunRecord]) -> None:
        """Show these runs (oldest first as stored; shown newest first), keeping the pick."""
        kept = self._current_key()
        self.runs = runs
        self.tree.blockSignals(True)
        self.tree.clear()
        by_key: dict[tuple[Any, ...], QTreeWidgetItem] = {}
        for number, run in reversed(list(enumerate(runs, 1))):
            if run.reason == "new":  # the usual case says least
                title = _("Run {number} · {time}").format(
                    number=number, time=clock(run.started_at)[11:])
            else:
                title = _("Run {number} · {reason} · {time}").format(
                    number=number, reason=reason_word(run.reason),
                    time=clock(run.started_at)[11:])
            item = QTreeWidgetItem([title, status_word(run.status), "",
                                    duration_text(run.duration_ms)])
            item.setToolTip(0, _("{title}, {reason}").format(
                title=title, reason=reason_word(run.reason).lower()))
            item.setIcon(1, dot(run.status))
            item.setData(0, ITEM_ROLE, ("run", run.id))
            item.setToolTip(1, status_hint(run.status))
            self.tree.addTopLevelItem(item)
            by_key[("run", run.id)] = item
            for step in run.steps:
                child = QTreeWidgetItem([
                    step_title(step), status_word(step.status),
                    str(step.attempts) if step.attempts else "",
                    duration_text(step.duration_ms)])
                child.setIcon(1, dot(step.status))
                child.setToolTip(0, step_title(step))
                child.setToolTip(1, step.error or "\n".join(step.warnings)
                                 or status_hint(step.status))
                child.setData(0, ITEM_ROLE, ("step", run.id, step.idx))
                item.addChild(child)
                by_key[("step", run.id, step.idx)] = child
        self.tree.expandAll()
        self.tree.blockSignals(False)
        target = by_key.get(kept) if kept else None
        if target is None and runs:
            target = self._first_to_show(runs[-1], by_key)
        if target is not None:
            self.tree.setCurrentItem(target)
        else:
            self.details.clear()
            self.technical.show_data([])
            self.runSelected.emit(None)

    @staticmethod
    def _first_to_show(run: RunRecord,
                       by_key: dict[tuple[Any, ...], QTreeWidgetItem]) -> QTreeWidgetItem:
        """The failed step of the latest run, else its last step that did something."""
        steps = [s for s in run.steps if s.status == "failed"] or [
            s for s in run.steps if s.status not in ("pending", "skipped")]
        if steps:
            return by_key[("step", run.id, steps[-1].idx)]
        return by_key[("run", run.id)]

    def _current_key(self) -> tuple[Any, ...] | None:
        item = self.tree.currentItem()
        return tuple(item.data(0, ITEM_ROLE)) if item is not None else None

    def selected_run(self) -> RunRecord | None:
        """The run picked in the tree (the latest one when nothing is picked)."""
        key = self._current_key()
        if key is None:
            return self.runs[-1] if self.runs else None
        return next((run for run in self.runs if run.id == key[1]), None)

    def _picked(self, item: QTreeWidgetItem | None, _previous: Any = None) -> None:
        key = tuple(item.data(0, ITEM_ROLE)) if item is not None else None
        run = self.selected_run()
        step = None
        if key is None or run is None:
            self.details.clear()
        elif key[0] == "run":
            self.details.setHtml(self._run_html(run))
        else:
            step = next((s for s in run.steps if s.idx == key[2]), None)
            self.details.setHtml(self._step_html(step) if step else "")
        self.technical.show_data([(_("What came out"), step.output),
                                  (_("What went in"), step.input)] if step else [])
        self.runSelected.emit(run)

    def _technical_toggled(self, on: bool) -> None:
        # Open, the JSON takes most of the room; folded, the sentence and the words do.
        self.lower.setStretchFactor(self.technical, 3 if on else 0)

    def _run_html(self, run: RunRecord) -> str:
        reason = skipped_reason(shipped_registry(), run)  # "Skipped: the order total, …"
        parts = [f"<p><b>{html.escape(reason)}</b></p>" if reason else
                 f"<p><b>{html.escape(status_word(run.status))}</b> — "
                 f"{html.escape(status_hint(run.status))}</p>"]
        if run.error:
            parts.append(self._section(_("What went wrong"), run.error, theme.BAD))
        if run.warnings:  # done, but fields the event lacks were left empty
            parts.append(self._lines(_("Worth a look"), run.warnings, theme.WARN))
        parts.append("<p>" + html.escape(_("Started {start}, took {took}.").format(
            start=clock(run.started_at), took=duration_text(run.duration_ms) or "—")) + "</p>")
        return "".join(parts)

    def _step_html(self, step: StepRecord) -> str:
        parts: list[str] = []
        sentence = step_sentence(shipped_registry(), step)  # what it did, first
        if sentence:
            parts.append(f"<p style='font-size:12pt'>{html.escape(sentence)}</p>")
        if step.error:
            parts.append(self._section(_("What went wrong"), step.error, theme.BAD))
        if step.warnings:
            parts.append(self._lines(_("Worth a look"), step.warnings, theme.WARN))
        tries = ngettext("Tried once", "Tried {count} times", step.attempts).format(
            count=step.attempts)
        parts.append(f"<p><b>{html.escape(status_word(step.status))}</b>"
                     + (f" · {html.escape(tries)}" if step.attempts else "")
                     + (f" · {html.escape(duration_text(step.duration_ms))}"
                        if step.duration_ms is not None else "") + "</p>")
        return "".join(parts)

    @staticmethod
    def _lines(title: str, lines: list[str], colour: str) -> str:
        items = "".join(f"<p style='color:{colour}'>{html.escape(line)}</p>" for line in lines)
        return f"<p style='margin-bottom:2px'><b>{html.escape(title)}</b></p>{items}"

    @staticmethod
    def _section(title: str, text: str, colour: str | None = None, block: bool = False) -> str:
        body = html.escape(text)
        style = f' style="color:{colour}"' if colour else ""
        if block:  # keeps its lines and indents, yet wraps long ones instead of scrolling
            inner = f"<p style='white-space:pre-wrap; font-family:monospace'>{body}</p>"
        else:
            inner = f"<p{style}>{body}</p>"
        return f"<p style='margin-bottom:2px'><b>{html.escape(title)}</b></p>{inner}"
