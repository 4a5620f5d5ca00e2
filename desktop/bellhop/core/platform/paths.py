"""Where Bellhop keeps its files: the data home and the names inside it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Bellhop"


def data_home() -> Path:
    """The data home: `BELLHOP_HOME` when set, else the platform's user data folder."""
    override = os.environ.get("BELLHOP_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def rules_file(home: Path) -> Path:
    """The rules of this data home."""
    return home / "rules.json"


def accounts_file(home: Path) -> Path:
    """The accounts (no secrets) of this data home."""
    return home / "accounts.json"


def settings_file(home: Path) -> Path:
    """The settings of this data home."""
    return home / "settings.json"


def events_db(home: Path) -> Path:
    """The SQLite file holding events and runs."""
    return home / "events.db"


def lock_file(home: Path) -> Path:
    """The file a running Bellhop holds locked so a second one can tell."""
    return home / ".bellhop.lock"


def control_file(home: Path) -> Path:
    """Where a running Bellhop writes how its commands reach it (core/platform/control.py)."""
    return home / ".bellhop-control.json"
