"""Screenshots of the real window in English and Traditional Chinese, for people to look at.

Each page is saved as test-artifacts/screenshot_<page>_<language>.png. The README's pictures
(a shop owner's rule at 1366×768: builder, picker, skipped, failed, refused) are saved as
test-artifacts/<picture>_<language>.png and, with BELLHOP_UPDATE_SCREENSHOTS=1 (`make
screenshots`), copied to docs/screenshots/. Every picture is checked to be a real one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import shutil
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QTextEdit, QWidget
from test_translations import english_left, start_bellhop, stop_bellhop

from bellhop.core.platform.secrets import set_secret
from bellhop.core.running.rules import new_token
from bellhop.ui.rules import field_picker
from fakes.fake_google import FakeGoogle
from google_kit import ROBOT, SHEET_ID, SHEET_URL
from helpers import sample_json, wait_for
from support.inbox import smtp_inbox

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs" / "screenshots"
SMTP = {"kind": "smtp", "host": "127.0.0.1", "port": 2525, "security": "none",
        "username": "", "from": "shop@example.com"}

# What a shop owner would type, in each language: the rule's own words are user data.
WORDS = {
    "en": {"rule": "Big Shopify orders", "subject": "New order {{ body.name }}",
           "body": "Order {{ body.name }}, total {{ body.total_price }} {{ body.currency }}.",
           "columns": {"Order": "{{ body.name }}", "Customer": "{{ body.customer.last_name }}",
                       "Total": "{{ body.total_price }}"},
           "failing": "Shop orders", "step": "Add the order to orders.csv", "buyer": "Jane Lin"},
    "zh_TW": {"rule": "Shopify 大額訂單", "subject": "新訂單 {{ body.name }}",
              "body": "訂單 {{ body.name }}，總金額 {{ body.total_price }} {{ body.currency }}。",
              "columns": {"訂單編號": "{{ body.name }}",
                          "顧客": "{{ body.customer.last_name }}",
                          "總金額": "{{ body.total_price }}"},
              "failing": "門市訂單", "step": "把訂單加到 orders.csv", "buyer": "林美玲"},
}


@pytest.fixture(params=["en", "zh_TW"])
def app_in(request: Any, qtbot: Any, qapp: Any, home: Path) -> Iterator[tuple[Any, str]]:
    """(BellhopApp, language), the language chosen in settings.json before the window is built."""
    app = start_bellhop(qtbot, qapp, home, request.param)
    yield app, request.param
    stop_bellhop(app, qapp)


def call(app: Any, qtbot: Any, work: Any) -> Any:
    """Run `work(service)` on the engine loop and wait for its answer."""
    answers: list[Any] = []
    app.bridge.call_plain(work, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    return answers[0]


def save_screenshot(window: Any, path: Path) -> None:
    """Save the window; check it is the window's size and shows a real picture, not a blank."""
    window.repaint()
    assert window.grab().save(str(path))
    image = QImage(str(path))
    ratio = window.devicePixelRatioF()
    assert (image.width(), image.height()) == (round(window.width() * ratio),
                                               round(window.height() * ratio))
    pixels = Counter(image.pixel(x, y) for x in range(0, image.width(), 7)
                     for y in range(0, image.height(), 7))
    assert len(pixels) > 40, f"{path.name}: too few colours"
    assert pixels.most_common(1)[0][1] < 0.8 * sum(pixels.values()), f"{path.name} is blank"


