"""Keras convolutions and pooling (1D, 2D, 3D; ``channels_last`` or ``channels_first``) over nncalc's rules."""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import (
    BuiltinLayer, join_channels, resolve_data_format, spatial_layout, spatial_rank_hint, split_channels,
)
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.layers.activation import check_activation
from nncalc.layers.base import as_tuple
from nncalc.layers.conv import ConvSpec, conv_macs, conv_output, conv_params_formula, conv_terms
from nncalc.layers.pooling import PoolSpec, adaptive_output, global_output, pool_output
from nncalc.receptive import adaptive_window, window_for


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise KerasValueError(f"Invalid value for argument `{name}`. Expected a strictly positive integer. "
                              f"Received {name}={value!r}.")
    return value


class _Spatial(BuiltinLayer):
    """A layer over ``rank`` spatial axes plus channels."""

    _rank = 2

    def _layout(self) -> str:
        return spatial_layout(self._rank, self.data_format)

    def _rank_hint(self, shape: tuple) -> str:
        return spatial_rank_hint(type(self).__name__, self._rank, shape, self.data_format)


class _Conv(_Spatial):
    """``Conv1D``/``Conv2D``/``Conv3D``: kernel ``(k…, C_in/groups, filters)`` and bias ``(filters,)``."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1, groups=1,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self._rank
        self.filters = _positive_int(filters, "filters")
        self.groups = _positive_int(groups, "groups")
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
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise KerasValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    def _spec(self, shape: tuple) -> ConvSpec:
        spatial, channels = split_channels(shape, self.data_format)
        if channels is None:
            raise KerasValueError(
                f"the channel dimension of the inputs should be defined; received {shape_text(shape)}"
            )
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

    def _weights_for(self, shape):
        spec = self._spec(shape)
        axis = -1 if self.data_format == "channels_last" else 1
        return conv_terms(spec), conv_params_formula(spec), {axis: spec.in_channels}

    def _forward(self, shape):
        spec = self._spec(shape)
        spatial, _ = split_channels(shape, self.data_format)
        out_spatial, formulas = conv_output(spec, spatial)
        out = join_channels(shape[0], out_spatial, self.filters, self.data_format)
        return out, formulas, self._macs(spec, shape[0], spatial, out_spatial)

    def _macs(self, spec: ConvSpec, batch, spatial, out_spatial) -> int:
        return conv_macs(spec, batch, out_spatial)

    def _receptive_window(self, shape):
        return window_for(self._spec(shape), split_channels(shape, self.data_format)[0])


class Conv1D(_Conv):
    """``keras.layers.Conv1D``; ``padding='causal'`` pads on the left only."""

    _rank, _ndim = 1, 3


class Conv2D(_Conv):
    """``keras.layers.Conv2D``."""

    _rank, _ndim = 2, 4


class Conv3D(_Conv):
    """``keras.layers.Conv3D``."""

    _rank, _ndim = 3, 5


def _conv_padding(value, rank: int) -> str:
    allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
    mode = value.lower() if isinstance(value, str) else value
    if mode not in allowed:
        raise KerasValueError(
            f"The `padding` argument must be one of {set(allowed)}. Received: {value!r}",
            hint="'causal' is for Conv1D only" if mode == "causal" else None,
        )
    return mode


class _Pooling(_Spatial):
    """Max and average pooling: a window of ``pool_size`` moving by ``strides`` (``pool_size`` by default)."""

    _mode = "max"

    def _setup(self, pool_size, strides, padding, data_format, name, kwargs):
        BuiltinLayer.__init__(self, name=name, **kwargs)
        rank = self._rank
        self.pool_size = as_tuple(pool_size, rank, "pool_size")
        self.strides = self.pool_size if strides is None else as_tuple(strides, rank, "strides")
        if padding not in ("valid", "same"):
            raise KerasValueError(f"Argument `padding` must be either 'valid' or 'same'. Received: padding={padding!r}",
                                  hint="write it in lower case: 'valid' or 'same'")
        self.padding = padding
        self.data_format = resolve_data_format(data_format, self._state)
        if not all(v > 0 for v in self.pool_size + self.strides):
            raise KerasValueError(f"`pool_size` and `strides` must be positive. Received: pool_size={self.pool_size}, "
                                  f"strides={self.strides}")

    def _forward(self, shape):
        spatial, channels = split_channels(shape, self.data_format)
        spec = PoolSpec(self._rank, self.pool_size, self.strides, self.padding)
        out_spatial, formulas = pool_output(spec, spatial)
        return join_channels(shape[0], out_spatial, channels, self.data_format), formulas, 0

    def _receptive_window(self, shape):
        spatial, _ = split_channels(shape, self.data_format)
        return window_for(PoolSpec(self._rank, self.pool_size, self.strides, self.padding), spatial)


class _MaxPooling(_Pooling):
    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        self._setup(pool_size, strides, padding, data_format, name, kwargs)


class _AveragePooling(_Pooling):
    _mode = "average"

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        self._setup(pool_size, strides, padding, data_format, name, kwargs)


class MaxPooling1D(_MaxPooling):
    """``keras.layers.MaxPooling1D``."""

    _rank, _ndim = 1, 3


class MaxPooling2D(_MaxPooling):
    """``keras.layers.MaxPooling2D``."""

    _rank, _ndim = 2, 4


class MaxPooling3D(_MaxPooling):
    """``keras.layers.MaxPooling3D``."""

    _rank, _ndim = 3, 5


class AveragePooling1D(_AveragePooling):
    """``keras.layers.AveragePooling1D``."""

    _rank, _ndim = 1, 3


class AveragePooling2D(_AveragePooling):
    """``keras.layers.AveragePooling2D``."""

    _rank, _ndim = 2, 4


class AveragePooling3D(_AveragePooling):
    """``keras.layers.AveragePooling3D``."""

    _rank, _ndim = 3, 5


class _GlobalPooling(_Spatial):
    """Global max/average pooling: every spatial axis reduced (to 1 with ``keepdims=True``)."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = resolve_data_format(data_format, self._state)
        self.keepdims = bool(keepdims)

    def _forward(self, shape):
        spatial, channels = split_channels(shape, self.data_format)
        kept = global_output(spatial, self.keepdims)
        if not self.keepdims:
            return (shape[0], channels), [], 0
        return join_channels(shape[0], kept, channels, self.data_format), [], 0

    def _receptive_window(self, shape):
        spatial, _ = split_channels(shape, self.data_format)
        return adaptive_window(spatial, (1,) * len(spatial))


