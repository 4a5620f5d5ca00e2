"""The headline story over real processes: a Shopify order comes in, an email goes out, rows land.

`bellhop serve` runs as a subprocess on a temporary data home; a real SMTP
server (aiosmtpd, with AUTH) runs in this process; everything talks over
127.0.0.1.
"""

from __future__ import annotations

import csv
import email
import email.policy
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from openpyxl import load_workbook

from .conftest import (
    SAMPLES,
    Bellhop,
    Body,
    files_containing,
    free_port,
    new_token,
    post,
    request,
    wait_until,
    webhook_rule,
)

SMTP_USER = "shop-bot"
SMTP_PASSWORD = "pw-9c41e7-only-in-the-keychain"
ACCOUNT = "office-smtp"
SAMPLE = SAMPLES / "shopify_order_create.json"
pytestmark = pytest.mark.filterwarnings(  # AUTH over plain SMTP is the point of this test server
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")


@dataclass
class Delivered:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    authenticated: bool
    at: float  # time.monotonic() when DATA completed


class Inbox:
    """An aiosmtpd handler that keeps every message, with AUTH against one user."""

    def __init__(self) -> None:
        self.messages: list[Delivered] = []
        self.logins: list[tuple[str, bool]] = []
        self._lock = threading.Lock()

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> AuthResult:
        """Accept only SMTP_USER / SMTP_PASSWORD."""
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == SMTP_USER.encode()
              and auth_data.password == SMTP_PASSWORD.encode())
        with self._lock:
            self.logins.append((mechanism, ok))
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message."""
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), message,
                                           bool(session.authenticated), time.monotonic()))
        return "250 OK"

    def count(self) -> int:
        """How many messages arrived."""
        with self._lock:
            return len(self.messages)


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that can be started late (to play an outage)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        """Listen now."""
        self._controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port,
            authenticator=self.inbox.authenticate, auth_required=True,
            auth_require_tls=False)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening (if it was)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server on a free port, not yet listening."""
    server = SmtpServer(free_port())
    try:
        yield server
    finally:
        server.stop()


def smtp_account(bellhop: Bellhop, port: int) -> None:
    """accounts.json with the office SMTP account; its password into the keychain via the CLI."""
    bellhop.write_accounts({ACCOUNT: {
        "kind": "smtp", "host": "127.0.0.1", "port": port, "security": "none",
        "username": SMTP_USER, "from": "shop@example.com"}})
    bellhop.set_secret(ACCOUNT, SMTP_PASSWORD)


def email_step(**extra: Any) -> dict[str, Any]:
    """The warehouse email of the story."""
    return {"type": "send_email", "account": ACCOUNT, "to": "warehouse@example.com",
            "subject": "訂單 {{ body.name }}",
            "body": "Ship {{ body.line_items | length }} items to "
                    "{{ body.shipping_address.city }}", **extra}


ORDER_COLUMNS = {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}",
                 "Phone": "{{ body.customer.phone }}", "City": "{{ body.shipping_address.city }}",
                 "Event": "{{ event_id }}"}


