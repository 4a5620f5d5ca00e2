"""Problems in words, placed where they belong: on a card, or next to one field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from bellhop.core.cards import Registry
from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.running.rules import LoadedRule

TRIGGER = -1  # the index of the trigger card in the chain; steps are 0, 1, 2...



@dataclass
class PlacedProblems:
    """A rule's problems sorted by card: the trigger's, each step's, and the rest."""

    rule: list[str] = field(default_factory=list)
    cards: dict[int, list[str]] = field(default_factory=dict)

    def of(self, index: int) -> list[str]:
        """The problems of one card (TRIGGER or a step index)."""
        return self.cards.get(index, [])

    def __bool__(self) -> bool:
        return bool(self.rule or self.cards)


def place_problems(loaded: LoadedRule, registry: Registry) -> PlacedProblems:
    """Map check_rule's "Step N (card): …" and "Trigger: …" sentences to their cards."""
    steps = loaded.raw.get("steps") if isinstance(loaded.raw.get("steps"), list) else []
    prefixes: list[tuple[str, int]] = [(_("Trigger") + ": ", TRIGGER)]
    for index, step in enumerate(steps):
        type_name = step.get("type") if isinstance(step, dict) else None
        action = registry.get(type_name) if isinstance(type_name, str) else None
        if action is not None:
            place = _("Step {n} ({card})").format(
                n=index + 1, card=action.label_for())
            prefixes.append((f"{place}: ", index))
        else:
            unknown = _("Step {n}: '{type}' is not a kind of step Bellhop knows.").format(
                n=index + 1, type=type_name)
            prefixes.append((unknown, index))
    placed = PlacedProblems()
    for problem in loaded.problems:
        for prefix, index in prefixes:
            if problem.startswith(prefix):
                text = problem[len(prefix):] or problem
                placed.cards.setdefault(index, []).append(_capitalised(text))
                break
        else:
            placed.rule.append(problem)
    return placed


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def field_problems(model: type[BaseModel], step: dict[str, Any]) -> dict[str, str]:
    """What is wrong with each field of a step, in a few words shown next to the field."""
    try:
        model.model_validate(step)
    except ValidationError as exc:
        found: dict[str, str] = {}
        for error in exc.errors():
            loc = error.get("loc", ())
            if not loc:
                continue
            name = str(loc[0])
            message = inline_message(error)
            rows = [part for part in loc[1:] if isinstance(part, int)]
            if rows:
                message = _("Row {n}: {problem}").format(
                    n=rows[0] + 1, problem=message)
            found.setdefault(name, message)
        return found
    return {}


def inline_message(error: Any) -> str:
    """One pydantic error as a short instruction for the person."""
    kind = error.get("type", "")
    ctx = error.get("ctx", {}) or {}
    if kind in ("missing", "string_too_short", "too_short"):
        return _("Fill this in.")
    if kind == "literal_error":
        return _("Choose one of the offered values.")
    if kind in ("greater_than", "greater_than_equal"):
        return _("Use a number of at least {n}.").format(
            n=ctx.get("gt", ctx.get("ge")))
    if kind in ("less_than", "less_than_equal"):
        return _("Use a number of at most {n}.").format(
            n=ctx.get("lt", ctx.get("le")))
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type"):
        return _("Use a number.")
    if kind == "string_pattern_mismatch":
        return _("Use only letters, digits and dashes.")
    if kind == "extra_forbidden":
        return _("Bellhop does not know this setting; remove it from rules.json.")
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return str(error.get("msg", ""))  # custom errors from the card's module are in words


def plain(error: BaseException) -> str:
    """An error as words for the person (never a traceback)."""
    if isinstance(error, BellhopError):
        return error.message
    if isinstance(error, OSError) and error.strerror:
        reason = f"{error.strerror} ({error.filename})" if error.filename else error.strerror
    else:
        reason = str(error) or type(error).__name__
    return _("That did not work: {reason}").format(
        reason=reason)