class GlobalAveragePooling1D(_GlobalPooling):
    """``keras.layers.GlobalAveragePooling1D``."""

    _rank, _ndim = 1, 3


class GlobalAveragePooling2D(_GlobalPooling):
    """``keras.layers.GlobalAveragePooling2D``."""

    _rank, _ndim = 2, 4


class GlobalAveragePooling3D(_GlobalPooling):
    """``keras.layers.GlobalAveragePooling3D``."""

    _rank, _ndim = 3, 5


class GlobalMaxPooling1D(_GlobalPooling):
    """``keras.layers.GlobalMaxPooling1D``."""

    _rank, _ndim = 1, 3


class GlobalMaxPooling2D(_GlobalPooling):
    """``keras.layers.GlobalMaxPooling2D``."""

    _rank, _ndim = 2, 4


class GlobalMaxPooling3D(_GlobalPooling):
    """``keras.layers.GlobalMaxPooling3D``."""

    _rank, _ndim = 3, 5


class _AdaptivePooling(_Spatial):
    """Adaptive max/average pooling: windows chosen so that the output has ``output_size`` per spatial axis."""

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        try:
            self.output_size = as_tuple(output_size, self._rank, "output_size")
        except ShapeError as error:
            raise KerasValueError(error.message, hint=error.hint) from None
        if not all(v > 0 for v in self.output_size):
            raise KerasValueError(f"`output_size` must be positive. Received: output_size={output_size!r}")
        self.data_format = resolve_data_format(data_format, self._state)

    def _forward(self, shape):
        spatial, channels = split_channels(shape, self.data_format)
        out_spatial, formulas = adaptive_output(self.output_size, spatial)
        return join_channels(shape[0], out_spatial, channels, self.data_format), formulas, 0

    def _receptive_window(self, shape):
        return adaptive_window(split_channels(shape, self.data_format)[0], self.output_size)


class AdaptiveAveragePooling1D(_AdaptivePooling):
    """``keras.layers.AdaptiveAveragePooling1D(output_size)``."""

    _rank, _ndim = 1, 3


class AdaptiveAveragePooling2D(_AdaptivePooling):
    """``keras.layers.AdaptiveAveragePooling2D(output_size)``."""

    _rank, _ndim = 2, 4


class AdaptiveAveragePooling3D(_AdaptivePooling):
    """``keras.layers.AdaptiveAveragePooling3D(output_size)``."""

    _rank, _ndim = 3, 5


class AdaptiveMaxPooling1D(_AdaptivePooling):
    """``keras.layers.AdaptiveMaxPooling1D(output_size)``."""

    _rank, _ndim = 1, 3


class AdaptiveMaxPooling2D(_AdaptivePooling):
    """``keras.layers.AdaptiveMaxPooling2D(output_size)``."""

    _rank, _ndim = 2, 4


class AdaptiveMaxPooling3D(_AdaptivePooling):
    """``keras.layers.AdaptiveMaxPooling3D(output_size)``."""

    _rank, _ndim = 3, 5


CLASSES = [
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D, AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D, AdaptiveMaxPooling3D, Conv1D, Conv2D, Conv3D, MaxPooling1D, MaxPooling2D, MaxPooling3D,
    AveragePooling1D, AveragePooling2D, AveragePooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D,
    GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D,
]
