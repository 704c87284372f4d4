"""Keras core layers: Dense, activations, dropout, batch normalization, Flatten, Reshape, Permute."""

from __future__ import annotations

from math import prod

from nncalc.formula import product, sym
from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import BuiltinLayer, resolve_data_format, spatial_layout, spatial_rank_hint
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.layers.activation import check_activation, check_rate
from nncalc.layers.base import Term, axis_names, terms_formula
from nncalc.layers.linear import DenseSpec, dense_macs, dense_output, dense_params_formula, dense_terms
from nncalc.layers.normalization import batch_norm_terms
from nncalc.layers.reshape import flatten_output, reshape_output



def batch_kept_reshape(shape: tuple, target: tuple) -> tuple:
    """Keras ``Reshape(target)``: the batch stays, the rest becomes ``target`` (one ``-1`` inferred)."""
    batch, rest = shape[0], tuple(shape[1:])
    if any(s is None for s in rest):
        return (batch, *(None if t == -1 else t for t in target))
    return (batch, *reshape_output(rest, tuple(target)))

class Dense(BuiltinLayer):
    """``keras.layers.Dense``: kernel ``(inputs, units)``, bias ``(units,)``; on N-D inputs it maps the last axis."""

    _min_ndim = 2

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise KerasValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: units={units!r}"
            )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.activation = check_activation(activation)
        self.use_bias = bool(use_bias)
        if lora_rank:
            raise unknown_layer("Dense(lora_rank=...)")
        if quantization_config is not None:
            raise unknown_layer("Dense(quantization_config=...)")

    def _layout(self) -> str:
        return "(batch, …, features)"

    def _rank_hint(self, shape):
        return "Dense needs a batch axis and a feature axis; give keras.Input a shape such as (features,)"

    def _spec(self, shape) -> DenseSpec:
        if shape[-1] is None:
            raise KerasValueError(
                f"the last axis of the input must be known to build the kernel; received {shape_text(shape)}",
                hint="give keras.Input a fixed last dimension",
            )
        return DenseSpec(shape[-1], self.units, self.use_bias)

    def _weights_for(self, shape):
        spec = self._spec(shape)
        return dense_terms(spec), dense_params_formula(spec), {-1: spec.inputs}

    def _forward(self, shape):
        spec = self._spec(shape)
        return dense_output(spec, shape), [], dense_macs(spec, shape)


class Activation(BuiltinLayer):
    """``keras.layers.Activation``: an activation by name (``'relu'``) or function."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = check_activation(activation)


class ReLU(BuiltinLayer):
    """``keras.layers.ReLU``."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("max_value", max_value), ("negative_slope", negative_slope), ("threshold", threshold)):
            if (value is None and name != "max_value") or (value is not None and value < 0):
                raise KerasValueError(f"{name} of a ReLU layer cannot be None or a negative value. "
                                      f"Received: {name}={value!r}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold


class LeakyReLU(BuiltinLayer):
    """``keras.layers.LeakyReLU`` (``alpha=`` is the deprecated name of ``negative_slope``)."""

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise KerasValueError("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                                  f"Expected a float. Received: negative_slope={negative_slope!r}")
        self.negative_slope = negative_slope


class Softmax(BuiltinLayer):
    """``keras.layers.Softmax``."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis


class ELU(BuiltinLayer):
    """``keras.layers.ELU``."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha


class PReLU(BuiltinLayer):
    """``keras.layers.PReLU``: one learned slope per input element, shared along ``shared_axes``."""

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, int):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def _weights_for(self, shape):
        rank = len(shape)
        names = ("features",) if rank == 2 else axis_names(rank - 2) + ("C",)
        shared = set(self.shared_axes or ())
        if any(not 1 <= a < rank for a in shared):
            raise KerasValueError(f"shared_axes {sorted(shared)} are out of range for an input of rank {rank}")
        dims, kept = [], []
        for axis in range(1, rank):
            if axis in shared:
                dims.append(("1", 1))
                continue
            if shape[axis] is None:
                raise KerasValueError(
                    f"PReLU needs every non-shared axis known; axis {axis} of {shape_text(shape)} is None",
                    hint=f"share it: PReLU(shared_axes=[{axis}])",
                )
            dims.append((names[axis - 1], shape[axis]))
            kept.append(sym(names[axis - 1], shape[axis]))
        axes = {a: shape[a] for a in range(1, rank) if a not in shared}
        return [Term("alpha", tuple(dims))], product(kept), axes


class Dropout(BuiltinLayer):
    """``keras.layers.Dropout``: no weights; the output is the input."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(rate)
        self.noise_shape, self.seed = noise_shape, seed


class _SpatialDropout(BuiltinLayer):
    """Drops whole feature maps; needs a ``rank + 2``-D input."""

    _rank = 1

    def _setup(self, rate, data_format_value, seed, name, dtype):
        BuiltinLayer.__init__(self, name=name, dtype=dtype)
        self.rate = check_rate(rate)
        self.seed = seed
        self.data_format = resolve_data_format(data_format_value, self._state)

    def _layout(self) -> str:
        return spatial_layout(self._rank, self.data_format)

    def _rank_hint(self, shape):
        return spatial_rank_hint(type(self).__name__, self._rank, shape, self.data_format)


class SpatialDropout1D(_SpatialDropout):
    """``keras.layers.SpatialDropout1D``."""

    _rank, _ndim = 1, 3

    def __init__(self, rate, seed=None, name=None, dtype=None):
        self._setup(rate, "channels_last", seed, name, dtype)


class SpatialDropout2D(_SpatialDropout):
    """``keras.layers.SpatialDropout2D``."""

    _rank, _ndim = 2, 4

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        self._setup(rate, data_format, seed, name, dtype)


class SpatialDropout3D(_SpatialDropout):
    """``keras.layers.SpatialDropout3D``."""

    _rank, _ndim = 3, 5

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        self._setup(rate, data_format, seed, name, dtype)


class BatchNormalization(BuiltinLayer):
    """``keras.layers.BatchNormalization``: ``gamma``/``beta`` trainable, ``moving_mean``/``moving_variance``
    non-trainable parameters (Keras counts them in the total), all of size C = the input's ``axis``."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise KerasValueError(f"BatchNormalization takes one integer axis. Received: axis={axis!r}",
                                  hint="for several axes use keras.layers.LayerNormalization or reshape first")
        self.axis = axis
        self.momentum, self.epsilon = momentum, epsilon
        self.center, self.scale, self.renorm = bool(center), bool(scale), bool(renorm)

    def _weights_for(self, shape):
        rank = len(shape)
        if not -rank <= self.axis < rank:
            raise KerasValueError(f"axis {self.axis} is out of range for an input of rank {rank} {shape_text(shape)}",
                                  hint="axis=-1 normalises the channels of channels-last inputs; axis=1 channels-first")
        channels = shape[self.axis]
        if channels is None:
            raise KerasValueError(f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                                  f"received an input with shape {shape_text(shape)}.")
        terms = batch_norm_terms(channels, scale=self.scale, center=self.center)
        if self.renorm:
            dims = (("C", channels),)
            terms += [Term(role, dims, statistic=True) for role in ("moving_stddev", "renorm_mean", "renorm_stddev")]
        return terms, terms_formula(terms), {self.axis % rank: channels}


