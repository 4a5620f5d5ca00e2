"""Picking a field of the sample event (body › customer › email), and previewing templates."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _, ngettext
from bellhop.core.running.fieldlabels import field_label, sender_of
from bellhop.core.templating import TemplateProblem, fill_in, is_template
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.theme import BAD, WARN

PATH_ROLE = Qt.ItemDataRole.UserRole
LIST_ITEMS_SHOWN = 5
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TOP_LEVEL = ("body", "query", "headers", "method", "received_at", "event_id", "rule", "steps")


def path_text(parts: list[str | int]) -> str:
    """['body', 'line_items', 0, 'price'] → 'body.line_items[0].price' (quoted when needed)."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _NAME.match(part):
            text += f".{part}" if text else part
        else:
            text += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return text


def template_expression(path: str) -> str:
    """The template text that inserts a field: '{{ body.name }}'."""
    return "{{ " + path + " }}"


def short_value(value: Any, limit: int = 60) -> str:
    """A sample value in one short line."""
    if isinstance(value, Mapping):
        return ngettext("{n} field", "{n} fields", len(value)).format(n=len(value))
    if isinstance(value, list):
        return ngettext("{n} item", "{n} items", len(value)).format(n=len(value))
    text = "" if value is None else json.dumps(value, ensure_ascii=False) if not isinstance(
        value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FieldPickerPopup(QFrame):
    """A pop-up tree of the sample's fields with their values; Enter or a click picks one."""

    chosen = Signal(str)  # the field's path, e.g. body.customer.email

    def __init__(self, context: BuilderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("FieldPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.resize(460, 380)
        self.search = QLineEdit(placeholderText=_("Search fields or values"))
        self.search.textChanged.connect(self._filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Field"), _("Sample value")])
        self.tree.setColumnWidth(0, 210)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._clicked)
        hint = QLabel(_("Double-click a field (or press Enter) to insert it."))
        hint.setObjectName("Hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        values = context.values()
        for key in TOP_LEVEL:
            value = values.get(key)
            if key in ("query", "steps") and not value:
                continue
            self._add(self.tree.invisibleRootItem(), [key], key, value)
        body = self.item_for("body")
        if body is not None:
            body.setExpanded(True)
        if not context.has_sample:
            empty = QTreeWidgetItem(self.tree, [_("No sample event yet"), ""])
            empty.setDisabled(True)

    def _add(self, parent: QTreeWidgetItem, parts: list[str | int], name: str,
             value: Any) -> None:
        item = QTreeWidgetItem(parent, [name, short_value(value)])
        path = path_text(parts)
        item.setData(0, PATH_ROLE, path)
        item.setToolTip(0, template_expression(path))
        item.setToolTip(1, short_value(value, 400))
        if isinstance(value, Mapping):
            for key, child in value.items():
                self._add(item, [*parts, str(key)], str(key), child)
        elif isinstance(value, list):
            for index, child in enumerate(value[:LIST_ITEMS_SHOWN]):
                self._add(item, [*parts, index], f"[{index}]", child)

    def item_for(self, path: str) -> QTreeWidgetItem | None:
        """The tree item of a field path."""
        found = [item for item in self._items() if item.data(0, PATH_ROLE) == path]
        return found[0] if found else None

    def _items(self) -> list[QTreeWidgetItem]:
        items, stack = [], [self.tree.invisibleRootItem()]
        while stack:
            node = stack.pop()
            for i in range(node.childCount()):
                items.append(node.child(i))
                stack.append(node.child(i))
        return items

    def choose(self, path: str) -> bool:
        """Pick the field at `path` as if the person double-clicked it."""
        item = self.item_for(path)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        self._activated(item)
        return True

    def _clicked(self, item: QTreeWidgetItem) -> None:
        if item.childCount() == 0:  # a leaf: one click is enough
            self._activated(item)

    def _activated(self, item: QTreeWidgetItem) -> None:
        path = item.data(0, PATH_ROLE)
        if path:
            self.chosen.emit(path)
            self.close()

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for item in self._items():
            item.setHidden(bool(needle))
        if not needle:
            return
        for item in self._items():
            if needle in item.text(0).casefold() or needle in item.text(1).casefold():
                node: QTreeWidgetItem | None = item
                while node is not None:
                    node.setHidden(False)
                    node.setExpanded(True)
                    node = node.parent()

    def popup_at(self, point: QPoint) -> None:
        """Show under a button."""
        self.move(point)
        self.show()
        self.search.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.tree.currentItem():
            self._activated(self.tree.currentItem())
            return
        super().keyPressEvent(event)


class TemplatePreviewLabel(QLabel):
    """Under a templated field: what it becomes for the sample event, or why it cannot."""

    def __init__(self, context: BuilderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failed = False
        self.missing: list[str] = []  # fields the sample lacks, left empty
        self._source = ""
        context.sampleChanged.connect(self.refresh)  # a bound slot: dropped with the label

    def refresh(self) -> None:
        """Render again (the sample changed)."""
        self.show_for(self._source)

    def show_for(self, source: str) -> None:
        """Render `source` against the sample and show the result (hidden for plain text)."""
        self._source = source
        self.failed = False
        self.missing = []
        if not is_template(source):
            self.hide()
            return
        self.show()
        if not self.context.has_sample:
            self._say(_("Choose a sample event on the trigger card to see a preview."),
                      None)
            return
        values = self.context.template_values()
        try:
            filled = fill_in(source, values)
        except TemplateProblem as exc:
            if "steps" in source and not self.context.step_outputs:
                self._say(_("Uses what an earlier card gives: press Run test to see it."), None)
                return
            self.failed = True
            self._say(exc.message, BAD)
            return
        text = filled.text
        shown = text if len(text) <= 300 else text[:299] + "…"
        preview = _("Preview: {text}").format(text=shown or _("(empty)"))
        if not filled.missing:
            self._say(preview, None)
            return
        # Not a mistake: a run leaves such a field empty, and says so in its warnings.
        sender = sender_of(values.get("headers"), values.get("body"))
        self.missing = [gap.path for gap in filled.missing]
        names = ", ".join(dict.fromkeys(field_label(path, sender) for path in self.missing))
        self._say(preview + "\n" + ngettext(
            "The sample has no {fields}: a run leaves it empty and says so.",
            "The sample has none of {fields}: a run leaves them empty and says so.",
            len(self.missing)).format(fields=names), WARN)

    def _say(self, text: str, colour: str | None) -> None:
        self.setText(text)
        self.setStyleSheet(f"color: {colour};" if colour else "color: palette(placeholder-text);")
