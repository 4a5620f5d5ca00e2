"""The first-run welcome: shown once beside the window, three steps that go somewhere, Help.

With BELLHOP_UPDATE_SCREENSHOTS=1 the welcome in both languages is copied to
docs/screenshots/ for the README.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from test_screenshots import DOCS, save_screenshot
from test_translations import stop_bellhop

from bellhop.core.platform import paths
from bellhop.core.platform.settings import Settings, save_settings
from bellhop.core.running.rules import new_token
from bellhop.ui.rules.gallery import NewRuleDialog
from helpers import start_app, stop_app, wait_for


def seen(home: Path) -> bool:
    path = paths.settings_file(home)
    return path.exists() and json.loads(path.read_text(encoding="utf-8")).get("welcome_seen")


def test_first_start_shows_the_welcome_once_and_skip_remembers_it(
        qtbot: Any, qapp: Any, home: Path) -> None:
    app = start_app(qtbot, qapp, home, welcome=True)
    try:
        wait_for(qtbot, lambda: app.window.welcome is not None and app.window.welcome.isVisible())
        welcome = app.window.welcome
        assert not welcome.isModal()  # the window stays usable; nothing waits on it
        assert app.window.isEnabled()
        assert set(welcome.buttons) == {"tunnel", "template", "test"}
        assert not seen(home)
        welcome.skip_button.click()
        wait_for(qtbot, lambda: seen(home))
        assert not welcome.isVisible()
    finally:
        stop_app(app)
    again = start_app(qtbot, qapp, home, welcome=True)  # the second start: no welcome
    try:
        qtbot.wait(300)
        assert again.window.welcome is None
    finally:
        stop_app(again)


def test_help_reopens_it_and_each_step_goes_where_it_says(
        bellhop_app: Any, qtbot: Any, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = bellhop_app.window
    assert window.welcome is None  # tests start with the welcome already seen
    help_menu = window.menuBar().actions()[0].menu()
    assert window.welcome_action in help_menu.actions()
    window.welcome_action.trigger()
    assert window.welcome is not None and window.welcome.isVisible()

    window.welcome.buttons["tunnel"].click()
    assert not window.welcome.isVisible()
    assert window.pages.currentWidget() is window.accounts_page
    wait_for(qtbot, lambda: seen(home))

    opened: list[NewRuleDialog] = []
    monkeypatch.setattr(NewRuleDialog, "exec",
                        lambda dialog: opened.append(dialog) or QDialog.DialogCode.Rejected)
    window.welcome_action.trigger()
    window.welcome.buttons["template"].click()
    assert window.pages.currentWidget() is window.rules_page
    wait_for(qtbot, lambda: len(opened) == 1)  # the template gallery

    window.welcome_action.trigger()
    window.welcome.buttons["test"].click()  # no rule yet: says what to do first
    assert "New rule" in window.rules_page.builder.message.text()

    raw = {"id": "r1", "name": "Orders", "enabled": True,
           "trigger": {"type": "webhook", "token": new_token()}, "steps": []}
    answers: list[Any] = []
    bellhop_app.bridge.call_plain(lambda s: s.upsert_rule(raw), answers.append)
    wait_for(qtbot, lambda: answers)
    window.rules_page.refresh(select="r1")
    wait_for(qtbot, lambda: window.rules_page.draft is not None)
    window.welcome_action.trigger()
    window.welcome.buttons["test"].click()
    listen = window.rules_page.inspector.trigger.listen_button
    wait_for(qtbot, lambda: listen.isChecked() and listen.isVisible())


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_the_welcome_speaks_the_users_language(qtbot: Any, qapp: Any, home: Path,
                                               language: str, artifacts: Path) -> None:
    save_settings(paths.settings_file(home), Settings(language=language))
    app = start_app(qtbot, qapp, home, welcome=True)
    try:
        wait_for(qtbot, lambda: app.window.welcome is not None and app.window.welcome.isVisible())
        welcome = app.window.welcome
        expected = "歡迎使用 Bellhop" if language == "zh_TW" else "Welcome to Bellhop"
        assert welcome.windowTitle() == expected
        if language == "zh_TW":
            assert "略過" in welcome.skip_button.text()
        qtbot.wait(200)
        path = artifacts / f"screenshot_welcome_{language}.png"
        save_screenshot(welcome, path)
        if os.environ.get("BELLHOP_UPDATE_SCREENSHOTS") == "1":
            DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, DOCS / path.name)
    finally:
        stop_bellhop(app, qapp)
