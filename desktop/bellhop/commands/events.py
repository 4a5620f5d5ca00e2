"""`bellhop events`: recent events and their runs, narrowed by rule, status and time, as
lines or as one JSON document; `--refused` (or `--status refused`): deliveries turned away.

It reads events.db on a read-only connection, so it works the same while the window or
`bellhop serve` runs (they keep writing) and when none does.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bellhop.actions.registry import shipped_registry
from bellhop.commands.words import (
    STATUS_CHOICES,
    Reader,
    resolve_rule,
    rule_names,
)
from bellhop.core.i18n import _
from bellhop.core.platform import paths
from bellhop.core.running.sentences import step_sentence
from bellhop.core.storage import records
from bellhop.core.storage.lookup import find_events
from bellhop.core.storage.refusals import RefusalRecord, recent_refusals
from bellhop.core.storage.store import connect


@dataclass(frozen=True)
class Narrowed:
    """What `bellhop events` was asked to show."""

    limit: int = 20
    rule: str | None = None  # as typed: a rule's id or name
    status: str | None = None  # one of STATUS_CHOICES
    since: float | None = None  # a Unix time
    as_json: bool = False

    @property
    def filtered(self) -> bool:
        """True when anything narrows the list."""
        return bool(self.rule or self.status or self.since is not None)


@contextlib.contextmanager
def events_db() -> Iterator[sqlite3.Connection | None]:
    """events.db of the data home, read-only (None when there is none yet)."""
    db = paths.events_db(paths.data_home())
    if not db.exists():
        yield None
        return
    conn = connect(db, readonly=True)
    try:
        yield conn
    finally:
        conn.close()


def list_events(limit: int = 20, asked: Narrowed | None = None) -> int:
    """Print recent events with the status of their latest run (narrowed as asked)."""
    asked = asked or Narrowed(limit=limit)
    if asked.status == "refused":
        return list_refused(asked)
    names = rule_names()
    with events_db() as conn:
        rule_id = resolve_rule(asked.rule, names, conn) if asked.rule else None
        if conn is None:
            events, more, runs = [], False, {}
        else:
            status = STATUS_CHOICES[asked.status] if asked.status else None
            events, more = find_events(conn, rule_id=rule_id, status=status,
                                       since_ts=asked.since, limit=asked.limit)
            runs = {event.id: records.runs_of_event(conn, event.id) for event in events}
            if not asked.as_json:
                print_backlog(records.backlog_counts(conn), names)
        if asked.as_json:
            reader = Reader(shipped_registry(), names)
            print(json.dumps({"events": [reader.event_json(event, runs[event.id])
                                         for event in events], "more": more},
                             ensure_ascii=False, indent=2))
            return 0
        _print_events(events, runs, asked)
    if more:
        print(_("Showing the newest {count}; see more with --limit.").format(
            count=asked.limit), file=sys.stderr)
    return 0


def _print_events(events: list[records.EventRecord], runs: dict[str, list[records.RunRecord]],
                  asked: Narrowed) -> None:
    if not events:
        print(_("No events match.") if asked.filtered else _("No events yet."))
    registry = shipped_registry()
    for event in events:
        status = event.run_status or _("waiting")
        print(f"{event.received_at}  {event.id}  {event.rule_id}  {event.method}  {status}")
        for run in runs[event.id]:
            steps = ", ".join(f"{s.idx}:{s.label}={s.status}" for s in run.steps)
            print(f"    {run.id}  {run.reason}  {run.status}  {steps}")
            if run.error:
                print(f"      {run.error}")
            for step in run.steps:  # what each step did, in a sentence
                sentence = step_sentence(registry, step)
                if sentence:
                    print(f"      {step.idx}. {sentence}")
            for warning in run.warnings:
                print("      " + _("Worth a look: {warning}").format(warning=warning))


def list_refused(asked: Narrowed) -> int:
    """Print recent refused deliveries: when, which rule, how often, why and the fix."""
    names = rule_names()
    rows: list[RefusalRecord] = []
    with events_db() as conn:
        rule_id = resolve_rule(asked.rule, names, conn) if asked.rule else None
        if conn is not None:
            try:
                rows = recent_refusals(conn, rule_id=rule_id, since=asked.since,
                                       limit=max(asked.limit, 0))
            except sqlite3.OperationalError:  # written by a Bellhop that did not record them
                rows = []
    if asked.as_json:
        print(json.dumps({"refused": [_refusal_json(row, names) for row in rows]},
                         ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("No deliveries were turned away."))
        return 0
    for row in rows:
        when = datetime.fromtimestamp(row.last_ts).strftime("%Y-%m-%d %H:%M:%S")
        rule = names.get(row.rule_id, row.rule_id) if row.rule_id else _("(no rule)")
        print(f"{when}  {rule}  {row.status}  ×{row.count}  {row.reason}")
    return 0


def _refusal_json(row: RefusalRecord, names: dict[str, str]) -> dict[str, Any]:
    def stamp(ts: float) -> str:
        return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")

    return {"rule_id": row.rule_id or None,
            "rule": names.get(row.rule_id, row.rule_id) if row.rule_id else None,
            "http_status": row.status, "kind": row.kind, "reason": row.reason,
            "count": row.count, "first_at": stamp(row.first_ts), "last_at": stamp(row.last_ts)}


def print_backlog(counts: dict[str, tuple[int, int]], names: dict[str, str]) -> None:
    """One line per rule that has deliveries waiting to run or runs not finished."""
    if not any(new for new, __ in counts.values()):
        return
    print(_("Waiting to run:"))
    for rule_id, (new, going) in sorted(counts.items(), key=lambda item: -item[1][0]):
        if new:
            print("    " + _("“{rule}”: {waiting} waiting, {going} going").format(
                rule=names.get(rule_id, rule_id), waiting=f"{new:,}", going=going))
