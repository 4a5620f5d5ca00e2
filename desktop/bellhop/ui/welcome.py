"""The first-run welcome: three steps to a first working rule, each with a button to go there.

Shown once, beside the window (never modal: the window stays usable and nothing
waits on it), and again from Help → Welcome…. Closing it in any way marks it seen
in settings.json (`welcome_seen`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.ui.resources import icon

STEPS = ("tunnel", "template", "test")


class WelcomeDialog(QDialog):
    """Connect the tunnel, pick a template, send a test event; or skip."""

    stepRequested = Signal(str)  # one of STEPS: the window goes there
    dismissed = Signal()  # closed, skipped or a step chosen: do not show it again by itself

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to Bellhop"))
        self.setModal(False)
        self.setMinimumWidth(560)
        title = QLabel(_("Welcome to Bellhop"), objectName="PageTitle")
        intro = QLabel(_("Bellhop waits for web services (your shop, a form, a chat bot) to tell "
                         "it that something happened, then runs the errands you chose: an email, a "
                         "spreadsheet row, a call to another service. Three steps to your first "
                         "rule:"),
            objectName="Hint", wordWrap=True)
        self.buttons: dict[str, QPushButton] = {}
        steps = QFrame(objectName="Card")
        grid = QGridLayout(steps)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(1, 1)
        for row, (key, heading, text, button) in enumerate(self._steps()):
            number = QLabel(str(row + 1), objectName="StepNumber")
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            number.setFixedSize(30, 30)
            number.setStyleSheet("background: #2f6fed; color: white; border-radius: 15px;"
                                 " font-weight: 600;")
            words = QWidget()
            column = QVBoxLayout(words)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(QLabel(heading, objectName="CardTitle"))
            column.addWidget(QLabel(text, objectName="Hint", wordWrap=True))
            go = QPushButton(button)
            go.clicked.connect(lambda _=False, step=key: self.go(step))
            self.buttons[key] = go
            grid.addWidget(number, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(words, row, 1)
            grid.addWidget(go, row, 2, Qt.AlignmentFlag.AlignVCenter)
        self.skip_button = QPushButton(_("Skip for now"))
        self.skip_button.clicked.connect(self.close)
        later = QLabel(_("You can open this again from Help → Welcome…"),
                       objectName="Hint", wordWrap=True)
        footer = QHBoxLayout()
        footer.addWidget(later, 1)
        footer.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.setSpacing(12)
        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(icon("bellhop").pixmap(48, 48))
        header.addWidget(logo)
        header.addWidget(title, 1)
        layout.addLayout(header)
        layout.addWidget(intro)
        layout.addWidget(steps)
        layout.addLayout(footer)
        # Skip, the title bar's ×, Escape and the step buttons all end in `finished`.
        self.finished.connect(lambda _result: self.dismissed.emit())

    def _steps(self) -> list[tuple[str, str, str, str]]:
        return [
            ("tunnel", _("Connect the tunnel"),
             _("Shops and forms on the internet need a public address to reach this "
               "computer. Bellhop makes one with ngrok; you need a free ngrok account."),
             _("Set up the tunnel")),
            ("template", _("Pick a template"),
             _("Start from a ready-made rule (a Shopify order → an email and a "
               "spreadsheet row, a website form → an email) and change what you like."),
             _("New rule…")),
            ("test", _("Send a test event"),
             _("Bellhop listens for one delivery to your rule's address and keeps it as "
               "the sample; Run test then shows what each card would do."),
             _("Listen for a test event")),
        ]

    def go(self, step: str) -> None:
        """Close the welcome and take the window to `step`."""
        self.close()
        self.stepRequested.emit(step)
