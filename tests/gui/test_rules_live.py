"""The Rules page with the real engine: deliveries, test runs, problems, samples, undo."""

from __future__ import annotations

import csv
import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from test_rules_builder import assert_real_screenshot

from bellhop.core.gallery.starters import STARTERS
from bellhop.ui.rules.results import StepResultDialog
from bellhop.ui.rules.samples import read_rule_sample, sample_file

BLANK = next(starter for starter in STARTERS if starter.key == "blank")
SHOPIFY = next(starter for starter in STARTERS if starter.key == "shopify")


def wait_for(qtbot: Any, condition: Any, timeout: int = 10000) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def make_rule(app: Any, qtbot: Any, name: str, steps: list[dict[str, Any]] | None = None,
              sample: str | None = None, starter: Any = BLANK) -> Any:
    """Create a rule on the page, give it steps and a sample, and save it."""
    page = app.window.rules_page
    rule_id = page.keeper.create(starter, name, [])
    wait_for(qtbot, lambda: page.draft is not None and page.draft.id == rule_id)
    if sample:
        page.samples.use_shipped(rule_id, sample)
    for index, step in enumerate(steps or []):
        page.chain.insert_card(index, step["type"])
        page.draft.set_step(index, step)
    if steps:
        save(page, qtbot)
    return page


def save(page: Any, qtbot: Any) -> None:
    page.builder.save_button.click()
    wait_for(qtbot, lambda: not page.draft.dirty)


def post(url: str, body: bytes, content_type: str = "application/json") -> int:
    """POST from another thread, like a web service (the engine has its own thread)."""
    answers: list[int] = []

    def send() -> None:
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answers.append(response.status)
        except urllib.error.HTTPError as error:
            answers.append(error.code)

    thread = threading.Thread(target=send)
    thread.start()
    thread.join(15)
    return answers[0]


def test_a_real_delivery_counts_in_todays_events(bellhop_app: Any, qtbot: Any) -> None:
    page = make_rule(bellhop_app, qtbot, "Orders")
    rule_id = page.draft.id
    row = page.rule_list.rows[rule_id]
    assert row.count.text() == "Events today: 0"
    url = page.summaries[rule_id].url
    assert url.endswith(page.draft.trigger["token"])
    assert page.chain.trigger_card.url.full_text() == url
    page.chain.trigger_card.copy.click()
    assert QGuiApplication.clipboard().text() == url
    assert post(url, b'{"name": "#1"}') == 202
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].events == 1)
    assert post(url, b'{"name": "#2"}') == 202
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].count.text() == "Events today: 2")
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].dot.state == "ok")


def test_deliveries_waiting_to_run_are_counted_on_the_rule(bellhop_app: Any,
                                                           qtbot: Any) -> None:
    page = make_rule(bellhop_app, qtbot, "Orders")
    rule_id = page.draft.id
    url = page.summaries[rule_id].url
    paused: list[Any] = []
    bellhop_app.bridge.call_plain(lambda s: s.engine.pause_all(), paused.append)
    wait_for(qtbot, lambda: paused)
    for n in range(3):
        assert post(url, b'{"n": %d}' % n) == 202
    # The list may be rebuilt meanwhile (rules.json is read again): look the row up each time.
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].count.text()
             == "Events today: 3 · 3 waiting")
    assert "3 deliveries are safe on disk" in page.rule_list.rows[rule_id].count.toolTip()
    bellhop_app.bridge.call(lambda s: s.engine.resume_all())
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].count.text() == "Events today: 3")


def test_a_failed_run_turns_the_dot_red(bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    page = make_rule(bellhop_app, qtbot, "Broken file", steps=[
        {"type": "append_file", "path": str(tmp_path),  # a folder, not a file
         "columns": {"Order": "{{ body.name }}"}}])
    rule_id = page.draft.id
    assert post(page.summaries[rule_id].url, b'{"name": "#9"}') == 202
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].dot.state == "failed")
    assert page.rule_list.rows[rule_id].dot.toolTip().startswith("The last run failed: ")


