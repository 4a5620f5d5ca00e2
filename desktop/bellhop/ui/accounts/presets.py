"""Mail providers a person can pick instead of typing server settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECURITY_KINDS = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class MailPreset:
    """Server settings of one well-known mail provider ('custom' has none)."""

    key: str
    label: str  # a brand name, the same in every language
    host: str = ""
    port: int = 587
    security: str = "starttls"
    app_password: bool = False  # the provider wants an app password, not the normal one


PRESETS: tuple[MailPreset, ...] = (
    MailPreset("gmail", "Gmail", "smtp.gmail.com", 587, "starttls", app_password=True),
    MailPreset("outlook", "Outlook / Office 365", "smtp.office365.com", 587, "starttls"),
    MailPreset("yahoo", "Yahoo Mail", "smtp.mail.yahoo.com", 465, "ssl", app_password=True),
    MailPreset("custom", ""),
)


def preset(key: str) -> MailPreset:
    """The preset called `key` ('custom' when unknown)."""
    return next((p for p in PRESETS if p.key == key), PRESETS[-1])


def preset_of(account: Mapping[str, Any]) -> MailPreset:
    """The preset whose server an account uses, or 'custom'."""
    host = str(account.get("host") or "").strip().lower()
    for candidate in PRESETS:
        if candidate.host and candidate.host == host \
                and int(account.get("port") or 0) == candidate.port \
                and account.get("security") == candidate.security:
            return candidate
    return PRESETS[-1]
