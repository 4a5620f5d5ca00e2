"""The 'Add a row to a spreadsheet file' card: .xlsx via openpyxl, .csv as UTF-8 for Excel."""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import os
import re
from collections import OrderedDict
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import field_validator
from pydantic_core import PydanticCustomError

from bellhop.core.cards import ActionType, StepConfig, field
from bellhop.core.errors import PermanentError, StepError, TransientError, edit_card
from bellhop.core.i18n import N_, _
from bellhop.core.platform.jsonfile import replace_atomically
from bellhop.core.stepcontext import StepContext

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# A plain number: no leading zero (phone numbers, postcodes stay text), at most
# 15 digits before the point (Excel keeps 15 significant digits; longer IDs stay text).
# Control characters an .xlsx cell cannot hold (the same set openpyxl refuses).
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_NUMBER = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d+)?$")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit for one cell

Value = str | int | float
Written = tuple[int, dict[str, Value]]  # row number, and what went into each column


class AppendFileConfig(StepConfig):
    """What the 'Add a row to a spreadsheet file' card needs."""

    type: Literal["append_file"] = "append_file"
    path: str = field(
        label=N_("File"), widget="file", min_length=1,
        help=N_("An .xlsx or .csv file; created with a header row when missing."),
    )
    sheet: str = field(
        "Sheet1", label=N_("Sheet (Excel tab)"),
        help=N_("Ignored for .csv files."),
    )
    columns: dict[str, str] = field(
        label=N_("Columns"), template=True, widget="columns", min_length=1,
        help=N_("Column header → value."),
    )

    @field_validator("columns")
    @classmethod
    def _headers_not_blank(cls, columns: dict[str, str]) -> dict[str, str]:
        if any(not name.strip() for name in columns):
            raise PydanticCustomError("blank_header", _("every column needs a header name"))
        return {name.strip(): template for name, template in columns.items()}


def resolve_path(text: str) -> Path:
    """`~` expanded; a relative path is taken from the user's home folder."""
    path = Path(text.strip()).expanduser()
    if not path.is_absolute():
        path = Path.home() / path
    return Path(os.path.abspath(path))


def cell_value(text: str) -> Value:
    """A number when the text is a plain number, else the text as Excel can hold it."""
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return _ILLEGAL_CHARACTERS.sub("", text)[:MAX_CELL_TEXT]


def csv_text(text: str) -> str:
    """Text for a CSV cell that Excel will not run as a formula (CSV injection)."""
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def merge_header(existing: list[str], wanted: list[str]) -> tuple[list[str], dict[str, int]]:
    """The header row with missing names added at the end, and each wanted name's column."""
    header = list(existing)
    exact = {name.strip(): i for i, name in reversed(list(enumerate(header)))}
    loose = {name.strip().casefold(): i for i, name in reversed(list(enumerate(header)))}
    positions: dict[str, int] = {}
    for name in wanted:
        index = exact.get(name, loose.get(name.casefold()))
        if index is None:
            index = len(header)
            header.append(name)
        positions[name] = index
    return header, positions


