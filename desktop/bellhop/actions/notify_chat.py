"""The 'Send a chat message' card: Slack, Discord, Telegram, Teams, LINE or any apprise URL.

The service's webhook address or token is a secret in the keychain, saved once under
a name; the card refers to that name. apprise does the sending (blocking HTTP), in a
worker thread with a time limit, so the engine's loop never waits on a chat service.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from bellhop.core.cards import ActionType, StepConfig, field
from bellhop.core.errors import PermanentError, StepError, TransientError
from bellhop.core.i18n import current_language, tr
from bellhop.core.running.headers import unfit_for_header
from bellhop.core.stepcontext import StepContext

Service = Literal["slack", "discord", "telegram", "teams", "line", "webhook", "apprise"]
_STATUS = re.compile(r"error=(\d{3})")
log = logging.getLogger("bellhop.chat")


@dataclass(frozen=True)
class ChatService:
    """What Bellhop knows about one chat service: its name and where its secret comes from."""

    name: str
    secret_is: tuple[str, str]  # what the person pastes, in English and Chinese
    where: tuple[str, str]  # where they find it
    needs_target: bool = False

    def words(self, pair: tuple[str, str]) -> str:
        """One of the pairs in the language of core messages."""
        return pair[1] if current_language() == "zh_TW" else pair[0]


SERVICES: dict[str, ChatService] = {
    "slack": ChatService(
        "Slack", ("the incoming webhook address (https://hooks.slack.com/…)",
                  "Incoming Webhook 網址（https://hooks.slack.com/…）"),
        ("your Slack app's Incoming Webhooks page", "Slack App 的 Incoming Webhooks 頁面")),
    "discord": ChatService(
        "Discord", ("the webhook address (https://discord.com/api/webhooks/…)",
                    "Webhook 網址（https://discord.com/api/webhooks/…）"),
        ("the channel's Settings › Integrations › Webhooks", "頻道的 設定 › 整合 › Webhook")),
    "telegram": ChatService(
        "Telegram", ("the bot token (123456789:AA…)", "機器人權杖（123456789:AA…）"),
        ("@BotFather in Telegram", "Telegram 中的 @BotFather"), needs_target=True),
    "teams": ChatService(
        "Microsoft Teams", ("the Workflows webhook address", "Workflows 的 Webhook 網址"),
        ("the channel's Workflows (post to a channel when a webhook request is received)",
         "頻道的 Workflows（收到 Webhook 要求時張貼到頻道）")),
    "line": ChatService(
        "LINE", ("the channel access token (long-lived)", "頻道存取權杖（長期）"),
        ("the LINE Developers console › your channel › Messaging API",
         "LINE Developers 主控台 › 您的頻道 › Messaging API"), needs_target=True),
    "webhook": ChatService(
        "JSON webhook", ("a web address starting with https://", "以 https:// 開頭的網址"),
        ("the receiving service's settings", "接收服務的設定")),
    "apprise": ChatService(
        "apprise", ("an apprise address (e.g. ntfy://…, mailto://…)",
                    "apprise 網址（例如 ntfy://…、mailto://…）"),
        ("the apprise documentation", "apprise 說明文件")),
}


class NotifyChatConfig(StepConfig):
    """What the 'Send a chat message' card needs."""

    type: Literal["notify_chat"] = "notify_chat"
    service: Service = field(
        "slack", label="Service", label_zh="服務",
        help="Slack, Discord, Telegram, Microsoft Teams, LINE (push message), a JSON webhook, "
             "or any apprise address for advanced use.",
        help_zh="Slack、Discord、Telegram、Microsoft Teams、LINE（推播訊息）、JSON Webhook，"
                "或進階使用者的任何 apprise 網址。",
    )
    secret: str = field(
        label="Saved webhook address or token", label_zh="已儲存的 Webhook 網址或權杖",
        widget="secret", min_length=1, max_length=200,
        help="The name it is saved under in your system keychain. Paste the webhook address "
             "or token once; rules refer to the name.",
        help_zh="儲存在系統鑰匙圈中的名稱。Webhook 網址或權杖只需貼上一次，規則以名稱引用。",
    )
    to: str = field(
        "", label="Send to (chat or user ID)", label_zh="傳送對象（聊天室或使用者 ID）",
        template=True,
        help="Telegram: the chat ID. LINE: the user, group or room ID (U…, C…, R…). "
             "Other services: leave empty.",
        help_zh="Telegram：聊天室 ID。LINE：使用者、群組或聊天室 ID（U…、C…、R…）。"
                "其他服務請留空。",
    )
    title: str = field("", label="Title", label_zh="標題", template=True)
    message: str = field(label="Message", label_zh="訊息", template=True, widget="multiline",
                         min_length=1)
    timeout: float = field(30.0, label="Time limit (seconds)", label_zh="時限（秒）", gt=0,
                           le=300)
    api_base: str = field(
        "", label="Service address", label_zh="服務位址", advanced=True, max_length=200,
        help="Leave empty to use the service's own (Slack, Discord, Telegram, Teams, LINE). "
             "For a compatible server or testing, e.g. http://127.0.0.1:8080.",
        help_zh="留空即使用服務本身的位址（Slack、Discord、Telegram、Teams、LINE）。"
                "相容的伺服器或測試時才填寫，例如 http://127.0.0.1:8080。",
    )


# Where each service's plugin keeps its endpoint, and the path under a custom address.
ENDPOINTS = {"slack": ("webhook_url", "/services"), "discord": ("notify_url", "/api/webhooks"),
             "telegram": ("notify_url", "/bot"), "line": ("notify_url", "/v2/bot/message/push")}


def endpoint_overrides(service: str, api_base: str) -> list[tuple[str, Any]]:
    """The plugin attributes that send to `api_base` instead of the service's own host.

    Teams keeps https and only its host and port change (the workflow and its
    signature stay in the saved address)."""
    base = api_base.strip().rstrip("/")
    if not base:
        return []
    if service in ENDPOINTS:
        attribute, path = ENDPOINTS[service]
        return [(attribute, base + path)]
    if service == "teams":
        parts = urlsplit(base)
        return [("host", parts.hostname or ""), ("port", parts.port)]
    return []


def _label(name: str) -> str:
    return ACTION.field_label(name, current_language())


def apprise_url(service: str, secret: str, target: str, timeout: float,
                secret_name: str = "") -> str:
    """The apprise address for a service, from the saved secret and the target."""
    secret = secret.strip()
    target = target.strip()
    info = SERVICES[service]
    if info.needs_target and not target:
        raise PermanentError(tr(
            "{service} needs to know where to send: fill in '{field}'.",
            service=info.name, field=_label("to")))
    if service == "telegram":
        url = f"tgram://{secret}/{quote(target, safe='')}"
    elif service == "line":
        url = f"line://_/{quote(target, safe='')}?token={quote(secret, safe='')}&image=no"
    elif service == "webhook":
        parts = urlsplit(secret)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PermanentError(tr(
                "The address saved under '{name}' is not a web address. It should start "
                "with https://.", name=secret_name))
        url = ("jsons://" if parts.scheme == "https" else "json://") + secret.split("://", 1)[1]
    else:
        url = secret
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}cto={min(timeout, 30):g}&rto={timeout:g}"


class _ThreadLog(logging.Handler):
    """Keeps apprise's warnings per worker thread, so each send learns its own failure."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        lines = getattr(self.local, "lines", None)
        if lines is not None:
            lines.append(record.getMessage())
        log.info("apprise: %s", record.getMessage())


