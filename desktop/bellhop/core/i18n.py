"""Plain-words messages in English and Traditional Chinese for the Qt-free core.

The window translates its own labels with Qt; messages born in the engine
(step errors, validation problems, CLI output) go through `tr` so a person
reads them in their language whether they use the window or the terminal.
"""

from __future__ import annotations

import functools
import locale
import os

from bellhop.core.messages_zh_tw import ZH_TW

_language: str | None = None


@functools.cache
def system_language() -> str:
    """Guess the user's language from the environment: 'zh_TW' or 'en'."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return _normalise(value)
    try:
        value = locale.getlocale()[0] or ""
    except ValueError:
        value = ""
    return _normalise(value)


def _normalise(value: str) -> str:
    v = value.replace("-", "_").lower()
    if v.startswith(("zh_tw", "zh_hk", "zh_hant", "zh_mo")):
        return "zh_TW"
    return "en"


def set_language(language: str | None) -> None:
    """Choose the language of core messages ('en', 'zh_TW', or None for the system's)."""
    global _language
    _language = _normalise(language) if language else None


def current_language() -> str:
    """The language core messages are written in now."""
    return _language or system_language()


def tr(message: str, /, **values: object) -> str:
    """Translate an English message and fill in its `{placeholders}`."""
    if current_language() == "zh_TW":
        message = ZH_TW.get(message, message)
    return message.format(**values) if values else message
