"""rules.json and accounts.json: files a person edits while Bellhop runs.

A file with a mistake is never moved and never stops what runs: the accounts
read last stay in use, the mistake is told once (line and column, in words)
where the person looks, and told again as fixed when it can be read again.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Any

from bellhop.core.events import FileFixed, FileProblemFound, Listener
from bellhop.core.i18n import _
from bellhop.core.platform import paths
from bellhop.core.platform.accounts import load_accounts
from bellhop.core.platform.jsonfile import FileProblem

log = logging.getLogger("bellhop")


Stamp = tuple[int, int, int]


def mtime(path: Path) -> Stamp | None:
    """When and how the file last changed (None when there is none): its time, size and
    inode, so that a replace within the clock's granularity (a second on some disks), as
    when `bellhop rule new` writes just after the window, is still seen."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


class EditedFiles:
    """The data home's hand-edited files: the last good accounts, and what is wrong now."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.publish: Listener | None = None  # the engine's, once it exists
        self.notices: list[str] = []  # told at start, before anyone listens
        self.started = False  # after start, problems are told as engine events
        self.problems: dict[str, str] = {}  # file name → the plain message shown
        self._mistakes: dict[str, str] = {}  # the same, without what Bellhop does about it
        self._accounts: dict[str, dict[str, Any]] = {}
        self._accounts_read = False  # accounts.json was read whole at least once
        self.accounts_mtime: Stamp | None = None
        self.rules_mtime: Stamp | None = None

    def accounts(self) -> dict[str, dict[str, Any]]:
        """Accounts from accounts.json, read again when it changed; while it has a
        mistake, the accounts read last."""
        path = paths.accounts_file(self.home)
        changed = mtime(path)
        if changed != self.accounts_mtime:
            self.accounts_mtime = changed
            try:
                self._accounts = load_accounts(path)
            except FileProblem as exc:
                self.problem(exc, _("Bellhop keeps using the accounts it had until the file is "
                                    "fixed.")
                    if self._accounts_read else _("Bellhop started without the accounts in it; "
                                                  "rules that use them wait until the file is "
                                                  "fixed."))
            else:
                self._accounts_read = True
                self.fixed(path)
        return self._accounts

    def accounts_unknown(self) -> str | None:
        """Why the accounts cannot be known (accounts.json unreadable since start), or None."""
        if self._accounts_read:
            return None
        return self._mistakes.get(paths.accounts_file(self.home).name)

    def changed(self) -> bool:
        """True when rules.json or accounts.json changed since they were last read."""
        return (mtime(paths.rules_file(self.home)) != self.rules_mtime
                or mtime(paths.accounts_file(self.home)) != self.accounts_mtime)

    def problem(self, problem: FileProblem, consequence: str) -> None:
        """Tell once, where the person looks, that a file they edit cannot be used now."""
        name = problem.path.name
        message = f"{problem.message} {consequence}"
        if self.problems.get(name) == message:
            return
        self.problems[name] = message
        self._mistakes[name] = problem.message
        log.warning("%s", message)
        if not self.started:
            self.notices.append(message)  # `serve` prints them once it listens
        if self.publish is not None:
            self.publish(FileProblemFound(file=name, path=str(problem.path), message=message,
                                          line=problem.line, column=problem.column))

    def fixed(self, path: Path) -> None:
        """The file can be read again: say so if it could not before."""
        self._mistakes.pop(path.name, None)
        if self.problems.pop(path.name, None) is not None:
            log.info("%s can be read again", path.name)
            if self.publish is not None:
                self.publish(FileFixed(file=path.name, path=str(path)))

    def keep_broken_copy(self, path: Path) -> None:
        """Before the window saves over a file the person left broken: their text is kept
        beside it."""
        if path.name not in self.problems or not path.exists():
            return
        copy = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        shutil.copy2(path, copy)
        self.notices.append(_("{name} had a mistake and was saved over from the window; "
                              "what it held is kept as {copy}.").format(
            name=path.name,
                               copy=copy.name))
