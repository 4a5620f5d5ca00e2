"""Templates are data a person wrote: checking one runs nothing of it, filling one in stays
within limits of size and time, and a template that breaks a limit is a problem of its
own rule (or a failed step), while the engine, the other rules and /healthz carry on."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment

from bellhop.actions import desktop_notice
from bellhop.core import templating
from bellhop.core.cards import Registry
from bellhop.core.events import NoticeRequested
from bellhop.core.i18n import set_language
from bellhop.core.running.rules import new_token, save_rules
from bellhop.core.templating import (
    FieldMap,
    MissingField,
    TemplateProblem,
    check_syntax,
    make_context,
    render,
)
from bellhop.core.templating.formatters import FILTERS
from bellhop.core.templating.missing import required_filter
from bellhop.core.templating.watchdog import Overtime
from bellhop.service import Bellhop
from helpers import sample_json
from support.sandbox import sandbox_built_now

TOO_BIG = ("This template would make a text or list too big to handle (over 2,000,000 "
           "characters). Check the numbers it repeats, pads or widens by.")
NUMBER = "This template would make a number too long to handle (over 4,300 digits)."
TOO_MUCH = ("This template makes too much text in all while it is filled in (over 20,000,000 "
            "characters). Look for loops that add to a text or list many times.")
SLOW = ("This template takes too long to fill in (over 0.5 seconds). Look for loops that run "
        "many times.")
NESTED = ("This template has too many brackets, filters or blocks inside one another (at most "
          "40).")


@pytest.fixture(autouse=True)
def _sandbox_built_now() -> Iterator[None]:
    with sandbox_built_now():
        yield


def line(n: int, problem: str) -> str:
    return f"Template mistake on line {n}: {problem}"


def outcome(source: str, values: dict[str, Any] | None = None) -> str:
    """The rendered text, or the problem a person would read."""
    try:
        return render(source, make_context(values or {"body": {}}))
    except TemplateProblem as problem:
        return "PROBLEM: " + problem.message


# -- checking runs nothing ---------------------------------------------------------------

THE_ISSUE = {  # issue 17 item 4, and Jinja's folding of constant output
    "{{ 'x'|center(1000000000) }}": line(1, TOO_BIG),
    "{{ 9**(9**8) }}": line(1, NUMBER),
    "{{ 10**4300 }}": line(1, NUMBER),
    "{{ 'a'*200000000 }}": line(1, TOO_BIG),
}


@pytest.mark.parametrize("source", THE_ISSUE)
def test_compiling_evaluates_nothing(source: str) -> None:
    tree = Environment().parse(source)  # Jinja's own parser: no check of ours in the way
    tracemalloc.start()
    try:
        env = templating._ENV
        code = env.code_generator_class(env, None, None)
        code.visit(tree)  # Jinja's own code generator computes the constant output here
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "yield" in code.stream.getvalue() and peak < 5_000_000


@pytest.mark.parametrize(("source", "problem"), THE_ISSUE.items())
def test_the_issue_templates_are_problems_when_checked(source: str, problem: str) -> None:
    tracemalloc.start()
    try:
        found = check_syntax(source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == problem and peak < 5_000_000
    assert outcome(source) == "PROBLEM: " + problem  # and never filled in


@pytest.mark.parametrize(("source", "problem"), [
    ("{% autoescape 9**(9**8) %}x{% endautoescape %}", line(1, NUMBER)),
    ("{{ 'x'.zfill(10**9) }}", line(1, TOO_BIG)),
    ("{{ 'x'.center(10**9) }}", line(1, TOO_BIG)),
    ("{{ '%1000000000s' % 'x' }}", line(1, TOO_BIG)),
    ("{{ 'ab' | indent(3000000) }}", line(1, TOO_BIG)),
    ("{{ ['x'] * 300000000 }}", line(1, TOO_BIG)),
    ("{{ 5 | round(-10**6) }}", line(1, NUMBER)),
    ("line one\n{{ 2 ** 3 }}\n{{ (7 ** 9999) * 7 }}", line(3, NUMBER)),
    ("{{ " + "1" * 5000 + " }}", NUMBER),  # Python itself refuses to read it
])
def test_constant_work_past_a_limit_is_a_problem_at_check(source: str, problem: str) -> None:
    assert check_syntax(source) == problem


def test_template_size_and_nesting_are_plain_problems() -> None:
    assert check_syntax("{{ a }}" + "x" * 100_000) == (
        "This template is too long: 100,007 characters (at most 100,000).")
    assert check_syntax("x" * 200_000) is None  # plain text is used as it is
    assert check_syntax("{{ a }}" * 2001) == (
        "This template has too many places to fill in: 2,001 (at most 2,000).")
    assert check_syntax("{{ " + " ~ ".join(["body.a"] * 2000) + " }}") == line(1, (
        "This template has too much in its fields and blocks (more than 6,000 words and "
        "signs). Split it into smaller templates."))
    assert check_syntax("{{ " + " ~ ".join(["body.a"] * 1400) + " }}") is None
    for depth in (41, 100, 30_000):  # counted before parsing, which would recurse
        assert check_syntax("{{ " + "(" * depth + "1" + ")" * depth + " }}") == line(1, NESTED)
    assert check_syntax("{{ " + "[" * 20 + "(" * 20 + ")" * 20 + "]" * 20 + " }}") is None
    assert check_syntax("\n{{ a" + "|upper" * 45 + " }}") == line(2, NESTED)
    assert check_syntax("{{ " + " + ".join(["1"] * 60) + " }}") == line(1, NESTED)
    assert check_syntax("{{ " + "not " * 60 + "a }}") == line(1, NESTED)
    assert check_syntax("{{ " + "not " * 5000 + "a }}") == NESTED  # the parser's own limit
    assert check_syntax("{% if a %}" * 50 + "x" + "{% endif %}" * 50) == line(1, NESTED)
    assert check_syntax("{% for a in b %}" * 16 + "x" + "{% endfor %}" * 16) == line(1, NESTED)
    assert check_syntax("{% for a in b %}" * 15 + "x" + "{% endfor %}" * 15) is None


def test_problems_are_told_in_chinese_too() -> None:
    set_language("zh_TW")
    try:
        assert check_syntax("{{ 9**(9**8) }}") == (
            "範本第 1 行有錯誤：這個範本會產生位數太多的數字（超過 4,300 位），無法處理。")
        assert outcome("{% for a in range(100000) %}{% for b in range(100000) %}"
                       "{% endfor %}{% endfor %}") == (
            "PROBLEM: 這個範本填入時間太長（超過 0.5 秒）。請找出執行很多次的迴圈。")
    finally:
        set_language("en")


# -- filling in stays within the limits --------------------------------------------------

BIG = {"body": {"name": "Mei", "text": "x" * 100_000, "n": 7, "zero": 0,
                "price": "1e999999999", "tiny": "1e-999999999"}}


@pytest.mark.parametrize(("source", "expected"), [
    # the time limit, for loops and for library code that runs long
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", SLOW),
    ("{% set r = range(100000) %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}",
     SLOW),
    ("{% macro m(n) %}{% for i in range(100000) %}{% endfor %}{{ m(n) }}{% endmacro %}"
     "{{ m(1) }}", SLOW),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
     "{{ f(30) }}", SLOW),
    # sizes worked out before the work: operators, `~`, slices
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s | length }}", TOO_BIG),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
     "{% endfor %}", TOO_BIG),
    ("{% set ns = namespace(n=body.n) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
     "{% endfor %}", NUMBER),
    ("{{ body.n ** (10 ** 6) }}", NUMBER),
    ("{{ body.n ** 10 ** 6 }}", "(7 ** 10) ** 6"),
    ("{{ body.text * 100 }}", TOO_BIG),
    ("{{ [body.text] * 300000 }}", TOO_BIG),
    ("{{ '%s' % ([body.text] * 20,) }}", TOO_BIG),
    ("{{ '%*d' % (body.n * 10 ** 8, 1) }}", TOO_BIG),
    ("{{ (body.text * 19)[1:] ~ body.text ~ body.text }}", TOO_BIG),
    # values written out, and what a macro or block collects
    ("{{ [body.text] * 30 }}", TOO_BIG),
    ("{% macro m() %}{% for i in range(30) %}{{ body.text }}{% endfor %}{% endmacro %}"
     "{{ m() | length }}", TOO_BIG),
    ("{% set block %}{% for i in range(30) %}{{ body.text }}{% endfor %}{% endset %}{{ 1 }}",
     TOO_BIG),
    # filters: widths, counts, repeats
    ("{{ body.name | center(100000000) }}", TOO_BIG),
    ("{{ body.text | indent(1000) }}", "body"),
    ("{{ body.name | indent(10 ** 8) }}", TOO_BIG),
    ("{{ body.text | wordwrap(1, wrapstring='\n' * 50) }}", TOO_BIG),
    ("{{ body.text | replace('x', body.text) }}", TOO_BIG),
    ("{{ '%s%s' | format(body.text * 10, body.text * 10) }}", TOO_BIG),
    ("{{ ([body.text] * 30) | join }}", TOO_BIG),
    ("{{ ([body.text] * 20) | join(body.text) }}", TOO_BIG),
    ("{{ [1] | batch(body.n * 10 ** 8, 0) | list }}", TOO_BIG),
    ("{{ [1] | slice(body.n * 10 ** 8) | list }}", TOO_BIG),
    ("{{ body.n | round(- 10 ** 6) }}", NUMBER),
    ("{{ ([body.text] * 30) | string }}", TOO_BIG),
    ("{{ ([body.text] * 30) | tojson }}", TOO_BIG),
    ("{{ ([body.text] * 30) | upper }}", TOO_BIG),
    ("{{ body.price | money('NT$') }}", "The template could not be filled in: '1E+999999999' "
     "has too many digits to show (at most 1,000)."),
    ("{{ body.tiny | number }}", "The template could not be filled in: '1E-999999999' has "
     "too many digits to show (at most 1,000)."),
    ("{{ 3 | number(10 ** 8) }}", "The template could not be filled in: A number cannot be "
     "shown with 100000000 decimal places (at most 1,000)."),
    # methods the sandbox allows
    ("{{ body.name.center(10 ** 8) }}", TOO_BIG),
    ("{{ body.name.ljust(10 ** 8) }}", TOO_BIG),
    ("{{ body.name.zfill(10 ** 8) }}", TOO_BIG),
    ("{{ ('a\tb' ~ body.name).expandtabs(10 ** 8) }}", TOO_BIG),
    ("{{ body.text.replace('x', 'yy' * 50) }}", TOO_BIG),
    ("{{ '{:>100000000}'.format(body.name) }}", TOO_BIG),
    ("{{ '{0:{1}}'.format(body.name, 10 ** 8) }}", TOO_BIG),
    ("{{ '{0!r}{0!r}'.format([body.text] * 20) }}", TOO_BIG),
    ("{{ body.name.join([body.text] * 30) }}", TOO_BIG),
    ("{{ body.n.to_bytes(10 ** 8, 'big') }}", TOO_BIG),
    ("{% set ns = namespace(l=[body.text]) %}{% for i in range(30) %}"
     "{% if ns.l.extend(ns.l) %}{% endif %}{% endfor %}", TOO_BIG),
    ("{% set ns = namespace(l=[]) %}{% for i in range(300) %}"
     "{% if ns.l.append(body.text) %}{% endif %}{% endfor %}", TOO_MUCH),
    ("{{ {}.fromkeys(range(20000)) | length }}", "This template builds a table with too many "
     "entries at once (over 10,000)."),
    ("{{ dict(range(40000) | batch(2)) | length }}", "This template builds a "
     "table with too many entries at once (over 10,000)."),
    ("{{ lipsum(10 ** 6) }}", "The field 'lipsum' is not in this event."),  # no such thing
    # what a call makes is counted even when nothing was priced before it
    ("{% for i in range(300) %}{% set s = body.text.strip() %}{% endfor %}", TOO_MUCH),
    # tables from a stream of entries are counted as the tables they make
    ("{{ {}.fromkeys(range(20000) | map('string')) | length }}", "This template builds a "
     "table with too many entries at once (over 10,000)."),
    ("{% set d = {} %}{% if d.update(range(40000) | batch(2)) %}{% endif %}{{ d | length }}",
     "This template builds a table with too many entries at once (over 10,000)."),
    ("{{ '{a}'.format_map({'a': 1}, 2) }}", "The template could not be filled in: "
     "format_map() takes exactly one argument"),
    ("{{ body.name[::0] }}", "The template could not be filled in: slice step cannot be zero"),
])
def test_filling_in_stops_at_the_limits(source: str, expected: str) -> None:
    result = outcome(source, BIG)
    if not expected.startswith(("This", "The")):  # filled in: ordinary work is left alone
        assert not result.startswith("PROBLEM"), result
    else:
        assert result == "PROBLEM: " + expected


@pytest.mark.parametrize("source", [
    "{{ body.name.join([body.text] * 30) }}",
    "{{ body.text.join(['a'] * 30) }}",
    "{{ '{}'.format([body.text] * 30) }}",
    "{{ '{0!r}'.format([body.text] * 30) }}",
])
def test_work_past_a_limit_is_refused_before_it_is_done(source: str) -> None:
    # Each of these would make a text of about 3 MB; the bound holds memory, not only output.
    values = make_context(BIG)
    assert check_syntax(source) is None  # compiled before memory is watched
    tracemalloc.start()
    try:
        result = outcome(source, values)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result == "PROBLEM: " + TOO_BIG and peak < 1_000_000


def test_slices_are_counted_for_what_they_copy() -> None:
    values = {"body": {"text": "x" * 300_000, "items": [0] * 300_000}}
    assert outcome("{{ body.text[1:] | length }}", values) == "299999"  # a character each
    assert outcome("{{ body.items[1:] | length }}", values) == "PROBLEM: " + TOO_BIG  # a slot
    assert outcome("{{ body.items[:5] | length }} {{ body.items[5:5] | length }}",
                   values) == "5 0"


class FirstItemsLate:
    """An iterator whose second item comes past the deadline, the watchdog's exception
    swallowed on the way (as a `__del__` would swallow it)."""

    def __init__(self) -> None:
        self.given = 0

    def __iter__(self) -> FirstItemsLate:
        return self

    def __next__(self) -> int:
        if self.given == 1000:
            raise StopIteration
        if self.given == 1:
            give_up = time.monotonic() + 30
            try:
                while time.monotonic() < give_up:
                    time.sleep(0.001)
            except Overtime:
                pass
        self.given += 1
        return self.given - 1


def test_a_loop_whose_overtime_was_swallowed_stops_within_256_items() -> None:
    items = FirstItemsLate()
    assert outcome("{% for i in items %}{{ i }}{% endfor %}",
                   {"body": {}, "items": items}) == "PROBLEM: " + SLOW
    assert items.given == 257  # the clock is read again before item 256


def test_a_payload_bigger_than_the_limits_is_still_written_out_when_asked_plainly() -> None:
    values = {"body": {"text": "字" * 900_000}}
    assert outcome("{{ body.text }}", values) == "字" * 900_000
    assert outcome("{{ body.text | length }} {{ body.text[:2] }}", values) == "900000 字字"
    assert outcome("{{ body.text ~ body.text }}", values) == ("PROBLEM: The template produced "
                                                               "too much text (over 1 MB).")


def test_library_code_that_runs_long_is_stopped_too() -> None:
    # textwrap works in Python for seconds on this: no loop of the template to check
    values = {"body": {"text": "a " * 990_000}}
    assert outcome("{{ body.text | wordwrap(1, wrapstring='') | length }}", values) == (
        "PROBLEM: " + SLOW)


def test_stopping_leaves_nothing_behind_on_the_thread() -> None:
    slow = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    for _ in range(3):
        assert outcome(slow) == "PROBLEM: " + SLOW
        assert outcome("{{ body.name }}", {"body": {"name": "after"}}) == "after"
    total = 0
    for n in range(3_000_000):  # longer than a deadline: a late exception would land here
        total += n
    assert total == sum(range(3_000_000))


def test_threads_are_timed_apart() -> None:
    slow = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    results: dict[str, str] = {}

    def fill(name: str, source: str) -> None:
        results[name] = outcome(source, {"body": {"name": name}})

    threads = [threading.Thread(target=fill, args=(f"slow{n}", slow)) for n in range(2)]
    threads += [threading.Thread(target=fill, args=("quick", "{{ body.name }}"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == {"slow0": "PROBLEM: " + SLOW, "slow1": "PROBLEM: " + SLOW,
                       "quick": "quick"}


# -- ordinary templates are filled in exactly as before ----------------------------------

class _Before(SandboxedEnvironment):
    """The environment templates were filled in with before the limits (for comparison)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
            if isinstance(obj, FieldMap):
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, FieldMap):
            try:
                return obj[str(argument)]
            except KeyError:
                return self.undefined(obj=obj, name=str(argument))
        return super().getitem(obj, argument)


