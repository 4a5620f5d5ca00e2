"""settings.json: typed, versioned, with defaults for everything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bellhop.core.platform.jsonfile import CorruptFile, move_aside, read_json, write_json_atomic

SETTINGS_VERSION = 1


class Settings(BaseModel):
    """Everything the user can set that is not a rule or an account."""

    # A file from an older version may hold settings since dropped: they are ignored.
    model_config = ConfigDict(extra="ignore")

    version: int = SETTINGS_VERSION
    # "" follows the system; else a language of resources/locale ("en", "zh_TW", …).
    language: str = Field("", pattern=r"^([a-z]{2,3}(_[A-Za-z]{2,4})?)?$")
    host: str = "127.0.0.1"
    port: int = Field(8765, ge=0, le=65535)
    tunnel: Literal["none", "ngrok"] = "none"
    ngrok_path: str = ""  # the agent binary; "" → BELLHOP_NGROK_PATH, bundled, or downloaded
    ngrok_region: str = ""  # "" lets ngrok choose the nearest
    ngrok_domain: str = ""  # a reserved/static domain: hook URLs never change
    max_body_bytes: int = Field(1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    body_read_timeout: float = Field(30.0, gt=0, le=600)
    # Runs of one rule going at once; each destination (a sheet's tab, a file, a mail
    # account) keeps its own order and pace, so a rule may have many.
    rule_concurrency: int = Field(32, ge=1, le=256)
    # Google's Sheets quotas per user per project (raise them for a Workspace project).
    google_writes_per_minute: int = Field(60, ge=1, le=10_000)
    google_reads_per_minute: int = Field(60, ge=1, le=10_000)
    dedupe_days: float = Field(7.0, ge=0, le=365)
    notify: Literal["all", "failures", "never"] = "failures"
    start_at_login: bool = False  # the login item itself: core/autostart.py
    welcome_seen: bool = False  # the first-run welcome was shown (or skipped)
    # Rules (ids) whose 'Run test' sends and writes for real without asking first.
    run_test_without_asking: list[str] = Field(default_factory=list)
    # The rule builder's card list: "auto" shows it when the window is tall enough.
    card_palette: Literal["auto", "shown", "hidden"] = "auto"


def load_settings(path: Path) -> tuple[Settings, CorruptFile | None]:
    """Read settings.json (defaults when absent); a broken file is moved aside and reported."""
    try:
        data = read_json(path, expect_version=SETTINGS_VERSION)
    except CorruptFile as exc:
        return Settings(), exc
    if data is None:
        return Settings(), None
    try:
        return Settings.model_validate(data), None
    except ValidationError as exc:
        moved = move_aside(path)
        return Settings(), CorruptFile(str(exc.errors()[0].get("msg", "")), moved)


def peek_settings(path: Path) -> Settings:
    """settings.json for a command that only looks: defaults where it cannot be read, and
    the file left where it is (Bellhop's next start tells about it)."""
    try:
        return Settings.model_validate(json.loads(path.read_bytes().decode("utf-8-sig")))
    except (OSError, ValueError):  # no file, not JSON, not settings (ValidationError)
        return Settings()


def save_settings(path: Path, settings: Settings) -> None:
    """Write settings.json atomically."""
    write_json_atomic(path, settings.model_dump())
