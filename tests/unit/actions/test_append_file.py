"""The 'Add a row to a spreadsheet file' card on real .csv and .xlsx files."""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

if os.name == "posix":
    import pwd

import aiohttp
import pytest
from openpyxl import Workbook, load_workbook

from bellhop.actions import append_file
from bellhop.actions.append_file import ACTION, AppendFileConfig, cell_value, csv_text
from bellhop.core.errors import PermanentError, TransientError
from bellhop.core.stepcontext import FieldRequired, Services, StepContext
from bellhop.core.templating import make_context

EVENT = {
    "body": {"name": "#1001", "total": "1280", "phone": "0912345678", "city": "臺北市",
             "refund": "-3.5", "note": "=HYPERLINK(\"http://evil\")"},
    "query": {}, "headers": {}, "method": "POST", "received_at": "2024-05-01T10:00:00+08:00",
    "event_id": "ev1", "rule": "r", "steps": {},
}
COLUMNS = {"Order": "{{ body.name }}", "Total": "{{ body.total }}", "Phone": "{{ body.phone }}",
           "City": "{{ body.city }}"}


def step_context(home: Path, http: aiohttp.ClientSession) -> StepContext:
    return StepContext(Services(home=home, accounts=dict, http=http), values=make_context(EVENT),
                       rule_name="r", event_id="ev1", step_index=1, step_label="Add a row")


@pytest.fixture
async def ctx(tmp_path: Path) -> AsyncIterator[StepContext]:
    async with aiohttp.ClientSession() as http:
        yield step_context(tmp_path, http)


def config(path: Path | str, columns: dict[str, str] | None = None, **extra: Any
           ) -> AppendFileConfig:
    return AppendFileConfig.model_validate(
        {"type": "append_file", "path": str(path), "columns": columns or COLUMNS, **extra})


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def xlsx_rows(path: Path, sheet: str = "Sheet1") -> list[tuple[Any, ...]]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


async def test_new_csv_gets_bom_header_and_row(ctx: StepContext, tmp_path: Path) -> None:
    path = tmp_path / "sub" / "orders.csv"
    out = await ACTION.run(ctx, config(path))
    assert out == {"path": str(path), "row": 2,
                   "columns": {"Order": "#1001", "Total": "1280", "Phone": "0912345678",
                               "City": "臺北市"}}
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    assert read_csv(path) == [["Order", "Total", "Phone", "City"],
                              ["#1001", "1280", "0912345678", "臺北市"]]


