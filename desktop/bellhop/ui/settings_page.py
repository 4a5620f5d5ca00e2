"""The Settings page: editors generated from the Settings model, saved as you change them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.platform.settings import Settings
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.i18n import language_names
from bellhop.ui.theme import BAD, OK

LABEL_WIDTH = 190  # the label column, the same in every card


@dataclass(frozen=True)
class SettingRow:
    """How one field of the Settings model is shown; the editor follows the field's type."""

    field: str
    label: str
    hint: str = ""
    choices: dict[Any, str] | None = None  # labels of a Literal field's values (or a str's)
    radio: bool = False  # radio buttons instead of a drop-down list
    minimum: int | None = None  # tighter than the model's own bound
    restart_note: str = ""  # said after saving when the change applies at the next start


def bounds(field: str) -> tuple[int, int]:
    """The lower and upper bound the Settings model gives a number field."""
    low, high = 0, 2**31 - 1
    for rule in Settings.model_fields[field].metadata:
        low = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else low
        high = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else high
    return int(low), int(high)


class SettingsPage(QWidget):
    """Language, start at login, notifications, the receiver's port and the data folder."""

    settingsChanged = Signal(object)  # the Settings now in use, after loading or saving

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.settings: Settings | None = None
        self.home = ""
        self.widgets: dict[str, QWidget] = {}
        self.radios: dict[tuple[str, Any], QRadioButton] = {}
        self._setters: dict[str, Callable[[Any], None]] = {}
        self.status = QLabel(_("Changes are saved as soon as you make them."),
                             objectName="Hint", wordWrap=True)
        self.folder = QLineEdit(readOnly=True)
        self.folder.setAccessibleName(_("Data folder"))
        self.open_folder_button = QPushButton(_("Open folder"))
        self.open_folder_button.clicked.connect(self.open_data_folder)
        self._lay_out()
        self.setEnabled(False)  # until the engine has told us what is set
        bridge.started.connect(self.reload)

    def rows(self) -> dict[str, list[SettingRow]]:
        """The sections of the page and the settings in each."""
        later = _("Bellhop uses the new language the next time it starts.")
        later_quota = _("The new quota is used the next time Bellhop starts.")
        return {
            _("General"): [
                SettingRow("language", _("Language"),
                           _("Applies the next time Bellhop starts."),
                           choices={"": _("Same as the system"), **language_names()},
                           restart_note=later),
                SettingRow("start_at_login", _("Start Bellhop when I log in"),
                           _("So your rules keep working after the computer restarts. "
                             "Bellhop starts in the tray, without opening its window.")),
            ],
            _("Notifications"): [
                SettingRow("notify", _("Show a notification"),
                           _("Many events at once are gathered into one notification."),
                           choices={"all": _("For every event"),
                                    "failures": _("Only when something fails"),
                                    "never": _("Never")},
                           radio=True),
            ],
            _("Connection"): [
                SettingRow("port", _("Receiver port"),
                           _("Where deliveries arrive on this computer (usually 8765). "
                             "Change it only if another program already uses it. "
                             "Applies the next time Bellhop starts."),
                           minimum=1024,
                           restart_note=_("The new port is used the next time Bellhop starts.")),
            ],
            _("Google Sheets"): [
                SettingRow("google_writes_per_minute", _("Writes a minute"),
                           _("Google lets each account write 60 times a minute; Bellhop puts "
                             "the rows that wait into one write and stays within this. Raise "
                             "it only if your Google Workspace project has a higher quota. "
                             "Applies the next time Bellhop starts."),
                           restart_note=later_quota),
                SettingRow("google_reads_per_minute", _("Reads a minute"),
                           _("The same for reading a sheet's header row (60 unless your "
                             "project has more). Applies the next time Bellhop starts."),
                           restart_note=later_quota),
            ],
        }

    def _lay_out(self) -> None:
        body = QWidget()
        body.setMaximumWidth(820)
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel(_("Settings"), objectName="PageTitle"))
        layout.addWidget(self.status)
        self._notes: dict[str, str] = {}
        for section, rows in self.rows().items():
            card, grid = self._card(section)
            for row in rows:
                self._notes[row.field] = row.restart_note
                editor = self._editor(row)
                self.widgets[row.field] = editor
                label = "" if isinstance(editor, QCheckBox) else row.label
                self._add_row(grid, label, editor, row.hint)
            layout.addWidget(card)
        card, grid = self._card(_("Data folder"))
        folder = QWidget()
        folder_row = QHBoxLayout(folder)
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder_button)
        self._add_row(grid, _("Folder"), folder, _(
            "Your rules, the list of accounts and the history of events are kept here. Passwords "
            "are not: they are in your system keychain."), fill=True)
        layout.addWidget(card)
        layout.addStretch(1)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the settings; they scroll in
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    @staticmethod
    def _card(title: str) -> tuple[QFrame, QGridLayout]:
        # Grids, not QFormLayouts: labels line up across cards, and wrapped hints get the
        # height they need rather than a form row's generous guess.
        card = QFrame(objectName="Card")
        outer = QVBoxLayout(card)
        outer.setContentsMargins(16, 12, 16, 14)
        outer.addWidget(QLabel(title, objectName="CardTitle"))
        grid = QGridLayout()
        grid.setColumnMinimumWidth(0, LABEL_WIDTH)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        outer.addLayout(grid)
        return card, grid

    @staticmethod
    def _add_row(grid: QGridLayout, label: str, editor: QWidget, hint: str, *,
                 fill: bool = False) -> None:
        row = grid.rowCount()
        caption = QLabel(label)
        caption.setBuddy(editor)  # a screen reader says the caption when the editor has focus
        caption.setContentsMargins(0, 4, 0, 0)  # level with the editor's text
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
        # Left-aligned unless it fills the row: an editor with a maximum width must not
        # squeeze its column.
        align = Qt.AlignmentFlag(0) if fill else Qt.AlignmentFlag.AlignLeft
        grid.addWidget(editor, row, 1, align)
        if hint:
            grid.addWidget(QLabel(hint, objectName="Hint", wordWrap=True), row + 1, 1)
            grid.setRowMinimumHeight(row + 2, 8)

    # -- editors from the model ---------------------------------------------------------------

    def _editor(self, row: SettingRow) -> QWidget:
        annotation = Settings.model_fields[row.field].annotation
        if annotation is bool:
            return self._checkbox(row)
        if get_origin(annotation) is Literal:
            values = list(get_args(annotation))
            labels = {value: (row.choices or {}).get(value, str(value)) for value in values}
            return self._radios(row, labels) if row.radio else self._combo(row, labels)
        if annotation is str and row.choices:  # values known only at run time (languages)
            return self._combo(row, row.choices)
        if annotation is int:
            return self._spin(row)
        raise TypeError(f"no editor for setting {row.field}: {annotation}")

    def _checkbox(self, row: SettingRow) -> QWidget:
        box = QCheckBox(row.label)
        self._setters[row.field] = lambda value: box.setChecked(bool(value))
        box.clicked.connect(lambda checked: self.save(row.field, bool(checked)))
        return box

    def _combo(self, row: SettingRow, labels: dict[Any, str]) -> QWidget:
        combo = QComboBox()
        combo.setMinimumWidth(240)
        for value, label in labels.items():
            combo.addItem(label, value)
        self._setters[row.field] = lambda value: combo.setCurrentIndex(
            max(0, combo.findData(value)))
        combo.activated.connect(lambda index: self.save(row.field, combo.itemData(index)))
        return combo

    def _radios(self, row: SettingRow, labels: dict[Any, str]) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(box)
        values = list(labels)
        for index, (value, label) in enumerate(labels.items()):
            button = QRadioButton(label)
            group.addButton(button, index)
            layout.addWidget(button)
            self.radios[(row.field, value)] = button
        self._setters[row.field] = lambda value: self.radios[(row.field, value)].setChecked(True)
        group.idClicked.connect(lambda index: self.save(row.field, values[index]))
        return box

    def _spin(self, row: SettingRow) -> QWidget:
        low, high = bounds(row.field)
        spin = QSpinBox(minimum=max(low, row.minimum or low), maximum=high)
        spin.setMaximumWidth(140)
        self._setters[row.field] = spin.setValue
        spin.editingFinished.connect(lambda: self._spin_done(row.field, spin.value()))
        return spin

    def _spin_done(self, field: str, value: int) -> None:
        if self.settings is not None and getattr(self.settings, field) != value:
            self.save(field, value)

    # -- loading and saving -------------------------------------------------------------------

    def reload(self) -> None:
        """Ask the engine for the settings in use and show them."""
        self.bridge.call_plain(lambda s: (s.settings, str(s.home)), self._show, self._failed)

    def _show(self, answer: tuple[Settings, str]) -> None:
        self.settings, self.home = answer
        for field, set_value in self._setters.items():
            set_value(getattr(self.settings, field))
        self.folder.setText(self.home)
        self.folder.setCursorPosition(0)
        self.setEnabled(True)
        self.settingsChanged.emit(self.settings)

    def save(self, field: str, value: Any) -> None:
        """Save one change through the engine (settings.json, written atomically)."""
        self._say(_("Saving…"), None)
        self.bridge.call_plain(lambda s: s.update_settings(**{field: value}),
                               lambda settings: self._saved(field, settings), self._failed)

    def _saved(self, field: str, settings: Settings) -> None:
        self.settings = settings
        note = self._notes.get(field, "")
        saved = _("Saved.")
        self._say(f"{saved} {note}".strip(), True)
        self.settingsChanged.emit(settings)

    def _failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, BellhopError) else _(
            "The settings could not be saved ({reason}). Check that the data "
            "folder can be written to, then try again.").format(
            reason=getattr(error, "strerror", None) or type(error).__name__)
        self._say(message, False)
        if self.settings is not None:  # show what is really in use
            for field, set_value in self._setters.items():
                set_value(getattr(self.settings, field))

    def _say(self, text: str, good: bool | None) -> None:
        colour = "" if good is None else (OK if good else BAD)
        self.status.setStyleSheet(f"color: {colour};" if colour else "")
        self.status.setText(text)

    def open_data_folder(self) -> None:
        """Show the data folder in the system's file manager."""
        if self.home:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.home))
