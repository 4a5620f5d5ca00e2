"""Starting points for a new rule: filled-in cards and a matching sample event."""

from __future__ import annotations

import copy
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from pydantic import BaseModel

from bellhop.core.cards import ActionType
from bellhop.core.gallery import templates
from bellhop.core.gallery.templates import Fill
from bellhop.core.i18n import N_, NP_, _
from bellhop.core.running.rules import new_rule_id, new_token


def _no_trigger(fill: Fill) -> dict[str, Any]:
    return {}


# The name offered for a new rule made from each starter (the window's and the CLI's).
_SUGGESTED_NAMES = {
    "shopify": N_("Shopify orders to the warehouse"),
    "website_form": N_("Website messages by email"),
    "shopify_sheet": N_("Shopify orders to the warehouse and the sheet"),
    "surveycake": N_("SurveyCake answers"),
    "line_keyword": N_("LINE auto reply: opening hours"),
    "github_discord": N_("GitHub pushes to Discord"),
    "stripe_sheet": N_("Stripe payments"),
}


@dataclass(frozen=True)
class Starter:
    """One entry of the "New rule" gallery."""

    key: str
    title: str
    description: str
    icon: str
    sample: str | None  # a shipped sample key
    steps: Callable[[Fill], list[dict[str, Any]]]  # given the person's accounts
    trigger: Callable[[Fill], dict[str, Any]] = _no_trigger  # extra trigger settings

    def label(self) -> str:
        """The title in the window's language."""
        return _(self.title)

    def blurb(self) -> str:
        """The description in the window's language."""
        return _(self.description)

    def suggested_name(self) -> str:
        """The name offered for a rule made from this starter, in the current language."""
        return _(_SUGGESTED_NAMES.get(self.key, N_("My rule")))


def _shopify_steps(fill: Fill) -> list[dict[str, Any]]:
    return [
        {"type": "filter", "match": "all",
         "conditions": [{"field": "body.total_price", "op": "gt", "value": 1000}]},
        {"type": "send_email", "account": fill.account, "to": fill.address,
         "subject": _("New order") + " {{ body.name }}",
         # A guest checkout has no customer: the line is left empty, and the run says so.
         "body": _("Order {{ body.name }}, total {{ body.total_price }} {{ body.currency }}.\n"
                   "Customer: {{ body.customer.last_name }}{{ body.customer.first_name }}")},
        # Each language writes its own file and tab: columns named in another language
        # would not line up with the header row already in the file.
        {"type": "append_file",
         "path": "~/Documents/Bellhop/" + _(NP_("spreadsheet file name", "orders.xlsx")),
         "sheet": _(NP_("spreadsheet tab", "Orders")),
         "columns": {
             _("Order"): "{{ body.name }}",
             _("Date"): "{{ body.created_at }}",
             _("Customer"):
                 "{{ body.customer.last_name }}{{ body.customer.first_name }}",
             _("Total"): "{{ body.total_price }}"}},
    ]


def _form_steps(fill: Fill) -> list[dict[str, Any]]:
    return [
        {"type": "send_email", "account": fill.account, "to": fill.address,
         "reply_to": "{{ body.email }}",
         "subject": _("Website message from") + " {{ body.name }}",
         "body": _("Name: {{ body.name }}\nEmail: {{ body.email }}\n"
                   "Phone: {{ body.phone }}\n\n{{ body.message }}")},
    ]


STARTERS = [
    Starter("shopify",
            N_("Shopify order → email + spreadsheet file"),
            N_("For orders over 1000: email the warehouse and add a row to "
               "Documents/Bellhop/orders.xlsx."),
            "shop", "shopify_order", _shopify_steps),
    Starter("website_form", N_("Website form → email"),
            N_("Forward each message from your website's contact form by email."),
            "form", "website_form", _form_steps),
    Starter("shopify_sheet",
            N_("Shopify order → email the warehouse + Google Sheet"),
            N_("Emails each new order with its items and shipping address, and "
               "adds it as a row to your orders sheet."),
            "shop", "shopify_order", templates.shopify_sheet_steps),
    Starter("surveycake",
            N_("SurveyCake response → thank-you email + sheet"),
            N_("Fetches the answers of each response, thanks the person who "
               "answered by email and adds the answers to a sheet."),
            "survey", "surveycake", templates.surveycake_steps, templates.surveycake_trigger),
    Starter("line_keyword", N_("LINE keyword → auto reply"),
            N_("When someone writes 營業時間 to your LINE official account, "
               "reply with your opening hours."),
            "reply", "line_message", templates.line_keyword_steps, templates.line_trigger),
    Starter("github_discord", N_("GitHub push → Discord message"),
            N_("Tells your Discord channel who pushed what to your repository."),
            "code", "github_push", templates.github_discord_steps),
    Starter("stripe_sheet",
            N_("Stripe payment succeeded → email + sheet"),
            N_("Emails you each successful payment in NT$ and adds it to your payments sheet."),
            "card-pay", "stripe_event", templates.stripe_sheet_steps),
    Starter("blank", N_("Blank rule"),
            N_("Start from an empty rule and add the cards yourself."),
            "plus", None, lambda fill: []),
]


def fill_for(accounts: dict[str, dict[str, Any]]) -> Fill:
    """The accounts a new rule can use without asking: the only one of each kind."""
    def only(kind: str) -> str:
        names = [name for name, account in accounts.items() if account.get("kind") == kind]
        return names[0] if len(names) == 1 else ""

    account = only("smtp")
    found = accounts.get(account, {}) if account else {}
    address = parseaddr(str(found.get("from") or found.get("username") or ""))[1]
    return Fill(account=account, address=address if "@" in address else "",
                google=only("google"))


def new_rule(starter: Starter, name: str, fill: Fill | str = "") -> dict[str, Any]:
    """A raw rule (rules.json format) made from `starter`, with a fresh id and address.

    `fill` names the accounts to use (a plain string: the email account).
    """
    rule_id = new_rule_id()
    fill = Fill(account=fill) if isinstance(fill, str) else fill
    fill = Fill(rule_id, fill.account, fill.address, fill.google)
    return {"id": rule_id, "name": name, "enabled": True,
            "trigger": {"type": "webhook", "token": new_token(), "methods": ["POST"],
                        **starter.trigger(fill)},
            "steps": starter.steps(fill)}


def duplicate_rule(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """A copy of a rule under a new id and address, turned off until the person checks it."""
    twin = copy.deepcopy(raw)
    twin["id"] = new_rule_id()
    twin["name"] = name
    twin["enabled"] = False
    trigger = twin.get("trigger") if isinstance(twin.get("trigger"), dict) else {}
    twin["trigger"] = {**trigger, "type": "webhook", "token": new_token()}
    return twin


def blank_step(action: ActionType, accounts_by_kind: Callable[[str], list[str]]) -> dict[str, Any]:
    """A new card's settings: required lists start with one empty row, and an account field
    is filled in when the person has exactly one account of that kind."""
    step: dict[str, Any] = {"type": action.type}
    for name, info in action.config_model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        widget = str(extra.get("widget") or "")
        if widget.startswith("account:"):
            names = accounts_by_kind(widget.split(":", 1)[1])
            if len(names) == 1:
                step[name] = names[0]
        elif info.is_required() and typing.get_origin(info.annotation) is list:
            item = (typing.get_args(info.annotation) or (None,))[0]
            if inspect.isclass(item) and issubclass(item, BaseModel):
                step[name] = [{key: "" if field.is_required() else field.get_default(
                    call_default_factory=True) for key, field in item.model_fields.items()}]
    return step