def _csv_bytes(rows: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


@dataclass
class _CsvShape:
    """What Bellhop knows of a CSV file it wrote last: valid while size and time match."""

    size: int
    mtime_ns: int
    header: list[str]
    rows: int  # rows in the file, the header row included
    delimiter: str
    ends_with_newline: bool


# CSV files appended to lately: the next row is added without reading the file again.
# A file changed by anyone else (its size or time differ) is read again, once.
_SHAPES: OrderedDict[Path, _CsvShape] = OrderedDict()
_SHAPES_KEPT = 64


def _remember(path: Path, shape: _CsvShape) -> None:
    _SHAPES[path] = shape
    _SHAPES.move_to_end(path)
    while len(_SHAPES) > _SHAPES_KEPT:
        _SHAPES.popitem(last=False)


def _read_shape(path: Path) -> tuple[_CsvShape, list[list[str]]]:
    """Read the whole file once: its header, row count and delimiter (and its rows)."""
    try:
        raw = path.read_bytes()
        stat = path.stat()
    except FileNotFoundError:
        return _CsvShape(0, 0, [], 0, ",", True), []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PermanentError(
            _("The file {path} is not saved as UTF-8, so Chinese text would be garbled. "
              "Open it in Excel and save it as 'CSV UTF-8', then try again.").format(
                path=path,
            )
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    shape = _CsvShape(stat.st_size, stat.st_mtime_ns, rows[0] if rows else [], len(rows),
                      delimiter, not raw or raw.endswith(b"\n"))
    return shape, rows


def _append_csv(path: Path, batch: list[dict[str, str]]) -> list[Written]:
    """Append rows at the end of the file; rewrite it only when its header row must change.

    The file is read only when Bellhop did not write it last (see _SHAPES): appending
    costs the same at row 100,000 as at row 10."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        stat = None
    shape = _SHAPES.get(path)
    rows: list[list[str]] | None = None
    if shape is None or stat is None or (shape.size, shape.mtime_ns) != (
            stat.st_size, stat.st_mtime_ns):
        shape, rows = _read_shape(path)
    wanted = list(dict.fromkeys(name for values in batch for name in values))
    header, positions = merge_header(shape.header, wanted)
    lines, done = [], []
    for values in batch:
        line = [""] * len(header)
        for name in values:
            line[positions[name]] = csv_text(values[name])
        lines.append(line)
        done.append((shape.rows + len(lines), {name: line[positions[name]] for name in values}))
    if shape.rows and header == shape.header:
        separator = b"" if shape.ends_with_newline else b"\r\n"
        with open(path, "ab") as handle:
            handle.write(separator + _csv_bytes(lines, shape.delimiter))
            handle.flush()
            os.fsync(handle.fileno())
    else:  # a new file, or new columns: the whole file once more, with the header
        if rows is None:
            shape, rows = _read_shape(path)
        all_rows = [header, *rows[1:], *lines]
        data = codecs.BOM_UTF8 + _csv_bytes(all_rows, shape.delimiter)
        replace_atomically(path, lambda handle: handle.write(data))
        done = [(len(rows[1:]) + 1 + n + 1, written) for n, (__, written) in enumerate(done)]
    stat = path.stat()
    _remember(path, _CsvShape(stat.st_size, stat.st_mtime_ns, header,
                              done[-1][0], shape.delimiter, True))
    return done


def _last_used_row(sheet: Worksheet) -> int:
    # max_row also counts rows that only carry formatting: find the last one with data.
    for row in range(sheet.max_row, 0, -1):
        if any(cell.value is not None for cell in sheet[row]):
            return row
    return 0


def _append_xlsx(path: Path, sheet_name: str, batch: list[dict[str, str]]) -> list[Written]:
    """Load the workbook, write the rows under the matching headers, save atomically: one
    load and one save for every row waiting for the workbook."""
    # openpyxl weighs about 14 MB: loaded the first time a workbook is touched, not at start.
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Font

    if path.exists():
        try:
            book = load_workbook(path)
        except OSError:
            raise  # locked or unreadable: the caller explains those
        except Exception as exc:
            raise PermanentError(
                _("The file {path} could not be read as an Excel workbook. Check that it "
                  "opens in Excel, or pick another file.").format(
                    path=path,
                ), fix=edit_card("path")
            ) from exc
    else:
        book = Workbook()
        book.active.title = sheet_name
    sheet = book[sheet_name] if sheet_name in book.sheetnames else book.create_sheet(sheet_name)
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    existing = ["" if value is None else str(value) for value in first]
    while existing and not existing[-1].strip():
        existing.pop()
    wanted = list(dict.fromkeys(name for values in batch for name in values))
    header, positions = merge_header(existing, wanted)
    for index in range(len(existing), len(header)):
        cell = sheet.cell(row=1, column=index + 1, value=header[index])
        cell.data_type = "s"
        if index:
            cell.font = copy(sheet.cell(row=1, column=index).font)
        else:
            cell.font = Font(bold=True)
    row = max(_last_used_row(sheet), 1)
    done: list[Written] = []
    for values in batch:
        row += 1
        written: dict[str, Value] = {}
        for name in values:
            value = cell_value(values[name])
            cell = sheet.cell(row=row, column=positions[name] + 1, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, even when it starts with '='
            written[name] = value
        done.append((row, written))
    replace_atomically(path, book.save)
    return done


def _append_blocking(path: Path, sheet: str, batch: list[dict[str, str]]) -> list[Written]:
    """Do the file work (in a worker thread) and turn OS errors into plain messages."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".csv":
            return _append_csv(path, batch)
        return _append_xlsx(path, sheet, batch)
    except StepError:
        raise
    except PermissionError as exc:
        folder_ok = os.access(path.parent, os.W_OK)
        file_ok = not path.exists() or os.access(path, os.W_OK)
        if folder_ok and file_ok:  # allowed, yet refused: another program holds it
            raise TransientError(
                _("The file is open in another program (Excel?). Close it.")
            ) from exc
        raise PermanentError(
            _("Bellhop is not allowed to write to {path}. Pick a folder you can save "
              "files in, such as Documents.").format(
                path=path,
            ), fix=edit_card("path")
        ) from exc
    except (FileExistsError, NotADirectoryError) as exc:
        blocker = next((p for p in path.parents if p.is_file()), path.parent)
        raise PermanentError(
            _("Bellhop cannot make the folder for {path}: a file called '{name}' is in the way. "
              "Rename or move that file, or pick another place for the spreadsheet.").format(
                path=path, name=blocker.name), fix=edit_card("path")
        ) from exc
    except OSError as exc:
        raise PermanentError(
            _("Could not write to {path}: {reason}.").format(
                path=path, reason=exc.strerror or exc), fix=edit_card("path")
        ) from exc


async def run(ctx: StepContext, config: AppendFileConfig) -> dict[str, Any]:
    """Render the row and add it to the file, one writer per file at a time."""
    path = resolve_path(config.path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise PermanentError(
            _("Bellhop can add rows to .xlsx and .csv files, not to '{name}'. Pick a file "
              "ending in .xlsx (Excel workbook) or .csv.").format(
                name=path.name,
            ), fix=edit_card("path")
        )
    sheet = config.sheet.strip() or "Sheet1"
    if len(sheet) > 31 or _BAD_SHEET_CHARS.search(sheet):
        raise PermanentError(
            _("'{sheet}' cannot be an Excel sheet name: use at most 31 characters and "
              "none of [ ] : * ? / \\.").format(
                sheet=sheet,
            ), fix=edit_card("sheet")
        )
    values = {
        name: ctx.render(template, _("Column '{name}'").format(name=name), field="columns")
        for name, template in config.columns.items()
    }

    async def write(batch: Sequence[dict[str, str]]) -> list[Written]:
        return await asyncio.to_thread(_append_blocking, path, sheet, list(batch))

    # The rows waiting for the file go in one append (a workbook: one load and one save).
    row, written = await ctx.write_in_order(destination(config), values, write, sheet)
    return {"path": str(path), "row": row, "columns": written}


def destination(config: AppendFileConfig) -> str:
    """Rows for one file go in arrival order."""
    return "file:" + str(resolve_path(config.path))


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """'Added row 5 to orders.csv' (with the sheet of a workbook)."""
    path = str(output.get("path") or config.get("path") or "")
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    row = output.get("row")
    if path.lower().endswith(".xlsx"):
        sheet = str(config.get("sheet") or "").strip() or "Sheet1"
        if isinstance(row, int):
            return _("Added row {row} to {file}, sheet {sheet}").format(
                row=row, file=name, sheet=sheet)
        return _("Added a row to {file}, sheet {sheet}").format(file=name, sheet=sheet)
    if isinstance(row, int):
        return _("Added row {row} to {file}").format(row=row, file=name)
    return _("Added a row to {file}").format(file=name)


ACTION = ActionType(
    type="append_file",
    label=N_("Add a row to a spreadsheet file"),
    description=N_("Adds a row to an Excel (.xlsx) or CSV file on this computer."),
    icon="table",
    config_model=AppendFileConfig,
    run=run,
    destination=destination,
    test_effect=N_("writes the row into the file for real"),
    describe=describe,
    noun=N_("the spreadsheet file"),
)
