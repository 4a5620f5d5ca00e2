"""accounts.json: named connections (SMTP servers, Google); secrets stay in the keychain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bellhop.core.i18n import _
from bellhop.core.platform.jsonfile import FileProblem, read_edited_json, write_json_atomic

ACCOUNTS_VERSION = 1


def load_accounts(path: Path) -> dict[str, dict[str, Any]]:
    """Accounts by name; {} when the file is absent.

    A file with a mistake raises FileProblem and stays as it is (the caller keeps
    the accounts it read last)."""
    accounts = read_edited_json(path, expect_version=ACCOUNTS_VERSION, key="accounts",
                                kind=dict)
    if accounts is None:
        return {}
    for name, entry in accounts.items():
        if not isinstance(entry, dict):
            raise FileProblem(path, _("the account '{name}' must be an object, {{ … }}").format(
                name=name))
        if not isinstance(entry.get("kind"), str):
            raise FileProblem(path, _("the account '{name}' needs a \"kind\" "
                                      "(\"smtp\" or \"google\")").format(
                name=name))
    return accounts


def save_accounts(path: Path, accounts: dict[str, dict[str, Any]]) -> None:
    """Write accounts.json atomically in the documented format."""
    write_json_atomic(path, {"version": ACCOUNTS_VERSION, "accounts": accounts})
