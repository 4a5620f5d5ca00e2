"""Bellhop's engine on its own asyncio loop in a background thread, inside the GUI process."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from bellhop.service import Bellhop

T = TypeVar("T")


class EngineThread:
    """Runs a `Bellhop` service on a private loop; the GUI thread only hands it coroutines."""

    def __init__(self, home: Path | None = None, host: str | None = None,
                 port: int | None = None) -> None:
        self.service = Bellhop(home)
        self.host, self.port = host, port
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="bellhop-engine", daemon=True)
        self.started: concurrent.futures.Future[None] = concurrent.futures.Future()

    def start(self, on_loop_started: Callable[[], None] | None = None) -> None:
        """Start the thread; `started` resolves (or fails) once the service listens."""
        self._on_loop_started = on_loop_started
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.service.start(self.host, self.port))
        except BaseException as exc:  # shown to the person by whoever waits on `started`
            self.started.set_exception(exc)
            self.loop.close()
            return
        if self._on_loop_started is not None:
            self._on_loop_started()
        self.started.set_result(None)
        self.loop.run_forever()
        end_left_over_tasks(self.loop)
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run a coroutine on the engine loop; the returned future completes off the GUI."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run a plain function on the engine loop."""
        self.loop.call_soon_threadsafe(fn, *args)

    @property
    def running(self) -> bool:
        """True while the engine loop runs."""
        return self._thread.is_alive() and self.started.done() and not self.started.exception()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the service (pending commits finish), then the loop and the thread."""
        if not self.running:
            return
        try:
            self.submit(self.service.stop()).result(timeout)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout)


def end_left_over_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the tasks still pending on a stopped loop and let them finish, as asyncio.run
    does: left pending, one would run its `finally` when collected, on a closed loop."""
    loop.run_until_complete(_cancel_and_wait(asyncio.all_tasks(loop)))


async def _cancel_and_wait(tasks: set[asyncio.Task[Any]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
