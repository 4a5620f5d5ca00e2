"""The Activity page: every event and what happened to it, live, with filters and search.

Reads go through the bridge's own read-only connection (WAL: they never wait
for the engine); Retry and Replay go to the engine through `bridge.call`.
Engine news is gathered and applied at most every 200 ms, however busy it is.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.events import (
    DeliveryRejected,
    EngineEvent,
    EventReceived,
    RulesChanged,
    RunFinished,
    RunStarted,
    StepFinished,
)
from bellhop.core.i18n import _, ngettext
from bellhop.core.storage import records
from bellhop.core.storage.activity import EventFilter
from bellhop.service import Bellhop
from bellhop.ui.activity.countdown import CountdownTimer
from bellhop.ui.activity.curl import curl_command
from bellhop.ui.activity.detail import EventDetailPanel
from bellhop.ui.activity.model import EVENT_ID_ROLE, ActivityModel
from bellhop.ui.activity.refused import REFUSED, RefusedView
from bellhop.ui.activity.status import filter_choices
from bellhop.ui.activity.table import ActivityTableView
from bellhop.ui.bridge import EngineBridge

RUN_NEWS = (RunStarted, StepFinished, RunFinished)


@dataclass(frozen=True)
class RuleFacts:
    """What the page needs of a rule: its name and where it listens."""

    id: str
    name: str
    url: str | None
    signature_header: str = ""


def rule_facts(service: Bellhop) -> list[RuleFacts]:
    """Facts about every rule (runs on the engine loop, through the bridge)."""
    facts = []
    for rule in service.list_rules():
        verify = rule.head.trigger.verify if rule.head is not None else None
        header = verify.header if verify is not None and verify.scheme == "header" else ""
        url = service.hook_url(rule) if rule.token and service.receiver else None
        facts.append(RuleFacts(rule.id, rule.name, url, header))
    return facts


def plain(error: BaseException) -> str:
    """An error's message for a person (never a traceback)."""
    return getattr(error, "message", None) or str(error) or type(error).__name__


