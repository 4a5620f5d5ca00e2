"""A shop owner builds "Shopify order → only if the total is more than 1000 → email the
warehouse → add a Google Sheets row" in the real window, with the mouse and the keyboard
only, never typing `{{`; then real deliveries run it against a real SMTP server and the
fake Google.

What a person does elsewhere is set up first, through files: the mail account "office"
(a real aiosmtpd server on 127.0.0.1) and a Google service account (the fake Google, with
a spreadsheet whose tab "Orders" has a header row).
"""

from __future__ import annotations

import copy
import json
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from bellhop.core.platform import paths
from bellhop.ui.rules.gallery import NewRuleDialog
from fakes.fake_google import FakeGoogle
from google_kit import HEADER, SHEET_ID, SHEET_URL, setup_google
from helpers import load_sample, start_app, stop_app, wait_for
from support.inbox import Inbox, smtp_inbox

ORDER = json.loads(load_sample("shopify_order_create.json"))
SHOPIFY_HEADERS = json.loads(load_sample("shopify_order_create.headers.json"))


@dataclass
class Shop:
    """The started window, and where its emails and rows end up."""

    app: Any
    inbox: Inbox
    google: FakeGoogle


@pytest.fixture
def shop(qtbot: Any, qapp: Any, home: Path) -> Iterator[Shop]:
    """Bellhop with a mail account "office" and a Google account already set up."""
    with smtp_inbox() as inbox, FakeGoogle() as google:
        setup = setup_google(google)
        accounts = {"version": 1, "accounts": {"office": inbox.account(), **setup.accounts()}}
        paths.accounts_file(home).write_text(json.dumps(accounts), encoding="utf-8")
        app = start_app(qtbot, qapp, home)
        app.window.resize(1366, 720)  # a laptop's window
        try:
            yield Shop(app, inbox, google)
        finally:
            stop_app(app)


# -- a person's hands --------------------------------------------------------------------------

def click(qtbot: Any, widget: QWidget, where: QPoint | None = None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=where or widget.rect().center())


def choose_in_combo(qtbot: Any, combo: Any, text: str) -> None:
    """Click a combo box open, type the start of an item's words, press Enter."""
    click(qtbot, combo)
    view = combo.view()
    wait_for(qtbot, view.isVisible)
    qtbot.keyClicks(view, text)  # the list goes to the item whose words start so
    qtbot.keyClick(view, Qt.Key.Key_Return)
    wait_for(qtbot, lambda: not view.isVisible())
    assert combo.currentText() == text


def add_card(qtbot: Any, page: Any, button: QWidget, search: str) -> None:
    """Press a "+" of the chain, type a few letters of the card, press Enter."""
    before = len(page.chain.cards)
    click(qtbot, button)
    menu = page.chain.add_menu
    wait_for(qtbot, lambda: menu is not None and menu.isVisible())
    qtbot.keyClicks(menu.search, search)
    qtbot.keyClick(menu.search, Qt.Key.Key_Return)
    wait_for(qtbot, lambda: len(page.chain.cards) == before + 1)
    wait_for(qtbot, lambda: page.inspector.form is not None and page.inspector.form.isVisible())


def completer_offers(qtbot: Any, edit: Any) -> list[str]:
    wait_for(qtbot, edit.completer.isVisible)
    shown = edit.completer.list
    return [shown.item(row).text() for row in range(shown.count())]