def test_rules_page_with_a_three_card_rule(app_in: tuple[Any, str], qtbot: Any,
                                           artifacts: Path) -> None:
    app, language = app_in
    words = WORDS[language]
    window = app.window
    page = window.rules_page
    call(app, qtbot, lambda s: s.set_account("office", SMTP))
    raw = {"id": "r_big_orders", "name": words["rule"], "enabled": True,
           "trigger": {"type": "webhook", "token": new_token()},
           "steps": [
               {"type": "filter", "match": "all",
                "conditions": [{"field": "body.total_price", "op": "gt", "value": 1000}]},
               {"type": "send_email", "account": "office", "to": "warehouse@example.com",
                "subject": words["subject"], "body": words["body"]},
               {"type": "append_file", "path": "~/Documents/Bellhop/orders.xlsx",
                "sheet": "Sheet1", "columns": words["columns"]}]}
    call(app, qtbot, lambda s: s.upsert_rule(raw))
    window.show_page("rules")
    page.refresh(select=raw["id"])
    qtbot.waitUntil(lambda: page.draft is not None and page.draft.id == raw["id"]
                    and page.context.accounts_of_kind("smtp") == ["office"], timeout=10000)
    page.samples.use_shipped(raw["id"], "shopify_order")
    qtbot.waitUntil(lambda: page.context.has_sample, timeout=5000)
    assert len(page.chain.cards) == 3
    page.chain.select(1)  # the email card: its generated form fills the inspector
    qtbot.waitUntil(lambda: page.inspector.form is not None and page.inspector.isVisible(),
                    timeout=5000)
    qtbot.wait(200)
    save_screenshot(window, artifacts / f"screenshot_rules_{language}.png")


def test_activity_page_with_a_failed_step(app_in: tuple[Any, str], qtbot: Any,
                                          artifacts: Path, tmp_path: Path) -> None:
    app, language = app_in
    words = WORDS[language]
    window = app.window
    blocker = tmp_path / "Orders"
    blocker.write_text("a file where a folder should be")
    raw = {"id": "r_orders", "name": words["failing"], "enabled": True,
           "trigger": {"type": "webhook", "token": new_token()},
           "steps": [{"type": "append_file", "name": words["step"],
                      "path": str(blocker / "orders.csv"),
                      "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}"},
                      "retry": {"attempts": 1}}]}
    call(app, qtbot, lambda s: s.upsert_rule(raw))
    url = f"{app.bridge.service.receiver.base_url}/hooks/{raw['trigger']['token']}"
    order = {"name": "#1042", "order_number": 1042, "total_price": "1280.00", "currency": "TWD",
             "shipping_address": {"name": words["buyer"]}}
    request = urllib.request.Request(url, data=json.dumps(order, ensure_ascii=False).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        event_id = str(json.loads(answer.read())["event_id"])
    window.show_page("activity")
    page = window.activity_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1
                    and page.model.event_at(0).status == "failed", timeout=10000)
    page.select_event(event_id)
    qtbot.waitUntil(lambda: page.detail.shown is not None and page.detail.problem.isVisible(),
                    timeout=5000)
    assert str(blocker) in page.detail.problem.text()
    qtbot.wait(200)
    save_screenshot(window, artifacts / f"screenshot_activity_{language}.png")


def test_accounts_and_settings_pages(app_in: tuple[Any, str], qtbot: Any,
                                     artifacts: Path) -> None:
    app, language = app_in
    window = app.window
    call(app, qtbot, lambda s: s.set_account("office", SMTP))
    window.show_page("accounts")
    window.accounts_page.reload(select="office")
    qtbot.waitUntil(lambda: window.accounts_page.selected_name() == "office", timeout=5000)
    qtbot.wait(200)
    save_screenshot(window, artifacts / f"screenshot_accounts_{language}.png")
    window.show_page("settings")
    qtbot.waitUntil(lambda: window.settings_page.isEnabled(), timeout=5000)
    qtbot.wait(200)
    save_screenshot(window, artifacts / f"screenshot_settings_{language}.png")


# -- the README's pictures: a shop owner's rule at 1366×768, in both languages -----------------

