"""The Activity page: every event and what happened to it (placeholder until built)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from bellhop.ui.bridge import EngineBridge


class ActivityPage(QWidget):
    """Placeholder."""

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__()
        self.bridge = bridge
        QVBoxLayout(self).addWidget(QLabel(self.tr("Activity")))

    def select_event(self, event_id: str) -> None:
        """Show one event."""
