"""Known elements of small tensors: architecture code sometimes computes layer sizes with tensors (RegNet's
widths: ``torch.arange(depth) * w_a + w_0``, ``torch.round(torch.log(...))``, ``.int().tolist()``). A 1-D tensor
of at most ``MAX_KNOWN_VALUES`` elements made from known numbers keeps them through element-wise arithmetic
with numbers or other such tensors, ``log``/``exp``/``round``/``floor``/``ceil``/``sqrt``/``abs``, ``pow``,
dtype casts, full reductions, ``unique`` and ``diff``; ``tolist()`` and ``item()`` then give numbers.

Float32 tensors round every result to float32, as torch stores it; integer tensors keep integers (division
of integers gives floats, as in torch). Anything else drops the values (the shape stays known).
"""

from __future__ import annotations

import builtins
import math
import operator
import struct

from nncalc.frameworks.torch.tensor import MAX_KNOWN_VALUES, Tensor


def as_float32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def _store(result: Tensor, values) -> Tensor:
    """Give ``result`` its values, rounded to its dtype."""
    kind = result._dtype
    if kind.name == "float32":
        values = [as_float32(float(v)) for v in values]
    elif kind.is_floating_point:
        values = [float(v) for v in values]
    elif kind.name == "bool":
        values = [bool(v) for v in values]
    else:
        values = [int(v) for v in values]
    result._values = tuple(values)
    return result


def _operand(value):
    """The elements of an operand (a number is one element that broadcasts), or None."""
    if isinstance(value, Tensor):
        return value._values
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (value,)
    return None


def binary(result, a, b, fn) -> Tensor:
    """``result`` of ``fn(a, b)`` with its values when both sides' are known."""
    if not isinstance(result, Tensor):
        return result
    left, right = _operand(a), _operand(b)
    if left is None or right is None or len(result._shape) > 1:
        return result
    n = max(len(left), len(right))
    if len(left) not in (1, n) or len(right) not in (1, n) or n > MAX_KNOWN_VALUES:
        return result
    try:
        values = [fn(left[i if len(left) > 1 else 0], right[i if len(right) > 1 else 0]) for i in range(n)]
    except (ArithmeticError, ValueError, TypeError):
        return result
    return _store(result, values)


def unary(result: Tensor, source: Tensor, fn) -> Tensor:
    if not isinstance(source, Tensor) or source._values is None or len(result._shape) > 1:
        return result
    try:
        values = [fn(v) for v in source._values]
    except (ArithmeticError, ValueError, TypeError):
        return result
    return _store(result, values)


def _round_half_even(x: float) -> float:
    return float(round(x))


UNARY = {
    "log": math.log, "exp": math.exp, "sqrt": math.sqrt, "abs": abs, "neg": operator.neg, "round": _round_half_even,
    "floor": lambda x: float(math.floor(x)), "ceil": lambda x: float(math.ceil(x)), "log2": math.log2,
    "log10": math.log10, "reciprocal": lambda x: 1 / x, "square": lambda x: x * x, "trunc": lambda x: float(int(x)),
}
"""Element-wise torch functions whose values nncalc computes."""


def cast(result: Tensor, source: Tensor) -> Tensor:
    """``.int()``, ``.float()``, ``.to(dtype)``: the values converted (to an integer type: truncated)."""
    if not isinstance(source, Tensor) or source._values is None or result is source:
        return result
    if result._dtype.is_floating_point:
        return _store(result, source._values)
    return _store(result, [int(v) for v in source._values])


def reduce_all(result: Tensor, source: Tensor, what: str) -> Tensor:
    """A full reduction (``t.max()``, ``t.sum()``) of a tensor with known values: a 0-d tensor with its value."""
    if source._values is None or result._shape != () or not source._values:
        return result
    fn = {"max": max, "amax": max, "min": min, "amin": min, "sum": sum, "mean": lambda v: sum(v) / len(v)}.get(what)
    if fn is None:
        return result
    return _store(result, [fn(source._values)])


