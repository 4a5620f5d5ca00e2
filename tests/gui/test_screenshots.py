"""Screenshots of the real window in English and Traditional Chinese, for people to look at.

Each page is saved as test-artifacts/screenshot_<page>_<language>.png. With
BELLHOP_UPDATE_SCREENSHOTS=1 the Rules page is also copied to docs/screenshots/ for the README.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from test_translations import start_bellhop, stop_bellhop

from bellhop.core.running.rules import new_token

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
    path = artifacts / f"screenshot_rules_{language}.png"
    save_screenshot(window, path)
    if os.environ.get("BELLHOP_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / path.name)


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
