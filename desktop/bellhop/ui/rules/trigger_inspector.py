"""The trigger card's settings: address, sample event, sender check, methods, answer."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.resources import icon
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.problems import plain
from bellhop.ui.rules.samples import SHIPPED, shipped
from bellhop.ui.rules.surveycake_box import SurveyCakeBox
from bellhop.ui.theme import BAD, OK, WARN

SCHEMES = ["", "shopify", "line", "github", "stripe", "slack", "standard", "basic", "header"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class TriggerInspector(QWidget):
    """Settings of "When a webhook arrives"; edits come out as the whole trigger dict."""

    triggerEdited = Signal(dict)
    listenRequested = Signal(bool)  # start (True) or stop listening for a test event
    sampleChosen = Signal(str)  # a shipped sample's key
    urlCopied = Signal()
    connectRequested = Signal()  # "Connect the tunnel"
    sendRequested = Signal()  # "Send the sample to this rule"

    def __init__(self, bridge: EngineBridge, context: BuilderContext) -> None:
        super().__init__()
        self.bridge, self.context = bridge, context
        self.trigger: dict[str, Any] = {}
        self.rule_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._address_box())
        layout.addWidget(self._sample_box())
        layout.addWidget(self._verify_box())
        self.surveycake = SurveyCakeBox(bridge)
        self.surveycake.optionEdited.connect(self._surveycake_changed)
        layout.addWidget(self.surveycake)
        layout.addWidget(self._methods_box())
        layout.addWidget(self._respond_box())
        layout.addStretch(1)
        context.sampleChanged.connect(self.show_sample)

    # -- building -------------------------------------------------------------------------

    def _address_box(self) -> QGroupBox:
        box = QGroupBox(_("Web address"))
        self.url = QLineEdit(readOnly=True)
        self.url.setFont(QFont("monospace"))
        copy_button = QPushButton(icon("copy"), _("Copy"))
        copy_button.clicked.connect(self.copy_url)
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(copy_button)
        self.reach = QLabel(wordWrap=True)  # where to paste it, or that it is local
        self.connect_button = QPushButton(icon("globe"), _("Connect the tunnel"))
        self.connect_button.clicked.connect(self.connectRequested)
        self.send_button = QPushButton(icon("play"), _("Send the sample to this rule"))
        self.send_button.setToolTip(_("Deliver the sample event to this address from this "
                                      "computer, as the service would; it shows in Activity"))
        self.send_button.clicked.connect(self.sendRequested)
        offers = QVBoxLayout()  # one above the other: the panel is narrow
        offers.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignLeft)
        offers.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.send_status = QLabel(wordWrap=True)
        self.send_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.send_status.hide()
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.reach)
        layout.addLayout(offers)
        layout.addWidget(self.send_status)
        return box

    def show_reach(self, public: bool, text: str, connect: bool) -> None:
        """Where to paste a public address; or that it is local, with the offers."""
        self.reach.setText(text)
        self.reach.setObjectName("Hint" if public else "")
        self.reach.setStyleSheet("" if public else f"color: {WARN};")
        self.connect_button.setVisible(connect)

    def say_sent(self, text: str, colour: str = "") -> None:
        """What became of the sample sent to this rule ('' hides it)."""
        self.send_status.setText(text)
        self.send_status.setStyleSheet(f"color: {colour};" if colour else "")
        self.send_status.setVisible(bool(text))

    def _sample_box(self) -> QGroupBox:
        box = QGroupBox(_("Sample event"))
        self.listen_button = QPushButton(icon("listen"), _("Listen for a test event"))
        self.listen_button.setCheckable(True)
        self.listen_button.toggled.connect(self.listenRequested)
        self.samples_button = QToolButton(text=_("Use a sample"))
        self.samples_button.setIcon(icon("sample"))
        self.samples_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.samples_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.samples_menu = QMenu(self.samples_button)
        for item in SHIPPED:
            action = self.samples_menu.addAction(item.label())
            action.setData(item.key)
            action.triggered.connect(lambda _=False, key=item.key: self.sampleChosen.emit(key))
        self.samples_button.setMenu(self.samples_menu)
        row = QHBoxLayout()
        row.addWidget(self.listen_button)
        row.addWidget(self.samples_button)
        row.addStretch(1)
        self.listen_status = QLabel()
        self.listen_status.setWordWrap(True)
        self.listen_status.hide()
        self.sample_title = QLabel()
        self.sample_title.setWordWrap(True)
        self.sample_view = QPlainTextEdit(readOnly=True)
        self.sample_view.setFont(QFont("monospace"))
        self.sample_view.setFixedHeight(150)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.listen_status)
        layout.addWidget(self.sample_title)
        layout.addWidget(self.sample_view)
        return box

    def _verify_box(self) -> QGroupBox:
        box = QGroupBox(_("Check the sender"))
        self.scheme = QComboBox()
        self.scheme.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scheme.setMinimumContentsLength(16)
        names = {"": _("No check (anyone with the address can send)"),
                 "shopify": "Shopify", "line": "LINE", "github": "GitHub", "stripe": "Stripe",
                 "slack": "Slack", "standard": _("Standard Webhooks (whsec_…)"),
                 "basic": _("User name and password"),
                 "header": _("A secret header")}
        for scheme in SCHEMES:
            self.scheme.addItem(names[scheme], scheme)
        self.scheme.activated.connect(lambda _: self._verify_changed())
        self.secret = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.save_secret_button = QPushButton(_("Save secret"))
        self.save_secret_button.clicked.connect(self.save_secret)
        self.secret.returnPressed.connect(self.save_secret)
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret, 1)
        secret_row.addWidget(self.save_secret_button)
        self.secret_status = QLabel()
        self.secret_status.setWordWrap(True)
        self.secret_hint = QLabel()
        self.secret_hint.setObjectName("Hint")
        self.secret_hint.setWordWrap(True)
        self.header_name = QLineEdit(placeholderText="X-Webhook-Token")
        self.header_name.textEdited.connect(lambda _: self._verify_changed())
        self.username = QLineEdit()
        self.username.textEdited.connect(lambda _: self._verify_changed())
        self.secret_label = QLabel(_("Secret"))
        self.header_label = QLabel(_("Header name"))
        self.username_label = QLabel(_("User name"))
        why = QLabel(_("Proves that each delivery really comes from the service."))
        why.setObjectName("Hint")
        why.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(why)
        layout.addWidget(self.scheme)
        layout.addWidget(self.secret_label)
        layout.addLayout(secret_row)
        for widget in (self.secret_hint, self.secret_status, self.header_label,
                       self.header_name, self.username_label, self.username):
            layout.addWidget(widget)
        return box

    def _methods_box(self) -> QGroupBox:
        box = QGroupBox(_("Accept requests of these kinds"))
        grid = QGridLayout(box)
        self.methods: dict[str, QCheckBox] = {}
        for index, method in enumerate(METHODS):
            check = QCheckBox(method)
            check.toggled.connect(lambda _: self._methods_changed())
            grid.addWidget(check, index // 3, index % 3)
            self.methods[method] = check
        hint = QLabel(_("Services send POST; leave the others off unless the service's "
                        "help says otherwise."))
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        grid.addWidget(hint, 2, 0, 1, 3)
        return box

    def _respond_box(self) -> QGroupBox:
        box = QGroupBox(_("Answer"))
        self.respond_box = QCheckBox(_("Send my own reply"))
        self.respond_box.toggled.connect(lambda _: self._respond_changed())
        self.status = QSpinBox()
        self.status.setRange(200, 299)
        self.status.valueChanged.connect(lambda _: self._respond_changed())
        self.reply = QLineEdit()
        self.reply.textEdited.connect(lambda _: self._respond_changed())
        self.respond_fields = QWidget()
        form = QFormLayout(self.respond_fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Status code"), self.status)
        form.addRow(_("Reply text"), self.reply)
        self.respond_box.toggled.connect(self.respond_fields.setVisible)
        hint = QLabel(_("Otherwise Bellhop answers at once that the delivery arrived."))
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(self.respond_box)
        layout.addWidget(self.respond_fields)
        layout.addWidget(hint)
        return box

    # -- showing a rule -------------------------------------------------------------------

    def set_rule(self, rule_id: str, trigger: dict[str, Any], url: str) -> None:
        """Show a rule's trigger."""
        if rule_id != self.rule_id:
            self.say_sent("")
            self.set_listening(False)  # what was said while listening belongs to that rule
        self.rule_id, self.trigger = rule_id, copy.deepcopy(trigger)
        self.set_url(url)
        verify = trigger.get("verify") if isinstance(trigger.get("verify"), dict) else {}
        for widget in (self.scheme, self.header_name, self.username, self.status, self.reply,
                       self.respond_box, *self.methods.values()):
            widget.blockSignals(True)
        self.scheme.setCurrentIndex(max(self.scheme.findData(verify.get("scheme", "")), 0))
        self.header_name.setText(str(verify.get("header", "")))
        self.username.setText(str(verify.get("username", "")))
        methods = trigger.get("methods") or ["POST"]
        for method, check in self.methods.items():
            check.setChecked(method in methods)
        respond = trigger.get("respond") if isinstance(trigger.get("respond"), dict) else None
        self.respond_box.setChecked(respond is not None)
        self.respond_fields.setVisible(respond is not None)
        self.status.setValue(int((respond or {}).get("status", 200)))
        self.reply.setText(str((respond or {}).get("body", "ok")))
        for widget in (self.scheme, self.header_name, self.username, self.status, self.reply,
                       self.respond_box, *self.methods.values()):
            widget.blockSignals(False)
        self._show_verify_fields()
        surveycake = trigger.get("surveycake")
        self.surveycake.set_option(rule_id, surveycake if isinstance(surveycake, dict) else None)
        self.show_sample()

    def copy_url(self) -> None:
        """Put the address on the clipboard."""
        if self.url.text():
            QGuiApplication.clipboard().setText(self.url.text())
            self.urlCopied.emit()

    def set_url(self, url: str) -> None:
        """Show the rule's address."""
        self.url.setText(url)
        self.url.setCursorPosition(0)

    def set_listening(self, listening: bool, text: str = "", colour: str = "") -> None:
        """Show whether Bellhop waits for a test delivery."""
        self.listen_button.blockSignals(True)
        self.listen_button.setChecked(listening)
        self.listen_button.blockSignals(False)
        self.listen_button.setText(_("Stop listening") if listening else
                                   _("Listen for a test event"))
        self.listen_status.setText(text)
        self.listen_status.setStyleSheet(f"color: {colour};" if colour else "")
        self.listen_status.setVisible(bool(text))

    def show_sample(self) -> None:
        """Show the sample event the builder uses."""
        sample = self.context.sample
        if sample is None:
            self.sample_title.setText(_("No sample yet. Listen for a real delivery, or "
                                        "start with one of Bellhop's samples."))
            self.sample_view.hide()
            return
        self.sample_title.setText(_("Using: {name}").format(
            name=self.sample_name()))
        self.sample_view.setPlainText(json.dumps(sample.get("body"), ensure_ascii=False,
                                                 indent=2)[:20000])
        self.sample_view.show()

    def sample_name(self) -> str:
        """What the current sample is, in words."""
        sample = self.context.sample or {}
        item = shipped(str(sample.get("source", "")))
        if item is not None:
            return item.label()
        if sample.get("received_at"):
            when = str(sample["received_at"])[:16].replace("T", " ")
            return _("the delivery received {when}").format(
                when=when)
        return _("your sample")

    # -- edits ----------------------------------------------------------------------------

    def _secret_name(self) -> str:
        verify = self.trigger.get("verify") if isinstance(self.trigger.get("verify"), dict) \
            else {}
        return str(verify.get("secret") or f"rule-{self.rule_id}-signing")

    def _verify_changed(self) -> None:
        scheme = self.scheme.currentData()
        if not scheme:
            self.trigger.pop("verify", None)
        else:
            verify = {"scheme": scheme, "secret": self._secret_name()}
            if scheme == "header":
                verify["header"] = self.header_name.text().strip()
            if scheme == "basic":
                verify["username"] = self.username.text().strip()
            old = self.trigger.get("verify") if isinstance(self.trigger.get("verify"), dict) \
                else {}
            if "tolerance" in old:
                verify["tolerance"] = old["tolerance"]
            self.trigger["verify"] = verify
        self._show_verify_fields()
        self.triggerEdited.emit(copy.deepcopy(self.trigger))

    def _show_verify_fields(self) -> None:
        scheme = self.scheme.currentData()
        for widget in (self.secret_label, self.secret, self.save_secret_button,
                       self.secret_hint, self.secret_status):
            widget.setVisible(bool(scheme))
        for widget in (self.header_label, self.header_name):
            widget.setVisible(scheme == "header")
        for widget in (self.username_label, self.username):
            widget.setVisible(scheme == "basic")
        self.secret_hint.setText(self._secret_hint(scheme))
        if scheme:
            name = self._secret_name()
            asked = self._next_secret_question()
            self.bridge.call(lambda s: asyncio.to_thread(s.has_secret, name),
                             lambda saved: self._secret_known(saved, asked),
                             lambda error: self._secret_said(plain(error), BAD))

    def _next_secret_question(self) -> int:
        # Answers come back from the engine thread in any order: only the latest counts
        # (a slow "is it saved?" must not overwrite "Saved" after the person saved it).
        self._secret_question = getattr(self, "_secret_question", 0) + 1
        return self._secret_question

    def _secret_hint(self, scheme: str) -> str:
        return {
            "shopify": _("The signing secret shown under Shopify's webhook list"),
            "line": _("The channel secret from the LINE Developers console"),
            "github": _("The secret you typed when adding the webhook"),
            "stripe": _("The endpoint's signing secret (whsec_…)"),
            "slack": _("The signing secret of your Slack app"),
            "standard": _("The secret starting with whsec_"),
            "basic": _("The password the service sends"),
            "header": _("The value the service puts in the header"),
        }.get(scheme, "")

    def _secret_known(self, saved: bool, asked: int | None = None) -> None:
        if asked is not None and asked != self._secret_question:
            return  # a later question (or a save) has the say
        if saved:
            self._secret_said(_("Saved in your system keychain."), OK)
        else:
            self._secret_said(_("No secret saved yet: deliveries will be turned away "
                                "until you save it."), BAD)

    def _secret_said(self, text: str, colour: str) -> None:
        self.secret_status.setText(text)
        self.secret_status.setStyleSheet(f"color: {colour};")

    def save_secret(self) -> None:
        """Put the typed secret in the system keychain; the field keeps nothing."""
        value = self.secret.text()
        if not value.strip():
            self._secret_said(_("Paste the secret first."), BAD)
            return
        name = self._secret_name()
        self.secret.clear()
        asked = self._next_secret_question()
        self.bridge.call(lambda s: s.store_secret(name, value),
                         lambda _: self._secret_known(True, asked),
                         lambda error: self._secret_said(plain(error), BAD))

    def _surveycake_changed(self, option: dict[str, Any] | None) -> None:
        if option is None:
            self.trigger.pop("surveycake", None)
        else:
            self.trigger["surveycake"] = option
        self.triggerEdited.emit(copy.deepcopy(self.trigger))

    def _methods_changed(self) -> None:
        chosen = [method for method, check in self.methods.items() if check.isChecked()]
        self.trigger["methods"] = chosen
        self.triggerEdited.emit(copy.deepcopy(self.trigger))

    def _respond_changed(self) -> None:
        if self.respond_box.isChecked():
            respond = dict(self.trigger.get("respond") or {})
            respond.update(status=self.status.value(), body=self.reply.text())
            self.trigger["respond"] = respond
        else:
            self.trigger.pop("respond", None)
        self.triggerEdited.emit(copy.deepcopy(self.trigger))
