"""The 'Send email' card: one message through one of the user's SMTP accounts."""

from __future__ import annotations

import re
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr
from typing import Any, Literal

import aiosmtplib

from bellhop.core.cards import ActionType, StepConfig, field
from bellhop.core.errors import PermanentError, StepError, TransientError
from bellhop.core.i18n import N_, NP_, _
from bellhop.core.running.headers import breaks_header_line, unfit_for_header
from bellhop.core.stepcontext import StepContext

TIMEOUT = 30.0  # seconds for connecting and for each answer of the server
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+$")


class SendEmailConfig(StepConfig):
    """What the 'Send email' card needs."""

    type: Literal["send_email"] = "send_email"
    account: str = field(
        label=N_("Email account"), widget="account:smtp", min_length=1
    )
    to: str = field(
        label=N_("To"), template=True, min_length=1,
        help=N_("One or more addresses, separated by commas."),
    )
    cc: str = field("", label=N_("Cc"), template=True)
    bcc: str = field("", label=N_("Bcc"), template=True)
    reply_to: str = field("", label=N_("Reply to"), template=True)
    subject: str = field("", label=N_("Subject"), template=True)
    body: str = field("", label=NP_("email body", "Message"), template=True, widget="multiline")
    html: str = field(
        "", label=N_("HTML message (optional)"), template=True,
        widget="multiline",
    )


def _label(name: str) -> str:
    return ACTION.field_label(name)


def _render_header(ctx: StepContext, template: str, name: str) -> str:
    """Render a header field; a line break in it could smuggle in extra headers."""
    value = ctx.render(template, _label(name), field=name).strip()
    if breaks_header_line(value):
        raise PermanentError(
            _("{field} contains a line break, which an email header may not have. "
              "Check the template and the event data it uses.").format(
                field=_label(name),
            )
        )
    if unfit_for_header(value):
        raise PermanentError(
            _("{field} contains an invisible control character, which an email header may not "
              "have. Check the template and the event data it uses.").format(
                field=_label(name),
            )
        )
    return value


def _split_list(text: str) -> list[str]:
    """Split 'a@x, "Lin, Mei" <b@y>; c@z' at commas and semicolons outside quotes and <>."""
    parts: list[str] = []
    current: list[str] = []
    quoted = angled = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            angled = True
        elif char == ">" and not quoted:
            angled = False
        elif char in ",;" and not quoted and not angled:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _parse_address(text: str, name: str) -> tuple[str, str]:
    """(display name, address) of one entry, or a plain error naming the entry."""
    # One entry, one address: Pythons before 3.11.10 read 'Mei <mei@example,com>' as
    # mei@example and drop the rest, which would mail someone the person did not name.
    found = getaddresses([text])
    if len(found) != 1 or not _ADDRESS.match(found[0][1]):
        raise PermanentError(
            _("{field}: '{text}' is not an email address.").format(
                field=_label(name), text=text)
        )
    return found[0]


def _addresses(text: str, name: str) -> list[tuple[str, str]]:
    return [_parse_address(part, name) for part in _split_list(text)]


def _set_text(message: EmailMessage, text: str, subtype: str, alternative: bool) -> None:
    # base64 for non-ASCII text: 8-bit bodies break on servers without 8BITMIME.
    cte = None if text.isascii() else "base64"
    if alternative:
        message.add_alternative(text, subtype=subtype, cte=cte)
    else:
        message.set_content(text, subtype=subtype, cte=cte)


