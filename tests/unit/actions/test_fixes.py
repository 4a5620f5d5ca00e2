"""Errors a person can fix carry the fix the window offers beside them, card by card.

Each card runs as the engine runs it (the step runner, one try) against real servers on
127.0.0.1 where it talks to one: a real SMTP server, the fake Google, fake LINE and chat
services, a local HTTP server. The fix is what the step records: ("open_account", name),
("sign_in_google", name), ("edit_card", step index, field) or ("connect_tunnel",).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import keyring
import pytest
from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from bellhop.actions import (
    append_file,
    append_sheet,
    desktop_notice,
    http_request,
    line_reply,
    notify_chat,
    send_email,
    surveycake,
)
from bellhop.core.cards import ActionType
from bellhop.core.errors import (
    FIX_KINDS,
    PermanentError,
    edit_card,
    fix_from_json,
    open_account,
    sign_in_google,
)
from bellhop.core.running.steps import Outcome, PlannedStep, StepRunner
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.storage.records import StepRecord
from bellhop.core.templating import make_context
from fakes.fake_chat import SLACK_TOKENS, FakeChat
from fakes.fake_google import FakeGoogle
from fakes.fake_line import FakeLine
from google_kit import SHEET_ID, SHEET_URL, GoogleSetup, setup_google
from google_kit import fake_google as fake_google  # the fixture
from support.ports import free_port
from support.records import make_event, make_run, make_step

STEP = 3  # the failing card's place in its rule: the fix names it
EVENT = {"body": {"name": "#1042", "total_price": "1640.00",
                  "customer": {"email": "mei@example.com"}},
         "query": {}, "headers": {}, "method": "POST",
         "received_at": "2026-11-28T14:05:31+08:00", "event_id": "ev1", "rule": "r", "steps": {}}


async def failed(action: ActionType, ctx: StepContext, config: Any) -> StepRecord:
    """Run a card once through the step runner (as the engine does); its failed step."""
    step = make_step(ctx.step_index, config.type, label=action.label)
    run = make_run(make_event())
    planned = PlannedStep(config=config, action=action, label=action.label, input={},
                          index=ctx.step_index)
    runner = StepRunner(store=None, on_step=lambda run, step: None)  # type: ignore[arg-type]
    outcome = await runner.run(run, step, planned, ctx, attempts=1)
    assert outcome is Outcome.FAILED and step.status == "failed", step.output
    assert step.error and "unexpected" not in step.error, step.error
    return step


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def context(http: aiohttp.ClientSession, tmp_path: Path, accounts: dict[str, Any] | None = None,
            step: int = STEP, body: dict[str, Any] | None = None) -> StepContext:
    values = dict(EVENT, body=body if body is not None else EVENT["body"])
    services = Services(home=tmp_path, accounts=lambda: accounts or {}, http=http)
    return StepContext(services, make_context(values), "r", "ev1", step, "card")


def test_a_fix_read_back_from_the_database_is_the_fix_that_was_stored() -> None:
    for fix in (open_account("office"), sign_in_google("google"), edit_card("to", 2),
                ("connect_tunnel",)):
        assert fix_from_json(json.loads(json.dumps(list(fix)))) == fix
        assert fix[0] in FIX_KINDS
    assert fix_from_json(None) is None
    assert fix_from_json(["format_disk", "/"]) is None  # only kinds the window knows
    assert fix_from_json("open_account") is None


def test_an_error_made_without_a_fix_has_none() -> None:
    assert PermanentError("plain").fix is None
    assert PermanentError("x", fix=open_account("a")).fix == ("open_account", "a")


# -- Send email ------------------------------------------------------------------------------

def refusing(server: Any, session: Any, envelope: Any, mechanism: Any, data: Any) -> AuthResult:
    return AuthResult(success=False, handled=False)


class Inbox:
    """Takes every message, but refuses two addresses."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:
        if address == "gone@example.com":
            return "550 5.1.1 No such user"
        if address == "nobody@example.com":
            return "553 5.1.3 Not a mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 Message accepted"


@pytest.fixture
def smtp() -> Iterator[Controller]:
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port(),
                            authenticator=refusing, auth_require_tls=False)
    controller.start()
    yield controller
    controller.stop()


def mail(port: int, username: str = "") -> dict[str, Any]:
    return {"office": {"kind": "smtp", "host": "127.0.0.1", "port": port, "security": "none",
                       "username": username, "from": "shop@example.com"},
            "google": {"kind": "google"}}


