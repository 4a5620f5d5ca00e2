"""A run told in words: its status, why it began, when and how long it took.

The window's Activity page and the `bellhop events` / `bellhop show` commands say these
the same way, so both take them from here (Qt-free).
"""

from __future__ import annotations

from datetime import datetime

from bellhop.core.i18n import N_, _

# A run's or step's status as events.db keeps it → the word a person reads.
# Marked for the catalogue with N_(); translated when shown.
STATUS_WORDS = {
    "succeeded": N_("Done"),
    "failed": N_("Failed"),
    "skipped": N_("Skipped"),
    "running": N_("Running"),
    "waiting": N_("Will try again"),
    "new": N_("Not run yet"),
    "pending": N_("Not reached"),
    "stopped": N_("Stopped by you"),
    "sample": N_("Test sample"),
    "refused": N_("Refused"),
}
# Why a run began (runs.reason) → words.
REASON_WORDS = {
    "new": N_("When it arrived"),
    "replay": N_("Replayed"),
    "retry": N_("Tried again"),
    "test": N_("Test"),
}


def status_word(status: str) -> str:
    """'failed' → 'Failed' in the current language (an unknown status as it is)."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def reason_word(reason: str) -> str:
    """Why a run began: 'When it arrived', 'Replayed', 'Tried again'."""
    return _(REASON_WORDS[reason]) if reason in REASON_WORDS else reason


def duration_text(ms: float | None) -> str:
    """12 ms, 1.4 s, 2 min 5 s ('' when not known)."""
    if ms is None:
        return ""
    if ms < 1000:
        return _("{n} ms").format(n=f"{ms:.0f}")
    if ms < 60_000:
        return _("{n} s").format(n=f"{ms / 1000:.1f}")
    minutes, seconds = divmod(int(ms / 1000), 60)
    return _("{m} min {s} s").format(m=minutes, s=seconds)


def clock(stamp: str | None) -> str:
    """'2026-11-28T14:05:31.123+08:00' → '2026-11-28 14:05:31' (as stored: local time)."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stamp
