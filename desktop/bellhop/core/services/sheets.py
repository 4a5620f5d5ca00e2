"""The few Google Sheets API v4 calls Bellhop makes, over aiohttp, with plain errors."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp

from bellhop.core.errors import (
    PermanentError,
    StepError,
    TransientError,
    edit_card,
    open_account,
    retry_after_seconds,
)
from bellhop.core.i18n import _
from bellhop.core.services.google import (
    API_BASE,
    GoogleTokens,
    reconnect_fix,
    reconnect_message,
    share_hint,
)
from bellhop.core.services.pacing import Budget

TIMEOUT = 30.0  # seconds for one Sheets API call
# Google's quotas for the Sheets API, per user per project: 60 write and 60 read requests a
# minute (300 each per project). Bellhop stays within them; a Workspace project with
# higher quotas may raise them in settings.json (google_writes_per_minute, …_reads_…).
WRITES_PER_MINUTE = 60
READS_PER_MINUTE = 60
QUOTA_WINDOW = 60.0  # seconds
# A 429 or 503 is waited out in the call itself (so rows waiting behind it keep their
# order), Google's truncated exponential backoff: 1 s, 2 s, 4 s … at most 64 s, with jitter.
BUSY_TRIES = 7
BUSY_WAIT_MOST = 64.0
_URL_ID = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_BARE_ID = re.compile(r"^[A-Za-z0-9_-]{10,}$")
_BAD_RANGE = re.compile(r"unable to parse range", re.IGNORECASE)
_CELLS = re.compile(r"!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


class MissingTab(PermanentError):
    """The spreadsheet has no tab of the asked name."""


class _Busy(Exception):
    """Google said 429 (over quota) or 503 (unavailable): the request was not carried out."""

    def __init__(self, error: StepError) -> None:
        super().__init__(error.message)
        self.error = error


def spreadsheet_id(text: str) -> str:
    """The spreadsheet's ID, from the ID itself or the address copied from the browser."""
    text = text.strip()
    found = _URL_ID.search(text)
    if found:
        return found.group(1)
    if _BARE_ID.match(text):
        return text
    raise PermanentError(_("'{text}' is not a Google Sheets address. Open the spreadsheet in your "
                           "browser and copy the whole address (it looks like "
                           "https://docs.google.com/spreadsheets/d/…).").format(
        text=text))


def column_letters(index: int) -> str:
    """A, B, …, Z, AA, … for column index 0, 1, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_range(text: str) -> tuple[int, int, int, int] | None:
    """(first column, first row, last column, last row), 0-based and inclusive, of a range
    Google reports such as "'訂單'!A2:D4"; None if it is not of that form."""
    found = _CELLS.search(text)
    if not found:
        return None
    first_col, first_row, last_col, last_row = found.groups()
    return (_column_index(first_col), int(first_row) - 1,
            _column_index(last_col or first_col), int(last_row or first_row) - 1)


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def a1(sheet: str, cells: str = "") -> str:
    """An A1 range on a tab, the tab's name quoted as Sheets wants ('O''Brien'!A1)."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{cells}" if cells else quoted


def _google_message(data: Any) -> tuple[str, str]:
    """(status, message) out of Google's error JSON ({"error": {"code", "message", "status"}})."""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return str(error.get("status") or ""), str(error.get("message") or "")
    return "", str(data or "")[:200]


@dataclass
class Quotas:
    """The request budgets of each Google account: writes and reads counted apart."""

    writes_per_minute: int = WRITES_PER_MINUTE
    reads_per_minute: int = READS_PER_MINUTE
    window: float = QUOTA_WINDOW
    _budgets: dict[tuple[str, bool], Budget] = field(default_factory=dict)

    def budget(self, account: str, write: bool) -> Budget:
        """The budget of `account`'s writes (or reads)."""
        key = (account, write)
        found = self._budgets.get(key)
        if found is None:
            limit = self.writes_per_minute if write else self.reads_per_minute
            found = self._budgets[key] = Budget(limit, self.window)
        return found


def quotas_of(shared: dict[str, Any]) -> Quotas:
    """The engine's one Quotas (the service sets it from settings; defaults otherwise)."""
    quotas = shared.get("sheets.quotas")
    if quotas is None:
        quotas = shared["sheets.quotas"] = Quotas()
    return quotas


def _busy_wait(tries: int, retry_after: float | None) -> float:
    if retry_after is not None:
        return min(retry_after, BUSY_WAIT_MOST)
    return min(2.0 ** (tries - 1) + random.uniform(0, 1), BUSY_WAIT_MOST)


