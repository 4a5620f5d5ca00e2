"""The window's language: Bellhop's own translations and Qt's, chosen once at start."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from bellhop.core.i18n import set_language, system_language
from bellhop.ui.resources import resource

_installed: list[QTranslator] = []


def choose_language(setting: str) -> str:
    """'en' or 'zh_TW': the setting, or the system's when the setting is empty."""
    if setting in ("en", "zh_TW"):
        return setting
    name = QLocale.system().name()  # e.g. zh_TW, en_US
    if name.startswith(("zh_TW", "zh_HK", "zh_MO")) or "Hant" in QLocale.system().bcp47Name():
        return "zh_TW"
    return system_language()


def install_translations(app: QCoreApplication, language: str) -> None:
    """Load Bellhop's and Qt's translations for `language` (English needs none)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    set_language(language)  # the engine's plain-words messages follow the window
    # Numbers, sizes and dates follow the language too ("127 位元組", not "127 bytes").
    QLocale.setDefault(QLocale("zh_TW" if language == "zh_TW" else "en_US"))
    if language != "zh_TW":
        return
    ours = QTranslator(app)
    if ours.load(str(resource("translations", "bellhop_zh_TW.qm"))):
        app.installTranslator(ours)
        _installed.append(ours)
    qt = QTranslator(app)
    if qt.load("qtbase_zh_TW", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
