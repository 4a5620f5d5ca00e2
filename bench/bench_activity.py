"""Activity page on a million events: time to first rows painted, worst frame while scrolling.

Each figure sits beside a baseline run in the same process: the same view class over a
minimal QAbstractTableModel returning constant strings (the cost of Qt itself). The events
database is built once (about 20 s, ~1 GB) and cached under bench/results/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_activity.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "desktop"))

from bellhop.core.storage import records  # noqa: E402
from bellhop.core.storage.records import EventRecord  # noqa: E402
from bellhop.core.storage.schema import SCHEMA_VERSION, migrate  # noqa: E402
from bellhop.core.storage.store import connect  # noqa: E402

# --- the data ------------------------------------------------------------------------------

RULES = {"r_shop": "Shopify orders", "r_form": "Website form", "r_misc": "Stock alerts"}
NAMES = ["王小明", "林美玲", "陳志豪", "Alice Chen", "張家瑜", "Bob Lee", "黃雅婷", "李建國"]
# Latest-run status of the events, by weight (most succeed, a few fail, a few wait).
STATUSES = [("succeeded", 760), ("skipped", 200), ("failed", 30), ("waiting", 4),
            ("running", 3), ("new", 3)]


def _shop_body(rng: random.Random, n: int) -> bytes:
    name = rng.choice(NAMES)
    total = rng.randrange(150, 25000)
    items = ",".join(
        f'{{"id":{14000 + i},"sku":"TEA-{i:03d}","title":"凍頂烏龍茶 150g","quantity":'
        f'{rng.randrange(1, 4)},"price":"450.00","vendor":"鹿谷茶園"}}'
        for i in range(rng.randrange(1, 4)))
    return (
        f'{{"id":{5800000000000 + n},"name":"#{1000 + n}","order_number":{1000 + n},'
        f'"email":"buyer{n % 9973}@example.com","currency":"TWD","total_price":"{total}.00",'
        f'"financial_status":"paid","note":"請在週末前送達","tags":"VIP",'
        f'"customer":{{"first_name":"{name[1:]}","last_name":"{name[0]}"}},'
        f'"shipping_address":{{"name":"{name}","city":"台北市","zip":"110",'
        f'"address1":"信義路五段7號"}},"line_items":[{items}]}}'
    ).encode()


def _form_body(rng: random.Random, n: int) -> bytes:
    return (f"name=%E5%BC%B5%E5%B0%8F%E8%8F%AF&email=hua{n % 501}%40example.com"
            f"&phone=09{rng.randrange(10**7, 10**8)}&message=order+{n}").encode()


def _misc_body(rng: random.Random, n: int) -> bytes:
    return (f'{{"sku":"CUP-{n % 977:04d}","stock":{rng.randrange(0, 40)},'
            f'"warehouse":"Taichung","alert":"low"}}').encode()


def _events(count: int, rng: random.Random, start_ts: float) -> Iterator[tuple[Any, ...]]:
    weights = [w for _, w in STATUSES]
    kinds = [s for s, _ in STATUSES]
    for n in range(count):
        roll = n % 10
        if roll < 6:
            rule, body, ctype = "r_shop", _shop_body(rng, n), "application/json"
        elif roll < 9:
            rule, body, ctype = "r_form", _form_body(rng, n), "application/x-www-form-urlencoded"
        else:
            rule, body, ctype = "r_misc", _misc_body(rng, n), "application/json"
        ts = start_ts + n * 30.0
        at = time.strftime("%Y-%m-%dT%H:%M:%S.000+08:00", time.gmtime(ts + 8 * 3600))
        status = rng.choices(kinds, weights)[0]
        event = EventRecord(
            id=f"ev_{int(ts * 1000):012x}{n:08x}", rule_id=rule, received_at=at,
            received_ts=ts, method="POST", query={},
            headers={"content-type": ctype, "user-agent": "Shopify-Captain-Hook"},
            content_type=ctype, body=body, state="new" if status == "new" else "taken")
        yield records.event_row(event), status


def build_events_db(path: Path, count: int, seed: int = 7) -> None:
    """Write `count` events (and a run each, but for the 'new' ones) to a fresh events.db."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".building")
    partial.unlink(missing_ok=True)
    conn = connect(partial)
    conn.execute("PRAGMA synchronous=OFF")
    migrate(conn)
    rng = random.Random(seed)
    start_ts = time.time() - count * 30.0
    conn.execute("BEGIN")
    events, runs, steps = [], [], []
    for row, status in _events(count, rng, start_ts):
        events.append(row)
        if status != "new":
            run_id = f"run_{row[0][3:]}"
            error = ("The spreadsheet file is open in another program."
                     if status == "failed" else None)
            runs.append((run_id, row[0], row[1], "new", status, row[2],
                         None if status in ("running", "waiting") else row[2],
                         float(rng.randrange(5, 900)), error, None))
            if status == "failed":
                steps.append((run_id, 1, "append_file", "Add a row", "failed", 5, None, None,
                              error, row[2], 12.0))
        if len(events) >= 50_000:
            _write(conn, events, runs, steps)
            events, runs, steps = [], [], []
    _write(conn, events, runs, steps)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    partial.rename(path)