BEFORE = _Before(undefined=MissingField, autoescape=False, keep_trailing_newline=True)
BEFORE.filters.update(FILTERS)
BEFORE.filters["required"] = required_filter


def filled_in_before(source: str, values: dict[str, Any]) -> str:
    return "".join(BEFORE.from_string(source).generate(values))


ORDINARY = [
    "Order {{ body.name }}: {{ body.line_items | count }} items",
    "{% for item in body.line_items %}{{ loop.index }}. {{ item.title }} × {{ item.quantity }}"
    "{% if not loop.last %}, {% endif %}{% endfor %}",
    "{{ body.line_items | map(attribute='title') | join(' / ') }}",
    "{{ body.line_items | map(attribute='title') | map('upper') | join(',') }}",
    "{{ body.line_items | selectattr('quantity', 'gt', 1) | list | length }}",
    "{{ body.line_items | sum(attribute='quantity') }} {{ [[1], [2]] | sum(start=[]) }}",
    "{{ body.line_items | pluck('title') | join(', ') | truncate(15) }}",
    "{{ '%s-%05d' | format(body.name, 42) }} {{ '%d items, %.2f' % (3, 2.5) }}",
    "{{ '{} {}'.format(body.customer.first_name, body.customer.last_name) }}",
    "{{ '{:>8}|{:08.3f}'.format(body.name, 3.14159) }}",
    "{{ body.name ~ ' / ' ~ body.total_price ~ 3 }}",
    "{{ body.name[1:] }} {{ body.line_items[:1] | length }} {{ body.name[::-1] }}",
    "{{ body.email | upper | replace('@', ' at ') }} {{ body.email | replace('e', '') }}",
    "{{ body.note | default('none') | center(20) }}|{{ body.name | center(3) }}|",
    "{{ body.total_price | float * 2 }} {{ 2 ** 10 }} {{ 'ab' * 3 }} {{ [0] * 3 }}",
    "{{ 7 // 2 }} {{ 7 % 3 }} {{ 7 / 2 }} {{ -(body.line_items | length) }} {{ 1 + 2.5 }}",
    "{% set ns = namespace(total=0) %}{% for i in body.line_items %}"
    "{% set ns.total = ns.total + i.quantity %}{% endfor %}{{ ns.total }}",
    "{% set ns = namespace(t=[]) %}{% for i in body.line_items %}"
    "{% if ns.t.append(i.title) %}{% endif %}{% endfor %}{{ ns.t }}",
    "{% macro money(v) %}NT${{ v }}{% endmacro %}{{ money(body.total_price) }}",
    "{% set greeting %}Hi {{ body.customer.first_name }}{% endset %}{{ greeting | upper }}",
    "{% filter upper %}{{ body.name }} shipped{% endfilter %}",
    "{{ body.line_items | batch(2) | list | length }} {{ body.line_items | slice(2) | list }}",
    "{{ body.customer | dictsort | first }} {{ body.shipping_address | items | list | length }}",
    "{{ body.line_items | tojson | length }} {{ body.line_items[0] | tojson }}",
    "{{ body.shipping_address.address1 | indent(2, first=true) }}",
    "{{ 'a b c d e f' | wordwrap(3) }} {{ body.note | wordcount }}",
    "{% for k, v in body.shipping_address | dictsort %}{{ k }}={{ v }};{% endfor %}",
    "{{ body.tags.split(', ') }} {{ body.tags.split(', ') | length }}",
    "{% for x in range(300) %}{{ x }}{% if loop.last %}!{{ loop.length }}{% endif %}"
    "{% endfor %}",
    "{% for x in range(1000) if x % 7 == 0 %}{{ x }},{% else %}none{% endfor %}",
    "{{ body.created_at | date('%Y-%m-%d %H:%M', 'Asia/Taipei') }}",
    "{{ body.total_price | money('NT$', 0) }} {{ body.total_price | number(2) }} "
    "{{ body.line_items | sum_of('quantity') }}",
    "{% if body.total_price | float > 100 %}big{% else %}small{% endif %}",
    "{{ body.email.ljust(30, '.') }}|{{ body.name.zfill(8) }}|{{ 'a\tb'.expandtabs(4) }}",
    "{% autoescape true %}{{ '<b>' }}{{ body.name }}{% endautoescape %}",
    "{{ [1, 2, 3] | join }} {{ range(5) | list }} {{ range(3) | reverse | list }}",
    "{{ body.line_items | map(attribute='price') | map('float') | sum | round(1) }}",
    "{{ body.line_items | groupby('vendor') | list | length }} "
    "{{ body.line_items | unique(attribute='vendor') | list | length }}",
    "{{ body.customer | xmlattr }} {{ 'a b' | urlencode }} {{ '<p>x</p>' | striptags }}",
    "{{ body.name | e }} {{ body.note | string }} {{ body.name | title }} "
    "{{ body.name | capitalize | trim }} {{ body.name | lower | reverse }}",
    "{{ (body.line_items | first).title }} {{ body.line_items | last | length }}",
    "{{ body.line_items | sort(attribute='quantity') | map(attribute='sku') | list }}",
    "{{ body.line_items | min(attribute='quantity') }} {{ [3, 1] | max }} {{ -3 | abs }}",
    "{{ 1234567 | filesizeformat }} {{ '3' | int + 1 }} {{ [1, 2] | random in [1, 2] }}",
    "{{ dict(a=1, b=body.name) | dictsort }} {{ {}.fromkeys('ab', 0) }}",
    "{{ body.line_items | rejectattr('quantity') | list | length }}",
    "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}",
    "{{ body.customer | list | length }} {{ body.name.startswith('#') }}",
    "{{ body | pprint | length > 10 }} {{ 'x' | safe }} {{ body.name | forceescape }}",
    "{{ 'https://shop.example/o/1' | urlize }}",
    "{{ body.name.encode('utf-8') }} {{ body.name.split('1') }} {{ 'a\nb'.splitlines() }}",
    "Total: {{ body.total_price }}\n",
    "{% for t in body.line_items | map(attribute='title') %}{{ t }};{% endfor %}",
    "[{{ body.line_items | selectattr('quantity', 'gt', 1000) | join(',') }}]",
    "{% autoescape body.order_number > 1000 %}{{ body.name ~ '<i>' }}{% endautoescape %}",
    "{% autoescape true %}{{ body.name ~ '<i>' }}{% endautoescape %}",
    "{{ '{a}-{b}'.format_map({'a': 1, 'b': body.name}) }} {{ '{n}!'.format(n=body.name) }} "
    "{{ '{0!r}|{0!s}'.format(body.name) }}",
    "{{ ('<b>{}</b>' | safe).format(body.email ~ '<x>') }} {{ ('{0.name}' | safe).format(body) }}",
]


