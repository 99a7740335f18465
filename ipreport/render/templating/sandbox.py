"""The Jinja sandbox report templates run in: no escapes (Jinja's sandbox) and bounded time and memory.

Jinja's SandboxedEnvironment already refuses private and dunder attributes, unsafe callables and
ranges above 100,000 items. A template can still ask for a ten-gigabyte string ('x' * 10**10), a
number with a billion digits (10**10**9), or loops nested until the heat death of the universe, so
this environment also bounds every operation that can grow a value, the iterations of every loop
and the total work of all renders made with it. The limits sit far above any real report (a full
report is under a megabyte and a few thousand loop steps) and far below what hurts a machine.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

from ipreport.util.input_files import note_input

# The longest text (or the most items) one expression may produce.
MAX_SIZE = 5_000_000
# The widest field a format string or a padding method may ask for.
MAX_WIDTH = 10_000
# The most loop iterations, summed over all renders of one environment.
MAX_LOOP_STEPS = 1_000_000
# The most characters all checked operations of one environment may produce together.
MAX_WORK = 100_000_000
# The largest integer power or product, in bits (10**3000 is about 10,000 bits).
MAX_POWER_BITS = 10_000
# The longest text given to a filter whose work grows faster than its input: wordwrap breaks a long
# word by slicing it again and again (400,000 characters at width 1 took 8 s, 4 MB would take
# minutes) and urlize runs several patterns per word. A report sentence is a few hundred characters.
MAX_SLOW_FILTER_INPUT = 100_000
_SLOW_FILTERS = ("wordwrap", "urlize")

# Globals Jinja adds that a report has no use for; lipsum is also a favourite injection foothold.
_DROPPED_GLOBALS = ("lipsum",)
# "%-10.3f" style conversion specifiers: flags, width, precision.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_STEPS_FILTER = "_ipreport_steps"
_SIZE_FILTER = "_ipreport_size"


def size_of(value: object, limit: int = MAX_SIZE) -> int:
    """Characters (or items) ``value`` holds, nested containers included; stops counting past ``limit``.

    Every printed value and filter result is measured, a report's rows many times over: the common
    leaves (texts, numbers, None) are told by their exact type before any isinstance test, and
    counted in the loop rather than by a call each.
    """
    kind = type(value)
    if kind is str:
        return len(value)  # type: ignore[arg-type]
    if kind in _LEAVES:
        return 1
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        # Each (key, value) of items() counts as the tuple it is: two items and what they hold,
        # with the same stops past the limit; only without building the tuples.
        total = len(value)
        for key, item in value.items():
            if total > limit:
                break
            pair_limit = limit - total
            pair = 2
            if pair <= pair_limit:
                pair += len(key) if type(key) is str else size_of(key, pair_limit - pair)
                if pair <= pair_limit:
                    item_kind = type(item)
                    if item_kind is str:
                        pair += len(item)
                    elif item_kind in _LEAVES:
                        pair += 1
                    else:
                        pair += size_of(item, pair_limit - pair)
            total += pair
        return total
    if isinstance(value, list | tuple | set | frozenset):
        total = len(value)
        for item in value:
            if total > limit:
                break
            item_kind = type(item)
            if item_kind is str:
                total += len(item)
            elif item_kind in _LEAVES:
                total += 1
            else:
                total += size_of(item, limit - total)
        return total
    return 1


# Types that hold no text or items: one unit each, as any value that is neither text nor a container.
_LEAVES = frozenset({int, float, bool, type(None), Decimal})


def _refuse(what: str) -> SecurityError:
    return SecurityError(f"{what} (a report template may build at most {MAX_SIZE:,} characters at once)")


def _check_size(value: object, what: str = "the result") -> None:
    if size_of(value) > MAX_SIZE:
        raise _refuse(f"{what} is too large")


def _check_count(number: object, what: str) -> None:
    if isinstance(number, int) and not isinstance(number, bool) and abs(number) > MAX_SIZE:
        raise _refuse(f"{what} {number:,} is too large")


def _format_widths(fmt: str) -> int:
    """The sum of the field widths and precisions a str.format string asks for; refuses nested fields."""
    total = 0
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return 0  # str.format will raise its own, clear, error
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError("a format field whose width comes from another field is not allowed")
        for number in re.findall(r"\d+", spec):
            width = int(number)
            if width > MAX_WIDTH:
                raise SecurityError(f"a format width of {width:,} is too large (at most {MAX_WIDTH:,})")
            total += width
    return total


def _percent_widths(fmt: str) -> int:
    """The same for "%10s" % x formatting; widths taken from the arguments (%*d) are refused."""
    total = 0
    for match in _PERCENT_SPEC.finditer(fmt):
        for group in match.groups():
            if group == "*":
                raise SecurityError("a %-format width taken from the arguments (%*d) is not allowed")
            if group is not None:
                width = int(group)
                if width > MAX_WIDTH:
                    raise SecurityError(f"a format width of {width:,} is too large (at most {MAX_WIDTH:,})")
                total += width
    return total


def _check_text_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a str method call whose result would be too large, before it is computed."""
    text = getattr(obj, "__self__", None)
    if not isinstance(text, str):
        return
    name = getattr(obj, "__name__", "")
    if name in ("ljust", "rjust", "center", "zfill"):
        for number in [*args, *kwargs.values()]:
            _check_count(number, f"the {name} width")
    elif name == "expandtabs":
        tabsize = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(tabsize, int) and len(text) * max(tabsize, 1) > MAX_SIZE:
            raise _refuse("expandtabs would make a text that is too large")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        _check_replace(text, args[0], args[1], args[2] if len(args) > 2 else -1)
    elif name == "join" and args:
        _check_size(args[0], "the text to join")


