"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, parsed."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from aiosmtpd.controller import Controller

from support.ports import free_port


@dataclass
class Received:
    """One message as it arrived: its recipients (Bcc too), subject and text."""

    recipients: list[str]
    subject: str
    text: str


class Inbox:
    """Every message the server accepted, in order."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(("plain", "html"))
        self.messages.append(Received(list(envelope.rcpt_tos), str(message["Subject"]),
                                      body.get_content() if body is not None else ""))
        return "250 OK"

    def account(self) -> dict[str, Any]:
        """An accounts.json entry for this server (no password, no TLS)."""
        return {"kind": "smtp", "host": "127.0.0.1", "port": self.port, "security": "none",
                "from": "Tea House <shop@example.com>"}


@contextmanager
def smtp_inbox() -> Iterator[Inbox]:
    """A started SMTP server and what it receives; stopped afterwards."""
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
