"""The 'Add a row to Google Sheets' card: one row under the matching headers of a tab.

A person may move, insert or delete columns while Bellhop adds a row, and Google has no
"append only if the headers are still these": a values.append writes at column positions.
So the card appends under the headers it last saw, then reads the header row once more
(a read: Google counts reads apart from the 60 writes a minute). Columns move with their
cells, so if our columns sit where they sat, the row went under the right headers; if
not, the rows are written again in place, every cell of them, for the headers as they
are now (a person's move after the append left them right, and writing them again
changes nothing), and that is checked the same way. Rows whose columns keep moving, or
whose column was deleted, are emptied rather than left under the wrong headers, and the
step fails saying which columns. Not caught: a column moved and moved back between the
append and the look after it, within one trip to Google.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, TypeVar

from pydantic import field_validator
from pydantic_core import PydanticCustomError

from bellhop.actions.append_file import merge_header
from bellhop.core.cards import ActionType, StepConfig, field
from bellhop.core.errors import PermanentError, StepError, TransientError, edit_card
from bellhop.core.i18n import N_, _
from bellhop.core.running.sentences import quoted
from bellhop.core.services.google import tokens_of
from bellhop.core.services.sheets import (
    MissingTab,
    SheetsApi,
    cell_range,
    column_letters,
    quotas_of,
    spreadsheet_id,
)
from bellhop.core.stepcontext import StepContext

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# Seconds a tab's header row is trusted without reading it again: the rows of one burst
# share one look, while a row after a pause reads the headers again, so columns that a
# person moved in the sheet are followed (at 60 s a moved column took the next minute's
# rows under the wrong headers). Google counts reads apart from writes, so the extra
# look costs no row of the write quota; it adds one trip to Google, after the answer. The
# look after each append (see add_rows) counts as a fresh one.
HEADER_TTL = 5.0
VALUE_INPUT = {"typed": "USER_ENTERED", "text": "RAW"}
# Once rows are in, the step must not be tried again as a whole (they would be added twice):
# a passing problem of the calls after the append (the look at the headers, a repair) is
# waited out here, Google's Retry-After first, else 1 s, 2 s.
AFTER_APPEND_TRIES = 3
AFTER_APPEND_DELAY = 1.0
AFTER_APPEND_WAIT_MOST = 30.0
MAX_REPAIRS = 2  # writes of rows whose columns keep moving before they are emptied instead
_T = TypeVar("_T")


class AppendSheetConfig(StepConfig):
    """What the 'Add a row to Google Sheets' card needs."""

    type: Literal["append_sheet"] = "append_sheet"
    account: str = field(label=N_("Google account"), widget="account:google",
                         min_length=1)
    spreadsheet: str = field(
        label=N_("Spreadsheet"), min_length=1,
        help=N_("Paste the spreadsheet's address from your browser (or its ID)."))
    sheet: str = field("Sheet1", label=N_("Tab"),
                       help=N_("The tab's name at the bottom of the spreadsheet."))
    columns: dict[str, str] = field(
        label=N_("Columns"), template=True, widget="columns", min_length=1,
        help=N_("Column header → value. Columns you leave out stay empty."))
    values: Literal["typed", "text"] = field(
        "typed", label=N_("Write values"),
        help=N_("'typed': as if you typed them, so dates and numbers become real dates and "
                "numbers. 'text': exactly as they are, so phone numbers like 0912… keep "
                "their leading 0."))
    add_missing_columns: bool = field(
        False, label=N_("Add missing columns"),
        help=N_("Add a header the tab does not have at the end of the first row, instead of "
                "stopping."))

    @field_validator("columns")
    @classmethod
    def _headers_not_blank(cls, columns: dict[str, str]) -> dict[str, str]:
        if any(not name.strip() for name in columns):
            raise PydanticCustomError("blank_header", _("every column needs a header name"))
        return {name.strip(): template for name, template in columns.items()}


def _as_typed(template: str, value: str) -> str:
    """Event data that Sheets could take for a formula ('=…', or '+…', '-…', '@…' that is
    not a number) is kept as text, unless the rule itself wrote the formula. The leading
    apostrophe tells Sheets 'text'; it is not shown in the cell."""
    if template.lstrip().startswith("="):
        return value
    if value.startswith("=") or (value.startswith(("+", "-", "@")) and not _NUMBER.match(value)):
        return "'" + value
    return value


class HeaderCache:
    """Header rows by (account, spreadsheet, tab), trusted for HEADER_TTL seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._rows: dict[tuple[str, str, str], tuple[float, list[str]]] = {}
        self.reads = 0  # header rows read from Google (tests look)
        self.clock = clock

    async def get(self, api: SheetsApi, spreadsheet: str, sheet: str,
                  fresh: bool = False) -> tuple[list[str], bool]:
        """(header row, whether it came from the cache)."""
        key = (api.name, spreadsheet, sheet)
        cached = self._rows.get(key)
        if cached and not fresh and self.clock() - cached[0] < HEADER_TTL:
            return list(cached[1]), True
        header = await api.header(spreadsheet, sheet)
        self.reads += 1
        self.put(api, spreadsheet, sheet, header)
        return list(header), False

    def put(self, api: SheetsApi, spreadsheet: str, sheet: str, header: list[str]) -> None:
        """Remember a header row as it is now."""
        self._rows[(api.name, spreadsheet, sheet)] = (self.clock(), list(header))

    def forget(self, api: SheetsApi, spreadsheet: str, sheet: str) -> None:
        """Drop a header row, e.g. after the tab turned out not to exist."""
        self._rows.pop((api.name, spreadsheet, sheet), None)


