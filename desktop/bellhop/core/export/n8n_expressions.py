"""Bellhop templates as n8n expressions: `Order {{ body.name }}` → `=Order {{ $json.body.name }}`.

A template is split as the builder splits it (templating/chips.py); each `{{ … }}` is
parsed by Jinja and written again as the JavaScript n8n runs between its own `{{ }}`.
The event's fields come from the Webhook node's output (`body`, `headers`, `query`), an
earlier step's from that node (`$('Name').item.json`), and Bellhop's formatters become
plain JavaScript with the same result on the values people send (a missing field stays
empty, so `default` after a formatter still applies). What has no equivalent is never
guessed: a formatter is left out (the value is written as it is) or the whole expression
is written out as text, and a `Note` says which, for the report a person reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes

from bellhop.core.export.n8n_formatters import FILTERS, LEFT_OUT, js_string
from bellhop.core.i18n import _
from bellhop.core.templating import chips

_PARSER = Environment(autoescape=False)
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_BLOCK = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)


@dataclass(frozen=True)
class Note:
    """Something in a template that n8n does not do the same way: the piece and why."""

    piece: str  # the template text concerned, as written
    reason: str  # a sentence in the current language


@dataclass(frozen=True)
class StepOutput:
    """An earlier step as later templates reach it: its n8n node and its card type."""

    node: str
    card: str


@dataclass
class Scope:
    """Where a template's names lead in the workflow being written."""

    trigger: str = "$json"  # the Webhook node's output, as JavaScript
    methods: tuple[str, ...] = ("POST",)
    steps: dict[int, StepOutput] = field(default_factory=dict)


@dataclass
class Converted:
    """A template as an n8n parameter value, and what could not be carried over."""

    value: str
    notes: list[Note] = field(default_factory=list)

    @property
    def is_expression(self) -> bool:
        """True when n8n evaluates the value (it starts with '=')."""
        return self.value.startswith("=")


class Untranslatable(Exception):
    """An expression (or a part of it) n8n has no equivalent for; the reason in words."""


def literal_text(text: str) -> str:
    """Plain text inside an n8n expression value: as it is, unless it holds `{{`."""
    if "{{" not in text:
        return text
    return "{{ " + js_string(text) + " }}"


def convert_template(text: str, scope: Scope) -> Converted:
    """One Bellhop template as an n8n parameter value (an expression when it uses fields)."""
    notes: list[Note] = []
    out: list[str] = []
    expression = False
    for piece in chips.split(text):
        if isinstance(piece, str):
            notes.extend(Note(block, _(
                "n8n has no {% … %} blocks or {# … #} comments: this part is written out "
                "as text")) for block in _BLOCK.findall(piece))
            out.append(literal_text(piece))
            continue
        expression = True
        js, found = convert_expression(piece.text, scope)
        notes.extend(found)
        out.append("{{ " + js + " }}")
    value = "".join(out)
    # A value starting with '=' is an expression to n8n: a formula for a sheet ('=SUM(…)')
    # is kept as text by one more '='.
    if expression or value != text or text.startswith("="):
        return Converted("=" + value, notes)
    return Converted(text, notes)


def convert_expression(source: str, scope: Scope) -> tuple[str, list[Note]]:
    """One `{{ … }}` as JavaScript for n8n; on failure, JavaScript giving the text as is."""
    notes: list[Note] = []
    try:
        tree = _PARSER.parse(source)
        output = tree.body[0] if tree.body else None
        if not isinstance(output, nodes.Output) or len(output.nodes) != 1:
            raise Untranslatable(_("it is not a single expression"))
        return _Writer(scope, source, notes).expr(output.nodes[0]), notes
    except (Untranslatable, TemplateSyntaxError) as exc:
        reason = str(exc) if isinstance(exc, Untranslatable) else _("it cannot be read")
        notes.append(Note(source, _(
            "could not be translated ({reason}): it is written out as text").format(
            reason=reason)))
        return js_string(source), notes


