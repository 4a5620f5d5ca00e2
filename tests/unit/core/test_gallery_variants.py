"""Every template of the gallery runs to its end on what real senders send, not only on the
neat sample: a Shopify guest checkout (no customer, or `customer: null`), an order of
digital goods (no shipping address), a LINE sticker instead of text, a SurveyCake answer
left blank, a form without a phone field, a push that deletes a branch, a payment without
a receipt email.

Each template runs through the real engine and receiver, with a real SMTP server, the
Sheets fake, a real spreadsheet file and the LINE, Discord and SurveyCake fakes; the
person's part (accounts, keys, the spreadsheet) is done as in tests/e2e/test_templates.py.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from enginekit import collect
from openpyxl import load_workbook

from bellhop.core.platform.secrets import set_secret
from bellhop.core.storage.records import RunRecord
from bellhop.service import Bellhop
from fakes.fake_chat import DISCORD_ID, DISCORD_TOKEN, FakeChat
from fakes.fake_google import FakeGoogle
from fakes.fake_line import CHANNEL_TOKEN, FakeLine
from fakes.fake_surveycake import HASH_KEY, IV_KEY, FakeSurveyCake
from helpers import load_sample, sample_json
from support.inbox import Inbox, smtp_inbox
from template_kit import TEMPLATE_SHEET, google_for_templates, ready_for_fakes

try:  # the gallery is plain data; it may live beside the window or in the core
    from bellhop.core.gallery.starters import STARTERS, fill_for, new_rule  # type: ignore
except ImportError:
    from bellhop.ui.rules.starters import STARTERS, fill_for, new_rule

LINE_SECRET = "line-channel-secret-for-variants"
REPLY_TOKEN = "b60d432864f44d079f6d8efe86cf404b"
SHOPIFY = {"X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": "tea.myshopify.com"}
GITHUB = {"X-GitHub-Event": "push", "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c93"}
FORM = "application/x-www-form-urlencoded"


@dataclass
class Variant:
    """One delivery a real sender makes, and what the template should make of it."""

    name: str
    template: str  # the starter's key
    body: Callable[[], Any]  # JSON, or form text
    status: str = "succeeded"
    warnings: list[str] = field(default_factory=list)
    check: Callable[[World, RunRecord], None] = lambda world, run: None
    headers: dict[str, str] = field(default_factory=dict)
    answers: Callable[[], dict[str, Any]] | None = None  # SurveyCake's, behind the post


# -- the senders' variants -------------------------------------------------------------------

def order(**changes: Any) -> Callable[[], dict[str, Any]]:
    def make() -> dict[str, Any]:
        body = copy.deepcopy(sample_json("shopify_order_create.json"))
        for key, value in changes.items():
            if value is ...:
                body.pop(key)
            else:
                body[key] = value
        return body
    return make


def form(text: str) -> Callable[[], str]:
    return lambda: text


def website_form() -> str:
    lines = load_sample("website_form.txt").decode().splitlines()
    return next(line for line in lines if line and not line.startswith("#"))


def line_event(message: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    def make() -> dict[str, Any]:
        body = copy.deepcopy(sample_json("line_message_event.json"))
        body["events"][0]["message"] = message
        return body
    return make


def answers(**changes: Any) -> Callable[[], dict[str, Any]]:
    """SurveyCake's answers; a question set to ... is left out of the result altogether."""
    def make() -> dict[str, Any]:
        data = copy.deepcopy(sample_json("surveycake_answers.json"))
        kept = []
        for item in data["result"]:
            change = changes.get(item["subject"], "unchanged")
            if change is ...:
                continue
            if change != "unchanged":
                item["answer"] = change
            kept.append(item)
        data["result"] = kept
        return data
    return make


def push(**changes: Any) -> Callable[[], dict[str, Any]]:
    def make() -> dict[str, Any]:
        return {**sample_json("github_push.json"), **changes}
    return make


def payment(**changes: Any) -> Callable[[], dict[str, Any]]:
    def make() -> dict[str, Any]:
        body = copy.deepcopy(sample_json("stripe_payment_succeeded.json"))
        body["data"]["object"].update(changes)
        return body
    return make


# -- what each template did ------------------------------------------------------------------

def one_email(world: World) -> Any:
    [sent] = world.inbox.messages
    return sent


def file_row(world: World) -> dict[str, Any]:
    book = load_workbook(world.files / "orders.xlsx")
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2, rows  # the header row the template brings, then this order's
    return {header: "" if value is None else str(value)
            for header, value in zip(rows[0], rows[1], strict=True)}


