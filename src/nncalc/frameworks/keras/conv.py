"""Keras convolutions (``channels_last`` or ``channels_first``) over nncalc's convolution rules: plain
(``Conv1D/2D/3D``), transposed (``Conv1D/2D/3DTranspose``), depthwise (``DepthwiseConv1D/2D``) and separable
(``SeparableConv1D/2D``); each family's rank variants are made by :func:`ranked`.

Transposed: kernel ``(k…, filters, C_in)`` and bias ``(filters,)``, as many weights as the plain convolution;
the output length follows Keras's own rule for ``'valid'``/``'same'`` (and ``output_padding``), see
:func:`nncalc.layers.conv.transposed_window`. Depthwise: one ``k…`` filter per input channel and
``depth_multiplier``, kernel ``(k…, C_in, depth_multiplier)``. Separable: that depthwise step
(``depthwise_kernel``) then a 1×1 convolution to ``filters`` (``pointwise_kernel (1, 1, C_in × depth_multiplier,
filters)``) and one bias.
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import (
    SpatialLayer, positive_int, ranked, resolve_data_format, split_channels,
)
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.layers.activation import check_activation
from nncalc.layers.base import as_tuple
from nncalc.layers.conv import CONV, DEPTHWISE_CONV, SEPARABLE_CONV, ConvSpec, SeparableSpec, depthwise_spec, pointwise_spec


def _conv_padding(value, rank: int) -> str:
    """A plain convolution's ``padding``: ``'valid'``, ``'same'``, or ``'causal'`` for rank 1."""
    allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
    mode = value.lower() if isinstance(value, str) else value
    if mode not in allowed:
        raise KerasValueError(
            f"The `padding` argument must be one of {set(allowed)}. Received: {value!r}",
            hint="'causal' is for Conv1D only" if mode == "causal" else None,
        )
    return mode


def _padding(value) -> str:
    """A transposed, depthwise or separable convolution's ``padding``: ``'valid'`` or ``'same'``."""
    mode = value.lower() if isinstance(value, str) else value
    if mode not in ("valid", "same"):
        raise KerasValueError(f"The `padding` argument must be a list/tuple or one of {{'valid', 'same'}}. "
                              f"Received: {value!r}")
    return mode


def _channels(shape: tuple, data_format: str) -> int:
    """The input's channels, which the kernel needs known."""
    _, channels = split_channels(shape, data_format)
    if channels is None:
        raise KerasValueError(f"the channel dimension of the inputs should be defined; received {shape_text(shape)}")
    return channels


def _check_nonzero(layer, names: tuple) -> None:
    """Keras's check of a transposed, depthwise or separable convolution's window arguments."""
    for name in names:
        if not all(v > 0 for v in getattr(layer, name)):
            raise KerasValueError(f"The argument `{name}` cannot contain 0. Received {name}={getattr(layer, name)}.")


def _check_strides_and_dilation(layer) -> None:
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise KerasValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={layer.strides} and dilation_rate={layer.dilation_rate}"
        )


class _Conv(SpatialLayer):
    """``Conv1D``/``Conv2D``/``Conv3D``: kernel ``(k…, C_in/groups, filters)`` and bias ``(filters,)``."""

    _rule = CONV

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1, groups=1,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self._rank
        self.filters = positive_int(filters, "filters")
        self.groups = positive_int(groups, "groups")
        self.kernel_size = as_tuple(kernel_size, rank, "kernel_size")
        self.strides = as_tuple(strides, rank, "strides")
        self.dilation_rate = as_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = _conv_padding(padding, rank)
        self.data_format = resolve_data_format(data_format, self._state)
        self.activation = check_activation(activation)
        self.use_bias = bool(use_bias)
        if lora_rank:
            raise unknown_layer(f"{type(self).__name__}(lora_rank=...)")
        if self.filters % self.groups:
            raise KerasValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={self.groups}, filters={self.filters}."
            )
        for name in ("kernel_size", "strides", "dilation_rate"):
            if not all(v > 0 for v in getattr(self, name)):
                raise KerasValueError(f"The argument `{name}` cannot contain 0 or negative values. "
                                      f"Received {name}={getattr(self, name)}.")
        _check_strides_and_dilation(self)

    def _spec(self, shape: tuple) -> ConvSpec:
        channels = _channels(shape, self.data_format)
        if channels % self.groups:
            raise KerasValueError(
                "The number of input channels must be evenly divisible by the number of groups. Received "
                f"groups={self.groups}, but the input has {channels} channels "
                f"(full input shape is {shape_text(shape)}).",
                hint=f"use groups that divide both {channels} and {self.filters}",
            )
        if self.padding == "causal":
            padding = tuple((d * (k - 1), 0) for k, d in zip(self.kernel_size, self.dilation_rate))
        else:
            padding = self.padding
        return ConvSpec(self._rank, channels, self.filters, self.kernel_size, self.strides, padding,
                        self.dilation_rate, self.groups, self.use_bias)

    def _pinned(self, spec: ConvSpec) -> dict:
        return {self._channel_axis(): spec.in_channels}


