"""Keras models: ``Model`` (functional when given inputs and outputs; subclassable), ``Sequential``.

Models build as Keras does while the file is read: a Sequential with a known input shape (``keras.Input``
first, or ``input_shape=`` on its first layer) runs its layers at once; ``Model(inputs, outputs)`` walks
back from the outputs to collect its layers. Training methods are no-ops: nncalc only reads the structure.
"""

from __future__ import annotations

from nncalc.errors import NncalcError
from nncalc.frameworks.keras.errors import (
    KerasAttributeError, KerasTypeError, KerasValueError, reject_unknown, shape_text,
)
from nncalc.frameworks import outcome_method
from nncalc.frameworks.keras.graphs import functional_graph
from nncalc.frameworks.keras.inputs import InputLayer
from nncalc.frameworks.keras.layer import Layer, _map_tensors, flat_tensors, is_host_class
from nncalc.frameworks.keras.operation import Operation
from nncalc.frameworks.keras.tensor import KerasTensor, as_shape
from nncalc.location import current_location
from nncalc.records import dataclass


@dataclass
class ModelGraph:
    """What a built model is made of: its inputs and outputs (as given, and flat), its layers in Keras's
    ``model.layers`` order (input layers included) and the layer calls between inputs and outputs."""

    inputs: object
    outputs: object
    flat_inputs: list
    flat_outputs: list
    layers: list
    records: list


