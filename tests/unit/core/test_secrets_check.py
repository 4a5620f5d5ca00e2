"""Which secrets the rules in use need, which are missing, and how `serve` says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from bellhop.actions.registry import default_registry
from bellhop.core.gallery.secrets_check import (
    MissingSecret,
    NeededSecret,
    find_missing,
    missing_lines,
    needed_secrets,
)
from bellhop.core.platform import paths
from bellhop.core.platform.accounts import save_accounts
from bellhop.core.platform.secret_files import how_to_give
from bellhop.core.platform.secrets import get_secret, how_to_save, set_secret
from bellhop.core.running.rules import save_rules
from bellhop.service import Bellhop

REGISTRY = default_registry()
SHEET = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
ACCOUNTS: dict[str, dict[str, Any]] = {
    "office-smtp": {"kind": "smtp", "host": "127.0.0.1", "port": 25, "security": "none",
                    "username": "shop", "from": "shop@example.com"},
    "relay": {"kind": "smtp", "host": "127.0.0.1", "port": 25, "security": "none",
              "from": "shop@example.com"},  # no sign-in: no password
    "google": {"kind": "google", "auth": "service_account", "client_email": "r@x.example"},
    "me": {"kind": "google", "auth": "oauth", "client_id": "id"},
}


def rule(name: str, steps: list[dict[str, Any]], **trigger: Any) -> dict[str, Any]:
    return {"id": name.lower(), "name": name, "enabled": True,
            "trigger": {"type": "webhook", "token": "t" * 22, **trigger}, "steps": steps}


def email(account: str) -> dict[str, Any]:
    return {"type": "send_email", "account": account, "to": "a@example.com", "subject": "Hi"}


ORDERS = rule("Orders", [email("office-smtp"), email("relay"),
                         {"type": "append_sheet", "account": "google", "spreadsheet": SHEET,
                          "columns": {"A": "1"}}],
              verify={"scheme": "shopify", "secret": "shopify-signing"})
SURVEY = rule("Survey", [email("office-smtp"),
                         {"type": "append_sheet", "account": "me", "spreadsheet": SHEET,
                          "columns": {"A": "1"}}],
              surveycake={"hash_key": "sc-hash", "iv_key": "sc-iv"})
CHAT = rule("Chat", [
    {"type": "notify_chat", "service": "teams", "secret": "team-chat", "message": "Hi"},
    {"type": "line_reply", "token": "line-bot", "text": "Thanks"},
    email("nobody")])  # an account that does not exist: the rule's own problems say so


def test_every_kind_of_secret_is_named_once_with_the_rules_that_need_it() -> None:
    needed = needed_secrets([ORDERS, SURVEY, CHAT], ACCOUNTS, REGISTRY)
    assert [(n.name, n.rules) for n in needed] == [
        ("shopify-signing", ("Orders",)),
        ("office-smtp", ("Orders", "Survey")),
        ("google", ("Orders",)),
        ("sc-hash", ("Survey",)),
        ("sc-iv", ("Survey",)),
        ("me", ("Survey",)),
        ("team-chat", ("Chat",)),
        ("line-bot", ("Chat",)),
    ]
    words = {n.name: n.words for n in needed}
    assert words["shopify-signing"] == "the signing secret from Shopify"
    assert words["office-smtp"] == "the password of the email account “office-smtp”"
    assert words["google"] == "the key file (JSON) of the Google service account “google”"
    assert words["me"].startswith("the sign-in of the Google account “me”")
    assert words["sc-hash"] == "the Hash Key of your SurveyCake survey"
    assert words["line-bot"] == "the channel access token of your LINE official account"


def test_a_secret_a_card_names_by_default_is_needed_too() -> None:
    # rules.json written by hand or by an older Bellhop may leave the name out: the card
    # then uses its default, and that secret is the one to ask for
    by_default = rule("Replies", [{"type": "line_reply", "text": "Thanks"}])
    needed = needed_secrets([by_default], ACCOUNTS, REGISTRY)
    assert [(n.name, n.rules) for n in needed] == [("line-channel-token", ("Replies",))]


def test_the_ngrok_authtoken_is_needed_only_with_the_ngrok_tunnel() -> None:
    assert needed_secrets([], ACCOUNTS, REGISTRY) == []
    assert needed_secrets([], ACCOUNTS, REGISTRY, tunnel="ngrok") == [
        NeededSecret("ngrok", "the ngrok authtoken, for the tunnel")]


def test_found_secrets_are_not_missing_and_unreadable_files_say_why(
        memory_keyring: Any, secret_files: Path) -> None:
    set_secret("office-smtp", "pa55")
    (secret_files / "shopify-signing").write_text("s3cret\n")
    (secret_files / "sc-hash").write_text("")
    needed = needed_secrets([ORDERS, SURVEY], ACCOUNTS, REGISTRY)
    missing = find_missing(needed, get_secret)
    assert [m.needed.name for m in missing] == ["google", "sc-hash", "sc-iv", "me"]
    problems = {m.needed.name: m.problem for m in missing}
    assert problems["sc-hash"] == (f"The file {secret_files / 'sc-hash'} for the secret "
                                   "'sc-hash' is empty. Put the secret in it.")
    assert problems["google"] == ""


def test_on_a_desktop_the_line_is_the_command_quoted_for_a_shell(memory_keyring: Any) -> None:
    missing = [MissingSecret(NeededSecret("office mail", "the password", ("A",)))]
    assert missing_lines(missing, how_to_save)[2] == (
        "    Save it with: bellhop secret set 'office mail'")


def test_the_lines_name_each_secret_its_rules_and_how_to_give_it(memory_keyring: Any) -> None:
    missing = [MissingSecret(NeededSecret("office mail", "the password", ("A", "B"))),
               MissingSecret(NeededSecret("x", "the key", ("A",)), "The file is empty.")]
    keyring.set_keyring(fail.Keyring())
    assert missing_lines(missing, how_to_save) == [
        "Bellhop cannot find 2 secrets it needs; what uses them fails until they are given:",
        "  • office mail: the password (rules “A”, “B”)",
        "    " + how_to_give("office mail"),
        "  • x: the key (rule “A”)",
        "    The file is empty.",
    ]
    assert "LoadCredential=office%%20mail:" in missing_lines(missing, how_to_save)[2]
    assert missing_lines([], how_to_save) == []


@pytest.mark.parametrize("enabled", [True, False])
async def test_the_service_checks_only_the_rules_that_are_on(
        home: Path, enabled: bool, memory_keyring: Any) -> None:
    save_accounts(paths.accounts_file(home), ACCOUNTS)
    save_rules(paths.rules_file(home), [dict(ORDERS, enabled=enabled)])
    app = Bellhop(home)
    await app.start("127.0.0.1", 0)
    try:
        missing = await app.missing_secrets()
    finally:
        await app.stop()
    assert [m.needed.name for m in missing] == (
        ["shopify-signing", "office-smtp", "google"] if enabled else [])