README_SIZE = (1366, 768)
SIGNING = "shop-signing"  # the keychain name of the rule's Shopify signing secret
README_WORDS = {  # what a shop owner types, in each language
    "en": {"rule": "Big orders", "mail": "office", "subject": "New order {{ body.name }}",
           "body": "Customer: {{ body.customer.first_name }}\n"
                   "Total: {{ body.total_price | money('NT$', 0) }}",
           "tab": "Orders", "columns": {"Order": "{{ body.name }}",
                                        "Total": "{{ body.total_price }}"}},
    "zh_TW": {"rule": "Shopify 大額訂單", "mail": "門市信箱", "subject": "新訂單 {{ body.name }}",
              "body": "顧客：{{ body.customer.first_name }}\n"
                      "總金額：{{ body.total_price | money('NT$', 0) }}",
              "tab": "訂單", "columns": {"訂單編號": "{{ body.name }}",
                                         "總金額": "{{ body.total_price }}"}},
}


def readme_picture(window: Any, name: str, language: str, artifacts: Path,
                   popup: QWidget | None = None) -> None:
    """Save <name>_<language>.png: the window, and an open pop-up painted where it is (a
    pop-up is a window of its own); into docs/screenshots too with
    BELLHOP_UPDATE_SCREENSHOTS=1. In Chinese, no text of the window is left in English."""
    settle(window)
    path = artifacts / f"{name}_{language}.png"
    save_screenshot(window, path)
    if popup is not None:
        shot = window.grab()
        painter = QPainter(shot)
        painter.drawPixmap(window.mapFromGlobal(popup.pos()), popup.grab())
        painter.end()
        assert shot.save(str(path))
    if language == "zh_TW":
        left = english_left(window) + (english_left(popup) if popup is not None else [])
        assert left == [], (name, left)
    if os.environ.get("BELLHOP_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / path.name)


def settle(window: Any) -> None:
    """Let word-wrapped labels take their height before the picture is taken."""
    QTest.qWait(200)
    window.repaint()


def visible_texts(root: QWidget) -> list[str]:
    """The words a person sees in `root` now: shown labels, buttons, boxes and text fields."""
    found: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            found.append(widget.text())
        elif isinstance(widget, QComboBox):
            found.append(widget.currentText())
        elif isinstance(widget, QTextEdit):
            found.append(widget.toPlainText())
    return [text for text in found if text]


def signed_post(url: str, order: dict[str, Any], secret: str, webhook_id: str) -> int:
    """POST an order as Shopify does, signed with `secret`; the HTTP status."""
    body = json.dumps(order, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Shopify-Topic": "orders/create",
        "X-Shopify-Webhook-Id": webhook_id, "X-Shopify-Hmac-Sha256": signature.decode()})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def shop_rule(words: dict[str, Any]) -> dict[str, Any]:
    """Shopify order → only if the total is more than 1000 → email → a Google Sheets row."""
    return {"id": "r_shop", "name": words["rule"], "enabled": True,
            "trigger": {"type": "webhook", "token": new_token(),
                        "verify": {"scheme": "shopify", "secret": SIGNING}},
            "steps": [
                {"type": "filter", "match": "all", "conditions": [
                    {"field": "body.total_price", "op": "gt", "value": 1000}]},
                {"type": "send_email", "account": words["mail"], "to": "warehouse@example.com",
                 "subject": words["subject"], "body": words["body"]},
                {"type": "append_sheet", "account": "Google", "spreadsheet": SHEET_URL,
                 "sheet": words["tab"], "columns": words["columns"]}]}


