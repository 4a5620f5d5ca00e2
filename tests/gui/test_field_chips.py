"""Fields as chips: typed, picked, dragged and formatted from a menu; the text stays a template."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QHelpEvent,
    QInputMethodEvent,
    QPainter,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget
from test_rules_builder import open_blank_rule, wait_for

from bellhop.core.templating.formatters import date_filter
from bellhop.ui.rules import field_picker
from bellhop.ui.rules.chip_edit import ChipTextEdit
from bellhop.ui.rules.chip_view import chip_hover, chip_label
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.fields import FIELD_MIME
from bellhop.ui.rules.samples import load_shipped

SHOPIFY = load_shipped("shopify_order")


@pytest.fixture
def context(qapp: Any) -> BuilderContext:
    """A builder context with the shipped Shopify order as the sample."""
    made = BuilderContext()
    made.set_sample(SHOPIFY, "Orders")
    return made


@pytest.fixture
def make_edit(qtbot: Any, context: BuilderContext) -> Iterator[Any]:
    """Make a shown chip editor (one line unless asked) holding a template text."""
    def make(text: str = "", single_line: bool = True) -> ChipTextEdit:
        edit = ChipTextEdit(context, single_line)
        qtbot.addWidget(edit)
        edit.resize(520, edit.height())
        edit.show()
        qtbot.waitExposed(edit)
        edit.setText(text)
        return edit
    yield make


def caret_to(edit: ChipTextEdit, position: int) -> None:
    edit.setCursorPosition(position)


def type_in(qtbot: Any, edit: QWidget, text: str) -> None:
    """Type as a person does: ASCII as keys, other words as an input method commits them."""
    for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if run.isascii():
            qtbot.keyClicks(edit, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(edit, event)


HAND_WRITTEN = [
    "Order {{ body.name }}",
    "{{body.name}}{{ body.total_price|money('NT$',0) }}",
    "{{ body.created_at | date('%Y年%m月%d日', 'Asia/Taipei') }} 下單",
    "{% for item in body.line_items %}{{ item.title }} × {{ item.quantity }}\n{% endfor %}",
    "{{ body.line_items | pluck('title') | join('、') }}",
    "{# a note #}{{- body.note -}}\t{{ body.note | default('it\\'s \"none\"') }}",
    "no\u00a0break space, emoji 🎉, line\u2028separator",
    "{{ not closed",
    "{{ body[\"訂單 編號\"] | upper }} and {{ headers[\"x-shopify-topic\"] }}",
    "",
]


@pytest.mark.parametrize("text", HAND_WRITTEN)
@pytest.mark.parametrize("single_line", [True, False])
def test_value_is_the_template_text_before_and_after_an_edit(
        make_edit: Any, qtbot: Any, text: str, single_line: bool) -> None:
    edit = make_edit(text, single_line)
    assert edit.text() == text
    caret_to(edit, edit.document().characterCount() - 1)
    type_in(qtbot, edit, "x")
    assert edit.text() == text + "x"
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text() == text  # rebuilt from the chips: the same bytes


def test_line_breaks_read_back_in_a_message(make_edit: Any, qtbot: Any) -> None:
    edit = make_edit("Hello {{ body.customer.first_name }},\n\nThanks\r\nfor {{ body.name }}",
                     False)
    qtbot.keyClicks(edit, "x")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text() == "Hello {{ body.customer.first_name }},\n\nThanks\nfor {{ body.name }}"
    caret_to(edit, 0)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text().startswith("\nHello {{ body.customer.first_name }},")


def test_a_chip_is_one_character_with_the_fields_label(make_edit: Any, qtbot: Any,
                                                       context: BuilderContext) -> None:
    edit = make_edit("Order {{ body.name }}!")
    assert edit.chip_positions() == [6]
    chip = edit.piece_at(6)
    assert chip is not None and chip_label(context, chip) == "Order number"
    assert "{{" not in edit.document().toPlainText()  # the chip shows its label, not braces
    assert edit.accessibleDescription() == "Order [Order number]!"  # for screen readers
    caret_to(edit, 6)
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    assert edit.textCursor().position() == 7  # over the whole chip at once
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.text() == "Order !"
    edit.undo()
    assert edit.text() == "Order {{ body.name }}!"
    caret_to(edit, 7)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text() == "Order !"
    qtbot.keyClicks(edit, "#")
    assert edit.text() == "Order #!"  # text typed next to a chip is plain text


def test_copy_and_paste_keep_the_template_text(make_edit: Any, qtbot: Any) -> None:
    source = make_edit("Hi {{ body.customer.first_name | upper }}, total "
                       "{{ body.total_price | money('NT$', 0) }}")
    cursor = source.textCursor()
    cursor.setPosition(3)
    cursor.setPosition(4, cursor.MoveMode.KeepAnchor)  # the first chip alone
    source.setTextCursor(cursor)
    source.copy()
    assert QApplication.clipboard().text() == "{{ body.customer.first_name | upper }}"
    source.selectAll()
    source.copy()
    assert QApplication.clipboard().text() == source.text()
    target = make_edit("")
    target.paste()
    assert target.text() == source.text()
    assert len(target.chip_positions()) == 2


def test_one_line_stays_one_line(make_edit: Any, qtbot: Any) -> None:
    edit = make_edit("Order {{ body.name }}")
    caret_to(edit, 7)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "Order {{ body.name }}"
    data = QMimeData()
    data.setText(" first\nsecond {{ body.email }}")
    edit.insertFromMimeData(data)
    assert edit.text() == "Order {{ body.name }} first second {{ body.email }}"


def test_typing_letters_offers_fields_and_enter_inserts_once(make_edit: Any,
                                                            qtbot: Any) -> None:
    edit = make_edit("")
    qtbot.keyClicks(edit, "Total: ")
    assert not edit.completer.isVisible()
    qtbot.keyClicks(edit, "total")
    assert edit.completer.isVisible()
    shown = [edit.completer.list.item(row).text() for row in range(edit.completer.list.count())]
    assert shown[0] == "Order total"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "Total: {{ body.total_price }}"
    assert not edit.completer.isVisible()
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # nothing more: one line, one field
    assert edit.text() == "Total: {{ body.total_price }}"


def test_tab_click_and_escape_in_the_completer(make_edit: Any, qtbot: Any) -> None:
    edit = make_edit("", single_line=False)
    qtbot.keyClicks(edit, "Call phone")
    assert edit.completer.isVisible()
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # a message: Enter is a new line unless chosen
    assert edit.text() == "Call phone\n" and not edit.completer.isVisible()
    qtbot.keyClicks(edit, "phone")
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "Call phone\n{{ body.shipping_address.phone }}"
    qtbot.keyClicks(edit, " or email")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.text().endswith(" or {{ body.email }}")
    qtbot.keyClicks(edit, " cust")
    item = edit.completer.list.item(2)
    rect = edit.completer.list.visualItemRect(item)
    qtbot.mouseClick(edit.completer.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert edit.text().endswith(" {{ body.customer.email }}")
    qtbot.keyClicks(edit, " order")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert not edit.completer.isVisible()
    qtbot.keyClicks(edit, "s")
    assert not edit.completer.isVisible()  # not again for the word it was closed on
    assert edit.text().endswith(" {{ body.customer.email }} orders")


def test_braces_offer_fields_and_a_typed_expression_becomes_a_chip(make_edit: Any,
                                                                   qtbot: Any) -> None:
    edit = make_edit("")
    qtbot.keyClicks(edit, "To {{ shipping_address.ci")
    assert edit.completer.isVisible()
    assert edit.completer.entries[0].path == "body.shipping_address.city"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "To {{ body.shipping_address.city }}"
    type_in(qtbot, edit, " {{body.note|default('—')}}")
    assert edit.text() == "To {{ body.shipping_address.city }} {{body.note|default('—')}}"
    assert len(edit.chip_positions()) == 2


def field_drop(widget: QWidget, data: QMimeData, point: QPoint) -> QDropEvent:
    """A real drag-enter, drag-move and drop of `data` at `point`, as Qt sends them."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    args = (QPointF(point), actions, data, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(point, *args[1:])
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDragMoveEvent(point, *args[1:]))
    drop = QDropEvent(*args)
    QApplication.sendEvent(widget, drop)
    return drop


