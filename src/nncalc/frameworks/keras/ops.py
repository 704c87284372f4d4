"""``keras.ops`` over symbolic tensors: the shape rules of the operations custom layers use in ``call``.

Inside a layer's ``call`` (a custom ``Layer``, a subclassed ``Model``, a ``Lambda``'s function) an op gives a
tensor of the right shape; ``matmul``/``einsum``-like ops add their MACs to the layer's call. Outside a layer
(in functional code) an op on Keras tensors is a node of the functional graph, as in Keras 3
(:mod:`nncalc.frameworks.keras.operation`). An op not listed here is reported as unsupported.
"""

from __future__ import annotations

from math import prod

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.frameworks.keras.layer import flat_tensors
from nncalc.frameworks.keras.operation import operation_kind, run_operation
from nncalc.frameworks.keras.sizes import sizes_of
from nncalc.frameworks.keras.tensor import KerasTensor, add_call_macs, in_layer_call, operand_shape
from nncalc.layers import merge
from nncalc.layers.einsum import EinsumError, einsum_shape
from nncalc.layers.merge import broadcast_shapes, concat_shapes
from nncalc.layers.reshape import index_output, reshape_output

ELEMENTWISE_BINARY = ("add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "power",
                      "mod", "floor_divide", "arctan2", "divide_no_nan", "logaddexp", "hypot", "fmod")
COMPARISONS = ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and", "logical_or",
               "logical_xor")
ELEMENTWISE_UNARY = (
    "relu", "relu6", "sigmoid", "tanh", "gelu", "silu", "swish", "elu", "selu", "leaky_relu", "softplus",
    "softsign", "hard_sigmoid", "hard_silu", "hard_swish", "exp", "log", "sqrt", "rsqrt", "square", "abs",
    "absolute", "negative", "erf", "sign", "floor", "ceil", "round", "reciprocal", "stop_gradient", "log_sigmoid",
    "clip", "cast", "softmax", "log_softmax", "normalize", "sin", "cos", "tan", "sinh", "cosh",
    "arcsin", "arccos", "arctan", "arctanh", "log1p", "log2", "log10", "expm1", "exp2", "trunc", "mish", "celu",
    "sparse_plus", "squareplus", "tanh_shrink", "hard_tanh", "hard_shrink", "soft_shrink", "erfinv",
    "cbrt", "conj", "real", "copy", "nan_to_num", "flip", "roll", "sort", "fabs",
)
PREDICATES = ("logical_not", "isnan", "isinf", "isfinite", "signbit")
REDUCTIONS = ("mean", "sum", "max", "min", "prod", "std", "var", "amax", "amin", "logsumexp", "median", "all",
              "any")
INDEX_REDUCTIONS = ("argmax", "argmin")
NOT_OPERATIONS = ("shape", "size", "ndim", "dtype", "is_tensor")
"""Ops that read a tensor's static facts: no node of the graph, in functional code as in a layer."""


def _tensor_dtype(values) -> str:
    return next((v.dtype for v in values if isinstance(v, KerasTensor)), "float32")


def _shapes(name: str, values) -> list[tuple]:
    if not in_layer_call() and name not in NOT_OPERATIONS:
        raise unknown_layer(
            f"keras.ops.{name} on tensors outside a layer (functional code); put it inside a custom layer's call() "
            "or a keras.layers.Lambda"
        )
    return [operand_shape(v, f"keras.ops.{name}") for v in values]


def _checked(name: str, rule, *args):
    try:
        return rule(*args)
    except ShapeError as error:
        raise KerasValueError(f"keras.ops.{name} {error.message}", hint=error.hint) from None


