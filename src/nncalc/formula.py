"""Formulas that show their work.

A formula is a small expression tree over named quantities (``k_h``, ``C_in``, ``filters``) and constants.
The same tree renders as symbols, as substituted numbers, step by step down to its value, and as LaTeX, so the
seed's hand calculation ``(3 × 3 × 3 + 1) × 8 = (27 + 1) × 8 = 28 × 8 = 224`` is generated, not written.

Build formulas with :func:`sym`, :func:`num` and the operators ``+ - * //`` plus :func:`ceil_div`::

    f = (sym("k_h", 3) * sym("k_w", 3) * sym("C_in", 3) + 1) * sym("filters", 8)
    f.symbols()  # '(k_h × k_w × C_in + 1) × filters'
    f.steps()    # ['(3 × 3 × 3 + 1) × 8', '(27 + 1) × 8', '28 × 8', '224']
"""

from __future__ import annotations

from nncalc.records import dataclass

Operand = "Expr | int"  # a type alias for annotations (typing.Union would cost an import)

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "//": 3, "cdiv": 3}
_TEXT_OP = {"+": " + ", "-": " − ", "*": " × ", "/": " / "}
_LATEX_OP = {"+": " + ", "-": " - ", "*": " \\times ", "/": " / "}


class Expr:
    """Base of formula nodes; supports ``+``, ``-``, ``*`` and ``//`` with other nodes and ints."""

    __slots__ = ()

    def __add__(self, other: Operand) -> "Expr":
        return _op("+", self, other)

    def __radd__(self, other: Operand) -> "Expr":
        return _op("+", other, self)

    def __sub__(self, other: Operand) -> "Expr":
        return _op("-", self, other)

    def __rsub__(self, other: Operand) -> "Expr":
        return _op("-", other, self)

    def __mul__(self, other: Operand) -> "Expr":
        return _op("*", self, other)

    def __rmul__(self, other: Operand) -> "Expr":
        return _op("*", other, self)

    def __floordiv__(self, other: Operand) -> "Expr":
        return _op("//", self, other)

    @property
    def value(self) -> int | None:
        """The number the formula evaluates to, or None when a quantity is unknown."""
        raise NotImplementedError

    def symbols(self) -> str:
        """The formula in named quantities: ``(k_h × k_w × C_in + 1) × filters``."""
        return self._text(lambda leaf: leaf.name)

    def numbers(self) -> str:
        """The formula with every quantity replaced by its number: ``(3 × 3 × 3 + 1) × 8``."""
        return self._text(lambda leaf: _fmt(leaf.value, leaf.name))

    def steps(self) -> list[str]:
        """The substituted formula, then one line per reduction of the innermost operations, then the value."""
        return [node.numbers() for node in self._reductions()]

    def worked(self) -> str:
        """One line: symbols, then the steps joined with ``=``."""
        return " = ".join(_distinct([self.symbols()] + self.steps()))

    def latex_worked(self) -> list[str]:
        """The LaTeX of the symbols, then of each step, a step equal to the one before left out (a flatten's
        ``14 × 14 × 16`` is not written twice)."""
        return _distinct([self.latex()] + self.latex_steps())

    def latex(self, numbers: bool = False) -> str:
        """LaTeX of the symbols (or of the substituted numbers)."""
        if numbers:
            return self._latex(lambda leaf: _fmt(leaf.value, leaf.name).replace(",", "{,}"))
        return self._latex(lambda leaf: latex_name(leaf.name))

    def latex_steps(self) -> list[str]:
        """LaTeX of each step of :meth:`steps`."""
        return [node.latex(numbers=True) for node in self._reductions()]

    def _reductions(self) -> list["Expr"]:
        """The formula with its quantities substituted, then after each reduction, down to its value (or to
        where an unknown quantity, like a sequence length of ``None``, stops it)."""
        node: Expr = _substitute(self)
        nodes = [node]
        while isinstance(node, Op):
            node = _reduce_innermost(node)
            if node is nodes[-1]:
                break
            nodes.append(node)
        return nodes

    def _text(self, leaf_text) -> str:
        raise NotImplementedError

    def _latex(self, leaf_text) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.worked()


@dataclass(frozen=True, eq=False)
class Sym(Expr):
    """A named quantity with its number (None when unknown, like a batch of ``None``)."""

    name: str
    number: int | None

    @property
    def value(self) -> int | None:
        return self.number

    def _text(self, leaf_text) -> str:
        return leaf_text(self)

    def _latex(self, leaf_text) -> str:
        return leaf_text(self)


@dataclass(frozen=True, eq=False)
class Num(Expr):
    """A constant that is part of the formula itself, like the ``1`` of a bias."""

    number: int

    @property
    def name(self) -> str:
        return str(self.number)

    @property
    def value(self) -> int:
        return self.number

    def _text(self, leaf_text) -> str:
        return _fmt(self.number, "")

    def _latex(self, leaf_text) -> str:
        return _fmt(self.number, "").replace(",", "{,}")


