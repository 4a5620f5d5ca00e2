"""Words for the builder: field labels and help from a card's schema, friendly choice names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, get_origin

from pydantic.fields import FieldInfo

from bellhop.actions import filter as filter_card
from bellhop.core.cards import ActionType
from bellhop.core.i18n import N_, _
from bellhop.core.running.fieldlabels import field_label as event_field_label
from bellhop.core.templating.chips import describe, dotted, path_parts

# Values of Literal fields that read better as words; anything else is shown as it is.
_CHOICES = {
    "eq": N_("is"),
    "ne": N_("is not"),
    "gt": N_("is more than"),
    "ge": N_("is at least"),
    "lt": N_("is less than"),
    "le": N_("is at most"),
    "contains": N_("contains"),
    "starts_with": N_("starts with"),
    "is_empty": N_("is empty"),
    "not_empty": N_("is not empty"),
    "all": N_("all of these are true"),
    "any": N_("any one of these is true"),
    "json": N_("JSON"),
    "text": N_("Plain text"),
    "form": N_("Web form fields"),
    "typed": N_("As if typed (dates and numbers become values)"),
    # chat services (notify_chat)
    "slack": N_("Slack"),
    "discord": N_("Discord"),
    "telegram": N_("Telegram"),
    "teams": N_("Microsoft Teams"),
    "line": N_("LINE (push message)"),
    "webhook": N_("JSON webhook"),
    "apprise": N_("Other (apprise address)"),
}
NO_VALUE_OPS = ("is_empty", "not_empty")



def choice_label(value: Any) -> str:
    """A Literal value as words ('gt' → 'is more than')."""
    text = _CHOICES.get(value) if isinstance(value, str) else None
    return _(text) if text else str(value)


def _extra(info: FieldInfo) -> dict[str, Any]:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def field_label(name: str, info: FieldInfo) -> str:
    """A config field's label in the window's language."""
    return _(info.title) if info.title else name.replace("_", " ").capitalize()


def field_help(info: FieldInfo) -> str:
    """A config field's help text in the window's language ('' when it has none)."""
    return _(info.description or "")


def takes_template(info: FieldInfo) -> bool:
    """True when the field's text may hold {{ templates }}."""
    return bool(_extra(info).get("template"))


def widget_hint(info: FieldInfo) -> str:
    """The schema's widget hint ('multiline', 'file', 'columns', 'pairs', 'account:smtp')."""
    return str(_extra(info).get("widget") or "")


def card_label(action: ActionType) -> str:
    """The card type's name in the window's language."""
    return _(action.label)


def card_description(action: ActionType) -> str:
    """The card type's description in the window's language."""
    return _(action.description)


def _field_name(path: str) -> str:
    return event_field_label(dotted(path_parts(path)))


def card_summary(action: ActionType, step: dict[str, Any],
                 name_of: Callable[[str], str] | None = None, sender: str | None = None) -> str:
    """One line about a card's settings, e.g. 'To a@b.c · Subject Order [Order number]'.

    Fields in templates read as their names (`name_of`, e.g. the sample's labels); a
    filter's is a sentence naming fields as `sender`'s ('Only if the order total …')."""
    if action.type == "filter":
        return filter_card.summary(step, sender)
    parts: list[str] = []
    for name, info in action.config_model.model_fields.items():
        if name in ("type", "name", "retry"):
            continue
        hint = widget_hint(info)
        value = step.get(name)
        if hint.startswith("account:") or hint == "multiline" or value in (None, "", {}, []):
            continue
        if isinstance(value, dict):
            parts.append(f"{field_label(name, info)}: {', '.join(str(k) for k in value)}")
        elif hint == "file":
            parts.append(str(value).replace("\\", "/").rsplit("/", 1)[-1])
        elif get_origin(info.annotation) is Literal:  # a choice reads as the form's words
            parts.append(f"{field_label(name, info)} {choice_label(value)}")
        elif isinstance(value, str):
            parts.append(f"{field_label(name, info)} {describe(value, name_of or _field_name)}")
        else:
            parts.append(f"{field_label(name, info)} {value}")
        if len(parts) == 3:
            break
    return " · ".join(parts) or _("Not set up yet")

