"""`bellhop show EVENT`: what arrived and what each step did, words first, JSON after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cmdkit import deliver, file_rule, run_cli, run_json, use_rules

ORDER = {"name": "#1003", "total": 70, "customer": {"first_name": "美玲"}}
SENT = len(json.dumps(ORDER))  # bytes as aiohttp sends them (json.dumps, ASCII escapes)
HEADERS = {"Authorization": "Bearer s3cr3t-token", "X-Shopify-Topic": "orders/create"}


@pytest.fixture
def failed(home: Path, tmp_path: Path) -> str:
    """An event whose second step failed: a file stands where its folder should be."""
    blocked = tmp_path / "blocked"
    blocked.write_text("in the way", encoding="utf-8")
    use_rules(home, file_rule("r1", "Orders to file", blocked / "orders.csv"))
    [event_id] = deliver(home, ("r1", ORDER, HEADERS))
    return event_id


def test_words_come_first_then_what_arrived_then_the_data(
        failed: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "show", failed)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Orders to file"
    assert lines[1].startswith("Received ") and lines[1].endswith(
        f" · POST · {SENT} bytes · {failed}")
    assert lines[2] == "Failed"
    order = [lines.index(title) for title in ("What happened", "What arrived",
                                              "Technical details")]
    assert order == sorted(order)
    happened = "\n".join(lines[order[0]:order[1]])
    assert "    1. Only if the total is more than 10 · Done · Tried once · " in happened
    assert "      Went on: the total, 70, is more than 10." in happened
    assert "    2. Add a row to a spreadsheet file · Failed · Tried once · " in happened
    assert ("      What went wrong: Bellhop cannot make the folder for "
            in happened and "a file called 'blocked' is in the way" in happened)
    assert ("      To fix it: Change “File” of step 2 in rules.json (or in the window's rule "
            "builder).") in happened
    arrived = lines[order[1]:order[2]]
    assert "  Method: POST" in arrived
    assert "    Authorization: (hidden)" in arrived  # as stored: the value was never kept
    assert "    X-Shopify-Topic: orders/create" in arrived
    assert '        "first_name": "美玲"' in arrived  # the body, indented, Chinese as it is
    assert "s3cr3t" not in out
    technical = "\n".join(lines[order[2]:])
    assert "  Run 1, step 2 (Add a row to a spreadsheet file)" in technical
    assert '        "Order": "{{ body.name }}",' in technical  # what went in, as JSON
    run_id = run_json(capsys, "show", failed)["runs"][0]["id"]
    assert lines[-2:] == [f"Retry from the failed step: bellhop retry {run_id}",
                          f"Run again with the current rule: bellhop replay {failed}"]


def test_json_holds_what_arrived_and_each_steps_data(
        failed: str, capsys: pytest.CaptureFixture[str]) -> None:
    shown = run_json(capsys, "show", failed)
    assert shown["id"] == failed and shown["rule"] == "Orders to file"
    assert shown["status"] == "failed" and shown["method"] == "POST"
    assert shown["headers"]["authorization"] == "(hidden)"
    assert shown["headers"]["x-shopify-topic"] == "orders/create"
    assert shown["body"] == ORDER and shown["size"] == SENT
    [run] = shown["runs"]
    passed, blocked = run["steps"]
    assert passed["input"]["conditions"] == [{"field": "body.total", "op": "gt", "value": 10}]
    assert passed["output"]["matched"] is True
    assert passed["sentence"] == "Went on: the total, 70, is more than 10."
    assert blocked["status"] == "failed" and blocked["attempts"] == 1
    assert blocked["input"]["columns"] == {"Order": "{{ body.name }}",
                                           "Total": "{{ body.total }}"}
    assert blocked["fix"]["kind"] == "edit_card" and blocked["fix"]["field"] == "path"
    assert "s3cr3t" not in json.dumps(shown)
    # A run's id shows its event too.
    assert run_json(capsys, "show", run["id"])["id"] == failed


def test_an_unknown_event_is_said_plainly(failed: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "show", "ev_nothing")
    assert code == 1 and out == ""
    assert err.strip() == ("There is no event “ev_nothing”. `bellhop events` lists the events "
                           "Bellhop keeps.")


def test_show_on_a_home_without_events(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, __, err = run_cli(capsys, "show", "ev_1")
    assert code == 1 and "There is no event “ev_1”" in err
    assert not (home / "events.db").exists()
