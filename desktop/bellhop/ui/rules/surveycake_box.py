"""The trigger's "This is a SurveyCake webhook" option: address and the survey's two keys.

SurveyCake sends only a response's svid and hash; with this option Bellhop fetches
the answers and decrypts them with the Hash Key and IV Key (kept in the keychain)
as each run begins, and the cards see them as body.answers.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.rules.problems import plain
from bellhop.ui.theme import BAD, OK

DEFAULT_DOMAIN = "www.surveycake.com"


class SurveyCakeBox(QGroupBox):
    """Turns the option on or off; `optionEdited` carries the option (None when off)."""

    optionEdited = Signal(object)

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__(_("SurveyCake"))
        self.bridge = bridge
        self.rule_id = ""
        self.option: dict[str, Any] | None = None
        self.enabled = QCheckBox(_("This is a SurveyCake webhook"))
        self.enabled.toggled.connect(self._toggled)
        hint = QLabel(_("Bellhop then fetches and decrypts each response's answers; cards use them "
                        'as body.answers["question"] or body.answers["1"] (question number).'))
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        self.domain = QLineEdit(placeholderText=DEFAULT_DOMAIN)
        self.domain.textEdited.connect(lambda _: self._edited())
        self.hash_key = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.iv_key = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.save_button = QPushButton(_("Save keys"))
        self.save_button.clicked.connect(self.save_keys)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.fields = QWidget()
        form = QFormLayout(self.fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("SurveyCake address"), self.domain)
        form.addRow(_("Hash Key"), self.hash_key)
        keys = QHBoxLayout()
        keys.addWidget(self.iv_key, 1)
        keys.addWidget(self.save_button)
        form.addRow(_("IV Key"), keys)
        form.addRow(self.status)
        where = QLabel(_("Both keys are under the survey's Settings › Webhook in "
                         "SurveyCake; they go to your system keychain."))
        where.setObjectName("Hint")
        where.setWordWrap(True)
        form.addRow(where)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(hint)
        layout.addWidget(self.fields)

    def set_option(self, rule_id: str, option: dict[str, Any] | None) -> None:
        """Show a rule's option (None: off)."""
        self.rule_id, self.option = rule_id, copy.deepcopy(option)
        for widget in (self.enabled, self.domain):
            widget.blockSignals(True)
        self.enabled.setChecked(option is not None)
        self.domain.setText(str((option or {}).get("domain", DEFAULT_DOMAIN)))
        for widget in (self.enabled, self.domain):
            widget.blockSignals(False)
        self.fields.setVisible(option is not None)
        self.status.clear()
        if option is not None:
            self._check_keys()

    def _names(self) -> tuple[str, str]:
        option = self.option or {}
        return (str(option.get("hash_key") or f"rule-{self.rule_id}-surveycake-hash"),
                str(option.get("iv_key") or f"rule-{self.rule_id}-surveycake-iv"))

    def _toggled(self, on: bool) -> None:
        self.fields.setVisible(on)
        if on:
            hash_name, iv_name = self._names()
            self.option = {"domain": self.domain.text().strip() or DEFAULT_DOMAIN,
                           "hash_key": hash_name, "iv_key": iv_name}
            self._check_keys()
        else:
            self.option = None
        self.optionEdited.emit(copy.deepcopy(self.option))

    def _edited(self) -> None:
        if self.option is not None:
            self.option["domain"] = self.domain.text().strip() or DEFAULT_DOMAIN
            self.optionEdited.emit(copy.deepcopy(self.option))

    def _say(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour};")

    def _check_keys(self) -> None:
        names = self._names()

        def known(saved: bool) -> None:
            if saved:
                self._say(_("Both keys are saved in your system keychain."), OK)
            else:
                self._say(_("Paste the Hash Key and the IV Key, then press Save keys."),
                          BAD)

        self.bridge.call(
            lambda s: asyncio.to_thread(lambda: all(s.has_secret(n) for n in names)), known,
            lambda error: self._say(plain(error), BAD))

    def save_keys(self) -> None:
        """Put both keys in the keychain; the boxes keep nothing."""
        hash_value, iv_value = self.hash_key.text().strip(), self.iv_key.text().strip()
        if len(hash_value) != 16 or len(iv_value) != 16:
            self._say(_("Each key is 16 characters long: copy both from SurveyCake."),
                      BAD)
            return
        self.hash_key.clear()
        self.iv_key.clear()
        hash_name, iv_name = self._names()

        async def store(service: Any) -> None:
            await service.store_secret(hash_name, hash_value)
            await service.store_secret(iv_name, iv_value)

        self.bridge.call(store, lambda _: self._check_keys(),
                         lambda error: self._say(plain(error), BAD))
