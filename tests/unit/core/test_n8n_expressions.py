"""Bellhop templates as n8n expressions: fields, earlier steps, formatters, and what is left.

The JavaScript written here is checked against n8n's own expression engine in
tests/n8n/test_expressions_in_n8n.py (when n8n is installed); these tests pin down the
translation itself and the notes a person reads.
"""

from __future__ import annotations

import json
import re

import pytest

from bellhop.core.export.n8n_expressions import (
    Scope,
    StepOutput,
    convert_template,
    path_expression,
)
from bellhop.core.export.n8n_formatters import js_string, luxon_format

SCOPE = Scope(steps={1: StepOutput("Only continue if…", "filter"),
                     2: StepOutput("Call the shop", "http_request"),
                     3: StepOutput("Send email", "send_email")})


def value(text: str, scope: Scope = SCOPE) -> str:
    converted = convert_template(text, scope)
    assert not converted.notes, converted.notes
    return converted.value


def test_plain_text_stays_plain() -> None:
    converted = convert_template("Ship it today", SCOPE)
    assert (converted.value, converted.notes, converted.is_expression) == (
        "Ship it today", [], False)


def test_a_text_starting_with_equals_is_kept_as_text() -> None:
    # n8n reads '=…' as an expression: one more '=' makes it the text it was.
    assert value("=SUM(A1:A3)") == "==SUM(A1:A3)"


def test_event_fields_come_from_the_webhook_output() -> None:
    assert value("Order {{ body.name }} from {{ headers['x-shopify-shop-domain'] }}") == (
        "=Order {{ $json.body.name }} from {{ $json.headers[\"x-shopify-shop-domain\"] }}")
    assert value("{{ query.page }}") == "={{ $json.query.page }}"


def test_deeper_fields_read_missing_parts_as_empty() -> None:
    assert value("{{ body.shipping_address.city }}") == (
        "={{ $json.body.shipping_address?.city }}")
    assert value('{{ body.answers["姓名"] }} {{ body.line_items[0].title }}') == (
        '={{ $json.body.answers?.["姓名"] }} {{ $json.body.line_items?.[0]?.title }}')


def test_after_an_errand_the_webhook_is_named() -> None:
    scope = Scope(trigger='$("Webhook").item.json')
    assert value("{{ body.email }}", scope) == '={{ $("Webhook").item.json.body.email }}'


def test_run_facts_map_to_n8n_variables() -> None:
    assert value("{{ event_id }} {{ rule }} {{ received_at }} {{ method }}") == (
        '={{ $execution.id }} {{ $workflow.name }} {{ $now.toISO() }} {{ "POST" }}')


def test_method_of_a_rule_with_several_methods_is_reported() -> None:
    converted = convert_template("{{ method }}", Scope(methods=("GET", "POST")))
    assert "method" in converted.notes[0].reason
    assert converted.notes[0].piece == "{{ method }}"


def test_earlier_steps_are_read_from_their_nodes() -> None:
    assert value("{{ steps.2.body.id }} {{ steps.2.status }} {{ steps.1.matched }}") == (
        '={{ $("Call the shop").item.json.body?.id }} '
        '{{ $("Call the shop").item.json.statusCode }} {{ true }}')


@pytest.mark.parametrize("text", ["{{ steps.3.message_id }}", "{{ steps.9.body }}",
                                  "{{ steps.0.body.answers }}"])
def test_results_n8n_has_no_match_for_are_reported(text: str) -> None:
    converted = convert_template(text, SCOPE)
    [note] = converted.notes
    assert note.piece == text
    assert "written out as text" in note.reason


def test_untranslated_expression_is_written_out_as_text() -> None:
    converted = convert_template("Items: {{ item.title }}", SCOPE)
    assert converted.value == '=Items: {{ "{" + "{ item.title }" + "}" }}'
    assert "“item” is not a field of the event" in converted.notes[0].reason


def test_blocks_are_reported_and_kept() -> None:
    text = "{% for item in body.line_items %}- {{ item.title }}\n{% endfor %}"
    converted = convert_template(text, SCOPE)
    pieces = [note.piece for note in converted.notes]
    assert pieces == ["{% for item in body.line_items %}", "{{ item.title }}", "{% endfor %}"]
    assert converted.value.startswith("={% for item in body.line_items %}- {{ ")


def test_js_strings_never_open_or_close_an_expression() -> None:
    for text in ["{{ a }}", "}}}", "{{{", "a{b}c", "it's \"quoted\"\n"]:
        literal = js_string(text)
        assert "{{" not in literal and "}}" not in literal
        # What JavaScript reads back: the parts of the sum are JSON strings.
        parts = re.findall(r'"(?:[^"\\]|\\.)*"', literal)
        assert "".join(json.loads(part) for part in parts) == text


