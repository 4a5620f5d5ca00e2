"""The form that adds or changes one mail (SMTP) account and sends a test email through it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.ui.accounts.email_check import EmailCheckPanel
from bellhop.ui.accounts.feedback import plain_message, say
from bellhop.ui.accounts.presets import DEFAULT_PORTS, PRESETS, MailPreset, preset, preset_of
from bellhop.ui.bridge import EngineBridge

GMAIL_APP_PASSWORDS = "https://myaccount.google.com/apppasswords"
YAHOO_SECURITY = "https://login.yahoo.com/account/security"


def looks_like_address(text: str) -> bool:
    """A rough check that catches typos, not a full address parser."""
    local, _, domain = text.partition("@")
    return bool(local) and "." in domain and " " not in text


class MailAccountForm(QFrame):
    """Provider, address, password and name of one mail account; saves through the engine."""

    saved = Signal(str)  # the account's name, once it is in accounts.json

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="Card")
        self.bridge = bridge
        self.editing: str | None = None  # the account's name when changing an existing one
        self._original: dict[str, Any] = {}
        self._existing: set[str] = set()
        self._password_saved = False
        self._dirty = False
        self._name_touched = self._username_touched = False

        self.title = QLabel(objectName="CardTitle")
        self.provider = QComboBox()
        for item in PRESETS:
            self.provider.addItem(item.label or _("Other mail server"), item.key)
        self.provider_help = QLabel(objectName="Hint", wordWrap=True, openExternalLinks=True)
        self.address = QLineEdit(placeholderText=_("e.g. shop@gmail.com"))
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password_label = QLabel()
        self.name = QLineEdit(placeholderText=_("e.g. Shop email"))
        self.name_hint = QLabel(
            _("You pick this name in the 'Send email' step of a rule."),
            objectName="Hint", wordWrap=True)
        self.server_summary = QLabel(objectName="Hint", wordWrap=True)
        self.host = QLineEdit(placeholderText=_("e.g. mail.example.com"))
        self.port = QSpinBox(minimum=1, maximum=65535, value=587)
        self.port.setMaximumWidth(120)
        self.security = QComboBox()
        self.security.addItem(_("STARTTLS (most servers, port 587)"), "starttls")
        self.security.addItem(_("SSL/TLS (port 465)"), "ssl")
        self.security.addItem(_("None (only inside your own network)"), "none")
        self.username = QLineEdit(
            placeholderText=_("Leave empty if the server needs no login"))
        # Messages a minute (accounts.json `per_minute`); 0 keeps the provider's usual pace.
        self.per_minute = QSpinBox(minimum=0, maximum=1000, value=0)
        self.per_minute.setSpecialValueText(_("Usual for the provider"))
        self.per_minute.setMaximumWidth(220)
        self.per_minute.setToolTip(_(
            "How many messages Bellhop sends a minute through this account. Gmail: 20, "
            "Outlook: 30 unless you set another number; other servers: as fast as they take."))
        self.save_button = QPushButton(_("Save account"))
        self.save_button.setProperty("primary", True)
        self.status = QLabel(wordWrap=True)
        self.check = EmailCheckPanel(bridge)
        self._lay_out()

        self.provider.currentIndexChanged.connect(self._on_provider)
        self.address.textEdited.connect(self._on_address)
        self.name.textEdited.connect(lambda _: setattr(self, "_name_touched", True))
        self.username.textEdited.connect(lambda _: setattr(self, "_username_touched", True))
        self.security.activated.connect(self._on_security)
        for edit in (self.address, self.password, self.name, self.host, self.username):
            edit.textEdited.connect(self._mark_dirty)
        self.port.valueChanged.connect(self._mark_dirty)
        self.per_minute.valueChanged.connect(self._mark_dirty)
        self.security.activated.connect(self._mark_dirty)
        self.provider.activated.connect(self._mark_dirty)
        self.save_button.clicked.connect(lambda: self.save())
        self.check.button.clicked.connect(lambda: self.send_test_email())
        self.new_account()

    def _lay_out(self) -> None:
        # A grid, not a QFormLayout: wrapped hints in a form row get far too much height.
        self.form = QGridLayout()
        self.form.setColumnStretch(1, 1)
        self.form.setVerticalSpacing(8)
        self._labels: dict[QWidget, QLabel] = {}
        for label, field in (
            (_("Email provider"), self.provider), ("", self.provider_help),
            (_("Your email address"), self.address), (self.password_label, self.password),
            (_("Name in Bellhop"), self.name), ("", self.name_hint),
            ("", self.server_summary), (_("Mail server"), self.host),
            (_("Port"), self.port), (_("Security"), self.security),
            (_("Username"), self.username), (_("Messages a minute"), self.per_minute),
        ):
            row = self.form.rowCount()
            label_widget = label if isinstance(label, QLabel) else QLabel(label)
            if label:  # a screen reader says the label when the field has the focus
                label_widget.setBuddy(field)
            self._labels[field] = label_widget
            self.form.addWidget(label_widget, row, 0)
            self.form.addWidget(field, row, 1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.status, 1)
        line = QFrame(frameShape=QFrame.Shape.HLine, frameShadow=QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addLayout(save_row)
        layout.addSpacing(6)
        layout.addWidget(line)
        layout.addWidget(self.check)
        layout.addStretch(1)

    # -- what the page asks -------------------------------------------------------------------

    def set_existing_names(self, names: set[str]) -> None:
        """Names already taken, so a new account cannot overwrite one by accident."""
        self._existing = set(names)

    def new_account(self, preset_key: str = "gmail") -> None:
        """Empty the form for a new account of the given provider."""
        self.editing, self._original, self._password_saved = None, {}, False
        self._name_touched = self._username_touched = False
        self.title.setText(_("Add a mail account"))
        for edit in (self.address, self.password, self.name, self.username):
            edit.clear()
        self.per_minute.setValue(0)
        self.name.setEnabled(True)
        self._select_provider(preset(preset_key))
        self._show_password_state()
        say(self.status, "")
        self.check.reset(self.address.text().strip())
        self._dirty = False

    def edit_account(self, name: str, account: dict[str, Any]) -> None:
        """Fill the form with an existing account; its password stays in the keychain."""
        self.editing, self._original = name, dict(account)
        self._name_touched = self._username_touched = True
        self.title.setText(_("Mail account “{name}”").format(
            name=name))
        self.address.setText(str(account.get("from") or account.get("username") or ""))
        self.name.setText(name)
        self.name.setEnabled(False)  # rules refer to the account by this name
        self.password.clear()
        chosen = preset_of(account)
        self._select_provider(chosen)
        security = str(account.get("security") or "starttls")
        self.host.setText(str(account.get("host") or ""))
        self.security.setCurrentIndex(max(0, self.security.findData(security)))
        self.port.setValue(int(account.get("port") or DEFAULT_PORTS.get(security, 587)))
        self.username.setText(str(account.get("username") or ""))
        per_minute = account.get("per_minute")
        self.per_minute.setValue(per_minute if isinstance(per_minute, int)
                                 and not isinstance(per_minute, bool) else 0)
        self._password_saved = bool(account.get("username"))  # until the keychain answers
        self._show_password_state()
        say(self.status, "")
        self.check.reset(self.address.text().strip())
        self._dirty = False
        self.bridge.call(lambda s: asyncio.to_thread(s.has_secret, name), self._on_password_known,
                               self._on_keychain_problem)

    # -- reacting to the person ---------------------------------------------------------------

    def _select_provider(self, chosen: MailPreset) -> None:
        self.provider.blockSignals(True)
        self.provider.setCurrentIndex(max(0, self.provider.findData(chosen.key)))
        self.provider.blockSignals(False)
        self._apply_provider(chosen)

    def _on_provider(self, _index: int) -> None:
        chosen = self.chosen_preset()
        if chosen.key == "custom" and any(p.host == self.host.text() for p in PRESETS):
            self.host.clear()  # a provider's server is rarely the right start for another
        self._apply_provider(chosen)

    def chosen_preset(self) -> MailPreset:
        """The provider picked in the form."""
        return preset(str(self.provider.currentData()))

    def _apply_provider(self, chosen: MailPreset) -> None:
        custom = chosen.key == "custom"
        if not custom:
            self.host.setText(chosen.host)
            self.port.setValue(chosen.port)
            self.security.setCurrentIndex(self.security.findData(chosen.security))
            self.username.setText(self.address.text().strip())
            self._username_touched = False
        for field in (self.host, self.port, self.security, self.username):
            self._show_row(field, custom)
        self._show_row(self.server_summary, not custom)
        self.server_summary.setText(_("Server: {host}, port {port}, {security}").format(
            host=chosen.host, port=chosen.port, security=chosen.security.upper()))
        self.password_label.setText(
            _("App password") if chosen.app_password else _("Password"))
        self.provider_help.setText(self._provider_help(chosen.key))

    def _provider_help(self, key: str) -> str:
        if key == "gmail":
            return _("Gmail needs an app password, not your normal password: turn on 2-Step "
                     "Verification, then create one at <a href=\"{url}\">{label}</a>."
            ).format(url=GMAIL_APP_PASSWORDS, label="myaccount.google.com/apppasswords")
        if key == "yahoo":
            return _("Yahoo Mail needs an app password: create one under “Generate app password” "
                     "in your <a href=\"{url}\">Yahoo account security</a> page."
            ).format(url=YAHOO_SECURITY)
        if key == "outlook":
            return _("Use your Outlook or Microsoft 365 address and password. If your company "
                     "blocks this, ask its IT person to allow “SMTP AUTH” for your mailbox.")
        return _("Type the server settings your email provider or IT person gave you.")

    def _show_row(self, field: QWidget, visible: bool) -> None:
        field.setVisible(visible)
        self._labels[field].setVisible(visible)

    def _on_address(self, text: str) -> None:
        address = text.strip()
        if not self._username_touched:
            self.username.setText(address)
        if not self._name_touched and self.editing is None:
            self.name.setText(address)
        self.check.set_default(address)

    def _on_security(self, _index: int) -> None:
        if self.port.value() in DEFAULT_PORTS.values():
            self.port.setValue(DEFAULT_PORTS[str(self.security.currentData())])

    def _mark_dirty(self, *_: Any) -> None:
        self._dirty = True

    def _on_password_known(self, saved: bool) -> None:
        self._password_saved = saved
        self._show_password_state()

    def _on_keychain_problem(self, error: BaseException) -> None:
        say(self.status, plain_message(error), False)

    def _show_password_state(self) -> None:
        if self._password_saved:
            self.password.setPlaceholderText(_("Saved in your system keychain"))
            self.password.setToolTip(_("Leave it empty to keep the saved password, or type a new "
                                       "one to replace it."))
        else:
            self.password.setPlaceholderText(
                _("Kept in your system keychain, never in a file"))
            self.password.setToolTip("")

    # -- saving -------------------------------------------------------------------------------

    def account_data(self) -> dict[str, Any]:
        """What goes to accounts.json (never the password)."""
        address = self.address.text().strip()
        custom = self.chosen_preset().key == "custom"
        data = {
            **self._original, "kind": "smtp", "host": self.host.text().strip(),
            "port": self.port.value(), "security": str(self.security.currentData()),
            "username": self.username.text().strip() if custom else address, "from": address,
        }
        data.pop("per_minute", None)
        if self.per_minute.value():
            data["per_minute"] = self.per_minute.value()
        return data

    def problem(self) -> str | None:
        """What keeps the form from being saved, in words; None when it can be saved."""
        data, name = self.account_data(), self.name.text().strip()
        if not data["from"]:
            return _("Type your email address.")
        if not looks_like_address(data["from"]):
            return _("“{text}” does not look like an email address. Check it.").format(
                text=data["from"])
        if not name:
            return _("Give the account a name; your rules use it to pick this account.")
        if self.editing is None and name in self._existing:
            return _("There is already an account called “{name}”. Choose another "
                     "name, or select that account in the list to change it.").format(
                name=name)
        if not data["host"]:
            return _("Type the mail server's name, e.g. mail.example.com.")
        if data["username"] and not self.password.text() and not self._password_saved:
            return _("Type the password (Gmail and Yahoo: an app password).")
        return None

    def save(self, *, then: Callable[[], None] | None = None) -> bool:
        """Check the form, then write the account (password to the keychain) on the engine.

        False when the form is not ready (the reason is shown); `then` runs once saved.
        """
        problem = self.problem()
        if problem is not None:
            say(self.status, problem, False)
            return False
        name, data = self.name.text().strip(), self.account_data()
        password = self.password.text() or None  # empty keeps the saved one
        self.save_button.setEnabled(False)
        say(self.status, _("Saving…"), None)
        self.bridge.call_plain(
            lambda s: s.set_account(name, data, password),
            lambda _: self._on_saved(name, data, password is not None, then),
            self._on_save_failed)
        return True

    def _on_saved(self, name: str, data: dict[str, Any], new_password: bool,
                  then: Callable[[], None] | None) -> None:
        self.save_button.setEnabled(True)
        self.editing, self._original = name, dict(data)
        self._password_saved = self._password_saved or new_password
        self.password.clear()
        self.name.setEnabled(False)
        self.title.setText(_("Mail account “{name}”").format(
            name=name))
        self._show_password_state()
        self._dirty = False
        say(self.status, _("Saved."), True)
        self.check.set_default(str(data["from"]))
        self.saved.emit(name)
        if then is not None:
            then()

    def _on_save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        say(self.status, plain_message(error), False)
        self.check.button.setEnabled(True)

    # -- the test email -----------------------------------------------------------------------

    def send_test_email(self) -> None:
        """Send a short message through the account (saving the form first if needed)."""
        if self._dirty or self.editing is None:
            if self.save(then=self._send_test_email):
                self.check.button.setEnabled(False)
        else:
            self._send_test_email()

    def _send_test_email(self) -> None:
        assert self.editing is not None
        self.check.send(self.editing)
