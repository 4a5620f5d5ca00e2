"""The window's language, chosen once at start: Bellhop's gettext catalogue for its own
texts, and Qt's shipped catalogue (qtbase) for the buttons of Qt's dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from bellhop.core.i18n import available_languages, match_language, set_language, system_language

_installed: list[QTranslator] = []


def choose_language(setting: str) -> str:
    """The language to show: the setting when Bellhop has it, else the system's."""
    if setting in available_languages():
        return setting
    system = QLocale.system()
    for name in (system.bcp47Name(), system.name()):  # zh-Hant-HK, zh_TW, ja_JP
        language = match_language(name)
        if language != "en":
            return language
    return system_language()


def language_names() -> dict[str, str]:
    """Each language Bellhop has, named in itself: {'en': 'English', 'zh_TW': '繁體中文'}."""
    return {language: "English" if language == "en" else QLocale(language).nativeLanguageName()
            for language in available_languages()}


def qt_translations_dir() -> str:
    """The folder of Qt's own catalogues inside PySide6 (or the bundle)."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install_translations(app: QCoreApplication, language: str) -> None:
    """Use `language` for Bellhop's texts and load Qt's own translations for it."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    set_language(language)  # every `_()` text, the window's and the engine's
    # Numbers and dates in Qt widgets follow the language too (sizes: i18n.data_size).
    QLocale.setDefault(QLocale("en_US" if language == "en" else language))
    if language == "en":
        return
    # Qt's dialogs (file chooser, message box buttons, colour chooser) translate their own
    # words with the catalogue PySide6 ships (the installers keep qtbase_zh_TW.qm).
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", qt_translations_dir()):
        app.installTranslator(qt)
        _installed.append(qt)
