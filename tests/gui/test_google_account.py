"""The Google card of the Accounts page on the real engine, against the fake Google."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from bellhop.core.gallery.starters import STARTERS
from bellhop.core.platform import paths
from bellhop.core.platform.secrets import get_secret
from fakes.fake_google import FakeGoogle
from google_kit import HEADER, ROBOT, SHEET_ID, SHEET_URL
from helpers import wait_for

CLIENT_ID = "1234-desktop.apps.googleusercontent.com"


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    with FakeGoogle() as google:
        google.add_spreadsheet(SHEET_ID, {"Orders": [list(HEADER)], "訂單": []},
                               {ROBOT, "owner@example.com"}, title="Shop orders")
        yield google


def open_card(app: Any, qtbot: Any) -> Any:
    app.window.show_page("accounts")
    page = app.window.accounts_page
    wait_for(qtbot, lambda: page.loaded)
    return page.google_card


def accounts(home: Path) -> dict[str, Any]:
    path = paths.accounts_file(home)
    return json.loads(path.read_text(encoding="utf-8"))["accounts"] if path.exists() else {}


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def show_addresses(card: Any, fake: FakeGoogle) -> None:
    card.advanced.setChecked(True)
    card.api_base.setText(fake.url)
    card.token_uri.setText(f"{fake.url}/token")
    card.auth_uri.setText(f"{fake.url}/o/oauth2/auth")


def test_key_file_share_address_copy_and_test_connection(
        bellhop_app: Any, qtbot: Any, home: Path, tmp_path: Path, fake: FakeGoogle,
        monkeypatch: pytest.MonkeyPatch) -> None:
    card = open_card(bellhop_app, qtbot)
    assert not card.email.isVisibleTo(card)  # nothing to share yet
    key = fake.add_service_account(ROBOT)
    key_path = tmp_path / "Downloads" / "shop-project-1a2b.json"
    key_path.parent.mkdir()
    key_path.write_text(json.dumps(key), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(key_path), "Key files (*.json)"))
    show_addresses(card, fake)
    click(qtbot, card.key_button)

    wait_for(qtbot, lambda: card.email.text() == ROBOT)
    assert card.email.isVisibleTo(card) and card.share_hint.isVisibleTo(card)
    assert accounts(home)["google"]["client_email"] == ROBOT
    assert accounts(home)["google"]["api_base"] == fake.url
    assert "private_key" not in json.dumps(accounts(home))
    assert json.loads(get_secret("google"))["private_key"] == key["private_key"]
    page = bellhop_app.window.accounts_page
    wait_for(qtbot, lambda: page.list.topLevelItemCount() == 1)
    assert page.list.topLevelItem(0).text(2) == ROBOT
    card.name.setText("something else")
    card.email.clear()
    page.list.setCurrentItem(None)
    page.list.setCurrentItem(page.list.topLevelItem(0))  # picking it in the list shows it
    assert card.account_name() == "google" and card.email.text() == ROBOT

    click(qtbot, card.copy_button)
    assert QGuiApplication.clipboard().text() == ROBOT

    qtbot.keyClicks(card.sheet_url, SHEET_URL)
    click(qtbot, card.test_button)
    wait_for(qtbot, lambda: "Orders" in card.result.text())
    assert "Shop orders" in card.result.text()
    assert "Orders: " + ", ".join(HEADER) in card.result.text()
    assert "訂單: (no header row yet)" in card.result.text()

    fake.spreadsheets[SHEET_ID].editors.discard(ROBOT)  # the owner stopped sharing it
    click(qtbot, card.test_button)
    wait_for(qtbot, lambda: "cannot edit" in card.result.text())
    assert f"add {ROBOT} as an Editor" in card.result.text()


def test_a_file_that_is_not_a_key_is_explained(bellhop_app: Any, qtbot: Any, home: Path,
                                               tmp_path: Path) -> None:
    card = open_card(bellhop_app, qtbot)
    wrong = tmp_path / "client_secret_1234.json"
    wrong.write_text(json.dumps({"installed": {"client_id": CLIENT_ID}}), encoding="utf-8")
    card.choose_key_file(str(wrong))
    wait_for(qtbot, lambda: "not a service-account key" in card.status.text())
    assert "google" not in accounts(home)


def test_sign_in_with_google_through_the_browser(bellhop_app: Any, qtbot: Any, home: Path,
                                                 fake: FakeGoogle) -> None:
    fake.clients[CLIENT_ID] = "GOCSPX-secret"
    card = open_card(bellhop_app, qtbot)
    show_addresses(card, fake)
    opened: list[str] = []

    def browser(url: str) -> Any:  # the person's browser: consent page, then the redirect
        opened.append(url)
        return asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=10).read())

    card.open_browser = browser
    card.name.setText("my google")
    qtbot.keyClicks(card.client_id, CLIENT_ID)
    qtbot.keyClicks(card.client_secret, "GOCSPX-secret")
    click(qtbot, card.sign_in_button)
    wait_for(qtbot, lambda: "my google" in accounts(home))
    assert opened and opened[0].startswith(f"{fake.url}/o/oauth2/auth?")
    entry = accounts(home)["my google"]
    assert entry["auth"] == "oauth" and entry["client_id"] == CLIENT_ID
    assert json.loads(get_secret("my google"))["refresh_token"] in fake.refresh_tokens
    wait_for(qtbot, lambda: "Signed in" in card.status.text())
    assert card.client_secret.text() == ""

    qtbot.keyClicks(card.sheet_url, SHEET_ID)
    click(qtbot, card.test_button)
    wait_for(qtbot, lambda: "Orders: " in card.result.text())


def test_a_sign_in_left_in_the_browser_can_be_cancelled_and_started_again(
        bellhop_app: Any, qtbot: Any, home: Path, fake: FakeGoogle) -> None:
    fake.clients[CLIENT_ID] = "GOCSPX-secret"
    card = open_card(bellhop_app, qtbot)
    show_addresses(card, fake)
    opened: list[str] = []
    card.open_browser = opened.append  # the person closes the tab and never signs in
    card.name.setText("my google")
    qtbot.keyClicks(card.client_id, CLIENT_ID)
    qtbot.keyClicks(card.client_secret, "GOCSPX-secret")
    click(qtbot, card.sign_in_button)
    wait_for(qtbot, lambda: opened)
    assert card.cancel_button.isVisible() and not card.sign_in_button.isEnabled()
    redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(opened[0]).query)["redirect_uri"][0]
    click(qtbot, card.cancel_button)
    assert "cancelled" in card.status.text() and card.sign_in_button.isEnabled()
    assert not card.cancel_button.isVisible()

    def redirect_closed() -> bool:  # Bellhop stopped listening for Google's answer
        try:
            urllib.request.urlopen(redirect, timeout=2)
        except urllib.error.URLError as exc:
            return isinstance(exc.reason, ConnectionRefusedError)
        except OSError:  # caught while it was closing (a reset): ask again
            return False
        return False

    wait_for(qtbot, redirect_closed)
    assert "my google" not in accounts(home)
    assert "cancelled" in card.status.text()  # no late error replaces the message

    def browser(url: str) -> Any:
        return asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=10).read())

    card.open_browser = browser  # this time the person finishes in the browser
    assert card.client_secret.text() == "GOCSPX-secret"  # kept: no need to type it again
    click(qtbot, card.sign_in_button)
    wait_for(qtbot, lambda: "my google" in accounts(home))
    wait_for(qtbot, lambda: "Signed in" in card.status.text())
    assert not card.cancel_button.isVisible()


def test_the_sheets_card_in_the_rule_builder_runs_a_test_against_google(
        bellhop_app: Any, qtbot: Any, fake: FakeGoogle) -> None:
    key = fake.add_service_account(ROBOT)
    done: list[Any] = []
    bellhop_app.bridge.call_plain(
        lambda s: s.import_google_key("google", json.dumps(key), fake.url), done.append)
    wait_for(qtbot, lambda: done)
    page = bellhop_app.window.rules_page
    page.refresh()
    wait_for(qtbot, lambda: page.context.accounts_of_kind("google") == ["google"])
    blank = next(starter for starter in STARTERS if starter.key == "blank")
    rule_id = page.keeper.create(blank, "Orders to the sheet", [])
    wait_for(qtbot, lambda: page.draft is not None and page.draft.id == rule_id)
    page.samples.use_shipped(rule_id, "shopify_order")
    wait_for(qtbot, lambda: page.context.has_sample)
    assert page.chain.insert_card(0, "append_sheet")
    page.chain.select(0)
    form = page.inspector.form
    assert form.editor("account").value() == "google"  # the only Google account
    values = form.editor("values").combo
    assert [values.itemText(i) for i in range(values.count())] == [
        "As if typed (dates and numbers become values)", "Plain text"]
    step = {"type": "append_sheet", "account": "google", "spreadsheet": SHEET_URL,
            "sheet": "Orders", "values": "text",
            "columns": {"Order": "{{ body.name }}", "Phone": "{{ body.customer.phone }}"}}
    page.draft.set_step(0, step)
    page.builder.test_button.click()
    wait_for(qtbot, lambda: page.chain.results)
    assert page.chain.cards[0].state == "ok", page.chain.cards[0].state_text.text()
    assert fake.rows(SHEET_ID, "Orders")[1] == ["#1042", None, "0912345678"]

    page.draft.set_step(0, {**step, "sheet": "Ordres"})
    page.builder.test_button.click()
    wait_for(qtbot, lambda: page.chain.results)
    assert page.chain.cards[0].state == "failed"
    assert "no tab called 'Ordres'" in page.chain.cards[0].state_text.text()
