"""Results in words first: each step's result leads with a sentence (on the card after Run
test, in Activity, from the filter's "Skipped: …"), the JSON under "Technical details"."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from test_activity_page import add_rule, make_rule, post

from bellhop.core.gallery.starters import STARTERS
from bellhop.ui.rules.results import StepResultDialog
from helpers import wait_for

BLANK = next(starter for starter in STARTERS if starter.key == "blank")


def test_run_test_marks_each_card_with_a_sentence_and_details_fold_the_json(
        bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    page = bellhop_app.window.rules_page
    rule_id = page.keeper.create(BLANK, "Big orders", [])
    wait_for(qtbot, lambda: page.draft is not None and page.draft.id == rule_id)
    page.samples.use_shipped(rule_id, "shopify_order")
    wait_for(qtbot, lambda: page.context.has_sample)
    sheet = tmp_path / "orders.csv"
    for index, step in enumerate([
            {"type": "filter", "match": "any", "conditions": [
                {"field": "body.total_price", "op": "gt", "value": 1000},
                {"field": "body.tags", "op": "contains", "value": "VIP"}]},
            {"type": "append_file", "path": str(sheet), "columns": {"Order": "{{ body.name }}"}},
    ]):
        page.chain.insert_card(index, step["type"])
        page.draft.set_step(index, step)
    card = page.chain.cards[0]
    # Run test: each card says what it did in a sentence; the JSON waits under Details.
    page.builder.test_button.click()
    wait_for(qtbot, lambda: page.chain.results)
    assert card.state_text.text().startswith(
        "Went on: the order total, 1640.00, is more than 1000; the tags, “VIP, 回購”, "
        "contains “VIP”.")
    assert page.chain.cards[1].state_text.text().startswith("Added row 2 to orders.csv")
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["Order"], ["#1042"]]
    page.chain.cards[1].details.click()
    dialog = page.findChildren(StepResultDialog)[-1]
    assert dialog.sentence.text() == "Added row 2 to orders.csv"
    assert not dialog.technical.tabs.isVisible() and '"row": 2' in dialog.technical.text()
    qtbot.mouseClick(dialog.technical.toggle, Qt.MouseButton.LeftButton)
    assert dialog.technical.tabs.isVisible()
    dialog.grab().save("/tmp/words-test-result.png")
    dialog.close()


def shopify_order(number: int, total: float) -> dict[str, Any]:
    """A Shopify-shaped order (it has line items): its fields get Shopify's names."""
    return {"name": f"#{number}", "order_number": number, "total_price": f"{total:.2f}",
            "currency": "TWD", "line_items": [{"title": "凍頂烏龍茶", "quantity": 1}]}


def big_orders_rule(path: Path) -> dict[str, Any]:
    return make_rule([
        {"type": "filter", "conditions": [{"field": "body.total_price", "op": "gt",
                                           "value": 1000}]},
        {"type": "append_file", "path": str(path), "columns": {"Order": "{{ body.name }}"}},
    ])


def show_event(app: Any, qtbot: Any, event_id: str, status: str) -> Any:
    app.window.show_page("activity")
    page = app.window.activity_page
    page.select_event(event_id)
    detail = page.detail
    wait_for(qtbot, lambda: detail.shown is not None and detail.shown.id == event_id
             and detail.runs.runs and detail.runs.runs[-1].status == status)
    return detail


def test_activity_tells_a_skipped_event_in_a_sentence_json_under_technical_details(
        bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    url = add_rule(bellhop_app, qtbot, big_orders_rule(tmp_path / "orders.csv"))
    skipped = post(url, shopify_order(3196, 300))
    done = post(url, shopify_order(3197, 1500))

    detail = show_event(bellhop_app, qtbot, skipped, "skipped")
    sentence = "Skipped: the order total, 300.00, is not more than 1000."
    assert sentence in detail.state.text()
    runs = detail.runs
    item = runs.tree.currentItem()
    assert item.text(0) == "Only if the order total is more than 1000"
    assert runs.details.toPlainText().startswith(sentence)
    assert '"op"' not in runs.details.toPlainText()
    technical = runs.technical
    assert technical.isVisible() and not technical.tabs.isVisible()
    assert '"op": "gt"' in technical.text() and '"actual": "300.00"' in technical.text()
    qtbot.wait(200)  # word-wrapped labels take their height
    detail.window().grab().save("/tmp/words-activity-skipped.png")
    qtbot.mouseClick(technical.toggle, Qt.MouseButton.LeftButton)
    assert technical.tabs.isVisible()
    assert [technical.tabs.tabText(i) for i in range(technical.tabs.count())] == \
        ["What came out", "What went in"]
    qtbot.wait(200)
    detail.window().grab().save("/tmp/words-activity-skipped-technical.png")
    runs.tree.setCurrentItem(runs.tree.topLevelItem(0))  # the run itself says why too
    assert runs.details.toPlainText().startswith(sentence)
    assert not technical.isVisible()

    detail = show_event(bellhop_app, qtbot, done, "succeeded")
    assert detail.runs.tree.currentItem().text(0) == "Add a row to a spreadsheet file"
    assert detail.runs.details.toPlainText().startswith("Added row 2 to orders.csv")
    assert technical.tabs.isVisible()  # open stays open, from one step to the next


def test_activity_in_traditional_chinese(chinese_app: Any, qtbot: Any, tmp_path: Path) -> None:
    url = add_rule(chinese_app, qtbot, big_orders_rule(tmp_path / "orders.csv"))
    skipped = post(url, shopify_order(3196, 300))
    detail = show_event(chinese_app, qtbot, skipped, "skipped")
    sentence = "略過：訂單總額為 300.00，不大於 1000。"
    assert sentence in detail.state.text()
    assert detail.runs.tree.currentItem().text(0) == "只在訂單總額大於 1000 時"
    assert detail.runs.details.toPlainText().startswith(sentence)
    assert detail.runs.technical.toggle.text() == "技術細節"
    qtbot.wait(200)
    detail.window().grab().save("/tmp/words-activity-skipped-zh.png")

