"""The arrays of nncalc's numpy subset: :class:`Array` (``np.array`` of a small list of numbers), its element-wise
arithmetic, and the dtypes (``np.float32`` rounds like numpy's). See :mod:`nncalc.interpreter.numpy_subset`.
"""

from __future__ import annotations

import math
import operator

from nncalc.interpreter import ops
from nncalc.interpreter.builtins import materialize
from nncalc.interpreter.limits import active_budget
from nncalc.interpreter.safety import text_of
from nncalc.interpreter.unknown import Unknown

_NUMBER = (int, float, bool)


# ----- arrays ------------------------------------------------------------------------------------------------
class Array:
    """``np.array([...])`` of numbers: nested lists of Python numbers with a shape. Element-wise arithmetic with
    numbers and same-shape arrays; ``shape``, ``size``, ``ndim``, ``dtype``, ``tolist()``, reductions."""

    __slots__ = ("_data", "_shape", "_kind")
    __hash__ = None

    def __init__(self, data, shape: tuple, kind: str):
        self._data = data
        self._shape = shape
        self._kind = kind

    shape = property(lambda self: self._shape)
    ndim = property(lambda self: len(self._shape))
    size = property(lambda self: math.prod(self._shape))
    dtype = property(lambda self: {"int": "int64", "float": "float64", "bool": "bool"}[self._kind])

    def tolist(self):
        return copy_data(self._data)

    def item(self):
        if self.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return flatten(self._data)[0] if self._shape else self._data

    def copy(self) -> "Array":
        return Array(copy_data(self._data), self._shape, self._kind)

    def astype(self, dtype) -> "Array":
        return array(self._data, dtype=dtype)

    def prod(self, axis=None):
        return _reductions().prod(self, axis)

    def sum(self, axis=None):
        return _reductions().sum_(self, axis)

    def max(self, axis=None):
        return _reductions().amax(self, axis)

    def min(self, axis=None):
        return _reductions().amin(self, axis)

    def mean(self, axis=None):
        return _reductions().mean(self, axis)

    def any(self) -> bool:
        return any(flatten(self._data))

    def all(self) -> bool:
        return all(flatten(self._data))

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError("len() of unsized object")
        return self._shape[0]

    def __iter__(self):
        if not self._shape:
            raise TypeError("iteration over a 0-d array")
        for item in self._data:
            yield Array(item, self._shape[1:], self._kind) if len(self._shape) > 1 else item

    def __getitem__(self, index):
        if isinstance(index, slice):
            if not self._shape:
                raise IndexError("too many indices for array")
            data = self._data[index]
            return Array(data, (len(data), *self._shape[1:]), self._kind)
        value, shape = self._data, self._shape
        for i in index if isinstance(index, tuple) else (index,):
            if isinstance(i, slice):
                raise TypeError("nncalc's numpy subset slices the first axis only (a[1:3])")
            if not shape:
                raise IndexError("too many indices for array")
            value, shape = value[operator.index(i)], shape[1:]
        return Array(value, shape, self._kind) if shape else value

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(
                "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()"
            )
        return bool(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __float__(self) -> float:
        return float(self.item())

    def __index__(self) -> int:
        if self._kind != "int":
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return operator.index(self.item())

    def __repr__(self) -> str:
        return f"array({text_of(active_budget(), self._data, repr)})"

    def __neg__(self) -> "Array":
        return apply_elementwise(operator.neg, self)

    def __abs__(self) -> "Array":
        return apply_elementwise(abs, self)


def _binary(op, reflected: bool = False):
    def method(self, other):
        if isinstance(other, Unknown):
            return NotImplemented
        return combine(op, other, self) if reflected else combine(op, self, other)

    return method


def _divide(a, b):
    return a / b if b else (math.copysign(math.inf, a) * math.copysign(1, b) if a else math.nan)


def checked(op):
    """An arithmetic operator with the interpreter's integer limit (``x = x * x`` in a loop stays bounded)."""
    return lambda a, b: op(active_budget(), a, b)


def power_of(a, b):
    if type(a) is int and type(b) is int and b < 0:
        raise ValueError("Integers to negative integer powers are not allowed.")
    active_budget().check_power(a, b)
    return a**b


for _name, _op in (
    ("add", checked(ops.add)), ("sub", checked(ops.sub)), ("mul", checked(ops.mul)), ("truediv", _divide),
    ("floordiv", operator.floordiv), ("mod", operator.mod), ("pow", power_of), ("lt", operator.lt),
    ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge), ("eq", operator.eq), ("ne", operator.ne),
):  # fmt: skip
    setattr(Array, f"__{_name}__", _binary(_op))
    if _name not in ("lt", "le", "gt", "ge", "eq", "ne"):
        setattr(Array, f"__r{_name}__", _binary(_op, reflected=True))


def copy_data(data):
    return [copy_data(item) for item in data] if isinstance(data, list) else data


