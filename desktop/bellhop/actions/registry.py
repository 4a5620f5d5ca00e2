"""The registry: card type name → ActionType. Adding a card is adding a module here."""

from __future__ import annotations

from collections.abc import Iterator

from bellhop.actions.base import ActionType


class Registry:
    """Card types by their `type` key."""

    def __init__(self, types: list[ActionType] | None = None) -> None:
        self._types: dict[str, ActionType] = {}
        for action in types or []:
            self.add(action)

    def add(self, action: ActionType) -> None:
        """Register a card type; a second one with the same name is a mistake."""
        if action.type in self._types:
            raise ValueError(f"card type {action.type!r} registered twice")
        self._types[action.type] = action

    def get(self, type_name: str) -> ActionType | None:
        """The card type called `type_name`, if any."""
        return self._types.get(type_name)

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._types

    def __iter__(self) -> Iterator[ActionType]:
        return iter(self._types.values())


def default_registry() -> Registry:
    """Every card type that ships with Bellhop."""
    from bellhop.actions import (
        append_file,
        append_sheet,
        desktop_notice,
        filter,
        http_request,
        line_reply,
        notify_chat,
        send_email,
        surveycake,
    )

    return Registry([filter.ACTION, send_email.ACTION, append_sheet.ACTION, append_file.ACTION,
                     http_request.ACTION, notify_chat.ACTION, line_reply.ACTION,
                     desktop_notice.ACTION, surveycake.ACTION])
