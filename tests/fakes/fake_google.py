"""A fake Google over real HTTP on 127.0.0.1: the token endpoint, the consent page, Sheets v4.

* `POST /token`: the JWT-bearer grant of service accounts (the assertion's RS256
  signature is checked with the account's public key, and its iss/aud/scope/exp),
  the refresh-token grant and the authorization-code grant (PKCE S256 checked).
  Errors answer like Google's: 400 `{"error": "invalid_grant", ...}`.
* `GET /o/oauth2/auth`: the consent page. No browser: whoever opens it gets a 302
  to the loopback `redirect_uri` with `code` and `state` (or `error` when told to deny).
* Sheets v4: spreadsheet metadata, `values` get / update / `:append` / `:clear` /
  `:batchGet`. Bearer tokens are checked (unknown or expired → 401), so are
  `valueInputOption`, the range and the body shape. Rows are kept per tab; USER_ENTERED
  turns "0912" into the number 912 like Sheets does, RAW keeps text, "" empties a cell.
  Errors use Google's JSON (`{"error": {"code", "message", "status"}}`), a missing tab is
  400 "Unable to parse range", and appends race like the real thing: two at once may
  land on one row.
* A person at the sheet: `move_column`, `swap_columns`, `delete_column`,
  `insert_column` change every row at once, as dragging a column in Sheets does, and
  `before(kind, action)` runs such a change just before the fake applies its next
  request of a kind, so a test puts it at an exact moment. `calls` records each Sheets
  request (method, range, query, body).

Runs in its own thread with its own event loop, so a test, a `bellhop serve`
subprocess, the window's engine thread or a benchmark can all talk to it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from google.auth import jwt

from fakes.fake_sheets_cells import (
    clear_cells,
    column_letters,
    entered,
    formatted,
    make_service_account_key,
    parse_range,
    quote_tab,
    rearrange_columns,
    trim,
    write_cells,
)

SCOPE = "https://www.googleapis.com/auth/spreadsheets"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CALL = web.RequestKey("call", dict)  # the request's entry in FakeGoogle.calls
STATUS_TEXT = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
               404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
               503: "UNAVAILABLE"}


@dataclass
class Spreadsheet:
    """A spreadsheet: tabs of rows, and who may edit it."""

    title: str
    tabs: dict[str, list[list[Any]]]
    editors: set[str]


@dataclass
class Token:
    """An access token the fake gave out."""

    principal: str  # the service account's email, or the OAuth user
    expires: float


@dataclass
class FakeGoogle:
    """The fake; `start()` serves it, `url` is its address, `stop()` ends it."""

    expires_in: int = 3600
    append_delay: float = 0.005  # between finding the table's end and writing (a race window)
    public_keys: dict[str, str] = field(default_factory=dict)  # service account email → PEM
    clients: dict[str, str] = field(default_factory=dict)  # OAuth client id → secret
    spreadsheets: dict[str, Spreadsheet] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    refresh_tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # → client, user
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    fail_next: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    consent: str = "allow"  # or "deny"
    oauth_user: str = "owner@example.com"
    grants: list[str] = field(default_factory=list)  # grant types served, in order
    requests: list[tuple[str, str]] = field(default_factory=list)  # Sheets (method, path)
    calls: list[dict[str, Any]] = field(default_factory=list)  # Sheets, with query and body
    hooks: list[tuple[str, Callable[[], None]]] = field(default_factory=list)  # see before()
    # Google's per-user quotas: at most this many write (read) requests in any
    # `quota_window` seconds, else 429 RESOURCE_EXHAUSTED, as Sheets answers. None: no limit.
    write_quota: int | None = None
    read_quota: int | None = None
    quota_window: float = 60.0
    served: dict[tuple[str, bool], list[float]] = field(default_factory=dict)  # → times
    refused_for_quota: int = 0

    def __post_init__(self) -> None:
        self.url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._lock = threading.Lock()

    # -- set-up by tests ----------------------------------------------------------------

    def add_service_account(self, email: str) -> dict[str, Any]:
        """A new service account the fake trusts; returns its key file data."""
        key, public = make_service_account_key(email, f"{self.url}/token")
        self.public_keys[email] = public
        return key

    def add_spreadsheet(self, spreadsheet_id: str, tabs: dict[str, list[list[Any]]],
                        editors: set[str], title: str = "Shop") -> Spreadsheet:
        """A spreadsheet with tabs of rows that `editors` may edit."""
        sheet = Spreadsheet(title, {name: [list(r) for r in rows] for name, rows in tabs.items()},
                            set(editors))
        self.spreadsheets[spreadsheet_id] = sheet
        return sheet

    def most_in_window(self, write: bool = True) -> int:
        """The most requests (writes or reads) served in any `quota_window`, all users."""
        times = sorted(t for (_, w), ts in self.served.items() if w == write for t in ts)
        most, first = 0, 0
        for last, moment in enumerate(times):
            while moment - times[first] >= self.quota_window:
                first += 1
            most = max(most, last - first + 1)
        return most

    def rows(self, spreadsheet_id: str, tab: str) -> list[list[Any]]:
        """A tab's rows as stored (numbers as numbers, empty cells as None)."""
        return [list(row) for row in self.spreadsheets[spreadsheet_id].tabs[tab]]

    def before(self, kind: str, action: Callable[[], None]) -> None:
        """Run `action` once, just before the fake applies its next request of `kind`
        ("get", "append", "update" or "clear"), e.g. a person moving a column right then."""
        self.hooks.append((kind, action))

    def _hook(self, kind: str) -> None:
        for index, (wanted, action) in enumerate(self.hooks):
            if wanted == kind:
                del self.hooks[index]
                action()
                return

    def _width(self, spreadsheet_id: str, tab: str) -> int:
        return max((len(row) for row in self.spreadsheets[spreadsheet_id].tabs[tab]), default=0)

    def move_column(self, spreadsheet_id: str, tab: str, source: int, to: int) -> None:
        """A person drags column `source` (0 for A) so that it becomes column `to`."""
        order: list[int | None] = list(range(max(self._width(spreadsheet_id, tab),
                                                 source + 1, to + 1)))
        order.insert(to, order.pop(source))
        rearrange_columns(self.spreadsheets[spreadsheet_id].tabs[tab], order)

    def swap_columns(self, spreadsheet_id: str, tab: str, first: int, second: int) -> None:
        """A person swaps two columns (two drags), headers and cells together."""
        order: list[int | None] = list(range(max(self._width(spreadsheet_id, tab),
                                                 first + 1, second + 1)))
        order[first], order[second] = order[second], order[first]
        rearrange_columns(self.spreadsheets[spreadsheet_id].tabs[tab], order)

    def delete_column(self, spreadsheet_id: str, tab: str, index: int) -> None:
        """A person deletes a column: the columns right of it move one to the left."""
        order: list[int | None] = [i for i in range(self._width(spreadsheet_id, tab))
                                   if i != index]
        rearrange_columns(self.spreadsheets[spreadsheet_id].tabs[tab], order)

    def insert_column(self, spreadsheet_id: str, tab: str, index: int,
                      header: str | None = None) -> None:
        """A person inserts an empty column before column `index`, maybe naming it."""
        order: list[int | None] = list(range(self._width(spreadsheet_id, tab)))
        order.insert(index, None)
        table = self.spreadsheets[spreadsheet_id].tabs[tab]
        rearrange_columns(table, order)
        if header is not None:
            write_cells(table, 0, index, [header])

    def expire_tokens(self) -> None:
        """Every access token given so far stops working (Google answers 401)."""
        for token in self.tokens.values():
            token.expires = 0.0

    def revoke_refresh_tokens(self) -> None:
        """Signed-in users must sign in again."""
        self.refresh_tokens.clear()

    # -- serving ------------------------------------------------------------------------

    def start(self) -> FakeGoogle:
        """Serve on 127.0.0.1 at a free port in a background thread."""
        ready = threading.Event()

        def serve() -> None:
            loop = self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._runner = web.AppRunner(self._app(), access_log=None)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-google", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        """Stop serving and join the thread."""
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/token", self._token)
        app.router.add_get("/o/oauth2/auth", self._authorize)
        app.router.add_get("/v4/spreadsheets/{id}", self._metadata)
        app.router.add_get("/v4/spreadsheets/{id}/values:batchGet", self._batch_get)
        app.router.add_get("/v4/spreadsheets/{id}/values/{range}", self._get_values)
        app.router.add_put("/v4/spreadsheets/{id}/values/{range}", self._update_values)
        app.router.add_post("/v4/spreadsheets/{id}/values/{range}", self._post_values)
        return app

    # -- tokens -------------------------------------------------------------------------

    def _give_token(self, principal: str, **extra: Any) -> web.Response:
        token = "ya29." + secrets.token_urlsafe(24)
        self.tokens[token] = Token(principal, time.time() + self.expires_in)
        return web.json_response({"access_token": token, "expires_in": self.expires_in,
                                  "token_type": "Bearer", "scope": SCOPE, **extra})

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        grant = str(form.get("grant_type", ""))
        self.grants.append(grant)
        if grant == JWT_GRANT:
            return self._jwt_grant(str(form.get("assertion", "")))
        if grant == "refresh_token":
            client, secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
            known = self.refresh_tokens.get(str(form.get("refresh_token", "")))
            if self.clients.get(client) != secret:
                return _oauth_error("invalid_client", "The OAuth client was not found.", 401)
            if known is None or known[0] != client:
                return _oauth_error("invalid_grant", "Token has been expired or revoked.")
            return self._give_token(known[1])
        if grant == "authorization_code":
            return self._code_grant(form)
        return _oauth_error("unsupported_grant_type", f"Invalid grant_type: {grant}")

    def _jwt_grant(self, assertion: str) -> web.Response:
        try:
            unverified = jwt.decode(assertion, verify=False)
            public = self.public_keys[unverified["iss"]]
            # Google wants its own token endpoint as the audience, whatever address the
            # assertion is posted to (google-auth always sets it so).
            claims = jwt.decode(assertion, certs=public, audience=GOOGLE_TOKEN_URI)
        except (KeyError, ValueError) as exc:
            return _oauth_error("invalid_grant", f"Invalid JWT Signature. ({exc})")
        if SCOPE not in str(claims.get("scope", "")).split():
            return _oauth_error("invalid_scope", "Invalid OAuth scope or ID token audience.")
        if not 0 < claims["exp"] - claims["iat"] <= 3600:
            return _oauth_error("invalid_grant", "Invalid JWT: exp too far from iat.")
        return self._give_token(claims["iss"])

    def _code_grant(self, form: Any) -> web.Response:
        pending = self.codes.pop(str(form.get("code", "")), None)
        if pending is None:
            return _oauth_error("invalid_grant", "Malformed auth code.")
        if self.clients.get(str(form.get("client_id", ""))) != form.get("client_secret") or \
                pending["client_id"] != form.get("client_id"):
            return _oauth_error("invalid_client", "Unauthorized", 401)
        if pending["redirect_uri"] != form.get("redirect_uri"):
            return _oauth_error("redirect_uri_mismatch", "Bad Request")
        digest = hashlib.sha256(str(form.get("code_verifier", "")).encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != pending["challenge"]:
            return _oauth_error("invalid_grant", "Invalid code verifier.")
        refresh = "1//" + secrets.token_urlsafe(32)
        self.refresh_tokens[refresh] = (pending["client_id"], self.oauth_user)
        return self._give_token(self.oauth_user, refresh_token=refresh)

    async def _authorize(self, request: web.Request) -> web.Response:
        query = request.query
        redirect = query.get("redirect_uri", "")
        if query.get("client_id") not in self.clients:
            return web.Response(status=401, text="Error 401: invalid_client")
        if not re.match(r"^http://127\.0\.0\.1:\d+/$", redirect):
            return web.Response(status=400, text="Error 400: redirect_uri_mismatch")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge") \
                or query.get("response_type") != "code" or SCOPE not in query.get("scope", ""):
            return web.Response(status=400, text="Error 400: invalid_request")
        if self.consent != "allow":
            target = {"error": "access_denied", "state": query.get("state", "")}
        else:
            code = "4/" + secrets.token_urlsafe(24)
            self.codes[code] = {"client_id": query["client_id"], "redirect_uri": redirect,
                                "challenge": query["code_challenge"]}
            target = {"code": code, "state": query.get("state", ""), "scope": SCOPE}
        raise web.HTTPFound(f"{redirect}?{urlencode(target)}")

    # -- Sheets -------------------------------------------------------------------------

    def _check(self, request: web.Request) -> tuple[Spreadsheet | None, web.Response | None]:
        """The spreadsheet asked for, or the error answer Google would give."""
        self.requests.append((request.method, request.path))
        call: dict[str, Any] = {"method": request.method, "path": request.path,
                                "range": request.match_info.get("range", ""),
                                "query": dict(request.query), "body": None}
        self.calls.append(call)
        request[CALL] = call
        if self.fail_next:
            status, headers = self.fail_next.pop(0)
            kind = "Read" if request.method == "GET" else "Write"
            return None, _api_error(status, f"Quota exceeded for quota metric '{kind} requests' "
                                    f"and limit '{kind} requests per minute per user'."
                                    if status == 429 else "Internal error encountered.",
                                    headers)
        auth = request.headers.get("Authorization", "")
        token = self.tokens.get(auth.removeprefix("Bearer ")) if auth.startswith("Bearer ") \
            else None
        if token is None or token.expires < time.time():
            return None, _api_error(401, "Request had invalid authentication credentials. "
                                    "Expected OAuth 2 access token, login cookie or other "
                                    "valid authentication credential.")
        write = request.method != "GET"
        quota = self.write_quota if write else self.read_quota
        now = time.monotonic()
        times = self.served.setdefault((token.principal, write), [])
        if quota is not None and sum(1 for t in times if now - t < self.quota_window) >= quota:
            self.refused_for_quota += 1
            kind = "Write" if write else "Read"
            return None, _api_error(429, f"Quota exceeded for quota metric '{kind} requests' "
                                    f"and limit '{kind} requests per minute per user' of "
                                    "service 'sheets.googleapis.com'.")
        times.append(now)
        sheet = self.spreadsheets.get(request.match_info["id"])
        if sheet is None:
            return None, _api_error(404, "Requested entity was not found.")
        if token.principal not in sheet.editors:
            return None, _api_error(403, "The caller does not have permission")
        return sheet, None

    async def _metadata(self, request: web.Request) -> web.Response:
        sheet, error = self._check(request)
        if sheet is None:
            return error  # type: ignore[return-value]
        return web.json_response({
            "spreadsheetId": request.match_info["id"], "properties": {"title": sheet.title},
            "sheets": [{"properties": {"sheetId": i, "title": name, "index": i}}
                       for i, name in enumerate(sheet.tabs)]})

    def _read(self, sheet: Spreadsheet, text: str) -> dict[str, Any] | web.Response:
        parsed = parse_range(sheet.tabs, text)
        if parsed is None:
            return _api_error(400, f"Unable to parse range: {text}")
        tab, first_col, first_row, last_col, last_row = parsed
        rows = sheet.tabs[tab][first_row:last_row]
        values = [[formatted(cell) for cell in row[first_col:last_col]] for row in rows]
        values = [trim(row) for row in values]
        while values and not values[-1]:
            values.pop()
        answer: dict[str, Any] = {"range": text, "majorDimension": "ROWS"}
        if values:
            answer["values"] = values
        return answer

    async def _get_values(self, request: web.Request) -> web.Response:
        sheet, error = self._check(request)
        if sheet is None:
            return error  # type: ignore[return-value]
        self._hook("get")
        answer = self._read(sheet, request.match_info["range"])
        return answer if isinstance(answer, web.Response) else web.json_response(answer)

    async def _batch_get(self, request: web.Request) -> web.Response:
        sheet, error = self._check(request)
        if sheet is None:
            return error  # type: ignore[return-value]
        self._hook("get")
        ranges = []
        for text in request.query.getall("ranges", []):
            answer = self._read(sheet, text)
            if isinstance(answer, web.Response):
                return answer
            ranges.append(answer)
        return web.json_response({"spreadsheetId": request.match_info["id"],
                                  "valueRanges": ranges})

    def _body_rows(self, request: web.Request, body: Any, text: str) -> list[list[Any]] | \
            web.Response:
        option = request.query.get("valueInputOption")
        if option not in ("RAW", "USER_ENTERED"):
            return _api_error(400, "'valueInputOption' is required but not specified"
                              if option is None else f"Invalid valueInputOption: {option}")
        if not isinstance(body, dict) or not isinstance(body.get("values"), list) or not all(
                isinstance(row, list) for row in body["values"]):
            return _api_error(400, "Invalid JSON payload received. 'values' must be a list "
                              "of rows.")
        if body.get("range") not in (None, text):
            return _api_error(400, f"Requested writing within range [{text}], but tried "
                              f"writing to [{body.get('range')}]")
        return [[entered(cell, option) for cell in row] for row in body["values"]]

    async def _update_values(self, request: web.Request) -> web.Response:
        sheet, error = self._check(request)
        if sheet is None:
            return error  # type: ignore[return-value]
        text = request.match_info["range"]
        parsed = parse_range(sheet.tabs, text)
        if parsed is None:
            return _api_error(400, f"Unable to parse range: {text}")
        body = request[CALL]["body"] = await request.json()
        rows = self._body_rows(request, body, text)
        if isinstance(rows, web.Response):
            return rows
        self._hook("update")
        tab, first_col, first_row, _, _ = parsed
        for offset, row in enumerate(rows):
            write_cells(sheet.tabs[tab], first_row + offset, first_col, row)
        return web.json_response({"spreadsheetId": request.match_info["id"],
                                  "updatedRange": text, "updatedRows": len(rows)})

    async def _post_values(self, request: web.Request) -> web.Response:
        text = request.match_info["range"]
        if text.endswith(":clear"):
            return await self._clear(request, text.removesuffix(":clear"))
        if not text.endswith(":append"):
            return _api_error(404, "Not found")
        return await self._append(request, text.removesuffix(":append"))

    async def _clear(self, request: web.Request, text: str) -> web.Response:
        sheet, error = self._check(request)
        if sheet is None:
            return error  # type: ignore[return-value]
        parsed = parse_range(sheet.tabs, text)
        if parsed is None:
            return _api_error(400, f"Unable to parse range: {text}")
        self._hook("clear")
        tab, first_col, first_row, last_col, last_row = parsed
        clear_cells(sheet.tabs[tab], first_row, first_col, last_row, last_col)
        return web.json_response({"spreadsheetId": request.match_info["id"],
                                  "clearedRange": text})

    async def _append(self, request: web.Request, text: str) -> web.Response:
        sheet, error = self._check(request)
        if sheet is None:
            return error  # type: ignore[return-value]
        parsed = parse_range(sheet.tabs, text)
        if parsed is None:
            return _api_error(400, f"Unable to parse range: {text}")
        if request.query.get("insertDataOption") not in (None, "INSERT_ROWS", "OVERWRITE"):
            return _api_error(400, "Invalid insertDataOption")
        body = request[CALL]["body"] = await request.json()
        rows = self._body_rows(request, body, text)
        if isinstance(rows, web.Response):
            return rows
        self._hook("append")  # a person's edit that Sheets applies just before this append
        tab = parsed[0]
        table = sheet.tabs[tab]
        end = len(table)
        while end and not any(cell not in (None, "") for cell in table[end - 1]):
            end -= 1
        await asyncio.sleep(self.append_delay)  # Sheets finds the end, then writes: a race
        for offset, row in enumerate(rows):
            write_cells(table, end + offset, 0, row)
        width = max((len(row) for row in rows), default=0)
        last = column_letters(max(width, 1) - 1)
        updated = f"{quote_tab(tab)}!A{end + 1}:{last}{end + len(rows)}"
        return web.json_response({
            "spreadsheetId": request.match_info["id"],
            "tableRange": f"{quote_tab(tab)}!A1:{last}{end}",
            "updates": {"spreadsheetId": request.match_info["id"], "updatedRange": updated,
                        "updatedRows": len(rows), "updatedColumns": width,
                        "updatedCells": sum(1 for row in rows for c in row if c is not None)}})


def _oauth_error(error: str, description: str, status: int = 400) -> web.Response:
    return web.json_response({"error": error, "error_description": description}, status=status)


def _api_error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": status, "message": message,
                                        "status": STATUS_TEXT.get(status, "UNKNOWN")}},
                             status=status, headers=headers)


if __name__ == "__main__":  # a fake to point a hand-made accounts.json at
    fake = FakeGoogle().start()
    print(json.dumps({"url": fake.url}), flush=True)
    threading.Event().wait()