async def test_csv_append_twice(ctx: StepContext, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    await ACTION.run(ctx, config(path))
    out = await ACTION.run(ctx, config(path))
    assert out["row"] == 3
    rows = read_csv(path)
    assert len(rows) == 3 and rows[1] == rows[2]
    assert path.read_bytes().count(codecs.BOM_UTF8) == 1


async def test_csv_matches_existing_headers_in_another_order(
    ctx: StepContext, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("City,Phone,Order,Total,Extra\r\nOld,1,2,3,x\r\n", encoding="utf-8")
    out = await ACTION.run(ctx, config(path))
    assert out["row"] == 3
    assert read_csv(path)[2] == ["臺北市", "0912345678", "#1001", "1280", ""]
    assert not path.read_bytes().startswith(codecs.BOM_UTF8)  # appended, not rewritten


async def test_csv_new_header_added_at_end_and_old_rows_kept(
    ctx: StepContext, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("Order,Total\r\nA-1,10", encoding="utf-8")  # no final line break
    await ACTION.run(ctx, config(path, {"Total": "{{ body.total }}", "City": "{{ body.city }}"}))
    assert read_csv(path) == [["Order", "Total", "City"], ["A-1", "10"], ["", "1280", "臺北市"]]
    assert not list(tmp_path.glob(".*.tmp"))


async def test_csv_keeps_semicolon_files_and_guards_formulas(
    ctx: StepContext, tmp_path: Path
) -> None:
    path = tmp_path / "eu.csv"
    path.write_text("Note;Refund\r\n", encoding="utf-8-sig")
    await ACTION.run(ctx, config(path, {"Note": "{{ body.note }}", "Refund": "{{ body.refund }}"}))
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows == [["Note", "Refund"], ["'=HYPERLINK(\"http://evil\")", "-3.5"]]


async def test_new_xlsx_with_numbers_text_and_chinese(ctx: StepContext, tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    out = await ACTION.run(ctx, config(path, sheet="訂單"))
    assert out["row"] == 2
    assert out["columns"]["Total"] == 1280
    sheet = load_workbook(path)["訂單"]
    assert [c.value for c in sheet[1]] == ["Order", "Total", "Phone", "City"]
    assert sheet["B2"].value == 1280 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == "0912345678" and sheet["C2"].data_type == "s"
    assert sheet["D2"].value == "臺北市"


async def test_xlsx_append_twice_and_match_headers(ctx: StepContext, tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    book = Workbook()
    book.active.title = "Orders"
    book.active.append(["Phone", "Order", "Note"])
    book.active.append(["02-1234", "A-1", "keep me"])
    book.save(path)

    await ACTION.run(ctx, config(path, sheet="Orders"))
    out = await ACTION.run(ctx, config(path, sheet="Orders"))
    assert out["row"] == 4
    assert xlsx_rows(path, "Orders") == [
        ("Phone", "Order", "Note", "Total", "City"),
        ("02-1234", "A-1", "keep me", None, None),
        ("0912345678", "#1001", None, 1280, "臺北市"),
        ("0912345678", "#1001", None, 1280, "臺北市"),
    ]


async def test_xlsx_new_sheet_in_existing_workbook(ctx: StepContext, tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    Workbook().save(path)
    await ACTION.run(ctx, config(path, {"Order": "{{ body.name }}"}, sheet="New"))
    book = load_workbook(path)
    assert book.sheetnames == ["Sheet", "New"]
    assert list(book["New"].iter_rows(values_only=True)) == [("Order",), ("#1001",)]


async def test_xlsx_text_starting_with_equals_is_not_a_formula(
    ctx: StepContext, tmp_path: Path
) -> None:
    path = tmp_path / "notes.xlsx"
    await ACTION.run(ctx, config(path, {"Note": "{{ body.note }}", "Refund": "{{ body.refund }}"}))
    sheet = load_workbook(path).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet["B2"].value == -3.5


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_fifty_concurrent_appends_all_land(
    ctx: StepContext, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"busy{suffix}"
    runs = [ACTION.run(ctx, config(path, {"N": str(n), "Name": "{{ body.city }}"}))
            for n in range(50)]
    outs = await asyncio.gather(*runs)
    assert sorted(out["row"] for out in outs) == list(range(2, 52))
    if suffix == ".csv":
        rows = read_csv(path)
    else:
        rows = [[str(v) for v in row] for row in xlsx_rows(path)]
    assert rows[0] == ["N", "Name"]
    assert sorted(int(row[0]) for row in rows[1:]) == list(range(50))
    assert all(row[1] == "臺北市" for row in rows[1:])


async def test_relative_path_is_in_home_folder(
    ctx: StepContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    out = await ACTION.run(ctx, config("Documents/orders.csv"))
    assert out["path"] == str(tmp_path / "Documents" / "orders.csv")
    assert (tmp_path / "Documents" / "orders.csv").exists()


async def test_unsupported_extension_is_permanent(ctx: StepContext, tmp_path: Path) -> None:
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config(tmp_path / "orders.xls"))
    assert "not to 'orders.xls'" in caught.value.message
    assert not (tmp_path / "orders.xls").exists()


async def test_not_a_workbook_is_permanent_and_left_alone(
    ctx: StepContext, tmp_path: Path
) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip")
    with pytest.raises(PermanentError, match="could not be read as an Excel workbook"):
        await ACTION.run(ctx, config(path))
    assert path.read_text() == "not a zip"


async def test_csv_in_another_encoding_is_permanent(ctx: StepContext, tmp_path: Path) -> None:
    path = tmp_path / "big5.csv"
    path.write_bytes("訂單,金額\r\n".encode("cp950"))
    with pytest.raises(PermanentError, match="CSV UTF-8"):
        await ACTION.run(ctx, config(path))


async def error_in(path: Path) -> str:
    """The card's run on `path` in this process: the permanent error's words."""
    async with aiohttp.ClientSession() as http:
        try:
            await ACTION.run(step_context(path.parent, http), config(path))
        except PermanentError as error:
            return error.message
    return "no error"


def error_as_nobody(path: Path) -> str:
    """The card's run on `path` in a child process that gave up root (if it had it) first.

    Root writes through any permission bits; the child imports as whoever runs the tests
    (the interpreter may sit where `nobody` cannot read), then becomes `nobody`."""
    done = subprocess.run([sys.executable, __file__, str(path)], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits and users (Windows: ACLs)")
def test_folder_not_writable_is_permanent() -> None:
    """A folder its user may not write to; checked as `nobody` when the tests run as root."""
    nobody = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp())  # below the system's temporary folder: `nobody` reaches it
    folder = base / "locked"
    folder.mkdir()
    try:
        if nobody is not None:
            for owned in (base, folder):
                os.chown(owned, nobody.pw_uid, nobody.pw_gid)
        folder.chmod(0o500)
        message = error_as_nobody(folder / "orders.csv")
        assert str(folder / "orders.csv") in message, message
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
        shutil.rmtree(base)


async def test_folder_that_is_a_file_is_permanent(ctx: StepContext, tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("x")
    with pytest.raises(PermanentError) as caught:
        await ACTION.run(ctx, config(tmp_path / "notes" / "orders.xlsx"))
    assert "a file called 'notes' is in the way" in caught.value.message
    assert str(tmp_path / "notes" / "orders.xlsx") in caught.value.message


async def test_file_held_by_another_program_is_transient(
    ctx: StepContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "orders.xlsx"
    Workbook().save(path)

    def refuse(*args: Any) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", refuse)  # what Windows does while Excel has it open
    with pytest.raises(TransientError, match="open in another program"):
        await ACTION.run(ctx, config(path))
    assert not list(tmp_path.glob(".*.tmp"))


async def test_a_required_field_that_is_missing_names_the_column(
        ctx: StepContext, tmp_path: Path) -> None:
    with pytest.raises(FieldRequired) as caught:
        await ACTION.run(ctx, config(tmp_path / "a.csv", {"Email": "{{ body.email | required }}"}))
    assert caught.value.message.startswith("Column 'Email':")
    assert caught.value.fix == ("edit_card", ctx.step_index, "columns")
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("1280", 1280), ("-3.5", -3.5), ("0", 0), ("0.25", 0.25), ("0912345678", "0912345678"),
    ("1,280", "1,280"), ("1e5", "1e5"), ("4111111111111111", "4111111111111111"),
    (" 12", " 12"), ("abc\x00", "abc"),
])
def test_cell_value(text: str, expected: Any) -> None:
    assert cell_value(text) == expected
    assert type(cell_value(text)) is type(expected)


def test_csv_text_guards_formulas_but_not_numbers() -> None:
    assert csv_text("=1+1") == "'=1+1"
    assert csv_text("@SUM(A1)") == "'@SUM(A1)"
    assert csv_text("-3.5") == "-3.5"
    assert csv_text("王") == "王"


def test_config_validation() -> None:
    with pytest.raises(ValueError):
        AppendFileConfig.model_validate({"type": "append_file", "path": "a.csv", "columns": {}})
    with pytest.raises(ValueError):
        AppendFileConfig.model_validate({"type": "append_file", "path": "a.csv",
                                         "columns": {" ": "x"}})
    assert AppendFileConfig.model_validate(
        {"type": "append_file", "path": "a.csv", "columns": {"A": "1"}}).sheet == "Sheet1"


if __name__ == "__main__":  # the child process of error_as_nobody
    # Once as root on a writable file first: what the card imports lazily is imported
    # while the interpreter's own folders can still be read.
    asyncio.run(error_in(Path(sys.argv[1]).parent.parent / "warm-up.csv"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("nobody")
        os.setgroups([])
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)
    print(asyncio.run(error_in(Path(sys.argv[1]))))


# -- a file's cost does not grow with its rows ------------------------------------------------

async def test_csv_appends_do_not_read_the_file_bellhop_wrote_last(
        ctx: StepContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "orders.csv"
    reads: list[Path] = []
    real = append_file._read_shape
    monkeypatch.setattr(append_file, "_read_shape", lambda p: (reads.append(p), real(p))[1])
    outputs = [await ACTION.run(ctx, config(path)) for _ in range(30)]
    assert [out["row"] for out in outputs] == list(range(2, 32))
    assert reads == [path]  # once, to find there was no file; never again
    assert len(read_csv(path)) == 31


async def test_a_csv_changed_by_someone_else_is_read_again(
        ctx: StepContext, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    await ACTION.run(ctx, config(path))
    with path.open("a", encoding="utf-8", newline="") as handle:  # a person adds two rows
        handle.write("#A,1,,\r\n#B,2,,\r\n")
    out = await ACTION.run(ctx, config(path))
    assert out["row"] == 5
    assert [row[0] for row in read_csv(path)] == ["Order", "#1001", "#A", "#B", "#1001"]
    # and a person who adds a column: Bellhop's rows keep to the header as it is now
    rows = read_csv(path)
    rows[0].insert(0, "Note")
    for row in rows[1:]:
        row.insert(0, "")
    path.write_bytes(codecs.BOM_UTF8 + "".join(",".join(r) + "\r\n" for r in rows).encode())
    out = await ACTION.run(ctx, config(path))
    assert out["row"] == 6
    assert read_csv(path)[-1] == ["", "#1001", "1280", "0912345678", "臺北市"]


async def test_a_csv_that_lost_its_last_newline_gets_a_whole_row(
        ctx: StepContext, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"Order,Total,Phone,City\r\n#A,1,,")
    out = await ACTION.run(ctx, config(path))
    assert out["row"] == 3 and read_csv(path)[1:] == [["#A", "1", "", ""],
                                                      ["#1001", "1280", "0912345678", "臺北市"]]


async def test_rows_waiting_for_a_workbook_go_in_one_load_and_save(
        ctx: StepContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "orders.xlsx"
    saves: list[Path] = []
    real = append_file.replace_atomically
    monkeypatch.setattr(append_file, "replace_atomically",
                        lambda p, write: (saves.append(p), real(p, write))[1])
    destination = ctx.services.destinations.get(append_file.destination(config(path)))
    places = [destination.reserve() for _ in range(10)]

    async def one(n: int) -> dict[str, Any]:
        step = StepContext(ctx.services, make_context({**EVENT, "body": {
            **EVENT["body"], "name": f"#{n}"}}), "r", f"ev{n}", 1, "Add a row", place=places[n])
        await asyncio.sleep((10 - n) * 0.002)  # the last run gets there first
        return await ACTION.run(step, config(path))

    outputs = await asyncio.gather(*(one(n) for n in range(10)))
    assert [out["row"] for out in outputs] == list(range(2, 12))
    assert len(saves) == 1  # all ten waited for the first: one save
    sheet = load_workbook(path)["Sheet1"]
    assert [sheet.cell(row=r, column=1).value for r in range(2, 12)] == \
        [f"#{n}" for n in range(10)]


async def test_a_large_csv_is_read_once_then_appended_to_at_its_end(
        ctx: StepContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "orders.csv"
    lines = ["Order,Total,Phone,City"] + [f"#{n},{n},,臺北市" for n in range(100_000)]
    path.write_bytes(codecs.BOM_UTF8 + ("\r\n".join(lines) + "\r\n").encode())
    reads: list[Path] = []
    real = append_file._read_shape
    monkeypatch.setattr(append_file, "_read_shape", lambda p: (reads.append(p), real(p))[1])
    outputs = [await ACTION.run(ctx, config(path)) for _ in range(20)]
    assert [out["row"] for out in outputs] == list(range(100_002, 100_022))
    assert reads == [path]  # the file someone else wrote is read once, not 20 times
    with path.open("rb") as handle:
        handle.seek(-200, os.SEEK_END)
        tail = handle.read().decode("utf-8").splitlines()
    assert tail[-1] == "#1001,1280,0912345678,臺北市"
    assert len(read_csv(path)) == 100_021


async def test_the_result_reads_as_a_sentence_in_both_languages(
        ctx: StepContext, tmp_path: Path) -> None:
    from bellhop.core.i18n import set_language

    csv_config = config(tmp_path / "orders.csv")
    await ACTION.run(ctx, csv_config)
    out = await ACTION.run(ctx, csv_config)
    assert ACTION.describe_result(out, csv_config.model_dump()) == "Added row 3 to orders.csv"
    xlsx_config = config(tmp_path / "orders.xlsx", sheet="訂單")
    out = await ACTION.run(ctx, xlsx_config)
    assert ACTION.describe_result(out, xlsx_config.model_dump()) == \
        "Added row 2 to orders.xlsx, sheet 訂單"
    set_language("zh_TW")
    assert ACTION.describe_result(out, xlsx_config.model_dump()) == \
        "已在 orders.xlsx 的工作表「訂單」新增第 2 列"
