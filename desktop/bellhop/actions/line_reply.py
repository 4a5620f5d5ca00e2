"""The 'Reply on LINE' card: answer a LINE Messaging API event with its reply token.

LINE gives each message event a `replyToken` that may be used once, within about a
minute; the reply is free, unlike a push message. The channel access token lives in
the keychain under a name the card refers to.
"""

from __future__ import annotations

from typing import Any, Literal

import aiohttp
from pydantic import Field

from bellhop import __version__
from bellhop.core.cards import ActionType, RetryPolicy, StepConfig, field
from bellhop.core.errors import PermanentError, StepError, TransientError, edit_card
from bellhop.core.i18n import N_, _
from bellhop.core.running.headers import unfit_for_header
from bellhop.core.running.sentences import clip
from bellhop.core.stepcontext import StepContext

MAX_MESSAGES = 5  # LINE takes at most five messages per reply
MAX_TEXT = 5000  # characters per text message
LINE_API = "https://api.line.me"


class LineReplyConfig(StepConfig):
    """What the 'Reply on LINE' card needs."""

    type: Literal["line_reply"] = "line_reply"
    # A reply token expires within about a minute: try again soon, or not at all.
    retry: RetryPolicy = Field(default_factory=lambda: RetryPolicy(attempts=3, first_delay=5),
                               title=N_("Retry"))
    token: str = field(
        "line-channel-token", label=N_("Saved channel access token"),
        widget="secret", min_length=1, max_length=200,
        help=N_("The name of the channel access token in your keychain (LINE Developers console "
                "› your channel › Messaging API › Channel access token)."),
    )
    reply_token: str = field(
        "{{ body.events[0].replyToken }}", label=N_("Reply token"),
        template=True, min_length=1,
        help=N_("Where the reply goes; the default answers the first event of the delivery."),
    )
    text: str = field(
        label=N_("Reply"), template=True, widget="multiline", min_length=1,
        help=N_("Up to 5000 characters per message; a line with only --- on it starts a new "
                "message bubble (at most 5)."),
    )
    api_base: str = field(
        LINE_API, label=N_("LINE API address"), advanced=True,
        help=N_("Change only for testing."),
    )


def _label(name: str) -> str:
    return ACTION.field_label(name)


def split_messages(text: str) -> list[dict[str, str]]:
    """The reply as LINE text messages: '\\n---\\n' separates bubbles; each is checked."""
    parts = [part.strip() for part in text.replace("\r\n", "\n").split("\n---\n")]
    parts = [part for part in parts if part]
    if not parts:
        raise PermanentError(_("{field} is empty: there is nothing to reply.").format(
            field=_label("text")), fix=edit_card("text"))
    if len(parts) > MAX_MESSAGES:
        raise PermanentError(_("LINE takes at most {n} messages in one reply; this one has "
                               "{count}.").format(
            n=MAX_MESSAGES, count=len(parts)), fix=edit_card("text"))
    for number, part in enumerate(parts, start=1):
        if len(part) > MAX_TEXT:
            raise PermanentError(_("Message {number} of the reply has {count} characters; LINE "
                                   "takes at most {n}. Shorten it, for example with the truncate "
                                   "filter.").format(
                number=number, count=len(part), n=MAX_TEXT), fix=edit_card("text"))
    return [{"type": "text", "text": part} for part in parts]


def _explain(status: int, answer: Any) -> StepError:
    detail = answer.get("message", "") if isinstance(answer, dict) else str(answer)[:200]
    if status == 401:
        return PermanentError(_("LINE did not accept the channel access token ({detail}). Issue it "
                                "again in the LINE Developers console and "
                                "save it in Bellhop.").format(
            detail=detail), fix=edit_card("token"))
    if status == 400 and "reply token" in detail.lower():
        return PermanentError(_("LINE refused the reply token: it was used already or is over a "
                                "minute old. A reply must be sent soon after the message arrives."))
    if status == 429 or status >= 500:
        return TransientError(_("LINE is busy or having trouble ({status}).").format(
            status=status))
    return PermanentError(_("LINE did not accept the reply ({status}: {detail}).").format(
        status=status, detail=detail))


async def _call(ctx: StepContext, method: str, url: str, token: str,
                payload: dict[str, Any] | None) -> Any:
    headers = {"Authorization": f"Bearer {token}", "User-Agent": f"Bellhop/{__version__}"}
    try:
        async with ctx.http.request(method, url, json=payload, headers=headers,
                                    timeout=aiohttp.ClientTimeout(total=20)) as response:
            try:
                answer = await response.json(content_type=None)
            except ValueError:
                answer = await response.text()
            if response.status != 200:
                raise _explain(response.status, answer)
            return answer
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise TransientError(_("Could not reach LINE. Check the internet connection.")) \
            from exc


async def run(ctx: StepContext, config: LineReplyConfig) -> dict[str, Any]:
    """Send the reply; in a test run, check the token instead (a reply token works once)."""
    reply_token = ctx.render(config.reply_token, _label("reply_token"),
                             field="reply_token").strip()
    if not reply_token:
        raise PermanentError(_("This event has no reply token: only message, follow and "
                               "postback events can be answered."))
    messages = split_messages(ctx.render(config.text, _label("text"), field="text"))
    token = ctx.secret(config.token, fix=edit_card("token")).strip()  # may end with a newline
    if unfit_for_header(token):  # it goes out in the Authorization header
        raise PermanentError(_("The channel access token saved as '{name}' contains a line break "
                               "or another invisible character. Copy it again from the LINE "
                               "Developers console and save it in Bellhop.").format(
            name=config.token), fix=edit_card("token"))
    base = config.api_base.rstrip("/")
    if ctx.test_run:
        bot = await _call(ctx, "GET", f"{base}/v2/bot/info", token, None)
        name = bot.get("displayName", "") if isinstance(bot, dict) else ""
        return {"test": True, "bot": name, "messages": messages,
                "note": _("Test run: the channel access token works (bot {name}); the reply "
                          "itself is sent only for real messages.").format(
                    name=name)}
    await _call(ctx, "POST", f"{base}/v2/bot/message/reply", token,
                {"replyToken": reply_token, "messages": messages})
    return {"replied": True, "messages": messages}


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """'Replied on LINE: We open at 10:00', or what a test checked instead."""
    if output.get("test"):
        return _("Test run: the channel access token works (bot {name}); the reply itself is "
                 "sent only for real messages.").format(name=output.get("bot") or "")
    messages = output.get("messages")
    first = messages[0] if isinstance(messages, list) and messages else {}
    text = clip(str(first.get("text") or "")) if isinstance(first, dict) else ""
    return _("Replied on LINE: {text}").format(text=text) if text else _("Replied on LINE")


# No test_effect: in 'Run test' the card checks the channel access token and sends no reply
# (a reply token works once, within a minute), so there is nothing to ask about first.
ACTION = ActionType(
    type="line_reply",
    label=N_("Reply on LINE"),
    description=N_("Answers the LINE message that arrived, for example with your opening hours."),
    icon="reply",
    config_model=LineReplyConfig,
    run=run,
    describe=describe,
    noun=N_("the LINE reply"),
)
