"""From layer calls to nncalc's graph: the functional model's layer order, as Keras lists ``model.layers``,
and the conversion of a model and its call records into :class:`nncalc.graph.Graph`.
"""

from __future__ import annotations

from collections import defaultdict

from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.frameworks.keras.tensor import KerasTensor, Record
from nncalc.graph import Call, Graph, Node


def functional_graph(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> tuple[list, list[Record]]:
    """The layers of ``Model(inputs, outputs)`` in Keras's ``model.layers`` order (input layers included) and
    the call records between the inputs and the outputs, in the order Keras runs them.

    Keras orders layers by depth from the outputs (deepest, i.e. nearest the inputs, first) and, within one
    depth, by when a depth-first walk from the outputs first meets them; this follows the same steps.
    """
    input_ids = {id(t) for t in inputs}
    finished: set[int] = set()
    order: list[Record] = []  # records, inputs → outputs
    first_seen: dict[int, int] = {}  # id(layer) → traversal index
    layers: dict[int, object] = {}
    for output in outputs:
        _walk(output, input_ids, finished, order, first_seen, layers)

    in_graph = {id(r) for r in order}
    record_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    for record in reversed(order):
        depth = max(record_depth.setdefault(id(record), 0), layer_depth.get(id(record.layer), 0))
        layer_depth[id(record.layer)] = depth
        record_depth[id(record)] = depth
        for tensor in record.inputs:
            parent = tensor._history
            if parent is not None and id(parent) in in_graph:
                record_depth[id(parent)] = max(depth + 1, record_depth.get(id(parent), 0))
    for tensor in inputs:
        record = tensor._history
        if record is not None and record.is_input and id(record.layer) not in layer_depth:
            layer_depth[id(record.layer)] = 0
            first_seen[id(record.layer)] = -1
            layers[id(record.layer)] = record.layer

    by_depth: dict[int, list] = defaultdict(list)
    for key, depth in layer_depth.items():
        by_depth[depth].append(key)
    ordered = []
    for depth in sorted(by_depth, reverse=True):
        ordered.extend(layers[key] for key in sorted(by_depth[depth], key=first_seen.__getitem__))
    _check_unique_names(ordered)
    # Keras runs the calls depth by depth from the inputs; that is also the order of its summary.
    order.sort(key=lambda r: (-record_depth[id(r)], first_seen[id(r.layer)], r.seq))
    computable = set(input_ids)
    for record in order:
        if record.is_input:
            continue
        for tensor in record.inputs:
            if id(tensor) not in computable:
                source = tensor._history.layer.name if tensor._history else "?"
                raise KerasValueError(
                    f"the model's outputs are not connected to its `inputs`: layer '{record.layer.name}' depends on "
                    f"'{source}', which is not among them",
                    hint="pass every keras.Input the outputs depend on in Model(inputs=[...])",
                )
        computable.update(id(t) for t in record.outputs)
    return ordered, [r for r in order if not r.is_input]


def _walk(tensor, input_ids, finished, order, first_seen, layers) -> None:
    """Depth-first from ``tensor`` to the inputs: layers numbered when first met, records appended when done."""
    stack = [(tensor, None)]
    in_progress: set[int] = set()
    while stack:
        current, pending = stack.pop()
        record = current._history
        if pending is None:
            if record is None or id(record) in finished:
                continue
            if not record.is_input and id(current) in input_ids:
                finished.add(id(record))
                continue
            if id(record) in in_progress:
                continue
            first_seen.setdefault(id(record.layer), len(first_seen))
            layers[id(record.layer)] = record.layer
            in_progress.add(id(record))
            pending = [] if record.is_input else list(reversed(record.inputs))
        if pending:
            following = pending.pop()
            stack.append((current, pending))
            stack.append((following, None))
            continue
        if id(record) not in finished:
            finished.add(id(record))
            in_progress.discard(id(record))
            order.append(record)


def _check_unique_names(layers) -> None:
    seen: dict[str, int] = {}
    for layer in layers:
        seen[layer.name] = seen.get(layer.name, 0) + 1
    for name, count in seen.items():
        if count > 1:
            raise KerasValueError(
                f'The name "{name}" is used {count} times in the model. All operation names should be unique.',
                hint="give the layers different name= arguments",
            )


class GraphBuilder:
    """Turns a model's layers and call records into a :class:`Graph`, one :class:`Node` per layer."""

    def __init__(self, batch: int | None):
        self.batch = batch
        self.nodes: dict[int, Node] = {}
        self.calls: list[Call] = []
        self.call_of: dict[int, Call] = {}  # id(record) → its call, for the calls' sources

    def node(self, layer, parent_active: bool = True) -> Node:
        """The node of ``layer`` (created once), its children its sublayers; sets effective trainability."""
        from nncalc.frameworks.keras.inputs import InputLayer

        key = id(layer)
        if key in self.nodes:
            return self.nodes[key]
        active = parent_active and layer.trainable
        for weight, base in layer._own_weights:
            weight.trainable = base and active
        node = Node(type=type(layer).__name__, name=layer.name, weights=[w for w, _ in layer._own_weights],
                    location=layer._location, params_formula=layer._params_formula)
        self.nodes[key] = node
        node.children = [self.node(child, active) for child in layer._sublayers() if not isinstance(child, InputLayer)]
        return node

    def add_calls(self, records: list[Record], parent_node: Node, parent_call: Call | None = None,
                  ordered: bool = False) -> None:
        """One call per record, each followed by the calls made inside it, in the order the calls started
        (or as given when ``ordered``)."""
        for record in (records if ordered else sorted(records, key=lambda r: r.seq)):
            node = self.nodes.get(id(record.layer))
            if node is None:  # a layer created and called inside a call(), never assigned to an attribute
                node = self.node(record.layer)
                parent_node.children.append(node)
            call = Call(
                node=node,
                input_shapes=[self.shape(t.shape) for t in record.inputs],
                output_shapes=[self.shape(t.shape) for t in record.outputs],
                macs=self.macs(record),
                shape_formulas=list(record.formulas),
                location=record.location,
                parent=parent_call,
                sources=[self.source(t) for t in record.inputs],
                window=self.window(record),
            )
            self.call_of[id(record)] = call
            node.calls.append(call)
            self.calls.append(call)
            self.add_calls(record.children, node, call)

    def source(self, tensor) -> tuple | None:
        """The call that produced ``tensor`` (none for a model input), None when it is not known."""
        record = tensor._history
        if record is not None and record.is_input:
            return ()
        call = self.call_of.get(id(record))
        return None if call is None else (call,)

    @staticmethod
    def window(record: Record):
        """The sliding window of a convolution, pooling or padding layer, for the receptive field."""
        window = getattr(record.layer, "_receptive_window", None)
        return window(record.inputs[0].shape) if window is not None and record.inputs else None

    def shape(self, shape: tuple) -> tuple:
        if self.batch is not None and shape and shape[0] is None:
            return (self.batch, *shape[1:])
        return tuple(shape)

    def macs(self, record: Record) -> int:
        unknown_batch = record.inputs and record.inputs[0].shape and record.inputs[0].shape[0] is None
        return record.macs * self.batch if self.batch is not None and unknown_batch else record.macs

    def graph(self, model, root: Node, records, inputs, outputs, notes, ordered: bool = False) -> Graph:
        self.add_calls(records, root, ordered=ordered)
        return Graph(
            framework="keras",
            model_name=model.name,
            root=root,
            calls=self.calls,
            input_shapes=[self.shape(t.shape) for t in inputs],
            output_shapes=[self.shape(t.shape) for t in outputs],
            notes=notes,
        )
