"""Google accounts: key files, the keychain, tokens, and 'Sign in with Google' against the fake."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from bellhop.core.errors import ConfigError, PermanentError
from bellhop.core.platform import paths
from bellhop.core.platform.accounts import load_accounts, save_accounts
from bellhop.core.platform.secrets import get_secret
from bellhop.core.services import google_oauth, google_setup
from bellhop.core.services.google import (
    GoogleTokens,
    import_service_account,
    oauth_entry,
    oauth_secret,
    parse_service_account_key,
    read_key_file,
)
from bellhop.core.services.google_oauth import SignInFailed, sign_in
from fakes.fake_google import FakeGoogle
from google_kit import HEADER, ROBOT, SHEET_URL, setup_google
from google_kit import fake_google as fake_google  # the fixture

CLIENT_ID = "1234-desktop.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-not-so-secret"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def browser(http: aiohttp.ClientSession, seen: list[str] | None = None) -> Any:
    """Stands in for the person's browser: opens the consent page and follows the redirect."""
    async def open_url(url: str) -> None:
        if seen is not None:
            seen.append(url)
        async with http.get(url) as answer:
            await answer.read()
    return open_url


# -- key files --------------------------------------------------------------------------------

def test_key_files_that_are_not_service_account_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not JSON"):
        parse_service_account_key("this is not json")
    with pytest.raises(ConfigError, match="not an OAuth client file"):
        parse_service_account_key(json.dumps({"installed": {"client_id": "x"}}))
    with pytest.raises(ConfigError, match="has no private_key"):
        parse_service_account_key(json.dumps({"type": "service_account", "client_email": "a@b",
                                              "token_uri": "https://t"}))
    with pytest.raises(ConfigError, match="There is no file"):
        read_key_file(tmp_path / "missing.json")


def test_importing_a_key_keeps_it_in_the_keychain_not_in_a_file(
        home: Path, fake_google: FakeGoogle) -> None:
    key = fake_google.add_service_account(ROBOT)
    entry = import_service_account(home, " shop ", json.dumps(key))
    assert entry == {"kind": "google", "auth": "service_account", "client_email": ROBOT,
                     "token_uri": key["token_uri"], "api_base": "https://sheets.googleapis.com"}
    assert load_accounts(paths.accounts_file(home)) == {"shop": entry}
    assert json.loads(get_secret("shop"))["private_key"] == key["private_key"]
    marker = key["private_key"].splitlines()[1]
    assert not [p for p in home.rglob("*") if p.is_file() and marker in p.read_text()]


def test_importing_keeps_a_changed_api_address_and_refuses_other_kinds(
        home: Path, fake_google: FakeGoogle) -> None:
    save_accounts(paths.accounts_file(home), {
        "shop": {"kind": "google", "auth": "service_account", "api_base": "http://proxy"},
        "mail": {"kind": "smtp", "host": "smtp.example.com"}})
    key = fake_google.add_service_account(ROBOT)
    assert import_service_account(home, "shop", json.dumps(key))["api_base"] == "http://proxy"
    with pytest.raises(ConfigError, match="not a Google account"):
        import_service_account(home, "mail", json.dumps(key))


# -- tokens -----------------------------------------------------------------------------------

async def test_service_account_token_is_cached_and_renewed_on_demand(
        fake_google: FakeGoogle) -> None:
    google = setup_google(fake_google)
    tokens = GoogleTokens()
    first = await tokens.token("google", google.account)
    assert await tokens.token("google", google.account) == first
    renewed = await tokens.token("google", google.account, renew=True)
    assert renewed != first and fake_google.tokens[renewed].principal == ROBOT
    assert tokens.refreshes == 2


async def test_a_signed_in_user_refreshes_and_must_reconnect_once_revoked(
        fake_google: FakeGoogle, memory_keyring: Any) -> None:
    fake_google.clients[CLIENT_ID] = CLIENT_SECRET
    fake_google.refresh_tokens["1//refresh"] = (CLIENT_ID, "owner@example.com")
    memory_keyring.set_password("bellhop", "me", oauth_secret("1//refresh", CLIENT_SECRET))
    account = oauth_entry(CLIENT_ID, token_uri=f"{fake_google.url}/token")
    tokens = GoogleTokens()
    token = await tokens.token("me", account)
    assert fake_google.tokens[token].principal == "owner@example.com"
    assert fake_google.grants == ["refresh_token"]
    fake_google.revoke_refresh_tokens()
    with pytest.raises(PermanentError, match="Reconnect your Google account"):
        await tokens.token("me", account, renew=True)


