"""``tf``'s array ops: making tensors (``tf.zeros``, ``tf.range``, ``tf.eye``…), reading shapes (``tf.shape``,
``tf.size``, ``tf.rank``), rearranging (``tf.reshape``, ``tf.transpose``, ``tf.pad``, ``tf.slice``…), indexing
(``tf.gather``, ``tf.gather_nd``, ``tf.scatter_nd``…) and casting, with TensorFlow's argument names, defaults and
dtypes (``tf.shape``/``tf.size``/``tf.range`` of ints give ``int32``, ``tf.where(cond)`` and ``tf.argsort``'s
``int64``/``int32``…). A size that depends on the data (``tf.unique``, ``tf.boolean_mask``) is unknown (``None``).
"""

from __future__ import annotations

import builtins
from math import prod

from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.frameworks.keras.ops import einsum_tensors, matmul_tensors, reshape_tensor, split_tensor
from nncalc.frameworks.keras.sizes import UnknownSize, sizes_of
from nncalc.frameworks.keras.tensor import KerasTensor, in_layer_call
from nncalc.frameworks.keras.tf_base import (
    axes, broadcast, dtype_name, dtype_of, need_rank, one_axis, shape_of, static_ints, tensor,
)
from nncalc.frameworks.common.errors import reject_unknown


def _sizes(shape, op: str) -> tuple:
    """A shape argument: a list or tuple of sizes (``None`` for an unknown one, from ``tf.shape(x)[0]``)."""
    if isinstance(shape, KerasTensor):  # a 1-D tensor of sizes, values unknown
        if len(shape.shape) != 1 or shape.shape[0] is None:
            raise unknown_layer(f"tf.{op} with a shape computed from a tensor's values")
        return (None,) * shape.shape[0]
    if isinstance(shape, int):
        return (shape,)
    return tuple(static_ints(shape, op, "shape"))


