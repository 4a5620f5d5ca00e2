"""Versioned JSON files written atomically; unreadable ones moved aside, not lost."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bellhop.core.errors import ConfigError
from bellhop.core.i18n import tr


class CorruptFile(ConfigError):
    """A file could not be read; it was renamed to `moved_to`."""

    def __init__(self, message: str, moved_to: Path) -> None:
        super().__init__(message)
        self.moved_to = moved_to


def write_json_atomic(path: Path, data: Any) -> None:
    """Write `data` as pretty UTF-8 JSON: temp file, fsync, rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk (POSIX only).
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