def sheet_row(world: World, tab: str) -> dict[str, Any]:
    rows = world.google.rows(TEMPLATE_SHEET, tab)
    assert len(rows) == 2, rows
    cells = [*rows[1], *[None] * (len(rows[0]) - len(rows[1]))]
    return {header: "" if cell is None else cell  # an empty cell is no value in Sheets
            for header, cell in zip(rows[0], cells, strict=True)}


def shopify_file_normal(world: World, run: RunRecord) -> None:
    assert "Customer: 林美玲" in one_email(world).text
    assert file_row(world)["Customer"] == "林美玲"


def shopify_file_guest(world: World, run: RunRecord) -> None:
    sent = one_email(world)
    assert sent.subject == "New order #1042"
    assert sent.text.splitlines() == ["Order #1042, total 1640.00 TWD.", "Customer: "]
    row = file_row(world)
    assert row["Order"] == "#1042" and row["Customer"] == "" and row["Total"] == "1640"


def shopify_sheet_normal(world: World, run: RunRecord) -> None:
    text = one_email(world).text
    assert "Ship to: 林美玲 110 台北市信義路五段7號 12樓" in text
    assert "Phone: 0912-345-678" in text
    row = sheet_row(world, "Orders")
    assert row["Customer"] == "林美玲" and row["Phone"] == "0912-345-678"


def shopify_sheet_guest(world: World, run: RunRecord) -> None:
    assert "Ship to: 林美玲" in one_email(world).text
    row = sheet_row(world, "Orders")
    assert row["Order"] == "#1042" and row["Customer"] == "" and row["Phone"] == ""
    assert row["Total"] == "1640.00" and row["Items"] == "3"


def shopify_sheet_digital(world: World, run: RunRecord) -> None:
    lines = one_email(world).text.splitlines()
    assert lines[1:] == ["Ship to:    ", "Phone: ", "Note: 請在週末前送達"]
    assert sheet_row(world, "Orders")["Customer"] == "林美玲"


def website_mail(phone: str) -> Callable[[World, RunRecord], None]:
    def check(world: World, run: RunRecord) -> None:
        sent = one_email(world)
        assert sent.subject == "Website message from 張小華"
        assert f"Phone: {phone}\n" in sent.text and "想詢問團購價格" in sent.text
    return check


def surveycake_thanks(greeting: str, suggestion: str, row: dict[str, str]
                      ) -> Callable[[World, RunRecord], None]:
    def check(world: World, run: RunRecord) -> None:
        sent = one_email(world)
        assert sent.recipients == ["ming@example.com", "shop@example.com"]  # bcc the shop
        assert sent.text.startswith(f"{greeting}, thank you for filling in \"門市滿意度調查\".")
        assert f"Your suggestion: {suggestion}" in sent.text
        answered = sheet_row(world, "Answers")
        assert {key: answered[key] for key in row} == row
    return check


def surveycake_no_address(world: World, run: RunRecord) -> None:
    assert world.inbox.messages == []  # nobody to thank...
    assert sheet_row(world, "Answers")["姓名"] == "王小明"  # ...but the answers are kept
    assert [step.status for step in run.steps] == ["succeeded", "succeeded", "succeeded",
                                                   "skipped"]


def line_replied(world: World, run: RunRecord) -> None:
    assert world.line.replies == [(REPLY_TOKEN, [
        "Hello! We are open Monday to Saturday, 10:00–19:00. See you soon!"])]


def line_left_alone(world: World, run: RunRecord) -> None:
    assert world.line.replies == []
    [condition, reply] = run.steps
    assert condition.status == "succeeded" and condition.output["matched"] is False
    assert reply.status == "skipped"


def discord_said(text: str) -> Callable[[World, RunRecord], None]:
    def check(world: World, run: RunRecord) -> None:
        [(service, shown)] = world.chat.received
        assert service == "discord"
        assert shown["text"].splitlines() == ["tea-house-tw/shop-site", text.rstrip()]
    return check


def stripe_recorded(email_text: str, row: dict[str, str]) -> Callable[[World, RunRecord], None]:
    def check(world: World, run: RunRecord) -> None:
        sent = one_email(world)
        assert sent.subject == "Payment received: NT$1,640"
        assert sent.text.startswith(email_text)
        paid = sheet_row(world, "Payments")
        assert {key: paid[key] for key in row} == row
    return check


GUEST_MAIL = ("This order has no customer (guest checkout); the email's Message left "
              "Customer last name, Customer first name empty.")
GUEST_FILE = ("This order has no customer (guest checkout); the spreadsheet file's Column "
              "'Customer' left Customer last name, Customer first name empty.")
GUEST_SHEET = ("This order has no customer (guest checkout); the sheet left Customer last "
               "name, Customer first name, Customer phone empty.")

