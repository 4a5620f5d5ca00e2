"""The 'Show a desktop notice' card: a notification on this computer, as an errand of a rule.

The card publishes a NoticeRequested engine event; the window's tray shows it as a
notification and `bellhop serve` prints it. It is the rule's own message, apart from
Bellhop's activity notifications (which the settings may turn off).
"""

from __future__ import annotations

from typing import Any, Literal

from bellhop.core.cards import ActionType, StepConfig, field
from bellhop.core.errors import PermanentError, edit_card
from bellhop.core.events import NoticeRequested
from bellhop.core.i18n import N_, _
from bellhop.core.running.sentences import clip
from bellhop.core.stepcontext import StepContext

MAX_TITLE = 120
MAX_TEXT = 1000


class DesktopNoticeConfig(StepConfig):
    """What the 'Show a desktop notice' card needs."""

    type: Literal["desktop_notice"] = "desktop_notice"
    title: str = field(label=N_("Title"), template=True, min_length=1)
    text: str = field("", label=N_("Text"), template=True, widget="multiline")


def _label(name: str) -> str:
    return ACTION.field_label(name)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def run(ctx: StepContext, config: DesktopNoticeConfig) -> dict[str, Any]:
    """Render the notice and hand it to whoever shows notices."""
    title = " ".join(ctx.render(config.title, _label("title"), field="title").split())
    text = ctx.render(config.text, _label("text"), field="text").strip()
    if not title:
        raise PermanentError(_("{field} is empty: the notice needs a title.").format(
            field=_label("title")), fix=edit_card("title"))
    title, text = _shorten(title, MAX_TITLE), _shorten(text, MAX_TEXT)
    ctx.publish(NoticeRequested(title=title, text=text, event_id=ctx.event_id,
                                rule_name=ctx.rule_name, test=ctx.test_run))
    return {"title": title, "text": text}


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """'Showed a notice: New order #1042'."""
    return _("Showed a notice: {title}").format(title=clip(str(output.get("title") or "")))


ACTION = ActionType(
    type="desktop_notice",
    label=N_("Show a desktop notice"),
    description=N_("Shows a notification on this computer, for example 'New order #1042'."),
    icon="bell",
    config_model=DesktopNoticeConfig,
    run=run,
    describe=describe,
    noun=N_("the notice"),
)
