"""The Activity page on the real engine: live rows, failures in plain words, Retry, Replay, curl."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from bellhop.core.running.rules import new_token


def make_rule(steps: list[dict[str, Any]], rule_id: str = "r_orders",
              name: str = "Shop orders") -> dict[str, Any]:
    """A webhook rule with these steps and a fresh token."""
    return {"id": rule_id, "name": name, "enabled": True,
            "trigger": {"type": "webhook", "token": new_token()}, "steps": steps}


def add_rule(app: Any, qtbot: Any, raw: dict[str, Any]) -> str:
    """Save a rule through the bridge (on the engine loop); its local webhook URL."""
    saved: list[Any] = []
    app.bridge.call_plain(lambda service: service.upsert_rule(raw), saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    receiver = app.bridge.service.receiver
    return f"{receiver.base_url}/hooks/{raw['trigger']['token']}"


def post(url: str, body: Any, content_type: str = "application/json") -> str:
    """POST a webhook from the test thread like a service would; the stored event's id."""
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return str(json.loads(answer.read())["event_id"])


def order(number: int, total: float, buyer: str = "王小明") -> dict[str, Any]:
    """A small Shopify-like order."""
    return {"name": f"#{number}", "order_number": number, "total_price": f"{total:.2f}",
            "currency": "TWD", "shipping_address": {"name": buyer}}


def statuses(model: Any) -> list[str]:
    """The status of every listed row, top first."""
    return [model.event_at(row).status for row in range(model.rowCount())]


def append_step(path: str, attempts: int = 1) -> dict[str, Any]:
    """An 'add a row to a spreadsheet file' step, tried `attempts` times."""
    return {"type": "append_file", "name": "Add the order to orders.csv", "path": path,
            "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}"},
            "retry": {"attempts": attempts}}


def big_orders_only() -> dict[str, Any]:
    """A filter step: go on only for orders over NT$100."""
    return {"type": "filter", "name": "Only orders over NT$100", "match": "all",
            "conditions": [{"field": "body.total_price", "op": "gt", "value": 100}]}


def click(qtbot: Any, button: Any) -> None:
    """A left click."""
    from PySide6.QtCore import Qt

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def page(bellhop_app: Any) -> Any:
    """The Activity page, shown."""
    bellhop_app.window.show_page("activity")
    return bellhop_app.window.activity_page


def test_webhooks_appear_live_on_top_with_their_status(
        bellhop_app: Any, page: Any, qtbot: Any, tmp_path: Path) -> None:
    url = add_rule(bellhop_app, qtbot, make_rule(
        [big_orders_only(), append_step(str(tmp_path / "orders.csv"))]))
    for number, total in ((1001, 1280), (1002, 50), (1003, 300)):
        post(url, order(number, total))
    model = page.model
    qtbot.waitUntil(lambda: statuses(model) == ["succeeded", "skipped", "succeeded"],
                    timeout=10000)
    assert model.index(0, model.SUMMARY).data() == "#1003 · NT$300 · 王小明"
    assert model.index(2, model.SUMMARY).data().startswith("#1001")
    qtbot.waitUntil(lambda: model.index(0, model.RULE).data() == "Shop orders", timeout=5000)
    assert model.index(1, model.STATUS).data() == "Skipped"
    assert page.count.text() == "3 events"
    assert (tmp_path / "orders.csv").read_text(encoding="utf-8-sig").count("#100") == 2