class Flatten(BuiltinLayer):
    """``keras.layers.Flatten``: everything but the batch in one axis."""

    _min_ndim = 1
    _keeps_dtype = True

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = resolve_data_format(data_format, self._state)

    def _forward(self, shape):
        if len(shape) == 1:
            return (shape[0], 1), [], 0
        out, formula = flatten_output(tuple(shape), 1, -1)
        return out, ([("features", formula)] if formula is not None else []), 0


class Reshape(BuiltinLayer):
    """``keras.layers.Reshape``: the batch stays; the rest becomes ``target_shape`` (one ``-1`` inferred)."""

    _keeps_dtype = True

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(target_shape, (tuple, list)):
            raise KerasValueError(f"`target_shape` must be a tuple. Received: target_shape={target_shape!r}",
                                  hint=f"write Reshape(({target_shape!r},)) for one axis")
        target = tuple(target_shape)
        if any(not (d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= -1)) for d in target):
            raise KerasValueError("Each dimension in `target_shape` must be a non-negative integer, or `-1` for a "
                                  f"single unknown dimension. Received: target_shape={target}.")
        if target.count(-1) > 1:
            raise KerasValueError(f"There must be at most one unknown dimension (-1) in target_shape. "
                                  f"Received: target_shape={target}.")
        self.target_shape = target

    def _forward(self, shape):
        if None in self.target_shape:
            return (shape[0], *(None if t == -1 else t for t in self.target_shape)), [], 0
        try:
            out = batch_kept_reshape(tuple(shape), self.target_shape)
        except ShapeError as err:
            elements = prod(shape[1:])
            raise KerasValueError(
                f"receives {elements} elements per sample {shape_text(shape[1:])}, which cannot be reshaped into "
                f"{shape_text(self.target_shape)} ({err.message})",
                hint=f"use a target_shape whose sizes multiply to {elements}, or -1 for one axis",
            ) from None
        return out, [], 0


class Permute(BuiltinLayer):
    """``keras.layers.Permute``: reorders the non-batch axes (``dims`` count from 1)."""

    _keeps_dtype = True

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise KerasValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be "
                f"consecutive and start from 1. Received dims={dims}"
            )
        self.dims = dims
        self._ndim = len(dims) + 1

    def _layout(self) -> str:
        return f"(batch + {len(self.dims)} axes)"

    def _forward(self, shape):
        return (shape[0], *(shape[d] for d in self.dims)), [], 0



CLASSES = [
    Dense, Activation, ReLU, LeakyReLU, Softmax, ELU, PReLU, Dropout, SpatialDropout1D, SpatialDropout2D,
    SpatialDropout3D, BatchNormalization, Flatten, Reshape, Permute,
]
