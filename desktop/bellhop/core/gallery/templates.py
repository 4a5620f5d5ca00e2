"""Ready-made rules for the services our users connect: cards and trigger settings.

Each function takes what the person chose (`Fill`) and gives the steps in the
rules.json format of DESIGN.md; each has a shipped sample that "Run test" passes
on once the account (email, chat, LINE channel) is there. Texts shown to the
person are in the language of the moment (core.i18n), column names included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bellhop.core.i18n import NP_, _


@dataclass(frozen=True)
class Fill:
    """What a new rule is made for: its id, and the person's accounts when there is one."""

    rule_id: str = ""
    account: str = ""  # the email account to send with
    address: str = ""  # that account's own address: emails go to the person first
    google: str = ""  # the Google account for sheets


def _email(fill: Fill, to: str, subject: str, body: str, **extra: Any) -> dict[str, Any]:
    return {"type": "send_email", "account": fill.account, "to": to, "subject": subject,
            "body": body, **extra}


def _sheet(fill: Fill, sheet: str, columns: dict[str, str]) -> dict[str, Any]:
    # 'text' keeps phone numbers' leading 0 and order numbers as they are; a new, empty
    # tab gets its header row from the template.
    return {"type": "append_sheet", "account": fill.google, "spreadsheet": "",
            "sheet": sheet, "columns": columns, "values": "text",
            "add_missing_columns": True}


def shopify_sheet_steps(fill: Fill) -> list[dict[str, Any]]:
    """Shopify order → email the warehouse + a row in a Google Sheet."""
    return [
        _email(fill, fill.address, _("New order") + " {{ body.name }}",
               # Digital goods have no shipping address: those lines are left empty, and the
               # run says so.
               _("Order {{ body.name }}: {{ body.line_items | count }} items ({{ body.line_items | "
                 "pluck('title') | join(', ') }}), total {{ body.total_price | money('NT$', 0) "
                 "}}.\nShip to: {{ body.shipping_address.name }} {{ body.shipping_address.zip }} "
                 "{{ body.shipping_address.city }}{{ body.shipping_address.address1 }} {{ "
                 "body.shipping_address.address2 | default('') }}\nPhone: {{ "
                 "body.shipping_address.phone | phone }}\nNote: {{ body.note | default('—') }}")),
        _sheet(fill, _(NP_("spreadsheet tab", "Orders")), {
            _("Order"): "{{ body.name }}",
            _("Date"): "{{ body.created_at | date('%Y-%m-%d %H:%M') }}",
            _("Customer"):
                "{{ body.customer.last_name }}{{ body.customer.first_name }}",
            _("Phone"): "{{ body.customer.phone | phone }}",
            _("Items"): "{{ body.line_items | sum_of('quantity') }}",
            _("Total"): "{{ body.total_price }}"}),
    ]


def surveycake_trigger(fill: Fill) -> dict[str, Any]:
    """The trigger option that fetches and decrypts the answers."""
    return {"surveycake": {"domain": "www.surveycake.com",
                           "hash_key": f"rule-{fill.rule_id}-surveycake-hash",
                           "iv_key": f"rule-{fill.rule_id}-surveycake-iv"}}


def surveycake_steps(fill: Fill) -> list[dict[str, Any]]:
    """SurveyCake response → a sheet row + a thank-you email to the person who answered.

    The row comes first, so every response is kept; without an email address there is
    nobody to thank, and the run stops there (skipped, not failed)."""
    greeting = _(NP_("greeting a person whose name is not known", "Hello"))
    return [
        _sheet(fill, _(NP_("spreadsheet tab", "Answers")), {
            _("Time"): "{{ body.submitTime }}",
            "姓名": '{{ body.answers["姓名"] }}',
            "電子郵件": '{{ body.answers["電子郵件"] }}',
            "整體滿意度": '{{ body.answers["整體滿意度"] }}',
            "建議": '{{ body.answers["建議"] }}'}),
        {"type": "filter", "match": "all", "conditions": [
            {"field": "body.answers.電子郵件", "op": "not_empty"}]},
        _email(fill, '{{ body.answers["電子郵件"] | required }}',
               _("Thank you for your answers"), _(
            '{name}, thank you for filling in "{{ body.title }}". We read every answer.\n\n'
            'Your suggestion: {{ body.answers["建議"] | default("—") }}').replace(
                "{name}", '{{ body.answers["姓名"] | default("' + greeting + '") }}'),
            bcc=fill.address),
    ]


def line_trigger(fill: Fill) -> dict[str, Any]:
    """LINE signs its deliveries with the channel secret."""
    return {"verify": {"scheme": "line", "secret": f"rule-{fill.rule_id}-signing"}}


def line_keyword_steps(fill: Fill) -> list[dict[str, Any]]:
    """Someone writes 營業時間 → reply with the opening hours."""
    return [
        {"type": "filter", "match": "all", "conditions": [
            # The customer's own words: the keyword stays Chinese in both languages.
            {"field": "body.events[0].message.text", "op": "contains", "value": "營業時間"}]},
        {"type": "line_reply", "token": "line-channel-token",
         "text": _("Hello! We are open Monday to Saturday, 10:00–19:00. See you soon!")},
    ]


def github_discord_steps(fill: Fill) -> list[dict[str, Any]]:
    """GitHub push → a message in a Discord channel."""
    return [
        {"type": "notify_chat", "service": "discord", "secret": "discord-webhook",
         "title": "{{ body.repository.full_name }}",
         "message": _("{{ body.pusher.name }} pushed {{ body.commits | count }} commit(s) "
                      "to {{ body.ref | replace('refs/heads/', '') }}: "
                      "{{ body.head_commit.message | truncate(200) }}")},
    ]


def stripe_sheet_steps(fill: Fill) -> list[dict[str, Any]]:
    """Stripe payment succeeded → an email to the shop + a sheet row."""
    amount = "{{ body.data.object.amount | money('NT$', 0, cents=True) }}"
    return [
        {"type": "filter", "match": "all", "conditions": [
            {"field": "body.type", "op": "eq", "value": "payment_intent.succeeded"}]},
        _email(fill, fill.address, _("Payment received:") + f" {amount}",
               _("{{ body.data.object.receipt_email | default('—') }}"
                 " paid {{ body.data.object.amount | money('NT$', 0, cents=True) }}"
                 " ({{ body.data.object.description | default('—') }}) on"
                 " {{ body.created | date('%Y-%m-%d %H:%M') }}.")),
        _sheet(fill, _(NP_("spreadsheet tab", "Payments")), {
            _("Date"): "{{ body.created | date('%Y-%m-%d %H:%M') }}",
            _("Amount"):
                "{{ body.data.object.amount | money('', 0, cents=True) }}",
            _("Email"): "{{ body.data.object.receipt_email }}",
            _("Description"): "{{ body.data.object.description }}",
            _("Payment"): "{{ body.data.object.id }}"}),
    ]
