"""Rule validation: plain problems per card, bad rules isolated, tokens, corrupt files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bellhop.actions.registry import default_registry
from bellhop.core.jsonfile import CorruptFile
from bellhop.core.rules import check_rules, load_rules, new_token, save_rules

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


def test_corrupt_rules_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"version": 1, "rules": [', encoding="utf-8")
    with pytest.raises(CorruptFile) as caught:
        load_rules(path, default_registry())
    assert not path.exists()
    assert caught.value.moved_to.name.startswith("rules.json.corrupt-")
    assert caught.value.moved_to.read_text(encoding="utf-8") == '{"version": 1, "rules": ['
    assert "could not be read" in caught.value.message


def test_missing_file_means_no_rules(tmp_path: Path) -> None:
    assert load_rules(tmp_path / "rules.json", default_registry()) == []


def test_version_one_fixture_loads() -> None:
    fixture = Path(__file__).parents[2] / "fixtures" / "rules_v1.json"
    loaded = load_rules(fixture, default_registry())
    assert [r.name for r in loaded] == ["Shopify order to warehouse"]
    assert loaded[0].head is not None and loaded[0].head.trigger.verify is not None
