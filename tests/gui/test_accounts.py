"""The Accounts page: add, test, change and delete a mail account on the real engine."""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bellhop.core.platform import paths
from helpers import wait_for
from support.ports import free_port


class Mailbox:
    """An SMTP server's inbox: every message it accepted."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted"


def shop_login(server: Any, session: Any, envelope: Any, mechanism: str,
               auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data == (b"shop@example.com", b"s3cret")
    return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)


@pytest.fixture
def mailbox() -> Iterator[tuple[Controller, Mailbox]]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port(),
                            authenticator=shop_login, auth_require_tls=False)
    controller.start()
    yield controller, box
    controller.stop()


def engine_call(app: Any, qtbot: Any, fn: Callable[[Any], Any]) -> Any:
    """Run a plain service call on the engine and wait for its answer."""
    answers: list[Any] = []
    app.bridge.call_plain(fn, answers.append, answers.append)
    wait_for(qtbot, lambda: answers)
    return answers[0]


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def accounts_file(home: Path) -> dict[str, Any]:
    path = paths.accounts_file(home)
    return json.loads(path.read_text(encoding="utf-8"))["accounts"] if path.exists() else {}


def open_page(app: Any, qtbot: Any) -> Any:
    app.window.show_page("accounts")
    page = app.window.accounts_page
    wait_for(qtbot, lambda: page.loaded)
    return page


def fill_custom_account(page: Any, qtbot: Any, port: int, password: str = "s3cret") -> None:
    form = page.form
    form.provider.setCurrentIndex(form.provider.findData("custom"))
    qtbot.keyClicks(form.address, "shop@example.com")
    qtbot.keyClicks(form.password, password)
    form.name.clear()
    qtbot.keyClicks(form.name, "shop-mail")
    qtbot.keyClicks(form.host, "127.0.0.1")
    form.port.setValue(port)
    form.security.setCurrentIndex(form.security.findData("none"))


def test_adding_an_account_puts_the_password_in_the_keychain_only(
        bellhop_app: Any, qtbot: Any, home: Path, memory_keyring: Any) -> None:
    page = open_page(bellhop_app, qtbot)
    assert page.empty_hint.isVisibleTo(page)
    fill_custom_account(page, qtbot, 2525)
    assert page.form.username.text() == "shop@example.com"  # follows the address
    click(qtbot, page.form.save_button)

    wait_for(qtbot, lambda: "shop-mail" in accounts_file(home))
    saved = accounts_file(home)["shop-mail"]
    assert saved == {"kind": "smtp", "host": "127.0.0.1", "port": 2525, "security": "none",
                     "username": "shop@example.com", "from": "shop@example.com"}
    assert "s3cret" not in paths.accounts_file(home).read_text(encoding="utf-8")
    assert memory_keyring.store[("bellhop", "shop-mail")] == "s3cret"
    wait_for(qtbot, lambda: page.list.topLevelItemCount() == 1)
    assert page.list.topLevelItem(0).text(0) == "shop-mail"
    assert "shop@example.com" in page.list.topLevelItem(0).text(2)
    assert page.form.password.text() == ""
    assert "keychain" in page.form.password.placeholderText()
    assert page.form.status.text() == "Saved."

    # Changing it with the password left empty keeps the saved password.
    page.form.port.setValue(2526)
    click(qtbot, page.form.save_button)
    wait_for(qtbot, lambda: accounts_file(home)["shop-mail"]["port"] == 2526)
    assert memory_keyring.store[("bellhop", "shop-mail")] == "s3cret"

    # A pace of its own (messages a minute), and back to the provider's usual one.
    assert page.form.per_minute.text() == "Usual for the provider"
    wait_for(qtbot, lambda: page.form.status.text() == "Saved.")
    page.form.per_minute.setValue(12)
    click(qtbot, page.form.save_button)
    wait_for(qtbot, lambda: accounts_file(home)["shop-mail"].get("per_minute") == 12)
    wait_for(qtbot, lambda: page.form.status.text() == "Saved.")
    page.form.per_minute.setValue(0)
    click(qtbot, page.form.save_button)
    wait_for(qtbot, lambda: "per_minute" not in accounts_file(home)["shop-mail"])


def test_the_form_says_what_is_missing(bellhop_app: Any, qtbot: Any, home: Path) -> None:
    page = open_page(bellhop_app, qtbot)
    click(qtbot, page.form.save_button)
    assert page.form.status.text() == "Type your email address."
    qtbot.keyClicks(page.form.address, "shop@gmail.com")
    assert page.form.name.text() == "shop@gmail.com"  # suggested from the address
    click(qtbot, page.form.save_button)
    assert "app password" in page.form.status.text()
    assert not paths.accounts_file(home).exists()


def test_gmail_preset_fills_the_server_and_explains_app_passwords(
        bellhop_app: Any, qtbot: Any, home: Path, memory_keyring: Any, artifacts: Path) -> None:
    page = open_page(bellhop_app, qtbot)
    form = page.form
    assert form.chosen_preset().key == "gmail"
    assert "myaccount.google.com/apppasswords" in form.provider_help.text()
    assert form.password_label.text() == "App password"
    assert not form.host.isVisibleTo(form)  # a shop owner never sees server settings here
    qtbot.keyClicks(form.address, "shop@gmail.com")
    qtbot.keyClicks(form.password, "abcd efgh ijkl mnop")
    form.name.clear()
    qtbot.keyClicks(form.name, "Shop Gmail")
    click(qtbot, form.save_button)
    wait_for(qtbot, lambda: "Shop Gmail" in accounts_file(home))
    assert accounts_file(home)["Shop Gmail"] == {
        "kind": "smtp", "host": "smtp.gmail.com", "port": 587, "security": "starttls",
        "username": "shop@gmail.com", "from": "shop@gmail.com"}
    wait_for(qtbot, lambda: page.list.topLevelItemCount() == 1)
    assert "Gmail" in page.list.topLevelItem(0).text(2)
    assert page.google_card.key_button.isEnabled()  # Google connects from this page now
    assert page.tunnel_form.save_button.text() == "Save and connect"

    qtbot.wait(50)
    shot = artifacts / "accounts_page.png"
    assert bellhop_app.window.grab().save(str(shot))
    assert shot.stat().st_size > 20_000  # not blank


def test_send_test_email_reaches_the_server(
        bellhop_app: Any, qtbot: Any, mailbox: tuple[Controller, Mailbox]) -> None:
    controller, box = mailbox
    page = open_page(bellhop_app, qtbot)
    fill_custom_account(page, qtbot, controller.port)
    click(qtbot, page.form.check.button)  # saves first, then sends

    wait_for(qtbot, lambda: page.form.check.result.text().startswith("Sent"), timeout=15000)
    assert "shop@example.com" in page.form.check.result.text()
    (envelope,) = box.messages
    assert envelope.rcpt_tos == ["shop@example.com"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Test email from Bellhop"

    page.form.check.to.setText("boss@example.com")
    click(qtbot, page.form.check.button)
    wait_for(qtbot, lambda: len(box.messages) == 2, timeout=15000)
    assert box.messages[1].rcpt_tos == ["boss@example.com"]


def test_a_wrong_port_gives_a_plain_error(bellhop_app: Any, qtbot: Any) -> None:
    page = open_page(bellhop_app, qtbot)
    fill_custom_account(page, qtbot, free_port())
    click(qtbot, page.form.check.button)

    wait_for(qtbot, lambda: "not sent" in page.form.check.result.text(), timeout=15000)
    text = page.form.check.result.text()
    assert "Could not reach the mail server 127.0.0.1" in text
    assert "Traceback" not in text and "Errno" not in text
    assert page.form.check.button.isEnabled()


def test_delete_removes_the_account_and_its_password(
        bellhop_app: Any, qtbot: Any, home: Path, memory_keyring: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    account = {"kind": "smtp", "host": "smtp.office365.com", "port": 587,
               "security": "starttls", "username": "desk@shop.tw", "from": "desk@shop.tw"}
    engine_call(bellhop_app, qtbot, lambda s: s.set_account("desk", account, "pw"))
    page = open_page(bellhop_app, qtbot)
    page.reload()
    wait_for(qtbot, lambda: page.list.topLevelItemCount() == 1)
    page.list.setCurrentItem(page.list.topLevelItem(0))
    assert page.form.chosen_preset().key == "outlook"
    assert not page.form.name.isEnabled()  # rules refer to it by name
    wait_for(qtbot, lambda: "keychain" in page.form.password.placeholderText())

    questions: list[str] = []

    def answer_yes(*args: Any) -> QMessageBox.StandardButton:
        questions.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    click(qtbot, page.delete_button)
    wait_for(qtbot, lambda: "desk" not in accounts_file(home))
    assert "“desk”" in questions[0]
    assert ("bellhop", "desk") not in memory_keyring.store
    wait_for(qtbot, lambda: page.list.topLevelItemCount() == 0)
    assert page.form.editing is None and page.form.name.isEnabled()


def test_no_keychain_is_said_plainly(bellhop_app: Any, qtbot: Any, home: Path) -> None:
    keyring.set_keyring(fail.Keyring())  # the memory_keyring fixture puts the old one back
    page = open_page(bellhop_app, qtbot)
    page.check_keychain()
    wait_for(qtbot, lambda: page.keychain_banner.isVisibleTo(page))
    assert "No system keychain" in page.keychain_banner.text()

    fill_custom_account(page, qtbot, 2525)
    click(qtbot, page.form.save_button)
    wait_for(qtbot, lambda: "keychain" in page.form.status.text())
    assert "No system keychain" in page.form.status.text()
    assert not paths.accounts_file(home).exists()  # nothing half-saved
