"""Reading events for the Activity page: filters, newest-first listings, pages and news.

Qt-free: the window's table model drives these functions on its own read-only
connection. A listing is a list of event seqs, newest first. Without filters
it is a `range` (seqs are dense), so a million events cost nothing to list;
with filters it is found by a scan in slices of bounded time, or at once from
an index when the status asked for is rare. No statement stays open between
calls, so a listing never pins an old snapshot while the engine writes.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from bellhop.core.storage.seqlist import SeqList

STATUSES = ("succeeded", "failed", "skipped", "running", "waiting", "new")
PREFIX_BYTES = 4096  # bytes of a body read for its one-line summary
_CHUNK = 500  # seqs per IN (...) list
_LATEST = "(SELECT status FROM runs r WHERE r.event_id = e.id ORDER BY r.seq DESC LIMIT 1)"
# A rule's sample (Listen for a test event) is stored as an event that never runs: its own
# status, "sample", rather than "new" (waiting to run).
_STATUS = f"coalesce({_LATEST}, CASE WHEN e.state = 'sample' THEN 'sample' ELSE 'new' END)"
_NO_RUN = "NOT EXISTS (SELECT 1 FROM runs r WHERE r.event_id = e.id)"
_NOT_SUPERSEDED = ("NOT EXISTS (SELECT 1 FROM runs r2 WHERE r2.event_id = r.event_id"
                   " AND r2.seq > r.seq)")
# Statuses few events have, each with the literal terms that let SQLite use its partial
# index (a bound parameter would not): listed exactly, at once, instead of scanned for.
_RARE = {
    "failed": "r.status = 'failed'",
    "running": "r.status IN ('running', 'waiting') AND r.status = 'running'",
    "waiting": "r.status IN ('running', 'waiting') AND r.status = 'waiting'",
}
RARE_LIMIT = 5_000  # more candidates than this: a scan shows the first ones sooner


class TooSlow(Exception):
    """A query ran past its time limit and was stopped."""


@contextlib.contextmanager
def _interrupted_means_too_slow() -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise TooSlow from exc
        raise


@contextlib.contextmanager
def time_limit(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Stop queries on `conn` that run longer than `seconds` (they raise TooSlow)."""
    deadline = time.perf_counter() + seconds
    conn.set_progress_handler(lambda: int(time.perf_counter() > deadline), 2000)
    try:
        with _interrupted_means_too_slow():
            yield
    finally:
        conn.set_progress_handler(None, 0)


