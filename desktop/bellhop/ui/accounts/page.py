"""The Accounts page: mail accounts to send from, the tunnel, and (soon) Google."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.core.platform.secrets import keychain_problem
from bellhop.service import Bellhop
from bellhop.ui.accounts.feedback import plain_message
from bellhop.ui.accounts.google_form import GoogleAccountCard
from bellhop.ui.accounts.mail_form import MailAccountForm
from bellhop.ui.accounts.presets import preset_of
from bellhop.ui.accounts.tunnel_form import TunnelForm
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.theme import BAD


def rules_using(service: Bellhop, account: str) -> list[str]:
    """Names of the rules with a step that uses `account`."""
    return [rule.name for rule in service.list_rules()
            if any(isinstance(step, dict) and step.get("account") == account
                   for step in rule.raw.get("steps", []))]


class AccountsPage(QWidget):
    """Your accounts in a list, the form for the selected one, and reserved sections."""

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.accounts: dict[str, dict[str, Any]] = {}
        self.loaded = False
        self._wanted: tuple[str, bool] | None = None  # an account to show once listed
        # The theme's palette has no separate colours for disabled widgets yet: without
        # this, disabled buttons look clickable.
        self.setStyleSheet("QPushButton:disabled { color: palette(placeholder-text); }")

        title = QLabel(_("Accounts"), objectName="PageTitle")
        intro = QLabel(_("Bellhop sends email and reaches other services through the accounts you "
                         "add here. Passwords are kept in your system keychain, never in a file."),
            objectName="Hint", wordWrap=True)
        self.keychain_banner = QLabel(wordWrap=True)
        self.keychain_banner.setStyleSheet(
            f"color: {BAD}; border: 1px solid {BAD}; border-radius: 6px; padding: 8px;")
        self.keychain_banner.hide()

        self.list = QTreeWidget(rootIsDecorated=False, uniformRowHeights=True)
        self.list.setStyleSheet("QTreeWidget::item { padding: 5px 4px; }")
        self.list.setHeaderLabels([_("Name"), _("Type"), _("Details")])
        self.list.setAccessibleName(_("Your accounts"))
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty_hint = QLabel(_("No accounts yet. Add the email account your rules should send "
                                   "from: fill in the form on "
                                   "the right and press “Save "
                                   "account”."), objectName="Hint", wordWrap=True)
        self.add_button = QPushButton(_("Add mail account"))
        self.delete_button = QPushButton(_("Delete…"), enabled=False)
        self.form = MailAccountForm(bridge)
        self.other_note = QLabel(objectName="Hint", wordWrap=True)
        self.other_note.hide()
        self.google_card = GoogleAccountCard(bridge)
        self.google_card.saved.connect(lambda _name: self.reload())
        self.list.currentItemChanged.connect(  # a Google account picked in the list: show it
            lambda item, _: self.google_card.follow(item, self.accounts))
        self.tunnel_form = TunnelForm(bridge)
        self._lay_out(title, intro)

        self.list.currentItemChanged.connect(self._on_selected)
        self.add_button.clicked.connect(self.add_account)
        self.delete_button.clicked.connect(self.delete_selected)
        self.form.saved.connect(self.reload)
        bridge.started.connect(self.reload)
        self._keychain_checked = False

    def _lay_out(self, title: QLabel, intro: QLabel) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Your accounts"), objectName="CardTitle"))
        left.addWidget(self.list, 1)
        left.addWidget(self.empty_hint)
        left.addLayout(buttons)
        left.addSpacing(12)
        left.addWidget(self.google_card)
        right = QVBoxLayout()
        right.addWidget(self.other_note)
        right.addWidget(self.form)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.keychain_banner)
        layout.addSpacing(8)
        layout.addLayout(columns, 1)
        layout.addSpacing(12)
        layout.addWidget(self.tunnel_form)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; they scroll in
        scroll.setWidget(body)
        self.scroll = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def show_tunnel(self) -> None:
        """Bring the tunnel card into view and put the cursor where it is needed."""
        self.scroll.ensureWidgetVisible(self.tunnel_form, 0, 0)
        form = self.tunnel_form
        if not form.enabled.isChecked():
            form.enabled.setFocus()
        else:
            form.token.setFocus()

    def show_account(self, name: str, *, sign_in: bool = False) -> None:
        """Show one account where an error's fix leads: a mail account's form at its
        password, a Google account's card (at "Sign in with Google" when `sign_in`); an
        account not there yet gets a new form under its name."""
        self._wanted = (name, sign_in)
        self.reload(select=name)  # the list as it is now; `_show` then goes to it

    def _go_to_wanted(self) -> None:
        name, sign_in = self._wanted or ("", False)
        self._wanted = None
        account = self.accounts.get(name)
        if account is None:
            self.add_account()
            self.form.name.setText(name)
            self.form.name.textEdited.emit(name)  # as if typed: the address keeps it
            self.form.address.setFocus()
        elif account.get("kind") == "google":
            self.scroll.ensureWidgetVisible(self.google_card, 0, 24)
            card = self.google_card
            (card.sign_in_button if sign_in else card.name).setFocus()
        elif account.get("kind") == "smtp":
            self.scroll.ensureWidgetVisible(self.form, 0, 24)
            self.form.password.setFocus()

    # -- the list -----------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Read the accounts again (on the engine) and show them; select `select` if given."""
        keep = select or self.selected_name() or self.form.editing
        self.bridge.call_plain(lambda s: dict(s.accounts()), lambda found: self._show(found, keep),
                               lambda error: self._show_banner(plain_message(error)))

    def _show(self, accounts: dict[str, dict[str, Any]], select: str | None) -> None:
        self.accounts = accounts
        self.form.set_existing_names(set(accounts))
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for name in sorted(accounts, key=str.casefold):
            item = QTreeWidgetItem([name, *self.describe(accounts[name])])
            item.setData(0, Qt.ItemDataRole.UserRole, name)
            self.list.addTopLevelItem(item)
            if name == select:
                chosen = item
        self.list.blockSignals(False)
        self.empty_hint.setVisible(not accounts)
        self.loaded = True
        if chosen is not None and select == self.form.editing and not self.form.isHidden():
            self.list.blockSignals(True)  # the form already shows it: keep what it says
            self.list.setCurrentItem(chosen)
            self.list.blockSignals(False)
            self.delete_button.setEnabled(True)
        elif chosen is not None:
            self.list.setCurrentItem(chosen)
            self._on_selected(chosen, None)
        elif select is None or select not in accounts:
            self.add_account()
        if self._wanted is not None and self._wanted[0] == select:
            self._go_to_wanted()

    def describe(self, account: dict[str, Any]) -> tuple[str, str]:
        """The kind of an account and a short description, for the list."""
        kind = account.get("kind")
        if kind == "smtp":
            provider = preset_of(account).label or str(account.get("host") or "")
            return _("Email"), _("{address} via {provider}").format(
                address=account.get("from") or account.get("username") or "?",
                provider=provider)
        if kind == "google":
            return _("Google"), str(account.get("client_email") or _("signed in"))
        return str(kind or "?"), ""

    def selected_name(self) -> str | None:
        """The name of the account selected in the list."""
        item = self.list.currentItem()
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))

    def _on_selected(self, current: QTreeWidgetItem | None, _previous: Any) -> None:
        self.delete_button.setEnabled(current is not None)
        if current is None:
            return
        name = str(current.data(0, Qt.ItemDataRole.UserRole))
        account = self.accounts.get(name, {})
        is_mail = account.get("kind") == "smtp"
        self.form.setVisible(is_mail)
        self.other_note.setVisible(not is_mail)
        if is_mail:
            self.form.edit_account(name, account)
        else:
            if account.get("kind") == "google":
                self.other_note.setText(_("“{name}” is a Google account: the Google card on the "
                                          "left shows it, tests it and replaces its key. You can "
                                          "delete it here.").format(
                    name=name))
            else:
                self.other_note.setText(_("“{name}” is not a mail account, so it cannot be changed "
                                          "on this page yet. You can delete it here.").format(
                    name=name))

    def add_account(self) -> None:
        """Show an empty form for a new mail account."""
        self.list.blockSignals(True)
        self.list.setCurrentItem(None)  # type: ignore[arg-type]
        self.list.clearSelection()
        self.list.blockSignals(False)
        self.delete_button.setEnabled(False)
        self.other_note.hide()
        self.form.show()
        self.form.new_account()
        self.form.address.setFocus()

    # -- deleting -----------------------------------------------------------------------------

    def delete_selected(self) -> None:
        """Ask, then remove the selected account and its password."""
        name = self.selected_name()
        if name is None:
            return
        self.bridge.call_plain(lambda s: rules_using(s, name),
                               lambda users: self._confirm_delete(name, users),
                               lambda error: self._show_banner(plain_message(error)))

    def _confirm_delete(self, name: str, users: list[str]) -> None:
        text = _("Delete the account “{name}”? Its password is removed from the "
                 "keychain too.").format(
            name=name)
        if users:
            text += "\n\n" + _("These rules use it and will fail until you pick another account: "
                               "{rules}").format(
                rules=", ".join(users))
        answer = QMessageBox.question(
            self, _("Delete account"), text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.bridge.call_plain(lambda s: s.delete_account(name), lambda _: self._deleted(),
                               lambda error: self._show_banner(plain_message(error)))

    def _deleted(self) -> None:
        self.form.editing = None
        self.list.setCurrentItem(None)  # type: ignore[arg-type]
        self.reload()

    # -- the keychain -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Ask about the keychain the first time the page is seen, not at start: loading
        the keychain's backends costs some 20 MB that most sessions never need."""
        super().showEvent(event)
        if not self._keychain_checked and self.bridge.engine.running:
            self._keychain_checked = True
            self.check_keychain()

    def check_keychain(self) -> None:
        """Ask the keychain whether it works; a banner says so plainly when it does not."""
        self.bridge.call_plain(lambda s: keychain_problem(), self._show_banner)

    def _show_banner(self, message: str | None) -> None:
        self.keychain_banner.setVisible(bool(message))
        self.keychain_banner.setText(message or "")
