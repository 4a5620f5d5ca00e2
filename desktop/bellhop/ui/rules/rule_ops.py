"""Whole-rule errands of the Rules page: create, duplicate, delete with undo, on/off, counts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from bellhop.core.gallery.starters import Starter, duplicate_rule, fill_for, new_rule
from bellhop.core.gallery.templates import Fill
from bellhop.core.i18n import _
from bellhop.core.running.rules import check_rule
from bellhop.core.storage.refusals import refused_since
from bellhop.service import Bellhop
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.resources import icon
from bellhop.ui.rules.listening import SampleKeeper
from bellhop.ui.rules.problems import plain
from bellhop.ui.rules.rule_list import RuleSummary, events_today, local_midnight, waiting
from bellhop.ui.rules.samples import load_shipped

UNDO_SECONDS = 15


def rule_summaries(service: Bellhop) -> list[RuleSummary]:
    """The rules as the list shows them (runs on the engine loop, copies everything)."""
    return [RuleSummary(id=rule.id, name=rule.name, enabled=rule.enabled,
                        problems=list(rule.problems), raw=copy.deepcopy(rule.raw),
                        url=service.hook_url(rule) if rule.token else "")
            for rule in service.list_rules()]


class UndoBar(QFrame):
    """A transient bar: "Deleted 'Orders'. [Undo]"; it goes away by itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UndoBar")
        self.setStyleSheet("QFrame#UndoBar { background: #2b2d33; border-radius: 8px; }"
                           "QFrame#UndoBar QLabel { color: white; }")
        self.text = QLabel()
        self.undo_button = QPushButton(icon("undo"), _("Undo"))
        self.undo_button.clicked.connect(self._undo)
        close = QToolButton(text="✕")
        close.setAutoRaise(True)
        close.setStyleSheet("color: white;")
        close.setToolTip(_("Close"))
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.undo_button)
        layout.addWidget(close)
        self._timer = QTimer(self, singleShot=True, interval=UNDO_SECONDS * 1000)
        self._timer.timeout.connect(self.dismiss)
        self._on_undo: Callable[[], None] | None = None
        self._on_expire: Callable[[], None] | None = None
        self.hide()

    def offer(self, text: str, on_undo: Callable[[], None],
              on_expire: Callable[[], None] | None = None) -> None:
        """Show `text` with an Undo button for a while."""
        self.dismiss()
        self.text.setText(text)
        self._on_undo, self._on_expire = on_undo, on_expire
        self.show()
        self._timer.start()

    def _undo(self) -> None:
        on_undo, self._on_undo, self._on_expire = self._on_undo, None, None
        self._timer.stop()
        self.hide()
        if on_undo is not None:
            on_undo()

    def dismiss(self) -> None:
        """Hide the bar; what it offered to undo stays done."""
        on_expire, self._on_undo, self._on_expire = self._on_expire, None, None
        self._timer.stop()
        self.hide()
        if on_expire is not None:
            on_expire()


class RuleKeeper(QObject):
    """Saves whole rules through the bridge and tells the page what to show."""

    changed = Signal(str)  # the rules changed; the rule to select ('' keeps the current)
    said = Signal(str, str)  # words for the person, and their kind (ok, failed, …)
    counted = Signal(str, int, int, int)  # a rule's deliveries today, waiting, refused today

    def __init__(self, bridge: EngineBridge, samples: SampleKeeper,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge, self.samples = bridge, samples
        self.undo_bar = UndoBar()
        self.rule_ids: list[str] = []
        self._to_count: set[str] = set()
        self._count_timer = QTimer(self, singleShot=True, interval=150)
        self._count_timer.timeout.connect(self._recount)

    def _failed(self, error: BaseException) -> None:
        self.said.emit(plain(error), "failed")

    def _save(self, raw: dict[str, Any], then: Callable[[Any], None],
              position: int | None = None) -> None:
        self.bridge.call_plain(lambda s: s.upsert_rule(raw, position), then, self._failed)

    def create(self, starter: Starter, name: str, smtp_accounts: list[str],
               accounts: dict[str, dict[str, Any]] | None = None) -> str:
        """Make a rule from a starter (turned off while cards still need filling in).

        With `accounts` (accounts.json), the only account of each kind is filled in.
        """
        if accounts is not None:
            fill = fill_for(accounts)
        else:
            fill = Fill(account=smtp_accounts[0] if len(smtp_accounts) == 1 else "")
        raw = new_rule(starter, name, fill)
        complete = not check_rule(raw, self.bridge.service.registry).problems
        raw["enabled"] = complete
        if starter.sample:
            self.samples.keep(raw["id"], load_shipped(starter.sample))

        def made(_result: Any) -> None:
            self.changed.emit(raw["id"])
            if not complete:
                self.said.emit(_("Rule made. Fill in what is marked on the cards, then "
                                 "save it."), "info")

        self._save(raw, made)
        return str(raw["id"])

    def duplicate(self, rule_id: str) -> None:
        """Copy a rule (with its sample) under a new address, turned off."""
        name_pattern = _("{name} (copy)")

        def make(service: Bellhop) -> dict[str, Any]:
            rule = next(r for r in service.list_rules() if r.id == rule_id)
            twin = duplicate_rule(rule.raw, name_pattern.format(name=rule.name))
            service.upsert_rule(twin)
            return twin

        def made(twin: dict[str, Any]) -> None:
            self.samples.copy(rule_id, twin["id"])
            self.changed.emit(twin["id"])
            self.said.emit(_("Copied. The copy has its own web address and stays off "
                             "until you turn it on."), "ok")

        self.bridge.call_plain(make, made, self._failed)

    def delete(self, rule_id: str) -> None:
        """Delete a rule; the undo bar can bring it back for a while."""
        def deleted(gone: tuple[dict[str, Any], int] | None) -> None:
            self.changed.emit("")
            if gone is None:
                return
            raw, position = gone
            name = str(raw.get("name") or rule_id)
            self.undo_bar.offer(_("Deleted the rule “{name}”.").format(
                name=name),
                                lambda: self._save(raw, lambda _: self.changed.emit(rule_id),
                                                   position),
                                lambda: self.samples.forget(rule_id))

        self.bridge.call_plain(lambda s: s.delete_rule(rule_id), deleted, self._failed)

    def set_enabled(self, rule_id: str, on: bool) -> None:
        """Turn a rule on or off."""
        self.bridge.call_plain(lambda s: s.set_enabled(rule_id, on),
                               lambda _: self.changed.emit(""), self._failed)

    def recount_all(self, rule_ids: list[str] | None = None) -> None:
        """Count today's deliveries (and refusals) of every rule again."""
        if rule_ids is not None:
            self.rule_ids = list(rule_ids)
        self._to_count.update(self.rule_ids)
        self._recount()

    def recount_soon(self, rule_id: str) -> None:
        """Count a rule's deliveries again shortly (a burst of deliveries counts once)."""
        self._to_count.add(rule_id)
        if not self._count_timer.isActive():
            self._count_timer.start()

    def _recount(self) -> None:
        since = local_midnight()
        todo, self._to_count = self._to_count, set()
        for rule_id in todo:
            count, backlog, refused = self.bridge.read(
                lambda conn, r=rule_id: (events_today(conn, r, since), waiting(conn, r),
                                         refused_since(conn, r, since)))
            self.counted.emit(rule_id, count, backlog, refused)