def email(**values: Any) -> send_email.SendEmailConfig:
    return send_email.SendEmailConfig.model_validate(
        {"type": "send_email", "account": "office", "to": "{{ body.customer.email }}",
         "subject": "新訂單 {{ body.name }}", **values})


async def test_a_password_the_mail_server_refuses_opens_the_account(
        http: aiohttp.ClientSession, tmp_path: Path, smtp: Controller) -> None:
    keyring.set_password("bellhop", "office", "wrong")
    step = await failed(send_email.ACTION, context(http, tmp_path, mail(smtp.port, "shop")),
                        email())
    assert "did not accept the username or password" in (step.error or "")
    assert step.fix == ("open_account", "office")


async def test_a_password_missing_from_the_keychain_opens_the_account(
        http: aiohttp.ClientSession, tmp_path: Path, smtp: Controller) -> None:
    step = await failed(send_email.ACTION, context(http, tmp_path, mail(smtp.port, "shop")),
                        email())
    assert step.fix == ("open_account", "office")


async def test_a_mail_server_out_of_reach_is_retried_and_still_points_at_the_account(
        http: aiohttp.ClientSession, tmp_path: Path) -> None:
    step = await failed(send_email.ACTION, context(http, tmp_path, mail(free_port())), email())
    assert "Could not reach the mail server" in (step.error or "")
    assert step.fix == ("open_account", "office")


async def test_an_account_that_is_not_there_opens_the_accounts_page_on_its_name(
        http: aiohttp.ClientSession, tmp_path: Path) -> None:
    step = await failed(send_email.ACTION, context(http, tmp_path, {}), email())
    assert step.fix == ("open_account", "office")


async def test_an_account_of_the_wrong_kind_is_changed_on_the_card(
        http: aiohttp.ClientSession, tmp_path: Path, smtp: Controller) -> None:
    step = await failed(send_email.ACTION, context(http, tmp_path, mail(smtp.port)),
                        email(account="google"))
    assert step.fix == ("edit_card", STEP, "account")


async def test_an_address_that_is_not_one_is_fixed_in_its_own_field(
        http: aiohttp.ClientSession, tmp_path: Path, smtp: Controller) -> None:
    ctx = context(http, tmp_path, mail(smtp.port))
    assert (await failed(send_email.ACTION, ctx, email(to="warehouse"))).fix == \
        ("edit_card", STEP, "to")
    assert (await failed(send_email.ACTION, ctx, email(cc="boss at shop"))).fix == \
        ("edit_card", STEP, "cc")
    assert (await failed(send_email.ACTION, ctx, email(to="{{ body.nothing }}"))).fix[0] == \
        "edit_card"


async def test_an_address_the_server_refuses_points_at_the_field_it_came_from(
        http: aiohttp.ClientSession, tmp_path: Path, smtp: Controller) -> None:
    # Every address refused (else the message goes to the others): the worst is in Cc.
    step = await failed(send_email.ACTION, context(http, tmp_path, mail(smtp.port)),
                        email(to="gone@example.com", cc="nobody@example.com"))
    assert "refused the address nobody@example.com" in (step.error or "")
    assert step.fix == ("edit_card", STEP, "cc")


async def test_a_template_that_cannot_be_filled_in_opens_its_card(
        http: aiohttp.ClientSession, tmp_path: Path, smtp: Controller) -> None:
    step = await failed(send_email.ACTION, context(http, tmp_path, mail(smtp.port)),
                        email(subject="{{ body.name | nosuchfilter }}"))
    assert step.fix == ("edit_card", STEP, "subject")  # the field the template is in


# -- Add a row to Google Sheets ----------------------------------------------------------------

@pytest.fixture
def google(fake_google: FakeGoogle) -> GoogleSetup:
    return setup_google(fake_google)


def sheet_row(**values: Any) -> append_sheet.AppendSheetConfig:
    return append_sheet.AppendSheetConfig.model_validate(
        {"type": "append_sheet", "account": "google", "spreadsheet": SHEET_URL,
         "sheet": "Orders", "columns": {"Order": "{{ body.name }}"}, **values})


