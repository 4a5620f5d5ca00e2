"""Templates like `Order {{ body.name }}`, rendered in a sandbox against an event.

A payload can never reach Python objects, files or the network: values are
data, only the rule's own template text is compiled, and it runs in Jinja's
sandbox. A field the event lacks is written out empty and noted (`fill_in` says
which), unless the template marks it `| required` (templating/missing.py); a
mistake of the template itself (a name that is not the event's, a filter that does
not exist) names itself and the fields that do exist. Checking a template runs none
of it, and filling one in is bounded in size and time (`template_check`,
`template_sandbox`): a template that breaks a bound is a problem of its rule or a
failed step, never a stuck or dead engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, update_wrapper
from typing import Any

from jinja2 import Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.templating.check import nesting_problem, source_problem
from bellhop.core.templating.fields import FieldList, FieldMap, child_path, wrap
from bellhop.core.templating.formatters import FILTERS
from bellhop.core.templating.limits import RENDER_SECONDS, LimitBroken, too_long_number
from bellhop.core.templating.missing import (
    NOTES,
    Gap,
    MissingField,
    NullField,
    RequiredMissing,
    is_defined,
    is_none,
    is_undefined,
    json_default,
    required_filter,
)
from bellhop.core.templating.sandbox import BoundedEnvironment, checked_output
from bellhop.core.templating.watchdog import Overtime, run_with_deadline

MAX_OUTPUT = 1_000_000  # characters; a runaway loop in a template stops here

__all__ = ["FieldList", "FieldMap", "Filled", "Gap", "MissingField", "NullField",
           "RequiredFieldEmpty", "TemplateProblem", "check_syntax", "field_paths", "fill_in",
           "is_template", "lookup", "make_context", "render"]


class TemplateProblem(BellhopError):
    """A template could not be rendered; the message says why in plain words."""


class RequiredFieldEmpty(TemplateProblem):
    """A field the template marks `| required` is missing or empty; `gap` says which."""

    def __init__(self, gap: Gap, message: str) -> None:
        super().__init__(message)
        self.gap = gap


@dataclass(frozen=True)
class Filled:
    """A filled-in template, and the fields it wrote out empty because the event lacks them."""

    text: str
    missing: tuple[Gap, ...] = ()


# Filters that look at a missing field themselves; every other one passes it on unchanged.
READS_MISSING = frozenset(["default", "d", "required", "tojson"])


def _passes_missing(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, except that a missing or null field comes back as it is (see missing.py)."""
    if hasattr(func, "jinja_pass_arg"):
        def passing_with(passed: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(value, MissingField):
                return value
            return func(passed, value, *args, **kwargs)

        return update_wrapper(passing_with, func)

    def passing(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, MissingField):
            return value
        return func(value, *args, **kwargs)

    return update_wrapper(passing, func)


def _written(value: Any) -> Any:
    """A value about to be written out: null as nothing, not 'None'."""
    return "" if value is None else checked_output(value)


def _source_path(node: nodes.Node) -> str:
    """The field an expression reads ('body.customer.first_name'), '' when it is not one."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Filter) and node.node is not None:
        return _source_path(node.node)
    if isinstance(node, nodes.Getattr):
        base = _source_path(node.node)
        return child_path(base, node.attr) if base else ""
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(
            node.arg.value, str | int) and not isinstance(node.arg.value, bool):
        base = _source_path(node.node)
        return child_path(base, node.arg.value) if base else ""
    return ""


class EventEnvironment(BoundedEnvironment):
    """Bounded, sandboxed Jinja where `a.b` on event data means the key 'b' first, and a
    field the event lacks (or has as null) reads as empty (templating/missing.py)."""

    checked_output = staticmethod(_written)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tests = {**self.tests, "none": is_none, "defined": is_defined,
                      "undefined": is_undefined}
        self.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": json_default}

    def raw_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        return func if name in READS_MISSING else _passes_missing(func)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
            try:
                value = obj[attribute]
            except (KeyError, TypeError):
                pass
            else:
                if value is None and isinstance(obj, FieldMap):
                    return NullField(obj=obj, name=attribute)
                return value
            if isinstance(obj, FieldMap):
                return self.undefined(obj=obj, name=attribute)
        elif isinstance(obj, MissingField) and obj.lenient and not attribute.startswith("_"):
            return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, FieldMap):
            try:
                value = obj[str(argument)]
            except KeyError:
                return self.undefined(obj=obj, name=str(argument))
            return NullField(obj=obj, name=str(argument)) if value is None else value
        if isinstance(obj, MissingField) and obj.lenient and (
                (isinstance(argument, int) and not isinstance(argument, bool)) or
                (isinstance(argument, str) and not argument.startswith("_"))):
            return self.undefined(obj=obj, name=argument)
        return super().getitem(obj, argument)

    def getslice(self, obj: Any, part: slice) -> Any:
        if isinstance(obj, MissingField) and obj.lenient:
            return obj  # a part of nothing is nothing
        return super().getslice(obj, part)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(nodes.Filter):
            # `| required` learns the field it guards, to name it when it is empty.
            if node.name == "required" and node.node is not None and not node.args and \
                    not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None:
                path = _source_path(node.node)
                if path:
                    node.kwargs.append(nodes.Keyword("path", nodes.Const(path),
                                                     lineno=node.lineno))
        return tree


def _environment() -> EventEnvironment:
    """The sandbox every template is compiled by and filled in with."""
    return EventEnvironment(undefined=MissingField, autoescape=False, keep_trailing_newline=True,
                            extra_filters={**FILTERS, "required": required_filter})


_ENV = _environment()


def _mistake(line: int | None, reason: str) -> str:
    if line is None:
        return reason
    return _("Template mistake on line {line}: {reason}").format(
        line=line, reason=reason)


@lru_cache(maxsize=512)
def _compile(source: str) -> Template:
    """The compiled template; TemplateProblem when it is wrong or breaks a limit."""
    problem = source_problem(source)
    if problem:
        raise TemplateProblem(problem)
    try:
        return _ENV.from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(_mistake(exc.lineno, exc.message or str(exc))) from exc
    except LimitBroken as exc:
        raise TemplateProblem(_mistake(getattr(exc, "lineno", None), exc.message)) from exc
    except (RecursionError, SyntaxError, MemoryError) as exc:  # deeper than the checks foresee
        raise TemplateProblem(nesting_problem()) from exc
    except ValueError as exc:  # the only one Jinja's reading raises: a number literal too long
        raise TemplateProblem(too_long_number().message) from exc
    except Exception as exc:  # nothing known; still a problem of this template only
        raise TemplateProblem(_("This template could not be read: {reason}").format(
            reason=exc)) from exc


def check_syntax(source: str) -> str | None:
    """None if `source` is a valid template within the limits, else a plain description."""
    if not is_template(source):
        return None  # used as it is: nothing to check
    try:
        _compile(source)
    except TemplateProblem as exc:
        return exc.message
    return None


def is_template(text: str) -> bool:
    """True when `text` has anything for the template engine to do."""
    return "{{" in text or "{%" in text or "{#" in text


def make_context(values: Mapping[str, Any]) -> dict[str, Any]:
    """Wrap event values so missing fields can name their place."""
    return {key: wrap(value, key) for key, value in values.items()}


def render(source: str, values: Mapping[str, Any]) -> str:
    """Render `source` against `values` (as made by `make_context`, or plain data).

    Within the size limits and `RENDER_SECONDS`; TemplateProblem says what went wrong.
    A field the event lacks comes out empty (`fill_in` also says which)."""
    return fill_in(source, values).text


def fill_in(source: str, values: Mapping[str, Any]) -> Filled:
    """`render`, with the fields the event lacks that the template wrote out empty."""
    if not is_template(source):
        return Filled(source)
    template = _compile(source)
    context = values if _is_wrapped(values) else make_context(values)
    notes: list[Gap] = []
    token = NOTES.set(notes)
    try:
        text = run_with_deadline(_fill, RENDER_SECONDS, template, context)
    except Overtime as exc:
        raise TemplateProblem(_("This template takes too long to fill in (over {seconds} seconds). "
                                "Look for loops that run many times.").format(
            seconds=RENDER_SECONDS)) from exc
    finally:
        NOTES.reset(token)
    return Filled(text, tuple(dict.fromkeys(notes)))


def _fill(template: Template, context: Mapping[str, Any]) -> str:
    chunks = template.generate(context)
    try:
        out = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateProblem(_("The template produced too much text (over 1 MB)."))
            out.append(chunk)
        return "".join(out)
    except UndefinedError as exc:
        raise TemplateProblem(exc.message or str(exc)) from exc
    except SecurityError as exc:
        raise TemplateProblem(
            _("The template tries to reach something it may not ({detail}).").format(
                detail=exc)
        ) from exc
    except LimitBroken as exc:
        raise TemplateProblem(exc.message) from exc
    except RequiredMissing as exc:
        raise RequiredFieldEmpty(exc.gap, exc.message) from exc
    except TemplateProblem:
        raise
    except Exception as exc:  # a filter given the wrong kind of value, a division by zero
        raise TemplateProblem(
            _("The template could not be filled in: {reason}").format(
                reason=exc)
        ) from exc
    finally:
        chunks.close()  # inside the time limit: nothing of the template runs after it


def _is_wrapped(values: Mapping[str, Any]) -> bool:
    body = values.get("body")
    return body is None or isinstance(body, FieldMap | FieldList) or not isinstance(
        body, Mapping | list
    )


def field_paths(sample: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every field path in a sample event with its value, e.g. ('body.customer.email', 'a@b')."""
    if isinstance(sample, Mapping):
        for key, value in sample.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path, value
            yield from field_paths(value, path)
    elif isinstance(sample, list):
        for index, value in enumerate(sample):
            path = f"{prefix}[{index}]"
            yield path, value
            yield from field_paths(value, path)


def lookup(values: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path like 'body.line_items[0].price'; KeyError when absent."""
    current: Any = values
    for part in _split_path(path):
        if isinstance(part, int):
            if not isinstance(current, list) or part >= len(current) or part < -len(current):
                raise KeyError(path)
            current = current[part]
        else:
            if not isinstance(current, Mapping) or part not in current:
                raise KeyError(path)
            current = current[part]
    return current


_PATH_PART = re.compile(r"""([^.\[\]]+)|\[(-?\d+)\]|\[['"]([^'"]*)['"]\]""")


def _split_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for match in _PATH_PART.finditer(path.strip()):
        name, index, quoted = match.groups()
        if index is not None:
            parts.append(int(index))
        else:
            parts.append(name if name is not None else quoted)
    return parts