VARIANTS = [
    Variant("normal", "shopify", order(), check=shopify_file_normal, headers=SHOPIFY),
    Variant("guest checkout", "shopify", order(customer=...), warnings=[GUEST_MAIL, GUEST_FILE],
            check=shopify_file_guest, headers=SHOPIFY),
    Variant("guest checkout, customer null", "shopify", order(customer=None),
            warnings=[GUEST_MAIL, GUEST_FILE], check=shopify_file_guest, headers=SHOPIFY),
    Variant("digital goods", "shopify", order(shipping_address=...),
            check=shopify_file_normal, headers=SHOPIFY),
    Variant("normal", "shopify_sheet", order(), check=shopify_sheet_normal, headers=SHOPIFY),
    Variant("guest checkout", "shopify_sheet", order(customer=...), warnings=[GUEST_SHEET],
            check=shopify_sheet_guest, headers=SHOPIFY),
    Variant("guest checkout, customer null", "shopify_sheet", order(customer=None),
            warnings=[GUEST_SHEET], check=shopify_sheet_guest, headers=SHOPIFY),
    Variant("digital goods", "shopify_sheet", order(shipping_address=...), warnings=[
        "This order has no Shipping address; the email's Message left Recipient, Postal code, "
        "City, Street address, Recipient phone empty."],
        check=shopify_sheet_digital, headers=SHOPIFY),
    Variant("normal", "website_form", website_form, check=website_mail("0922333444")),
    Variant("phone left blank", "website_form",
            form("name=%E5%BC%B5%E5%B0%8F%E8%8F%AF&email=hua%40example.com&phone=&message="
                 "%E6%83%B3%E8%A9%A2%E5%95%8F%E5%9C%98%E8%B3%BC%E5%83%B9%E6%A0%BC"),
            check=website_mail("")),
    Variant("a form without a phone field", "website_form",
            form("name=%E5%BC%B5%E5%B0%8F%E8%8F%AF&email=hua%40example.com&message="
                 "%E6%83%B3%E8%A9%A2%E5%95%8F%E5%9C%98%E8%B3%BC%E5%83%B9%E6%A0%BC"),
            warnings=["This event has no Phone; the email's Message left it empty."],
            check=website_mail("")),
    Variant("normal", "surveycake", form("svid=8aB3kQ&hash=5f0c8e1d2a7b4c9e"),
            answers=answers(), check=surveycake_thanks("王小明", "希望週日也營業", {
                "姓名": "王小明", "整體滿意度": "非常滿意", "建議": "希望週日也營業"})),
    Variant("suggestion left blank", "surveycake", form("svid=8aB3kQ&hash=5f0c8e1d2a7b4c9e"),
            answers=answers(建議=[]), check=surveycake_thanks("王小明", "—", {
                "姓名": "王小明", "建議": ""})),
    Variant("an optional question not in the result", "surveycake",
            form("svid=8aB3kQ&hash=5f0c8e1d2a7b4c9e"), answers=answers(建議=...),
            warnings=["This response has no 建議; the sheet's Column '建議' left it empty."],
            check=surveycake_thanks("王小明", "—", {"姓名": "王小明", "建議": ""})),
    Variant("name and satisfaction left blank", "surveycake",
            form("svid=8aB3kQ&hash=5f0c8e1d2a7b4c9e"), answers=answers(姓名=[], 整體滿意度=[""]),
            check=surveycake_thanks("Hello", "希望週日也營業", {"姓名": "", "整體滿意度": ""})),
    Variant("email left blank", "surveycake", form("svid=8aB3kQ&hash=5f0c8e1d2a7b4c9e"),
            answers=answers(電子郵件=[]), status="skipped", check=surveycake_no_address),
    Variant("the keyword", "line_keyword", line_event(
        {"id": "468789577898262530", "type": "text", "quoteToken": "q3", "text": "請問營業時間？"}),
        check=line_replied),
    Variant("a sticker", "line_keyword", line_event(
        {"id": "468789577898262531", "type": "sticker", "quoteToken": "q4",
         "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC",
         "keywords": ["Hello", "Hi"]}), status="skipped", check=line_left_alone),
    Variant("an image", "line_keyword", line_event(
        {"id": "468789577898262532", "type": "image", "quoteToken": "q5",
         "contentProvider": {"type": "line"}}), status="skipped", check=line_left_alone),
    Variant("normal", "github_discord", push(),
            check=discord_said("chen-dev pushed 1 commit(s) to main: 更新首頁橫幅"),
            headers=GITHUB),
    Variant("a branch deleted", "github_discord",
            push(ref="refs/heads/old-banner", deleted=True, commits=[], head_commit=None,
                 after="0000000000000000000000000000000000000000"),
            warnings=["This event has no Head commit; the chat message's Message left "
                      "Commit message empty."],
            check=discord_said("chen-dev pushed 0 commit(s) to old-banner: "), headers=GITHUB),
    Variant("normal", "stripe_sheet", payment(), check=stripe_recorded(
        "mei.lin@example.com paid NT$1,640 (Order #1042) on", {
            "Amount": "1,640", "Email": "mei.lin@example.com", "Description": "Order #1042"})),
    Variant("no receipt email or description", "stripe_sheet",
            payment(receipt_email=None, description=None), check=stripe_recorded(
                "— paid NT$1,640 (—) on", {"Amount": "1,640", "Email": "", "Description": ""})),
]