async def test_sheet_mistakes_are_fixed_in_the_field_that_holds_them(
        http: aiohttp.ClientSession, tmp_path: Path, google: GoogleSetup) -> None:
    ctx = context(http, tmp_path, google.accounts())
    cases = {
        "sheet": sheet_row(sheet="Order"),
        "add_missing_columns": sheet_row(columns={"訂單編號": "{{ body.name }}"}),
        "spreadsheet": sheet_row(spreadsheet="my orders sheet"),
    }
    for field, config in cases.items():
        assert (await failed(append_sheet.ACTION, ctx, config)).fix == \
            ("edit_card", STEP, field)
    missing = sheet_row(spreadsheet="https://docs.google.com/spreadsheets/d/1NoSuchSheet/")
    step = await failed(append_sheet.ACTION, ctx, missing)
    assert "cannot find the spreadsheet" in (step.error or "")
    assert step.fix == ("edit_card", STEP, "spreadsheet")


async def test_a_sheet_not_shared_with_the_account_opens_the_account_to_copy_its_address(
        http: aiohttp.ClientSession, tmp_path: Path, google: GoogleSetup) -> None:
    google.fake.spreadsheets[SHEET_ID].editors.clear()
    step = await failed(append_sheet.ACTION, context(http, tmp_path, google.accounts()),
                        sheet_row())
    assert step.fix == ("open_account", "google")


async def test_a_key_google_no_longer_accepts_opens_the_account_to_pick_the_key_again(
        http: aiohttp.ClientSession, tmp_path: Path, google: GoogleSetup) -> None:
    google.fake.public_keys.clear()  # the key was deleted in Google Cloud Console
    step = await failed(append_sheet.ACTION, context(http, tmp_path, google.accounts()),
                        sheet_row())
    assert "Reconnect your Google account" in (step.error or "")
    assert step.fix == ("open_account", "google")


async def test_a_google_sign_in_that_was_revoked_asks_to_sign_in_again(
        http: aiohttp.ClientSession, tmp_path: Path, fake_google: FakeGoogle) -> None:
    fake_google.clients["client-1"] = "client-secret"
    keyring.set_password("bellhop", "mine", json.dumps(
        {"refresh_token": "1//revoked", "client_secret": "client-secret"}))
    accounts = {"mine": {"kind": "google", "auth": "oauth", "client_id": "client-1",
                         "token_uri": f"{fake_google.url}/token", "api_base": fake_google.url}}
    step = await failed(append_sheet.ACTION, context(http, tmp_path, accounts),
                        sheet_row(account="mine"))
    assert "Reconnect your Google account" in (step.error or "")
    assert step.fix == ("sign_in_google", "mine")


# -- Add a row to a spreadsheet file -----------------------------------------------------------

async def test_file_mistakes_are_fixed_on_the_card(
        http: aiohttp.ClientSession, tmp_path: Path) -> None:
    ctx = context(http, tmp_path)
    blocker = tmp_path / "Orders"
    blocker.write_text("a file where a folder should be")
    cases = {
        "path": [str(tmp_path / "orders.txt"), str(blocker / "orders.csv")],
        "sheet": [str(tmp_path / "orders.xlsx")],
    }
    for field, paths in cases.items():
        for path in paths:
            config = append_file.AppendFileConfig.model_validate(
                {"type": "append_file", "path": path, "sheet": "a/b" if field == "sheet" else "S",
                 "columns": {"Order": "{{ body.name }}"}})
            assert (await failed(append_file.ACTION, ctx, config)).fix == \
                ("edit_card", STEP, field), path


# -- Call a web address ------------------------------------------------------------------------

@pytest.fixture
async def refusing_site() -> AsyncIterator[str]:
    async def refuse(request: web.Request) -> web.Response:
        return web.json_response({"error": "unknown order"}, status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", refuse)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_web_address_mistakes_are_fixed_in_their_fields(
        http: aiohttp.ClientSession, tmp_path: Path, refusing_site: str) -> None:
    ctx = context(http, tmp_path)

    def call(**values: Any) -> http_request.HttpRequestConfig:
        return http_request.HttpRequestConfig.model_validate(
            {"type": "http_request", "url": refusing_site + "/orders", **values})

    cases = [
        ("url", call(url="shop.example/orders")),
        ("url", call()),  # the site answers 404
        ("url", call(url=f"http://127.0.0.1:{free_port()}/")),  # nobody listens
        ("headers", call(headers={"X Token": "1"})),
        ("body", call(body='{"order": {{ body.name }}}')),
    ]
    for field, config in cases:
        assert (await failed(http_request.ACTION, ctx, config)).fix == \
            ("edit_card", STEP, field), field


