"""The Google card of the Accounts page: a service-account key or 'Sign in with Google',
the address to share sheets with, and 'Test connection' on a sheet's address."""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.core.services.google import API_BASE, AUTH_URI, TOKEN_URI
from bellhop.service import Bellhop
from bellhop.ui.accounts.feedback import plain_message, say
from bellhop.ui.bridge import EngineBridge

MAX_KEY_BYTES = 64 * 1024  # a service-account key is about 2.4 KB
CREDENTIALS_PAGE = "https://console.cloud.google.com/apis/credentials"


def open_in_browser(url: str) -> Any:
    """Open the consent page in the person's browser without holding up the engine loop."""
    return asyncio.to_thread(webbrowser.open, url)


class GoogleAccountCard(QFrame):
    """Connect a Google account for 'Add a row to Google Sheets', and check it on a sheet."""

    saved = Signal(str)  # the account's name, once it is in accounts.json

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="Card")
        self.bridge = bridge
        self.open_browser: Callable[[str], Any] = open_in_browser  # tests drive the fake
        self.name = QLineEdit("google")
        self.key_button = QPushButton(_("Use a service-account key file…"))
        self.email = QLineEdit(readOnly=True)
        self.copy_button = QPushButton(_("Copy"))
        self.share_hint = QLabel(_("Share your sheet with this address: in Google Sheets press "
                                   "Share, paste it, and "
                                   "choose Editor."), objectName="Hint", wordWrap=True)
        self.client_id = QLineEdit(placeholderText=_("OAuth client ID"))
        self.client_secret = QLineEdit(placeholderText=_("OAuth client secret"),
                                       echoMode=QLineEdit.EchoMode.Password)
        self.sign_in_button = QPushButton(_("Sign in with Google"))
        self.cancel_button = QPushButton(_("Cancel sign-in"))
        self.cancel_button.setVisible(False)
        self._signing_in: Future[Any] | None = None
        self.advanced = QCheckBox(_("Show Google's addresses (for a proxy)"))
        self.api_base = QLineEdit(API_BASE)
        self.token_uri = QLineEdit(TOKEN_URI)
        self.auth_uri = QLineEdit(AUTH_URI)
        self.status = QLabel(wordWrap=True)
        self.sheet_url = QLineEdit(placeholderText=_(
            "Paste a sheet's address, e.g. https://docs.google.com/spreadsheets/d/…"))
        self.test_button = QPushButton(_("Test connection"))
        self.result = QLabel(wordWrap=True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._lay_out()
        self._show_email("")
        self._show_advanced(False)

        self.key_button.clicked.connect(lambda: self.choose_key_file())
        self.copy_button.clicked.connect(self.copy_email)
        self.sign_in_button.clicked.connect(lambda: self.sign_in())
        self.cancel_button.clicked.connect(lambda: self.cancel_sign_in())
        self.test_button.clicked.connect(lambda: self.test_connection())
        self.advanced.toggled.connect(self._show_advanced)
        self.name.editingFinished.connect(self.load)
        bridge.started.connect(self.load)

    def _lay_out(self) -> None:
        intro = QLabel(_("Lets your rules add rows to Google Sheets. Use a service account's key "
                         "file (best for a shop computer), or sign in with your own Google "
                         "account."),
            objectName="Hint", wordWrap=True)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        name_label = QLabel(_("Name in Bellhop"))
        name_label.setBuddy(self.name)
        grid.addWidget(name_label, 0, 0)
        grid.addWidget(self.name, 0, 1)
        email_row = QHBoxLayout()
        email_row.addWidget(self.email, 1)
        email_row.addWidget(self.copy_button)
        self.email_label = QLabel(_("Share with"))
        self.email_label.setBuddy(self.email)
        self.copy_button.setAccessibleName(_("Copy the address to share with"))
        grid.addWidget(self.email_label, 1, 0)
        grid.addLayout(email_row, 1, 1)
        grid.addWidget(self.share_hint, 2, 1)
        sign_in = QHBoxLayout()
        sign_in.addWidget(self.client_id, 1)
        sign_in.addWidget(self.client_secret, 1)
        sign_in.addWidget(self.sign_in_button)
        sign_in.addWidget(self.cancel_button)
        self.addresses = QGridLayout()
        for row, (label, edit) in enumerate((
                (_("Sheets API address"), self.api_base),
                (_("Token address"), self.token_uri),
                (_("Sign-in page address"), self.auth_uri))):
            address_label = QLabel(label)
            address_label.setBuddy(edit)
            self.addresses.addWidget(address_label, row, 0)
            self.addresses.addWidget(edit, row, 1)
        self.client_id.setAccessibleName(_("OAuth client ID"))
        self.client_secret.setAccessibleName(_("OAuth client secret"))
        self.sheet_url.setAccessibleName(_("A sheet's address, to test"))
        test_row = QHBoxLayout()
        test_row.addWidget(self.sheet_url, 1)
        test_row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(QLabel(_("Google account"), objectName="CardTitle"))
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.key_button)
        # The README is not on a shop's computer: the window says where to make the client.
        layout.addWidget(QLabel(_(
            "Or sign in with your own Google account. This needs an OAuth client of your "
            "own, made once in <a href=\"{url}\">Google Cloud Console</a>: Create "
            "credentials → OAuth client ID → Desktop app (set up the consent screen when "
            "asked, with your own address as a test user). Paste its client ID and secret "
            "here:").format(url=CREDENTIALS_PAGE),
            objectName="Hint", wordWrap=True, openExternalLinks=True))
        layout.addLayout(sign_in)
        layout.addWidget(self.advanced)
        layout.addLayout(self.addresses)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(_("Check that Bellhop can reach a sheet:"),
                                objectName="Hint", wordWrap=True))
        layout.addLayout(test_row)
        layout.addWidget(self.result)

    # -- showing ------------------------------------------------------------------------------

    def account_name(self) -> str:
        """The account's name as typed."""
        return self.name.text().strip()

    def load(self) -> None:
        """Show what accounts.json says about the named account (its address to share with)."""
        name = self.account_name()
        self.bridge.call_plain(lambda s: dict(s.accounts()).get(name) or {}, self._show_account)

    def follow(self, item: QTreeWidgetItem | None, accounts: dict[str, dict[str, Any]]) -> None:
        """Show the account of a list item when it is a Google account (picked in the list)."""
        if item is None:
            return
        name = str(item.data(0, Qt.ItemDataRole.UserRole))
        account = accounts.get(name, {})
        if account.get("kind") == "google":
            self.name.setText(name)
            say(self.status, "")
            say(self.result, "")
            self._show_account(account)

    def _show_account(self, account: dict[str, Any]) -> None:
        if account.get("kind") != "google":
            self._show_email("")
            return
        self._show_email(str(account.get("client_email") or ""))
        self.client_id.setText(str(account.get("client_id") or self.client_id.text()))
        self.api_base.setText(str(account.get("api_base") or API_BASE))
        self.token_uri.setText(str(account.get("token_uri") or TOKEN_URI))
        self.auth_uri.setText(str(account.get("auth_uri") or AUTH_URI))
        if account.get("auth") == "oauth":
            say(self.status, _("Signed in with Google."), True)

    def _show_email(self, email: str) -> None:
        self.email.setText(email)
        self.email.setCursorPosition(0)
        for widget in (self.email, self.copy_button, self.share_hint, self.email_label):
            widget.setVisible(bool(email))

    def _show_advanced(self, shown: bool) -> None:
        for index in range(self.addresses.count()):
            item = self.addresses.itemAt(index).widget()
            if item is not None:
                item.setVisible(shown)

    def copy_email(self) -> None:
        """Put the service account's address on the clipboard, to paste into Share."""
        QGuiApplication.clipboard().setText(self.email.text())
        say(self.status, _("Copied. Paste it into the Share box of your sheet."), True)

    # -- connecting ---------------------------------------------------------------------------

    def _name_or_complain(self) -> str | None:
        name = self.account_name()
        if not name:
            say(self.status, _("Give the account a name; your rules use it to pick "
                               "this account."), False)
            return None
        return name

    def choose_key_file(self, path: str | None = None) -> None:
        """Pick the service account's JSON key; its key goes to the keychain."""
        if path is None:
            path, __ = QFileDialog.getOpenFileName(
                self, _("Choose the service account's key file"), str(Path.home()),
                # Qt reads the patterns between ASCII brackets: only the names are translated.
                _("Key files") + " (*.json);;" + _("All files") + " (*)")
        name = self._name_or_complain()
        if not path or name is None:
            return
        try:
            with open(path, "rb") as handle:
                text = handle.read(MAX_KEY_BYTES).decode("utf-8", errors="replace")
        except OSError as exc:
            say(self.status, plain_message(exc), False)
            return
        api_base = self.api_base.text().strip() or None
        say(self.status, _("Saving…"))
        self.bridge.call_plain(lambda s: s.import_google_key(name, text, api_base),
                               lambda entry: self._connected(name, entry), self._failed)

    def sign_in(self) -> None:
        """Open Google's consent page; the refresh token it gives goes to the keychain."""
        name = self._name_or_complain()
        if name is None:
            return
        client_id, secret = self.client_id.text().strip(), self.client_secret.text().strip()
        if not client_id:
            say(self.status, _("Type the OAuth client ID and secret first; the text above "
                               "says where to make them."), False)
            return
        addresses = {"api_base": self.api_base.text().strip(),
                     "token_uri": self.token_uri.text().strip(),
                     "auth_uri": self.auth_uri.text().strip()}
        opener = self.open_browser
        self.sign_in_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        say(self.status, _("Finish signing in in your browser…"))

        def run(service: Bellhop) -> Any:
            return service.google_sign_in(name, client_id, secret, opener, **addresses)

        self._signing_in = self.bridge.call(run, lambda entry: self._connected(name, entry),
                                            self._failed)

    def cancel_sign_in(self) -> None:
        """Stop waiting for the browser: nothing is saved, and signing in can start again."""
        signing_in, self._signing_in = self._signing_in, None
        if signing_in is not None:
            signing_in.cancel()
        self._sign_in_over()
        say(self.status, _("Signing in was cancelled. Nothing was saved."))

    def _sign_in_over(self) -> None:
        self._signing_in = None
        self.sign_in_button.setEnabled(True)
        self.cancel_button.setVisible(False)

    def _connected(self, name: str, entry: dict[str, Any]) -> None:
        self._sign_in_over()
        self.client_secret.clear()
        email = str(entry.get("client_email") or "")
        self._show_email(email)
        if email:
            say(self.status, _("Saved. Now share your sheet with the address above."),
                True)
        else:
            say(self.status, _("Signed in with Google."), True)
        self.saved.emit(name)

    def _failed(self, error: BaseException) -> None:
        self._sign_in_over()
        self.test_button.setEnabled(True)
        say(self.status, plain_message(error), False)

    # -- checking -----------------------------------------------------------------------------

    def test_connection(self) -> None:
        """List the tabs of the sheet at the typed address, with their header rows."""
        name = self._name_or_complain()
        url = self.sheet_url.text().strip()
        if name is None:
            return
        if not url:
            say(self.result, _("Paste the address of a sheet to test with."), False)
            return
        self.test_button.setEnabled(False)
        say(self.result, _("Asking Google…"))

        def run(service: Bellhop) -> Any:
            return service.check_google(name, url)

        self.bridge.call(run, self._tested, self._test_failed)

    def _tested(self, found: dict[str, Any]) -> None:
        self.test_button.setEnabled(True)
        lines = [_("Connected to “{title}”. Its tabs and their columns:").format(
            title=found.get("title") or "?")]
        for tab in found.get("tabs", []):
            headers = ", ".join(tab["headers"]) or _("(no header row yet)")
            lines.append(f"• {tab['name']}: {headers}")
        say(self.result, "\n".join(lines), True)

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        say(self.result, plain_message(error), False)
