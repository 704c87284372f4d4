"""Keras ``Dense``: a fully connected layer over the last axis, over :mod:`nncalc.layers.linear`."""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import BuiltinLayer
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.layers.activation import check_activation
from nncalc.layers.linear import DENSE, DenseSpec


class Dense(BuiltinLayer):
    """``keras.layers.Dense``: kernel ``(inputs, units)``, bias ``(units,)``; on N-D inputs it maps the last axis."""

    _min_ndim = 2
    _rule = DENSE

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

    def _pinned(self, spec: DenseSpec) -> dict:
        return {-1: spec.inputs}


CLASSES = [Dense]
