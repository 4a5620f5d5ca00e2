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
from bellhop.core.errors import (
    PermanentError,
    StepError,
    TransientError,
    edit_card,
    open_account,
)
from bellhop.core.i18n import N_, NP_, _
from bellhop.core.running.headers import breaks_header_line, unfit_for_header
from bellhop.core.running.sentences import clip
from bellhop.core.services.mailheaders import POLICY
from bellhop.core.services.smtp import Server, connections_of
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
            ), fix=edit_card(name)
        )
    if unfit_for_header(value):
        raise PermanentError(
            _("{field} contains an invisible control character, which an email header may not "
              "have. Check the template and the event data it uses.").format(
                field=_label(name),
            ), fix=edit_card(name)
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


def _mail_address(address: str) -> str | None:
    """The address as mail servers take it: a domain in Chinese (or any script) in its
    international form (例子.tw → xn--fsqu00a.tw); None when the part before the @ is
    not plain ASCII, which few servers accept."""
    local, _at, domain = address.rpartition("@")
    if not local.isascii():
        return None
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return f"{local}@{domain}"


def _not_plain(text: str, field: str) -> str:
    return _("{field}: '{text}' has characters other than English letters before the @, "
             "which most mail servers refuse. Use an address with only English letters, "
             "digits and . _ - before the @.").format(field=field, text=text)


def _parse_address(text: str, name: str) -> tuple[str, str]:
    """(display name, address) of one entry, or a plain error naming the entry."""
    # One entry, one address: Pythons before 3.11.10 read 'Mei <mei@example,com>' as
    # mei@example and drop the rest, which would mail someone the person did not name.
    found = getaddresses([text])
    if len(found) != 1 or not _ADDRESS.match(found[0][1]):
        raise PermanentError(
            _("{field}: '{text}' is not an email address.").format(
                field=_label(name), text=text), fix=edit_card(name)
        )
    address = _mail_address(found[0][1])
    if address is None:
        raise PermanentError(_not_plain(text, _label(name)), fix=edit_card(name))
    return found[0][0], address


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
    message = EmailMessage(policy=POLICY)  # the standard policy, repeated headers parsed once
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
            ), fix=open_account(name)
        )
    try:
        port = int(account.get("port") or DEFAULT_PORTS[security])
    except (TypeError, ValueError):
        port = 0
    if not 0 < port < 65536:
        raise PermanentError(
            _("The account '{name}' has an invalid port number. Fix it under Accounts.").format(
                name=name), fix=open_account(name)
        )
    return host, port, security


# What providers answer when an account sends too much: Gmail's "550 5.4.5 Daily user
# sending limit exceeded" and "421 4.7.28 … rate", Outlook's SubmissionQuotaExceeded and
# "message rate" throttling. Not a mailbox that is full, not a refused login.
_DAILY = re.compile(r"5\.4\.5|daily (user )?sending|sending (limit|quota)|"
                    r"SubmissionQuotaExceeded", re.IGNORECASE)
_RATE = re.compile(r"too many (messages|mails|e-?mails)|rate limit|message rate|sending rate|"
                   r"throttl|4\.7\.28", re.IGNORECASE)
DAILY_WAIT = 3600.0  # seconds before trying again after a daily limit
RATE_WAIT = 60.0


def _over_limit(exc: Exception, name: str) -> StepError | None:
    """The provider's own limit reached: wait and send later, never fail for good."""
    if not isinstance(exc, aiosmtplib.SMTPResponseException):
        return None
    text = f"{exc.code} {exc.message}"
    if _DAILY.search(text):
        return TransientError(
            _("The mail provider says account '{name}' has sent as many messages as it may "
              "today ({reply}). Bellhop sends the rest later, by itself.").format(
                name=name, reply=text), retry_after=DAILY_WAIT)
    if _RATE.search(text):
        return TransientError(
            _("The mail provider asks account '{name}' to send more slowly ({reply}). "
              "Bellhop tries again in a minute.").format(name=name, reply=text),
            retry_after=RATE_WAIT)
    return None


