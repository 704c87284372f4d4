"""``keras.ops``'s neural-network ops (``keras.ops.nn``): convolutions, pooling, normalizations, attention and
the image rearrangements, over the same shape rules as the Keras layers that do the same work.

MACs follow the layers: a convolution op counts as ``Conv2D`` without bias (:func:`nncalc.layers.conv.conv_macs`),
a transposed one as ``Conv2DTranspose``, ``separable_conv`` as ``SeparableConv2D``'s two steps, and
``dot_product_attention`` as the scores plus the weighted sum (the rule ``nncalc.layers.attention.DOT_ATTENTION``)
for every batch element and head; pooling and normalization count none, as their layers.
"""

from __future__ import annotations

from math import prod

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import join_channels, resolve_data_format, split_channels
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.ops import _checked, _shapes, _tensor_dtype, functional, reduce_tensor
from nncalc.frameworks.keras.tensor import KerasTensor, add_call_macs
from nncalc.layers.attention import DOT_ATTENTION, DotAttentionSpec
from nncalc.layers.base import as_tuple
from nncalc.layers.conv import ConvSpec, conv_macs, conv_output, conv_transpose_macs
from nncalc.layers.pooling import ADAPTIVE_POOL, POOL, AdaptiveSpec, PoolSpec
from nncalc.layers.reshape import fold_output, unfold_output

SAME_SHAPE = ("sparse_sigmoid", "sparsemax", "threshold", "layer_normalization", "rms_normalization",
              "batch_normalization")
"""Ops whose result has the first operand's shape and dtype."""


def _dtype_name(dtype, default: str) -> str:
    return dtype if isinstance(dtype, str) else getattr(dtype, "name", None) or default


def _tuple(value, rank: int, name: str, op: str) -> tuple:
    try:
        return as_tuple(value, rank, name)
    except ShapeError as error:
        raise KerasValueError(f"keras.ops.{op}: {error.message}", hint=error.hint) from None


def _padding(value, op: str) -> str:
    mode = value.lower() if isinstance(value, str) else value
    if mode not in ("valid", "same"):
        raise KerasValueError(f"keras.ops.{op}: `padding` must be 'valid' or 'same'. Received: padding={value!r}")
    return mode


def _spatial(op: str, shape: tuple, fmt: str) -> tuple[tuple, object]:
    if not 3 <= len(shape) <= 5:
        raise KerasValueError(f"keras.ops.{op} needs a batched 1D, 2D or 3D input (rank 3 to 5); received "
                              f"{shape_text(shape)}")
    return split_channels(shape, fmt)


def _conv_spec(op: str, shape: tuple, kernel: tuple, fmt: str, strides, padding, dilation_rate,
               transposed: bool = False, output_padding=None) -> ConvSpec:
    """The :class:`ConvSpec` of ``op`` on an input of ``shape`` with a kernel of shape ``kernel``:
    ``(k…, C_in/groups, filters)``, or ``(k…, filters, C_in)`` transposed."""
    spatial, channels = _spatial(op, shape, fmt)
    rank = len(spatial)
    if len(kernel) != rank + 2:
        raise KerasValueError(f"keras.ops.{op}: a kernel of rank {rank + 2} is needed for an input of shape "
                              f"{shape_text(shape)}; received a kernel of shape {shape_text(kernel)}")
    if channels is None or None in kernel:
        raise KerasValueError(f"keras.ops.{op} needs known channels; received {shape_text(shape)} and a kernel of "
                              f"shape {shape_text(kernel)}")
    if transposed:
        filters, kernel_in, groups = kernel[rank], kernel[rank + 1], 1
    else:
        kernel_in, filters = kernel[rank], kernel[rank + 1]
        groups = channels // kernel_in if kernel_in and channels % kernel_in == 0 else 0
    if kernel_in != channels and (transposed or not groups):
        raise KerasValueError(
            f"keras.ops.{op}: the input's {channels} channels do not match the kernel's {kernel_in} input channels "
            f"(kernel shape {shape_text(kernel)})",
            hint="the kernel's input-channel axis must divide the input's channels" if not transposed else None,
        )
    extra = None if output_padding is None else _tuple(output_padding, rank, "output_padding", op)
    return _checked(op, ConvSpec, rank, channels, filters, tuple(kernel[:rank]),
                    _tuple(strides, rank, "strides", op), _padding(padding, op),
                    _tuple(dilation_rate, rank, "dilation_rate", op), groups, False, transposed, extra)


