"""``tf.nn``'s layer ops: convolutions (``conv1d``/``2d``/``3d``, ``convolution``, depthwise, separable, atrous,
transposed), pooling, normalisation helpers (``moments``, ``batch_normalization``), ``bias_add``, ``embedding_lookup``,
``depth_to_space``… TensorFlow's conventions: channels last (``NHWC``), filters ``(k…, C_in, C_out)`` (transposed:
``(k…, C_out, C_in)`` with the ``output_shape`` given), strides and dilations as an int, a list per spatial axis or
one per axis with 1s at batch and channels, padding ``"SAME"``/``"VALID"`` or explicit pairs. A convolution's MACs
(output elements × kernel taps × input channels per group, an unknown batch counted as 1) go to the layer's call.
"""

from __future__ import annotations

from math import prod

from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.tensor import add_call_macs
from nncalc.frameworks.keras.tf_base import broadcast, dtype_of, need_rank, one_axis, shape_of, static_ints, tensor
from nncalc.frameworks.keras.tf_math import reduced


def _per_axis(value, spatial: int, op: str, what: str) -> list[int]:
    """Strides, dilations or a window: one int, one per spatial axis, or one per axis (batch and channels 1)."""
    if value is None:
        return [1] * spatial
    values = static_ints(value, op, what)
    if len(values) == 1:
        return values * spatial
    if len(values) == spatial:
        return values
    if len(values) == spatial + 2:
        return values[1:-1]
    raise KerasValueError(f"tf.nn.{op}: {what} {values} must have 1, {spatial} or {spatial + 2} entries")


def _channels_first(data_format) -> bool:
    return isinstance(data_format, str) and data_format.startswith("NC")


def _out_size(size, k: int, stride: int, dilation: int, padding, axis: int):
    if size is None:
        return None
    span = (k - 1) * dilation + 1
    if isinstance(padding, str):
        if padding.upper() == "SAME":
            return -(-size // stride)
        if padding.upper() == "VALID":
            return max(0, -(-(size - span + 1) // stride))
        raise KerasValueError(f"padding must be 'SAME' or 'VALID' or explicit pairs; received {padding!r}")
    low, high = static_ints(padding, "conv", "padding")[axis]
    return (size + low + high - span) // stride + 1


def _spatial_padding(padding, spatial: int, channels_first: bool):
    if isinstance(padding, str):
        return padding
    pairs = [static_ints(p, "conv", "padding") for p in static_ints(padding, "conv", "padding")]
    if len(pairs) == spatial + 2:
        pairs = pairs[2:] if channels_first else pairs[1:-1]
    return pairs


def windowed(op: str, input, window: list, strides, padding, dilations, data_format, channels):
    """The output of a sliding window over the spatial axes (a convolution with ``channels`` out, or a pool)."""
    shape = shape_of(input, op)
    spatial = len(shape) - 2
    if spatial < 1:
        raise KerasValueError(f"tf.nn.{op}: the input must have rank ≥ 3; received shape {shape_text(shape)}")
    first = _channels_first(data_format)
    sizes = shape[2:] if first else shape[1:-1]
    steps = _per_axis(strides, spatial, op, "strides")
    rates = _per_axis(dilations, spatial, op, "dilations")
    pads = _spatial_padding(padding, spatial, first)
    out = [_out_size(s, k, t, d, pads, i) for i, (s, k, t, d) in enumerate(zip(sizes, window, steps, rates))]
    channels = (shape[1] if first else shape[-1]) if channels is None else channels
    return tensor((shape[0], channels, *out) if first else (shape[0], *out, channels), dtype_of([input]))


def _count(out, taps: int, per_group) -> None:
    known = [1 if s is None else s for s in out.shape]
    add_call_macs(prod(known) * taps * (per_group or 1))


def convolution(input, filters, strides=None, padding="VALID", data_format=None, dilations=None, name=None):
    kernel = shape_of(filters, "convolution")
    need_rank("convolution", kernel, 3, "the filters")
    out = windowed("convolution", input, list(kernel[:-2]), strides, padding, dilations, data_format, kernel[-1])
    _count(out, prod(kernel[:-2]), kernel[-2])
    return out


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):
    return convolution(input, filters, stride, padding, data_format, dilations)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    return convolution(input, filters, strides, padding, data_format, dilations)


def conv(input, filter, strides, padding, explicit_paddings=(), data_format="NHWC", dilations=(1, 1, 1, 1),
         batch_dims=1, groups=1, name=None):
    return convolution(input, filter, strides, padding, data_format, dilations)


def atrous_conv2d(value, filters, rate, padding, name=None):
    return convolution(value, filters, 1, padding, "NHWC", rate)


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):
    kernel = shape_of(filter, "depthwise_conv2d")
    channels = None if None in kernel[-2:] else kernel[-2] * kernel[-1]
    out = windowed("depthwise_conv2d", input, list(kernel[:2]), strides, padding, dilations, data_format, channels)
    _count(out, prod(kernel[:2]), 1)
    return out


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, data_format=None, dilations=None,
                     name=None):
    depthwise = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return convolution(depthwise, pointwise_filter, 1, "VALID", data_format)