def header_cache(shared: dict[str, Any]) -> HeaderCache:
    """The engine's one HeaderCache."""
    cache = shared.get("sheets.headers")
    if cache is None:
        cache = shared["sheets.headers"] = HeaderCache()
    return cache


async def _missing_tab(api: SheetsApi, spreadsheet: str, sheet: str,
                       error: PermanentError) -> PermanentError:
    """The tab-not-found error, naming the tabs the spreadsheet has."""
    try:
        names = await api.tabs(spreadsheet)
    except Exception:  # the first error is the one that matters
        return error
    return PermanentError(_("The spreadsheet has no tab called '{sheet}'. Its tabs are: {tabs}. "
                            "Fix the tab name in this step (capitals and spaces count).").format(
        sheet=sheet,
        tabs=", ".join(f"'{name}'" for name in names)), fix=edit_card("sheet"))


async def _positions(api: SheetsApi, cache: HeaderCache, spreadsheet: str, sheet: str,
                     config: AppendSheetConfig) -> dict[str, int]:
    """Each configured header's column index, adding missing headers when allowed."""
    wanted = list(config.columns)
    try:
        existing, cached = await cache.get(api, spreadsheet, sheet)
    except MissingTab as exc:
        raise await _missing_tab(api, spreadsheet, sheet, exc) from exc
    header, positions = merge_header(existing, wanted)
    if len(header) > len(existing) and cached:  # someone may have added it since: look again
        existing, __ = await cache.get(api, spreadsheet, sheet, fresh=True)
        header, positions = merge_header(existing, wanted)
    missing = header[len(existing):]
    if missing and not config.add_missing_columns:
        raise PermanentError(_("The sheet '{sheet}' has no column {names}. Add it to the first row "
                               "of the sheet, or turn on 'Add missing "
                               "columns' in this step.").format(
            sheet=sheet,
            names=", ".join(f"'{name}'" for name in missing)), fix=edit_card("add_missing_columns"))
    if missing:
        await api.write_header(spreadsheet, sheet, len(existing), missing)
        cache.put(api, spreadsheet, sheet, header)
    return positions


def _lay_out(values: dict[str, str], positions: dict[str, int], width: int = 0,
             blank: str | None = None) -> list[str | None]:
    """A row with each value at its header's column; the other cells are `blank` (None
    leaves a cell as it is, "" empties it)."""
    row: list[str | None] = [blank] * max(width, max(positions.values()) + 1)
    for name, index in positions.items():
        row[index] = values[name]
    return row


@dataclass
class Placed:
    """Where added rows are, and the columns that moved while they were added."""

    range: str
    moved: list[str]


