"""The 'Send email' card against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bellhop.actions.send_email import ACTION, SendEmailConfig
from bellhop.core.errors import PermanentError, TransientError
from bellhop.core.secrets import set_secret
from bellhop.core.stepcontext import Services, StepContext
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

    def __init__(self, data_replies: list[str] | None = None, rcpt_reply: str | None = None):
        self.messages: list[Any] = []
        self.authenticated: list[bool] = []
        self.data_replies = list(data_replies or [])
        self.rcpt_reply = rcpt_reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
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

    message = email.message_from_bytes(recorder.messages[0].content, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("html",)).get_content().strip() == "<p>訂單 <b>#1001</b></p>"
    assert "王小明" in message.get_body(("plain",)).get_content()


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
    assert "username or password of account 'office'" in caught.value.message
    assert "app password" in caught.value.message
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
        assert "421" in caught.value.message and caught.value.transient
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
    assert "ming@example.com" in caught.value.message
    assert "550" in caught.value.message


async def test_server_down_is_transient(tmp_path: Path, http: aiohttp.ClientSession) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(free_port())})
    with pytest.raises(TransientError) as caught:
        await ACTION.run(ctx, config())
    assert "Could not reach the mail server 127.0.0.1" in caught.value.message


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
    with pytest.raises(PermanentError, match="needs a smtp account"):
        await ACTION.run(ctx, config())


async def test_missing_template_field_is_permanent_and_names_the_field(
    tmp_path: Path, http: aiohttp.ClientSession, server: Controller
) -> None:
    ctx = make_ctx(tmp_path, http, {"office": smtp_account(server.port)})
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config(subject="{{ body.nope }}"))
    assert caught.value.message.startswith("Subject:")
    assert "body.nope" in caught.value.message


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
