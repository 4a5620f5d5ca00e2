"""A rule's sample event: from Bellhop's samples, or the next real delivery ("Listen")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from bellhop.core.events import EngineEvent, EventReceived
from bellhop.core.i18n import _
from bellhop.core.storage.records import get_event
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.rules.samples import (
    Sample,
    load_shipped,
    read_rule_sample,
    sample_from_event,
    write_rule_sample,
)


class SampleKeeper(QObject):
    """Loads, keeps and catches each rule's sample; the page shows what it says."""

    sampleReady = Signal(str, object)  # rule id, sample
    listening = Signal(str, bool, str)  # the rule, waiting or not, what to tell the person
    failed = Signal(str)

    def __init__(self, bridge: EngineBridge, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge, self.home = bridge, home
        self.waiting_for = ""  # the rule id whose next delivery becomes its sample
        self._invalid_json = "text"

    def sample_of(self, rule_id: str) -> Sample | None:
        """The kept sample of a rule."""
        return read_rule_sample(self.home, rule_id)

    def keep(self, rule_id: str, sample: Sample | None) -> None:
        """Keep a rule's sample on disk and announce it."""
        try:
            write_rule_sample(self.home, rule_id, sample)
        except OSError as exc:
            self.failed.emit(_("The sample could not be kept on disk: {reason}").format(
                reason=exc.strerror or exc))
        self.sampleReady.emit(rule_id, sample)

    def use_shipped(self, rule_id: str, key: str) -> None:
        """Use one of Bellhop's sample deliveries."""
        self.keep(rule_id, load_shipped(key))

    def copy(self, source_id: str, target_id: str) -> None:
        """Give a duplicated rule the original's sample."""
        sample = self.sample_of(source_id)
        if sample is not None:
            write_rule_sample(self.home, target_id, sample)

    def forget(self, rule_id: str) -> None:
        """Remove a deleted rule's sample."""
        write_rule_sample(self.home, rule_id, None)

    def listen(self, rule_id: str, trigger: dict[str, Any], public: bool = True) -> None:
        """Make the next delivery to this rule its sample (`public`: its address is)."""
        self.waiting_for = rule_id
        self._invalid_json = str(trigger.get("invalid_json") or "text")
        # The engine keeps that delivery without running the cards, even for a rule that
        # is off or unfinished.
        self.bridge.call_plain(lambda s: s.engine.capture_next(rule_id))
        if public:
            text = _("Waiting for the next delivery to this address… Send a test from the "
                     "service now (in Shopify: Settings › Notifications › Webhooks › Send test).")
        else:
            text = _("Waiting for the next delivery to this address… It works only on this "
                     "computer: connect the tunnel first to get a test from the service.")
        self.listening.emit(rule_id, True, text)

    def stop(self, text: str = "") -> None:
        """Stop waiting."""
        rule_id = self.waiting_for
        if rule_id:
            self.bridge.call_plain(lambda s: s.engine.stop_capture(rule_id))
        self.waiting_for = ""
        self.listening.emit(rule_id, False, text)

    def on_events(self, events: list[EngineEvent], read: Callable[..., Any]) -> None:
        """Engine events: catch the delivery being waited for."""
        if not self.waiting_for:
            return
        for news in events:
            if isinstance(news, EventReceived) and news.rule_id == self.waiting_for:
                event_id = news.event_id
                event = read(lambda conn, event_id=event_id: get_event(conn, event_id))
                if event is None:
                    continue
                rule_id = self.waiting_for
                self.stop(_("Got it: the delivery that just arrived is now this rule's sample."))
                mode = "text" if self._invalid_json == "text" else "reject"
                self.keep(rule_id, sample_from_event(event, mode))
                return
