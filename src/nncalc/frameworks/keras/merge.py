"""Keras merge layers: ``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``, ``Minimum``,
``Concatenate``, ``Dot`` and their functional forms ``layers.add([...])``, ``layers.concatenate([...])``…

They take a list of tensors. Element-wise merges broadcast the shapes after the batch (NumPy's rule, as Keras
does); ``Concatenate`` joins along ``axis``; ``Dot`` is a batched dot product. No weights; only ``Dot`` has MACs.
"""

from __future__ import annotations

from nncalc.diagnostics import within
from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import BuiltinLayer
from nncalc.frameworks.keras.errors import KerasTypeError, KerasValueError, reject_unknown, shape_text
from nncalc.frameworks.keras.layer import _short, flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.base import axis_names
from nncalc.layers.merge import batch_dot_shape, broadcast_shapes, concat_shapes


class _Merge(BuiltinLayer):
    """A layer called on a list of tensors; ``_merge(shapes)`` gives (output shape, formulas, MACs)."""

    _inputs: int | None = None  # the exact number of inputs, None for one or more

    def build(self, input_shape=None) -> None:
        self.built = True

    def _check_input(self, tensors) -> None:
        """Checked in :meth:`call`, where the list structure is known."""

    def call(self, inputs, *args, **kwargs):
        shapes = self._input_shapes(inputs)
        output, formulas, macs = self._checked(shapes)
        self._record_cost(macs, formulas)
        return KerasTensor(output, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return self._checked([tuple(s) for s in input_shape])[0]

    def _input_shapes(self, inputs) -> list[tuple]:
        kind = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            reject_unknown(inputs, f"merging it with {kind}")
            raise KerasValueError(
                f"A merge layer should be called on a list of inputs. Received: inputs={_short(inputs)} "
                "(not a list of tensors)",
                hint=f"write {kind}()([a, b])",
            )
        tensors = flat_tensors(inputs)
        if len(tensors) != len(inputs):
            for item in inputs:
                reject_unknown(item, f"merging it with {kind}")
            raise KerasTypeError(f"{self._describe()} is called on {_short(inputs)}; every input must be a tensor")
        if not tensors or (self._inputs is not None and len(tensors) != self._inputs):
            wanted = "at least 1 input" if self._inputs is None else f"exactly {self._inputs} inputs"
            raise KerasValueError(
                f"A `{kind}` layer should be called on {wanted}. Received: input_shape="
                f"[{', '.join(shape_text(t.shape) for t in tensors)}]"
            )
        return [t.shape for t in tensors]

    def _checked(self, shapes: list[tuple]):
        try:
            with within(self._describe):
                return self._merge(shapes)
        except ShapeError as error:
            if isinstance(error, KerasValueError) and getattr(error, "_keras_context", False):
                raise
            raised = KerasValueError(f"{self._describe()} {error.message}", hint=error.hint)
            raised._keras_context = True
            raise raised from None

    def _merge(self, shapes: list[tuple]):
        return broadcast_shapes(shapes, lead=1, show=shape_text), [], 0


class Add(_Merge):
    """``keras.layers.Add``: the element-wise sum of the inputs."""


class Subtract(_Merge):
    """``keras.layers.Subtract``: ``inputs[0] − inputs[1]``."""

    _inputs = 2


class Multiply(_Merge):
    """``keras.layers.Multiply``: the element-wise product of the inputs."""


class Average(_Merge):
    """``keras.layers.Average``: the element-wise mean of the inputs."""


class Maximum(_Merge):
    """``keras.layers.Maximum``: the element-wise maximum of the inputs."""


class Minimum(_Merge):
    """``keras.layers.Minimum``: the element-wise minimum of the inputs."""


class Concatenate(_Merge):
    """``keras.layers.Concatenate(axis=-1)``: the inputs joined along ``axis`` (the channels by default)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise KerasValueError(f"`axis` must be an int. Received: axis={axis!r}")
        self.axis = axis

    def _merge(self, shapes):
        rank = len(shapes[0])
        output, formulas = concat_shapes(shapes, self.axis, _axis_label(self.axis, rank), show=shape_text)
        return output, formulas, 0


def _axis_label(axis: int, rank: int) -> str:
    if not -rank <= axis < rank:
        return "n"
    axis %= rank
    if axis == rank - 1:
        return "features" if rank == 2 else "C"
    return axis_names(rank - 2)[axis - 1] if axis > 0 else "batch"


class Dot(_Merge):
    """``keras.layers.Dot(axes, normalize=False)``: the batched dot product of two inputs along ``axes``
    (one int for both, or one per input)."""

    _inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2:
                raise KerasValueError(f"Invalid format for argument `axes`: it should contain two elements. "
                                      f"Received: axes={axes!r}")
            if not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
                raise KerasValueError(f"Invalid format for argument `axes`: list elements should be integers. "
                                      f"Received: axes={axes!r}")
        elif isinstance(axes, bool) or not isinstance(axes, int):
            raise KerasTypeError(f"Invalid type for argument `axes`: it should be a list or an int. "
                                 f"Received: axes={axes!r}")
        self.axes, self.normalize = axes, bool(normalize)

    def _merge(self, shapes):
        first, second = shapes
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        for axis, shape in zip(pair, shapes):
            if not -len(shape) <= axis < len(shape):
                raise KerasValueError(f"axis {axis} is out of range for an input of rank {len(shape)} "
                                      f"{shape_text(shape)}")
        output, macs = batch_dot_shape(first, second, pair, show=shape_text)
        return output, [], macs


CLASSES = [Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot]


def functional_forms(classes: dict) -> dict:
    """``layers.add(inputs, **kwargs)`` and friends for one session's classes: a new layer called on ``inputs``."""

    def form(name: str, defaults: dict | None = None):
        def merge(inputs, *args, **kwargs):
            options = {**(defaults or {}), **kwargs}
            for key, value in zip(defaults or {}, args):
                options[key] = value
            if len(args) > len(defaults or {}):
                raise KerasTypeError(f"{name.lower()}() takes the inputs and keyword arguments; received "
                                     f"{len(args) + 1} positional arguments")
            return classes[name](**options)(inputs)

        merge.__name__ = name.lower()
        merge.__doc__ = f"``keras.layers.{name.lower()}(inputs, ...)``: ``{name}(...)(inputs)``."
        return merge

    forms = {name.lower(): form(name) for name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")}
    forms["concatenate"] = form("Concatenate", {"axis": -1})
    forms["dot"] = form("Dot", {"axes": -1, "normalize": False})
    return forms
