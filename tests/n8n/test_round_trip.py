"""A rule exported by `bellhop export n8n` runs in a real n8n: webhook → filter → emails.

The exported workflow and credentials are imported with n8n's own commands, the
workflow is turned on, `n8n start` serves it, and the rule's sample (a Shopify order)
is posted to n8n's webhook address. The email reaches a local SMTP server with the
words Bellhop itself writes for that order; an order the filter turns away sends none. A
card n8n has no node for (a desktop notice) becomes a Code node the run goes through.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from bellhop.core.templating import make_context, render
from n8n.conftest import START_TIMEOUT, N8n
from support.inbox import smtp_inbox
from support.serve import wait_until

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "samples" / "shopify_order_create.json"
TOKEN = "n8nRoundTripToken_0123456789"
SUBJECT = "New order {{ body.name }} ({{ body.total_price | money('NT$', 0) }})"
BODY = ("{{ body.customer.last_name }}{{ body.customer.first_name }} ordered "
        "{{ body.line_items | count }} items ({{ body.line_items | pluck('title') | "
        "join('、') }}), {{ body.line_items | sum_of('quantity') }} pieces, on "
        "{{ body.created_at | date('%Y/%m/%d %H:%M', 'Asia/Taipei') }}.\n"
        "Ship to {{ body.shipping_address.city }}{{ body.shipping_address.address1 }} "
        "{{ body.shipping_address.address2 | default('') }}\n"
        "Gift wrap: {{ body.gift_wrap | default('no') }} · {{ body.email | upper }}")
THANKS = "Thank you, {{ body.customer.first_name }}"


def rule() -> dict[str, Any]:
    """The rule under test, in the rules.json format."""
    return {
        "id": "r-n8n", "name": "Big orders to the warehouse", "enabled": True,
        "trigger": {"type": "webhook", "token": TOKEN, "methods": ["POST"],
                    "respond": {"status": 200, "body": "thanks"}},
        "steps": [
            {"type": "filter", "match": "all", "conditions": [
                {"field": "body.total_price", "op": "gt", "value": 1000},
                {"field": "body.tags", "op": "contains", "value": "vip"}]},
            # No node in n8n: a Code node that lets the run go on.
            {"type": "desktop_notice", "title": "New order {{ body.name }}"},
            {"type": "send_email", "account": "shop-mail", "to": "warehouse@example.com",
             "subject": SUBJECT, "body": BODY},
            # After an email node, the order is read from the Webhook node by name.
            {"type": "send_email", "account": "shop-mail", "to": "{{ body.email }}",
             "subject": THANKS, "body": "{{ body.line_items | pluck('title') | join(', ') }}"},
        ]}


def bellhop_export(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bellhop export n8n ARGS` on `home`."""
    env = {"BELLHOP_HOME": str(home), "PYTHONPATH": str(REPO / "desktop"),
           "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "bellhop", "export", "n8n", *args],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=60, check=False)


def post(url: str, payload: dict[str, Any]) -> tuple[int, str]:
    """POST JSON; the status and the text of the answer."""
    request = urllib.request.Request(url, data=json.dumps(payload).encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def finished_executions(database: Path) -> list[str]:
    """The status of every finished execution in n8n's database."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    try:
        return [row[0] for row in conn.execute(
            "SELECT status FROM execution_entity WHERE finished = 1 OR status != 'running' "
            "AND status != 'new'")]
    except sqlite3.OperationalError:  # n8n is writing: ask again
        return []
    finally:
        conn.close()


def test_exported_rule_sends_the_email_from_n8n(tmp_path: Path, n8n: N8n) -> None:
    order = json.loads(SAMPLE.read_text(encoding="utf-8"))
    small = copy.deepcopy(order)
    small["total_price"] = "640.00"
    with smtp_inbox() as inbox:
        home = tmp_path / "bellhop"
        home.mkdir()
        (home / "rules.json").write_text(json.dumps({"version": 1, "rules": [rule()]}),
                                         encoding="utf-8")
        (home / "accounts.json").write_text(json.dumps({"version": 1, "accounts": {
            "shop-mail": inbox.account()}}), encoding="utf-8")
        credentials = tmp_path / "credentials.json"
        done = bellhop_export(home, "Big orders to the warehouse", "--credentials",
                              str(credentials))
        assert done.returncode == 0, done.stderr
        assert "“shop-mail” (SMTP" in done.stderr
        workflows = tmp_path / "workflows.json"
        workflows.write_text(done.stdout, encoding="utf-8")
        [workflow] = json.loads(done.stdout)

        n8n.command("import:credentials", f"--input={credentials}")
        n8n.command("import:workflow", f"--input={workflows}")
        n8n.command("publish:workflow", f"--id={workflow['id']}")
        n8n.start()

        assert post(n8n.webhook_url(TOKEN), small) == (200, "thanks")
        assert post(n8n.webhook_url(TOKEN), order) == (200, "thanks")
        wait_until(lambda: len(finished_executions(n8n.database)) == 2, START_TIMEOUT,
                   "both runs to finish in n8n")
        assert finished_executions(n8n.database) == ["success", "success"]
        mails = wait_until(lambda: len(inbox.messages) == 2 and inbox.messages, 30,
                           "the emails from n8n")

    values = make_context({"body": order})
    [warehouse] = [mail for mail in mails if mail.recipients == ["warehouse@example.com"]]
    assert warehouse.subject == render(SUBJECT, values)
    # Line ends as the message carried them (nodemailer writes CRLF inside the text).
    assert warehouse.text.replace("\r\n", "\n").strip() == render(BODY, values).strip()
    [customer] = [mail for mail in mails if mail is not warehouse]
    assert customer.recipients == [order["email"]]
    assert customer.subject == render(THANKS, values)
