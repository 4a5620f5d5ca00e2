"""Tab in reading order: left to right, top to bottom, as the layouts place the widgets.

Qt's Tab order is the order in which widgets were created, so a widget made later
(a rule's on/off switch, a card added to the chain, the form of the selected card)
comes after everything else in the window. `put_in_reading_order` works the order
out again from the layouts, which already say where each widget is, and sets it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLayout,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabBar,
    QWidget,
)

# Controls that are one stop for Tab, whatever widgets they are made of inside.
_WHOLE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractSlider, QTabBar)
_BACKWARDS = (QBoxLayout.Direction.RightToLeft, QBoxLayout.Direction.BottomToTop)


def takes_tab(widget: QWidget) -> bool:
    """True when Tab can stop on the widget: itself, or the widget its focus goes to.

    Qt counts a widget whose focus goes to another (a focus proxy, as an editor hands
    its focus to its text box) as a stop of its own, so it must have its place too.
    """
    while widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) == Qt.FocusPolicy.TabFocus


def reading_order(root: QWidget) -> list[QWidget]:
    """Every widget under `root` that Tab can stop on, in reading order (hidden ones too)."""
    found: list[QWidget] = []
    _visit(root, found, {})
    return found


def put_in_reading_order(root: QWidget) -> bool:
    """Set the Tab order of `root`'s window part to reading order; False if it already was."""
    wanted = reading_order(root)
    if len(wanted) < 2 or _current_order(root, set(map(id, wanted))) == [id(w) for w in wanted]:
        return False
    # Qt leaves a widget without a focus policy where it is, even one whose focus goes to
    # a child (an editor and its text box), and Tab still stops there: for the moment of
    # the move it takes Tab focus, and Qt then moves it together with its child.
    lent = [widget for widget in wanted if widget.focusPolicy() == Qt.FocusPolicy.NoFocus]
    for widget in lent:
        widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    try:
        for first, second in pairwise(wanted):
            QWidget.setTabOrder(first, second)
    finally:
        for widget in lent:
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return True


def _current_order(root: QWidget, wanted: set[int]) -> list[int]:
    order, widget = [], root.nextInFocusChain()
    while widget is not root and widget is not None and len(order) < 100_000:
        if id(widget) in wanted:
            order.append(id(widget))
        widget = widget.nextInFocusChain()
    return order


def _visit(widget: QWidget, found: list[QWidget], seen: dict[int, QWidget]) -> None:
    # `seen` holds the widgets too: an id is only unique while its object lives.
    if id(widget) in seen:
        return
    seen[id(widget)] = widget
    if takes_tab(widget):
        found.append(widget)
    if isinstance(widget, QAbstractItemView):
        for row_widget in _row_widgets(widget):
            _visit(row_widget, found, seen)
        return
    if isinstance(widget, _WHOLE) or (isinstance(widget, QAbstractScrollArea)
                                      and not isinstance(widget, QScrollArea)):
        return
    for child in _children(widget):
        if not child.isWindow():  # a dialog or a popup has a Tab order of its own
            _visit(child, found, seen)


def _children(widget: QWidget) -> list[QWidget]:
    """The widget's child widgets in reading order: the layout's, then any others by place."""
    if isinstance(widget, QScrollArea):
        return [widget.widget()] if widget.widget() is not None else []
    if isinstance(widget, QSplitter):
        return [widget.widget(i) for i in range(widget.count())]
    if isinstance(widget, QMainWindow):
        parts = [widget.menuWidget(), widget.centralWidget(), widget.statusBar()]
        return [part for part in parts if part is not None]
    ordered = list(_layout_widgets(widget.layout())) if widget.layout() is not None else []
    placed = {id(child) for child in ordered}  # `ordered` keeps them alive meanwhile
    # findChildren, not children(): a wrapper made for one of Qt's private helper objects
    # (a label's text control) crashed Qt later on.
    rest = [child for child in widget.findChildren(
        QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly) if id(child) not in placed]
    rest.sort(key=lambda child: (child.y(), child.x()))
    return ordered + rest


def _layout_widgets(layout: QLayout) -> Iterator[QWidget]:
    count = layout.count()
    indexes = list(range(count))
    if isinstance(layout, QGridLayout):  # items are kept in the order they were added
        indexes.sort(key=lambda i: layout.getItemPosition(i)[:2])
    elif isinstance(layout, QFormLayout):
        indexes.sort(key=lambda i: (layout.getItemPosition(i)[0],
                                    layout.getItemPosition(i)[1].value))
    elif isinstance(layout, QBoxLayout) and layout.direction() in _BACKWARDS:
        indexes.reverse()
    for index in indexes:
        item = layout.itemAt(index)
        if item is None:
            continue
        if item.widget() is not None:
            yield item.widget()
        elif item.layout() is not None:
            yield from _layout_widgets(item.layout())


def _row_widgets(view: QAbstractItemView) -> list[QWidget]:
    """Widgets set on a list's rows (a rule's on/off switch), in row order.

    Only QListWidget's rows are looked at: the big views (Activity's table) hold none, and
    asking each of their cells on every Tab would cost more than the whole rest.
    """
    if not isinstance(view, QListWidget):
        return []
    rows = (view.itemWidget(view.item(row)) for row in range(view.count()))
    return [row for row in rows if row is not None]