def _write(conn: sqlite3.Connection, events: list[Any], runs: list[Any],
           steps: list[Any]) -> None:
    conn.executemany(records._INSERT_EVENT, events)
    conn.executemany(
        "INSERT INTO runs (id, event_id, rule_id, reason, status, started_at, finished_at,"
        " duration_ms, error, next_try_ts) VALUES (?,?,?,?,?,?,?,?,?,?)", runs)
    conn.executemany(
        "INSERT INTO step_runs (run_id, idx, type, label, status, attempts, input, output,"
        " error, started_at, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)", steps)


def cached_events_db(folder: Path, count: int) -> Path:
    """The cached events.db with `count` events (built once; migrated if the schema moved)."""
    path = folder / f"activity-{count}" / "events.db"
    if not path.exists():
        began = time.perf_counter()
        print(f"building {path} with {count:,} events (once)…", flush=True)
        build_events_db(path, count)
        print(f"  built in {time.perf_counter() - began:.1f} s", flush=True)
    conn = connect(path)
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        migrate(conn)
    conn.close()
    return path


# --- the window ---------------------------------------------------------------------------------

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QWidget  # noqa: E402

from bellhop.core.storage.activity import EventFilter  # noqa: E402
from bellhop.ui.activity.page import ActivityPage, RuleFacts  # noqa: E402
from bellhop.ui.activity.status import dot  # noqa: E402
from bellhop.ui.activity.table import ActivityTableView  # noqa: E402
from bellhop.ui.theme import apply_theme  # noqa: E402

PAGE_SIZE = (1070, 760)  # the page's share of the 1280 × 800 window


