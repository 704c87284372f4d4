"""The Keras ``Layer`` base: naming, build on first call, weights, sublayer tracking and the call record.

Calling a layer on a :class:`KerasTensor` builds it from the input shape (its weights) on the first call and
returns the output tensor right away, as Keras does at model-definition time. A layer called twice has one
set of weights and two :class:`Record` s.
"""

from __future__ import annotations

from nncalc.errors import NncalcError
from nncalc.frameworks.keras.errors import KerasTypeError, KerasValueError, reject_unknown, shape_text
from nncalc.frameworks.keras.tensor import KerasTensor, Record, as_shape, tensor_arithmetic
from nncalc.graph import Weight
from nncalc.interpreter.limits import note_built
from nncalc.location import current_location


class _LayerMeta(type):
    """Turns a constructor call whose arguments do not bind into a clear error naming the layer."""

    def __call__(cls, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except TypeError as err:
            if isinstance(err, NncalcError):
                raise
            problem = _binding_problem(cls, args, kwargs)
            if problem is None:
                raise
            raise KerasTypeError(f"{cls.__name__}(): {problem}", hint=_signature_hint(cls)) from None


def _binding_problem(cls, args, kwargs) -> str | None:
    import inspect  # lazily, as below: only a mistake needs it, and it is slow to import

    try:
        inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError as err:
        return str(err)
    except ValueError:
        return None
    return None


def _signature_hint(cls) -> str | None:
    import inspect

    try:
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    shown = [p.name if p.default is p.empty else f"{p.name}={p.default!r}" for p in params
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)][:6]
    return f"the signature is {cls.__name__}({', '.join(shown)}, …)"


def dtype_policy(dtype, floatx: str) -> tuple[str, str]:
    """(variable dtype, compute dtype) of a layer's ``dtype=``: ``'mixed_float16'`` → float32 weights."""
    name = dtype if isinstance(dtype, str) else getattr(dtype, "name", None)
    if not isinstance(name, str):
        return floatx, floatx
    if name.startswith("mixed_"):
        return "float32", name[len("mixed_"):]
    return name, name


def flat_tensors(value) -> list:
    """The KerasTensors in a tensor, a list/tuple of them or a dict of them, in Keras's order (a dict's by
    sorted key, as ``keras.tree.flatten`` gives them)."""
    if isinstance(value, KerasTensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in flat_tensors(item)]
    if isinstance(value, dict):
        return [t for key in sorted(value, key=str) for t in flat_tensors(value[key])]
    return []


FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")


def _map_tensors(value, fn, is_tensor=None):
    """``value`` with ``fn`` applied to each tensor in it (``is_tensor``: what a tensor is; Keras's by default)."""
    if isinstance(value, KerasTensor) if is_tensor is None else is_tensor(value):
        return fn(value)
    if isinstance(value, list):
        return [_map_tensors(v, fn, is_tensor) for v in value]
    if isinstance(value, tuple):
        return tuple(_map_tensors(v, fn, is_tensor) for v in value)
    if isinstance(value, dict):
        return {k: _map_tensors(v, fn, is_tensor) for k, v in value.items()}
    return value