def _unsure(where: str, reason: str) -> PermanentError:
    """The rows are in, but whether they sit under the right headers is not known."""
    return PermanentError(_("Bellhop added the row ({range}) but could not make sure it sits under "
                            "the right headers: {reason} Look at the row in the sheet; Retry would "
                            "add it a second time.").format(
        range=where or "?", reason=reason))


async def _after_append(call: Callable[[], Awaitable[_T]], where: str) -> _T:
    """A call made once the rows are in: passing problems are waited out here; a lasting
    one fails the step saying where the rows are."""
    tries = 0
    while True:
        tries += 1
        try:
            return await call()
        except StepError as exc:
            if not exc.transient or tries >= AFTER_APPEND_TRIES:
                raise _unsure(where, exc.message) from exc
            wait = exc.retry_after if exc.retry_after is not None else \
                AFTER_APPEND_DELAY * 2 ** (tries - 1)
            await asyncio.sleep(min(wait, AFTER_APPEND_WAIT_MOST))


async def add_rows(api: SheetsApi, cache: HeaderCache, spreadsheet: str, sheet: str,
                   config: AppendSheetConfig, rows: list[dict[str, str]]) -> Placed:
    """Append rows (header name → value) under the tab's headers in one request, then make
    sure they sit under those headers (see the module's docstring): one write and one read
    however many rows, while no column moves. The caller holds the spreadsheet's lock."""
    wanted = list(config.columns)
    value_input = VALUE_INPUT[config.values]
    positions = await _positions(api, cache, spreadsheet, sheet, config)
    answer = await api.append_rows(spreadsheet, sheet, [_lay_out(v, positions) for v in rows],
                                   value_input)
    updates = answer.get("updates") if isinstance(answer.get("updates"), dict) else {}
    where = str(updates.get("updatedRange") or "")
    cells = cell_range(where)
    # Google starts the rows at the first column of the table it finds; if that is not A,
    # no value is where it was meant to be.
    laid = positions if cells is None or cells[0] == 0 else {}
    moved: list[str] = []
    repairs = 0
    while True:
        existing, __ = await _after_append(
            partial(cache.get, api, spreadsheet, sheet, fresh=True), where)
        header, now = merge_header(existing, wanted)
        missing = header[len(existing):]
        if now == laid and not missing:
            return Placed(where, moved)
        moved += [name for name in wanted if name not in moved
                  and (name in missing or now[name] != laid.get(name))]
        if cells is None:
            raise _unsure(where, _("Google Sheets did not say where it put the row."))
        first_row, last_row = cells[1], cells[3]
        if missing and not config.add_missing_columns:
            await _after_append(
                partial(api.clear_rows, spreadsheet, sheet, first_row, last_row), where)
            raise PermanentError(_("The column {names} left the sheet '{sheet}' (deleted or "
                                   "renamed) while Bellhop was adding the row, so Bellhop emptied "
                                   "the row again rather than leave values under the wrong "
                                   "headers. Put the column back in the first row of the sheet, or "
                                   "turn on 'Add missing columns' in this step, then "
                                   "press Retry.").format(
                sheet=sheet, names=", ".join(f"'{name}'" for name in missing)),
                fix=edit_card("add_missing_columns"))
        if repairs == MAX_REPAIRS:
            await _after_append(
                partial(api.clear_rows, spreadsheet, sheet, first_row, last_row), where)
            raise TransientError(_("The columns {names} of the sheet '{sheet}' kept moving while "
                                   "Bellhop was adding the row, so Bellhop emptied the row again "
                                   "rather than leave values under the wrong headers.").format(
                sheet=sheet,
                names=", ".join(f"'{name}'" for name in moved)))
        repairs += 1
        if missing:
            await _after_append(
                partial(api.write_header, spreadsheet, sheet, len(existing), missing), where)
            cache.put(api, spreadsheet, sheet, header)
        # Every cell of the rows as far as any of their values can be: a value laid under
        # the wrong header is overwritten or emptied, wherever the move put it.
        width = max(len(header), cells[2] + 1)
        fixed = [_lay_out(values, now, width, "") for values in rows]
        await _after_append(
            partial(api.write_rows, spreadsheet, sheet, first_row, fixed, value_input), where)
        laid = now


