"""A text box that shows a template's fields as chips, and whose value is the template text.

`Order {{ body.name }}` shows as "Order" and a chip "Order number". A chip is one
character of the document (U+FFFC, drawn by `ChipPainter`) that carries its template
text: the caret steps over it at once, Backspace deletes it whole, copying gives the
template text and pasting template text gives chips. `text()` is exactly the text
`setText()` was given until the person edits it, so a rule edited by hand and saved
unchanged is saved byte for byte.
"""

from __future__ import annotations

import atexit
import math

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QFontMetrics,
    QHelpEvent,
    QInputMethodEvent,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QTextEdit, QToolTip, QWidget

from bellhop.core.templating.chips import Chip, Custom, Piece, describe, split
from bellhop.ui.rules.chip_menu import ChipMenu
from bellhop.ui.rules.chip_view import CHIP_OBJECT, ChipPainter, chip_format, chip_hover, piece_of
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.field_completer import FieldCompleter
from bellhop.ui.rules.fields import (
    OBJECT_CHAR,
    FieldEntry,
    completion_queries,
    matching,
    path_of,
    sample_fields,
)

MULTILINE_HEIGHT = 96


# The clipboard owns what a copy gives it. A QMimeData made in Python and still held by
# the clipboard when Python shuts down was freed by Qt after the interpreter was gone: a
# crash at exit. At exit the clipboard gets a plain copy of its text instead.
_LAST_COPY: list[QMimeData] = []


def _handed_over(data: QMimeData) -> None:
    _LAST_COPY[:] = [data]


def _give_back_the_clipboard() -> None:
    app = QApplication.instance()
    if app is None or not _LAST_COPY:
        return
    clipboard = QApplication.clipboard()
    held = clipboard.mimeData()
    if held is not None and held is _LAST_COPY[0]:
        clipboard.setText(held.text())  # Qt's own copy; ours is freed now, while Python runs
    _LAST_COPY.clear()


atexit.register(_give_back_the_clipboard)


