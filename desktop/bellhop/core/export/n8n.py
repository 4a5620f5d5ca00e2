"""`bellhop export n8n`: each rule as an n8n workflow, and a report of what needs a person.

The workflows go to standard output as one JSON array, which `n8n import:workflow
--input FILE` takes whole. Each workflow keeps an id made from its rule's id, so
importing a new export replaces the workflow instead of adding a second one. The
report (standard error, in the person's language) lists the credentials to create in
n8n, every template part and card that is not carried over as it was, and the command
that turns each workflow on. `--credentials FILE` also writes those credentials with
everything Bellhop knows except the secrets, for `n8n import:credentials`.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bellhop.core.cards import Registry
from bellhop.core.errors import BellhopError
from bellhop.core.export.n8n_building import Attention, Building, Credential, Node
from bellhop.core.export.n8n_expressions import Scope, StepOutput
from bellhop.core.export.n8n_nodes import (
    email_node,
    errand_node,
    http_node,
    if_node,
    sheet_node,
    sticky_note,
)
from bellhop.core.export.n8n_trigger import signature_node, surveycake_node, webhook_node
from bellhop.core.i18n import NP_, _, ngettext
from bellhop.core.platform import paths
from bellhop.core.platform.accounts import load_accounts
from bellhop.core.platform.jsonfile import FileProblem, read_edited_json
from bellhop.core.running.rules import RULES_VERSION, check_rule
from bellhop.core.running.sentences import quoted

_PASS_THROUGH = {"filter"}  # cards whose n8n node hands the Webhook's item on unchanged
_NODES = {"filter": if_node, "send_email": email_node, "append_sheet": sheet_node,
          "http_request": http_node}
_SPACING = 260  # pixels between nodes on the canvas
_ALPHABET = string.digits + string.ascii_letters


class UnknownRules(BellhopError):
    """Rules asked for by name that rules.json does not have."""


@dataclass
class Export:
    """The workflows, the credentials they use, and what is left for a person to do."""

    workflows: list[dict[str, Any]] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)


def short_id(text: str) -> str:
    """A 16-character id like n8n's own, always the same for the same text."""
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:12], "big")
    chars = []
    for __ in range(16):
        number, digit = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def choose_rules(raw_rules: list[Any], wanted: list[str]) -> list[dict[str, Any]]:
    """The rules named (by id or name; every rule when none is), in the file's order."""
    rules = [rule for rule in raw_rules if isinstance(rule, dict)]
    if not wanted:
        return rules
    chosen: list[dict[str, Any]] = []
    missing = []
    for name in wanted:
        found = ([r for r in rules if r.get("id") == name] or
                 [r for r in rules if r.get("name") == name] or
                 [r for r in rules if str(r.get("name", "")).casefold() == name.casefold()])
        if not found:
            missing.append(name)
        for rule in found:
            if rule not in chosen:
                chosen.append(rule)
    if missing:
        known = _listed(str(r.get("name") or r.get("id")) for r in rules) or _("none")
        raise UnknownRules(ngettext(
            "There is no rule called {names}. Rules in rules.json: {known}.",
            "There are no rules called {names}. Rules in rules.json: {known}.",
            len(missing)).format(names=_listed(missing), known=known))
    return sorted(chosen, key=rules.index)


def export_rules(raw_rules: Iterable[dict[str, Any]], registry: Registry,
                 accounts: Mapping[str, Mapping[str, Any]]) -> Export:
    """Every rule as an n8n workflow; a rule with a mistake stops the export, named."""
    result = Export()
    credentials: dict[tuple[str, str], Credential] = {}
    problems = []
    checked = []
    for raw in raw_rules:
        loaded = check_rule(raw, registry)
        if loaded.problems:
            problems.append(_("“{rule}”: {problem}").format(
                rule=loaded.name, problem=_("; ").join(loaded.problems)))
        checked.append(loaded)
    if problems:
        raise BellhopError(_("These rules cannot be exported until they are fixed:") + "\n" +
                           "\n".join("  " + problem for problem in problems))
    for loaded in checked:
        assert loaded.head is not None  # a rule without problems was read whole
        trigger = loaded.head.trigger.model_dump(mode="json", exclude_none=True)
        build = Building(loaded.id, loaded.name, Scope(methods=tuple(trigger["methods"])),
                         accounts, credentials)
        if not loaded.enabled:
            build.tell(_("Rule"), _("This rule is turned off in Bellhop; the workflow stays "
                                    "off until you turn it on in n8n."))
        steps = [config.model_dump(mode="json") for config in loaded.steps]
        result.workflows.append(_workflow(trigger, steps, registry, build))
        result.attention.extend(build.attention)
    result.credentials = list(credentials.values())
    return result