@contextlib.contextmanager
def interrupt_after(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Stop the query running on `conn` after `seconds` (it raises TooSlow).

    For a query that is one long step, e.g. COUNT(*) walking a whole index, where
    `time_limit`'s progress handler is never called. The interrupt can only land while
    the query runs: once it is over, a late timer does nothing."""
    lock = threading.Lock()
    over = False

    def stop() -> None:
        with lock:
            if not over:
                conn.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        with _interrupted_means_too_slow():
            yield
    finally:
        with lock:
            over = True
        timer.cancel()


def search_patterns(text: str) -> list[str]:
    """LIKE patterns for `text` as typed, JSON-escaped (\\u5f35) and form-encoded (%E5%BC%B5)."""
    def like(value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"

    forms = [text, json.dumps(text)[1:-1], quote_plus(text)]
    return [like(form) for i, form in enumerate(forms) if form not in forms[:i]]


@dataclass(frozen=True)
class EventFilter:
    """What the person narrowed the list to: a rule, a status, words in the body."""

    rule_id: str | None = None
    status: str | None = None
    text: str = ""

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def is_empty(self) -> bool:
        """True when nothing narrows the list."""
        return self.rule_id is None and self.status is None and not self.text

    def terms(self, *, status: bool = True) -> tuple[list[str], list[Any]]:
        """SQL terms over events `e` and their arguments."""
        terms: list[str] = []
        args: list[Any] = []
        if self.rule_id is not None:
            terms.append("e.rule_id = ?")
            args.append(self.rule_id)
        if status and self.status == "new":
            terms.append(f"{_NO_RUN} AND e.state != 'sample'")
        elif status and self.status is not None:
            terms.append(f"{_LATEST} = '{self.status}'")  # one of STATUSES, checked above
        if self.text:
            patterns = search_patterns(self.text)
            terms.append("(" + " OR ".join(
                ["CAST(e.body AS TEXT) LIKE ? ESCAPE '\\'"] * len(patterns)) + ")")
            args.extend(patterns)
        return terms, args


def _and(terms: list[str]) -> str:
    return "".join(f" AND {term}" for term in terms)


class EventScan:
    """Looks through older events for a filter, newest first, in slices of bounded time."""

    def __init__(self, event_filter: EventFilter, below: int, floor: int) -> None:
        self.below, self.floor = below, floor  # seqs in [floor, below) are still to look at
        terms, self._args = event_filter.terms()
        self._sql = ("SELECT e.seq FROM events e WHERE e.seq < ? AND e.seq >= ?"
                     f"{_and(terms)} ORDER BY e.seq DESC")
        self.window = 2000  # seqs per query, adapted to what a query costs

    @property
    def done(self) -> bool:
        """True once every event was looked at."""
        return self.below <= self.floor

    def step(self, conn: sqlite3.Connection, budget: float = 0.012) -> list[int]:
        """Look at older events for about `budget` seconds; the matches, newest first."""
        found: list[int] = []
        deadline = time.perf_counter() + budget
        while not self.done:  # at least one query per step, however small the budget
            low = max(self.floor, self.below - self.window)
            began = time.perf_counter()
            try:
                # One row at a time always finishes: the scan cannot get stuck.
                limit = max(deadline - began, 0.002) if self.window > 1 else 3600.0
                with time_limit(conn, limit):
                    rows = conn.execute(self._sql, (self.below, low, *self._args)).fetchall()
            except TooSlow:
                self.window = max(1, self.window // 8)
            else:
                found.extend(row[0] for row in rows)
                self.below = low
                spent = max(time.perf_counter() - began, 1e-5)
                self.window = max(1, min(int(self.window * max(budget, 0.001) / 3 / spent),
                                         self.window * 4, 50_000))
            if time.perf_counter() >= deadline:
                break
        return found


@dataclass
class Listing:
    """What the table shows: seqs found so far, the newest seq looked at, the scan going on.

    `checked` is False for a range of seqs shown before counting the events finished: a
    seq in it may hold no event (another program deleted it), and the rows read say so."""

    seqs: SeqList
    top: int
    scan: EventScan | None = None
    checked: bool = True


# Counting the events reads the whole id index: a few ms for 100,000 events in memory,
# 10-16 ms for a million, 0.2-0.4 s from a cold disk (after a restart). Past this, the
# range is shown uncounted and the model drops the seqs its rows show missing.
COUNT_LIMIT = 0.005


def _bounds(conn: sqlite3.Connection, counted: bool,
            limit: float | None = None) -> tuple[int | None, int, int]:
    """Count (when asked, None past `limit` seconds), lowest and highest seq, one snapshot."""
    sql = "SELECT {}, (SELECT MIN(seq) FROM events), (SELECT MAX(seq) FROM events)"
    if counted:
        limited = contextlib.nullcontext() if limit is None else interrupt_after(conn, limit)
        with contextlib.suppress(TooSlow), limited:
            count, low, high = conn.execute(
                sql.format("(SELECT COUNT(*) FROM events)")).fetchone()
            return count, low or 0, high or 0
    _, low, high = conn.execute(sql.format("-1")).fetchone()
    return None, low or 0, high or 0


def open_listing(conn: sqlite3.Connection, event_filter: EventFilter,
                 quick: float = 0.05, count_limit: float | None = COUNT_LIMIT) -> Listing:
    """Start listing events for a filter: complete at once when cheap, else with a scan.

    Unfiltered, the events are every seq from the lowest to the highest unless another
    program deleted some: counting them says so, and a count that would take longer than
    `count_limit` is left to the rows themselves (see `Listing.checked`)."""
    count, low, high = _bounds(conn, event_filter.is_empty, count_limit)
    if event_filter.is_empty and high == 0:
        return Listing(SeqList(range(0)), high)
    if event_filter.is_empty and (count is None or count == high - low + 1):
        return Listing(SeqList(range(high, low - 1, -1)), high, checked=count is not None)
    if (event_filter.status in _RARE or event_filter.status == "new") and _candidates(
            conn, str(event_filter.status)) <= RARE_LIMIT:
        with contextlib.suppress(TooSlow), time_limit(conn, quick):
            return Listing(SeqList(_rare(conn, event_filter, high)), high)
    return Listing(SeqList(), high, EventScan(event_filter, high + 1, low))


def _candidates(conn: sqlite3.Connection, status: str) -> int:
    """How many runs (events, for 'new') a partial index holds for a rare status."""
    if status == "new":
        sql = "SELECT COUNT(*) FROM events e WHERE e.state = 'new'"
    else:
        sql = f"SELECT COUNT(*) FROM runs r WHERE {_RARE[status]}"
    return int(conn.execute(sql).fetchone()[0])


def _rare(conn: sqlite3.Connection, event_filter: EventFilter, top: int) -> list[int]:
    terms, args = event_filter.terms(status=False)
    if event_filter.status == "new":
        sql = (f"SELECT e.seq FROM events e WHERE e.state = 'new' AND {_NO_RUN}"
               f" AND e.seq <= ?{_and(terms)} ORDER BY e.seq DESC")
    else:
        sql = (f"SELECT e.seq FROM runs r JOIN events e ON e.id = r.event_id"
               f" WHERE {_RARE[str(event_filter.status)]} AND {_NOT_SUPERSEDED}"
               f" AND e.seq <= ?{_and(terms)} ORDER BY e.seq DESC")
    return [row[0] for row in conn.execute(sql, (top, *args))]


def newer(conn: sqlite3.Connection, event_filter: EventFilter,
          above: int) -> tuple[list[int], int]:
    """Seqs (ascending) of matching events newer than `above`, and the newest seq now."""
    top = conn.execute("SELECT MAX(seq) FROM events").fetchone()[0] or 0
    if top <= above:
        return [], above
    terms, args = event_filter.terms()
    rows = conn.execute(
        f"SELECT e.seq FROM events e WHERE e.seq > ? AND e.seq <= ?{_and(terms)}"
        " ORDER BY e.seq", (above, top, *args)).fetchall()
    return [row[0] for row in rows], top


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _seq_terms(seqs: Sequence[int]) -> tuple[str, list[int]]:
    """`e.seq BETWEEN` for a run of consecutive seqs (the usual case), else `IN (...)`."""
    low, high = min(seqs), max(seqs)
    if high - low + 1 == len(seqs):
        return "e.seq BETWEEN ? AND ?", [low, high]
    return f"e.seq IN ({','.join('?' * len(seqs))})", list(seqs)


def matching(conn: sqlite3.Connection, event_filter: EventFilter,
             seqs: Sequence[int]) -> set[int]:
    """Which of these seqs the filter lets through now."""
    terms, args = event_filter.terms()
    found: set[int] = set()
    for chunk in _chunks(seqs):
        where, seq_args = _seq_terms(chunk)
        found.update(row[0] for row in conn.execute(
            f"SELECT e.seq FROM events e WHERE {where}{_and(terms)}", (*seq_args, *args)))
    return found


@dataclass(slots=True)
class ActivityRow:
    """One line of the Activity table (the summary is filled in when first shown)."""

    seq: int
    id: str
    rule_id: str
    received_ts: float
    content_type: str
    size: int
    status: str
    summary: str | None = None
    next_try_ts: float | None = None  # when a waiting run tries again


def rows(conn: sqlite3.Connection, seqs: Sequence[int]) -> dict[int, ActivityRow]:
    """The table lines of these seqs (without summaries), by seq."""
    found: dict[int, ActivityRow] = {}
    for chunk in _chunks(seqs):
        where, args = _seq_terms(chunk)
        for row in conn.execute(
                "SELECT e.seq, e.id, e.rule_id, e.received_ts, e.content_type, length(e.body),"
                f" {_STATUS} FROM events e WHERE {where}", args):
            found[row[0]] = ActivityRow(*row[:6], status=row[6])
    waiting = {row.id: row for row in found.values() if row.status == "waiting"}
    if waiting:  # few rows wait to retry: a second look for them only
        for event_id, next_try in retry_times(conn, list(waiting)).items():
            waiting[event_id].next_try_ts = next_try
    return found


def retry_times(conn: sqlite3.Connection, event_ids: Sequence[str]) -> dict[str, float]:
    """When the latest run of these events tries a step again, for those waiting to."""
    found: dict[str, float] = {}
    for chunk in _chunks(event_ids):
        # Looked up by event (runs_by_event): the few shown, not every waiting run (the
        # `+` keeps SQLite off the status index, which would read them all, cold: 0.25 s).
        for event_id, next_try in conn.execute(
                f"SELECT r.event_id, r.next_try_ts FROM runs r"
                f" WHERE r.event_id IN ({','.join('?' * len(chunk))})"
                f" AND +r.status = 'waiting' AND {_NOT_SUPERSEDED}"
                f" AND r.next_try_ts IS NOT NULL", list(chunk)):
            found[event_id] = float(next_try)
    return found


def prefixes(conn: sqlite3.Connection, seqs: Sequence[int],
             limit: int = PREFIX_BYTES) -> dict[int, bytes]:
    """The first `limit` bytes of these events' bodies, by seq."""
    found: dict[int, bytes] = {}
    for chunk in _chunks(seqs):
        where, args = _seq_terms(chunk)
        for seq, head in conn.execute(
                f"SELECT e.seq, substr(e.body, 1, ?) FROM events e WHERE {where}",
                (limit, *args)):
            found[seq] = bytes(head) if not isinstance(head, str) else head.encode()
    return found


def latest_statuses(conn: sqlite3.Connection,
                    event_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Seq and latest-run status ('new' without a run, 'sample' for a rule's sample) of
    these events, by event id."""
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(event_ids):
        for event_id, seq, status in conn.execute(
                f"SELECT e.id, e.seq, {_STATUS} FROM events e"
                f" WHERE e.id IN ({','.join('?' * len(chunk))})", list(chunk)):
            found[event_id] = (seq, status)
    return found


def seq_of(conn: sqlite3.Connection, event_id: str) -> int | None:
    """The seq of an event, or None when there is no such event."""
    row = conn.execute("SELECT seq FROM events WHERE id = ?", (event_id,)).fetchone()
    return row[0] if row else None
