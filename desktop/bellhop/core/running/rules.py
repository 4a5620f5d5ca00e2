"""Rules as in rules.json: a webhook trigger and steps, validated into plain-words problems.

A rule with a mistake still loads: it is marked unavailable with the reasons,
and every other rule keeps running. Types are strict (`"enabled": "no"` is a
mistake, not "on"), and a step naming an account that does not exist is a
mistake found when the rules load, not when an event fails.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bellhop.core.i18n import N_, _
from bellhop.core.platform.jsonfile import read_edited_json, write_json_atomic
from bellhop.core.templating import check_syntax

if TYPE_CHECKING:
    from bellhop.core.cards import ActionType, Registry, StepConfig

RULES_VERSION = 1
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{22,128}$"
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
# Values are taken as written: "no" is not false, "587" is not a number.
STRICT = ConfigDict(extra="forbid", strict=True)


def new_token() -> str:
    """A fresh webhook token: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def new_rule_id() -> str:
    """A short unique rule id."""
    return "r" + secrets.token_hex(4)


class VerifyConfig(BaseModel):
    """How a delivery proves it comes from the service (scheme + keychain secret name)."""

    model_config = STRICT

    scheme: Literal["shopify", "line", "github", "stripe", "slack", "standard", "basic",
                    "header"]
    secret: str = Field(..., min_length=1, max_length=200)
    tolerance: int = Field(300, ge=10, le=86400)
    header: str = Field("", max_length=100, pattern=r"^[A-Za-z0-9-]*$")
    username: str = ""

    @model_validator(mode="after")
    def _scheme_needs(self) -> VerifyConfig:
        if self.scheme == "header" and not self.header:
            raise ValueError(_("the 'header' scheme needs the name of the header to check"))
        if self.scheme == "basic" and not self.username:
            raise ValueError(_("the 'basic' scheme needs a user name"))
        return self


class RespondConfig(BaseModel):
    """The answer a sender gets instead of the default 202 JSON."""

    model_config = STRICT

    status: int = Field(200, ge=200, le=299)
    body: str = "ok"
    content_type: str = "text/plain; charset=utf-8"


class SurveyCakeOption(BaseModel):
    """'This is a SurveyCake webhook': fetch and decrypt the answers as the run begins."""

    model_config = STRICT

    domain: str = Field("www.surveycake.com", min_length=1, max_length=200)
    hash_key: str = Field(..., min_length=1, max_length=200)  # keychain names
    iv_key: str = Field(..., min_length=1, max_length=200)
    retry: dict[str, int | float] | None = None  # as a card's "retry" (attempts, first_delay)


class WebhookTrigger(BaseModel):
    """When a webhook arrives at `<base>/hooks/<token>`."""

    model_config = STRICT

    type: Literal["webhook"] = "webhook"
    token: str = Field(..., pattern=TOKEN_PATTERN)
    methods: list[Method] = Field(default_factory=lambda: ["POST"], min_length=1)
    verify: VerifyConfig | None = None
    respond: RespondConfig | None = None
    invalid_json: Literal["reject", "text"] = "reject"
    # 'auto': senders' own delivery ids: headers (Shopify, GitHub, Standard Webhooks), and
    # the body's for the sender the rule names (Stripe or LINE check, SurveyCake option) or
    # the delivery's headers declare (Stripe, LINE; see BodyNeeds); 'request_id': also
    # X-Request-Id, which some senders reuse, hence opt-in; 'off'.
    dedupe: Literal["auto", "request_id", "off"] = "auto"
    surveycake: SurveyCakeOption | None = None


class RuleHead(BaseModel):
    """A rule without its steps (they are validated one by one through the registry)."""

    model_config = STRICT

    id: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=200)
    enabled: bool = True
    trigger: WebhookTrigger
    steps: list[dict[str, Any]] = Field(default_factory=list)


BodySender = Literal["line", "stripe", "surveycake"]
BODY_SENDERS: tuple[BodySender, ...] = ("line", "stripe", "surveycake")


@dataclass(frozen=True, slots=True)
class BodyNeeds:
    """What the answer to a rule's delivery reads in its body, as the rule's settings say.

    Decided once, when the rules load. The receiver adds the sender a delivery declares
    in its headers (LINE and Stripe sign every delivery, whether or not the rule checks
    it): the body is parsed before the answer where either says the answer reads it, and
    only checked otherwise. No bytes of the body decide.
    """

    # LINE (its signature check, or a Reply on LINE step): LINE's Verify request is
    # answered 200 and runs nothing, and its deliveries get 200 (anything else is a failure).
    line: bool = False
    surveycake: bool = False  # the body must hold SurveyCake's svid and hash
    ids: tuple[BodySender, ...] = ()  # senders named here whose delivery id dedupe reads
    dedupe: bool = True  # dedupe reads ids at all (not "off"): also a declared sender's


