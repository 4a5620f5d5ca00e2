"""The tray: coalesced notifications, pause and resume, copying a rule's address, opening events.

Offscreen there is no system tray and balloons do nothing, so these tests watch the
tray's own `notified` signal, which fires whenever a balloon would be shown.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

from bellhop.core.events import EngineEvent, EventReceived, RunFinished
from bellhop.core.running.rules import new_token
from helpers import wait_for


def engine_call(app: Any, qtbot: Any, fn: Callable[[Any], Any]) -> Any:
    """Run a plain service call on the engine and wait for its answer."""
    answers: list[Any] = []
    app.bridge.call_plain(fn, answers.append, answers.append)
    wait_for(qtbot, lambda: answers)
    return answers[0]


def add_rule(app: Any, qtbot: Any, name: str, steps: list[dict[str, Any]]) -> str:
    """Save a rule through the engine; its webhook address."""
    raw = {"id": name.lower(), "name": name, "enabled": True,
           "trigger": {"type": "webhook", "token": new_token()}, "steps": steps}
    rule = engine_call(app, qtbot, lambda s: s.upsert_rule(raw))
    return engine_call(app, qtbot, lambda s: s.hook_url(rule))


FILTER = [{"type": "filter", "conditions": [{"field": "body.n", "op": "ge", "value": 0}]}]
# Port 9 (discard) is closed on loopback: the step fails at its one attempt.
BROKEN = [{"type": "http_request", "url": "http://127.0.0.1:9/refund",
           "retry": {"attempts": 1, "first_delay": 0}}]


def post(url: str, count: int = 1) -> None:
    """Deliver `count` webhooks for real, over HTTP."""
    for n in range(count):
        request = urllib.request.Request(url, data=json.dumps({"n": n}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status in (200, 202)


def set_notify(app: Any, qtbot: Any, notify: str) -> None:
    engine_call(app, qtbot, lambda s: s.update_settings(notify=notify))


class EngineLog:
    """Every engine event the window hears, counted by type."""

    def __init__(self, app: Any) -> None:
        self.events: list[EngineEvent] = []
        app.bridge.engineEvents.connect(self.events.extend)

    def count(self, kind: type[EngineEvent]) -> int:
        return sum(1 for seen in self.events if isinstance(seen, kind))


@pytest.fixture
def notes(bellhop_app: Any) -> list[tuple[str, str, str]]:
    """Every notification the tray shows (title, text, event id)."""
    shown: list[tuple[str, str, str]] = []
    bellhop_app.tray.notified.connect(lambda *note: shown.append(note))
    return shown


def test_a_burst_of_events_is_one_notification(
        bellhop_app: Any, qtbot: Any, notes: list[Any]) -> None:
    url = add_rule(bellhop_app, qtbot, "Orders", FILTER)
    set_notify(bellhop_app, qtbot, "all")
    post(url, 50)

    wait_for(qtbot, lambda: notes, timeout=10000)  # the real 3-second window
    qtbot.wait(300)
    assert len(notes) == 1 and not bellhop_app.tray.timer.isActive()
    title, text, event_id = notes[0]
    assert "50" in title and "Orders: 50" in text
    assert event_id.startswith("ev_")


def test_a_failure_names_the_rule_and_opens_its_event(
        bellhop_app: Any, qtbot: Any, notes: list[Any]) -> None:
    tray, window = bellhop_app.tray, bellhop_app.window
    tray.set_coalesce_window(200)
    url = add_rule(bellhop_app, qtbot, "Refunds", BROKEN)
    post(url)  # notify is "failures" by default

    wait_for(qtbot, lambda: notes)
    qtbot.wait(400)
    (note,) = notes
    assert "Refunds" in note[0]
    assert "Could not reach 127.0.0.1" in note[1]

    window.hide()
    tray.icon.messageClicked.emit()
    assert window.isVisible()
    assert window.pages.currentWidget() is window.activity_page


def test_many_failures_are_counted(bellhop_app: Any, qtbot: Any, notes: list[Any]) -> None:
    bellhop_app.tray.set_coalesce_window(1500)
    url = add_rule(bellhop_app, qtbot, "Refunds", BROKEN)
    post(url, 12)
    wait_for(qtbot, lambda: notes)
    qtbot.wait(300)
    assert len(notes) == 1 and "12" in notes[0][0] and "Refunds" in notes[0][1]


def test_notify_never_shows_nothing(bellhop_app: Any, qtbot: Any, notes: list[Any]) -> None:
    bellhop_app.tray.set_coalesce_window(200)
    log = EngineLog(bellhop_app)
    set_notify(bellhop_app, qtbot, "never")
    post(add_rule(bellhop_app, qtbot, "Orders", FILTER), 3)
    post(add_rule(bellhop_app, qtbot, "Refunds", BROKEN), 2)
    wait_for(qtbot, lambda: log.count(RunFinished) == 5)
    qtbot.wait(500)
    assert notes == []


def test_pause_keeps_deliveries_and_resume_runs_them(
        bellhop_app: Any, qtbot: Any) -> None:
    tray = bellhop_app.tray
    log = EngineLog(bellhop_app)
    url = add_rule(bellhop_app, qtbot, "Orders", FILTER)

    with qtbot.waitSignal(tray.pausedChanged, timeout=5000):
        tray.pause_action.trigger()
    assert tray.paused and tray.pause_action.text() == "Resume all rules"
    assert "paused" in tray.icon.toolTip()
    post(url, 3)
    wait_for(qtbot, lambda: log.count(EventReceived) == 3)
    qtbot.wait(300)
    assert log.count(RunFinished) == 0
    stored = bellhop_app.bridge.read(
        lambda db: db.execute("SELECT count(*) FROM events").fetchone()[0])
    assert stored == 3

    with qtbot.waitSignal(tray.pausedChanged, timeout=5000):
        tray.pause_action.trigger()
    wait_for(qtbot, lambda: log.count(RunFinished) == 3)
    assert not tray.paused and tray.pause_action.text() == "Pause all rules"
    assert "running" in tray.icon.toolTip()


def test_copy_a_rules_address(bellhop_app: Any, qtbot: Any) -> None:
    tray = bellhop_app.tray
    url = add_rule(bellhop_app, qtbot, "Orders", FILTER)
    tray.menu.aboutToShow.emit()  # what opening the menu does
    wait_for(qtbot, lambda: tray.links)
    (action,) = tray.copy_menu.actions()
    assert action.text() == "Orders"
    action.trigger()
    assert QGuiApplication.clipboard().text() == url


def test_hiding_the_window_says_once_where_bellhop_went(
        bellhop_app: Any, qtbot: Any, notes: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    # As on a desktop with a tray (offscreen has none, and the window would only minimise).
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = bellhop_app.window
    window.close()
    window.bring_to_front()
    window.close()
    assert len(notes) == 1 and "Quit" in notes[0][1]
    bellhop_app.tray.icon.messageClicked.emit()
    assert window.isVisible()


def test_quit_quits_the_app(bellhop_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QCoreApplication, "quit", lambda: quits.append(True))
    bellhop_app.tray.quit_action.trigger()
    assert quits == [True]


def test_a_rules_desktop_notice_is_shown_even_when_notifications_are_off(
        bellhop_app: Any, qtbot: Any, notes: list[Any]) -> None:
    bellhop_app.tray.set_coalesce_window(200)
    set_notify(bellhop_app, qtbot, "never")
    url = add_rule(bellhop_app, qtbot, "Orders", [
        {"type": "desktop_notice", "title": "新訂單 {{ body.n }}", "text": "請出貨"}])
    post(url)
    wait_for(qtbot, lambda: notes)
    qtbot.wait(300)
    (note,) = notes
    assert note[:2] == ("新訂單 0", "請出貨") and note[2].startswith("ev_")

    bellhop_app.tray.set_coalesce_window(1500)
    post(url, 3)
    wait_for(qtbot, lambda: len(notes) == 2)
    assert notes[1][0] == "新訂單 2" and notes[1][1].startswith("2 more notices")
