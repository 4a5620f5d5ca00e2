"""Picking a field of the sample event by its name (Order total), and previewing templates."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bellhop.core.i18n import _, ngettext
from bellhop.core.running.fieldlabels import field_label, sender_of
from bellhop.core.templating import TemplateProblem, fill_in, is_template
from bellhop.core.templating.chips import TOP_LEVEL, path_source
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.fields import LIST_ITEMS_SHOWN, field_mime
from bellhop.ui.rules.popups import place_below, screen_area
from bellhop.ui.theme import BAD, WARN

PATH_ROLE = Qt.ItemDataRole.UserRole
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # a value shown right-aligned in grey (completer)


def path_text(parts: list[str | int]) -> str:
    """['body', 'line_items', 0, 'price'] → 'body.line_items[0].price' (quoted when needed)."""
    return path_source(parts)


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


class FieldItemDelegate(QStyledItemDelegate):
    """A field as a person reads it: its label, then its path in grey (and a value)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        label, item.text = item.text, ""
        style = item.widget.style() if item.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        ink = item.palette.color(QPalette.ColorRole.HighlightedText if selected
                                 else QPalette.ColorRole.Text)
        grey = QColor(ink) if selected else item.palette.color(QPalette.ColorRole.PlaceholderText)
        if selected:
            grey.setAlpha(190)
        if style is not None:
            area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, item.widget)
        else:
            area = QRect(option.rect)
        area = area.adjusted(2, 0, -2, 0)
        metrics = item.fontMetrics
        painter.save()
        value = str(index.data(VALUE_ROLE) or "")
        if value:
            shown = metrics.elidedText(value, Qt.TextElideMode.ElideRight, area.width() // 3)
            painter.setPen(grey)
            painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             shown)
            area.setRight(area.right() - metrics.horizontalAdvance(shown) - 10)
        shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, area.width())
        painter.setPen(ink)
        painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, shown)
        rest = area.width() - metrics.horizontalAdvance(shown) - 8
        path = str(index.data(PATH_ROLE) or "")
        if path and rest > 30:
            path_area = QRect(area.left() + area.width() - rest, area.top(), rest, area.height())
            painter.setPen(grey)
            painter.drawText(path_area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             metrics.elidedText(path, Qt.TextElideMode.ElideMiddle, rest))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 8))


class FieldTree(QTreeWidget):
    """The picker's tree; a field dragged out of it carries its path."""

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> Any:
        paths = [item.data(0, PATH_ROLE) for item in items if item.data(0, PATH_ROLE)]
        return field_mime(paths[0]) if paths else super().mimeData(items)

    def startDrag(self, actions: Qt.DropAction) -> None:
        popup = self.window()
        popup.hide()  # out of the way of the editor the field is dropped on
        super().startDrag(actions)
        popup.close()


class FieldPickerPopup(QFrame):
    """A pop-up tree of the sample's fields by name, with their values; Enter, a click or a
    drag onto an editor picks one."""

    chosen = Signal(str)  # the field's path, e.g. body.customer.email

    def __init__(self, context: BuilderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("FieldPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.resize(480, 380)
        self.context = context
        self._done = False
        self.search = QLineEdit(placeholderText=_("Search fields or values"))
        self.search.setAccessibleName(_("Search fields or values"))
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.tree = FieldTree()
        self.tree.setAccessibleName(_("Fields of the sample event"))
        self.tree.setHeaderLabels([_("Field"), _("Sample value")])
        self.tree.setColumnWidth(0, 250)
        self.tree.setItemDelegateForColumn(0, FieldItemDelegate(self.tree))
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._clicked)
        hint = QLabel(_("Double-click a field, press Enter or drag it onto the box."))
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
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
            self._add(self.tree.invisibleRootItem(), [key], value)
        body = self.item_for("body")
        if body is not None:
            body.setExpanded(True)
        if not context.has_sample:
            empty = QTreeWidgetItem(self.tree, [_("No sample event yet"), ""])
            empty.setDisabled(True)

    def _add(self, parent: QTreeWidgetItem, parts: list[str | int], value: Any) -> None:
        path = path_text(parts)
        label = self.context.label_of(path)
        item = QTreeWidgetItem(parent, [label, short_value(value)])
        item.setData(0, PATH_ROLE, path)
        item.setToolTip(0, f"{label}\n{path}")
        item.setToolTip(1, short_value(value, 400))
        if isinstance(value, Mapping):
            for key, child in value.items():
                self._add(item, [*parts, str(key)], child)
        elif isinstance(value, list):
            for index, child in enumerate(value[:LIST_ITEMS_SHOWN]):
                self._add(item, [*parts, index], child)

    def item_for(self, path: str) -> QTreeWidgetItem | None:
        """The tree item of a field path."""
        found = [item for item in self._items() if item.data(0, PATH_ROLE) == path]
        return found[0] if found else None

    def _items(self) -> list[QTreeWidgetItem]:
        """Every item, in the order the tree shows them."""
        items: list[QTreeWidgetItem] = []

        def visit(node: QTreeWidgetItem) -> None:
            for i in range(node.childCount()):
                items.append(node.child(i))
                visit(node.child(i))

        visit(self.tree.invisibleRootItem())
        return items

    def visible_items(self) -> list[QTreeWidgetItem]:
        """The items the search leaves, in order."""
        return [item for item in self._items() if not item.isHidden() and
                item.data(0, PATH_ROLE)]

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
        if path and not self._done:  # once: Enter reaches the tree and then this pop-up
            self._done = True
            self.close()
            self.chosen.emit(path)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for item in self._items():
            item.setHidden(bool(needle))
        if not needle:
            return
        first: QTreeWidgetItem | None = None
        for item in self._items():
            path = str(item.data(0, PATH_ROLE) or "").casefold()
            if needle in item.text(0).casefold() or needle in item.text(1).casefold() or \
                    needle in path:
                first = first or item
                node: QTreeWidgetItem | None = item
                while node is not None:
                    node.setHidden(False)
                    node.setExpanded(True)
                    node = node.parent()
        if first is not None:
            self.tree.setCurrentItem(first)

    def popup_at(self, anchor: QPoint | QRect) -> None:
        """Show under `anchor` (global; a point or the rectangle of what opened it), inside
        the screen: above it when there is no room below, moved left at the right edge."""
        rect = anchor if isinstance(anchor, QRect) else QRect(anchor, QSize(1, 1))
        self.setGeometry(place_below(rect, self.size(), screen_area(self.parentWidget() or
                                                                    self)))
        self.show()
        self.search.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress and \
                isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down:
            visible = self.visible_items()
            if visible:
                current = self.tree.currentItem()
                if current is None or current.isHidden():
                    self.tree.setCurrentItem(visible[0])
                self.tree.setFocus()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.tree.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current is not None \
                and not current.isHidden():
            self._activated(current)
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
