"""The ``tf.*`` ops a ``tf.keras`` model uses in a custom layer's ``call`` (and in functional code), over the same
shape rules as ``keras.ops``: ``tf.shape``, ``tf.range``, ``tf.reshape``, ``tf.concat``, ``tf.matmul``,
``tf.reduce_mean``, ``tf.random.normal``, ``tf.math.*``, ``tf.nn.*``, …

TensorFlow's own argument names and defaults are kept (``tf.concat(values, axis)``, ``tf.split(value,
num_or_size_splits)`` with sizes, ``tf.argmax`` over axis 0, ``tf.range`` giving int32). ``tf.shape(x)`` gives the
static sizes, ``None`` where unknown: ``tf.shape(x)[0]`` of a batch is unknown and stays so in a
``tf.reshape``/``tf.random.normal`` shape. Any other ``tf`` name is an unknown value.
"""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.frameworks.keras.ops import (
    _shapes, einsum_tensors, functional, matmul_tensors, reduce_tensor, reshape_tensor, split_tensor, stack_tensors,
    take_tensor, tile_tensor,
)
from nncalc.frameworks.keras.layer import flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor, in_layer_call

MATH_UNARY = ("exp", "log", "sqrt", "rsqrt", "square", "abs", "sigmoid", "tanh", "erf", "sin", "cos", "tan",
              "sign", "floor", "ceil", "round", "reciprocal", "log1p", "expm1", "negative", "softplus")
MATH_BINARY = ("add", "subtract", "multiply", "divide", "maximum", "minimum", "pow", "truediv", "floordiv",
               "squared_difference", "floormod")
KERAS_NAMES = {"pow": "power", "truediv": "true_divide", "floordiv": "floor_divide", "squared_difference": "subtract",
               "floormod": "mod"}
REDUCTIONS = {"reduce_mean": "mean", "reduce_sum": "sum", "reduce_max": "max", "reduce_min": "min",
              "reduce_prod": "prod", "reduce_std": "std", "reduce_variance": "var", "reduce_logsumexp": "logsumexp",
              "reduce_all": "all", "reduce_any": "any"}


