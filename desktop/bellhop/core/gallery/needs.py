"""What a ready-made rule needs from the person, and what a new rule still lacks, in words.

Read from the rule itself (its cards' account fields, the spreadsheet, the secrets
its trigger and cards name), so the words stay true when a template changes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bellhop.core.cards import ActionType, Registry
from bellhop.core.i18n import N_, _
from bellhop.core.running.rules import check_rule

# An account field's kind → what the person needs, and what to do when it is not chosen.
_ACCOUNT_NEEDS = {
    "smtp": N_("an email account to send from"),
    "google": N_("a Google account"),
}
_NO_ACCOUNT_YET = {
    "smtp": N_("no email account is chosen, and there is none yet: add one under Accounts "
               "in the window, then choose it on this card."),
    "google": N_("no Google account is chosen, and there is none yet: add one under Accounts "
                 "in the window, or with: bellhop account import-google NAME KEY.json"),
}
_CHOOSE_ACCOUNT = {
    "smtp": N_("choose the email account to send with: {names}."),
    "google": N_("choose the Google account to use: {names}."),
}
# A signature check's scheme → the service that signs (product names stay as they are).
_SIGNERS = {"shopify": "Shopify", "github": "GitHub", "stripe": "Stripe", "slack": "Slack"}
_CHAT_SERVICES = {"teams": "Microsoft Teams", "line": "LINE", "webhook": "JSON webhook"}


@dataclass(frozen=True)
class Need:
    """One thing a rule needs: where (None: the trigger, else the step's index), in words,
    the keychain name when it is a secret, the account's name when it is a chosen account."""

    step: int | None
    words: str
    secret: str = ""
    account: str = ""


def _widget(action: ActionType, name: str) -> str:
    info = action.config_model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return str(extra.get("widget") or "")


def _trigger_needs(trigger: Mapping[str, Any]) -> list[Need]:
    needs = []
    verify = trigger.get("verify")
    if isinstance(verify, dict) and verify.get("secret"):
        scheme = str(verify.get("scheme") or "")
        if scheme == "line":
            words = _("the channel secret of your LINE official account")
        elif scheme in _SIGNERS:
            words = _("the signing secret from {service}").format(service=_SIGNERS[scheme])
        else:
            words = _("the secret that senders sign their deliveries with")
        needs.append(Need(None, words, str(verify["secret"])))
    surveycake = trigger.get("surveycake")
    if isinstance(surveycake, dict):
        needs.append(Need(None, _("the Hash Key of your SurveyCake survey"),
                          str(surveycake.get("hash_key") or "")))
        needs.append(Need(None, _("the IV Key of your SurveyCake survey"),
                          str(surveycake.get("iv_key") or "")))
    return needs


def _secret_words(step: Mapping[str, Any], action: ActionType, name: str) -> str:
    if step.get("type") == "line_reply":
        return _("the channel access token of your LINE official account")
    if step.get("type") == "notify_chat":
        service = str(step.get("service") or "")
        return _("the webhook address or token of your {service} chat").format(
            service=_CHAT_SERVICES.get(service, service.capitalize()))
    return _("“{field}” of the card “{card}”").format(
        field=action.field_label(name), card=action.label_for())


def rule_needs(raw: Mapping[str, Any], registry: Registry) -> list[Need]:
    """Everything a rule asks of the person: accounts, a spreadsheet, saved secrets."""
    trigger = raw.get("trigger") if isinstance(raw.get("trigger"), dict) else {}
    needs = _trigger_needs(trigger)
    steps = raw.get("steps") if isinstance(raw.get("steps"), list) else []
    for index, step in enumerate(steps):
        action = registry.get(step.get("type")) if isinstance(step, dict) else None
        if action is None:
            continue
        for name in action.config_model.model_fields:
            widget = _widget(action, name)
            if widget.startswith("account:"):
                kind = widget.split(":", 1)[1]
                words = _ACCOUNT_NEEDS.get(kind)
                needs.append(Need(index, _(words) if words else _(
                    "an account for “{card}”").format(card=action.label_for()),
                    account=str(step.get(name) or "")))
            elif widget == "secret":  # a name left out is the card's own default
                default = action.config_model.model_fields[name].default
                chosen = step.get(name, default if isinstance(default, str) else "")
                needs.append(Need(index, _secret_words(step, action, name), str(chosen or "")))
            elif (step.get("type"), name) == ("append_sheet", "spreadsheet"):
                needs.append(Need(index, _("a Google spreadsheet to add the rows to")))
    return needs


def needs_in_words(raw: Mapping[str, Any], registry: Registry) -> list[str]:
    """What a rule needs, each thing once, in the order the cards ask for it."""
    seen: dict[str, None] = {}
    for need in rule_needs(raw, registry):
        seen.setdefault(need.words, None)
    return list(seen)


def _place(index: int | None, action: ActionType | None) -> str:
    if index is None or action is None:
        return _("Trigger")
    return _("Step {n} ({card})").format(n=index + 1, card=action.label_for())


def _where(place: str, problem: str) -> str:
    return _("{field}: {problem}").format(field=place, problem=problem)


def _unchosen(raw: dict[str, Any], registry: Registry,
              accounts: Mapping[str, Mapping[str, Any]] | None,
              ) -> tuple[list[tuple[int, str]], dict[str, Any], dict[str, dict[str, Any]]]:
    """Sentences for the accounts and spreadsheets not chosen yet; the rule with stand-ins
    in their place and the stand-in accounts, so that checking it finds everything else."""
    said: list[tuple[int, str]] = []
    patched = copy.deepcopy(raw)
    stand_ins: dict[str, dict[str, Any]] = {}
    for index, step in enumerate(patched.get("steps") or []):
        action = registry.get(step.get("type")) if isinstance(step, dict) else None
        if action is None:
            continue
        place = _place(index, action)
        for name in action.config_model.model_fields:
            if step.get(name) not in ("", None):
                continue
            widget = _widget(action, name)
            if widget.startswith("account:"):
                kind = widget.split(":", 1)[1]
                names = sorted(n for n, a in (accounts or {}).items() if a.get("kind") == kind)
                if accounts is None:  # accounts.json cannot be read: its problem is told
                    problem = _("no account is chosen.")
                elif names:
                    problem = _(_CHOOSE_ACCOUNT.get(kind, N_("choose the account: {names}.")))
                    problem = problem.format(names=", ".join(names))
                else:
                    problem = _(_NO_ACCOUNT_YET.get(kind, N_("no account is chosen.")))
                said.append((index, _where(place, problem)))
                stand_ins[f"\0{kind}"] = {"kind": kind}
                step[name] = f"\0{kind}"
            elif (step.get("type"), name) == ("append_sheet", "spreadsheet"):
                said.append((index, _where(place, _(
                    "no spreadsheet is chosen: paste its address into this card in the window, "
                    "or into \"spreadsheet\" in rules.json."))))
                step[name] = "chosen later"
    return said, patched, stand_ins


def _card_of(problem: str, raw: Mapping[str, Any], registry: Registry) -> int:
    """The card a sentence of check_rule is about (-1: the trigger, -2: the whole rule)."""
    if problem.startswith(_where(_("Trigger"), "")):
        return -1
    for index, step in enumerate(raw.get("steps") or []):
        action = registry.get(step.get("type")) if isinstance(step, dict) else None
        if action is not None and problem.startswith(_where(_place(index, action), "")):
            return index
    return -2


def missing_for_new_rule(raw: dict[str, Any], registry: Registry,
                         accounts: Mapping[str, Mapping[str, Any]] | None,
                         secret_saved: Callable[[str], bool]) -> list[str]:
    """What keeps a rule just made from a template from running, in words, card by card:
    accounts and spreadsheets not chosen, secrets not saved, any other problem it has.

    `accounts` is accounts.json's entries, None when it cannot be read (then the accounts
    the rule names are not checked: the caller tells why)."""
    said, patched, stand_ins = _unchosen(raw, registry, accounts)
    known = None if accounts is None else {**accounts, **stand_ins}
    said += [(_card_of(problem, raw, registry), problem)
             for problem in check_rule(patched, registry, known).problems]
    steps = raw.get("steps") if isinstance(raw.get("steps"), list) else []
    for need in rule_needs(raw, registry):
        if not need.secret or secret_saved(need.secret):
            continue
        action = None if need.step is None else registry.get(steps[need.step].get("type"))
        said.append((-1 if need.step is None else need.step, _where(
            _place(need.step, action), _(
                "{what} is not saved yet. Save it with: bellhop secret set {name}").format(
                what=need.words, name=need.secret))))
    return [problem for __, problem in sorted(said, key=lambda item: item[0])]
