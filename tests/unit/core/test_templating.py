"""Templates: rendering, helpful errors for template mistakes, the sandbox, field paths,
filters. Fields an event lacks (empty, noted, or required): test_missing_fields.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jinja2.sandbox import unsafe

from bellhop.core.i18n import set_language
from bellhop.core.templating import (
    TemplateProblem,
    check_syntax,
    field_paths,
    lookup,
    make_context,
    render,
)
from helpers import sample_json
from support.sandbox import sandbox_built_now


@pytest.fixture(autouse=True)
def _sandbox_built_now() -> Iterator[None]:
    with sandbox_built_now():
        yield


@pytest.fixture
def order() -> dict:
    return make_context({"body": sample_json("shopify_order_create.json"), "query": {},
                         "headers": {"x-shopify-topic": "orders/create"}, "rule": "R",
                         "event_id": "ev_1", "steps": {"1": {"matched": True}}})


def test_renders_nested_fields_and_filters(order: dict) -> None:
    body = sample_json("shopify_order_create.json")
    out = render("Order {{ body.name }}: {{ body.line_items | length }} items", order)
    assert out == f"Order {body['name']}: {len(body['line_items'])} items"
    assert render("{{ headers['x-shopify-topic'] }}", order) == "orders/create"
    assert render("{{ steps.1.matched }}", order) == "True"


def test_plain_text_is_returned_untouched() -> None:
    assert render("no template here {", {}) == "no template here {"


def test_a_missing_field_used_in_arithmetic_names_the_field_and_what_exists(
        order: dict) -> None:
    with pytest.raises(TemplateProblem) as caught:
        render("{{ body.customer.emial * 2 }}", order)
    message = caught.value.message
    assert "body.customer.emial" in message
    assert "email" in message  # the field the person probably meant


def test_missing_field_message_in_chinese(order: dict) -> None:
    set_language("zh_TW")
    try:
        with pytest.raises(TemplateProblem) as caught:
            render("{{ body.nope + 1 }}", order)
    finally:
        set_language("en")
    assert "body.nope" in caught.value.message
    assert "欄位" in caught.value.message


def test_default_filter_covers_missing_fields(order: dict) -> None:
    assert render("{{ body.nope | default('n/a') }}", order) == "n/a"


def test_payload_text_is_data_never_code() -> None:
    values = make_context({"body": {"name": "{{ ''.__class__.__mro__ }}", "x": "{{ 7*7 }}",
                                    "loop": "{% for i in range(9) %}{{ i }}{% endfor %}"}})
    assert render("{{ body.name }}", values) == "{{ ''.__class__.__mro__ }}"
    assert render("{{ body.x }}", values) == "{{ 7*7 }}"
    assert render("[{{ body.loop }}]", values) == "[{% for i in range(9) %}{{ i }}{% endfor %}]"


def refused(attribute: str, owner: str) -> str:
    """The problem for a template the sandbox stops, with the sandbox's own reason."""
    return (f"The template tries to reach something it may not (access to attribute "
            f"'{attribute}' of '{owner}' object is unsafe.).")


# Each of these renders Python internals (or worse) when the sandbox is bypassed.
@pytest.mark.parametrize(("escape", "body", "problem"), [
    ("{{ ''.__class__ }}", {"a": 1}, refused("__class__", "str")),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", {"a": 1}, refused("__class__", "str")),
    ("{{ (1).__class__.__base__.__subclasses__() }}", {"a": 1}, refused("__class__", "int")),
    ("{{ body.__class__.__mro__ }}", "text sent as the body", refused("__class__", "str")),
    ("{{ body.__class__.__mro__ }}", [1, 2], refused("__class__", "FieldList")),
    ("{{ body.__class__ }}", [1, 2], refused("__class__", "FieldList")),
    ("{{ cycler.__init__.__globals__ }}", {"a": 1}, refused("__init__", "type")),
    ("{{ namespace.__init__ }}", {"a": 1}, refused("__init__", "type")),
    ("{{ self._TemplateReference__context }}", {"a": 1},
     refused("_TemplateReference__context", "TemplateReference")),
    ("{{ '{0.__class__}'.format('') }}", {"a": 1}, refused("__class__", "str")),
    ("{{ '' | attr('__class__') }}", {"a": 1}, refused("__class__", "str")),
    ("{{ body.items.__self__.__class__ }}", {"items": 5}, refused("__class__", "MissingField")),
    ("{{ '{x.__class__}'.format_map({'x': ''}) }}", {"a": 1}, refused("__class__", "str")),
    # `format` is the sandbox's own priced wrapper: it does not lead back to the text.
    ("{{ ''.format.__self__ }}", {"a": 1}, "The field '__self__' is not in this event."),
])
def test_sandbox_blocks_attribute_escapes(escape: str, body: object, problem: str) -> None:
    values = make_context({"body": body})
    with pytest.raises(TemplateProblem) as caught:
        render(escape, values)
    assert caught.value.message == problem


def test_a_callable_marked_unsafe_is_refused() -> None:
    @unsafe
    def delete_everything() -> str:
        return "deleted"

    with pytest.raises(TemplateProblem) as caught:
        render("{{ f() }}", make_context({"f": delete_everything}))
    assert caught.value.message == ("The template tries to reach something it may not "
                                    f"({delete_everything!r} is not safely callable).")


