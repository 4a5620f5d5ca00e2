"""`bellhop retry` and `bellhop replay`: the Activity page's two buttons, from a terminal.

When a Bellhop runs on the data home (the window or `bellhop serve`), the command asks
it over its control channel, so its engine does the work and its window shows it; when
none runs, the command starts the engine alone, runs what was asked with the same cards
and settings, and stops. Either way it waits until each run has ended (or waits to try a
step again) and says what came of it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from bellhop.actions.registry import shipped_registry
from bellhop.commands.events import events_db
from bellhop.commands.show import run_lines
from bellhop.commands.words import Reader, json_status, resolve_rule, rule_names
from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _, ngettext
from bellhop.core.platform import paths
from bellhop.core.platform.control import ask
from bellhop.core.platform.instance import AlreadyRunning
from bellhop.core.running.redo import answer
from bellhop.core.running.runwords import status_word
from bellhop.core.storage import records
from bellhop.core.storage.records import RunRecord

FINE = ("succeeded", "skipped")  # what a run may end as for the command to exit 0


def retry(ids: list[str], every_failed: bool, rule: str | None, as_json: bool) -> int:
    """`bellhop retry RUN…` or `bellhop retry --failed [--rule R]`."""
    if every_failed == bool(ids):
        raise BellhopError(_("Name the runs to try again (bellhop events --status failed "
                             "lists them), or use --failed for every failed run."))
    if rule and not every_failed:
        raise BellhopError(_("--rule goes with --failed: it narrows which failed runs are "
                             "tried again."))
    names = rule_names()
    request: dict[str, Any] = {"command": "retry", "ids": ids}
    if every_failed:
        with events_db() as conn:
            rule_id = resolve_rule(rule, names, conn) if rule else None
        request = {"command": "retry_failed", "rule": rule_id}
    return _report(request, names, as_json)


def replay(ids: list[str], as_json: bool) -> int:
    """`bellhop replay EVENT…`: each event again through its rule as it is now."""
    return _report({"command": "replay", "ids": ids}, rule_names(), as_json)


def perform(request: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Have the running Bellhop do it, or do it here when none runs; the answer and whether
    a running Bellhop did it."""
    try:
        return asyncio.run(_alone(request)), False
    except AlreadyRunning:
        return ask(paths.data_home(), request), True


async def _alone(request: dict[str, Any]) -> dict[str, Any]:
    from bellhop.service import Bellhop

    app = Bellhop()
    await app.start_alone()
    try:
        assert app.engine is not None
        return await answer(app.engine, request)
    finally:
        await app.stop()


def _report(request: dict[str, Any], names: dict[str, str], as_json: bool) -> int:
    if not paths.events_db(paths.data_home()).exists():
        raise BellhopError(_("No events yet: there is nothing to run again."))
    found, running = perform(request)
    if not found.get("ok"):
        raise BellhopError(str(found.get("error") or _("Bellhop could not do that.")))
    results: list[dict[str, Any]] = found["results"]
    with events_db() as conn:
        runs = {r["run"]: records.get_run(conn, r["run"]) for r in results
                if r["run"] and conn is not None}
    reader = Reader(shipped_registry(), names)
    if as_json:
        print(json.dumps({
            "by": "running" if running else "alone", "paused": found.get("paused", False),
            "results": [{**result, "status": json_status(result["status"]),
                         "details": reader.run_json(run) if (run := runs.get(result["run"]))
                         else None} for result in results]},
            ensure_ascii=False, indent=2))
    else:
        _print_results(request, results, runs, reader, running, bool(found.get("paused")))
    fine = all(r["problem"] is None and r["status"] in FINE for r in results)
    return 0 if fine else 1


def _print_results(request: dict[str, Any], results: list[dict[str, Any]],
                   runs: dict[str, RunRecord | None], reader: Reader, running: bool,
                   paused: bool) -> None:
    if request["command"] == "retry_failed" and not results:
        print(_("No failed runs to try again."))
        return
    if request["command"] == "retry_failed":
        print(ngettext("Trying {count} failed run again.", "Trying {count} failed runs again.",
                       len(results)).format(count=len(results)))
    for result in results:
        if result["problem"] is not None:
            print(_problem(request["command"], result), file=sys.stderr)
            continue
        run = runs.get(result["run"])
        event = result["event"]
        print(_("“{rule}”, event {event}: {status}").format(
            rule=reader.rule_name(run.rule_id) if run else "?", event=event,
            status=status_word(result["status"]) if result["status"] != "queued"
            else _("Waiting to run")))
        if run is not None:
            print("\n".join(run_lines(reader, run, 1)[1:]))
        if result["status"] == "waiting":
            print("    " + (_("Bellhop goes on with it by itself.") if running else _(
                "Bellhop tries it again the next time it runs (bellhop serve, or the "
                "window).")))
    if paused:
        print(_("Bellhop is paused: these runs start when you resume it in the window."))


def _problem(command: str, result: dict[str, Any]) -> str:
    given = result["id"]
    if result["problem"] == "unknown":
        if command == "replay":
            return _("There is no event “{id}”. `bellhop events` lists the events Bellhop "
                     "keeps.").format(id=given)
        return _("There is no run or event “{id}”. `bellhop events --status failed` lists the "
                 "failed ones.").format(id=given)
    status = result["status"]
    if status == "succeeded":
        why = _("it is done, nothing failed.")
    elif status == "skipped":
        why = _("a filter step skipped it, nothing failed.")
    elif status == "waiting":
        why = _("it waits to try a step again by itself.")
    else:
        why = _("it is running now.")
    return _("Run {run} was not tried again: {why} To run the event again with the current "
             "rule: bellhop replay {event}").format(run=result["run"], why=why,
                                                    event=result["event"])
