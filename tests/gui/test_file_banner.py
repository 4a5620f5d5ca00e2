"""A mistake in rules.json shows as a banner in the window and a tray notice, until fixed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from bellhop.core.running.rules import new_token
from helpers import start_app, stop_app, wait_for


def good_rules() -> str:
    return json.dumps({"version": 1, "rules": [{
        "id": "r1", "name": "Orders", "enabled": True,
        "trigger": {"type": "webhook", "token": new_token()}, "steps": []}]})


def write_later(path: Path, text: str) -> None:
    """Write and push the mtime forward, so the 2-second watcher sees a change."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_mistake_while_running_shows_a_banner_and_a_notice(
        bellhop_app: Any, qtbot: Any, home: Path, artifacts: Path) -> None:
    window, tray = bellhop_app.window, bellhop_app.tray
    notes: list[tuple[str, str, str]] = []
    tray.notified.connect(lambda *note: notes.append(note))
    banner = window.file_banner
    assert banner.isHidden()
    rules_file = home / "rules.json"
    write_later(rules_file, good_rules())
    wait_for(qtbot, lambda: window.rules_page.rule_list.list.count() == 1, timeout=15000)

    write_later(rules_file, '{"version": 1, "rules": [\n  {"id": "r1",, }\n]}')
    wait_for(qtbot, lambda: banner.isVisible(), timeout=15000)
    assert banner.title.text() == "rules.json: a mistake to fix"
    assert banner.text.text() == (
        "rules.json, line 2, column 15: a name in double quotes is expected here (or there "
        "is a comma too many before it). Bellhop keeps running the rules it had until the "
        "file is fixed.")
    wait_for(qtbot, lambda: notes)
    assert notes[-1][0] == "rules.json has a mistake" and "line 2, column 15" in notes[-1][1]
    assert window.rules_page.rule_list.list.count() == 1  # the rule is still there and runs
    folders: list[str] = []
    banner.folderRequested.disconnect()
    banner.folderRequested.connect(folders.append)
    banner.open_button.click()
    assert folders == [str(home)]
    window.grab().save(str(artifacts / "file_banner_en.png"))

    write_later(rules_file, good_rules())
    wait_for(qtbot, lambda: banner.isHidden(), timeout=15000)


def test_a_mistake_found_at_start_is_shown_when_the_window_opens(
        qtbot: Any, qapp: Any, home: Path) -> None:
    (home / "rules.json").write_text('{"version": 1, "rules": [', encoding="utf-8")
    app = start_app(qtbot, qapp, home)
    try:
        banner = app.window.file_banner
        wait_for(qtbot, lambda: banner.isVisible())
        assert "started without the rules in it" in banner.text.text()
        assert (home / "rules.json").read_text(encoding="utf-8") == '{"version": 1, "rules": ['
    finally:
        stop_app(app)
