"""Errors offer their fix; retries count down and can be stopped; Run test asks first.

The real window on the real engine, offscreen: a real SMTP server that refuses the
password, a file where a folder should be, an address nobody listens on. Screenshots go
to test-artifacts/ (and /tmp/errors-*.png) to be looked at.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_activity_page import add_rule, make_rule, order, post, statuses
from test_rules_live import make_rule as build_rule

from bellhop.core.platform import paths
from bellhop.ui.activity import countdown
from bellhop.ui.rules.problems import TRIGGER
from bellhop.ui.rules.real_effects import RealEffectsDialog
from support.ports import free_port


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def shoot(widget: Any, name: str, artifacts: Path) -> None:
    picture = widget.grab()
    assert not picture.isNull()
    picture.save(str(artifacts / f"errors-{name}.png"))
    picture.save(f"/tmp/errors-{name}.png")


def focused_in(widget: Any) -> bool:
    """True when the window's keyboard focus is on `widget` or inside it (offscreen, the
    window may not be the active one: its own focus widget says where the cursor is)."""
    focus = widget.window().focusWidget() or QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


@pytest.fixture
def activity(bellhop_app: Any) -> Any:
    bellhop_app.window.show_page("activity")
    return bellhop_app.window.activity_page


def select_first_event(page: Any, qtbot: Any) -> Any:
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.shown is not None, timeout=5000)
    return page.detail


# -- the fix of an error, in Activity ---------------------------------------------------------

def refuse_every_password(server: Any, session: Any, envelope: Any, mechanism: Any,
                          data: Any) -> AuthResult:
    return AuthResult(success=False, handled=False)


class Inbox:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 Message accepted"


@pytest.fixture
def strict_smtp() -> Iterator[Controller]:
    """A mail server on 127.0.0.1 that refuses every username and password."""
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port(),
                            authenticator=refuse_every_password, auth_require_tls=False)
    controller.start()
    yield controller
    controller.stop()


def add_mail_account(app: Any, qtbot: Any, port: int) -> None:
    done: list[Any] = []
    account = {"kind": "smtp", "host": "127.0.0.1", "port": port, "security": "none",
               "username": "shop@example.com", "from": "shop@example.com"}
    app.bridge.call_plain(lambda s: s.set_account("Shop mail", account, "wrong password"),
                          done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)


def email_step() -> dict[str, Any]:
    return {"type": "send_email", "name": "Email the warehouse", "account": "Shop mail",
            "to": "warehouse@example.com", "subject": "新訂單 {{ body.name }}",
            "retry": {"attempts": 1}}


def test_a_refused_password_offers_its_account_and_the_button_opens_it(
        bellhop_app: Any, activity: Any, qtbot: Any, strict_smtp: Controller,
        artifacts: Path) -> None:
    add_mail_account(bellhop_app, qtbot, strict_smtp.port)
    url = add_rule(bellhop_app, qtbot, make_rule([email_step()]))
    post(url, order(1042, 1640, "林美玲"))
    qtbot.waitUntil(lambda: statuses(activity.model) == ["failed"], timeout=15000)
    detail = select_first_event(activity, qtbot)
    assert "did not accept the username or password" in detail.problem.text()
    assert detail.fix.isVisible() and detail.fix.text() == "Open account “Shop mail”"
    assert detail.fix.toolTip()  # says where it leads
    shoot(bellhop_app.window, "activity-failed-step", artifacts)

    click(qtbot, detail.fix)
    window = bellhop_app.window
    accounts = window.accounts_page
    assert window.pages.currentWidget() is accounts
    qtbot.waitUntil(lambda: accounts.selected_name() == "Shop mail", timeout=5000)
    assert accounts.form.editing == "Shop mail" and accounts.form.isVisible()
    assert focused_in(accounts.form.password)  # where the new password goes
    shoot(window, "accounts-after-fix", artifacts)


def test_a_file_in_the_way_offers_edit_this_card_and_the_builder_shows_it(
        bellhop_app: Any, activity: Any, qtbot: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "Orders"
    blocker.write_text("a file where a folder should be")
    steps = [{"type": "filter", "name": "Only big orders", "conditions": [
                 {"field": "body.total_price", "op": "gt", "value": 100}]},
             {"type": "append_file", "name": "Add the order to orders.csv",
              "path": str(blocker / "orders.csv"), "columns": {"Order": "{{ body.name }}"},
              "retry": {"attempts": 1}}]
    raw = make_rule(steps, rule_id="r_file", name="Orders to a file")
    url = add_rule(bellhop_app, qtbot, raw)
    post(url, order(1043, 1280))
    qtbot.waitUntil(lambda: statuses(activity.model) == ["failed"], timeout=15000)
    detail = select_first_event(activity, qtbot)
    assert detail.fix.text() == "Edit this card"

    click(qtbot, detail.fix)
    window = bellhop_app.window
    rules = window.rules_page
    assert window.pages.currentWidget() is rules
    qtbot.waitUntil(lambda: rules.draft is not None and rules.draft.id == "r_file",
                    timeout=5000)
    assert rules.chain.selected == 1  # the second card, the one that failed
    assert rules.rule_list.current_id() == "r_file"
    form = rules.inspector.form
    assert form is not None and form.data["path"] == str(blocker / "orders.csv")
    assert focused_in(form.rows["path"])


def test_each_kind_of_fix_has_its_words_and_an_unknown_one_none() -> None:
    from bellhop.ui.fixes import fix_words

    assert fix_words(("open_account", "Shop mail"))[0] == "Open account “Shop mail”"
    assert fix_words(("sign_in_google", "Shop Google"))[0] == "Sign in to Google again"
    assert fix_words(("edit_card", 2, "to"))[0] == "Edit this card"
    assert fix_words(("edit_card", 0, "hash_key"))[0] == "Edit the trigger"
    assert fix_words(("connect_tunnel",))[0] == "Connect the tunnel"
    for words in map(fix_words, [("open_account", "a"), ("connect_tunnel",)]):
        assert words is not None and words[1]  # every button says where it leads
    assert fix_words(None) is None and fix_words(("format_disk",)) is None
    assert fix_words(("open_account",)) is None  # no account named: nothing to open


def test_the_google_and_tunnel_fixes_lead_to_their_settings(bellhop_app: Any, qtbot: Any) -> None:
    window = bellhop_app.window
    done: list[Any] = []
    google = {"kind": "google", "auth": "oauth", "client_id": "client-1"}
    bellhop_app.bridge.call_plain(lambda s: s.set_account("Shop Google", google), done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    accounts = window.accounts_page
    window.apply_fix(("sign_in_google", "Shop Google"), "r1")
    assert window.pages.currentWidget() is accounts
    qtbot.waitUntil(lambda: accounts.selected_name() == "Shop Google", timeout=5000)
    assert accounts.google_card.account_name() == "Shop Google"
    assert focused_in(accounts.google_card.sign_in_button)

    window.show_page("activity")
    window.apply_fix(("connect_tunnel",), "r1")
    assert window.pages.currentWidget() is accounts
    assert focused_in(accounts.tunnel_form)


# -- retries: a live countdown, and Stop retrying ---------------------------------------------

def unreachable_step() -> dict[str, Any]:
    """Calls an address nobody listens on: a passing problem, tried again in 10 minutes."""
    return {"type": "http_request", "name": "Tell the warehouse",
            "url": f"http://127.0.0.1:{free_port()}/orders",
            "retry": {"attempts": 3, "first_delay": 600}}


def waiting_run(app: Any, activity: Any, qtbot: Any) -> Any:
    url = add_rule(app, qtbot, make_rule([unreachable_step()], rule_id="r_wait",
                                         name="Tell the warehouse"))
    post(url, order(1044, 990))
    qtbot.waitUntil(lambda: statuses(activity.model) == ["waiting"], timeout=15000)
    detail = select_first_event(activity, qtbot)
    qtbot.waitUntil(lambda: detail.problem_run is not None
                    and detail.problem_run.next_try_ts is not None, timeout=5000)
    return detail


def test_the_retry_countdown_moves_each_second_in_the_detail_and_the_list(
        bellhop_app: Any, activity: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        artifacts: Path) -> None:
    detail = waiting_run(bellhop_app, activity, qtbot)
    due = detail.problem_run.next_try_ts
    assert "Could not reach 127.0.0.1" in detail.problem.text()
    assert detail.stop.isVisible() and not detail.retry.isVisible()
    assert detail.fix.text() == "Edit this card"  # the address may be wrong: its field
    assert activity.countdown.running  # shown, and something counts down

    model, cell = activity.model, activity.model.index(0, activity.model.STATUS)
    monkeypatch.setattr(countdown, "clock", lambda: due - 46.2)
    activity.countdown.fire()
    assert detail.problem.text().endswith("Bellhop will try again in 47 seconds.")
    assert cell.data() == "Retry in 0:47"
    monkeypatch.setattr(countdown, "clock", lambda: due - 45.2)
    activity.countdown.fire()
    assert detail.problem.text().endswith("Bellhop will try again in 46 seconds.")
    assert cell.data() == "Retry in 0:46"
    shoot(bellhop_app.window, "activity-countdown", artifacts)
    activity.countdown.fire(now=due - 125)  # the slot with a 'now' of its own
    assert detail.problem.text().endswith("Bellhop will try again in 2 min 5 s.")
    monkeypatch.setattr(countdown, "clock", lambda: due + 1)
    activity.countdown.fire()
    assert detail.problem.text().endswith("Bellhop is trying again now.")
    assert model.index(0, model.STATUS).data() == "Retrying now"

    # Only while someone can see it: another page stops the timer, coming back restarts it.
    bellhop_app.window.show_page("rules")
    assert not activity.countdown.running
    bellhop_app.window.show_page("activity")
    assert activity.countdown.running


def test_stop_retrying_ends_the_run_as_stopped_by_you_for_good(
        bellhop_app: Any, activity: Any, qtbot: Any, home: Path, artifacts: Path) -> None:
    detail = waiting_run(bellhop_app, activity, qtbot)
    run_id = detail.problem_run.id
    notes: list[Any] = []
    bellhop_app.tray.notified.connect(lambda *note: notes.append(note))
    bellhop_app.tray.set_coalesce_window(100)
    click(qtbot, detail.stop)
    qtbot.waitUntil(lambda: statuses(activity.model) == ["failed"], timeout=10000)
    qtbot.waitUntil(lambda: detail.problem.text().startswith("Stopped by you:"), timeout=5000)
    assert detail.problem.text() == ("Stopped by you: “Tell the warehouse” was not done. "
                                     "Could not reach 127.0.0.1. Check the address and the "
                                     "internet connection.")
    assert not detail.stop.isVisible() and detail.retry.isVisible()
    step_item = detail.runs.tree.topLevelItem(0).child(0)
    assert step_item.text(1) == "Stopped by you"
    qtbot.waitUntil(lambda: not activity.countdown.running, timeout=5000)
    shoot(bellhop_app.window, "activity-stopped", artifacts)
    qtbot.wait(400)  # past the tray's gathering window: the person knows, nothing pops up
    assert notes == []
    db = sqlite3.connect(f"file:{paths.events_db(home)}?mode=ro", uri=True)
    try:
        assert db.execute("SELECT status, next_try_ts FROM runs WHERE id = ?",
                          (run_id,)).fetchone() == ("failed", None)
        assert db.execute("SELECT status FROM step_runs WHERE run_id = ?",
                          (run_id,)).fetchone() == ("stopped",)
    finally:
        db.close()


def test_the_two_buttons_say_what_differs(activity: Any) -> None:
    detail = activity.detail
    assert detail.retry.text() == "Retry from the failed step"
    assert detail.replay.text() == "Run again with the current rule"
    assert "not done again" in detail.retry.toolTip()
    assert "as it is now" in detail.replay.toolTip()


# -- Run test: the card's fix, and the question before acting for real -------------------------

def test_a_card_that_fails_in_run_test_offers_its_fix(
        bellhop_app: Any, qtbot: Any, tmp_path: Path, artifacts: Path) -> None:
    page = build_rule(bellhop_app, qtbot, "Orders to a file", sample="shopify_order", steps=[
        {"type": "append_file", "path": str(tmp_path / "orders.txt"),
         "columns": {"Order": "{{ body.name }}"}}])
    page.builder.test_button.click()
    qtbot.waitUntil(lambda: bool(page.chain.results), timeout=10000)
    card = page.chain.cards[0]
    assert card.state == "failed" and "not to 'orders.txt'" in card.state_text.text()
    assert card.fix.isVisible() and card.fix.text() == "Edit this card"
    shoot(bellhop_app.window, "run-test-failed-card", artifacts)
    page.chain.select(TRIGGER)
    click(qtbot, card.fix)
    assert page.chain.selected == 0
    assert focused_in(page.inspector.form.rows["path"])


def file_rule(app: Any, qtbot: Any, sheet: Path) -> Any:
    return build_rule(app, qtbot, "Orders to a file", sample="shopify_order", steps=[
        {"type": "filter", "conditions": [
            {"field": "body.total_price", "op": "gt", "value": 1000}]},
        {"type": "append_file", "name": "Add the order to orders.csv", "path": str(sheet),
         "columns": {"Order": "{{ body.name }}"}}])


def question(page: Any, qtbot: Any) -> RealEffectsDialog:
    qtbot.waitUntil(lambda: page.test_guard.question is not None
                    and page.test_guard.question.isVisible(), timeout=5000)
    return page.test_guard.question


@pytest.mark.asks_before_run_test
def test_run_test_asks_before_writing_for_real_and_cancel_writes_nothing(
        bellhop_app: Any, qtbot: Any, tmp_path: Path, artifacts: Path) -> None:
    sheet = tmp_path / "orders.csv"
    page = file_rule(bellhop_app, qtbot, sheet)
    page.builder.test_button.click()
    asked = question(page, qtbot)
    assert asked.effects.text() == ("•  2. Add the order to orders.csv: writes the row into "
                                    "the file for real")  # the filter acts on nothing
    assert asked.run_button.text() == "Run test"
    shoot(asked, "run-test-question", artifacts)
    click(qtbot, asked.cancel_button)
    qtbot.waitUntil(lambda: page.test_guard.question is None, timeout=5000)
    qtbot.wait(300)
    assert not page.chain.results and not sheet.exists()

    page.builder.test_button.click()
    click(qtbot, question(page, qtbot).run_button)
    qtbot.waitUntil(lambda: bool(page.chain.results), timeout=10000)
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["Order"], ["#1042"]]


@pytest.mark.asks_before_run_test
def test_dont_ask_again_is_kept_for_that_rule(
        bellhop_app: Any, qtbot: Any, tmp_path: Path, home: Path) -> None:
    sheet = tmp_path / "orders.csv"
    page = file_rule(bellhop_app, qtbot, sheet)
    rule_id = page.draft.id
    page.builder.test_button.click()
    asked = question(page, qtbot)
    asked.quiet.setChecked(True)
    click(qtbot, asked.run_button)
    qtbot.waitUntil(lambda: bool(page.chain.results), timeout=10000)
    settings = paths.settings_file(home)
    qtbot.waitUntil(lambda: settings.exists() and rule_id in json.loads(
        settings.read_text())["run_test_without_asking"], timeout=5000)
    page.chain.clear_results()
    page.builder.test_button.click()  # no question this time
    assert page.test_guard.question is None
    qtbot.waitUntil(lambda: bool(page.chain.results), timeout=10000)
    assert len(sheet.read_text(encoding="utf-8-sig").splitlines()) == 3


@pytest.mark.asks_before_run_test
def test_a_rule_whose_cards_act_on_nothing_is_tested_without_asking(
        bellhop_app: Any, qtbot: Any) -> None:
    page = build_rule(bellhop_app, qtbot, "Big orders", sample="shopify_order", steps=[
        {"type": "filter", "conditions": [
            {"field": "body.total_price", "op": "gt", "value": 1000}]},
        {"type": "desktop_notice", "title": "新訂單 {{ body.name }}"}])
    page.builder.test_button.click()
    assert page.test_guard.question is None
    qtbot.waitUntil(lambda: bool(page.chain.results), timeout=10000)
    assert [card.state for card in page.chain.cards] == ["ok", "ok"]


# -- in Traditional Chinese --------------------------------------------------------------------

def test_the_fix_and_the_buttons_speak_traditional_chinese(
        qtbot: Any, qapp: Any, home: Path, strict_smtp: Controller, artifacts: Path) -> None:
    from test_translations import english_left, start_bellhop, stop_bellhop

    app = start_bellhop(qtbot, qapp, home, "zh_TW")
    try:
        app.window.show_page("activity")
        page = app.window.activity_page
        add_mail_account(app, qtbot, strict_smtp.port)
        url = add_rule(app, qtbot, make_rule([email_step()], name="訂單通知倉庫"))
        post(url, order(1042, 1640, "林美玲"))
        qtbot.waitUntil(lambda: statuses(page.model) == ["failed"], timeout=15000)
        detail = select_first_event(page, qtbot)
        assert detail.fix.text() == "開啟帳號「Shop mail」"
        assert detail.retry.text() == "從失敗的步驟重試"
        assert detail.replay.text() == "用目前的規則重新執行"
        assert "Email the warehouse" in detail.problem.text()  # the card's own name
        assert english_left(detail) == []
        shoot(app.window, "activity-failed-step-zh", artifacts)
    finally:
        stop_bellhop(app, qapp)
