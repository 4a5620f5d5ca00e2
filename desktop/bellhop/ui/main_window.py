"""The main window: a side bar of pages (Rules, Activity, Accounts, Settings) and a status line."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.errors import Fix
from bellhop.core.i18n import _
from bellhop.ui.accounts.page import AccountsPage
from bellhop.ui.activity.page import ActivityPage
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.file_banner import FileProblemBanner
from bellhop.ui.resources import icon
from bellhop.ui.rules.page import RulesPage
from bellhop.ui.rules.problems import TRIGGER
from bellhop.ui.settings_page import SettingsPage
from bellhop.ui.tab_order import move_focus
from bellhop.ui.tunnel_chip import TunnelStatusChip
from bellhop.ui.welcome import WelcomeDialog


class MainWindow(QMainWindow):
    """Bellhop's window; closing it keeps Bellhop running in the tray."""

    hiddenToTray = Signal()

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.setWindowTitle("Bellhop")
        self.setWindowIcon(icon("bellhop"))
        self.resize(1280, 800)
        self.rules_page = RulesPage(bridge)
        self.activity_page = ActivityPage(bridge)
        self.accounts_page = AccountsPage(bridge)
        self.settings_page = SettingsPage(bridge)
        self.nav = QListWidget(objectName="Nav")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(190)
        self.nav.setAccessibleName(_("Pages"))
        self.pages = QStackedWidget()
        for title, icon_name, page in (
            (_("Rules"), "rules", self.rules_page),
            (_("Activity"), "activity", self.activity_page),
            (_("Accounts"), "accounts", self.accounts_page),
            (_("Settings"), "settings", self.settings_page),
        ):
            QListWidgetItem(icon(icon_name), title, self.nav)
            self.pages.addWidget(page)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.file_banner = FileProblemBanner(bridge)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 8, 8, 8)
        column.addWidget(self.file_banner)
        layout = QHBoxLayout()
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        column.addLayout(layout, 1)
        self.setCentralWidget(body)
        self.engine_state = QLabel(_("Starting…"))
        self.statusBar().addWidget(self.engine_state, 1)
        self.tunnel_chip = TunnelStatusChip(bridge)
        self.statusBar().addPermanentWidget(self.tunnel_chip)
        self.tunnel_chip.setupRequested.connect(self.show_tunnel_setup)
        self.activity_page.fixRequested.connect(self.apply_fix)
        self.rules_page.fixRequested.connect(self.apply_fix)
        self.rules_page.reach.setupRequested.connect(self.show_tunnel_setup)
        self.activity_page.refused.detail.ruleRequested.connect(self.show_rule)
        bridge.started.connect(self._on_started)
        bridge.failed.connect(self._on_failed)
        self.really_quit = False
        self.welcome: WelcomeDialog | None = None
        help_menu = self.menuBar().addMenu(_("&Help"))
        self.welcome_action = QAction(_("Welcome…"), self)
        self.welcome_action.triggered.connect(self.open_welcome)
        help_menu.addAction(self.welcome_action)

    def _on_started(self) -> None:
        receiver = self.bridge.service.receiver
        base = receiver.base_url if receiver is not None else ""
        self.engine_state.setText(_("Bellhop is listening at {base}").format(
            base=base))

    def _on_failed(self, message: str) -> None:
        self.engine_state.setText(message)

    def show_page(self, name: str) -> None:
        """Switch to 'rules', 'activity', 'accounts' or 'settings'."""
        order = ["rules", "activity", "accounts", "settings"]
        self.nav.setCurrentRow(order.index(name))

    def show_tunnel_setup(self) -> None:
        """Accounts › Tunnel, scrolled into view."""
        self.show_page("accounts")
        self.accounts_page.show_tunnel()

    def apply_fix(self, fix: Fix, rule_id: str) -> None:
        """Take the person to what fixes an error (core/errors.py Fix) of rule `rule_id`:
        an account, a card of the rule, the tunnel."""
        kind, target = fix[0], fix[1:]
        if kind in ("open_account", "sign_in_google") and target:
            self.show_page("accounts")
            self.accounts_page.show_account(str(target[0]), sign_in=kind == "sign_in_google")
        elif kind == "edit_card":
            self.show_page("rules")
            step = target[0] if target else None
            field = target[1] if len(target) > 1 else None
            self.rules_page.edit_card(rule_id, step, field)
        elif kind == "connect_tunnel":
            self.show_tunnel_setup()

    def show_rule(self, rule_id: str) -> None:
        """The Rules page with one rule open at its trigger (where a refusal is fixed)."""
        self.show_page("rules")
        self.rules_page.rule_list.select(rule_id)
        if self.rules_page.draft is not None and self.rules_page.draft.id == rule_id:
            self.rules_page.chain.select(TRIGGER)

    def show_event(self, event_id: str) -> None:
        """Bring the window up on the Activity page with one event selected."""
        self.bring_to_front()
        self.show_page("activity")
        self.activity_page.select_event(event_id)

    def open_welcome(self) -> WelcomeDialog:
        """Show the three first steps beside the window (not modal); seen once closed."""
        if self.welcome is None:
            self.welcome = WelcomeDialog(self)
            self.welcome.stepRequested.connect(self.go_to_step)
            self.welcome.dismissed.connect(self._welcome_seen)
        self.welcome.show()
        self.welcome.raise_()
        return self.welcome

    def _welcome_seen(self) -> None:
        self.bridge.call_plain(lambda s: s.update_settings(welcome_seen=True), lambda _: None,
                               lambda _error: None)  # at worst it shows once more

    def go_to_step(self, step: str) -> None:
        """Take the person to a welcome step: the tunnel, a new rule, a test event."""
        self.bring_to_front()
        if step == "tunnel":
            self.show_tunnel_setup()
            return
        self.show_page("rules")
        page = self.rules_page
        if step == "template":
            QTimer.singleShot(0, page.new_rule)  # after the welcome has closed
        elif page.draft is None:
            page.say(_("Make a rule first (New rule…), then listen for a test event "
                       "on it."), "info")
        else:
            page.chain.select(TRIGGER)
            page.inspector.trigger.listen_button.setChecked(True)

    def bring_to_front(self) -> None:
        """Show the window above the others (also when a second Bellhop was started)."""
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab and Shift+Tab go in reading order (ui/tab_order.py), not in Qt's order of
        creation, where a rule's switch or the selected card's form came last."""
        return move_focus(self, forward) or super().focusNextPrevChild(forward)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing hides the window: Bellhop keeps answering webhooks from the tray."""
        if self.really_quit:
            event.accept()
            return
        event.ignore()
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.hide()
            self.hiddenToTray.emit()
        else:  # no tray to come back from: stay reachable in the task bar
            self.showMinimized()
