"""Google accounts: service-account keys, signed-in users, and the access tokens they give.

accounts.json holds only what is not secret (the kind of sign-in, the service
account's email, the token and API addresses); the key or the refresh token
lives in the keychain under the account's name. Tokens come from google-auth,
whose refresh is blocking: it runs in a worker thread, never on the engine loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bellhop.core.errors import (
    ConfigError,
    Fix,
    PermanentError,
    StepError,
    TransientError,
    open_account,
    sign_in_google,
)
from bellhop.core.i18n import _
from bellhop.core.platform import paths
from bellhop.core.platform.accounts import load_accounts, save_accounts
from bellhop.core.platform.secret_files import SecretUnavailable
from bellhop.core.platform.secrets import get_secret, set_secret

log = logging.getLogger("bellhop.google")

TOKEN_URI = "https://oauth2.googleapis.com/token"
AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"
API_BASE = "https://sheets.googleapis.com"
SCOPE = "https://www.googleapis.com/auth/spreadsheets"
TOKEN_TIMEOUT = 30.0  # seconds for one answer of the token endpoint
_KEY_FIELDS = ("client_email", "private_key", "token_uri")


def parse_service_account_key(text: str) -> dict[str, Any]:
    """The key file's JSON, checked to be a service-account key; ConfigError otherwise."""
    try:
        key = json.loads(text)
    except ValueError as exc:
        raise ConfigError(_("This file is not a Google key file (it is not JSON). In Google Cloud "
                            "Console, open the service account, then Keys → Add key → Create new "
                            "key → JSON, and pick the file that downloads.")) from exc
    if not isinstance(key, dict) or key.get("type") != "service_account":
        raise ConfigError(_("This file is not a service-account key. Pick the JSON key of a "
                            "service account (Google Cloud Console → IAM → Service accounts → "
                            "Keys), not an OAuth client file."))
    missing = [name for name in _KEY_FIELDS if not str(key.get(name) or "").strip()]
    if missing:
        raise ConfigError(_("The key file has no {fields}. Download a new JSON key for the "
                            "service account and pick that one.").format(
            fields=", ".join(missing)))
    if "PRIVATE KEY" not in str(key["private_key"]):
        raise ConfigError(_("The key file's private key is damaged. Download a new JSON key "
                            "for the service account and pick that one."))
    return key


def read_key_file(path: Path) -> str:
    """The text of a key file, with plain errors when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(_("There is no file {path}. Check the name and the folder.").format(
            path=path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("The file {path} could not be read: {reason}.").format(
            path=path,
                             reason=getattr(exc, "strerror", None) or exc)) from exc


def service_account_entry(key: Mapping[str, Any], api_base: str | None = None) -> dict[str, Any]:
    """The accounts.json entry of a service account (the key itself stays out)."""
    return {"kind": "google", "auth": "service_account",
            "client_email": str(key["client_email"]),
            "token_uri": str(key.get("token_uri") or TOKEN_URI),
            "api_base": api_base or API_BASE}


def oauth_entry(client_id: str, *, token_uri: str = TOKEN_URI, auth_uri: str = AUTH_URI,
                api_base: str = API_BASE, email: str = "") -> dict[str, Any]:
    """The accounts.json entry of a signed-in Google user (refresh token in the keychain)."""
    entry = {"kind": "google", "auth": "oauth", "client_id": client_id,
             "token_uri": token_uri, "auth_uri": auth_uri, "api_base": api_base}
    if email:
        entry["email"] = email
    return entry


def oauth_secret(refresh_token: str, client_secret: str) -> str:
    """What the keychain keeps for a signed-in user: the refresh token and client secret."""
    return json.dumps({"refresh_token": refresh_token, "client_secret": client_secret})


def import_service_account(home: Path, name: str, text: str, api_base: str | None = None,
                           *, keep_key: bool = True) -> dict[str, Any]:
    """Add (or replace) service account `name` from a key file's text: key to the keychain
    (unless `keep_key` is False: a server gives the key file itself as a secret file), the
    rest to accounts.json. Returns the accounts.json entry."""
    name = name.strip()
    if not name:
        raise ConfigError(_("Give the account a name; your rules use it to pick this account."))
    key = parse_service_account_key(text)
    path = paths.accounts_file(home)
    accounts = load_accounts(path)
    existing = accounts.get(name)
    if existing is not None and existing.get("kind") != "google":
        raise ConfigError(_("There is already an account called '{name}' that is not a Google "
                            "account. Choose another name.").format(
            name=name))
    entry = service_account_entry(key, api_base or (existing or {}).get("api_base"))
    if keep_key:
        set_secret(name, json.dumps(key))
    accounts[name] = entry
    save_accounts(path, accounts)
    return entry


def share_hint(account: Mapping[str, Any]) -> str:
    """Who the spreadsheet must be shared with, for messages."""
    return str(account.get("client_email") or account.get("email") or "")


def reconnect_fix(name: str, account: Mapping[str, Any]) -> Fix:
    """What fixes a sign-in Google no longer accepts: signing in again, or (a key file)
    picking the account's key again on the Accounts page."""
    return sign_in_google(name) if account.get("auth") == "oauth" else open_account(name)