def _check_replace(text: str, old: str, new: str, count: int = -1) -> None:
    hits = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    if len(text) + hits * max(len(new) - len(old), 0) > MAX_SIZE:
        raise _refuse("replace would make a text that is too large")


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter with its size-growing arguments checked first and its result checked after."""

    @functools.wraps(func)  # keeps Jinja's pass_context/pass_environment marks
    def checked(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not isinstance(a, jinja2.runtime.Context | jinja2.nodes.EvalContext
                                                    | jinja2.Environment)]
        if values:
            _check_filter_input(name, values, kwargs)
        result = func(*args, **kwargs)
        _check_size(result, f"the result of the {name} filter")
        return result

    return checked


def _check_filter_input(name: str, values: list[Any], kwargs: dict[str, Any]) -> None:
    value = values[0]
    if name == "join":
        _check_size(value, "the list to join")
    elif name == "replace" and isinstance(value, str) and len(values) >= 3:
        _check_replace(value, str(values[1]), str(values[2]))
    elif name == "format" and isinstance(value, str):
        if _percent_widths(value) + len(value) > MAX_SIZE:
            raise _refuse("the formatted text would be too large")
    elif name == "sum" and isinstance(value, list | tuple) and any(
        isinstance(v, list | tuple) for v in value
    ):
        # Adding lists one by one copies the growing total each time.
        if size_of(value) * len(value) > MAX_WORK:
            raise _refuse("summing these lists takes too long")
    elif name in _SLOW_FILTERS and isinstance(value, str) and len(value) > MAX_SLOW_FILTER_INPUT:
        raise SecurityError(
            f"the {name} filter takes at most {MAX_SLOW_FILTER_INPUT:,} characters, found {len(value):,}"
        )
    elif name in ("center", "indent") and isinstance(value, str):
        width = values[1] if len(values) > 1 else kwargs.get("width", 80)
        lines = value.count("\n") + 1 if name == "indent" else 1
        if isinstance(width, int) and (width > MAX_WIDTH or len(value) + lines * width > MAX_SIZE):
            raise _refuse(f"the {name} filter would make a text that is too large (width {width:,})")


class ReportSandbox(SandboxedEnvironment):
    """Jinja's sandbox with bounds on size, loops and total work, counted per environment."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("finalize", self._printed)
        super().__init__(*args, **kwargs)
        # Applied to every printed string (Markdown templates escape their values with it).
        self.escape_printed: Callable[[str], str] | None = None
        self.loop_steps = 0
        self.work = 0
        for name in _DROPPED_GLOBALS:
            self.globals.pop(name, None)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters[_STEPS_FILTER] = self._count_steps
        self.filters[_SIZE_FILTER] = self._charged

    def _charge(self, value: object) -> None:
        size = size_of(value)
        if size > MAX_SIZE:
            raise _refuse("a value is too large")
        self.work += size
        if self.work > MAX_WORK:
            raise SecurityError(f"the templates produced more than {MAX_WORK:,} characters in all")

    def _charged(self, value: object) -> object:
        """``value`` itself, once charged: every printed value, and every ~ concatenation."""
        self._charge(value)
        return value

    def _printed(self, value: object) -> object:
        """Every ``{{ value }}``: charged, and escaped when the output format asks for it."""
        self._charge(value)
        if self.escape_printed is not None and isinstance(value, str) and not hasattr(value, "__html__"):
            return self.escape_printed(value)
        return value

    def _count_steps(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.loop_steps += 1
            if self.loop_steps > MAX_LOOP_STEPS:
                raise SecurityError(f"the templates ran more than {MAX_LOOP_STEPS:,} loop steps")
            yield item

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            _check_product(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            if _percent_widths(left) + len(left) > MAX_SIZE:
                raise _refuse("the formatted text would be too large")
        result = super().call_binop(context, operator, left, right)
        self._charge(result)
        return result

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_text_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        __self._charge(result)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's sandboxed str.format, refused up front when its fields ask for huge widths."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            text = value.__self__
            if _format_widths(text) + len(text) > MAX_SIZE:
                raise _refuse("the formatted text would be too large")
        return wrapped

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse, then put the loop and size guards into the tree before it is compiled."""
        tree = super()._parse(source, name, filename)
        return _Guards(name, filename).visit(tree)  # type: ignore[no-any-return]


class _Guards(NodeTransformer):
    """Routes every loop through the step counter and every ~ concatenation through the size check."""

    def __init__(self, name: str | None, filename: str | None) -> None:
        self.name = name
        self.filename = filename

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 - Jinja's visitor naming
        if node.recursive:
            raise jinja2.TemplateSyntaxError(
                "recursive loops are not allowed in report templates", node.lineno, self.name, self.filename
            )
        self.generic_visit(node)  # changes the children in place
        node.iter = nodes.Filter(node.iter, _STEPS_FILTER, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return nodes.Filter(node, _SIZE_FILTER, [], [], None, None, lineno=node.lineno)


def _check_repeat(sequence: Any, times: Any) -> None:
    if isinstance(sequence, str | bytes | list | tuple) and isinstance(times, int):
        if times > 0 and size_of(sequence) * times > MAX_SIZE:
            raise _refuse(f"repeating a value {times:,} times makes it too large")


def _check_product(left: Any, right: Any) -> None:
    """Refuse multiplying big integers: a namespace() value squared in a loop doubles its size each time."""
    if isinstance(left, int) and isinstance(right, int):
        bits = abs(left).bit_length() + abs(right).bit_length()
        if bits > MAX_POWER_BITS:
            raise SecurityError(f"a product of about {bits:,} bits is too large (at most {MAX_POWER_BITS:,})")


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        if exponent * math.log2(abs(base)) > MAX_POWER_BITS:
            raise SecurityError(f"the number {base}**{exponent} is too large")


class ConfinedLoader(jinja2.FileSystemLoader):
    """A file loader that, like Jinja's, refuses "..", and also any file that resolves outside its folders."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        resolved = Path(filename).resolve()
        folders = [Path(folder).resolve() for folder in self.searchpath]
        if not any(resolved.is_relative_to(folder) for folder in folders):
            raise jinja2.TemplateNotFound(template, f"{template} lies outside the template folders")
        note_input(filename)  # an included file is an input too: no output may replace it
        return source, filename, uptodate