def body_needs(trigger: WebhookTrigger, steps: list[dict[str, Any]]) -> BodyNeeds:
    """What the answer reads in the body of this trigger's deliveries."""
    scheme = trigger.verify.scheme if trigger.verify is not None else None
    line = scheme == "line" or any(
        isinstance(step, dict) and step.get("type") == "line_reply" for step in steps)
    surveycake = trigger.surveycake is not None
    if trigger.dedupe == "off":
        return BodyNeeds(line, surveycake, (), dedupe=False)
    named = {"line": line, "stripe": scheme == "stripe", "surveycake": surveycake}
    return BodyNeeds(line, surveycake, tuple(s for s in BODY_SENDERS if named[s]))


@dataclass
class LoadedRule:
    """A rule as read from the file: its raw form, the checked form, and any problems."""

    raw: dict[str, Any]
    head: RuleHead | None = None
    steps: list[StepConfig] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    body_needs: BodyNeeds = BodyNeeds()  # set with `head`

    @property
    def id(self) -> str:
        return str(self.raw.get("id") or "")

    @property
    def name(self) -> str:
        return str(self.raw.get("name") or self.id or _("(unnamed rule)"))

    @property
    def enabled(self) -> bool:
        # Anything but a real false counts as on: a rule whose switch is mistyped answers
        # 503 (it is unavailable), so its sender keeps the delivery and tries again.
        return self.raw.get("enabled", True) is not False

    @property
    def token(self) -> str | None:
        trigger = self.raw.get("trigger")
        token = trigger.get("token") if isinstance(trigger, dict) else None
        return token if isinstance(token, str) and token else None

    @property
    def available(self) -> bool:
        """True when the rule can run (no problems)."""
        return self.head is not None and not self.problems


def _plain_error(error: dict[str, Any], label_of: Any) -> str:
    loc = tuple(str(part) for part in error.get("loc", ()) if not isinstance(part, int))
    name = loc[-1] if loc else ""
    label = label_of(loc) if loc else ""  # "Conditions › Field": each part's own label
    kind = error.get("type", "")
    if kind == "missing":
        return _("the field '{field}' is missing").format(
            field=label)
    if kind in ("string_too_short", "too_short"):
        return _("the field '{field}' is empty").format(
            field=label)
    if kind == "extra_forbidden":
        return _("'{field}' is not a setting this card knows").format(
            field=name)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return _("the field '{field}' must be one of: {expected}").format(
            field=label, expected=expected)
    typed = _TYPE_MISTAKES.get(kind)
    if typed is not None:
        return _(typed).format(field=label)
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error.get("msg", "")))
    if kind == "string_pattern_mismatch" and name == "token":
        return _("the webhook token must be 22 to 128 letters, digits, '-' or '_'")
    return _("the field '{field}': {reason}").format(
        field=label, reason=error.get("msg", ""))


# Pydantic's type mistakes, said for a person who edits rules.json by hand.
_TYPE_MISTAKES: dict[str, str] = {
    "bool_type": N_("the field '{field}' must be true or false, without quotes"),
    "int_type": N_("the field '{field}' must be a whole number, without quotes"),
    "float_type": N_("the field '{field}' must be a number, without quotes"),
    "string_type": N_("the field '{field}' must be text in double quotes"),
    "list_type": N_("the field '{field}' must be a list, [ … ]"),
    "dict_type": N_("the field '{field}' must be an object, {{ … }}"),
    "model_type": N_("the field '{field}' must be an object, {{ … }}"),
    "model_attributes_type": N_("the field '{field}' must be an object, {{ … }}"),
}


def _where(place: str, problem: str) -> str:
    return _("{field}: {problem}").format(
        field=place, problem=problem)  # full-width colon in zh


Accounts = Mapping[str, Mapping[str, Any]]


def check_rule(raw: Any, registry: Registry, accounts: Accounts | None = None,
               accounts_problem: str | None = None) -> LoadedRule:
    """Validate one raw rule; problems are full sentences naming the card and field.

    With `accounts` (accounts.json's entries), every account a step names must exist
    and be of the kind the card needs; `accounts_problem` says why they are unknown.
    """
    if not isinstance(raw, dict):
        return LoadedRule(raw={}, problems=[_("This rule is not an object.")])
    loaded = LoadedRule(raw=raw)
    try:
        loaded.head = RuleHead.model_validate(raw)
        loaded.body_needs = body_needs(loaded.head.trigger, loaded.head.steps)
    except ValidationError as exc:
        for error in exc.errors():
            loc = error.get("loc", ())
            place = _("Trigger") if loc and loc[0] == "trigger" else _("Rule")
            shifted = dict(error, loc=loc[1:] if loc and loc[0] == "trigger" else loc)
            loaded.problems.append(_where(place, _plain_error(shifted, " › ".join)))
    raw_steps = raw.get("steps") if isinstance(raw.get("steps"), list) else []
    if loaded.head and loaded.head.trigger.surveycake and "surveycake_answers" not in registry:
        loaded.problems.append(_("This Bellhop cannot read SurveyCake answers."))
    for index, step in enumerate(raw_steps, start=1):
        type_name = step.get("type") if isinstance(step, dict) else None
        action = registry.get(type_name) if isinstance(type_name, str) else None
        if action is None:
            loaded.problems.append(
                _("Step {n}: '{type}' is not a kind of step Bellhop knows.").format(
                    n=index, type=type_name)
            )
            continue
        place = _("Step {n} ({card})").format(
            n=index, card=action.label_for())
        try:
            config = action.config_model.model_validate(step)
        except ValidationError as exc:
            def label_of(path: tuple[str, ...], action: ActionType = action) -> str:
                return action.field_label(path)

            for error in exc.errors():
                loaded.problems.append(_where(place, _plain_error(error, label_of)))
            continue
        loaded.steps.append(config)
        for name, problem in account_problems(config, accounts, accounts_problem):
            loaded.problems.append(
                _where(place, _where(action.field_label(name), problem)))
        for name, problem in template_problems(config):
            loaded.problems.append(
                _where(place, _where(action.field_label(name), problem)))
    return loaded


