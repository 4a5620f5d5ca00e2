"""A warning across the window while rules.json or accounts.json has a mistake in it."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from bellhop.core.events import EngineEvent, FileFixed, FileProblemFound
from bellhop.core.i18n import _
from bellhop.ui.bridge import EngineBridge


class FileProblemBanner(QFrame):
    """Shown while a file a person edits cannot be read; hides itself once it is fixed.

    The engine keeps running what it read last; this says so, names the line and
    column, and opens the folder that holds the file.
    """

    folderRequested = Signal(str)

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__(objectName="FileProblemBanner")
        self.bridge = bridge
        self.problems: dict[str, str] = {}  # file name → the plain message
        self.setStyleSheet("#FileProblemBanner { background: #fff4ce; border: 1px solid #e0b400;"
                           " border-radius: 6px; } QLabel { color: #3b2f00; }")
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        self.text = QLabel(wordWrap=True)
        self.text.setAccessibleName(_("What is wrong in the file"))
        self.open_button = QPushButton(_("Open the folder"))
        self.open_button.setToolTip(_("Open the folder that holds the file, to fix it"))
        self.open_button.clicked.connect(self.open_folder)
        words = QVBoxLayout()
        words.addWidget(self.title)
        words.addWidget(self.text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(words, 1)
        layout.addWidget(self.open_button)
        self.folderRequested.connect(
            lambda folder: QDesktopServices.openUrl(QUrl.fromLocalFile(folder)))
        bridge.engineEvents.connect(self._on_engine_events)
        bridge.started.connect(self._ask)
        self.hide()

    def _ask(self) -> None:
        # Problems found before the window listened (at start) come with the answer.
        self.bridge.call_plain(lambda service: dict(service.file_problems), self._set)

    def _set(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        self._refresh()

    def _on_engine_events(self, batch: list[EngineEvent]) -> None:
        changed = False
        for event in batch:
            if isinstance(event, FileProblemFound):
                self.problems[event.file] = event.message
                changed = True
            elif isinstance(event, FileFixed):
                changed = self.problems.pop(event.file, None) is not None or changed
        if changed:
            self._refresh()

    def _refresh(self) -> None:
        if not self.problems:
            self.hide()
            return
        names = sorted(self.problems)
        self.title.setText(_("{files}: a mistake to fix").format(
            files=", ".join(names)))
        self.text.setText("\n".join(self.problems[name] for name in names))
        self.show()

    def open_folder(self) -> None:
        """Open the data folder (where rules.json and accounts.json are) in the file manager."""
        self.folderRequested.emit(str(self.bridge.service.home))
