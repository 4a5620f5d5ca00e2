"""Checks of a template before it is compiled: its length, its nesting, its constants.

Nothing is evaluated: `check_constants` walks the parsed template and prices
every operation on constants with the estimates the filling-in uses, so
`{{ 'a' * 200000000 }}` or `{{ 9**(9**8) }}` is a problem of its rule at load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.lexer import (
    TOKEN_LBRACE,
    TOKEN_LBRACKET,
    TOKEN_LPAREN,
    TOKEN_RBRACE,
    TOKEN_RBRACKET,
    TOKEN_RPAREN,
    Token,
)

from bellhop.core.i18n import _
from bellhop.core.templating.limits import MAX_VALUE, LimitBroken, charge
from bellhop.core.templating.prices import (
    FILTER_SIZES,
    binop_size,
    concat_size,
    joined_size,
    method_size,
    text_prices,
)

MAX_SOURCE = 100_000  # characters in one template
MAX_TAGS = 2_000  # {{ }} and {% %} in one template
MAX_TOKENS = 6_000  # names, numbers and signs in one template: about 0.25 s to check
MAX_NESTING = 40  # brackets, filters and blocks inside one another
MAX_LOOP_NESTING = 15  # Python refuses more than 20 nested blocks


def source_problem(source: str) -> str | None:
    """A plain description when `source` is too long to check, else None."""
    if len(source) > MAX_SOURCE:
        return _("This template is too long: {size} characters (at most {limit}).").format(
            size=f"{len(source):,}", limit=f"{MAX_SOURCE:,}")
    tags = source.count("{{") + source.count("{%")
    if tags > MAX_TAGS:
        return _("This template has too many places to fill in: {count} (at most {limit}).").format(
            count=f"{tags:,}", limit=f"{MAX_TAGS:,}")
    return None


def nesting_problem() -> str:
    """The plain description of a template nested too deeply."""
    return _("This template has too many brackets, filters or blocks inside one another "
             "(at most {limit}).").format(
        limit=MAX_NESTING)


def _too_deep(lineno: int | None) -> LimitBroken:
    broken = LimitBroken(nesting_problem())
    broken.lineno = lineno  # type: ignore[attr-defined]
    return broken


def check_tokens(tokens: Iterable[Token]) -> Iterator[Token]:
    """The tokens of a template, LimitBroken as soon as there are more than MAX_TOKENS or
    brackets nest past MAX_NESTING.

    Counted before parsing: checking costs about 40 µs a token, and parsing recurses, so
    deeper brackets would end in a RecursionError at a depth that depends on the caller."""
    depth = 0
    for count, token in enumerate(tokens):
        if count > MAX_TOKENS:
            broken = LimitBroken(_("This template has too much in its fields and blocks (more than "
                                   "{limit} words and signs). "
                                   "Split it into smaller "
                                   "templates.").format(
                limit=f"{MAX_TOKENS:,}"))
            broken.lineno = token.lineno  # type: ignore[attr-defined]
            raise broken
        if token.type in _OPENING:
            depth += 1
            if depth > MAX_NESTING:
                raise _too_deep(token.lineno)
        elif token.type in _CLOSING:
            depth -= 1
        yield token


_OPENING = frozenset([TOKEN_LPAREN, TOKEN_LBRACKET, TOKEN_LBRACE])
_CLOSING = frozenset([TOKEN_RPAREN, TOKEN_RBRACKET, TOKEN_RBRACE])


def check_nesting(tree: nodes.Node) -> None:
    """LimitBroken when `tree` is nested deeper than Python can compile it safely."""
    stack = [(tree, 0, 0)]
    while stack:
        node, depth, loops = stack.pop()
        if depth > MAX_NESTING or loops > MAX_LOOP_NESTING:
            raise _too_deep(getattr(node, "lineno", None))
        for child in node.iter_child_nodes():
            stack.append((child, depth + 1, loops + isinstance(child, nodes.For)))


_UNKNOWN = object()
_SMALL = 10_000  # constants up to this size are computed while checking, larger ones only priced
_FOLDED_OPERATORS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b,
                     "*": lambda a, b: a * b, "/": lambda a, b: a / b,
                     "//": lambda a, b: a // b, "%": lambda a, b: a % b,
                     "**": lambda a, b: a ** b}


def check_constants(tree: nodes.Node) -> None:
    """LimitBroken (with the line) when an operation on constants would break a limit."""
    _fold(tree)


class _Method:
    """`'text'.center` in `'text'.center(9)`: known only to the call around it."""

    __slots__ = ("name", "owner")

    def __init__(self, owner: Any, name: str) -> None:
        self.owner = owner
        self.name = name


def _fold(node: nodes.Node) -> Any:
    """The value of a constant expression when it is small, else _UNKNOWN; prices every step."""
    if isinstance(node, nodes.Const):
        return node.value
    values = {id(child): _fold(child) for child in node.iter_child_nodes()}

    def value(child: nodes.Node | None) -> Any:
        found = None if child is None else values.get(id(child), _UNKNOWN)
        return _UNKNOWN if isinstance(found, _Method) else found

    def methods(child: nodes.Node) -> Any:
        return values.get(id(child), _UNKNOWN)

    try:
        return _fold_node(node, value, methods)
    except LimitBroken as broken:
        if getattr(broken, "lineno", None) is None:
            broken.lineno = node.lineno  # type: ignore[attr-defined]
        raise
    except Exception:  # a price of arguments the filter will refuse itself when filled in
        return _UNKNOWN


def _fold_node(node: nodes.Node, value: Callable[[nodes.Node | None], Any],
               methods: Callable[[nodes.Node], Any]) -> Any:
    if isinstance(node, nodes.Keyword):
        return value(node.value)
    if isinstance(node, nodes.Getattr):
        owner = value(node.node)
        known = isinstance(owner, str | int) and not node.attr.startswith("_")
        return _Method(owner, node.attr) if known else _UNKNOWN
    if isinstance(node, nodes.List | nodes.Tuple):
        items = [value(item) for item in node.items]
        if _UNKNOWN in items or len(items) > _SMALL:
            return _UNKNOWN
        return items if isinstance(node, nodes.List) else tuple(items)
    if isinstance(node, nodes.Neg | nodes.Pos):
        operand = value(node.node)
        if isinstance(operand, int | float):
            return -operand if isinstance(node, nodes.Neg) else operand
        return _UNKNOWN
    if isinstance(node, nodes.BinExpr) and node.operator in _FOLDED_OPERATORS:
        left, right = value(node.left), value(node.right)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        size = binop_size(node.operator, left, right)
        charge(size)
        if size > _SMALL:
            return _UNKNOWN
        return _computed(lambda: _FOLDED_OPERATORS[node.operator](left, right))
    if isinstance(node, nodes.Concat):
        parts = [value(part) for part in node.nodes]
        if _UNKNOWN in parts:
            return _UNKNOWN
        size = concat_size(parts)
        charge(size)
        return _computed(lambda: "".join(map(str, parts))) if size <= _SMALL else _UNKNOWN
    if isinstance(node, nodes.Filter) and node.node is not None:
        args = [value(arg) for arg in node.args]
        kwargs = {keyword.key: value(keyword) for keyword in node.kwargs}
        subject = value(node.node)
        if _UNKNOWN not in (subject, *args, *kwargs.values()) and node.dyn_args is None \
                and node.dyn_kwargs is None:
            if node.name == "join":
                charge(joined_size(subject, args[0] if args else kwargs.get("d", "")))
            else:
                price = FILTER_SIZES.get(node.name, text_prices)
                if price is not None:
                    charge(price(subject, *args, **kwargs))
        return _UNKNOWN
    if isinstance(node, nodes.Call):
        method = methods(node.node)
        args = [value(arg) for arg in node.args]
        kwargs = {keyword.key: value(keyword) for keyword in node.kwargs}
        if isinstance(method, _Method) and _UNKNOWN not in (*args, *kwargs.values()):
            bound = getattr(method.owner, method.name, None)
            if method.name == "join" and isinstance(method.owner, str) and len(args) == 1:
                charge(joined_size(args[0], method.owner))
            elif bound is not None:
                charge(method_size(bound, tuple(args), kwargs))
        return _UNKNOWN
    return _UNKNOWN


def _computed(work: Callable[[], Any]) -> Any:
    try:
        result = work()
    except Exception:  # 1/0 and the like: said when the template is filled in
        return _UNKNOWN
    if isinstance(result, str | bytes | list | tuple) and len(result) > MAX_VALUE:
        return _UNKNOWN
    return result