class Model(Layer):
    """``keras.Model``: ``Model(inputs, outputs)`` builds a functional model; a subclass defines ``call``."""

    def __new__(cls, *args, **kwargs):
        if cls.__name__ == "Model" and is_host_class(cls):
            functional = cls._state.classes["Functional"]
            return functional.__new__(functional, *args, **kwargs)
        self = super().__new__(cls, *args, **kwargs)
        self.__dict__["_graph"] = None
        return self

    def __init__(self, *args, **kwargs):
        inputs, outputs, rest = _split_graph_args(args, kwargs)
        trainable = rest.pop("trainable", True)
        Layer.__init__(self, trainable=trainable, name=rest.pop("name", None), dtype=rest.pop("dtype", None))
        if rest:
            raise KerasTypeError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {rest}")
        if outputs is not None:
            self._init_graph(inputs, outputs)

    def _init_graph(self, inputs, outputs) -> None:
        flat_in, flat_out = flat_tensors(inputs), flat_tensors(outputs)
        for what, given, flat in (("inputs", inputs, flat_in), ("outputs", outputs, flat_out)):
            if not flat or len(flat) != _count_leaves(given):
                for leaf in _leaves(given):
                    reject_unknown(leaf, f"using it as the {what} of a keras.Model")
                raise KerasValueError(
                    f"All `{what}` values must be KerasTensors. Received: {what}={given!r}",
                    hint=f"{what} come from keras.Input(...) and from calling layers on it",
                )
        layers, records = functional_graph(flat_in, flat_out)
        layers = [layer for layer in layers if not isinstance(layer, Operation)]  # graph nodes, not layers
        refuse_cycles(layers)
        self.__dict__["_graph"] = ModelGraph(inputs, outputs, flat_in, flat_out, layers, records)
        self._tracked[:] = [layer for layer in layers if not isinstance(layer, InputLayer)]
        self.built = True

    # ----- the Keras model API ----------------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The layers as Keras lists them: functional models from inputs to outputs, input layers included."""
        if self._graph is not None:
            return list(self._graph.layers)
        return list(self._sublayers())

    @property
    def input(self):
        """The input tensor(s) as given to ``Model(inputs, ...)`` (the input layer's tensor for a Sequential)."""
        return self._graph_part("input").inputs

    @property
    def output(self):
        """The output tensor(s) as given to ``Model(..., outputs)``."""
        return self._graph_part("output").outputs

    @property
    def inputs(self) -> list:
        return list(self._graph_part("inputs").flat_inputs)

    @property
    def outputs(self) -> list:
        return list(self._graph_part("outputs").flat_outputs)

    @property
    def input_shape(self):
        shapes = [t.shape for t in self._graph_part("input shape").flat_inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self._graph_part("output shape").flat_outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _graph_part(self, what: str) -> ModelGraph:
        if self._graph is None:
            raise KerasAttributeError(f"Model '{self.name}' has no defined {what} yet.",
                                      hint="subclassed models get shapes when called on a tensor")
        return self._graph

    def build(self, input_shape=None) -> None:
        """Build by running ``call`` on a symbolic input of ``input_shape`` (batch first), as Keras does."""
        current = self._state.current
        if self._graph is not None or (current is not None and current.layer is self):
            self.built = True
            return
        shapes = input_shape if isinstance(input_shape, list) else [input_shape]
        tensors = [KerasTensor(as_shape(s, "input_shape"), self.compute_dtype) for s in shapes]
        self._apply((tensors[0] if len(tensors) == 1 else tensors,), {}, current_location())

    def call(self, inputs, *args, **kwargs):
        if self._graph is None:
            return Layer.call(self, inputs)
        graph = self._graph
        given = flat_tensors(inputs)
        if len(given) != len(graph.flat_inputs):
            raise KerasValueError(
                f"Model '{self.name}' expects {len(graph.flat_inputs)} input(s), received {len(given)}"
            )
        mapping = {id(old): new for old, new in zip(graph.flat_inputs, given)}
        for record in graph.records:
            if record.arguments is not None:
                args, kwargs = _map_tensors(record.arguments, lambda t: mapping.get(id(t), t))
                result = record.layer._apply(tuple(args), dict(kwargs), record.layer._location)
            else:
                args_in = [mapping[id(t)] for t in record.inputs]
                result = record.layer._apply((args_in[0] if len(args_in) == 1 else args_in,), {},
                                             record.layer._location)
            for old, new in zip(record.outputs, flat_tensors(result)):
                mapping[id(old)] = new
        return _map_tensors(graph.outputs, lambda t: mapping[id(t)])

    def summary(self, *args, **kwargs) -> None:
        """A no-op: nncalc renders the summary itself."""

    def compile(self, *args, **kwargs) -> None:
        """A no-op: training settings do not change the structure."""

    fit = outcome_method("fit", "training")
    evaluate = outcome_method("evaluate", "evaluation")
    predict = outcome_method("predict", "inference")
    train_on_batch = outcome_method("train_on_batch", "training")
    test_on_batch = outcome_method("test_on_batch", "evaluation")
    predict_on_batch = outcome_method("predict_on_batch", "inference")

    def save(self, *args, **kwargs) -> None:
        """A no-op: nncalc writes no files."""

    def save_weights(self, *args, **kwargs) -> None:
        """A no-op: nncalc writes no files."""

    def load_weights(self, *args, **kwargs) -> None:
        """A no-op: nncalc reads no weights."""

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or the ``index``-th of :attr:`layers`."""
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise KerasValueError(f"Was asked to retrieve layer at index {index} but model only has "
                                      f"{len(layers)} layers.")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise KerasValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}.")


def refuse_cycles(layers: list) -> None:
    """A layer Keras cannot put in a functional or Sequential model (``_graph_refusal``: why, what to do) is
    Keras's ``ValueError`` there, though it runs on tensors and inside a subclassed model."""
    for layer in layers:
        refusal = getattr(type(layer), "_graph_refusal", None)
        if refusal is not None:
            raise KerasValueError(f"{layer._describe()}: {refusal[0]}", hint=refusal[1]).attach(layer._location)


def _split_graph_args(args, kwargs):
    rest = dict(kwargs)
    inputs = rest.pop("inputs", None)
    outputs = rest.pop("outputs", None)
    positional = list(args)
    if positional and inputs is None:
        inputs = positional.pop(0)
    if positional and outputs is None:
        outputs = positional.pop(0)
    if positional and "name" not in rest:
        rest["name"] = positional.pop(0)
    if positional:
        raise KerasTypeError(f"Model() takes inputs, outputs and name; received {len(args)} positional arguments")
    if (inputs is None) != (outputs is None):
        raise KerasTypeError("Model() needs both `inputs` and `outputs` (or neither, in a subclass)",
                             hint="keras.Model(inputs=inp, outputs=out)")
    return inputs, outputs, rest


def _leaves(value) -> list:
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    return [value]


def _count_leaves(value) -> int:
    return len(_leaves(value))


class Functional(Model):
    """A model defined by its input and output tensors: ``keras.Model(inputs, outputs, name=None)``."""

    def __init__(self, inputs, outputs, name=None, **kwargs):
        Model.__init__(self, inputs=inputs, outputs=outputs, name=name, **kwargs)


class Sequential(Model):
    """``keras.Sequential(layers=None, trainable=True, name=None)``: a stack of single-input layers."""

    def __init__(self, layers=None, trainable=True, name=None):
        Layer.__init__(self, trainable=trainable, name=name)
        self.__dict__.update(_layers=[], _chain=[], _graph_input=None, _names={})
        if layers is not None:
            if not isinstance(layers, (list, tuple)):
                raise KerasTypeError(f"Sequential() takes a list of layers. Received: layers={layers!r}",
                                     hint="write Sequential([layer, ...])")
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    def add(self, layer, rebuild=True) -> None:
        """Add a layer on top of the stack (the model rebuilds when its input shape is known)."""
        if not self._layers and getattr(layer, "_input_shape_arg", None) is not None:
            first = self._state.new("InputLayer", shape=layer._input_shape_arg)
            first._location = layer._location
            first._from_input_shape_arg = layer
            self.add(first)
        if isinstance(layer, KerasTensor) and layer._history is not None and layer._history.is_input:
            layer = layer._history.layer
        if not isinstance(layer, Layer):
            reject_unknown(layer, f"adding it to Sequential model '{self.name}'")
            raise KerasTypeError(
                f"Only instances of `keras.Layer` can be added to a Sequential model. Received: {layer!r} "
                f"(of type {type(layer).__name__})"
            )
        if self._names.get(layer.name, layer) is not layer:
            raise KerasValueError(
                f"All layers added to a Sequential model should have unique names. Name '{layer.name}' is already "
                "the name of a layer in this model. Update the `name` argument to pass a unique name."
            )
        if isinstance(layer, InputLayer) and self._layers and isinstance(self._layers[0], InputLayer):
            raise KerasValueError(
                f"Sequential model '{self.name}' has already been configured to use input shape "
                f"{shape_text(self._layers[0].batch_shape)}. You cannot add a different Input layer to it."
            )
        self._layers.append(layer)
        self._names.setdefault(layer.name, layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built, self._graph = False, None

    def pop(self, rebuild=True):
        """Remove and return the top layer."""
        layer = self._layers.pop()
        self._names.pop(layer.name, None)
        del self._chain[max(len(self._layers) - 1, 0):]
        self.built, self._graph = False, None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _sublayers(self) -> list:
        return self.layers

    @property
    def layers(self) -> list:
        """The layers added, without the input layer (as Keras lists them)."""
        if self._layers and isinstance(self._layers[0], InputLayer):
            return self._layers[1:]
        return list(self._layers)

    def _maybe_rebuild(self) -> None:
        self.built, self._graph = False, None
        if not self._layers or len(self._layers) < 2:
            return
        first = self._layers[0]
        if isinstance(first, InputLayer):
            self._build_chain()
        elif isinstance(first, Model) and first._graph is not None and len(first._graph.flat_inputs) == 1:
            self.build(first._graph.flat_inputs[0].shape)

    def build(self, input_shape=None) -> None:
        """Build for a batch-first ``input_shape``, e.g. ``(None, 32, 32, 3)``."""
        self._build_for(input_shape, None)

    def _build_for(self, input_shape, dtype: str | None) -> None:
        shape = as_shape(input_shape, "input_shape")
        if not self._layers:
            raise KerasValueError(f"Sequential model {self.name} cannot be built because it has no layers. "
                                  "Call `model.add(layer)`.")
        first = self._layers[0]
        if isinstance(first, InputLayer):
            if first.batch_shape != shape:
                raise KerasValueError(
                    f"Sequential model '{self.name}' has already been configured to use input shape "
                    f"{shape_text(first.batch_shape)}. You cannot build it with input_shape {shape_text(shape)}"
                )
        else:
            created = self._state.new("InputLayer", batch_shape=shape, dtype=dtype or first.compute_dtype)
            created._location = first._location
            self._layers.insert(0, created)
            self._names.setdefault(created.name, created)
            self._chain = []
        self._build_chain()

    def _build_chain(self) -> None:
        """Run the layers on the input layer's tensor; keeps the calls of an earlier build that still apply."""
        first = self._layers[0]
        # Layers are only appended (pop trims the chain), so the earlier calls are a valid prefix.
        reused = len(self._chain) if self._graph_input is first else 0
        chain = self._chain[:reused]
        tensor = chain[-1][2] if chain else first.output
        saved, self._state.stack = self._state.stack, []
        try:
            for layer in self._layers[1 + reused:]:
                try:
                    tensor = layer._apply((tensor,), {}, layer._location)
                except NncalcError as err:
                    raise err.attach(layer._location)
                chain.append((layer, layer._records[-1], tensor))
        finally:
            self._state.stack = saved
        self.__dict__.update(_chain=chain, _graph_input=first)
        if not isinstance(tensor, KerasTensor):
            raise KerasValueError(f"Sequential model '{self.name}' must end in a layer with one output tensor")
        refuse_cycles(self._layers)
        records = [record for _, record, _ in chain]
        self._state.auto_name("Functional")  # Keras wraps the stack in a Functional, which takes a name
        self._graph = ModelGraph(first.output, tensor, [first.output], [tensor], self._layers, records)
        self.built = True

    def call(self, inputs, *args, **kwargs):
        if not (self._layers and isinstance(self._layers[0], InputLayer)):
            self.build(flat_tensors(inputs)[0].shape)
        tensor = inputs
        for layer in self.layers:
            tensor = layer._apply((tensor,), {}, layer._location)
        return tensor

    def _graph_part(self, what: str) -> ModelGraph:
        if self._graph is None:
            raise KerasAttributeError(
                f"Sequential model '{self.name}' has no defined {what} yet.",
                hint="add keras.Input(shape=(...)) as its first layer",
            )
        return self._graph

    def count_params(self) -> int:
        if not self.built:
            raise KerasValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't built.",
                hint="add keras.Input(shape=(...)) as the first layer, or call model.build((None, ...))",
            )
        return Layer.count_params(self)


CLASSES = [Model, Functional, Sequential]