class Layer(metaclass=_LayerMeta):
    """``keras.layers.Layer``: the base of every layer and model; user code may subclass it.

    A subclass defines ``call(inputs)`` (and optionally ``build(input_shape)`` using :meth:`add_weight`);
    layers assigned to its attributes are tracked as its sublayers.
    """

    __nncalc_subclassable__ = True
    __nncalc_reserved__ = ("_ctor", "_location", "_tracked", "_own_weights", "_params_formula", "_records", "_policy")
    _state = None  # the session's KerasState, set on each session's copy of the class
    _builtin = False

    def __new__(cls, *args, **kwargs):
        if cls._state is None:
            raise TypeError(f"{cls.__name__} must be created through a Keras session (nncalc.frameworks.keras)")
        self = object.__new__(cls)
        fields = self.__dict__
        fields["_ctor"] = (args, kwargs)
        fields["_location"] = current_location()
        fields["_name"] = None
        fields["_trainable"] = True
        fields["_tracked"] = []
        fields["_own_weights"] = []
        fields["_params_formula"] = None
        fields["_records"] = []
        fields["_input_shape_arg"] = None
        fields["_policy"] = (cls._state.floatx, cls._state.floatx)
        fields["_autocast"] = True
        fields["built"] = False
        return self

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True, name=None, **kwargs):
        note_built()
        if name is None:
            name = self._state.auto_name(type(self).__name__)
        elif not isinstance(name, str) or "/" in name:
            raise KerasValueError(f"Argument `name` must be a string without '/'. Received: name={name!r}")
        self._name = name
        input_dim = kwargs.pop("input_dim", None)
        input_shape = (input_dim,) if input_dim is not None else kwargs.pop("input_shape", None)
        if input_shape is not None:
            self._input_shape_arg = as_shape(input_shape, "input_shape")
        if kwargs:
            raise KerasValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}",
                hint=_signature_hint(type(self)),
            )
        if not isinstance(trainable, bool):
            raise KerasValueError(f"Expected `trainable` to be a boolean. Received: trainable={trainable!r}")
        self._trainable = trainable
        self._policy = dtype_policy(dtype, self._state.floatx)
        self._autocast = bool(autocast)

    # ----- attributes users read -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        if self._name is None:  # a subclass that never called super().__init__()
            self._name = self._state.auto_name(type(self).__name__)
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._sublayers():
            layer.trainable = value

    @property
    def dtype(self) -> str:
        """The weights' dtype (``float32`` under ``mixed_float16``)."""
        return self._policy[0]

    @property
    def compute_dtype(self) -> str:
        return self._policy[1]

    @property
    def variable_dtype(self) -> str:
        return self._policy[0]

    @property
    def layers(self) -> list:
        return list(self._sublayers())

    @property
    def weights(self) -> list[Weight]:
        return self._collect_weights(None)

    @property
    def variables(self) -> list[Weight]:
        return self._collect_weights(None)

    @property
    def trainable_weights(self) -> list[Weight]:
        return self._collect_weights(True)

    @property
    def non_trainable_weights(self) -> list[Weight]:
        return self._collect_weights(False)

    @property
    def input(self):
        return self._first_record("input").inputs[0]

    @property
    def output(self):
        outputs = self._first_record("output").outputs
        return outputs[0] if len(outputs) == 1 else outputs

    def count_params(self) -> int:
        """Parameters of this layer and its sublayers, each weight once (Keras counts non-trainable ones)."""
        if not self.built:
            raise KerasValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't built.",
                hint="give the model an input shape (keras.Input(shape=...)) or call it on a tensor first",
            )
        return sum(w.numel for w in self.weights)

    def get_config(self) -> dict:
        args, kwargs = self._ctor
        return {"name": self.name, "trainable": self.trainable, "args": list(args), **kwargs}

    def get_weights(self) -> list:
        return []

    def set_weights(self, weights) -> None:
        """A no-op: nncalc has no values, only shapes."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    # ----- what subclasses define ------------------------------------------------------------------------
    def build(self, input_shape=None) -> None:
        """Create the weights for ``input_shape``; the base has none."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        raise KerasTypeError(f"Layer {type(self).__name__} does not have a `call()` method implemented.")

    def compute_output_shape(self, input_shape):
        raise KerasTypeError(f"Layer {type(self).__name__} does not implement compute_output_shape().")

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True, regularizer=None,
                   constraint=None, aggregation="none", overwrite_with_gradient=False, name=None) -> Weight:
        """Add a weight to this layer (custom layers call this in ``build``)."""
        shape = () if shape is None else as_shape(shape, "shape")
        if any(s is None for s in shape):
            raise KerasValueError(
                f"Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
                f"Received: shape={shape} for variable '{self.name}/{name or 'variable'}'"
            )
        weight = Weight(name or "variable", shape, trainable=bool(trainable), dtype=dtype or self.variable_dtype)
        self._own_weights.append((weight, bool(trainable)))
        return weight

    # ----- the call ---------------------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        return self._apply(args, kwargs, current_location())

    def _apply(self, args, kwargs, location):
        if args:
            inputs, rest = args[0], args[1:]
        elif "inputs" in kwargs:
            inputs, rest = kwargs.pop("inputs"), ()
        else:
            raise KerasTypeError(f"{self._describe()} was called without an input tensor")
        if _holds_torch_tensor((inputs, rest, kwargs)):  # Keras on the torch backend takes torch tensors (eager)
            inputs, rest, kwargs = _map_tensors((inputs, rest, kwargs), _from_torch, _is_torch_tensor)
        flat = flat_tensors(inputs)
        if not flat:
            reject_unknown(inputs, f"calling layer '{self.name}' on it")
            raise KerasTypeError(
                f"{self._describe()} was called on {_short(inputs)}; nncalc runs layers on symbolic tensors only",
                hint="call it on keras.Input(shape=...) or on another layer's output",
            )
        state = self._state
        parent = state.current
        # tensors passed besides the inputs (an RNN's initial_state, a mask) are inputs of the call too, as in
        # Keras's graph: they order the layers and connect the model
        extra = [t for t in flat_tensors([list(rest), kwargs]) if not any(t is f for f in flat)]
        record = Record(self, flat + extra, state.next_seq(), parent, location)
        record.arguments = ((inputs, *rest), dict(kwargs))
        self._check_input(flat)
        state.stack.append(record)
        try:
            if not self.built:
                if self._builtin or self._user_defines("build"):
                    shapes = [t.shape for t in flat]
                    self.build(shapes[0] if isinstance(inputs, KerasTensor) else shapes)
                self.built = True
            if self._autocast and not self._builtin:  # Keras casts a user call's float tensors to the compute dtype
                inputs, rest, kwargs = _map_tensors((inputs, rest, kwargs), self._autocast_tensor)
            with tensor_arithmetic(record):
                outputs = self.call(inputs, *rest, **kwargs)
        finally:
            state.stack.pop()
        outputs = _map_tensors(outputs, lambda t: _claim(t, record))
        record.outputs = flat_tensors(outputs)
        if parent is not None:
            parent.children.append(record)
        self._records.append(record)
        return outputs

    def _autocast_tensor(self, tensor: KerasTensor) -> KerasTensor:
        if tensor.dtype not in FLOAT_DTYPES or tensor.dtype == self.compute_dtype:
            return tensor
        return KerasTensor(tensor.shape, self.compute_dtype, tensor.name)

    def _check_input(self, tensors) -> None:
        """Built-in layers check the input's rank and, once built, its compatibility with the weights."""

    # ----- helpers ----------------------------------------------------------------------------------------
    def __setattr__(self, name, value):
        if _is_torch_module(value) and type(self).__name__ != "TorchModuleWrapper":
            value = self._state.classes["TorchModuleWrapper"](value)  # as Keras on the torch backend does
        if not name.startswith("_"):
            for layer in _layers_in(value):
                if layer is not self and not any(layer is t for t in self._tracked):
                    self._tracked.append(layer)
        object.__setattr__(self, name, value)

    def _sublayers(self) -> list:
        return self._tracked

    def _user_defines(self, method: str) -> bool:
        """True when a class written by the user (not an nncalc host class) defines ``method``."""
        for klass in type(self).__mro__:
            if is_host_class(klass):
                return False
            if method in klass.__dict__:
                return True
        return False

    def _collect_weights(self, trainable: bool | None, seen: set | None = None, parent_trainable: bool = True):
        seen = set() if seen is None else seen
        active = parent_trainable and self.trainable
        out = []
        for weight, base in self._own_weights:
            if id(weight) in seen or (trainable is not None and (base and active) != trainable):
                continue
            seen.add(id(weight))
            out.append(weight)
        for layer in self._sublayers():
            out.extend(layer._collect_weights(trainable, seen, active))
        return out

    def _first_record(self, what: str) -> Record:
        if not self._records:
            from nncalc.frameworks.keras.errors import KerasAttributeError

            raise KerasAttributeError(f"The layer '{self.name}' has never been called and thus has no defined {what}.")
        return self._records[0]

    def _call_text(self) -> str:
        """The constructor call as the user wrote it: ``Conv2D(8, (3, 3), activation='relu')``."""
        args, kwargs = self._ctor
        parts = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()]
        return f"{type(self).__name__}({', '.join(parts)})"

    def _describe(self) -> str:
        return f"`{self._call_text()}` (layer '{self.name}')"


