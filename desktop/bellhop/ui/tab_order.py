"""Tab in reading order: left to right, top to bottom, as the layouts place the widgets.

Qt's Tab order is the order in which widgets were created, so a widget made later
(a rule's on/off switch, a card added to the chain, the form of the selected card)
comes after everything else in the window. `move_focus` works the order out from the
layouts, which already say where each widget is, and moves the focus along it.

It does not rewrite Qt's focus chain with setTabOrder: Qt moves a whole range of the
chain when a widget has a child that hands it the focus (every scroll area's viewport
does), leaves widgets without a focus policy in place even when Tab stops on them
through a focus proxy, and the chain came out split into separate rings.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
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


def tab_stops(root: QWidget) -> list[QWidget]:
    """The controls Tab goes to under `root` now, in reading order: shown, enabled, each once
    (a widget whose focus goes to a child counts as that child)."""
    stops: list[QWidget] = []
    for widget in reading_order(root):
        target = _focus_target(widget)
        if (widget.isVisibleTo(root) and target.isVisibleTo(root) and target.isEnabled()
                and takes_tab(target) and target not in stops):
            stops.append(target)
    return stops


def move_focus(root: QWidget, forward: bool) -> bool:
    """Tab (or Shift+Tab) to the next control in reading order; False when the focus is on
    nothing Tab knows, so that Qt's own order takes over."""
    stops = tab_stops(root)
    current = QApplication.focusWidget()
    if current is None or current not in stops:
        return False
    index = stops.index(current) + (1 if forward else -1)
    target = stops[index % len(stops)]
    target.setFocus(Qt.FocusReason.TabFocusReason if forward else
                    Qt.FocusReason.BacktabFocusReason)
    parent = target.parentWidget()
    while parent is not None and parent is not root:  # bring it into view where it scrolls
        if isinstance(parent, QScrollArea) and parent.widget() is not target:
            parent.ensureWidgetVisible(target)
        parent = parent.parentWidget()
    return True


def _focus_target(widget: QWidget) -> QWidget:
    while widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget


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
