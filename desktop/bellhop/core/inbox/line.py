"""What a LINE Messaging API webhook looks like, for the receiver's answers.

LINE counts any answer but 200 as a failed delivery, and its console's "Verify"
button sends a webhook with no events, which is answered yes and runs nothing.
Both hold for a rule whose settings say LINE sends to it (`BodyNeeds.line`).
"""

from __future__ import annotations


def is_line_delivery(body: object) -> bool:
    """True for a LINE Messaging API webhook."""
    return (isinstance(body, dict) and isinstance(body.get("destination"), str)
            and isinstance(body.get("events"), list))


def is_line_verify(body: object) -> bool:
    """True for the LINE console's "Verify" request: a LINE webhook with no events."""
    return is_line_delivery(body) and not body["events"]  # type: ignore[index]
