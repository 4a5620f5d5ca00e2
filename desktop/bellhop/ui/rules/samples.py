"""Sample events: the ones shipped in resources/samples, and each rule's own in <home>/samples.

A rule's sample is what the builder previews templates against and what "Run test"
sends through the rule. It is kept beside the rules (not inside rules.json, which
holds only what the engine needs) so it survives restarts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bellhop.actions.surveycake import answers_body
from bellhop.core.events import local_now
from bellhop.core.i18n import N_, _
from bellhop.core.platform.jsonfile import CorruptFile, read_json, write_json_atomic
from bellhop.core.running.payload import BadPayload, parse_body
from bellhop.core.storage.records import EventRecord
from bellhop.ui.resources import resource

SAMPLE_VERSION = 1
FORM = "application/x-www-form-urlencoded"
Sample = dict[str, Any]  # {"source", "method", "headers", "query", "body"}


@dataclass(frozen=True)
class ShippedSample:
    """A sample delivery that ships with Bellhop."""

    key: str
    title: str  # English; shown through QCoreApplication.translate
    file: str
    headers_file: str | None = None
    # SurveyCake posts only svid and hash: the sample also holds the answers they lead to
    # (decrypted), so previews can show body.answers and "Run test" needs no network.
    answers_file: str | None = None

    def label(self) -> str:
        """The title in the window's language."""
        return _(self.title)


SHIPPED = [
    ShippedSample("shopify_order", N_("Shopify order"),
                  "shopify_order_create.json", "shopify_order_create.headers.json"),
    ShippedSample("line_message", N_("LINE message"),
                  "line_message_event.json"),
    ShippedSample("github_push", N_("GitHub push"),
                  "github_push.json", "github_push.headers.json"),
    ShippedSample("stripe_event", N_("Stripe payment"),
                  "stripe_payment_succeeded.json"),
    ShippedSample("surveycake", N_("SurveyCake form post"),
                  "surveycake_post.txt", answers_file="surveycake_answers.json"),
    ShippedSample("website_form", N_("Website form"),
                  "website_form.txt"),
]


def shipped(key: str) -> ShippedSample | None:
    """The shipped sample called `key`."""
    return next((item for item in SHIPPED if item.key == key), None)


def load_shipped(key: str) -> Sample:
    """A shipped sample as a delivery: JSON files as JSON, .txt files as form posts."""
    item = shipped(key)
    if item is None:
        raise KeyError(key)
    raw = resource("samples", item.file).read_bytes()
    if item.file.endswith(".json"):
        body, content_type = json.loads(raw), "application/json"
    else:  # comment lines explain the sample; the last line is the body
        lines = [line for line in raw.decode("utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        body, content_type = parse_body("\n".join(lines).encode(), FORM), FORM
    if item.answers_file:
        body = {**body, **answers_body(json.loads(resource("samples", item.answers_file)
                                                  .read_bytes()))}
    headers = {"content-type": content_type}
    if item.headers_file:
        extra = json.loads(resource("samples", item.headers_file).read_bytes())
        headers.update({str(k).lower(): str(v) for k, v in extra.items()})
    return {"source": key, "method": "POST", "headers": headers, "query": {}, "body": body}


def sample_from_event(event: EventRecord, invalid_json: str = "text") -> Sample:
    """A stored delivery as a sample (the body parsed as the receiver parses it)."""
    try:
        body = parse_body(event.body, event.content_type, invalid_json)
    except BadPayload:
        body = event.body.decode("utf-8", errors="replace")
    return {"source": "event", "event_id": event.id, "received_at": event.received_at,
            "method": event.method, "headers": dict(event.headers),
            "query": dict(event.query), "body": body}


def sample_values(sample: Sample | None, rule_name: str,
                  step_outputs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The template context a delivery like `sample` would give the rule's steps."""
    sample = sample or {}
    received_at = sample.get("received_at") or local_now()[0]
    body = sample.get("body", {})
    # A trigger's own step (SurveyCake's answers) adds to the body, as in a real run.
    fetched = (step_outputs or {}).get("0")
    if isinstance(fetched, dict) and isinstance(fetched.get("body"), dict) and \
            isinstance(body, dict):
        body = {**body, **fetched["body"]}
    return {"body": body, "query": sample.get("query", {}),
            "headers": sample.get("headers", {}), "method": sample.get("method", "POST"),
            "received_at": received_at, "event_id": sample.get("event_id", "ev_sample"),
            "rule": rule_name, "steps": dict(step_outputs or {})}


def delivery_of(sample: Sample | None) -> dict[str, Any]:
    """What `Bellhop.test_rule` takes from a sample."""
    sample = sample or {}
    return {key: sample[key] for key in ("body", "query", "headers", "method") if key in sample}


_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def sample_file(home: Path, rule_id: str) -> Path:
    """Where a rule's sample is kept: <home>/samples/<rule id>.json."""
    name = _SAFE.sub("_", rule_id)[:64] or "_"
    return home / "samples" / f"{name}.json"


def read_rule_sample(home: Path, rule_id: str) -> Sample | None:
    """The rule's kept sample; None when there is none (an unreadable one is moved aside)."""
    try:
        data = read_json(sample_file(home, rule_id), expect_version=SAMPLE_VERSION)
    except CorruptFile:
        return None
    if data is None or not isinstance(data.get("sample"), dict):
        return None
    return data["sample"]


def write_rule_sample(home: Path, rule_id: str, sample: Sample | None) -> None:
    """Keep (or with None forget) the rule's sample, written atomically."""
    path = sample_file(home, rule_id)
    if sample is None:
        path.unlink(missing_ok=True)
        return
    write_json_atomic(path, {"version": SAMPLE_VERSION, "sample": sample})
