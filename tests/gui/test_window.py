"""The window starts on the real engine, hides to the tray on close, and stops cleanly."""

from __future__ import annotations

from typing import Any

from bellhop.core.running.rules import new_token


def test_window_starts_and_shows_the_local_address(bellhop_app: Any, qtbot: Any) -> None:
    window = bellhop_app.window
    assert window.isVisible()
    receiver = bellhop_app.bridge.service.receiver
    assert receiver is not None and str(receiver.port) in window.engine_state.text()


def test_closing_the_window_keeps_bellhop_running(bellhop_app: Any, qtbot: Any) -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    window = bellhop_app.window
    if QSystemTrayIcon.isSystemTrayAvailable():
        with qtbot.waitSignal(window.hiddenToTray, timeout=2000):
            window.close()
        assert not window.isVisible()
    else:  # no tray (offscreen, some desktops): the window only minimises
        window.close()
        assert window.isMinimized()
    assert bellhop_app.bridge.engine.running
    window.bring_to_front()
    assert window.isVisible()


def test_calls_go_through_the_bridge_and_answer_on_the_gui_thread(
        bellhop_app: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QThread

    answers: list[Any] = []
    threads: list[Any] = []
    rule = {"id": "r1", "name": "Orders", "enabled": True,
            "trigger": {"type": "webhook", "token": new_token()}, "steps": []}

    def done(result: Any) -> None:
        answers.append(result)
        threads.append(QThread.currentThread())

    bellhop_app.bridge.call_plain(lambda service: service.upsert_rule(rule), done)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    assert answers[0].name == "Orders"
    assert threads[0] is bellhop_app.app.thread()


def test_a_second_start_brings_the_running_window_forward(
        bellhop_app: Any, qtbot: Any) -> None:
    from bellhop.ui.single_instance import ask_running_instance

    window = bellhop_app.window
    window.hide()
    # What `bellhop` does when started again: ask the running one, then leave.
    assert ask_running_instance(bellhop_app.home, timeout_ms=2000)
    qtbot.waitUntil(window.isVisible, timeout=5000)


def test_another_data_home_is_another_bellhop(bellhop_app: Any, tmp_path: Any) -> None:
    from bellhop.ui.single_instance import ask_running_instance

    assert not ask_running_instance(tmp_path / "elsewhere", timeout_ms=300)


def test_a_stopped_window_leaves_nothing_on_the_application(
        qtbot: Any, qapp: Any, tmp_path: Any) -> None:
    # Many windows start on one QApplication (these tests do); each one left a quit
    # watcher filtering every later event, and each test ran slower than the last.
    from bellhop.ui.app import QuitWatcher
    from helpers import start_app, stop_app

    def watchers() -> list[Any]:
        return list(qapp.findChildren(QuitWatcher))

    for n in range(2):
        app = start_app(qtbot, qapp, tmp_path / f"home{n}")
        watcher = app.quit_watcher
        assert watcher in watchers()
        stop_app(app)
        qtbot.waitUntil(lambda: watcher not in watchers(), timeout=5000)  # noqa: B023
    app.shutdown()  # a second shutdown (the quit signal after a tray Quit) is harmless
