"""A field that names a keychain secret, with a box to paste the secret and save it there.

The rule keeps only the name; the webhook address or token goes straight to the
system keychain, and the field shows whether something is saved under the name.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from bellhop.core.i18n import _
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.editors import FieldEditor
from bellhop.ui.rules.problems import plain
from bellhop.ui.theme import BAD, OK


class SecretEditor(FieldEditor):
    """The secret's name, and 'Paste it here, then Save' for its value."""

    def __init__(self, context: BuilderContext) -> None:
        super().__init__()
        self.context = context
        self.name = QLineEdit()
        self.name.textEdited.connect(lambda _: self._name_changed())
        self.value_edit = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.value_edit.setPlaceholderText(_("Paste the address or token here"))
        self.value_edit.setAccessibleName(_("Paste the address or token here"))
        self.value_edit.returnPressed.connect(self.save)
        self.save_button = QPushButton(_("Save in keychain"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.value_edit, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.name)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.setFocusProxy(self.name)

    def value(self) -> str:
        return self.name.text().strip()

    def set_value(self, value: Any) -> None:
        self.name.setText("" if value is None else str(value))
        self._check()

    def _name_changed(self) -> None:
        self.changed.emit()
        self._check()

    def _say(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour};")

    def _check(self) -> None:
        name, bridge = self.value(), self.context.bridge
        if not name or bridge is None:
            self.status.clear()
            return

        self._asked = asked = getattr(self, "_asked", 0) + 1

        def known(saved: bool) -> None:
            if name != self.value() or asked != self._asked:
                return  # the name changed meanwhile, or a save came after the question
            if saved:
                self._say(_("Saved in your system keychain."), OK)
            else:
                self._say(_("Nothing saved under this name yet: paste it above and "
                            "press Save."), BAD)

        bridge.call(lambda s: asyncio.to_thread(s.has_secret, name), known,
                    lambda error: self._say(plain(error), BAD))

    def save(self) -> None:
        """Put the pasted secret in the keychain under the name; the box keeps nothing."""
        name, secret = self.value(), self.value_edit.text().strip()
        if not name:
            self._say(_("Give it a name first."), BAD)
            return
        if not secret:
            self._say(_("Paste the address or token first."), BAD)
            return
        self.value_edit.clear()
        bridge = self.context.bridge
        if bridge is None:
            return
        self._asked = getattr(self, "_asked", 0) + 1  # an earlier "is it saved?" is stale
        bridge.call(lambda s: s.store_secret(name, secret),
                    lambda _result: self._say(_("Saved in your system keychain."), OK),
                    lambda error: self._say(plain(error), BAD))
