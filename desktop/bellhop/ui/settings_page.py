"""The Settings page (placeholder until built)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from bellhop.ui.bridge import EngineBridge


class SettingsPage(QWidget):
    """Placeholder."""

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__()
        self.bridge = bridge
        QVBoxLayout(self).addWidget(QLabel(self.tr("Settings")))