def test_the_readme_pictures_of_a_shop_owners_rule(
        app_in: tuple[Any, str], qtbot: Any, artifacts: Path, monkeypatch: Any) -> None:
    app, language = app_in
    words = README_WORDS[language]
    window = app.window
    window.move(0, 0)
    window.resize(*README_SIZE)
    # Pop-ups are placed as on a 1366×768 screen (the offscreen one is 800×800).
    monkeypatch.setattr(field_picker, "screen_area", lambda _widget: QRect(0, 0, *README_SIZE))
    with smtp_inbox() as inbox, FakeGoogle() as google:
        key = google.add_service_account(ROBOT)
        google.add_spreadsheet(SHEET_ID, {words["tab"]: [list(words["columns"])]}, {ROBOT})
        call(app, qtbot, lambda s: s.set_account(words["mail"], inbox.account()))
        call(app, qtbot, lambda s: s.import_google_key("Google", json.dumps(key), google.url))
        set_secret(SIGNING, "shpss_right")
        raw = shop_rule(words)
        call(app, qtbot, lambda s: s.upsert_rule(raw))

        # The rule builder: the email card's form, its fields as chips.
        page = window.rules_page
        window.show_page("rules")
        page.refresh(select=raw["id"])
        wait_for(qtbot, lambda: page.draft is not None and page.draft.id == raw["id"]
                 and page.context.accounts_of_kind("google") == ["Google"])
        page.samples.use_shipped(raw["id"], "shopify_order")
        wait_for(qtbot, lambda: page.context.has_sample)
        assert not page.chain.problems, page.chain.problems
        page.chain.select(1)
        form = page.inspector.form
        wait_for(qtbot, form.isVisible)
        message = form.rows["body"].editor.edit
        assert len(message.chip_positions()) == 2
        braces = [text for text in visible_texts(page) if "{{" in text]
        assert braces == [], braces  # fields show as their names, never as template text
        readme_picture(window, "builder", language, artifacts)

        # The field picker, open beside the chips of the Message.
        message.setCursorPosition(message.document().characterCount() - 1)
        qtbot.mouseClick(form.rows["body"].picker, Qt.MouseButton.LeftButton)
        popup = form.rows["body"].picker.popup
        wait_for(qtbot, lambda: popup is not None and popup.isVisible())
        popup.tree.setCurrentItem(popup.item_for("body.total_price"))
        readme_picture(window, "picker", language, artifacts, popup)
        popup.close()

        # Activity: an order done, a small one skipped with its sentence.
        url = page.summaries[raw["id"]].url
        order = sample_json("shopify_order_create.json")
        assert signed_post(url, order, "shpss_right", "d-1042") == 202
        small = {**order, "name": "#1044", "order_number": 1044, "total_price": "300.00"}
        assert signed_post(url, small, "shpss_right", "d-1044") == 202
        window.show_page("activity")
        activity = window.activity_page
        detail = activity.detail
        wait_for(qtbot, lambda: [activity.model.event_at(row).status for row in
                                 range(activity.model.rowCount())] == ["skipped", "succeeded"])
        activity.table.selectRow(0)
        wait_for(qtbot, lambda: detail.shown is not None and detail.runs.runs)
        assert "300.00" in detail.state.text() and "1000" in detail.state.text()
        readme_picture(window, "skipped", language, artifacts)

        # The sheet is no longer shared with Bellhop: the row fails, its fix a button away.
        google.spreadsheets[SHEET_ID].editors.discard(ROBOT)
        big = {**order, "name": "#1045", "order_number": 1045, "total_price": "2400.00"}
        assert signed_post(url, big, "shpss_right", "d-1045") == 202
        wait_for(qtbot, lambda: activity.model.rowCount() == 3
                 and activity.model.event_at(0).status == "failed", timeout=15000)
        activity.table.selectRow(0)
        wait_for(qtbot, detail.fix.isVisible)
        assert "Google" in detail.fix.text() and ROBOT in detail.problem.text()
        readme_picture(window, "failed", language, artifacts)

        # Refused: a delivery to a deleted rule's address, one signed with an old secret.
        old_address = url.rsplit("/", 1)[0] + "/" + new_token()
        assert signed_post(old_address, order, "shpss_right", "d-1046") == 404
        assert signed_post(url, order, "shpss_old", "d-1047") == 401
        wait_for(qtbot, lambda: activity.refused.banner.isVisibleTo(activity))
        activity.show_refused()
        wait_for(qtbot, lambda: activity.refused.model.rowCount() == 2)
        activity.refused.table.selectRow(0)
        assert "401" in activity.refused.detail.subtitle.text()
        readme_picture(window, "refused", language, artifacts)
        assert len(inbox.messages) == 2  # the done order's and the failed one's
