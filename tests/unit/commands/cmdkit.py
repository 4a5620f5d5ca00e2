"""A data home with real events in it, made by a real Bellhop, for the event commands' tests.

Rules use the shipped cards: a filter and a row added to a CSV file, whose folder a test can
block with a file of the same name (the step fails) and free again (the cause is fixed).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp

from bellhop.cli import main
from bellhop.core.running.rules import new_token, save_rules
from bellhop.service import Bellhop


def file_rule(rule_id: str, name: str, csv: Path, **columns: str) -> dict[str, Any]:
    """Orders over 10 become a row of `csv`."""
    return {"id": rule_id, "name": name, "enabled": True,
            "trigger": {"type": "webhook", "token": new_token()},
            "steps": [
                {"type": "filter", "conditions": [
                    {"field": "body.total", "op": "gt", "value": 10}]},
                {"type": "append_file", "path": str(csv),
                 "columns": columns or {"Order": "{{ body.name }}", "Total": "{{ body.total }}"},
                 "retry": {"attempts": 1, "first_delay": 0}}]}


def use_rules(home: Path, *rules: dict[str, Any]) -> None:
    """Write rules.json."""
    save_rules(home / "rules.json", list(rules))


async def _deliver(home: Path, deliveries: list[tuple[str, dict[str, Any], dict[str, str]]]
                   ) -> list[str]:
    app = Bellhop(home)
    await app.start("127.0.0.1", 0)
    ids = []
    try:
        assert app.engine is not None
        async with aiohttp.ClientSession() as http:
            for rule_id, body, headers in deliveries:
                rule = app.engine.rule(rule_id)
                assert rule is not None
                async with http.post(app.hook_url(rule), json=body, headers=headers) as answer:
                    assert answer.status == 202, await answer.text()
                    ids.append((await answer.json())["event_id"])
                await app.engine.wait_idle(10)
        await app.engine.wait_idle(10)
    finally:
        await app.stop()
    return ids


def deliver(home: Path, *deliveries: tuple[str, dict[str, Any]] | tuple[
        str, dict[str, Any], dict[str, str]]) -> list[str]:
    """Start Bellhop on `home`, post each (rule id, body[, headers]) to its rule, let the
    runs end, stop; the events' ids in order."""
    full = [(d[0], d[1], d[2] if len(d) > 2 else {}) for d in deliveries]  # type: ignore[misc]
    return asyncio.run(_deliver(home, full))


def run_cli(capsys: Any, *args: str) -> tuple[int, str, str]:
    """`bellhop ARGS` in this process: its exit code, standard output and error."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: Any, *args: str) -> Any:
    """`bellhop ARGS --json`, parsed (it must exit 0 and print one JSON document)."""
    code, out, err = run_cli(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)
