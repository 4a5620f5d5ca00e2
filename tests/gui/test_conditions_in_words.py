"""Conditions in words: the filter card built from rows of a field (by its name, with the
sample's value), a test in words and a value; its summary a sentence, in both languages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from bellhop.core.gallery.starters import STARTERS
from bellhop.ui.rules.field_choice import SAMPLE_ROLE
from helpers import wait_for

BLANK = next(starter for starter in STARTERS if starter.key == "blank")


def shopify_rule(app: Any, qtbot: Any) -> Any:
    """A new blank rule in the builder whose sample is the shipped Shopify order."""
    page = app.window.rules_page
    rule_id = page.keeper.create(BLANK, "Big orders", [])
    wait_for(qtbot, lambda: page.draft is not None and page.draft.id == rule_id)
    page.samples.use_shipped(rule_id, "shopify_order")
    wait_for(qtbot, lambda: page.context.has_sample)
    return page


def texts(combo: Any) -> list[str]:
    return [combo.itemText(index) for index in range(combo.count())]


def click_item(qtbot: Any, combo: Any, text: str) -> None:
    """Open a combo box's list and click the item reading `text`, as a person does."""
    index = combo.findText(text)
    assert index >= 0, (text, texts(combo))
    combo.showPopup()
    view = combo.view()
    wait_for(qtbot, view.isVisible)
    item = view.model().index(index, 0)
    view.scrollTo(item)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(item).center())
    wait_for(qtbot, lambda: not view.isVisible())


def test_a_filter_is_built_from_rows_of_words(bellhop_app: Any, qtbot: Any) -> None:
    page = shopify_rule(bellhop_app, qtbot)
    page.chain.insert_card(0, "filter")
    page.chain.select(0)
    form = page.inspector.form
    assert texts(form.editor("match").combo) == ["all of these are true",
                                                 "any one of these is true"]
    row = form.editor("conditions").rows[0][1]
    field, op, value = row["field"], row["op"], row["value"]

    # The sample's fields by the names a person reads, each with its value beside it.
    names = texts(field.combo)
    assert names[0] == "Choose a field…"
    assert {"Order number", "Order total", "Customer email", "City", "Recipient"} <= set(names)
    assert not [name for name in names if name.startswith(("body.", "{{"))]
    total = field.combo.findText("Order total")
    assert field.combo.itemData(total, SAMPLE_ROLE) == "1640.00"
    assert field.combo.itemData(total, Qt.ItemDataRole.ToolTipRole) == "body.total_price · 1640.00"
    assert len(names) == len(set(names))  # two fields of one name say which is which

    click_item(qtbot, field.combo, "Order total")
    op.combo.setFocus()
    for __ in range(2):  # is → is not → is more than, with the keyboard
        qtbot.keyClick(op.combo, Qt.Key.Key_Down)
    assert op.combo.currentText() == "is more than"
    qtbot.keyClicks(value.edit, "1000")
    assert page.draft.steps[0]["conditions"] == [
        {"field": "body.total_price", "op": "gt", "value": 1000}]
    card = page.chain.cards[0]
    assert card.summary.full_text() == "Only if the order total is more than 1000"

    # "is empty" needs no value: the box goes away, and so does the value in rules.json.
    click_item(qtbot, op.combo, "is empty")
    assert value.isHidden()
    assert page.draft.steps[0]["conditions"] == [{"field": "body.total_price", "op": "is_empty"}]
    assert card.summary.full_text() == "Only if the order total is empty"
    click_item(qtbot, op.combo, "is more than")
    assert not value.isHidden() and value.value() == 1000

    # A second condition, its field from the picker; any one of them is enough.
    qtbot.mouseClick(form.editor("conditions").add_button, Qt.MouseButton.LeftButton)
    second = form.editor("conditions").rows[1][1]
    assert second["field"].value() == "" and second["field"].combo.currentText() == \
        "Choose a field…"
    popup = second["field"].picker.open_picker()
    assert popup.choose("body.tags")
    assert second["field"].combo.currentText() == "Tags"
    click_item(qtbot, second["op"].combo, "contains")
    qtbot.keyClicks(second["value"].edit, "VIP")
    click_item(qtbot, form.editor("match").combo, "any one of these is true")
    step = page.draft.steps[0]
    assert step["match"] == "any" and step["conditions"][1] == \
        {"field": "body.tags", "op": "contains", "value": "VIP"}
    assert card.summary.full_text() == \
        "Only if the order total is more than 1000 or the tags contains “VIP”"

    qtbot.wait(300)  # the forms left behind are deleted, the problems checked again
    assert page.chain.cards[0].state == ""  # nothing missing any more
    page.inspector.grab().save("/tmp/words-filter-form.png")
    bellhop_app.window.grab().save("/tmp/words-filter-rule.png")


def test_a_field_typed_by_hand_and_missing_from_the_sample_keeps_its_path(
        bellhop_app: Any, qtbot: Any) -> None:
    page = shopify_rule(bellhop_app, qtbot)
    page.chain.insert_card(0, "filter")
    page.draft.set_step(0, {"type": "filter", "conditions": [
        {"field": "body.customer.nickname", "op": "eq", "value": "阿玲"}]})
    page.chain.select(0)
    field = page.inspector.form.editor("conditions").rows[0][1]["field"]
    assert field.combo.currentText() == "Customer › Nickname"
    assert field.value() == "body.customer.nickname"
    assert page.chain.cards[0].summary.full_text() == \
        "Only if the customer › nickname is “阿玲”"
    page.context.set_sample(None)  # no sample: the choice stays, the list explains itself
    assert field.value() == "body.customer.nickname"
    assert texts(field.combo) == ["Choose a field…", "Customer › Nickname"]
    assert "sample event" in field.combo.toolTip()



def test_the_filter_in_traditional_chinese(chinese_app: Any, qtbot: Any) -> None:
    page = shopify_rule(chinese_app, qtbot)
    page.chain.insert_card(0, "filter")
    page.chain.select(0)
    row = page.inspector.form.editor("conditions").rows[0][1]
    assert "訂單總額" in texts(row["field"].combo)
    click_item(qtbot, row["field"].combo, "訂單總額")
    click_item(qtbot, row["op"].combo, "大於")
    qtbot.keyClicks(row["value"].edit, "1000")
    assert page.chain.cards[0].summary.full_text() == "只在訂單總額大於 1000 時"
    assert texts(page.inspector.form.editor("match").combo) == ["以下全部成立", "以下任一項成立"]
    qtbot.wait(300)
    page.inspector.grab().save("/tmp/words-filter-form-zh.png")
