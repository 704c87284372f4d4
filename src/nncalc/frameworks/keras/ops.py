"""``keras.ops`` over symbolic tensors: the shape rules of the operations custom layers use in ``call``.

Inside a layer's ``call`` (a custom ``Layer``, a subclassed ``Model``, a ``Lambda``'s function) an op gives a
tensor of the right shape; ``matmul``/``dot``-like ops add their MACs to the layer's call. Outside a layer (in
functional code) an op would be a graph operation nncalc does not represent: it is reported as unsupported,
as is every op not listed here.
"""

from __future__ import annotations

from math import prod

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.frameworks.keras.tensor import KerasTensor, in_layer_call, operand_shape
from nncalc.layers import merge
from nncalc.layers.merge import broadcast_shapes, concat_shapes
from nncalc.layers.reshape import reshape_output

ELEMENTWISE_BINARY = ("add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "power")
ELEMENTWISE_UNARY = (
    "relu", "relu6", "sigmoid", "tanh", "gelu", "silu", "swish", "elu", "selu", "leaky_relu", "softplus",
    "softsign", "hard_sigmoid", "hard_silu", "hard_swish", "exp", "log", "sqrt", "rsqrt", "square", "abs",
    "absolute", "negative", "erf", "sign", "floor", "ceil", "round", "reciprocal", "stop_gradient", "log_sigmoid",
    "identity", "clip", "cast", "softmax", "log_softmax", "normalize",
)
REDUCTIONS = ("mean", "sum", "max", "min", "prod", "std", "var", "amax", "amin", "logsumexp")


def _tensor_dtype(values) -> str:
    return next((v.dtype for v in values if isinstance(v, KerasTensor)), "float32")


def _shapes(name: str, values) -> list[tuple]:
    if not in_layer_call():
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

    return merge.matmul_shape(a, b, lambda x, y: broadcast_shapes([x, y], show=shape_text), error)


def build_ops(state) -> dict:
    """The ``keras.ops`` members of one session (MACs are added to the call in progress of ``state``)."""

    def add_macs(macs: int) -> None:
        record = state.current
        if record is not None and macs:
            record.macs += macs

    def binary(name):
        def op(x1, x2, *args, **kwargs):
            shapes = _shapes(name, (x1, x2))
            out = _checked(name, lambda: broadcast_shapes(shapes, show=shape_text))
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
            (shape,) = _shapes(name, (x,))
            axes = _axis_list(axis, len(shape), name)
            if keepdims:
                out = tuple(1 if i in axes else s for i, s in enumerate(shape))
            else:
                out = tuple(s for i, s in enumerate(shape) if i not in axes)
            return KerasTensor(out, _tensor_dtype((x,)))

        return op

    def matmul(x1, x2):
        a, b = _shapes("matmul", (x1, x2))
        out, macs = _checked("matmul", matmul_shape, a, b)
        add_macs(macs)
        return KerasTensor(out, _tensor_dtype((x1, x2)))

    def reshape(x, newshape=None, **kwargs):
        (shape,) = _shapes("reshape", (x,))
        target = tuple(kwargs.get("new_shape", newshape))
        if any(s is None for s in shape):
            return KerasTensor(tuple(None if t == -1 else t for t in target), _tensor_dtype((x,)))
        return KerasTensor(_checked("reshape", reshape_output, shape, target), _tensor_dtype((x,)))

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

    def squeeze(x, axis=None):
        (shape,) = _shapes("squeeze", (x,))
        axes = [i for i, s in enumerate(shape) if s == 1] if axis is None else _axis_list(axis, len(shape), "squeeze")
        if any(shape[a] not in (1, None) for a in axes):
            raise KerasValueError(f"keras.ops.squeeze: cannot squeeze axis {axis} of {shape_text(shape)}")
        return KerasTensor(tuple(s for i, s in enumerate(shape) if i not in axes), _tensor_dtype((x,)))

    def shape(x):
        (found,) = _shapes("shape", (x,))
        return tuple(found)

    def size(x):
        (found,) = _shapes("size", (x,))
        return None if None in found else prod(found)

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

    members = {name: binary(name) for name in ELEMENTWISE_BINARY}
    members.update({name: unary(name) for name in ELEMENTWISE_UNARY})
    members.update({name: reduction(name) for name in REDUCTIONS})
    members.update(matmul=matmul, reshape=reshape, transpose=transpose, concatenate=concatenate,
                   expand_dims=expand_dims, squeeze=squeeze, shape=shape, size=size, ndim=ndim,
                   arange=arange)
    return members


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