def read_csv(path: Path) -> list[list[str]]:
    """A CSV written for Excel: UTF-8 with a BOM."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_shopify_order_emails_the_warehouse_and_adds_rows(bellhop: Bellhop,
                                                          smtp: SmtpServer) -> None:
    """Order over 100 → email with a Chinese subject, a CSV row, an xlsx row; cheap one skipped."""
    smtp.start()
    smtp_account(bellhop, smtp.port)
    token = new_token()
    csv_path, xlsx_path = bellhop.root / "out" / "orders.csv", bellhop.root / "out" / "orders.xlsx"
    bellhop.write_rules([webhook_rule("r1", "Shopify order to warehouse", token, [
        {"type": "filter", "match": "all",
         "conditions": [{"field": "body.total_price", "op": "gt", "value": 100}]},
        email_step(),
        {"type": "append_file", "path": str(csv_path), "columns": ORDER_COLUMNS},
        {"type": "append_file", "path": str(xlsx_path), "sheet": "Orders",
         "columns": ORDER_COLUMNS},
    ])])
    served = bellhop.serve()
    banner = served.wait_stdout(f"Shopify order to warehouse → {served.url(token)}")
    assert "Bellhop is listening" in banner

    status, answer = post(served.port, token, SAMPLE.read_bytes())
    assert status == 202, answer
    assert answer["ok"] is True and answer["event_id"].startswith("ev_")
    event_id = answer["event_id"]

    wait_until(smtp.inbox.count, 15, "the warehouse email")
    got = smtp.inbox.messages[0]
    assert got.authenticated and any(ok for _, ok in smtp.inbox.logins)
    assert got.mail_from == "shop@example.com"
    assert got.rcpt_tos == ["warehouse@example.com"]
    assert got.message["Subject"] == "訂單 #1042"
    assert got.message["To"] == "warehouse@example.com"
    assert got.message.get_content().strip() == "Ship 2 items to 台北市"

    assert bellhop.wait_run(event_id) == "succeeded"
    served.wait_stdout(f"Shopify order to warehouse  {event_id}  done")

    rows = read_csv(csv_path)
    assert rows[0] == ["Order", "Total", "Phone", "City", "Event"]
    assert rows[1:] == [["#1042", "1640.00", "0912345678", "台北市", event_id]]
    sheet = load_workbook(xlsx_path)["Orders"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Order", "Total", "Phone", "City", "Event"]
    assert values[1] == ["#1042", 1640.0, "0912345678", "台北市", event_id]
    assert sheet["C2"].data_type == "s"  # the phone stays text: its leading 0 survives

    listing = bellhop.cli("events", "--limit", "5")
    assert listing.returncode == 0, listing.stderr
    event_line = next(line for line in listing.stdout.splitlines() if event_id in line)
    assert event_line.split()[-1] == "succeeded"

    cheap = json.loads(SAMPLE.read_bytes())
    cheap["total_price"] = "50.00"
    status, answer = post(served.port, token, json.dumps(cheap).encode())
    assert status == 202
    assert bellhop.wait_run(answer["event_id"]) == "skipped"
    served.wait_stdout(f"{answer['event_id']}  skipped")
    assert smtp.inbox.count() == 1
    # `bellhop events` says in words what each step did, and why the cheap one was skipped.
    listing = bellhop.cli("events", "--limit", "5").stdout
    assert "1. Skipped: the order total, 50.00, is not more than 100." in listing
    assert "2. Sent to warehouse@example.com: 訂單 #1042" in listing
    assert len(read_csv(csv_path)) == 2

    took = served.stop()
    print(f"\n[e2e] bellhop serve stopped {took:.2f} s after SIGTERM")
    leaks = files_containing(bellhop.home, SMTP_PASSWORD)
    assert leaks == [], f"the SMTP password is written in {leaks}"


def test_bad_requests_get_clear_answers_and_change_nothing(bellhop: Bellhop,
                                                           smtp: SmtpServer) -> None:
    """404/405/413/400 for bad deliveries; only good events are stored, only they send email."""
    smtp.start()
    smtp_account(bellhop, smtp.port)
    token = new_token()
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [email_step()])])
    served = bellhop.serve()
    good = SAMPLE.read_bytes()

    status, first = post(served.port, token, good)
    assert status == 202
    hook = f"/hooks/{token}"
    json_type = {"Content-Type": "application/json"}
    bad: list[tuple[str, str, Body, dict[str, str], int]] = [
        ("POST", f"/hooks/{new_token()}", good, json_type, 404),
        ("GET", hook, None, {}, 405),
        ("PUT", hook, good, json_type, 405),
        ("POST", hook, b"{" + b" " * (2 * 1024 * 1024) + b"}", json_type, 413),
        ("POST", hook, (b" " * 65536 for _ in range(32)), json_type, 413),  # chunked, no length
        ("POST", hook, b'{"name": "#1042", "total_price": ', json_type, 400),
        ("POST", hook, "{\"name\": 訂單}".encode(), json_type, 400),
        ("GET", "/", None, {}, 404),
        ("GET", "/hooks", None, {}, 404),
        ("POST", "/hooks", good, json_type, 404),
        ("GET", "/hooks/", None, {}, 404),
        ("GET", "/admin", None, {}, 404),
        ("GET", "/hooks/../healthz", None, {}, 404),
        ("POST", f"/hooks/{token}/../{token}", good, json_type, 404),
        ("POST", f"{hook}/extra", good, json_type, 404),
    ]
    for method, path, body, headers, expected in bad:
        status, raw = request(served.port, method, path, body, headers)
        assert status == expected, (method, path[:60], status, raw[:200])
        answer = json.loads(raw)
        assert answer["ok"] is False and answer["error"], answer
        assert "Traceback" not in answer["error"]
    status, second = post(served.port, token, good)
    assert status == 202 and served.healthy()

    for answer in (first, second):
        assert bellhop.wait_run(answer["event_id"]) == "succeeded"
    stored = {row[0] for row in bellhop.query("SELECT id FROM events")}
    assert stored == {first["event_id"], second["event_id"]}
    assert len(bellhop.query("SELECT id FROM runs")) == 2
    assert smtp.inbox.count() == 2
    served.stop()
    assert "Traceback" not in served.stderr()


def test_email_waits_out_an_smtp_outage(bellhop: Bellhop, smtp: SmtpServer) -> None:
    """SMTP down when the order arrives: the step is retried and the email goes once it is back."""
    smtp_account(bellhop, smtp.port)  # nothing listens on smtp.port yet
    token = new_token()
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [
        email_step(retry={"attempts": 6, "first_delay": 0.3})])])
    served = bellhop.serve()

    posted = time.monotonic()
    status, answer = post(served.port, token, SAMPLE.read_bytes())
    assert status == 202
    event_id = answer["event_id"]
    served.wait_stdout("will be tried again")  # the first attempt met a closed port
    assert smtp.inbox.count() == 0
    outage = 1.5 - (time.monotonic() - posted)
    if outage > 0:
        time.sleep(outage)  # keep the server down ~1.5 s in all
    smtp.start()
    back = time.monotonic()

    wait_until(smtp.inbox.count, 15, "the email after the SMTP server came back")
    recovered = smtp.inbox.messages[0].at - back
    assert smtp.inbox.messages[0].message["Subject"] == "訂單 #1042"
    assert bellhop.wait_run(event_id) == "succeeded"
    [(attempts, step_status)] = bellhop.query(
        "SELECT s.attempts, s.status FROM step_runs s JOIN runs r ON r.id = s.run_id "
        "WHERE r.event_id = ?", event_id)
    assert step_status == "succeeded" and attempts > 1
    print(f"\n[e2e] SMTP outage: email delivered {recovered:.2f} s after the server came back "
          f"(attempt {attempts} of 6, {time.monotonic() - posted:.2f} s after the order)")
    served.wait_stdout(f"{event_id}  done")
    assert smtp.inbox.count() == 1
    served.stop()


def test_garbage_http_prints_no_traceback(bellhop: Bellhop) -> None:
    """A request that is not valid HTTP gets a 400 and leaves no traceback on the console."""
    token = new_token()
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [
        {"type": "filter", "conditions": [{"field": "body.a", "op": "eq", "value": 1}]}])])
    served = bellhop.serve()
    chunked = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    status, _ = request(served.port, "POST", f"/hooks/{token}", b"not-a-chunk-size\r\n", chunked)
    assert status == 400
    assert served.healthy()
    served.stop()
    assert bellhop.query("SELECT count(*) FROM events") == [(0,)]
    assert "Traceback" not in served.stderr()
