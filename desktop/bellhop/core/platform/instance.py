"""One Bellhop per data home: a lock on a file inside it, released when the process ends."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.platform.paths import lock_file


class AlreadyRunning(BellhopError):
    """Another Bellhop holds this data home."""


class HomeNotWritable(BellhopError):
    """The data home cannot be created or written."""


class InstanceLock:
    """Holds the data home's lock file for as long as this process runs."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock, or raise AlreadyRunning / HomeNotWritable with a plain message."""
        path = lock_file(self.home)
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        except OSError as exc:
            raise HomeNotWritable(_("Bellhop cannot write to its data folder {home} ({reason}). "
                                    "Check that the disk is not full and that you may write there, "
                                    "or choose another folder with BELLHOP_HOME.").format(
                home=self.home, reason=exc.strerror or exc)) from exc
        if not _try_lock(handle):
            handle.close()
            raise AlreadyRunning(_("Bellhop is already running with the data folder {home}. Use "
                                   "that one, or quit it first.").format(
                home=self.home))
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        except OSError as exc:
            handle.close()
            raise HomeNotWritable(_("Bellhop cannot write to its data folder {home} ({reason}). "
                                    "Check that the disk is not full and that you may write there, "
                                    "or choose another folder with BELLHOP_HOME.").format(
                home=self.home, reason=exc.strerror or exc)) from exc
        self._handle = handle

    def release(self) -> None:
        """Let go of the lock."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _try_lock(handle: IO[str]) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