def test_run_test_shows_checks_on_cards_and_writes_the_row(
        bellhop_app: Any, qtbot: Any, tmp_path: Path, artifacts: Path) -> None:
    sheet = tmp_path / "orders.csv"
    page = make_rule(bellhop_app, qtbot, "Big orders", sample="shopify_order", steps=[
        {"type": "filter", "conditions": [
            {"field": "body.total_price", "op": "gt", "value": 1000}]},
        {"type": "append_file", "path": str(sheet),
         "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}"}},
    ])
    page.builder.test_button.click()
    wait_for(qtbot, lambda: page.chain.results)
    assert [card.state for card in page.chain.cards] == ["ok", "ok"]
    assert page.builder.message.text() == "Test finished: every card worked."
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["Order", "Total"], ["#1042", "1640.00"]]
    # Details show what the card was given and what it gave.
    page.chain.cards[1].details.click()
    dialogs = page.findChildren(StepResultDialog)
    assert dialogs and "orders.csv" in json.dumps(page.chain.results[1].input)
    dialogs[-1].close()
    # The preview can use what earlier cards gave in the test.
    assert page.context.step_outputs["1"]["matched"] is True
    qtbot.wait(100)
    assert_real_screenshot(bellhop_app.window, artifacts / "rules_test_run.png")

    # A filter that does not match stops the rule: the later card is shown as not run.
    page.chain.select(0)
    editors = page.inspector.form.editor("conditions").rows[0][1]
    editors["value"].edit.setText("5000")
    editors["value"].edit.textEdited.emit("5000")
    assert not page.chain.results  # a change makes the last test's marks stale
    page.builder.test_button.click()
    wait_for(qtbot, lambda: page.chain.results)
    assert [card.state for card in page.chain.cards] == ["ok", "skipped"]
    assert page.chain.cards[0].state_text.text().startswith(
        "Skipped: the order total, 1640.00, is not more than 5000.")
    assert len(sheet.read_text(encoding="utf-8-sig").splitlines()) == 2


