"""The framework-neutral program a converter reads from one framework and writes for the other.

A :class:`Program` is a list of :class:`Op` in execution order over numbered values (tensors). Each op keeps
its source layer's name, a ``kind`` from the mapping table (:mod:`nncalc.convert.mapping`) and ``attrs`` in
neutral terms (``out_channels``, ``kernel``, ``stride``, ``padding``…). Shapes are kept without the batch, in
the SOURCE framework's layout; ``Value.spatial`` says whether a value is an image-like tensor whose channel
axis moves between channels-first (PyTorch) and channels-last (Keras).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Value:
    """One tensor: its shape without the batch (source layout), dtype, and whether it is channel-laid-out."""

    shape: tuple
    dtype: str = "float32"
    spatial: bool = False


@dataclass
class Op:
    """One layer call (or functional op) of the source model."""

    kind: str
    name: str
    source_type: str
    attrs: dict
    inputs: list[int]
    outputs: list[int]
    line: int | None = None
    shared: bool = False  # a later call of a layer already defined (weights shared)


@dataclass(frozen=True)
class Problem:
    """A layer or op the converter cannot carry over; reported on stderr and marked in the output."""

    name: str
    source_type: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"`{self.name}` ({self.source_type}){where}: {self.reason}"


@dataclass
class Program:
    """A whole model in neutral form."""

    framework: str  # the source: "pytorch" or "keras"
    model_name: str
    file: str
    values: list[Value] = field(default_factory=list)
    inputs: list[int] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total_params: int = 0

    @property
    def channels_last(self) -> bool:
        return self.framework == "keras"

    def new_value(self, shape, dtype: str = "float32", spatial: bool = False) -> int:
        self.values.append(Value(tuple(shape), dtype, spatial))
        return len(self.values) - 1

    def consumers(self, value: int) -> list[Op]:
        return [op for op in self.ops if value in op.inputs]

    def is_chain(self) -> bool:
        """One input, one output, each op fed by the previous op's single output: a Sequential model."""
        if len(self.inputs) != 1 or len(self.outputs) != 1:
            return False
        current = self.inputs[0]
        for op in self.ops:
            if op.inputs != [current] or len(op.outputs) != 1 or op.shared:
                return False
            current = op.outputs[0]
        return self.outputs == [current]


def channels_first(shape: tuple) -> tuple:
    """A channels-last shape without batch (H, W, C) as channels-first (C, H, W)."""
    return (shape[-1], *shape[:-1]) if len(shape) >= 2 else tuple(shape)


def channels_last(shape: tuple) -> tuple:
    """A channels-first shape without batch (C, H, W) as channels-last (H, W, C)."""
    return (*shape[1:], shape[0]) if len(shape) >= 2 else tuple(shape)


def target_shape(program: Program, value: int, target_last: bool) -> tuple:
    """A value's shape in the target framework's layout."""
    v = program.values[value]
    if not v.spatial or program.channels_last == target_last:
        return v.shape
    return channels_last(v.shape) if target_last else channels_first(v.shape)


def channels(program: Program, value: int) -> int:
    """The channel (or feature) count of a value: its last axis in Keras, axis 1 in torch for spatial values."""
    v = program.values[value]
    if v.spatial and not program.channels_last:
        return v.shape[0]
    return v.shape[-1]


@dataclass
class WriteContext:
    """What a writer may ask about the program: shapes in the TARGET layout, channel counts, producers."""

    program: Program
    target_last: bool

    def in_shape(self, op, index: int = 0) -> tuple:
        return target_shape(self.program, op.inputs[index], self.target_last)

    def out_shape(self, op, index: int = 0) -> tuple:
        return target_shape(self.program, op.outputs[index], self.target_last)

    def in_channels(self, op, index: int = 0) -> int:
        return channels(self.program, op.inputs[index])

    def spatial(self, value: int) -> bool:
        return self.program.values[value].spatial

    def producer(self, value: int):
        for op in self.program.ops:
            if value in op.outputs:
                return op
        return None


SPATIAL_KINDS = {"conv", "depthwise_conv", "separable_conv", "conv_transpose", "pool", "global_pool", "group_norm",
                 "zero_pad", "upsample"}
"""Layers whose input is image-like (channels first in torch, last in Keras)."""
ELEMENTWISE_KINDS = {"activation", "dropout", "add", "multiply", "concat", "identity", "batch_norm", "subtract",
                     "average", "maximum", "minimum", "zero_pad"}
"""Layers whose output has the layout of their input."""


def mark_spatial(program: Program) -> None:
    """Mark the values whose channel axis moves between layouts: around spatial layers, and through
    elementwise ones, until nothing changes."""
    values = program.values

    def mark(value: int) -> bool:
        if len(values[value].shape) >= 2 and not values[value].spatial:
            values[value].spatial = True
            return True
        return False

    for value in program.inputs:  # an image input (C, H, W) / (H, W, C), even when it is only flattened
        if len(values[value].shape) >= 3:
            mark(value)
    for op in program.ops:
        if op.kind in SPATIAL_KINDS:
            for v in op.inputs:
                mark(v)
            if op.kind != "global_pool" or op.attrs.get("keepdims"):
                for v in op.outputs:
                    mark(v)
    changed = True
    while changed:
        changed = False
        for op in program.ops:
            if op.kind in ELEMENTWISE_KINDS and any(values[v].spatial for v in op.inputs + op.outputs):
                for v in op.inputs + op.outputs:
                    changed = mark(v) or changed


def prune(program: Program) -> None:
    """Drop ops whose results never reach an output (shape queries, debugging)."""
    needed = set(program.outputs)
    kept = []
    for op in reversed(program.ops):
        if any(v in needed for v in op.outputs):
            kept.append(op)
            needed.update(op.inputs)
    program.ops = list(reversed(kept))
    names = {op.name for op in program.ops}
    program.problems = [p for p in program.problems if p.name in names]