@pytest.fixture
def order() -> dict[str, Any]:
    return make_context({"body": sample_json("shopify_order_create.json"), "query": {},
                         "headers": {"x-shopify-topic": "orders/create"}, "rule": "R",
                         "event_id": "ev_1", "steps": {"1": {"matched": True}}})


@pytest.mark.parametrize("source", ORDINARY)
def test_ordinary_templates_fill_in_as_before(source: str, order: dict[str, Any]) -> None:
    assert check_syntax(source) is None
    assert render(source, order) == filled_in_before(source, order)


def test_the_gallery_templates_fill_in_as_before() -> None:
    pytest.importorskip("PySide6")
    from bellhop.core.gallery.starters import STARTERS, new_rule
    from bellhop.core.gallery.templates import Fill
    from bellhop.ui.rules.samples import load_shipped, sample_values

    compared = 0
    for starter in STARTERS:
        if starter.sample is None:
            continue
        raw = new_rule(starter, starter.key, Fill(account="office", address="a@b.tw",
                                                  google="google"))
        values = make_context(sample_values(load_shipped(starter.sample), starter.key,
                                            {"0": {"body": {}}}))
        for text in _texts(raw["steps"]):
            if "{{" in text or "{%" in text:
                assert check_syntax(text) is None, text
                assert render(text, values) == filled_in_before(text, values), text
                compared += 1
    assert compared >= 20


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


