"""A window that asks the engine for something while the app closes gets no error."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import threading
from pathlib import Path
from typing import Any

from bellhop.ui.engine_thread import EngineThread
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


def ask_an_engine_that_answers_at_once(app: Any) -> list[Any]:
    """Ask for the accounts, the work finished before `call` adds its callback (as a fast
    engine sometimes does: the callback is then added to a future already done); the list
    the answer lands in."""
    engine = app.bridge.engine
    submit = engine.submit

    def submit_and_wait(coro: Any) -> Any:
        future = submit(coro)
        concurrent.futures.wait([future], 10)
        return future

    engine.submit = submit_and_wait
    answers: list[Any] = []
    app.bridge.call_plain(lambda service: dict(service.accounts()), answers.append,
                          answers.append)
    return answers


def test_answers_come_later_on_the_gui_thread_even_when_ready_at_once(
        qtbot: Any, qapp: Any, home: Path) -> None:
    app = start_app(qtbot, qapp, home)
    answers = ask_an_engine_that_answers_at_once(app)
    assert answers == []  # not inside `call`: the caller has not even kept its future yet
    qtbot.waitUntil(lambda: answers == [{}], timeout=5000)
    stop_app(app)


def test_answers_on_their_way_when_the_engine_stops_are_dropped(
        qtbot: Any, qapp: Any, home: Path) -> None:
    app = start_app(qtbot, qapp, home)
    # e.g. the tray asking for the rules' addresses just before Quit: the answer comes
    # back after its menu was deleted with the window
    answers = ask_an_engine_that_answers_at_once(app)
    stop_app(app)
    qtbot.wait(50)
    assert answers == []


def test_work_still_pending_when_the_engine_stops_ends_before_its_loop_closes(
        home: Path) -> None:
    engine = EngineThread(home, port=0)
    engine.start()
    engine.started.result(15)
    began = threading.Event()
    loop_closed_in_finally: list[bool] = []

    async def waits_forever() -> None:
        began.set()
        try:
            await asyncio.Event().wait()
        finally:  # left pending, this ran when collected, on a closed loop, and raised
            loop_closed_in_finally.append(asyncio.get_running_loop().is_closed())

    # kept: asyncio holds tasks only weakly, and a task nobody refers to is collected
    # ("destroyed but it is pending") whenever the collector runs, before stop() is reached
    pending = engine.submit(waits_forever())
    assert began.wait(10)
    gc.collect()  # as CI's collector did once, at just this point
    engine.stop()
    assert loop_closed_in_finally == [False]
    assert pending.cancelled()
    assert engine.loop.is_closed()
