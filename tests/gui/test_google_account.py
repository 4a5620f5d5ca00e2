"""The Google card of the Accounts page on the real engine, against the fake Google."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from bellhop.core import paths
from bellhop.core.secrets import get_secret
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