def _unique(name: str, taken: set[str]) -> str:
    candidate, count = name, 1
    while candidate in taken:
        count += 1
        candidate = f"{name} {count}"
    taken.add(candidate)
    return candidate


def _workflow(trigger: dict[str, Any], steps: list[dict[str, Any]], registry: Registry,
              build: Building) -> dict[str, Any]:
    """One rule's workflow: its nodes in a row, joined, and a note on the canvas."""
    taken: set[str] = set()
    webhook = _unique("Webhook", taken)
    chain: list[tuple[Node, int]] = [(webhook_node(trigger, build, webhook),
                                      len(trigger["methods"]))]
    verify = trigger.get("verify")
    if isinstance(verify, Mapping) and verify.get("scheme") not in ("basic", "header"):
        name = _unique(_("Check the signature (to write)"), taken)
        chain.append((signature_node(verify, build, name), 1))
    if isinstance(trigger.get("surveycake"), Mapping):
        name = _unique(_("Fetch the SurveyCake answers (to write)"), taken)
        chain.append((surveycake_node(trigger["surveycake"], build, name), 1))
    through = True  # every node so far hands the Webhook's item on unchanged
    for index, step in enumerate(steps, start=1):
        build.scope.trigger = "$json" if through else f"$({json.dumps(webhook)}).item.json"
        action = registry.get(step["type"])
        assert action is not None  # check_rule found every card
        card = action.label_for()
        name = str(step.get("name") or "").strip() or card
        maker = _NODES.get(step["type"])
        if maker is None:  # a Code node standing in for the card
            name = _("{card} (to replace)").format(card=name)
        name = _unique(name, taken)
        where = _("Step {n} ({card})").format(n=index, card=card)
        node = (maker(step, build, name, where, action.field_label) if maker is not None else
                errand_node(step, build, name, where, action.field_label, card))
        chain.append((node, 1))
        build.scope.steps[index] = StepOutput(name, step["type"])
        through = through and (step["type"] in _PASS_THROUGH or maker is None)
    nodes = []
    connections: dict[str, Any] = {}
    for position, (node, outputs) in enumerate(chain):
        node["position"] = [position * _SPACING, 0]
        nodes.append(node)
        if position + 1 < len(chain):
            target = {"node": chain[position + 1][0]["name"], "type": "main", "index": 0}
            # An If node's first output is "true"; a Webhook with several methods has one
            # output per method, each going on.
            connections[node["name"]] = {"main": [[target] for __ in range(outputs)]}
    nodes.append(sticky_note(_note_text(build), build, max(_SPACING * len(chain), 400)))
    return {"id": short_id("bellhop-rule/" + build.rule_id), "name": build.rule_name,
            "nodes": nodes, "connections": connections, "active": False,
            "settings": {"executionOrder": "v1"}, "pinData": {}, "tags": []}


def _note_text(build: Building) -> str:
    lines = ["## " + _("Bellhop rule “{rule}”").format(rule=build.rule_name), "",
             _("Exported with {command}. The Webhook node's path is the rule's token: "
               "point the sender at n8n's production address with that path.").format(
                 command="`bellhop export n8n`")]
    if build.attention:
        lines += ["", "**" + _("Needs a person:") + "**"]
        lines += ["- " + _("{field}: {problem}").format(field=item.where, problem=item.text)
                  for item in build.attention]
    return "\n".join(lines)


# -- the report ---------------------------------------------------------------------------

_KINDS = {"smtp": "SMTP", "googleApi": "Google Service Account",
          "googleSheetsOAuth2Api": "Google Sheets OAuth2 API", "httpBasicAuth": "Basic Auth",
          "httpHeaderAuth": "Header Auth"}


