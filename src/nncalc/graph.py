"""The framework-neutral model graph: modules (nodes), their weights, and the calls that ran through them.

The symbolic framework APIs build a :class:`Graph`; the report reads it. A module called twice is one
:class:`Node` with two :class:`Call` records; its weights count once, its compute at every call.
"""

from __future__ import annotations

from math import prod

from nncalc.errors import Location
from nncalc.formula import Expr
from nncalc.records import dataclass, field

Shape = tuple  # of int | None, batch first; None is an unknown size


@dataclass(eq=False)
class Weight:
    """One named weight tensor of a module.

    ``is_param`` is False for buffers (PyTorch's running statistics), which frameworks do not count as
    parameters; ``trainable`` follows the framework (Keras's moving mean and variance are non-trainable
    parameters). Identity matters: a weight object shared by two modules (tied weights) counts once.
    """

    name: str
    shape: tuple[int, ...]
    trainable: bool = True
    is_param: bool = True
    dtype: str = "float32"

    @property
    def numel(self) -> int:
        return prod(self.shape)


@dataclass(eq=False)
class Node:
    """A module (PyTorch) or layer (Keras).

    ``weights`` are the node's own weights, not its children's. ``params_formula`` shows how the node's own
    parameter count comes about (None for nodes without weights). Every node has a rule: a layer nncalc has
    none for is an :class:`~nncalc.errors.UnknownLayer` when read from source, and a live model's is counted
    from its real weights with the sum of their shapes as its formula and a note (:mod:`nncalc.live`).
    """

    type: str
    name: str = ""
    weights: list[Weight] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    location: Location | None = None
    params_formula: Expr | None = None
    calls: list["Call"] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self):
        """This node, then its descendants depth first, each once."""
        seen: set[int] = set()
        stack = [self]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            yield node
            stack.extend(reversed(node.children))

    def all_weights(self) -> list[Weight]:
        """Own and descendants' weights, each weight object once."""
        seen: set[int] = set()
        out: list[Weight] = []
        for node in self.walk():
            for w in node.weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    out.append(w)
        return out


@dataclass(eq=False)
class Call:
    """One application of a node to inputs.

    ``shape_formulas`` derive output sizes, one per computed axis, e.g. ``("H", ⌊(32 − 3) / 1⌋ + 1)``.
    ``macs`` are multiply-accumulates of this call (None when unknown).
    ``sources`` says, per input, which calls produced it: a tuple of calls (empty for a model input), or None
    when the framework could not follow it; the whole list is None when the framework does not record it.
    ``window`` is the sliding window of a convolution or pooling (a ConvSpec, PoolSpec or
    :class:`nncalc.receptive.Window`), for the receptive field.
    """

    node: Node
    input_shapes: list[Shape]
    output_shapes: list[Shape]
    macs: int | None = 0
    shape_formulas: list[tuple[str, Expr]] = field(default_factory=list)
    location: Location | None = None
    parent: "Call | None" = None
    sources: "list[tuple[Call, ...] | None] | None" = None
    window: object = None


@dataclass(eq=False)
class Graph:
    """A whole model after it has been traced on its inputs."""

    framework: str
    model_name: str
    root: Node
    calls: list[Call]
    input_shapes: list[Shape]
    output_shapes: list[Shape]
    notes: list[str] = field(default_factory=list)
    skipped: list = field(default_factory=list)
    """Module-level statements of the file nncalc skipped (:class:`nncalc.interpreter.script.Skipped`)."""
    file: str | None = None
    forward: bool = True
    """False for ``--params-only``: the module tree without a forward pass (no calls, shapes or MACs)."""
    batched: bool = True
    """False when the inputs have no batch dimension (``--unbatched``: a graph network's ``(N, F)`` features)."""
