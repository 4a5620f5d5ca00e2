"""What the nodes of one rule are built with: ids, credentials, and notes for a person.

Credentials are named after the Bellhop account or secret they stand for; n8n links a
node to one by name and type when it exists at import time, and the editor asks for it
otherwise. Every node id is made from the rule's id, so a new export of the same rule
gives the same ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bellhop.core.export.n8n_expressions import Note, Scope, convert_template, path_expression
from bellhop.core.i18n import _

Node = dict[str, Any]
NAMESPACE = uuid.UUID("6f1f3c1e-3b1a-4c55-9d7e-b311b0b5e8a1")  # Bellhop's exports


@dataclass(frozen=True)
class Attention:
    """One thing a person must do or check in n8n, said where it is."""

    rule: str
    where: str  # "Trigger", "Step 2 (Send email) › Subject"
    text: str


@dataclass
class Credential:
    """A credential the workflows use, to be made in n8n under this name."""

    type: str  # n8n's credential type: smtp, googleApi, httpBasicAuth, …
    name: str
    data: dict[str, Any]  # what Bellhop knows (never a secret)
    fill_in: list[str]  # the fields a person adds (the secret ones)
    rules: list[str] = field(default_factory=list)


@dataclass
class Building:
    """What the nodes of one rule are made with, and what they leave to do."""

    rule_id: str
    rule_name: str
    scope: Scope
    accounts: Mapping[str, Mapping[str, Any]]
    credentials: dict[tuple[str, str], Credential]
    attention: list[Attention] = field(default_factory=list)
    ids: int = 0  # node ids given so far

    def node_id(self) -> str:
        """The next id of this rule's nodes: the same from one export to the next."""
        self.ids += 1
        return str(uuid.uuid5(NAMESPACE, f"{self.rule_id}/{self.ids}"))

    def tell(self, where: str, text: str) -> None:
        self.attention.append(Attention(self.rule_name, where, text))

    def template(self, text: str, where: str) -> str:
        """A template as an n8n value; what it could not carry over goes to the report."""
        converted = convert_template(text, self.scope)
        self._notes(converted.notes, where)
        return converted.value

    def field_js(self, path: str, where: str) -> str:
        """A filter's field path as JavaScript for an n8n expression."""
        js, notes = path_expression(path, self.scope)
        self._notes(notes, where)
        return js

    def _notes(self, notes: list[Note], where: str) -> None:
        for note in notes:
            self.tell(where, _("{piece}: {reason}").format(piece=note.piece, reason=note.reason))

    def credential(self, kind: str, name: str, data: dict[str, Any],
                   fill_in: list[str]) -> dict[str, Any]:
        """The node's reference to a credential, noting that it must exist in n8n."""
        found = self.credentials.setdefault((kind, name), Credential(kind, name, data, fill_in))
        if self.rule_name not in found.rules:
            found.rules.append(self.rule_name)
        return {kind: {"id": None, "name": name}}


def base_node(name: str, node_type: str, version: float, parameters: dict[str, Any],
              node_id: str) -> Node:
    """The fields every n8n node has (its place is set when the workflow is laid out)."""
    return {"parameters": parameters, "id": node_id, "name": name,
            "type": f"n8n-nodes-base.{node_type}", "typeVersion": version,
            "position": [0, 0]}


def js_comment(lines: list[str]) -> str:
    """Lines as JavaScript comments, then a blank line."""
    return "".join("// " + line.replace("\n", " ") + "\n" for line in lines) + "\n"
