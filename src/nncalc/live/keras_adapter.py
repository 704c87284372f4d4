"""Live Keras models: a real ``keras.Model`` read into nncalc's :class:`~nncalc.graph.Graph`.

Nothing runs: a Sequential or functional model already holds its graph (``keras.Input`` → layers), each layer
call a node with its input and output shapes; the weights are the layers' own variables, trainable as Keras
says (``model.trainable_weights``). Nested models are containers whose layers are their children, and their
inner calls follow their own call. Layers nncalc has a rule for get the formula, MACs and output-size
derivations of their symbolic twins (:mod:`nncalc.live.keras_twins`). A subclassed model is called once on
symbolic inputs, its layers' calls recorded as they happen.
"""

from __future__ import annotations

from nncalc.errors import InputError
from nncalc.graph import Call, Graph, Node, Weight
from nncalc.live.keras_twins import KerasTwins, _keras_base


def keras_graph(model, input_size=None, batch_size=None, dtypes=None) -> Graph:
    """The graph of ``model``; ``input_size`` (batch included, ``None`` allowed) builds a model that has no
    input shape yet, ``batch_size`` fills in the unknown batch of the shapes and scales the MACs."""
    import keras

    notes: list[str] = []
    functional = _functional(model, keras)
    if functional is None and isinstance(model, keras.Sequential):
        if input_size is None:
            raise InputError(
                f"the Sequential model '{model.name}' has no input shape yet",
                hint="pass input_size=(None, …), or give the model keras.Input(shape=…) as its first layer",
            )
        model.build(_size(input_size))
        notes.append(f"built on input_size {_size(input_size)} (Keras builds a Sequential model on its first call)")
        functional = _functional(model, keras)
    shape = None
    if functional is None:
        from nncalc.live.keras_subclassed import ensure_built

        shape = ensure_built(model, keras, input_size, batch_size, dtypes, notes)
    builder = _Builder(model, keras, batch_size)
    if functional is not None:
        builder.add_graph(functional, builder.root, None)
        inputs = [t.shape for t in functional.inputs]
        outputs = [t.shape for t in functional.outputs]
    else:
        from nncalc.live.keras_subclassed import record_calls

        inputs, outputs = record_calls(model, keras, builder, shape, dtypes)
    notes.extend(builder.notes())
    return Graph(framework="keras", model_name=model.name, root=builder.root, calls=builder.calls,
                 input_shapes=[builder.shape(s) for s in inputs], output_shapes=[builder.shape(s) for s in outputs],
                 notes=notes)


def _size(input_size) -> tuple:
    if isinstance(input_size, (list, tuple)) and input_size and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in input_size
    ):
        return tuple(input_size)
    raise InputError(f"input_size must be one shape with its batch, e.g. (None, 32, 32, 3); got {input_size!r}")


def _functional(model, keras):
    """The functional graph behind ``model`` (its own, or a built Sequential's), or None."""
    if isinstance(model, keras.Sequential):
        return getattr(model, "_functional", None)
    if getattr(model, "_nodes_by_depth", None) is not None and getattr(model, "inputs", None) is not None:
        return model
    return None


