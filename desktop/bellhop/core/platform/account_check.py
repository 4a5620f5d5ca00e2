"""What an accounts.json entry needs before a step can use it, said field by field.

Loading accounts.json only refuses what cannot be read at all (core/platform/accounts.py);
a mail account without a server still loads, and its emails fail when they are sent.
`bellhop rules check` asks here first, so the mistake is found before an order is missed.
The checks are the ones the cards make when they use an account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bellhop.core.i18n import N_, _

SECURITY = ("starttls", "ssl", "none")
GOOGLE_AUTH = ("service_account", "oauth")
# accounts.json's keys, named as the Accounts page names them (marked with N_()).
FIELD_WORDS = {
    "host": N_("Mail server"),
    "port": N_("Port"),
    "security": N_("Security"),
    "username": N_("Username"),
    "from": N_("Your email address"),
    "per_minute": N_("Messages a minute"),
}


def _field(key: str) -> str:
    return _("{label} (“{key}”)").format(label=_(FIELD_WORDS[key]), key=key) \
        if key in FIELD_WORDS else f"“{key}”"


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def account_problems(entry: Mapping[str, Any]) -> list[str]:
    """Plain sentences, one per mistake, about one account of accounts.json."""
    kind = entry.get("kind")
    if kind == "smtp":
        return _mail_problems(entry)
    if kind == "google":
        return _google_problems(entry)
    return [_("its kind “{kind}” is not one Bellhop knows: “smtp” (email) or “google”.").format(
        kind=kind)]


def _mail_problems(entry: Mapping[str, Any]) -> list[str]:
    found = []
    host = entry.get("host")
    if not isinstance(host, str) or not host.strip():
        found.append(_("{field} is missing: the mail server's name, e.g. "
                       "mail.example.com.").format(field=_field("host")))
    security = entry.get("security", "starttls")
    if not isinstance(security, str) or security.lower() not in SECURITY:
        found.append(_("{field} must be “starttls”, “ssl” or “none”.").format(
            field=_field("security")))
    port = entry.get("port")
    if port is not None and not (_whole(port) and 0 < port < 65536):
        found.append(_("{field} must be a whole number from 1 to 65535, without "
                       "quotes.").format(field=_field("port")))
    for key in ("username", "from"):
        if entry.get(key) is not None and not isinstance(entry.get(key), str):
            found.append(_("{field} must be text in double quotes.").format(field=_field(key)))
    sender = entry.get("from") or entry.get("username")
    if not isinstance(sender, str) or "@" not in sender:
        found.append(_("{field} is missing: the address the emails come from.").format(
            field=_field("from")))
    per_minute = entry.get("per_minute")
    if per_minute is not None and not (_whole(per_minute) and per_minute >= 0):
        found.append(_("{field} must be a whole number, 0 or more, without quotes.").format(
            field=_field("per_minute")))
    return found


def _google_problems(entry: Mapping[str, Any]) -> list[str]:
    found = []
    auth = entry.get("auth", "service_account")
    if auth not in GOOGLE_AUTH:
        found.append(_("“auth” must be “service_account” or “oauth”."))
    if auth == "oauth" and not isinstance(entry.get("client_id"), str):
        found.append(_("“client_id” is missing: sign in with Google again in the window."))
    for key in ("token_uri", "api_base"):
        value = entry.get(key)
        if value is not None and not (isinstance(value, str)
                                      and value.startswith(("https://", "http://"))):
            found.append(_("“{key}” must be a web address starting with https://.").format(
                key=key))
    return found