class SheetsApi:
    """One account's view of the Sheets API: tokens, calls, and errors in plain words."""

    def __init__(self, http: aiohttp.ClientSession, name: str, account: Mapping[str, Any],
                 tokens: GoogleTokens, quotas: Quotas | None = None) -> None:
        self.http = http
        self.name = name
        self.account = account
        self.tokens = tokens
        self.quotas = quotas or Quotas()
        self.base = str(account.get("api_base") or API_BASE).rstrip("/")

    async def call(self, method: str, path: str, *, params: Any = None,
                   body: Any = None, spreadsheet: str = "", sheet: str = "") -> Any:
        """One API call within the account's budget; a 429 or 503 is waited out (up to
        BUSY_TRIES times), a 401 gets a fresh token once, other failures a plain error."""
        busy = 0
        while True:
            try:
                return await self._call_once(method, path, params=params, body=body,
                                             spreadsheet=spreadsheet, sheet=sheet)
            except _Busy as exc:
                busy += 1
                if busy >= BUSY_TRIES:
                    raise exc.error from None
                await asyncio.sleep(_busy_wait(busy, exc.error.retry_after))

    async def _call_once(self, method: str, path: str, *, params: Any, body: Any,
                         spreadsheet: str, sheet: str) -> Any:
        budget = self.quotas.budget(self.name, write=method != "GET")
        renew = False
        while True:
            token = await self.tokens.token(self.name, self.account, renew=renew)
            await budget.take()  # counted as it leaves, as Google counts it as it arrives
            try:
                async with self.http.request(
                    method, f"{self.base}{path}", params=params, json=body,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=aiohttp.ClientTimeout(total=TIMEOUT),
                ) as answer:
                    status = answer.status
                    retry_after = retry_after_seconds(answer.headers.get("Retry-After"))
                    try:
                        data = await answer.json(content_type=None)
                    except ValueError:
                        data = None
            except TimeoutError as exc:
                raise TransientError(_("Google Sheets did not answer within {seconds} "
                                       "seconds.").format(
                    seconds=round(TIMEOUT))) from exc
            except aiohttp.ClientError as exc:
                raise TransientError(_("Could not reach Google Sheets. Check the internet "
                                       "connection.")) from exc
            if status == 401 and not renew:
                renew = True  # the token may have been revoked or expired early: once more
                continue
            if 200 <= status < 300:
                return data
            error = self._explain(status, data, retry_after, spreadsheet, sheet)
            if status in (429, 503):  # not done: the same request again keeps rows in order
                raise _Busy(error)
            raise error

    def _explain(self, status: int, data: Any, retry_after: float | None, spreadsheet: str,
                 sheet: str) -> StepError:
        google_status, message = _google_message(data)
        if status == 401:
            return PermanentError(reconnect_message(self.name),
                                  fix=reconnect_fix(self.name, self.account))
        if status == 403:
            if "has not been used" in message or "is disabled" in message:
                return PermanentError(_("The Google Sheets API is turned off for the Google Cloud "
                                        "project of account '{name}'. Turn it on in Google Cloud "
                                        "Console (APIs & Services → Library → Google Sheets API), "
                                        "wait a minute, then try again.").format(
                    name=self.name))
            who = share_hint(self.account)
            if who:
                return PermanentError(_("The account '{name}' cannot edit this spreadsheet. Open "
                                        "it in Google Sheets, press Share, and add {email} as an "
                                        "Editor.").format(
                    name=self.name, email=who), fix=open_account(self.name))
            return PermanentError(_("The Google account '{name}' cannot edit this spreadsheet. Ask "
                                    "its owner to share it with you as an Editor.").format(
                name=self.name))
        if status == 404:
            return PermanentError(_("Google Sheets cannot find the spreadsheet {id}. Check the "
                                    "address in this step, and that the spreadsheet was not "
                                    "deleted.").format(
                id=spreadsheet), fix=edit_card("spreadsheet"))
        if status == 400 and sheet and _BAD_RANGE.search(message):
            return MissingTab(_("The spreadsheet has no tab called '{sheet}'. Check the tab name "
                                "at the bottom of the spreadsheet (capitals "
                                "and spaces count).").format(
                sheet=sheet), fix=edit_card("sheet"))
        if status in (408, 429) or status >= 500:
            return TransientError(_("Google Sheets is busy or having trouble ({status}). "
                                    "Bellhop will try again.").format(
                status=status),
                                  retry_after=retry_after)
        return PermanentError(_("Google Sheets refused the request ({status} {kind}): "
                                "{message}").format(
            status=status, kind=google_status,
                                 message=message or "?"))

    # -- the calls ------------------------------------------------------------------------

    async def header(self, spreadsheet: str, sheet: str) -> list[str]:
        """The first row of a tab, as text (empty cells as '')."""
        data = await self.call("GET", f"/v4/spreadsheets/{spreadsheet}/values/"
                               f"{quote(a1(sheet, '1:1'), safe='')}",
                               params={"majorDimension": "ROWS"},
                               spreadsheet=spreadsheet, sheet=sheet)
        rows = data.get("values") or [] if isinstance(data, dict) else []
        return [str(cell) for cell in rows[0]] if rows else []

    async def write_header(self, spreadsheet: str, sheet: str, start: int,
                           names: list[str]) -> None:
        """Write header names into row 1 from column index `start` on, as plain text."""
        await self.write_rows(spreadsheet, sheet, 0, [names], "RAW", start=start)

    async def write_rows(self, spreadsheet: str, sheet: str, first_row: int,
                         rows: list[list[Any]], value_input: str, start: int = 0) -> None:
        """Write rows over the cells from row index `first_row`, column index `start` on
        (spreadsheets.values.update); None leaves a cell as it is, "" empties it."""
        width = max((len(row) for row in rows), default=1)
        cells = (f"{column_letters(start)}{first_row + 1}:"
                 f"{column_letters(start + width - 1)}{first_row + len(rows)}")
        await self.call("PUT", f"/v4/spreadsheets/{spreadsheet}/values/"
                        f"{quote(a1(sheet, cells), safe='')}",
                        params={"valueInputOption": value_input},
                        body={"range": a1(sheet, cells), "majorDimension": "ROWS",
                              "values": rows},
                        spreadsheet=spreadsheet, sheet=sheet)

    async def clear_rows(self, spreadsheet: str, sheet: str, first_row: int,
                         last_row: int) -> None:
        """Empty whole rows, row indexes `first_row` to `last_row` (spreadsheets.values.clear):
        the rows stay, blank, wherever their columns have moved."""
        target = a1(sheet, f"{first_row + 1}:{last_row + 1}")
        await self.call("POST", f"/v4/spreadsheets/{spreadsheet}/values/"
                        f"{quote(target, safe='')}:clear", body={},
                        spreadsheet=spreadsheet, sheet=sheet)

    async def append_rows(self, spreadsheet: str, sheet: str, rows: list[list[Any]],
                          value_input: str) -> dict[str, Any]:
        """Add rows under the tab's table in one request (spreadsheets.values.append,
        INSERT_ROWS); Google's answer says where they went (`updates.updatedRange`)."""
        width = max((len(row) for row in rows), default=1)
        target = a1(sheet, f"A1:{column_letters(max(width, 1) - 1)}1")
        data = await self.call("POST", f"/v4/spreadsheets/{spreadsheet}/values/"
                               f"{quote(target, safe='')}:append",
                               params={"valueInputOption": value_input,
                                       "insertDataOption": "INSERT_ROWS"},
                               body={"range": target, "majorDimension": "ROWS", "values": rows},
                               spreadsheet=spreadsheet, sheet=sheet)
        return data if isinstance(data, dict) else {}

    async def _metadata(self, spreadsheet: str) -> tuple[str, list[str]]:
        data = await self.call("GET", f"/v4/spreadsheets/{spreadsheet}",
                               params={"fields": "properties.title,sheets.properties.title"},
                               spreadsheet=spreadsheet)
        if not isinstance(data, dict):
            return "", []
        return (str(data.get("properties", {}).get("title", "")),
                [str(s.get("properties", {}).get("title", "")) for s in data.get("sheets") or []])

    async def tabs(self, spreadsheet: str) -> list[str]:
        """The names of the spreadsheet's tabs, in order."""
        return (await self._metadata(spreadsheet))[1]

    async def describe(self, spreadsheet: str) -> dict[str, Any]:
        """The spreadsheet's title, and each tab with its header row ('Test connection')."""
        title, names = await self._metadata(spreadsheet)
        headers: list[list[str]] = []
        if names:
            ranges = [("ranges", a1(name, "1:1")) for name in names]
            batch = await self.call("GET", f"/v4/spreadsheets/{spreadsheet}/values:batchGet",
                                    params=ranges, spreadsheet=spreadsheet)
            for value_range in batch.get("valueRanges", []) if isinstance(batch, dict) else []:
                rows = value_range.get("values") or []
                headers.append([str(cell) for cell in rows[0]] if rows else [])
        headers += [[]] * (len(names) - len(headers))
        return {"title": title, "tabs": [{"name": name, "headers": header}
                                         for name, header in zip(names, headers, strict=True)]}
