"""Products and linear algebra in ``keras.ops``: ``dot``, ``inner``, ``outer``, ``tensordot``, ``vdot``, ``kron``,
``cross``, ``correlate``, and the matrix functions (``inv``, ``solve``, ``qr``, ``svd``, ``eigh``…).

The products that contract axes count their multiply-adds for the layer's call (one per product summed, an unknown
batch counted as 1, as ``matmul``); ``correlate`` counts as a 1-D convolution (output length × the shorter
tensor's length). ``outer``, ``kron`` and ``cross`` multiply elements only and count none, and the
decompositions count none either (no published convention counts them)."""

from __future__ import annotations

from math import prod

from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.op_support import axis_index, floating, keras_promote, promote, traced
from nncalc.frameworks.keras.ops import _checked, _shapes, matmul_shape
from nncalc.frameworks.keras.tensor import KerasTensor, add_call_macs
from nncalc.layers.merge import broadcast_shapes

SQUARE_SAME = ("cholesky", "cholesky_inverse", "inv")
COMPLEX_OF = {"float64": "complex128"}


def _macs(shape: tuple, contracted) -> int:
    return prod(1 if s is None else s for s in shape) * prod(1 if s is None else s for s in contracted)


def _contract(name: str, left: tuple, right: tuple, left_axes: list, right_axes: list) -> tuple:
    """The shape of contracting ``left_axes`` of ``left`` with ``right_axes`` of ``right`` (``tensordot``)."""
    for i, j in zip(left_axes, right_axes):
        if left[i] is not None and right[j] is not None and left[i] != right[j]:
            raise KerasValueError(f"keras.ops.{name}: {shape_text(left)} and {shape_text(right)} cannot be "
                                  f"contracted: axis {i} has size {left[i]}, axis {j} has size {right[j]}")
    kept_left = tuple(s for i, s in enumerate(left) if i not in left_axes)
    kept_right = tuple(s for j, s in enumerate(right) if j not in right_axes)
    contracted = [left[i] if left[i] is not None else right[j] for i, j in zip(left_axes, right_axes)]
    out = kept_left + kept_right
    add_call_macs(_macs(out, contracted))
    return out


def _square(name: str, shape: tuple) -> int:
    if len(shape) < 2 or (None not in shape[-2:] and shape[-1] != shape[-2]):
        raise KerasValueError(f"keras.ops.{name} needs square matrices (…, n, n); received shape {shape_text(shape)}")
    return shape[-1]


def _batch(name: str, *shapes) -> tuple:
    return _checked(name, lambda: broadcast_shapes(list(shapes), show=shape_text, known_wins=True))


