"""Symbolic Keras tensors and the record of the layer call that produced them.

A :class:`KerasTensor` is a shape (batch first, ``None`` when unknown) and a dtype; its ``_history`` is the
:class:`Record` of the layer call that made it, which is how a functional ``Model(inputs, outputs)`` finds its
layers by walking back from the outputs, as Keras does.
"""

from __future__ import annotations

from nncalc.errors import Location, ShapeError
from nncalc.frameworks.keras.errors import KerasValueError, reject_unknown, shape_text, unknown_layer
from nncalc.graph import Weight
from nncalc.layers.merge import broadcast_shapes
from nncalc.layers.reshape import index_output
from nncalc.records import dataclass, field


@dataclass(eq=False)
class Record:
    """One call of a layer: its input and output tensors, its MACs and shape formulas, and the call it ran
    inside (a layer of a subclassed model or a nested model), with the calls made inside it."""

    layer: object
    inputs: list
    seq: int
    parent: "Record | None" = None
    location: Location | None = None
    outputs: list = field(default_factory=list)
    macs: int = 0
    formulas: list = field(default_factory=list)
    children: list = field(default_factory=list)
    is_input: bool = False
    arguments: tuple | None = None  # (args, kwargs) of the call, to replay it on other tensors


class KerasTensor:
    """A symbolic tensor: ``shape`` (batch first) and ``dtype``, as Keras's own ``KerasTensor``."""

    def __init__(self, shape, dtype: str = "float32", name: str | None = None):
        self._shape = tuple(shape)
        self._dtype = dtype
        self._name = name
        self._history: Record | None = None

    @property
    def shape(self) -> tuple:
        """The shape, batch first: ``(None, 32, 32, 3)``."""
        return self._shape

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def sparse(self) -> bool:
        return False

    @property
    def ragged(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<KerasTensor shape={shape_text(self._shape)}, dtype={self._dtype}, name={self._name}>"

    def __len__(self):
        raise unknown_layer("len() of a symbolic Keras tensor")

    def __iter__(self):
        raise unknown_layer("iterating over a symbolic Keras tensor")

    def reshape(self, newshape):
        """``x.reshape(newshape)``, Keras's ``Reshape`` operation."""
        from nncalc.frameworks.keras.ops import reshape_tensor

        if not _CALLS:
            from nncalc.frameworks.keras.operation import run_operation

            return run_operation("Reshape", KerasTensor.reshape, (self, newshape))
        return reshape_tensor("reshape", self, newshape)

    def squeeze(self, axis=None):
        """``x.squeeze(axis)``, Keras's ``Squeeze`` operation."""
        from nncalc.frameworks.keras.ops import squeeze_tensor

        if not _CALLS:
            from nncalc.frameworks.keras.operation import run_operation

            return run_operation("Squeeze", KerasTensor.squeeze, (self, axis))
        return squeeze_tensor(self, axis)

    def __getitem__(self, key):
        if not _CALLS:
            from nncalc.frameworks.keras.operation import run_operation

            return run_operation("GetItem", KerasTensor.__getitem__, (self, key))
        try:
            return KerasTensor(index_output(self._shape, key), self._dtype)
        except ShapeError as error:
            reject_unknown(key, "indexing a Keras tensor with it")
            raise KerasValueError(f"indexing a tensor of shape {shape_text(self._shape)} with {key!r}: "
                                  f"{error.message}", hint=error.hint) from None


_CALLS: list = []  # the layer calls whose call() runs (innermost last): arithmetic on tensors is then followed


class tensor_arithmetic:
    """Within this context (a layer's ``call``: a custom layer, a ``Lambda``'s function), ``+ - * / **``,
    indexing and ``keras.ops`` on KerasTensors, with tensors, weights or numbers, give tensors of the right
    shape, and their MACs go to ``record``. Outside a layer they are functional-graph operations
    (:mod:`nncalc.frameworks.keras.operation`)."""

    def __init__(self, record: Record | None = None):
        self.record = record

    def __enter__(self):
        _CALLS.append(self.record)
        return self

    def __exit__(self, *exc) -> bool:
        _CALLS.pop()
        return False


def in_layer_call() -> bool:
    """True while some layer's ``call`` is running."""
    return bool(_CALLS)


def add_call_macs(macs: int) -> None:
    """Count ``macs`` (a matmul in a layer's ``call``) for the innermost layer call."""
    record = _CALLS[-1] if _CALLS else None
    if record is not None and macs:
        record.macs += macs


def operand_shape(value, what: str) -> tuple:
    """The shape of a tensor, a weight (``self.add_weight(...)``) or a number (``()``) used in an operation."""
    if isinstance(value, KerasTensor):
        return value.shape
    if isinstance(value, Weight):
        return tuple(value.shape)
    if isinstance(value, (int, float)):
        return ()
    reject_unknown(value, what)
    raise unknown_layer(f"{what} with a {type(value).__name__}")


def _elementwise(tensor: KerasTensor, others: tuple, symbol: str, dtype: str | None = None) -> KerasTensor:
    shapes = [tensor.shape] + [operand_shape(other, f"the `{symbol}` of a Keras tensor") for other in others]
    try:
        return KerasTensor(broadcast_shapes(shapes, show=shape_text, known_wins=True), dtype or tensor.dtype)
    except ShapeError as error:
        raise KerasValueError(f"`{symbol}` {error.message}", hint=error.hint) from None


def _operator(symbol: str, kind: str, dtype: str | None, reflected: bool):
    def operator(self, *args):
        if symbol == "round":  # round(x) and round(x, ndigits): the digits never change the shape
            args = ()
        if _CALLS:
            if symbol == "@":
                from nncalc.frameworks.keras.ops import matmul_tensors

                return matmul_tensors(*((args[0], self) if reflected else (self, args[0])))
            return _elementwise(self, args, symbol, dtype)
        from nncalc.frameworks.keras.operation import run_operation

        return run_operation(kind, operator, (self, *args), what=f"the `{symbol}` operator on Keras tensors")

    return operator


# Keras's operation classes: ``x + y`` is an ``Add`` node of the functional graph, ``x[...]`` a ``GetItem``
for _dunder, _symbol, _kind, _dtype in [
    ("add", "+", "Add", None), ("radd", "+", "Add", None), ("sub", "-", "Subtract", None),
    ("rsub", "-", "Subtract", None), ("mul", "*", "Multiply", None), ("rmul", "*", "Multiply", None),
    ("truediv", "/", "TrueDivide", None), ("rtruediv", "/", "TrueDivide", None),
    ("floordiv", "//", "FloorDivide", None), ("rfloordiv", "//", "FloorDivide", None), ("mod", "%", "Mod", None),
    ("rmod", "%", "Mod", None), ("pow", "**", "Power", None), ("rpow", "**", "Power", None),
    ("matmul", "@", "Matmul", None), ("rmatmul", "@", "Matmul", None), ("neg", "-", "Negative", None),
    ("pos", "+", "Identity", None), ("abs", "abs", "Absolute", None), ("lt", "<", "Less", "bool"),
    ("le", "<=", "LessEqual", "bool"), ("gt", ">", "Greater", "bool"), ("ge", ">=", "GreaterEqual", "bool"),
    ("ne", "!=", "NotEqual", "bool"), ("and", "&", "LogicalAnd", "bool"), ("rand", "&", "LogicalAnd", "bool"),
    ("or", "|", "LogicalOr", "bool"), ("ror", "|", "LogicalOr", "bool"), ("xor", "^", "LogicalXor", "bool"),
    ("rxor", "^", "LogicalXor", "bool"), ("invert", "~", "LogicalNot", "bool"), ("round", "round", "Round", None),
]:
    setattr(KerasTensor, f"__{_dunder}__", _operator(_symbol, _kind, _dtype, _dunder.startswith("r")))


def as_shape(value, what: str = "shape") -> tuple:
    """A user's shape (tuple or list of ints and None) as a tuple; anything else is Keras's error."""
    if isinstance(value, KerasTensor):
        return value.shape
    reject_unknown(value, f"using it as {what}")
    for dim in value if isinstance(value, (tuple, list)) else ():
        reject_unknown(dim, f"using it in {what}")
    if value is None or isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)):
        raise KerasValueError(f"Cannot convert '{value}' to a shape. Received: {what}={value!r}",
                              hint=f"give {what} as a tuple, e.g. {what}=(32, 32, 3)")
    for dim in value:
        if dim is not None and (isinstance(dim, bool) or not isinstance(dim, int) or dim < 0):
            raise KerasValueError(
                f"Cannot convert '{tuple(value)}' to a shape. Found invalid dimension '{dim}'. "
                f"Received: {what}={value!r}",
                hint="every dimension must be a non-negative int or None",
            )
    return tuple(value)
