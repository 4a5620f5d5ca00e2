"""ActivityModel paging over a real events.db with thousands of events (no engine needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bellhop.core.storage import records
from bellhop.core.storage.activity import EventFilter
from bellhop.core.storage.records import EventRecord
from bellhop.core.storage.schema import migrate
from bellhop.core.storage.store import connect
from support.records import make_event, make_run


def order_event(n: int, rule_id: str) -> EventRecord:
    """Order #n, received n seconds after the first."""
    return make_event({"name": f"#{n}", "total_price": f"{n}.00", "currency": "TWD",
                       "shipping_address": {"name": "王小明"}}, rule_id,
                      received_ts=1_790_000_000.0 + n)


class Store:
    """A writer and a reader on one events.db, like the engine and the window."""

    def __init__(self, path: Path) -> None:
        self.writer = connect(path)
        migrate(self.writer)
        self.reader = connect(path, readonly=True)
        self.count = 0

    def add(self, count: int, status: str = "succeeded") -> list[EventRecord]:
        events = [order_event(self.count + i, "r_shop" if i % 4 else "r_form")
                  for i in range(count)]
        self.count += count
        self.writer.execute("BEGIN")
        records.write_rows(self.writer, [records.event_row(e) for e in events],
                           [records.run_rows(make_run(e, status)) for e in events])
        self.writer.execute("COMMIT")
        return events

    def read(self, query: Any) -> Any:
        return query(self.reader)

    def ids(self, where: str = "1") -> list[str]:
        return [row[0] for row in self.reader.execute(
            f"SELECT id FROM events WHERE {where} ORDER BY seq DESC")]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "events.db")
    yield s
    s.reader.close()
    s.writer.close()


@pytest.fixture
def model(store: Store, qapp: Any) -> Any:
    from bellhop.ui.activity.model import ActivityModel

    m = ActivityModel(store.read)
    m.set_rule_names({"r_shop": "Shop orders", "r_form": "Website form"})
    return m


def listed(model: Any) -> list[str]:
    return [model.event_at(row).id for row in range(model.rowCount())]


def test_rows_page_in_newest_first_and_the_cache_stays_bounded(store: Store, model: Any) -> None:
    store.add(3000)
    model.reload()
    ids = store.ids()
    assert model.rowCount() == 3000 and not model.scanning
    for row in (0, 1, 199, 200, 1500, 2999):
        assert model.event_at(row).id == ids[row]
    assert model.index(1500, model.SUMMARY).data() == "#1499 · NT$1,499 · 王小明"
    assert model.index(0, model.RULE).data() in ("Shop orders", "Website form")
    assert listed(model) == ids
    assert len(model._cache) <= model.CACHED_ROWS


def test_holes_and_filters_are_found_by_scans(store: Store, model: Any, qtbot: Any) -> None:
    store.add(2500)
    store.writer.execute("DELETE FROM runs WHERE event_id IN "
                         "(SELECT id FROM events WHERE seq % 7 = 0)")
    store.writer.execute("DELETE FROM events WHERE seq % 7 = 0")
    model.reload()
    qtbot.waitUntil(lambda: not model.scanning, timeout=5000)
    assert listed(model) == store.ids()
    model.reload(EventFilter(rule_id="r_form"))
    qtbot.waitUntil(lambda: not model.scanning, timeout=5000)
    assert listed(model) == store.ids("rule_id = 'r_form'")
    model.reload(EventFilter(text="#24"))
    qtbot.waitUntil(lambda: not model.scanning, timeout=5000)
    assert listed(model) == store.ids("CAST(body AS TEXT) LIKE '%#24%'")


def test_news_go_on_top_and_statuses_follow_the_latest_run(store: Store, model: Any) -> None:
    store.add(450)
    model.reload()
    model.event_at(0)  # cached now: its status must still change
    fresh = store.add(3)
    assert model.refresh_news() == 3
    assert listed(model)[:3] == [e.id for e in reversed(fresh)]
    store.writer.execute("BEGIN")
    records.save_run(store.writer, make_run(fresh[0], "failed"))
    store.writer.execute("COMMIT")
    model.update_statuses([fresh[0].id])
    assert model.index(2, model.STATUS).data() == "Failed"

    model.reload(EventFilter(status="failed"))
    assert listed(model) == [fresh[0].id]
    store.writer.execute("BEGIN")
    records.save_run(store.writer, make_run(fresh[1], "failed"))
    records.save_run(store.writer, make_run(fresh[0], "succeeded"))
    store.writer.execute("COMMIT")
    model.update_statuses([fresh[0].id, fresh[1].id])
    assert listed(model) == [fresh[1].id]


def test_the_view_keeps_its_place_when_news_arrive(store: Store, model: Any, qtbot: Any) -> None:
    from bellhop.ui.activity.table import ActivityTableView

    store.add(500)
    model.reload()
    view = ActivityTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(800, 400)
    view.show()
    bar = view.verticalScrollBar()
    bar.setValue(100)
    first_seen = view.indexAt(view.viewport().rect().topLeft()).data()
    store.add(5)
    model.refresh_news()
    qtbot.wait(10)
    assert bar.value() == 105
    assert view.indexAt(view.viewport().rect().topLeft()).data() == first_seen
    bar.setValue(0)
    store.add(2)
    model.refresh_news()
    assert bar.value() == 0  # at the top, new events simply show up


def test_an_empty_store_says_so(model: Any, qtbot: Any) -> None:
    from bellhop.ui.activity.table import ActivityTableView

    model.reload()
    assert model.rowCount() == 0
    view = ActivityTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 200)
    blank = view.grab().toImage()
    view.empty_text = "Nothing has arrived yet."
    assert view.grab().toImage() != blank  # the sentence is painted


def test_an_uncounted_range_drops_the_holes_its_rows_show(store: Store, model: Any, qtbot: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # A cold disk made the count too slow, and another program had deleted events:
    # the rows read show the holes, and the model drops those rows as it meets them.
    from contextlib import contextmanager

    from bellhop.core.storage import activity

    store.add(900)
    store.writer.execute("DELETE FROM runs WHERE event_id IN "
                         "(SELECT id FROM events WHERE seq % 5 = 0)")
    store.writer.execute("DELETE FROM events WHERE seq % 5 = 0")

    @contextmanager
    def count_too_slow(conn: Any, seconds: float) -> Iterator[None]:
        raise activity.TooSlow
        yield

    monkeypatch.setattr(activity, "interrupt_after", count_too_slow)
    model.reload()
    assert model.rowCount() == 899 and not model._listing.checked  # seqs 1-899, uncounted
    model.event_at(0)  # the first paint reads the first block: seqs without events in it
    qtbot.waitUntil(lambda: model.rowCount() == 899 - 40, timeout=5000)  # 40 holes in 200
    assert [model.event_at(row).id for row in range(160)] == store.ids()[:160]
    for row in range(model.rowCount()):  # scrolling down the rest
        model.event_at(row)
    qtbot.waitUntil(lambda: model.rowCount() == 720, timeout=5000)
    assert listed(model) == store.ids()
