"""The field picker and field search: labels first, on the screen, Enter once, keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget
from test_rules_builder import open_blank_rule, wait_for

from bellhop.ui.rules import field_picker
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.editors import PickerButton
from bellhop.ui.rules.fields import (
    FIELD_MIME,
    FieldEntry,
    completion_queries,
    matching,
    path_of,
    sample_fields,
)
from bellhop.ui.rules.popups import place_below
from bellhop.ui.rules.samples import load_shipped

SCREEN = QRect(0, 0, 1366, 768)


@pytest.fixture
def context(qapp: Any) -> BuilderContext:
    """A builder context with the shipped Shopify order as the sample."""
    made = BuilderContext()
    made.set_sample(load_shipped("shopify_order"), "Orders")
    return made


@pytest.mark.parametrize(("anchor", "placed"), [
    (QRect(100, 100, 80, 24), QRect(100, 124, 480, 380)),  # room below: under it
    (QRect(1326, 100, 40, 24), QRect(886, 124, 480, 380)),  # right edge: moved left
    (QRect(1326, 700, 40, 24), QRect(886, 320, 480, 380)),  # bottom right: above it
    (QRect(10, 300, 40, 24), QRect(10, 324, 480, 380)),
    (QRect(10, 360, 40, 300), QRect(10, 388, 480, 380)),  # no room above or below: inside
    (QRect(-50, -40, 40, 24), QRect(0, 0, 480, 380)),
])
def test_a_popup_is_placed_inside_the_screen(anchor: QRect, placed: QRect) -> None:
    where = place_below(anchor, QSize(480, 380), SCREEN)
    assert where == placed
    assert SCREEN.contains(where)


def test_a_popup_larger_than_the_screen_is_cut_to_it() -> None:
    assert place_below(QRect(5, 5, 10, 10), QSize(2000, 900), SCREEN) == SCREEN


def test_fields_of_the_sample_have_labels_paths_and_values(context: BuilderContext) -> None:
    fields = {entry.path: entry for entry in sample_fields(context)}
    assert fields["body.total_price"] == FieldEntry("body.total_price", "Order total", "1640.00")
    assert fields["body.line_items[0].title"].label == "Item (item 1)"
    assert fields['headers["x-shopify-topic"]'].value == "orders/create"
    assert "body.customer" not in fields  # a group of fields is not one value


def test_matching_by_label_words_path_words_and_chinese(context: BuilderContext,
                                                       monkeypatch: Any) -> None:
    fields = sample_fields(context)
    assert [entry.path for entry in matching(fields, "total")] == [
        "body.total_price", "body.total_tax"]  # not Subtotal: words start with it
    assert [entry.label for entry in matching(fields, "recip")] == [
        "Recipient", "Recipient phone"]
    assert matching(fields, "zzz") == []
    assert [entry.path for entry in matching(fields, "address.ci", anywhere=True)] == [
        "body.shipping_address.city"]
    assert len(matching(fields, "o", anywhere=True)) == 8  # the list stays short

    from bellhop.core import i18n

    monkeypatch.setattr(i18n, "_language", "zh_TW")
    chinese = sample_fields(context)
    assert [entry.label for entry in matching(chinese, "總額")] == ["訂單總額"]
    assert {entry.path for entry in matching(chinese, "total")} == {  # keys work in Chinese too
        "body.total_price", "body.total_tax"}


@pytest.mark.parametrize(("before", "queries"), [
    ("Order to", []),  # two letters: nothing yet
    ("Order tot", [(6, "tot", False)]),
    ("Order total", [(6, "total", False)]),
    ("subtotal", [(0, "subtotal", False)]),  # Latin words only from their start
    ("您的總額", [(0, "您的總額", False), (1, "的總額", False), (2, "總額", False)]),
    ("Total總額", [(0, "Total總額", False), (5, "總額", False)]),
    ("Pay {{ body.tot", [(4, "body.tot", True)]),
    ("Pay {{", [(4, "", True)]),
    ("{{ body.name }} and", [(16, "and", False)]),
    ("Order 1042", []),  # numbers are not names
    ("Order ", []),
])
def test_what_is_being_typed_may_name_a_field(before: str,
                                             queries: list[tuple[int, str, bool]]) -> None:
    assert [(q.start, q.text, q.braces) for q in completion_queries(before)] == queries


def test_picker_enter_inserts_once_and_gives_the_editor_back_its_focus(
        bellhop_app: Any, qtbot: Any) -> None:
    page = open_blank_rule(bellhop_app, qtbot, "Orders", "shopify_order")
    page.chain.insert_card(0, "send_email")
    page.chain.select(0)
    row = page.inspector.form.rows["subject"]
    assert row.editor.edit.accessibleName() == "Subject"
    assert row.picker.accessibleName() == "Insert field"
    bellhop_app.window.activateWindow()
    row.editor.setFocus()
    qtbot.keyClicks(row.editor.edit, "Order ")
    qtbot.mouseClick(row.picker, Qt.MouseButton.LeftButton)
    popup = row.picker.popup
    assert popup is not None and popup.isVisible()
    assert popup.item_for("body.total_price").text(0) == "Order total"  # labels first
    qtbot.keyClicks(popup.search, "order total")
    qtbot.keyClick(popup.search, Qt.Key.Key_Down)
    assert popup.tree.hasFocus()
    assert popup.tree.currentItem() is popup.item_for("body.total_price")
    qtbot.keyClick(popup.tree, Qt.Key.Key_Return)
    assert row.editor.value() == "Order {{ body.total_price }}"
    assert not popup.isVisible()
    wait_for(qtbot, lambda: QApplication.focusWidget() is row.editor.edit)
    assert page.draft.steps[0]["subject"] == "Order {{ body.total_price }}"

    popup = row.picker.open_picker()
    qtbot.keyClick(popup.search, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert row.editor.value() == "Order {{ body.total_price }}"


def test_the_picker_stays_on_a_1366x768_screen_at_its_right_edge(
        qtbot: Any, context: BuilderContext, monkeypatch: Any) -> None:
    screen = QRect(0, 0, 1366, 768)
    monkeypatch.setattr(field_picker, "screen_area", lambda _widget: screen)
    holder = QWidget()
    qtbot.addWidget(holder)
    button = PickerButton(context, lambda path: None, compact=True)
    button.setParent(holder)
    holder.setGeometry(1366 - 40, 700, 40, 30)  # the editor's button at the right edge
    holder.show()
    qtbot.waitExposed(holder)
    popup = button.open_picker()
    placed = popup.geometry()
    assert screen.contains(placed), placed
    anchor = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
    assert placed.bottom() < anchor.top()  # no room below: above the button
    popup.close()


def test_the_picker_stays_on_the_real_screen(bellhop_app: Any, qtbot: Any) -> None:
    page = open_blank_rule(bellhop_app, qtbot, "Orders", "shopify_order")
    page.chain.insert_card(0, "send_email")
    page.chain.select(0)
    window = bellhop_app.window
    area = window.screen().availableGeometry()
    window.move(area.right() - window.frameGeometry().width() + 1, area.top())
    qtbot.wait(20)
    picker = page.inspector.form.rows["subject"].picker
    popup = picker.open_picker()
    assert area.contains(popup.geometry()), (area, popup.geometry())
    popup.close()


def test_a_dragged_field_carries_its_path_and_its_template_text(
        qtbot: Any, context: BuilderContext) -> None:
    popup = field_picker.FieldPickerPopup(context)
    qtbot.addWidget(popup)
    item = popup.item_for("body.line_items[0].title")
    assert item is not None
    data = popup.tree.mimeData([item])
    assert data.hasFormat(FIELD_MIME) and path_of(data) == "body.line_items[0].title"
    assert data.text() == "{{ body.line_items[0].title }}"  # for other programs
    assert item.text(0) == "Item (item 1)" and item.text(1) == "凍頂烏龍茶 150g"
