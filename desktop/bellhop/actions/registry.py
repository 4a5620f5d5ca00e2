"""Every card type that ships with Bellhop. Adding a card is adding a module here."""

from __future__ import annotations

import functools

from bellhop.core.cards import Registry


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


@functools.cache
def shipped_registry() -> Registry:
    """One shared registry of the shipped cards, for reading records (Activity, the command
    line): what a step's card says about its result."""
    return default_registry()
