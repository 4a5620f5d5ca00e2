"""A fake of a Microsoft Teams Workflows webhook ("post to a channel when a webhook request
is received"), over https as the real one is, checking its signature and card shape.

`POST /workflows/{id}/triggers/manual/paths/invoke?api-version=…&sp=…&sv=…&sig=…`
needs the workflow's `sig` and a JSON message with an Adaptive Card attachment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.http_fake import Answer, FakeService, Seen

WORKFLOW, SIGNATURE = "a1b2c3d4e5f6", "fAkEsIgNaTuRe_0123456789"


def card_texts(element: Any) -> list[str]:
    """Every TextBlock text in an Adaptive Card, in order."""
    if isinstance(element, dict):
        found = [element["text"]] if element.get("type") == "TextBlock" and \
            isinstance(element.get("text"), str) else []
        return found + [t for value in element.values() for t in card_texts(value)]
    if isinstance(element, list):
        return [t for value in element for t in card_texts(value)]
    return []


class FakeTeams(FakeService):
    """Teams Workflows over https; `received` holds the texts of each accepted card."""

    def __init__(self, tls: tuple[Path, Path]) -> None:
        self.received: list[list[str]] = []
        super().__init__(tls)

    def webhook(self) -> str:
        """The address Teams shows for the workflow (at this fake's host and port)."""
        return (f"https://prod-00.westus.logic.azure.com:443/workflows/{WORKFLOW}/triggers/"
                f"manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun"
                f"&sv=1.0&sig={SIGNATURE}")

    def handle(self, request: Seen) -> Answer:
        if request.method != "POST" or request.path != \
                f"/workflows/{WORKFLOW}/triggers/manual/paths/invoke":
            return Answer(404, {"error": {"code": "WorkflowNotFound"}})
        if request.query.get("sig") != SIGNATURE:
            return Answer(401, {"error": {"code": "DirectApiAuthorizationRequired"}})
        try:
            data = request.json()
        except ValueError:
            return Answer(400, {"error": {"code": "InvalidRequestContent"}})
        attachments = data.get("attachments") if isinstance(data, dict) else None
        if data.get("type") != "message" or not isinstance(attachments, list) or not any(
                a.get("contentType") == "application/vnd.microsoft.card.adaptive"
                for a in attachments if isinstance(a, dict)):
            return Answer(400, {"error": {"code": "InvalidRequestContent"}})
        self.received.append(card_texts(attachments))
        return Answer(202, b"")
