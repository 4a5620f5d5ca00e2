"""Sentences about fields an event lacks: a step's warnings, and why a required one stops it.

"This order has no Customer first name; the email's Message left it empty."
"This order has no customer (guest checkout); the email's Message uses Customer
first name." The field is named as the person reads it (`field_label`), the event by
what it is for its sender (an order, a message, a response), and the place by the
card's noun and the label of its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bellhop.core.i18n import N_, NP_, _, ngettext
from bellhop.core.running.fieldlabels import Sender, field_label, sender_of
from bellhop.core.stepcontext import FieldGap, FieldRequired

MAX_WARNINGS = 10  # a step's warnings beyond these are counted, not listed
GUEST_ROOT = "body.customer"  # Shopify leaves it out (or null) on a guest checkout

_SUBJECTS = {
    "order": N_("This order"),
    "message": N_("This message"),
    "response": N_("This response"),
    "event": N_("This event"),
}


def _subject(sender: Sender | None, values: Mapping[str, Any]) -> str:
    """'This order', 'This message', … : the event as its sender means it."""
    body = values.get("body")
    body = body if isinstance(body, Mapping) else {}
    headers = values.get("headers")
    topic = str(headers.get("x-shopify-topic", "")) if isinstance(headers, Mapping) else ""
    kind = "event"
    if sender == "shopify" and (topic.startswith("orders/") or "line_items" in body):
        kind = "order"
    elif sender == "line":
        events = body.get("events")
        first = events[0] if isinstance(events, list) and events else None
        if isinstance(first, Mapping) and first.get("type") == "message":
            kind = "message"
    elif sender == "surveycake":
        kind = "response"
    return _(_SUBJECTS[kind])


def place(noun: str, card_label: str, label: str) -> str:
    """Where in the card a field is used: "the email's Message"."""
    if noun and label:
        return _("{card}'s {field}").format(card=_(noun), field=label)
    if noun:
        return _(noun)
    if label:
        return _("{field} in the card “{card}”").format(field=label, card=card_label)
    return _("the card “{card}”").format(card=card_label)


def _listed(labels: list[str]) -> str:
    return _(NP_("between the names of fields", ", ")).join(labels)


def _is_guest(sender: Sender | None, root: str) -> bool:
    return sender == "shopify" and root == GUEST_ROOT


def warnings_for(missing: list[FieldGap], values: Mapping[str, Any], noun: str,
                 card_label: str) -> list[str]:
    """One sentence per part of the event it lacks, naming where the step left it empty."""
    sender = sender_of(values.get("headers"), values.get("body"))  # type: ignore[arg-type]
    subject = _subject(sender, values)
    # One sentence for each part the event lacks: where in the card it is used (the card
    # alone when in several of its fields), and the fields of that part left empty.
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for item in missing:
        paths, labels = groups.setdefault(item.gap.root, ([], []))
        if item.gap.path not in paths:
            paths.append(item.gap.path)
        if item.label not in labels:
            labels.append(item.label)
    sentences = []
    for root, (paths, labels) in groups.items():
        where = place(noun, card_label, labels[0] if len(labels) == 1 else "")
        fields = _listed([field_label(path, sender) for path in paths])
        if _is_guest(sender, root):
            sentences.append(_("This order has no customer (guest checkout); {where} left "
                               "{fields} empty.").format(where=where, fields=fields))
        elif paths == [root]:
            sentences.append(_("{subject} has no {field}; {where} left it empty.").format(
                subject=subject, field=field_label(root, sender), where=where))
        else:
            sentences.append(_("{subject} has no {part}; {where} left {fields} empty.").format(
                subject=subject, part=field_label(root, sender), where=where, fields=fields))
    if len(sentences) > MAX_WARNINGS:
        more = len(sentences) - MAX_WARNINGS + 1
        sentences = [*sentences[:MAX_WARNINGS - 1], ngettext(
            "…and {n} more place left empty for the same reason.",
            "…and {n} more places left empty for the same reason.", more).format(n=more)]
    return sentences


def required_sentence(error: FieldRequired, values: Mapping[str, Any], noun: str,
                      card_label: str) -> str:
    """Why a step stops at a field marked required, in a sentence."""
    sender = sender_of(values.get("headers"), values.get("body"))  # type: ignore[arg-type]
    gap = error.place.gap
    where = place(noun, card_label, error.place.label)
    if not gap.path:
        sentence = _("{where} came out empty, but it is marked as required.").format(
            where=where)
        return sentence[:1].upper() + sentence[1:]
    field = field_label(gap.path, sender)
    if _is_guest(sender, gap.root):
        return _("This order has no customer (guest checkout); {where} uses {field}.").format(
            where=where, field=field)
    subject = _subject(sender, values)
    if gap.path == gap.root:
        return _("{subject} has no {field}; {where} uses it.").format(
            subject=subject, field=field, where=where)
    return _("{subject} has no {part}; {where} uses {field}.").format(
        subject=subject, part=field_label(gap.root, sender), where=where, field=field)
