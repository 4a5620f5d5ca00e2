"""The window side of the service cards: secrets pasted once, SurveyCake on the trigger,
the LINE keyword rule by hand, and the formatting help."""

from __future__ import annotations

from typing import Any

import keyring

from bellhop.core.gallery.starters import STARTERS
from bellhop.ui.rules.problems import TRIGGER
from bellhop.ui.rules.secret_editor import SecretEditor
from helpers import wait_for

BLANK = next(starter for starter in STARTERS if starter.key == "blank")


def blank_rule(app: Any, qtbot: Any, sample: str) -> Any:
    page = app.window.rules_page
    rule_id = page.keeper.create(BLANK, "Service cards", [])
    wait_for(qtbot, lambda: page.draft is not None and page.draft.id == rule_id)
    page.samples.use_shipped(rule_id, sample)
    wait_for(qtbot, lambda: page.context.has_sample)
    return page


def test_a_chat_webhook_is_pasted_once_into_the_keychain(bellhop_app: Any, qtbot: Any) -> None:
    page = blank_rule(bellhop_app, qtbot, "github_push")
    page.chain.insert_card(0, "notify_chat")
    page.chain.select(0)
    form = page.inspector.form
    editor = form.editor("secret")
    assert isinstance(editor, SecretEditor)
    assert form.rows["api_base"].isHidden() or not form.rows["api_base"].isVisibleTo(form)
    editor.name.setText("discord-webhook")
    editor.name.textEdited.emit("discord-webhook")
    wait_for(qtbot, lambda: "Nothing saved" in editor.status.text())
    editor.value_edit.setText("https://discord.com/api/webhooks/1/abc")
    editor.save_button.click()
    wait_for(qtbot, lambda: editor.status.text() == "Saved in your system keychain.")
    assert keyring.get_password("bellhop", "discord-webhook") == \
        "https://discord.com/api/webhooks/1/abc"
    assert editor.value_edit.text() == ""  # the box keeps nothing
    assert page.draft.steps[0]["secret"] == "discord-webhook"  # the rule keeps the name only
    assert page.inspector.filter_help.isVisibleTo(page.inspector)
    page.inspector.filter_help.toggle.click()
    assert page.inspector.filter_help.text.isVisibleTo(page.inspector)
    assert "money('NT$', 0)" in page.inspector.filter_help.text.text()


def test_the_line_keyword_rule_by_hand(bellhop_app: Any, qtbot: Any) -> None:
    page = blank_rule(bellhop_app, qtbot, "line_message")
    page.chain.insert_card(0, "filter")
    page.chain.insert_card(1, "line_reply")
    page.chain.select(0)
    row = page.inspector.form.editor("conditions").rows[0][1]
    combo = row["field"].combo  # the LINE message's fields by name
    combo.setCurrentIndex(combo.findText("Message text (item 1)"))
    combo.activated.emit(combo.currentIndex())
    row["value"].edit.setText("營業時間")
    row["value"].edit.textEdited.emit("營業時間")
    page.chain.select(1)
    text = page.inspector.form.editor("text")
    text.set_value("我們每天 10:00–19:00 營業")
    text.changed.emit()
    steps = page.draft.steps
    assert steps[0]["conditions"][0]["field"] == "body.events[0].message.text"
    assert steps[0]["conditions"][0]["value"] == "營業時間"
    assert steps[1]["text"] == "我們每天 10:00–19:00 營業"
    preview = page.inspector.form.rows["reply_token"].preview
    assert preview.text() == "Preview: b60d432864f44d079f6d8efe86cf404b"


def test_the_surveycake_option_and_its_keys(bellhop_app: Any, qtbot: Any) -> None:
    page = blank_rule(bellhop_app, qtbot, "surveycake")
    page.chain.select(TRIGGER)
    box = page.inspector.trigger.surveycake
    assert not box.fields.isVisibleTo(box)
    box.enabled.click()
    option = page.draft.trigger["surveycake"]
    assert option["domain"] == "www.surveycake.com"
    assert option["hash_key"].endswith("-surveycake-hash")
    box.hash_key.setText("short")
    box.save_button.click()
    assert "16 characters" in box.status.text()
    box.hash_key.setText("a1B2c3D4e5F6g7H8")
    box.iv_key.setText("Z9y8X7w6V5u4T3s2")
    box.save_button.click()
    wait_for(qtbot, lambda: box.status.text() == "Both keys are saved in your system keychain.")
    assert keyring.get_password("bellhop", option["iv_key"]) == "Z9y8X7w6V5u4T3s2"
    box.enabled.click()
    assert "surveycake" not in page.draft.trigger


def test_answers_fetched_by_a_test_run_show_in_previews() -> None:
    from bellhop.ui.rules.samples import sample_values

    sample = {"body": {"svid": "8aB3kQ", "hash": "5f0c"}}
    fetched = {"0": {"body": {"answers": {"姓名": "王小明"}}, "fetched": True}}
    values = sample_values(sample, "r", fetched)
    assert values["body"] == {"svid": "8aB3kQ", "hash": "5f0c", "answers": {"姓名": "王小明"}}
    assert sample_values(sample, "r", {})["body"] == sample["body"]