class ActivityPage(QWidget):
    """Events newest first on the left, the one picked on the right."""

    fixRequested = Signal(object, str)  # an error's fix and its rule: the window acts on it

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.rules: dict[str, RuleFacts] = {}
        self.selected_id: str | None = None
        self._pending_select: str | None = None
        self._news = False
        self._changed: set[str] = set()
        self.model = ActivityModel(bridge.read, self)
        self.table = ActivityTableView()
        self.table.setModel(self.model)
        self.detail = EventDetailPanel()
        # Activity › Refused: deliveries turned away, in a table and a panel of their own.
        self.refused = RefusedView(bridge.read, self.model.rule_name, self)
        self.refused.banner.linkActivated.connect(lambda _link: self.show_refused())
        self._refusal_news = False
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=300)
        self._search_timer.timeout.connect(self._apply_filters)
        self._news_timer = QTimer(self, singleShot=True, interval=200)
        self._news_timer.timeout.connect(self._apply_news)
        self.table.selectionModel().currentRowChanged.connect(self._row_picked)
        self.model.listingChanged.connect(self._listing_changed)
        self.model.modelReset.connect(self._listing_changed)
        self.model.ruleMissing.connect(lambda _rule_id: self.refresh_rules())
        self.detail.retryRequested.connect(self.retry_run)
        self.detail.replayRequested.connect(self.replay_event)
        self.detail.copyRequested.connect(self.copy_as_curl)
        self.detail.stopRequested.connect(self.stop_retrying)
        self.detail.fixRequested.connect(self.fixRequested)
        # One timer moves every countdown on the page (detail and list) while it is seen.
        self.countdown = CountdownTimer(self, self._tick, self._counting_down, self.isVisible)
        self.model.countdownShown.connect(self.countdown.check)
        bridge.started.connect(self._on_started)
        bridge.engineEvents.connect(self._on_engine_events)
        self.detail.clear()
        self._listing_changed()

    def _build(self) -> None:
        title = QLabel(_("Activity"), objectName="PageTitle")
        self.count = QLabel(objectName="Hint")
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.setPlaceholderText(_("Search what came in: an order number, a name…"))
        self.search.setAccessibleName(_("Search events"))
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.rule_choice = QComboBox()
        self.rule_choice.setMinimumWidth(170)
        self.rule_choice.setAccessibleName(_("Filter by rule"))
        self.rule_choice.addItem(_("All rules"), None)
        self.rule_choice.currentIndexChanged.connect(self._apply_filters)
        self.status_choice = QComboBox()
        self.status_choice.setAccessibleName(_("Filter by result"))
        for label, status in filter_choices():
            self.status_choice.addItem(label, status)
        self.status_choice.currentIndexChanged.connect(self._apply_filters)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(self.count, 1, Qt.AlignmentFlag.AlignBottom)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.rule_choice)
        filters.addWidget(self.status_choice)
        self.tables, self.details = QStackedWidget(), QStackedWidget()
        self.tables.addWidget(self.table)
        self.tables.addWidget(self.refused.table)
        self.details.addWidget(self.detail)
        self.details.addWidget(self.refused.detail)
        split = QSplitter()
        split.addWidget(self.tables)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([620, 430])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.refused.banner)
        layout.addWidget(split, 1)

    # -- start, rules, news -------------------------------------------------------------------

    def _on_started(self) -> None:
        self.model.reload()
        self.refresh_rules()
        self._show_refused_count()
        if self.selected_id:
            self._load_detail()

    def showEvent(self, event: QShowEvent) -> None:
        """Rule names may have changed while another page was shown."""
        super().showEvent(event)
        if self.model.loaded:
            self.refresh_rules()
        self.countdown.check()

    def hideEvent(self, event: QHideEvent) -> None:
        """Nothing counts down on a page nobody sees."""
        super().hideEvent(event)
        self.countdown.check()

    def _counting_down(self) -> bool:
        return self.detail.counting_down() or self.model.counting_down()

    def _tick(self, now: float) -> None:
        self.detail.tick(now)
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        if first >= 0:
            last = self.table.rowAt(viewport.height() - 1)
            self.model.tick(first, last if last >= 0 else self.model.rowCount() - 1)

    def refresh_rules(self) -> None:
        """Ask the engine for rule names and addresses (answer comes back later)."""
        self.bridge.call_plain(rule_facts, self._got_rules)

    def _got_rules(self, facts: list[RuleFacts]) -> None:
        self.rules = {fact.id: fact for fact in facts}
        self.model.set_rule_names({fact.id: fact.name for fact in facts})
        current = self.rule_choice.currentData()
        self.rule_choice.blockSignals(True)
        self.rule_choice.clear()
        self.rule_choice.addItem(_("All rules"), None)
        for fact in facts:
            self.rule_choice.addItem(fact.name, fact.id)
        self.rule_choice.setCurrentIndex(max(0, self.rule_choice.findData(current)))
        self.rule_choice.blockSignals(False)
        if self.rule_choice.currentData() != current:
            self._apply_filters()  # the rule filtered on is gone
        if self.detail.shown is not None:
            self._load_detail()

    def _on_engine_events(self, batch: list[EngineEvent]) -> None:
        for event in batch:
            if isinstance(event, EventReceived):
                self._news = True
            elif isinstance(event, RUN_NEWS) and event.event_id:
                self._changed.add(event.event_id)
            elif isinstance(event, RulesChanged):
                self.refresh_rules()
            elif isinstance(event, DeliveryRejected):
                self._refusal_news = True
        if (self._news or self._changed or self._refusal_news) \
                and not self._news_timer.isActive():
            self._news_timer.start()

    def _apply_news(self) -> None:
        news, changed = self._news, self._changed
        self._news, self._changed = False, set()
        if self._refusal_news:
            self._refusal_news = False
            self._show_refused_count()
            if self.refused_mode:
                self._reload_refused()
        try:
            if news:
                self.model.refresh_news()
            if changed:
                self.model.update_statuses(changed)
        except sqlite3.Error as exc:
            self.count.setText(_("Bellhop could not read its event list: {reason}")
                               .format(reason=exc))
            return
        if self.selected_id in changed:
            self._load_detail()
        self.countdown.check()
        if self._pending_select and self._select_row_of(self._pending_select):
            self._pending_select = None

    # -- filters --------------------------------------------------------------------------------

    def current_filter(self) -> EventFilter:
        """The filter the controls describe (over events: not the Refused choice)."""
        status = self.status_choice.currentData()
        return EventFilter(rule_id=self.rule_choice.currentData(),
                           status=None if status == REFUSED else status,
                           text=self.search.text().strip())

    @property
    def refused_mode(self) -> bool:
        """True while the list shows refused deliveries instead of events."""
        return self.status_choice.currentData() == REFUSED

    def show_refused(self) -> None:
        """List the refused deliveries (the status filter's "Refused")."""
        self.status_choice.setCurrentIndex(self.status_choice.findData(REFUSED))

    def _reload_refused(self) -> None:
        self.refused.reload(self.rule_choice.currentData(), self.search.text().strip())
        self._listing_changed()

    def _show_refused_count(self) -> None:
        self.refused.count_today(self.rule_choice.currentData(), shown=not self.refused_mode)

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        refused = self.refused_mode
        self.tables.setCurrentIndex(int(refused))
        self.details.setCurrentIndex(int(refused))
        self._show_refused_count()
        if refused:
            self._reload_refused()
            return
        wanted = self.current_filter()
        if self.model.loaded and wanted != self.model.event_filter:
            self.model.reload(wanted)
            self._reselect()

    def _listing_changed(self) -> None:
        if self.refused_mode:
            self.count.setText(self.refused.count_text())
            return
        rows = self.model.rowCount()
        count = f"{rows:,}"  # 1,000,000 reads the same in English and Chinese
        if self.model.scanning:
            text = _("Looking through the events ({share}%)… {count} found so far").format(
                share=int(self.model.scan_done_share * 100), count=count)
        elif self.model.event_filter.is_empty:
            text = ngettext("{count} event", "{count} events", rows).format(count=count)
        else:
            text = ngettext("{count} event matches", "{count} events match", rows).format(
                count=count)
        self.count.setText(text if self.model.loaded else _("Opening…"))
        if self.model.event_filter.is_empty:
            self.table.empty_text = _("Nothing has arrived yet. When a service sends a webhook to "
                                      "one of your rules, it shows up here at once.")
        elif self.model.scanning:
            self.table.empty_text = _("Looking…")
        else:
            self.table.empty_text = _("No events match. Try other words, or choose “All rules” and "
                                      "“All results”.")
        if rows == 0:
            self.table.viewport().update()
        if self._pending_select and not self.model.scanning:
            pending, self._pending_select = self._pending_select, None
            self._select_row_of(pending)

    # -- picking an event -----------------------------------------------------------------------

    def _row_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        event_id = current.data(EVENT_ID_ROLE) if current.isValid() else None
        if event_id and event_id != self.selected_id:
            self.selected_id = event_id
            self._load_detail()

    def _load_detail(self) -> None:
        event_id = self.selected_id
        if event_id is None:
            self.detail.clear()
            return
        event, runs = self.bridge.read(lambda conn: (
            records.get_event(conn, event_id), records.runs_of_event(conn, event_id)))
        if event is None:
            self.detail.clear()
            return
        self.detail.show_event(event, runs, self.model.rule_name(event.rule_id))
        self.countdown.check()

    def select_event(self, event_id: str) -> None:
        """Show one event (from a notice or the tray): clear filters hiding it, pick its row."""
        self.selected_id = event_id
        if self.model.loaded:
            self._load_detail()
            self.model.refresh_news()
            if self.model.row_of_event(event_id) is None and not self.model.event_filter.is_empty:
                for control in (self.rule_choice, self.status_choice):
                    control.blockSignals(True)
                    control.setCurrentIndex(0)
                    control.blockSignals(False)
                self.search.blockSignals(True)
                self.search.clear()
                self.search.blockSignals(False)
                self.model.reload(EventFilter())
        self._pending_select = None
        if not self._select_row_of(event_id):
            self._pending_select = event_id  # not listed yet: try again with the next news

    def _select_row_of(self, event_id: str) -> bool:
        row = self.model.row_of_event(event_id) if self.model.loaded else None
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, self.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.table.selectionModel().SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _reselect(self) -> None:
        if (self.selected_id and not self._select_row_of(self.selected_id)
                and self.model.scanning):
            self._pending_select = self.selected_id

    # -- what the buttons do --------------------------------------------------------------------

    def retry_run(self, run_id: str) -> None:
        """Try a failed run again from its failed step."""
        self.detail.say(_("Trying the failed step again…"))

        def done(accepted: bool) -> None:
            if not accepted:
                self.detail.say(_("This run is no longer failed, so there is nothing to "
                                  "try again."), problem=True)
            self._load_detail()

        self.bridge.call(lambda service: service.engine.retry(run_id), done, self._failed)

    def replay_event(self, event_id: str) -> None:
        """Run a stored event again against the rule as it is now."""
        self.detail.say(_("Running it again with the current rule…"))

        def done(run_id: str | None) -> None:
            if run_id is None:
                self.detail.say(_("This event is no longer stored."), problem=True)
            self._load_detail()

        self.bridge.call(lambda service: service.engine.replay(event_id), done, self._failed)

    def stop_retrying(self, run_id: str) -> None:
        """Stop a run waiting to retry: it ends failed, and stays so after a restart."""
        self.detail.say(_("Stopping the retries…"))

        def done(stopped: bool) -> None:
            self.detail.say(_("Stopped. Bellhop will not try this step again unless you press "
                              "“Retry from the failed step”.") if stopped else
                            _("This run is no longer waiting to retry: it has finished, or a "
                              "try is under way."), problem=not stopped)
            self._load_detail()

        self.bridge.call(lambda service: service.engine.stop_retrying(run_id), done,
                         self._failed)

    def _failed(self, error: BaseException) -> None:
        self.detail.say(_("Bellhop could not do that: {reason}").format(
            reason=plain(error)), problem=True)

    def copy_as_curl(self, event_id: str) -> str | None:
        """Put a curl command that sends this event again on the clipboard; the command."""
        event = self.bridge.read(lambda conn: records.get_event(conn, event_id))
        facts = self.rules.get(event.rule_id) if event is not None else None
        if event is None or facts is None or facts.url is None:
            self.detail.say(_("This event's rule was deleted, so there is no address to "
                              "send it to."), problem=True)
            return None
        command = curl_command(event, facts.url, [facts.signature_header] if
                               facts.signature_header else [])
        QGuiApplication.clipboard().setText(command)
        self.detail.say(_("Copied. Paste it into a terminal to send this delivery to "
                          "Bellhop again."))
        return command
