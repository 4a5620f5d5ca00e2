"""Rule validation: plain problems per card, bad rules isolated, tokens, files with mistakes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bellhop.actions.registry import default_registry
from bellhop.core.platform.jsonfile import FileProblem
from bellhop.core.running.rules import (
    BodyNeeds,
    check_rule,
    check_rules,
    load_rules,
    new_token,
    save_rules,
    tokens_in_text,
)

TOKEN = "A" * 22


def rule(**overrides: object) -> dict:
    base = {"id": "r1", "name": "Orders", "enabled": True,
            "trigger": {"type": "webhook", "token": TOKEN, "methods": ["POST"]},
            "steps": [{"type": "filter", "conditions": [
                {"field": "body.total_price", "op": "gt", "value": 100}]}]}
    base.update(overrides)
    return base


def test_new_tokens_are_long_random_and_url_safe() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22,}", t) for t in tokens)


def test_valid_rule_is_available() -> None:
    [loaded] = check_rules([rule()], default_registry())
    assert loaded.available and loaded.problems == []
    assert loaded.steps[0].type == "filter"


def test_empty_email_field_names_step_card_and_field() -> None:
    bad = rule(steps=[
        {"type": "filter", "conditions": [{"field": "body.x", "op": "eq", "value": 1}]},
        {"type": "send_email", "account": "office", "to": "", "subject": "s", "body": "b"},
    ])
    [loaded] = check_rules([bad], default_registry())
    assert not loaded.available
    assert any(p.startswith("Step 2 (Send email)") and "'To'" in p and "empty" in p
               for p in loaded.problems), loaded.problems


def test_one_bad_rule_leaves_the_others_alone() -> None:
    good = rule(id="good")
    bad = rule(id="bad", trigger={"type": "webhook", "token": "short"})
    loaded = check_rules([good, bad, "not a rule"], default_registry())
    assert [r.available for r in loaded] == [True, False, False]
    assert "22 to 128" in loaded[1].problems[0]


def test_unknown_step_type_and_unknown_setting_are_explained() -> None:
    [loaded] = check_rules([rule(steps=[{"type": "teleport"},
                                        {"type": "filter", "conditions": [], "colour": 1}])],
                           default_registry())
    text = " | ".join(loaded.problems)
    assert "'teleport' is not a kind of step" in text
    assert "'colour' is not a setting" in text
    assert "needs" in text or "empty" in text  # the empty conditions list


def test_template_syntax_mistakes_are_found_at_load() -> None:
    [loaded] = check_rules([rule(steps=[{"type": "http_request", "url": "http://x/{{ body.a"}])],
                           default_registry())
    assert any("URL" in p and "Template mistake" in p for p in loaded.problems), loaded.problems


def test_duplicate_tokens_make_the_later_rule_unavailable() -> None:
    loaded = check_rules([rule(id="a"), rule(id="b")], default_registry())
    assert loaded[0].available and not loaded[1].available
    assert "uses this webhook address" in loaded[1].problems[0]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    save_rules(path, [rule(name="訂單通知")])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["rules"][0]["name"] == "訂單通知"
    [loaded] = load_rules(path, default_registry())
    assert loaded.name == "訂單通知" and loaded.available


def test_a_rules_file_with_a_mistake_stays_as_it_is_and_names_the_place(
        tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"version": 1,\n "rules": [\n  {"id": "a"\n   "name": "x"}]}',
                    encoding="utf-8")
    with pytest.raises(FileProblem) as caught:
        load_rules(path, default_registry())
    assert [p.name for p in tmp_path.iterdir()] == ["rules.json"]  # never moved aside
    assert caught.value.message == (
        "rules.json, line 4, column 4: a comma is missing before this.")
    assert (caught.value.line, caught.value.column) == (4, 4)


@pytest.mark.parametrize(("content", "reason"), [
    (b'[]', "it must hold one object, {\"version\": 1, \u2026}."),
    (b'{"version": 2, "rules": []}',
     "it was written by a newer Bellhop (version 2); update Bellhop to use it."),
    (b'{"version": "1", "rules": []}', "'version' must be a whole number."),
    (b'{"version": 1, "rules": {}}', "'rules' must be [ \u2026 ]."),
])
def test_a_rules_file_of_the_wrong_shape_is_a_problem(tmp_path: Path, content: bytes,
                                                      reason: str) -> None:
    path = tmp_path / "rules.json"
    path.write_bytes(content)
    with pytest.raises(FileProblem) as caught:
        load_rules(path, default_registry())
    assert caught.value.message == f"rules.json: {reason}"
    assert path.read_bytes() == content


def test_tokens_are_found_in_a_file_that_cannot_be_read() -> None:
    token = new_token()
    text = f'{{"rules": [{{"trigger": {{"token" : "{token}", "x": 1,,}}, "token": "short"'
    assert tokens_in_text(text) == {token}


@pytest.mark.parametrize(("change", "problem"), [
    ({"enabled": "no"}, "Rule: the field 'enabled' must be true or false, without quotes"),
    ({"enabled": 0}, "Rule: the field 'enabled' must be true or false, without quotes"),
    ({"name": 5}, "Rule: the field 'name' must be text in double quotes"),
    ({"trigger": {"type": "webhook", "token": "t" * 22, "respond": {"status": "200"}}},
     "Trigger: the field 'respond › status' must be a whole number, without quotes"),
    ({"trigger": {"type": "webhook", "token": "t" * 22, "methods": "POST"}},
     "Trigger: the field 'methods' must be a list, [ … ]"),
    ({"steps": [{"type": "filter", "match": "all", "conditions": [
        {"field": "body.x", "op": "gt", "value": 1}], "retry": {"attempts": "3"}}]},
     "Step 1 (Only continue if…): the field 'Retry › Attempts' must be a whole number, "
     "without quotes"),
])
def test_types_are_taken_as_written(change: dict[str, Any], problem: str) -> None:
    loaded = check_rule(rule(**change), default_registry())
    assert loaded.problems == [problem]
    assert not loaded.available


def test_a_step_naming_an_account_is_checked_against_the_accounts() -> None:
    step = {"type": "send_email", "account": "office", "to": "a@example.com"}
    sheet = {"type": "append_sheet", "account": "office", "spreadsheet": "x", "sheet": "S",
             "columns": {"A": "1"}}
    registry = default_registry()
    assert check_rule(rule(steps=[step]), registry).available  # accounts unknown: not checked
    missing = check_rule(rule(steps=[step]), registry, {})
    assert missing.problems == [
        "Step 1 (Send email): Email account: there is no email account called 'office'. "
        "Add it under Accounts, or choose another."]
    smtp = {"office": {"kind": "smtp"}}
    assert check_rule(rule(steps=[step]), registry, smtp).available
    wrong = check_rule(rule(steps=[sheet]), registry, smtp)
    assert wrong.problems == [
        "Step 1 (Add a row to Google Sheets): Google account: 'office' is not a Google "
        "account."]
    held = check_rule(rule(steps=[step]), registry, None, "accounts.json: broken.")
    assert held.problems == [
        "Step 1 (Send email): Email account: the accounts cannot be read now: "
        "accounts.json: broken."]


def test_missing_file_means_no_rules(tmp_path: Path) -> None:
    assert load_rules(tmp_path / "rules.json", default_registry()) == []


def test_version_one_fixture_loads() -> None:
    fixture = Path(__file__).parents[2] / "fixtures" / "rules_v1.json"
    loaded = load_rules(fixture, default_registry())
    assert [r.name for r in loaded] == ["Shopify order to warehouse"]
    assert loaded[0].head is not None and loaded[0].head.trigger.verify is not None


LINE_REPLY = {"type": "line_reply", "token": "line-channel-token",
              "reply_token": "{{ body.events[0].replyToken }}", "text": "Hi"}
SURVEYCAKE = {"hash_key": "sc-hash", "iv_key": "sc-iv"}


def verify(scheme: str) -> dict[str, str]:
    return {"scheme": scheme, "secret": "signing"}


@pytest.mark.parametrize(("trigger", "steps", "needs"), [
    ({}, None, BodyNeeds()),  # a plain rule: only a sender its headers declare is read
    ({"verify": verify("github")}, None, BodyNeeds()),
    ({"dedupe": "request_id"}, None, BodyNeeds()),
    ({"dedupe": "off"}, None, BodyNeeds(dedupe=False)),
    ({"verify": verify("stripe")}, None, BodyNeeds(ids=("stripe",))),
    ({"verify": verify("stripe"), "dedupe": "request_id"}, None, BodyNeeds(ids=("stripe",))),
    ({"verify": verify("stripe"), "dedupe": "off"}, None, BodyNeeds(dedupe=False)),
    ({"verify": verify("line")}, None, BodyNeeds(line=True, ids=("line",))),
    ({"verify": verify("line"), "dedupe": "off"}, None, BodyNeeds(line=True, dedupe=False)),
    ({}, [LINE_REPLY], BodyNeeds(line=True, ids=("line",))),  # replies on LINE: LINE's
    ({"surveycake": SURVEYCAKE}, None, BodyNeeds(surveycake=True, ids=("surveycake",))),
    ({"surveycake": SURVEYCAKE, "dedupe": "off"}, None,
     BodyNeeds(surveycake=True, dedupe=False)),
])
def test_what_the_answer_reads_in_the_body_comes_from_the_rules_settings(
        trigger: dict[str, Any], steps: list[dict[str, Any]] | None, needs: BodyNeeds) -> None:
    raw = rule(**({"steps": steps} if steps else {}))
    raw["trigger"].update(trigger)
    loaded = check_rule(raw, default_registry())
    assert loaded.available, loaded.problems
    assert loaded.body_needs == needs


def test_dedupe_is_auto_request_id_or_off() -> None:
    raw = rule()
    raw["trigger"].update(dedupe="body")  # ids in the body follow the sender, not a setting
    loaded = check_rule(raw, default_registry())
    assert not loaded.available
    assert any("auto" in problem and "off" in problem for problem in loaded.problems)


def test_a_rule_that_cannot_be_read_needs_nothing_from_the_body() -> None:
    raw = rule()
    raw["trigger"].update(verify=verify("stripe"), dedupe="sometimes")
    loaded = check_rule(raw, default_registry())
    assert not loaded.available and loaded.body_needs == BodyNeeds()
