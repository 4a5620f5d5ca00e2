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
from bellhop.core.errors import PermanentError, StepError, TransientError, edit_card
from bellhop.core.i18n import N_, _
from bellhop.core.running.headers import unfit_for_header
from bellhop.core.running.sentences import clip
from bellhop.core.stepcontext import StepContext

Service = Literal["slack", "discord", "telegram", "teams", "line", "webhook", "apprise"]
_STATUS = re.compile(r"error=(\d{3})")
log = logging.getLogger("bellhop.chat")


@dataclass(frozen=True)
class ChatService:
    """What Bellhop knows about one chat service: its name and where its secret comes from."""

    name: str
    secret_is: str  # what the person pastes (English, marked with N_())
    where: str  # where they find it
    needs_target: bool = False

    def words(self, text: str) -> str:
        """`secret_is` or `where` in the current language."""
        return _(text)


SERVICES: dict[str, ChatService] = {
    "slack": ChatService(
        "Slack", N_("the incoming webhook address (https://hooks.slack.com/…)"),
        N_("your Slack app's Incoming Webhooks page")),
    "discord": ChatService(
        "Discord", N_("the webhook address (https://discord.com/api/webhooks/…)"),
        N_("the channel's Settings › Integrations › Webhooks")),
    "telegram": ChatService(
        "Telegram", N_("the bot token (123456789:AA…)"),
        N_("@BotFather in Telegram"), needs_target=True),
    "teams": ChatService(
        "Microsoft Teams", N_("the Workflows webhook address"),
        N_("the channel's Workflows (post to a channel when a webhook request is received)")),
    "line": ChatService(
        "LINE", N_("the channel access token (long-lived)"),
        N_("the LINE Developers console › your channel › Messaging API"), needs_target=True),
    "webhook": ChatService(
        "JSON webhook", N_("a web address starting with https://"),
        N_("the receiving service's settings")),
    "apprise": ChatService(
        "apprise", N_("an apprise address (e.g. ntfy://…, mailto://…)"),
        N_("the apprise documentation")),
}


