"""ActivityModel: every event, newest first, read from events.db a block at a time.

The model holds only a list of seqs (a `range` when nothing is filtered) and a
bounded cache of rows; a row's summary is made the first time it is shown.
Filters that no index answers are found by a scan in slices of ~12 ms between
paints, so the window never waits on the database.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from bellhop.core.i18n import _, data_size
from bellhop.core.storage import activity
from bellhop.core.storage.activity import ActivityRow, EventFilter, Listing
from bellhop.core.storage.seqlist import SeqList
from bellhop.ui.activity import countdown
from bellhop.ui.activity.status import dot, status_hint, status_word
from bellhop.ui.activity.summaries import summarize

T = TypeVar("T")
Reader = Callable[[Callable[[sqlite3.Connection], T]], T]
Index = QModelIndex | QPersistentModelIndex
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


class ActivityModel(QAbstractTableModel):
    """The Activity table over the store: time, rule, summary, status."""

    TIME, RULE, SUMMARY, STATUS = range(4)
    BLOCK = 200  # rows read per query
    CACHED_ROWS = 4000  # rows kept; the oldest loaded go first
    SUMMARY_BATCH = 60  # summaries made per query, from the row asked for on
    listingChanged = Signal()  # the number of rows or the scan state moved
    ruleMissing = Signal(str)  # a rule id with no known name showed up
    countdownShown = Signal()  # rows waiting to retry were read: their results count down

    def __init__(self, read: Reader[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self._read = read
        self.event_filter = EventFilter()
        self._listing = Listing(SeqList(), 0)
        self._cache: OrderedDict[int, ActivityRow] = OrderedDict()
        self._texts: dict[int, tuple[str, str, str, str]] = {}  # seq → cell texts
        self._today = date.today()
        self._day_timer = QTimer(self, interval=60_000)  # 'Today' becomes 'Yesterday'
        self._day_timer.timeout.connect(self._check_day)
        self._day_timer.start()
        self._rule_names: dict[str, str] = {}
        self._asked_rules: set[str] = set()
        self._scan_timer = QTimer(self, singleShot=True, interval=0)
        self._scan_timer.timeout.connect(self._scan_some)
        self.loaded = False
        self._holes: set[int] = set()  # seqs of an uncounted range found to hold no event

    # -- what the page uses -------------------------------------------------------------------

    def reload(self, event_filter: EventFilter | None = None) -> None:
        """List events again (with a new filter): complete at once, or growing by a scan."""
        if event_filter is not None:
            self.event_filter = event_filter
        self._scan_timer.stop()
        listing = self._read(lambda conn: activity.open_listing(conn, self.event_filter))
        self.beginResetModel()
        self._listing = listing
        self._holes.clear()
        self._cache.clear()
        self._texts.clear()
        self.loaded = True
        self.endResetModel()
        if listing.scan is not None:
            self._scan_timer.start()
        self.listingChanged.emit()

    @property
    def scanning(self) -> bool:
        """True while a filter's scan is still looking through older events."""
        return self._listing.scan is not None and not self._listing.scan.done

    @property
    def scan_done_share(self) -> float:
        """How much of the events a running scan has looked through, 0 to 1."""
        scan, top = self._listing.scan, self._listing.top
        if scan is None or top <= scan.floor:
            return 1.0
        return min(1.0, max(0.0, (top + 1 - scan.below) / (top + 1 - scan.floor)))

    def refresh_news(self) -> int:
        """Put events that arrived since the last look on top; how many were added."""
        if not self.loaded:
            return 0
        seqs, top = self._read(
            lambda conn: activity.newer(conn, self.event_filter, self._listing.top))
        self._listing.top = top
        if seqs:
            self.beginInsertRows(QModelIndex(), 0, len(seqs) - 1)
            self._listing.seqs.add_newer(seqs)
            self.endInsertRows()
            self.listingChanged.emit()
        return len(seqs)

    def update_statuses(self, event_ids: Iterable[str]) -> None:
        """Show these events' latest status (under a status filter, add or drop their rows)."""
        ids = list(dict.fromkeys(event_ids))
        if not self.loaded or not ids:
            return
        found = self._read(lambda conn: activity.latest_statuses(conn, ids))
        waiting = [event_id for event_id, (__, status) in found.items() if status == "waiting"]
        retries = self._read(lambda conn: activity.retry_times(conn, waiting)) if waiting else {}
        for event_id, (seq, status) in found.items():
            row = self._cache.get(seq)
            next_try = retries.get(event_id)
            if row is not None and (row.status, row.next_try_ts) != (status, next_try):
                row.status, row.next_try_ts = status, next_try
                self._texts.pop(seq, None)
                at = self._listing.seqs.row_of(seq)
                if at is not None:
                    cell = self.index(at, self.STATUS)
                    self.dataChanged.emit(cell, cell)
        if self.event_filter.status is not None:
            self._update_membership([seq for seq, _ in found.values()])

    def _update_membership(self, seqs: list[int]) -> None:
        scan = self._listing.scan
        # Only where the listing has looked already: newer ones come with the news, and the
        # scan finds older ones itself.
        looked = [s for s in seqs if s <= self._listing.top and (scan is None or s >= scan.below)]
        if not looked:
            return
        keep = self._read(lambda conn: activity.matching(conn, self.event_filter, looked))
        listed = self._listing.seqs
        for seq in looked:
            row = listed.row_of(seq)
            if seq in keep and row is None:
                at = listed.position(seq)
                self.beginInsertRows(QModelIndex(), at, at)
                listed.insert(seq)
                self.endInsertRows()
            elif seq not in keep and row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                listed.remove(seq)
                self.endRemoveRows()
        self.listingChanged.emit()

    def set_rule_names(self, names: dict[str, str]) -> None:
        """Rule names by id (events of rules no longer there say so)."""
        self._rule_names = dict(names)
        self._asked_rules.clear()
        self._texts.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, self.RULE),
                                  self.index(self.rowCount() - 1, self.RULE))

    def rule_name(self, rule_id: str) -> str:
        """A rule's name, or a plain note when it was deleted."""
        name = self._rule_names.get(rule_id)
        if name is None:
            if rule_id not in self._asked_rules:
                self._asked_rules.add(rule_id)
                # Later, never from inside data(): the answer may come back at once.
                QTimer.singleShot(0, self, lambda: self.ruleMissing.emit(rule_id))
            return _("(deleted rule)")
        return name

    def row_of_event(self, event_id: str) -> int | None:
        """The row showing this event, or None when it is not (yet) listed."""
        seq = self._read(lambda conn: activity.seq_of(conn, event_id))
        return None if seq is None else self._listing.seqs.row_of(seq)

    def event_at(self, row: int) -> ActivityRow | None:
        """The event shown on a row."""
        return self._row(row) if 0 <= row < self.rowCount() else None

    def counting_down(self) -> bool:
        """True when a row read so far waits to retry (its result counts down)."""
        return any(row.status == "waiting" and row.next_try_ts for row in self._cache.values())

    def tick(self, first: int, last: int) -> None:
        """The countdowns of rows `first` to `last` (those on screen) move on a second."""
        listed = self._listing.seqs
        for at in range(max(0, first), min(last, len(listed) - 1) + 1):
            row = self._cache.get(listed[at])
            if row is not None and row.status == "waiting" and row.next_try_ts:
                cell = self.index(at, self.STATUS)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    # -- Qt's side ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """How many events are listed."""
        return 0 if parent.isValid() else len(self._listing.seqs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Time, rule, summary, status."""
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Received"), _("Rule"), _("What came in"),
                _("Result"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, the status dot, tooltips; the event id under EVENT_ID_ROLE."""
        if role not in _ROLES:
            return None
        at = index.row()
        row = self._row(at)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.STATUS and row.status == "waiting" and row.next_try_ts:
                return countdown.short_wait(row.next_try_ts, countdown.clock())
            texts = self._texts.get(row.seq) or self._make_texts(at, row)
            return texts[column]
        if role == Qt.ItemDataRole.DecorationRole:
            return dot(row.status) if column == self.STATUS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.STATUS:
                return status_hint(row.status)
            if column == self.TIME:
                return datetime.fromtimestamp(row.received_ts).strftime("%Y-%m-%d %H:%M:%S")
            return self._summary(at, row) if column == self.SUMMARY else None
        if role == EVENT_ID_ROLE:
            return row.id
        return row.status  # STATUS_ROLE

    def _make_texts(self, at: int, row: ActivityRow) -> tuple[str, str, str, str]:
        """The four cells of a row, made once (and again when its status or a name changes)."""
        texts = (self._when(row.received_ts), self.rule_name(row.rule_id),
                 self._summary(at, row), status_word(row.status))
        self._texts[row.seq] = texts
        return texts

    # -- reading rows ---------------------------------------------------------------------------

    def _row(self, at: int) -> ActivityRow | None:
        seq = self._listing.seqs[at]
        row = self._cache.get(seq)
        if row is None:
            self._load_block(at)
            row = self._cache.get(seq)
        return row

    def _load_block(self, at: int) -> None:
        listed = self._listing.seqs
        start = at - at % self.BLOCK
        wanted = [listed[i] for i in range(start, min(start + self.BLOCK, len(listed)))]
        missing = [seq for seq in wanted if seq not in self._cache]
        found = self._read(lambda conn: activity.rows(conn, missing))
        self._cache.update(found)
        if any(row.next_try_ts for row in found.values()):
            # Later, never from inside data(): the page starts its one timer.
            QTimer.singleShot(0, self, self.countdownShown.emit)
        if len(found) < len(missing) and not self._listing.checked:
            # An uncounted range with holes (another program deleted events): those rows
            # go once this paint is over, and the rows around them stay where they are.
            if not self._holes:
                QTimer.singleShot(0, self, self._drop_holes)
            self._holes.update(seq for seq in missing if seq not in found)
        while len(self._cache) > self.CACHED_ROWS:
            seq, _ = self._cache.popitem(last=False)
            self._texts.pop(seq, None)

    def _drop_holes(self) -> None:
        holes, self._holes = self._holes, set()
        listed = self._listing.seqs
        for seq in sorted(holes, reverse=True):
            row = listed.row_of(seq)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                listed.remove(seq)
                self.endRemoveRows()
        if holes:
            self.listingChanged.emit()

    def _summary(self, at: int, row: ActivityRow) -> str:
        if row.summary is None:
            listed, batch = self._listing.seqs, [row]
            for i in range(at + 1, min(at + self.SUMMARY_BATCH, len(listed))):
                other = self._cache.get(listed[i])
                if other is not None and other.summary is None:
                    batch.append(other)
            heads = self._read(lambda conn: activity.prefixes(conn, [r.seq for r in batch]))
            for item in batch:
                item.summary = self._describe(item, heads.get(item.seq, b""))
        return row.summary or ""

    def _describe(self, row: ActivityRow, head: bytes) -> str:
        if row.size == 0:
            return _("(empty)")
        line = summarize(head, row.size, row.content_type)
        if line:
            return line
        return _("{size} of data").format(size=data_size(row.size))

    def _check_day(self) -> None:
        if date.today() == self._today:
            return
        self._today = date.today()
        self._texts.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, self.TIME),
                                  self.index(self.rowCount() - 1, self.TIME))

    def _when(self, ts: float) -> str:
        moment = datetime.fromtimestamp(ts)
        today = self._today
        if moment.date() == today:
            return _("Today {time}").format(
                time=moment.strftime("%H:%M:%S"))
        if moment.date() == today - timedelta(days=1):
            return _("Yesterday {time}").format(
                time=moment.strftime("%H:%M"))
        return moment.strftime("%Y-%m-%d %H:%M")

    def _scan_some(self) -> None:
        scan = self._listing.scan
        if scan is None or scan.done:
            return
        found = self._read(scan.step)
        if found:
            start = len(self._listing.seqs)
            self.beginInsertRows(QModelIndex(), start, start + len(found) - 1)
            self._listing.seqs.extend_older(found)
            self.endInsertRows()
        if not scan.done:
            self._scan_timer.start()
        self.listingChanged.emit()


_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
                    Qt.ItemDataRole.ToolTipRole, EVENT_ID_ROLE, STATUS_ROLE})