def _explain(exc: Exception, name: str, host: str,
             fields: dict[str, str] | None = None) -> StepError:
    """Turn an SMTP failure into a message a person can act on (`fields`: the card's field
    each recipient came from, for the button that fixes a refused address)."""
    account = open_account(name)
    limited = _over_limit(exc, name)
    if limited is not None:
        return limited
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError) and exc.code >= 500:
        return PermanentError(
            _("The mail server did not accept the username or password of account "
              "'{name}': check it under Accounts (Gmail needs an app password).").format(
                name=name,
            ), fix=account
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
            ), fix=edit_card((fields or {}).get(worst.recipient, "to"))
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
            ), fix=account
        )
    if isinstance(exc.__cause__, ssl.SSLError) or isinstance(exc, ssl.SSLError):
        return PermanentError(
            _("Could not open a secure connection to the mail server {host}. Check the "
              "port and security setting (STARTTLS or SSL) of account '{name}'.").format(
                host=host,
                name=name,
            ), fix=account
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
            ), fix=account
        )
    return PermanentError(
        _("The mail server {host} could not be used: {reason}. Check the settings of "
          "account '{name}'.").format(
            host=host,
            reason=str(exc).removesuffix("."),  # the message goes on with its own full stop
            name=name,
        ), fix=account
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
            ), fix=open_account(config.account)
        )
    sender = parseaddr(sender_text)
    if not _ADDRESS.match(sender[1]):
        raise PermanentError(
            _("The account '{name}' has no valid sender address ('{text}'). "
              "Fix it under Accounts.").format(
                name=config.account,
                text=sender_text,
            ), fix=open_account(config.account)
        )
    sender_address = _mail_address(sender[1])
    if sender_address is None:
        raise PermanentError(_not_plain(sender_text, _("Account '{name}'").format(
            name=config.account)), fix=open_account(config.account))
    sender = (sender[0], sender_address)
    to = _addresses(_render_header(ctx, config.to, "to"), "to")
    if not to:
        raise PermanentError(
            _("{field} is empty: the email needs at least one address.").format(
                field=_label("to")), fix=edit_card("to")
        )
    cc = _addresses(_render_header(ctx, config.cc, "cc"), "cc")
    bcc = _addresses(_render_header(ctx, config.bcc, "bcc"), "bcc")
    reply_to = _addresses(_render_header(ctx, config.reply_to, "reply_to"), "reply_to")
    subject = _render_header(ctx, config.subject, "subject")
    body = ctx.render(config.body, _label("body"), field="body")
    html = ctx.render(config.html, _label("html"), field="html")
    password = ctx.secret(config.account, fix=open_account(config.account)) if username else None

    message = _build_message(sender, to, cc, reply_to, subject, body, html)
    recipients = list(dict.fromkeys(address for __, address in to + cc + bcc))
    fields = {address: name for name, found in (("bcc", bcc), ("cc", cc), ("to", to))
              for __, address in found}  # an address in To and Cc: To is what to fix
    server = Server(host, port, security, username, password, TIMEOUT)
    mail = connections_of(ctx.services.shared).of(config.account, account)
    try:  # through the account's kept connection, at its pace
        refused, reply = await mail.send(server, message, sender[1], recipients)
    except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise _explain(exc, config.account, host, fields) from exc
    return {
        "to": [address for __, address in to],
        "cc": [address for __, address in cc],
        "subject": subject,
        "message_id": message["Message-ID"],
        "server_reply": reply,
        "refused": {address: f"{r.code} {r.message}" for address, r in refused.items()},
    }


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """'Sent to warehouse@example.com: New order #1042'."""
    to = ", ".join(str(address) for address in output.get("to") or [])
    cc = ", ".join(str(address) for address in output.get("cc") or [])
    if cc:
        to = _("{to} (copy to {cc})").format(to=to, cc=cc)
    subject = clip(str(output.get("subject") or ""))
    sentence = (_("Sent to {to}: {subject}").format(to=to, subject=subject) if subject
                else _("Sent to {to} (no subject)").format(to=to))
    refused = output.get("refused")
    if isinstance(refused, dict) and refused:
        sentence += " " + _("The mail server refused {addresses}.").format(
            addresses=", ".join(refused))
    return sentence


ACTION = ActionType(
    type="send_email",
    label=N_("Send email"),
    description=N_("Sends an email through one of your mail accounts."),
    icon="mail",
    config_model=SendEmailConfig,
    run=run,
    test_effect=N_("sends the email for real"),
    describe=describe,
    noun=N_("the email"),
)
