"""The one door between the window and the engine: coroutines in, Qt signals out.

No other UI module touches the engine loop. Calls go in with `call` and come
back on the GUI thread through a queued signal; engine events are gathered on
the engine loop and cross over as one signal per loop turn, so a burst of
deliveries never floods the window and a slow window never slows a delivery.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from bellhop.core.events import EngineEvent
from bellhop.core.platform import paths
from bellhop.core.storage.store import connect
from bellhop.service import Bellhop
from bellhop.ui.engine_thread import EngineThread

T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class EngineBridge(QObject):
    """Qt face of the engine thread."""

    started = Signal()
    failed = Signal(str)  # a plain message: the engine could not start
    engineEvents = Signal(list)  # [EngineEvent, ...] in order, on the GUI thread
    _delivered = Signal(object, object, object)  # on_done, on_error, concurrent Future
    _batch_ready = Signal(list)

    def __init__(self, engine: EngineThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._pending: list[EngineEvent] = []
        self._reader: sqlite3.Connection | None = None
        self._stopped = False
        # Queued even when emitted on the GUI thread: a call the engine finished before
        # its callback was added would otherwise answer inside `call`, before it returned.
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._batch_ready.connect(self.engineEvents)

    @property
    def service(self) -> Bellhop:
        """The service; touch its state only inside coroutines given to `call`."""
        return self.engine.service

    def start(self) -> None:
        """Start the engine thread; `started` or `failed` follows on the GUI thread."""
        self.engine.start(on_loop_started=self._listen)
        self.engine.started.add_done_callback(self._announce)

    def _listen(self) -> None:  # engine thread, before anything is delivered
        self.engine.service.subscribe(self._gather)

    def _announce(self, future: Future[None]) -> None:  # any thread
        error = future.exception()
        if error is None:
            self.started.emit()
        else:
            self.failed.emit(getattr(error, "message", None) or str(error))

    def _gather(self, event: EngineEvent) -> None:  # engine loop
        if not self._pending:
            self.engine.loop.call_soon(self._flush)
        self._pending.append(event)

    def _flush(self) -> None:  # engine loop
        batch, self._pending = self._pending, []
        self._batch_ready.emit(batch)

    def call(self, make: Callable[[Bellhop], Awaitable[T]], on_done: Done | None = None,
             on_error: Failed | None = None) -> Future[T] | None:
        """Run `make(service)` on the engine loop; callbacks run later on the GUI thread.

        Cancelling the returned future stops the work, and then neither callback runs."""
        if self.engine.loop.is_closed():
            return None  # the engine has stopped (the app is closing): nothing could answer
        async def run() -> T:
            return await make(self.engine.service)

        future = self.engine.submit(run())
        future.add_done_callback(lambda f: self._delivered.emit(on_done, on_error, f))
        return future

    def call_plain(self, fn: Callable[[Bellhop], T], on_done: Done | None = None,
                   on_error: Failed | None = None) -> None:
        """Like `call` for a plain (not async) service method, still run on the engine loop."""
        async def run(service: Bellhop) -> T:
            return fn(service)

        self.call(run, on_done, on_error)

    @Slot(object, object, object)
    def _deliver(self, on_done: Done | None, on_error: Failed | None,
                 future: Future[Any]) -> None:
        if future.cancelled():
            return  # whoever cancelled it has said so already
        if self._stopped:
            return  # answered as the app closed: the widget that asked may be gone already
        error = future.exception()
        if error is not None:
            if on_error is not None:
                on_error(error)
        elif on_done is not None:
            on_done(future.result())

    def read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """Run a read-only query on the GUI's own connection (WAL: never waits for writes)."""
        if self._reader is None:
            self._reader = connect(paths.events_db(self.engine.service.home), readonly=True)
        return query(self._reader)

    def stop(self) -> None:
        """Stop the engine (pending commits finish) and close the reader. Answers to calls
        still on their way are dropped."""
        self._stopped = True
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.engine.stop()