def unique(source: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
           dim=None):
    """``torch.unique`` of known values: the sorted distinct elements, with ``return_inverse`` and
    ``return_counts`` as torch gives them (unknown values: refused)."""
    from nncalc.frameworks.torch.dtypes import INT64
    from nncalc.frameworks.torch.errors import TorchTypeError

    if not isinstance(source, Tensor) or source._values is None:
        raise TorchTypeError("torch.unique(): the number of distinct elements depends on values nncalc does not know")
    values = builtins.sorted(set(source._values))
    out = [_store(source._like((len(values),), factors=None), values)]
    if return_inverse:
        out.append(_store(source._like(dtype_=INT64), [values.index(v) for v in source._values]))
    if return_counts:
        counts = [source._values.count(v) for v in values]
        out.append(_store(source._like((len(values),), INT64, factors=None), counts))
    return out[0] if len(out) == 1 else tuple(out)


def diff(source: Tensor, n: int = 1, dim: int = -1, prepend=None, append=None) -> Tensor:
    """``torch.diff``: ``n``-th differences along ``dim``, ``n`` shorter (after ``prepend``/``append``); a 1-D
    tensor of known values keeps them."""
    from nncalc.frameworks.torch.errors import TorchTypeError, shape_error
    from nncalc.frameworks.torch.shapes import dim_index

    if not isinstance(source, Tensor):
        raise TorchTypeError(f"diff(): argument 'input' must be Tensor, not {type(source).__name__}")
    if not source._shape:
        raise shape_error("diff expects input to be at least one-dimensional", "rank")
    axis = dim_index(dim, len(source._shape))
    extra = 0
    for tensor in (prepend, append):
        if isinstance(tensor, Tensor):
            if len(tensor._shape) != len(source._shape):
                raise shape_error("diff expects prepend or append to be the same dimension as input", "rank")
            extra += tensor._shape[axis]
        elif tensor is not None:
            extra += 1
    if source._values is None or len(source._shape) != 1 or extra:
        length = max(source._shape[axis] + extra - n, 0)
        return source._like(source._shape[:axis] + (length,) + source._shape[axis + 1:], factors=None)
    result = source
    for _ in range(n):
        out = result._like((max(result._shape[0] - 1, 0),), factors=None)
        _store(out, [b - a for a, b in zip(result._values, result._values[1:])])
        result = out
    return result


def _reflected(fn):
    return lambda a, b: fn(b, a)


def _wrap_binary(name: str, fn, reflected: bool = False):
    original = getattr(Tensor, name)

    def method(self, other, *args, **kwargs):
        result = original(self, other, *args, **kwargs)
        if result is NotImplemented or kwargs.get("rounding_mode") is not None or kwargs.get("alpha", 1) != 1:
            return result
        return binary(result, other, self, fn) if reflected else binary(result, self, other, fn)

    method.__name__ = name
    method.__doc__ = original.__doc__
    setattr(Tensor, name, method)


def _wrap_unary(name: str, fn):
    original = getattr(Tensor, name)

    def method(self, *args, **kwargs):
        return unary(original(self, *args, **kwargs), self, fn)

    method.__name__ = name
    setattr(Tensor, name, method)


def _wrap_cast(name: str):
    original = getattr(Tensor, name)

    def method(self, *args, **kwargs):
        return cast(original(self, *args, **kwargs), self)

    method.__name__ = name
    setattr(Tensor, name, method)


def _wrap_reduction(name: str, what: str):
    original = getattr(Tensor, name)

    def method(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if not args and not kwargs and isinstance(result, Tensor):
            return reduce_all(result, self, what)
        return result

    method.__name__ = name
    setattr(Tensor, name, method)


def install() -> None:
    """Give :class:`Tensor`'s arithmetic, element-wise methods, casts and full reductions their values."""
    for name, fn in (("__add__", operator.add), ("__sub__", operator.sub), ("__mul__", operator.mul),
                     ("__truediv__", operator.truediv), ("__pow__", operator.pow), ("__floordiv__", operator.floordiv)):
        _wrap_binary(name, fn)
        _wrap_binary("__r" + name[2:], fn, reflected=True)
    for name, fn in (("add", operator.add), ("sub", operator.sub), ("mul", operator.mul), ("div", operator.truediv),
                     ("divide", operator.truediv), ("pow", operator.pow)):
        _wrap_binary(name, fn)
    for name, fn in UNARY.items():
        if hasattr(Tensor, name):
            _wrap_unary(name, fn)
    for name in ("to", "int", "long", "float", "double", "half", "type"):
        _wrap_cast(name)
    for name, what in (("max", "max"), ("min", "min"), ("sum", "sum"), ("mean", "mean"), ("amax", "amax"),
                       ("amin", "amin")):
        _wrap_reduction(name, what)
    Tensor.unique = unique
    Tensor.diff = diff