def _build_message(
    sender: tuple[str, str],
    to: list[tuple[str, str]],
    cc: list[tuple[str, str]],
    reply_to: list[tuple[str, str]],
    subject: str,
    body: str,
    html: str,
) -> EmailMessage:
    """The message with its headers; Bcc stays out of the headers on purpose."""
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = ", ".join(formataddr(pair) for pair in to)
    if cc:
        message["Cc"] = ", ".join(formataddr(pair) for pair in cc)
    if reply_to:
        message["Reply-To"] = ", ".join(formataddr(pair) for pair in reply_to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    domain = sender[1].rpartition("@")[2] or "bellhop.local"
    message["Message-ID"] = make_msgid(domain=domain)
    # Tells vacation auto-replies not to answer a robot (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    if body or not html:
        _set_text(message, body, "plain", alternative=False)
        if html:
            _set_text(message, html, "html", alternative=True)
    else:
        _set_text(message, html, "html", alternative=False)
    return message


def _server_settings(name: str, account: Mapping[str, Any]) -> tuple[str, int, str]:
    """Host, port and security of an account, or a plain error saying what is missing."""
    host = str(account.get("host") or "").strip()
    security = str(account.get("security") or "starttls").lower()
    if not host or security not in DEFAULT_PORTS:
        raise PermanentError(
            _("The account '{name}' has no usable mail server settings (server name and "
              "security: STARTTLS, SSL or none). Fix it under Accounts.").format(
                name=name,
            )
        )
    try:
        port = int(account.get("port") or DEFAULT_PORTS[security])
    except (TypeError, ValueError):
        port = 0
    if not 0 < port < 65536:
        raise PermanentError(
            _("The account '{name}' has an invalid port number. Fix it under Accounts.").format(
                name=name)
        )
    return host, port, security


def _explain(exc: Exception, name: str, host: str) -> StepError:
    """Turn an SMTP failure into a message a person can act on."""
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError) and exc.code >= 500:
        return PermanentError(
            _("The mail server did not accept the username or password of account "
              "'{name}': check it under Accounts (Gmail needs an app password).").format(
                name=name,
            )
        )
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        worst = max(exc.recipients, key=lambda refused: refused.code)
        if worst.code < 500:
            return TransientError(
                _("The mail server cannot take the message for now ({reply}).").format(
                    reply=f"{worst.code} {worst.message}",
                )
            )
        return PermanentError(
            _("The mail server refused the address {address}: {reply}. Check the address.").format(
                address=worst.recipient,
                reply=f"{worst.code} {worst.message}",
            )
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        reply = f"{exc.code} {exc.message}"
        if 400 <= exc.code < 500:
            return TransientError(
                _("The mail server cannot take the message for now ({reply}).").format(
                    reply=reply,
                )
            )
        return PermanentError(
            _("The mail server refused the message: {reply}. Check the addresses and "
              "the settings of account '{name}'.").format(
                reply=reply,
                name=name,
            )
        )
    if isinstance(exc.__cause__, ssl.SSLError) or isinstance(exc, ssl.SSLError):
        return PermanentError(
            _("Could not open a secure connection to the mail server {host}. Check the "
              "port and security setting (STARTTLS or SSL) of account '{name}'.").format(
                host=host,
                name=name,
            )
        )
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | TimeoutError):
        return TransientError(
            _("The mail server {host} did not answer in time.").format(
                host=host)
        )
    if isinstance(exc, ConnectionError | OSError):
        return TransientError(
            _("Could not reach the mail server {host} (account '{name}'). Check the "
              "server name, the port and the internet connection.").format(
                host=host,
                name=name,
            )
        )
    return PermanentError(
        _("The mail server {host} could not be used: {reason}. Check the settings of "
          "account '{name}'.").format(
            host=host,
            reason=str(exc).removesuffix("."),  # the message goes on with its own full stop
            name=name,
        )
    )


async def run(ctx: StepContext, config: SendEmailConfig) -> dict[str, Any]:
    """Render the message, send it, and report who it went to."""
    account = ctx.account(config.account, "smtp")
    host, port, security = _server_settings(config.account, account)
    username = str(account.get("username") or "")
    sender_text = str(account.get("from") or username)
    if unfit_for_header(sender_text):
        raise PermanentError(
            _("The sender address of account '{name}' contains a line break or another "
              "invisible character. Fix it under Accounts.").format(
                name=config.account,
            )
        )
    sender = parseaddr(sender_text)
    if not _ADDRESS.match(sender[1]):
        raise PermanentError(
            _("The account '{name}' has no valid sender address ('{text}'). "
              "Fix it under Accounts.").format(
                name=config.account,
                text=sender_text,
            )
        )
    to = _addresses(_render_header(ctx, config.to, "to"), "to")
    if not to:
        raise PermanentError(
            _("{field} is empty: the email needs at least one address.").format(
                field=_label("to"))
        )
    cc = _addresses(_render_header(ctx, config.cc, "cc"), "cc")
    bcc = _addresses(_render_header(ctx, config.bcc, "bcc"), "bcc")
    reply_to = _addresses(_render_header(ctx, config.reply_to, "reply_to"), "reply_to")
    subject = _render_header(ctx, config.subject, "subject")
    body = ctx.render(config.body, _label("body"), field="body")
    html = ctx.render(config.html, _label("html"), field="html")
    password = ctx.secret(config.account) if username else None

    message = _build_message(sender, to, cc, reply_to, subject, body, html)
    recipients = list(dict.fromkeys(address for __, address in to + cc + bcc))
    try:
        refused, reply = await aiosmtplib.send(
            message,
            sender=sender[1],
            recipients=recipients,
            hostname=host,
            port=port,
            username=username or None,
            password=password,
            use_tls=security == "ssl",
            start_tls=security == "starttls",
            timeout=TIMEOUT,
        )
    except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise _explain(exc, config.account, host) from exc
    return {
        "to": [address for __, address in to],
        "cc": [address for __, address in cc],
        "subject": subject,
        "message_id": message["Message-ID"],
        "server_reply": reply,
        "refused": {address: f"{r.code} {r.message}" for address, r in refused.items()},
    }


ACTION = ActionType(
    type="send_email",
    label=N_("Send email"),
    description=N_("Sends an email through one of your mail accounts."),
    icon="mail",
    config_model=SendEmailConfig,
    run=run,
    noun=N_("the email"),
)