Conv1D = ranked(_Conv, 1, "Conv1D", "``keras.layers.Conv1D``; ``padding='causal'`` pads on the left only.")
Conv2D = ranked(_Conv, 2, "Conv2D")
Conv3D = ranked(_Conv, 3, "Conv3D")


class _ConvTranspose(_Conv):
    """The transposed convolution of rank ``_rank``: a convolution with its own arguments, spec and MACs."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        SpatialLayer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        rank = self._rank
        self.filters = positive_int(filters, "filters")
        self.kernel_size = as_tuple(kernel_size, rank, "kernel_size")
        self.strides = as_tuple(strides, rank, "strides")
        self.dilation_rate = as_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = _padding(padding)
        self.output_padding = None if output_padding is None else as_tuple(output_padding, rank, "output_padding")
        self.data_format = resolve_data_format(data_format, self._state)
        self.activation = check_activation(activation)
        self.use_bias = bool(use_bias)
        _check_nonzero(self, ("kernel_size", "strides"))
        if self.output_padding is not None:
            for i, (extra, stride) in enumerate(zip(self.output_padding, self.strides)):
                if extra >= stride:
                    raise KerasValueError(
                        f"`output_padding` must be strictly less than `strides` for all dimensions. At dimension "
                        f"{i}, `output_padding` is {extra} but `strides` is {stride}. Received: "
                        f"output_padding={self.output_padding}, strides={self.strides}",
                        hint=f"use output_padding < {stride}, or leave it None",
                    )
        _check_strides_and_dilation(self)

    def _spec(self, shape: tuple) -> ConvSpec:
        channels = _channels(shape, self.data_format)
        return ConvSpec(self._rank, channels, self.filters, self.kernel_size, self.strides, self.padding,
                        self.dilation_rate, bias=self.use_bias, transposed=True, output_padding=self.output_padding)


Conv1DTranspose = ranked(_ConvTranspose, 1, "Conv1DTranspose")
Conv2DTranspose = ranked(_ConvTranspose, 2, "Conv2DTranspose")


class Conv3DTranspose(_ConvTranspose):
    """``keras.layers.Conv3DTranspose`` (``data_format`` comes before ``output_padding`` in its signature)."""

    _rank, _ndim = 3, 5

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 output_padding=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, **kwargs)


class _DepthwiseBase(SpatialLayer):
    """What depthwise and separable convolutions share: the window arguments and the depthwise step."""

    def _setup_window(self, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                      activation, use_bias):
        rank = self._rank
        self.depth_multiplier = positive_int(depth_multiplier, "depth_multiplier")
        self.kernel_size = as_tuple(kernel_size, rank, "kernel_size")
        self.strides = as_tuple(strides, rank, "strides")
        self.dilation_rate = as_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = _padding(padding)
        self.data_format = resolve_data_format(data_format, self._state)
        self.activation = check_activation(activation)
        self.use_bias = bool(use_bias)
        _check_nonzero(self, ("kernel_size", "strides", "dilation_rate"))

    def _depthwise(self, shape: tuple, bias: bool):
        return depthwise_spec(self._rank, _channels(shape, self.data_format), self.depth_multiplier,
                              self.kernel_size, self.strides, self.padding, self.dilation_rate, bias=bias)


class _DepthwiseConv(_DepthwiseBase):
    """``DepthwiseConv1D``/``DepthwiseConv2D``: kernel ``(k…, C_in, depth_multiplier)``, bias
    ``(C_in × depth_multiplier,)``; the output has ``C_in × depth_multiplier`` channels."""

    _rule = DEPTHWISE_CONV

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None, dilation_rate=1,
                 activation=None, use_bias=True, depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._setup_window(kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier, activation,
                           use_bias)

    def _spec(self, shape: tuple) -> ConvSpec:
        return self._depthwise(shape, self.use_bias)

    def _pinned(self, spec: ConvSpec) -> dict:
        return {self._channel_axis(): spec.in_channels}


class _SeparableConv(_DepthwiseBase):
    """``SeparableConv1D``/``SeparableConv2D``: a depthwise step then a pointwise (1×1) step to ``filters``."""

    _rule = SEPARABLE_CONV

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = positive_int(filters, "filters")
        self._setup_window(kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier, activation,
                           use_bias)

    def _spec(self, shape) -> SeparableSpec:
        depthwise = self._depthwise(shape, bias=False)
        return SeparableSpec(depthwise, pointwise_spec(self._rank, depthwise.filters, self.filters, bias=self.use_bias))

    def _pinned(self, spec: SeparableSpec) -> dict:
        return {self._channel_axis(): spec.depthwise.in_channels}


DepthwiseConv1D = ranked(_DepthwiseConv, 1, "DepthwiseConv1D")
DepthwiseConv2D = ranked(_DepthwiseConv, 2, "DepthwiseConv2D")
SeparableConv1D = ranked(_SeparableConv, 1, "SeparableConv1D")
SeparableConv2D = ranked(_SeparableConv, 2, "SeparableConv2D")


CLASSES = [
    Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D,
    SeparableConv1D, SeparableConv2D,
]
