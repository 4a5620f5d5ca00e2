"""The database seen and troubled from outside the store: another connection, the OS."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

needs_file_size_limit = pytest.mark.skipif(resource is None, reason="needs RLIMIT_FSIZE")


@contextlib.contextmanager
def write_lock(db: Path) -> Iterator[sqlite3.Connection]:
    """Hold SQLite's write lock from another connection: every commit of the store waits."""
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
        other.execute("ROLLBACK")
    finally:
        other.close()


def on_disk(db: Path) -> list[str]:
    """Event ids in the file, oldest first, read by a separate read-only connection."""
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in reader.execute("SELECT id FROM events ORDER BY seq")]
    finally:
        reader.close()


@contextlib.contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """No file this process writes may grow past `size` bytes: such a write fails (EFBIG)
    the way it fails on a full disk, inside SQLite's own write path."""
    assert resource is not None
    # Python ignores SIGXFSZ from the start, so the write fails instead of the process dying.
    assert signal.getsignal(signal.SIGXFSZ) == signal.SIG_IGN
    old = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old)
