"""The window by keyboard: every control is a Tab stop, in reading order, with a name a
screen reader can say; the chain of cards is edited with keys alone."""

from __future__ import annotations

import json
import urllib.request
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QWidget,
)
from test_screenshots import SMTP, call
from test_translations import catalogue, start_bellhop, stop_bellhop

from bellhop.core.running.rules import new_token
from bellhop.ui.rules.problems import TRIGGER

EVERY_CARD = [
    {"type": "filter", "match": "all",
     "conditions": [{"field": "body.total_price", "op": "gt", "value": 1000}]},
    {"type": "send_email", "account": "office", "to": "warehouse@example.com",
     "subject": "New order {{ body.name }}", "body": "Order {{ body.name }}"},
    {"type": "append_sheet", "account": "", "spreadsheet": "", "sheet": "Orders",
     "columns": {"Order": "{{ body.name }}"}},
    {"type": "append_file", "path": "~/Documents/orders.xlsx", "sheet": "Orders",
     "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}"}},
    {"type": "http_request", "method": "POST", "url": "https://example.com/hook",
     "headers": {"X-Shop": "1"}},
    {"type": "notify_chat", "service": "slack", "secret": "team-chat",
     "message": "{{ body.name }}"},
    {"type": "line_reply", "token": "line-bot", "text": "Thanks!"},
    {"type": "desktop_notice", "title": "New order", "text": "{{ body.name }}"},
]


# -- what a keyboard and a screen reader meet ----------------------------------------------

def focus_target(widget: QWidget) -> QWidget:
    """The widget that really gets the focus when Tab stops on `widget`."""
    while widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget


def is_tab_stop(widget: QWidget, window: QWidget) -> bool:
    """What Qt's Tab stops on: shown, enabled, and taking Tab (itself or through a proxy)."""
    target = focus_target(widget)
    return (widget.isVisibleTo(window) and widget.isEnabled() and target.isEnabled()
            and (target.focusPolicy() & Qt.FocusPolicy.TabFocus) == Qt.FocusPolicy.TabFocus)


def controls(window: QMainWindow) -> list[QWidget]:
    """Every control of the window a person could Tab to now: shown, enabled, taking Tab."""
    found: list[QWidget] = []
    for widget in window.findChildren(QWidget):
        target = focus_target(widget)
        if widget.window() is window and is_tab_stop(widget, window) and target not in found:
            found.append(target)
    return found


def press_tab_around(qtbot: Any, window: QMainWindow) -> list[QWidget]:
    """Press Tab as a person does until the focus comes back where it started."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    first = QApplication.focusWidget()
    visited = [first]
    for _ in range(600):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is first:
            return visited
        assert widget not in visited, f"Tab goes round without coming back to {first}"
        visited.append(widget)
    raise AssertionError("Tab never came back to where it started")


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader says for a control, as Qt gives it (not a field's value)."""
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return widget.text().replace("&", "").strip()
    parent = widget.parentWidget()
    if parent is not None:  # a label whose buddy it is, or the group box it sits in
        for label in parent.findChildren(QLabel,
                                         options=Qt.FindChildOption.FindDirectChildrenOnly):
            if label.buddy() is widget and label.text().strip():
                return label.text().strip()
        if isinstance(parent, QGroupBox) and parent.title().strip():
            return parent.title().strip()
    return ""


def describe(widget: QWidget) -> str:
    window = widget.window()
    where = widget.mapTo(window, widget.rect().topLeft())
    return f"{type(widget).__name__} at {where.x()},{where.y()} {widget.toolTip()[:40]!r}"


def unnamed(stops: list[QWidget]) -> list[str]:
    return [describe(widget) for widget in stops if not spoken_name(widget)]


