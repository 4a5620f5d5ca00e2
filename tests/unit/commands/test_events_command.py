"""`bellhop events`: today's lines, and narrowed by rule, status and time, or as JSON.

Events made by a real Bellhop (filter + a row in a CSV file) on a real events.db."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import aiohttp
import pytest
from cmdkit import deliver, file_rule, run_cli, run_json, use_rules

from bellhop.commands.words import since_time
from bellhop.core.events import DeliveryRejected
from bellhop.service import Bellhop


@pytest.fixture
def shop(home: Path, tmp_path: Path) -> dict[str, str]:
    """Two rules; four events: done, skipped, failed (a file blocks the folder), done."""
    blocked = tmp_path / "blocked"
    blocked.write_text("in the way", encoding="utf-8")
    use_rules(home, file_rule("r1", "Orders to file", tmp_path / "out" / "orders.csv"),
              file_rule("r2", "Refunds", blocked / "refunds.csv"))
    done, skipped, failed, later = deliver(
        home, ("r1", {"name": "#1001", "total": 50}), ("r1", {"name": "#1002", "total": 5}),
        ("r2", {"name": "#1003", "total": 70}), ("r1", {"name": "#1004", "total": 90}))
    return {"done": done, "skipped": skipped, "failed": failed, "later": later}


def test_plain_events_keep_their_lines(shop: dict[str, str],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, __ = run_cli(capsys, "events")
    assert code == 0
    heads = [line for line in out.splitlines() if not line.startswith(" ")]
    assert [head.split("  ")[1:] for head in heads] == [
        [shop["later"], "r1", "POST", "succeeded"], [shop["failed"], "r2", "POST", "failed"],
        [shop["skipped"], "r1", "POST", "skipped"], [shop["done"], "r1", "POST", "succeeded"]]
    assert "      1. Skipped: the total, 5, is not more than 10." in out
    assert "      2. Added row 2 to orders.csv" in out
    assert "a file called 'blocked' is in the way" in out


def test_status_rule_and_limit_narrow_the_list(shop: dict[str, str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def listed(*args: str) -> list[str]:
        return [event["id"] for event in run_json(capsys, "events", *args)["events"]]

    assert listed("--status", "failed") == [shop["failed"]]
    assert listed("--status", "done") == [shop["later"], shop["done"]]
    assert listed("--status", "skipped") == [shop["skipped"]]
    assert listed("--status", "waiting") == []
    assert listed("--rule", "r2") == [shop["failed"]]
    assert listed("--rule", "orders TO file", "--status", "done") == [shop["later"],
                                                                         shop["done"]]
    page = run_json(capsys, "events", "--limit", "2")
    assert [e["id"] for e in page["events"]] == [shop["later"], shop["failed"]]
    assert page["more"] is True
    assert run_json(capsys, "events", "--limit", "4")["more"] is False

    code, out, err = run_cli(capsys, "events", "--status", "failed", "--rule", "Orders to file")
    assert code == 0 and out.strip() == "No events match."
    code, out, err = run_cli(capsys, "events", "--limit", "1")
    assert "Showing the newest 1; see more with --limit." in err


def test_since_takes_lengths_of_time_and_dates(shop: dict[str, str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert len(run_json(capsys, "events", "--since", "30m")["events"]) == 4
    assert len(run_json(capsys, "events", "--since", "2h", "--status", "failed")["events"]) == 1
    assert run_json(capsys, "events", "--since", "2999-01-01")["events"] == []
    today = datetime.now().strftime("%Y-%m-%d")
    assert len(run_json(capsys, "events", "--since", today)["events"]) == 4

    code, out, err = run_cli(capsys, "events", "--since", "yesterday")
    assert code == 2 and out == ""
    assert err.startswith("bellhop events: “yesterday” is not a time Bellhop understands")
    assert "30m, 2h or 3d" in err


def test_since_reads_each_form() -> None:
    now = datetime(2026, 12, 6, 12, 0, tzinfo=timezone(timedelta(hours=8)))
    assert since_time("30m", now) == (now - timedelta(minutes=30)).timestamp()
    assert since_time("2h", now) == (now - timedelta(hours=2)).timestamp()
    assert since_time("3d", now) == (now - timedelta(days=3)).timestamp()
    assert since_time(" 1W ", now) == (now - timedelta(weeks=1)).timestamp()
    assert since_time("2026-12-01T09:30+08:00") == datetime(
        2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=8))).timestamp()
    assert since_time("2026-12-01") == datetime(2026, 12, 1).astimezone().timestamp()
    for wrong in ("", "2 hours", "-3d", "2026-13-01", "h"):
        with pytest.raises(argparse.ArgumentTypeError):
            since_time(wrong, now)


def test_an_unknown_rule_is_named_with_the_rules_there_are(
        shop: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "events", "--rule", "Shopify")
    assert code == 1 and out == ""
    assert err.strip() == ("There is no rule called “Shopify”. The rules are: “Orders to file” "
                           "(r1), “Refunds” (r2)")


def test_json_has_each_step_in_words_with_its_error_and_fix(
        shop: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    listed = run_json(capsys, "events")
    assert listed["more"] is False
    by_id = {event["id"]: event for event in listed["events"]}
    failed = by_id[shop["failed"]]
    assert {key: failed[key] for key in ("rule_id", "rule", "method", "status")} == {
        "rule_id": "r2", "rule": "Refunds", "method": "POST", "status": "failed"}
    assert datetime.fromisoformat(failed["received_at"]).tzinfo is not None
    [run] = failed["runs"]
    assert run["status"] == "failed" and run["reason"] == "new"
    passed, blocked = run["steps"]
    assert passed["status"] == "done"
    assert passed["sentence"] == "Went on: the total, 70, is more than 10."
    assert blocked["status"] == "failed" and blocked["sentence"] is None
    assert "a file called 'blocked' is in the way" in blocked["error"]
    assert blocked["fix"] == {"kind": "edit_card", "step": 2, "field": "path",
                              "words": "Change “File” of step 2 in rules.json (or in the "
                                       "window's rule builder)."}
    skipped = by_id[shop["skipped"]]
    assert skipped["status"] == "skipped"
    assert skipped["runs"][0]["skipped_because"] == "Skipped: the total, 5, is not more than 10."
    assert by_id[shop["done"]]["runs"][0]["steps"][1]["sentence"] == "Added row 2 to orders.csv"


def test_json_of_a_home_without_events(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "events") == {"events": [], "more": False}
    assert run_json(capsys, "events", "--status", "refused") == {"refused": []}
    assert not (home / "events.db").exists()


async def _turn_away(home: Path) -> None:
    """A GET to the rule's address (405) and two POSTs to an unknown one (404), recorded."""
    app = Bellhop(home)
    await app.start("127.0.0.1", 0)
    told: list[DeliveryRejected] = []
    app.subscribe(lambda event: isinstance(event, DeliveryRejected) and told.append(event))
    try:
        assert app.engine is not None and app.receiver is not None
        async with aiohttp.ClientSession() as http:
            async with http.get(app.hook_url(app.engine.rules[0])) as answer:
                assert answer.status == 405
            for _n in range(2):
                async with http.post(f"{app.receiver.base_url}/hooks/{'x' * 22}") as answer:
                    assert answer.status == 404
        async def recorded() -> None:
            while sum(event.new for event in told) < 3:
                await asyncio.sleep(0.01)
        await asyncio.wait_for(recorded(), 10)
    finally:
        await app.stop()