def build_linalg(state) -> dict:
    """The product and linear-algebra members of ``keras.ops``."""

    def product_or_scale(name, x1, x2):
        a, b = _shapes(name, (x1, x2))
        if not a or not b:
            return KerasTensor(_batch(name, a, b), promote(x1, x2)), None
        return None, (a, b)

    def dot(x1, x2):
        """A product with a scalar, else ``matmul``: Keras's torch backend computes ``dot`` so (NumPy's ``dot``
        differs only for two operands of rank ≥ 3)."""
        scaled, shapes = product_or_scale("dot", x1, x2)
        if scaled is not None:
            return KerasTensor(scaled.shape, keras_promote(x1, x2))
        out, macs = _checked("dot", matmul_shape, *shapes)
        add_call_macs(macs)
        return KerasTensor(out, keras_promote(x1, x2))

    def inner(x1, x2):
        scaled, shapes = product_or_scale("inner", x1, x2)
        if scaled is not None:
            return scaled
        a, b = shapes
        return KerasTensor(_contract("inner", a, b, [len(a) - 1], [len(b) - 1]), keras_promote(x1, x2))

    def tensordot(x1, x2, axes=2):
        a, b = _shapes("tensordot", (x1, x2))
        if isinstance(axes, int):
            if axes > min(len(a), len(b)):
                raise KerasValueError(f"keras.ops.tensordot: axes={axes} is more than the rank of {shape_text(a)} "
                                      f"or {shape_text(b)}")
            left, right = list(range(len(a) - axes, len(a))), list(range(axes))
        else:
            left, right = ([d] if isinstance(d, int) else list(d) for d in axes)
            if len(left) != len(right):
                raise KerasValueError(f"keras.ops.tensordot: axes {axes} pair unequal numbers of axes")
        left = [axis_index(d, len(a), "keras.ops.tensordot") for d in left]
        right = [axis_index(d, len(b), "keras.ops.tensordot") for d in right]
        return KerasTensor(_contract("tensordot", a, b, left, right), promote(x1, x2))

    def vdot(x1, x2):
        a, b = _shapes("vdot", (x1, x2))
        if len(a) != 1 or len(b) != 1:
            raise KerasValueError(f"keras.ops.vdot needs 1-D tensors; received {shape_text(a)} and {shape_text(b)}")
        _contract("vdot", a, b, [0], [0])
        return KerasTensor((), keras_promote(x1, x2))

    def outer(x1, x2):
        shapes = _shapes("outer", (x1, x2))
        return KerasTensor(traced(lambda a, b: (prod(a), prod(b)), *shapes), promote(x1, x2))

    def kron(x1, x2):
        def rule(a, b):
            rank = max(len(a), len(b))
            a, b = (1,) * (rank - len(a)) + a, (1,) * (rank - len(b)) + b
            return tuple(p * q for p, q in zip(a, b))

        return KerasTensor(traced(rule, *_shapes("kron", (x1, x2))), promote(x1, x2))

    def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
        if axis is not None:
            axisa = axisb = axisc = axis
        a, b = _shapes("cross", (x1, x2))
        first, second = axis_index(axisa, len(a), "keras.ops.cross"), axis_index(axisb, len(b), "keras.ops.cross")
        if a[first] not in (3, None) or b[second] not in (3, None):
            raise KerasValueError(f"keras.ops.cross: the vectors must have 3 components; received "
                                  f"{shape_text(a)} (axis {axisa}) and {shape_text(b)} (axis {axisb})")
        rest = _batch("cross", a[:first] + a[first + 1:], b[:second] + b[second + 1:])
        position = axis_index(axisc, len(rest) + 1, "keras.ops.cross")
        return KerasTensor((*rest[:position], 3, *rest[position:]), keras_promote(x1, x2))

    def correlate(x1, x2, mode="valid"):
        """NumPy's lengths ('same' keeps the first tensor's), a length of 1 squeezed away as Keras's torch
        backend does."""
        a, b = _shapes("correlate", (x1, x2))
        if len(a) != 1 or len(b) != 1:
            raise KerasValueError(f"keras.ops.correlate needs 1-D tensors; received {shape_text(a)} and "
                                  f"{shape_text(b)}")
        lengths = {"valid": lambda n, m: max(n, m) - min(n, m) + 1, "same": lambda n, m: n,
                   "full": lambda n, m: n + m - 1}
        if mode not in lengths:
            raise KerasValueError(f"keras.ops.correlate: mode must be 'valid', 'same' or 'full'; received {mode!r}")
        out = traced(lambda p, q: (lengths[mode](p[0], q[0]),), a, b)
        add_call_macs(_macs(out, (min(1 if s is None else s for s in (a[0], b[0])),)))
        return KerasTensor(() if out == (1,) else out, floating(keras_promote(x1, x2)))

    def one_matrix(name, x) -> tuple:
        (shape,) = _shapes(name, (x,))
        if len(shape) < 2:
            raise KerasValueError(f"keras.ops.{name} needs a matrix (rank ≥ 2); received shape {shape_text(shape)}")
        return shape

    def square_same(name):
        def op(x, *args, **kwargs):
            (shape,) = _shapes(name, (x,))
            _square(name, shape)
            return KerasTensor(shape, x.dtype)

        return op

    def determinant(name):
        def op(x):
            (shape,) = _shapes(name, (x,))
            _square(name, shape)
            return KerasTensor(shape[:-2], x.dtype)

        return op

    def slogdet(x):
        sign = determinant("slogdet")(x)
        return sign, KerasTensor(sign.shape, x.dtype)

    def eig(x):
        (shape,) = _shapes("eig", (x,))
        _square("eig", shape)
        kind = COMPLEX_OF.get(x.dtype, "complex64")
        return KerasTensor(shape[:-1], kind), KerasTensor(shape, kind)

    def eigh(x):
        (shape,) = _shapes("eigh", (x,))
        _square("eigh", shape)
        return KerasTensor(shape[:-1], x.dtype), KerasTensor(shape, x.dtype)

    def lu_factor(x):
        shape = one_matrix("lu_factor", x)
        pivots = traced(lambda s: (*s[:-2], min(s[-2:])), shape)
        return KerasTensor(shape, x.dtype), KerasTensor(pivots, "int32")

    def matrix_rank(x, *args, **kwargs):
        return KerasTensor(one_matrix("matrix_rank", x)[:-2], "int32")

    def pinv(x, rcond=1e-15):
        shape = one_matrix("pinv", x)
        return KerasTensor((*shape[:-2], shape[-1], shape[-2]), x.dtype)

    def qr(x, mode="reduced"):
        shape = one_matrix("qr", x)
        if mode not in ("reduced", "complete"):
            raise KerasValueError(f"keras.ops.qr: mode must be 'reduced' or 'complete'; received {mode!r}")

        def rule(s):
            *batch, m, n = s
            k = m if mode == "complete" else min(m, n)
            return [(*batch, m, k), (*batch, k, n)]

        q, r = traced(rule, shape)
        return KerasTensor(q, x.dtype), KerasTensor(r, x.dtype)

    def svd(x, full_matrices=True, compute_uv=True):
        shape = one_matrix("svd", x)

        def rule(s):
            *batch, m, n = s
            k = min(m, n)
            if full_matrices:
                return [(*batch, m, m), (*batch, k), (*batch, n, n)]
            return [(*batch, m, k), (*batch, k), (*batch, k, n)]

        u, s, v = (KerasTensor(found, x.dtype) for found in traced(rule, shape))
        return (u, s, v) if compute_uv else s

    def solver(name):
        def op(a, b, *args, **kwargs):
            left, right = _shapes(name, (a, b))
            n = _square(name, left)
            vector = len(right) == len(left) - 1
            rows = right[-1] if vector else right[-2] if len(right) >= 2 else None
            if n is not None and rows is not None and rows != n:
                raise KerasValueError(f"keras.ops.{name}: {shape_text(left)} and {shape_text(right)} do not fit: "
                                      f"the right-hand side needs {n} rows")
            tail = right[-1:] if vector else right[-2:]
            return KerasTensor((*_batch(name, left[:-2], right[:len(right) - len(tail)]), *tail), promote(a, b))

        return op

    def lstsq(a, b, rcond=None):
        left, right = _shapes("lstsq", (a, b))
        if len(left) < 2:
            raise KerasValueError(f"keras.ops.lstsq needs a matrix; received shape {shape_text(left)}")
        vector = len(right) == len(left) - 1
        tail = () if vector else right[-1:]
        return KerasTensor((*left[:-2], left[-1], *tail), promote(a, b))

    members = {name: square_same(name) for name in SQUARE_SAME}
    members.update({name: determinant(name) for name in ("det", "logdet")})
    members.update({name: solver(name) for name in ("solve", "solve_triangular")})
    members.update(dot=dot, inner=inner, tensordot=tensordot, vdot=vdot, outer=outer, kron=kron, cross=cross,
                   correlate=correlate, slogdet=slogdet, eig=eig, eigh=eigh, lu_factor=lu_factor,
                   matrix_rank=matrix_rank, pinv=pinv, qr=qr, svd=svd, lstsq=lstsq)
    return members
