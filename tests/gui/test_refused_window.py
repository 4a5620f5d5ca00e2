"""Refused deliveries in the window: listed in Activity with their reason and fix, counted
on the rule, told when a sample is turned away; a captured sample reads Test sample; both
in Traditional Chinese too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_rule_address import csv_rule, rows_of, shot
from test_rules_live import post

from bellhop.ui.activity.refused import REFUSED
from bellhop.ui.rules.problems import TRIGGER
from helpers import wait_for


def test_a_sample_sent_to_a_rule_that_is_off_says_why_it_was_turned_away(
        bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    page = csv_rule(bellhop_app, qtbot, tmp_path)
    rule_id = page.draft.id
    page.rule_list.rows[rule_id].switch.click()
    wait_for(qtbot, lambda: not page.summaries[rule_id].enabled)
    page.chain.trigger_card.send_button.click()
    wait_for(qtbot, lambda: page.builder.message.text().startswith(
        "The rule turned the sample away: This rule is off"))
    assert page.builder.message.kind == "failed"
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].refused == 1)
    assert "1 refused today" in page.rule_list.rows[rule_id].count.text()


def test_refused_deliveries_are_listed_with_their_reason_and_counted_per_rule(
        bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    window = bellhop_app.window
    window.resize(1440, 900)
    page = csv_rule(bellhop_app, qtbot, tmp_path)
    rule_id = page.draft.id
    url = page.summaries[rule_id].url
    base = url.split("/hooks/")[0]
    assert post(url, b'{"name": ') == 400
    assert post(base + "/hooks/an-old-address-of-a-deleted-rule", b"{}") == 404
    assert post(url, b"x" * (1024 * 1024 + 1)) == 413
    wait_for(qtbot, lambda: page.rule_list.rows[rule_id].refused == 2)
    row = page.rule_list.rows[rule_id]
    assert row.count.text().endswith("2 refused today</span>")
    assert "Activity › Refused says why" in row.count.toolTip()

    activity = window.activity_page
    window.show_page("activity")
    wait_for(qtbot, lambda: activity.refused.banner.isVisibleTo(activity))
    assert "3 deliveries were turned away today." in activity.refused.banner.text()
    assert activity.model.rowCount() == 0  # refused deliveries are never events
    shot(qtbot, window, "refused-banner")
    activity.refused.banner.linkActivated.emit("refused")
    assert activity.status_choice.currentData() == REFUSED and activity.refused_mode
    model = activity.refused.model
    assert model.rowCount() == 3 and activity.count.text() == "3 refused deliveries"
    activity.refused.table.selectRow(0)
    shot(qtbot, window, "refused-list")
    texts = {model.index(i, 2).data(): (model.index(i, 1).data(), model.index(i, 3).data())
             for i in range(3)}
    assert set(texts.values()) == {("Orders", "Refused"),
                                   ("(no rule has this address)", "Refused")}
    reasons = "\n".join(texts)
    assert "The body is not valid JSON" in reasons and "it must send JSON" in reasons
    assert "No rule has this address: the rule was deleted or its address changed" in reasons
    assert "The body is larger than 1 MB" in reasons
    assert not activity.refused.banner.isVisibleTo(activity)

    activity.rule_choice.setCurrentIndex(activity.rule_choice.findData(rule_id))
    assert model.rowCount() == 2
    activity.search.setText("JSON")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    activity.refused.table.selectRow(0)
    detail = activity.refused.detail
    assert detail.title.text() == "Orders" and "answered 400" in detail.subtitle.text()
    assert detail.reason.text().startswith("The body is not valid JSON")
    shot(qtbot, window, "refused-activity")

    assert post(url, b"{oops") == 400  # news: the listing follows by itself
    wait_for(qtbot, lambda: "(2 times)" in model.index(0, 2).data())
    detail.open_rule.click()
    assert window.pages.currentWidget() is window.rules_page
    assert page.draft.id == rule_id

    window.show_page("activity")
    activity.status_choice.setCurrentIndex(0)  # back to the events: they are still there
    assert not activity.refused_mode and activity.tables.currentWidget() is activity.table


def test_a_captured_sample_is_listed_as_a_test_sample(
        bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    window = bellhop_app.window
    page = csv_rule(bellhop_app, qtbot, tmp_path, "Contact form", sample=None)
    trigger = page.inspector.trigger
    page.chain.select(TRIGGER)
    trigger.listen_button.click()  # the address is local: the words say so
    assert "It works only on this computer" in trigger.listen_status.text()
    assert post(page.summaries[page.draft.id].url, b'{"name": "#77"}') == 202
    wait_for(qtbot, lambda: page.context.has_sample)

    activity = window.activity_page
    wait_for(qtbot, lambda: activity.model.rowCount() == 1)
    assert activity.model.index(0, 3).data() == "Test sample"
    assert "it does not run by itself" in activity.model.index(0, 3).data(3)  # tooltip
    activity.status_choice.setCurrentIndex(activity.status_choice.findData("new"))
    assert activity.model.rowCount() == 0  # not waiting to run: never
    activity.status_choice.setCurrentIndex(0)
    activity.table.selectRow(0)
    assert "Test sample" in activity.detail.state.text()
    assert rows_of(tmp_path / "Contact form.csv") == []  # a sample runs nothing
    window.resize(1440, 900)
    window.show_page("activity")
    shot(qtbot, window, "test-sample")


def test_the_address_and_the_refusals_speak_traditional_chinese(
        qtbot: Any, qapp: Any, home: Path, tmp_path: Path) -> None:
    from test_translations import english_left, start_bellhop, stop_bellhop

    from bellhop.core.i18n import _

    app = start_bellhop(qtbot, qapp, home, "zh_TW")
    try:
        if _("Send the sample to this rule") == "Send the sample to this rule":
            pytest.skip("the compiled catalogue predates this work: run make translations")
        window = app.window
        window.resize(1440, 900)
        page = csv_rule(app, qtbot, tmp_path, "訂單")
        card = page.chain.trigger_card
        wait_for(qtbot, lambda: card.reach.text().startswith("⚠ 只能在這台電腦上使用"))
        assert card.send_button.text() == "把範例事件傳給這條規則"
        page.chain.select(TRIGGER)
        url = page.summaries[page.draft.id].url
        assert post(url.split("/hooks/")[0] + "/hooks/old-address-xyz", b"{}") == 404
        assert post(url, b'{"name": ') == 400
        card.send_button.click()
        wait_for(qtbot, lambda: page.builder.message.text().startswith("已傳送。"))
        shot(qtbot, window, "zh-local-address")
        assert english_left(page) == []

        activity = window.activity_page
        window.show_page("activity")
        wait_for(qtbot, lambda: "今天有 2 筆傳送被拒收。" in activity.refused.banner.text())
        activity.show_refused()
        activity.refused.table.selectRow(0)
        assert activity.refused.model.index(0, 3).data() == "已拒收"
        assert "沒有規則使用這個網址" in "".join(
            activity.refused.model.index(i, 2).data() for i in range(2))
        shot(qtbot, window, "zh-refused-activity")
        assert english_left(activity) == []
    finally:
        stop_bellhop(app, qapp)
