"""Template text as text and field chips: the grammar the chip menu writes, read back exactly."""

from __future__ import annotations

import pytest

from bellhop.core.templating import render
from bellhop.core.templating.chips import (
    DATE_CHINESE,
    DATE_ISO,
    DATE_TIME,
    Chip,
    Custom,
    date_format,
    describe,
    dotted,
    format_arguments,
    format_kind,
    join,
    money_decimals,
    money_format,
    path_parts,
    path_source,
    quote,
    read_expression,
    split,
    unquote,
)

CANONICAL = [
    ("{{ body.total_price }}", Chip("body.total_price")),
    ("{{ body.total_price | money('NT$', 0) }}",
     Chip("body.total_price", format="money('NT$', 0)")),
    ("{{ body.total_price | money('US$', 2) }}",
     Chip("body.total_price", format="money('US$', 2)")),
    ("{{ body.created_at | date('%Y/%m/%d %H:%M') }}",
     Chip("body.created_at", format=DATE_TIME)),
    ("{{ body.created_at | date('%m月%d日') }}", Chip("body.created_at", format=DATE_CHINESE)),
    ("{{ body.created_at | date('%Y-%m-%dT%H:%M:%S%z') }}",
     Chip("body.created_at", format=DATE_ISO)),
    ("{{ body.customer.phone | phone }}", Chip("body.customer.phone", format="phone")),
    ("{{ body.total_price | number }}", Chip("body.total_price", format="number")),
    ("{{ body.name | upper }}", Chip("body.name", format="upper")),
    ("{{ body.name | lower }}", Chip("body.name", format="lower")),
    ("{{ body.customer.first_name | required }}",
     Chip("body.customer.first_name", required=True)),
    ("{{ body.note | default('(none)') }}", Chip("body.note", default="(none)")),
    ("{{ body.note | default('') }}", Chip("body.note", default="")),
    ("{{ body.customer.phone | required | phone | default('—') }}",
     Chip("body.customer.phone", True, "phone", "—")),
    ("{{ body.created_at | required | date('%m月%d日') | default('今天') }}",
     Chip("body.created_at", True, DATE_CHINESE, "今天")),
    ("{{ body.line_items[0].title }}", Chip("body.line_items[0].title")),
    ('{{ body["訂單 編號"] }}', Chip('body["訂單 編號"]')),
    ('{{ headers["x-shopify-topic"] | upper }}',
     Chip('headers["x-shopify-topic"]', format="upper")),
    ("{{ steps.1.body.id }}", Chip("steps.1.body.id")),
    ("{{ received_at | date('%Y/%m/%d %H:%M') }}", Chip("received_at", format=DATE_TIME)),
]


@pytest.mark.parametrize(("text", "chip"), CANONICAL)
def test_every_canonical_form_reads_as_its_chip_and_writes_back(text: str, chip: Chip) -> None:
    read = read_expression(text)
    assert read == chip
    assert isinstance(read, Chip) and read.source == ""  # canonical: nothing to remember
    assert read.canonical() == text == read.text
    assert split(f"a {text} b") == ["a ", chip, " b"]
    assert join(split(f"a {text} b")) == f"a {text} b"


@pytest.mark.parametrize(("text", "canonical"), [
    ("{{body.name}}", "{{ body.name }}"),
    ("{{  body.total_price|money(\"NT$\",0)  }}", "{{ body.total_price | money(\"NT$\",0) }}"),
    ("{{ body.note | default(\"(none)\") }}", "{{ body.note | default('(none)') }}"),
    ("{{ body.created_at | date('%Y/%m/%d', 'Asia/Taipei') }}",
     "{{ body.created_at | date('%Y/%m/%d', 'Asia/Taipei') }}"),
    ("{{ body . name }}", "{{ body . name }}"),
])
def test_other_spellings_of_the_grammar_are_chips_that_keep_their_spelling(
        text: str, canonical: str) -> None:
    chip = read_expression(text)
    assert isinstance(chip, Chip)
    assert chip.text == text  # saved unchanged: byte for byte
    assert chip.canonical() == canonical
    assert join(split(text)) == text


def test_a_chip_changed_from_the_menu_is_written_canonically() -> None:
    chip = read_expression("{{body.total_price|money(\"NT$\",0)}}")
    assert isinstance(chip, Chip)
    changed = chip.changed(format=money_format("NT$", 2), required=True)
    assert changed.text == "{{ body.total_price | required | money('NT$', 2) }}"
    assert changed.changed(format=None, required=False, default="0").text == \
        "{{ body.total_price | default('0') }}"
    assert chip.changed().text == "{{ body.total_price | money(\"NT$\",0) }}"


@pytest.mark.parametrize("text", [
    "{{ body.line_items | pluck('title') | join('、') }}",
    "{{ body.message | truncate(10) }}",
    "{{ body.name | trim | upper }}",
    "{{ body.note | default('x') | upper }}",  # not in the grammar's order
    "{{ body.name | upper | required }}",
    "{{ item.title }}",  # a loop's variable, not a field of the event
    "{{ 1234567.5 | number }}",
    "{{- body.name -}}",
    "{{ body.amount | money('NT$', 0, cents=True) }}",
    "{{ body.total_price * 2 }}",
    "{{ body['a'] ~ body.b }}",
    "{{ body.name | upper() }}",
    "{{ }}",
])
def test_unknown_expressions_are_custom_and_kept_byte_for_byte(text: str) -> None:
    piece = read_expression(text)
    assert piece == Custom(text)
    whole = f"前 {text}\n後"
    assert join(split(whole)) == whole


