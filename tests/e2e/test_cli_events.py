"""The Activity page from a terminal, as real processes: `bellhop events`, `show`, `retry`,
`replay` and `rules check`, with a `bellhop serve` running (its engine does the work, over
the control channel) and with none (the command runs the engine alone).

The story: the mail server is down when an order comes in, the email step fails; the server
comes back, `bellhop retry` sends the email. A real SMTP server (aiosmtpd) on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import Bellhop, new_token, post, wait_until, webhook_rule
from .test_serve import SAMPLE, SmtpServer, email_step, free_port, smtp_account

pytestmark = pytest.mark.filterwarnings(  # AUTH over plain SMTP is the point of this test server
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")
ONCE = {"attempts": 1, "first_delay": 0}  # a failed try fails the run (no waiting)


class MailDown(SmtpServer):
    """The office account's SMTP server, not listening until `start`."""

    token = ""  # of rule "Order mail"


@pytest.fixture
def mail_down(bellhop: Bellhop) -> Iterator[MailDown]:
    """The office account, its SMTP server not listening yet; rule "Order mail" emails the
    warehouse for every order."""
    server = MailDown(free_port())
    server.token = new_token()
    smtp_account(bellhop, server.port)
    bellhop.write_rules([webhook_rule("r1", "Order mail", server.token,
                                      [email_step(retry=ONCE)])])
    try:
        yield server
    finally:
        server.stop()


def order(bellhop: Bellhop, port: int, mail: MailDown) -> str:
    """Post the shipped Shopify order; its event id once its run failed."""
    status, answer = post(port, mail.token, SAMPLE.read_bytes())
    assert status == 202, answer
    assert bellhop.wait_run(answer["event_id"]) == "failed"
    return str(answer["event_id"])


def as_json(bellhop: Bellhop, *args: str) -> Any:
    done = bellhop.cli(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_retry_through_a_running_serve_once_the_mail_server_is_back(
        bellhop: Bellhop, mail_down: MailDown) -> None:
    served = bellhop.serve()
    event_id = order(bellhop, served.port, mail_down)

    [listed] = as_json(bellhop, "events", "--status", "failed", "--since", "1h")["events"]
    assert listed["id"] == event_id and listed["rule"] == "Order mail"
    [run] = listed["runs"]
    [step] = run["steps"]
    assert step["status"] == "failed" and step["error"]
    assert as_json(bellhop, "events", "--status", "done")["events"] == []

    mail_down.start()  # the cause is fixed
    done = bellhop.cli("retry", run["id"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == f"“Order mail”, event {event_id}: Done"
    assert "      Sent to warehouse@example.com" in done.stdout
    assert mail_down.inbox.count() == 1  # sent before the command returned
    assert str(mail_down.inbox.messages[0].message["Subject"]).startswith("訂單 #")
    served.wait_stdout(f"Order mail  {event_id}  done")  # serve's own engine did it
    assert "Traceback" not in served.stderr()

    replayed = as_json(bellhop, "replay", event_id)
    assert replayed["by"] == "running"
    [result] = replayed["results"]
    assert result["status"] == "done" and result["event"] == event_id
    assert result["details"]["reason"] == "replay"
    wait_until(lambda: mail_down.inbox.count() == 2, 15, "the replayed email")

    shown = as_json(bellhop, "show", event_id)
    assert [(r["reason"], r["status"]) for r in shown["runs"]] == [("new", "done"),
                                                                     ("replay", "done")]
    assert shown["runs"][0]["steps"][0]["attempts"] == 2  # the failed try, then the retry
    assert shown["body"]["name"] == json.loads(SAMPLE.read_bytes())["name"]

    again = bellhop.cli("retry", "--failed")
    assert again.returncode == 0 and again.stdout.strip() == "No failed runs to try again."
    served.stop()


def test_retry_and_replay_with_no_bellhop_running(bellhop: Bellhop,
                                                  mail_down: MailDown) -> None:
    served = bellhop.serve()
    first, second = order(bellhop, served.port, mail_down), order(bellhop, served.port, mail_down)
    served.stop()

    failing = bellhop.cli("retry", "--failed", "--rule", "order MAIL")  # still down
    assert failing.returncode == 1
    assert failing.stdout.count("“Order mail”, event ") == 2 and "Failed" in failing.stdout

    mail_down.start()
    done = as_json(bellhop, "retry", "--failed", "--rule", "order MAIL")
    assert done["by"] == "alone"
    assert [(r["event"], r["status"]) for r in done["results"]] == [(first, "done"),
                                                                       (second, "done")]
    assert mail_down.inbox.count() == 2
    assert bellhop.cli("replay", first).returncode == 0
    assert mail_down.inbox.count() == 3
    assert not (bellhop.home / ".bellhop-control.json").exists()

    served = bellhop.serve()  # the data home was let go: Bellhop starts as usual
    assert as_json(bellhop, "events", "--status", "failed")["events"] == []
    served.stop()


def test_rules_check_names_rule_card_and_field(bellhop: Bellhop) -> None:
    bellhop.write_accounts({"office": {"kind": "smtp", "port": 587, "from": "a@example.com"}})
    bellhop.write_rules([webhook_rule("r1", "Order mail", new_token(), [
        {"type": "send_email", "account": "office", "to": "", "subject": "x"},
        {"type": "append_sheet", "account": "office", "spreadsheet": "x", "sheet": "S",
         "columns": {"A": "{{ body.a }}"}}])])
    done = bellhop.cli("rules", "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stdout.splitlines() == [
        "rules.json: 1 rule checked.",
        "accounts.json, account “office”: Mail server (“host”) is missing: the mail server's "
        "name, e.g. mail.example.com.",
        "rules.json, rule “Order mail” (r1): Step 1 (Send email): the field 'To' is empty",
        "rules.json, rule “Order mail” (r1): Step 2 (Add a row to Google Sheets): Google "
        "account: 'office' is not a Google account.",
        "3 problems found."]

    (bellhop.home / "rules.json").write_text('{"version": 1, "rules": [', encoding="utf-8")
    broken = bellhop.cli("rules", "check")
    assert broken.returncode == 1 and "rules.json, line 1, column " in broken.stdout

    bellhop.write_accounts({"office": {"kind": "smtp", "host": "h", "from": "a@example.com"}})
    bellhop.write_rules([webhook_rule("r1", "Order mail", new_token(), [
        {"type": "send_email", "account": "office", "to": "w@example.com", "subject": "x"}])])
    clean = bellhop.cli("rules", "check")
    assert clean.returncode == 0 and clean.stdout.splitlines()[-1] == "No problems found."
