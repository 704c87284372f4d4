"""``import numpy as np`` for user code: the part of numpy model files use for shape arithmetic.

Results are plain Python ``int``/``float`` (``int(np.prod(shape))``, ``np.ceil(c / 8) * 8``) so they flow into
layer constructors; they follow numpy 2's rules where those differ from Python's (``np.round`` multiplies,
rounds half to even and divides; ``np.prod([])`` is ``1.0``; ``np.ceil`` of an int is an int). Integers are
exact (numpy's int64 would wrap). ``np.array`` of a small list of numbers is an :class:`Array` (shape, size,
element-wise arithmetic, reductions); ``np.zeros``, ``np.ones``, ``np.random.*`` … are :class:`Placeholder`
values that know their shape and never allocate. Names outside the subset are :class:`Unknown`.
"""

from __future__ import annotations

import math
import operator
import types

from nncalc.interpreter import ops
from nncalc.interpreter.builtins import materialize
from nncalc.interpreter.limits import active_budget
from nncalc.interpreter.numpy_array import (
    Array,
    apply_elementwise,
    array,
    as_array,
    checked,
    combine,
    copy_data,
    dtype_name,
    flatten,
    float16,
    float32,
    kind_of,
    nest,
    power_of,
)
from nncalc.interpreter.numpy_shapes import Placeholder, numpy_shape_functions
from nncalc.interpreter.unknown import Unknown


def _product(values):
    """The product of sizes that may be unknown, within the integer limit."""
    total = 1
    budget = active_budget()
    for value in values:
        total = ops.mul(budget, total, value)
    return total


def _shape_of(shape) -> tuple:
    if isinstance(shape, Unknown):
        return (shape,)
    shape = tuple(materialize(shape)) if isinstance(shape, (list, tuple, Array)) else (operator.index(shape),)
    active_budget().check_size(len(shape))
    return shape


def _placeholder(name: str):
    def make(shape=(), *args, dtype=None, **kwargs):
        return Placeholder(f"np.{name}({shape!r})", _shape_of(shape), dtype_name(dtype) or "float64")

    make.__name__ = name
    return make


def _placeholder_like(name: str):
    def make(a, *args, dtype=None, **kwargs):
        shape = a.shape if isinstance(a, (Array, Placeholder)) else as_array(a).shape
        return Placeholder(f"np.{name}(...)", shape, dtype_name(dtype) or getattr(a, "dtype", "float64"))

    make.__name__ = name
    return make


_SIZE_ARGUMENT = {"random": 0, "standard_normal": 0, "normal": 2, "uniform": 2, "randint": 2}
"""Which positional argument of ``np.random.<name>`` is the size (``rand`` and ``randn`` take the shape)."""


def _random(name: str):
    def make(*args, size=None, **kwargs):
        if name in ("rand", "randn"):
            shape = args
        else:
            position = _SIZE_ARGUMENT[name]
            shape = args[position] if len(args) > position else size
        return Placeholder(f"np.random.{name}(...)", () if shape is None else _shape_of(shape))

    make.__name__ = name
    return make


# ----- reductions --------------------------------------------------------------------------------------------
def _reduce(fn, a, axis, empty=None):
    """``fn(list of values)`` over everything, or along ``axis`` of an array."""
    if isinstance(a, Unknown):
        return a._derive(f"np.{fn.__name__}({a._name})")
    if axis is None:
        if isinstance(a, Array):
            values = flatten(a._data)
        elif isinstance(a, (list, tuple)):
            values = flatten(_plain_lists(a))
        else:
            values = [a]
        if not values and empty is not None:
            return empty
        return fn(values)
    arr = as_array(a)
    ndim = len(arr._shape)
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    axis %= ndim
    items = flatten(arr._data)
    shape = arr._shape
    outer, size, inner = math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1 :])
    out = [
        fn([items[(o * size + k) * inner + i] for k in range(size)]) for o in range(outer) for i in range(inner)
    ]
    rest = shape[:axis] + shape[axis + 1 :]
    return Array(nest(out, rest), rest, kind_of(out)) if rest else out[0]


