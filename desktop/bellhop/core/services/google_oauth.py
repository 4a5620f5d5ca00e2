"""'Sign in with Google': the installed-app flow with a loopback redirect and PKCE.

Bellhop listens on 127.0.0.1 at a random port, opens the browser at Google's
consent page, receives the code on the loopback address, checks the state,
and trades the code (with the PKCE verifier) for a refresh token.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import inspect
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.services.google import AUTH_URI, SCOPE, TOKEN_URI

log = logging.getLogger("bellhop.google")
SIGN_IN_TIMEOUT = 300.0  # seconds the person has to finish in the browser
OpenBrowser = Callable[[str], Any]

_DONE_PAGE = """<!doctype html><meta charset="utf-8"><title>Bellhop</title>
<body style="font-family: sans-serif; margin: 3em">
<h2>{title}</h2><p>{text}</p></body>"""


class SignInFailed(BellhopError):
    """Signing in did not give Bellhop a refresh token; the message says why."""


@dataclass(frozen=True)
class SignedIn:
    """What signing in gave: the refresh token, and the first access token."""

    refresh_token: str
    access_token: str
    expires_in: int


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(64)  # 86 characters, within the 43–128 allowed
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def consent_url(auth_uri: str, client_id: str, redirect_uri: str, challenge: str,
                state: str) -> str:
    """The address of Google's consent page for this sign-in."""
    query = urlencode({
        "client_id": client_id, "redirect_uri": redirect_uri, "response_type": "code",
        "scope": SCOPE, "code_challenge": challenge, "code_challenge_method": "S256",
        "state": state, "access_type": "offline", "prompt": "consent"})
    return f"{auth_uri}?{query}"


def _page(title: str, text: str, status: int = 200) -> web.Response:
    return web.Response(status=status, content_type="text/html", charset="utf-8",
                        text=_DONE_PAGE.format(title=title, text=text))


async def _receive_code(state: str, open_browser: OpenBrowser, auth_uri: str, client_id: str,
                        challenge: str, timeout: float) -> tuple[str, str]:
    """Listen on loopback, open the consent page, wait for the code; (code, redirect_uri)."""
    arrived: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def redirected(request: web.Request) -> web.Response:
        if request.query.get("state") != state:  # not our sign-in: ignore it, keep waiting
            return _page("Bellhop", _("This sign-in page is out of date. Go back to Bellhop "
                                      "and press 'Sign in with Google' again."), 400)
        error, code = request.query.get("error"), request.query.get("code")
        if not arrived.done():
            if code:
                arrived.set_result(code)
            else:
                arrived.set_exception(SignInFailed(
                    _("Google did not let Bellhop in ({reason}). Press 'Sign in with Google' "
                      "again and choose Allow.").format(
                        reason=error or "?")))
        if not code:
            return _page("Bellhop", _("Signing in was cancelled. You can close this tab."))
        return _page("Bellhop", _("You are signed in. You can close this tab and go back "
                                  "to Bellhop."))

    app = web.Application()
    app.router.add_get("/", redirected)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        redirect_uri = f"http://127.0.0.1:{port}/"
        url = consent_url(auth_uri, client_id, redirect_uri, challenge, state)
        opened = open_browser(url)
        if inspect.isawaitable(opened):
            await opened
        try:
            code = await asyncio.wait_for(arrived, timeout)
        except TimeoutError as exc:
            raise SignInFailed(_("Signing in was not finished within {minutes} minutes. Press "
                                 "'Sign in with Google' to try again.").format(
                minutes=round(timeout / 60) or 1)) from exc
        return code, redirect_uri
    finally:
        await runner.cleanup()


async def sign_in(http: aiohttp.ClientSession, client_id: str, client_secret: str,
                  open_browser: OpenBrowser, *, auth_uri: str = AUTH_URI,
                  token_uri: str = TOKEN_URI, timeout: float = SIGN_IN_TIMEOUT) -> SignedIn:
    """Run the whole sign-in; `open_browser(url)` shows the consent page (may be async)."""
    if not client_id.strip():
        raise SignInFailed(_("Type the OAuth client ID first: make one in Google Cloud "
                             "Console (Create credentials → OAuth client ID → Desktop app)."))
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    code, redirect_uri = await _receive_code(state, open_browser, auth_uri, client_id.strip(),
                                             challenge, timeout)
    form = {"grant_type": "authorization_code", "code": code, "client_id": client_id.strip(),
            "redirect_uri": redirect_uri, "code_verifier": verifier}
    if client_secret:
        form["client_secret"] = client_secret
    try:
        async with http.post(token_uri, data=form,
                             timeout=aiohttp.ClientTimeout(total=30)) as answer:
            status = answer.status
            data = await answer.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise SignInFailed(_("Could not reach Google's sign-in service ({host}). Check the "
                             "internet connection.").format(
            host=token_uri)) from exc
    if status != 200 or not isinstance(data, dict) or not data.get("refresh_token"):
        log.info("code exchange answered %s: %r", status, data)
        reason = data.get("error_description") or data.get("error") if isinstance(
            data, dict) else status
        raise SignInFailed(_("Google did not finish the sign-in ({reason}). Check the OAuth client "
                             "ID and secret, then try again.").format(
            reason=reason or status))
    return SignedIn(refresh_token=str(data["refresh_token"]),
                    access_token=str(data.get("access_token") or ""),
                    expires_in=int(data.get("expires_in") or 0))