# -- the world the templates run in --------------------------------------------------------

@dataclass
class World:
    """Bellhop on its engine and receiver, and the services the templates talk to."""

    app: Bellhop
    inbox: Inbox
    google: FakeGoogle
    line: FakeLine
    chat: FakeChat
    surveycake: FakeSurveyCake
    files: Path


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_inbox() as server:
        yield server


@pytest.fixture
async def world(home: Path, tmp_path: Path, inbox: Inbox) -> AsyncIterator[World]:
    with FakeGoogle() as google, FakeLine((REPLY_TOKEN,)) as line, FakeChat() as chat, \
            FakeSurveyCake() as surveycake:
        accounts = {"office": inbox.account(), "google": google_for_templates(google)}
        (home / "accounts.json").write_text(json.dumps({"version": 1, "accounts": accounts}),
                                            encoding="utf-8")
        set_secret("line-channel-token", CHANNEL_TOKEN)
        set_secret("discord-webhook",
                   f"https://discord.com/api/webhooks/{DISCORD_ID}/{DISCORD_TOKEN}")
        app = Bellhop(home)
        await app.start("127.0.0.1", 0)
        try:
            yield World(app, inbox, google, line, chat, surveycake, tmp_path / "files")
        finally:
            await app.stop()


async def run_template(world: World, variant: Variant) -> RunRecord:
    """The template as a person makes it from the gallery, and one delivery to it."""
    starter = next(s for s in STARTERS if s.key == variant.template)
    accounts = world.app.accounts()
    rule = ready_for_fakes(new_rule(starter, starter.key, fill_for(accounts)),
                           line_api=world.line.base, chat_api=world.chat.base,
                           surveycake=world.surveycake.base, files=world.files)
    trigger = rule["trigger"]
    if "surveycake" in trigger:
        set_secret(trigger["surveycake"]["hash_key"], HASH_KEY)
        set_secret(trigger["surveycake"]["iv_key"], IV_KEY)
    if "verify" in trigger:
        set_secret(trigger["verify"]["secret"], LINE_SECRET)
    if variant.answers is not None:
        world.surveycake.add("8aB3kQ", "5f0c8e1d2a7b4c9e", variant.answers())
    world.app.save_rules([rule])
    body = variant.body()
    raw = body.encode() if isinstance(body, str) else json.dumps(body,
                                                                 ensure_ascii=False).encode()
    headers = {"Content-Type": FORM if isinstance(body, str) else "application/json",
               **variant.headers}
    if variant.template == "line_keyword":
        headers["X-Line-Signature"] = base64.b64encode(hmac.new(
            LINE_SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    _, finished = collect(world.app)
    assert world.app.engine is not None
    url = world.app.hook_url(world.app.engine.rules[0])
    async with aiohttp.ClientSession() as http, http.post(url, data=raw,
                                                           headers=headers) as resp:
        assert resp.status in (200, 202), await resp.text()
        answered = await resp.json(content_type=None) if resp.status == 202 else None
    await finished(1, timeout=20)
    await world.app.engine.wait_idle(20)
    [event] = await world.app.recent_events()
    assert answered is None or answered["event_id"] == event.id
    [run] = await world.app.runs_of_event(event.id)
    return run


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{v.template}: {v.name}" for v in VARIANTS])
async def test_the_template_runs_to_its_end_on_what_senders_send(world: World,
                                                                 variant: Variant) -> None:
    run = await run_template(world, variant)
    failed = [(step.label, step.error) for step in run.steps if step.status == "failed"]
    assert (run.status, run.error, failed) == (variant.status, None, [])
    assert run.warnings == variant.warnings
    variant.check(world, run)


def test_every_template_of_the_gallery_meets_the_variants_of_its_sender() -> None:
    tried = {variant.template for variant in VARIANTS}
    assert tried == {starter.key for starter in STARTERS if starter.sample is not None}
    for template in tried:  # its sample as sent, and at least one way it comes otherwise
        names = [variant.name for variant in VARIANTS if variant.template == template]
        assert len(names) >= 2 and ("normal" in names or "the keyword" in names), template