class ChipTextEdit(QTextEdit):
    """Template text with chips; one line (Enter does nothing) or several."""

    textEdited = Signal(str)  # the template text, after every change the person makes

    def __init__(self, context: BuilderContext, single_line: bool, placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.single_line = context, single_line
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        self.document().setDocumentMargin(2)
        self.painter = ChipPainter(context, self)
        self.document().documentLayout().registerHandler(CHIP_OBJECT, self.painter)
        self.completer = FieldCompleter(self, single_line)
        self.completer.chosen.connect(self._complete)
        self.chip_menu: ChipMenu | None = None
        self._quiet = False
        self._loaded: str | None = ""  # the text as given, until the person changes it
        self._entries: list[FieldEntry] | None = None
        self._query_start = -1  # document position of what the completer replaces
        self._dismissed = -1  # Esc on the completer: not again for the same word
        self._pressed_chip = -1
        self.document().contentsChanged.connect(self._contents_changed)
        self.cursorPositionChanged.connect(self._plain_after_chip)
        context.sampleChanged.connect(self._sample_changed)
        if single_line:
            self.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            metrics = QFontMetrics(self.font())
            self.setFixedHeight(math.ceil(metrics.height() + 2 + 2 * 2 + 2 * self.frameWidth()
                                          + 2))
        else:
            self.setFixedHeight(MULTILINE_HEIGHT)

    # -- the template text ---------------------------------------------------------------

    def text(self) -> str:
        """The template text (exactly as given by setText until it is edited)."""
        if self._loaded is not None:
            return self._loaded
        return self.template_between(0, self.document().characterCount() - 1)

    def setText(self, text: str) -> None:
        """Show template text as text and chips (not an edit: no `textEdited`)."""
        self.completer.hide()
        self._quiet = True
        try:
            self.document().clear()
            cursor = QTextCursor(self.document())
            self._insert_pieces(cursor, split(text))
            self.document().clearUndoRedoStacks()
            self.moveCursor(QTextCursor.MoveOperation.Start)
        finally:
            self._quiet = False
        self._loaded = text
        self._describe()

    def pieces(self) -> list[Piece]:
        """The text as text pieces and chips."""
        return split(self.text())

    def template_between(self, start: int, end: int) -> str:
        """The template text of document positions [start, end): chips as their text."""
        document = self.document()
        out: list[str] = []
        block = document.findBlock(start)
        while block.isValid() and block.position() < end:
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                first = fragment.position()
                low, high = max(start, first), min(end, first + fragment.length())
                if low < high:
                    text = fragment.text()[low - first:high - first]
                    piece = piece_of(fragment.charFormat())
                    if piece is not None:
                        text = text.replace(OBJECT_CHAR, piece.text)
                    out.append(text)
                iterator += 1
            separator = block.position() + block.length() - 1
            if block.next().isValid() and start <= separator < end:
                out.append("\n")
            block = block.next()
        return "".join(out)

    def insert(self, text: str) -> None:
        """Insert template text at the caret, fields as chips (an edit)."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        self._insert_pieces(cursor, split(self._one_line(text)))
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def setCursorPosition(self, position: int) -> None:
        """Put the caret at a document position."""
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, self.document().characterCount() - 1)))
        self.setTextCursor(cursor)

    def _one_line(self, text: str) -> str:
        if not self.single_line:
            return text.replace("\r\n", "\n").replace("\r", "\n")
        return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text

    def _insert_pieces(self, cursor: QTextCursor, pieces: list[Piece]) -> None:
        plain = QTextCharFormat()
        for piece in pieces:
            if isinstance(piece, str):
                cursor.insertText(piece.replace("\r\n", "\n"), plain)
            else:
                cursor.insertText(OBJECT_CHAR, chip_format(piece))
        cursor.setCharFormat(plain)

    def _contents_changed(self) -> None:
        if self._quiet:
            return
        self._loaded = None
        self._describe()
        self.textEdited.emit(self.text())

    def _describe(self) -> None:
        """Tell screen readers the text with the chips' names (their U+FFFC says nothing)."""
        self.setAccessibleDescription(describe(self.text(), self.context.label_of))

    def _plain_after_chip(self) -> None:
        """Typing next to a chip writes plain text, not more of the chip's format."""
        # (with a selection, setCurrentCharFormat would restyle it and unmake its chips)
        if not self.textCursor().hasSelection() and \
                self.currentCharFormat().objectType() == CHIP_OBJECT:
            self.setCurrentCharFormat(QTextCharFormat())

    def _sample_changed(self) -> None:
        self._entries = None
        document = self.document()
        document.markContentsDirty(0, document.characterCount())  # labels may change
        self.viewport().update()

    # -- chips at positions ---------------------------------------------------------------

    def piece_at(self, position: int) -> Chip | Custom | None:
        """The chip at a document position (None for text)."""
        if not 0 <= position < self.document().characterCount() - 1 or \
                self.document().characterAt(position) != OBJECT_CHAR:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(position + 1)
        return piece_of(cursor.charFormat())

    def chip_positions(self) -> list[int]:
        """Document positions of the chips, in order."""
        return [position for position in range(self.document().characterCount() - 1)
                if self.piece_at(position) is not None]

    def chip_rect(self, position: int) -> QRect:
        """Where the chip at `position` is drawn, in viewport coordinates."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        left = self.cursorRect(cursor)
        cursor.setPosition(position + 1)
        right = self.cursorRect(cursor)
        end = right.left() if right.top() == left.top() else self.viewport().width()
        return QRect(left.left(), left.top(), max(1, end - left.left()), left.height())

    def chip_under(self, point: QPoint) -> int:
        """The position of the chip under a viewport point; -1 when there is none."""
        position = self.cursorForPosition(point).position()
        for candidate in (position, position - 1):
            if self.piece_at(candidate) is not None and \
                    self.chip_rect(candidate).adjusted(0, -2, 0, 2).contains(point):
                return candidate
        return -1

    def _chip_near_caret(self) -> int:
        cursor = self.textCursor()
        if cursor.hasSelection() and cursor.selectionEnd() - cursor.selectionStart() == 1 and \
                self.piece_at(cursor.selectionStart()) is not None:
            return cursor.selectionStart()
        for candidate in (cursor.position() - 1, cursor.position()):
            if self.piece_at(candidate) is not None:
                return candidate
        return -1

    def replace_chip(self, position: int, pieces: list[Piece]) -> None:
        """Put `pieces` where the chip at `position` is ([] removes it); one undo step."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        self._insert_pieces(cursor, pieces)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.setFocus()

    def open_chip_menu(self, position: int) -> ChipMenu | None:
        """Show the menu of the chip at `position` under it."""
        piece = self.piece_at(position)
        if piece is None:
            return None
        self.completer.hide()
        self.chip_menu = ChipMenu(self.context, piece,
                                  lambda pieces: self.replace_chip(position, pieces), self)
        rect = self.chip_rect(position)
        self.chip_menu.popup(self.viewport().mapToGlobal(rect.bottomLeft()))
        return self.chip_menu

    # -- the person's keys, clicks and drops -----------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Tab would move the focus before keyPressEvent sees it; with the list open it
        # inserts the field instead.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() == Qt.Key.Key_Tab and self.completer.isVisible():
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.completer.isVisible() and self.completer.handle_key(event):
            if event.key() == Qt.Key.Key_Escape:
                self._dismissed = self._query_start
            return
        key, modifiers = event.key(), event.modifiers()
        wants_menu = key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and modifiers & Qt.KeyboardModifier.ShiftModifier) or (
            key == Qt.Key.Key_Down and modifiers & Qt.KeyboardModifier.AltModifier)
        if wants_menu and self._chip_near_caret() >= 0:
            self.open_chip_menu(self._chip_near_caret())
            return
        if self.single_line and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()  # one line: Enter is for the window (as in a QLineEdit)
            return
        super().keyPressEvent(event)
        typed = bool(event.text()) and event.text().isprintable()
        self._after_typing(typed or key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete))

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        super().inputMethodEvent(event)
        if event.commitString():
            self._after_typing(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if not self.completer.underMouse():  # a click on the list is for the list
            self.completer.hide()
        super().focusOutEvent(event)

    def _after_typing(self, typed: bool) -> None:
        if not typed:
            self.completer.hide()
            return
        self._chip_from_braces()
        self._update_completer()

    def _before_caret(self) -> tuple[int, str]:
        cursor = self.textCursor()
        block = cursor.block()
        return block.position(), block.text()[:cursor.position() - block.position()]

    def _chip_from_braces(self) -> None:
        """`{{ body.name }}` typed by hand becomes a chip as its `}}` is typed."""
        start, before = self._before_caret()
        if not before.endswith("}}"):
            return
        opening = before.rfind("{{", 0, len(before) - 2)
        if opening < 0 or OBJECT_CHAR in before[opening:]:
            return
        pieces = split(before[opening:])
        if len(pieces) != 1 or isinstance(pieces[0], str):
            return
        cursor = self.textCursor()
        cursor.setPosition(start + opening, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        self._insert_pieces(cursor, pieces)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def fields(self) -> list[FieldEntry]:
        """The sample's fields the completer offers."""
        if self._entries is None:
            self._entries = sample_fields(self.context)
        return self._entries

    def _update_completer(self) -> None:
        start, before = self._before_caret()
        queries = completion_queries(before)
        if not queries:
            self._dismissed = -1  # a new word may show the list again
        for query in queries:
            found = matching(self.fields(), query.text, anywhere=query.braces)
            if found:
                self._query_start = start + query.start
                if self._query_start == self._dismissed:
                    break
                caret = self.cursorRect()
                self.completer.show_entries(found, QRect(
                    self.viewport().mapToGlobal(caret.topLeft()), caret.size()))
                return
        self.completer.hide()

    def _complete(self, entry: FieldEntry) -> None:
        """Put the chosen field where its name was being typed."""
        cursor = self.textCursor()
        cursor.setPosition(self._query_start, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        self._insert_pieces(cursor, [Chip(entry.path)])
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.completer.hide()
        self._pressed_chip = self.chip_under(event.position().toPoint()) \
            if event.button() == Qt.MouseButton.LeftButton else -1
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        chip = self.chip_under(event.position().toPoint())
        if chip >= 0 and chip == self._pressed_chip and not self.textCursor().hasSelection():
            QTimer.singleShot(0, lambda: self.open_chip_menu(chip))
        self._pressed_chip = -1

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        chip = self._chip_near_caret() if event.reason() == QContextMenuEvent.Reason.Keyboard \
            else self.chip_under(event.pos())
        if chip >= 0:
            self.open_chip_menu(chip)
            return
        super().contextMenuEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            chip = self.chip_under(event.pos())
            if chip >= 0:
                piece = self.piece_at(chip)
                assert piece is not None
                QToolTip.showText(event.globalPos(), chip_hover(self.context, piece),
                                  self.viewport(), self.chip_rect(chip))
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def createMimeDataFromSelection(self) -> QMimeData:
        cursor = self.textCursor()
        data = QMimeData()
        data.setText(self.template_between(cursor.selectionStart(), cursor.selectionEnd()))
        _handed_over(data)
        return data

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return path_of(source) is not None or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        path = path_of(source)
        if path is not None:
            cursor = self.textCursor()
            cursor.beginEditBlock()
            self._insert_pieces(cursor, [Chip(path)])
            cursor.endEditBlock()
            self.setTextCursor(cursor)
            self.setFocus()
        elif source.hasText():
            self.insert(source.text())