def test_a_rule_with_problems_is_saved_off_with_the_problem_on_its_card(
        bellhop_app: Any, qtbot: Any, home: Path) -> None:
    page = make_rule(bellhop_app, qtbot, "Shopify orders", starter=SHOPIFY)
    rule_id = page.draft.id
    email = page.chain.cards[1]
    assert email.state == "problem"
    assert "'Email account'" in email.state_text.text() and "'To'" in email.state_text.text()
    assert page.chain.cards[0].state == "" and page.chain.cards[2].state == ""
    assert page.builder.problems.isVisibleTo(page)
    saved = json.loads((home / "rules.json").read_text(encoding="utf-8"))["rules"][0]
    assert saved["enabled"] is False  # made turned off: it cannot run yet
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].dot.state == "unavailable")
    assert "'To'" in page.rule_list.rows[rule_id].dot.toolTip()
    # Turning it on and saving again keeps it off while the problem is there.
    page.draft.raw["enabled"] = True
    page.draft.set_name("Shopify orders!")
    save(page, qtbot)
    saved = json.loads((home / "rules.json").read_text(encoding="utf-8"))["rules"][0]
    assert saved["enabled"] is False and saved["name"] == "Shopify orders!"
    assert "turned off" in page.builder.message.text()
    # Listening works even now: the delivery becomes the sample and no card runs.
    page.chain.select(-1)
    page.inspector.trigger.listen_button.click()
    assert page.samples.waiting_for == rule_id
    body = b'{"name": "#2001", "total_price": "3200.00"}'
    assert post(page.summaries[rule_id].url, body, "application/json") == 202
    wait_for(qtbot, lambda: page.context.sample["body"].get("name") == "#2001")
    runs = bellhop_app.bridge.read(
        lambda conn: conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    states = bellhop_app.bridge.read(
        lambda conn: [row[0] for row in conn.execute("SELECT state FROM events")])
    assert runs == 0 and states == ["sample"]
    # The rule is still off, so the next delivery is not taken.
    assert post(page.summaries[rule_id].url, body, "application/json") == 404


def test_listening_makes_the_next_delivery_the_sample(bellhop_app: Any, qtbot: Any,
                                                      home: Path) -> None:
    page = make_rule(bellhop_app, qtbot, "Contact form")
    rule_id = page.draft.id
    assert not page.context.has_sample
    trigger = page.inspector.trigger
    trigger.listen_button.click()
    assert page.samples.waiting_for == rule_id and "Waiting" in trigger.listen_status.text()
    body = b"name=%E5%BC%B5%E5%B0%8F%E8%8F%AF&email=hua%40example.com"
    assert post(page.summaries[rule_id].url, body, "application/x-www-form-urlencoded") == 202
    wait_for(qtbot, lambda: page.context.has_sample)
    assert page.context.sample["body"] == {"name": "張小華", "email": "hua@example.com"}
    assert not trigger.listen_button.isChecked() and "Got it" in trigger.listen_status.text()
    assert "張小華" in trigger.sample_view.toPlainText()
    # Kept on disk under <home>/samples, so it is there after a restart.
    assert sample_file(home, rule_id).exists()
    assert read_rule_sample(home, rule_id)["body"]["email"] == "hua@example.com"
    assert "delivery received" in page.chain.trigger_card.summary.full_text()


def test_signature_secret_goes_to_the_keychain_only(bellhop_app: Any, qtbot: Any,
                                                    memory_keyring: Any, home: Path) -> None:
    page = make_rule(bellhop_app, qtbot, "Signed orders")
    trigger = page.inspector.trigger
    trigger.scheme.setCurrentIndex(trigger.scheme.findData("shopify"))
    trigger.scheme.activated.emit(trigger.scheme.currentIndex())
    assert page.draft.trigger["verify"] == {"scheme": "shopify",
                                            "secret": f"rule-{page.draft.id}-signing"}
    qtbot.keyClicks(trigger.secret, "shpss_topsecret")
    qtbot.keyClick(trigger.secret, Qt.Key.Key_Return)
    wait_for(qtbot, lambda: trigger.secret_status.text() == "Saved in your system keychain.")
    assert trigger.secret.text() == ""
    assert memory_keyring.get_password("bellhop", f"rule-{page.draft.id}-signing") == \
        "shpss_topsecret"
    save(page, qtbot)
    assert "shpss_topsecret" not in (home / "rules.json").read_text(encoding="utf-8")


def test_a_slow_answer_to_is_it_saved_does_not_undo_saved(
        bellhop_app: Any, qtbot: Any, memory_keyring: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine thread answers "is the secret saved?" after the person saved it: the
    # older answer must not turn "Saved" back into "No secret saved yet".
    service = bellhop_app.bridge.service
    real = service.has_secret

    def slow(name: str) -> bool:
        saved = bool(real(name))  # asked before the save: not yet
        time.sleep(0.5)
        return saved

    monkeypatch.setattr(service, "has_secret", slow)
    page = make_rule(bellhop_app, qtbot, "Signed orders")
    trigger = page.inspector.trigger
    trigger.scheme.setCurrentIndex(trigger.scheme.findData("shopify"))
    trigger.scheme.activated.emit(trigger.scheme.currentIndex())  # asks, slowly
    qtbot.keyClicks(trigger.secret, "shpss_topsecret")
    qtbot.keyClick(trigger.secret, Qt.Key.Key_Return)
    wait_for(qtbot, lambda: trigger.secret_status.text() == "Saved in your system keychain.")
    qtbot.wait(800)  # the slow answer has come back by now
    assert trigger.secret_status.text() == "Saved in your system keychain."


def test_delete_with_undo_and_duplicate(bellhop_app: Any, qtbot: Any, home: Path) -> None:
    page = make_rule(bellhop_app, qtbot, "Orders", sample="shopify_order")
    rule_id = page.draft.id
    page.rule_list.duplicate_button.click()
    wait_for(qtbot, lambda: len(page.rule_list.rows) == 2)
    copy_id = next(i for i in page.rule_list.rows if i != rule_id)
    wait_for(qtbot, lambda: page.draft.id == copy_id)
    assert page.draft.name == "Orders (copy)" and page.draft.raw["enabled"] is False
    assert page.context.sample["source"] == "shopify_order"
    assert page.summaries[copy_id].url != page.summaries[rule_id].url
    switch = page.rule_list.rows[copy_id].switch
    assert not switch.isChecked()
    switch.click()  # the list's on/off switch saves at once

    def copy_on() -> bool:
        rules = json.loads((home / "rules.json").read_text(encoding="utf-8"))["rules"]
        return next(r for r in rules if r["id"] == copy_id)["enabled"] is True

    wait_for(qtbot, copy_on)
    wait_for(qtbot, lambda: page.rule_list.rows[copy_id].dot.state == "ok")

    page.rule_list.select(rule_id)
    page.rule_list.delete_button.click()
    wait_for(qtbot, lambda: list(page.rule_list.rows) == [copy_id])
    bar = page.keeper.undo_bar
    assert bar.isVisibleTo(page) and "Orders" in bar.text.text()
    bar.undo_button.click()
    wait_for(qtbot, lambda: rule_id in page.rule_list.rows)
    wait_for(qtbot, lambda: page.draft is not None and page.draft.id == rule_id)
    assert page.context.sample is not None  # the sample stayed for the undo
    names = [r["name"] for r in json.loads((home / "rules.json").read_text())["rules"]]
    assert sorted(names) == ["Orders", "Orders (copy)"]

    page.rule_list.select(copy_id)
    page.rule_list.delete_button.click()
    wait_for(qtbot, lambda: list(page.rule_list.rows) == [rule_id])
    bar.dismiss()  # the offer ends: the copy's sample goes too
    assert not sample_file(home, copy_id).exists()
    page.rule_list.delete_button.click()
    wait_for(qtbot, lambda: page.centre.currentWidget() is page.empty)
