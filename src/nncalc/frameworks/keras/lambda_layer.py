"""Keras ``Lambda``: a layer whose output shape comes from running its function.

A ``Lambda``'s function is run on the symbolic input, as Keras does to find the output shape; element-wise
arithmetic and the ``keras.ops`` and ``tf`` ops nncalc knows are followed inside it (``lambda x: x / 255.0 -
0.5``, ``tf.expand_dims``). A function nncalc cannot follow (``keras.ops.fft``) is reported as unsupported unless
``output_shape=`` is given.
"""

from __future__ import annotations

from nncalc.errors import UnknownLayer
from nncalc.frameworks.common.errors import is_unknown
from nncalc.frameworks.keras.builtin import BuiltinLayer
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.layer import _map_tensors, flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor, as_shape


class Lambda(BuiltinLayer):
    """``keras.layers.Lambda(function, output_shape=None, mask=None, arguments=None)``."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise KerasValueError(f"Lambda's `function` must be callable. Received: function={function!r}")
        self.function = function
        self.output_shape_arg = output_shape
        self.arguments = dict(arguments or {})

    def _check_input(self, tensors) -> None:
        """A Lambda takes any structure of tensors its function accepts."""

    def call(self, inputs, *args, **kwargs):
        try:
            result = self.function(inputs, **self.arguments)
        except UnknownLayer as error:
            if self.output_shape_arg is None:
                raise UnknownLayer(
                    f"{self._describe()}: nncalc cannot follow its function ({error.message})",
                    hint="give the output shape: Lambda(..., output_shape=(...)) (without the batch), or use a "
                         "layer nncalc knows",
                ) from None
            return self._declared_output(inputs)
        if not flat_tensors(result) or _has_unknown(result):
            if self.output_shape_arg is not None:
                return self._declared_output(inputs)
            raise UnknownLayer(
                f"{self._describe()}: nncalc cannot follow its function, which returns {result!r}",
                hint="give the output shape: Lambda(..., output_shape=(...)) (without the batch)",
            )
        return _map_tensors(result, lambda t: KerasTensor(t.shape, t.dtype))

    def _declared_output(self, inputs):
        first = flat_tensors(inputs)[0]
        declared = self.output_shape_arg
        if callable(declared):
            shape = declared(first.shape)
            return KerasTensor(as_shape(shape, "output_shape"), self.compute_dtype)
        return KerasTensor((first.shape[0], *as_shape(declared, "output_shape")), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        raise KerasValueError(f"{self._describe()}: call it on a tensor to get its output shape "
                              f"(input {shape_text(tuple(input_shape))})")


def _has_unknown(value) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(_has_unknown(v) for v in value.values())
    return False


CLASSES = [Lambda]