def flatten(data) -> list:
    if not isinstance(data, list):
        return [data]
    out: list = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        else:
            out.append(item)
    return out


def nest(items, shape: tuple):
    if not shape:
        return items[0]
    if len(shape) == 1:
        return list(items)
    step = len(items) // shape[0] if shape[0] else 0
    return [nest(items[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def kind_of(values) -> str:
    kinds = {type(v) for v in values}
    if float in kinds:
        return "float"
    return "bool" if kinds == {bool} else "int"


def as_array(value) -> Array:
    return value if isinstance(value, Array) else array(value)


def apply_elementwise(fn, value, kind: str | None = None):
    """``fn`` on a number, or element-wise on an array (``kind`` forces the result's kind)."""
    if isinstance(value, Unknown):
        return value._derive(f"np.{getattr(fn, '__name__', 'op')}({value._name})")
    if isinstance(value, (list, tuple)):
        value = array(value)
    if isinstance(value, Array):
        items = [fn(v) for v in flatten(value._data)]
        return Array(nest(items, value._shape), value._shape, kind or kind_of(items))
    return fn(value)


def combine(op, left, right):
    if isinstance(left, Array) or isinstance(right, Array):
        a, b = as_array(left), as_array(right)
        if a._shape and b._shape and a._shape != b._shape:
            raise ValueError(
                f"operands could not be broadcast together with shapes {_text(a._shape)} {_text(b._shape)}"
            )
        shape = a._shape or b._shape
        xs, ys = flatten(a._data), flatten(b._data)
        if not a._shape:
            xs = xs * len(ys)
        if not b._shape:
            ys = ys * len(xs)
        items = [op(x, y) for x, y in zip(xs, ys)]
        return Array(nest(items, shape), shape, kind_of(items) if items else a._kind)
    return op(left, right)


def _text(shape: tuple) -> str:
    return f"({shape[0]},)" if len(shape) == 1 else f"({', '.join(map(str, shape))})"


def array(obj, dtype=None, **kwargs) -> Array:
    """``np.array`` / ``np.asarray`` of numbers (nested lists or tuples of equal lengths)."""
    if isinstance(obj, Array):
        data, shape = copy_data(obj._data), obj._shape
    else:
        data, shape = _nested(obj)
    items = flatten(data)
    kind = _dtype_kind(dtype) or kind_of(items)
    cast = {"int": int, "float": float, "bool": bool}[kind]
    if dtype is not None and dtype_name(dtype) in ("float32", "float16"):
        rounding = float32 if dtype_name(dtype) == "float32" else float16
        cast = lambda v: rounding(v)  # noqa: E731
    items = [cast(v) for v in items]
    return Array(nest(items, shape), shape, kind)


def _nested(obj):
    """Nested lists of numbers from lists/tuples, and the shape; everything is checked against the limits."""
    if isinstance(obj, _NUMBER):
        return obj, ()
    if isinstance(obj, Unknown):
        obj._concrete("np.array()")
    if not isinstance(obj, (list, tuple, range)):
        obj = materialize(obj)
    items = materialize(obj)
    parts = [_nested(item) for item in items]
    shapes = {shape for _, shape in parts}
    if len(shapes) > 1:
        raise ValueError("setting an array element with a sequence: the nested lists have different lengths")
    inner = shapes.pop() if shapes else ()
    return [data for data, _ in parts], (len(items), *inner)


# ----- scalar types ------------------------------------------------------------------------------------------
def _round_to(fmt: str, limit: float):
    def cast(x=0.0):
        x = float(x)
        if not math.isfinite(x):
            return x
        import struct  # lazily: only float16/float32 rounding needs it

        try:
            return struct.unpack(fmt, struct.pack(fmt, x))[0]
        except OverflowError:
            return math.copysign(math.inf, x) if abs(x) >= limit else x

    return cast


float32 = _round_to("f", 3.4028235677973366e38)
float16 = _round_to("e", 65520.0)

_DTYPES = {
    int: "int64", float: "float64", bool: "bool", float32: "float32", float16: "float16",
    "int": "int64", "float": "float64", "bool": "bool", "int64": "int64", "int32": "int64", "int16": "int64",
    "int8": "int64", "uint8": "int64", "float64": "float64", "float32": "float32", "float16": "float16",
}  # fmt: skip


def dtype_name(dtype) -> str | None:
    if dtype is None:
        return None
    try:
        return _DTYPES[dtype]
    except (KeyError, TypeError):
        raise TypeError(f"nncalc's numpy subset does not know the dtype {dtype!r}") from None


def _dtype_kind(dtype) -> str | None:
    name = dtype_name(dtype)
    return None if name is None else ("bool" if name == "bool" else "float" if name.startswith("float") else "int")


def _reductions():
    from nncalc.interpreter import numpy_subset  # the reductions live there; it imports this module

    return numpy_subset
