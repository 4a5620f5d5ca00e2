"""EventStore: SQLite (WAL, synchronous=FULL) behind one writer thread with group commit.

Every job queued while a commit is in flight joins the next batch (group
commit): one fsync serves them all, and whoever waits for a job is told only
after the commit that holds its write returned. That is what lets the receiver
answer 2xx only for events already on disk without paying one fsync each.

Waiters are told one way: a function called on their loop with the job's error
(None: committed) the moment the commit is known, with no further turn of the
loop. The fast path answers from there; the coroutine API (`write`, `read`,
`append_event`, `save_runs`) is a future that such a function completes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import sqlite3
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.storage import records
from bellhop.core.storage.records import EventRecord, RunRecord
from bellhop.core.storage.schema import NewerDatabase, migrate

T = TypeVar("T")
MAX_BATCH = 2000
# Who waits for a job: a function called on the job's loop with its error (None: it committed).
Waiter = Callable[[BaseException | None], None]
log = logging.getLogger("bellhop.store")


class StoreError(BellhopError):
    """The event database could not be opened or written."""


FileIdentity = tuple[int, int] | None  # device and inode; None: nothing there


def database_files(path: Path | str) -> tuple[FileIdentity, FileIdentity]:
    """Which files are at the database's path and at its WAL's, now."""
    name = os.fspath(path)
    return _identity(name), _identity(name + "-wal")


def _identity(name: str) -> FileIdentity:
    try:
        stat = os.stat(name)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection with Bellhop's pragmas; read-only ones never create the file."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # A new file gets 8 KiB pages (a 1-2 KB body per row; about 15% less work per
        # event than 4 KiB); an existing file keeps the size it has.
        conn.execute("PRAGMA page_size=8192")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        # Statement journals (a many-row INSERT inside a savepoint needs one) stay in
        # memory instead of a new temporary file each time.
        conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


class _Job:
    """Work for the writer thread, who waits for its outcome, and its value once run."""

    __slots__ = ("fn", "loop", "rows", "value", "waiters", "write")

    def __init__(self, fn: Callable[[sqlite3.Connection], Any], write: bool,
                 loop: asyncio.AbstractEventLoop, waiters: list[Waiter],
                 rows: _Rows | None = None) -> None:
        self.fn, self.write, self.loop, self.waiters = fn, write, loop, waiters
        self.rows = rows
        self.value: Any = None


class _Rows:
    """Event and run rows gathered during one turn of the event loop, written as one job."""

    __slots__ = ("events", "runs", "waiters")

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []
        self.runs: list[records.RunRows] = []
        self.waiters: list[Waiter] = []

    def write(self, conn: sqlite3.Connection) -> None:
        records.write_rows(conn, self.events, self.runs)

    def job(self, loop: asyncio.AbstractEventLoop) -> _Job:
        return _Job(self.write, True, loop, self.waiters, self)


def _merge_rows(batch: list[_Job]) -> list[_Job]:
    """Row jobs queued one after another become one (their rows are nobody else's now):
    fewer statements per commit, and each statement hands the GIL back and forth."""
    merged: list[_Job] = []
    for job in batch:
        last = merged[-1] if merged else None
        if (job.rows is not None and last is not None and last.rows is not None
                and last.loop is job.loop):
            last.rows.events.extend(job.rows.events)
            last.rows.runs.extend(job.rows.runs)
            last.waiters.extend(job.waiters)
        else:
            merged.append(job)
    return merged


def _one_statement(job: _Job) -> bool:
    rows = job.rows
    return rows is not None and not rows.runs and 0 < len(rows.events) <= records.MANY_ROWS


def _settle(outcomes: list[tuple[list[Waiter], BaseException | None]]) -> None:
    for waiters, error in outcomes:
        for waiter in waiters:
            try:
                waiter(error)
            except Exception:  # one waiter's mistake must not keep the others waiting
                log.exception("a commit's waiter failed")


def _complete(future: asyncio.Future[Any], job: _Job | None, error: BaseException | None) -> None:
    """The waiter behind the coroutine API: the job's value or error into its future."""
    if future.cancelled():  # the coroutine stopped waiting; the job stays done
        return
    if error is None:
        future.set_result(job.value if job is not None else None)
    else:
        future.set_exception(error)


class EventStore:
    """Events, runs and step runs in events.db; async API, one writer thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._name = os.fspath(path)  # for the checks on each commit: no Path work there
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._opened = threading.Event()
        self._open_error: BaseException | None = None
        self._rows: _Rows | None = None
        # The files the writer opened (the database and its WAL), and whether they are
        # still the ones at their paths: see `_check_files`.
        self._files: tuple[FileIdentity, FileIdentity] = (None, None)
        self._files_gone = False

    async def open(self) -> None:
        """Open (creating and migrating) the database and start the writer thread."""
        self._thread = threading.Thread(target=self._serve, name="bellhop-store", daemon=True)
        self._thread.start()
        await asyncio.get_running_loop().run_in_executor(None, self._opened.wait)
        if self._open_error is not None:
            raise self._open_error

    async def close(self) -> None:
        """Finish every queued job (the commit in flight included), then stop the thread."""
        thread = self._thread
        if thread is None:
            return
        self._flush_rows(asyncio.get_running_loop())
        self._jobs.put(None)
        await asyncio.get_running_loop().run_in_executor(None, thread.join)
        self._thread = None

    def _connect_for_writing(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(self.path)
            migrate(conn)
            self._files = database_files(self.path)
            return conn
        except NewerDatabase as exc:
            raise StoreError(_("{path} was written by a newer "
                               "Bellhop. Update Bellhop to open "
                               "it.").format(
                path=self.path)) from exc
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(_("Bellhop could not open its event database {path}: {reason}. Check "
                               "that the disk has "
                               "free space and the "
                               "folder can be "
                               "written to.").format(
                path=self.path, reason=exc)) from exc

    def _serve(self) -> None:
        try:
            conn = self._connect_for_writing()
        except BaseException as exc:
            self._open_error = exc
            self._opened.set()
            return
        self._opened.set()
        try:
            stopping = False
            while not stopping:
                first = self._jobs.get()
                if first is None:
                    break
                batch = [first]
                while len(batch) < MAX_BATCH:
                    try:
                        job = self._jobs.get_nowait()
                    except queue.Empty:
                        break
                    if job is None:
                        stopping = True
                        break
                    batch.append(job)
                self._run_batch(conn, batch)
        finally:
            conn.close()
            self._put_aside_orphaned_wal()

    def _put_aside_orphaned_wal(self) -> None:
        """After the last commit: a WAL whose database file was deleted or replaced goes aside.

        SQLite leaves it there when the file has moved, and the next start would lay its
        pages over whatever file is at the path now: another database, or a new one."""
        database, wal = database_files(self._name)
        if database == self._files[0] or wal is None or wal != self._files[1]:
            return
        aside = self._name + "-wal.orphaned"
        try:
            os.replace(self._name + "-wal", aside)
        except OSError as exc:
            log.error("could not move %s-wal aside: %s; move it away before Bellhop starts "
                      "again", self.path, exc)
            return
        log.warning("the event database %s was deleted or replaced while Bellhop ran: its "
                    "write-ahead log, which belongs to the old file, is now %s", self.path, aside)

    def _run_batch(self, conn: sqlite3.Connection, batch: list[_Job]) -> None:
        batch = _merge_rows(batch)
        results: list[tuple[_Job, Any, BaseException | None]] = []
        writes = sum(job.write for job in batch)
        if writes and not self._check_files():
            # Files no longer at their paths are lost at the next start: write nothing more.
            gone = self._files_gone_error()
            results = [(job, None, gone) if job.write else self._run_job(conn, job, False)
                       for job in batch]
        else:
            if writes == 1 and len(batch) == 1 and _one_statement(batch[0]):
                # A lone INSERT commits by itself: no BEGIN, no COMMIT to hand over.
                results.append(self._run_job(conn, batch[0], savepoint=False))
            else:
                self._run_transaction(conn, batch, results, savepoints=writes > 1)
            if writes and not self._check_files():
                # They went while this commit was made: it went into files nobody will read.
                gone = self._files_gone_error()
                results[:] = [(job, None, gone) if job.write else (job, value, error)
                              for job, value, error in results]
        by_loop: dict[asyncio.AbstractEventLoop, list[Any]] = {}
        for job, value, error in results:
            job.value = value
            by_loop.setdefault(job.loop, []).append((job.waiters, error))
        for loop, outcomes in by_loop.items():
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(_settle, outcomes)

    def _check_files(self) -> bool:
        """True while the database and its WAL are still the files the writer opened.

        Another program may delete or replace them while Bellhop runs; SQLite then goes
        on writing into the files it holds open, which nobody will read again. Two stat
        calls before and two after each commit (microseconds, against its fsync) see it."""
        gone = database_files(self._name) != self._files
        if gone and not self._files_gone:
            log.error("the event database %s was deleted or replaced by another program; "
                      "deliveries are refused until Bellhop is restarted", self.path)
        elif self._files_gone and not gone:
            log.warning("the event database %s is back where it was", self.path)
        self._files_gone = gone
        return not gone

    def _files_gone_error(self) -> StoreError:
        return StoreError(_("The event database {path} was deleted or replaced while Bellhop was "
                            "running, so nothing more can be saved in it. Restart Bellhop; until "
                            "then deliveries are refused and their senders asked to send them "
                            "again.").format(
            path=self.path))

    def _run_job(self, conn: sqlite3.Connection, job: _Job,
                 savepoint: bool) -> tuple[_Job, Any, BaseException | None]:
        if not job.write:
            try:
                return job, job.fn(conn), None
            except Exception as exc:
                return job, None, exc
        try:
            if not savepoint:
                return job, job.fn(conn), None
            conn.execute("SAVEPOINT job")
            try:
                value = job.fn(conn)
            except BaseException:
                conn.execute("ROLLBACK TO job")
                conn.execute("RELEASE job")
                raise
            conn.execute("RELEASE job")
            return job, value, None
        except Exception as exc:
            return job, None, self._plain(exc)

    def _run_transaction(self, conn: sqlite3.Connection, batch: list[_Job],
                         results: list[tuple[_Job, Any, BaseException | None]],
                         savepoints: bool) -> None:
        # Several writes: each in its savepoint, so one failing leaves the others in.
        # A single write needs none: if it fails, the whole transaction is rolled back.
        in_transaction = False
        for job in batch:
            if job.write and not in_transaction:
                try:
                    conn.execute("BEGIN")
                    in_transaction = True
                except Exception as exc:
                    results.append((job, None, self._plain(exc)))
                    continue
            results.append(self._run_job(conn, job, savepoint=savepoints))
        if not in_transaction:
            return
        failed = not savepoints and any(job.write and error is not None
                                        for job, _, error in results)
        try:
            conn.execute("ROLLBACK" if failed else "COMMIT")
        except Exception as exc:
            error = self._plain(exc)
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            results[:] = [(j, None if j.write else r, error if j.write else e)
                          for j, r, e in results]

    def _plain(self, exc: Exception) -> Exception:
        if isinstance(exc, sqlite3.DatabaseError):  # OperationalError is one
            code = getattr(exc, "sqlite_errorcode", None) or 0
            if code & 0xFF == sqlite3.SQLITE_READONLY:  # free space would not help
                return StoreError(_("Bellhop could not save to its event database {path}: "
                                    "{reason}. Check that the file and its folder can be written "
                                    "to.").format(
                    path=self.path,
                    reason=exc))
            return StoreError(_("Bellhop could not save to its event database: {reason}. Check "
                                "that the disk has free space.").format(
                reason=exc))
        return exc

    def _submit(self, fn: Callable[[sqlite3.Connection], T], *, write: bool) -> asyncio.Future[T]:
        if self._thread is None:
            raise StoreError(_("The event database is closed."))
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        job = _Job(fn, write, loop, [])
        job.waiters.append(partial(_complete, future, job))
        self._jobs.put(job)
        return future

    def _rows_now(self) -> tuple[_Rows, asyncio.AbstractEventLoop]:
        # Rows added during this turn of the loop share one job: one statement each, and
        # the commit that the writer thread shares between jobs.
        if self._thread is None:
            raise StoreError(_("The event database is closed."))
        loop = asyncio.get_running_loop()
        rows = self._rows
        if rows is None:
            rows = self._rows = _Rows()
            loop.call_soon(self._flush_rows, loop)
        return rows, loop

    def _row_batch(self) -> tuple[_Rows, asyncio.Future[None]]:
        rows, loop = self._rows_now()
        future: asyncio.Future[None] = loop.create_future()
        rows.waiters.append(partial(_complete, future, None))
        return rows, future

    def _flush_rows(self, loop: asyncio.AbstractEventLoop) -> None:
        rows, self._rows = self._rows, None
        if rows is not None:
            self._jobs.put(rows.job(loop))

    async def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` in the next batch; returns once its commit is on disk."""
        return await self._submit(fn, write=True)

    def write_then(self, fn: Callable[[sqlite3.Connection], Any], then: Waiter) -> None:
        """Queue `fn` for the next group commit without a coroutine; `then(error)` runs on
        the loop once that commit is known (None: done). A closed store calls it at once."""
        if self._thread is None:
            then(StoreError(_("The event database is closed.")))
            return
        self._jobs.put(_Job(fn, True, asyncio.get_running_loop(), [then]))

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run a read-only `fn` on the writer's connection (it sees every commit)."""
        return await self._submit(fn, write=False)

    async def append_event(self, event: EventRecord) -> None:
        """Store a new event durably; returns after the commit."""
        rows, future = self._row_batch()
        rows.events.append(records.event_row(event))
        await future

    def append_event_then(self, event: EventRecord,
                          then: Callable[[BaseException | None], None]) -> None:
        """Queue a new event for the next commit; `then(error)` runs on the loop as soon as
        that commit returned (error None: the event is on disk). A closed store calls
        `then(StoreError)` at once: the waiter hears every outcome the same way."""
        try:
            rows, _ = self._rows_now()
        except StoreError as exc:
            then(exc)
            return
        rows.events.append(records.event_row(event))
        rows.waiters.append(then)

    async def save_run(self, run: RunRecord) -> None:
        """Store a run and its steps as they are now (returns after the commit)."""
        await self.save_runs([run])

    async def get_event(self, event_id: str) -> EventRecord | None:
        """One event by id."""
        return await self.read(lambda conn: records.get_event(conn, event_id))

    async def recent_events(self, limit: int = 50, rule_id: str | None = None,
                            before_seq: int | None = None) -> list[EventRecord]:
        """Newest events first."""
        return await self.read(
            lambda conn: records.recent_events(conn, limit, rule_id, before_seq))

    async def runs_of_event(self, event_id: str) -> list[RunRecord]:
        """Every run of an event with its steps."""
        return await self.read(lambda conn: records.runs_of_event(conn, event_id))

    async def get_run(self, run_id: str) -> RunRecord | None:
        """One run with its steps."""
        return await self.read(lambda conn: records.get_run(conn, run_id))

    async def save_runs(self, runs: list[RunRecord]) -> None:
        """Store several runs in one job (returns after the commit)."""
        rows, future = self._row_batch()
        rows.runs.extend(records.run_rows(run) for run in runs)
        await future

    async def unfinished(self) -> tuple[list[EventRecord], list[RunRecord]]:
        """Events never started and runs never finished, for resuming after a stop."""
        return await self.read(
            lambda conn: (records.new_events(conn), records.unfinished_runs(conn)))

    async def backlog_counts(self) -> dict[str, tuple[int, int]]:
        """Per rule: events waiting for their first run, and runs a stop left unfinished."""
        return await self.read(records.backlog_counts)

    async def new_events(self, after_seq: int, limit: int,
                         rule_id: str | None = None) -> list[EventRecord]:
        """A page of events that wait for their first run, oldest first."""
        return await self.read(lambda conn: records.new_events(conn, after_seq, limit, rule_id))

    async def unfinished_runs_page(self, rule_id: str, after_seq: int,
                                   limit: int) -> list[RunRecord]:
        """A page of one rule's runs a stop left unfinished, oldest first."""
        return await self.read(
            lambda conn: records.unfinished_runs(conn, rule_id, after_seq, limit))
