"""`bellhop retry` and `bellhop replay` with no Bellhop running: the command starts the engine
alone on the data home, runs what it was asked with the shipped cards, waits, and says what
came of it. (With a Bellhop running, tests/e2e/test_cli_events.py.)"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cmdkit import deliver, file_rule, run_cli, run_json, use_rules

from bellhop.core.platform.instance import InstanceLock
from bellhop.core.platform.paths import control_file
from support.ports import free_port


def rows(csv: Path) -> list[str]:
    return csv.read_text(encoding="utf-8-sig").splitlines()


def runs_of(home: Path, event_id: str) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(home / "events.db")
    try:
        return conn.execute("SELECT id, reason, status FROM runs WHERE event_id = ? ORDER BY seq",
                            (event_id,)).fetchall()
    finally:
        conn.close()


@pytest.fixture
def blocked(home: Path, tmp_path: Path) -> Path:
    """A file where rule r1's folder should be: its runs fail until the file goes."""
    folder = tmp_path / "out"
    folder.write_text("in the way", encoding="utf-8")
    use_rules(home, file_rule("r1", "Orders to file", folder / "orders.csv"),
              file_rule("r2", "Refunds", folder / "refunds.csv"))
    return folder


def test_retry_completes_once_the_cause_is_fixed(
        home: Path, blocked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    [event_id] = deliver(home, ("r1", {"name": "#1001", "total": 50}))
    [(run_id, __, status)] = runs_of(home, event_id)
    assert status == "failed"

    code, out, err = run_cli(capsys, "retry", run_id)  # still blocked: fails again
    assert code == 1, err
    assert f"“Orders to file”, event {event_id}: Failed" in out
    assert "a file called 'out' is in the way" in out and "To fix it: Change “File”" in out

    blocked.unlink()  # the cause is fixed
    code, out, err = run_cli(capsys, "retry", run_id)
    assert code == 0, err
    assert out.splitlines()[0] == f"“Orders to file”, event {event_id}: Done"
    assert "    2. Add a row to a spreadsheet file · Done · Tried 3 times · " in out
    assert "      Added row 2 to orders.csv" in out
    assert rows(blocked / "orders.csv") == ["Order,Total", "#1001,50"]
    assert runs_of(home, event_id) == [(run_id, "new", "succeeded")]  # the same run, finished
    assert not control_file(home).exists()  # alone: no channel was opened
    lock = InstanceLock(home)
    lock.acquire()  # and the data home is free again
    lock.release()


def test_retry_says_why_nothing_was_tried(home: Path, blocked: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    blocked.unlink()
    [done] = deliver(home, ("r1", {"name": "#1", "total": 50}))
    code, out, err = run_cli(capsys, "retry", done, "run_nothing")
    assert code == 1 and out == ""
    [not_failed, unknown] = err.strip().splitlines()
    assert not_failed.startswith("Run run_") and not_failed.endswith(
        f"was not tried again: it is done, nothing failed. To run the event again with the "
        f"current rule: bellhop replay {done}")
    assert unknown == ("There is no run or event “run_nothing”. `bellhop events --status "
                       "failed` lists the failed ones.")

    code, __, err = run_cli(capsys, "retry")
    assert code == 1 and "use --failed for every failed run" in err
    code, __, err = run_cli(capsys, "retry", "--rule", "r1", done)
    assert code == 1 and "--rule goes with --failed" in err


def test_retry_failed_takes_every_failed_run_of_a_rule(
        home: Path, blocked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second, refund = deliver(home, ("r1", {"name": "#1", "total": 50}),
                                    ("r1", {"name": "#2", "total": 60}),
                                    ("r2", {"name": "#3", "total": 70}))
    blocked.unlink()
    answer = run_json(capsys, "retry", "--failed", "--rule", "Orders to file")
    assert answer["by"] == "alone" and answer["paused"] is False
    assert [(r["event"], r["status"], r["problem"]) for r in answer["results"]] == [
        (first, "done", None), (second, "done", None)]
    assert answer["results"][0]["details"]["steps"][1]["sentence"] == "Added row 2 to orders.csv"
    assert rows(blocked / "orders.csv") == ["Order,Total", "#1,50", "#2,60"]
    assert [status for __, __, status in runs_of(home, refund)] == ["failed"]  # not its rule

    code, out, __ = run_cli(capsys, "retry", "--failed")
    assert code == 0 and out.splitlines()[0] == "Trying 1 failed run again."
    assert f"“Refunds”, event {refund}: Done" in out
    code, out, __ = run_cli(capsys, "retry", "--failed")
    assert code == 0 and out.strip() == "No failed runs to try again."


def test_replay_is_a_new_run_with_the_rule_as_it_is_now(
        home: Path, blocked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocked.unlink()
    [event_id] = deliver(home, ("r1", {"name": "#7", "total": 50}))
    use_rules(home, file_rule("r1", "Orders to file", blocked / "orders.csv",
                              Order="{{ body.name }}", Note="replayed"))
    code, out, err = run_cli(capsys, "replay", event_id)
    assert code == 0, err
    assert out.splitlines()[0] == f"“Orders to file”, event {event_id}: Done"
    assert rows(blocked / "orders.csv") == ["Order,Total,Note", "#7,50", "#7,,replayed"]
    (first, *was), (again, *now) = runs_of(home, event_id)
    assert was == ["new", "succeeded"] and now == ["replay", "succeeded"] and first != again

    code, __, err = run_cli(capsys, "replay", "ev_gone")
    assert code == 1
    assert err.strip() == ("There is no event “ev_gone”. `bellhop events` lists the events "
                           "Bellhop keeps.")


def test_a_retry_that_must_wait_is_left_to_the_next_start(
        home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The mail server is down: the step will be tried again later; alone, the command does
    not wait for that, and the run stays waiting for the next Bellhop to take up."""
    port = free_port()
    (home / "accounts.json").write_text(json.dumps({"version": 1, "accounts": {"office": {
        "kind": "smtp", "host": "127.0.0.1", "port": port, "security": "none",
        "from": "shop@example.com"}}}), encoding="utf-8")
    mail = {"type": "send_email", "account": "office", "to": "warehouse@example.com",
            "subject": "Order {{ body.name }}", "body": "x"}
    rule = file_rule("r1", "Mail", tmp_path / "orders.csv")
    use_rules(home, {**rule, "steps": [{**mail, "retry": {"attempts": 1, "first_delay": 0}}]})
    [event_id] = deliver(home, ("r1", {"name": "#9", "total": 50}))
    use_rules(home, {**rule, "steps": [{**mail, "retry": {"attempts": 3, "first_delay": 600}}]})

    code, out, __ = run_cli(capsys, "retry", event_id)  # an event's id: its latest run
    assert code == 1
    assert out.splitlines()[0] == f"“Mail”, event {event_id}: Will try again"
    assert "Next try: " in out
    assert "Bellhop tries it again the next time it runs (bellhop serve, or the window)." in out
    assert [status for __, __, status in runs_of(home, event_id)] == ["waiting"]

    [listed] = run_json(capsys, "events")["events"]
    assert listed["status"] == "waiting" and listed["runs"][0]["next_try_at"] is not None
    assert listed["runs"][0]["steps"][0]["status"] == "waiting"
