"""The rule being edited, as a raw dict in rules.json's format, and undoable chain edits."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

Step = dict[str, Any]


class RuleDraft(QObject):
    """One rule's raw dict with change signals; saving it is the page's job."""

    chainChanged = Signal(int)  # cards added, removed or moved; the card to select after
    stepEdited = Signal(int)  # one step's settings changed
    edited = Signal()  # anything changed (name, trigger, steps)
    dirtyChanged = Signal(bool)

    def __init__(self, raw: dict[str, Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.raw = copy.deepcopy(raw)
        if not isinstance(self.raw.get("steps"), list):
            self.raw["steps"] = []
        if not isinstance(self.raw.get("trigger"), dict):
            self.raw["trigger"] = {"type": "webhook"}
        self.undo_stack = QUndoStack(self)
        self.dirty = False
        self.saved = copy.deepcopy(self.raw)  # what rules.json holds: dirty means different

    @property
    def id(self) -> str:
        return str(self.raw.get("id") or "")

    @property
    def name(self) -> str:
        return str(self.raw.get("name") or "")

    @property
    def steps(self) -> list[Step]:
        return self.raw["steps"]

    @property
    def trigger(self) -> dict[str, Any]:
        return self.raw["trigger"]

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the rule to hand to the engine."""
        return copy.deepcopy(self.raw)

    def set_clean(self, saved: dict[str, Any] | None = None) -> None:
        """`saved` (by default the draft as it is now) is what rules.json holds now."""
        self.saved = copy.deepcopy(self.raw if saved is None else saved)
        self._set_dirty(self._differs())

    def set_enabled(self, on: bool) -> None:
        """The rule was turned on or off in the list (saved there, at once)."""
        self.raw["enabled"] = on
        self.saved["enabled"] = on

    def _differs(self) -> bool:
        # On/off is saved by the list's switch, not by Save: it never makes a draft dirty.
        return ({k: v for k, v in self.raw.items() if k != "enabled"}
                != {k: v for k, v in self.saved.items() if k != "enabled"})

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirtyChanged.emit(dirty)

    def _touched(self) -> None:
        # Undoing back to what is saved (or typing the old name again) is clean again.
        self._set_dirty(self._differs())
        self.edited.emit()

    def set_name(self, name: str) -> None:
        """Rename the rule."""
        if name != self.raw.get("name"):
            self.raw["name"] = name
            self._touched()

    def set_trigger(self, trigger: dict[str, Any]) -> None:
        """Replace the trigger's settings."""
        if trigger != self.raw.get("trigger"):
            self.raw["trigger"] = trigger
            self._touched()

    def set_step(self, index: int, step: Step) -> None:
        """Replace one step's settings (the inspector's edits)."""
        if 0 <= index < len(self.steps) and step != self.steps[index]:
            self.steps[index] = step
            self.stepEdited.emit(index)
            self._touched()

    # The three chain edits; only the undo commands below call them.

    def _insert(self, index: int, step: Step) -> None:
        self.steps.insert(index, step)
        self.chainChanged.emit(index)
        self._touched()

    def _remove(self, index: int) -> Step:
        step = self.steps.pop(index)
        self.chainChanged.emit(min(index, len(self.steps) - 1) if self.steps else -1)
        self._touched()
        return step

    def _move(self, source: int, target: int) -> None:
        self.steps.insert(target, self.steps.pop(source))
        self.chainChanged.emit(target)
        self._touched()


class InsertCardCommand(QUndoCommand):
    """Add a card at a place in the chain."""

    def __init__(self, draft: RuleDraft, index: int, step: Step, text: str) -> None:
        super().__init__(text)
        self.draft, self.index, self.step = draft, index, step

    def redo(self) -> None:
        self.draft._insert(self.index, copy.deepcopy(self.step))

    def undo(self) -> None:
        self.step = self.draft._remove(self.index)  # keeps edits made since, for redo


class RemoveCardCommand(QUndoCommand):
    """Take a card out of the chain."""

    def __init__(self, draft: RuleDraft, index: int, text: str) -> None:
        super().__init__(text)
        self.draft, self.index = draft, index
        self.step: Step = {}

    def redo(self) -> None:
        self.step = self.draft._remove(self.index)

    def undo(self) -> None:
        self.draft._insert(self.index, self.step)


class MoveCardCommand(QUndoCommand):
    """Move a card to another place in the chain."""

    def __init__(self, draft: RuleDraft, source: int, target: int, text: str) -> None:
        super().__init__(text)
        self.draft, self.source, self.target = draft, source, target

    def redo(self) -> None:
        self.draft._move(self.source, self.target)

    def undo(self) -> None:
        self.draft._move(self.target, self.source)
