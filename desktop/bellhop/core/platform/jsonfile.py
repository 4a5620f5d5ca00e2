"""Versioned JSON files written atomically.

Files only Bellhop writes (settings.json) are moved aside when unreadable, and
the person is told. Files a person edits (rules.json, accounts.json) are never
moved: reading one that has a mistake raises `FileProblem`, naming the line
and column, and the caller keeps using what it read last.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from bellhop.core.errors import ConfigError
from bellhop.core.i18n import _


class CorruptFile(ConfigError):
    """A file could not be read; it was renamed to `moved_to`."""

    def __init__(self, message: str, moved_to: Path) -> None:
        super().__init__(message)
        self.moved_to = moved_to


class FileProblem(ConfigError):
    """A file a person edits has a mistake; it stays where it is, untouched."""

    def __init__(self, path: Path, reason: str, line: int | None = None,
                 column: int | None = None, text: str = "") -> None:
        if line is not None:
            message = _("{name}, line {line}, column {column}: {reason}.").format(
                name=path.name,
                         line=line, column=column, reason=reason)
        else:
            message = _("{name}: {reason}.").format(
                name=path.name, reason=reason)
        super().__init__(message)
        self.path, self.reason, self.line, self.column = path, reason, line, column
        self.text = text  # what the file holds now (to find the webhook tokens it names)


def replace_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a temp file beside `path` with `write`, fsync it, rename it over `path`.

    A reader sees the old file or the new one, never half of one; the new file keeps
    the old one's permissions.
    """
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666  # the umask trims it, as for any new file
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if os.name == "posix":  # the rename is durable once the folder entry is on disk
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write `data` as pretty UTF-8 JSON, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    replace_atomically(path, lambda handle: handle.write(text.encode("utf-8")))


def move_aside(path: Path) -> Path:
    """Rename an unreadable file to `<name>.corrupt-<time>` and return the new path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    return target


def read_json(path: Path, *, expect_version: int) -> dict[str, Any] | None:
    """Read a versioned JSON object; None when the file does not exist.

    A file that is not valid JSON, not an object, or from a newer Bellhop is
    moved aside and `CorruptFile` says where it went.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        version = data.get("version", 1)
        if not isinstance(version, int) or version > expect_version:
            raise ValueError(f"unknown version {version!r}")
    except (ValueError, UnicodeDecodeError) as exc:
        moved = move_aside(path)
        raise CorruptFile(
            _("{name} could not be read ({reason}). It was kept as {moved} and "
              "Bellhop started without it.").format(
                name=path.name,
                reason=_short_reason(exc),
                moved=moved.name,
            ),
            moved,
        ) from exc
    return data


def read_edited_json(path: Path, *, expect_version: int, key: str,
                     kind: type) -> Any | None:
    """The `key` entry of a versioned JSON object a person edits; None when there is no file.

    Anything wrong (broken JSON, another shape, a newer version) raises `FileProblem`
    with the line and column where it can be told; the file is never moved or changed.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FileProblem(path, _("it cannot be read ({reason})").format(
            reason=exc.strerror or exc)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileProblem(path, _("the text is not UTF-8"), line, column) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileProblem(path, _json_mistake(exc.msg), exc.lineno, exc.colno, text) from exc
    except RecursionError as exc:
        raise FileProblem(path, _("it is nested too deeply"), text=text) from exc
    if not isinstance(data, dict):
        raise FileProblem(path, _("it must hold one object, {example}").format(
            example='{"version": 1, …}'), text=text)
    version = data.get("version", 1)
    if type(version) is not int:
        raise FileProblem(path, _("'version' must be a whole number"), text=text)
    if version > expect_version:
        raise FileProblem(path, _("it was written by a newer Bellhop (version {version}); "
                                  "update Bellhop to use it").format(
            version=version), text=text)
    value = data.get(key, kind())
    if not isinstance(value, kind):
        example = "[ … ]" if kind is list else "{ … }"
        raise FileProblem(path, _("'{key}' must be {example}").format(
            key=key, example=example),
                          text=text)
    return value


# What Python's JSON reader says, in words a person who edits a file by hand knows.
_JSON_MISTAKES: dict[str, Callable[[], str]] = {
    "Expecting ',' delimiter": lambda: _("a comma is missing before this"),
    "Expecting ':' delimiter": lambda: _("a colon (:) is missing after the name"),
    "Expecting value": lambda: _("a value is missing here (or there is a comma too many before "
                                 "it)"),
    "Expecting property name enclosed in double quotes": lambda: _(
        "a name in double quotes is expected here (or there is a comma too many before it)"),
    "Unterminated string starting at": lambda: _("a text starting here has no closing quote"),
    "Invalid control character at": lambda: _("a text has a line break or tab in it (write \\n or "
                                              "\\t)"),
    "Extra data": lambda: _("there is more after the end of the file's object"),
    "Invalid \\escape": lambda: _("a backslash must be written as \\\\"),
}


def _json_mistake(message: str) -> str:
    for start, words in _JSON_MISTAKES.items():
        if message.startswith(start):
            return words()
    return message


def _short_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return _("broken JSON at line {line}, column {col}").format(
            line=exc.lineno, col=exc.colno)
    if isinstance(exc, UnicodeDecodeError):
        return _("the text is not UTF-8")
    return str(exc)
