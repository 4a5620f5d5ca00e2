"""A calm, modern look in a light and a dark palette that follow the system."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#2f6fed"
OK = "#1f9d55"
WARN = "#d97706"
BAD = "#d64545"

_SHEET = """
QWidget { font-size: 10pt; }
QFrame#Card { border: 1px solid palette(mid); border-radius: 10px; background: palette(base); }
QFrame#Card[selected="true"] { border: 2px solid %(accent)s; }
QFrame#Card[state="ok"] { border-left: 5px solid %(ok)s; }
QFrame#Card[state="warned"] { border-left: 5px solid %(warn)s; }
QFrame#Card[state="failed"] { border-left: 5px solid %(bad)s; }
QLabel#CardTitle { font-weight: 600; font-size: 11pt; }
QLabel#Hint { color: palette(placeholder-text); }
QLabel#PageTitle { font-size: 15pt; font-weight: 600; }
QListWidget#Nav { border: none; background: palette(window); font-size: 11pt; }
QListWidget#Nav::item { padding: 10px 12px; border-radius: 8px; }
QListWidget#Nav::item:selected { background: rgba(47, 111, 237, 0.16); color: palette(text);
    font-weight: 600; }
QPushButton[primary="true"] { background: %(accent)s; color: white; border-radius: 6px;
    padding: 6px 14px; font-weight: 600; }
QPushButton[primary="true"]:disabled { background: palette(mid); }
"""


def is_dark() -> bool:
    """True when the system asks for a dark look."""
    hints = QApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication) -> None:
    """Fusion style, a palette for light or dark, and Bellhop's few styles."""
    if not app.property("bellhopStyled"):
        # Swapping a style re-polishes every widget and deletes the old style: do it once
        # (with a style sheet set, app.style() is Qt's sheet style and no longer says Fusion).
        app.setStyle("Fusion")
        app.setProperty("bellhopStyled", True)
    palette = QPalette()
    if is_dark():
        for role, colour in {
            QPalette.ColorRole.Window: "#1e1f22", QPalette.ColorRole.WindowText: "#e6e6e6",
            QPalette.ColorRole.Base: "#2a2b2f", QPalette.ColorRole.AlternateBase: "#303136",
            QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#2f3035",
            QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Mid: "#4a4b50",
            QPalette.ColorRole.Highlight: ACCENT, QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.PlaceholderText: "#9a9ba0",
        }.items():
            palette.setColor(role, QColor(colour))
    else:
        for role, colour in {
            QPalette.ColorRole.Window: "#f4f5f7", QPalette.ColorRole.WindowText: "#1d1e21",
            QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f7f8fa",
            QPalette.ColorRole.Text: "#1d1e21", QPalette.ColorRole.Button: "#ffffff",
            QPalette.ColorRole.ButtonText: "#1d1e21", QPalette.ColorRole.Mid: "#d5d8de",
            QPalette.ColorRole.Highlight: ACCENT, QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.PlaceholderText: "#6b7080",
        }.items():
            palette.setColor(role, QColor(colour))
    # Greyed text for disabled widgets, or they look as clickable as the rest.
    muted = QColor("#6f7075" if is_dark() else "#9a9ba0")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    app.setPalette(palette)
    app.setStyleSheet(_SHEET % {"accent": ACCENT, "ok": OK, "bad": BAD, "warn": WARN})
