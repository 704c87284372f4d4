"""Operations on Keras tensors in functional code: ``x += residual``, ``x[:, 0]``, ``keras.ops.mean(x, axis=1)``.

Keras 3 records such an operation as a node of the functional graph (``Add``, ``GetItem``, ``Mean``): a row of
the model's summary, named from the same counters as layers (``add``, ``get_item_1``), without weights, and not
one of ``model.layers``. nncalc does the same: the operation is an :class:`Operation`, a layer-like object whose
call runs the op's shape rule; it joins the graph like a layer call, is replayed when the model is called on
new tensors, and is left out of ``model.layers``.
"""

from __future__ import annotations

from nncalc.frameworks.keras.errors import unknown_layer
from nncalc.frameworks.keras.layer import Layer, _map_tensors, flat_tensors
from nncalc.location import current_location


class Operation(Layer):
    """One functional-graph operation: ``fn(*args, **kwargs)`` with the tensors of ``args``/``kwargs`` as inputs."""

    _builtin = True

    def __init__(self, fn, args: tuple, kwargs: dict, **options):
        super().__init__(**options)
        self._fn, self._args, self._kwargs = fn, args, kwargs

    def call(self, inputs, *args, **kwargs):
        fresh = iter(inputs)  # the inputs replace the original tensors in order (new ones when replayed)
        call_args, call_kwargs = _map_tensors((self._args, self._kwargs), lambda tensor: next(fresh))
        return self._fn(*call_args, **call_kwargs)

    def _check_input(self, tensors) -> None:
        """An operation takes whatever tensors its function was given."""

    def _call_text(self) -> str:
        return f"{type(self).__name__} operation"


def run_operation(kind: str, fn, args: tuple, kwargs: dict | None = None, what: str | None = None):
    """``fn(*args, **kwargs)`` as the functional-graph operation ``kind`` (``"Add"``, ``"GetItem"``)."""
    kwargs = kwargs or {}
    tensors = flat_tensors([list(args), kwargs])
    state = next((t._history.layer._state for t in tensors if t._history is not None), None)
    if state is None:
        raise unknown_layer(what or f"the operation {kind} on Keras tensors that no layer produced")
    classes = state.classes
    if kind not in state.operations:
        base = classes["Operation"]
        state.operations[kind] = type(kind, (base,), {"__module__": __name__, "__qualname__": kind})
    operation = state.operations[kind](fn, args, kwargs, name=state.auto_name(kind))
    return operation._apply((tensors,), {}, current_location())


OPERATION_CLASSES = {"batch_normalization": "BatchNorm", "layer_normalization": "LayerNorm",
                     "rms_normalization": "RMSNorm", "stft": "STFT", "istft": "ISTFT", "psnr": "PSNR"}
"""Keras's class of the ops whose class name is not their name in CamelCase."""


def operation_kind(name: str) -> str:
    """Keras's class name of the op ``name``: ``expand_dims`` → ``ExpandDims``."""
    return OPERATION_CLASSES.get(name) or "".join(part[:1].upper() + part[1:] for part in name.split("_"))


CLASSES = [Operation]