def reconnect_message(name: str) -> str:
    """What to do when Google no longer accepts an account's sign-in."""
    return _("Google did not accept the sign-in of account '{name}'. Reconnect your Google account "
             "under Accounts (sign in again, or pick the key file again).").format(
        name=name)


def _credentials(account: Mapping[str, Any], secret: str, name: str) -> Any:
    """google-auth credentials for an account and its keychain secret."""
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account

    token_uri = str(account.get("token_uri") or TOKEN_URI)
    try:
        stored = json.loads(secret)
    except ValueError:
        stored = None
    fix = reconnect_fix(name, account)
    if account.get("auth", "service_account") == "service_account":
        if not isinstance(stored, dict):
            raise PermanentError(reconnect_message(name), fix=fix)
        try:
            return service_account.Credentials.from_service_account_info(
                {**stored, "token_uri": token_uri}, scopes=[SCOPE])
        except (ValueError, KeyError) as exc:
            raise PermanentError(reconnect_message(name), fix=fix) from exc
    if not isinstance(stored, dict) or not stored.get("refresh_token"):
        raise PermanentError(reconnect_message(name), fix=fix)
    return user_credentials.Credentials(
        token=None, refresh_token=stored["refresh_token"],
        client_id=str(account.get("client_id") or ""),
        client_secret=stored.get("client_secret") or None, token_uri=token_uri, scopes=[SCOPE])


def _refresh(creds: Any) -> None:
    """The blocking refresh (a worker thread runs this)."""
    import requests
    from google.auth.transport.requests import Request

    with requests.Session() as session:
        request = Request(session)
        creds.refresh(lambda *args, **kwargs: request(
            *args, **{**kwargs, "timeout": kwargs.get("timeout") or TOKEN_TIMEOUT}))


def _explain_refresh(exc: Exception, name: str, token_uri: str,
                     account: Mapping[str, Any]) -> StepError:
    from google.auth import exceptions

    log.info("token refresh of %s failed: %r", name, exc)
    if isinstance(exc, exceptions.RefreshError) and not getattr(exc, "retryable", False):
        return PermanentError(reconnect_message(name), fix=reconnect_fix(name, account))
    return TransientError(_("Could not reach Google's sign-in service ({host}). Check the "
                            "internet connection.").format(
        host=token_uri))


class GoogleTokens:
    """Access tokens by account: fetched once, reused, refreshed before they expire."""

    def __init__(self) -> None:
        self._creds: dict[str, tuple[str, Any]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.refreshes = 0  # how many times a token was fetched (tests and figures read it)

    async def token(self, name: str, account: Mapping[str, Any], *, renew: bool = False) -> str:
        """A valid access token for account `name`; `renew` fetches a new one even if the
        current one looks valid (Google said 401) and reads the keychain again."""
        lock = self._locks.setdefault(name, asyncio.Lock())
        async with lock:  # concurrent runs share one refresh
            fingerprint = hashlib.sha256(
                json.dumps(dict(account), sort_keys=True).encode()).hexdigest()
            cached = self._creds.get(name)
            creds = cached[1] if cached and cached[0] == fingerprint and not renew else None
            if creds is None:
                try:
                    secret = await asyncio.to_thread(get_secret, name)
                except SecretUnavailable as exc:
                    raise PermanentError(exc.message,
                                         fix=reconnect_fix(name, account)) from exc
                creds = _credentials(account, secret, name)
                self._creds[name] = (fingerprint, creds)
            elif creds.valid:  # google-auth counts a token as invalid 3¾ min before expiry
                return str(creds.token)
            token_uri = str(account.get("token_uri") or TOKEN_URI)
            try:
                await asyncio.to_thread(_refresh, creds)
            except Exception as exc:
                self._creds.pop(name, None)
                raise _explain_refresh(exc, name, token_uri, account) from exc
            self.refreshes += 1
            return str(creds.token)

    def forget(self, name: str | None = None) -> None:
        """Drop cached credentials (all with None), e.g. after the account changed."""
        if name is None:
            self._creds.clear()
        else:
            self._creds.pop(name, None)


def tokens_of(shared: dict[str, Any]) -> GoogleTokens:
    """The engine's one GoogleTokens, kept in the services' shared store."""
    tokens = shared.get("google.tokens")
    if tokens is None:
        tokens = shared["google.tokens"] = GoogleTokens()
    return tokens
