"""Keras layers that only rearrange values: ``Flatten``, ``Reshape``, ``Permute``, ``RepeatVector`` and
``Identity``, over :mod:`nncalc.layers.reshape`. No weights, no MACs."""

from __future__ import annotations

from math import prod

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import BuiltinLayer, resolve_data_format
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.layer import _map_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.reshape import flatten_output, reshape_output


def batch_kept_reshape(shape: tuple, target: tuple) -> tuple:
    """Keras ``Reshape(target)``: the batch stays, the rest becomes ``target`` (one ``-1`` inferred)."""
    batch, rest = shape[0], tuple(shape[1:])
    if any(s is None for s in rest):
        return (batch, *(None if t == -1 else t for t in target))
    return (batch, *reshape_output(rest, tuple(target)))


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


class RepeatVector(BuiltinLayer):
    """``keras.layers.RepeatVector(n)``: ``(batch, features)`` → ``(batch, n, features)``."""

    _ndim = 2
    _keeps_dtype = True

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, int):
            raise KerasValueError(f"Expected an integer value for `n`. Received: n={n!r}")
        self.n = n

    def _layout(self) -> str:
        return "(batch, features)"

    def _forward(self, shape):
        return (shape[0], self.n, shape[1]), [], 0


class Identity(BuiltinLayer):
    """``keras.layers.Identity``: the output is the input."""

    _keeps_dtype = True

    def call(self, inputs, *args, **kwargs):
        return _map_tensors(inputs, lambda t: KerasTensor(t.shape, t.dtype))

    def _check_input(self, tensors) -> None:
        """Identity passes any structure of tensors through."""


CLASSES = [Flatten, Reshape, Permute, RepeatVector, Identity]
