"""The fix of a layer argument, written the way the user wrote it.

``nn.Linear(16 * 13 * 13, 128)`` receiving a flattened ``16 × 14 × 14`` becomes ``nn.Linear(16 * 14 * 14, 128)``
(a product of literals keeps its order and spacing: ``14 * 14 * 16`` stays height, width, channels); any
other expression becomes the number itself. The fix is a text edit of the argument's range (1-based lines and
columns, end exclusive), which editors and bots apply as is.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from math import prod

from nncalc.errors import Location
from nncalc.pyparse import parse


@dataclass(frozen=True)
class Span:
    """A range of the file: 1-based line and column of the start, and of the end (exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Fix:
    """Replace ``span`` (the argument as written) with ``text``; ``call`` is the whole corrected call."""

    span: Span
    text: str
    call: str
    call_span: Span


class SourceFile:
    """A model file's text and syntax tree, parsed once for all its fixes."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.splitlines(keepends=True)
        try:
            self.tree: ast.AST | None = parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.tree = None

    def call_at(self, location: Location | None, type_name: str) -> ast.Call | None:
        """The call that built a layer: the one starting at ``location``, else one of ``type_name`` on its line."""
        if self.tree is None or location is None:
            return None
        on_line = [n for n in ast.walk(self.tree) if isinstance(n, ast.Call) and n.lineno == location.line]
        for node in on_line:
            if node.col_offset == location.col:
                return node
        named = [n for n in on_line if _callee_name(n.func) == type_name]
        return named[0] if len(named) == 1 else None

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or ""

    def span(self, node: ast.AST) -> Span:
        """The node's range with columns counted in characters, 1-based."""
        return Span(node.lineno, self._column(node.lineno, node.col_offset) + 1, node.end_lineno,
                    self._column(node.end_lineno, node.end_col_offset) + 1)

    def _column(self, line: int, byte_offset: int) -> int:
        """``ast`` counts columns in UTF-8 bytes; editors count characters."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def _callee_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def argument_fix(source: SourceFile, call: ast.Call, layer_class: type, argument: str, value: int,
                 factors: tuple | None = None) -> Fix | None:
    """The edit that gives ``argument`` of ``call`` the value ``value`` (``factors``: how it was formed)."""
    node = _argument_node(call, layer_class, argument)
    if node is None:
        return None
    text = styled(node, source.segment(node), value, factors)
    start, end = source.span(call), source.span(node)
    written = source.segment(call)
    lines = written.split("\n")
    # the argument's place inside the call's own text
    row = end.line - start.line
    col = end.column - (start.column if row == 0 else 1)
    end_row = end.end_line - start.line
    end_col = end.end_column - (start.column if end_row == 0 else 1)
    before = "\n".join(lines[:row] + [lines[row][:col]])
    after = "\n".join([lines[end_row][end_col:]] + lines[end_row + 1:])
    return Fix(span=end, text=text, call=before + text + after, call_span=start)


def _argument_node(call: ast.Call, layer_class: type, argument: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == argument:
            return keyword.value
    try:
        names = list(inspect.signature(layer_class.__init__).parameters)[1:]
    except (TypeError, ValueError):
        return None
    if argument in names:
        index = names.index(argument)
        if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
            return call.args[index]
    return None


def styled(node: ast.expr, written: str, value: int, factors: tuple | None) -> str:
    """``value`` in the style of ``written``: a product of literals stays a product of as many literals."""
    literals = product_literals(node)
    if literals and len(literals) > 1 and factors and len(factors) == len(literals) and prod(factors) == value:
        joiner = " * " if " * " in written else "*"
        return joiner.join(str(f) for f in _in_user_order(literals, list(factors)))
    return str(value)


def product_literals(node: ast.expr) -> list[int] | None:
    """``16 * 13 * 13`` → ``[16, 13, 13]``; None for anything that is not a product of int literals."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return [node.value]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = product_literals(node.left), product_literals(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _in_user_order(literals: list[int], factors: list[int]) -> list[int]:
    """Place the new factors where the user's literals were: a literal that is still right keeps its place
    (the channels 16 of ``14 * 14 * 16``), the others take the remaining factors in order."""
    placed: list[int | None] = [None] * len(literals)
    remaining = list(factors)
    for index, literal in enumerate(literals):
        if literal in remaining:
            placed[index] = literal
            remaining.remove(literal)
    for index in range(len(placed)):
        if placed[index] is None:
            placed[index] = remaining.pop(0)
    return placed
