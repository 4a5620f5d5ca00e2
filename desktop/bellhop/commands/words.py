"""What the event commands share: fixes said as commands, rules by name or id,
`--since` times, and events and runs as JSON.

A fix is a button in the window ("Open account"); in a terminal it is what to type or
which file to change, so these sentences name commands and files, not buttons.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bellhop.core import jsoncodec
from bellhop.core.cards import Registry
from bellhop.core.errors import BellhopError, Fix
from bellhop.core.i18n import _
from bellhop.core.platform import paths
from bellhop.core.platform.jsonfile import FileProblem, read_edited_json
from bellhop.core.running.payload import BadPayload, is_json_type, parse_body
from bellhop.core.running.rules import RULES_VERSION
from bellhop.core.running.sentences import skipped_reason, step_sentence
from bellhop.core.storage.lookup import has_events_of_rule
from bellhop.core.storage.records import EventRecord, RunRecord, StepRecord

# `--status` as a person says it → the status events.db keeps (the Activity page's).
STATUS_CHOICES = {"failed": "failed", "done": "succeeded", "skipped": "skipped",
                  "waiting": "waiting", "running": "running", "new": "new",
                  "refused": "refused"}
# events.db's status → the word JSON output uses (the same as `--status` takes).
JSON_STATUS = {"succeeded": "done"}


def json_status(status: str | None) -> str | None:
    """A status as JSON output says it ('done' for succeeded)."""
    return JSON_STATUS.get(status, status) if status is not None else None


# -- fixes, said as what to type ------------------------------------------------------------

def fix_words(fix: Fix | None, step: StepRecord | None, registry: Registry) -> str:
    """What fixes an error, said for a terminal ('' when nothing can be said)."""
    if not fix:
        return ""
    kind, target = fix[0], fix[1:]
    if kind == "open_account" and target:
        return _("Check the account “{name}”: its settings are in accounts.json, its password "
                 "is saved with: bellhop secret set {name}").format(name=target[0])
    if kind == "sign_in_google" and target:
        return _("Sign in to Google again for the account “{name}” in the window (Accounts), "
                 "or give it a service account key with: bellhop account import-google "
                 "{name} KEY.json").format(name=target[0])
    if kind == "edit_card":
        index = target[0] if target and target[0] is not None else (
            step.idx if step is not None else None)
        field = target[1] if len(target) > 1 else None
        if index == 0:
            return _("Change the rule's trigger in rules.json (or in the window's rule "
                     "builder).")
        action = registry.get(step.type) if step is not None else None
        label = action.field_label(field) if action is not None and field else field
        if label:
            return _("Change “{field}” of step {n} in rules.json (or in the window's rule "
                     "builder).").format(field=label, n=index)
        return _("Change step {n} in rules.json (or in the window's rule builder).").format(
            n=index)
    if kind == "connect_tunnel":
        return _("Turn the tunnel on: bellhop serve --tunnel ngrok (its authtoken saved with: "
                 "bellhop secret set ngrok)")
    return ""


def fix_json(fix: Fix | None, step: StepRecord | None, registry: Registry) -> Any:
    """A fix as JSON: its kind, its target and the sentence; None without one."""
    if not fix:
        return None
    found: dict[str, Any] = {"kind": fix[0]}
    if fix[0] in ("open_account", "sign_in_google") and len(fix) > 1:
        found["account"] = fix[1]
    if fix[0] == "edit_card":
        found["step"] = fix[1] if len(fix) > 1 and fix[1] is not None else (
            step.idx if step is not None else None)
        found["field"] = fix[2] if len(fix) > 2 else None
    found["words"] = fix_words(fix, step, registry)
    return found


# -- rules by name or id ------------------------------------------------------------------

def rule_names() -> dict[str, str]:
    """Rule id → name, as rules.json says now ({} when it cannot be read)."""
    try:
        raw = read_edited_json(paths.rules_file(paths.data_home()),
                               expect_version=RULES_VERSION, key="rules", kind=list) or []
    except FileProblem:
        return {}
    return {str(r.get("id")): str(r.get("name") or r.get("id")) for r in raw
            if isinstance(r, dict)}


def resolve_rule(given: str, names: dict[str, str], conn: sqlite3.Connection | None) -> str:
    """The id of the rule a person named by its id or its name (any case); an id that only
    events.db knows (a deleted rule's) is taken as it is. BellhopError when none fits."""
    if given in names:
        return given
    named = [rule_id for rule_id, name in names.items()
             if name.casefold() == given.strip().casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        raise BellhopError(_("Several rules are called “{name}”; name one by its id: "
                             "{ids}").format(name=given, ids=", ".join(named)))
    if conn is not None and has_events_of_rule(conn, given):
        return given
    listed = ", ".join(f"“{name}” ({rule_id})" for rule_id, name in names.items())
    raise BellhopError(_("There is no rule called “{name}”. The rules are: {rules}").format(
        name=given, rules=listed or _("(none)")))


# -- --since ------------------------------------------------------------------------------

_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def since_time(text: str, now: datetime | None = None) -> float:
    """`--since`: '30m', '2h', '3d' (before now) or a date, '2026-12-01' or
    '2026-12-01 14:30' (local time unless it says its zone), as a Unix time."""
    found = _LENGTH.match(text)
    now = now or datetime.now().astimezone()
    if found:
        seconds = float(found.group(1)) * _UNITS[found.group(2).lower()]
        return (now - timedelta(seconds=seconds)).timestamp()
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(_(
            "“{text}” is not a time Bellhop understands: give a length of time such as 30m, "
            "2h or 3d, or a date such as 2026-12-01 or 2026-12-01 14:30.").format(
            text=text)) from None
    if when.tzinfo is None:
        when = when.astimezone()  # a time without its zone is this computer's
    return when.timestamp()


# -- as JSON --------------------------------------------------------------------------------

def body_value(event: EventRecord) -> Any:
    """The body as data when it reads as JSON or form fields, else as text."""
    if not event.body:
        return None
    try:
        if is_json_type(event.content_type):
            return jsoncodec.loads(event.body)
        return parse_body(event.body, event.content_type)
    except (BadPayload, ValueError, RecursionError):
        return event.body.decode("utf-8", errors="replace")


@dataclass
class Reader:
    """What turns records into words and JSON: the cards' sentences and rule names."""

    registry: Registry
    names: dict[str, str]

    def rule_name(self, rule_id: str) -> str:
        """The rule's name now (its id when it was deleted)."""
        return self.names.get(rule_id, rule_id)

    def step_json(self, step: StepRecord, detail: bool = False) -> dict[str, Any]:
        """A step: what it did in a sentence, its error, warnings and fix (and with
        `detail`, what went in and came out)."""
        found: dict[str, Any] = {
            "index": step.idx, "card": step.type, "label": step.label,
            "status": json_status(step.status), "attempts": step.attempts,
            "sentence": step_sentence(self.registry, step) or None, "error": step.error,
            "warnings": list(step.warnings), "fix": fix_json(step.fix, step, self.registry)}
        if detail:
            found.update(started_at=step.started_at, duration_ms=step.duration_ms,
                         input=step.input, output=step.output)
        return found

    def run_json(self, run: RunRecord, detail: bool = False) -> dict[str, Any]:
        """A run with its steps."""
        return {
            "id": run.id, "reason": run.reason, "status": json_status(run.status),
            "started_at": run.started_at, "finished_at": run.finished_at,
            "duration_ms": run.duration_ms, "error": run.error,
            "skipped_because": skipped_reason(self.registry, run) or None,
            "next_try_at": (datetime.fromtimestamp(run.next_try_ts).astimezone().isoformat(
                timespec="seconds") if run.next_try_ts else None),
            "warnings": list(run.warnings),
            "steps": [self.step_json(step, detail) for step in run.steps]}

    def event_json(self, event: EventRecord, runs: list[RunRecord],
                   detail: bool = False) -> dict[str, Any]:
        """An event, its status (its latest run's) and its runs, oldest first."""
        status = runs[-1].status if runs else ("sample" if event.state == "sample" else "new")
        found: dict[str, Any] = {
            "id": event.id, "rule_id": event.rule_id, "rule": self.rule_name(event.rule_id),
            "received_at": event.received_at, "method": event.method,
            "status": json_status(status)}
        if detail:
            found.update(query=event.query, headers=event.headers,
                         content_type=event.content_type, size=len(event.body),
                         delivery_id=event.delivery_id, body=body_value(event))
        found["runs"] = [self.run_json(run, detail) for run in runs]
        return found


def use_settings_language() -> None:
    """Speak the data home's language (settings.json), else the system's."""
    from bellhop.core.i18n import set_language
    from bellhop.core.platform.settings import peek_settings

    set_language(peek_settings(paths.settings_file(paths.data_home())).language or None)