def path_expression(path: str, scope: Scope) -> tuple[str, list[Note]]:
    """A field path as a filter names it (`body.total_price`) as JavaScript."""
    return convert_expression("{{ " + path + " }}", scope)


# -- the writer -----------------------------------------------------------------------

_COMPARE = {"eq": "===", "ne": "!==", "gt": ">", "gteq": ">=", "lt": "<", "lteq": "<="}
_ARITHMETIC = {nodes.Add: "+", nodes.Sub: "-", nodes.Mul: "*", nodes.Div: "/",
               nodes.Mod: "%", nodes.Pow: "**"}
class _Writer:
    """Writes one parsed expression as JavaScript, collecting notes on the way."""

    def __init__(self, scope: Scope, source: str, notes: list[Note]) -> None:
        self.scope = scope
        self.source = source
        self.notes = notes

    def note(self, reason: str) -> None:
        self.notes.append(Note(self.source, reason))

    def expr(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Const):
            return self.const(node.value)
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            return self.path(node)
        if isinstance(node, nodes.Filter):
            return self.filter(node)
        if isinstance(node, nodes.Concat):
            return "[" + ", ".join(self.expr(n) for n in node.nodes) + "].join('')"
        if isinstance(node, nodes.CondExpr):
            other = self.expr(node.expr2) if node.expr2 is not None else "''"
            return f"({self.expr(node.test)} ? {self.expr(node.expr1)} : {other})"
        if isinstance(node, nodes.And | nodes.Or):
            op = "&&" if isinstance(node, nodes.And) else "||"
            return f"({self.expr(node.left)} {op} {self.expr(node.right)})"
        if isinstance(node, nodes.Not):
            return f"!({self.expr(node.node)})"
        if isinstance(node, nodes.Neg | nodes.Pos):
            sign = "-" if isinstance(node, nodes.Neg) else "+"
            return f"{sign}({self.expr(node.node)})"
        if isinstance(node, nodes.FloorDiv):
            return f"Math.floor({self.expr(node.left)} / {self.expr(node.right)})"
        op = _ARITHMETIC.get(type(node))
        if op is not None and isinstance(node, nodes.BinExpr):
            return f"({self.expr(node.left)} {op} {self.expr(node.right)})"
        if isinstance(node, nodes.Compare):
            return self.compare(node)
        if isinstance(node, nodes.List | nodes.Tuple):
            return "[" + ", ".join(self.expr(n) for n in node.items) + "]"
        if isinstance(node, nodes.Test):
            return self.test(node)
        raise Untranslatable(_("n8n has no equivalent for “{what}”").format(
            what=type(node).__name__))

    def const(self, value: Any) -> str:
        if isinstance(value, str):
            return js_string(value)
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return repr(value)
        raise Untranslatable(_("n8n has no equivalent for “{what}”").format(what=value))

    def compare(self, node: nodes.Compare) -> str:
        left = self.expr(node.expr)
        parts = []
        for operand in node.ops:
            right = self.expr(operand.expr)
            if operand.op in ("in", "notin"):
                test = f"({right} ?? '').includes({left})"
                parts.append(test if operand.op == "in" else f"!{test}")
            else:
                parts.append(f"{left} {_COMPARE[operand.op]} {right}")
            left = right
        return "(" + " && ".join(parts) + ")"

    def test(self, node: nodes.Test) -> str:
        value = self.expr(node.node)
        tests = {"defined": f"({value} !== undefined)", "undefined": f"({value} === undefined)",
                 "none": f"({value} === null)", "number": f"(typeof {value} === 'number')",
                 "string": f"(typeof {value} === 'string')"}
        if node.name not in tests or node.args:
            raise Untranslatable(_("n8n has no test “{test}”").format(test=f"is {node.name}"))
        return tests[node.name]

    # -- names and paths --------------------------------------------------------------

    def path(self, node: nodes.Node) -> str:
        parts: list[Any] = []
        while isinstance(node, nodes.Getattr | nodes.Getitem):
            if isinstance(node, nodes.Getattr):
                parts.append(node.attr)
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str | int):
                parts.append(node.arg.value)
            else:
                parts.append(nodes.Output([node.arg]))  # a computed key: written as [js]
            node = node.node
        if not isinstance(node, nodes.Name):
            return self.expr(node) + self.tail(list(reversed(parts)))
        parts.reverse()
        return self.name(node.name, parts)

    def tail(self, parts: list[Any]) -> str:
        """`.a?.b?.[0]`: after the first key, a missing one gives undefined, not an error."""
        text = ""
        for index, part in enumerate(parts):
            optional = "?." if index else ""
            if isinstance(part, nodes.Output):
                text += f"{optional}[{self.expr(part.nodes[0])}]"
            elif isinstance(part, str) and _IDENTIFIER.match(part):
                text += f"{optional or '.'}{part}"
            else:
                key = js_string(part) if isinstance(part, str) else str(part)
                text += f"{optional}[{key}]"
        return text

    def name(self, name: str, parts: list[Any]) -> str:
        if name in ("body", "headers", "query"):
            return f"{self.scope.trigger}.{name}" + self.tail(parts)
        if name == "steps":
            return self.step(parts)
        simple = {"event_id": "$execution.id", "rule": "$workflow.name",
                  "received_at": "$now.toISO()"}
        if name in simple and not parts:
            return simple[name]
        if name == "method" and not parts:
            if len(self.scope.methods) == 1:
                return js_string(self.scope.methods[0])
            raise Untranslatable(_("n8n's Webhook node does not say which method was used"))
        raise Untranslatable(_("“{name}” is not a field of the event").format(name=name))

    def step(self, parts: list[Any]) -> str:
        index = parts[0] if parts else None
        if isinstance(index, str) and index.isdigit():
            index = int(index)
        found = self.scope.steps.get(index) if isinstance(index, int) else None
        if found is None:
            raise Untranslatable(_("it uses the result of a step n8n does not have"))
        rest = parts[1:]
        node = "$(" + js_string(found.node) + ").item.json"
        if found.card == "filter" and rest == ["matched"]:
            return "true"  # later steps run only when the filter matched
        if found.card == "http_request" and rest[:1] == ["status"] and len(rest) == 1:
            return node + ".statusCode"
        if found.card == "http_request" and rest[:1] in (["body"], ["headers"]):
            return node + self.tail(rest)
        raise Untranslatable(_("n8n's node gives other results than Bellhop's card"))

    # -- filters ----------------------------------------------------------------------

    def filter(self, node: nodes.Filter) -> str:
        assert node.node is not None  # only a {% filter %} block has none
        value = self.expr(node.node)
        name = node.name
        if node.kwargs and name != "money":
            raise Untranslatable(_("the formatter “{name}” has settings n8n cannot "
                                   "take").format(name=name))
        args = [self.literal(arg, name) for arg in node.args]
        make = FILTERS.get(name)
        if make is not None:
            try:
                return make(value, args, {kw.key: self.literal(kw.value, name)
                                          for kw in node.kwargs})
            except (TypeError, ValueError) as exc:
                raise Untranslatable(_("the formatter “{name}” has settings n8n cannot "
                                       "take").format(name=name)) from exc
        if name == "required":
            self.note(_("“required” is not carried over: in n8n the step goes on with an "
                        "empty value instead of stopping"))
            return value
        if name in LEFT_OUT:
            self.note(_(LEFT_OUT[name]))
            return value
        raise Untranslatable(_("n8n has no formatter “{name}”").format(name=name))

    def literal(self, node: nodes.Node, name: str) -> Any:
        if isinstance(node, nodes.Const):
            return node.value
        raise Untranslatable(_("the formatter “{name}” has settings n8n cannot take").format(
            name=name))


