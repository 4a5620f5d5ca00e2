"""The card contract: how a card type describes itself (a config schema with labels,
one `run`), and the Registry the engine knows cards through.

The core defines the contract; bellhop.actions implements the cards.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bellhop.core.i18n import N_, _, translate_to
from bellhop.core.stepcontext import StepContext


@dataclass(frozen=True, slots=True)
class Decision:
    """What a condition card (a filter) answers: whether the run goes on, and the output
    stored for its step (shown in Activity, `steps.<n>` to later steps).

    A run whose condition says no stops there as "skipped", not failed."""

    go_on: bool
    output: dict[str, Any]


# A card's `run` gives its step's output, or a Decision when the card is a condition.
StepResult = dict[str, Any] | Decision
RunFunction = Callable[[StepContext, Any], Awaitable[StepResult]]
EvaluateFunction = Callable[[StepContext, Any], StepResult]


class RetryPolicy(BaseModel):
    """How often and how patiently a step is tried again after a passing problem."""

    model_config = ConfigDict(extra="forbid", strict=True)

    attempts: int = Field(5, ge=1, le=20, title="Attempts")
    # 40 s, doubling: 5 attempts span about 10 minutes (40+80+160+320 s, ±20 %).
    first_delay: float = Field(40.0, ge=0, le=3600, title="First wait (seconds)")


class StepConfig(BaseModel):
    """Fields every step has; each card type adds its own."""

    model_config = ConfigDict(extra="forbid", strict=True)

    type: str
    name: str = Field("", title=N_("Name"))
    retry: RetryPolicy = Field(default_factory=RetryPolicy)


def field(
    default: Any = ...,
    *,
    label: str,
    help: str = "",
    template: bool = False,
    widget: str | None = None,
    advanced: bool = False,
    **kwargs: Any,
) -> Any:
    """A config field with its label and help (English, marked with `N_`) and whether it
    takes templates. `advanced` fields are shown under "More settings" in the builder.
    """
    extra: dict[str, Any] = {"template": template}
    if advanced:
        extra["advanced"] = True
    if widget:
        extra["widget"] = widget
    return Field(default, title=label, description=help or None, json_schema_extra=extra, **kwargs)


@dataclass(frozen=True)
class ActionType:
    """One card type: what it is called, what it needs, and what it does."""

    type: str
    label: str  # English, marked with N_(); translated where shown
    description: str
    icon: str
    config_model: type[StepConfig]
    run: RunFunction
    has_side_effects: bool = True
    # A card that decides at once, touching nothing (a filter), may also offer `evaluate`:
    # the engine then runs it before the delivery is answered and stores the outcome with
    # the event, so deliveries a filter turns away cost a single write.
    evaluate: EvaluateFunction | None = None
    # A card the engine runs for a trigger option (SurveyCake's answers), never dragged in.
    hidden: bool = False
    # What the card makes, as a sentence names it ("the email", marked with N_()): "the
    # email's Message left it empty". Empty: sentences name the card by its label.
    noun: str = ""

    def label_for(self, language: str | None = None) -> str:
        """The card's name in `language` (the current one when None)."""
        return translate_to(language, self.label) if language else _(self.label)

    def field_label(self, name: str, language: str | None = None) -> str:
        """The label of config field `name` in `language` (the name itself if unknown)."""
        info = self.config_model.model_fields.get(name)
        if info is None or not info.title:
            return name
        return translate_to(language, info.title) if language else _(info.title)


class Registry:
    """Card types by their `type` key."""

    def __init__(self, types: list[ActionType] | None = None) -> None:
        self._types: dict[str, ActionType] = {}
        for action in types or []:
            self.add(action)

    def add(self, action: ActionType) -> None:
        """Register a card type; a second one with the same name is a mistake."""
        if action.type in self._types:
            raise ValueError(f"card type {action.type!r} registered twice")
        self._types[action.type] = action

    def get(self, type_name: str) -> ActionType | None:
        """The card type called `type_name`, if any."""
        return self._types.get(type_name)

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._types

    def __iter__(self) -> Iterator[ActionType]:
        return iter(self._types.values())
