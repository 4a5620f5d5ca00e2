"""Events and runs as the store keeps them, built with plain defaults for tests and benchmarks.

Each builder takes the few fields a caller cares about; the rest is a POST of JSON to rule
"r1", received 2026-11-28 10:00 Taipei time, with a fresh id.
"""

from __future__ import annotations

import json
from typing import Any

from bellhop.core.storage.records import EventRecord, RunRecord, StepRecord, new_id

RECEIVED_AT = "2026-11-28T10:00:00+08:00"


def make_event(body: bytes | dict[str, Any] = b"{}", rule_id: str = "r1", **fields: Any
               ) -> EventRecord:
    """An event as the receiver stores it; a dict body is written as JSON."""
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False).encode()
    values: dict[str, Any] = {
        "id": new_id("ev"), "rule_id": rule_id, "received_at": RECEIVED_AT,
        "received_ts": 1.0, "method": "POST", "query": {}, "headers": {},
        "content_type": "application/json", "body": body}
    return EventRecord(**(values | fields))


def make_run(event: EventRecord, status: str = "running", **fields: Any) -> RunRecord:
    """A run of `event` through its rule (a new one unless `reason` says otherwise)."""
    values: dict[str, Any] = {
        "id": new_id("run"), "event_id": event.id, "rule_id": event.rule_id, "reason": "new",
        "status": status, "started_at": RECEIVED_AT}
    return RunRecord(**(values | fields))


def make_step(idx: int = 1, step_type: str = "probe", status: str = "pending",
              **fields: Any) -> StepRecord:
    """One step of a run; its label is the type's unless given."""
    return StepRecord(**({"idx": idx, "type": step_type, "label": step_type.title(),
                          "status": status} | fields))