def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None, dilations=None,
                   name=None):
    target = static_ints(output_shape, "conv_transpose", "output_shape")
    kernel = shape_of(filters, "conv_transpose")
    out = tensor(target, dtype_of([input]))
    _count(tensor(shape_of(input, "conv_transpose"), "float32"), prod(kernel[:-2]), kernel[-2])
    return out


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    return conv_transpose(value, filters, output_shape, 1, padding)


def pool(op: str, spatial: int | None):
    def rule(input, ksize, strides, padding, data_format=None, name=None):
        rank = spatial or len(shape_of(input, op)) - 2
        return windowed(op, input, _per_axis(ksize, rank, op, "ksize"), strides, padding, None, data_format, None)

    return rule


def generic_pool(input, window_shape, pooling_type, strides=None, padding="VALID", data_format=None,
                 dilations=None, name=None):
    return windowed("pool", input, list(window_shape), strides, padding, dilations, data_format, None)


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC", output_dtype="int64",
                         include_batch_in_index=False, name=None):
    out = pool("max_pool_with_argmax", 2)(input, ksize, strides, padding)
    return out, tensor(out.shape, str(output_dtype))


def fractional_pool(op: str):
    def rule(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None):
        shape = shape_of(value, op)
        ratios = _per_axis(pooling_ratio, len(shape) - 2, op, "pooling_ratio") if not isinstance(
            pooling_ratio, (int, float)) else [pooling_ratio] * (len(shape) - 2)
        out = [None if s is None else int(s / r) for s, r in zip(shape[1:-1], ratios)]
        sequences = [tensor((None if s is None else s + 1,), "int64") for s in out[:2]]
        return tensor((shape[0], *out, shape[-1]), dtype_of([value])), *sequences

    return rule