def test_a_field_dragged_from_the_picker_drops_where_it_lands(
        make_edit: Any, qtbot: Any, context: BuilderContext) -> None:
    edit = make_edit("Order  is ready")
    picker = field_picker.FieldPickerPopup(context)
    qtbot.addWidget(picker)
    data = picker.tree.mimeData([picker.item_for("body.name")])
    assert data.hasFormat(FIELD_MIME) and data.text() == "{{ body.name }}"
    cursor = edit.textCursor()
    cursor.setPosition(6)
    drop = field_drop(edit.viewport(), data, edit.cursorRect(cursor).center())
    assert drop.isAccepted()
    assert edit.text() == "Order {{ body.name }} is ready"
    assert edit.chip_positions() == [6]


def test_the_format_menu_writes_the_canonical_template(make_edit: Any, qtbot: Any,
                                                       context: BuilderContext) -> None:
    edit = make_edit("{{ body.total_price }}")

    def choose(key: str) -> None:
        menu = edit.open_chip_menu(0)
        assert menu is not None and menu.isVisible()
        menu.keyed[key].trigger()

    expected = {
        "money:NT$:0": "{{ body.total_price | money('NT$', 0) }}",
        "money:NT$:2": "{{ body.total_price | money('NT$', 2) }}",
        "number": "{{ body.total_price | number }}",
        "phone": "{{ body.total_price | phone }}",
        "upper": "{{ body.total_price | upper }}",
        "lower": "{{ body.total_price | lower }}",
        "date:date('%Y/%m/%d %H:%M')": "{{ body.total_price | date('%Y/%m/%d %H:%M') }}",
        "date:date('%m月%d日')": "{{ body.total_price | date('%m月%d日') }}",
        "date:date('%Y-%m-%dT%H:%M:%S%z')":
            "{{ body.total_price | date('%Y-%m-%dT%H:%M:%S%z') }}",
        "plain": "{{ body.total_price }}",
    }
    for key, text in expected.items():
        choose(key)
        assert edit.text() == text, key
    choose("money:NT$:0")
    choose("required")
    assert edit.text() == "{{ body.total_price | required | money('NT$', 0) }}"
    choose("default")
    dialog = edit.chip_menu.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("it's \\ 未填")
    dialog.accept()
    assert edit.text() == \
        "{{ body.total_price | required | money('NT$', 0) | default('it\\'s \\\\ 未填') }}"
    menu = edit.open_chip_menu(0)
    assert menu.keyed["required"].isChecked() and menu.keyed["default"].isChecked()
    assert menu.keyed["money:NT$:0"].isChecked()
    menu.keyed["required"].trigger()
    choose("money:other")
    money = edit.chip_menu.dialog
    money.symbol.setText("US$")
    money.decimals.setValue(2)
    money.accept()
    assert edit.text() == "{{ body.total_price | money('US$', 2) | default('it\\'s \\\\ 未填') }}"
    choose("default")
    edit.chip_menu.dialog.setTextValue("")
    edit.chip_menu.dialog.accept()
    assert edit.text() == "{{ body.total_price | money('US$', 2) }}"
    choose("remove")
    assert edit.text() == ""