# -- Reply on LINE -----------------------------------------------------------------------------

async def test_line_reply_mistakes_are_fixed_on_the_card(
        http: aiohttp.ClientSession, tmp_path: Path) -> None:
    body = {"events": [{"type": "message", "replyToken": "r1"}]}
    ctx = context(http, tmp_path, body=body)
    with FakeLine(("r1",)) as line:
        def reply(**values: Any) -> line_reply.LineReplyConfig:
            return line_reply.LineReplyConfig.model_validate(
                {"type": "line_reply", "api_base": line.base, "text": "謝謝", **values})

        # No token saved yet, then a token LINE does not take: both are saved on the card.
        assert (await failed(line_reply.ACTION, ctx, reply())).fix == ("edit_card", STEP, "token")
        keyring.set_password("bellhop", "line-channel-token", "not-the-token")
        step = await failed(line_reply.ACTION, ctx, reply())
        assert "did not accept the channel access token" in (step.error or "")
        assert step.fix == ("edit_card", STEP, "token")
        too_many = "\n---\n".join(str(n) for n in range(6))
        assert (await failed(line_reply.ACTION, ctx, reply(text=too_many))).fix == \
            ("edit_card", STEP, "text")


# -- Send a chat message -----------------------------------------------------------------------

async def test_chat_mistakes_are_fixed_on_the_card(
        http: aiohttp.ClientSession, tmp_path: Path) -> None:
    ctx = context(http, tmp_path)
    with FakeChat() as chat:
        def message(**values: Any) -> notify_chat.NotifyChatConfig:
            return notify_chat.NotifyChatConfig.model_validate(
                {"type": "notify_chat", "service": "slack", "secret": "chat-hook",
                 "api_base": chat.base, "message": "新訂單 {{ body.name }}", **values})

        assert (await failed(notify_chat.ACTION, ctx, message())).fix == \
            ("edit_card", STEP, "secret")  # nothing saved under that name yet
        keyring.set_password("bellhop", "chat-hook", "https://hooks.slack.com/services/"
                             + "/".join([*SLACK_TOKENS[:2], "wrongtoken"]))
        step = await failed(notify_chat.ACTION, ctx, message())
        assert step.fix == ("edit_card", STEP, "secret"), step.error
        assert (await failed(notify_chat.ACTION, ctx, message(message=" "))).fix == \
            ("edit_card", STEP, "message")
        assert (await failed(notify_chat.ACTION, ctx, message(service="telegram"))).fix == \
            ("edit_card", STEP, "to")


# -- Show a desktop notice ---------------------------------------------------------------------

async def test_a_notice_without_a_title_is_fixed_in_its_title(
        http: aiohttp.ClientSession, tmp_path: Path) -> None:
    config = desktop_notice.DesktopNoticeConfig.model_validate(
        {"type": "desktop_notice", "title": "{{ body.none | default('') }}"})
    step = await failed(desktop_notice.ACTION, context(http, tmp_path), config)
    assert step.fix == ("edit_card", STEP, "title")


# -- SurveyCake's answers (the trigger's own step 0) -------------------------------------------

async def test_surveycake_keys_are_fixed_on_the_trigger(
        http: aiohttp.ClientSession, tmp_path: Path) -> None:
    ctx = context(http, tmp_path, step=0, body={"svid": "abc", "hash": "def"})
    config = surveycake.SurveyCakeConfig.model_validate(
        {"type": "surveycake_answers", "domain": f"http://127.0.0.1:{free_port()}",
         "hash_key": "sc-hash", "iv_key": "sc-iv"})
    assert (await failed(surveycake.ACTION, ctx, config)).fix == ("edit_card", 0, "hash_key")
    keyring.set_password("bellhop", "sc-hash", "0123456789abcdef")
    assert (await failed(surveycake.ACTION, ctx, config)).fix == ("edit_card", 0, "iv_key")
    with pytest.raises(PermanentError) as caught:
        surveycake.decrypt_answers(b"bm90IGFuc3dlcnM=", "0123456789abcdef", "short")
    assert caught.value.fix == ("edit_card", None, "iv_key")
    with pytest.raises(PermanentError) as caught:
        surveycake.decrypt_answers(b"bm90IGFuc3dlcnMhISEhISEhIQ==", "0123456789abcdef",
                                   "0123456789abcdef")
    assert caught.value.fix == ("edit_card", None, "hash_key")
