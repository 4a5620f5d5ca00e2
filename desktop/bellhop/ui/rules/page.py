"""The Rules page: rule list (left), rule builder (centre), inspector (right)."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from bellhop.core.events import (
    DeliveryRejected,
    EngineEvent,
    EventReceived,
    RulesChanged,
    RunFinished,
    TunnelChanged,
)
from bellhop.core.gallery.starters import blank_step
from bellhop.core.i18n import _
from bellhop.core.running.rules import LoadedRule, check_rule
from bellhop.core.storage.records import RunRecord
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.rules.builder import EmptyRulesView, RuleBuilderView
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.draft import RuleDraft
from bellhop.ui.rules.field_choice import sample_sender
from bellhop.ui.rules.gallery import NewRuleDialog
from bellhop.ui.rules.inspector import InspectorPanel
from bellhop.ui.rules.listening import SampleKeeper
from bellhop.ui.rules.problems import TRIGGER, place_problems, plain
from bellhop.ui.rules.reach import ReachKeeper
from bellhop.ui.rules.real_effects import RealEffectsGuard
from bellhop.ui.rules.results import StepResultDialog, test_outcome
from bellhop.ui.rules.rule_list import RuleListView, RuleSummary, last_run
from bellhop.ui.rules.rule_ops import RuleKeeper, rule_summaries
from bellhop.ui.rules.samples import delivery_of
from bellhop.ui.theme import OK


class RulesPage(QWidget):
    """Make, edit, test and switch rules."""

    fixRequested = Signal(object, str)  # an error's fix and its rule: the window acts on it

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.registry = bridge.service.registry
        self.context = BuilderContext(self)
        self.context.bridge = bridge
        self.samples = SampleKeeper(bridge, bridge.service.home, self)
        self.test_guard = RealEffectsGuard(bridge, self.registry, self)
        self.keeper = RuleKeeper(bridge, self.samples, self)
        self.rule_list = RuleListView()
        self.builder = RuleBuilderView(self.registry)
        self.chain = self.builder.chain
        self.empty = EmptyRulesView()
        self.inspector = InspectorPanel(bridge, self.context)
        self.inspector.setMinimumWidth(340)
        self.centre = QStackedWidget()
        self.centre.addWidget(self.empty)
        self.centre.addWidget(self.builder)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        for widget in (self.rule_list, self.centre, self.inspector):
            splitter.addWidget(widget)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 470, 390])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.keeper.undo_bar)
        layout.addWidget(splitter, 1)
        self.drafts: dict[str, RuleDraft] = {}  # edited and not saved yet, by rule id
        self.draft: RuleDraft | None = None
        self._said_later: dict[str, tuple[str, str]] = {}  # news of rules not shown now
        self.summaries: dict[str, RuleSummary] = {}
        self.reach = ReachKeeper(bridge, self)  # the open rule's address, and who can reach it
        self._wire()
        self._show_empty(True)
        self._clock = QTimer(self, interval=60_000)  # counts start again at midnight
        self._clock.timeout.connect(self.keeper.recount_all)
        self._clock.start()
        if bridge.engine.running:
            self.refresh()
            self._read_palette_choice()

    def _wire(self) -> None:
        bridge, keeper = self.bridge, self.keeper
        bridge.started.connect(self.refresh)
        bridge.started.connect(self._read_palette_choice)
        bridge.engineEvents.connect(self._on_events)
        self.rule_list.ruleSelected.connect(self.open_rule)
        self.rule_list.newRequested.connect(self.new_rule)
        self.rule_list.duplicateRequested.connect(keeper.duplicate)
        self.rule_list.deleteRequested.connect(self.delete_rule)
        self.rule_list.enabledToggled.connect(self._toggle)
        self.empty.newRequested.connect(self.new_rule)
        keeper.changed.connect(self.refresh)
        keeper.said.connect(self.say)
        keeper.counted.connect(self._show_count)
        self.builder.paletteChoiceChanged.connect(self._save_palette_choice)
        self.builder.saveRequested.connect(self.save)
        self.builder.testRequested.connect(self.run_test)
        self.chain.selectionChanged.connect(self._card_selected)
        self.chain.detailsRequested.connect(self._show_details)
        self.chain.fixRequested.connect(
            lambda fix: self.draft and self.fixRequested.emit(fix, self.draft.id))
        self.chain.new_step = self._new_step
        self.chain.field_name = self.context.label_of
        self.context.sampleChanged.connect(self.chain.refresh_summaries)
        # A filter's sentence names fields as the sample's sender does ("Order total").
        self.context.sampleChanged.connect(
            lambda: self.chain.set_sender(sample_sender(self.context)))
        self.inspector.stepEdited.connect(self._step_edited)
        trigger = self.inspector.trigger
        trigger.triggerEdited.connect(lambda t: self.draft.set_trigger(t) if self.draft else None)
        trigger.sampleChosen.connect(
            lambda key: self.samples.use_shipped(self.draft.id, key) if self.draft else None)
        trigger.listenRequested.connect(self._listen)
        self.samples.sampleReady.connect(self._sample_ready)
        self.samples.listening.connect(self._listening)
        self.samples.failed.connect(lambda text: self.say(text, "failed"))

    def _read_palette_choice(self) -> None:
        self.bridge.call_plain(lambda s: s.settings.card_palette,
                               self.builder.set_palette_choice, lambda _error: None)

    def _save_palette_choice(self, choice: str) -> None:
        # Only a preference: if it cannot be saved, the card list is as the person left it.
        self.bridge.call_plain(lambda s: s.update_settings(card_palette=choice),
                               lambda _settings: None, lambda _error: None)

    def _new_step(self, type_name: str) -> dict[str, Any]:
        action = self.registry.get(type_name)
        assert action is not None  # the chain only adds types the registry holds
        return blank_step(action, self.context.accounts_of_kind)

    # -- the list -----------------------------------------------------------------------

    def refresh(self, select: str = "") -> None:
        """Read the rules from the engine and show them."""
        self.bridge.call_plain(rule_summaries, lambda rules: self._show_rules(rules, select),
                               lambda error: self.say(plain(error), "failed"))
        self.bridge.call_plain(lambda s: copy.deepcopy(s.accounts()), self.context.set_accounts)
        self.test_guard.load()

    def _show_rules(self, summaries: list[RuleSummary], select: str) -> None:
        for summary in summaries:
            summary.last_status, summary.last_error = self.bridge.read(
                lambda conn, rule_id=summary.id: last_run(conn, rule_id))
            summary.unsaved = summary.id in self.drafts
            summary.address_changed = summary.id in self.reach.moved_addresses
        self.summaries = {summary.id: summary for summary in summaries}
        self.rule_list.set_rules(summaries, select)
        self.keeper.recount_all([summary.id for summary in summaries])
        self._show_empty(not summaries)
        self.reach.show_current()

    def _show_empty(self, empty: bool) -> None:
        self.centre.setCurrentWidget(self.empty if empty else self.builder)
        self.inspector.setVisible(not empty)
        if empty:
            self._set_draft(None)

    def _show_count(self, rule_id: str, count: int, backlog: int, refused: int) -> None:
        row = self.rule_list.rows.get(rule_id)
        if row is not None:
            row.set_count(count, backlog, refused)

    def _on_events(self, events: list[EngineEvent]) -> None:
        self.samples.on_events(events, self.bridge.read)
        for event in events:
            match event:
                case EventReceived() | DeliveryRejected() if event.rule_id in self.summaries:
                    self.keeper.recount_soon(event.rule_id)
                case RunFinished() if event.rule_id in self.summaries:
                    self.keeper.recount_soon(event.rule_id)  # one fewer waiting
                    summary = self.summaries[event.rule_id]
                    summary.last_status, summary.last_error = event.status, event.error
                    self.rule_list.update_summary(summary)
                case RulesChanged():
                    self.refresh()
                case TunnelChanged():
                    self.reach.on_tunnel(event)

    def _toggle(self, rule_id: str, on: bool) -> None:
        draft = self.drafts.get(rule_id) or (self.draft if self.draft and
                                             self.draft.id == rule_id else None)
        if draft is not None:
            draft.set_enabled(on)
        self.keeper.set_enabled(rule_id, on)

    # -- one rule -----------------------------------------------------------------------

    def open_rule(self, rule_id: str) -> None:
        """Show a rule in the builder (an unsaved draft of it, if there is one)."""
        summary = self.summaries.get(rule_id)
        if summary is None:
            return
        current = self.draft
        if current is not None and current.id == rule_id and (
                current.dirty or current.raw == summary.raw):
            self.chain.trigger_card.set_url(summary.url)
            return
        draft = self.drafts.get(rule_id) or RuleDraft(summary.raw, self)
        self._set_draft(draft)

    def _set_draft(self, draft: RuleDraft | None) -> None:
        old = self.draft
        if old is not None and old is not draft:
            old.edited.disconnect(self._draft_edited)
            old.dirtyChanged.disconnect(self._dirty_changed)
            old.stepEdited.disconnect(self._step_changed_elsewhere)
            if old.id not in self.drafts:
                old.deleteLater()
        self.draft = draft
        if self.samples.waiting_for:
            self.samples.stop()
        self.inspector.trigger.set_listening(False)  # "Got it…" was about the old rule
        if draft is None:
            self.builder.set_draft(None)
            self.inspector.show_nothing()
            return
        draft.edited.connect(self._draft_edited)
        draft.dirtyChanged.connect(self._dirty_changed)
        draft.stepEdited.connect(self._step_changed_elsewhere)
        self.context.set_sample(self.samples.sample_of(draft.id), draft.name)
        self.builder.set_draft(draft)
        self.reach.show_current()
        self._sample_named()
        self._check()
        if draft.id in self._said_later:  # news that came while another rule was shown
            self.builder.say(*self._said_later.pop(draft.id))

    def _draft_edited(self) -> None:
        assert self.draft is not None
        self.context.rule_name = self.draft.name
        summary = self.summaries.get(self.draft.id)
        if summary is not None and summary.name != self.draft.name:
            summary.name = self.draft.name
            self.rule_list.update_summary(summary)
        self.chain.clear_results()
        self._check()
        self.reach.show_reach()  # the sender may have changed (its signature check)

    def _dirty_changed(self, dirty: bool) -> None:
        draft = self.draft
        if draft is None:
            return
        if dirty:
            self.drafts[draft.id] = draft
        else:
            self.drafts.pop(draft.id, None)
        summary = self.summaries.get(draft.id)
        if summary is not None:
            summary.unsaved = dirty
            self.rule_list.update_summary(summary)

    def _check(self) -> LoadedRule:
        """Validate the draft; mark the cards with problems and list the rest."""
        assert self.draft is not None
        loaded = check_rule(self.draft.raw, self.registry)
        placed = place_problems(loaded, self.registry)
        self.chain.show_problems(placed)
        if loaded.problems:
            lines = [_("This rule cannot run yet: fix what is marked on the cards.")]
            lines += placed.rule
            self.builder.problems.say("\n".join(lines), "problem")
        else:
            self.builder.problems.say("")
        return loaded

    def _card_selected(self, index: int) -> None:
        draft = self.draft
        if draft is None:
            return
        if index == TRIGGER:
            summary = self.summaries.get(draft.id)
            self.inspector.show_trigger(draft.id, draft.trigger, summary.url if summary else "")
        else:
            step = draft.steps[index]
            self.inspector.show_step(index, self.registry.get(str(step.get("type"))), step)

    def _step_changed_elsewhere(self, index: int) -> None:
        # The inspector's own edits leave its form as it is (the cursor stays put).
        form = self.inspector.form
        if self.draft is not None and index == self.inspector.index and (
                form is None or form.data != self.draft.steps[index]):
            self._card_selected(index)

    def _step_edited(self, index: int, step: dict[str, Any]) -> None:
        if self.draft is not None:
            self.draft.set_step(index, step)

    def _sample_ready(self, rule_id: str, sample: Any) -> None:
        if self.draft is not None and self.draft.id == rule_id:
            self.context.set_sample(sample, self.draft.name)
            self._sample_named()
            self.chain.clear_results()
            self.reach.show_reach()  # the sample may name another sender

    def _sample_named(self) -> None:
        has = self.context.has_sample
        self.chain.trigger_card.show_sample(
            self.inspector.trigger.sample_name() if has else "")

    # -- buttons ------------------------------------------------------------------------

    def new_rule(self) -> None:
        """Ask which kind of rule to start from, then make it."""
        dialog = NewRuleDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.keeper.create(dialog.starter(), dialog.rule_name(),
                               self.context.accounts_of_kind("smtp"), self.context.accounts)

    def delete_rule(self, rule_id: str) -> None:
        """Delete a rule (Undo in the bar above brings it back)."""
        draft = self.drafts.pop(rule_id, None)
        if draft is not None and draft is not self.draft:
            draft.deleteLater()
        self.keeper.delete(rule_id)

    def save(self) -> None:
        """Save the rule; one with problems is saved turned off, the problems on its cards."""
        draft = self.draft
        if draft is None:
            return
        loaded = self._check()
        raw = draft.snapshot()
        if loaded.problems:
            raw["enabled"] = draft.raw["enabled"] = False
        enabled = raw.get("enabled", True)

        def saved(rule: LoadedRule) -> None:
            draft.set_clean(raw)
            if loaded.problems:
                self.say(_("Saved, but turned off: fix what is marked on the cards, "
                           "then save again and turn the rule on."), "problem", draft.id)
            else:
                self.say(_("Saved. The rule is on.") if enabled else
                         _("Saved. The rule is off: turn it on in the list."), "ok", draft.id)
            self.refresh(select=draft.id)

        self.bridge.call_plain(lambda s: s.upsert_rule(raw), saved,
                               lambda error: self.say(plain(error), "failed", draft.id))

    def edit_card(self, rule_id: str, step: int | None, field: str | None) -> bool:
        """Show a rule's card (step 0: the trigger) with `field` ready to change: where an
        error's "Edit this card" leads. False when the rule is gone."""
        if rule_id not in self.summaries:
            self.say(_("The rule of this card no longer exists."), "problem")
            return False
        if self.draft is None or self.draft.id != rule_id:
            self.rule_list.select(rule_id)
        if self.draft is None or self.draft.id != rule_id:
            return False
        self.chain.select(TRIGGER if not step else step - 1)
        if step:
            self.inspector.focus_field(field)
        return True

    def lacks_sample(self) -> bool:
        """True, having shown the trigger and said to choose one, when there is no sample
        event to send."""
        if self.context.has_sample:
            return False
        self.chain.select(TRIGGER)
        self.say(_("Choose a sample event first: listen for one, or use one of "
                   "Bellhop's samples."), "problem")
        return True

    def run_test(self) -> None:
        """Send the sample through the cards and show each card's result on it (asking
        first when cards would send or write for real)."""
        draft = self.draft
        if draft is None:
            return
        if self.lacks_sample():
            return
        self.test_guard.ask(draft.id, draft.steps, lambda: self._test_now(draft))

    def _test_now(self, draft: RuleDraft) -> None:
        raw, payload = draft.snapshot(), delivery_of(self.context.sample)
        self.builder.test_button.setEnabled(False)
        self.say(_("Testing…"), "info")

        def done(run: RunRecord) -> None:
            self.builder.test_button.setEnabled(True)
            if draft is self.draft:
                self._tested(run)

        def failed(error: BaseException) -> None:
            self.builder.test_button.setEnabled(True)
            self.say(_("The test could not run: {reason}").format(
                reason=plain(error)), "failed", draft.id)

        self.bridge.call(lambda s: s.test_rule(raw, payload), done, failed)

    def _tested(self, run: RunRecord) -> None:
        self.chain.show_results(run.steps)
        self.context.set_step_outputs({str(step.idx): step.output for step in run.steps
                                       if step.status == "succeeded"})
        self.last_test = run
        self.say(*test_outcome(run))

    def _show_details(self, index: int) -> None:
        record = self.chain.results.get(index)
        if record is not None:
            StepResultDialog(record, self, self.registry).open()

    def _listen(self, start: bool) -> None:
        draft = self.draft
        if draft is None:
            return
        if not start:
            self.samples.stop()
            return
        trigger = dict(draft.trigger)
        if draft.dirty:  # the address must exist; the rule may be off or unfinished
            raw = draft.snapshot()
            self.bridge.call_plain(lambda s: s.upsert_rule(raw), lambda _: (
                draft.set_clean(raw), self.refresh(select=draft.id)),
                lambda error: self.say(plain(error), "failed", draft.id))
        self.samples.listen(draft.id, trigger, public=self.chain.trigger_card.public)

    def _listening(self, rule_id: str, on: bool, text: str) -> None:
        if self.draft is not None and self.draft.id == rule_id:
            self.inspector.trigger.set_listening(on, text, "" if on else OK)

    def say(self, text: str, kind: str = "info", rule_id: str | None = None) -> None:
        """Tell the person something above the cards: news of one rule (`rule_id`) shows
        with that rule only, now if it is open, else when it is opened next."""
        if rule_id is None or (self.draft is not None and self.draft.id == rule_id):
            self.builder.say(text, kind)
        else:
            self._said_later[rule_id] = (text, kind)

    def showEvent(self, event: QShowEvent) -> None:
        """Accounts may have changed on the Accounts page."""
        super().showEvent(event)
        if self.bridge.engine.running:
            self.bridge.call_plain(lambda s: copy.deepcopy(s.accounts()),
                                   self.context.set_accounts)
