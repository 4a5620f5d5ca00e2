"""The window on a laptop (1366×768, maximised: about 1366×720 of window), in both languages:
four cards of a rule in view, nothing cut off, and cards added with the "+" between them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractScrollArea, QApplication
from test_keyboard import open_rule
from test_screenshots import DOCS, save_screenshot
from test_translations import start_bellhop, stop_bellhop

from bellhop.ui.rules.add_card import place_on_screen
from bellhop.ui.rules.problems import TRIGGER

LAPTOP = (1366, 720)
FIVE_CARDS = [  # the trigger and four steps, as a shop owner's rule has them
    {"type": "filter", "match": "all",
     "conditions": [{"field": "body.total_price", "op": "gt", "value": 1000}]},
    {"type": "send_email", "account": "office", "to": "warehouse@example.com",
     "subject": "New order {{ body.name }}", "body": "Order {{ body.name }}"},
    {"type": "append_file", "path": "~/Documents/Bellhop/orders.xlsx", "sheet": "Orders",
     "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}"}},
    {"type": "desktop_notice", "title": "New order {{ body.name }}",
     "text": "{{ body.total_price }}"},
]


@pytest.fixture(params=["en", "zh_TW"])
def laptop(request: Any, qtbot: Any, qapp: Any, home: Path) -> Iterator[tuple[Any, str]]:
    """(BellhopApp, language) with the window at laptop size, the language set before it."""
    app = start_bellhop(qtbot, qapp, home, request.param)
    app.window.resize(*LAPTOP)
    yield app, request.param
    stop_bellhop(app, qapp)


def cards_in_view(page: Any) -> int:
    """How many cards (the trigger's too) the chain's viewport shows whole."""
    chain = page.chain
    viewport = chain.viewport()
    shown = 0
    for card in [chain.trigger_card, *chain.cards]:
        rect = QRect(card.mapTo(viewport, QPoint(0, 0)), card.size())
        shown += viewport.rect().contains(rect)
    return shown


def test_four_cards_of_a_rule_fit_a_laptop_window(laptop: tuple[Any, str], qtbot: Any,
                                                  artifacts: Path) -> None:
    app, language = laptop
    window = app.window
    page = open_rule(app, qtbot, FIVE_CARDS, name="門市訂單" if language == "zh_TW" else
                     "Shop orders")
    page.chain.select(1)  # the email card: its long form fills the inspector
    qtbot.waitUntil(lambda: page.inspector.form is not None
                    and page.inspector.form.isVisible(), timeout=5000)
    assert window.size().toTuple() == LAPTOP
    assert not page.builder.palette.isVisible()  # folded away on a short window
    page.chain.verticalScrollBar().setValue(0)
    qtbot.wait(50)
    assert cards_in_view(page) >= 4
    # Nothing is cut off: the window's content fits, and no main area scrolls sideways.
    hint = window.minimumSizeHint()
    assert hint.width() <= LAPTOP[0] and hint.height() <= LAPTOP[1], hint
    for area in (page.chain, page.inspector, page.rule_list.list):
        assert not area.horizontalScrollBar().isVisible(), type(area).__name__
    assert page.chain.canvas.width() <= page.chain.viewport().width()
    path = artifacts / f"laptop_rules_{language}.png"
    save_screenshot(window, path)
    if os.environ.get("BELLHOP_UPDATE_SCREENSHOTS") == "1":
        shutil.copy(path, DOCS / path.name)
    # The trigger's settings and the other pages fit too.
    page.chain.select(TRIGGER)
    qtbot.wait(50)
    assert not page.inspector.horizontalScrollBar().isVisible()
    for name in ("activity", "accounts", "settings"):
        window.show_page(name)
        qtbot.wait(50)
        hint = window.minimumSizeHint()
        assert hint.width() <= LAPTOP[0] and hint.height() <= LAPTOP[1], (name, hint)
        scrolled = [type(area).__name__ for area in window.pages.currentWidget().findChildren(
            QAbstractScrollArea) if area.isVisible() and area.horizontalScrollBar().isVisible()
            and area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOn]
        assert scrolled == [], (name, scrolled)
        save_screenshot(window, artifacts / f"laptop_{name}_{language}.png")


def test_a_card_is_added_with_the_plus_and_a_click(laptop: tuple[Any, str],
                                                    qtbot: Any, artifacts: Path) -> None:
    app, language = laptop
    page = open_rule(app, qtbot, FIVE_CARDS[:2])
    chain = page.chain
    gap = chain.gaps[1]  # between card 1 (filter) and card 2 (email)
    qtbot.mouseClick(gap.button, Qt.MouseButton.LeftButton)
    menu = chain.add_menu
    assert menu is not None and menu.isVisible()
    screen = (gap.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert screen.contains(menu.frameGeometry()), (menu.frameGeometry(), screen)
    every = menu.type_names()
    assert every[:3] == ["filter", "send_email", "append_sheet"]
    assert "surveycake_answers" not in every  # the hidden card is never offered
    save_screenshot(menu, artifacts / f"laptop_add_menu_{language}.png")
    row = every.index("append_file")
    item_rect = menu.list.visualItemRect(menu.list.item(row))
    qtbot.mouseClick(menu.list.viewport(), Qt.MouseButton.LeftButton, pos=item_rect.center())
    assert not menu.isVisible()
    assert [card.action.type for card in chain.cards] == ["filter", "append_file", "send_email"]
    assert chain.selected == 1 and page.inspector.index == 1
    assert page.draft.dirty
    # The wide "+ Add a card" after the last card adds at the end.
    qtbot.mouseClick(chain.end.button, Qt.MouseButton.LeftButton)
    menu = chain.add_menu
    item = menu.list.item(menu.type_names().index("desktop_notice"))
    qtbot.mouseClick(menu.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=menu.list.visualItemRect(item).center())
    assert [card.action.type for card in chain.cards] == [
        "filter", "append_file", "send_email", "desktop_notice"]
    assert QApplication.activePopupWidget() is None


def test_the_menu_stays_on_the_screen() -> None:
    screen = QRect(0, 0, 1366, 768)
    size = QRect(0, 0, 340, 350).size()
    below = place_on_screen(size, QRect(600, 100, 22, 22), screen)
    assert below == QPoint(600 + 11 - 170, 122)
    above = place_on_screen(size, QRect(600, 700, 22, 22), screen)  # no room below
    assert above.y() == 700 - 350
    corner = place_on_screen(size, QRect(1350, 740, 22, 22), screen)
    assert QRect(corner, size).right() <= screen.right()
    assert screen.contains(QRect(corner, size))
    tiny = place_on_screen(size, QRect(10, 10, 22, 22), QRect(0, 0, 300, 200))
    assert tiny == QPoint(0, 0)  # a screen smaller than the menu: its top left corner