def _convolve(op: str, inputs, spec: ConvSpec, shape: tuple, fmt: str) -> KerasTensor:
    """The output of ``spec`` on ``inputs`` of ``shape``; its MACs counted for the layer call in progress."""
    spatial, _ = split_channels(shape, fmt)
    out_spatial, _ = _checked(op, conv_output, spec, spatial)
    if spec.transposed:
        macs = conv_transpose_macs(spec, shape[0], spatial)
    else:
        macs = conv_macs(spec, shape[0], out_spatial)
    add_call_macs(macs)
    return KerasTensor(join_channels(shape[0], out_spatial, spec.filters, fmt), _tensor_dtype((inputs,)))


def _depthwise_spec(op, shape, kernel_shape, fmt, strides, padding, dilation_rate) -> ConvSpec:
    """A depthwise kernel ``(k…, C_in, multiplier)`` read as a grouped convolution, one group per channel."""
    spatial, channels = _spatial(op, shape, fmt)
    rank, grouped = len(spatial), kernel_shape
    if len(kernel_shape) == rank + 2:
        if channels is not None and kernel_shape[rank] != channels:
            raise KerasValueError(f"keras.ops.{op}: the input's {channels} channels do not match the depthwise "
                                  f"kernel's {kernel_shape[rank]} (kernel shape {shape_text(kernel_shape)})")
        multiplied = None if None in kernel_shape[rank:] else prod(kernel_shape[rank:])
        grouped = (*kernel_shape[:rank], 1, multiplied)
    return _conv_spec(op, shape, grouped, fmt, strides, padding, dilation_rate)


def _pooled(op: str, rule, spec, inputs, shape: tuple, spatial: tuple, channels, fmt: str) -> KerasTensor:
    """The output of the pooling ``rule`` (:mod:`nncalc.layers.pooling`) on ``inputs``, laid out as ``fmt``."""
    out = _checked(op, rule.output, spec, (shape[0], *spatial, channels))
    return KerasTensor(join_channels(shape[0], out[1:-1], channels, fmt), _tensor_dtype((inputs,)))


