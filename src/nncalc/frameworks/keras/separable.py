"""Keras depthwise and separable convolutions (1D, 2D) over nncalc's convolution rules.

``DepthwiseConv2D``: one ``k_h × k_w`` filter per input channel and ``depth_multiplier``, kernel
``(k_h, k_w, C_in, depth_multiplier)``. ``SeparableConv2D``: that depthwise step (``depthwise_kernel``) then a
1×1 convolution to ``filters`` (``pointwise_kernel (1, 1, C_in × depth_multiplier, filters)``) and one bias.
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import join_channels, resolve_data_format, split_channels
from nncalc.frameworks.keras.convolution import _positive_int, _Spatial
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.layers.activation import check_activation
from nncalc.layers.base import as_tuple
from nncalc.receptive import window_for
from nncalc.layers.conv import (
    conv_macs, conv_output, depthwise_params_formula, depthwise_spec, depthwise_terms, pointwise_spec,
    separable_params_formula, separable_terms,
)


def _padding(value) -> str:
    mode = value.lower() if isinstance(value, str) else value
    if mode not in ("valid", "same"):
        raise KerasValueError(f"The `padding` argument must be a list/tuple or one of {{'valid', 'same'}}. "
                              f"Received: {value!r}")
    return mode


class _DepthwiseBase(_Spatial):
    """What depthwise and separable convolutions share: the window arguments and the depthwise step."""

    def _setup_window(self, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                      activation, use_bias):
        rank = self._rank
        self.depth_multiplier = _positive_int(depth_multiplier, "depth_multiplier")
        self.kernel_size = as_tuple(kernel_size, rank, "kernel_size")
        self.strides = as_tuple(strides, rank, "strides")
        self.dilation_rate = as_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = _padding(padding)
        self.data_format = resolve_data_format(data_format, self._state)
        self.activation = check_activation(activation)
        self.use_bias = bool(use_bias)
        for name in ("kernel_size", "strides", "dilation_rate"):
            if not all(v > 0 for v in getattr(self, name)):
                raise KerasValueError(f"The argument `{name}` cannot contain 0. Received {name}={getattr(self, name)}.")

    def _channels(self, shape: tuple) -> int:
        _, channels = split_channels(shape, self.data_format)
        if channels is None:
            raise KerasValueError(
                f"the channel dimension of the inputs should be defined; received {shape_text(shape)}"
            )
        return channels

    def _depthwise(self, shape: tuple, bias: bool):
        return depthwise_spec(self._rank, self._channels(shape), self.depth_multiplier, self.kernel_size,
                              self.strides, self.padding, self.dilation_rate, bias=bias)

    def _receptive_window(self, shape):
        return window_for(self._depthwise(shape, False), split_channels(shape, self.data_format)[0])

    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1


class _DepthwiseConv(_DepthwiseBase):
    """``DepthwiseConv1D``/``DepthwiseConv2D``: kernel ``(k…, C_in, depth_multiplier)``, bias
    ``(C_in × depth_multiplier,)``; the output has ``C_in × depth_multiplier`` channels."""

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None, dilation_rate=1,
                 activation=None, use_bias=True, depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._setup_window(kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier, activation,
                           use_bias)

    def _weights_for(self, shape):
        spec = self._depthwise(shape, self.use_bias)
        return depthwise_terms(spec), depthwise_params_formula(spec), {self._channel_axis(): spec.in_channels}

    def _forward(self, shape):
        spec = self._depthwise(shape, self.use_bias)
        spatial, _ = split_channels(shape, self.data_format)
        out_spatial, formulas = conv_output(spec, spatial)
        out = join_channels(shape[0], out_spatial, spec.filters, self.data_format)
        return out, formulas, conv_macs(spec, shape[0], out_spatial)


class _SeparableConv(_DepthwiseBase):
    """``SeparableConv1D``/``SeparableConv2D``: a depthwise step then a pointwise (1×1) step to ``filters``."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = _positive_int(filters, "filters")
        self._setup_window(kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier, activation,
                           use_bias)

    def _specs(self, shape):
        depthwise = self._depthwise(shape, bias=False)
        return depthwise, pointwise_spec(self._rank, depthwise.filters, self.filters, bias=self.use_bias)

    def _weights_for(self, shape):
        depthwise, pointwise = self._specs(shape)
        return (separable_terms(depthwise, pointwise), separable_params_formula(depthwise, pointwise),
                {self._channel_axis(): depthwise.in_channels})

    def _forward(self, shape):
        depthwise, pointwise = self._specs(shape)
        spatial, _ = split_channels(shape, self.data_format)
        out_spatial, formulas = conv_output(depthwise, spatial)
        out = join_channels(shape[0], out_spatial, self.filters, self.data_format)
        macs = conv_macs(depthwise, shape[0], out_spatial) + conv_macs(pointwise, shape[0], out_spatial)
        return out, formulas, macs


class DepthwiseConv1D(_DepthwiseConv):
    """``keras.layers.DepthwiseConv1D``."""

    _rank, _ndim = 1, 3


class DepthwiseConv2D(_DepthwiseConv):
    """``keras.layers.DepthwiseConv2D``."""

    _rank, _ndim = 2, 4


class SeparableConv1D(_SeparableConv):
    """``keras.layers.SeparableConv1D``."""

    _rank, _ndim = 1, 3


class SeparableConv2D(_SeparableConv):
    """``keras.layers.SeparableConv2D``."""

    _rank, _ndim = 2, 4


CLASSES = [DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D]