def test_a_failed_step_shows_its_plain_error_then_retry_and_replay_make_runs(
        bellhop_app: Any, page: Any, qtbot: Any, tmp_path: Path, artifacts: Path) -> None:
    blocker = tmp_path / "Orders"
    blocker.write_text("a file where a folder should be")
    url = add_rule(bellhop_app, qtbot, make_rule([append_step(str(blocker / "orders.csv"))]))
    post(url, order(1042, 1280, "林美玲"))
    model, detail = page.model, page.detail
    qtbot.waitUntil(lambda: statuses(model) == ["failed"], timeout=10000)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: detail.shown is not None, timeout=5000)
    assert detail.problem.isVisible()
    problem = detail.problem.text()
    assert problem.startswith("“Add the order to orders.csv” could not be done:")
    assert "Traceback" not in problem and str(blocker) in problem
    assert detail.retry.isEnabled() and detail.retry.isVisible()
    step_item = detail.runs.tree.currentItem()
    assert step_item.text(0) == "Add the order to orders.csv" and step_item.text(1) == "Failed"
    assert detail.runs.details.toPlainText().startswith("What went wrong")

    shot = bellhop_app.window.grab()
    shot.save(str(artifacts / "activity-failed-step.png"))
    assert (shot.width(), shot.height()) == (1280, 800)
    image = shot.toImage()
    colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 23)}
    assert len(colours) > 12  # not a blank window

    blocker.unlink()  # fix the problem, then try again
    blocker.mkdir()
    click(qtbot, detail.retry)
    qtbot.waitUntil(lambda: detail.runs.runs and detail.runs.runs[-1].status == "succeeded",
                    timeout=10000)
    assert len(detail.runs.runs) == 1 and detail.runs.runs[0].steps[0].attempts == 2
    assert not detail.problem.isVisible() and not detail.retry.isEnabled()
    qtbot.waitUntil(lambda: statuses(model) == ["succeeded"], timeout=5000)

    click(qtbot, detail.replay)
    qtbot.waitUntil(lambda: len(detail.runs.runs) == 2
                    and detail.runs.runs[-1].status == "succeeded", timeout=10000)
    assert detail.runs.tree.topLevelItemCount() == 2
    assert detail.runs.tree.topLevelItem(0).text(0).startswith("Run 2 · Replayed")
    assert (blocker / "orders.csv").read_text(encoding="utf-8-sig").count("#1042") == 2


def test_copy_as_curl_puts_a_working_command_on_the_clipboard(
        bellhop_app: Any, page: Any, qtbot: Any) -> None:
    from PySide6.QtGui import QGuiApplication

    url = add_rule(bellhop_app, qtbot, make_rule([]))
    event_id = post(url, order(7, 990, "陳志豪"))
    page.select_event(event_id)
    qtbot.waitUntil(lambda: page.detail.shown is not None and bool(page.rules), timeout=5000)
    click(qtbot, page.detail.copy)
    command = QGuiApplication.clipboard().text()
    assert url in command and '"name": "#7"' in command and "陳志豪" in command
    assert "Content-Type: application/json" in command
    assert page.detail.feedback.text().startswith("Copied.")

    request = page.detail.request  # "What arrived": tidy JSON, or exactly as received
    page.detail.tabs.setCurrentWidget(request)
    assert '\n  "name": "#7",' in request.body.toPlainText()
    request.raw.setChecked(True)
    assert request.body.toPlainText().startswith('{"name": "#7", "order_number": 7')
    headers = {request.headers.item(row, 0).text(): request.headers.item(row, 1).text()
               for row in range(request.headers.rowCount())}
    assert headers["Content-Type"] == "application/json"
    if shutil.which("curl") is None:
        return
    subprocess.run(["bash", "-c", command], check=True, capture_output=True, timeout=10)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    assert page.model.index(0, page.model.SUMMARY).data() == "#7 · NT$990 · 陳志豪"


