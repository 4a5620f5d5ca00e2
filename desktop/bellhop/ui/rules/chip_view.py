"""How a field chip looks: a rounded token with the field's label, the sample's value on hover."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPyTextObject,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)

from bellhop.core.i18n import _
from bellhop.core.templating import TemplateProblem, fill_in
from bellhop.core.templating.chips import Chip, Custom, custom_name, read_expression
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.field_picker import short_value
from bellhop.ui.theme import is_dark

CHIP_OBJECT = QTextFormat.ObjectTypes.UserObject + 1
SOURCE = QTextFormat.Property.UserProperty + 1  # the chip's template text
MAX_LABEL_WIDTH = 240.0
PADDING = 7.0
ARROW = 11.0

Piece = Chip | Custom


def piece_of(fmt: QTextFormat) -> Piece | None:
    """The chip a character format holds (None for plain text)."""
    if fmt.objectType() != CHIP_OBJECT:
        return None
    source = fmt.property(SOURCE)
    if not isinstance(source, str) or not source:
        return None
    return read_expression(source)


def chip_format(piece: Piece) -> QTextCharFormat:
    """The character format that shows `piece` as a chip."""
    fmt = QTextCharFormat()
    fmt.setObjectType(CHIP_OBJECT)
    fmt.setProperty(SOURCE, piece.text)
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
    return fmt


def chip_label(context: BuilderContext, piece: Piece) -> str:
    """What a chip shows: the field's label ("Order total"); a custom expression reads as
    the field it starts from, marked custom ("Items (custom)"), its source on hover."""
    if isinstance(piece, Custom):
        return custom_name(piece, context.label_of)
    return context.label_of(piece.path) + (" *" if piece.required else "")


def chip_value(context: BuilderContext, piece: Piece) -> str | None:
    """The sample's value as the chip shows it; None when the sample has no such field.

    A format the engine cannot render yet (or a value it rejects) shows the raw value."""
    if not context.has_sample:
        return None
    attempts = [piece.text]
    if isinstance(piece, Chip) and piece.required:
        attempts.append(piece.changed(required=False).text)
    for text in attempts:
        try:
            filled = fill_in(text, context.template_values())
        except TemplateProblem:
            continue
        if isinstance(piece, Chip) and piece.default is None and filled.missing:
            return None  # the sample has no such field (a run leaves it empty)
        return filled.text
    if isinstance(piece, Custom):
        return None
    try:
        return short_value(context.value_at(piece.path), 200)
    except KeyError:
        return None


def chip_hover(context: BuilderContext, piece: Piece) -> str:
    """The chip's tooltip: "Order total · NT$1,640", then where the value comes from."""
    label = chip_label(context, piece)
    value = chip_value(context, piece)
    if not context.has_sample:
        first = _("{label} · no sample event yet").format(label=label)
    elif value is None:
        first = _("{label} · not in the sample event").format(label=label)
    else:
        shown = " ".join(value.split())
        shown = shown if len(shown) <= 120 else shown[:119] + "…"
        first = f"{label} · {shown or _('(empty)')}"
    where = piece.path if isinstance(piece, Chip) else _("Custom expression")
    return f"{first}\n{where}\n{_('Click for formatting (or Shift+F10).')}"


class ChipPainter(QPyTextObject):
    """Lays out and paints the chips of one editor's document."""

    def __init__(self, context: BuilderContext, parent: QObject) -> None:
        super().__init__(parent)
        self.context = context

    def _font(self, document: QTextDocument) -> QFont:
        font = QFont(document.defaultFont())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 0.92)  # a chip fits in a line of text
        return font

    def _text(self, piece: Piece | None, metrics: QFontMetricsF) -> str:
        label = "?" if piece is None else chip_label(self.context, piece)
        return metrics.elidedText(label, Qt.TextElideMode.ElideRight, MAX_LABEL_WIDTH)

    def intrinsicSize(self, document: QTextDocument, _position: int,
                      fmt: QTextFormat) -> QSizeF:
        metrics = QFontMetricsF(self._font(document))
        text = self._text(piece_of(fmt), metrics)
        line = QFontMetricsF(document.defaultFont()).height()
        return QSizeF(metrics.horizontalAdvance(text) + 2 * PADDING + ARROW + 2, line + 2)

    def drawObject(self, painter: QPainter, rect: QRectF, document: QTextDocument,
                   _position: int, fmt: QTextFormat) -> None:
        piece = piece_of(fmt)
        custom = not isinstance(piece, Chip)
        dark = is_dark()
        if custom:
            fill, border, ink = ("#3a3c42", "#5a5d66", "#e0e2e8") if dark else \
                ("#eef0f3", "#c3c7cf", "#3b3f47")
        else:
            fill, border, ink = ("#23365f", "#4066b8", "#dce7ff") if dark else \
                ("#e6eefd", "#9db8f2", "#1c3f94")
        box = rect.adjusted(1, 1, -1, -1)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(border), 1))
        painter.setBrush(QColor(fill))
        radius = box.height() / 2
        painter.drawRoundedRect(box, radius, radius)
        font = self._font(document)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        painter.setPen(QColor(ink))
        text_box = QRectF(box.left() + PADDING, box.top(), box.width() - 2 * PADDING - ARROW,
                          box.height())
        painter.drawText(text_box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         self._text(piece, metrics))
        mid_x, mid_y = box.right() - PADDING - ARROW / 2 + 2, box.center().y() + 1
        arrow = QPainterPath(QPointF(mid_x - 3.5, mid_y - 2))
        arrow.lineTo(mid_x + 3.5, mid_y - 2)
        arrow.lineTo(mid_x, mid_y + 2.5)
        arrow.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ink))
        painter.drawPath(arrow)
        painter.restore()
