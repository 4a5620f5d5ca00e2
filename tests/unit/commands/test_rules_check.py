"""`bellhop rules check`: every problem of rules.json and accounts.json with its rule, card and
field in words; exit 1 on any, 0 when clean. The files are never changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cmdkit import file_rule, run_cli, use_rules


def write(path: Path, data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    return text


OFFICE = {"kind": "smtp", "host": "smtp.example.com", "port": 587, "security": "starttls",
          "username": "shop@example.com", "from": "Tea House <shop@example.com>"}
MAIL = {"type": "send_email", "account": "office", "to": "warehouse@example.com",
        "subject": "Order {{ body.name }}", "body": "Ship it"}


def test_clean_files_pass(home: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    write(home / "accounts.json", {"version": 1, "accounts": {"office": OFFICE}})
    rule = file_rule("r1", "Orders", tmp_path / "orders.csv")
    use_rules(home, {**rule, "steps": [*rule["steps"], MAIL]})
    code, out, err = run_cli(capsys, "rules", "check")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["rules.json: 1 rule checked.", "No problems found."]


def test_no_rules_yet_is_not_a_problem(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, __ = run_cli(capsys, "rules", "check")
    assert code == 0
    assert out.splitlines() == [f"There is no rules.json in {home} yet: no rules to check.",
                                "No problems found."]


def test_each_problem_names_its_rule_card_and_field(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    accounts = write(home / "accounts.json", {"version": 1, "accounts": {
        "office": {"kind": "smtp", "port": "587", "security": "tls", "from": "shop@example.com"},
        "google": {"kind": "google", "auth": "magic"}, "fax": {"kind": "fax"}}})
    good = file_rule("r1", "Orders", tmp_path / "orders.csv")
    broken = {**file_rule("r2", "Mail the warehouse", tmp_path / "x.csv"), "enabled": "no"}
    broken["steps"] = [
        {"type": "filter", "conditions": [{"field": "body.total", "op": "greater", "value": 1}]},
        {**MAIL, "account": "nobody"},
        {**MAIL, "subject": "Order {{ body.name "},
        {"type": "append_sheet", "account": "office", "spreadsheet": "x", "sheet": "Orders",
         "columns": {"Order": "{{ body.name }}"}},
        {"type": "fax_it"}]
    use_rules(home, good, broken)
    rules = (home / "rules.json").read_text(encoding="utf-8")

    code, out, err = run_cli(capsys, "rules", "check")
    assert code == 1 and err == ""
    where = "rules.json, rule “Mail the warehouse” (r2): "
    assert out.splitlines() == [
        "rules.json: 2 rules checked.",
        "accounts.json, account “office”: Mail server (“host”) is missing: the mail server's "
        "name, e.g. mail.example.com.",
        "accounts.json, account “office”: Security (“security”) must be “starttls”, “ssl” or "
        "“none”.",
        "accounts.json, account “office”: Port (“port”) must be a whole number from 1 to "
        "65535, without quotes.",
        "accounts.json, account “google”: “auth” must be “service_account” or “oauth”.",
        "accounts.json, account “fax”: its kind “fax” is not one Bellhop knows: “smtp” (email) "
        "or “google”.",
        where + "Rule: the field 'enabled' must be true or false, without quotes",
        where + "Step 1 (Only continue if…): the field 'Conditions › Test' must be one of: "
        "'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'contains', 'starts_with', 'is_empty' or "
        "'not_empty'",
        where + "Step 2 (Send email): Email account: there is no email account called "
        "'nobody'. Add it under Accounts, or choose another.",
        where + "Step 3 (Send email): Subject: " + _syntax_problem("Order {{ body.name "),
        where + "Step 4 (Add a row to Google Sheets): Google account: 'office' is not a "
        "Google account.",
        where + "Step 5: 'fax_it' is not a kind of step Bellhop knows.",
        "11 problems found."]
    # Nothing was changed, moved or added.
    assert (home / "rules.json").read_text(encoding="utf-8") == rules
    assert (home / "accounts.json").read_text(encoding="utf-8") == accounts
    assert sorted(p.name for p in home.iterdir()) == ["accounts.json", "rules.json"]


def _syntax_problem(template: str) -> str:
    from bellhop.core.templating import check_syntax

    problem = check_syntax(template)
    assert problem
    return problem


def test_files_that_cannot_be_read_say_line_and_column(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "accounts.json").write_text(
        '{"version": 1, "accounts": {"office": {"kind": "smtp" "host": "x"}}}', encoding="utf-8")
    use_rules(home, {**file_rule("r1", "Orders", tmp_path / "o.csv"), "steps": [MAIL]})
    code, out, __ = run_cli(capsys, "rules", "check")
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "accounts.json, line 1, column 55: a comma is missing before this."
    assert lines[2].startswith("rules.json, rule “Orders” (r1): Step 1 (Send email): Email "
                               "account: the accounts cannot be read now: accounts.json, line 1")
    assert lines[-1] == "2 problems found."

    (home / "rules.json").write_text('{"version": 1, "rules": [}', encoding="utf-8")
    (home / "accounts.json").unlink()
    code, out, __ = run_cli(capsys, "rules", "check")
    assert code == 1
    assert out.splitlines()[0] == "rules.json cannot be read, so its rules were not checked."
    assert out.splitlines()[1].startswith("rules.json, line 1, column 26: ")
    assert out.splitlines()[-1] == "1 problem found."
