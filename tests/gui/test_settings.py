"""The Settings page: changes are saved to settings.json through the engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices

from bellhop.core import i18n
from bellhop.core.platform import paths
from helpers import start_app, stop_app, wait_for
from support.languages import forget_languages, locale_with_japanese


def saved_settings(home: Path) -> dict[str, Any]:
    path = paths.settings_file(home)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def click_box(qtbot: Any, box: Any) -> None:
    """Click a check box or radio button on its indicator, where a person clicks."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def open_page(app: Any, qtbot: Any) -> Any:
    app.window.show_page("settings")
    page = app.window.settings_page
    wait_for(qtbot, lambda: page.isEnabled())
    return page


def test_the_page_shows_the_settings_in_use(bellhop_app: Any, qtbot: Any, home: Path) -> None:
    page = open_page(bellhop_app, qtbot)
    assert page.widgets["language"].currentData() == ""
    assert page.radios[("notify", "failures")].isChecked()
    assert not page.widgets["start_at_login"].isChecked()
    assert page.widgets["port"].value() == 8765
    assert page.folder.text() == str(home)


def test_changes_are_saved_to_settings_json(
        bellhop_app: Any, qtbot: Any, home: Path, artifacts: Path, login_items: Path) -> None:
    page = open_page(bellhop_app, qtbot)
    changes: list[Any] = []
    page.settingsChanged.connect(changes.append)

    click_box(qtbot, page.radios[("notify", "never")])
    wait_for(qtbot, lambda: saved_settings(home).get("notify") == "never")

    language = page.widgets["language"]
    language.setCurrentIndex(language.findData("zh_TW"))
    language.activated.emit(language.currentIndex())
    wait_for(qtbot, lambda: saved_settings(home).get("language") == "zh_TW")
    wait_for(qtbot, lambda: "next time" in page.status.text())

    click_box(qtbot, page.widgets["start_at_login"])
    wait_for(qtbot, lambda: saved_settings(home).get("start_at_login") is True)
    login_item = login_items / "autostart" / "bellhop.desktop"  # XDG_CONFIG_HOME of the test
    assert "Exec=" in login_item.read_text(encoding="utf-8")
    click_box(qtbot, page.widgets["start_at_login"])
    wait_for(qtbot, lambda: saved_settings(home).get("start_at_login") is False)
    assert not login_item.exists()

    port = page.widgets["port"]
    port.setValue(9123)
    port.editingFinished.emit()
    wait_for(qtbot, lambda: saved_settings(home).get("port") == 9123)
    assert port.minimum() == 1024 and port.maximum() == 65535  # bound from the model
    wait_for(qtbot, lambda: "next time" in page.status.text())
    wait_for(qtbot, lambda: changes and changes[-1].port == 9123)
    assert changes[-1].port == 9123 and changes[-1].notify == "never"
    writes = page.widgets["google_writes_per_minute"]
    assert (writes.minimum(), writes.maximum(), writes.value()) == (1, 10_000, 60)
    writes.setValue(300)  # a Workspace project with a higher quota
    writes.editingFinished.emit()
    wait_for(qtbot, lambda: saved_settings(home).get("google_writes_per_minute") == 300)
    # The running engine uses the new notify setting at once (the tray asks it).
    assert bellhop_app.bridge.service.settings.notify == "never"

    qtbot.wait(50)
    shot = artifacts / "settings_page.png"
    assert bellhop_app.window.grab().save(str(shot))
    assert shot.stat().st_size > 20_000  # not blank


def test_open_folder_opens_the_data_home(
        bellhop_app: Any, qtbot: Any, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Any] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    page = open_page(bellhop_app, qtbot)
    qtbot.mouseClick(page.open_folder_button, Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(home)]


def test_a_login_item_that_cannot_be_written_is_said_and_the_box_unticked(
        bellhop_app: Any, qtbot: Any, home: Path, login_items: Path) -> None:
    (login_items / "autostart").write_text("a file where the folder should be")
    page = open_page(bellhop_app, qtbot)
    box = page.widgets["start_at_login"]
    click_box(qtbot, box)
    wait_for(qtbot, lambda: "log in" in page.status.text())
    assert "try again" in page.status.text()
    assert not box.isChecked()
    assert saved_settings(home).get("start_at_login") is not True


def test_a_language_added_as_a_po_file_is_offered_in_its_own_name(
        qtbot: Any, qapp: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locale = locale_with_japanese(tmp_path)
    monkeypatch.setattr(i18n, "locale_dir", lambda: locale)
    forget_languages()
    app = start_app(qtbot, qapp, home)
    try:
        language = open_page(app, qtbot).widgets["language"]
        names = {language.itemData(i): language.itemText(i) for i in range(language.count())}
        assert names == {"": "Same as the system", "en": "English", "ja": "日本語",
                         "zh_TW": "繁體中文"}
        language.setCurrentIndex(language.findData("ja"))
        language.activated.emit(language.currentIndex())
        wait_for(qtbot, lambda: saved_settings(home).get("language") == "ja")
    finally:
        stop_app(app)
        forget_languages()
