"""The sizes ``keras.ops.shape(x)`` gives inside a layer's ``call`` for the axes Keras knows only at run time.

With the torch backend, Keras builds a layer by running ``call`` on real tensors whose unknown axes (the
batch, a ``None`` length) get stand-in sizes, so ``ops.shape(x)`` holds ints there and a layer may compute with
them: ``ops.reshape(x, (batch * heads, length, dim // heads))``. nncalc's :class:`UnknownSize` is such a size:
arithmetic with numbers gives another unknown size, and wherever a shape is given to an op (a tuple or list of
sizes) it is the unknown size ``None``; on its own it is a scalar tensor (``ops.cast(length, "float32")``).
What needs its value (``int()``, a comparison, ``range()``) is refused with a message that says why.
"""

from __future__ import annotations

from math import prod

from nncalc.frameworks.common.wrapping import named_like
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.tensor import in_layer_call


class UnknownSize:
    """An axis size known only when the model runs (``ops.shape(x)[0]``, the batch). ``factor``: for the
    batch axis, how many rows per sample of the model's batch (1; ``batch * heads`` gives ``heads``), None when
    it is not a multiple of the batch."""

    __slots__ = ("what", "factor")

    def __init__(self, what: str = "an axis", factor: "Fraction | None" = None):
        self.what, self.factor = what, factor

    def _with(self, other, scale):
        from nncalc.frameworks.keras.tensor import KerasTensor

        if isinstance(other, KerasTensor):  # x / length: a tensor of x's shape, as with a known size
            return other * 1
        if isinstance(other, UnknownSize) or (isinstance(other, (int, float)) and not isinstance(other, bool)):
            factor = scale(self.factor, other) if self.factor is not None and isinstance(other, int) else None
            return UnknownSize(self.what, factor)
        return NotImplemented

    def __mul__(self, other):
        return self._with(other, lambda f, n: f * n)

    def __floordiv__(self, other):
        return self._with(other, lambda f, n: f / n if n and (f / n).denominator == 1 else None)

    def _opaque(self, other):
        return self._with(other, lambda f, n: None)

    __rmul__ = __mul__
    __truediv__ = __floordiv__
    __add__ = __radd__ = __sub__ = __rsub__ = __rfloordiv__ = __rtruediv__ = __mod__ = __rmod__ = _opaque
    __pow__ = _opaque

    def __neg__(self):
        return UnknownSize(self.what)

    __pos__ = __abs__ = __neg__

    def _value(self, *args):
        raise KerasValueError(
            f"the size of {self.what} is known only when the model runs (Keras's None); nncalc cannot use it as a "
            "number here", hint="compute with it through keras.ops (ops.reshape, ops.cast …), or give that axis a "
            "fixed size in keras.Input(shape=...)")

    __int__ = __index__ = __float__ = __bool__ = __lt__ = __le__ = __gt__ = __ge__ = _value

    def __repr__(self) -> str:
        return "None"


def batch_factor(tensor) -> "Fraction":
    """Rows of ``tensor`` per sample of the model's batch (a layer that folds heads into the batch makes
    ``heads``)."""
    from fractions import Fraction  # lazily: fractions costs a millisecond and a half of every start

    return getattr(tensor, "_batch_factor", None) or Fraction(1)


def sizes_of(tensor, shape: tuple) -> tuple:
    """``ops.shape(x)`` in a layer's call: the unknown axes as :class:`UnknownSize`."""
    return tuple(UnknownSize("the batch", batch_factor(tensor)) if i == 0 and s is None else
                 UnknownSize(f"axis {i}") if s is None else s for i, s in enumerate(shape))


def _plain(value, top: bool):
    from nncalc.frameworks.keras.tensor import KerasTensor

    if isinstance(value, UnknownSize):
        return KerasTensor((), "int32") if top else None
    if isinstance(value, (tuple, list)) and any(isinstance(v, UnknownSize) for v in value):
        return type(value)(_plain(v, False) for v in value)
    return value


def _folded_reshape(x, target):
    """``ops.reshape(x, (batch * heads, length, depth))`` and back: a reshape whose first size is a multiple of
    the batch, on a tensor whose other sizes are known; checked per sample of the batch, as Keras does with
    real sizes. None when the reshape is not of that kind."""
    from nncalc.frameworks.keras.tensor import KerasTensor

    shape = getattr(x, "shape", None)
    if not isinstance(x, KerasTensor) or not isinstance(target, (tuple, list)) or not target:
        return None
    first, rest = target[0], tuple(target[1:])
    if (not shape or shape[0] is not None or None in shape[1:] or not isinstance(first, UnknownSize)
            or first.factor is None or any(not isinstance(t, int) or isinstance(t, bool) for t in rest)):
        return None
    per_row = prod(shape[1:]) * batch_factor(x) / first.factor  # values per sample / rows per sample
    known = prod(t for t in rest if t != -1)
    inferred = per_row / known if known else None
    if rest.count(-1) > 1 or (-1 in rest and (inferred is None or inferred.denominator != 1)) or (
            -1 not in rest and known != per_row):
        raise KerasValueError(f"keras.ops.reshape cannot reshape {shape_text(shape)} into "
                              f"({', '.join(map(repr, target))}): {per_row} values per row of the new shape")
    out = KerasTensor((None, *(int(inferred) if t == -1 else t for t in rest)), x.dtype)
    out._batch_factor = first.factor
    return out


def _inherit(result, args) -> None:
    """An op's result keeps the folded batch of the first folded tensor among its arguments."""
    from nncalc.frameworks.keras.tensor import KerasTensor

    if isinstance(result, KerasTensor) and result.shape and result.shape[0] is None and batch_factor(result) == 1:
        folded = next((batch_factor(a) for a in args if isinstance(a, KerasTensor) and batch_factor(a) != 1), None)
        if folded is not None:
            result._batch_factor = folded


def taking_unknown_sizes(members: dict) -> dict:
    """``members`` (ops by name) whose arguments may hold :class:`UnknownSize`: in a shape it is ``None``, on its
    own a scalar tensor; ``reshape`` keeps a batch folded with other axes exact."""

    def wrap(name, op):
        def taking(*args, **kwargs):
            if name == "reshape" and args:
                target = args[1] if len(args) > 1 else next(
                    (kwargs[k] for k in ("newshape", "new_shape", "shape") if k in kwargs), None)
                folded = _folded_reshape(args[0], target) if in_layer_call() else None
                if folded is not None:
                    return folded
            plain_args = tuple(_plain(a, True) for a in args)
            result = op(*plain_args, **{k: _plain(v, True) for k, v in kwargs.items()})
            _inherit(result, args)
            return result

        return named_like(taking, op)

    return {name: wrap(name, op) if callable(op) and not isinstance(op, type) else op for name, op in members.items()}
