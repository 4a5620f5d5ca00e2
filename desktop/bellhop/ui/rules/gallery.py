"""The "New rule" gallery: start from a ready-made rule or a blank one."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.gallery.starters import STARTERS, Starter
from bellhop.core.i18n import _
from bellhop.ui.resources import icon

KEY_ROLE = Qt.ItemDataRole.UserRole


class NewRuleDialog(QDialog):
    """Choose a starting point and a name for a new rule."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New rule"))
        self.resize(600, 680)
        intro = QLabel(_("What should happen? Pick a starting point; you can change "
                         "every card afterwards."))
        intro.setWordWrap(True)
        self.choices = QListWidget()
        self.choices.setSpacing(4)
        self.choices.setStyleSheet(
            "QListWidget { border: none; background: transparent; }"
            "QListWidget::item { border: 1px solid palette(mid); border-radius: 10px;"
            " background: palette(base); }"
            "QListWidget::item:selected { border: 2px solid palette(highlight);"
            " background: palette(base); }"
            # With a transparent list, the scroll bar's track otherwise shows as black.
            "QScrollBar:vertical { background: palette(window); width: 12px; }"
            "QScrollBar::handle:vertical { background: palette(mid); border-radius: 5px;"
            " min-height: 24px; margin: 2px; }"
            "QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }"
            "QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical"
            " { background: none; }")
        for starter in STARTERS:
            item = QListWidgetItem(self.choices)
            item.setData(KEY_ROLE, starter.key)
            item.setToolTip(starter.blurb())
            tile = self._tile(starter)
            item.setSizeHint(QSize(440, max(tile.sizeHint().height(), 64)))
            self.choices.setItemWidget(item, tile)
        self.choices.setCurrentRow(0)
        self.choices.currentItemChanged.connect(self._suggest_name)
        self.choices.itemActivated.connect(lambda _: self.accept())
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Rule name"))
        self._suggested = ""
        self._suggest_name()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        create = buttons.addButton(_("Create rule"), QDialogButtonBox.ButtonRole.AcceptRole)
        create.setProperty("primary", True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.choices, 1)
        layout.addWidget(QLabel(_("Name")))
        layout.addWidget(self.name)
        layout.addWidget(buttons)

    def _tile(self, starter: Starter) -> QWidget:
        picture = QLabel()
        picture.setPixmap(icon(starter.icon).pixmap(QSize(32, 32)))
        title = QLabel(starter.label(), objectName="CardTitle")
        blurb = QLabel(starter.blurb(), objectName="Hint")
        blurb.setWordWrap(True)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(title)
        text.addWidget(blurb)
        tile = QWidget()
        row = QHBoxLayout(tile)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(12)
        row.addWidget(picture)
        row.addLayout(text, 1)
        return tile

    def _suggest_name(self) -> None:
        starter = self.starter()
        if not self.name.text() or self.name.text() == self._suggested:
            self._suggested = starter.suggested_name()
            self.name.setText(self._suggested)

    def starter(self) -> Starter:
        """The chosen starting point."""
        item = self.choices.currentItem()
        key = item.data(KEY_ROLE) if item is not None else "blank"
        return next(s for s in STARTERS if s.key == key)

    def rule_name(self) -> str:
        """The name typed (or suggested)."""
        return self.name.text().strip() or _("My rule")
