"""The tunnel in the window: the status chip, 'Check my URL', Copy, and the tray's notice
when the public address changes. The fake ngrok agent stands in for ngrok; nothing downloads.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from pyngrok import installer
from PySide6.QtGui import QGuiApplication

from bellhop.core.events import TunnelChanged
from bellhop.core.running.rules import new_token
from fakes.fake_ngrok import write_agent
from helpers import start_app, stop_app, wait_for


def engine_call(app: Any, qtbot: Any, fn: Any) -> Any:
    answers: list[Any] = []
    app.bridge.call_plain(fn, answers.append, answers.append)
    wait_for(qtbot, lambda: answers)
    return answers[0]


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

    # The Rules page shows the new address and marks the rule until its address is copied.
    rules = app.window.rules_page
    wait_for(qtbot, lambda: rules.summaries.get("shop") is not None
             and rules.summaries["shop"].url.startswith(second))
    row = rules.rule_list.rows["shop"]
    assert rules.summaries["shop"].address_changed
    assert row.count.text() == "⚠ New address"
    rules.open_rule("shop")
    card = rules.chain.trigger_card
    assert card.url.full_text().startswith(second) and not card.moved.isHidden()
    card.copy.click()
    assert QGuiApplication.clipboard().text() == f"{second}/hooks/{raw['trigger']['token']}"
    assert card.moved.isHidden() and not rules.summaries["shop"].address_changed
    assert row.count.text().startswith("Events today")


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
    chip.show_state(TunnelChanged(state="connecting"))
    assert chip.label.text() == "● Connecting…" and "b26a00" in chip.label.styleSheet()
    chip.show_state(TunnelChanged(state="down", reason="The tunnel program stopped."))
    assert chip.label.text() == "● Tunnel down: The tunnel program stopped."
    assert "c62828" in chip.label.styleSheet()
    assert not chip.copy_button.isEnabled()


def accounts_tunnel(app: Any, qtbot: Any) -> Any:
    app.window.show_tunnel_setup()
    form = app.window.accounts_page.tunnel_form
    wait_for(qtbot, lambda: form.status.text() != "")
    return form


def test_the_tunnel_is_set_up_from_the_accounts_page(
        bellhop_app: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        memory_keyring: Any) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("pyngrok tried to download ngrok")

    monkeypatch.setattr(installer, "install_ngrok", refuse)
    for name in ("FAKE_NGROK_FAIL_AUTH", "FAKE_NGROK_DIE_AFTER", "BELLHOP_NGROK_PATH",
                 "FAKE_NGROK_URL_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FAKE_NGROK_LOG", str(tmp_path / "agent.log"))
    agent = write_agent(tmp_path / "bin")
    app = bellhop_app
    raw = {"id": "shop", "name": "Shop", "enabled": True,
           "trigger": {"type": "webhook", "token": new_token()},
           "steps": [{"type": "filter", "conditions": [
               {"field": "body.n", "op": "ge", "value": 0}]}]}
    engine_call(app, qtbot, lambda s: s.upsert_rule(raw))
    chip = app.window.tunnel_chip
    assert chip.setup_button.isVisibleTo(chip) and chip.setup_button.text() == "Set up…"
    chip.setup_button.click()
    assert app.window.pages.currentWidget() is app.window.accounts_page
    form = accounts_tunnel(app, qtbot)
    assert form.status.text().startswith("● Off")
    assert not form.fields.isEnabled()

    # Turning it on without an authtoken says what is missing and saves nothing.
    form.enabled.setChecked(True)
    assert form.fields.isEnabled()
    form.save_button.click()
    assert "authtoken first" in form.feedback.text()
    assert engine_call(app, qtbot, lambda s: s.settings.tunnel) == "none"

    form.token.setText("2bXkq8s_not-a-real-token_0123456789abcdef")
    form.domain.setText("https://my-shop.ngrok-free.app/orders")
    form.save_button.click()
    assert "only the name" in form.feedback.text()  # a path is not a domain

    form.domain.setText("")
    form.region.setCurrentIndex(form.region.findData("jp"))
    form.program.setText(str(agent))
    form.save_button.click()
    wait_for(qtbot, lambda: form.feedback.text() == "Saved.")
    wait_for(qtbot, lambda: chip.state == "up", timeout=15000)
    assert form.status.text() == f"● Open at {chip.public_url}"
    settings = engine_call(app, qtbot, lambda s: s.settings)
    assert (settings.tunnel, settings.ngrok_region, settings.ngrok_path) == \
        ("ngrok", "jp", str(agent))
    assert memory_keyring.get_password("bellhop", "ngrok") == \
        "2bXkq8s_not-a-real-token_0123456789abcdef"
    assert form.token.text() == "" and "Saved in the keychain" in form.token.placeholderText()
    settings_file = (app.bridge.service.home / "settings.json").read_text()
    assert "2bXkq8s" not in settings_file  # the token lives only in the keychain
    rules = app.window.rules_page
    wait_for(qtbot, lambda: rules.summaries.get("shop") is not None
             and rules.summaries["shop"].url.startswith(chip.public_url or "?"))
    assert not rules.summaries["shop"].address_changed  # first public address: nothing moved

    # Off again: local addresses, the agent gone.
    form.enabled.setChecked(False)
    form.save_button.click()
    wait_for(qtbot, lambda: chip.state == "off")
    wait_for(qtbot, lambda: rules.summaries["shop"].url.startswith("http://127.0.0.1:"))
    wait_for(qtbot, lambda: "only on this computer" in form.feedback.text())
    assert engine_call(app, qtbot, lambda s: s.tunnel.kind) == "none"


def test_the_download_progress_shows_on_the_form_and_the_chip(bellhop_app: Any) -> None:
    form = bellhop_app.window.accounts_page.tunnel_form
    chip = bellhop_app.window.tunnel_chip
    data = TunnelChanged(state="connecting", progress=42,
                         reason="Downloading the tunnel program (42 %)…")
    form.show_state(data)
    chip.show_state(data)
    assert not form.progress.isHidden() and form.progress.value() == 42
    assert form.status.text() == "● Downloading the tunnel program (42 %)…"
    assert chip.label.text() == "● Downloading the tunnel program (42 %)…"
    form.show_state(TunnelChanged(state="down", reason="Could not download the tunnel program."))
    assert form.progress.isHidden() and not form.retry_button.isHidden()
    chip.show_state(TunnelChanged(state="down", reason="x"))
    assert chip.setup_button.text() == "Fix…"


def test_the_keychain_is_asked_about_the_token_only_once_the_tunnel_form_is_seen(
        qtbot: Any, qapp: Any, home: Path, memory_keyring: Any) -> None:
    # Asking the keychain loads its backends (some 8 MB): a session that never opens
    # Accounts and has no tunnel should not pay for it.
    from bellhop.core.platform.secrets import SERVICE
    from bellhop.core.services.tunnel import NGROK_SECRET

    memory_keyring.set_password(SERVICE, NGROK_SECRET, "2abc_saved-token")
    asked: list[str] = []
    original = memory_keyring.get_password

    def spy(service: str, name: str) -> str | None:
        asked.append(name)
        return original(service, name)

    memory_keyring.get_password = spy
    app = start_app(qtbot, qapp, home)
    try:
        form = app.window.accounts_page.tunnel_form
        wait_for(qtbot, lambda: form.status.text() != "")  # loaded, unseen
        assert NGROK_SECRET not in asked and not form.isVisible()
        form = accounts_tunnel(app, qtbot)
        wait_for(qtbot, lambda: form.token_saved)
        assert NGROK_SECRET in asked
        assert "Saved in the keychain" in form.token.placeholderText()
    finally:
        stop_app(app)
