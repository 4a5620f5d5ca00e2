"""The rule list: each rule's name, on/off switch, status dot and today's event count."""

from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _, ngettext
from bellhop.ui.resources import icon
from bellhop.ui.rules.widgets import ElidedLabel, StatusDot, ToggleSwitch
from bellhop.ui.theme import BAD, WARN

ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class RuleSummary:
    """What the list shows of a rule, copied on the engine thread."""

    id: str
    name: str
    enabled: bool
    problems: list[str]
    raw: dict[str, Any]
    url: str
    last_status: str | None = None
    last_error: str | None = None
    unsaved: bool = field(default=False)
    address_changed: bool = field(default=False)  # the tunnel's address moved since


def local_midnight() -> float:
    """Today 00:00 on this computer's clock, as a Unix time."""
    return datetime.now().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def events_today(conn: sqlite3.Connection, rule_id: str, since: float) -> int:
    """How many deliveries a rule got since `since`."""
    row = conn.execute("SELECT COUNT(*) FROM events WHERE rule_id = ? AND received_ts >= ?",
                       (rule_id, since)).fetchone()
    return int(row[0])


def waiting(conn: sqlite3.Connection, rule_id: str) -> int:
    """How many of a rule's deliveries wait for their first run (a slow destination, a
    pause, a restart)."""
    return conn.execute("SELECT COUNT(*) FROM events WHERE state = 'new' AND rule_id = ?",
                        (rule_id,)).fetchone()[0]


