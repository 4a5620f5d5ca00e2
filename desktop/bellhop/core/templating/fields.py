"""Event data as templates see it: mappings and lists that remember where they sit.

`body.customer` is a `FieldMap` whose `path` is 'body.customer', so a field missing
under it can name itself ('body.customer.first_name') in a warning or an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


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


def wrap(value: Any, path: str) -> Any:
    """`value` with every mapping and list in it made a FieldMap or FieldList."""
    if isinstance(value, Mapping):
        return FieldMap({str(k): wrap(v, f"{path}.{k}" if path else str(k))
                         for k, v in value.items()}, path)
    if isinstance(value, list):
        return FieldList([wrap(v, f"{path}[{i}]") for i, v in enumerate(value)], path)
    return value


def child_path(path: str, name: str | int) -> str:
    """The path of `name` under `path`: 'body.items' + 0 → 'body.items[0]'."""
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else str(name)
