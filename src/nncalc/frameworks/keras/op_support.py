"""What the NumPy-style ``keras.ops`` families share: Keras's dtype promotion and its way of sizing an output
whose input has unknown sizes.

Inside a layer's ``call`` Keras (torch backend) finds an op's output by running it on tensors whose unknown
sizes are filled in — once with 83, once with 89 — and calls a size unknown when the two runs disagree.
:func:`traced` does the same with a shape rule written for known sizes, so ``diagonal`` of a ``(None, 3, 4)``
tensor has 3 elements, as in Keras, while ``ravel`` of it has an unknown number.
"""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.tensor import KerasTensor, operand_shape
from nncalc.graph import Weight

FILLS = (83, 89)
"""The sizes Keras's torch backend puts in place of an unknown size, in its two runs."""

INTS = ("bool", "uint8", "int8", "int16", "int32", "int64")
FLOATS = ("float16", "bfloat16", "float32", "float64")
COMPLEX = {"complex64": "float32", "complex128": "float64"}
"""Complex dtypes and the dtype of their real and imaginary parts."""


def traced(rule, *shapes):
    """``rule(*shapes)`` (a shape, or a list of shapes) with unknown sizes as Keras's torch backend finds them."""
    if not any(None in shape for shape in shapes):
        return rule(*shapes)
    first, second = (rule(*(tuple(fill if s is None else s for s in shape) for shape in shapes)) for fill in FILLS)
    return _agree(first, second)


def _agree(first, second):
    if isinstance(first, list):
        return [_agree(a, b) for a, b in zip(first, second)]
    return tuple(a if a == b else None for a, b in zip(first, second))


def dtype_of(value) -> str | None:
    """The dtype of a tensor or weight; ``None`` for a Python number (weakly typed, as in Keras)."""
    if isinstance(value, (KerasTensor, Weight)):
        return value.dtype
    if isinstance(value, bool):
        return "bool"
    return None


def promote(*values) -> str:
    """Keras's result dtype of an elementwise op: a float wins over ints, the wider type over the narrower; a
    Python ``int`` keeps an int tensor's type (turning ``bool`` into ``int32``), a ``float`` makes it
    ``float32``."""
    kinds = [dtype_of(v) for v in values]
    typed = [k for k in kinds if k is not None]
    numbers = [v for v, k in zip(values, kinds) if k is None]
    floats = [k for k in typed if k in FLOATS or k in COMPLEX]
    if floats:
        return _widest(floats)
    if any(isinstance(n, float) for n in numbers):
        return "float32"
    ints = [k for k in typed if k != "bool"]
    if ints:
        return "int16" if set(ints) == {"uint8", "int8"} else max(ints, key=INTS.index)
    return "int32" if numbers or not typed else "bool"


def keras_promote(*values) -> str:
    """:func:`promote` as Keras's own ``result_type`` gives it, which an op that casts to it explicitly follows
    (``fmax``, ``inner``): without 64-bit ints, ``int64`` gives ``int32``."""
    kind = promote(*values)
    return "int32" if kind == "int64" else kind


def _widest(kinds: list) -> str:
    if set(kinds) == {"float16", "bfloat16"}:
        return "float32"
    order = ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")
    return max(kinds, key=order.index)


def floating(kind: str, wide_int64: bool = False) -> str:
    """The dtype of a float-valued op (``sqrt``-like) on ``kind``: a float keeps its type, ints give float32 (an
    ``int64`` float64 where the op says so: ``deg2rad``, ``i0``)."""
    if kind in FLOATS or kind in COMPLEX:
        return kind
    return "float64" if wide_int64 and kind == "int64" else "float32"


def real_part(kind: str) -> str:
    """The dtype of the real or imaginary part (``angle``, ``imag``) of ``kind``."""
    return COMPLEX.get(kind) or floating(kind)


def summed(kind: str) -> str:
    """The dtype of a sum or product of ``kind``: ``bool`` and the ints narrower than 32 bits add up to
    ``int32``."""
    return "int32" if kind in ("bool", "uint8", "int8", "int16", "uint16") else kind


def tensor_shape(value, what: str) -> tuple:
    """The shape of a tensor, weight or number, or of nested lists of numbers (``[[1.0, 2.0]]``)."""
    if isinstance(value, (list, tuple)):
        inner = {tensor_shape(item, what) for item in value}
        if len(inner) > 1:
            raise KerasValueError(f"{what}: the nested sequence {value!r} is ragged")
        return (len(value), *(inner.pop() if inner else ()))
    return operand_shape(value, what)


def axis_index(axis, rank: int, what: str) -> int:
    """``axis`` (negative from the end) as a position in a tensor of ``rank``; Keras's error when out of range."""
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise KerasValueError(f"{what}: axis must be an int; received axis={axis!r}")
    if not -rank <= axis < rank:
        raise KerasValueError(f"{what}: axis {axis} is out of bounds for a tensor of rank {rank}")
    return axis % rank


def needs_rank(shape: tuple, least: int, what: str) -> None:
    if len(shape) < least:
        raise KerasValueError(f"{what} needs a tensor of rank ≥ {least}; received shape {shape_text(shape)}")
