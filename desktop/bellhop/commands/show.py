"""`bellhop show EVENT`: one event as the Activity page shows it, in a terminal.

Words first (what each run and step did, what went wrong and what fixes it), then
what arrived (method, headers with credentials hidden as they were stored, body),
then the steps' data as JSON. `--json` prints all of it as one JSON document.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bellhop.actions.filter import step_title
from bellhop.actions.registry import shipped_registry
from bellhop.commands.events import events_db
from bellhop.commands.words import Reader, fix_words, rule_names
from bellhop.core import jsoncodec
from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _, data_size, ngettext
from bellhop.core.running.payload import BadPayload, is_json_type, media_type, parse_body
from bellhop.core.running.runwords import clock, duration_text, reason_word, status_word
from bellhop.core.running.sentences import skipped_reason, step_sentence
from bellhop.core.storage import records
from bellhop.core.storage.records import EventRecord, RunRecord

SHOWN_BYTES = 256 * 1024  # more than this of a body is cut here (`--json` has it all)
INDENT = "  "


def show_event(given: str, as_json: bool = False) -> int:
    """Print one event (or the event of a run id) and its runs."""
    with events_db() as conn:
        event = records.get_event(conn, given) if conn is not None else None
        if event is None and conn is not None:
            run = records.get_run(conn, given)
            event = records.get_event(conn, run.event_id) if run is not None else None
        if event is None or conn is None:
            raise BellhopError(_("There is no event “{id}”. `bellhop events` lists the "
                                 "events Bellhop keeps.").format(id=given))
        runs = records.runs_of_event(conn, event.id)
    reader = Reader(shipped_registry(), rule_names())
    if as_json:
        print(json.dumps(reader.event_json(event, runs, detail=True), ensure_ascii=False,
                         indent=2, default=str))
        return 0
    print("\n".join(event_lines(reader, event, runs)))
    return 0


def event_lines(reader: Reader, event: EventRecord, runs: list[RunRecord]) -> list[str]:
    """The event in words, what arrived, then the steps' data."""
    received = datetime.fromtimestamp(event.received_ts).strftime("%Y-%m-%d %H:%M:%S")
    lines = [reader.rule_name(event.rule_id),
             _("Received {time} · {method} · {size} · {event_id}").format(
                 time=received, method=event.method, size=data_size(len(event.body)),
                 event_id=event.id)]
    latest = runs[-1] if runs else None
    if latest is None:
        lines.append(status_word("sample" if event.state == "sample" else "new"))
    else:
        lines.append(skipped_reason(reader.registry, latest) or status_word(latest.status))
    lines += ["", _("What happened")]
    if not runs:
        lines.append(INDENT + _("Nothing has run for this event yet."))
    for number, run in enumerate(runs, 1):
        lines += run_lines(reader, run, number)
    lines += ["", _("What arrived"), *arrived_lines(event)]
    technical = [line for number, run in enumerate(runs, 1)
                 for line in data_lines(run, number)]
    if technical:
        lines += ["", _("Technical details"), *technical]
    lines += ["", *next_lines(event, latest)]
    return lines


