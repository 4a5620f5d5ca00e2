"""Jinja's sandbox with limits: nothing a person wrote runs while a template is
compiled, and filling one in stays within the limits of `template_limits`.

The optimiser is off and the code generator never turns an output into a
constant (Jinja would compute `{{ 9**(9**8) }}` there); parsing runs the checks
of `template_check`. While filling in, every operation that can make something
large is priced first (`template_prices`) and charged: `* ** + %` through
`call_binop`, `~`, slices, every filter, methods through `call`, `str.format`
fields, values written out, and the output a macro or block collects. Every
`{% for %}` checks the clock as well, should the watchdog's exception be lost.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import update_wrapper
from string import Formatter
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.lexer import TokenStream
from jinja2.runtime import Context, Macro
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter
from jinja2.utils import _PassArg
from markupsafe import EscapeFormatter, Markup

from bellhop.core.templating.check import check_constants, check_nesting, check_tokens
from bellhop.core.templating.limits import ITEM, charge, checked_result, item_count, text_size
from bellhop.core.templating.prices import (
    FILTER_SIZES,
    LINEAR_ITEMS,
    LINEAR_TEXT,
    binop_size,
    concat_size,
    format_field_size,
    joined_size,
    method_size,
    text_prices,
)
from bellhop.core.templating.watchdog import check_time

LOOP_FILTER = "bellhop_loop"  # wraps what every {% for %} walks over
SMALL = 4096  # characters: a result this small is not counted (it cannot pile up unseen)


def _listed(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return value
    try:
        items = list(value)
    except TypeError:
        return value  # not a list of anything: the filter says so
    charge(ITEM * len(items))
    return items


def _bound_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` priced before it runs (and measured after, when the price is a guess)."""
    if name == "join":
        return _bound_join(func)
    if name == "sum":
        return _bound_sum(func)
    price = FILTER_SIZES.get(name, text_prices)
    if price is None:
        return func
    passes = hasattr(func, "jinja_pass_arg")
    if price is not text_prices:  # an upper bound: nothing to measure after
        if passes:
            def priced_with(passed: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
                charge(price(value, *args, **kwargs))
                return func(passed, value, *args, **kwargs)

            return update_wrapper(priced_with, func)

        def priced(value: Any, *args: Any, **kwargs: Any) -> Any:
            charge(price(value, *args, **kwargs))
            return func(value, *args, **kwargs)

        return update_wrapper(priced, func)

    # Text filters may escape or widen what they are given: measured after, too.
    if passes:
        def measured_with(passed: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
            charge(text_prices(value, *args, **kwargs))
            return checked_result(func(passed, value, *args, **kwargs))

        return update_wrapper(measured_with, func)

    def measured(value: Any, *args: Any, **kwargs: Any) -> Any:
        charge(text_prices(value, *args, **kwargs))
        return checked_result(func(value, *args, **kwargs))

    return update_wrapper(measured, func)


def _bound_join(func: Callable[..., Any]) -> Callable[..., Any]:
    def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
        if not isinstance(value, (list, tuple)):
            value = _listed(value)
        size = joined_size(value, d)
        if size > SMALL:
            charge(size)
        return func(eval_ctx, value, d, attribute)

    return update_wrapper(join, func)


def _bound_sum(func: Callable[..., Any]) -> Callable[..., Any]:
    def total(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
        iterable = _listed(iterable)
        if isinstance(start, (list, tuple)) and isinstance(iterable, (list, tuple)):
            charge(ITEM * (len(start) + sum(item_count(v) for v in iterable)))
        return func(environment, iterable, attribute, start)

    return update_wrapper(total, func)


def _loop_items(items: Any) -> Any:
    """What a {% for %} walks over, checked for time now and every 256 items."""
    check_time()
    if isinstance(items, (list, tuple, dict, str, range)) and len(items) <= 256:
        return items
    return _timed(items)


def _timed(items: Iterable[Any]) -> Iterator[Any]:
    for index, item in enumerate(items):
        if not index & 255:
            check_time()
        yield item


class _Buffer(list):  # type: ignore[type-arg]
    """The output a macro or {% set %} block collects: each piece is a list slot."""

    __slots__ = ()

    def append(self, piece: Any) -> None:
        charge(ITEM)
        super().append(piece)

    def extend(self, pieces: Iterable[Any]) -> None:
        pieces = list(pieces)
        charge(ITEM * len(pieces))
        super().extend(pieces)


def _joined(pieces: Iterable[Any]) -> str:
    pieces = list(pieces)
    charge(concat_size(pieces))
    return "".join(pieces)


def _measured(value: Any) -> Any:
    """What a filter made, charged once made (for filters whose result follows their input)."""
    if isinstance(value, (str, bytes)):
        charge(len(value))
    elif isinstance(value, (list, tuple, dict)):
        charge(ITEM * len(value))
    return value


def checked_output(value: Any) -> Any:
    """A value about to be written out as text, once its text is known to be within limits."""
    if type(value) not in _SHORT:  # a number's text is short: Python refuses over 4,300 digits
        charge(text_size(value))
    return value


_SHORT = frozenset([int, float, bool, type(None)])


# -- code generation ---------------------------------------------------------------------

class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator that evaluates nothing while compiling and checks `~` and slices."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()  # computed while filling in, within the limits
        return super()._output_child_to_const(node, frame, finalize)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            self.write("environment.checked_output(")
        else:  # a text goes out as it is; anything else is measured first
            self.write("(_out if (_out := ")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or frame.eval_ctx.autoescape:
            self.write(")")
            super()._output_child_post(node, frame, finalize)
        else:
            self.write(").__class__ is str else str(environment.checked_output(_out)))")

    def visit_Filter(self, node: nodes.Filter, frame: Frame) -> None:
        linear_text = node.name in LINEAR_TEXT
        if not (linear_text or node.name in LINEAR_ITEMS) or node.node is None or (
                node.dyn_args or node.dyn_kwargs or not all(
                    isinstance(arg, nodes.Const)
                    for arg in (*node.args, *(keyword.value for keyword in node.kwargs)))):
            super().visit_Filter(node, frame)  # the priced wrapper
            return
        # Inline, as the wrapper costs more than many filters: a value that is not text is
        # measured before a text filter turns it into text; the result is measured after.
        raw = self.environment.raw_filters[node.name]  # type: ignore[attr-defined]
        passed = {_PassArg.context: "context, ", _PassArg.eval_context: "context.eval_ctx, ",
                  _PassArg.environment: "environment, "}.get(_PassArg.from_obj(raw), "")
        self.write(f"(_made if (_made := environment.raw_filters[{node.name!r}]({passed}")
        if linear_text:
            self.write("(_given if (_given := ")
            self.visit(node.node, frame)
            self.write(").__class__ is str else environment.checked_text(_given))")
        else:
            self.visit(node.node, frame)
        self.signature(node, frame)
        self.write(f")).__class__ is str and len(_made) < {SMALL} "
                   "else environment.measured(_made))")

    def visit_EvalContextModifier(self, node: nodes.EvalContextModifier, frame: Frame) -> None:
        for keyword in node.options:  # as Jinja's, but only a literal is read while compiling
            self.writeline(f"context.eval_ctx.{keyword.key} = ")
            self.visit(keyword.value, frame)
            if isinstance(keyword.value, nodes.Const):
                setattr(frame.eval_ctx, keyword.key, keyword.value.value)
            else:
                frame.eval_ctx.volatile = True

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.concat_checked({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        if not isinstance(node.arg, nodes.Slice):
            super().visit_Getitem(node, frame)
            return
        self.write("environment.getslice(")
        self.visit(node.node, frame)
        self.write(", slice(")
        for index, part in enumerate((node.arg.start, node.arg.stop, node.arg.step)):
            self.write(", " if index else "")
            if part is None:
                self.write("None")
            else:
                self.visit(part, frame)
        self.write("))")

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.new_buffer()")


class _BoundedFormatter(SandboxedFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        charge(format_field_size(value, format_spec))
        return super().format_field(value, format_spec)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion:
            charge(text_size(value))
        return super().convert_field(value, conversion)


class _BoundedEscapeFormatter(_BoundedFormatter, EscapeFormatter):
    pass


# -- the environment ---------------------------------------------------------------------

class BoundedEnvironment(SandboxedEnvironment):
    """A sandbox in which checking runs nothing and filling in stays within the limits."""

    code_generator_class = BoundedCodeGenerator
    intercepted_binops = frozenset(["*", "**", "+", "%"])  # `//`, `-`, `/` never grow
    concat = staticmethod(_joined)
    checked_output = checked_text = staticmethod(checked_output)
    measured = staticmethod(_measured)
    new_buffer = staticmethod(_Buffer)

    def __init__(self, *args: Any,
                 extra_filters: Mapping[str, Callable[..., Any]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, optimized=False, **kwargs)
        self.globals.pop("lipsum", None)  # placeholder text of any length; no use here
        self.raw_filters = {name: self.raw_filter(name, func) for name, func in
                            {**self.filters, **(extra_filters or {})}.items()}
        self.filters = {name: _bound_filter(name, func) for name, func in self.raw_filters.items()}
        self.filters[LOOP_FILTER] = _loop_items

    def raw_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """The filter called `name` as templates use it (before its price is added)."""
        return func

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        charge(binop_size(operator, left, right))
        return self.binop_table[operator](left, right)

    def concat_checked(self, join: Callable[[Any], str], values: tuple[Any, ...]) -> str:
        """`~`: the texts of `values` joined, once their length is known to be within limits."""
        charge(concat_size(values))
        return join(values)

    def getslice(self, obj: Any, part: slice) -> Any:
        """`obj[a:b:c]`, charged for what it copies."""
        if isinstance(obj, str | bytes | list | tuple):
            try:
                count = len(range(*part.indices(len(obj))))
            except (TypeError, ValueError):
                count = 0  # the slice itself says what is wrong
            charge(count if isinstance(obj, str | bytes) else ITEM * count)
        return obj[part]

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A call from the template: checked as the sandbox does, and priced first."""
        check_time()  # macros calling macros need no loop to run long
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"{__obj!r} is not safely callable")
        owner = getattr(__obj, "__self__", None)
        if (isinstance(owner, str | bytes) and getattr(__obj, "__name__", "") == "join"
                and len(args) == 1 and not kwargs):
            args = (_listed(args[0]),)
            charge(joined_size(args[0], owner))
        else:
            if __obj is dict or getattr(__obj, "__name__", "") in ("update", "fromkeys"):
                args = tuple(_listed(arg) for arg in args)  # counted as the table they make
            price = method_size(__obj, args, kwargs)
            if not price and not isinstance(__obj, Macro):  # makes no more than it is given
                return _measured(__context.call(__obj, *args, **kwargs))
            charge(price)
        return checked_result(__context.call(__obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`'…'.format(…)` through a formatter that prices every field (widths included)."""
        if not isinstance(value, types.MethodType | types.BuiltinMethodType) or (
                value.__name__ not in ("format", "format_map")):
            return None
        owner: Any = value.__self__
        if not isinstance(owner, str):
            return None
        formatter: Formatter
        if isinstance(owner, Markup):
            formatter = _BoundedEscapeFormatter(self, escape=owner.escape)
        else:
            formatter = _BoundedFormatter(self)
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            return type(owner)(formatter.vformat(owner, args, kwargs))

        return update_wrapper(wrapper, value)

    def _tokenize(self, source: str, name: str | None, filename: str | None = None,
                  state: str | None = None) -> TokenStream:
        stream = super()._tokenize(source, name, filename, state)
        return TokenStream(check_tokens(stream), name, filename)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        check_nesting(tree)
        check_constants(tree)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None,
                                     lineno=loop.lineno)
        return tree


