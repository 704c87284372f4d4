"""The recorder active during a trace: the stack of module calls in progress and the calls recorded so far.

Outside a trace (while the model is being built, or during the many quick traces of input inference) no
recorder is active and modules just run their forward.
"""

from __future__ import annotations

from contextlib import contextmanager

from nncalc.graph import Call, Node
from nncalc.location import current_location


class Recorder:
    """Collects one :class:`~nncalc.graph.Call` per module call, in the order the calls start."""

    def __init__(self, nodes: dict[int, Node], new_node):
        self.nodes = nodes
        self.new_node = new_node
        self.calls: list[Call] = []
        self.stack: list[Call] = []
        self.loose: list[Node] = []
        self.keep: list = []

    def node_for(self, module) -> Node:
        node = self.nodes.get(id(module))
        if node is None:  # created in forward, never registered on a module: outside the tree
            node = self.new_node(module, self.stack[-1].node if self.stack else None)
            self.nodes[id(module)] = node
            self.loose.append(node)
            self.keep.append(module)  # keeps its id from being reused by another module during the trace
        return node

    def start(self, module, input_shapes: list, tensors: list | None = None) -> Call:
        node = self.node_for(module)
        call = Call(
            node=node,
            input_shapes=input_shapes,
            output_shapes=[],
            macs=0,
            location=current_location(),
            parent=self.stack[-1] if self.stack else None,
        )
        if tensors is not None:
            if not self.stack:  # the model's own call: its inputs are the model inputs
                for tensor in tensors:
                    tensor._sources = () if tensor._sources is None else tensor._sources
            call.sources = [tensor._sources for tensor in tensors]
        node.calls.append(call)
        self.calls.append(call)
        self.stack.append(call)
        return call

    def finish(self, call: Call, output_shapes: list, tensors: list | None = None) -> None:
        call.output_shapes = output_shapes
        self.stack.pop()
        for tensor in tensors or ():
            # an output made by a call inside this one keeps that (innermost) producer
            if not tensor._sources or not all(_inside(source, call) for source in tensor._sources):
                tensor._sources = (call,)


_active: Recorder | None = None


def active() -> Recorder | None:
    """The recorder of the trace in progress, or None."""
    return _active


@contextmanager
def recording(recorder: Recorder | None):
    """Make ``recorder`` the active one for the duration of the block."""
    global _active
    previous, _active = _active, recorder
    try:
        yield recorder
    finally:
        _active = previous


def note(macs: int = 0, formulas=None, window=None) -> None:
    """Charge ``macs`` and shape formulas to the module call in progress (a layer's own work, or a functional
    op like ``matmul`` inside a user's ``forward``); ``window`` is a convolution's or pooling's sliding window
    (for the receptive field)."""
    recorder = _active
    if recorder is None or not recorder.stack:
        return
    call = recorder.stack[-1]
    if window is not None:
        call.window = window
    if macs:
        call.macs = (call.macs or 0) + macs
    if formulas:
        call.shape_formulas.extend(formulas)


def lineage(*tensors) -> tuple | None:
    """The module calls a tensor computed from ``tensors`` derives from (their union), None if any is unknown."""
    merged: dict[int, Call] = {}
    for tensor in tensors:
        if tensor._sources is None:
            return None
        merged.update((id(call), call) for call in tensor._sources)
    return tuple(merged.values())


def _inside(inner: Call, outer: Call) -> bool:
    while inner is not None:
        if inner is outer:
            return True
        inner = inner.parent
    return False
