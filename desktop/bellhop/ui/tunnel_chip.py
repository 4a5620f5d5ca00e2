"""The tunnel status chip in the status bar: is Bellhop reachable from the internet?

Green "Public: <url>" when the tunnel is up, amber while connecting, red when it
is down (with the reason), grey when there is no tunnel (addresses then work only
on this computer). "Check my URL" asks the engine to reach itself from outside in;
Copy puts the public base address on the clipboard.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from bellhop.core.events import EngineEvent, TunnelChanged
from bellhop.core.i18n import _
from bellhop.ui.bridge import EngineBridge

COLOURS = {"up": "#2e7d32", "connecting": "#b26a00", "down": "#c62828", "off": "#757575"}


class TunnelStatusChip(QWidget):
    """Tunnel state, 'Check my URL' and Copy, all through the bridge."""

    stateChanged = Signal(str)  # off, connecting, up, down
    checked = Signal(bool, str)  # ok, the plain result of 'Check my URL'
    setupRequested = Signal()  # "Set up…": show Accounts › Tunnel

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.state = "off"
        self.public_url: str | None = None
        self.reason = ""
        self.label = QLabel(objectName="TunnelChip")
        self.check_button = QPushButton(_("Check my URL"))
        self.check_button.setToolTip(_("Send a request through the public address to Bellhop, to "
                                       "see that the internet can reach it."))
        self.copy_button = QPushButton(_("Copy"))
        self.copy_button.setToolTip(_("Copy the public address"))
        self.setup_button = QPushButton(_("Set up…"))
        self.setup_button.setToolTip(_("Give your rules a public web address"))
        self.setup_button.clicked.connect(self.setupRequested)
        self.result = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.copy_button)
        layout.addWidget(self.check_button)
        layout.addWidget(self.setup_button)
        layout.addWidget(self.result)
        self.check_button.clicked.connect(self.check)
        self.copy_button.clicked.connect(self.copy)
        bridge.started.connect(self._on_started)
        bridge.engineEvents.connect(self._on_engine_events)
        self.show_state(TunnelChanged(state="off"))

    def _on_started(self) -> None:
        self.bridge.call_plain(lambda s: s.tunnel.snapshot(), self.show_state)

    def _on_engine_events(self, batch: list[EngineEvent]) -> None:
        for event in batch:
            if isinstance(event, TunnelChanged):
                self.show_state(event)

    def show_state(self, tunnel: TunnelChanged) -> None:
        """Show a tunnel state."""
        state = tunnel.state or "off"
        self.state = state
        self.public_url = tunnel.public_url if state == "up" else None
        self.reason = tunnel.reason
        if state == "up":
            text = _("Public: {url}").format(
                url=self.public_url)
            tip = _("Shops, forms and chat bots on the internet can reach your rules "
                    "at this address.")
        elif state == "connecting":
            text = self.reason if tunnel.progress is not None else _("Connecting…")
            tip = _("Bellhop is opening its public address.")
        elif state == "down":
            text = _("Tunnel down: {reason}").format(
                reason=self.reason)
            tip = _("The public address is not working; Bellhop tries again by "
                    "itself. Your rules still work on this computer.")
        else:
            text = _("Only on this computer")
            tip = _("There is no tunnel: webhook addresses only work on this computer, "
                    "so services on the internet cannot reach them.")
        self.label.setText("● " + text)
        self.label.setToolTip(tip)
        self.label.setStyleSheet(f"color: {COLOURS.get(state, COLOURS['off'])};")
        for button in (self.copy_button, self.check_button):
            button.setEnabled(state == "up")
            button.setVisible(state == "up")
        self.setup_button.setVisible(state in ("off", "down"))
        self.setup_button.setText(_("Set up…") if state == "off" else _("Fix…"))
        if state != "up":
            self.result.clear()
        self.stateChanged.emit(state)

    def check(self) -> None:
        """'Check my URL': reach Bellhop through the public address, then show the result."""
        self.check_button.setEnabled(False)
        self.result.setText(_("Checking…"))
        self.bridge.call(lambda s: s.check_public_url(), self._on_checked, self._on_check_failed)

    def _on_checked(self, answer: tuple[bool, float, str]) -> None:
        ok, _seconds, message = answer
        self.check_button.setEnabled(self.state == "up")
        self.result.setText(message)
        self.result.setStyleSheet(f"color: {COLOURS['up' if ok else 'down']};")
        self.checked.emit(ok, message)

    def _on_check_failed(self, error: BaseException) -> None:
        message = getattr(error, "message", None) or _(
            "Bellhop could not check the address. Try again in a moment.")
        self._on_checked((False, 0.0, message))

    def copy(self) -> None:
        """Put the public base address on the clipboard."""
        if self.public_url:
            QGuiApplication.clipboard().setText(self.public_url)
