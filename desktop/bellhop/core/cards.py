"""The card contract: how a card type describes itself (a config schema with labels,
one `run`), and the Registry the engine knows cards through.

The core defines the contract; bellhop.actions implements the cards.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, get_args

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
# What a card's finished step did, as one sentence, from its output and its settings as
# recorded (the step's input: rules.json's fields without type and retry).
DescribeFunction = Callable[[dict[str, Any], dict[str, Any]], str]


class RetryPolicy(BaseModel):
    """How often and how patiently a step is tried again after a passing problem."""

    model_config = ConfigDict(extra="forbid", strict=True)

    attempts: int = Field(5, ge=1, le=20, title=N_("Attempts"))
    # 40 s, doubling: 5 attempts span about 10 minutes (40+80+160+320 s, ±20 %).
    first_delay: float = Field(40.0, ge=0, le=3600, title=N_("First wait (seconds)"))


class StepConfig(BaseModel):
    """Fields every step has; each card type adds its own."""

    model_config = ConfigDict(extra="forbid", strict=True)

    type: str
    name: str = Field("", title=N_("Name"))
    retry: RetryPolicy = Field(default_factory=RetryPolicy, title=N_("Retry"))


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
    # A card that writes to one place (a sheet's tab, a file) names it: the runs of a rule
    # then write there in the order their events arrived, several in one write
    # (core/services/pacing.py). None: no such place, or it depends on the event.
    destination: Callable[[Any], str | None] | None = None
    # What the card really does when 'Run test' sends a sample through it, in words
    # (English, marked with N_(), e.g. "sends the email for real"), so the window asks
    # first; "" when a test changes nothing outside Bellhop.
    test_effect: str = ""
    # One sentence a person reads first about a finished step ("Sent to a@b.c: Order
    # #1042"), in the current language; without it, `describe_result` says it generically.
    describe: DescribeFunction | None = None
    # What the card makes, as a sentence names it ("the email", marked with N_()): "the
    # email's Message left it empty". Empty: sentences name the card by its label.
    noun: str = ""

    def label_for(self, language: str | None = None) -> str:
        """The card's name in `language` (the current one when None)."""
        return translate_to(language, self.label) if language else _(self.label)

    def describe_result(self, output: Any, config: Any) -> str:
        """What a finished step of this card did, in one sentence of the current language.

        Never fails: an output the card's `describe` cannot read (an older Bellhop's, or
        one edited by hand) gets the generic sentence."""
        if self.describe is not None and isinstance(output, dict):
            try:
                sentence = self.describe(output, config if isinstance(config, dict) else {})
            except Exception:  # a sentence must never hide the result it is about
                sentence = ""
            if sentence:
                return sentence
        return generic_result(self.label_for())

    def field_label(self, name: str | tuple[str, ...], language: str | None = None) -> str:
        """The label of config field `name` in `language` (the name itself if unknown); for
        a path into the config, each part's label: ('conditions', 'field') → 'Conditions ›
        Field'."""
        words = []
        model: type[BaseModel] | None = self.config_model
        for part in (name,) if isinstance(name, str) else name:
            info = model.model_fields.get(part) if model is not None else None
            if info is None or not info.title:
                words.append(part)
            else:
                words.append(translate_to(language, info.title) if language else _(info.title))
            model = _model_inside(info.annotation) if info is not None else None
        return " › ".join(words)


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, also inside a list or an optional: list[Condition] → Condition."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for inner in get_args(annotation):
        found = _model_inside(inner)
        if found is not None:
            return found
    return None


def generic_result(card: str) -> str:
    """The sentence for a finished step whose card says nothing of its own."""
    return _("Done: {card}").format(card=card)


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

    def describe_result(self, type_name: str, output: Any, config: Any) -> str:
        """What a finished step of card type `type_name` did, in one sentence."""
        action = self.get(type_name)
        if action is None:
            return generic_result(type_name)
        return action.describe_result(output, config)

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._types

    def __iter__(self) -> Iterator[ActionType]:
        return iter(self._types.values())
