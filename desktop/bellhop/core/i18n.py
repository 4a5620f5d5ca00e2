"""Every text a person reads, through one gettext catalogue per language.

The core, the cards, the command line and the window all mark their English sentences
with `_()` (or `ngettext()` when a number decides the wording, or `N_()` for texts
defined at import time and translated where they are shown). The catalogues are
resources/locale/<language>/LC_MESSAGES/bellhop.mo, compiled from the .po beside them
by `make translations`; English is the source text itself.

The language is read at each call, so texts made after `set_language` follow it.
"""

from __future__ import annotations

import functools
import gettext
import locale
import os
import sys
from pathlib import Path

DOMAIN = "bellhop"

_language: str | None = None


@functools.cache
def system_language() -> str:
    """The user's language as the environment says it, among those Bellhop has."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return match_language(value.split(":")[0])
    try:
        value = locale.getlocale()[0] or ""
    except ValueError:
        value = ""
    return match_language(value)


@functools.cache
def available_languages() -> tuple[str, ...]:
    """English and every language with a compiled catalogue in resources/locale, e.g.
    ('en', 'zh_TW'): adding a language is adding its .po (compiled by `make translations`)."""
    found = {mo.parents[1].name for mo in locale_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return ("en", *sorted(found - {"en"}))


@functools.lru_cache(maxsize=64)  # every `_()` asks it
def match_language(value: str) -> str:
    """The language Bellhop has that a locale name asks for: 'zh_TW.UTF-8' → 'zh_TW',
    'ja_JP' → 'ja' when Bellhop has Japanese; 'en' when it has none closer.

    Hong Kong, Macau and any 'Hant' locale read Traditional Chinese; mainland Chinese
    (Simplified) is not given it."""
    name = value.split(".")[0].split("@")[0].replace("-", "_")
    have = {language.lower(): language for language in available_languages()}
    lowered = name.lower()
    if lowered.startswith(("zh_tw", "zh_hk", "zh_mo", "zh_hant")) and "zh_tw" in have:
        return have["zh_tw"]
    if lowered in have:
        return have[lowered]
    base = lowered.split("_")[0]
    return have.get(base, "en") if base != "zh" else "en"


def set_language(language: str | None) -> None:
    """Choose the language of every text ('en', 'zh_TW', …, or None for the system's)."""
    global _language
    _language = match_language(language) if language else None


def current_language() -> str:
    """The language texts are written in now."""
    return _language or system_language()


def locale_dir() -> Path:
    """resources/locale: under $BELLHOP_RESOURCES, inside the bundle, or in the source tree."""
    override = os.environ.get("BELLHOP_RESOURCES")
    if override:
        return Path(override) / "locale"
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources" / "locale"
    return Path(__file__).resolve().parents[3] / "resources" / "locale"


@functools.cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (the source texts for English or a missing one)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, locale_dir(), languages=[language], fallback=True)


class InContext(str):
    """An English text that needs a context to be translated ("Message" of an email is
    its body, of a chat post the post): made by `NP_`, translated by `_` with pgettext."""

    context: str


def _(message: str) -> str:
    """`message` in the current language (format its `{placeholders}` afterwards)."""
    return translate_to(current_language(), message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural sentence for `n`, in the current language."""
    return catalogue(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it (translate it where shown)."""
    return message


def NP_(context: str, message: str) -> str:
    """Like `N_`, for a text whose translation depends on `context` (see InContext)."""
    marked = InContext(message)
    marked.context = context
    return marked


def translate_to(language: str, message: str) -> str:
    """`message` in a given language, whatever the current one is."""
    if not message:
        return message  # gettext("") is the catalogue's header
    found = catalogue(match_language(language))
    if isinstance(message, InContext):
        return found.pgettext(message.context, message)
    return found.gettext(message)


def data_size(size: int) -> str:
    """A size as people read it, in the current language: '961 bytes' (961 位元組), '1.5 KB'."""
    if size < 1024:
        return ngettext("{n} byte", "{n} bytes", size).format(n=size)
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    number = f"{value:.1f}".removesuffix(".0") if value < 100 else f"{value:,.0f}"
    return f"{number} {unit}"  # KB and MB read the same in Taiwan