class NotifyChatConfig(StepConfig):
    """What the 'Send a chat message' card needs."""

    type: Literal["notify_chat"] = "notify_chat"
    service: Service = field(
        "slack", label=N_("Service"),
        help=N_("Slack, Discord, Telegram, Microsoft Teams, LINE (push message), a JSON webhook, "
                "or any apprise address for advanced use."),
    )
    secret: str = field(
        label=N_("Saved webhook address or token"),
        widget="secret", min_length=1, max_length=200,
        help=N_("The name it is saved under in your system keychain. Paste the webhook address "
                "or token once; rules refer to the name."),
    )
    to: str = field(
        "", label=N_("Send to (chat or user ID)"),
        template=True,
        help=N_("Telegram: the chat ID. LINE: the user, group or room ID (U…, C…, R…). "
                "Other services: leave empty."),
    )
    title: str = field("", label=N_("Title"), template=True)
    message: str = field(label=N_("Message"), template=True, widget="multiline",
                         min_length=1)
    timeout: float = field(30.0, label=N_("Time limit (seconds)"), gt=0,
                           le=300)
    api_base: str = field(
        "", label=N_("Service address"), advanced=True, max_length=200,
        help=N_("Leave empty to use the service's own (Slack, Discord, Telegram, Teams, LINE). "
                "For a compatible server or testing, e.g. http://127.0.0.1:8080."),
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
    return ACTION.field_label(name)


def apprise_url(service: str, secret: str, target: str, timeout: float,
                secret_name: str = "") -> str:
    """The apprise address for a service, from the saved secret and the target."""
    secret = secret.strip()
    target = target.strip()
    info = SERVICES[service]
    if info.needs_target and not target:
        raise PermanentError(_("{service} needs to know where to send: fill in '{field}'.").format(
            service=info.name, field=_label("to")), fix=edit_card("to"))
    if service == "telegram":
        url = f"tgram://{secret}/{quote(target, safe='')}"
    elif service == "line":
        url = f"line://_/{quote(target, safe='')}?token={quote(secret, safe='')}&image=no"
    elif service == "webhook":
        parts = urlsplit(secret)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PermanentError(_("The address saved under '{name}' is not a web address. It "
                                   "should start with https://.").format(
                name=secret_name), fix=edit_card("secret"))
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
        return PermanentError(_("{service} did not accept the webhook address or token saved as "
                                "'{name}' ({status}). Copy it again from {where} and save it in "
                                "Bellhop.").format(
            service=name, name=secret_name, status=status, where=where),
            fix=edit_card("secret"))
    if status == 404:
        return PermanentError(_("{service} does not know this webhook or chat ({status}): it may "
                                "have been deleted, or the ID in '{field}' is wrong. Copy the "
                                "address again from {where}.").format(
            service=name, status=status, field=_label("to"), where=where), fix=edit_card("to"))
    if status == 413:
        return PermanentError(_("{service} says the message is too long. Shorten it.").format(
            service=name), fix=edit_card("message"))
    if status is not None and (status == 429 or status >= 500):
        return TransientError(_("{service} is busy or having trouble ({status}).").format(
            service=name, status=status))
    if status is not None:
        return PermanentError(_("{service} did not accept the message ({status}). Check the "
                                "message and the settings of this card.").format(
            service=name, status=status), fix=edit_card())
    return TransientError(_("Could not reach {service}. Check the internet connection; Bellhop "
                            "will try again.").format(
        service=name))


async def run(ctx: StepContext, config: NotifyChatConfig) -> dict[str, Any]:
    """Render the message and send it to the chosen service."""
    info = SERVICES[config.service]
    target = ctx.render(config.to, _label("to"), field="to")
    title = ctx.render(config.title, _label("title"), field="title").strip()
    message = ctx.render(config.message, _label("message"), field="message")
    if not message.strip():
        raise PermanentError(_("{field} is empty: there is nothing to send.").format(
            field=_label("message")), fix=edit_card("message"))
    secret = ctx.secret(config.secret, fix=edit_card("secret"))
    # Some services send the saved token as a header (LINE: Authorization), so the rule of
    # header lines applies; no webhook address or token ever holds such a character.
    if unfit_for_header(secret.strip()):
        raise PermanentError(_("What is saved as '{name}' contains a line break or another "
                               "invisible character. Copy it again from {where} and save it in "
                               "Bellhop.").format(
            name=config.secret,
            where=info.words(info.where)), fix=edit_card("secret"))
    url = apprise_url(config.service, secret, target, config.timeout, config.secret)
    overrides = endpoint_overrides(config.service, config.api_base)
    loop = asyncio.get_running_loop()
    try:
        ok, warnings = await asyncio.wait_for(
            loop.run_in_executor(None, _send, url, title, message, overrides),
            config.timeout + 5)
    except TimeoutError as exc:
        raise TransientError(_("{service} did not answer within {seconds} seconds.").format(
            service=info.name, seconds=f"{config.timeout:g}")) from exc
    if ok is None:
        raise PermanentError(_("What is saved as '{name}' is not {what}. Copy it again from "
                               "{where} and save it in Bellhop.").format(
            name=config.secret, what=info.words(info.secret_is),
            where=info.words(info.where)), fix=edit_card("secret"))
    if not ok:
        raise explain_failure(config.service, config.secret, warnings)
    return {"service": info.name, "to": target, "title": title, "message": message}


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """'Posted on Slack: New order #1042' (the chat named when the card names one)."""
    service = str(output.get("service") or "")
    text = clip(str(output.get("title") or output.get("message") or ""))
    target = str(output.get("to") or "").strip()
    if target:
        return _("Posted on {service} to {target}: {text}").format(
            service=service, target=clip(target, 40), text=text)
    return _("Posted on {service}: {text}").format(service=service, text=text)


ACTION = ActionType(
    type="notify_chat",
    label=N_("Send a chat message"),
    description=N_("Posts a message to Slack, Discord, Telegram, Microsoft Teams, LINE or "
                   "another chat service."),
    icon="chat",
    config_model=NotifyChatConfig,
    run=run,
    test_effect=N_("posts the message in the chat for real"),
    describe=describe,
    noun=N_("the chat message"),
)
