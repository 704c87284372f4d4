"""NumPy-style ``keras.ops`` that rearrange or create tensors: ``hstack``, ``array_split``, ``moveaxis``,
``diagonal``, ``rot90``, ``unstack``, ``meshgrid``, ``eye``, ``linspace``, the window functions, ``vander``…
Shapes and dtypes as Keras 3 gives them inside a layer's ``call`` (:func:`~.op_support.traced` for unknown
sizes). An output whose size depends on the values (``unique``, ``bincount``) has that size unknown, never guessed."""

from __future__ import annotations

from math import prod

from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.frameworks.keras.op_support import (
    INTS, axis_index, floating, keras_promote, needs_rank, promote, tensor_shape, traced,
)
from nncalc.frameworks.keras.ops import _checked, _shapes, split_tensor
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.merge import broadcast_shapes

WINDOWS = ("bartlett", "blackman", "hamming", "hanning")


def _kind(dtype) -> str | None:
    return dtype if isinstance(dtype, str) else getattr(dtype, "name", None)


def _count(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise KerasValueError(f"{what} needs a known non-negative int; received {value!r}")
    return value


def diagonal_length(rows: int, cols: int, offset: int) -> int:
    """The length of the diagonal ``offset`` of a ``rows × cols`` matrix (NumPy's rule)."""
    return max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))