class _Builder:
    """Nodes for layers (one per layer object), weights (one per variable) and the calls in Keras's order."""

    def __init__(self, model, keras, batch_size):
        self.keras = keras
        self.batch = batch_size
        self.nodes: dict[int, Node] = {}
        self.weights: dict[int, Weight] = {}
        self.calls: list[Call] = []
        self.twins = KerasTwins()
        self.trainable = {id(v) for v in model.trainable_weights}
        self.no_rule: dict[str, None] = {}
        self.root = self.node(model)

    def node(self, layer) -> Node:
        """The node of ``layer`` (made once), its children the node of each sublayer."""
        key = id(layer)
        if key in self.nodes:
            return self.nodes[key]
        node = Node(type=type(layer).__name__, name=layer.name, weights=self._own_weights(layer))
        self.nodes[key] = node
        node.children = [self.node(child) for child in _sublayers(layer, self.keras)]
        return node

    def is_container(self, layer) -> bool:
        """Whether ``layer``'s own layers are rows of their own (a model's, a user's layer's)."""
        return bool(_sublayers(layer, self.keras))

    def _own_weights(self, layer) -> list[Weight]:
        own = []
        if _keras_base(layer) is not None:  # one of Keras's layers is one row, its cells' and sublayers' weights too
            variables = list(layer.weights)
        else:
            variables = list(getattr(layer, "_trainable_variables", [])) + list(
                getattr(layer, "_non_trainable_variables", []))
        seen: set[int] = set()
        for variable in variables:
            if id(variable) in seen:
                continue
            seen.add(id(variable))
            weight = self.weights.get(id(variable))
            if weight is None:
                weight = Weight(name=_short_name(variable), shape=tuple(int(s) for s in variable.shape),
                                trainable=id(variable) in self.trainable, is_param=True, dtype=str(variable.dtype))
                self.weights[id(variable)] = weight
            own.append(weight)
        return own

    def add_graph(self, functional, parent_node: Node, parent_call: Call | None) -> None:
        """One call per layer node of ``functional``, depth by depth from the inputs as Keras runs them; a
        nested model's calls follow its own."""
        position = {id(op): i for i, op in enumerate(functional.operations)}
        for depth in sorted(functional._nodes_by_depth, reverse=True):
            # within one depth, in the order of model.layers (Keras's summary order)
            nodes = sorted(functional._nodes_by_depth[depth], key=lambda n: position.get(id(n.operation), -1))
            for keras_node in nodes:
                layer = keras_node.operation
                if keras_node.is_input or not isinstance(layer, self.keras.layers.Layer):
                    continue
                inputs = _input_tensors(keras_node, self.keras)
                call = self.add_call(layer, [tuple(t.shape) for t in inputs], [str(t.dtype) for t in inputs],
                                     [tuple(t.shape) for t in keras_node.outputs], parent_node, parent_call)
                inner = _functional(layer, self.keras)
                if inner is not None:
                    self.add_graph(inner, call.node, call)
                elif call.node.children:  # a user's layer (or subclassed model) calling its own layers
                    from nncalc.live.keras_subclassed import record_layer_calls

                    record_layer_calls(layer, self.keras, self, keras_node.arguments, call)

    def add_call(self, layer, input_shapes, dtypes, output_shapes, parent_node: Node, parent_call) -> Call:
        node = self.nodes.get(id(layer))
        if node is None:  # a layer called in a graph but not among its parent's layers
            node = self.node(layer)
            parent_node.children.append(node)
        call = Call(node=node, input_shapes=[self.shape(s) for s in input_shapes],
                    output_shapes=[self.shape(s) for s in output_shapes], macs=0, parent=parent_call)
        self._apply_rule(layer, node, call, input_shapes, dtypes, output_shapes)
        node.calls.append(call)
        self.calls.append(call)
        return call

    def _apply_rule(self, layer, node: Node, call: Call, input_shapes, dtypes, output_shapes) -> None:
        if node.children:
            return  # a container: its layers hold the weights and do the work
        own = [tuple(w.shape) for w in node.weights]
        twin = self.twins.describe(layer, input_shapes, dtypes)
        if twin is not None and sorted(twin.weight_shapes) == sorted(own):
            if not node.calls:
                node.params_formula = twin.formula if own else None
            if not twin.overrides_call and twin.output_shapes == [tuple(s) for s in output_shapes]:
                call.macs = self._scaled(twin.macs, input_shapes)
                call.shape_formulas = list(twin.shape_formulas)
                return
        elif own and not node.calls and _keras_base(layer) is not None:
            # one of Keras's own layers nncalc has no rule for: its weights' shapes stand for the formula
            from nncalc.live.torch_twins import generic_formula

            node.params_formula = generic_formula([(w.name, tuple(w.shape)) for w in node.weights if w.is_param])
            self.no_rule[node.type] = None
        counted = _counted_macs(layer, self.keras, input_shapes, dtypes)
        call.macs = None if counted is None else self._scaled(counted, input_shapes)

    def _scaled(self, macs, input_shapes):
        unknown_batch = input_shapes and input_shapes[0] and input_shapes[0][0] is None
        return macs * self.batch if self.batch is not None and unknown_batch and macs else macs

    def shape(self, shape) -> tuple:
        shape = tuple(None if s is None else int(s) for s in shape)
        if self.batch is not None and shape and shape[0] is None:
            return (self.batch, *shape[1:])
        return shape

    def notes(self) -> list[str]:
        if not self.no_rule:
            return []
        return [f"nncalc has no rule for {', '.join(self.no_rule)} yet: parameters from Keras, the formula is the "
                "sum of the weights' shapes, MACs from the operations it runs"]


def _counted_macs(layer, keras, input_shapes, dtypes) -> int | None:
    """MACs of a layer without a rule (a custom layer's ``call``): on the torch backend, the matrix products
    and convolutions its ``call`` dispatches when Keras infers its output on the meta device, per sample (an
    unknown batch counted as 1); None elsewhere or when that fails: unknown, never a silent zero."""
    if keras.backend.backend() != "torch" or not input_shapes:
        return None
    from nncalc.live.torch_macs import counting_mode

    total = [0]

    def charge(macs: int) -> None:
        total[0] += macs

    tensors = [keras.KerasTensor(tuple(1 if d is None else d for d in shape), dtype=dtype)
               for shape, dtype in zip(input_shapes, dtypes)]
    try:
        with counting_mode(charge):
            layer.compute_output_spec(tensors[0] if len(tensors) == 1 else tensors)
    except Exception:  # noqa: BLE001 - Keras cannot infer it on its own either: unknown
        return None
    return total[0]


def _input_tensors(keras_node, keras) -> list:
    """The tensors a layer call received, its ``mask`` aside (Keras passes an Embedding's mask on by itself; the
    static path shows the tensors the code passes)."""
    arguments = keras_node.arguments
    kwargs = {k: v for k, v in arguments.kwargs.items() if k != "mask"}
    return [t for t in keras.tree.flatten((arguments.args, kwargs)) if isinstance(t, keras.KerasTensor)]


def _sublayers(layer, keras) -> list:
    """The layers shown below ``layer``: a model's layers, a user's layer's sublayers; none for Keras's own
    layers (an LSTM's cell, a MultiHeadAttention's projections are part of it, as in the static path)."""
    if isinstance(layer, keras.Model):
        return [child for child in layer.layers if not isinstance(child, keras.layers.InputLayer)]
    if _keras_base(layer) is not None:
        return []
    return [child for child in getattr(layer, "_layers", []) if not isinstance(child, keras.layers.InputLayer)]


def _short_name(variable) -> str:
    name = getattr(variable, "name", None) or getattr(variable, "path", "weight")
    return str(name).rsplit("/", 1)[-1]
