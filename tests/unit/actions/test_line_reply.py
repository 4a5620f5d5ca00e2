"""The 'Reply on LINE' card over real HTTP against a fake of LINE's reply API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import keyring
import pytest

from bellhop.actions.line_reply import ACTION, LineReplyConfig
from bellhop.core.errors import PermanentError
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.templating import make_context
from fakes.fake_line import CHANNEL_TOKEN, FakeLine
from helpers import CONTROL_CHARACTERS, LINE_BREAKS, char_id, sample_json, step_error

LINE_EVENT = sample_json("line_message_event.json")
REPLY_TOKEN = LINE_EVENT["events"][0]["replyToken"]


@pytest.fixture
def line() -> Iterator[FakeLine]:
    with FakeLine((REPLY_TOKEN,)) as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def context(http: aiohttp.ClientSession, tmp_path: Path, test_run: bool = False) -> StepContext:
    values = {"body": LINE_EVENT, "query": {}, "headers": {}, "method": "POST",
              "received_at": "2026-11-28T14:05:31+08:00", "event_id": "ev1", "rule": "r",
              "steps": {}}
    return StepContext(Services(home=tmp_path, accounts=dict, http=http), make_context(values),
                       "r", "ev1", 2, "Reply on LINE", test_run=test_run)


def card(line: FakeLine, **values: Any) -> LineReplyConfig:
    values.setdefault("text", "您好！我們的營業時間是每天 10:00–19:00。")
    return LineReplyConfig.model_validate({"type": "line_reply", "api_base": line.base,
                                           **values})


async def test_reply_goes_out_with_bearer_token_and_line_json(
        line: FakeLine, http: aiohttp.ClientSession, tmp_path: Path) -> None:
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN)
    out = await ACTION.run(context(http, tmp_path), card(line))
    assert line.replies == [(REPLY_TOKEN, ["您好！我們的營業時間是每天 10:00–19:00。"])]
    assert out["replied"] is True
    sent = line.requests[-1]
    assert sent.headers["authorization"] == f"Bearer {CHANNEL_TOKEN}"
    assert sent.json() == {"replyToken": REPLY_TOKEN, "messages": [
        {"type": "text", "text": "您好！我們的營業時間是每天 10:00–19:00。"}]}


async def test_bubbles_and_the_limits_line_sets(line: FakeLine, http: aiohttp.ClientSession,
                                                tmp_path: Path) -> None:
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN)
    await ACTION.run(context(http, tmp_path), card(line, text="第一則\n---\n第二則"))
    assert line.replies[-1][1] == ["第一則", "第二則"]
    with pytest.raises(PermanentError, match="at most 5 messages"):
        await ACTION.run(context(http, tmp_path), card(line, text="\n---\n".join("abcdef")))
    with pytest.raises(PermanentError, match="5001 characters"):
        await ACTION.run(context(http, tmp_path), card(line, text="字" * 5001))
    assert len(line.requests) == 1  # nothing too big was sent


async def test_used_reply_token_and_wrong_channel_token(
        line: FakeLine, http: aiohttp.ClientSession, tmp_path: Path) -> None:
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN)
    await ACTION.run(context(http, tmp_path), card(line))
    with pytest.raises(PermanentError, match="used already or is over a minute old"):
        await ACTION.run(context(http, tmp_path), card(line))
    keyring.set_password("bellhop", "line-channel-token", "stale-token")
    with pytest.raises(PermanentError, match="did not accept the channel access token"):
        await ACTION.run(context(http, tmp_path), card(line))


async def test_test_run_checks_the_token_and_keeps_the_reply_token(
        line: FakeLine, http: aiohttp.ClientSession, tmp_path: Path) -> None:
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN)
    out = await ACTION.run(context(http, tmp_path, test_run=True), card(line))
    assert out["test"] is True and out["bot"] == "茶行小幫手"
    assert line.replies == [] and REPLY_TOKEN in line.valid_tokens


async def test_event_without_reply_token(line: FakeLine, http: aiohttp.ClientSession,
                                         tmp_path: Path) -> None:
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN)
    with pytest.raises(PermanentError, match="no reply token"):
        await ACTION.run(context(http, tmp_path), card(line, reply_token="{{ '' }}"))


@pytest.fixture(scope="module")
def line_server() -> Iterator[FakeLine]:
    with FakeLine() as fake:  # stopping one takes half a second: one for the tests below
        yield fake


@pytest.mark.parametrize("char", LINE_BREAKS + CONTROL_CHARACTERS, ids=char_id)
async def test_channel_token_with_a_line_break_fails_plainly(
        line_server: FakeLine, http: aiohttp.ClientSession, tmp_path: Path, char: str) -> None:
    line_server.requests.clear()
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN.replace("/", char))
    error = await step_error(ACTION, context(http, tmp_path), card(line_server))
    assert error == ("The channel access token saved as 'line-channel-token' contains a line "
                     "break or another invisible character. Copy it again from the LINE "
                     "Developers console and save it in Bellhop.")
    assert "Something unexpected" not in error
    assert line_server.requests == []


async def test_channel_token_ending_in_a_newline_works(
        line: FakeLine, http: aiohttp.ClientSession, tmp_path: Path) -> None:
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN + "\n")
    await ACTION.run(context(http, tmp_path), card(line))
    assert line.requests[-1].headers["authorization"] == f"Bearer {CHANNEL_TOKEN}"


async def test_the_result_reads_as_a_sentence(
        line: FakeLine, http: aiohttp.ClientSession, tmp_path: Path) -> None:
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN)
    out = await ACTION.run(context(http, tmp_path, test_run=True), card(line))
    assert ACTION.describe_result(out, {}) == (
        "Test run: the channel access token works (bot 茶行小幫手); the reply itself is sent "
        "only for real messages.")
    out = await ACTION.run(context(http, tmp_path), card(line, text="第一則\n---\n第二則"))
    assert ACTION.describe_result(out, {}) == "Replied on LINE: 第一則"
