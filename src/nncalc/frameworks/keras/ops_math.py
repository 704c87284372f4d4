"""NumPy-style ``keras.ops`` that compute element by element or reduce: ``arcsinh``, ``bitwise_and``, ``gcd``,
``isclose``, ``nanmean``, ``percentile``, ``norm``, ``trace``, ``argsort``… Shapes and dtypes as Keras 3 gives
them inside a layer's ``call``; none of them counts MACs (elementwise work, as the other ``keras.ops``)."""

from __future__ import annotations

from math import prod

from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.op_support import (
    COMPLEX, INTS, axis_index, floating, keras_promote, needs_rank, promote, real_part, summed, tensor_shape,
)
from nncalc.frameworks.keras.ops import _axis_list, _checked, _shapes, reduce_tensor
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.merge import broadcast_shapes

FLOAT_UNARY = ("arccosh", "arcsinh", "deg2rad", "rad2deg", "erfc", "i0", "sinc")
WIDE_INT64 = ("deg2rad", "rad2deg", "i0")
"""Ops that compute an ``int64`` tensor in float64 (the others in float32)."""
SAME_UNARY = ("conjugate", "bitwise_invert", "bitwise_not", "fliplr", "flipud", "tril", "triu")
BOOL_UNARY = ("isneginf", "isposinf", "isreal")
PROMOTING_BINARY = ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift",
                    "left_shift", "right_shift", "gcd", "lcm")
FLOAT_BINARY = ("nextafter", "logaddexp2")
NAN_SAME = ("nanmax", "nanmin")
NAN_SUMMED = ("nansum",)
NAN_FLOAT = ("nanmean", "nanstd", "nanvar", "nanmedian")
QUANTILES = ("percentile", "quantile", "nanpercentile", "nanquantile")


def _broadcast(name: str, shapes: list) -> tuple:
    return _checked(name, lambda: broadcast_shapes(shapes, show=shape_text, known_wins=True))