@dataclass(frozen=True, eq=False)
class Op(Expr):
    """An operation: ``+``, ``-``, ``*`` (n-ary), ``/`` (exact division), ``//`` (floor division) or ``cdiv``
    (ceiling division)."""

    op: str
    args: tuple[Expr, ...]

    @property
    def value(self) -> int | None:
        values = [a.value for a in self.args]
        if any(v is None for v in values):
            return None
        return _apply(self.op, values)

    def _text(self, leaf_text) -> str:
        if self.op in ("//", "cdiv"):
            left, right = (_wrap_text(a, leaf_text, 3) for a in self.args)
            open_, close = ("⌊", "⌋") if self.op == "//" else ("⌈", "⌉")
            return f"{open_}{left} / {right}{close}"
        prec = _PRECEDENCE[self.op]
        parts = []
        for i, arg in enumerate(self.args):
            tighter = prec + (1 if self.op in ("-", "/") and i > 0 else 0)
            parts.append(_wrap_text(arg, leaf_text, tighter))
        return _TEXT_OP[self.op].join(parts)

    def _latex(self, leaf_text) -> str:
        if self.op in ("//", "cdiv"):
            left, right = (a._latex(leaf_text) for a in self.args)
            open_, close = ("\\lfloor", "\\rfloor") if self.op == "//" else ("\\lceil", "\\rceil")
            return f"{open_} \\frac{{{left}}}{{{right}}} {close}"
        prec = _PRECEDENCE[self.op]
        parts = []
        for i, arg in enumerate(self.args):
            tighter = prec + (1 if self.op in ("-", "/") and i > 0 else 0)
            inner = arg._latex(leaf_text)
            if isinstance(arg, Op) and _PRECEDENCE[arg.op] < tighter:
                inner = f"\\left({inner}\\right)"
            parts.append(inner)
        return _LATEX_OP[self.op].join(parts)


def sym(name: str, value: int | None) -> Sym:
    """A named quantity."""
    return Sym(name, value)


def num(value: int) -> Num:
    """A constant."""
    return Num(value)


def exact_div(a: Operand, b: Operand) -> Expr:
    """``a / b`` where b divides a (like ``C_in / groups``)."""
    return _op("/", a, b)


def ceil_div(a: Operand, b: Operand) -> Expr:
    """``⌈a / b⌉``."""
    return _op("cdiv", a, b)


def product(factors: list[Operand]) -> Expr:
    """The product of the factors as one n-ary ``×`` (a single factor stands alone)."""
    nodes = [_as_expr(f) for f in factors]
    if not nodes:
        return Num(1)
    if len(nodes) == 1:
        return nodes[0]
    return Op("*", tuple(nodes))


def total(terms: list[Operand]) -> Expr:
    """The sum of the terms as one n-ary ``+``."""
    nodes = [_as_expr(t) for t in terms]
    if not nodes:
        return Num(0)
    if len(nodes) == 1:
        return nodes[0]
    return Op("+", tuple(nodes))


def _as_expr(x: Operand) -> Expr:
    if isinstance(x, Expr):
        return x
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError(f"formula operand must be an Expr or int, got {x!r}")
    return Num(x)


def _op(op: str, a: Operand, b: Operand) -> Expr:
    left, right = _as_expr(a), _as_expr(b)
    if op in ("+", "*"):
        args: list[Expr] = []
        for side in (left, right):
            if isinstance(side, Op) and side.op == op:
                args.extend(side.args)
            else:
                args.append(side)
        return Op(op, tuple(args))
    return Op(op, (left, right))


def _apply(op: str, values: list[int]) -> int:
    if op == "+":
        return sum(values)
    if op == "*":
        out = 1
        for v in values:
            out *= v
        return out
    if op == "-":
        out = values[0]
        for v in values[1:]:
            out -= v
        return out
    if op in ("//", "/"):
        return values[0] // values[1]
    if op == "cdiv":
        return -(-values[0] // values[1])
    raise ValueError(op)


def _wrap_text(arg: Expr, leaf_text, tighter: int) -> str:
    inner = arg._text(leaf_text)
    if isinstance(arg, Op) and arg.op not in ("//", "cdiv") and _PRECEDENCE[arg.op] < tighter:
        return f"({inner})"
    return inner


def _substitute(node: Expr) -> Expr:
    if isinstance(node, Sym):
        return Num(node.number) if node.number is not None else node
    if isinstance(node, Op):
        return Op(node.op, tuple(_substitute(a) for a in node.args))
    return node


def _reduce_innermost(node: Op) -> Expr:
    """Evaluate every operation whose operands are all numbers; leave the rest for the next step."""
    if all(isinstance(a, Num) for a in node.args):
        return Num(_apply(node.op, [a.number for a in node.args]))
    if any(isinstance(a, Sym) for a in node.args) and not any(isinstance(a, Op) for a in node.args):
        return node
    args = tuple(_reduce_innermost(a) if isinstance(a, Op) else a for a in node.args)
    if all(new is old for new, old in zip(args, node.args)):
        return node  # an unknown quantity stops every branch: nothing left to reduce
    return Op(node.op, args)


def _distinct(parts: list[str]) -> list[str]:
    """The parts without a repeat of the one before."""
    return [part for i, part in enumerate(parts) if i == 0 or part != parts[i - 1]]


def _fmt(value: int | None, name: str) -> str:
    if value is None:
        return name
    return f"{value:,}"


def latex_name(name: str) -> str:
    """A quantity's name in LaTeX: a one-letter symbol with its subscript in upright text (``k_{\\text{h}}``,
    ``C_{\\text{in}}``); a longer name as upright text altogether (``\\text{input\\_dim}``), never a row of
    italic letters."""
    head, _, tail = name.partition("_")
    if len(head) == 1 and head.isalpha():
        return f"{head}_{{\\text{{{_escape(tail)}}}}}" if tail else head
    return f"\\text{{{_escape(name)}}}"


def _escape(text: str) -> str:
    """Text-mode LaTeX special characters escaped."""
    return "".join(f"\\{c}" if c in "_&%#$" else c for c in text)