# -- Sign in with Google ----------------------------------------------------------------------

async def test_sign_in_with_loopback_and_pkce(fake_google: FakeGoogle,
                                              http: aiohttp.ClientSession) -> None:
    fake_google.clients[CLIENT_ID] = CLIENT_SECRET
    seen: list[str] = []
    signed = await sign_in(http, CLIENT_ID, CLIENT_SECRET, browser(http, seen),
                           auth_uri=f"{fake_google.url}/o/oauth2/auth",
                           token_uri=f"{fake_google.url}/token")
    assert fake_google.refresh_tokens[signed.refresh_token] == (CLIENT_ID, "owner@example.com")
    query = parse_qs(urlsplit(seen[0]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert query["scope"] == ["https://www.googleapis.com/auth/spreadsheets"]
    assert len(query["state"][0]) >= 32


async def test_a_wrong_code_verifier_is_refused_by_google(
        fake_google: FakeGoogle, http: aiohttp.ClientSession,
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake_google.clients[CLIENT_ID] = CLIENT_SECRET
    _verifier, challenge = google_oauth.pkce_pair()
    monkeypatch.setattr(google_oauth, "pkce_pair", lambda: ("x" * 64, challenge))
    with pytest.raises(SignInFailed, match="Invalid code verifier"):
        await sign_in(http, CLIENT_ID, CLIENT_SECRET, browser(http),
                      auth_uri=f"{fake_google.url}/o/oauth2/auth",
                      token_uri=f"{fake_google.url}/token")


async def test_a_redirect_with_another_state_is_ignored(
        fake_google: FakeGoogle, http: aiohttp.ClientSession) -> None:
    fake_google.clients[CLIENT_ID] = CLIENT_SECRET
    answers: list[int] = []

    async def forged_then_real(url: str) -> None:
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        async with http.get(f"{redirect}?code=4/forged&state=not-ours") as answer:
            answers.append(answer.status)
        await browser(http)(url)

    signed = await sign_in(http, CLIENT_ID, CLIENT_SECRET, forged_then_real,
                           auth_uri=f"{fake_google.url}/o/oauth2/auth",
                           token_uri=f"{fake_google.url}/token")
    assert answers == [400] and signed.refresh_token.startswith("1//")


async def test_denied_or_unfinished_sign_in_says_what_to_do(
        fake_google: FakeGoogle, http: aiohttp.ClientSession) -> None:
    fake_google.clients[CLIENT_ID] = CLIENT_SECRET
    fake_google.consent = "deny"
    addresses = {"auth_uri": f"{fake_google.url}/o/oauth2/auth",
                 "token_uri": f"{fake_google.url}/token"}
    with pytest.raises(SignInFailed, match="access_denied"):
        await sign_in(http, CLIENT_ID, CLIENT_SECRET, browser(http), **addresses)
    with pytest.raises(SignInFailed, match="not finished within 1 minutes"):
        await sign_in(http, CLIENT_ID, CLIENT_SECRET, lambda url: None, timeout=0.2,
                      **addresses)
    with pytest.raises(SignInFailed, match="OAuth client ID first"):
        await sign_in(http, " ", CLIENT_SECRET, browser(http), **addresses)


async def test_signed_in_account_is_saved_and_can_read_the_sheet(
        home: Path, fake_google: FakeGoogle, http: aiohttp.ClientSession) -> None:
    fake_google.clients[CLIENT_ID] = CLIENT_SECRET
    setup_google(fake_google)
    fake_google.spreadsheets[next(iter(fake_google.spreadsheets))].editors.add(
        "owner@example.com")
    shared: dict[str, Any] = {}
    entry = await google_setup.sign_in_account(
        home, http, shared, "me", CLIENT_ID, CLIENT_SECRET, browser(http),
        auth_uri=f"{fake_google.url}/o/oauth2/auth", token_uri=f"{fake_google.url}/token",
        api_base=fake_google.url)
    assert load_accounts(paths.accounts_file(home))["me"] == entry
    assert "refresh_token" not in json.dumps(entry)
    assert json.loads(get_secret("me"))["client_secret"] == CLIENT_SECRET
    found = await google_setup.describe_sheet(http, shared, "me", entry, SHEET_URL)
    assert found["tabs"] == [{"name": "Orders", "headers": HEADER},
                             {"name": "訂單", "headers": []}]