# -- a real service: the bad rule is unavailable, everything else answers -----------------

def notice_rule(rule_id: str, title: str) -> dict[str, Any]:
    return {"id": rule_id, "name": rule_id, "enabled": True,
            "trigger": {"type": "webhook", "token": new_token()},
            "steps": [{"type": "desktop_notice", "title": title}]}


async def test_a_freezing_template_is_a_problem_of_its_rule_only(home: Path) -> None:
    bad = notice_rule("bad", "{{ 9**(9**8) }}")
    good = notice_rule("good", "Order {{ body.name }}")
    save_rules(home / "rules.json", [bad, good])
    app = Bellhop(home, Registry([desktop_notice.ACTION]))
    notices: list[NoticeRequested] = []
    await asyncio.wait_for(app.start("127.0.0.1", 0), 60)
    try:
        app.subscribe(lambda event: notices.append(event)
                      if isinstance(event, NoticeRequested) else None)
        assert app.engine is not None and app.receiver is not None
        base = app.receiver.base_url
        by_id = {rule.id: rule for rule in app.engine.rules}
        assert not by_id["bad"].available and by_id["good"].available
        assert by_id["bad"].problems == [
            "Step 1 (Show a desktop notice): Title: " + line(1, NUMBER)]
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            async def post(rule: dict[str, Any]) -> int:
                token = rule["trigger"]["token"]
                async with http.post(f"{base}/hooks/{token}", json={"name": "#1001"}) as resp:
                    return resp.status

            async def healthy() -> int:
                async with http.get(f"{base}/healthz") as resp:
                    return resp.status

            assert await post(good) == 202
            assert await post(bad) == 503
            assert await healthy() == 200
            await asyncio.wait_for(_until(lambda: bool(notices)), 30)
            assert notices[0].title == "Order #1001"

            # Written in while it runs: the watcher reads it, and keeps reading after.
            worse = notice_rule("worse", "{{ 'a' * 200000000 }}")
            save_rules(home / "rules.json", [bad, good, worse])
            await asyncio.wait_for(_until(lambda: _ids(app) == {"bad", "good", "worse"}), 30)
            assert await healthy() == 200 and await post(good) == 202
            assert await post(worse) == 503
            later = notice_rule("later", "Later {{ body.name }}")
            save_rules(home / "rules.json", [bad, good, worse, later])
            await asyncio.wait_for(_until(lambda: "later" in _ids(app)), 30)
            assert await post(later) == 202
            await asyncio.wait_for(
                _until(lambda: any(n.title == "Later #1001" for n in notices)), 30)
            assert await healthy() == 200
    finally:
        await asyncio.wait_for(app.stop(), 60)
    saved = json.loads((home / "rules.json").read_text(encoding="utf-8"))
    assert [rule["id"] for rule in saved["rules"]] == ["bad", "good", "worse", "later"]


def _ids(app: Bellhop) -> set[str]:
    assert app.engine is not None
    return {rule.id for rule in app.engine.rules}


async def _until(condition: Any) -> None:
    while not condition():
        await asyncio.sleep(0.05)