def global_rect(widget: QWidget) -> QRect:
    """Where `widget` sits on the screen as laid out, a scrolled area taken as scrolled to
    its top (Tab scrolls each stop into view; the order is the layout's)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea) and parent.widget() is not None and (
            parent.widget() is widget or parent.widget().isAncestorOf(widget)):
        content = parent.widget()
        top_left = parent.viewport().mapToGlobal(QPoint(0, 0)) + widget.mapTo(content, QPoint(0, 0))
        return QRect(top_left, widget.size())
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def reads_before(first: QWidget, second: QWidget) -> bool:
    """True when `first` comes before `second` left to right, top to bottom.

    Two widgets on one line (their heights overlap) read by x; a list and the switches on
    its rows overlap it, so they come after the list itself.
    """
    a, b = global_rect(first), global_rect(second)
    if a.top() <= b.bottom() and b.top() <= a.bottom():
        return a.left() <= b.left()
    return a.top() < b.top()


def out_of_order(stops: list[QWidget]) -> list[str]:
    return [f"{describe(a)} → {describe(b)}" for a, b in pairwise(stops)
            if not reads_before(a, b)]


def assert_reachable_and_named(qtbot: Any, window: QMainWindow, what: str) -> list[QWidget]:
    """Tab reaches every control of the window, each has a name; the stops in Tab's order,
    from the first page button on."""
    pressed = press_tab_around(qtbot, window)
    missed = [describe(widget) for widget in controls(window) if widget not in pressed]
    assert missed == [], what + "\n" + "\n".join(missed)
    assert unnamed(pressed) == [], what + "\n" + "\n".join(unnamed(pressed))
    start = pressed.index(window.nav)
    return pressed[start:] + pressed[:start]


def inside(stops: list[QWidget], area: QWidget) -> list[QWidget]:
    return [widget for widget in stops if area.isAncestorOf(widget)]


# -- a rule with one card of every kind ------------------------------------------------------

def open_rule(app: Any, qtbot: Any, steps: list[dict[str, Any]], rule_id: str = "r_all",
              name: str = "Shop orders") -> Any:
    page = app.window.rules_page
    call(app, qtbot, lambda s: s.set_account("office", SMTP))
    raw = {"id": rule_id, "name": name, "enabled": True,
           "trigger": {"type": "webhook", "token": new_token()}, "steps": steps}
    call(app, qtbot, lambda s: s.upsert_rule(raw))
    app.window.show_page("rules")
    page.refresh(select=rule_id)
    qtbot.waitUntil(lambda: page.draft is not None and page.draft.id == rule_id
                    and page.context.accounts_of_kind("smtp") == ["office"], timeout=10000)
    page.samples.use_shipped(rule_id, "shopify_order")
    qtbot.waitUntil(lambda: page.context.has_sample, timeout=5000)
    return page


def test_every_control_of_the_rules_page_is_a_named_tab_stop_in_reading_order(
        bellhop_app: Any, qtbot: Any) -> None:
    window = bellhop_app.window
    page = open_rule(bellhop_app, qtbot, EVERY_CARD)
    page.builder.palette_toggle.setChecked(True)  # the card list too
    for index in [TRIGGER, *range(len(EVERY_CARD))]:
        page.chain.select(index)
        form = page.inspector.form
        qtbot.waitUntil(lambda form=form: form is None or form.isVisible(), timeout=3000)
        if form is not None and hasattr(form, "more_toggle"):
            form.more_toggle.setChecked(True)  # "More settings" shows its fields too
        what = f"card {index}"
        stops = assert_reachable_and_named(qtbot, window, what)
        switch = page.rule_list.rows["r_all"].switch
        assert switch in stops and spoken_name(switch) == "Rule on: Shop orders"
        # Columns in reading order: the pages, the rule list, the builder, the card's settings.
        areas = [window.nav, page.rule_list, page.builder, page.inspector, window.statusBar()]
        order = [next(i for i, area in enumerate(areas)
                      if area is widget or area.isAncestorOf(widget)) for widget in stops]
        assert order == sorted(order), what + "\n" + "\n".join(
            f"{n} {describe(widget)}" for n, widget in zip(order, stops, strict=True))
        assert out_of_order(inside(stops, page.rule_list)) == [], what
        assert out_of_order(inside(stops, page.builder)) == [], what
        assert out_of_order(inside(stops, page.inspector)) == [], what
        if form is not None:  # each field of the form is a stop, and still takes a click
            fields = [row.editor.focusProxy() for row in form.rows.values()
                      if row.editor.focusProxy() is not None and row.editor.isVisible()]
            assert fields, what
            for field in fields:
                assert field in stops, (what, describe(field))
                assert field.focusPolicy() & Qt.FocusPolicy.ClickFocus, (what, describe(field))
    assert page.chain.end.button in stops
    assert all(gap.button in stops for gap in page.chain.gaps)
    # Shift+Tab goes the same way back.
    window.nav.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(window.nav, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is stops[-1]
    QTest.keyClick(stops[-1], Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is stops[-2]
    assert all(card.more in stops for card in page.chain.cards)


def test_the_empty_rules_page_activity_accounts_and_settings_too(
        bellhop_app: Any, qtbot: Any) -> None:
    window = bellhop_app.window
    page = window.rules_page
    qtbot.waitUntil(lambda: page.centre.currentWidget() is page.empty, timeout=5000)
    stops = assert_reachable_and_named(qtbot, window, "empty rules page")
    assert page.empty.button in stops
    open_rule(bellhop_app, qtbot, [{"type": "filter", "match": "all", "conditions": [
        {"field": "body.total_price", "op": "gt", "value": 1000}]}])
    url = page.summaries["r_all"].url
    request = urllib.request.Request(url, data=b'{"total_price": "300.00"}', method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        event_id = str(json.loads(answer.read())["event_id"])
    window.show_page("activity")
    activity = window.activity_page
    qtbot.waitUntil(lambda: activity.model.rowCount() == 1, timeout=10000)
    activity.select_event(event_id)  # the event's story and its buttons on the right
    qtbot.waitUntil(lambda: activity.detail.shown is not None, timeout=5000)
    for name, page_widget in (("activity", window.activity_page),
                              ("accounts", window.accounts_page),
                              ("settings", window.settings_page)):
        window.show_page(name)
        qtbot.wait(50)
        stops = assert_reachable_and_named(qtbot, window, name)
        assert inside(stops, page_widget), name
        if name != "accounts":  # two columns there: Tab reads one, then the other
            assert out_of_order(inside(stops, page_widget)) == [], name


def test_names_are_said_in_traditional_chinese(qtbot: Any, qapp: Any, home: Path) -> None:
    app = start_bellhop(qtbot, qapp, home, "zh_TW")
    try:
        window = app.window
        page = open_rule(app, qtbot, EVERY_CARD[:4], name="門市訂單")
        english = {source for source, text in catalogue().items() if text != source}
        for index in [TRIGGER, 0, 1, 3]:
            page.chain.select(index)
            form = page.inspector.form
            qtbot.waitUntil(lambda form=form: form is None or form.isVisible(), timeout=3000)
            stops = assert_reachable_and_named(qtbot, window, f"card {index}")
            left = sorted({spoken_name(widget) for widget in stops} & english)
            assert left == [], left
        switch = page.rule_list.rows["r_all"].switch
        assert spoken_name(switch) == "啟用規則：門市訂單"
    finally:
        stop_bellhop(app, qapp)


# -- the chain by keyboard ------------------------------------------------------------------

def types(page: Any) -> list[str]:
    return [card.action.type for card in page.chain.cards]


def test_cards_are_selected_moved_removed_and_added_with_keys(
        bellhop_app: Any, qtbot: Any) -> None:
    page = open_rule(bellhop_app, qtbot, EVERY_CARD[:3])
    chain, canvas = page.chain, page.chain.canvas
    window = bellhop_app.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    chain.select(TRIGGER)
    canvas.setFocus()
    assert chain.trigger_card.property("focused") is True  # the keys' card is marked
    QTest.keyClick(canvas, Qt.Key.Key_Down)
    assert chain.selected == 0 and page.inspector.index == 0
    assert "1. Only continue if" in canvas.accessibleDescription()
    QTest.keyClick(canvas, Qt.Key.Key_End)
    assert chain.selected == 2
    QTest.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert types(page) == ["filter", "append_sheet", "send_email"] and chain.selected == 1
    QTest.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert types(page) == ["filter", "send_email", "append_sheet"] and chain.selected == 2
    QTest.keyClick(canvas, Qt.Key.Key_Home)
    assert chain.selected == TRIGGER

    # Delete removes the card, says how to bring it back, and Ctrl+Z does.
    chain.select(1)
    QTest.keyClick(canvas, Qt.Key.Key_Delete)
    assert types(page) == ["filter", "append_sheet"]
    assert "Removed “2. Send email”" in page.builder.message.text()
    assert "Ctrl+Z" in page.builder.message.text()
    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert types(page) == ["filter", "send_email", "append_sheet"]

    # Insert opens the "+" menu under the selected card: type, Down, Enter adds once.
    chain.select(0)
    QTest.keyClick(canvas, Qt.Key.Key_Insert)
    menu = chain.add_menu
    assert menu is not None and menu.isVisible()
    assert QApplication.focusWidget() is menu.search
    QTest.keyClicks(menu.search, "sheet")
    assert menu.type_names() == ["append_sheet", "append_file"]
    QTest.keyClick(menu.search, Qt.Key.Key_Down)
    QTest.keyClick(menu.search, Qt.Key.Key_Return)
    assert not menu.isVisible()
    assert types(page) == ["filter", "append_file", "send_email", "append_sheet"]
    assert chain.selected == 1 and QApplication.focusWidget() is canvas
    page.builder.undo_action.trigger()
    assert types(page) == ["filter", "send_email", "append_sheet"]

    # Escape closes the menu and adds nothing; a search that finds nothing says so.
    QTest.keyClick(canvas, Qt.Key.Key_Insert)
    menu = chain.add_menu
    QTest.keyClicks(menu.search, "zzz")
    assert menu.type_names() == [] and menu.nothing.isVisible()
    assert "zzz" in menu.nothing.text()
    QTest.keyClick(menu.search, Qt.Key.Key_Return)
    QTest.keyClick(menu.search, Qt.Key.Key_Escape)
    assert not menu.isVisible()
    assert types(page) == ["filter", "send_email", "append_sheet"]

    # The "+" after the trigger, reached with Tab, opens with Space: the card goes first.
    gap = chain.gaps[0].button
    gap.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(gap, Qt.Key.Key_Space)
    menu = chain.add_menu
    assert menu.isVisible()
    QTest.keyClicks(menu.search, "notice")
    QTest.keyClick(menu.search, Qt.Key.Key_Enter)
    assert types(page) == ["desktop_notice", "filter", "send_email", "append_sheet"]


def test_the_card_menu_moves_duplicates_and_removes(bellhop_app: Any, qtbot: Any) -> None:
    page = open_rule(bellhop_app, qtbot, EVERY_CARD[:3])
    chain = page.chain

    def entries(index: int) -> dict[str, Any]:
        menu = chain.card_menu(index)
        found = {action.text(): action for action in menu.actions()}
        menu.deleteLater()
        return found

    first = entries(0)
    assert not first["Move up"].isEnabled() and first["Move down"].isEnabled()
    assert first["Move down"].shortcut().toString() == "Ctrl+Down"
    first["Move down"].trigger()
    assert types(page) == ["send_email", "filter", "append_sheet"]
    entries(2)["Duplicate"].trigger()
    assert types(page) == ["send_email", "filter", "append_sheet", "append_sheet"]
    assert page.draft.steps[3] == page.draft.steps[2]
    entries(3)["Remove"].trigger()
    assert types(page) == ["send_email", "filter", "append_sheet"]
    # The "⋯" button of a card opens the same menu (a person's click).
    shown: list[QMenu] = []
    chain.card_menu = lambda index, make=chain.card_menu: shown.append(make(index)) or shown[-1]
    qtbot.mouseClick(chain.cards[1].more, Qt.MouseButton.LeftButton)
    assert shown and shown[0].isVisible() and chain.selected == 1
    shown[0].close()


def test_the_card_list_choice_is_kept_in_settings(bellhop_app: Any, qtbot: Any,
                                                  home: Path) -> None:
    window = bellhop_app.window
    page = open_rule(bellhop_app, qtbot, EVERY_CARD[:2])
    builder = page.builder
    window.resize(1366, 720)
    qtbot.waitUntil(lambda: not builder.palette.isVisibleTo(window), timeout=3000)
    window.resize(1366, 1000)  # a tall window has room for the card list and the cards
    qtbot.waitUntil(lambda: builder.palette.isVisibleTo(window), timeout=3000)
    window.resize(1366, 720)
    qtbot.waitUntil(lambda: not builder.palette.isVisibleTo(window), timeout=3000)
    qtbot.mouseClick(builder.palette_toggle, Qt.MouseButton.LeftButton)
    assert builder.palette.isVisible()
    settings = home / "settings.json"
    qtbot.waitUntil(lambda: settings.exists() and json.loads(
        settings.read_text(encoding="utf-8")).get("card_palette") == "shown", timeout=5000)
    window.resize(1366, 600)  # the person's choice wins over the window's height
    qtbot.wait(50)
    assert builder.palette.isVisible()
    builder.set_palette_choice("nonsense")  # a hand-edited file: treated as "auto"
    assert builder.palette_choice == "auto" and not builder.palette.isVisible()


@pytest.mark.parametrize("choice", ["shown", "hidden"])
def test_a_new_window_opens_with_the_saved_card_list_choice(
        qtbot: Any, qapp: Any, home: Path, choice: str) -> None:
    from bellhop.core.platform.settings import Settings, save_settings
    from helpers import start_app, stop_app

    save_settings(home / "settings.json", Settings(card_palette=choice))
    app = start_app(qtbot, qapp, home)
    try:
        builder = app.window.rules_page.builder
        app.window.resize(1366, 1000 if choice == "hidden" else 600)
        qtbot.waitUntil(lambda: builder.palette_choice == choice, timeout=5000)
        assert builder.palette_toggle.isChecked() == (choice == "shown")
        assert builder.palette.isVisibleTo(builder) == (choice == "shown")
    finally:
        stop_app(app)
