"""The 'Send a chat message' card through apprise, over real HTTP to fake chat services.

The card's "Service address" points Slack, Discord, Telegram, Teams (https, with a
certificate the test makes and trusts) and LINE sends at local fakes, which check
tokens, signatures and JSON shapes as the real services do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import keyring
import pytest

from bellhop.actions.notify_chat import ACTION, NotifyChatConfig, apprise_url
from bellhop.core.errors import PermanentError, TransientError
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.templating import make_context
from fakes.fake_chat import (
    DISCORD_ID,
    DISCORD_TOKEN,
    LINE_TOKEN,
    LINE_USER,
    SLACK_TOKENS,
    TELEGRAM_CHAT,
    TELEGRAM_TOKEN,
    FakeChat,
)
from helpers import CONTROL_CHARACTERS, LINE_BREAKS, char_id, step_error

EVENT = {"body": {"name": "#1042", "total_price": "1640.00", "customer": {"first_name": "美玲"}},
         "query": {}, "headers": {}, "method": "POST", "received_at": "2026-11-28T14:05:31+08:00",
         "event_id": "ev1", "rule": "r", "steps": {}}
SLACK_URL = "https://hooks.slack.com/services/" + "/".join(SLACK_TOKENS)
DISCORD_URL = f"https://discord.com/api/webhooks/{DISCORD_ID}/{DISCORD_TOKEN}"


@pytest.fixture
def chat() -> Iterator[FakeChat]:
    with FakeChat() as fake:
        yield fake


@pytest.fixture
async def ctx(tmp_path: Path) -> AsyncIterator[StepContext]:
    async with aiohttp.ClientSession() as http:
        services = Services(home=tmp_path, accounts=dict, http=http)
        yield StepContext(services, values=make_context(EVENT), rule_name="r", event_id="ev1",
                          step_index=1, step_label="Send a chat message")


def card(chat: FakeChat | None = None, **values: Any) -> NotifyChatConfig:
    values.setdefault("secret", "chat-hook")
    if chat is not None:
        values.setdefault("api_base", chat.base)
    values.setdefault("message", "新訂單 {{ body.name }}：{{ body.total_price | money('NT$', 0) }}")
    return NotifyChatConfig.model_validate({"type": "notify_chat", **values})


@pytest.mark.parametrize(("service", "secret", "to"), [
    ("slack", SLACK_URL, ""),
    ("discord", DISCORD_URL, ""),
    ("telegram", TELEGRAM_TOKEN, TELEGRAM_CHAT),
    ("line", LINE_TOKEN, "{{ 'U4af4980629abcdef0123456789abcdef' }}"),
])
async def test_each_service_gets_the_message(chat: FakeChat, ctx: StepContext, service: str,
                                             secret: str, to: str) -> None:
    keyring.set_password("bellhop", "chat-hook", secret)
    output = await ACTION.run(ctx, card(chat, service=service, to=to, title="Bellhop"))
    assert len(chat.received) == 1
    got_service, shown = chat.received[0]
    assert got_service == service
    assert "新訂單 #1042：NT$1,640" in shown["text"]
    assert output["message"] == "新訂單 #1042：NT$1,640"
    if service == "line":
        assert shown["to"] == LINE_USER


async def test_json_webhook_posts_title_and_message(chat: FakeChat, ctx: StepContext) -> None:
    keyring.set_password("bellhop", "chat-hook", f"{chat.base}/json/orders")
    await ACTION.run(ctx, card(service="webhook", title="訂單 {{ body.name }}"))
    assert chat.received == [("json", {"text": "新訂單 #1042：NT$1,640", "title": "訂單 #1042",
                                       "path": "/json/orders"})]


async def test_wrong_token_is_a_plain_permanent_error(chat: FakeChat, ctx: StepContext) -> None:
    keyring.set_password("bellhop", "chat-hook", DISCORD_URL.replace(DISCORD_TOKEN, "nope"))
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, card(chat, service="discord"))
    assert "Discord did not accept the webhook address or token saved as 'chat-hook' (401)" \
        in caught.value.message
    assert chat.received == []


async def test_unknown_telegram_chat_names_the_field(chat: FakeChat, ctx: StepContext) -> None:
    keyring.set_password("bellhop", "chat-hook", TELEGRAM_TOKEN)
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, card(chat, service="telegram", to="-42"))
    assert "Telegram did not accept the message (400)" in caught.value.message


async def test_busy_service_is_tried_again(chat: FakeChat, ctx: StepContext) -> None:
    keyring.set_password("bellhop", "chat-hook", SLACK_URL)
    chat.busy = True
    with pytest.raises(TransientError) as caught:
        await ACTION.run(ctx, card(chat, service="slack"))
    assert "Slack is busy or having trouble (503)" in caught.value.message


async def test_unreachable_service_is_transient(ctx: StepContext) -> None:
    keyring.set_password("bellhop", "chat-hook", "http://127.0.0.1:9/hook")
    with pytest.raises(TransientError) as caught:
        await ACTION.run(ctx, card(service="webhook", timeout=3))
    assert "Could not reach JSON webhook" in caught.value.message


async def test_pasted_text_that_is_not_an_address(ctx: StepContext) -> None:
    keyring.set_password("bellhop", "chat-hook", "hello, I am not a webhook")
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, card(service="slack"))
    assert "What is saved as 'chat-hook' is not the incoming webhook address" in \
        caught.value.message


async def test_missing_secret_and_missing_target(ctx: StepContext) -> None:
    with pytest.raises(PermanentError, match="not in the keychain"):
        await ACTION.run(ctx, card(service="slack"))
    keyring.set_password("bellhop", "chat-hook", TELEGRAM_TOKEN)
    with pytest.raises(PermanentError, match="Telegram needs to know where to send"):
        await ACTION.run(ctx, card(service="telegram"))


def test_teams_and_custom_addresses_are_understood_by_apprise() -> None:
    import apprise

    teams = ("https://prod-00.westus.logic.azure.com:443/workflows/abc123/triggers/manual/"
             "paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=XYZ")
    plugin = apprise.Apprise.instantiate(apprise_url("teams", teams, "", 10))
    assert type(plugin).__name__ == "NotifyWorkflows"
    plugin = apprise.Apprise.instantiate(apprise_url("apprise", "ntfy://my-shop-alerts", "", 10))
    assert type(plugin).__name__ == "NotifyNtfy"
    line = apprise.Apprise.instantiate(apprise_url("line", "a+b/c==", "Uabc", 10))
    assert line.token == "a+b/c==" and line.targets == ["Uabc"]


async def test_teams_workflow_over_https(ctx: StepContext, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from fakes.fake_teams import FakeTeams
    from fakes.http_fake import self_signed_certificate

    cert, key = self_signed_certificate(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # trust the fake, check certificates
    with FakeTeams((cert, key)) as teams:
        keyring.set_password("bellhop", "chat-hook", teams.webhook())
        await ACTION.run(ctx, card(service="teams", title="訂單通知", api_base=teams.base))
        assert len(teams.received) == 1
        assert "訂單通知" in teams.received[0]
        assert "新訂單 #1042：NT$1,640" in " ".join(teams.received[0])
        keyring.set_password("bellhop", "chat-hook", teams.webhook().replace("sig=", "sig=x"))
        with pytest.raises(PermanentError, match="Microsoft Teams did not accept"):
            await ACTION.run(ctx, card(service="teams", api_base=teams.base))


@pytest.fixture(scope="module")
def chat_server() -> Iterator[FakeChat]:
    with FakeChat() as fake:  # stopping one takes half a second: one for the tests below
        yield fake


@pytest.fixture
def shared_chat(chat_server: FakeChat) -> FakeChat:
    chat_server.requests.clear()
    chat_server.received.clear()
    return chat_server


@pytest.mark.parametrize("char", LINE_BREAKS + CONTROL_CHARACTERS, ids=char_id)
async def test_saved_token_with_a_line_break_fails_plainly(
    shared_chat: FakeChat, ctx: StepContext, char: str
) -> None:
    # LINE's push API takes the token in the Authorization header.
    keyring.set_password("bellhop", "chat-hook", LINE_TOKEN.replace("/", char))
    error = await step_error(ACTION, ctx, card(shared_chat, service="line", to=LINE_USER))
    assert error == ("What is saved as 'chat-hook' contains a line break or another invisible "
                     "character. Copy it again from the LINE Developers console › your "
                     "channel › Messaging API and save it in Bellhop.")
    assert "Something unexpected" not in error
    assert shared_chat.requests == []


@pytest.mark.parametrize("char", LINE_BREAKS, ids=char_id)
async def test_line_breaks_in_title_and_message_go_through(
    shared_chat: FakeChat, ctx: StepContext, char: str
) -> None:
    # Title and message travel in the JSON body, never in a header: nothing to refuse.
    keyring.set_password("bellhop", "chat-hook", f"{shared_chat.base}/json/orders")
    ctx.values["body"]["lines"] = f"第一行{char}第二行"
    await ACTION.run(ctx, card(service="webhook", title="{{ body.lines }}",
                               message="{{ body.lines }}"))
    ((service, shown),) = shared_chat.received
    assert service == "json" and "第一行" in shown["text"] and "第二行" in shown["text"]


async def test_the_result_reads_as_a_sentence(chat: FakeChat, ctx: StepContext) -> None:
    from bellhop.core.i18n import set_language

    keyring.set_password("bellhop", "chat-hook", SLACK_URL)
    out = await ACTION.run(ctx, card(chat, service="slack"))
    assert ACTION.describe_result(out, {}) == "Posted on Slack: 新訂單 #1042：NT$1,640"
    keyring.set_password("bellhop", "chat-hook", TELEGRAM_TOKEN)
    out = await ACTION.run(ctx, card(chat, service="telegram", to=TELEGRAM_CHAT, title="訂單"))
    assert ACTION.describe_result(out, {}) == f"Posted on Telegram to {TELEGRAM_CHAT}: 訂單"
    set_language("zh_TW")
    assert ACTION.describe_result(out, {}) == f"已在 Telegram 傳給 {TELEGRAM_CHAT}：訂單"
