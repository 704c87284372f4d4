"""``keras.layers.TorchModuleWrapper(module, name=None, output_shape=None)``: a ``torch.nn.Module`` as a Keras layer
(Keras 3 on the torch backend).

The module is the one the file builds with ``torch.nn`` (nncalc's own torch API); its parameters are the layer's
weights, trainable as their ``requires_grad``, tracked when the layer is made (so it is built at once), as Keras
does. A call runs the module's ``forward`` on torch tensors of the input's shape. A size Keras does not know (the
batch of ``keras.Input``) is run as 83 and then 89, as Keras's torch backend infers shapes, and an output size
that follows it is unknown; the MACs are the module's for one sample.

Called directly on ``keras.Input`` (a functional model) Keras asks the layer for its output shape, which only
``output_shape=`` gives: without it the call is Keras's ``NotImplementedError``; with it the given shape must be
the module's (a wrong one would fail only when the model runs). Inside a subclassed model's ``call`` the module
runs on the tensors themselves, as in Keras.
"""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasTypeError, KerasValueError, shape_text
from nncalc.frameworks.keras.layer import Layer, _is_torch_tensor, _map_tensors, flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.graph import Weight

PROBE_SIZES = (83, 89)
"""The sizes Keras's torch backend gives an unknown dimension to find which output sizes follow it."""


class TorchModuleWrapper(Layer):
    """A torch module inside a Keras model: its parameters are the layer's, its forward the layer's call."""

    _builtin = True

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        from nncalc.frameworks.torch.module import Module

        if not isinstance(module, Module):
            raise KerasTypeError(f"TorchModuleWrapper wraps a torch.nn.Module. Received: module={module!r}",
                                 hint="build the module with torch.nn in the same file")
        lazy = getattr(module, "has_uninitialized_params", None)
        if callable(lazy) and lazy():
            raise KerasValueError("LazyModules are not supported unless they are already initialized. "
                                  f"Received uninitialized LazyModule: module={type(module).__name__}",
                                  hint="call the module once on a tensor before wrapping it")
        self.module = module
        self.output_shape = None if output_shape is None else tuple(output_shape)
        for param_name, param in module.named_parameters():
            trainable = bool(param.requires_grad)
            weight = Weight(param_name, tuple(param.shape), trainable=trainable, dtype=param.dtype.name)
            self._own_weights.append((weight, trainable))
        self.built = True

    def _describe(self) -> str:
        return f"`TorchModuleWrapper({type(self.module).__name__}(...))` (layer '{self.name}')"

    def parameters(self, recurse=True):
        return self.module.parameters(recurse=recurse)

    def call(self, *args, training=None, **kwargs):
        record = self._state.current
        symbolic = [t for t in flat_tensors([list(args), kwargs]) if t._history is not None]
        if record is not None and record.parent is None and symbolic and self.output_shape is None:
            raise KerasTypeError(
                f"Layer {type(self).__name__} does not have a `compute_output_shape` method implemented "
                f"({self._describe()} called on keras.Input tensors)",
                hint=f"give the module's output shape: TorchModuleWrapper(module, output_shape=(None, ...)), or "
                     "call the layer inside a subclassed model's call()")
        self.module.train(training is not False)
        first, *others = [self._run(args, kwargs, size) for size in PROBE_SIZES]
        result = _unknown_where_different(first, others[0])
        if record is not None:
            record.macs = self._macs(args, kwargs)
        if self.output_shape is not None:
            self._check_given_shape(result)
        return result

    def _run(self, args, kwargs, size: int):
        """The module's forward on torch tensors of the arguments' shapes (``size`` for an unknown size), its
        result as Keras tensors."""
        from nncalc.frameworks.torch.dtypes import dtype_named
        from nncalc.frameworks.torch.tensor import Tensor

        def to_torch(tensor: KerasTensor) -> Tensor:
            return Tensor._make(tuple(size if s is None else s for s in tensor.shape), dtype_named(tensor.dtype))

        args, kwargs = _map_tensors((tuple(args), dict(kwargs)), to_torch)
        result = self.module(*args, **kwargs)
        return _map_tensors(result, lambda t: KerasTensor(tuple(t.shape), t.dtype.name), _is_torch_tensor)

    def _macs(self, args, kwargs) -> int:
        """The module's MACs for one sample (an unknown size counted as 1)."""
        from nncalc.frameworks.torch.trace import macs_of

        return macs_of(self.module, lambda: self._run(args, kwargs, 1))

    def _check_given_shape(self, result) -> None:
        outputs = flat_tensors(result)
        given = self.output_shape
        actual = outputs[0].shape if len(outputs) == 1 else None
        if actual is None or len(actual) != len(given) or any(
                g is not None and a is not None and g != a for g, a in zip(given, actual)):
            found = shape_text(actual) if actual is not None else f"{len(outputs)} tensors"
            raise KerasValueError(
                f"{self._describe()} was given output_shape={shape_text(given)} but its module gives {found}",
                hint=f"write output_shape={shape_text(actual) if actual is not None else '…'}: Keras takes the "
                     "given shape on trust and the model fails when it runs")

    def compute_output_shape(self, input_shape):
        if self.output_shape is None:
            raise KerasTypeError(f"Layer {type(self).__name__} does not have a `compute_output_shape` method "
                                 "implemented.", hint="give output_shape= to TorchModuleWrapper")
        return self.output_shape


def _unknown_where_different(first, second):
    """``first`` with the sizes that differ in ``second`` (run with another probe size) unknown."""
    if isinstance(first, KerasTensor) and isinstance(second, KerasTensor) and first.ndim == second.ndim:
        shape = tuple(a if a == b else None for a, b in zip(first.shape, second.shape))
        return KerasTensor(shape, first.dtype)
    if isinstance(first, (list, tuple)) and isinstance(second, (list, tuple)) and len(first) == len(second):
        return type(first)(_unknown_where_different(a, b) for a, b in zip(first, second))
    if isinstance(first, dict) and isinstance(second, dict):
        return {k: _unknown_where_different(v, second.get(k)) for k, v in first.items()}
    return first


CLASSES = [TorchModuleWrapper]