def _plain_lists(value):
    """Tuples (``x.shape[1:]``) and lists as nested lists, without requiring numbers (unknown sizes flow)."""
    if isinstance(value, Array):
        return copy_data(value._data)
    if isinstance(value, (list, tuple)):
        return [_plain_lists(v) for v in materialize(value)]
    return value


def _numbers_only(values) -> bool:
    return all(type(v) in (int, float, bool) for v in values)


def _prod(values):
    if _numbers_only(values):
        kind = kind_of(values)
        total = 1.0 if kind == "float" else 1
        budget = active_budget()
        for v in values:
            total = total * v
            if type(total) is int:
                budget.check_int(total)
        return total
    return _product(values)


def _sum(values):
    total = 0.0 if _numbers_only(values) and kind_of(values) == "float" else 0
    for v in values:
        total = total + v
    return total


def _mean(values):
    if not values:
        return math.nan
    return _sum(values) / len(values)


def _max(values):
    return max(values)


def _min(values):
    return min(values)


def prod(a, axis=None, dtype=None):
    return _reduce(_prod, a, axis, empty=1.0)


def sum_(a, axis=None, dtype=None):
    return _reduce(_sum, a, axis, empty=0.0)


def mean(a, axis=None, dtype=None):
    return _reduce(_mean, a, axis)


def amax(a, axis=None):
    return _reduce(_max, a, axis)


def amin(a, axis=None):
    return _reduce(_min, a, axis)


def cumsum(a, axis=None):
    return _cumulative(a, checked(ops.add))


def cumprod(a, axis=None):
    return _cumulative(a, checked(ops.mul))


def _cumulative(a, op):
    items = flatten(as_array(a)._data)
    out = []
    for v in items:
        out.append(op(out[-1], v) if out else v)
    return Array(out, (len(out),), kind_of(out))


def argmax(a):
    items = flatten(as_array(a)._data)
    return max(range(len(items)), key=items.__getitem__)


def argmin(a):
    items = flatten(as_array(a)._data)
    return min(range(len(items)), key=items.__getitem__)


# ----- element-wise ------------------------------------------------------------------------------------------
def _float_fn(fn, name: str):
    def element(v):
        try:
            return float(fn(v))
        except ValueError:
            return math.nan
        except ZeroDivisionError:
            return -math.inf

    element.__name__ = name

    def apply(x):
        return apply_elementwise(element, x, "float")

    apply.__name__ = name
    return apply


def _log(v):
    return -math.inf if v == 0 else math.log(v)


def _log2(v):
    return -math.inf if v == 0 else math.log2(v)


def _log10(v):
    return -math.inf if v == 0 else math.log10(v)


def _int_preserving(fn, name: str):
    """``np.ceil``, ``np.floor``, ``np.trunc``: ints stay ints (numpy 2), floats stay floats (and inf/nan)."""

    def element(v):
        if type(v) in (int, bool):
            return int(v)
        return float(fn(v)) if math.isfinite(v) else v

    element.__name__ = name
    return lambda x: apply_elementwise(element, x)


def around(a, decimals=0):
    """``np.round``: numpy's rule, ``rint(x * 10**d) / 10**d`` (so ``np.round(2.675, 2)`` is 2.68)."""
    decimals = operator.index(decimals)

    def element(v):
        if type(v) in (int, bool):
            if decimals >= 0:
                return int(v)
            f = 10**-decimals
            q, r = divmod(int(v), f)
            if 2 * r > f or (2 * r == f and q % 2):
                q += 1
            return q * f
        if not math.isfinite(v):
            return v
        if decimals >= 0:
            f = 10.0**decimals
            y = v * f
            return float(round(y)) / f if math.isfinite(y) else v
        f = 10.0 ** (-decimals)
        return float(round(v / f)) * f

    element.__name__ = "round"
    return apply_elementwise(element, a)