def _axis_list(axis, rank: int, name: str) -> list[int]:
    axes = list(range(rank)) if axis is None else [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if not -rank <= a < rank:
            raise KerasValueError(f"keras.ops.{name}: axis {a} is out of range for a tensor of rank {rank}")
    return sorted(a % rank for a in axes)


def matmul_shape(a: tuple, b: tuple) -> tuple[tuple, int]:
    """NumPy's matmul (:func:`nncalc.layers.merge.matmul_shape`) with Keras's errors: (shape, MACs), an
    unknown batch counted as 1."""

    def error(kind: str, left: tuple, right: tuple) -> ShapeError:
        if kind == "rank":
            return ShapeError(f"receives {shape_text(a)} and {shape_text(b)}: matmul needs tensors of rank ≥ 1")
        return ShapeError(
            f"receives {shape_text(a)} and {shape_text(b)}: the inner sizes {left[-1]} and {right[-2]} differ",
            hint="the last axis of the first operand must equal the second-to-last of the second",
        )

    return merge.matmul_shape(a, b, lambda x, y: broadcast_shapes([x, y], show=shape_text, known_wins=True), error)


def matmul_tensors(x1, x2) -> KerasTensor:
    """``x1 @ x2`` in a layer's call: NumPy's shape rule, the MACs counted for the call."""
    a, b = _shapes("matmul", (x1, x2))
    out, macs = _checked("matmul", matmul_shape, a, b)
    add_call_macs(macs)
    return KerasTensor(out, _tensor_dtype((x1, x2)))


def einsum_tensors(name: str, equation: str, operands) -> KerasTensor:
    """``einsum(equation, *operands)``: an unknown size (the batch) is unknown in the output and counts as 1 in
    the MACs."""
    shapes = _shapes(name, list(operands))
    marker = -7  # never a real size: marks the unknown sizes through the rule
    try:
        marked, _ = einsum_shape(equation, [tuple(marker if s is None else s for s in shape) for shape in shapes])
        _, macs = einsum_shape(equation, [tuple(1 if s is None else s for s in shape) for shape in shapes])
    except EinsumError as error:
        raise KerasValueError(f"{name}({equation!r}) on {', '.join(shape_text(s) for s in shapes)}: {error}") from None
    add_call_macs(macs)
    return KerasTensor(tuple(None if s == marker else s for s in marked), _tensor_dtype(list(operands)))


def stack_tensors(name: str, xs, axis: int) -> KerasTensor:
    shapes = _shapes(name, list(xs))
    if not shapes:
        raise KerasValueError(f"{name} needs at least one tensor")
    merged = list(shapes[0])
    for shape in shapes[1:]:
        if len(shape) != len(merged) or any(a is not None and b is not None and a != b for a, b in zip(merged, shape)):
            raise KerasValueError(f"{name}: all tensors must have the same shape; received "
                                  f"{', '.join(shape_text(s) for s in shapes)}")
        merged = [a if a is not None else b for a, b in zip(merged, shape)]
    rank = len(merged) + 1
    if not -rank <= axis < rank:
        raise KerasValueError(f"{name}: axis {axis} is out of range for a result of rank {rank}")
    position = axis % rank
    return KerasTensor((*merged[:position], len(shapes), *merged[position:]), _tensor_dtype(list(xs)))


def split_tensor(name: str, x, sizes: list, axis: int) -> list:
    """``x`` cut along ``axis`` into parts of ``sizes`` (one ``-1`` takes the rest; ``None``: unknown)."""
    (shape,) = _shapes(name, (x,))
    (axis,) = _axis_list(axis, len(shape), name)
    total = shape[axis]
    if total is not None and None not in sizes:
        if -1 in sizes:
            sizes = [total - (sum(sizes) + 1) if s == -1 else s for s in sizes]
        if sum(sizes) != total:
            raise KerasValueError(f"{name}: sizes {sizes} do not add up to {total}, the size of axis {axis} of "
                                  f"{shape_text(shape)}")
    return [KerasTensor((*shape[:axis], None if s in (None, -1) else s, *shape[axis + 1:]), x.dtype) for s in sizes]


def tile_tensor(name: str, x, repeats) -> KerasTensor:
    (shape,) = _shapes(name, (x,))
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    shape = (1,) * (len(repeats) - len(shape)) + tuple(shape)
    repeats = [1] * (len(shape) - len(repeats)) + repeats
    return KerasTensor(tuple(None if s is None else s * r for s, r in zip(shape, repeats)), x.dtype)


def take_tensor(name: str, x, indices, axis) -> KerasTensor:
    """NumPy's ``take``: the indices' shape replaces ``axis`` (the flattened tensor without ``axis``)."""
    (shape,) = _shapes(name, (x,))
    picked = _index_shape(indices)
    if axis is None:
        return KerasTensor(picked, x.dtype)
    (axis,) = _axis_list(axis, len(shape), name)
    return KerasTensor((*shape[:axis], *picked, *shape[axis + 1:]), x.dtype)


def _index_shape(indices) -> tuple:
    if isinstance(indices, KerasTensor):
        return indices.shape
    if isinstance(indices, int):
        return ()
    if isinstance(indices, (list, tuple)):
        inner = {_index_shape(item) for item in indices}
        if len(inner) > 1:
            raise KerasValueError(f"indices {indices!r} are ragged")
        return (len(indices), *(inner.pop() if inner else ()))
    raise unknown_layer(f"indexing with {type(indices).__name__}")


def reduce_tensor(name: str, x, axis, keepdims: bool, dtype: str | None = None) -> KerasTensor:
    (shape,) = _shapes(name, (x,))
    axes = _axis_list(axis, len(shape), name)
    if keepdims:
        out = tuple(1 if i in axes else s for i, s in enumerate(shape))
    else:
        out = tuple(s for i, s in enumerate(shape) if i not in axes)
    return KerasTensor(out, dtype or _tensor_dtype((x,)))


def reshape_tensor(name: str, x, target) -> KerasTensor:
    """``reshape``: one ``-1`` inferred; an unknown size in the target (``None``, from ``tf.shape(x)[0]``)
    matches the input's unknown batch."""
    (shape,) = _shapes(name, (x,))
    target = tuple(target)
    return KerasTensor(_checked(name, reshape_output, tuple(shape), target), _tensor_dtype((x,)))


def squeeze_tensor(x, axis=None) -> KerasTensor:
    """``squeeze``: the axes of size 1 (or ``axis``, which must have size 1) removed."""
    (shape,) = _shapes("squeeze", (x,))
    axes = [i for i, s in enumerate(shape) if s == 1] if axis is None else _axis_list(axis, len(shape), "squeeze")
    if any(shape[a] not in (1, None) for a in axes):
        raise KerasValueError(f"keras.ops.squeeze: cannot squeeze axis {axis} of {shape_text(shape)}")
    return KerasTensor(tuple(s for i, s in enumerate(shape) if i not in axes), _tensor_dtype((x,)))


def glu_tensor(x, axis=-1) -> KerasTensor:
    """Gated linear unit: half of ``axis`` gates the other half."""
    (shape,) = _shapes("glu", (x,))
    (position,) = _axis_list(axis, len(shape), "glu")
    size = shape[position]
    if size is not None and size % 2:
        raise KerasValueError(f"keras.ops.glu: axis {axis} of {shape_text(shape)} must have an even size")
    return KerasTensor((*shape[:position], None if size is None else size // 2, *shape[position + 1:]),
                       _tensor_dtype((x,)))


def build_ops(state) -> dict:
    """The ``keras.ops`` members of one session (MACs are added to the call in progress)."""

    def binary(name):
        def op(x1, x2, *args, **kwargs):
            shapes = _shapes(name, (x1, x2))
            out = _checked(name, lambda: broadcast_shapes(shapes, show=shape_text, known_wins=True))
            return KerasTensor(out, _tensor_dtype((x1, x2)))

        return op

    def unary(name):
        def op(x, *args, **kwargs):
            (shape,) = _shapes(name, (x,))
            dtype = args[0] if name == "cast" and args else kwargs.get("dtype", _tensor_dtype((x,)))
            return KerasTensor(shape, dtype if isinstance(dtype, str) else _tensor_dtype((x,)))

        return op

    def reduction(name):
        def op(x, axis=None, keepdims=False, *args, **kwargs):
            return reduce_tensor(name, x, axis, keepdims, "bool" if name in ("all", "any") else None)

        return op

    def index_reduction(name):
        def op(x, axis=None, keepdims=False):
            return reduce_tensor(name, x, axis, keepdims, "int32")

        return op

    def predicate(name):
        def op(x, *args, **kwargs):
            (shape,) = _shapes(name, (x,))
            return KerasTensor(shape, "bool")

        return op

    def comparison(name):
        def op(x1, x2):
            shapes = _shapes(name, (x1, x2))
            out = _checked(name, lambda: broadcast_shapes(shapes, show=shape_text, known_wins=True))
            return KerasTensor(out, "bool")

        return op

    def matmul(x1, x2):
        return matmul_tensors(x1, x2)

    def reshape(x, newshape=None, **kwargs):
        return reshape_tensor("keras.ops.reshape", x, kwargs.get("new_shape", newshape))

    def transpose(x, axes=None):
        (shape,) = _shapes("transpose", (x,))
        order = list(reversed(range(len(shape)))) if axes is None else [a % len(shape) for a in axes]
        if sorted(order) != list(range(len(shape))):
            raise KerasValueError(f"keras.ops.transpose: axes {axes} do not match a tensor of rank {len(shape)}")
        return KerasTensor(tuple(shape[a] for a in order), _tensor_dtype((x,)))

    def concatenate(xs, axis=0):
        shapes = _shapes("concatenate", list(xs))
        out, _ = _checked("concatenate", concat_shapes, shapes, axis, "n", shape_text)
        return KerasTensor(out, _tensor_dtype(list(xs)))

    def expand_dims(x, axis):
        (shape,) = _shapes("expand_dims", (x,))
        position = axis if axis >= 0 else len(shape) + 1 + axis
        return KerasTensor((*shape[:position], 1, *shape[position:]), _tensor_dtype((x,)))

    def shape(x):
        (found,) = _shapes("shape", (x,))
        return sizes_of(x, found) if in_layer_call() else tuple(found)  # in a call, Keras-torch's sizes are ints

    def size(x):
        """The number of elements: a number when known, else a scalar tensor (int64 in a layer, as torch's)."""
        (found,) = _shapes("size", (x,))
        return KerasTensor((), "int64" if in_layer_call() else "int32") if None in found else prod(found)

    def dtype(x):
        return _tensor_dtype((x,)) if isinstance(x, KerasTensor) else "float32"

    def is_tensor(x):
        """A Keras tensor counts as a backend tensor only in a layer's call (where Keras runs the backend)."""
        return isinstance(x, KerasTensor) and in_layer_call()

    def ndim(x):
        return len(_shapes("ndim", (x,))[0])

    def arange(start, stop=None, step=1, dtype=None):
        """A constant ``(n,)`` tensor (position indices for an embedding): int32 unless ``dtype`` says."""
        first, last = (0, start) if stop is None else (start, stop)
        for value in (first, last, step):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise KerasValueError(f"keras.ops.arange needs known numbers; received {value!r}",
                                      hint="give the sequence length a fixed size in keras.Input(shape=...)")
        if step == 0:
            raise KerasValueError("keras.ops.arange: step must not be 0")
        count = max(0, -(-(last - first) // step))
        kind = dtype if isinstance(dtype, str) else getattr(dtype, "name", None)
        floats = any(isinstance(v, float) for v in (first, last, step))
        return KerasTensor((int(count),), kind or ("float32" if floats else "int32"))

    def stack(x, axis=0):
        return stack_tensors("keras.ops.stack", x, axis)

    def split(x, indices_or_sections, axis=0):
        """NumPy's ``split``: a number of equal parts, or the indices where parts start."""
        (shape,) = _shapes("split", (x,))
        size = shape[_axis_list(axis, len(shape), "split")[0]]
        if isinstance(indices_or_sections, int):
            if size is None:
                return split_tensor("keras.ops.split", x, [None] * indices_or_sections, axis)
            if size % indices_or_sections:
                raise KerasValueError(f"keras.ops.split: {size} does not split into {indices_or_sections} equal parts")
            return split_tensor("keras.ops.split", x, [size // indices_or_sections] * indices_or_sections, axis)
        if size is None:
            raise KerasValueError("keras.ops.split at indices needs a known size along the axis")
        bounds = [0, *indices_or_sections, size]
        return split_tensor("keras.ops.split", x, [b - a for a, b in zip(bounds, bounds[1:])], axis)

    def tile(x, repeats):
        return tile_tensor("keras.ops.tile", x, repeats)

    def take(x, indices, axis=None):
        return take_tensor("keras.ops.take", x, indices, axis)

    def einsum(subscripts, *operands, **kwargs):
        return einsum_tensors("keras.ops.einsum", subscripts, operands)

    def get_item(x, key):
        return x[key]

    def cumulative(name):
        def op(x, axis=None, dtype=None):
            """NumPy's rule: without an axis the result is the flattened running sum (product)."""
            (shape,) = _shapes(name, (x,))
            if axis is None:
                return KerasTensor((None if None in shape else prod(shape),), _tensor_dtype((x,)))
            _axis_list(axis, len(shape), name)
            return KerasTensor(shape, _tensor_dtype((x,)))

        return op

    squeeze, glu = squeeze_tensor, glu_tensor  # module-level: KerasTensor.squeeze and activations.glu use them

    def like(name):
        def op(x, *args, dtype=None, **kwargs):
            (shape,) = _shapes(name, (x,))
            return KerasTensor(shape, dtype if isinstance(dtype, str) else _tensor_dtype((x,)))

        return op

    def constant(name):
        def op(shape, *args, dtype=None, **kwargs):
            sizes = (shape,) if isinstance(shape, int) else tuple(shape)
            return KerasTensor(sizes, dtype if isinstance(dtype, str) else state.floatx)

        return op

    def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
        (shape,) = _shapes("one_hot", (x,))
        position = axis % (len(shape) + 1)
        return KerasTensor((*shape[:position], num_classes, *shape[position:]),
                           dtype if isinstance(dtype, str) else state.floatx)

    def where(condition, x1=None, x2=None):
        values = [v for v in (condition, x1, x2) if v is not None]
        shapes = _shapes("where", values)
        out = _checked("where", lambda: broadcast_shapes(shapes, show=shape_text, known_wins=True))
        return KerasTensor(out, _tensor_dtype([v for v in (x1, x2) if v is not None]) if x1 is not None else "int64")

    def broadcast_to(x, shape):
        (found,) = _shapes("broadcast_to", (x,))
        out = _checked("broadcast_to", lambda: broadcast_shapes([found, tuple(shape)], show=shape_text,
                                                                known_wins=True))
        return KerasTensor(out, _tensor_dtype((x,)))

    def swapaxes(x, axis1, axis2):
        (shape,) = _shapes("swapaxes", (x,))
        order = list(range(len(shape)))
        a, b = axis1 % len(shape), axis2 % len(shape)
        order[a], order[b] = order[b], order[a]
        return KerasTensor(tuple(shape[i] for i in order), _tensor_dtype((x,)))

    def repeat(x, repeats, axis=None):
        (shape,) = _shapes("repeat", (x,))
        if not isinstance(repeats, int):
            raise unknown_layer("keras.ops.repeat with per-element repeats")
        if axis is None:
            total = None if None in shape else prod(shape) * repeats
            return KerasTensor((total,), _tensor_dtype((x,)))
        (axis,) = _axis_list(axis, len(shape), "repeat")
        size = shape[axis]
        return KerasTensor((*shape[:axis], None if size is None else size * repeats, *shape[axis + 1:]),
                           _tensor_dtype((x,)))

    members = {name: binary(name) for name in ELEMENTWISE_BINARY}
    members.update({name: unary(name) for name in ELEMENTWISE_UNARY})
    members.update({name: reduction(name) for name in REDUCTIONS})
    members.update({name: index_reduction(name) for name in INDEX_REDUCTIONS})
    members.update({name: predicate(name) for name in PREDICATES})
    members.update({name: comparison(name) for name in COMPARISONS})
    members.update({name: like(name) for name in ("zeros_like", "ones_like", "full_like", "empty_like")})
    members.update({name: cumulative(name) for name in ("cumsum", "cumprod")})
    members.update({name: constant(name) for name in ("zeros", "ones", "full", "empty")})
    members.update(matmul=matmul, reshape=reshape, transpose=transpose, concatenate=concatenate,
                   expand_dims=expand_dims, squeeze=squeeze, arange=arange, stack=stack, split=split, tile=tile,
                   take=take, einsum=einsum, get_item=get_item, one_hot=one_hot, where=where,
                   broadcast_to=broadcast_to, swapaxes=swapaxes, repeat=repeat, glu=glu)
    operations = {name: functional(name, op) for name, op in members.items()}
    operations.update(shape=shape, size=size, ndim=ndim, dtype=dtype, is_tensor=is_tensor)
    operations[ON_DEMAND] = members  # what the families loaded on demand build on
    return operations


ON_DEMAND = "__families__"
"""The key under which :func:`build_ops` leaves its plain members for :func:`build_family_ops`."""


def build_family_ops(state, base: dict) -> dict:
    """The ``keras.ops`` members of the op families a file needs only now and then (math, arrays, linear algebra,
    FFT, neural-network and core ops): imported when a file first uses a name :func:`build_ops` lacks, so the
    start-up does not grow with them. ``base``: :func:`build_ops`'s plain members."""
    from nncalc.frameworks.keras import ops_arrays, ops_core, ops_fft, ops_linalg, ops_math, ops_nn

    members = dict(base)
    members.update(ops_math.build_math(state), **ops_linalg.build_linalg(state), **ops_fft.build_fft(state))
    members.update(ops_arrays.build_arrays(state, members))
    operations = {name: functional(name, op) for name, op in members.items() if name not in base}
    operations.update(ops_nn.build_nn_ops(state), **ops_core.build_core_ops(state))
    return operations


def functional(name: str, op):
    """``op``, which on Keras tensors outside a layer's call becomes a functional-graph operation."""
    kind = operation_kind(name)

    def run(*args, **kwargs):
        if not in_layer_call() and flat_tensors([list(args), kwargs]):
            return run_operation(kind, op, args, kwargs, what=f"keras.ops.{name}")
        return op(*args, **kwargs)

    run.__name__ = name
    return run


class SeedGenerator:
    """``keras.random.SeedGenerator(seed)``: random state, which nncalc never draws from."""

    def __init__(self, seed=None, **kwargs):
        self.seed = seed


def build_random() -> dict:
    """``keras.random``: samplers give tensors of the requested shape (a ``None`` batch stays unknown), inside a
    layer's ``call`` as ``keras.ops`` do."""

    def sampler(name: str):
        def draw(shape, *args, dtype=None, seed=None, **kwargs):
            if not in_layer_call():
                raise unknown_layer(f"keras.random.{name} outside a layer (functional code)")
            sizes = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
            return KerasTensor(sizes, dtype if isinstance(dtype, str) else "float32")

        draw.__name__ = name
        return draw

    def like_input(name: str):
        def draw(inputs, *args, **kwargs):
            (shape,) = _shapes(f"random.{name}", (inputs,))
            return KerasTensor(shape, _tensor_dtype((inputs,)))

        return draw

    members = {name: sampler(name) for name in ("normal", "uniform", "truncated_normal", "randint", "categorical",
                                                "beta", "gamma", "binomial")}
    members.update(dropout=like_input("dropout"), shuffle=like_input("shuffle"), SeedGenerator=SeedGenerator)
    return members