def build_arrays(state, members: dict) -> dict:
    """The rearranging and creating NumPy-style members of ``keras.ops``; ``members`` are the ops built so far
    (``split``, ``concatenate``), which some of these are made of."""

    def one(name, x) -> tuple:
        (shape,) = _shapes(name, (x,))
        return shape

    def append(x1, x2, axis=None):
        a, b = _shapes("append", (x1, x2))
        if axis is None:
            return KerasTensor(traced(lambda p, q: (prod(p) + prod(q),), a, b), promote(x1, x2))
        joined = members["concatenate"]([x1, x2], axis=axis)
        return KerasTensor(joined.shape, promote(x1, x2))

    def array_split(x, indices_or_sections, axis=0):
        shape = one("array_split", x)
        position = axis_index(axis, len(shape), "keras.ops.array_split")
        size = shape[position]
        if isinstance(indices_or_sections, bool) or not isinstance(indices_or_sections, int):
            raise KerasValueError("keras.ops.array_split: Argument `indices_or_sections` must be of type `int`. "
                                  f"Received: indices_or_sections={indices_or_sections!r}",
                                  hint="keras.ops.split takes the indices where parts start")
        parts = indices_or_sections
        if parts == 0:
            raise KerasValueError("keras.ops.array_split: the number of sections must be larger than 0")
        if size is None:
            return split_tensor("keras.ops.array_split", x, [None] * parts, position)
        sizes = [size // parts + (1 if i < size % parts else 0) for i in range(parts)]
        return split_tensor("keras.ops.array_split", x, sizes, position)

    def split_along(name, axis_of):
        def op(x, indices_or_sections):
            shape = one(name, x)
            axis, least = axis_of(len(shape))
            needs_rank(shape, least, f"keras.ops.{name}")
            return members["split"](x, indices_or_sections, axis)

        return op

    def at_least(shape: tuple, rank: int) -> tuple:
        if len(shape) >= rank:
            return shape
        if rank == 2:
            return (1, *shape) if shape else (1, 1)
        return {0: (1, 1, 1), 1: (1, *shape, 1), 2: (*shape, 1)}[len(shape)]

    def stacker(name, rank_of, axis_of):
        def op(xs):
            xs = list(xs)
            shapes = _shapes(name, xs)
            rank = rank_of(shapes)
            widened = [KerasTensor(at_least(s, rank), x.dtype if isinstance(x, KerasTensor) else "float32")
                       for s, x in zip(shapes, xs)]
            joined = members["concatenate"](widened, axis=axis_of(shapes))
            return KerasTensor(joined.shape, promote(*xs))

        return op

    def diag(x, k=0):
        shape = one("diag", x)
        if len(shape) == 1:
            return KerasTensor(traced(lambda s: (s[0] + abs(k),) * 2, shape), x.dtype)
        if len(shape) == 2:
            return KerasTensor(traced(lambda s: (diagonal_length(s[0], s[1], k),), shape), x.dtype)
        raise KerasValueError(f"keras.ops.diag needs a tensor of rank 1 or 2; received shape {shape_text(shape)}")

    def diagflat(x, k=0):
        shape = one("diagflat", x)
        return KerasTensor(traced(lambda s: (prod(s) + abs(k),) * 2, shape), x.dtype)

    def diagonal(x, offset=0, axis1=0, axis2=1):
        shape = one("diagonal", x)
        needs_rank(shape, 2, "keras.ops.diagonal")
        first, second = (axis_index(a, len(shape), "keras.ops.diagonal") for a in (axis1, axis2))
        if first == second:
            raise KerasValueError("keras.ops.diagonal: axis1 and axis2 must differ")

        def rule(s):
            kept = tuple(v for i, v in enumerate(s) if i not in (first, second))
            return (*kept, diagonal_length(s[first], s[second], offset))

        return KerasTensor(traced(rule, shape), x.dtype)

    def diff(a, n=1, axis=-1):
        shape = one("diff", a)
        position = axis_index(axis, len(shape), "keras.ops.diff")
        size = shape[position]
        out = None if size is None else max(0, size - n)
        return KerasTensor((*shape[:position], out, *shape[position + 1:]), a.dtype)

    def moveaxis(x, source, destination):
        shape = one("moveaxis", x)
        sources = [source] if isinstance(source, int) else list(source)
        targets = [destination] if isinstance(destination, int) else list(destination)
        if len(sources) != len(targets):
            raise KerasValueError("keras.ops.moveaxis: source and destination must have the same number of "
                                  f"elements; received {source} and {destination}")
        sources = [axis_index(a, len(shape), "keras.ops.moveaxis") for a in sources]
        targets = [axis_index(a, len(shape), "keras.ops.moveaxis") for a in targets]
        order = [i for i in range(len(shape)) if i not in sources]
        for target, origin in sorted(zip(targets, sources)):
            order.insert(target, origin)
        return KerasTensor(tuple(shape[i] for i in order), x.dtype)

    def ravel(x):
        return KerasTensor(traced(lambda s: (prod(s),), one("ravel", x)), x.dtype)

    def rot90(array, k=1, axes=(0, 1)):
        shape = one("rot90", array)
        needs_rank(shape, 2, "keras.ops.rot90")
        first, second = (axis_index(a, len(shape), "keras.ops.rot90") for a in axes)
        if first == second:
            raise KerasValueError(f"keras.ops.rot90: the axes must differ; received axes={axes}")
        out = list(shape)
        if k % 2:
            out[first], out[second] = shape[second], shape[first]
        return KerasTensor(tuple(out), array.dtype)

    def unstack(x, num=None, axis=0):
        shape = one("unstack", x)
        position = axis_index(axis, len(shape), "keras.ops.unstack")
        count = shape[position] if shape[position] is not None else num
        if count is None:
            raise KerasValueError(f"keras.ops.unstack: axis {axis} of {shape_text(shape)} has an unknown size, so the "
                                  "number of tensors is unknown", hint="give num=, or a fixed size in keras.Input")
        rest = shape[:position] + shape[position + 1:]
        return [KerasTensor(rest, x.dtype) for _ in range(count)]

    def meshgrid(*x, indexing="xy"):
        if indexing not in ("xy", "ij"):
            raise KerasValueError(f"keras.ops.meshgrid: indexing must be 'xy' or 'ij'; received {indexing!r}")
        shapes = _shapes("meshgrid", list(x))

        def rule(*found):
            sizes = [prod(s) for s in found]
            if indexing == "xy" and len(sizes) > 1:
                sizes[0], sizes[1] = sizes[1], sizes[0]
            return [tuple(sizes)] * len(sizes)

        return [KerasTensor(s, t.dtype) for s, t in zip(traced(rule, *shapes), x)]

    def eye(N, M=None, k=0, dtype=None):  # noqa: N803 - Keras's argument names
        rows = _count(N, "keras.ops.eye")
        cols = rows if M is None else _count(M, "keras.ops.eye")
        return KerasTensor((rows, cols), _kind(dtype) or state.floatx)

    def identity(n, dtype=None):
        return eye(n, dtype=dtype)

    def tri(N, M=None, k=0, dtype=None):  # noqa: N803 - Keras's argument names
        return eye(N, M, dtype=dtype)

    def spaced(name):
        def op(start, stop, num=50, endpoint=True, *args, dtype=None, axis=0, **kwargs):
            if kwargs.get("retstep"):
                raise unknown_layer(f"keras.ops.{name} with retstep=True")
            count = _count(num, f"keras.ops.{name}")
            ends = [v for v in (start, stop) if not isinstance(v, (int, float))]
            base = traced(lambda *s: _checked(name, lambda: broadcast_shapes(list(s), show=shape_text)),
                          *_shapes(name, ends)) if ends else ()
            position = axis_index(axis, len(base) + 1, f"keras.ops.{name}")
            kind = _kind(dtype) or (floating(promote(*ends)) if ends else state.floatx)
            return KerasTensor((*base[:position], count, *base[position:]), kind)

        return op

    def window(name):
        def op(x, *args, **kwargs):
            return KerasTensor((_count(x, f"keras.ops.{name}"),), state.floatx)

        return op

    def array(x, dtype=None):
        if isinstance(x, KerasTensor):
            return KerasTensor(x.shape, _kind(dtype) or x.dtype)
        shape = tensor_shape(x, "keras.ops.array")
        leaves = _leaves(x)
        kind = "float32" if any(isinstance(v, float) for v in leaves) else (
            "bool" if leaves and all(isinstance(v, bool) for v in leaves) else "int32")
        return KerasTensor(shape, _kind(dtype) or kind)

    def vander(x, N=None, increasing=False):  # noqa: N803 - Keras's argument name
        shape = one("vander", x)
        if len(shape) != 1:
            raise KerasValueError(f"keras.ops.vander needs a 1-D tensor; received shape {shape_text(shape)}")
        return KerasTensor((shape[0], shape[0] if N is None else _count(N, "keras.ops.vander")), keras_promote(x))

    def unravel_index(indices, shape):
        found = tensor_shape(indices, "keras.ops.unravel_index")
        kind = keras_promote(indices) if isinstance(indices, KerasTensor) else "int32"
        return tuple(KerasTensor(found, kind) for _ in shape)

    def histogram(x, bins=10, range=None):  # noqa: A002 - Keras's argument name
        shape = one("histogram", x)
        if len(shape) != 1:
            raise KerasValueError(f"keras.ops.histogram needs a 1-D tensor; received shape {shape_text(shape)}")
        count = _count(bins, "keras.ops.histogram")
        kind = floating(x.dtype)
        return KerasTensor((count,), kind), KerasTensor((count + 1,), kind)

    def unique(x, sorted=True, return_inverse=False, return_counts=False, axis=None, size=None,  # noqa: A002
               fill_value=None):
        """The distinct values: how many depends on the data, an unknown size unless ``size`` fixes it."""
        shape = one("unique", x)
        count = None if size is None else _count(size, "keras.ops.unique")
        if axis is None:
            values, inverse = (count,), shape
        else:
            position = axis_index(axis, len(shape), "keras.ops.unique")
            values, inverse = (*shape[:position], count, *shape[position + 1:]), (shape[position],)
        out = [KerasTensor(values, x.dtype)]
        if return_inverse:
            out.append(KerasTensor(inverse, "int64"))
        if return_counts:
            out.append(KerasTensor((count,), "int64"))
        return out[0] if len(out) == 1 else tuple(out)

    def bincount(x, weights=None, minlength=0, sparse=False):
        """Counts of each value up to the largest: a length the data decides, unknown here."""
        shape = one("bincount", x)
        if len(shape) not in (1, 2) or x.dtype not in INTS:
            raise KerasValueError(f"keras.ops.bincount needs a 1-D or 2-D int tensor; received {x.dtype} of shape "
                                  f"{shape_text(shape)}")
        kind = weights.dtype if isinstance(weights, KerasTensor) else "int32"
        return KerasTensor((*shape[:-1], None), kind)

    def corrcoef(x):
        shape = one("corrcoef", x)
        if len(shape) > 2:
            raise KerasValueError(f"keras.ops.corrcoef needs a tensor of rank ≤ 2; received {shape_text(shape)}")
        out = () if len(shape) < 2 else (shape[0], shape[0])
        return KerasTensor(out, floating(x.dtype, wide_int64=True))

    def pad(x, pad_width, mode="constant", constant_values=None):
        """NumPy's ``pad``: ``pad_width`` an int, one ``(before, after)`` pair for every axis, or one pair (or
        one int) per axis; an unknown size stays unknown. One pair for a tensor of a higher rank pads every axis
        on ``keras.Input`` (Keras's symbolic rule) but only the last one inside a layer's ``call``, where Keras's
        torch backend hands the pairs to ``F.pad``."""
        shape = one("pad", x)
        pairs = _pad_pairs(pad_width, shape)
        if state.current is not None and len(shape) > 1 and len(set(pairs)) == 1 and _one_pair(pad_width):
            pairs = [(0, 0)] * (len(shape) - 1) + pairs[-1:]
        if constant_values is not None and mode != "constant":
            raise KerasValueError(f"keras.ops.pad: constant_values is only for mode='constant'. Received: mode={mode!r}")
        out = tuple(None if size is None else size + before + after for size, (before, after) in zip(shape, pairs))
        return KerasTensor(out, x.dtype)

    built = {name: window(name) for name in WINDOWS}
    built.update({name: spaced(name) for name in ("linspace", "logspace", "geomspace")})
    built.update(
        hsplit=split_along("hsplit", lambda rank: (1 if rank > 1 else 0, 1)),
        vsplit=split_along("vsplit", lambda rank: (0, 2)), dsplit=split_along("dsplit", lambda rank: (2, 3)),
        hstack=stacker("hstack", lambda shapes: 1, lambda shapes: 0 if all(len(s) <= 1 for s in shapes) else 1),
        vstack=stacker("vstack", lambda shapes: 2, lambda shapes: 0),
        dstack=stacker("dstack", lambda shapes: 3, lambda shapes: 2),
        append=append, array_split=array_split, diag=diag, diagflat=diagflat, diagonal=diagonal, diff=diff,
        moveaxis=moveaxis, ravel=ravel, rot90=rot90, unstack=unstack, meshgrid=meshgrid, eye=eye,
        identity=identity, tri=tri, kaiser=window("kaiser"), array=array, vander=vander,
        unravel_index=unravel_index, histogram=histogram, corrcoef=corrcoef, unique=unique, bincount=bincount,
        pad=pad,
    )
    return built


def _one_pair(pad_width) -> bool:
    """True when ``pad_width`` gives one pair for all axes (``2``, ``(1, 2)``, ``((1, 2),)``)."""
    return not isinstance(pad_width, (tuple, list)) or len(pad_width) == 1 or isinstance(pad_width[0], int)


def _pad_pairs(pad_width, shape: tuple) -> list:
    """``pad_width`` as one ``(before, after)`` pair per axis of ``shape``, read as Keras's ``Pad`` reads it."""
    if isinstance(pad_width, int) and not isinstance(pad_width, bool):
        pairs = [(pad_width, pad_width)]
    elif isinstance(pad_width, (tuple, list)) and pad_width and isinstance(pad_width[0], int):
        pairs = [tuple(pad_width)]
    elif isinstance(pad_width, (tuple, list)) and pad_width and all(isinstance(p, (tuple, list)) for p in pad_width):
        pairs = [tuple(p) * 2 if len(p) == 1 else tuple(p) for p in pad_width]
    else:
        raise KerasValueError(f"keras.ops.pad: pad_width must be an int or (before, after) pairs. Received: "
                              f"pad_width={pad_width!r}")
    if any(len(p) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in p) for p in pairs):
        raise KerasValueError(f"`pad_width` should be a list of tuples of length 1 or 2. Received: pad_width={pad_width!r}")
    if len(pairs) == 1:
        return pairs * len(shape)
    if len(pairs) != len(shape):
        raise KerasValueError(f"`pad_width` must have the same length as `x.shape`. Received: pad_width={pad_width!r} "
                              f"(of length {len(pairs)}) and x.shape={shape_text(shape)} (of length {len(shape)})")
    return pairs


def _leaves(value) -> list:
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]
