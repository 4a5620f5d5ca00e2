"""The tray icon: Bellhop's presence while the window is closed, and its notifications.

Notifications are gathered for a few seconds and shown as one: a burst of 500
deliveries is one "500 new events", never 500 balloons.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from bellhop.core.errors import BellhopError
from bellhop.core.events import (
    EngineEvent,
    EventReceived,
    FileProblemFound,
    NoticeRequested,
    PauseChanged,
    RulesChanged,
    RunFinished,
    TunnelChanged,
)
from bellhop.core.i18n import _, ngettext
from bellhop.service import Bellhop
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.main_window import MainWindow
from bellhop.ui.resources import icon

COALESCE_MS = 3000  # notifications within this window become one
MESSAGE_MS = 8000  # how long a balloon stays


@dataclass
class Digest:
    """What happened since the last notification."""

    received: dict[str, str] = field(default_factory=dict)  # event id -> rule id, in order
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # rule, error, event
    notices: list[tuple[str, str, str]] = field(default_factory=list)  # title, text, event

    def __bool__(self) -> bool:
        return bool(self.received or self.failures or self.notices)


def rule_links(service: Bellhop) -> list[tuple[str, str, bool]]:
    """(name, webhook address, enabled) of every rule that has an address."""
    return [(rule.name, service.hook_url(rule), rule.enabled)
            for rule in service.list_rules() if rule.token]


class TrayIcon(QObject):
    """The icon, its menu (open, pause, copy a rule's address, quit) and the notifications."""

    notified = Signal(str, str, str)  # title, text, event id ("" for none): one per balloon
    pausedChanged = Signal(bool)

    def __init__(self, bridge: EngineBridge, window: MainWindow) -> None:
        super().__init__(window)
        self.bridge = bridge
        self.window = window
        self.paused = False
        self.links: list[tuple[str, str, bool]] = []
        self._digest = Digest()
        self._clicked_event = ""
        self._told_about_tray = False
        self.icon = QSystemTrayIcon(icon("bellhop"), self)
        self.menu = QMenu(window)
        self.open_action = self.menu.addAction(_("Open Bellhop"))
        self.menu.addSeparator()
        self.pause_action = self.menu.addAction(_("Pause all rules"))
        self.copy_menu = self.menu.addMenu(_("Copy the web address of a rule"))
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction(_("Quit Bellhop"))
        self.icon.setContextMenu(self.menu)
        self.timer = QTimer(self, singleShot=True, interval=COALESCE_MS)

        self.open_action.triggered.connect(window.bring_to_front)
        self.pause_action.triggered.connect(self.toggle_pause)
        self.quit_action.triggered.connect(self.quit)
        self.menu.aboutToShow.connect(self.refresh_rules)
        self.icon.activated.connect(self._on_activated)
        self.icon.messageClicked.connect(self.open_notified_event)
        self.timer.timeout.connect(self.flush)
        bridge.engineEvents.connect(self._on_engine_events)
        bridge.started.connect(self._on_started)
        window.hiddenToTray.connect(self._on_hidden_to_tray)
        self._fill_copy_menu()
        self._show_state()
        self.icon.show()

    # -- state --------------------------------------------------------------------------------

    def _on_started(self) -> None:
        self.bridge.call_plain(lambda s: bool(s.engine and s.engine.paused), self._set_paused)
        self.refresh_rules()

    def _set_paused(self, paused: bool) -> None:
        changed = paused != self.paused
        self.paused = paused
        self._show_state()
        if changed:
            self.pausedChanged.emit(paused)

    def _show_state(self) -> None:
        if self.paused:
            self.icon.setIcon(QIcon(icon("bellhop").pixmap(64, QIcon.Mode.Disabled)))
            self.icon.setToolTip(_("Bellhop: paused. Deliveries are kept and run when you resume."))
            self.pause_action.setText(_("Resume all rules"))
        else:
            self.icon.setIcon(icon("bellhop"))
            self.icon.setToolTip(_("Bellhop: running"))
            self.pause_action.setText(_("Pause all rules"))

    def toggle_pause(self) -> None:
        """Pause all rules, or resume them; the engine's 'paused' event updates the icon."""
        if self.paused:
            self.bridge.call(_resume, on_error=self._on_call_failed)
        else:
            self.bridge.call_plain(_pause, on_error=self._on_call_failed)

    def _on_call_failed(self, error: BaseException) -> None:
        text = error.message if isinstance(error, BellhopError) else _(
            "Bellhop could not do that. Open the window to see what is going on.")
        self.notify(_("Bellhop"), text, "")

    # -- the menu -----------------------------------------------------------------------------

    def refresh_rules(self) -> None:
        """Ask the engine for the rules and their addresses (the menu fills in when it answers)."""
        if self.bridge.engine.running:
            self.bridge.call_plain(rule_links, self._set_links)

    def _set_links(self, links: list[tuple[str, str, bool]]) -> None:
        self.links = links
        self._fill_copy_menu()

    def _fill_copy_menu(self) -> None:
        self.copy_menu.clear()
        if not self.links:
            self.copy_menu.addAction(_("No rules yet")).setEnabled(False)
            return
        for name, url, enabled in self.links:
            label = name if enabled else _("{name} (off)").format(
                name=name)
            action = QAction(label, self.copy_menu)
            action.setToolTip(url)
            action.triggered.connect(lambda _=False, url=url: self.copy_url(url))
            self.copy_menu.addAction(action)

    def copy_url(self, url: str) -> None:
        """Put a rule's webhook address on the clipboard, ready to paste into a web service."""
        QGuiApplication.clipboard().setText(url)

    def quit(self) -> None:
        """Quit Bellhop; the app stops the engine cleanly on the way out (aboutToQuit)."""
        self.icon.hide()
        QCoreApplication.quit()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        opens = [QSystemTrayIcon.ActivationReason.DoubleClick]
        if sys.platform != "darwin":  # on macOS a click opens the menu, and only that
            opens.append(QSystemTrayIcon.ActivationReason.Trigger)
        if reason in opens:
            self.window.bring_to_front()

    # -- notifications ------------------------------------------------------------------------

    def set_coalesce_window(self, milliseconds: int) -> None:
        """How long notifications are gathered before one is shown."""
        self.timer.setInterval(milliseconds)

    def _on_engine_events(self, batch: list[EngineEvent]) -> None:
        for event in batch:
            match event:
                case PauseChanged():
                    self._set_paused(event.paused)
                case EventReceived():
                    self._digest.received[event.event_id] = event.rule_id
                case RunFinished(status="failed") if not any(  # not one the person stopped
                        status == "stopped" for __, status in event.steps):
                    self._digest.failures.append((event.rule_name, event.error or "",
                                                  event.event_id))
                case NoticeRequested():  # a rule's own "Show a desktop notice" card
                    self._digest.notices.append((event.title, event.text, event.event_id))
                case RulesChanged():
                    self.refresh_rules()
                case FileProblemFound():  # the rules keep running; the person must know
                    self.notify(_("{file} has a mistake").format(file=event.file),
                                event.message, "", QSystemTrayIcon.MessageIcon.Warning)
                case TunnelChanged():
                    self._on_tunnel(event)
        if self._digest and not self.timer.isActive():
            self.timer.start()

    def _on_tunnel(self, event: TunnelChanged) -> None:
        self.refresh_rules()  # the rules' addresses follow the public address
        if event.url_changed:
            self.notify(_("Bellhop"), _(
                "Your webhook addresses changed — update them in Shopify/LINE"), "",
                QSystemTrayIcon.MessageIcon.Warning)

    def flush(self) -> None:
        """Turn what was gathered into (at most) two notifications, as the settings say."""
        digest, self._digest = self._digest, Digest()
        if not digest or not self.bridge.engine.running:
            return
        self.bridge.call_plain(
            lambda s: (s.settings.notify, {rule.id: rule.name for rule in s.list_rules()}),
            lambda answer: self._announce(digest, *answer))

    def _announce(self, digest: Digest, notify: str, names: dict[str, str]) -> None:
        if digest.notices:  # errands the person asked for: shown whatever `notify` says
            self._announce_notices(digest.notices)
        if notify == "never":
            return
        failed = {event for _, _, event in digest.failures}
        if notify == "all" and set(digest.received) - failed:
            self._announce_events(digest.received, names)
        if digest.failures:  # shown last: on most systems the latest balloon stays
            self._announce_failures(digest.failures)

    def _announce_notices(self, notices: list[tuple[str, str, str]]) -> None:
        title, text, event_id = notices[-1]
        if len(notices) > 1:
            text = _("{count} more notices. The latest: {text}").format(
                count=len(notices) - 1, text=text)
        self.notify(title, text, event_id)

    def _announce_events(self, received: dict[str, str], names: dict[str, str]) -> None:
        count = len(received)
        latest = next(reversed(received))
        per_rule: dict[str, int] = {}
        for rule_id in received.values():
            name = names.get(rule_id, rule_id)
            per_rule[name] = per_rule.get(name, 0) + 1
        if count == 1:
            title = _("New event")
            text = _("“{rule}” received an event. Click to see it.").format(
                rule=next(iter(per_rule)))
        else:
            title = ngettext("{count} new event", "{count} new events", count).format(
                count=count)
            top = sorted(per_rule.items(), key=lambda item: -item[1])
            shown = ", ".join(f"{name}: {n}" for name, n in top[:3])
            if len(top) > 3:
                shown += " " + ngettext("and {count} more rule", "and {count} more rules",
                                        len(top) - 3).format(count=len(top) - 3)
            text = _("{rules}. Click to see the latest.").format(
                rules=shown)
        self.notify(title, text, latest)

    def _announce_failures(self, failures: list[tuple[str, str, str]]) -> None:
        rule, error, event_id = failures[-1]
        if len(failures) == 1:
            title = _("“{rule}” failed").format(
                rule=rule)
            hint = _("Click to see what happened.")
            text = f"{error} {hint}".strip()
        else:
            title = ngettext("{count} run failed", "{count} runs failed", len(failures)).format(
                count=len(failures))
            text = _("The latest, “{rule}”: {error}").format(
                rule=rule, error=error)
        self.notify(title, text, event_id, QSystemTrayIcon.MessageIcon.Warning)

    def notify(self, title: str, text: str, event_id: str,
               kind: QSystemTrayIcon.MessageIcon = QSystemTrayIcon.MessageIcon.Information
               ) -> None:
        """Show one balloon (and tell `notified`); clicking it opens `event_id` if given."""
        self._clicked_event = event_id
        self.notified.emit(title, text, event_id)
        if self.icon.isVisible() and QSystemTrayIcon.supportsMessages():
            if kind == QSystemTrayIcon.MessageIcon.Information:
                self.icon.showMessage(title, text, icon("bellhop"), MESSAGE_MS)
            else:
                self.icon.showMessage(title, text, kind, MESSAGE_MS)

    def open_notified_event(self) -> None:
        """The last balloon was clicked: show its event in Activity (or just the window)."""
        if self._clicked_event:
            self.window.show_event(self._clicked_event)
        else:
            self.window.bring_to_front()

    def _on_hidden_to_tray(self) -> None:
        if self._told_about_tray:
            return
        self._told_about_tray = True
        self.notify(_("Bellhop is still running"),
                    _("Bellhop keeps running here and answers your webhooks; "
                      "Quit from this menu."), "")


def _pause(service: Bellhop) -> None:
    assert service.engine is not None
    service.engine.pause_all()


async def _resume(service: Bellhop) -> int:
    assert service.engine is not None
    return await service.engine.resume_all()
