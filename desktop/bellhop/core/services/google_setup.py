"""Connecting a Google account and checking it: what the Accounts page and the CLI call."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiohttp

from bellhop.core.errors import ConfigError
from bellhop.core.i18n import _
from bellhop.core.platform import paths
from bellhop.core.platform.accounts import load_accounts, save_accounts
from bellhop.core.platform.secrets import set_secret
from bellhop.core.services.google import (
    API_BASE,
    AUTH_URI,
    TOKEN_URI,
    oauth_entry,
    oauth_secret,
    tokens_of,
)
from bellhop.core.services.google_oauth import OpenBrowser, sign_in
from bellhop.core.services.sheets import SheetsApi, quotas_of, spreadsheet_id


async def sign_in_account(home: Path, http: aiohttp.ClientSession, shared: dict[str, Any],
                          name: str, client_id: str, client_secret: str,
                          open_browser: OpenBrowser, **addresses: str) -> dict[str, Any]:
    """'Sign in with Google' for account `name`: browser, loopback, refresh token to the
    keychain, the rest to accounts.json. `addresses` may set auth_uri, token_uri, api_base
    (Google's by default; an existing account's are kept)."""
    name = name.strip()
    if not name:
        raise ConfigError(_("Give the account a name; your rules use it to pick this account."))
    path = paths.accounts_file(home)
    existing = load_accounts(path).get(name) or {}
    if existing and existing.get("kind") != "google":
        raise ConfigError(_("There is already an account called '{name}' that is not a Google "
                            "account. Choose another name.").format(
            name=name))

    def address(key: str, default: str) -> str:
        return str(addresses.get(key) or existing.get(key) or default)

    auth_uri, token_uri = address("auth_uri", AUTH_URI), address("token_uri", TOKEN_URI)
    signed = await sign_in(http, client_id, client_secret, open_browser, auth_uri=auth_uri,
                           token_uri=token_uri)
    entry = oauth_entry(client_id.strip(), token_uri=token_uri, auth_uri=auth_uri,
                        api_base=address("api_base", API_BASE))
    set_secret(name, oauth_secret(signed.refresh_token, client_secret))
    accounts = load_accounts(path)
    accounts[name] = entry
    save_accounts(path, accounts)
    tokens_of(shared).forget(name)
    return entry


async def describe_sheet(http: aiohttp.ClientSession, shared: dict[str, Any], name: str,
                         account: Mapping[str, Any], sheet: str) -> dict[str, Any]:
    """'Test connection': the spreadsheet's title and each tab with its header row."""
    api = SheetsApi(http, name, account, tokens_of(shared), quotas_of(shared))
    found = await api.describe(spreadsheet_id(sheet))
    return {**found, "email": str(account.get("client_email") or "")}
