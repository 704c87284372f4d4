"""Python's operators with the size limits applied: the tables the evaluator and the ``operator`` module share.

Each binary function takes ``(budget, left, right)``. Operations that can build something large are checked
before they run (``*`` repetition, ``**``, ``<<``, ``%`` formatting) or, where the result is at most the size of
the operands together, right after (``+``); every integer result is held to ``max_int_bits``.
"""

from __future__ import annotations

import ast
import operator

from nncalc.interpreter import safety
from nncalc.interpreter.builtins import materialize
from nncalc.interpreter.limits import repeat_count

_SEQUENCES = (str, bytes, list, tuple)
_BUILT = frozenset({str, bytes, list, tuple})
_NESTED = frozenset({tuple, list, frozenset, set, dict})
_IMMUTABLE = frozenset({int, float, bool, complex, str, bytes, tuple, frozenset, type(None)})


def _checked(budget, result):
    kind = type(result)
    if kind is int:
        if not -budget.int_bound < result < budget.int_bound:
            budget.check_int(result)
    elif kind in _BUILT:
        budget.check_len(result, len(result))
    return result


def add(budget, left, right):
    return _checked(budget, left + right)


def sub(budget, left, right):
    if left.__class__ in _VIEW_TYPES or right.__class__ in _VIEW_TYPES:
        return _set_like(operator.sub)(budget, left, right)
    return _checked(budget, left - right)


def mul(budget, left, right):
    if isinstance(left, _SEQUENCES):
        right = repeat_count(right)
        budget.check_repeat(left, right)
    elif isinstance(right, _SEQUENCES):
        left = repeat_count(left)
        budget.check_repeat(right, left)
    return _checked(budget, left * right)


def power(budget, left, right):
    budget.check_power(left, right)
    return _checked(budget, left**right)


def lshift(budget, left, right):
    budget.check_shift(left, right)
    return left << right


def mod(budget, left, right):
    if type(left) is str:
        return safety.percent_format(budget, left, right)
    if type(left) is bytes:
        budget.check_percent_format(left.decode("latin-1"), right)
    return left % right


def _plain(fn):
    return lambda budget, left, right: fn(left, right)


_VIEWS = (type({}.keys()), type({}.items()))
_VIEW_TYPES = frozenset(_VIEWS)


def _set_like(fn):
    """``|``, ``&``, ``^``, ``-``: a dict view takes any iterable on the other side, which C would consume
    whole (``d.keys() | range(10**18)``); it is materialised within the limits first."""

    def operate(budget, left, right):
        if isinstance(left, _VIEWS) and not isinstance(right, (set, frozenset, *_VIEWS)):
            right = materialize(right)
            budget.check_items(right)
        elif isinstance(right, _VIEWS) and not isinstance(left, (set, frozenset, *_VIEWS)):
            left = materialize(left)
            budget.check_items(left)
        return fn(left, right)

    return operate


BINARY = {
    ast.Add: add, ast.Sub: sub, ast.Mult: mul, ast.Pow: power, ast.LShift: lshift, ast.Mod: mod,
    ast.Div: _plain(operator.truediv), ast.FloorDiv: _plain(operator.floordiv), ast.MatMult: _plain(operator.matmul),
    ast.RShift: _plain(operator.rshift), ast.BitAnd: _set_like(operator.and_), ast.BitOr: _set_like(operator.or_),
    ast.BitXor: _set_like(operator.xor),
}  # fmt: skip

_INPLACE = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul, ast.Pow: operator.ipow,
    ast.LShift: operator.ilshift, ast.Mod: operator.imod, ast.Div: operator.itruediv,
    ast.FloorDiv: operator.ifloordiv, ast.MatMult: operator.imatmul, ast.RShift: operator.irshift,
    ast.BitAnd: operator.iand, ast.BitOr: operator.ior, ast.BitXor: operator.ixor,
}  # fmt: skip


def inplace(budget, op: type, left, right):
    """``left op= right``: immutable values as the binary operator, lists grown within the limits."""
    kind = type(left)
    if kind in _IMMUTABLE:
        return BINARY[op](budget, left, right)
    if kind is list:
        if op is ast.Add:
            if not isinstance(right, (list, tuple, str, dict, set, frozenset)):
                right = materialize(right)
            budget.check_size(len(left) + len(right))
            budget.charge(len(right))
        elif op is ast.Mult:
            right = repeat_count(right)
            budget.check_repeat(left, right)
    elif op is ast.Pow:
        budget.check_power(left, right)
    elif op is ast.LShift:
        budget.check_shift(left, right)
    return _INPLACE[op](left, right)


def contains(budget, item, container) -> bool:
    """``item in container``; linear scans are charged, a range answers without scanning, hashing or comparing
    a nested ``item`` is checked first (see Budget.check_shared)."""
    kind = type(container)
    if kind is range and type(item) not in (int, bool):
        if isinstance(item, float):
            return item.is_integer() and int(item) in container
        budget.charge(len(container))
    elif kind in _BUILT:
        budget.charge(len(container))
    if item.__class__ in _NESTED:  # hashed once, or compared with every item of a list or tuple
        budget.check_shared(item, times=len(container) if kind is list or kind is tuple else 1)
    return item in container


COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
}  # fmt: skip

UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert, ast.Not: operator.not_}