@pytest.mark.parametrize(("template", "expected"), [
    ("{{ body.note | default('—') }}", '={{ $ifEmpty($json.body.note, "—") }}'),
    ("{{ body.name | upper }}",
     "={{ (v => v == null || v === '' ? v : String(v).toUpperCase())($json.body.name) }}"),
    ("{{ body.email | trim | lower }}",
     "={{ (v => v == null || v === '' ? v : String(v).toLowerCase())"
     "(String($json.body.email ?? '').trim()) }}"),
    ("{{ body.line_items | count }}", "={{ ($json.body.line_items ?? []).length }}"),
    ("{{ body.tags | join(', ') }}", '={{ [].concat($json.body.tags ?? []).join(", ") }}'),
    ("{{ body.ref | replace('refs/heads/', '') }}",
     "={{ String($json.body.ref ?? '').replaceAll(\"refs/heads/\", \"\") }}"),
    ("{{ body | tojson }}", "={{ JSON.stringify($json.body ?? null) }}"),
    ("{{ body.a ~ '-' ~ body.b }}", '={{ [$json.body.a, "-", $json.body.b].join(\'\') }}'),
    ("{{ body.total * 2 }}", "={{ ($json.body.total * 2) }}"),
    ("{{ 'yes' if body.paid else 'no' }}", '={{ ($json.body.paid ? "yes" : "no") }}'),
])
def test_formatters_and_operators(template: str, expected: str) -> None:
    assert value(template) == expected


def test_money_keeps_the_symbol_decimals_and_cents() -> None:
    js = value("{{ body.amount | money('NT$', 0, cents=True) }}")
    assert '"NT$"' in js and "minimumFractionDigits: 0, maximumFractionDigits: 0" in js
    assert "/ 100" in js
    assert "/ 100" not in value("{{ body.total | money('US$') }}")
    assert "minimumFractionDigits: 2" in value("{{ body.total | money('US$') }}")


def test_a_formatter_leaves_an_empty_field_empty_for_default() -> None:
    js = value("{{ body.note | money('NT$', 0) | default('—') }}")
    assert js.startswith("={{ $ifEmpty((v => v == null || v === '' ? v :")


def test_dates_use_luxon_in_the_time_zone() -> None:
    js = value("{{ body.created_at | date('%Y年%m月%d日', 'Asia/Taipei') }}")
    assert '.setZone("Asia/Taipei").toFormat("yyyy\'年\'MM\'月\'dd\'日\'")' in js
    assert "DateTime.fromMillis" in js  # Unix times (Stripe) as well as ISO texts


def test_formatters_without_an_equivalent_are_left_out_and_reported() -> None:
    converted = convert_template("{{ body.phone | phone | default('—') }}", SCOPE)
    assert converted.value == '={{ $ifEmpty($json.body.phone, "—") }}'
    assert "“phone”" in converted.notes[0].reason


def test_required_is_reported() -> None:
    converted = convert_template("{{ body.email | required }}", SCOPE)
    assert converted.value == "={{ $json.body.email }}"
    assert "“required”" in converted.notes[0].reason


@pytest.mark.parametrize("template", ["{{ body.x | wordcount }}",
                                      "{{ body.x | truncate(body.n) }}",
                                      "{{ body.x | date('%Q') }}",
                                      "{{ body.x | money(1) }}",
                                      "{{ body.x.upper() }}"])
def test_what_n8n_cannot_do_is_written_out_and_reported(template: str) -> None:
    converted = convert_template(template, SCOPE)
    assert converted.notes and converted.notes[0].piece == template
    assert "{{" not in converted.value.removeprefix("={{").removesuffix("}}")


def test_a_template_with_a_syntax_mistake_is_reported() -> None:
    converted = convert_template("{{ body.name | }}", SCOPE)
    assert "cannot be read" in converted.notes[0].reason


def test_filter_fields_are_paths() -> None:
    assert path_expression("body.total_price", SCOPE) == ("$json.body.total_price", [])


@pytest.mark.parametrize(("pattern", "luxon"), [
    ("%Y-%m-%d %H:%M", "yyyy'-'MM'-'dd' 'HH':'mm"),
    ("%Y/%m/%d %H:%M:%S %z", "yyyy'/'MM'/'dd' 'HH':'mm':'ss' 'ZZZ"),
    ("%-d %B %Y, %I %p", "d' 'LLLL' 'yyyy', 'hh' 'a"),
    ("100%% %a", "'100% 'ccc"),
])
def test_strftime_patterns_as_luxon(pattern: str, luxon: str) -> None:
    assert luxon_format(pattern) == luxon


@pytest.mark.parametrize("pattern", ["%Q", "it's %Y"])
def test_patterns_luxon_cannot_write(pattern: str) -> None:
    with pytest.raises(ValueError):
        luxon_format(pattern)
