"""Every template of the gallery, end to end through `bellhop serve`, on its real sample.

The person's part is done as a person would: an email account in accounts.json,
the LINE channel token, the channel secret, the Discord webhook and SurveyCake's
keys in the keychain. The services are local fakes; each template's delivery is
sent the way its service sends it (LINE signed, SurveyCake as a form post).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest

from bellhop.core.services.google import service_account_entry
from fakes.fake_chat import DISCORD_ID, DISCORD_TOKEN, FakeChat
from fakes.fake_google import FakeGoogle
from fakes.fake_line import CHANNEL_TOKEN, FakeLine
from fakes.fake_surveycake import HASH_KEY, IV_KEY, FakeSurveyCake
from google_kit import ROBOT
from template_kit import TEMPLATE_SHEET, TEMPLATE_TABS, ready_for_fakes

from .conftest import SAMPLES, Bellhop, free_port, request
from .test_serve import SMTP_PASSWORD, SmtpServer, smtp_account

pytestmark = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")

LINE_SECRET = "line-channel-secret-for-templates"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def sample_body(name: str) -> bytes:
    raw = (SAMPLES / name).read_bytes()
    if name.endswith(".txt"):
        lines = [line for line in raw.decode().splitlines() if line and not line.startswith("#")]
        return lines[-1].encode()
    return raw


def test_every_template_runs_on_its_sample(bellhop: Bellhop, smtp: SmtpServer) -> None:
    from bellhop.core.gallery.starters import STARTERS, fill_for, new_rule

    smtp_account(bellhop, smtp.port)
    accounts = json.loads((bellhop.home / "accounts.json").read_text())["accounts"]
    chat, line, surveycake = FakeChat(), FakeLine(("b60d432864f44d079f6d8efe86cf404b",)), \
        FakeSurveyCake()
    google = FakeGoogle().start()
    try:
        # The person's Google part: a service account's key, and a spreadsheet with new,
        # empty tabs shared with it.
        robot_key = google.add_service_account(ROBOT)
        bellhop.set_secret("google", json.dumps(robot_key))
        accounts["google"] = service_account_entry(robot_key, api_base=google.url)
        bellhop.write_accounts(accounts)
        google.add_spreadsheet(TEMPLATE_SHEET, {tab: [] for tab in TEMPLATE_TABS}, {ROBOT})
        surveycake.add("8aB3kQ", "5f0c8e1d2a7b4c9e",
                       json.loads((SAMPLES / "surveycake_answers.json").read_bytes()))
        rules, deliveries = [], {}
        for starter in STARTERS:
            if starter.key == "blank":
                continue
            raw = new_rule(starter, starter.title, fill_for(accounts))
            rule = ready_for_fakes(raw, line_api=line.base, chat_api=chat.base,
                                   surveycake=surveycake.base, files=bellhop.root / "files")
            rules.append(rule)
            deliveries[starter.key] = rule
            if starter.key == "surveycake":
                bellhop.set_secret(rule["trigger"]["surveycake"]["hash_key"], HASH_KEY)
                bellhop.set_secret(rule["trigger"]["surveycake"]["iv_key"], IV_KEY)
            if starter.key == "line_keyword":
                bellhop.set_secret(rule["trigger"]["verify"]["secret"], LINE_SECRET)
        bellhop.set_secret("line-channel-token", CHANNEL_TOKEN)
        bellhop.set_secret("discord-webhook",
                           f"https://discord.com/api/webhooks/{DISCORD_ID}/{DISCORD_TOKEN}")
        bellhop.write_rules(rules)
        served = bellhop.serve()
        for rule in rules:
            assert f"{rule['name']} → {served.url(rule['trigger']['token'])}" in \
                served.wait_stdout(rule["name"]), "a template rule is not running"

        sent = {
            "shopify": ("shopify_order_create.json", "application/json"),
            "website_form": ("website_form.txt", "application/x-www-form-urlencoded"),
            "shopify_sheet": ("shopify_order_create.json", "application/json"),
            "surveycake": ("surveycake_post.txt", "application/x-www-form-urlencoded"),
            "line_keyword": ("line_message_event.json", "application/json"),
            "github_discord": ("github_push.json", "application/json"),
            "stripe_sheet": ("stripe_payment_succeeded.json", "application/json"),
        }
        event_ids = {}
        for key, (file, content_type) in sent.items():
            body = sample_body(file)
            headers = {"Content-Type": content_type}
            if key == "line_keyword":
                headers["X-Line-Signature"] = base64.b64encode(hmac.new(
                    LINE_SECRET.encode(), body, hashlib.sha256).digest()).decode()
            status, raw = request(served.port, "POST",
                                  f"/hooks/{deliveries[key]['trigger']['token']}", body, headers)
            assert status in (200, 202), (key, raw)
            event_ids[key] = json.loads(raw)["event_id"]
        statuses = {key: bellhop.wait_run(event_id, timeout=30)
                    for key, event_id in event_ids.items()}
        assert statuses == dict.fromkeys(sent, "succeeded"), served.stdout()

        subjects = sorted(str(m.message["Subject"]) for m in smtp.inbox.messages)
        assert subjects == sorted(["New order #1042", "New order #1042",
                                   "Website message from 張小華", "Thank you for your answers",
                                   "Payment received: NT$1,640"])
        by_subject = {str(m.message["Subject"]): m for m in smtp.inbox.messages}
        thanks = by_subject["Thank you for your answers"]
        assert thanks.rcpt_tos == ["ming@example.com", "shop@example.com"]  # bcc to the shop
        assert "王小明" in thanks.message.get_content()
        warehouse = by_subject["New order #1042"].message.get_content()
        assert "2 items (凍頂烏龍茶 150g, 手作陶瓷杯)" in warehouse and "NT$1,640" in warehouse
        assert line.replies == [("b60d432864f44d079f6d8efe86cf404b", [
            "Hello! We are open Monday to Saturday, 10:00–19:00. See you soon!"])]
        assert [service for service, _ in chat.received] == ["discord"]
        assert (bellhop.root / "files" / "orders.xlsx").exists()
        assert "chen-dev pushed 1 commit(s) to main: 更新首頁橫幅" in chat.received[0][1]["text"]
        # Each sheet template filled its new tab: the header row it brings, then the row.
        for tab in TEMPLATE_TABS:
            rows = google.rows(TEMPLATE_SHEET, tab)
            assert len(rows) == 2 and all(rows[1]), (tab, rows)
        orders = dict(zip(*google.rows(TEMPLATE_SHEET, "Orders"), strict=True))
        assert orders["Order"] == "#1042" and orders["Total"] == "1640.00"
        answers = dict(zip(*google.rows(TEMPLATE_SHEET, "Answers"), strict=True))
        assert answers["姓名"] == "王小明"
        served.stop()
        leaks = [p for p in bellhop.home.rglob("*") if p.is_file()
                 and any(s.encode() in p.read_bytes() for s in (SMTP_PASSWORD, HASH_KEY,
                                                                CHANNEL_TOKEN,
                                                                robot_key["private_key"][40:80]))]
        assert leaks == []
    finally:
        for fake in (chat, line, surveycake, google):
            fake.stop()


def test_sheet_steps_of_the_templates_ask_only_for_the_spreadsheet() -> None:
    from bellhop.actions.registry import default_registry
    from bellhop.core.gallery.starters import STARTERS, new_rule
    from bellhop.core.gallery.templates import Fill
    from bellhop.core.running.rules import check_rule

    sheet_templates = 0
    for starter in STARTERS:
        raw = new_rule(starter, starter.title, Fill(account="office", address="a@b.tw",
                                                    google="google"))
        problems = check_rule(raw, default_registry()).problems
        sheets = [step for step in raw["steps"] if step["type"] == "append_sheet"]
        sheet_templates += bool(sheets)
        # Only the spreadsheet itself is left for the person to choose.
        assert all("Spreadsheet" in problem for problem in problems), problems
        assert bool(problems) == bool(sheets)
    assert sheet_templates == 3
