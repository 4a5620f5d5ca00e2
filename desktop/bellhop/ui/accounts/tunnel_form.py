"""Accounts › Tunnel: give the rules a public web address through ngrok.

One card: a switch, the authtoken (to the keychain, with a link to where ngrok
shows it), an optional fixed domain so addresses never change, the region, and
the agent program for people who bring their own. "Save and connect" stores it
all and opens the tunnel again; the status line follows the tunnel's state,
including the first download of ngrok's program with its progress.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.events import EngineEvent, TunnelChanged
from bellhop.core.i18n import _
from bellhop.core.platform.settings import Settings
from bellhop.core.services.tunnel import AUTHTOKEN_PAGE, NGROK_SECRET
from bellhop.ui.accounts.feedback import plain_message, say
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.theme import BAD, OK, WARN

DOMAINS_PAGE = "https://dashboard.ngrok.com/domains"


class TunnelForm(QFrame):
    """The ngrok settings, saved together; the tunnel's state underneath."""

    saved = Signal()

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="Card")
        self.bridge = bridge
        self.token_saved = False
        self._seen = False  # the keychain is asked about the token once the form is seen
        self.state = "off"
        self.enabled = QCheckBox(_("Give my rules a public web address with ngrok"))
        self.token = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(_("Paste your ngrok authtoken"))
        find_token = self._link(_("Where do I find it?"), AUTHTOKEN_PAGE)
        self.domain = QLineEdit()
        self.domain.setPlaceholderText(_("optional, e.g. my-shop.ngrok-free.app"))
        find_domain = self._link(_("Get a free domain"), DOMAINS_PAGE)
        self.region = QComboBox()
        for code, label in self.regions():
            self.region.addItem(label, code)
        self.program = QLineEdit()
        self.program.setPlaceholderText(_("empty: Bellhop downloads it the first time"))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self.choose_program)
        self.save_button = QPushButton(_("Save and connect"), default=True)
        self.save_button.setProperty("primary", True)
        self.retry_button = QPushButton(_("Retry now"))
        self.retry_button.hide()
        self.status = QLabel(wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(maximum=100, textVisible=True)
        self.progress.hide()
        self.feedback = QLabel(wordWrap=True)
        self._lay_out(find_token, find_domain, browse)
        self.enabled.toggled.connect(self._show_enabled)
        self.save_button.clicked.connect(self.save)
        self.retry_button.clicked.connect(self.retry)
        bridge.started.connect(self.reload)
        bridge.engineEvents.connect(self._on_engine_events)
        self._show_enabled(False)

    def regions(self) -> list[tuple[str, str]]:
        """ngrok's regions: (code, name); "" lets ngrok pick the nearest."""
        return [("", _("Nearest (automatic)")), ("ap", _("Asia / Pacific")),
                ("jp", _("Japan")), ("au", _("Australia")),
                ("in", _("India")), ("eu", _("Europe")),
                ("us", _("United States")), ("sa", _("South America"))]

    def _link(self, text: str, url: str) -> QLabel:
        link = QLabel(f'<a href="{url}">{text}</a>')
        link.setOpenExternalLinks(False)
        link.linkActivated.connect(lambda href: QDesktopServices.openUrl(QUrl(href)))
        link.setToolTip(url)
        return link

    def _lay_out(self, find_token: QLabel, find_domain: QLabel, browse: QPushButton) -> None:
        title = QLabel(_("Tunnel: a public web address"), objectName="CardTitle")
        about = QLabel(_("Shops, forms and chat bots on the internet cannot reach this computer by "
                         "themselves. A free ngrok account gives your rules a public address; "
                         "Bellhop keeps it open while it runs."), objectName="Hint", wordWrap=True)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(find_token)
        domain_line = QHBoxLayout()
        domain_line.addWidget(self.domain, 1)
        domain_line.addWidget(find_domain)
        program_row = QHBoxLayout()
        program_row.addWidget(self.program, 1)
        program_row.addWidget(browse)
        domain_hint = QLabel(_("With a fixed domain your webhook addresses never change. Without "
                               "one, they change each time Bellhop starts, and you must paste them "
                               "into the services again."), objectName="Hint", wordWrap=True)
        domain_row = QVBoxLayout()
        domain_row.setSpacing(2)
        domain_row.addLayout(domain_line)
        domain_row.addWidget(domain_hint)
        # Rows of a field and a link or button: the form cannot make its label the field's
        # name, so say it here (the region's row does it by itself).
        self.token.setAccessibleName(_("Authtoken"))
        self.domain.setAccessibleName(_("Fixed domain"))
        self.program.setAccessibleName(_("ngrok program"))
        self.fields = QWidget()
        form = QFormLayout(self.fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Authtoken"), token_row)
        form.addRow(_("Fixed domain"), domain_row)
        form.addRow(_("Region"), self.region)
        form.addRow(_("ngrok program"), program_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(about)
        layout.addWidget(self.enabled)
        layout.addWidget(self.fields)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.feedback)

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        """Show what is set now (on the engine: settings, whether a token is saved, state).

        Whether a token is saved is asked only once the form has been seen: asking loads
        the keychain's backends, some 8 MB that a session without a tunnel never needs."""
        ask_keychain = self._seen

        def read(service: Any) -> tuple[Settings, bool | None, TunnelChanged]:
            saved = service.has_secret(NGROK_SECRET) if ask_keychain else None
            return service.settings, saved, service.tunnel.snapshot()

        self.bridge.call_plain(read, self._show, lambda e: say(self.feedback, plain_message(e),
                                                                False))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._seen:
            self._seen = True
            if self.bridge.engine.running:  # only the token: fields being typed in stay
                self.bridge.call_plain(lambda s: s.has_secret(NGROK_SECRET), self._show_token)

    def _show_token(self, saved: bool) -> None:
        self.token_saved = self.token_saved or saved  # one saved meanwhile stays known
        self.token.setPlaceholderText(
            _("Saved in the keychain. Paste a new one to replace it.") if self.token_saved
            else _("Paste your ngrok authtoken"))

    def _show(self, answer: tuple[Settings, bool | None, TunnelChanged]) -> None:
        settings, token_saved, state = answer
        self.enabled.setChecked(settings.tunnel == "ngrok")
        if token_saved is not None:  # asked: the keychain's answer stands
            self.token_saved = token_saved
        self.token.clear()
        self._show_token(self.token_saved)
        self.domain.setText(settings.ngrok_domain)
        index = self.region.findData(settings.ngrok_region)
        self.region.setCurrentIndex(max(index, 0))
        self.program.setText(settings.ngrok_path)
        self.show_state(state)

    def _show_enabled(self, on: bool) -> None:
        self.fields.setEnabled(on)

    # -- saving ---------------------------------------------------------------------------

    def choose_program(self) -> None:
        """Pick the ngrok program by hand (for people who have it already)."""
        path, __ = QFileDialog.getOpenFileName(self, _("Choose the ngrok program"))
        if path:
            self.program.setText(path)

    def save(self) -> None:
        """Store everything and open the tunnel again with it."""
        on = self.enabled.isChecked()
        token = self.token.text().strip()
        if on and not token and not self.token_saved:
            say(self.feedback, _("Paste your ngrok authtoken first: ngrok needs it to "
                                 "open a public address."), False)
            self.token.setFocus()
            return
        if token and (" " in token or len(token) < 20):
            say(self.feedback, _("That does not look like an authtoken: copy the whole "
                                 "line from the ngrok dashboard."), False)
            self.token.setFocus()
            return
        domain = self.domain.text().strip().removeprefix("https://").removeprefix("http://")
        domain = domain.strip("/")
        if domain and ("/" in domain or " " in domain or "." not in domain):
            say(self.feedback, _("The fixed domain looks like “my-shop.ngrok-free.app”: "
                                 "only the name, without a path."), False)
            self.domain.setFocus()
            return
        changes = {"tunnel": "ngrok" if on else "none", "ngrok_domain": domain,
                   "ngrok_region": str(self.region.currentData() or ""),
                   "ngrok_path": self.program.text().strip()}
        self.save_button.setEnabled(False)
        say(self.feedback, _("Saving…"))
        self.bridge.call(lambda s: s.configure_tunnel(authtoken=token or None, **changes),
                         self._saved, self._failed)

    def _saved(self, settings: Settings) -> None:
        self.save_button.setEnabled(True)
        self.token_saved = self.token_saved or bool(self.token.text().strip())
        self.token.clear()
        if self.token_saved:
            self.token.setPlaceholderText(
                _("Saved in the keychain. Paste a new one to replace it."))
        say(self.feedback, _("Saved.") if settings.tunnel == "ngrok" else
            _("Saved. Your webhook addresses now work only on this computer."), True)
        self.saved.emit()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        say(self.feedback, plain_message(error), False)

    def retry(self) -> None:
        """Try to connect now rather than after the wait."""
        self.bridge.call_plain(lambda s: s.retry_tunnel())

    # -- the tunnel's state ---------------------------------------------------------------

    def _on_engine_events(self, batch: list[EngineEvent]) -> None:
        for event in batch:
            if isinstance(event, TunnelChanged):
                self.show_state(event)

    def show_state(self, tunnel: TunnelChanged) -> None:
        """Say what the tunnel is doing, with the download's progress while it runs."""
        self.state = state = tunnel.state or "off"
        reason = tunnel.reason
        progress = tunnel.progress
        self.progress.setVisible(progress is not None)
        if progress is not None:
            self.progress.setRange(0, 0 if progress < 0 else 100)  # busy until sizes known
            self.progress.setValue(max(progress, 0))
        self.retry_button.setVisible(state == "down")
        if state == "up":
            text, colour = _("Open at {url}").format(url=tunnel.public_url), OK
        elif state == "connecting":
            text, colour = reason or _("Connecting…"), WARN
        elif state == "down":
            text, colour = reason or _("The tunnel is not open."), BAD
        else:
            text, colour = _("Off: webhook addresses work only on this computer."), ""
        self.status.setText("● " + text)
        self.status.setStyleSheet(f"color: {colour};" if colour else "")
