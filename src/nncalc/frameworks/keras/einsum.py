"""Keras ``EinsumDense``: a dense layer written as an einsum of the input with a kernel, e.g.
``EinsumDense("abc,cde->abde", output_shape=(None, 8, 64), bias_axes="de")`` (attention projections)."""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import BuiltinLayer
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.layers.activation import check_activation
from nncalc.layers.base import Term, terms_formula
from nncalc.layers.einsum import EinsumError, einsum_dense_shapes, einsum_shape


class EinsumDense(BuiltinLayer):
    """``keras.layers.EinsumDense(equation, output_shape, activation=None, bias_axes=None)``: ``kernel`` sized
    from the equation's letters, ``bias`` over ``bias_axes``; the output is the batch then ``output_shape``."""

    def __init__(self, equation, output_shape, activation=None, bias_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, gptq_unpacked_column_size=None,
                 quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(equation, str):
            raise KerasValueError(f"`equation` must be a string. Received: equation={equation!r}")
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.activation = check_activation(activation)
        self.bias_axes = bias_axes
        if lora_rank:
            raise unknown_layer("EinsumDense(lora_rank=...)")
        if quantization_config is not None:
            raise unknown_layer("EinsumDense(quantization_config=...)")

    def _shapes(self, shape):
        try:
            kernel, bias, full = einsum_dense_shapes(self.equation, self.bias_axes, tuple(shape),
                                                     self.partial_output_shape)
        except EinsumError as error:
            raise KerasValueError(f"{error} (input {shape_text(shape)})") from None
        if any(size is None for _, size in kernel + (bias or [])):
            raise KerasValueError(f"the kernel of {self._describe()} has an unknown size {shape_text(kernel)} for "
                                  f"input {shape_text(shape)}",
                                  hint="give the sizes the kernel uses in output_shape or in keras.Input")
        return kernel, bias, full

    def _weights_for(self, shape):
        kernel, bias, _ = self._shapes(shape)
        terms = [Term("kernel", tuple(kernel))] + ([Term("bias", tuple(bias))] if bias is not None else [])
        pinned = {axis: shape[axis] for axis in range(1, len(shape)) if shape[axis] is not None}
        return terms, terms_formula(terms), pinned

    def _forward(self, shape):
        kernel, _, full = self._shapes(shape)
        known = tuple(1 if s is None else s for s in shape)
        _, macs = einsum_shape(self.equation, [known, tuple(size for _, size in kernel)])
        return full, [], macs


CLASSES = [EinsumDense]