def morphology(op: str):
    def rule(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
        kernel = shape_of(filters, op)
        return windowed(op, input, list(kernel[:2]), strides, padding, dilations, data_format, None)

    return rule


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    operands = [v for v in (x, mean, variance, offset, scale) if v is not None]
    return tensor(broadcast("batch_normalization", [shape_of(v, "batch_normalization") for v in operands]),
                  dtype_of([x]))


def batch_norm_with_global_normalization(input, mean, variance, beta, gamma, variance_epsilon,
                                         scale_after_normalization, name=None):
    return tensor(shape_of(input, "batch_norm_with_global_normalization"), dtype_of([input]))


def bias_add(value, bias, data_format=None, name=None):
    shape = shape_of(value, "bias_add")
    channels = shape[1] if _channels_first(data_format) else shape[-1]
    (size,) = shape_of(bias, "bias_add")
    if None not in (size, channels) and size != channels:
        raise KerasValueError(f"tf.nn.bias_add: bias of size {size} does not match the {channels} channels of "
                              f"{shape_text(shape)}")
    return tensor(shape, dtype_of([value]))


def crelu(features, axis=-1, name=None):
    shape = list(shape_of(features, "crelu"))
    position = one_axis(axis, len(shape), "crelu")
    shape[position] = None if shape[position] is None else 2 * shape[position]
    return tensor(shape, dtype_of([features]))


def depth_to_space(input, block_size, data_format="NHWC", name=None):
    batch, height, width, depth = shape_of(input, "depth_to_space")
    if depth is not None and depth % (block_size * block_size):
        raise KerasValueError(f"tf.nn.depth_to_space: depth {depth} is not divisible by {block_size}²")
    scale = lambda s, f: None if s is None else f(s)  # noqa: E731
    return tensor((batch, scale(height, lambda s: s * block_size), scale(width, lambda s: s * block_size),
                   scale(depth, lambda s: s // block_size ** 2)), dtype_of([input]))


def space_to_depth(input, block_size, data_format="NHWC", name=None):
    batch, height, width, depth = shape_of(input, "space_to_depth")
    scale = lambda s, f: None if s is None else f(s)  # noqa: E731
    return tensor((batch, scale(height, lambda s: s // block_size), scale(width, lambda s: s // block_size),
                   scale(depth, lambda s: s * block_size ** 2)), dtype_of([input]))


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    return tensor(shape_of(x, "dropout"), dtype_of([x]))


def embedding_lookup(params, ids, max_norm=None, name=None):
    table = shape_of(params[0] if isinstance(params, list) else params, "embedding_lookup")
    return tensor((*shape_of(ids, "embedding_lookup"), *table[1:]), dtype_of([params]))


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5, name=None):
    return tensor(shape_of(input, "local_response_normalization"), dtype_of([input]))


def moments(x, axes, shift=None, keepdims=False, name=None):
    mean = reduced("moments", x, axes, keepdims, dtype_of([x]))
    return mean, tensor(mean.shape, mean.dtype)


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    return moments(x, axes, keepdims=keepdims)


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    mean = reduced("sufficient_statistics", x, axes, keepdims, dtype_of([x]))
    return tensor((), dtype_of([x])), mean, tensor(mean.shape, mean.dtype), None


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    shape = shape_of(mean_ss, "normalize_moments")
    return tensor(shape, dtype_of([mean_ss])), tensor(shape, dtype_of([mean_ss]))


def isotonic_regression(inputs, decreasing=True, axis=-1):
    shape = shape_of(inputs, "isotonic_regression")
    dtype = dtype_of([inputs])
    return tensor(shape, dtype if dtype.startswith("float") else "float32"), tensor(shape, "int32")


def rules() -> dict:
    """Every op of this module by its TensorFlow name."""
    table = dict(
        convolution=convolution, conv1d=conv1d, conv2d=conv2d, conv3d=conv2d, conv=conv, atrous_conv2d=atrous_conv2d,
        depthwise_conv2d=depthwise_conv2d, separable_conv2d=separable_conv2d, conv_transpose=conv_transpose,
        conv1d_transpose=conv_transpose, conv2d_transpose=conv_transpose, conv3d_transpose=conv_transpose,
        atrous_conv2d_transpose=atrous_conv2d_transpose, pool=generic_pool,
        max_pool_with_argmax=max_pool_with_argmax, batch_normalization=batch_normalization,
        batch_norm_with_global_normalization=batch_norm_with_global_normalization, bias_add=bias_add, crelu=crelu,
        depth_to_space=depth_to_space, space_to_depth=space_to_depth, dropout=dropout,
        embedding_lookup=embedding_lookup, local_response_normalization=local_response_normalization,
        lrn=local_response_normalization, moments=moments, weighted_moments=weighted_moments,
        sufficient_statistics=sufficient_statistics, normalize_moments=normalize_moments,
        isotonic_regression=isotonic_regression,
    )
    for kind in ("max", "avg"):
        table[f"{kind}_pool"] = pool(f"{kind}_pool", None)
        table.update({f"{kind}_pool{n}d": pool(f"{kind}_pool{n}d", n) for n in (1, 2, 3)})
    table.update({name: fractional_pool(name) for name in ("fractional_max_pool", "fractional_avg_pool")})
    table.update({name: morphology(name) for name in ("dilation2d", "erosion2d")})
    return table