def build_nn_ops(state) -> dict:
    """The ``keras.ops`` members of this module, each a functional-graph operation outside a layer's call."""

    def fmt_of(data_format) -> str:
        return resolve_data_format(data_format, state)

    def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
        shape, kernel_shape = _shapes("conv", (inputs, kernel))
        fmt = fmt_of(data_format)
        spec = _conv_spec("conv", shape, kernel_shape, fmt, strides, padding, dilation_rate)
        return _convolve("conv", inputs, spec, shape, fmt)

    def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                       dilation_rate=1):
        shape, kernel_shape = _shapes("conv_transpose", (inputs, kernel))
        fmt = fmt_of(data_format)
        spec = _conv_spec("conv_transpose", shape, kernel_shape, fmt, strides, padding, dilation_rate,
                          transposed=True, output_padding=output_padding)
        return _convolve("conv_transpose", inputs, spec, shape, fmt)

    def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
        shape, kernel_shape = _shapes("depthwise_conv", (inputs, kernel))
        fmt = fmt_of(data_format)
        spec = _depthwise_spec("depthwise_conv", shape, kernel_shape, fmt, strides, padding, dilation_rate)
        return _convolve("depthwise_conv", inputs, spec, shape, fmt)

    def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                       dilation_rate=1):
        shape, depthwise_shape, pointwise_shape = _shapes("separable_conv",
                                                          (inputs, depthwise_kernel, pointwise_kernel))
        fmt = fmt_of(data_format)
        spec = _depthwise_spec("separable_conv", shape, depthwise_shape, fmt, strides, padding, dilation_rate)
        middle = _convolve("separable_conv", inputs, spec, shape, fmt)
        pointwise = _conv_spec("separable_conv", middle.shape, pointwise_shape, fmt, 1, "valid", 1)
        return _convolve("separable_conv", inputs, pointwise, middle.shape, fmt)

    def pool(op):
        def run(inputs, pool_size, strides=None, padding="valid", data_format=None):
            (shape,) = _shapes(op, (inputs,))
            fmt = fmt_of(data_format)
            spatial, channels = _spatial(op, shape, fmt)
            size = _tuple(pool_size, len(spatial), "pool_size", op)
            step = size if strides is None else _tuple(strides, len(spatial), "strides", op)
            spec = _checked(op, PoolSpec, len(spatial), size, step, _padding(padding, op))
            return _pooled(op, POOL, spec, inputs, shape, spatial, channels, fmt)

        return run

    def adaptive_pool(op):
        def run(inputs, output_size, data_format=None):
            (shape,) = _shapes(op, (inputs,))
            fmt = fmt_of(data_format)
            spatial, channels = _spatial(op, shape, fmt)
            spec = AdaptiveSpec(_tuple(output_size, len(spatial), "output_size", op))
            return _pooled(op, ADAPTIVE_POOL, spec, inputs, shape, spatial, channels, fmt)

        return run

    def same_shape(op):
        def run(x, *args, **kwargs):
            (shape,) = _shapes(op, (x,))
            return KerasTensor(shape, _tensor_dtype((x,)))

        return run

    def moments(x, axes, keepdims=False, synchronized=False):
        return (reduce_tensor("moments", x, axes, keepdims), reduce_tensor("moments", x, axes, keepdims))

    def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                              flash_attention=None, attn_logits_soft_cap=None):
        """``(B, T, N, H)`` queries over ``(B, S, K, H)`` keys and values: ``(B, T, N, H_v)``."""
        q, k, v = _shapes("dot_product_attention", (query, key, value))
        if not len(q) == len(k) == len(v) == 4:
            raise KerasValueError("keras.ops.dot_product_attention needs query, key and value of rank 4 "
                                  f"(B, T, N, H); received {shape_text(q)}, {shape_text(k)}, {shape_text(v)}")
        if q[-1] is not None and k[-1] is not None and q[-1] != k[-1]:
            raise KerasValueError(f"keras.ops.dot_product_attention: the query's depth {q[-1]} differs from the "
                                  f"key's {k[-1]} (query {shape_text(q)}, key {shape_text(k)})")
        heads_first = tuple((s[0], s[2], s[1], s[3]) for s in (q, k, v))  # the rule's (…, T, H)
        add_call_macs(DOT_ATTENTION.macs(DotAttentionSpec(q[-1]), heads_first))
        return KerasTensor((*q[:-1], v[-1]), _tensor_dtype((query,)))

    def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
        """One-hot along ``axis`` (appended for ``-1``), then the maximum over axis 1 (axis 0 for a vector);
        floats unless ``dtype`` says, as the torch backend computes it (Keras's symbolic spec keeps the input's)."""
        (shape,) = _shapes("multi_hot", (inputs,))
        classes = kwargs.get("num_tokens", num_classes)
        if not isinstance(classes, int) or classes < 1:
            raise KerasValueError(f"keras.ops.multi_hot needs num_classes, a positive int; received {classes!r}")
        if not (axis == -1 or 0 <= axis < len(shape)):
            raise KerasValueError(f"axis must be -1 or between [0, {len(shape)}), but received {axis}.")
        hot = list(shape)
        hot.insert(len(hot) if axis == -1 else axis, classes)
        del hot[1 if len(shape) > 1 else 0]
        return KerasTensor(tuple(hot), _dtype_name(dtype, state.floatx))

    def psnr(x1, x2, max_val):
        shapes = _shapes("psnr", (x1, x2))
        if shapes[0] != shapes[1] and None not in shapes[0] + shapes[1]:
            raise KerasValueError(f"keras.ops.psnr: x1 and x2 must have the same shape; received "
                                  f"{shape_text(shapes[0])} and {shape_text(shapes[1])}")
        return KerasTensor((), _tensor_dtype((x1, x2)))

    def saturate_cast(x, dtype):
        (shape,) = _shapes("saturate_cast", (x,))
        return KerasTensor(shape, _dtype_name(dtype, _tensor_dtype((x,))))

    def block_move(op, to_depth):
        def run(x, block_size, data_format="channels_last"):
            (shape,) = _shapes(op, (x,))
            if len(shape) != 4:
                raise KerasValueError(f"keras.ops.{op} needs a 4D input; received {shape_text(shape)}")
            fmt = fmt_of(data_format)
            spatial, channels = split_channels(shape, fmt)
            b = block_size
            if to_depth:
                if any(s is not None and s % b for s in spatial):
                    raise KerasValueError(f"keras.ops.{op}: the height and width of {shape_text(shape)} must be "
                                          f"divisible by block_size={b}")
                spatial = tuple(None if s is None else s // b for s in spatial)
                channels = None if channels is None else channels * b * b
            else:
                if channels is not None and channels % (b * b):
                    raise KerasValueError(f"keras.ops.{op}: the {channels} channels of {shape_text(shape)} must be "
                                          f"divisible by block_size² = {b * b}")
                spatial = tuple(None if s is None else s * b for s in spatial)
                channels = None if channels is None else channels // (b * b)
            return KerasTensor(join_channels(shape[0], spatial, channels, fmt), _tensor_dtype((x,)))

        return run

    def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
        """im2col on a channels-first ``(N, C, H, W)`` input: ``(N, C × k_h × k_w, L)``."""
        (shape,) = _shapes("unfold", (x,))
        if len(shape) != 4:
            raise KerasValueError(f"Input must be a 4D tensor. Received: input.shape={shape_text(shape)}")
        args = [_tuple(v, 2, n, "unfold") for v, n in ((kernel_size, "kernel_size"), (stride, "stride"),
                                                        (padding, "padding"), (dilation, "dilation"))]
        kernel, steps, pads, dilations = args
        if shape[1] is None:
            raise KerasValueError(f"keras.ops.unfold needs known channels; received {shape_text(shape)}")
        out, _ = _checked("unfold", unfold_output, shape[1], shape[2:], kernel, steps, pads, dilations)
        return KerasTensor((shape[0], *out), _tensor_dtype((x,)))

    def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
        """col2im: ``(N, C × k_h × k_w, L)`` → ``(N, C, H, W)``."""
        (shape,) = _shapes("fold", (x,))
        if len(shape) != 3:
            raise KerasValueError(f"Input must be a 3D tensor. Received: input.shape={shape_text(shape)}")
        args = [_tuple(v, 2, n, "fold") for v, n in ((output_size, "output_size"), (kernel_size, "kernel_size"),
                                                      (stride, "stride"), (padding, "padding"),
                                                      (dilation, "dilation"))]
        if shape[1] is None:
            raise KerasValueError(f"keras.ops.fold needs a known axis 1; received {shape_text(shape)}")
        out = _checked("fold", fold_output, shape[1], shape[2], *args)
        return KerasTensor((shape[0], *out), _tensor_dtype((x,)))

    members = {op: same_shape(op) for op in SAME_SHAPE}
    members.update(
        conv=conv, conv_transpose=conv_transpose, depthwise_conv=depthwise_conv, separable_conv=separable_conv,
        max_pool=pool("max_pool"), average_pool=pool("average_pool"),
        adaptive_max_pool=adaptive_pool("adaptive_max_pool"),
        adaptive_average_pool=adaptive_pool("adaptive_average_pool"), moments=moments,
        dot_product_attention=dot_product_attention, multi_hot=multi_hot, psnr=psnr, saturate_cast=saturate_cast,
        depth_to_space=block_move("depth_to_space", False), space_to_depth=block_move("space_to_depth", True),
        unfold=unfold, fold=fold,
    )
    return {name: functional(name, op) for name, op in members.items()}
