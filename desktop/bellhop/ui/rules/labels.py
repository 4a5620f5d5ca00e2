"""Words for the builder: field labels and help from a card's schema, friendly choice names."""

from __future__ import annotations

from typing import Any

from pydantic.fields import FieldInfo
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from bellhop.core.cards import ActionType
from bellhop.core.i18n import current_language

# Values of Literal fields that read better as words; anything else is shown as it is.
_CHOICES = {
    "eq": QT_TRANSLATE_NOOP("Labels", "is"),
    "ne": QT_TRANSLATE_NOOP("Labels", "is not"),
    "gt": QT_TRANSLATE_NOOP("Labels", "is more than"),
    "ge": QT_TRANSLATE_NOOP("Labels", "is at least"),
    "lt": QT_TRANSLATE_NOOP("Labels", "is less than"),
    "le": QT_TRANSLATE_NOOP("Labels", "is at most"),
    "contains": QT_TRANSLATE_NOOP("Labels", "contains"),
    "starts_with": QT_TRANSLATE_NOOP("Labels", "starts with"),
    "is_empty": QT_TRANSLATE_NOOP("Labels", "is empty"),
    "not_empty": QT_TRANSLATE_NOOP("Labels", "is not empty"),
    "all": QT_TRANSLATE_NOOP("Labels", "all conditions hold"),
    "any": QT_TRANSLATE_NOOP("Labels", "any one condition holds"),
    "json": QT_TRANSLATE_NOOP("Labels", "JSON"),
    "text": QT_TRANSLATE_NOOP("Labels", "Plain text"),
    "form": QT_TRANSLATE_NOOP("Labels", "Web form fields"),
    "typed": QT_TRANSLATE_NOOP("Labels", "As if typed (dates and numbers become values)"),
    # chat services (notify_chat)
    "slack": QT_TRANSLATE_NOOP("Labels", "Slack"),
    "discord": QT_TRANSLATE_NOOP("Labels", "Discord"),
    "telegram": QT_TRANSLATE_NOOP("Labels", "Telegram"),
    "teams": QT_TRANSLATE_NOOP("Labels", "Microsoft Teams"),
    "line": QT_TRANSLATE_NOOP("Labels", "LINE (push message)"),
    "webhook": QT_TRANSLATE_NOOP("Labels", "JSON webhook"),
    "apprise": QT_TRANSLATE_NOOP("Labels", "Other (apprise address)"),
}
NO_VALUE_OPS = ("is_empty", "not_empty")
translate = QCoreApplication.translate



def choice_label(value: Any) -> str:
    """A Literal value as words ('gt' → 'is more than')."""
    text = _CHOICES.get(value) if isinstance(value, str) else None
    return translate("Labels", text) if text else str(value)


def _extra(info: FieldInfo) -> dict[str, Any]:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def field_label(name: str, info: FieldInfo) -> str:
    """A config field's label in the window's language."""
    extra = _extra(info)
    if current_language() == "zh_TW" and extra.get("title_zh"):
        return str(extra["title_zh"])
    return info.title or name.replace("_", " ").capitalize()


def field_help(info: FieldInfo) -> str:
    """A config field's help text in the window's language ('' when it has none)."""
    extra = _extra(info)
    if current_language() == "zh_TW" and extra.get("help_zh"):
        return str(extra["help_zh"])
    return info.description or ""


def takes_template(info: FieldInfo) -> bool:
    """True when the field's text may hold {{ templates }}."""
    return bool(_extra(info).get("template"))


def widget_hint(info: FieldInfo) -> str:
    """The schema's widget hint ('multiline', 'file', 'columns', 'pairs', 'account:smtp')."""
    return str(_extra(info).get("widget") or "")


def card_label(action: ActionType) -> str:
    """The card type's name in the window's language."""
    return action.label_for(current_language())


def card_description(action: ActionType) -> str:
    """The card type's description in the window's language."""
    zh = current_language() == "zh_TW" and action.description_zh
    return action.description_zh if zh else action.description


def card_summary(action: ActionType, step: dict[str, Any]) -> str:
    """One line about a card's settings, e.g. 'To a@b.c · Subject Order {{ body.name }}'."""
    if action.type == "filter":
        return _filter_summary(step)
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
        else:
            parts.append(f"{field_label(name, info)} {value}")
        if len(parts) == 3:
            break
    return " · ".join(parts) or translate("Labels", "Not set up yet")


def _filter_summary(step: dict[str, Any]) -> str:
    conditions = step.get("conditions") if isinstance(step.get("conditions"), list) else []
    words = []
    for condition in conditions:
        if not isinstance(condition, dict):
            continue
        op = str(condition.get("op", "eq"))
        text = f"{condition.get('field') or '?'} {choice_label(op)}"
        if op not in NO_VALUE_OPS:
            text += f" {condition.get('value', '')}"
        words.append(text)
    if not words:
        return translate("Labels", "No conditions yet")
    joiner = (translate("Labels", " and ") if step.get("match", "all") == "all"
              else translate("Labels", " or "))
    return translate("Labels", "Only if") + " " + joiner.join(words)
