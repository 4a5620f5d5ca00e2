"""Activity › Refused: deliveries Bellhop turned away, why, and what fixes each.

The refusals table keeps at most 1,000 rows (repeats within a minute share one), so
the whole listing is read at once; the search box and the rule filter narrow it here.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from bellhop.core.i18n import _, ngettext
from bellhop.core.storage.refusals import RefusalRecord, recent_refusals, refused_counts
from bellhop.ui.activity.model import Index, Reader
from bellhop.ui.activity.status import COLOURS, dot, status_hint, status_word
from bellhop.ui.activity.table import ActivityTableView

REFUSED = "refused"  # the status filter's choice that shows this view


def when(ts: float, today: date | None = None) -> str:
    """'Today 14:05:09', 'Yesterday 14:05' or '2026-12-01 14:05'."""
    moment, today = datetime.fromtimestamp(ts), today or date.today()
    if moment.date() == today:
        return _("Today {time}").format(time=moment.strftime("%H:%M:%S"))
    if moment.date() == today - timedelta(days=1):
        return _("Yesterday {time}").format(time=moment.strftime("%H:%M"))
    return moment.strftime("%Y-%m-%d %H:%M")


def times(count: int) -> str:
    """'once', '3 times'."""
    return ngettext("once", "{n} times", count).format(n=f"{count:,}")


def refused_today(read: Reader[Any], rule_id: str | None) -> int:
    """How many deliveries (of one rule, or all) were turned away since midnight."""
    since = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    counts = read(lambda conn: refused_counts(conn, since))
    return sum(counts.values()) if rule_id is None else counts.get(rule_id, 0)


class RefusalModel(QAbstractTableModel):
    """Refused deliveries, newest first: when, rule, the reason with its fix, 'Refused'."""

    TIME, RULE, REASON, STATUS = range(4)

    def __init__(self, read: Reader[Any], rule_name: Callable[[str], str],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._read = read
        self._rule_name = rule_name
        self.rows: list[RefusalRecord] = []
        self.rule_id: str | None = None
        self.text = ""

    def reload(self, rule_id: str | None = None, text: str = "") -> None:
        """Read the refusals again, of one rule (or all), with words in their reason."""
        self.rule_id, self.text = rule_id, text
        try:
            found = self._read(lambda conn: recent_refusals(conn, rule_id))
        except sqlite3.OperationalError:  # a file from before they were recorded
            found = []
        words = text.casefold()
        self.beginResetModel()
        self.rows = [row for row in found if not words or words in row.reason.casefold()
                     or words in self._rule(row).casefold()]
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many deliveries the listed rows stand for."""
        return sum(row.count for row in self.rows)

    def _rule(self, row: RefusalRecord) -> str:
        return self._rule_name(row.rule_id) if row.rule_id else _("(no rule has this address)")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """How many refusal rows are listed."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Time, rule, reason, status."""
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Received"), _("Rule"), _("Why it was turned away"), _("Result"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, the status dot, tooltips."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TIME:
                return when(row.last_ts)
            if column == self.RULE:
                return self._rule(row)
            if column == self.REASON:
                return row.reason if row.count == 1 else f"{row.reason} ({times(row.count)})"
            return status_word(REFUSED)
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return dot(REFUSED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.reason if column == self.REASON else status_hint(REFUSED)
        return None


_STYLE = """
QLabel#DetailTitle { font-size: 13pt; font-weight: 600; }
QLabel#Problem { background: rgba(179, 84, 30, 0.08); border: 1px solid rgba(179, 84, 30, 0.55);
    border-radius: 8px; padding: 8px 10px; }
"""


class RefusalDetailPanel(QWidget):
    """One refusal: which rule, when and how often, the reason and what fixes it."""

    ruleRequested = Signal(str)  # "Open the rule"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        self.shown: RefusalRecord | None = None
        self.title = QLabel(objectName="DetailTitle")
        self.subtitle = QLabel(objectName="Hint", wordWrap=True)
        self.state = QLabel(wordWrap=True)
        self.reason = QLabel(objectName="Problem", wordWrap=True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(_("Nothing was stored and nothing ran: the sender was told no. "
                             "Once the cause is fixed, the next delivery goes through."),
                           objectName="Hint", wordWrap=True)
        self.open_rule = QPushButton(_("Open the rule"))
        self.open_rule.clicked.connect(
            lambda: self.shown is not None and self.ruleRequested.emit(self.shown.rule_id))
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_rule)
        buttons.addStretch(1)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.subtitle, self.state, self.reason, self.note):
            column.addWidget(widget)
        column.addLayout(buttons)
        column.addStretch(1)
        nothing = QLabel(_("Pick a refused delivery in the list to see why it was turned "
                           "away."), objectName="Hint", wordWrap=True)
        nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(nothing)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.pages)

    def clear(self) -> None:
        """Show no refusal."""
        self.shown = None
        self.pages.setCurrentIndex(0)

    def show_refusal(self, row: RefusalRecord, rule_name: str) -> None:
        """Show one refusal row."""
        self.shown = row
        self.pages.setCurrentIndex(1)
        self.title.setText(rule_name if row.rule_id else _("No rule has this address"))
        first = datetime.fromtimestamp(row.first_ts).strftime("%Y-%m-%d %H:%M:%S")
        last = datetime.fromtimestamp(row.last_ts).strftime("%H:%M:%S")
        if row.count == 1:
            self.subtitle.setText(_("Turned away {time} · answered {status}").format(
                time=first, status=row.status))
        else:
            self.subtitle.setText(_("Turned away {times} from {first} to {last} · answered "
                                    "{status}").format(times=times(row.count), first=first,
                                                       last=last, status=row.status))
        self.state.setText(
            f"<span style='color:{COLOURS[REFUSED]}; font-size:14pt'>●</span> "
            f"<b>{html.escape(status_word(REFUSED))}</b>")
        self.reason.setText(row.reason)
        self.open_rule.setVisible(bool(row.rule_id))