def template_problems(config: StepConfig) -> list[tuple[str, str]]:
    """Syntax mistakes in the templated fields of a step config."""
    found = []
    for name, info in type(config).model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if not extra.get("template"):
            continue
        value = getattr(config, name)
        texts = value.values() if isinstance(value, dict) else [value]
        for text in texts:
            if isinstance(text, str):
                problem = check_syntax(text)
                if problem:
                    found.append((name, problem))
    return found


_MISSING_ACCOUNT: dict[str, str] = {
    "smtp": N_("there is no email account called '{name}'. Add it under Accounts, "
               "or choose another."),
    "google": N_("there is no Google account called '{name}'. Add it under Accounts, "
                 "or choose another."),
}
_WRONG_ACCOUNT: dict[str, str] = {
    "smtp": N_("'{name}' is not an email account."),
    "google": N_("'{name}' is not a Google account."),
}


def account_problems(config: StepConfig, accounts: Accounts | None,
                     accounts_problem: str | None = None) -> list[tuple[str, str]]:
    """Accounts a step names that do not exist or are of the wrong kind (field, problem)."""
    if accounts is None and accounts_problem is None:
        return []
    found = []
    for name, info in type(config).model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        widget = str(extra.get("widget") or "")
        value = getattr(config, name)
        if not widget.startswith("account:") or not isinstance(value, str) or not value:
            continue
        kind = widget.split(":", 1)[1]
        if accounts is None:
            found.append((name, _("the accounts cannot be read now: {problem}").format(
                problem=accounts_problem)))
            continue
        account = accounts.get(value)
        if account is None:
            missing = _MISSING_ACCOUNT.get(kind, N_("there is no account called '{name}'."))
            found.append((name, _(missing).format(name=value)))
        elif account.get("kind") != kind:
            wrong = _WRONG_ACCOUNT.get(
                kind, N_("the account '{name}' is not of the kind this card needs."))
            found.append((name, _(wrong).format(name=value)))
    return found


def check_rules(raw_rules: list[Any], registry: Registry, accounts: Accounts | None = None,
                accounts_problem: str | None = None) -> list[LoadedRule]:
    """Validate every rule; a token or id used twice makes the later rule unavailable."""
    loaded = [check_rule(raw, registry, accounts, accounts_problem) for raw in raw_rules]
    seen_tokens: set[str] = set()
    seen_ids: set[str] = set()
    for rule in loaded:
        if rule.id in seen_ids:
            rule.problems.append(_("Another rule already has the id '{id}'.").format(
                id=rule.id))
        seen_ids.add(rule.id)
        if rule.token:
            if rule.token in seen_tokens:
                rule.problems.append(_("Another rule already uses this webhook address."))
            seen_tokens.add(rule.token)
    return loaded


def load_rules(path: Path, registry: Registry, accounts: Accounts | None = None,
               accounts_problem: str | None = None) -> list[LoadedRule]:
    """Read rules.json; a missing file is no rules. A file with a mistake raises FileProblem
    and stays where it is (the caller keeps the rules it had)."""
    raw_rules = read_edited_json(path, expect_version=RULES_VERSION, key="rules", kind=list)
    if raw_rules is None:
        return []
    return check_rules(raw_rules, registry, accounts, accounts_problem)


_TOKEN_IN_TEXT = re.compile(r'"token"\s*:\s*"([A-Za-z0-9_-]{22,128})"')


def tokens_in_text(text: str) -> set[str]:
    """Webhook tokens a rules.json that cannot be read still names (they answer 503)."""
    return set(_TOKEN_IN_TEXT.findall(text))


def save_rules(path: Path, raw_rules: list[dict[str, Any]]) -> None:
    """Write rules.json atomically in the documented format."""
    write_json_atomic(path, {"version": RULES_VERSION, "rules": raw_rules})
