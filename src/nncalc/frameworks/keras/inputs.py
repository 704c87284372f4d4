"""``keras.Input`` and ``keras.layers.InputLayer``: where a model's input shape comes from."""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasTypeError, KerasValueError
from nncalc.frameworks.keras.layer import Layer
from nncalc.frameworks.keras.tensor import KerasTensor, Record, as_shape

_DTYPES = {
    "float": "float32", "float16": "float16", "float32": "float32", "float64": "float64", "bfloat16": "bfloat16",
    "int": "int64", "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64", "uint8": "uint8",
    "uint16": "uint16", "uint32": "uint32", "uint64": "uint64", "bool": "bool", "string": "string",
    "double": "float64", "half": "float16", "long": "int64", "complex64": "complex64", "complex128": "complex128",
}


def standardize_dtype(dtype, default: str) -> str:
    """A dtype name Keras accepts (``'float32'``, ``tf.int32``…) as a plain name."""
    if dtype is None:
        return default
    name = dtype if isinstance(dtype, str) else getattr(dtype, "name", None)
    if isinstance(name, str) and name in _DTYPES:
        return _DTYPES[name]
    if isinstance(name, str) and name.startswith("mixed_"):
        return name[len("mixed_"):]
    raise KerasValueError(f"Invalid dtype: {dtype!r}", hint="use a name such as 'float32' or 'int32'")


class InputLayer(Layer):
    """``keras.layers.InputLayer``: holds the model's input tensor; it has no weights and no row in reports."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        Layer.__init__(self, name=name)
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise KerasValueError(f"Argument `input_tensor` must be a KerasTensor. Received: {input_tensor!r}")
            batch_shape, dtype = input_tensor.shape, input_tensor.dtype
        else:
            if shape is not None and batch_shape is not None:
                raise KerasValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
            if batch_size is not None and batch_shape is not None:
                raise KerasValueError("You cannot pass both `batch_size` and `batch_shape` at the same time.")
            if shape is None and batch_shape is None:
                raise KerasValueError("You must pass a `shape` argument.", hint="e.g. keras.Input(shape=(32, 32, 3))")
            if shape is not None:
                batch_shape = (batch_size,) + as_shape(shape, "shape")
        self._batch_shape = as_shape(batch_shape, "batch_shape")
        self._dtype = standardize_dtype(dtype, self._state.floatx)
        tensor = KerasTensor(self._batch_shape, self._dtype, name=self.name)
        record = Record(self, [], self._state.next_seq(), None, self._location, outputs=[tensor], is_input=True)
        tensor._history = record
        self._records.append(record)
        self.optional = optional
        self.built = True

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def output(self) -> KerasTensor:
        return self._records[0].outputs[0]


def _input_signature(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None, name=None,
                     tensor=None, optional=False):
    """The signature of ``keras.Input``: called with its arguments, their values, defaults included."""
    return dict(locals())


def make_input(state):
    """This session's ``keras.Input(shape=None, batch_size=None, dtype=None, …, name=None)``."""

    def Input(*args, **kwargs):
        """``keras.Input``: a symbolic input tensor of ``shape`` (without the batch)."""
        try:
            values = _input_signature(*args, **kwargs)
        except TypeError:
            import inspect  # lazily: only a mistake needs it, for inspect's wording of the error

            try:
                inspect.signature(_input_signature).bind(*args, **kwargs)
            except TypeError as err:
                raise KerasTypeError(f"Input(): {err}", hint="e.g. keras.Input(shape=(32, 32, 3))") from None
            raise
        layer = state.new(
            "InputLayer", shape=values["shape"], batch_size=values["batch_size"], dtype=values["dtype"],
            sparse=values["sparse"], ragged=values["ragged"], batch_shape=values["batch_shape"],
            input_tensor=values["tensor"], optional=values["optional"], name=values["name"],
        )
        return layer.output

    Input.__nncalc_builds__ = True  # an error here means the statement was building a model

    Input.__wrapped__ = _input_signature  # what inspect.signature(Input) shows
    return Input