class ReadOnlyBridge(QObject):
    """Just enough of EngineBridge for the page: reads on a read-only connection, no engine."""

    started = Signal()
    failed = Signal(str)
    engineEvents = Signal(list)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.conn = connect(path, readonly=True)

    def read(self, query: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run a query on the read-only connection."""
        return query(self.conn)

    def call_plain(self, fn: Any, on_done: Any = None, on_error: Any = None) -> None:
        """The only plain call the page makes asks for rule facts: answer from RULES."""
        facts = [RuleFacts(rule_id, name, f"http://127.0.0.1:8765/hooks/{rule_id}")
                 for rule_id, name in RULES.items()]
        if on_done is not None:
            QTimer.singleShot(0, lambda: on_done(facts))

    def call(self, make: Any, on_done: Any = None, on_error: Any = None) -> None:
        """No engine here: calls do nothing."""


class ConstantModel(QAbstractTableModel):
    """The baseline: as many rows, four columns of constant text and the same status dot."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
        self.texts = ("Today 14:05:31", "Shopify orders", "#1042 · NT$1,280 · 王小明", "Done")
        self.icon = dot("succeeded")

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Received", "Rule", "What came in", "Result")[section]
        return None

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 3:
            return self.icon
        return None


def guard_refcounts() -> str:
    """PySide6 6.12.0 on CPython 3.11 drops a reference to True on every Signal.emit and to
    None on every void call or None returned from a Python data(): the process aborts after a
    few thousand. Give the three singletons (never freed anyway) a huge count; say so."""
    import ctypes

    import PySide6

    if sys.version_info >= (3, 12) or PySide6.__version__ != "6.12.0":
        return ""
    for singleton in (True, False, None):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    return "note: PySide6 6.12.0 on Python 3.11 loses refcounts of True/None; guarded here"


def evict_from_memory(path: Path) -> bool:
    """Drop the database's pages from the OS file cache, as a restart would (where Python
    has posix_fadvise: Linux and most Unix, not macOS). True when the cache was asked."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:  # the file is only read here: every page of it is clean and can go
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def open_page(path: Path) -> tuple[ActivityPage, ActivityTableView, float]:
    """Construct the Activity page on the database and paint it; seconds until painted."""
    began = time.perf_counter()
    bridge = ReadOnlyBridge(path)
    page = ActivityPage(bridge)  # type: ignore[arg-type]
    page.resize(*PAGE_SIZE)
    page.show()
    bridge.started.emit()
    page.grab()
    return page, page.table, time.perf_counter() - began


def open_baseline(rows: int) -> tuple[QWidget, ActivityTableView, float]:
    """The same view class over ConstantModel, with an empty panel beside it."""
    began = time.perf_counter()
    page = QWidget()
    table = ActivityTableView()
    table.setModel(ConstantModel(rows))
    layout = QHBoxLayout(page)
    layout.addWidget(table, 11)
    layout.addWidget(QLabel("Pick an event in the list to see what happened to it."), 9)
    page.resize(*PAGE_SIZE)
    page.show()
    page.grab()
    return page, table, time.perf_counter() - began


def scroll_plan(steps: int, maximum: int, page_step: int, seed: int = 11) -> list[int]:
    """Scroll positions: wheel ticks, pages up and down, jumps (top, middle, end, random)."""
    rng = random.Random(seed)
    value, plan = 0, []
    for i in range(steps):
        kind = i % 10
        if kind < 5:
            value += rng.choice((1, 2, 3, 5))
        elif kind < 7:
            value += rng.choice((-1, 1)) * page_step
        elif kind == 7:
            value = rng.randrange(0, maximum + 1)
        elif kind == 8:
            value = rng.choice((0, maximum // 2, maximum))
        else:
            value -= rng.choice((1, 3, 10))
        value = min(max(value, 0), maximum)
        plan.append(value)
    return plan


def scroll_frames(app: QApplication, table: ActivityTableView, plan: list[int]) -> list[float]:
    """Seconds per step: move the scroll bar, process events, repaint the rows now."""
    bar = table.verticalScrollBar()
    frames = []
    for value in plan:
        began = time.perf_counter()
        bar.setValue(value)
        app.processEvents()
        table.viewport().repaint()
        frames.append(time.perf_counter() - began)
    return frames


def filter_figures(app: QApplication, page: ActivityPage,
                   event_filter: EventFilter) -> dict[str, float]:
    """Seconds to the first rows painted, to the last match found, and the longest stall."""
    began = time.perf_counter()
    page.model.reload(event_filter)
    page.table.viewport().repaint()
    first = time.perf_counter() - began
    stall = first
    while page.model.scanning:
        turn = time.perf_counter()
        app.processEvents()
        stall = max(stall, time.perf_counter() - turn)
    return {"first_paint_s": first, "complete_s": time.perf_counter() - began,
            "longest_stall_ms": stall * 1000, "rows": page.model.rowCount()}


def frame_figures(rounds: list[list[float]]) -> dict[str, float]:
    """Worst frame of any round, and worst, p99, median of each step's best round (ms)."""
    best = sorted(min(step) for step in zip(*rounds, strict=True))
    spikes = sorted(((frames[i], n, i) for n, frames in enumerate(rounds)
                     for i in range(len(frames))), reverse=True)[:5]
    return {"worst_any_ms": max(max(frames) for frames in rounds) * 1000,
            "spikes": [f"{ms * 1000:.0f} ms at round {n} step {i}" for ms, n, i in spikes],
            "worst_ms": best[-1] * 1000, "p99_ms": best[int(len(best) * 0.99)] * 1000,
            "median_ms": statistics.median(best) * 1000}


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the database, measure, print the table, save bench/results/activity.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    path = cached_events_db(BENCH / "results", args.events)
    note = guard_refcounts()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    base_page, base_table, base_open = open_baseline(args.events)
    # First as after a restart: the database is not in memory. Then again, all in memory.
    evicted = evict_from_memory(path)
    cold_page, _, cold_open = open_page(path)
    cold_page.close()
    cold_page.deleteLater()
    app.processEvents()
    page, table, ours_open = open_page(path)
    assert page.model.rowCount() == args.events, page.model.rowCount()
    bar = table.verticalScrollBar()
    plan = scroll_plan(args.steps, bar.maximum(), bar.pageStep())
    # Shared 2-core machines add scheduling stalls to any frame: run the plan in rounds,
    # baseline and ours alternating, and take each step's best round too (its real cost).
    rounds: dict[str, list[list[float]]] = {"baseline": [], "bellhop": []}
    for _ in range(args.rounds):
        rounds["baseline"].append(scroll_frames(app, base_table, plan))
        rounds["bellhop"].append(scroll_frames(app, table, plan))
    base = frame_figures(rounds["baseline"])
    ours = frame_figures(rounds["bellhop"])
    filters = {label: filter_figures(app, page, event_filter) for label, event_filter in (
        ("search '王小明'", EventFilter(text="王小明")),
        ("status failed", EventFilter(status="failed")),
        ("status skipped", EventFilter(status="skipped")),
        ("rule Stock alerts", EventFilter(rule_id="r_misc")),
        ("search 'no such words'", EventFilter(text="no such words")),
    )}
    print(f"Activity page, {args.events:,} events, {args.steps} scroll steps "
          f"(offscreen Qt, {PAGE_SIZE[0]}×{PAGE_SIZE[1]})")
    print("                            baseline    Bellhop    ratio  target")
    print(f"  open, database not in memory {base_open:6.3f} s {cold_open:8.3f} s "
          f"{cold_open / base_open:7.2f}  instant (≤ 0.1 s) "
          f"{'PASS' if cold_open <= 0.1 else 'MISS'}"
          + ("" if evicted else "  (could not evict the file: in memory after all)"))
    print(f"  open again, in memory      {base_open:8.3f} s {ours_open:8.3f} s "
          f"{ours_open / base_open:7.2f}  instant (≤ 0.1 s) "
          f"{'PASS' if ours_open <= 0.1 else 'MISS'}")
    for key, label in (("worst_any_ms", "worst frame, any round"),
                       ("worst_ms", "worst frame, best round"), ("p99_ms", "p99 frame, best round"),
                       ("median_ms", "median frame, best round")):
        target = ("≤ 50 ms " + ("PASS" if ours[key] <= 50 else "MISS")) if "worst" in key else ""
        print(f"  {label:26} {base[key]:7.2f} ms {ours[key]:7.2f} ms "
              f"{ours[key] / base[key]:7.2f}  {target}")
    print(f"  slowest frames, baseline: {'; '.join(base['spikes'][:3])}")
    print(f"  slowest frames, Bellhop:  {'; '.join(ours['spikes'][:3])}")
    print("  filters (ours only)        first rows   complete   longest stall   rows")
    for label, figures in filters.items():
        print(f"    {label:24} {figures['first_paint_s'] * 1000:7.1f} ms "
              f"{figures['complete_s']:8.2f} s {figures['longest_stall_ms']:10.1f} ms "
              f"{figures['rows']:9,}")
    if note:
        print(note)
    results = BENCH / "results" / "activity.json"
    results.write_text(json.dumps({
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "events": args.events,
        "steps": args.steps, "rounds": args.rounds,
        "open_s": {"baseline": base_open, "bellhop": ours_open, "bellhop_cold": cold_open,
                   "evicted": evicted},
        "frames": {"baseline": base, "bellhop": ours}, "filters": filters}, indent=2))
    base_page.close()
    page.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