def maximum(a, b):
    return combine(_pick_max, a, b)


def minimum(a, b):
    return combine(_pick_min, a, b)


def _pick_max(x, y):
    result = x if x >= y else y
    return float(result) if float in (type(x), type(y)) else result


def _pick_min(x, y):
    result = x if x <= y else y
    return float(result) if float in (type(x), type(y)) else result


def clip(a, a_min, a_max):
    return minimum(maximum(a, a_min), a_max)


def power(a, b):
    return combine(power_of, a, b)


def absolute(a):
    return apply_elementwise(abs, a)


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ZeroDivisionError("division by zero")
    n = max(math.ceil((stop - start) / step), 0)
    active_budget().check_size(n)
    active_budget().charge(n)
    values = [start + i * step for i in range(n)]
    return array(values, dtype=dtype) if values else Array([], (0,), kind_of([start, stop, step]))


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    num = operator.index(num)
    active_budget().check_size(num)
    active_budget().charge(num)
    div = (num - 1) if endpoint else num
    step = (stop - start) / div if div > 0 else math.nan
    values = [float(i * step + start) for i in range(num)]
    if endpoint and num > 1:
        values[-1] = float(stop)
    return Array(values, (num,), "float")


def _seed(*args, **kwargs):
    return None


class NumpyModule(types.ModuleType):
    """The ``numpy`` namespace: the subset, and an :class:`Unknown` for any other public name."""

    def __init__(self, name: str, attrs: dict):
        super().__init__(name)
        self.__dict__.update(attrs)
        self.__all__ = sorted(k for k in attrs if not k.startswith("_"))

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return Unknown(f"{self.__name__}.{name}", root="numpy", reason="which nncalc's numpy subset does not have")

    def __repr__(self) -> str:
        return f"<module {self.__name__!r} (nncalc subset)>"


def _random_module() -> NumpyModule:
    attrs = {name: _random(name) for name in ("rand", "randn", *_SIZE_ARGUMENT)}
    attrs.update(seed=_seed)
    return NumpyModule("numpy.random", attrs)


def numpy_module() -> NumpyModule:
    """A fresh ``numpy`` namespace (its ``random`` submodule included)."""
    attrs = {
        "array": array, "asarray": array, "ndarray": Array, "prod": prod, "sum": sum_, "mean": mean, "max": amax,
        "min": amin, "amax": amax, "amin": amin, "cumsum": cumsum, "cumprod": cumprod, "argmax": argmax,
        "argmin": argmin, "ceil": _int_preserving(math.ceil, "ceil"), "floor": _int_preserving(math.floor, "floor"),
        "trunc": _int_preserving(math.trunc, "trunc"), "round": around, "around": around,
        "sqrt": _float_fn(math.sqrt, "sqrt"), "log": _float_fn(_log, "log"), "log2": _float_fn(_log2, "log2"),
        "log10": _float_fn(_log10, "log10"), "exp": _float_fn(math.exp, "exp"), "abs": absolute,
        "absolute": absolute, "maximum": maximum, "minimum": minimum, "clip": clip, "power": power,
        "arange": arange, "linspace": linspace, "pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan,
        "newaxis": None, "int64": int, "int32": int, "int16": int, "int8": int, "uint8": int, "intp": int,
        "int_": int, "integer": int, "float64": float, "double": float, "floating": float, "float32": float32,
        "float16": float16, "bool_": bool, "number": (int, float),
        "zeros": _placeholder("zeros"), "ones": _placeholder("ones"), "empty": _placeholder("empty"),
        "full": _placeholder("full"), "zeros_like": _placeholder_like("zeros_like"),
        "ones_like": _placeholder_like("ones_like"),
        "random": _random_module(),
        **numpy_shape_functions(),
    }  # fmt: skip
    return NumpyModule("numpy", attrs)
