"""The rule builder: cards from the palette, drops, keyboard moves, undo, generated inspector."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from bellhop.core.gallery.starters import STARTERS
from bellhop.ui.rules.palette import CARD_TYPE_MIME
from bellhop.ui.rules.problems import TRIGGER

BLANK = next(starter for starter in STARTERS if starter.key == "blank")
SMTP = {"kind": "smtp", "host": "127.0.0.1", "port": 2525, "security": "none",
        "username": "", "from": "shop@example.com"}


def wait_for(qtbot: Any, condition: Any, timeout: int = 10000) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def open_blank_rule(app: Any, qtbot: Any, name: str = "Orders", sample: str | None = None,
                    account: bool = False) -> Any:
    """A new blank rule shown in the builder (optionally with an SMTP account and a sample)."""
    page = app.window.rules_page
    if account:
        done: list[Any] = []
        app.bridge.call_plain(lambda s: s.set_account("office", SMTP), done.append)
        wait_for(qtbot, lambda: done)
        page.refresh()
        wait_for(qtbot, lambda: page.context.accounts_of_kind("smtp") == ["office"])
    rule_id = page.keeper.create(BLANK, name, page.context.accounts_of_kind("smtp"))
    wait_for(qtbot, lambda: page.draft is not None and page.draft.id == rule_id)
    if sample:
        page.samples.use_shipped(rule_id, sample)
        wait_for(qtbot, lambda: page.context.has_sample)
    return page


def types(page: Any) -> list[str]:
    return [card.action.type for card in page.chain.cards]


def card_mime(type_name: str) -> QMimeData:
    data = QMimeData()
    data.setData(CARD_TYPE_MIME, type_name.encode())
    return data


def make_drag(kind: Any, point: QPointF, *args: Any) -> Any:
    """A drag event at `point` (PySide6 takes QPoint or QPointF, depending on version)."""
    try:
        return kind(point, *args)
    except TypeError:
        return kind(point.toPoint(), *args)


def drop_on(widget: Any, data: QMimeData, y: float) -> QDropEvent:
    """Deliver a real drag-enter, drag-move and drop at height `y`, as Qt does during a drag."""
    point = QPointF(widget.width() / 2, y)
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    enter = make_drag(QDragEnterEvent, point, actions, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    move = make_drag(QDragMoveEvent, point, actions, data, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, move)
    drop = make_drag(QDropEvent, point, actions, data, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop


def test_first_start_shows_one_sentence_and_a_big_new_rule_button(
        bellhop_app: Any, qtbot: Any, artifacts: Path) -> None:
    page = bellhop_app.window.rules_page
    wait_for(qtbot, lambda: page.centre.currentWidget() is page.empty)
    assert page.empty.button.isVisible() and page.empty.button.text() == "New rule"
    assert not page.inspector.isVisible()
    qtbot.wait(50)
    assert_real_screenshot(bellhop_app.window, artifacts / "rules_empty_state.png", 8)


def test_new_rule_gallery_fills_cards_and_sample(bellhop_app: Any, qtbot: Any,
                                                 artifacts: Path) -> None:
    from PySide6.QtCore import QTimer

    from bellhop.ui.rules.gallery import NewRuleDialog

    page = bellhop_app.window.rules_page
    chosen: list[Any] = []

    def pick_website_form() -> None:
        dialog = page.findChild(NewRuleDialog)
        assert_real_screenshot(dialog, artifacts / "rules_new_rule_gallery.png", 8)
        dialog.choices.setCurrentRow(1)
        chosen.append(dialog.rule_name())
        dialog.accept()

    QTimer.singleShot(0, pick_website_form)
    page.empty.button.click()  # the dialog runs until the timer accepts it
    assert chosen == ["Website messages by email"]
    wait_for(qtbot, lambda: page.draft is not None and page.draft.name == chosen[0])
    assert types(page) == ["send_email"]
    assert page.context.sample["body"]["name"] == "張小華"
    assert page.chain.trigger_card.summary.full_text() == "Sample event: Website form"
    assert page.centre.currentWidget() is page.builder


def test_palette_enter_drops_keyboard_moves_and_undo(bellhop_app: Any, qtbot: Any) -> None:
    page = open_blank_rule(bellhop_app, qtbot)
    chain, palette = page.chain, page.builder.palette
    qtbot.mouseClick(page.builder.palette_toggle, Qt.MouseButton.LeftButton)  # the card list
    assert palette.isVisible()
    assert palette.type_names()[:5] == ["filter", "send_email", "append_sheet", "append_file",
                                        "http_request"]
    # Enter on a palette tile adds the card after the selected one (the trigger at first).
    for type_name in ("filter", "send_email", "append_file"):
        palette.setCurrentItem(palette.item_for(type_name))
        qtbot.keyClick(palette, Qt.Key.Key_Return)
    assert types(page) == ["filter", "send_email", "append_file"]
    assert [step["type"] for step in page.draft.steps] == types(page)

    # A real drop event from the palette between card 1 and card 2, with its drop line.
    canvas = chain.canvas
    gap_y = (chain.cards[0].geometry().bottom() + chain.cards[1].geometry().top()) / 2
    hovering = card_mime("filter")  # the event only points at it: keep it alive
    hover = make_drag(QDragEnterEvent, QPointF(40, gap_y), Qt.DropAction.CopyAction, hovering,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas, hover)
    assert hover.isAccepted() and canvas.indicator.isVisible()
    assert abs(canvas.indicator.geometry().center().y() - gap_y) <= 2
    drop = drop_on(canvas, card_mime("http_request"), gap_y)
    assert drop.isAccepted()
    assert types(page) == ["filter", "http_request", "send_email", "append_file"]
    assert chain.selected == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert types(page) == ["filter", "send_email", "append_file"]

    # Keyboard: Alt+Up / Alt+Down move the selected card; Delete removes it; undo, redo.
    chain.select(2)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert types(page) == ["filter", "append_file", "send_email"]
    assert chain.selected == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert types(page) == ["filter", "send_email", "append_file"]
    chain.select(0)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert types(page) == ["send_email", "append_file"]
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert types(page) == ["filter", "send_email", "append_file"]
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert types(page) == ["send_email", "append_file"]
    page.builder.undo_action.trigger()
    assert types(page) == ["filter", "send_email", "append_file"]
    # The window's own shortcuts work from anywhere in the builder once the window is active.
    window = page.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    chain.select(1)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    palette.setFocus()
    qtbot.keyClick(palette, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert types(page) == ["filter", "send_email", "append_file"]
    qtbot.keyClick(palette, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert types(page) == ["filter", "append_file"]
    qtbot.keyClick(palette, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    # Dragging a card within the chain moves it; dragging it onto the palette removes it.
    from bellhop.ui.rules.cards import STEP_MIME

    moved = QMimeData()
    moved.setData(STEP_MIME, b"0")
    drop_on(canvas, moved, chain.cards[2].geometry().bottom() + 4)
    assert types(page) == ["send_email", "append_file", "filter"]
    removed = QMimeData()
    removed.setData(STEP_MIME, b"2")
    drop_on(palette.viewport(), removed, 10)
    assert types(page) == ["send_email", "append_file"]
    page.builder.undo_action.trigger()
    page.builder.undo_action.trigger()
    assert types(page) == ["filter", "send_email", "append_file"]
    assert page.draft.dirty and page.rule_list.summary(page.draft.id).unsaved


def test_inspector_is_generated_previews_and_saves_to_rules_json(
        bellhop_app: Any, qtbot: Any, home: Path, tmp_path: Path, artifacts: Path) -> None:
    page = open_blank_rule(bellhop_app, qtbot, "Shopify orders", "shopify_order", account=True)
    chain = page.chain
    for index, type_name in enumerate(("filter", "send_email", "append_file")):
        assert chain.insert_card(index, type_name)
    inspector = page.inspector

    # Filter: one condition row to start with; field (by its name), test and value.
    chain.select(0)
    conditions = inspector.form.editor("conditions")
    editors = conditions.rows[0][1]
    field = editors["field"].combo
    field.setCurrentIndex(field.findText("Order total"))
    field.activated.emit(field.currentIndex())
    op = editors["op"].combo
    op.setCurrentIndex(op.findData("gt"))
    op.activated.emit(op.currentIndex())
    qtbot.keyClicks(editors["value"].edit, "1000")
    assert page.draft.steps[0]["conditions"] == [
        {"field": "body.total_price", "op": "gt", "value": 1000}]
    assert chain.cards[0].summary.full_text() == "Only if the order total is more than 1000"

    # Send email: the account is filled in (the only one); 'To' checked as one types.
    chain.select(1)
    form = inspector.form
    assert form.editor("account").value() == "office"
    to_row = form.rows["to"]
    assert to_row.problem.text() == "Fill this in."
    qtbot.keyClicks(to_row.editor.edit, "warehouse@example.com")
    assert to_row.problem.isHidden()
    to_row.editor.edit.clear()
    to_row.editor.edit.textEdited.emit("")
    assert not to_row.problem.isHidden() and to_row.problem.text() == "Fill this in."
    assert "To" in chain.cards[1].state_text.text() and chain.cards[1].state == "problem"
    qtbot.keyClicks(to_row.editor.edit, "warehouse@example.com")

    subject = form.rows["subject"]
    qtbot.keyClicks(subject.editor.edit, "Order ")
    popup = subject.picker.open_picker()
    email_item = popup.item_for("body.customer.email")
    assert email_item is not None and email_item.text(1) == "mei.lin@example.com"
    assert popup.item_for("headers[\"x-shopify-topic\"]").text(1) == "orders/create"
    popup.tree.setCurrentItem(popup.item_for("body.name"))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert subject.editor.value() == "Order {{ body.name }}"
    assert subject.preview.text() == "Preview: Order #1042"
    assert not subject.preview.failed
    qtbot.keyClicks(subject.editor.edit, " {{ body.nope }}")
    # A field the sample lacks is left empty (a run says so), not a mistake...
    assert not subject.preview.failed and subject.preview.missing == ["body.nope"]
    assert subject.preview.text() == ("Preview: Order #1042 \n"
                                      "The sample has no Nope: a run leaves it empty and says so.")
    assert subject.editor.edit.chip_positions() == [6, 8]  # typed `}}` made it a chip
    qtbot.keyClicks(subject.editor.edit, "{{ body.nope | upper | requird }}")
    assert subject.preview.failed  # ...a filter that does not exist is
    assert "requird" in subject.preview.text()
    for _ in range(3):  # two chips (one character each), then the space before them
        qtbot.keyClick(subject.editor.edit, Qt.Key.Key_Backspace)
    assert subject.preview.text() == "Preview: Order #1042" and not subject.preview.failed
    assert chain.cards[1].summary.full_text() == (
        "To warehouse@example.com · Subject Order [Order number]")  # fields by their names

    # Append to a file: the path and a column (header → template with its own preview).
    chain.select(2)
    form = inspector.form
    sheet = tmp_path / "orders.csv"
    qtbot.keyClicks(form.editor("path").edit, str(sheet))
    name, text, preview, _ = form.editor("columns").rows[0]
    qtbot.keyClicks(name.edit, "Order")
    qtbot.keyClicks(text.edit, "{{ body.name }}")
    assert preview.text() == "Preview: #1042"

    assert not chain.problems, chain.problems
    page.builder.name.selectAll()
    qtbot.keyClicks(page.builder.name, "Shopify orders to the warehouse")
    shot = artifacts / "rules_builder_three_cards.png"
    chain.select(1)
    qtbot.wait(150)  # let the new inspector form be laid out and painted
    assert_real_screenshot(bellhop_app.window, shot)

    page.builder.save_button.click()
    wait_for(qtbot, lambda: not page.draft.dirty)
    saved = json.loads((home / "rules.json").read_text(encoding="utf-8"))["rules"][0]
    assert saved["name"] == "Shopify orders to the warehouse" and saved["enabled"] is True
    assert [step["type"] for step in saved["steps"]] == ["filter", "send_email", "append_file"]
    assert saved["steps"][1]["to"] == "warehouse@example.com"
    assert saved["steps"][1]["subject"] == "Order {{ body.name }}"
    assert saved["steps"][1]["account"] == "office"
    assert saved["steps"][2]["columns"] == {"Order": "{{ body.name }}"}
    wait_for(qtbot, lambda: page.rule_list.rows[saved["id"]].dot.state == "ok")


def assert_real_screenshot(window: Any, path: Path, min_colours: int = 20) -> None:
    """Save the window and check it is the window's size and not one flat colour."""
    assert window.grab().save(str(path))
    image = QImage(str(path))
    ratio = window.devicePixelRatioF()
    assert (image.width(), image.height()) == (round(window.width() * ratio),
                                               round(window.height() * ratio))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 17)
               for y in range(0, image.height(), 13)}
    assert len(colours) > min_colours


