"""Templates like `Order {{ body.name }}`, rendered in a sandbox against an event.

A payload can never reach Python objects, files or the network: values are
data, only the rule's own template text is compiled, and it runs in Jinja's
sandbox. A missing field names itself and the fields that do exist. Checking
a template runs none of it, and filling one in is bounded in size and time
(`template_check`, `template_sandbox`): a template that breaks a bound is a
problem of its rule or a failed step, never a stuck or dead engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.templating.check import nesting_problem, source_problem
from bellhop.core.templating.formatters import FILTERS
from bellhop.core.templating.limits import RENDER_SECONDS, LimitBroken, too_long_number
from bellhop.core.templating.sandbox import BoundedEnvironment
from bellhop.core.templating.watchdog import Overtime, run_with_deadline

MAX_OUTPUT = 1_000_000  # characters; a runaway loop in a template stops here


class TemplateProblem(BellhopError):
    """A template could not be rendered; the message says why in plain words."""


class FieldMap(dict):
    """A mapping from the event that remembers where it sits (e.g. 'body.customer')."""

    __slots__ = ("path",)

    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        super().__init__(data)
        self.path = path


class FieldList(list):
    """A list from the event that remembers where it sits."""

    __slots__ = ("path",)

    def __init__(self, data: list[Any], path: str) -> None:
        super().__init__(data)
        self.path = path


def _wrap(value: Any, path: str) -> Any:
    if isinstance(value, Mapping):
        return FieldMap({str(k): _wrap(v, f"{path}.{k}" if path else str(k))
                         for k, v in value.items()}, path)
    if isinstance(value, list):
        return FieldList([_wrap(v, f"{path}[{i}]") for i, v in enumerate(value)], path)
    return value


class MissingField(StrictUndefined):
    """Undefined that explains which field is missing and what is there instead."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:  # type: ignore[override]
        if self._undefined_hint:  # Jinja's own reason, e.g. the sandbox refusing `__class__`
            return self._undefined_hint
        parent = self._undefined_obj
        name = self._undefined_name
        path = getattr(parent, "path", "")
        full = f"{path}.{name}" if path else str(name)
        if isinstance(parent, Mapping):
            keys = ", ".join(sorted(str(k) for k in parent)[:20]) or _("(nothing)")
            where = path or _("the top level")
            return _("The field '{field}' is not in this event. Fields at {where}: {keys}.").format(
                field=full,
                where=where,
                keys=keys,
            )
        return _("The field '{field}' is not in this event.").format(
            field=full)


class EventEnvironment(BoundedEnvironment):
    """Bounded, sandboxed Jinja where `a.b` on event data means the key 'b' first."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
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


def _environment() -> EventEnvironment:
    """The sandbox every template is compiled by and filled in with."""
    return EventEnvironment(undefined=MissingField, autoescape=False, keep_trailing_newline=True,
                            extra_filters=FILTERS)


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
    return {key: _wrap(value, key) for key, value in values.items()}


def render(source: str, values: Mapping[str, Any]) -> str:
    """Render `source` against `values` (as made by `make_context`, or plain data).

    Within the size limits and `RENDER_SECONDS`; TemplateProblem says what went wrong."""
    if not is_template(source):
        return source
    template = _compile(source)
    context = values if _is_wrapped(values) else make_context(values)
    try:
        return run_with_deadline(_fill, RENDER_SECONDS, template, context)
    except Overtime as exc:
        raise TemplateProblem(_("This template takes too long to fill in (over {seconds} seconds). "
                                "Look for loops that run many times.").format(
            seconds=RENDER_SECONDS)) from exc


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
