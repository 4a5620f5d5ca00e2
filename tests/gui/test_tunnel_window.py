"""The tunnel in the window: the status chip, 'Check my URL', Copy, and the tray's notice
when the public address changes. The fake ngrok agent stands in for ngrok; nothing downloads.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyngrok import installer
from PySide6.QtGui import QGuiApplication

from bellhop.core import paths
from bellhop.core.rules import new_token
from bellhop.core.settings import Settings, save_settings
from fakes.fake_ngrok import write_agent
from helpers import start_app, stop_app, wait_for


def engine_call(app: Any, qtbot: Any, fn: Any) -> Any:
    answers: list[Any] = []
    app.bridge.call_plain(fn, answers.append, answers.append)
    wait_for(qtbot, lambda: answers)
    return answers[0]


@pytest.fixture
def tunnel_app(qtbot: Any, home: Path, qapp: Any, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A started BellhopApp whose settings ask for ngrok, run by the fake agent."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("pyngrok tried to download ngrok")

    monkeypatch.setattr(installer, "install_ngrok", refuse)
    for name in ("FAKE_NGROK_FAIL_AUTH", "FAKE_NGROK_DIE_AFTER", "BELLHOP_NGROK_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FAKE_NGROK_URL_FILE", str(tmp_path / "urls"))
    agent = write_agent(tmp_path / "bin")
    save_settings(paths.settings_file(home), Settings(tunnel="ngrok", ngrok_path=str(agent)))
    app = start_app(qtbot, qapp, home)
    yield app
    stop_app(app)


def test_the_chip_shows_the_public_url_checks_it_and_follows_a_restart(
        tunnel_app: Any, qtbot: Any) -> None:
    app = tunnel_app
    chip = app.window.tunnel_chip
    wait_for(qtbot, lambda: chip.state == "up", timeout=15000)
    first = chip.public_url
    assert first and first.startswith("http://127.0.0.1:")
    assert chip.label.text() == f"● Public: {first}"
    assert "2e7d32" in chip.label.styleSheet()  # green
    assert chip.check_button.isEnabled() and chip.copy_button.isEnabled()

    chip.copy_button.click()
    assert QGuiApplication.clipboard().text() == first

    with qtbot.waitSignal(chip.checked, timeout=10000) as checked:
        chip.check_button.click()
    ok, message = checked.args
    assert ok and "can reach Bellhop" in message and " ms " in message
    assert chip.result.text() == message

    # The tray copies a rule's public address.
    raw = {"id": "shop", "name": "Shop", "enabled": True,
           "trigger": {"type": "webhook", "token": new_token()},
           "steps": [{"type": "filter", "conditions": [
               {"field": "body.n", "op": "ge", "value": 0}]}]}
    engine_call(app, qtbot, lambda s: s.upsert_rule(raw))
    app.tray.refresh_rules()
    wait_for(qtbot, lambda: app.tray.links and app.tray.links[0][1].startswith(first))
    app.tray.copy_url(app.tray.links[0][1])
    assert QGuiApplication.clipboard().text() == f"{first}/hooks/{raw['trigger']['token']}"

    # The agent dies: the chip leaves green, comes back with a new address, the tray tells.
    seen: list[str] = []
    chip.stateChanged.connect(seen.append)
    notices: list[tuple[str, str, str]] = []
    app.tray.notified.connect(lambda *args: notices.append(args))
    pid = engine_call(app, qtbot, lambda s: s.tunnel.agent_pid)
    assert pid
    os.kill(pid, signal.SIGKILL)
    wait_for(qtbot, lambda: any(state in ("down", "connecting") for state in seen))
    wait_for(qtbot, lambda: chip.state == "up" and chip.public_url != first, timeout=15000)
    second = chip.public_url
    assert chip.label.text() == f"● Public: {second}"
    changed = [n for n in notices if "addresses changed" in n[1]]
    assert len(changed) == 1
    assert "Shopify/LINE" in changed[0][1]
    wait_for(qtbot, lambda: app.tray.links and app.tray.links[0][1].startswith(second))


def test_without_a_tunnel_the_chip_says_only_on_this_computer(
        bellhop_app: Any, qtbot: Any) -> None:
    chip = bellhop_app.window.tunnel_chip
    answers: list[Any] = []
    bellhop_app.bridge.call_plain(lambda s: s.tunnel.state, answers.append)
    wait_for(qtbot, lambda: answers)
    assert answers == ["off"]
    assert chip.state == "off"
    assert chip.label.text() == "● Only on this computer"
    assert "only work on this computer" in chip.label.toolTip()
    assert not chip.copy_button.isEnabled() and not chip.check_button.isEnabled()


def test_the_chip_colours_follow_the_state(bellhop_app: Any) -> None:
    chip = bellhop_app.window.tunnel_chip
    chip.show_state({"state": "connecting", "public_url": None, "reason": ""})
    assert chip.label.text() == "● Connecting…" and "b26a00" in chip.label.styleSheet()
    chip.show_state({"state": "down", "public_url": None,
                     "reason": "The tunnel program stopped."})
    assert chip.label.text() == "● Tunnel down: The tunnel program stopped."
    assert "c62828" in chip.label.styleSheet()
    assert not chip.copy_button.isEnabled()