def drop_field(edit: Any, data: Any) -> None:
    """Drop a field dragged out of the picker at the end of a text box, as Qt delivers it."""
    point = QPointF(edit.cursorRect().center()) + QPointF(40, 0)
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    args = (actions, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(point.toPoint(), *args)
    QApplication.sendEvent(edit.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(edit.viewport(), QDragMoveEvent(point.toPoint(), *args))
    drop = QDropEvent(point, *args)
    QApplication.sendEvent(edit.viewport(), drop)
    assert drop.isAccepted()


# -- deliveries -------------------------------------------------------------------------------

def deliver(url: str, order: dict[str, Any], webhook_id: str) -> str:
    """POST an order as Shopify does, from another thread; the stored event's id."""
    headers = {**SHOPIFY_HEADERS, "X-Shopify-Webhook-Id": webhook_id}
    headers.pop("X-Shopify-Hmac-Sha256")  # the rule checks no signature
    answers: list[Any] = []

    def send() -> None:
        request = urllib.request.Request(url, method="POST", headers=headers, data=json.dumps(
            order, ensure_ascii=False).encode())
        with urllib.request.urlopen(request, timeout=10) as answer:
            answers.append((answer.status, json.loads(answer.read())))

    thread = threading.Thread(target=send)
    thread.start()
    thread.join(15)
    status, body = answers[0]
    assert status == 202
    return str(body["event_id"])


def guest_order() -> dict[str, Any]:
    """A guest checkout: Shopify sends no `customer` at all."""
    order = copy.deepcopy(ORDER)
    del order["customer"]
    order.update(name="#1043", order_number=1043, total_price="2000.00")
    return order


def small_order() -> dict[str, Any]:
    order = copy.deepcopy(ORDER)
    order.update(name="#1044", order_number=1044, total_price="300.00")
    return order


# -- the test ---------------------------------------------------------------------------------

def test_a_shop_owner_builds_the_rule_by_hand_and_orders_run_it(
        shop: Shop, qtbot: Any, home: Path) -> None:
    window = shop.app.window
    page = window.rules_page
    wait_for(qtbot, lambda: page.centre.currentWidget() is page.empty)
    wait_for(qtbot, lambda: page.context.accounts_of_kind("google") == ["google"])

    # New rule → Blank rule, named.
    def fill_in_new_rule() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewRuleDialog)
        qtbot.keyClick(dialog.choices, Qt.Key.Key_End)  # Blank rule is the last
        assert dialog.starter().key == "blank"
        qtbot.keyClick(dialog.name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(dialog.name, "Big Shopify orders")
        create = next(button for button in dialog.findChildren(QPushButton)
                      if button.text() == "Create rule")
        click(qtbot, create)

    QTimer.singleShot(0, fill_in_new_rule)
    click(qtbot, page.empty.button)  # the dialog runs until the timer's clicks end it
    wait_for(qtbot, lambda: page.draft is not None and page.draft.name == "Big Shopify orders")
    assert page.chain.cards == []

    # The trigger card: Use a sample → Shopify order.
    trigger = page.inspector.trigger
    wait_for(qtbot, trigger.isVisible)

    def pick_shopify() -> None:
        menu = trigger.samples_menu
        assert menu.isVisible()
        action = next(a for a in menu.actions() if a.text() == "Shopify order")
        click(qtbot, menu, menu.actionGeometry(action).center())

    QTimer.singleShot(0, pick_shopify)
    click(qtbot, trigger.samples_button)  # its menu runs until the timer's click
    wait_for(qtbot, lambda: page.context.has_sample)
    assert trigger.sample_title.text() == "Using: Shopify order"

    # "+ Add a card" → Only continue if: the order total is more than 1000.
    add_card(qtbot, page, page.chain.end.button, "continue")
    conditions = page.inspector.form.editor("conditions")
    row = conditions.rows[0][1]
    choose_in_combo(qtbot, row["field"].combo, "Order total")
    op = row["op"].combo
    click(qtbot, op)  # its list opens on "is"
    wait_for(qtbot, op.view().isVisible)
    for _ in range(2):  # is → is not → is more than
        qtbot.keyClick(op.view(), Qt.Key.Key_Down)
    qtbot.keyClick(op.view(), Qt.Key.Key_Return)
    wait_for(qtbot, lambda: not op.view().isVisible())
    assert op.currentText() == "is more than"
    click(qtbot, row["value"].edit)
    qtbot.keyClicks(row["value"].edit, "1000")
    assert page.chain.cards[0].summary.full_text() == "Only if the order total is more than 1000"

    # "Add a card" → Send email.
    add_card(qtbot, page, page.chain.end.button, "email")
    form = page.inspector.form
    assert form.editor("account").value() == "office"  # the only mail account
    to = form.rows["to"].editor.edit
    click(qtbot, to)
    qtbot.keyClicks(to, "warehouse@example.com")
    subject = form.rows["subject"].editor.edit
    click(qtbot, subject)
    qtbot.keyClicks(subject, "New order ")
    qtbot.keyClicks(subject, "numb")  # a few letters of the field's name…
    assert completer_offers(qtbot, subject)[0] == "Order number"
    qtbot.keyClick(subject, Qt.Key.Key_Return)  # …and Enter: the field, once
    assert not subject.completer.isVisible()
    assert subject.chip_positions() == [10]
    message = form.rows["body"].editor.edit
    click(qtbot, message)
    qtbot.keyClicks(message, "Customer: first")
    offered = completer_offers(qtbot, message)
    assert "Customer first name" in offered
    for _ in range(offered.index("Customer first name") + 1):
        qtbot.keyClick(message, Qt.Key.Key_Down)
    qtbot.keyClick(message, Qt.Key.Key_Return)
    qtbot.keyClick(message, Qt.Key.Key_Return)  # a new line
    qtbot.keyClicks(message, "Total: ")
    picker = form.rows["body"].picker
    click(qtbot, picker)  # Insert field
    popup = picker.popup
    wait_for(qtbot, lambda: popup is not None and popup.isVisible())
    qtbot.keyClicks(popup.search, "order total")
    qtbot.keyClick(popup.search, Qt.Key.Key_Down)
    qtbot.keyClick(popup.tree, Qt.Key.Key_Return)
    wait_for(qtbot, lambda: not popup.isVisible())
    total_chip = message.chip_positions()[-1]
    click(qtbot, message.viewport(), message.chip_rect(total_chip).center())
    wait_for(qtbot, lambda: message.chip_menu is not None and message.chip_menu.isVisible())
    menu = message.chip_menu
    assert menu.actions()[0].text() == "Order total · 1640.00"
    for _ in range(2):  # Date and time → Money
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Right)
    money = menu.keyed["money:NT$:0"].associatedObjects()
    wait_for(qtbot, lambda: any(m.isVisible() for m in money if isinstance(m, QWidget)
                                and m is not menu))
    submenu = next(m for m in money if isinstance(m, QWidget) and m is not menu)
    assert submenu.activeAction().text() == "NT$1,640"
    qtbot.keyClick(submenu, Qt.Key.Key_Return)
    wait_for(qtbot, lambda: not menu.isVisible())
    assert "{{" not in message.document().toPlainText()  # chips show labels, never braces
    assert form.rows["body"].preview.text() == "Preview: Customer: 美玲\nTotal: NT$1,640"

    # "Add a card" → Add a row to Google Sheets.
    add_card(qtbot, page, page.chain.end.button, "google")
    form = page.inspector.form
    assert form.editor("account").value() == "google"  # the only Google account
    spreadsheet = form.editor("spreadsheet").edit
    click(qtbot, spreadsheet)
    qtbot.keyClicks(spreadsheet, SHEET_URL)
    tab = form.editor("sheet").edit
    click(qtbot, tab)
    qtbot.keyClick(tab, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tab, "Orders")
    columns = form.editor("columns")
    header, value, __, (__, picker) = columns.rows[0]
    click(qtbot, header.edit)
    qtbot.keyClicks(header.edit, "Order")
    click(qtbot, picker)  # drag "Order number" from the picker onto the value box
    popup = picker.popup
    wait_for(qtbot, lambda: popup is not None and popup.isVisible())
    item = popup.item_for("body.name")
    assert item.text(0) == "Order number"
    dragged = popup.tree.mimeData([item])
    popup.hide()  # as the picker does when a drag starts
    drop_field(value.edit, dragged)
    popup.close()
    click(qtbot, columns.add_button)
    header, value, __, __ = columns.rows[1]
    click(qtbot, header.edit)
    qtbot.keyClicks(header.edit, "Total")
    click(qtbot, value.edit)
    qtbot.keyClicks(value.edit, "total")
    assert completer_offers(qtbot, value.edit)[0] == "Order total"
    qtbot.keyClick(value.edit, Qt.Key.Key_Return)

    # Save; the rule is on.
    wait_for(qtbot, lambda: not page.chain.problems)
    click(qtbot, page.builder.save_button)
    wait_for(qtbot, lambda: not page.draft.dirty)
    rule_id = page.draft.id
    assert page.builder.message.text() == "Saved. The rule is on."
    wait_for(qtbot, lambda: rule_id in page.rule_list.rows)
    assert page.rule_list.rows[rule_id].switch.isChecked()

    # rules.json holds the template text of hand-written rules.
    saved = json.loads(paths.rules_file(home).read_text(encoding="utf-8"))["rules"][0]
    assert saved["name"] == "Big Shopify orders" and saved["enabled"] is True
    assert saved["steps"] == [
        {"type": "filter",
         "conditions": [{"field": "body.total_price", "op": "gt", "value": 1000}]},
        {"type": "send_email", "account": "office", "to": "warehouse@example.com",
         "subject": "New order {{ body.name }}",
         "body": "Customer: {{ body.customer.first_name }}\n"
                 "Total: {{ body.total_price | money('NT$', 0) }}"},
        {"type": "append_sheet", "account": "google", "spreadsheet": SHEET_URL,
         "sheet": "Orders",
         "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}"}},
    ]

    # The rule's address, copied as a person does, gets three real orders.
    click(qtbot, page.chain.trigger_card.copy)
    url = QGuiApplication.clipboard().text()
    assert url.startswith("http://127.0.0.1:") and "/hooks/" in url
    normal = deliver(url, ORDER, "delivery-1042")
    guest = deliver(url, guest_order(), "delivery-1043")
    small = deliver(url, small_order(), "delivery-1044")

    wait_for(qtbot, lambda: len(shop.google.rows(SHEET_ID, "Orders")) == 3, timeout=20000)
    wait_for(qtbot, lambda: len(shop.inbox.messages) == 2)
    assert shop.google.rows(SHEET_ID, "Orders") == [  # Sheets reads the totals as numbers
        HEADER, ["#1042", None, None, 1640], ["#1043", None, None, 2000]]
    mails = {mail.subject: mail.text.replace("\r\n", "\n") for mail in shop.inbox.messages}
    assert mails == {"New order #1042": "Customer: 美玲\nTotal: NT$1,640\n",
                     "New order #1043": "Customer: \nTotal: NT$2,000\n"}  # the guest's: empty
    assert all(mail.recipients == ["warehouse@example.com"] for mail in shop.inbox.messages)

    # Activity tells each delivery's story.
    nav = window.nav
    click(qtbot, nav.viewport(), nav.visualItemRect(nav.item(1)).center())
    activity = window.activity_page
    assert window.pages.currentWidget() is activity
    wait_for(qtbot, lambda: [activity.model.event_at(row).status
                             for row in range(activity.model.rowCount())]
             == ["skipped", "succeeded", "succeeded"])
    table = activity.table

    def story(row: int, event_id: str) -> tuple[str, str]:
        """Click a row: the sentence at the top, and what the run's own line says."""
        click(qtbot, table.viewport(), table.visualRect(activity.model.index(row, 0)).center())
        detail = activity.detail
        wait_for(qtbot, lambda: detail.shown is not None and detail.shown.id == event_id)
        runs = detail.runs
        click(qtbot, runs.tree.viewport(),
              runs.tree.visualItemRect(runs.tree.topLevelItem(0)).center())
        return detail.state.text(), runs.details.toPlainText()

    state, told = story(0, small)
    skipped = "Skipped: the order total, 300.00, is not more than 1000."
    assert skipped in state and told.startswith(skipped)
    state, told = story(1, guest)
    assert "Done" in state
    assert "Worth a look\nThis order has no customer (guest checkout); the email's Message " \
           "left Customer first name empty." in told
    state, told = story(2, normal)
    assert "Done" in state and "Worth a look" not in told
