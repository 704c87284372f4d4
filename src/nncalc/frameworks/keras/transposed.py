"""Keras transposed convolutions (``Conv1DTranspose``, ``Conv2DTranspose``, ``Conv3DTranspose``).

Kernel ``(k…, filters, C_in)`` and bias ``(filters,)``: as many weights as the plain convolution. The output
length follows Keras's own rule for ``'valid'``/``'same'`` (and ``output_padding``), see
:func:`nncalc.layers.conv.transposed_window`.
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import resolve_data_format, split_channels
from nncalc.frameworks.keras.convolution import _Conv, _positive_int, _Spatial
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.layers.activation import check_activation
from nncalc.layers.base import as_tuple
from nncalc.layers.conv import ConvSpec, conv_transpose_macs


class _ConvTranspose(_Conv):
    """The transposed convolution of rank ``_rank``: a convolution with its own arguments, spec and MACs."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        _Spatial.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        rank = self._rank
        self.filters = _positive_int(filters, "filters")
        self.kernel_size = as_tuple(kernel_size, rank, "kernel_size")
        self.strides = as_tuple(strides, rank, "strides")
        self.dilation_rate = as_tuple(dilation_rate, rank, "dilation_rate")
        mode = padding.lower() if isinstance(padding, str) else padding
        if mode not in ("valid", "same"):
            raise KerasValueError(f"The `padding` argument must be a list/tuple or one of {{'valid', 'same'}}. "
                                  f"Received: {padding!r}")
        self.padding = mode
        self.output_padding = None if output_padding is None else as_tuple(output_padding, rank, "output_padding")
        self.data_format = resolve_data_format(data_format, self._state)
        self.activation = check_activation(activation)
        self.use_bias = bool(use_bias)
        for name in ("kernel_size", "strides"):
            if not all(v > 0 for v in getattr(self, name)):
                raise KerasValueError(f"The argument `{name}` cannot contain 0. Received {name}={getattr(self, name)}.")
        if self.output_padding is not None:
            for i, (extra, stride) in enumerate(zip(self.output_padding, self.strides)):
                if extra >= stride:
                    raise KerasValueError(
                        f"`output_padding` must be strictly less than `strides` for all dimensions. At dimension "
                        f"{i}, `output_padding` is {extra} but `strides` is {stride}. Received: "
                        f"output_padding={self.output_padding}, strides={self.strides}",
                        hint=f"use output_padding < {stride}, or leave it None",
                    )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise KerasValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    def _spec(self, shape: tuple) -> ConvSpec:
        _, channels = split_channels(shape, self.data_format)
        if channels is None:
            raise KerasValueError(
                f"the channel dimension of the inputs should be defined; received {shape_text(shape)}"
            )
        return ConvSpec(self._rank, channels, self.filters, self.kernel_size, self.strides, self.padding,
                        self.dilation_rate, bias=self.use_bias, transposed=True, output_padding=self.output_padding)

    def _macs(self, spec: ConvSpec, batch, spatial, out_spatial) -> int:
        return conv_transpose_macs(spec, batch, spatial)


class Conv1DTranspose(_ConvTranspose):
    """``keras.layers.Conv1DTranspose``."""

    _rank, _ndim = 1, 3


class Conv2DTranspose(_ConvTranspose):
    """``keras.layers.Conv2DTranspose``."""

    _rank, _ndim = 2, 4


class Conv3DTranspose(_ConvTranspose):
    """``keras.layers.Conv3DTranspose`` (``data_format`` comes before ``output_padding`` in its signature)."""

    _rank, _ndim = 3, 5

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 output_padding=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, **kwargs)


CLASSES = [Conv1DTranspose, Conv2DTranspose, Conv3DTranspose]