def _secret_words(credential: Credential) -> str:
    if credential.type == "googleSheetsOAuth2Api":
        return _("add the client secret and sign in with Google in the n8n editor")
    words = {"password": _("add its password"),
             "privateKey": _("add the private key from the service account's key file"),
             "value": _("add the header's secret value")}
    return ", ".join(words.get(name, name) for name in credential.fill_in) or _(
        "nothing secret to add")


def _listed(names: Iterable[str]) -> str:
    """Names in quotes, as a list in a sentence: “Orders”, “Forms” (「Orders」、「Forms」)."""
    return _(NP_("between names in a list", ", ")).join(quoted(name) for name in names)


def _known(credential: Credential) -> str:
    """What Bellhop knows of the credential, as n8n names its fields: host …, port …."""
    shown = [f"{key} {value}" for key, value in credential.data.items()
             if value not in ("", None) and not isinstance(value, bool)]
    return _(NP_("between names in a list", ", ")).join(shown)


def report_lines(export: Export, credentials_file: str | None = None) -> list[str]:
    """The report for standard error: credentials, things to finish, how to turn on."""
    count = len(export.workflows)
    lines = [ngettext("Wrote {count} n8n workflow.", "Wrote {count} n8n workflows.",
                      count).format(count=count)]
    if export.credentials:
        lines += ["", _("Credentials to create in n8n, named exactly so (create them before "
                        "importing the workflows and n8n links them by name):")]
        for credential in export.credentials:
            known = _known(credential)
            lines.append("  • " + _("{name} ({kind}{known}): {todo}. Used by {rules}.").format(
                name=quoted(credential.name), kind=_KINDS.get(credential.type, credential.type),
                known=_("; ") + known if known else "", todo=_secret_words(credential),
                rules=_listed(credential.rules)))
        if credentials_file:
            lines.append("    " + _("They are in {file} without their secrets: add those, then "
                                    "run: {command}").format(
                file=credentials_file,
                command=f"n8n import:credentials --input {credentials_file}"))
    if export.attention:
        lines += ["", _("Needs a person in n8n:")]
        rule = None
        for item in export.attention:
            if item.rule != rule:
                rule = item.rule
                lines.append("  " + quoted(rule))
            lines.append("    • " + _("{field}: {problem}").format(field=item.where,
                                                                  problem=item.text))
    if export.workflows:
        lines += ["", _("Import them with {command}, then turn each on (n8n imports "
                        "workflows turned off):").format(
            command="n8n import:workflow --input FILE")]
        lines += [f"  n8n publish:workflow --id={workflow['id']}   # {workflow['name']}"
                  for workflow in export.workflows]
    return lines


def credentials_json(export: Export) -> list[dict[str, Any]]:
    """The credentials for `n8n import:credentials`: secrets left empty, to be filled in."""
    return [{"id": short_id(f"bellhop-credential/{c.type}/{c.name}"), "name": c.name,
             "type": c.type, "data": {**c.data, **{key: "" for key in c.fill_in}}}
            for c in export.credentials]


def run_export(home: Path, registry: Registry, wanted: list[str], out: IO[str],
               err: IO[str], credentials_file: str | None = None) -> int:
    """Read the data home's rules and accounts, write the workflows and the report."""
    raw_rules = read_edited_json(paths.rules_file(home), expect_version=RULES_VERSION,
                                 key="rules", kind=list) or []
    try:
        accounts = load_accounts(paths.accounts_file(home))
    except FileProblem as exc:
        print(_("accounts.json cannot be read ({problem}): senders and servers are left "
                "empty.").format(problem=exc.message), file=err)
        accounts = {}
    export = export_rules(choose_rules(raw_rules, wanted), registry, accounts)
    for workflow in export.workflows:
        _link_credentials(workflow)
    if credentials_file:
        Path(credentials_file).write_text(json.dumps(
            credentials_json(export), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    out.write(json.dumps(export.workflows, ensure_ascii=False, indent=2) + "\n")
    out.flush()
    print("\n".join(report_lines(export, credentials_file)), file=err)
    return 0


def _link_credentials(workflow: dict[str, Any]) -> None:
    """Give each node's credential the id `credentials_json` gives it (n8n falls back to
    the name when no credential has that id)."""
    for node in workflow["nodes"]:
        for kind, reference in (node.get("credentials") or {}).items():
            reference["id"] = short_id(f"bellhop-credential/{kind}/{reference['name']}")
