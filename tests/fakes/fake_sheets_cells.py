"""The fake Google's cells: ranges in A1 notation, what RAW and USER_ENTERED store, keys."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))(?:!(.*))?$")
_CELLS = re.compile(r"^([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?$")


def make_service_account_key(email: str, token_uri: str) -> tuple[dict[str, Any], str]:
    """A throwaway service-account key file (as JSON data) and its public key (PEM)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    key = {"type": "service_account", "project_id": "bellhop-test",
           "private_key_id": secrets.token_hex(20), "private_key": pem, "client_email": email,
           "client_id": "1234567890", "auth_uri": "https://accounts.google.com/o/oauth2/auth",
           "token_uri": token_uri}
    return key, public


def column_index(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def column_letters(index: int) -> str:
    """A for 0, AA for 26."""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_tab(tab: str) -> str:
    """A tab name as Sheets writes it in ranges (quoted when not a plain word)."""
    return "'" + tab.replace("'", "''") + "'" if re.search(r"[^A-Za-z0-9_]", tab) else tab


def parse_range(tabs: Collection[str], text: str) -> tuple[str, int, int, int, int] | None:
    """(tab, first column, first row, end column, end row) of an A1 range, 0-based, ends
    open; None when Sheets could not parse it (or the tab does not exist)."""
    found = _RANGE.match(text)
    tab = (found.group(1).replace("''", "'") if found.group(1) else found.group(2)) \
        if found else None
    cells = _CELLS.match(found.group(3) or "") if found else None
    if tab not in tabs or cells is None:
        return None
    col1, row1, col2, row2 = cells.groups()
    first_col = column_index(col1) if col1 else 0
    first_row = int(row1) - 1 if row1 else 0
    last_col = column_index(col2) + 1 if col2 else (first_col + 1 if col1 and row1 and
                                                     not cells.group(3) else 10_000)
    last_row = int(row2) if row2 else (first_row + 1 if row1 and not col2 else 10**7)
    if col1 and not row1 and not cells.group(3):  # "A" alone: a whole column
        last_col = first_col + 1
    return tab, first_col, first_row, last_col, last_row


def entered(value: Any, option: str) -> Any:
    """What Sheets stores for a value sent with RAW or USER_ENTERED."""
    if value is None or not isinstance(value, str) or option == "RAW":
        return value
    if value.startswith("'"):
        return value[1:]
    if value.startswith("="):
        return {"formula": value}
    if _NUMBER.match(value.replace(",", "")):
        number = float(value.replace(",", ""))
        return int(number) if number.is_integer() else number
    return value


def formatted(cell: Any) -> str:
    """A cell as FORMATTED_VALUE gives it."""
    if cell is None:
        return ""
    if isinstance(cell, dict):
        return "#NAME?"
    if isinstance(cell, float):
        return f"{cell:g}"
    return str(cell)


def trim(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def _trim_line(line: list[Any]) -> None:
    while line and line[-1] is None:
        line.pop()


def write_cells(table: list[list[Any]], row: int, col: int, values: list[Any]) -> None:
    """Write a row of values from column `col` on: null leaves a cell as it is, "" empties it
    (as Sheets does); a line never ends in empty cells."""
    while len(table) <= row:
        table.append([])
    line = table[row]
    for offset, value in enumerate(values):
        if value is None or (value == "" and len(line) <= col + offset):
            continue
        while len(line) <= col + offset:
            line.append(None)
        line[col + offset] = None if value == "" else value
    _trim_line(line)


def clear_cells(table: list[list[Any]], first_row: int, first_col: int, end_row: int,
                end_col: int) -> None:
    """Empty the cells of a range (values.clear); the rows stay, blank."""
    for line in table[first_row:end_row]:
        for col in range(first_col, min(end_col, len(line))):
            line[col] = None
        _trim_line(line)


def rearrange_columns(table: list[list[Any]], order: list[int | None]) -> None:
    """What a person moving, deleting or inserting columns does to every row at once: the
    new columns are the old columns at the indexes in `order` (None: a new, empty column);
    an old column not in `order` is deleted."""
    for line in table:
        line[:] = [line[index] if index is not None and index < len(line) else None
                   for index in order]
        _trim_line(line)