def _row_range(placed: str, index: int) -> str:
    """The range of the `index`-th row of rows Google placed at `placed` ('Orders'!A38:D41)."""
    cells = cell_range(placed)
    if cells is None:
        return placed
    first_col, first_row, last_col, __ = cells
    tab = placed.rsplit("!", 1)[0]
    row = first_row + index + 1
    return f"{tab}!{column_letters(first_col)}{row}:{column_letters(last_col)}{row}"


def destination(config: AppendSheetConfig) -> str | None:
    """Rows for one tab of one spreadsheet, through one account, go in arrival order.
    None for an address that is no spreadsheet's: the step says so when it runs."""
    try:
        spreadsheet = spreadsheet_id(config.spreadsheet)
    except StepError:
        return None
    return "sheets:" + "\x1f".join((config.account, spreadsheet,
                                     config.sheet.strip() or "Sheet1"))


async def run(ctx: StepContext, config: AppendSheetConfig) -> dict[str, Any]:
    """Render the row and hand it to the tab's writer: the rows waiting for the tab go in
    one append, in the order their events arrived, within the account's quota."""
    account = ctx.account(config.account, "google")
    try:
        spreadsheet = spreadsheet_id(config.spreadsheet)
    except PermanentError as exc:
        exc.fix = edit_card("spreadsheet")
        raise
    sheet = config.sheet.strip() or "Sheet1"
    typed = config.values == "typed"
    values = {}
    for name, template in config.columns.items():
        value = ctx.render(template, _("Column '{name}'").format(name=name), field="columns")
        values[name] = _as_typed(template, value) if typed else value
    shared = ctx.services.shared
    api = SheetsApi(ctx.http, config.account, account, tokens_of(shared), quotas_of(shared))
    cache = header_cache(shared)

    async def write(rows: Sequence[dict[str, str]]) -> list[Placed]:
        # Appends to one spreadsheet go one at a time: two at once can land on the same row.
        async with ctx.lock_for("sheets:" + spreadsheet):
            placed = await add_rows(api, cache, spreadsheet, sheet, config, list(rows))
        return [Placed(_row_range(placed.range, i), placed.moved) for i in range(len(rows))]

    # Rows with the same columns and options share an append.
    together = (tuple(config.columns), config.values, config.add_missing_columns)
    placed = await ctx.write_in_order(destination(config), values, write, together)
    output: dict[str, Any] = {"spreadsheet": spreadsheet, "sheet": sheet,
                              "range": placed.range, "columns": values}
    if placed.moved:  # put right after a person moved them: worth a look in Activity
        output["moved_columns"] = placed.moved
    return output


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """'Added row 38 to Orders' (the tab), and whether columns had to be put right."""
    sheet = str(output.get("sheet") or config.get("sheet") or "")
    cells = cell_range(str(output.get("range") or ""))
    if cells is None:
        sentence = _("Added a row to {sheet}").format(sheet=sheet)
    elif cells[1] == cells[3]:
        sentence = _("Added row {row} to {sheet}").format(row=cells[1] + 1, sheet=sheet)
    else:
        sentence = _("Added rows {first} to {last} to {sheet}").format(
            first=cells[1] + 1, last=cells[3] + 1, sheet=sheet)
    moved = output.get("moved_columns")
    if isinstance(moved, list) and moved:
        sentence += ". " + _("The columns {names} moved meanwhile; the row was put under the "
                             "right headers.").format(
            names=", ".join(quoted(str(name)) for name in moved))
    return sentence


ACTION = ActionType(
    type="append_sheet",
    label=N_("Add a row to Google Sheets"),
    description=N_("Adds a row to a tab of a Google Sheets spreadsheet, under its headers."),
    icon="sheet-cloud",
    config_model=AppendSheetConfig,
    run=run,
    destination=destination,
    test_effect=N_("adds the row to the Google spreadsheet for real"),
    describe=describe,
    noun=N_("the sheet"),
)
