"""The 'Send email' card against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import email
import email.policy
import email.utils
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bellhop.actions import send_email
from bellhop.actions.send_email import ACTION, SendEmailConfig
from bellhop.core import i18n
from bellhop.core.errors import PermanentError, StepError, TransientError
from bellhop.core.platform.secrets import set_secret
from bellhop.core.stepcontext import FieldRequired, Services, StepContext
from bellhop.core.templating import make_context
from helpers import CONTROL_CHARACTERS, LINE_BREAKS, char_id, step_error
from support.ports import free_port

EVENT = {
    "body": {"name": "#1001", "customer": {"name": "王小明", "email": "ming@example.com"},
             "note": "請在週五前出貨"},
    "query": {}, "headers": {}, "method": "POST", "received_at": "2024-05-01T10:00:00+08:00",
    "event_id": "ev1", "rule": "r", "steps": {},
}


class Recorder:
    """Keeps every delivered message; can answer with a chosen code first."""

    def __init__(self, data_replies: list[str] | None = None, rcpt_reply: str | None = None,
                 rcpt_replies: dict[str, str] | None = None):
        self.messages: list[Any] = []
        self.authenticated: list[bool] = []
        self.data_replies = list(data_replies or [])
        self.rcpt_reply = rcpt_reply
        self.rcpt_replies = rcpt_replies or {}  # a reply for one address

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rcpt_replies.get(address, self.rcpt_reply)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_replies:
            return self.data_replies.pop(0)
        self.messages.append(envelope)
        self.authenticated.append(bool(session.authenticated))
        return "250 Message accepted"


def start_server(handler: Recorder, **smtp_parameters: Any) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **smtp_parameters)
    controller.start()
    return controller


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def server(recorder: Recorder) -> Iterator[Controller]:
    controller = start_server(recorder)
    yield controller
    controller.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def smtp_account(port: int, **extra: Any) -> dict[str, Any]:
    return {"kind": "smtp", "host": "127.0.0.1", "port": port, "security": "none",
            "username": "", "from": "Bellhop 商店 <shop@example.com>", **extra}


def make_ctx(tmp_path: Path, http: aiohttp.ClientSession, accounts: dict[str, Any]) -> StepContext:
    services = Services(home=tmp_path, accounts=lambda: accounts, http=http)
    return StepContext(services, values=make_context(EVENT), rule_name="r", event_id="ev1",
                       step_index=1, step_label="Send email")


def config(**values: Any) -> SendEmailConfig:
    base = {"type": "send_email", "account": "office", "to": "{{ body.customer.email }}",
            "subject": "訂單 {{ body.name }} 已收到",
            "body": "{{ body.customer.name }} 您好，{{ body.note }}"}
    return SendEmailConfig.model_validate({**base, **values})


async def test_delivers_chinese_subject_and_body_with_cc_and_bcc(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    out = await ACTION.run(ctx, config(cc="Boss <boss@example.com>; 倉庫 <wh@example.com>",
                                       bcc="audit@example.com", reply_to="help@example.com"))

    assert out["to"] == ["ming@example.com"]
    assert out["cc"] == ["boss@example.com", "wh@example.com"]
    assert out["subject"] == "訂單 #1001 已收到"
    assert out["message_id"].startswith("<") and out["message_id"].endswith("@example.com>")
    assert "accepted" in out["server_reply"]
    assert out["refused"] == {}

    (envelope,) = recorder.messages
    assert envelope.mail_from == "shop@example.com"
    assert envelope.rcpt_tos == ["ming@example.com", "boss@example.com", "wh@example.com",
                                 "audit@example.com"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "訂單 #1001 已收到"
    assert message["To"] == "ming@example.com"
    assert "倉庫 <wh@example.com>" in message["Cc"]
    assert message["Bcc"] is None
    assert message["Reply-To"] == "help@example.com"
    assert message["From"].addresses[0].display_name == "Bellhop 商店"
    assert message["Message-ID"] == out["message_id"]
    assert message.get_body(("plain",)).get_content().strip() == "王小明 您好，請在週五前出貨"
    assert envelope.content.isascii()  # safe for servers without 8BITMIME


async def test_html_alternative(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    await ACTION.run(ctx, config(html="<p>訂單 <b>{{ body.name }}</b></p>"))

    (envelope,) = recorder.messages
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert (plain["Content-Type"], plain["Content-Transfer-Encoding"]) == (
        'text/plain; charset="utf-8"', "base64")
    assert (html["Content-Type"], html["Content-Transfer-Encoding"]) == (
        'text/html; charset="utf-8"', "base64")
    assert html.get_content() == "<p>訂單 <b>#1001</b></p>\n"
    assert plain.get_content() == "王小明 您好，請在週五前出貨\n"
    assert envelope.content.isascii()  # the HTML part too: safe without 8BITMIME


WRONG_PASSWORD = ("The mail server did not accept the username or password of account "
                  "'office': check it under Accounts (Gmail needs an app password).")
UNREACHABLE = ("Could not reach the mail server 127.0.0.1 (account 'office'). Check the server "
               "name, the port and the internet connection.")


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data == (b"shop", b"s3cret")
    return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)


@pytest.fixture
def auth_server(recorder: Recorder) -> Iterator[Controller]:
    controller = start_server(recorder, authenticator=authenticator, auth_require_tls=False)
    yield controller
    controller.stop()


async def test_login_with_password_from_keychain(
    tmp_path: Path, http: aiohttp.ClientSession, auth_server: Controller, recorder: Recorder
) -> None:
    set_secret("office", "s3cret")
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(auth_server.port, username="shop")})
    await ACTION.run(ctx, config())
    assert recorder.authenticated == [True]


async def test_wrong_password_is_permanent_and_says_what_to_do(
    tmp_path: Path, http: aiohttp.ClientSession, auth_server: Controller, recorder: Recorder
) -> None:
    set_secret("office", "wrong")
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(auth_server.port, username="shop")})
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config())
    assert caught.value.message == WRONG_PASSWORD
    assert recorder.messages == []


async def test_missing_password_secret_is_permanent(
    tmp_path: Path, http: aiohttp.ClientSession, auth_server: Controller
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(auth_server.port, username="shop")})
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config())
    assert "'office' is not in the keychain" in caught.value.message


async def test_busy_server_is_transient_then_succeeds(
    tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    handler = Recorder(data_replies=["421 4.3.2 Service busy, try later"])
    controller = start_server(handler)
    try:
        ctx = make_ctx(tmp_path, http, {"office": smtp_account(controller.port)})
        with pytest.raises(TransientError) as caught:
            await ACTION.run(ctx, config())
        assert caught.value.message == ("The mail server cannot take the message for now "
                                        "(421 4.3.2 Service busy, try later).")
        assert caught.value.transient
        await ACTION.run(ctx, config())
    finally:
        controller.stop()
    assert len(handler.messages) == 1


async def test_refused_recipient_is_permanent(tmp_path: Path, http: aiohttp.ClientSession) -> None:
    controller = start_server(Recorder(rcpt_reply="550 5.1.1 No such user"))
    try:
        ctx = make_ctx(tmp_path, http, {"office": smtp_account(controller.port)})
        with pytest.raises(PermanentError) as caught:
            await ACTION.run(ctx, config())
    finally:
        controller.stop()
    assert caught.value.message == ("The mail server refused the address ming@example.com: "
                                    "550 5.1.1 No such user. Check the address.")


async def test_server_down_is_transient(tmp_path: Path, http: aiohttp.ClientSession) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(free_port())})
    with pytest.raises(TransientError) as caught:
        await ACTION.run(ctx, config())
    assert caught.value.message == UNREACHABLE


@pytest.mark.parametrize("field_name", ["to", "cc", "bcc", "reply_to", "subject"])
async def test_line_break_in_header_is_rejected(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder,
    field_name: str,
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    evil = "Hi\nBcc: x@y.z" if field_name == "subject" else "a@example.com\r\nBcc: v@example.com"
    ctx.values["body"]["evil"] = evil
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config(**{field_name: "{{ body.evil }}"}))
    assert "line break" in caught.value.message
    assert recorder.messages == []


LINE_BREAK_IN = "{field} contains a line break, which an email header may not have. " \
    "Check the template and the event data it uses."


@pytest.mark.parametrize("char", LINE_BREAKS, ids=char_id)
@pytest.mark.parametrize("field_name", ["to", "cc", "bcc", "reply_to", "subject"])
async def test_every_kind_of_line_break_in_a_header_field_fails_plainly(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder,
    field_name: str, char: str,
) -> None:
    # Chinese display names are sent encoded (RFC 2047), which once hid U+2028 and its kin.
    evil = f"訂單{char}Bcc: v@example.com" if field_name == "subject" else \
        f"王{char}小明 <ming@example.com>"
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    ctx.values["body"]["evil"] = evil
    error = await step_error(ACTION, ctx, config(**{field_name: "{{ body.evil }}"}))
    assert error == LINE_BREAK_IN.format(field=ACTION.field_label(field_name, "en"))
    assert "Something unexpected" not in error
    assert recorder.messages == []


@pytest.mark.parametrize("char", LINE_BREAKS + CONTROL_CHARACTERS, ids=char_id)
async def test_line_break_in_the_accounts_sender_name_fails_plainly(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder,
    char: str,
) -> None:
    account = smtp_account(server.port, **{"from": f"Bellhop{char}商店 <shop@example.com>"})
    error = await step_error(ACTION, make_ctx(tmp_path, http, {"office": account}), config())
    assert error == ("The sender address of account 'office' contains a line break or another "
                     "invisible character. Fix it under Accounts.")
    assert recorder.messages == []


@pytest.mark.parametrize("char", CONTROL_CHARACTERS, ids=char_id)
@pytest.mark.parametrize("field_name", ["to", "subject"])
async def test_control_character_in_a_header_field_fails_plainly(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder,
    field_name: str, char: str,
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    ctx.values["body"]["evil"] = f"王{char}小明 <ming@example.com>"
    error = await step_error(ACTION, ctx, config(**{field_name: "{{ body.evil }}"}))
    assert error == (f"{ACTION.field_label(field_name, 'en')} contains an invisible control "
                     "character, which an email header may not have. Check the template and "
                     "the event data it uses.")
    assert recorder.messages == []


async def test_tab_and_trailing_line_breaks_in_a_subject_are_fine(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    ctx.values["body"]["title"] = "\u2028訂單\t#1001\r\n"
    out = await ACTION.run(ctx, config(subject="{{ body.title }}"))
    assert out["subject"] == "訂單\t#1001"
    (envelope,) = recorder.messages
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "訂單\t#1001"


async def test_invalid_address_is_named(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config(to="ok@example.com, abc"))
    assert caught.value.message == "To: 'abc' is not an email address."


async def test_a_domain_in_chinese_is_mailed_in_its_international_form(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    account = smtp_account(server.port, **{"from": "商店 <shop@商店.tw>"})
    ctx = make_ctx(tmp_path, http, {"office": account})
    out = await ACTION.run(ctx, config(to="倉庫 <wh@例子.tw>"))

    assert out["to"] == ["wh@xn--fsqu00a.tw"]
    (envelope,) = recorder.messages
    assert envelope.mail_from == "shop@xn--czrs0t.tw"
    assert envelope.rcpt_tos == ["wh@xn--fsqu00a.tw"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"].addresses[0].display_name == "倉庫"
    assert message["To"].addresses[0].addr_spec == "wh@xn--fsqu00a.tw"


async def test_an_address_in_chinese_before_the_at_is_explained_and_nothing_is_sent(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config(to="ok@example.com, 倉庫@example.com"))
    assert caught.value.message == (
        "To: '倉庫@example.com' has characters other than English letters before the @, "
        "which most mail servers refuse. Use an address with only English letters, digits "
        "and . _ - before the @.")
    assert recorder.messages == []

    account = smtp_account(server.port, **{"from": "商店 <商店@example.com>"})
    error = await step_error(ACTION, make_ctx(tmp_path, http, {"office": account}), config())
    assert error.startswith("Account 'office': '商店 <商店@example.com>' has characters other "
                            "than English letters before the @")
    assert recorder.messages == []


async def test_empty_recipient_list_is_permanent(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    with pytest.raises(PermanentError, match="at least one address"):
        await ACTION.run(ctx, config(to="{{ '' }}"))


async def test_missing_account_is_permanent(tmp_path: Path, http: aiohttp.ClientSession) -> None:
    ctx = make_ctx(tmp_path, http, {})
    with pytest.raises(PermanentError, match="no account called 'office'"):
        await ACTION.run(ctx, config())


async def test_account_of_wrong_kind_is_permanent(
    tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": {"kind": "google"}})
    with pytest.raises(PermanentError, match="'office' is a Google account, but this step "
                       "needs a mail account"):
        await ACTION.run(ctx, config())


async def test_a_required_field_that_is_missing_is_permanent_and_names_the_field(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    with pytest.raises(FieldRequired) as caught:
        await ACTION.run(ctx, config(subject="{{ body.nope | required }}"))
    assert caught.value.message.startswith("Subject:")
    assert "body.nope" in caught.value.message
    assert caught.value.fix == ("edit_card", ctx.step_index, "subject")
    assert not caught.value.transient and recorder.messages == []


async def test_a_missing_field_is_sent_empty_and_kept_as_missing(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    await ACTION.run(ctx, config(subject="Order {{ body.nope }}",
                                 body="Hi {{ body.customer.nope }}!"))
    [envelope] = recorder.messages
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Order" and message.get_content().rstrip() == "Hi !"
    assert [(m.gap.path, m.label, m.field) for m in ctx.missing] == [
        ("body.nope", "Subject", "subject"), ("body.customer.nope", "Message", "body")]


def test_config_rejects_unknown_fields_and_describes_itself() -> None:
    with pytest.raises(ValueError):
        SendEmailConfig.model_validate({"type": "send_email", "account": "a", "to": "x@y.z",
                                        "colour": "red"})
    assert ACTION.type == "send_email"
    assert ACTION.field_label("subject", "zh_TW") == "主旨"
    schema = SendEmailConfig.model_json_schema()
    assert schema["properties"]["subject"]["template"] is True
    assert schema["properties"]["account"]["template"] is False


async def test_display_names_with_commas_and_chinese(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    to = '"Lin, Mei" <mei@example.com>, 王小明 <ming@example.com>'
    out = await ACTION.run(ctx, config(to=to))
    assert out["to"] == ["mei@example.com", "ming@example.com"]
    message = email.message_from_bytes(recorder.messages[0].content, policy=email.policy.default)
    names = [address.display_name for address in message["To"].addresses]
    assert names == ["Lin, Mei", "王小明"]


def delivered(recorder: Recorder) -> email.message.EmailMessage:
    (envelope,) = recorder.messages
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


async def test_every_header_by_name_and_value_as_the_receiving_server_reads_it(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    out = await ACTION.run(ctx, config(
        to="Xu Mei <xu@example.com>; 王小明 <ming@example.com>", cc="boss@example.com",
        bcc="audit@example.com", reply_to='help@example.com, "Lin, Mei" <mei@example.com>',
        body="Thank you"))

    message = delivered(recorder)
    date = email.utils.parsedate_to_datetime(message["Date"])
    assert [(name, str(value)) for name, value in message.items()] == [
        ("From", "Bellhop 商店 <shop@example.com>"),
        ("To", "Xu Mei <xu@example.com>, 王小明 <ming@example.com>"),
        ("Cc", "boss@example.com"),
        ("Reply-To", 'help@example.com, "Lin, Mei" <mei@example.com>'),
        ("Subject", "訂單 #1001 已收到"),
        ("Date", message["Date"]),
        ("Message-ID", out["message_id"]),
        ("Auto-Submitted", "auto-generated"),  # vacation replies stay quiet (RFC 3834)
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", "7bit"),  # plain ASCII text is sent as it is
        ("MIME-Version", "1.0"),
    ]
    # The sender's own time zone, not "-0000" (which says the zone is unknown).
    assert date.utcoffset() == datetime.now().astimezone().utcoffset()
    assert message.get_content() == "Thank you\r\n"


async def test_an_html_message_alone_is_sent_as_html(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    await ACTION.run(ctx, config(body="", html="<p>訂單 <b>{{ body.name }}</b></p>"))

    message = delivered(recorder)
    assert message["Content-Type"] == 'text/html; charset="utf-8"'
    assert message["Content-Transfer-Encoding"] == "base64"
    assert message.get_content() == "<p>訂單 <b>#1001</b></p>\n"


async def test_an_empty_message_is_empty_plain_text(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    await ACTION.run(ctx, config(body="", html=""))

    message = delivered(recorder)
    assert message["Content-Type"] == 'text/plain; charset="utf-8"'
    assert message.get_content() == "\r\n"


@pytest.mark.parametrize(("field_name", "value", "error"), [
    ("to", "Mei <mei@example,com>", "To: 'Mei <mei@example,com>' is not an email address."),
    ("to", "Mei <mei@example;com>", "To: 'Mei <mei@example;com>' is not an email address."),
    ("cc", "boss@example.com, abc", "Cc: 'abc' is not an email address."),
    ("bcc", "abc", "Bcc: 'abc' is not an email address."),
    ("reply_to", "abc", "Reply to: 'abc' is not an email address."),
    ("to", "{{ '' }}", "To is empty: the email needs at least one address."),
    ("to", " ; , ", "To is empty: the email needs at least one address."),
])
async def test_a_wrong_address_is_named_with_its_field(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder,
    field_name: str, value: str, error: str,
) -> None:
    # A comma typed for a dot inside <...> keeps the entry whole, so the person sees all of it.
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    assert await step_error(ACTION, ctx, config(**{field_name: value})) == error
    assert recorder.messages == []


@pytest.mark.parametrize(("field_name", "label"), [("body", "Message"),
                                                   ("html", "HTML message (optional)")])
async def test_a_message_template_that_cannot_be_filled_names_its_field(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, field_name: str, label: str
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    error = await step_error(ACTION, ctx, config(**{field_name: "{{ body.nope * 2 }}"}))
    assert error == (f"{label}: The field 'body.nope' is not in this event. "
                     "Fields at body: customer, name, note.")


async def test_errors_name_the_field_in_the_persons_language(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(i18n, "_language", "zh_TW")
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    ctx.values["body"]["evil"] = "訂單\nBcc: v@example.com"
    error = await step_error(ACTION, ctx, config(subject="{{ body.evil }}"))
    assert error == "主旨含有換行，電子郵件標頭不能有換行。請檢查範本及它使用的事件資料。"


async def test_an_account_without_a_valid_sender_address_is_explained(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller
) -> None:
    account = smtp_account(server.port, **{"from": "Shop"})
    error = await step_error(ACTION, make_ctx(tmp_path, http, {"office": account}), config())
    assert error == ("The account 'office' has no valid sender address ('Shop'). "
                     "Fix it under Accounts.")


NO_SERVER = ("The account 'office' has no usable mail server settings (server name and "
             "security: STARTTLS, SSL or none). Fix it under Accounts.")
BAD_PORT = "The account 'office' has an invalid port number. Fix it under Accounts."


@pytest.mark.parametrize(("settings", "error"), [
    ({"host": ""}, NO_SERVER), ({"host": "  "}, NO_SERVER), ({"host": None}, NO_SERVER),
    ({"security": "tls"}, NO_SERVER),
    ({"port": "abc"}, BAD_PORT), ({"port": "0"}, BAD_PORT), ({"port": -1}, BAD_PORT),
    ({"port": 65536}, BAD_PORT),
    ({"port": 1}, UNREACHABLE),  # the lowest port is a port: nothing answers there
])
async def test_unusable_server_settings_are_explained(
    tmp_path: Path, http: aiohttp.ClientSession, settings: dict[str, Any], error: str
) -> None:
    account = {**smtp_account(free_port()), **settings}
    assert await step_error(ACTION, make_ctx(tmp_path, http, {"office": account}),
                            config()) == error


@pytest.mark.parametrize("security", ["starttls", "STARTTLS", None])
async def test_starttls_is_never_skipped_when_the_server_does_not_offer_it(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder,
    security: str | None,
) -> None:
    # STARTTLS is also what an account without a security setting gets.
    account = smtp_account(server.port, security=security)
    error = await step_error(ACTION, make_ctx(tmp_path, http, {"office": account}), config())
    assert error == ("The mail server 127.0.0.1 could not be used: SMTP STARTTLS extension "
                     "not supported by server. Check the settings of account 'office'.")
    assert recorder.messages == []


async def test_ssl_to_a_server_that_speaks_plain_text_is_explained(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller, recorder: Recorder
) -> None:
    account = smtp_account(server.port, security="ssl")
    error = await step_error(ACTION, make_ctx(tmp_path, http, {"office": account}), config())
    assert error == ("Could not open a secure connection to the mail server 127.0.0.1. Check "
                     "the port and security setting (STARTTLS or SSL) of account 'office'.")
    assert recorder.messages == []


async def test_a_server_that_never_answers_is_transient(
    tmp_path: Path, http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(send_email, "TIMEOUT", 0.2)  # the real 30 s, shortened
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never greets
        ctx = make_ctx(tmp_path, http,
                       {"office": smtp_account(silent.getsockname()[1])})
        # The guard only stops a hang: without its own time limit the step would wait forever.
        async with asyncio.timeout(10):
            with pytest.raises(TransientError) as caught:
                await ACTION.run(ctx, config())
    assert caught.value.message == "The mail server 127.0.0.1 did not answer in time."


def failing_authenticator(reply: str) -> Any:
    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        return AuthResult(success=False, handled=False, message=reply)
    return authenticate


@pytest.mark.parametrize(("reply", "error", "transient"), [
    ("454 4.7.0 Try again later",
     "The mail server cannot take the message for now (454 4.7.0 Try again later).", True),
    ("500 5.7.0 Refused", WRONG_PASSWORD, False),
    ("535 5.7.8 Authentication credentials invalid", WRONG_PASSWORD, False),
])
async def test_a_refused_login_by_reply_code(
    tmp_path: Path, http: aiohttp.ClientSession, recorder: Recorder,
    reply: str, error: str, transient: bool,
) -> None:
    set_secret("office", "s3cret")
    controller = start_server(recorder, authenticator=failing_authenticator(reply),
                              auth_require_tls=False)
    try:
        ctx = make_ctx(tmp_path, http,
                       {"office": smtp_account(controller.port, username="shop")})
        with pytest.raises(StepError) as caught:
            await ACTION.run(ctx, config())
    finally:
        controller.stop()
    assert (caught.value.message, caught.value.transient) == (error, transient)
    assert recorder.messages == []


@pytest.mark.parametrize(("replies", "error", "transient"), [
    ({"ming@example.com": "450 4.2.1 Mailbox busy"},
     "The mail server cannot take the message for now (450 4.2.1 Mailbox busy).", True),
    ({"ming@example.com": "499 4.0.0 Odd"},
     "The mail server cannot take the message for now (499 4.0.0 Odd).", True),
    ({"ming@example.com": "500 5.0.0 Odd"},
     "The mail server refused the address ming@example.com: 500 5.0.0 Odd. Check the address.",
     False),
    # Every address refused: the worst reply decides, whichever address came first.
    ({"ming@example.com": "450 4.2.1 Mailbox busy", "mei@example.com": "550 5.1.1 No such user"},
     "The mail server refused the address mei@example.com: 550 5.1.1 No such user. "
     "Check the address.", False),
    ({"ming@example.com": "550 5.1.1 No such user", "mei@example.com": "450 4.2.1 Mailbox busy"},
     "The mail server refused the address ming@example.com: 550 5.1.1 No such user. "
     "Check the address.", False),
])
async def test_refused_recipients_by_reply_code(
    tmp_path: Path, http: aiohttp.ClientSession,
    replies: dict[str, str], error: str, transient: bool,
) -> None:
    handler = Recorder(rcpt_replies=replies)
    controller = start_server(handler)
    try:
        ctx = make_ctx(tmp_path, http, {"office": smtp_account(controller.port)})
        with pytest.raises(StepError) as caught:
            await ACTION.run(ctx, config(to=", ".join(replies)))
    finally:
        controller.stop()
    assert (caught.value.message, caught.value.transient) == (error, transient)
    assert handler.messages == []


@pytest.mark.parametrize(("reply", "transient"), [
    ("400 4.0.0 Odd", True), ("499 4.0.0 Odd", True),
    ("500 5.0.0 Odd", False), ("554 5.7.1 Looks like spam", False),
])
async def test_a_refused_message_by_reply_code(
    tmp_path: Path, http: aiohttp.ClientSession, reply: str, transient: bool
) -> None:
    handler = Recorder(data_replies=[reply])
    controller = start_server(handler)
    try:
        ctx = make_ctx(tmp_path, http, {"office": smtp_account(controller.port)})
        with pytest.raises(StepError) as caught:
            await ACTION.run(ctx, config())
    finally:
        controller.stop()
    error = (f"The mail server cannot take the message for now ({reply})." if transient else
             f"The mail server refused the message: {reply}. Check the addresses and the "
             "settings of account 'office'.")
    assert (caught.value.message, caught.value.transient) == (error, transient)


async def test_the_result_reads_as_a_sentence_in_both_languages(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller
) -> None:
    from bellhop.core.i18n import set_language

    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    out = await ACTION.run(ctx, config())
    assert ACTION.describe_result(out, {}) == "Sent to ming@example.com: 訂單 #1001 已收到"
    out = await ACTION.run(ctx, config(cc="boss@example.com", subject=""))
    assert ACTION.describe_result(out, {}) == \
        "Sent to ming@example.com (copy to boss@example.com) (no subject)"
    set_language("zh_TW")
    assert ACTION.describe_result(out, {}) == \
        "已寄給 ming@example.com（副本給 boss@example.com）（沒有主旨）"
    out = await ACTION.run(ctx, config())
    assert ACTION.describe_result(out, {}) == "已寄給 ming@example.com：訂單 #1001 已收到"