# Event data is looked up by key before any Python attribute, so these never reach the
# sandbox at all: a key wins over a method of the same name, a missing key is a missing
# field (written out empty), and a name of Python's own (`_…`) is a mistake of the template.
@pytest.mark.parametrize(("template", "body", "expected"), [
    ("{{ body.items }}", {"items": 5}, "5"),
    ("{{ body.keys }}|{{ body.values }}|{{ body.get }}", {"keys": "k", "values": [1], "get": 0},
     "k|[1]|0"),
    ("{{ body.items }}", {"a": 1}, ""),
    ("{{ body.__class__ }}", {"a": 1},
     "The field 'body.__class__' is not in this event. Fields at body: a."),
    ("{{ body.__class__.__mro__ }}", {"a": 1},
     "The field 'body.__class__' is not in this event. Fields at body: a."),
    ("{{ body.items.__self__.__class__ }}", {"a": 1},
     "The field 'body.items' is not in this event. Fields at body: a."),
    ("{{ body.customer.__init__ }}", {"customer": {"id": 7}},
     "The field 'body.customer.__init__' is not in this event. Fields at body.customer: id."),
    ("{{ body['nope'] }}", {"a": 1}, ""),
    ("{{ body[1] }}|{{ body.list[0] }}", {"1": "one", "list": ["first"]}, "one|first"),
    ("{{ body.items.first }}", {"items": [1, 2]}, ""),
    ("{{ body.items[0].nope }}", {"items": [{"sku": "A"}]}, ""),
    ("{{ body.items[0].nope.__class__ }}", {"items": [{"sku": "A"}]},
     refused("__class__", "MissingField")),
    ("{{ body.items[0]._private }}", {"items": [{"sku": "A"}]},
     "The field 'body.items[0]._private' is not in this event. Fields at body.items[0]: sku."),
])
def test_event_keys_come_before_python_attributes(template: str, body: dict,
                                                  expected: str) -> None:
    values = make_context({"body": body})
    try:
        out = render(template, values)
    except TemplateProblem as exc:
        out = exc.message
    assert out == expected


def test_syntax_mistake_is_reported_plainly() -> None:
    problem = check_syntax("Hello {{ body.name ")
    assert problem is not None and "line 1" in problem
    with pytest.raises(TemplateProblem):
        render("{% for %}", {})


def test_runaway_output_is_stopped() -> None:
    with pytest.raises(TemplateProblem) as caught:
        render("{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}", {})
    assert "too much" in caught.value.message


def test_field_paths_list_every_field_with_sample_values() -> None:
    paths = dict(field_paths({"body": {"customer": {"email": "a@b.tw"}, "items": [{"q": 2}]}}))
    assert paths["body.customer.email"] == "a@b.tw"
    assert paths["body.items[0].q"] == 2
    assert "body.customer" in paths


def test_lookup_follows_paths_and_indexes() -> None:
    data = {"body": {"items": [{"sku": "A"}, {"sku": "B"}], "a.b": 1, "text": "abc"}}
    assert lookup(data, "body.items[1].sku") == "B"
    assert lookup(data, "body.items[-1].sku") == "B"
    assert lookup(data, "body.items[-2].sku") == "A"
    assert lookup(data, "body['a.b']") == 1
    assert lookup(data, ' body["a.b"] ') == 1
    for absent in ("body.items[2].sku", "body.items[-3].sku", "body.missing", "body.text.a",
                   "body.items.sku", "body.text[0]", "body.items[0].sku.x"):
        with pytest.raises(KeyError) as caught:
            lookup(data, absent)
        assert caught.value.args == (absent,)


def test_date_number_and_money_filters() -> None:
    values = make_context({"body": {"at": "2026-11-28T15:04:05Z", "total": "1280000.5"}})
    assert render('{{ body.at | date("%Y/%m/%d %H:%M", "Asia/Taipei") }}', values) == (
        "2026/11/28 23:04")
    assert render("{{ body.total | number }}", values) == "1,280,000.5"
    assert render('{{ body.total | money("NT$", 0) }}', values) == "NT$1,280,001"  # half up
    assert render('{{ 12345 | money("$", cents=True) }}', values) == "$123.45"
    with pytest.raises(TemplateProblem) as caught:
        render("{{ 'abc' | money }}", values)
    assert "not a number" in caught.value.message


def test_every_formatting_help_example_gives_what_it_says() -> None:
    from bellhop.core.templating.formatters import EXAMPLE_EVENT, FILTER_HELP

    for example in FILTER_HELP:
        assert render(example.template, EXAMPLE_EVENT) == example.result, example.template


def test_people_filters_for_lists_text_and_missing_fields() -> None:
    event = {"body": {"items": [{"t": "a", "q": "2"}, {"t": "b", "q": 1.5}, {"x": 1}],
                      "empty": "", "none": None, "zh": "凍頂烏龍茶一百五十公克裝"}}
    assert render("{{ body.items | pluck('t') | join(',') }}", event) == "a,b"
    assert render("{{ body.items | sum_of('q') }}", event) == "3.5"
    assert render("{{ body.missing | default('—') }}|{{ body.empty | default('—') }}|"
                  "{{ body.none | default('—') }}|{{ body.zh | default('—') }}", event) == \
        "—|—|—|凍頂烏龍茶一百五十公克裝"
    assert render("{{ body.zh | truncate(6) }}", event) == "凍頂烏龍茶…"
    assert render("{{ body.zh | truncate(20) }}", event) == "凍頂烏龍茶一百五十公克裝"
    assert render("{{ '2026-11-28 06:20:05+00:00' | date('%H:%M', 'Asia/Taipei') }}",
                  event) == "14:20"