_capture: _ThreadLog | None = None


def _load_apprise() -> Any:
    """apprise, imported on first use (it costs ~0.1 s) with its warnings routed to us."""
    global _capture
    import apprise

    if _capture is None:
        _capture = _ThreadLog()
        logger = logging.getLogger("apprise")
        logger.addHandler(_capture)
        logger.propagate = False  # no apprise lines on the person's terminal
    return apprise


def _send(url: str, title: str, message: str, overrides: list[tuple[str, Any]] | None = None
          ) -> tuple[bool | None, list[str]]:
    """In a worker thread: send once. (True, _) sent, (False, warnings), (None, _) bad URL.

    `overrides` (attribute, value) replace the service's own address for this send.
    """
    apprise = _load_apprise()
    assert _capture is not None
    _capture.local.lines = lines = []
    try:
        plugin = apprise.Apprise.instantiate(url)
        if plugin is None:
            return None, lines
        for attribute, value in overrides or []:
            setattr(plugin, attribute, value)
        ok = bool(plugin.notify(body=message, title=title))
        return ok, list(lines)
    finally:
        _capture.local.lines = None


def explain_failure(service: str, secret_name: str, warnings: list[str]) -> StepError:
    """A plain message for what apprise reported (its warnings carry `error=<status>`)."""
    name = SERVICES[service].name
    where = SERVICES[service].words(SERVICES[service].where)
    statuses = [int(found) for text in warnings for found in _STATUS.findall(text)]
    status = statuses[-1] if statuses else None
    if status in (401, 403):
        return PermanentError(tr(
            "{service} did not accept the webhook address or token saved as '{name}' "
            "({status}). Copy it again from {where} and save it in Bellhop.",
            service=name, name=secret_name, status=status, where=where))
    if status == 404:
        return PermanentError(tr(
            "{service} does not know this webhook or chat ({status}): it may have been "
            "deleted, or the ID in '{field}' is wrong. Copy the address again from {where}.",
            service=name, status=status, field=_label("to"), where=where))
    if status == 413:
        return PermanentError(tr("{service} says the message is too long. Shorten it.",
                                 service=name))
    if status is not None and (status == 429 or status >= 500):
        return TransientError(tr("{service} is busy or having trouble ({status}).",
                                 service=name, status=status))
    if status is not None:
        return PermanentError(tr(
            "{service} did not accept the message ({status}). Check the message and the "
            "settings of this card.", service=name, status=status))
    return TransientError(tr(
        "Could not reach {service}. Check the internet connection; Bellhop will try again.",
        service=name))


