"""Versioned JSON files written atomically; unreadable ones moved aside, not lost."""

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
from bellhop.core.i18n import tr


class CorruptFile(ConfigError):
    """A file could not be read; it was renamed to `moved_to`."""

    def __init__(self, message: str, moved_to: Path) -> None:
        super().__init__(message)
        self.moved_to = moved_to


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
            tr(
                "{name} could not be read ({reason}). It was kept as {moved} and "
                "Bellhop started without it.",
                name=path.name,
                reason=_short_reason(exc),
                moved=moved.name,
            ),
            moved,
        ) from exc
    return data


def _short_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return tr("broken JSON at line {line}, column {col}", line=exc.lineno, col=exc.colno)
    if isinstance(exc, UnicodeDecodeError):
        return tr("the text is not UTF-8")
    return str(exc)