def build_tf(ops: dict, random: dict, unknown) -> tuple[dict, dict, dict, dict]:
    """(``tf`` members, ``tf.math``, ``tf.random``, ``tf.linalg``) over a session's ``keras.ops``. Outside a
    layer's call, on values that are no Keras tensors (data arrays at module level), an op gives ``unknown``'s
    value, as any other ``tf`` name does: such code never shapes the model."""

    def in_layers(name, op):
        """An op that makes or reads tensors (no graph node): outside a layer on no Keras tensor, unknown."""

        def run(*args, **kwargs):
            if not in_layer_call() and not flat_tensors([list(args), kwargs]):
                return unknown(f"tensorflow.{name}(...)")
            return op(*args, **kwargs)

        run.__name__ = name
        return run

    def on_tensors(name, op):
        graph_op = functional(name, op)

        def run(*args, **kwargs):
            if not in_layer_call() and not flat_tensors([list(args), kwargs]):
                return unknown(f"tensorflow.{name}(...)")
            return graph_op(*args, **kwargs)

        run.__name__ = name
        return run

    def shape(input, out_type=None, name=None):
        return ops["shape"](input)

    def tf_range(start, limit=None, delta=1, dtype=None, name=None):
        return ops["arange"](start, limit, delta, dtype=dtype or _range_dtype(start, limit, delta))

    def reshape(tensor, shape, name=None):
        return reshape_tensor("tf.reshape", tensor, shape)

    def concat(values, axis, name=None):
        return ops["concatenate"](list(values), axis=axis)

    def stack(values, axis=0, name=None):
        return stack_tensors("tf.stack", values, axis)

    def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, name=None, **kwargs):
        if transpose_a or adjoint_a:
            a = _swap_last(a)
        if transpose_b or adjoint_b:
            b = _swap_last(b)
        return matmul_tensors(a, b)

    def expand_dims(input, axis, name=None):
        return ops["expand_dims"](input, axis)

    def squeeze(input, axis=None, name=None):
        return ops["squeeze"](input, axis)

    def transpose(a, perm=None, conjugate=False, name=None):
        return ops["transpose"](a, perm)

    def cast(x, dtype, name=None):
        return ops["cast"](x, dtype)

    def split(value, num_or_size_splits, axis=0, num=None, name=None):
        if isinstance(num_or_size_splits, int):
            return ops["split"](value, num_or_size_splits, axis)
        return split_tensor("tf.split", value, list(num_or_size_splits), axis)

    def tile(input, multiples, name=None):
        return tile_tensor("tf.tile", input, multiples)

    def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
        if batch_dims:
            (shape,) = _shapes("tf.gather", (params,))
            picked = indices.shape if isinstance(indices, KerasTensor) else ()
            position = batch_dims if axis is None else axis % len(shape)
            return KerasTensor((*shape[:position], *picked[batch_dims:], *shape[position + 1:]), params.dtype)
        return take_tensor("tf.gather", params, indices, 0 if axis is None else axis)

    def einsum(equation, *inputs, **kwargs):
        return einsum_tensors("tf.einsum", equation, inputs)

    def reduction(op_name):
        def op(input_tensor, axis=None, keepdims=False, name=None):
            return reduce_tensor(f"tf.{op_name}", input_tensor, axis, keepdims,
                                 "bool" if op_name in ("reduce_all", "reduce_any") else None)

        return op

    def arg(op_name):
        def op(input, axis=None, output_type="int64", name=None):
            return reduce_tensor(f"tf.{op_name}", input, 0 if axis is None else axis, False, output_type)

        return op

    def constant_like(op_name):
        target = ops[op_name]

        def op(input, dtype=None, name=None):
            return target(input, dtype=dtype)

        return op

    def filled(op_name):
        target = ops[op_name]

        def op(shape, dtype="float32", name=None):
            return target(shape, dtype=dtype)

        return op

    def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype="float32", name=None):
        return ops["one_hot"](indices, depth, axis=-1 if axis is None else axis, dtype=dtype)

    def clip_by_value(t, clip_value_min, clip_value_max, name=None):
        return ops["clip"](t, clip_value_min, clip_value_max)

    def identity(input, name=None):
        return ops["identity"](input)

    def where(condition, x=None, y=None, name=None):
        return ops["where"](condition, x, y)

    def math_unary(op_name):
        target = ops[KERAS_NAMES.get(op_name, op_name)]

        def op(x, name=None):
            return target(x)

        return op

    def math_binary(op_name):
        target = ops[KERAS_NAMES.get(op_name, op_name)]

        def op(x, y, name=None):
            return target(x, y)

        return op

    def sampler(op_name):
        draw = random[op_name]

        def op(shape, *args, dtype="float32", seed=None, name=None, **kwargs):
            return draw(shape, dtype=dtype)

        return op

    math = {name: on_tensors(name, math_unary(name)) for name in MATH_UNARY}
    math.update({name: on_tensors(name, math_binary(name)) for name in MATH_BINARY})
    math.update({name: on_tensors(name, reduction(name)) for name in REDUCTIONS})
    math.update(argmax=on_tensors("argmax", arg("argmax")), argmin=on_tensors("argmin", arg("argmin")))
    members = dict(math)
    members.update({name: on_tensors(name, op) for name, op in {
        "reshape": reshape, "concat": concat, "stack": stack, "matmul": matmul, "expand_dims": expand_dims,
        "squeeze": squeeze, "transpose": transpose, "cast": cast, "split": split, "tile": tile, "gather": gather,
        "einsum": einsum, "one_hot": one_hot, "clip_by_value": clip_by_value, "identity": identity, "where": where,
        "zeros_like": constant_like("zeros_like"), "ones_like": constant_like("ones_like"),
    }.items()})
    members.update({name: in_layers(name, op) for name, op in {
        "shape": shape, "range": tf_range, "zeros": filled("zeros"), "ones": filled("ones")}.items()})
    members["newaxis"] = None
    linalg = {"matmul": members["matmul"], "einsum": members["einsum"]}
    tf_random = {name: in_layers(f"random.{name}", sampler(name)) for name in ("normal", "uniform", "truncated_normal")}
    return members, math, tf_random, linalg


def _range_dtype(start, limit, delta) -> str:
    return "float32" if any(isinstance(v, float) for v in (start, limit, delta)) else "int32"


def _swap_last(tensor) -> KerasTensor:
    (shape,) = _shapes("tf.matmul", (tensor,))
    if len(shape) < 2:
        raise KerasValueError(f"tf.matmul: transposing needs a tensor of rank ≥ 2; received rank {len(shape)}")
    return KerasTensor((*shape[:-2], shape[-1], shape[-2]), tensor.dtype)
