"""The local control channel: a running Bellhop answers its user's commands on 127.0.0.1,
on a port of its own, to whoever shows the token from a file only that user may read."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bellhop.core.errors import BellhopError
from bellhop.core.platform import control
from bellhop.core.platform.control import ControlServer, NotReachable, ask
from bellhop.core.platform.instance import InstanceLock
from bellhop.core.platform.paths import control_file
from bellhop.ui.engine_thread import end_left_over_tasks


class Running:
    """A ControlServer on its own loop in a thread, as in the window's engine thread."""

    def __init__(self, home: Path) -> None:
        self.asked: list[dict[str, Any]] = []
        self.release = asyncio.Event()  # a "slow" command waits for this
        self.loop = asyncio.new_event_loop()
        self.server = ControlServer(home, self.handle)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.call(self.server.start())

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        self.asked.append(request)
        if request.get("command") == "fail":
            raise BellhopError("that cannot be done")
        if request.get("command") == "crash":
            raise ZeroDivisionError
        if request.get("command") == "slow":
            await self.release.wait()
        return {"ok": True, "echo": request.get("value")}

    def stop(self) -> None:
        self.call(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        end_left_over_tasks(self.loop)  # as the engine thread does: none outlives the loop
        self.loop.close()


@pytest.fixture
def running(home: Path) -> Iterator[Running]:
    lock = InstanceLock(home)
    lock.acquire()  # as a running Bellhop holds it
    server = Running(home)
    try:
        yield server
    finally:
        server.stop()
        lock.release()


def test_a_command_is_answered_and_the_file_is_the_users_alone(
        home: Path, running: Running) -> None:
    assert ask(home, {"command": "echo", "value": "店 1"}) == {"ok": True, "echo": "店 1"}
    assert running.asked[0]["command"] == "echo"
    path = control_file(home)
    found = json.loads(path.read_text(encoding="utf-8"))
    assert found["pid"] == os.getpid() and found["port"] == running.server.port
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert running.server.port is not None
    with socket.create_connection(("127.0.0.1", running.server.port)) as conn:
        assert conn.getpeername()[0] == "127.0.0.1"


def test_plain_errors_come_back_as_words_and_bugs_do_not_end_the_channel(
        home: Path, running: Running, caplog: pytest.LogCaptureFixture) -> None:
    assert ask(home, {"command": "fail"}) == {"ok": False, "error": "that cannot be done"}
    crashed = ask(home, {"command": "crash"})
    assert crashed["ok"] is False and "log file" in crashed["error"]
    assert ask(home, {"command": "echo", "value": 2})["echo"] == 2


def _raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        return conn.makefile("rb").read()


def test_without_the_token_nothing_is_done_or_said(home: Path, running: Running) -> None:
    port = running.server.port
    assert port is not None
    assert _raw(port, json.dumps({"command": "echo", "token": "guess"}).encode() + b"\n") == b""
    assert _raw(port, json.dumps({"command": "echo"}).encode() + b"\n") == b""
    assert _raw(port, b"not json\n") == b""
    assert _raw(port, b"x" * (control.MAX_LINE + 10) + b"\n") == b""
    assert running.asked == []


def test_stop_ends_a_command_going_on_and_removes_the_file(home: Path) -> None:
    lock = InstanceLock(home)
    lock.acquire()
    server = Running(home)
    outcome: list[Any] = []

    def slow() -> None:
        try:
            outcome.append(ask(home, {"command": "slow"}))
        except NotReachable as exc:
            outcome.append(exc.message)

    asking = threading.Thread(target=slow)
    asking.start()
    while not server.asked:
        threading.Event().wait(0.01)
    server.stop()
    asking.join(10)
    lock.release()
    assert outcome == ["Bellhop stopped before it answered. What it started goes on the next "
                       "time it starts."]
    assert not control_file(home).exists()


def test_a_file_left_by_a_stopped_bellhop_is_not_used(home: Path) -> None:
    """A crash leaves the file; the Bellhop holding the lock now has another pid."""
    control_file(home).write_text(json.dumps({"version": 1, "pid": os.getpid() + 1,
                                              "port": 1, "token": "old"}), encoding="utf-8")
    lock = InstanceLock(home)
    lock.acquire()
    try:
        with pytest.raises(NotReachable) as refused:
            ask(home, {"command": "echo"}, find_timeout=0.3)
    finally:
        lock.release()
    assert "does not take commands" in refused.value.message
    assert str(home) in refused.value.message


def test_a_bellhop_that_went_away_is_said_plainly(home: Path) -> None:
    with socket.socket() as spare:  # a port nothing listens on
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    control_file(home).write_text(json.dumps({"version": 1, "pid": os.getpid(), "port": port,
                                              "token": "t"}), encoding="utf-8")
    with pytest.raises(NotReachable) as refused:
        ask(home, {"command": "echo"}, find_timeout=0.3)
    assert refused.value.message.startswith("Bellhop is running but could not be reached (")


def test_a_connection_accepted_as_bellhop_stops_is_closed_and_leaves_no_talk_behind(
        home: Path) -> None:
    """CI once saw a talk outlive its loop: accepted just as `stop` ended the others, it
    had not begun, and when it was collected later it tried to close its connection on
    the closed loop."""
    client, server_end = socket.socketpair()
    client.settimeout(5)

    async def accept_then_stop() -> list[asyncio.Task[Any]]:
        server = ControlServer(home, lambda request: asyncio.sleep(0, {"ok": True}))
        await server.start()
        reader, writer = await asyncio.open_connection(sock=server_end)
        server._accept(reader, writer)  # as asyncio does for a new connection; not run yet
        await server.stop()
        return [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]

    with client:
        left = asyncio.run(accept_then_stop())
        assert left == []
        assert client.recv(10) == b""  # the connection was closed, not left open
    assert not control_file(home).exists()