def test_trigger_settings_and_shipped_samples(bellhop_app: Any, qtbot: Any,
                                              home: Path) -> None:
    page = open_blank_rule(bellhop_app, qtbot, "Hooks")
    trigger = page.inspector.trigger
    labels = [action.text() for action in trigger.samples_menu.actions()]
    assert labels == ["Shopify order", "LINE message", "GitHub push", "Stripe payment",
                      "SurveyCake form post", "Website form"]
    trigger.samples_menu.actions()[2].trigger()
    wait_for(qtbot, lambda: page.context.has_sample)
    assert page.context.sample["headers"]["x-github-event"] == "push"
    assert "refs/heads/main" in trigger.sample_view.toPlainText()
    trigger.methods["GET"].setChecked(True)
    trigger.methods["POST"].setChecked(False)
    trigger.respond_box.setChecked(True)
    trigger.reply.setText("thanks")
    trigger.reply.textEdited.emit("thanks")
    assert page.draft.trigger["methods"] == ["GET"]
    assert page.draft.trigger["respond"] == {"status": 200, "body": "thanks"}
    trigger.methods["GET"].setChecked(False)
    assert page.chain.trigger_card.state == "problem"  # no method left: nothing could call
    trigger.methods["POST"].setChecked(True)
    page.builder.save_button.click()
    wait_for(qtbot, lambda: not page.draft.dirty)
    saved = json.loads((home / "rules.json").read_text(encoding="utf-8"))["rules"][0]
    assert saved["trigger"]["methods"] == ["POST"]
    assert saved["trigger"]["respond"]["body"] == "thanks"


@pytest.mark.parametrize("language", ["zh_TW"])
def test_inspector_labels_follow_the_language(bellhop_app: Any, qtbot: Any,
                                             monkeypatch: Any, language: str) -> None:
    from bellhop.core import i18n

    page = open_blank_rule(bellhop_app, qtbot)
    monkeypatch.setattr(i18n, "_language", language)
    page.chain.insert_card(0, "send_email")
    page.chain.select(0)
    assert page.inspector.form.rows["to"].label.text() == "收件人"
    assert "寄送電子郵件" in page.inspector.title.text()
    page.chain.select(TRIGGER)
    assert page.inspector.trigger.isVisible()
