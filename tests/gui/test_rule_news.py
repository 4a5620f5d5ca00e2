"""News of one rule stays with that rule, and the unsaved mark follows what is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_rules_live import make_rule, post, save

from bellhop.ui.rules.problems import TRIGGER
from helpers import wait_for


def csv_rule(app: Any, qtbot: Any, tmp_path: Path, name: str) -> Any:
    """A saved rule that adds each order's number to a CSV file."""
    return make_rule(app, qtbot, name, steps=[{
        "type": "append_file", "path": str(tmp_path / f"{name}.csv"), "sheet": "Orders",
        "columns": {"Order": "{{ body.name }}"}}])


def test_news_of_a_rule_is_shown_with_that_rule_only(bellhop_app: Any, qtbot: Any,
                                                     tmp_path: Path) -> None:
    page = csv_rule(bellhop_app, qtbot, tmp_path, "Contact form")
    first = page.draft.id
    trigger = page.inspector.trigger
    page.chain.select(TRIGGER)
    trigger.listen_button.click()
    assert post(page.summaries[first].url, b'{"name": "#77"}') == 202
    wait_for(qtbot, lambda: page.context.has_sample)
    assert "Got it" in trigger.listen_status.text()

    second = csv_rule(bellhop_app, qtbot, tmp_path, "Second").draft.id
    page.chain.select(TRIGGER)
    assert not trigger.listen_status.isVisible() and "Got it" not in trigger.listen_status.text()
    news = "The test could not run: the first rule's news."
    page.say(news, "failed", first)  # e.g. an answer that came after the switch
    assert page.builder.message.text() != news
    page.rule_list.select(first)
    wait_for(qtbot, lambda: page.draft.id == first)
    assert page.builder.message.text() == news
    page.rule_list.select(second)
    wait_for(qtbot, lambda: page.draft.id == second)
    assert not page.builder.message.isVisible()


def test_the_unsaved_mark_goes_when_undo_reaches_the_saved_rule(
        bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    page = csv_rule(bellhop_app, qtbot, tmp_path, "Orders")
    rule_id = page.draft.id
    row = lambda: page.rule_list.rows[rule_id]  # noqa: E731  (the list may be rebuilt)
    assert not page.draft.dirty and not row().name.full_text().startswith("✎")
    assert page.chain.insert_card(1, "filter")
    assert page.draft.dirty and row().name.full_text().startswith("✎")
    page.builder.undo_action.trigger()
    assert not page.draft.dirty and not row().name.full_text().startswith("✎")
    page.builder.redo_action.trigger()
    assert page.draft.dirty and row().name.full_text().startswith("✎")
    page.builder.undo_action.trigger()
    assert not page.draft.dirty
    page.draft.set_name("Orders 2")  # typing the saved name again is clean too
    assert page.draft.dirty
    page.draft.set_name("Orders")
    assert not page.draft.dirty and not row().name.full_text().startswith("✎")
    row().switch.click()  # on/off is saved by the switch: it never makes the draft dirty
    wait_for(qtbot, lambda: not page.summaries[rule_id].enabled)
    assert not page.draft.dirty
    page.draft.set_name("Orders, renamed")
    save(page, qtbot)  # what is saved moves: going back to the old name is a change now
    page.draft.set_name("Orders")
    assert page.draft.dirty
