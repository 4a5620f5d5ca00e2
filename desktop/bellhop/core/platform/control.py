"""The local control channel: how `bellhop retry` and `replay` reach the Bellhop that runs.

The Bellhop holding the data home's lock (the window or `bellhop serve`) listens on
127.0.0.1, on a port of its own chosen by the system (never the webhook port, which
a tunnel makes public), and writes the port with a fresh random token to a file in
the data home that only its user may read. A command reads that file and sends one
JSON line with the token; the running Bellhop answers with one JSON line. Nothing
else is accepted: a wrong token, a line too long or too slow closes the connection.
The same works on Windows, where the data home lies in the user's own profile.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.platform.paths import control_file, lock_file

log = logging.getLogger("bellhop.control")
HOST = "127.0.0.1"
MAX_LINE = 64 * 1024  # bytes of one request
READ_TIMEOUT = 10.0  # seconds a connection may take to send its request
FIND_TIMEOUT = 10.0  # seconds a command waits for a starting Bellhop to write its file

Request = dict[str, Any]
Answer = dict[str, Any]
Handler = Callable[[Request], Awaitable[Answer]]


class NotReachable(BellhopError):
    """A Bellhop holds the data home but cannot be asked anything now."""


class ControlServer:
    """Answers commands from this user's `bellhop` processes while Bellhop runs."""

    def __init__(self, home: Path, handle: Handler) -> None:
        self.home = home
        self.handle = handle
        self.token = secrets.token_urlsafe(32)
        self.port: int | None = None
        self._server: asyncio.Server | None = None
        # Every connection's talk, from the moment it is accepted: `stop` ends them all.
        self._talks: dict[asyncio.Task[Any], asyncio.StreamWriter] = {}

    async def start(self) -> None:
        """Listen on a free loopback port and write the control file (readable by the user
        alone)."""
        self._server = await asyncio.start_server(self._accept, HOST, 0, limit=MAX_LINE)
        self.port = self._server.sockets[0].getsockname()[1]
        write_private(control_file(self.home), json.dumps(
            {"version": 1, "pid": os.getpid(), "port": self.port, "token": self.token}))

    async def stop(self) -> None:
        """Stop listening, end the talks going on, remove the file if it is still ours."""
        if self._server is not None:
            self._server.close()
            self._server = None
        while self._talks:  # a connection accepted while these end has a talk too
            talks = list(self._talks)
            for task in talks:
                task.cancel()
            await asyncio.gather(*talks, return_exceptions=True)
        path = control_file(self.home)
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("token") == self.token:
                path.unlink()

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # The talk is known before it first runs: one that `stop` cancels before it began
        # still has its connection closed (by `_ended`), and none outlives the loop.
        task = asyncio.get_running_loop().create_task(self._talk(reader, writer))
        self._talks[task] = writer
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        writer = self._talks.pop(task, None)
        if writer is not None:
            writer.close()  # closing twice is harmless

    async def _talk(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            answer = await self._answer(reader)
            if answer is not None:
                writer.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass  # the command went away (Ctrl+C): what it asked for goes on
        finally:
            writer.close()
            with contextlib.suppress(OSError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader) -> Answer | None:
        try:
            line = await asyncio.wait_for(reader.readline(), READ_TIMEOUT)
            request = json.loads(line)
        except (TimeoutError, ValueError, asyncio.LimitOverrunError):
            return None
        if not isinstance(request, dict) or not isinstance(request.get("token"), str) \
                or not hmac.compare_digest(request["token"].encode(), self.token.encode()):
            return None  # not our user's command: say nothing
        try:
            return await self.handle(request)
        except BellhopError as exc:
            return {"ok": False, "error": exc.message}
        except Exception:  # a bug must not end the channel, nor Bellhop
            log.exception("control command %r failed", request.get("command"))
            return {"ok": False, "error": _("Bellhop could not do that; its log file says "
                                            "why.")}


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` so that only this user may read it (replacing the old file)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _holder_pid(home: Path) -> int | None:
    """The process id written in the lock file by the Bellhop holding it (None: unknown,
    e.g. on Windows, where the locked file cannot be read)."""
    try:
        return int(lock_file(home).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _address(home: Path) -> tuple[int, str] | None:
    """Port and token of the running Bellhop's channel, once its file is there and its own."""
    try:
        found = json.loads(control_file(home).read_text(encoding="utf-8"))
        port, token, pid = int(found["port"]), str(found["token"]), int(found["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    holder = _holder_pid(home)
    if holder is not None and holder != pid:
        return None  # left by a Bellhop that stopped: the new one has not written its own yet
    return port, token


def ask(home: Path, request: Request, find_timeout: float | None = None) -> Answer:
    """Send one request to the Bellhop running on `home` and wait for its answer (as long
    as the work takes). NotReachable when no answer can come."""
    deadline = time.monotonic() + (FIND_TIMEOUT if find_timeout is None else find_timeout)
    while (address := _address(home)) is None:
        if time.monotonic() > deadline:
            raise NotReachable(_(
                "Bellhop is running with the data folder {home}, but it does not take "
                "commands (it may be starting, busy with another command, or an older "
                "version). Try again in a moment, or use the window's Activity page.").format(
                home=home))
        time.sleep(0.1)
    port, token = address
    try:
        with socket.create_connection((HOST, port), timeout=10) as conn:
            conn.settimeout(None)  # a retry takes as long as its steps take
            conn.sendall(json.dumps({**request, "token": token}).encode() + b"\n")
            with conn.makefile("rb") as answers:
                line = answers.readline()
    except OSError as exc:
        raise NotReachable(_("Bellhop is running but could not be reached ({reason}). Try "
                             "again in a moment.").format(reason=exc.strerror or exc)) from exc
    if not line:
        raise NotReachable(_("Bellhop stopped before it answered. What it started goes on "
                             "the next time it starts."))
    try:
        answer = json.loads(line)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise NotReachable(_("Bellhop gave an answer this command cannot read."))
    return answer