def test_the_menu_is_labelled_by_what_it_makes_of_the_sample(make_edit: Any) -> None:
    edit = make_edit("{{ body.created_at }} {{ body.total_price | money('NT$', 0) }}")
    menu = edit.open_chip_menu(0)
    when = SHOPIFY["body"]["created_at"]
    assert menu.keyed["date:date('%Y/%m/%d %H:%M')"].text() == date_filter(
        when, "%Y/%m/%d %H:%M")
    assert menu.keyed["date:date('%m月%d日')"].text() == date_filter(when, "%m月%d日")
    menu.hide()
    menu = edit.open_chip_menu(2)
    assert menu.keyed["money:NT$:0"].text() == "NT$1,640"
    assert menu.keyed["money:NT$:2"].text() == "NT$1,640.00"
    assert menu.keyed["number"].text() == "Number (1,640)"
    assert menu.actions()[0].text() == "Order total · NT$1,640"


def test_hand_written_formats_show_as_written_and_custom_chips_edit_as_text(
        make_edit: Any) -> None:
    edit = make_edit("{{ body.created_at | date('%Y', 'Asia/Taipei') }}"
                     "{{ body.line_items | pluck('title') | join('、') }}")
    menu = edit.open_chip_menu(0)
    titles = [action.text() for action in menu.actions()]
    assert "Date and time · As written: 2026" in titles
    menu.hide()
    menu = edit.open_chip_menu(1)
    assert set(menu.keyed) == {"edit", "remove"}
    menu.keyed["edit"].trigger()
    menu.dialog.setTextValue("{{ body.name }} and {{ body.email }}")
    menu.dialog.accept()
    assert edit.text() == "{{ body.created_at | date('%Y', 'Asia/Taipei') }}" \
        "{{ body.name }} and {{ body.email }}"