def test_status_filter_rule_filter_and_search_narrow_the_rows(
        bellhop_app: Any, page: Any, qtbot: Any) -> None:
    url = add_rule(bellhop_app, qtbot, make_rule([big_orders_only()]))
    other = add_rule(bellhop_app, qtbot, make_rule([], rule_id="r_form", name="Website form"))
    post(url, order(1, 500, "王小明"))
    post(url, order(2, 20, "Alice"))
    post(url, order(3, 30, "王小明"))
    post(other, b"name=%E5%BC%B5%E5%B0%8F%E8%8F%AF&phone=0922333444",
         "application/x-www-form-urlencoded")
    model = page.model
    qtbot.waitUntil(lambda: model.rowCount() == 4 and "running" not in statuses(model),
                    timeout=10000)
    qtbot.waitUntil(lambda: page.rule_choice.count() == 3, timeout=5000)

    page.status_choice.setCurrentIndex(page.status_choice.findData("skipped"))
    qtbot.waitUntil(lambda: not model.scanning, timeout=5000)
    assert statuses(model) == ["skipped", "skipped"]
    assert page.count.text() == "2 events match"

    page.search.setText("王小明")  # applied once typing pauses
    assert model.rowCount() == 2
    qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.scanning, timeout=5000)
    assert model.index(0, model.SUMMARY).data().startswith("#3")

    page.status_choice.setCurrentIndex(0)
    page.search.setText("張小華")  # a form body: the text is percent-encoded in it
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.event_at(0).rule_id == "r_form",
                    timeout=5000)
    page.search.clear()
    page.rule_choice.setCurrentIndex(page.rule_choice.findData("r_orders"))
    qtbot.waitUntil(lambda: model.rowCount() == 3 and not model.scanning, timeout=5000)

    page.status_choice.setCurrentIndex(page.status_choice.findData("failed"))
    qtbot.waitUntil(lambda: not model.scanning, timeout=5000)
    assert model.rowCount() == 0
    assert "No events match" in page.table.empty_text


def test_showing_an_event_clears_filters_that_hide_it(
        bellhop_app: Any, page: Any, qtbot: Any) -> None:
    url = add_rule(bellhop_app, qtbot, make_rule([big_orders_only()]))
    first = post(url, order(1, 500))
    post(url, order(2, 600))
    qtbot.waitUntil(lambda: statuses(page.model) == ["succeeded", "succeeded"], timeout=10000)
    page.status_choice.setCurrentIndex(page.status_choice.findData("failed"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and not page.model.scanning,
                    timeout=5000)
    bellhop_app.window.show_page("rules")
    bellhop_app.window.show_event(first)
    assert bellhop_app.window.pages.currentWidget() is page
    assert page.status_choice.currentData() is None and page.model.rowCount() == 2
    assert page.table.currentIndex().row() == 1
    assert page.detail.shown is not None and page.detail.shown.id == first


def test_the_window_answers_while_a_step_is_slow(
        bellhop_app: Any, page: Any, qtbot: Any) -> None:
    """While a service holds a step, the window keeps running and shows other orders.

    Counted, not timed: the service holds the step until the test lets go, so every timer
    tick and the second order's row happen while the step is still waiting. A window that
    waited on the step would show neither (the waits time out instead)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from PySide6.QtCore import QTimer

    arrived, let_go = threading.Event(), threading.Event()

    class HeldHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            arrived.set()
            let_go.wait(60)  # a guard against hanging, not a duration
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), HeldHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = add_rule(bellhop_app, qtbot, make_rule([{
            "type": "http_request", "name": "Tell the warehouse",
            "url": f"http://127.0.0.1:{server.server_port}/", "body": "{}"}]))
        quick = add_rule(bellhop_app, qtbot, make_rule([big_orders_only()], rule_id="r_quick",
                                                       name="Quick orders"))
        post(url, order(9, 100))
        qtbot.waitUntil(lambda: arrived.is_set() and statuses(page.model) == ["running"],
                        timeout=10000)
        ticks: list[int] = []
        timer = QTimer(interval=10)
        timer.timeout.connect(lambda: ticks.append(len(ticks)))
        timer.start()
        qtbot.waitUntil(lambda: len(ticks) >= 50, timeout=10000)
        post(quick, order(10, 500))
        qtbot.waitUntil(lambda: statuses(page.model) == ["succeeded", "running"], timeout=10000)
        timer.stop()
        assert not let_go.is_set()  # all of the above happened while the step was held
        let_go.set()
        qtbot.waitUntil(lambda: statuses(page.model) == ["succeeded", "succeeded"],
                        timeout=10000)
    finally:
        let_go.set()
        server.shutdown()
