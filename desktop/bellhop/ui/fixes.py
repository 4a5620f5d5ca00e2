"""The button beside an error that takes the person to its fix, in words and as a widget.

An error's fix (core/errors.py: a kind and its target) is stored with its step; here it
becomes a translated button. What the button then does is the main window's business
(`MainWindow.apply_fix`): it knows the pages.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from bellhop.core.errors import FIX_KINDS, Fix
from bellhop.core.i18n import _


def fix_words(fix: Fix | None) -> tuple[str, str] | None:
    """The button's text and its tooltip for a fix; None when there is nothing to offer."""
    if not fix or fix[0] not in FIX_KINDS:
        return None
    kind, target = fix[0], fix[1:]
    if kind == "open_account" and target:
        return (_("Open account “{name}”").format(name=target[0]),
                _("Shows this account on the Accounts page, where you can change it."))
    if kind == "sign_in_google" and target:
        return (_("Sign in to Google again"),
                _("Shows the Google account “{name}” on the Accounts page, at “Sign in "
                  "with Google”.").format(name=target[0]))
    if kind == "edit_card":
        if target and target[0] == 0:  # step 0 is the trigger's own (SurveyCake's answers)
            return (_("Edit the trigger"),
                    _("Opens this rule with its trigger selected, where the setting is."))
        return (_("Edit this card"),
                _("Opens this rule with the card selected, at the setting to change."))
    if kind == "connect_tunnel":
        return (_("Connect the tunnel"),
                _("Shows the tunnel settings: with the tunnel on, services on the internet "
                  "can reach this computer."))
    return None


class FixButton(QPushButton):
    """Shows an error's fix as a button (hidden when there is none); `fixRequested` on a
    click carries the fix."""

    fixRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FixButton")
        self.fix: Fix | None = None
        self.clicked.connect(lambda: self.fix and self.fixRequested.emit(self.fix))
        self.hide()

    def show_fix(self, fix: Fix | None) -> None:
        """Offer this fix (None: hide the button)."""
        words = fix_words(fix)
        self.fix = fix if words else None
        if words is None:
            self.hide()
            return
        self.setText(words[0])
        self.setToolTip(words[1])
        self.setAccessibleDescription(words[1])
        self.show()