def _is_torch_tensor(value) -> bool:
    return type(value).__name__ in ("Tensor", "Parameter") and type(value).__module__.startswith(
        "nncalc.frameworks.torch")


def _holds_torch_tensor(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_holds_torch_tensor(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_torch_tensor(v) for v in value.values())
    return _is_torch_tensor(value)


def _from_torch(value) -> KerasTensor:
    """A torch tensor as the Keras tensor of its shape and dtype (no history: a value, not a graph input)."""
    return KerasTensor(tuple(value.shape), value.dtype.name)


def _is_torch_module(value) -> bool:
    """True for a ``torch.nn.Module`` the file built (nncalc's torch API), without importing it."""
    return any(klass.__name__ == "Module" and klass.__module__ == "nncalc.frameworks.torch.module"
               for klass in type(value).__mro__)


def is_host_class(klass) -> bool:
    """True for nncalc's own Keras classes (and their per-session copies), False for classes users wrote."""
    return str(getattr(klass, "__module__", "")).startswith("nncalc.frameworks.keras")


def _claim(tensor: KerasTensor, record: Record) -> KerasTensor:
    if tensor._history is None:
        tensor._history = record
        return tensor
    fresh = KerasTensor(tensor.shape, tensor.dtype)
    fresh._history = record
    return fresh


def _layers_in(value) -> list:
    if isinstance(value, Layer):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, Layer)]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, Layer)]
    return []


def _short(value) -> str:
    if isinstance(value, KerasTensor):
        return f"<tensor {shape_text(value.shape)}>"
    if isinstance(value, Layer):
        return f"<{type(value).__name__} '{value.name}'>"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