def test_a_click_or_shift_f10_opens_the_chips_menu(make_edit: Any, qtbot: Any) -> None:
    edit = make_edit("Order {{ body.name }} now")
    rect = edit.chip_rect(6)
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_for(qtbot, lambda: edit.chip_menu is not None and edit.chip_menu.isVisible())
    edit.chip_menu.hide()
    edit.chip_menu = None
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.right() + 30, rect.center().y()))
    qtbot.wait(20)
    assert edit.chip_menu is None  # a click on text places the caret only
    caret_to(edit, 7)
    qtbot.keyClick(edit, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert edit.chip_menu is not None and edit.chip_menu.isVisible()
    edit.chip_menu.keyed["upper"].trigger()
    assert edit.text() == "Order {{ body.name | upper }} now"


def test_hovering_a_chip_shows_the_formatted_sample_value(make_edit: Any,
                                                         context: BuilderContext) -> None:
    edit = make_edit("{{ body.total_price | money('NT$', 0) }} {{ body.customer.phone | phone }}"
                     " {{ body.nope }} {{ body.gone | default('無') }}")
    rect = edit.chip_rect(0)
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(),
                       edit.viewport().mapToGlobal(rect.center()))
    QApplication.sendEvent(edit.viewport(), event)
    assert QToolTip.text().startswith("Order total · NT$1,640\nbody.total_price")
    phone = chip_hover(context, edit.piece_at(2)).split("\n")[0]
    assert phone.startswith("Customer phone · ") and "not in" not in phone
    assert chip_hover(context, edit.piece_at(4)).startswith("Nope · not in the sample event")
    assert chip_hover(context, edit.piece_at(6)).startswith("Gone · 無")


def test_a_card_form_with_chips_and_its_menu_in_chinese(bellhop_app: Any, qtbot: Any,
                                                       monkeypatch: Any, home: Path,
                                                       artifacts: Path) -> None:
    from bellhop.core import i18n

    page = open_blank_rule(bellhop_app, qtbot, "訂單", "shopify_order")
    monkeypatch.setattr(i18n, "_language", "zh_TW")
    page.chain.insert_card(0, "send_email")
    page.chain.select(0)
    form = page.inspector.form
    subject = form.rows["subject"].editor.edit
    type_in(qtbot, subject, "新訂單 總額")
    assert subject.completer.isVisible()
    assert subject.completer.list.item(0).text() == "訂單總額"
    qtbot.keyClick(subject, Qt.Key.Key_Tab)
    assert subject.text() == "新訂單 {{ body.total_price }}"
    assert chip_label(page.context, subject.piece_at(4)) == "訂單總額"
    message = form.rows["body"].editor.edit
    message.setFocus()
    type_in(qtbot, message, "客人 {{ body.customer.first_name }}，電話 ")
    message.insert("{{ body.customer.phone | phone }}\n{{ body.created_at }}")
    popup = form.rows["subject"].picker.open_picker()
    assert popup.item_for("body.total_price").text(0) == "訂單總額"
    popup.close()
    menu = subject.open_chip_menu(4)
    assert menu.keyed["money:NT$:0"].text() == "NT$1,640"
    assert [action.text() for action in menu.actions()][:4] == [
        "訂單總額 · 1640.00", "", "日期和時間", "金額"]
    menu.keyed["money:NT$:0"].trigger()
    menu = subject.open_chip_menu(4)
    qtbot.wait(100)
    window = bellhop_app.window
    shot = window.grab()  # the menu is a window of its own: painted where it opens
    painter = QPainter(shot)
    below_chip = subject.viewport().mapTo(window, subject.chip_rect(4).bottomLeft())
    painter.drawPixmap(below_chip, menu.grab())
    painter.end()
    assert shot.save(str(artifacts / "chips_form_menu_zh.png"))
    menu.hide()
    assert page.chain.cards[0].summary.full_text() == "主旨 新訂單 [訂單總額]"
    page.builder.save_button.click()
    wait_for(qtbot, lambda: not page.draft.dirty)
    saved = json.loads((home / "rules.json").read_text(encoding="utf-8"))["rules"][0]
    assert saved["steps"][0]["subject"] == "新訂單 {{ body.total_price | money('NT$', 0) }}"
    assert saved["steps"][0]["body"] == ("客人 {{ body.customer.first_name }}，電話 "
                                         "{{ body.customer.phone | phone }}\n{{ body.created_at }}")


def test_card_summaries_name_fields_by_the_samples_labels(bellhop_app: Any,
                                                         qtbot: Any) -> None:
    page = open_blank_rule(bellhop_app, qtbot, "Orders")
    page.chain.insert_card(0, "send_email")
    page.chain.select(0)
    page.inspector.form.rows["subject"].editor.insert_text("New order {{ body.name }}")
    card = page.chain.cards[0]
    assert card.summary.full_text() == "Subject New order [Name]"  # no sample: the key
    page.samples.use_shipped(page.draft.id, "shopify_order")
    wait_for(qtbot, lambda: page.context.has_sample)
    assert page.chain.cards[0].summary.full_text() == "Subject New order [Order number]"
    assert page.draft.steps[0]["subject"] == "New order {{ body.name }}"
