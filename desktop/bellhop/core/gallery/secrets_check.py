"""Which secrets the rules in use need, and which of them cannot be found now.

`bellhop serve` asks at start, so that a server that has no keychain says which
passwords, tokens and signing secrets to give it, and how, before a delivery
fails for want of one. The rules still start: the steps that need a missing
secret fail with the same plain error they always give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bellhop.core.cards import Registry
from bellhop.core.gallery.needs import rule_needs
from bellhop.core.i18n import _, ngettext
from bellhop.core.platform.secret_files import SecretFileUnreadable, SecretUnavailable
from bellhop.core.services.tunnel import NGROK_SECRET


@dataclass(frozen=True)
class NeededSecret:
    """A secret by its name (as `bellhop secret set` names it), in words, and who needs it."""

    name: str
    words: str
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class MissingSecret:
    """A needed secret that cannot be had; `problem` says why when a file is there but
    cannot be used (otherwise it is simply not given)."""

    needed: NeededSecret
    problem: str = ""


def _account_secret(name: str, account: Mapping[str, Any]) -> str | None:
    """What the account keeps under its name, in words; None when it keeps nothing."""
    kind = account.get("kind")
    if kind == "smtp":
        if not account.get("username"):  # a server without sign-in needs no password
            return None
        return _("the password of the email account “{name}”").format(name=name)
    if kind == "google":
        if account.get("auth") == "oauth":
            return _("the sign-in of the Google account “{name}” (its refresh token and "
                     "client secret)").format(name=name)
        return _("the key file (JSON) of the Google service account “{name}”").format(name=name)
    return None


def needed_secrets(rules: Iterable[Mapping[str, Any]],
                   accounts: Mapping[str, Mapping[str, Any]], registry: Registry,
                   tunnel: str = "none") -> list[NeededSecret]:
    """Every secret the rules (as in rules.json) and the accounts they use need, each once,
    in the order the rules ask for them; the ngrok authtoken first when the tunnel is ngrok."""
    words: dict[str, str] = {}
    users: dict[str, list[str]] = {}
    if tunnel == "ngrok":
        words[NGROK_SECRET] = _("the ngrok authtoken, for the tunnel")
        users[NGROK_SECRET] = []
    for raw in rules:
        rule_name = str(raw.get("name") or raw.get("id") or "")
        for need in rule_needs(raw, registry):
            name, said = need.secret, need.words
            if need.account:
                account = accounts.get(need.account)
                said_of_account = _account_secret(need.account, account) if account else None
                if said_of_account is None:
                    continue  # no such account (the rule's problems say so) or no secret
                name, said = need.account, said_of_account
            if not name:
                continue
            words.setdefault(name, said)
            rule_names = users.setdefault(name, [])
            if rule_name not in rule_names:
                rule_names.append(rule_name)
    return [NeededSecret(name, said, tuple(users[name])) for name, said in words.items()]


def find_missing(needed: Iterable[NeededSecret],
                 lookup: Callable[[str], object]) -> list[MissingSecret]:
    """The needed secrets `lookup` (get_secret) cannot find; it may block (a keychain)."""
    missing = []
    for secret in needed:
        try:
            lookup(secret.name)
        except SecretFileUnreadable as exc:
            missing.append(MissingSecret(secret, exc.message))
        except SecretUnavailable:
            missing.append(MissingSecret(secret))
    return missing


def missing_lines(missing: list[MissingSecret], how: Callable[[str], str]) -> list[str]:
    """What `bellhop serve` prints about missing secrets: each one, who needs it, and how to
    give it (`how(name)`: the keychain command or the server's file)."""
    if not missing:
        return []
    lines = [ngettext(
        "Bellhop cannot find {count} secret it needs; what uses it fails until it is given:",
        "Bellhop cannot find {count} secrets it needs; what uses them fails until they are "
        "given:", len(missing)).format(count=len(missing))]
    for item in missing:
        secret = item.needed
        if secret.rules:
            rules = _(", ").join(_("“{rule}”").format(rule=name) for name in secret.rules)
            line = ngettext("{name}: {what} (rule {rules})", "{name}: {what} (rules {rules})",
                            len(secret.rules)).format(name=secret.name, what=secret.words,
                                                      rules=rules)
        else:
            line = _("{name}: {what}").format(name=secret.name, what=secret.words)
        lines.append("  • " + line)
        lines.append("    " + (item.problem or how(secret.name)))
    return lines