def run_lines(reader: Reader, run: RunRecord, number: int) -> list[str]:
    """One run: its title and status, then each step in words."""
    title = _("Run {number} · {time}").format(number=number, time=clock(run.started_at)) \
        if run.reason == "new" else _("Run {number} · {reason} · {time}").format(
        number=number, reason=reason_word(run.reason), time=clock(run.started_at))
    took = duration_text(run.duration_ms)
    lines = [INDENT + " · ".join(filter(None, [title, status_word(run.status), took,
                                               run.id]))]
    deeper = INDENT * 3
    if run.status == "waiting" and run.next_try_ts:
        lines.append(deeper + _("Next try: {time}.").format(
            time=datetime.fromtimestamp(run.next_try_ts).strftime("%Y-%m-%d %H:%M:%S")))
    failing = next((s for s in run.steps if s.error), None)
    if run.error and (failing is None or failing.error != run.error):
        lines.append(deeper + _("What went wrong: {error}").format(error=run.error))
    for step in run.steps:
        tries = ngettext("Tried once", "Tried {count} times", step.attempts).format(
            count=step.attempts) if step.attempts else ""
        lines.append(INDENT * 2 + f"{step.idx}. " + " · ".join(filter(None, [
            step_title(step), status_word(step.status), tries, duration_text(step.duration_ms)])))
        sentence = step_sentence(reader.registry, step)
        if sentence:
            lines.append(deeper + sentence)
        if step.error:
            lines.append(deeper + _("What went wrong: {error}").format(error=step.error))
        fix = fix_words(step.fix, step, reader.registry)
        if fix:
            lines.append(deeper + _("To fix it: {fix}").format(fix=fix))
        for warning in step.warnings:
            lines.append(deeper + _("Worth a look: {warning}").format(warning=warning))
    return lines


def header_name(name: str) -> str:
    """'x-shopify-topic' → 'X-Shopify-Topic' (stored lower-case)."""
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


def tidy_body(event: EventRecord) -> str:
    """JSON indented, form fields one per line, anything else as text."""
    raw = event.body[:SHOWN_BYTES]
    if len(event.body) > SHOWN_BYTES:
        return raw.decode("utf-8", errors="replace")
    try:
        if is_json_type(event.content_type):
            return _pretty(jsoncodec.loads(raw))
        if media_type(event.content_type) in ("application/x-www-form-urlencoded",
                                              "multipart/form-data"):
            fields = parse_body(raw, event.content_type)
            if isinstance(fields, dict):
                return "\n".join(f"{key} = {_pretty(value)}" for key, value in fields.items())
    except (BadPayload, ValueError, RecursionError):
        pass
    return raw.decode("utf-8", errors="replace")


def _pretty(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _indented(text: str, depth: int) -> list[str]:
    return [INDENT * depth + line for line in text.splitlines()]


def arrived_lines(event: EventRecord) -> list[str]:
    """Method, query, headers (credentials hidden as stored) and the body."""
    lines = [INDENT + _("Method: {method}").format(method=event.method)]
    if event.query:
        lines.append(INDENT + _("Query"))
        lines += [INDENT * 2 + f"{key} = {_pretty(value)}" for key, value in event.query.items()]
    lines.append(INDENT + _("Headers"))
    lines += [INDENT * 2 + f"{header_name(name)}: {value}"
              for name, value in sorted(event.headers.items())]
    lines.append(INDENT + _("Body"))
    body = tidy_body(event)
    lines += _indented(body, 2) if body else [INDENT * 2 + _("(The delivery had no body.)")]
    if len(event.body) > SHOWN_BYTES:
        lines.append(INDENT + _("Only the beginning is shown: the body is {size} long.").format(
            size=data_size(len(event.body))))
    return lines


def data_lines(run: RunRecord, number: int) -> list[str]:
    """What went into each step of a run and what came out, as JSON."""
    lines: list[str] = []
    for step in run.steps:
        if step.input is None and step.output is None:
            continue
        lines.append(INDENT + _("Run {number}, step {n} ({step})").format(
            number=number, n=step.idx, step=step_title(step)))
        for title, value in ((_("What went in"), step.input), (_("What came out"), step.output)):
            if value is not None:
                lines.append(INDENT * 2 + title)
                lines += _indented(_pretty(value), 3)
    return lines


def next_lines(event: EventRecord, latest: RunRecord | None) -> list[str]:
    """What can be done about it from here, as commands."""
    lines = []
    if latest is not None and latest.status == "failed":
        lines.append(_("Retry from the failed step: bellhop retry {run}").format(run=latest.id))
    lines.append(_("Run again with the current rule: bellhop replay {event}").format(
        event=event.id))
    return lines