class RefusedView(QObject):
    """The Refused listing's parts for the Activity page: banner, table, detail."""

    def __init__(self, read: Reader[Any], rule_name: Callable[[str], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.read, self.rule_name = read, rule_name
        self.model = RefusalModel(read, rule_name, self)
        self.table = ActivityTableView()
        self.table.setModel(self.model)
        self.table.empty_text = _(
            "Nothing was turned away. When Bellhop refuses a delivery (a wrong secret, an old "
            "address, a body that is not JSON…), it shows here with what to fix.")
        self.detail = RefusalDetailPanel()
        self.banner = QLabel()  # "3 deliveries were turned away today. Show why"
        self.banner.setStyleSheet(f"color: {COLOURS[REFUSED]};")
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.hide()
        self.table.selectionModel().currentRowChanged.connect(self._picked)

    def reload(self, rule_id: str | None, text: str) -> None:
        """List the refusals again; the one picked stays picked while it is listed."""
        picked = self.detail.shown
        self.model.reload(rule_id, text)
        row = next((i for i, r in enumerate(self.model.rows)
                    if picked is not None and r.seq == picked.seq), None)
        if row is not None:
            self.table.selectRow(row)
            self.detail.show_refusal(self.model.rows[row], self.rule_name(picked.rule_id))
        else:
            self.detail.clear()

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.rows):
            row = self.model.rows[current.row()]
            self.detail.show_refusal(row, self.rule_name(row.rule_id))

    def count_text(self) -> str:
        """'3 refused deliveries' (what the listed rows stand for)."""
        total = self.model.total
        return ngettext("{count} refused delivery", "{count} refused deliveries",
                        total).format(count=f"{total:,}")

    def count_today(self, rule_id: str | None, shown: bool) -> int:
        """Say above the events how many deliveries were turned away today; the number."""
        count = refused_today(self.read, rule_id)
        show_why = html.escape(_("Show why"))  # outside the f-string: extracted for translation
        self.banner.setText("⚠ " + html.escape(ngettext(
            "{n} delivery was turned away today.", "{n} deliveries were turned away today.",
            count).format(n=f"{count:,}")) + f" <a href='refused'>{show_why}</a>")
        self.banner.setVisible(bool(count) and shown)
        return count
