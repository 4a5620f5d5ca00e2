"""Bellhop's templates, translated for n8n, give the same text in n8n's expression engine.

Each example of the formatting help (the ones the builder shows people) and a few more
are filled in by Bellhop and, translated, by n8n's own engine (n8n-workflow, run by
node) against the same event; the texts must match, except where the export says it
left a formatter out.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from bellhop.core.export.n8n_expressions import Scope, convert_template
from bellhop.core.templating import render
from bellhop.core.templating.formatters import EXAMPLE_EVENT, FILTER_HELP
from n8n.conftest import n8n_binary

EVALUATE = __file__.replace("test_expressions_in_n8n.py", "evaluate.js")
MORE = [
    "New order {{ body.total_price | money('NT$', 0) }} · {{ body.note | default('none') }}",
    "{{ body.missing.deeper | default('—') }} and {{ body.missing }}.",
    "{{ body.line_items[0].title }} ×{{ body.line_items[0].quantity }}",
    "{{ body.amount | money('', 2, cents=True) }} / {{ -1234.5 | money('$', 1) }}",
    "{{ body.email | upper | default('x') }}{{ body.note | upper | default('(no note)') }}",
    "{{ body.line_items | pluck('quantity') | join('+') }} = "
    "{{ body.line_items | sum_of('quantity') }}",
    "{{ 'paid' if body.total_price else 'open' }} {{ body.created_at | date('%d %B %Y') }}",
    "{{ body.message | truncate(200) }}",
]


def n8n_values(event: dict[str, Any], expressions: list[str]) -> list[dict[str, Any]]:
    """What n8n's engine makes of each expression, the Webhook node's output being `event`."""
    binary = n8n_binary()
    assert binary is not None
    env = {**os.environ, "NODE_PATH": str(binary.parent.parent)}
    done = subprocess.run(["node", EVALUATE], input=json.dumps(
        {"json": event, "expressions": expressions}), capture_output=True, text=True,
        env=env, timeout=120, check=True)
    return list(json.loads(done.stdout))


def test_formatters_give_the_same_text_in_n8n() -> None:
    templates = [example.template for example in FILTER_HELP] + MORE
    converted = [convert_template(text, Scope()) for text in templates]
    results = n8n_values(EXAMPLE_EVENT, [c.value for c in converted])
    compared = 0
    for text, conversion, result in zip(templates, converted, results, strict=True):
        left_out = [note for note in conversion.notes if "“required”" not in note.reason]
        if left_out:  # said in the report; the value is written as it came
            continue
        assert "ok" in result, (text, conversion.value, result)
        assert str(result["ok"]) == render(text, EXAMPLE_EVENT), (text, conversion.value)
        compared += 1
    assert compared == len(templates) - 1  # all but the Taiwan phone number