class TfShape(tuple):
    """``tf.shape(x)``: the sizes of ``x``, ``None`` where unknown. In TensorFlow it is an ``int32`` tensor, so
    arithmetic on it is element-wise (``tf.shape(x)[1:3] * 2`` doubles each size, it does not repeat them); an
    unknown size in that arithmetic is refused, never guessed."""

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return TfShape(item) if isinstance(key, builtins.slice) else item

    def _elementwise(self, other, combine, symbol: str, reflected: bool = False):
        others = tuple(other) if isinstance(other, (tuple, list)) else (other,) * len(self)
        if len(others) != len(self) or not all(isinstance(v, (int, UnknownSize)) or v is None for v in others):
            raise unknown_layer(f"`{symbol}` between tf.shape(...) {tuple(self)} and {other!r}")
        if None in self or None in others:
            raise unknown_layer(f"`{symbol}` on tf.shape(...) {tuple(self)} with an unknown size (None): nncalc does "
                                "not compute with an unknown size")
        pairs = zip(others, self) if reflected else zip(self, others)
        return TfShape(combine(a, b) for a, b in pairs)

    def __add__(self, other):
        return self._elementwise(other, lambda a, b: a + b, "+")

    def __radd__(self, other):
        return self._elementwise(other, lambda a, b: a + b, "+", reflected=True)

    def __sub__(self, other):
        return self._elementwise(other, lambda a, b: a - b, "-")

    def __rsub__(self, other):
        return self._elementwise(other, lambda a, b: a - b, "-", reflected=True)

    def __mul__(self, other):
        return self._elementwise(other, lambda a, b: a * b, "*")

    def __rmul__(self, other):
        return self._elementwise(other, lambda a, b: a * b, "*", reflected=True)

    def __floordiv__(self, other):
        return self._elementwise(other, lambda a, b: a // b, "//")


def shape(input, out_type="int32", name=None):
    """In a layer's call the unknown sizes are :class:`~nncalc.frameworks.keras.sizes.UnknownSize`, which a
    layer may compute with (``tf.reshape(x, (tf.shape(x)[0] * heads, -1))``), as ``keras.ops.shape`` gives."""
    sizes = shape_of(input, "shape")
    if isinstance(input, KerasTensor) and in_layer_call():
        sizes = sizes_of(input, sizes)
    return TfShape(sizes)


def shape_n(input, out_type="int32", name=None):
    return [TfShape(shape_of(x, "shape_n")) for x in input]


def size(input, out_type="int32", name=None):
    return tensor((), dtype_name(out_type))


def rank(input, name=None):
    return tensor((), "int32")


def zeros(shape, dtype="float32", name=None, layout=None):
    return tensor(_sizes(shape, "zeros"), dtype_name(dtype))


def fill(dims, value, name=None, layout=None):
    return tensor(_sizes(dims, "fill"), dtype_of([value]))


def constant(value, dtype=None, shape=None, name="Const"):
    if isinstance(value, KerasTensor):
        return tensor(value.shape, dtype_name(dtype, value.dtype))
    return tensor(_sizes(shape, "constant") if shape is not None else shape_of(value, "constant"),
                  dtype_name(dtype, dtype_of([value])))


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    return constant(value, dtype or (None if isinstance(value, KerasTensor) else dtype_hint))


def tf_range(start, limit=None, delta=1, dtype=None, name="range"):
    values = [v for v in (start, limit, delta) if v is not None]
    for value in values:
        reject_unknown(value, "tf.range")
    if limit is None:
        start, limit = 0, start
    known = all(isinstance(v, (int, float)) for v in (start, limit, delta))
    count = max(0, -(-(limit - start) // delta)) if known else None
    if known and any(isinstance(v, float) for v in (start, limit, delta)):
        count = max(0, int(-(-(limit - start) // delta)))
    default = "float32" if any(isinstance(v, float) for v in values) else "int32"
    return tensor((None if count is None else int(count),), dtype_name(dtype, default))


def linspace(start, stop, num, name=None, axis=0):
    shape = broadcast("linspace", [shape_of(start, "linspace"), shape_of(stop, "linspace")])
    position = axis % (len(shape) + 1)
    return tensor((*shape[:position], num, *shape[position:]), dtype_of([start, stop]))


def eye(num_rows, num_columns=None, batch_shape=None, dtype="float32", name=None):
    return tensor((*(batch_shape or ()), num_rows, num_rows if num_columns is None else num_columns),
                  dtype_name(dtype))


def meshgrid(*args, **kwargs):
    sizes = [prod(shape_of(x, "meshgrid")) if None not in shape_of(x, "meshgrid") else None for x in args]
    if kwargs.get("indexing", "xy") == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return [tensor(sizes, dtype_of([x])) for x in args]


def reshape(tensor_, shape, name=None):
    target = _sizes(shape, "reshape")
    try:
        return reshape_tensor("tf.reshape", tensor_, target)
    except KerasValueError:
        # TensorFlow folds an unknown batch into the -1 (``tf.reshape(x, [-1])``): that size is unknown
        known = prod(s for s in shape_of(tensor_, "reshape") if s is not None)
        rest = prod(s for s in target if s != -1) if None not in target else 0
        if -1 not in target or None not in shape_of(tensor_, "reshape") or not rest or known % rest:
            raise
        return tensor([None if s == -1 else s for s in target], dtype_of([tensor_]))


def concat(values, axis, name="concat"):
    shapes = [shape_of(v, "concat") for v in values]
    if not shapes:
        raise KerasValueError("tf.concat needs at least one tensor")
    rank = len(shapes[0])
    position = one_axis(axis, rank, "concat")
    out = list(shapes[0])
    for s in shapes[1:]:
        if len(s) != rank:
            raise KerasValueError(f"tf.concat: ranks of all input tensors should match; received "
                                  f"{', '.join(shape_text(x) for x in shapes)}")
        for i, (a, b) in enumerate(zip(out, s)):
            if i == position:
                out[i] = None if a is None or b is None else a + b
            elif a is not None and b is not None and a != b:
                raise KerasValueError(f"tf.concat: dimension {i} of the inputs must match; received "
                                      f"{', '.join(shape_text(x) for x in shapes)}")
            elif a is None:
                out[i] = b
    return tensor(out, dtype_of(list(values)))


def stack(values, axis=0, name="stack"):
    shapes = [shape_of(v, "stack") for v in values]
    merged = broadcast("stack", shapes[:1])
    for s in shapes[1:]:
        if len(s) != len(merged) or any(a is not None and b is not None and a != b for a, b in zip(merged, s)):
            raise KerasValueError(f"tf.stack: all shapes must be equal; received "
                                  f"{', '.join(shape_text(x) for x in shapes)}")
        merged = tuple(a if a is not None else b for a, b in zip(merged, s))
    position = one_axis(axis, len(merged) + 1, "stack")
    return tensor((*merged[:position], len(shapes), *merged[position:]), dtype_of(list(values)))


def parallel_stack(values, name="parallel_stack"):
    return stack(values, 0)


def unstack(value, num=None, axis=0, name="unstack"):
    shape = shape_of(value, "unstack")
    position = one_axis(axis, len(shape), "unstack")
    count = shape[position] if num is None else num
    if count is None:
        raise KerasValueError(f"tf.unstack: cannot infer the number of tensors from the unknown size of axis "
                              f"{axis} of {shape_text(shape)}", hint="pass num=")
    return [tensor((*shape[:position], *shape[position + 1:]), dtype_of([value])) for _ in range(count)]


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    shape = shape_of(value, "split")
    position = one_axis(axis, len(shape), "split")
    if isinstance(num_or_size_splits, int):
        total = shape[position]
        if total is not None and total % num_or_size_splits:
            raise KerasValueError(f"tf.split: {num_or_size_splits} does not divide the size {total} of axis {axis}")
        part = None if total is None else total // num_or_size_splits
        return [tensor((*shape[:position], part, *shape[position + 1:]), dtype_of([value]))
                for _ in range(num_or_size_splits)]
    return split_tensor("tf.split", value, static_ints(num_or_size_splits, "split", "size_splits"), axis)


def tile(input, multiples, name=None):
    shape = shape_of(input, "tile")
    times = static_ints(multiples, "tile", "multiples")
    if len(times) != len(shape):
        raise KerasValueError(f"tf.tile: multiples {times} must have one entry per axis of {shape_text(shape)}")
    return tensor([None if s is None or t is None else s * t for s, t in zip(shape, times)], dtype_of([input]))


def pad(tensor_, paddings, mode="CONSTANT", constant_values=0, name=None):
    shape = shape_of(tensor_, "pad")
    pairs = [static_ints(p, "pad", "paddings") for p in static_ints(paddings, "pad", "paddings")]
    if len(pairs) != len(shape):
        raise KerasValueError(f"tf.pad: paddings {pairs} must have one pair per axis of {shape_text(shape)}")
    return tensor([None if s is None else s + a + b for s, (a, b) in zip(shape, pairs)], dtype_of([tensor_]))


def expand_dims(input, axis, name=None):
    shape = shape_of(input, "expand_dims")
    position = one_axis(axis, len(shape) + 1, "expand_dims")
    return tensor((*shape[:position], 1, *shape[position:]), dtype_of([input]))


def squeeze(input, axis=None, name=None):
    shape = shape_of(input, "squeeze")
    if axis is None:
        return tensor([s for s in shape if s != 1], dtype_of([input]))
    chosen = axes(axis, len(shape), "squeeze")
    for a in chosen:
        if shape[a] not in (1, None):
            raise KerasValueError(f"tf.squeeze: cannot squeeze axis {a} of {shape_text(shape)}, its size is not 1")
    return tensor([s for i, s in enumerate(shape) if i not in chosen], dtype_of([input]))


def transpose(a, perm=None, conjugate=False, name="transpose"):
    shape = shape_of(a, "transpose")
    order = list(reversed(range(len(shape)))) if perm is None else static_ints(perm, "transpose", "perm")
    if sorted(p % max(len(shape), 1) for p in order) != list(range(len(shape))):
        raise KerasValueError(f"tf.transpose: perm {order} is not a permutation of the axes of {shape_text(shape)}")
    return tensor([shape[p] for p in order], dtype_of([a]))


def same_shape(op: str):
    """An op whose output has its first argument's shape and dtype (``tf.reverse``, ``tf.roll``, ``tf.sort``…)."""

    def rule(x, *args, **kwargs):
        return tensor(shape_of(x, op), dtype_of([x]))

    return rule


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    shape = shape_of(values, "argsort")
    one_axis(axis, len(shape), "argsort")
    return tensor(shape, "int32")


def slice(input_, begin, size, name=None):
    shape = shape_of(input_, "slice")
    starts, sizes = static_ints(begin, "slice", "begin"), static_ints(size, "slice", "size")
    out = []
    for s, b, n in zip(shape, starts, sizes):
        out.append((None if s is None or b is None else s - b) if n == -1 else n)
    return tensor(out, dtype_of([input_]))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                  shrink_axis_mask=0, var=None, name=None):
    if ellipsis_mask or new_axis_mask:
        raise unknown_layer("tf.strided_slice with ellipsis_mask or new_axis_mask")
    starts, stops = static_ints(begin, "strided_slice", "begin"), static_ints(end, "strided_slice", "end")
    steps = static_ints(strides, "strided_slice", "strides") if strides is not None else [1] * len(starts)
    key = []
    for i, (b, e, s) in enumerate(zip(starts, stops, steps)):
        if shrink_axis_mask >> i & 1:
            key.append(b)
        else:
            key.append(builtins.slice(None if begin_mask >> i & 1 else b, None if end_mask >> i & 1 else e, s))
    if not isinstance(input_, KerasTensor):
        input_ = tensor(shape_of(input_, "strided_slice"), dtype_of([input_]))
    return input_[tuple(key)]


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    shape, picked = shape_of(params, "gather"), shape_of(indices, "gather")
    position = one_axis(batch_dims if axis is None else axis, len(shape), "gather")
    return tensor((*shape[:position], *picked[batch_dims:], *shape[position + 1:]), dtype_of([params]))


def gather_nd(params, indices, batch_dims=0, name=None):
    shape, picked = shape_of(params, "gather_nd"), shape_of(indices, "gather_nd")
    depth = picked[-1]
    if depth is None:
        raise KerasValueError("tf.gather_nd: the last axis of indices must have a known size")
    return tensor((*picked[:-1], *shape[batch_dims + depth:]), dtype_of([params]))


def boolean_mask(tensor_, mask, axis=None, name="boolean_mask"):
    shape, masked = shape_of(tensor_, "boolean_mask"), shape_of(mask, "boolean_mask")
    start = 0 if axis is None else one_axis(axis, len(shape), "boolean_mask")
    return tensor((*shape[:start], None, *shape[start + len(masked):]), dtype_of([tensor_]))


def where(condition, x=None, y=None, name=None):
    if x is None and y is None:
        return tensor((None, len(shape_of(condition, "where"))), "int64")
    return tensor(broadcast("where", [shape_of(v, "where") for v in (condition, x, y)]), dtype_of([x, y]))


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    shape = shape_of(indices, "one_hot")
    position = len(shape) if axis is None or axis == -1 else axis
    default = dtype_of([on_value, off_value]) if on_value is not None or off_value is not None else "float32"
    return tensor((*shape[:position], depth, *shape[position:]), dtype_name(dtype, default))


def cast(x, dtype, name=None):
    return tensor(shape_of(x, "cast"), dtype_name(dtype))


def bitcast(input, type, name=None):
    sizes = {"8": 1, "16": 2, "32": 4, "64": 8, "128": 16}
    source, target = dtype_of([input]), dtype_name(type)
    width = lambda d: sizes[next(b for b in ("128", "64", "32", "16", "8") if d.endswith(b))]  # noqa: E731
    shape = shape_of(input, "bitcast")
    if width(source) == width(target):
        return tensor(shape, target)
    if width(source) > width(target):
        return tensor((*shape, width(source) // width(target)), target)
    return tensor(shape[:-1], target)


def broadcast_to(input, shape, name=None):
    target = _sizes(shape, "broadcast_to")
    broadcast("broadcast_to", [shape_of(input, "broadcast_to"), target])
    return tensor(target, dtype_of([input]))


def repeat(input, repeats, axis=None, name=None):
    shape = shape_of(input, "repeat")
    if not isinstance(repeats, int):
        raise unknown_layer("tf.repeat with per-element repeats")
    if axis is None:
        total = prod(shape) if None not in shape else None
        return tensor((None if total is None else total * repeats,), dtype_of([input]))
    position = one_axis(axis, len(shape), "repeat")
    out = list(shape)
    out[position] = None if shape[position] is None else shape[position] * repeats
    return tensor(out, dtype_of([input]))


def unique(x, out_idx="int32", name=None):
    shape = shape_of(x, "unique")
    return tensor((None,), dtype_of([x])), tensor(shape, dtype_name(out_idx))


def unique_with_counts(x, out_idx="int32", name=None):
    values, index = unique(x, out_idx)
    return values, index, tensor((None,), dtype_name(out_idx))


def searchsorted(sorted_sequence, values, side="left", out_type="int32", name=None):
    return tensor(shape_of(values, "searchsorted"), dtype_name(out_type))


def sequence_mask(lengths, maxlen=None, dtype="bool", name=None):
    return tensor((*shape_of(lengths, "sequence_mask"), maxlen if isinstance(maxlen, int) else None),
                  dtype_name(dtype))


def scatter_nd(indices, updates, shape, name=None):
    return tensor(_sizes(shape, "scatter_nd"), dtype_of([updates]))


def tensor_scatter(op: str):
    def rule(tensor_, indices, updates, name=None):
        return tensor(shape_of(tensor_, op), dtype_of([tensor_]))

    return rule


def unravel_index(indices, dims, name=None):
    return tensor((len(static_ints(dims, "unravel_index", "dims")), *shape_of(indices, "unravel_index")),
                  dtype_of([indices]))


def space_to_batch(input, block_shape, paddings, name=None):
    shape = shape_of(input, "space_to_batch")
    blocks = static_ints(block_shape, "space_to_batch", "block_shape")
    pairs = [static_ints(p, "space_to_batch", "paddings") for p in static_ints(paddings, "space_to_batch", "paddings")]
    spatial = []
    for s, b, (lo, hi) in zip(shape[1:], blocks, pairs):
        if s is not None and (s + lo + hi) % b:
            raise KerasValueError(f"tf.space_to_batch: padded size {s + lo + hi} is not divisible by block {b}")
        spatial.append(None if s is None else (s + lo + hi) // b)
    batch = None if shape[0] is None else shape[0] * prod(blocks)
    return tensor((batch, *spatial, *shape[1 + len(blocks):]), dtype_of([input]))


def batch_to_space(input, block_shape, crops, name=None):
    shape = shape_of(input, "batch_to_space")
    blocks = static_ints(block_shape, "batch_to_space", "block_shape")
    pairs = [static_ints(p, "batch_to_space", "crops") for p in static_ints(crops, "batch_to_space", "crops")]
    spatial = [None if s is None else s * b - lo - hi for s, b, (lo, hi) in zip(shape[1:], blocks, pairs)]
    batch = None if shape[0] is None else shape[0] // prod(blocks)
    return tensor((batch, *spatial, *shape[1 + len(blocks):]), dtype_of([input]))


def identity_n(input, name=None):
    return [tensor(shape_of(x, "identity_n"), dtype_of([x])) for x in input]


def einsum(equation, *inputs, **kwargs):
    return einsum_tensors("tf.einsum", equation, inputs)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False,
           b_is_sparse=False, output_type=None, grad_a=False, grad_b=False, name=None):
    if transpose_a or adjoint_a:
        a = _swap_last(a)
    if transpose_b or adjoint_b:
        b = _swap_last(b)
    result = matmul_tensors(a, b)
    return tensor(result.shape, dtype_name(output_type, dtype_of([a, b])))


def _swap_last(value) -> KerasTensor:
    shape = shape_of(value, "matmul")
    need_rank("matmul", shape, 2, "a transposed operand")
    return tensor((*shape[:-2], shape[-1], shape[-2]), dtype_of([value]))


def tensordot(a, b, axes, name=None):
    left, right = shape_of(a, "tensordot"), shape_of(b, "tensordot")
    if isinstance(axes, int):
        pairs = (list(range(len(left) - axes, len(left))), list(range(axes)))
    else:
        pairs = ([axes[0]] if isinstance(axes[0], int) else list(axes[0]),
                 [axes[1]] if isinstance(axes[1], int) else list(axes[1]))
    drop_a = {p % len(left) for p in pairs[0]}
    drop_b = {p % len(right) for p in pairs[1]}
    kept = [s for i, s in enumerate(left) if i not in drop_a] + [s for i, s in enumerate(right) if i not in drop_b]
    return tensor(kept, dtype_of([a, b]))


def norm(tensor_, ord="euclidean", axis=None, keepdims=None, name=None):
    shape = shape_of(tensor_, "norm")
    chosen = axes(axis, len(shape), "norm")
    out = [1 if i in chosen else s for i, s in enumerate(shape)] if keepdims else \
        [s for i, s in enumerate(shape) if i not in chosen]
    dtype = dtype_of([tensor_])
    return tensor(out, {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype))


def fftn(op: str):
    def rule(input, fft_length=None, axes=None, norm=None, name=None):
        shape = list(shape_of(input, op))
        chosen = list(range(len(shape))) if axes is None else [a % len(shape) for a in axes]
        lengths = static_ints(fft_length, op, "fft_length") if fft_length is not None else None
        dtype = dtype_of([input])
        if op == "rfftnd":
            for i, a in enumerate(chosen):
                n = lengths[i] if lengths else shape[a]
                shape[a] = None if n is None else (n // 2 + 1 if a == chosen[-1] else n)
            return tensor(shape, "complex128" if dtype == "float64" else "complex64")
        if op == "irfftnd":
            for i, a in enumerate(chosen):
                shape[a] = lengths[i] if lengths else (None if shape[a] is None else
                                                       2 * (shape[a] - 1) if a == chosen[-1] else shape[a])
            return tensor(shape, "float64" if dtype == "complex128" else "float32")
        for i, a in enumerate(chosen):
            if lengths:
                shape[a] = lengths[i]
        return tensor(shape, dtype)

    return rule


def extract_volume_patches(input, ksizes, strides, padding, name=None):
    shape = shape_of(input, "extract_volume_patches")
    sizes, steps = static_ints(ksizes, "extract_volume_patches", "ksizes"), static_ints(strides, "x", "strides")
    spatial = [_window(s, k, t, padding) for s, k, t in zip(shape[1:4], sizes[1:4], steps[1:4])]
    depth = None if shape[4] is None else prod(sizes[1:4]) * shape[4]
    return tensor((shape[0], *spatial, depth), dtype_of([input]))


def _window(size, k, stride, padding):
    if size is None:
        return None
    return -(-size // stride) if str(padding).upper() == "SAME" else -(-(size - k + 1) // stride)


def dynamic_stitch(indices, data, name=None):
    row = shape_of(data[0], "dynamic_stitch")[len(shape_of(indices[0], "dynamic_stitch")):]
    return tensor((None, *row), dtype_of(list(data)))


def broadcast_static_shape(shape_x, shape_y):
    return tuple(broadcast("broadcast_static_shape", [tuple(shape_x), tuple(shape_y)]))


def broadcast_dynamic_shape(shape_x, shape_y):
    """On ``tf.shape`` values (nncalc's tuples of sizes): the broadcast sizes, ``None`` where unknown."""
    return tuple(broadcast("broadcast_dynamic_shape", [_sizes(shape_x, "broadcast_dynamic_shape"),
                                                       _sizes(shape_y, "broadcast_dynamic_shape")]))


def dynamic_partition(data, partitions, num_partitions, name=None):
    row = shape_of(data, "dynamic_partition")[len(shape_of(partitions, "dynamic_partition")):]
    return [tensor((None, *row), dtype_of([data])) for _ in range(num_partitions)]


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    count = len(static_ints(block_shape, "required_space_to_batch_paddings", "block_shape"))
    return tensor((count, 2), "int32"), tensor((count, 2), "int32")


def rules() -> dict:
    """Every op of this module by its TensorFlow name."""
    table = dict(
        shape=shape, shape_n=shape_n, size=size, rank=rank, zeros=zeros, ones=zeros, fill=fill, constant=constant,
        convert_to_tensor=convert_to_tensor, range=tf_range, linspace=linspace, eye=eye, meshgrid=meshgrid,
        reshape=reshape, concat=concat, stack=stack, parallel_stack=parallel_stack, unstack=unstack, split=split,
        tile=tile, pad=pad, expand_dims=expand_dims, squeeze=squeeze, transpose=transpose, argsort=argsort,
        slice=slice, strided_slice=strided_slice, gather=gather, gather_nd=gather_nd, boolean_mask=boolean_mask,
        where=where, one_hot=one_hot, cast=cast, saturate_cast=cast, bitcast=bitcast, broadcast_to=broadcast_to,
        repeat=repeat, unique=unique, unique_with_counts=unique_with_counts, searchsorted=searchsorted,
        sequence_mask=sequence_mask, scatter_nd=scatter_nd, unravel_index=unravel_index,
        space_to_batch=space_to_batch, space_to_batch_nd=space_to_batch, batch_to_space=batch_to_space,
        identity_n=identity_n, einsum=einsum, matmul=matmul, tensordot=tensordot, norm=norm,
        extract_volume_patches=extract_volume_patches, dynamic_stitch=dynamic_stitch,
        broadcast_static_shape=broadcast_static_shape, broadcast_dynamic_shape=broadcast_dynamic_shape,
        dynamic_partition=dynamic_partition, required_space_to_batch_paddings=required_space_to_batch_paddings,
    )
    table.update({name: same_shape(name) for name in ("reverse", "reverse_sequence", "roll", "sort")})
    table.update({name: tensor_scatter(name) for name in ("tensor_scatter_nd_add", "tensor_scatter_nd_max",
                                                          "tensor_scatter_nd_min", "tensor_scatter_nd_sub",
                                                          "tensor_scatter_nd_update")})
    table.update({name: fftn(name) for name in ("fftnd", "ifftnd", "rfftnd", "irfftnd")})
    return table
