"""Steps and runs told in sentences: what a finished step did, why a run was skipped.

The window (Activity, the card after Run test) and `bellhop events` lead with these
sentences; the step's JSON stays for whoever opens "Technical details". Each card says
its own sentence through its `describe` (bellhop.core.cards); the helpers here put
values into sentences the same way for every card.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from bellhop.core.cards import Registry
from bellhop.core.i18n import _
from bellhop.core.storage.records import RunRecord, StepRecord

SHORT = 60  # characters of a value shown in a sentence


def clip(text: str, limit: int = SHORT) -> str:
    """One line of at most `limit` characters ('…' where it was cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def looks_like_number(value: Any) -> bool:
    """True for 1000, 12.5 and text such as '1640.00' or '-3' (shown without quotes)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        Decimal(value.strip())
    except ArithmeticError:
        return False
    return value.strip().lstrip("+-").replace(".", "", 1).isdigit()


_QUOTED = re.compile(r"(「[^」]*」|“[^”]*”)")
_CJK_THEN_LATIN = re.compile(
    r"(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u3400-\u9fff])")


def cjk_spaced(text: str) -> str:
    """A space where Chinese meets a Latin letter or a digit ('大於1000時' → '大於 1000 時'),
    as Taiwanese text sets them; quoted values are left exactly as they are."""
    parts = _QUOTED.split(text)
    return "".join(part if index % 2 else _CJK_THEN_LATIN.sub(" ", part)
                   for index, part in enumerate(parts))


def quoted(text: str) -> str:
    """Text quoted as the language quotes it: “VIP” (「VIP」 in Chinese)."""
    return _("“{text}”").format(text=text)


def value_words(value: Any) -> str:
    """A value as it reads in a sentence: 1000, “paid”, yes, (empty)."""
    if value is None or (isinstance(value, str | list | dict) and not value) or (
            isinstance(value, str) and not value.strip()):
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if looks_like_number(value):
        return clip(str(value).strip())
    if isinstance(value, list):
        return quoted(clip(", ".join(str(item) for item in value)))
    return quoted(clip(str(value)))


def step_sentence(registry: Registry, step: StepRecord) -> str:
    """What a finished step did, in one sentence ('' for a step that did not finish well)."""
    if step.status != "succeeded":
        return ""
    return registry.describe_result(step.type, step.output, step.input)


def deciding_step(run: RunRecord) -> StepRecord | None:
    """The step that stopped a skipped run (the last one that finished before the rest)."""
    if run.status != "skipped":
        return None
    finished = [step for step in run.steps if step.status == "succeeded"]
    return finished[-1] if finished else None


def skipped_reason(registry: Registry, run: RunRecord) -> str:
    """Why a run was skipped, in a sentence ('' when it was not, or nothing says why)."""
    step = deciding_step(run)
    return step_sentence(registry, step) if step is not None else ""
