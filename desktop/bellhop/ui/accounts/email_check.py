"""'Send test email': one real message through a saved account, and what became of it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from bellhop.core.i18n import _
from bellhop.core.running.rules import new_token
from bellhop.core.storage.records import RunRecord
from bellhop.service import Bellhop
from bellhop.ui.accounts.feedback import plain_message, say
from bellhop.ui.bridge import EngineBridge


def email_check_rule(account: str, to: str, subject: str, body: str) -> dict[str, Any]:
    """A one-step rule that sends one email, tried once: what 'Send test email' runs."""
    return {
        "id": "test-email", "name": "Test email", "enabled": True,
        "trigger": {"type": "webhook", "token": new_token()},
        "steps": [{"type": "send_email", "account": account, "to": to, "subject": subject,
                   "body": body, "retry": {"attempts": 1, "first_delay": 0}}],
    }


class EmailCheckPanel(QWidget):
    """An address to send to, the button, and the outcome in plain words."""

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.to = QLineEdit()
        self.button = QPushButton(_("Send test email"))
        self.result = QLabel(wordWrap=True)
        row = QHBoxLayout()
        send_to = QLabel(_("Send to"))
        send_to.setBuddy(self.to)
        row.addWidget(send_to)
        row.addWidget(self.to, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Try it"), objectName="CardTitle"))
        layout.addWidget(QLabel(
            _("Send yourself a short message to check that the account works."),
            objectName="Hint", wordWrap=True))
        layout.addLayout(row)
        layout.addWidget(self.result)

    def reset(self, address: str = "") -> None:
        """Forget the last outcome; `address` is the default recipient shown."""
        self.to.clear()
        self.set_default(address)
        say(self.result, "")

    def set_default(self, address: str) -> None:
        """The address used when the person types none (the account's own)."""
        self.to.setPlaceholderText(address or _("your.address@example.com"))

    def send(self, account: str) -> None:
        """Send the test message through `account` on the engine; the outcome shows below."""
        to = self.to.text().strip() or self.to.placeholderText().strip()
        if "@" not in to:
            say(self.result, _("Type the address to send the test email to."), False)
            return
        rule = email_check_rule(
            account, to, _("Test email from Bellhop"),
            _("This is a test message from Bellhop. If you can read it, your mail "
              "account works and your rules can send email."))
        self.button.setEnabled(False)
        say(self.result, _("Sending a test email to {to}…").format(
            to=to))

        def run(service: Bellhop) -> Any:
            return service.test_rule(rule, {"body": {}})

        self.bridge.call(run, lambda record: self._done(record, to), self.failed)

    def _done(self, run: RunRecord, to: str) -> None:
        self.button.setEnabled(True)
        if run.status == "succeeded":
            say(self.result, _("Sent to {to}. It should arrive within a minute; if not, look in "
                               "the spam folder.").format(
                to=to), True)
            return
        error = (run.steps[0].error if run.steps and run.steps[0].error else run.error) or ""
        say(self.result, _("The test email was not sent. {error}").format(
            error=error).strip(), False)

    def failed(self, error: BaseException) -> None:
        """The test could not even start (or saving before it failed): say why."""
        self.button.setEnabled(True)
        say(self.result, plain_message(error), False)
