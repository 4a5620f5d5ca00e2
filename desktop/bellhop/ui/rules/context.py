"""What the inspector's fields need to know beyond their own value: sample, accounts, outputs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from bellhop.core.running.fieldlabels import Sender, field_label, sender_of
from bellhop.core.templating import make_context
from bellhop.core.templating.chips import dotted, path_parts
from bellhop.ui.rules.samples import Sample, sample_values


class BuilderContext(QObject):
    """Shared by every field of the inspector; changes are announced with signals."""

    sampleChanged = Signal()
    accountsChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sample: Sample | None = None
        self.rule_name = ""
        self.accounts: dict[str, dict[str, Any]] = {}
        self.step_outputs: dict[str, Any] = {}  # from the last test run, for {{ steps.1 }}
        self._values: dict[str, Any] | None = None
        self.bridge: Any = None  # the EngineBridge, for fields that save secrets

    def set_sample(self, sample: Sample | None, rule_name: str | None = None) -> None:
        """Use another sample event (None: none yet)."""
        self.sample = sample
        if rule_name is not None:
            self.rule_name = rule_name
        self.step_outputs = {}
        self._values = None
        self.sampleChanged.emit()

    def set_step_outputs(self, outputs: dict[str, Any]) -> None:
        """Outputs of the cards in the last test run (shown in previews and the picker)."""
        self.step_outputs = outputs
        self._values = None
        self.sampleChanged.emit()

    def set_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        """The accounts from accounts.json."""
        if accounts != self.accounts:
            self.accounts = accounts
            self.accountsChanged.emit()

    def accounts_of_kind(self, kind: str) -> list[str]:
        """Names of the accounts of one kind ('smtp', 'google')."""
        return sorted(name for name, account in self.accounts.items()
                      if account.get("kind") == kind)

    @property
    def has_sample(self) -> bool:
        return self.sample is not None

    @property
    def sender(self) -> Sender | None:
        """Which service the sample comes from (Shopify, LINE, …), for field labels."""
        if self.sample is None:
            return None
        return sender_of(self.sample.get("headers"), self.sample.get("body"))

    def label_of(self, path: str) -> str:
        """A person's name for a field path as a template writes it ('Order total')."""
        parts = path_parts(path)
        if parts[:1] == ["steps"] and len(parts) > 1:
            parts[1] = str(parts[1])  # steps.1.body…: a card's number, not a list position
        return field_label(dotted(parts), self.sender)

    def value_at(self, path: str) -> Any:
        """The sample's value at a path; KeyError when the sample has no such field."""
        current: Any = self.values()
        for part in path_parts(path):
            if isinstance(current, dict) and str(part) in current:
                current = current[str(part)]  # steps.1: the outputs are keyed by text
            elif isinstance(current, list) and isinstance(part, int) and \
                    -len(current) <= part < len(current):
                current = current[part]
            else:
                raise KeyError(path)
        return current

    def values(self) -> dict[str, Any]:
        """The sample as plain template values (body, headers, …, steps)."""
        return sample_values(self.sample, self.rule_name, self.step_outputs)

    def template_values(self) -> dict[str, Any]:
        """The sample wrapped for rendering (missing fields name their place)."""
        if self._values is None:
            self._values = make_context(self.values())
        return self._values
