"""The inspector: the settings of the selected card, generated from its schema."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from bellhop.core.cards import ActionType
from bellhop.core.i18n import _
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.resources import icon
from bellhop.ui.rules.context import BuilderContext
from bellhop.ui.rules.filter_help import FilterHelpBox
from bellhop.ui.rules.labels import card_description, card_label, takes_template
from bellhop.ui.rules.schema_form import SchemaForm
from bellhop.ui.rules.trigger_inspector import TriggerInspector


class InspectorPanel(QScrollArea):
    """Right-hand panel: what the selected card does and its settings."""

    stepEdited = Signal(int, dict)

    def __init__(self, bridge: EngineBridge, context: BuilderContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the settings; they scroll in
        body = QWidget()
        self.setWidget(body)
        self.icon = QLabel()
        self.title = QLabel(objectName="PageTitle")
        self.title.setWordWrap(True)
        self.description = QLabel(objectName="Hint")
        self.description.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.title, 1)
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(12, 8, 12, 12)
        self.layout_.addLayout(head)
        self.layout_.addWidget(self.description)
        self.trigger = TriggerInspector(bridge, context)
        self.layout_.addWidget(self.trigger)
        self.trigger.hide()
        self.form: SchemaForm | None = None
        self.filter_help = FilterHelpBox()
        self.layout_.addWidget(self.filter_help)
        self.filter_help.hide()
        self.index = -1
        self.layout_.addStretch(1)

    def _head(self, icon_name: str, title: str, description: str) -> None:
        self.icon.setPixmap(icon(icon_name).pixmap(QSize(28, 28)))
        self.title.setText(title)
        self.description.setText(description)

    def _drop_form(self) -> None:
        self.filter_help.hide()
        if self.form is not None:
            self.layout_.removeWidget(self.form)
            self.form.deleteLater()
            self.form = None

    def show_trigger(self, rule_id: str, trigger: dict[str, Any], url: str) -> None:
        """Show the trigger's settings."""
        self._drop_form()
        self.index = -1
        self._head("webhook", _("When a webhook arrives"),
                   _("A service (Shopify, a form, LINE…) sends its news to this "
                     "address; the cards below then run in order."))
        self.trigger.set_rule(rule_id, trigger, url)
        self.trigger.show()

    def show_step(self, index: int, action: ActionType | None, step: dict[str, Any]) -> None:
        """Show one step's settings, generated from its card type's schema."""
        self._drop_form()
        self.trigger.hide()
        self.index = index
        if action is None:
            self._head("card", _("Unknown card"),
                       _("This Bellhop does not know cards of type '{type}'. Remove "
                         "the card, or update Bellhop.").format(
                           type=step.get("type")))
            return
        self._head(action.icon, f"{index + 1}. {card_label(action)}", card_description(action))
        self.form = SchemaForm(action.config_model, self.context, group_more=True)
        self.form.set_data(step)
        self.form.edited.connect(lambda data: self.stepEdited.emit(self.index, data))
        self.layout_.insertWidget(self.layout_.indexOf(self.filter_help), self.form)
        self.filter_help.setVisible(any(
            takes_template(info) for info in action.config_model.model_fields.values()))

    def focus_field(self, name: str | None) -> QWidget | None:
        """Put the cursor in one of the shown card's settings (where an error's fix points);
        the widget that has it, or None when the card has no such setting."""
        form = self.form
        row = form.rows.get(name) if form is not None and name else None
        if form is None or row is None:
            return None
        toggle = getattr(form, "more_toggle", None)
        if toggle is not None and not row.isVisibleTo(form):
            toggle.setChecked(True)  # the setting is under "More settings"
        self.ensureWidgetVisible(row)
        editor = row.editor
        target = next((widget for widget in [editor, *editor.findChildren(QWidget)]
                       if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                       and widget.isEnabled()), editor)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def show_nothing(self) -> None:
        """No rule selected."""
        self._drop_form()
        self.trigger.hide()
        self._head("rules", "", "")
