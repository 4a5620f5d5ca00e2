"""Fields an event lacks: written out empty and noted, or a stop where a template says
`| required`.

A key the event does not have (`body.customer` on a guest checkout) is a
`MissingField`; one it has with no value (JSON null) is a `NullField`. Both read as
empty text, an empty list and "no", and every filter but `default` and `required`
passes them on unchanged, so `{{ body.created_at | date('%m月%d日') | default('—') }}`
still ends in its fallback. A missing field that is written out is noted (a `Gap`):
`fill_in` hands the notes to the step, which is done with a warning naming the field.
`| required` stops instead, with `RequiredMissing`.

Strictness stays where it protects: a name at the top of a template (`{{ nmae }}`),
a name starting with `_` (Python's own attributes) and arithmetic or comparisons
with a missing field are mistakes of the template, said as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import Undefined

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.templating.fields import FieldList, FieldMap, child_path


@dataclass(frozen=True)
class Gap:
    """A field a template wrote out (or required) that the event lacks."""

    path: str  # the field the template uses: 'body.customer.first_name'
    root: str  # the first part of it the event lacks: 'body.customer'
    null: bool = False  # the root is there with no value (JSON null)


# The gaps noted while one template is filled in (None outside `fill_in`).
NOTES: ContextVar[list[Gap] | None] = ContextVar("bellhop_template_gaps", default=None)


class RequiredMissing(BellhopError):
    """A field marked `| required` is missing or empty."""

    def __init__(self, gap: Gap) -> None:
        super().__init__(_("The field '{field}' is missing or empty, and the template marks "
                           "it as required.").format(field=gap.path or "?"))
        self.gap = gap


class MissingField(Undefined):
    """A field the event lacks: empty where the event's data is, a mistake elsewhere."""

    __slots__ = ()

    @property
    def path(self) -> str:
        """Where the field would be: 'body.customer.first_name'."""
        parent = self._undefined_obj
        base = parent.path if isinstance(parent, MissingField | FieldMap | FieldList) else ""
        return child_path(base, self._undefined_name)  # type: ignore[arg-type]

    @property
    def lenient(self) -> bool:
        """True for a field of the event's data (empty when missing), False for a mistake."""
        name = self._undefined_name
        if self._undefined_hint or (isinstance(name, str) and name.startswith("_")):
            return False
        parent = self._undefined_obj
        if isinstance(parent, MissingField):
            return parent.lenient
        return isinstance(parent, FieldMap | FieldList) and isinstance(name, str | int)

    @property
    def gap(self) -> Gap:
        """What the event lacks for this field."""
        first: MissingField = self
        while isinstance(first._undefined_obj, MissingField):
            first = first._undefined_obj
        return Gap(self.path, first.path, isinstance(first, NullField))

    def note(self) -> None:
        """Remember that this field was written out empty (see `fill_in`)."""
        notes = NOTES.get()
        if notes is not None:
            notes.append(self.gap)

    def strict(self) -> None:
        """Raise the template's mistake unless this is a field of the event's data."""
        if not self.lenient:
            self._fail_with_undefined_error()

    @property
    def _undefined_message(self) -> str:  # type: ignore[override]
        if self._undefined_hint:  # Jinja's own reason, e.g. the sandbox refusing `__class__`
            return self._undefined_hint
        parent = self._undefined_obj
        full = self.path
        if isinstance(parent, Mapping):
            keys = ", ".join(sorted(str(k) for k in parent)[:20]) or _("(nothing)")
            where = getattr(parent, "path", "") or _("the top level")
            return _("The field '{field}' is not in this event. Fields at {where}: {keys}.").format(
                field=full,
                where=where,
                keys=keys,
            )
        return _("The field '{field}' is not in this event.").format(
            field=full)

    def __str__(self) -> str:
        self.strict()
        self.note()
        return ""

    def __iter__(self) -> Iterator[Any]:
        self.strict()
        self.note()
        return iter(())

    def __len__(self) -> int:
        self.strict()
        return 0

    def __bool__(self) -> bool:
        self.strict()
        return False

    def __contains__(self, item: Any) -> bool:
        self.strict()
        return False

    def __eq__(self, other: Any) -> bool:
        self.strict()
        return type(self) is type(other)

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        self.strict()
        return id(type(self))


class NullField(MissingField):
    """A field the event has with no value (JSON null): empty, and nothing to warn about."""

    __slots__ = ()

    def note(self) -> None:
        """The event says it has no value here: nothing to warn about."""

    def __eq__(self, other: Any) -> bool:
        return other is None or isinstance(other, NullField)

    def __hash__(self) -> int:
        return hash(None)


def is_none(value: Any) -> bool:
    """`is none`: JSON null too."""
    return value is None or isinstance(value, NullField)


def is_defined(value: Any) -> bool:
    """`is defined`: a field with the value null is there."""
    return not isinstance(value, Undefined) or isinstance(value, NullField)


def is_undefined(value: Any) -> bool:
    """`is undefined`: the opposite of `is defined`."""
    return not is_defined(value)


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple | dict) and not value


def required_filter(value: Any, path: str = "") -> Any:
    """`{{ body.customer.first_name | required }}`: the value, or a stop when it is missing
    or empty (`path` is filled in from the template when it is compiled)."""
    if isinstance(value, MissingField):
        value.strict()
        raise RequiredMissing(value.gap)
    if _blank(value):
        raise RequiredMissing(Gap(path, path, value is None))
    return value


def json_default(value: Any) -> Any:
    """`tojson` of a missing or null field: null (a missing one is noted)."""
    if isinstance(value, MissingField):
        value.strict()
        value.note()
        return None
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
