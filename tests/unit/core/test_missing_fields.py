"""Fields an event lacks: written out empty and noted, `| required` stops, mistakes stay
mistakes. (How a step words them and records them: test_missing_in_runs.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bellhop.core.templating import (
    Gap,
    RequiredFieldEmpty,
    TemplateProblem,
    check_syntax,
    fill_in,
    make_context,
    render,
)
from support.sandbox import sandbox_built_now


@pytest.fixture(autouse=True)
def _sandbox_built_now() -> Iterator[None]:
    with sandbox_built_now():
        yield


def guest(customer: Any = "absent") -> dict[str, Any]:
    """A Shopify guest checkout: no customer at all, or `customer: null`."""
    body: dict[str, Any] = {"name": "#1043", "total_price": "1640.50", "note": None,
                            "email": "", "line_items": [{"title": "凍頂烏龍茶", "sku": None}]}
    if customer != "absent":
        body["customer"] = customer
    return make_context({"body": body, "headers": {"x-shopify-topic": "orders/create"}})


@pytest.mark.parametrize("customer", ["absent", None])
def test_a_field_under_a_missing_part_is_empty_and_noted_with_the_part_it_lacks(
        customer: Any) -> None:
    filled = fill_in("Order {{ body.name }} from {{ body.customer.last_name }}"
                     "{{ body.customer.first_name }}.", guest(customer))
    assert filled.text == "Order #1043 from ."
    null = customer is None
    assert filled.missing == (Gap("body.customer.last_name", "body.customer", null),
                              Gap("body.customer.first_name", "body.customer", null))


def test_null_and_empty_values_are_empty_without_a_note() -> None:
    filled = fill_in("[{{ body.note }}|{{ body.email }}|{{ body.line_items[0].sku }}|"
                     "{{ body.line_items[0]['sku'] }}]", guest())
    assert filled == fill_in("[|||]", {})
    assert filled.text == "[|||]" and filled.missing == ()


def test_each_missing_field_is_noted_once_in_the_order_written() -> None:
    filled = fill_in("{{ body.a }}{{ body.b.c }}{{ body.a }}{{ body.line_items[3].title }}"
                     "{% for x in body.tags %}{{ x }}{% endfor %}", guest())
    assert [gap.path for gap in filled.missing] == [
        "body.a", "body.b.c", "body.line_items[3].title", "body.tags"]
    assert [gap.root for gap in filled.missing] == [
        "body.a", "body.b", "body.line_items[3]", "body.tags"]


def test_fields_that_are_tested_or_replaced_are_not_noted() -> None:
    filled = fill_in("{% if body.customer %}{{ body.customer.first_name }}{% endif %}"
                     "{{ body.customer.first_name | default('Guest') }}"
                     "{{ body.customer is defined }} {{ body.note is none }}"
                     " {{ body.note is defined }} {{ body.note | default('—') }}", guest())
    assert filled.text == "GuestFalse True True —"
    assert filled.missing == ()


@pytest.mark.parametrize("chain", [
    "date('%Y/%m/%d %H:%M')", "date('%m月%d日')", "date('%Y-%m-%dT%H:%M:%S%z')",
    "money('NT$', 0)", "phone", "number", "upper", "lower", "truncate(5)", "trim",
    "replace('a', 'b')", "count", "join(', ')", "pluck('x')", "sum_of('x')", "first",
    "string", "title", "int", "float", "round", "list", "map('upper')",
])
def test_every_formatter_passes_a_missing_field_on(chain: str) -> None:
    # Missing stays missing: the fallback after the formatter applies, and without one the
    # field is written out empty and noted.
    values = guest()
    assert render(f"{{{{ body.customer.phone | {chain} | default('—') }}}}", values) == "—"
    filled = fill_in(f"[{{{{ body.customer.phone | {chain} }}}}]", values)
    assert filled.text == "[]"
    assert filled.missing == (Gap("body.customer.phone", "body.customer"),)
    assert render(f"[{{{{ body.note | {chain} }}}}]", values) == "[]"  # null stays null


@pytest.mark.parametrize("chain", ["date('%Y')", "money('NT$', 0)", "number(2)", "phone",
                                   "upper", "lower", "truncate(3)"])
def test_our_formatters_give_an_empty_text_back_as_it_is(chain: str) -> None:
    assert render(f"[{{{{ body.email | {chain} }}}}|{{{{ body.email | {chain} | default('—') }}}}]",
                  guest()) == "[|—]"


def test_tojson_writes_null_for_a_missing_or_null_field() -> None:
    filled = fill_in('{"note": {{ body.note | tojson }}, "who": {{ body.customer | tojson }}, '
                     '"items": {{ body.line_items | tojson }}}', guest())
    tea = "\\u51cd\\u9802\\u70cf\\u9f8d\\u8336"  # 凍頂烏龍茶, as JSON escapes it
    assert filled.text == ('{"note": null, "who": null, '
                           f'"items": [{{"sku": null, "title": "{tea}"}}]}}')
    assert filled.missing == (Gap("body.customer", "body.customer"),)


def test_required_gives_the_value_when_it_is_there() -> None:
    assert render("{{ body.name | required }} {{ body.total_price | required | money('NT$', 0) }}",
                  guest()) == "#1043 NT$1,641"


@pytest.mark.parametrize(("template", "gap"), [
    ("{{ body.customer.first_name | required }}",
     Gap("body.customer.first_name", "body.customer")),
    ("Hi {{ body.customer['first_name'] | required | upper | default('x') }}",
     Gap("body.customer.first_name", "body.customer")),
    ("{{ body.note | required }}", Gap("body.note", "body.note", True)),
    ("{{ body.email | required }}", Gap("body.email", "body.email")),  # there, but empty
    ("{{ body.email | trim | required }}", Gap("body.email", "body.email")),
    ("{{ body.line_items[5].title | required }}",
     Gap("body.line_items[5].title", "body.line_items[5]")),
    ("{{ (body.email ~ '') | required }}", Gap("", "")),  # no single field to name
])
def test_required_stops_at_a_missing_or_empty_field_and_names_it(template: str,
                                                                  gap: Gap) -> None:
    assert check_syntax(template) is None
    with pytest.raises(RequiredFieldEmpty) as caught:
        render(template, guest())
    assert caught.value.gap == gap
    assert isinstance(caught.value, TemplateProblem)  # callers that know only that still see it


@pytest.mark.parametrize(("template", "problem"), [
    # A name that is not the event's, at the top, is a typing mistake, not a missing field.
    ("{{ bdy.name }}", "The field 'bdy' is not in this event."),
    ("{{ nme }}", "The field 'nme' is not in this event."),
    ("{{ nme | default('x') | required }}", None),  # … unless the template gives a fallback
    # Arithmetic and comparisons need a value.
    ("{{ body.customer.orders_count + 1 }}",
     "The field 'body.customer.orders_count' is not in this event."),
    ("{% if body.total > 100 %}big{% endif %}",
     "The field 'body.total' is not in this event. Fields at body: email, line_items, name, "
     "note, total_price."),
    # Python's own names are never event data.
    ("{{ body._secret }}",
     "The field 'body._secret' is not in this event. Fields at body: email, line_items, name, "
     "note, total_price."),
    ("{{ body.nope.__init__.__globals__ }}",
     "The template tries to reach something it may not (access to attribute '__init__' of "
     "'MissingField' object is unsafe.)."),
    ("{{ body.note.__class__ }}",
     "The template tries to reach something it may not (access to attribute '__class__' of "
     "'NullField' object is unsafe.)."),
    ("{{ body.nope() }}", "The field 'body.nope' is not in this event. Fields at body: email, "
                          "line_items, name, note, total_price."),
])
def test_mistakes_of_the_template_stay_mistakes(template: str, problem: str | None) -> None:
    if problem is None:
        assert render(template, guest()) == "x"
        return
    with pytest.raises(TemplateProblem) as caught:
        render(template, guest())
    assert caught.value.message == problem
    assert not isinstance(caught.value, RequiredFieldEmpty)


def test_an_unknown_filter_is_still_a_problem_when_the_rule_is_checked() -> None:
    assert check_syntax("{{ body.name | requird }}") == (
        "Template mistake on line 1: No filter named 'requird'.")
    assert check_syntax("{{ body.name | phone | required | default('—') }}") is None


def test_a_payload_cannot_pass_for_a_missing_field() -> None:
    # Text in the event that looks like a template stays text, missing or not around it.
    values = make_context({"body": {"name": "{{ body.secret | required }}"}})
    filled = fill_in("{{ body.name }}{{ body.other }}", values)
    assert filled.text == "{{ body.secret | required }}"
    assert filled.missing == (Gap("body.other", "body.other"),)


def test_notes_of_one_filling_in_do_not_leak_into_the_next() -> None:
    assert fill_in("{{ body.a }}", guest()).missing == (Gap("body.a", "body.a"),)
    assert fill_in("{{ body.name }}", guest()).missing == ()
    assert render("{{ body.a }}", guest()) == ""  # plain render: no notes kept anywhere
    assert fill_in("{{ body.name }}", guest()).missing == ()
