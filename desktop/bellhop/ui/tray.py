"""The tray icon: Bellhop's presence while the window is closed (placeholder until built)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from bellhop.ui.bridge import EngineBridge
from bellhop.ui.main_window import MainWindow
from bellhop.ui.resources import icon


class TrayIcon(QObject):
    """Placeholder."""

    def __init__(self, bridge: EngineBridge, window: MainWindow) -> None:
        super().__init__(window)
        self.bridge = bridge
        self.window = window
        self.icon = QSystemTrayIcon(icon("bellhop"), self)
        self.icon.show()
