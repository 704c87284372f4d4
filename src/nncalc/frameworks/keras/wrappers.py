"""Keras layers that wrap other layers: ``SpectralNormalization(layer)`` and ``Pipeline(layers)``.

``SpectralNormalization`` keeps the wrapped layer's weights and shapes and adds ``vector_u (1, units)``, the
non-trainable power-iteration vector, after the kernel. ``Pipeline`` runs its layers in turn as one layer.
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import BuiltinLayer, _Context
from nncalc.frameworks.keras.errors import KerasValueError, unknown_layer
from nncalc.frameworks.keras.layer import Layer
from nncalc.formula import product, sym
from nncalc.layers.base import Term


class SpectralNormalization(BuiltinLayer):
    """``keras.layers.SpectralNormalization(layer, power_iterations=1)`` over a layer with a ``kernel``."""

    def __init__(self, layer, power_iterations=1, **kwargs):
        if not isinstance(layer, Layer):
            raise KerasValueError(f"Please initialize `SpectralNormalization` layer with a `keras.layers.Layer` "
                                  f"instance. Received: {layer!r}")
        if not isinstance(layer, BuiltinLayer):
            raise unknown_layer(f"SpectralNormalization({type(layer).__name__}(...))")
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int) or power_iterations <= 0:
            raise KerasValueError("`power_iterations` should be greater than zero. "
                                  f"Received: `power_iterations={power_iterations}`")
        super().__init__(**kwargs)
        self.__dict__["_inner"] = layer
        self.power_iterations = power_iterations

    @property
    def layer(self):
        return self._inner

    def _check_shape(self, shape):
        self._inner._check_shape(shape)

    def _weights_for(self, shape):
        with _Context(self._inner):
            terms, formula, axes = self._inner._weights_for(shape)
        kernel = next((t for t in terms if t.role == "kernel"), None)
        if kernel is None:
            raise KerasValueError(f"{self._describe()}: {type(self._inner).__name__} object has no attribute "
                                  "'kernel'", hint="SpectralNormalization wraps a layer with a kernel (Dense, Conv…)")
        units = kernel.dims[-1]
        vector = Term("vector_u", (("1", 1), units), statistic=True)
        ordered = [kernel, vector] + [t for t in terms if t is not kernel]
        return ordered, formula + product([sym(*units)]), axes

    def _forward(self, shape):
        with _Context(self._inner):
            return self._inner._forward(shape)

    def _output_dtype(self, tensor):
        return self._inner._output_dtype(tensor)


class Pipeline(BuiltinLayer):
    """``keras.layers.Pipeline(layers)``: the layers applied one after the other (preprocessing, augmentation)."""

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        layers = list(layers)
        for layer in layers:
            if not isinstance(layer, BuiltinLayer):
                raise unknown_layer(f"Pipeline with {type(layer).__name__}(...)")
        self.__dict__["_steps"] = layers

    @property
    def layers(self) -> list:
        return list(self._steps)

    def _chain(self, shape):
        """The shape after each step, with the steps' weights, formulas and MACs."""
        terms, formulas, axes, macs, parts = [], [], {}, 0, []
        for index, layer in enumerate(self._steps):
            with _Context(layer):
                layer._check_shape(shape)
                step_terms, formula, step_axes = layer._weights_for(shape)
                out, step_formulas, step_macs = layer._forward(shape)
            terms += step_terms
            parts += [formula] if formula is not None else []
            formulas += step_formulas
            macs += step_macs
            if index == 0:
                axes = step_axes
            shape = out
        return shape, terms, parts, formulas, axes, macs

    def _check_shape(self, shape):
        """Each step checks its own input in :meth:`_chain`."""

    def _weights_for(self, shape):
        _, terms, parts, _, axes, _ = self._chain(shape)
        formula = None
        for part in parts:
            formula = part if formula is None else formula + part
        return terms, formula, axes

    def _forward(self, shape):
        out, _, _, formulas, _, macs = self._chain(shape)
        return out, formulas, macs

    def _output_dtype(self, tensor):
        return self._steps[-1]._output_dtype(tensor) if self._steps else tensor.dtype


class Wrapper(Layer):
    """``keras.layers.Wrapper(layer)``: the base of layers that wrap another; a subclass defines ``call`` (usually
    around ``self.layer(...)``). The wrapped layer is built on the wrapper's input shape, as in Keras."""

    _builtin = True  # Keras's Wrapper.build builds the wrapped layer even when the subclass defines no build

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise KerasValueError(f"Layer {layer!r} supplied to Wrapper isn't a supported layer type. Please ensure "
                                  "wrapped layer is a valid Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None) -> None:
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        self.built = True


CLASSES = [SpectralNormalization, Pipeline, Wrapper]