def last_run(conn: sqlite3.Connection, rule_id: str) -> tuple[str | None, str | None]:
    """The status and error of a rule's latest run (test runs are never stored)."""
    row = conn.execute("SELECT status, error FROM runs WHERE rule_id = ? ORDER BY seq DESC "
                       "LIMIT 1", (rule_id,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


class RuleRowWidget(QWidget):
    """One rule in the list."""

    def __init__(self, summary: RuleSummary) -> None:
        super().__init__()
        self.rule_id = summary.id
        self.dot = StatusDot()
        self.name = ElidedLabel()
        self.name.setStyleSheet("font-weight: 600;")
        self.count = QLabel()
        self.count.setObjectName("Hint")
        self.count.setTextFormat(Qt.TextFormat.RichText)  # the refused part is coloured
        self.switch = ToggleSwitch()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(8)
        layout.addWidget(self.dot)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.name)
        text.addWidget(self.count)
        layout.addLayout(text, 1)
        layout.addWidget(self.switch)
        self.events = self.backlog = self.refused = 0
        self.show_summary(summary)
        self.set_count(0)

    def show_summary(self, summary: RuleSummary) -> None:
        """Show the rule's name, switch and state."""
        self.summary = summary
        self.name.set_full_text(("✎ " if summary.unsaved else "") + summary.name)
        self.name.setToolTip(_("{name}: changes not saved yet").format(
            name=summary.name)
                             if summary.unsaved else summary.name)
        self._show_count()
        self.switch.blockSignals(True)
        self.switch.setChecked(summary.enabled)
        self.switch.blockSignals(False)
        self.switch.setToolTip(_("Turn this rule off") if summary.enabled else
                               _("Turn this rule on"))
        self.switch.setAccessibleName(_("Rule on: {name}").format(name=summary.name))
        if summary.problems:
            self.dot.set_state("unavailable", _("Cannot run: {reasons}").format(
                reasons=" ".join(summary.problems)))
        elif not summary.enabled:
            self.dot.set_state("off", _("Turned off"))
        elif summary.last_status == "failed":
            self.dot.set_state("failed", _("The last run failed: {error}").format(
                error=summary.last_error or ""))
        else:
            self.dot.set_state("ok", _("Ready") if summary.last_status is None
                               else _("The last run worked"))

    def set_count(self, count: int, backlog: int = 0, refused: int = 0) -> None:
        """Show today's number of deliveries, how many wait to run, how many were refused."""
        self.events, self.backlog, self.refused = count, backlog, refused
        self._show_count()

    def _show_count(self) -> None:
        if self.summary.address_changed:
            self.count.setText(_("⚠ New address"))
            self.count.setStyleSheet(f"color: {WARN};")
            self.count.setToolTip(_("The public address changed. Open the rule, copy its address "
                                    "and paste it into the service's webhook settings."))
            return
        self.count.setStyleSheet("")
        text = _("Events today: {n}").format(
            n=self.events)
        backlog = self.backlog
        if backlog:
            text += " · " + _("{n} waiting").format(
                n=f"{backlog:,}")
            self.count.setToolTip(ngettext(
                "{n} delivery is safe on disk and waits for its turn to run (one step of "
                "this rule is slow, or Bellhop was paused or restarted).",
                "{n} deliveries are safe on disk and wait for their turn to run (one step of "
                "this rule is slow, or Bellhop was paused or restarted).", backlog).format(
                    n=f"{backlog:,}"))
        else:
            self.count.setToolTip("")
        self.count.setText(html.escape(text))
        if self.refused:
            refused = ngettext("{n} refused today", "{n} refused today", self.refused).format(
                n=f"{self.refused:,}")
            self.count.setText(f'{html.escape(text)} · <span style="color: {BAD};">'
                               f"{html.escape(refused)}</span>")
            self.count.setToolTip(ngettext(
                "{n} delivery to this rule was turned away today (a wrong secret, address or "
                "method…). Activity › Refused says why and what fixes it.",
                "{n} deliveries to this rule were turned away today (a wrong secret, address "
                "or method…). Activity › Refused says why and what fixes it.",
                self.refused).format(n=f"{self.refused:,}"))


class RuleListView(QWidget):
    """Left column of the Rules page: the rules and the buttons that make and remove them."""

    ruleSelected = Signal(str)
    enabledToggled = Signal(str, bool)
    newRequested = Signal()
    duplicateRequested = Signal(str)
    deleteRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(_("Rules"), objectName="PageTitle")
        self.new_button = QPushButton(icon("plus-white"), _("New rule"))
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self.newRequested)
        self.list = QListWidget()
        self.list.setSpacing(2)
        self.list.setStyleSheet(
            "QListWidget { border: none; background: transparent; }"
            "QListWidget::item { border: 1px solid transparent; border-radius: 8px;"
            " background: palette(base); }"
            "QListWidget::item:selected { border: 2px solid palette(highlight);"
            " background: palette(base); }")
        self.list.setAccessibleName(_("Rules"))
        self.list.currentItemChanged.connect(self._current_changed)
        self.duplicate_button = QPushButton(icon("duplicate"), _("Duplicate"))
        self.duplicate_button.clicked.connect(lambda: self._with_current(
            self.duplicateRequested))
        self.delete_button = QPushButton(icon("trash"), _("Delete"))
        self.delete_button.clicked.connect(lambda: self._with_current(self.deleteRequested))
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addWidget(self.new_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.rows: dict[str, RuleRowWidget] = {}
        self._update_buttons()

    def _with_current(self, signal: Any) -> None:
        rule_id = self.current_id()
        if rule_id:
            signal.emit(rule_id)

    def _current_changed(self, item: QListWidgetItem | None, _: object) -> None:
        self._update_buttons()
        if item is not None:
            self.ruleSelected.emit(item.data(ID_ROLE))

    def _update_buttons(self) -> None:
        has = self.list.currentItem() is not None
        self.duplicate_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.duplicate_button.setVisible(self.list.count() > 0)
        self.delete_button.setVisible(self.list.count() > 0)

    def current_id(self) -> str:
        """The selected rule's id ('' when none)."""
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else ""

    def set_rules(self, summaries: list[RuleSummary], select: str = "") -> None:
        """Show these rules, keeping `select` (or the current one) selected."""
        keep = select or self.current_id()
        counts = {rule_id: (row.events, row.backlog, row.refused)
                  for rule_id, row in self.rows.items()}
        self.list.blockSignals(True)
        self.list.clear()
        self.rows = {}
        for summary in summaries:
            item = QListWidgetItem(self.list)
            item.setData(ID_ROLE, summary.id)
            row = RuleRowWidget(summary)
            row.set_count(*counts.get(summary.id, (0, 0, 0)))
            row.switch.toggled.connect(
                lambda on, rule_id=summary.id: self.enabledToggled.emit(rule_id, on))
            item.setSizeHint(QSize(200, max(row.sizeHint().height(), 48)))
            self.list.setItemWidget(item, row)
            self.rows[summary.id] = row
        self.list.blockSignals(False)
        ids = [s.id for s in summaries]
        target = keep if keep in ids else (ids[0] if ids else "")
        if target:
            self.select(target)
        self._update_buttons()

    def select(self, rule_id: str) -> None:
        """Select a rule (the page then shows it)."""
        for index in range(self.list.count()):
            item = self.list.item(index)
            if item.data(ID_ROLE) == rule_id:
                if self.list.currentItem() is item:
                    self.ruleSelected.emit(rule_id)
                else:
                    self.list.setCurrentItem(item)
                return

    def summary(self, rule_id: str) -> RuleSummary | None:
        """The shown summary of a rule."""
        row = self.rows.get(rule_id)
        return row.summary if row is not None else None

    def update_summary(self, summary: RuleSummary) -> None:
        """Refresh one rule's row."""
        row = self.rows.get(summary.id)
        if row is not None:
            row.show_summary(summary)
