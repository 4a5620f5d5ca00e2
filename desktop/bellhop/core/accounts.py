"""accounts.json: named connections (SMTP servers, Google); secrets stay in the keychain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bellhop.core.jsonfile import read_json, write_json_atomic

ACCOUNTS_VERSION = 1


def load_accounts(path: Path) -> dict[str, dict[str, Any]]:
    """Accounts by name; {} when the file is absent. A corrupt file raises CorruptFile."""
    data = read_json(path, expect_version=ACCOUNTS_VERSION)
    if data is None:
        return {}
    accounts = data.get("accounts", {})
    if not isinstance(accounts, dict):
        return {}
    return {str(k): v for k, v in accounts.items() if isinstance(v, dict)}


def save_accounts(path: Path, accounts: dict[str, dict[str, Any]]) -> None:
    """Write accounts.json atomically in the documented format."""
    write_json_atomic(path, {"version": ACCOUNTS_VERSION, "accounts": accounts})