def test_statements_comments_and_raw_blocks_stay_text() -> None:
    loop = "{% for item in body.line_items %}{{ item.title }} x{{ item.quantity }}\n{% endfor %}"
    pieces = split(loop)
    assert pieces == ["{% for item in body.line_items %}", Custom("{{ item.title }}"), " x",
                      Custom("{{ item.quantity }}"), "\n{% endfor %}"]
    comment = "{# {{ body.name }} is the order #}{{ body.name }}"
    assert split(comment) == ["{# {{ body.name }} is the order #}", Chip("body.name")]
    raw = "{% raw %}{{ body.name }}{% endraw %} {{ body.name }}"
    assert split(raw) == ["{% raw %}{{ body.name }}{% endraw %} ", Chip("body.name")]
    statement = "{% if body.note == '%}' %}note{% endif %}"
    assert split(statement) == [statement]
    for text in (loop, comment, raw, statement):
        assert join(split(text)) == text


@pytest.mark.parametrize("text", [
    "", "plain words only", "{{ not closed", "}} {{", "{{ 'unclosed string }}", "{%", "{#",
    "a {{ body.x }}{{ body.y }} b", "{{ body.x }}\r\n{{ body.y }}\u2028", "¥ {{{ body.x }}}",
    "{{ body.note | default('}}') }} after",
])
def test_any_text_round_trips(text: str) -> None:
    assert join(split(text)) == text


def test_braces_inside_strings_do_not_end_the_expression() -> None:
    assert split("{{ body.note | default('}}') }}!") == [Chip("body.note", default="}}"), "!"]


@pytest.mark.parametrize("text", [
    "it's", 'say "hi"', "back\\slash", "\\n is not a newline", "two\nlines\r\n", "tab\there",
    "訂單 #1042 ・ 謝謝", "emoji 🎉", "\x00\x1b\x7f", "'; {{ evil }} '", "\\'",
])
def test_default_text_with_quotes_and_escapes_survives_the_template_engine(text: str) -> None:
    chip = Chip("body.note", default=text)
    assert read_expression(chip.text) == chip
    assert unquote(quote(text)) == text
    # Jinja reads the literal the same way: the missing field shows exactly the text.
    assert render(chip.text, {"body": {}}) == text


@pytest.mark.parametrize(("template", "shown"), [
    ("{{ body.total_price | money('NT$', 0) }}", "NT$1,640"),
    ("{{ body.total_price | number }}", "1,640"),
    ("{{ body.name | upper }}", "MEI LIN"),
    ("{{ body.name | lower }}", "mei lin"),
    ("{{ body.created_at | date('%Y-%m-%d') }}", "2026-11-28"),
    ("{{ body.gone | default('無') }}", "無"),
])
def test_the_formats_the_menu_writes_are_templates_the_engine_renders(
        template: str, shown: str) -> None:
    body = {"total_price": "1640.00", "name": "Mei Lin", "created_at": "2026-11-28T12:00:00"}
    assert render(template, {"body": body}) == shown


def test_paths_from_the_picker_read_back_as_their_parts() -> None:
    parts: list[str | int] = ["body", "訂單 編號", "line_items", 0, 'say "hi"', "back\\slash"]
    source = path_source(parts)
    assert source == 'body["訂單 編號"].line_items[0]["say \\"hi\\""]["back\\\\slash"]'
    assert path_parts(source) == parts
    chip = read_expression("{{ " + source + " }}")
    assert isinstance(chip, Chip) and chip.parts == parts
    assert path_parts("body['a'].b[2]") == ["body", "a", "b", 2]
    assert dotted(["body", "line_items", 0, "title"]) == "body.line_items[0].title"


def test_format_helpers() -> None:
    assert date_format("%Y年") == "date('%Y年')"
    assert format_kind("money('NT$', 0)") == "money"
    assert format_kind(DATE_ISO) == "date"
    assert format_kind("truncate(3)") is None and format_kind(None) is None
    assert format_arguments("money('NT$', 0)") == ["NT$"]
    assert format_arguments("date('%H', 'Asia/Taipei')") == ["%H", "Asia/Taipei"]
    assert money_decimals("money('NT$', 0)") == 0
    assert money_decimals("money('$')") == 2
    assert money_decimals("money('1, 5', 3)") == 3


def test_a_summary_names_the_fields_instead_of_their_braces() -> None:
    names = {"body.name": "Order number", "body.total_price": "Order total"}
    text = "New order {{ body.name | upper }} · {{body.total_price|money('NT$',0)}}"
    assert describe(text, names.__getitem__) == "New order [Order number] · [Order total]"
    assert describe("{{ item.title | upper }} {% if x %}y{% endif %}", names.__getitem__) == \
        "[item.title | upper] {% if x %}y{% endif %}"
    assert describe("plain", names.__getitem__) == "plain"
