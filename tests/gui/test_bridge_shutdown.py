"""A window that asks the engine for something while the app closes gets no error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import start_app, stop_app


def test_calls_after_the_engine_stopped_are_dropped(qtbot: Any, qapp: Any, home: Path) -> None:
    app = start_app(qtbot, qapp, home)
    bridge = app.bridge
    stop_app(app)
    answers: list[Any] = []
    # e.g. a form's 'saved' arriving after the engine stopped, asking for the account list
    bridge.call_plain(lambda service: dict(service.accounts()), answers.append, answers.append)
    qtbot.wait(50)
    assert answers == []


def test_answers_on_their_way_when_the_engine_stops_are_dropped(
        qtbot: Any, qapp: Any, home: Path) -> None:
    app = start_app(qtbot, qapp, home)
    answers: list[Any] = []
    # e.g. the tray asking for the rules' addresses just before Quit: the answer comes
    # back after its menu was deleted with the window
    app.bridge.call_plain(lambda service: dict(service.accounts()), answers.append,
                          answers.append)
    stop_app(app)
    qtbot.wait(50)
    assert answers == []