def test_refused_deliveries_by_status_rule_and_json(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    use_rules(home, file_rule("r1", "Orders to file", tmp_path / "orders.csv"))
    asyncio.run(_turn_away(home))
    code, out, __ = run_cli(capsys, "events", "--status", "refused")
    lines = sorted(out.splitlines(), key=lambda line: "404" in line)  # one commit: any order
    assert code == 0 and len(lines) == 2
    assert "  Orders to file  405  ×1  This address does not take GET requests" in lines[0]
    assert "  (no rule)  404  ×2  No rule has this address" in lines[1]
    assert run_cli(capsys, "events", "--refused")[1] == out

    refused = run_json(capsys, "events", "--status", "refused", "--rule", "Orders to file")
    [row] = refused["refused"]
    assert {key: row[key] for key in ("rule_id", "rule", "http_status", "kind", "count")} == {
        "rule_id": "r1", "rule": "Orders to file", "http_status": 405, "kind": "method",
        "count": 1}
    assert row["reason"].startswith("This address does not take GET requests")
    assert datetime.fromisoformat(row["last_at"]) >= datetime.fromisoformat(row["first_at"])
    assert run_json(capsys, "events", "--refused", "--since", "2999-01-01") == {"refused": []}
    assert len(run_json(capsys, "events", "--refused", "--since", "1h")["refused"]) == 2