def build_math(state) -> dict:
    """The elementwise and reducing NumPy-style members of ``keras.ops``."""

    def float_unary(name):
        def op(x, *args, **kwargs):
            (shape,) = _shapes(name, (x,))
            return KerasTensor(shape, floating(x.dtype, name in WIDE_INT64))

        return op

    def same_unary(name):
        def op(x, *args, **kwargs):
            (shape,) = _shapes(name, (x,))
            if name in ("fliplr", "tril", "triu"):
                needs_rank(shape, 2, f"keras.ops.{name}")
            if name == "flipud":
                needs_rank(shape, 1, f"keras.ops.{name}")
            return KerasTensor(shape, x.dtype)

        return op

    def bool_unary(name):
        def op(x):
            (shape,) = _shapes(name, (x,))
            return KerasTensor(shape, "bool")

        return op

    def binary(name, dtype_rule):
        def op(x1, x2, *args, **kwargs):
            return KerasTensor(_broadcast(name, _shapes(name, (x1, x2))), dtype_rule(x1, x2))

        return op

    def angle(x):
        (shape,) = _shapes("angle", (x,))
        return KerasTensor(shape, real_part(x.dtype))

    def imag(x):
        (shape,) = _shapes("imag", (x,))
        if x.dtype not in COMPLEX:
            raise KerasValueError(f"keras.ops.imag needs a complex tensor; received {x.dtype} (torch has no "
                                  "imaginary part of a real tensor)")
        return KerasTensor(shape, real_part(x.dtype))

    def view_as_complex(x):
        (shape,) = _shapes("view_as_complex", (x,))
        if not shape or shape[-1] not in (2, None):
            raise KerasValueError(f"keras.ops.view_as_complex needs a last axis of size 2 (real, imaginary); "
                                  f"received shape {shape_text(shape)}")
        return KerasTensor(shape[:-1], "complex128" if x.dtype == "float64" else "complex64")

    def view_as_real(x):
        (shape,) = _shapes("view_as_real", (x,))
        if x.dtype not in COMPLEX:
            raise KerasValueError(f"keras.ops.view_as_real needs a complex tensor; received {x.dtype}")
        return KerasTensor((*shape, 2), real_part(x.dtype))

    def polar(abs_, angle):
        shapes = _shapes("polar", (abs_, angle))
        return KerasTensor(_broadcast("polar", shapes), "complex128" if promote(abs_, angle) == "float64"
                           else "complex64")

    def ldexp(x1, x2):
        return KerasTensor(_broadcast("ldexp", _shapes("ldexp", (x1, x2))), floating(promote(x1)))

    def isin(x1, x2, assume_unique=False, invert=False):
        (shape, _) = _shapes("isin", (x1, x2))
        return KerasTensor(shape, "bool")

    def digitize(x, bins):
        (shape,) = _shapes("digitize", (x,))
        tensor_shape(bins, "keras.ops.digitize")
        return KerasTensor(shape, "int32")

    def searchsorted(sorted_sequence, values, side="left"):
        (sequence,) = _shapes("searchsorted", (sorted_sequence,))
        if len(sequence) != 1:
            raise KerasValueError(f"keras.ops.searchsorted only supports 1-D sorted sequences; received shape "
                                  f"{shape_text(sequence)}")
        return KerasTensor(tensor_shape(values, "keras.ops.searchsorted"), "int32")

    def reducer(name, dtype_rule):
        def op(x, axis=None, keepdims=False, *args, **kwargs):
            return reduce_tensor(name, x, axis, keepdims, dtype_rule(x.dtype))

        return op

    def nan_cumulative(name):
        def op(x, axis=None, dtype=None):
            (shape,) = _shapes(name, (x,))
            kind = dtype if isinstance(dtype, str) else "int32" if x.dtype in ("bool", "int64") else x.dtype
            if axis is None:
                return KerasTensor((None if None in shape else prod(shape),), kind)
            _axis_list(axis, len(shape), name)
            return KerasTensor(shape, kind)

        return op

    def quantile(name):
        def op(x, q, axis=None, method="linear", keepdims=False):
            reduced = reduce_tensor(name, x, axis, keepdims, floating(x.dtype))
            points = tensor_shape(q, f"keras.ops.{name}")
            return KerasTensor((*points, *reduced.shape), reduced.dtype)

        return op

    def count_nonzero(x, axis=None):
        return reduce_tensor("count_nonzero", x, axis, False, "int32")

    def average(x, axis=None, weights=None):
        if weights is not None:
            (shape, weighting) = _shapes("average", (x, weights))
            if weighting != shape and (axis is None or len(weighting) != 1):
                raise KerasValueError(f"keras.ops.average: weights of shape {shape_text(weighting)} do not fit a "
                                      f"tensor of shape {shape_text(shape)} along axis {axis}")
        return reduce_tensor("average", x, axis, False, floating(promote(x, *(() if weights is None else (weights,)))))

    def ptp(x, axis=None, keepdims=False):
        if x.dtype == "bool":
            raise KerasValueError("keras.ops.ptp does not support boolean tensors (torch cannot subtract them)")
        return reduce_tensor("ptp", x, axis, keepdims, x.dtype)

    def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - Keras's argument name
        (shape,) = _shapes("norm", (x,))
        if axis is not None and not isinstance(axis, int) and len(axis) > 2:
            raise KerasValueError(f"keras.ops.norm: axis must be an int or a pair of ints; received axis={axis}")
        return reduce_tensor("norm", x, axis, keepdims, floating(x.dtype))

    def trapezoid(y, x=None, dx=1.0, axis=-1):
        return reduce_tensor("trapezoid", y, axis, False, floating(y.dtype))

    def trace(x, offset=0, axis1=0, axis2=1):
        (shape,) = _shapes("trace", (x,))
        needs_rank(shape, 2, "keras.ops.trace")
        first, second = (axis_index(a, len(shape), "keras.ops.trace") for a in (axis1, axis2))
        if first == second:
            raise KerasValueError("keras.ops.trace: axis1 and axis2 must differ")
        return KerasTensor(tuple(s for i, s in enumerate(shape) if i not in (first, second)), summed(x.dtype))

    def ordering(name, x, axis):
        (shape,) = _shapes(name, (x,))
        if axis is None:
            return KerasTensor((None if None in shape else prod(shape),), "int32")
        axis_index(axis, max(len(shape), 1), f"keras.ops.{name}")
        return KerasTensor(shape, "int32")

    def argsort(x, axis=-1):
        return ordering("argsort", x, axis)

    def argpartition(x, kth, axis=-1):
        return ordering("argpartition", x, axis)

    members = {name: float_unary(name) for name in FLOAT_UNARY}
    members.update({name: same_unary(name) for name in SAME_UNARY})
    members.update({name: bool_unary(name) for name in BOOL_UNARY})
    members.update({name: binary(name, promote) for name in PROMOTING_BINARY})
    members.update({name: binary(name, keras_promote) for name in ("fmax", "fmin")})
    members.update(heaviside=binary("heaviside", lambda a, b: "bool" if promote(a, b) == "bool" else
                                    floating(promote(a, b))))
    members.update({name: binary(name, lambda a, b: floating(promote(a, b))) for name in FLOAT_BINARY})
    members.update(isclose=binary("isclose", lambda a, b: "bool"))
    members.update({name: reducer(name, lambda kind: kind) for name in NAN_SAME})
    members.update({name: reducer(name, summed) for name in NAN_SUMMED})
    members.update(nanprod=reducer("nanprod", lambda kind: "int32" if kind in INTS else kind))
    members.update({name: reducer(name, floating) for name in NAN_FLOAT})
    members.update({name: reducer(name, lambda kind: "int32") for name in ("nanargmax", "nanargmin")})
    members.update({name: nan_cumulative(name) for name in ("nancumsum", "nancumprod")})
    members.update({name: quantile(name) for name in QUANTILES})
    members.update(angle=angle, ldexp=ldexp, isin=isin, digitize=digitize, searchsorted=searchsorted,
                   count_nonzero=count_nonzero, average=average, ptp=ptp, norm=norm, trapezoid=trapezoid,
                   trace=trace, argsort=argsort, argpartition=argpartition,
                   imag=imag, view_as_complex=view_as_complex, view_as_real=view_as_real, polar=polar)
    return members