async def run(ctx: StepContext, config: NotifyChatConfig) -> dict[str, Any]:
    """Render the message and send it to the chosen service."""
    info = SERVICES[config.service]
    target = ctx.render(config.to, _label("to"))
    title = ctx.render(config.title, _label("title")).strip()
    message = ctx.render(config.message, _label("message"))
    if not message.strip():
        raise PermanentError(tr("{field} is empty: there is nothing to send.",
                                field=_label("message")))
    secret = ctx.secret(config.secret)
    # Some services send the saved token as a header (LINE: Authorization), so the rule of
    # header lines applies; no webhook address or token ever holds such a character.
    if unfit_for_header(secret.strip()):
        raise PermanentError(tr(
            "What is saved as '{name}' contains a line break or another invisible character. "
            "Copy it again from {where} and save it in Bellhop.", name=config.secret,
            where=info.words(info.where)))
    url = apprise_url(config.service, secret, target, config.timeout, config.secret)
    overrides = endpoint_overrides(config.service, config.api_base)
    loop = asyncio.get_running_loop()
    try:
        ok, warnings = await asyncio.wait_for(
            loop.run_in_executor(None, _send, url, title, message, overrides),
            config.timeout + 5)
    except TimeoutError as exc:
        raise TransientError(tr("{service} did not answer within {seconds} seconds.",
                                service=info.name, seconds=f"{config.timeout:g}")) from exc
    if ok is None:
        raise PermanentError(tr(
            "What is saved as '{name}' is not {what}. Copy it again from {where} and save it "
            "in Bellhop.", name=config.secret, what=info.words(info.secret_is),
            where=info.words(info.where)))
    if not ok:
        raise explain_failure(config.service, config.secret, warnings)
    return {"service": info.name, "to": target, "title": title, "message": message}


ACTION = ActionType(
    type="notify_chat",
    label="Send a chat message",
    label_zh="傳送聊天訊息",
    description="Posts a message to Slack, Discord, Telegram, Microsoft Teams, LINE or "
                "another chat service.",
    description_zh="把訊息傳到 Slack、Discord、Telegram、Microsoft Teams、LINE 或其他聊天服務。",
    icon="chat",
    config_model=NotifyChatConfig,
    run=run,
)
