"""What every ``tf.*`` rule needs: an operand's shape (a tensor, a weight, a number, a nested list), the result's
dtype as TensorFlow gives it (no promotion: a tensor operand's dtype wins over Python numbers), axes, and
TensorFlow's errors."""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.errors import KerasValueError, reject_unknown, shape_text, unknown_layer
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.graph import Weight
from nncalc.layers.merge import broadcast_shapes

INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
COMPLEX_REAL = {"complex64": "float32", "complex128": "float64"}


def shape_of(value, op: str) -> tuple:
    """The shape of an operand of ``tf.<op>``: a tensor, a weight, a number (``()``) or a nested list."""
    if isinstance(value, KerasTensor):
        return value.shape
    if isinstance(value, Weight):
        return tuple(value.shape)
    if isinstance(value, (bool, int, float, complex)):
        return ()
    if isinstance(value, (list, tuple)):
        inner = {shape_of(item, op) for item in value}
        if len(inner) > 1:
            raise KerasValueError(f"tf.{op}: the nested list {value!r} is ragged (its items' shapes differ)")
        return (len(value), *(inner.pop() if inner else ()))
    reject_unknown(value, f"tf.{op}")
    raise unknown_layer(f"tf.{op} on a {type(value).__name__}")


def dtype_of(values, default: str = "float32") -> str:
    """The dtype of the first tensor (or weight) among ``values``, else what a Python value converts to."""
    for value in values:
        if isinstance(value, KerasTensor):
            return value.dtype
        if isinstance(value, Weight):
            return getattr(value, "dtype", None) or "float32"
    for value in values:
        for leaf in _leaves(value):
            if isinstance(leaf, bool):
                return "bool"
            if isinstance(leaf, float):
                return "float32"
            if isinstance(leaf, complex):
                return "complex128"
            if isinstance(leaf, int):
                default = "int32"
    return default


def _leaves(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def dtype_name(dtype, default: str | None = None) -> str | None:
    """A dtype given as ``tf.float16`` (nncalc's string) or ``"float16"``; ``None`` gives ``default``."""
    if dtype is None:
        return default
    return str(getattr(dtype, "name", dtype))


def broadcast(op: str, shapes) -> tuple:
    try:
        return broadcast_shapes(list(shapes), show=shape_text, known_wins=True)
    except ShapeError as error:
        raise KerasValueError(f"tf.{op}: {error.message}", hint=error.hint) from None


def axes(axis, rank: int, op: str) -> list[int]:
    """``axis`` (None: all, an int, a list) as sorted non-negative axes of a tensor of ``rank``."""
    if isinstance(axis, KerasTensor):
        raise unknown_layer(f"tf.{op} with an axis computed from a tensor")
    chosen = list(range(rank)) if axis is None else [axis] if isinstance(axis, int) else list(axis)
    for a in chosen:
        if not isinstance(a, int) or not -rank <= a < rank:
            raise KerasValueError(f"tf.{op}: axis {a!r} is out of range for a tensor of rank {rank}")
    return sorted({a % rank for a in chosen})


def one_axis(axis, rank: int, op: str) -> int:
    (chosen,) = axes(axis, rank, op)
    return chosen


def tensor(shape, dtype: str) -> KerasTensor:
    return KerasTensor(tuple(shape), dtype)


def need_rank(op: str, shape: tuple, least: int, what: str = "the input") -> None:
    if len(shape) < least:
        raise KerasValueError(f"tf.{op}: {what} must have rank ≥ {least}; received shape {shape_text(shape)}")


def static_ints(value, op: str, what: str) -> list:
    """A list of sizes given as a list, a tuple or a shape (``tf.shape(x)``, with ``None`` for unknown)."""
    if isinstance(value, int):
        return [value]
    if isinstance(value, KerasTensor):
        raise unknown_layer(f"tf.{op} with {what} computed from a tensor's values")
    reject_unknown(value, f"tf.{op}'s {what}")
    if not isinstance(value, (list, tuple)):
        raise KerasValueError(f"tf.{op}: {what} must be a list of ints; received {value!r}")
    for item in value:
        reject_unknown(item, f"tf.{op}'s {what}")
    return list(value)
