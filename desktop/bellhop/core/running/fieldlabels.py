"""A person's name for a field of an event: `body.total_price` → "Order total" (訂單總額).

The builder shows fields as chips with these names, and sentences about a run
("Skipped: the order total, 300, is not more than 1000") use them too. A name comes
from what Bellhop knows about the sender (`sender_of` tells Shopify, LINE, GitHub,
Stripe and SurveyCake apart by their headers or body), otherwise from the key made
readable ("shipping_address" → "Shipping address"), translated when the catalogue has
the words. SurveyCake's answers are keyed by the question's own title already.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bellhop.core.i18n import N_, _

Sender = str  # "shopify", "line", "github", "stripe", "surveycake"

# Paths with list positions written as [] ("body.line_items[].title").
_SENDER_LABELS: dict[Sender, dict[str, str]] = {
    "shopify": {
        "body.id": N_("Order ID"),
        "body.admin_graphql_api_id": N_("Order API ID"),
        "body.name": N_("Order number"),
        "body.order_number": N_("Order number"),
        "body.email": N_("Customer email"),
        "body.created_at": N_("Order time"),
        "body.currency": N_("Currency"),
        "body.subtotal_price": N_("Subtotal"),
        "body.total_tax": N_("Tax"),
        "body.total_price": N_("Order total"),
        "body.financial_status": N_("Payment status"),
        "body.fulfillment_status": N_("Shipping status"),
        "body.note": N_("Order note"),
        "body.tags": N_("Tags"),
        "body.customer": N_("Customer"),
        "body.customer.email": N_("Customer email"),
        "body.customer.first_name": N_("Customer first name"),
        "body.customer.last_name": N_("Customer last name"),
        "body.customer.phone": N_("Customer phone"),
        "body.customer.id": N_("Customer ID"),
        "body.customer.orders_count": N_("Customer's orders so far"),
        "body.shipping_address": N_("Shipping address"),
        "body.shipping_address.name": N_("Recipient"),
        "body.shipping_address.address1": N_("Street address"),
        "body.shipping_address.address2": N_("Address line 2"),
        "body.shipping_address.city": N_("City"),
        "body.shipping_address.zip": N_("Postal code"),
        "body.shipping_address.country": N_("Country"),
        "body.shipping_address.country_code": N_("Country code"),
        "body.shipping_address.phone": N_("Recipient phone"),
        "body.shipping_lines": N_("Shipping"),
        "body.shipping_lines[]": N_("Shipping"),
        "body.shipping_lines[].title": N_("Shipping method"),
        "body.shipping_lines[].price": N_("Shipping fee"),
        "body.shipping_lines[].code": N_("Shipping code"),
        "body.line_items": N_("Items"),
        "body.line_items[]": N_("Item"),
        "body.line_items[].id": N_("Item ID"),
        "body.line_items[].vendor": N_("Vendor"),
        "body.line_items[].title": N_("Item"),
        "body.line_items[].quantity": N_("Quantity"),
        "body.line_items[].price": N_("Item price"),
        "body.line_items[].sku": N_("SKU"),
    },
    "line": {
        "body.events[].message.text": N_("Message text"),
        "body.events[].message.type": N_("Message type"),
        "body.events[].source.userId": N_("LINE user ID"),
        "body.events[].replyToken": N_("Reply token"),
        "body.events[].timestamp": N_("Sent at"),
        "body.events[].type": N_("Event type"),
    },
    "github": {
        "body.ref": N_("Branch"),
        "body.repository.full_name": N_("Repository"),
        "body.repository.name": N_("Repository"),
        "body.pusher.name": N_("Pushed by"),
        "body.head_commit.message": N_("Commit message"),
        "body.head_commit.url": N_("Commit link"),
        "body.commits[].message": N_("Commit message"),
        "body.sender.login": N_("GitHub user"),
    },
    "stripe": {
        "body.type": N_("Event type"),
        "body.data.object.amount": N_("Amount (cents)"),
        "body.data.object.currency": N_("Currency"),
        "body.data.object.receipt_email": N_("Receipt email"),
        "body.data.object.description": N_("Description"),
        "body.data.object.status": N_("Payment status"),
    },
    "surveycake": {
        "body.title": N_("Survey title"),
        "body.submitTime": N_("Answered at"),
    },
}

# What any sender's event holds beside its body.
_EVENT_LABELS = {
    "body": N_("Whole body"),
    "query": N_("Address query"),
    "headers": N_("Headers"),
    "method": N_("Method"),
    "received_at": N_("Received at"),
    "event_id": N_("Event ID"),
    "rule": N_("Rule name"),
}

# Words keys are often made of, so that a readable key reads in the person's language.
_WORDS = (
    N_("Name"), N_("Email"), N_("Phone"), N_("Address"), N_("City"), N_("Country"),
    N_("Price"), N_("Total"), N_("Quantity"), N_("Title"), N_("Note"), N_("Status"),
    N_("Message"), N_("Text"), N_("Type"), N_("ID"), N_("Amount"), N_("Date"),
    N_("Time"), N_("Created at"), N_("Updated at"), N_("First name"), N_("Last name"),
    N_("Company"), N_("Description"), N_("Comment"), N_("Answer"), N_("Answers"),
    N_("Product"), N_("Items"), N_("Order"), N_("Customer"), N_("Zip"), N_("Url"),
)

_INDEX = re.compile(r"\[\d+\]")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def sender_of(headers: Mapping[str, str] | None, body: Any) -> Sender | None:
    """Which service sent an event, from its headers (any case) or its body; None if unknown."""
    names = {k.lower() for k in (headers or {})}
    if "x-shopify-topic" in names or "x-shopify-hmac-sha256" in names:
        return "shopify"
    if "x-line-signature" in names:
        return "line"
    if "x-github-event" in names:
        return "github"
    if "stripe-signature" in names:
        return "stripe"
    if isinstance(body, Mapping):
        if isinstance(body.get("events"), list) and "destination" in body:
            return "line"
        if "svid" in body:
            return "surveycake"
        if body.get("object") == "event" and isinstance(body.get("data"), Mapping):
            return "stripe"
        if "line_items" in body and "total_price" in body:
            return "shopify"
    return None


def readable(key: str) -> str:
    """A key as words: 'shipping_address' → 'Shipping address', 'userId' → 'User id'."""
    words = _CAMEL.sub(" ", key).replace("_", " ").replace("-", " ").split()
    if not words:
        return key
    text = " ".join(words).lower()
    text = text[0].upper() + text[1:]
    return _(text)  # translated when the catalogue knows the words ("Name" → 名稱)


def _parts(path: str) -> list[str]:
    return [p for p in re.split(r"\.|\[|\]", path) if p]


def field_label(path: str, sender: Sender | None = None) -> str:
    """The name a person reads for `path` ('body.customer.first_name'), in their language.

    Known fields of the sender have their own names; others are their last key made
    readable, after the parent's name when the parent is not the body itself
    ("Shipping address › Phone"); list positions read as "(item 2)".
    """
    pattern = _INDEX.sub("[]", path)
    known = _SENDER_LABELS.get(sender or "", {}).get(pattern) or _EVENT_LABELS.get(pattern)
    position = _INDEX.findall(path)
    item = ""
    if position:
        item = " " + _("(item {number})").format(number=int(position[-1][1:-1]) + 1)
    if known:
        return _(known) + item
    parts = [p for p in _parts(path) if not p.isdigit()]
    if parts and parts[0] == "steps" and len(parts) > 2:
        parts = parts[2:]  # steps.2.body.answers.姓名: what an earlier card gave
    if parts and parts[0] in ("body", "query", "headers"):
        parts = parts[1:] or parts
    if parts and parts[0] == "answers" and len(parts) > 1:
        return parts[-1] + item  # SurveyCake: the question's own title
    if not parts:
        return path
    name = readable(parts[-1])
    if len(parts) > 1:
        name = f"{readable(parts[-2])} › {name}"
    return name + item
