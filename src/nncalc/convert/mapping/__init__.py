"""The mapping table: for every kind of layer, how each framework names it, how to read it into neutral
attributes and how to write it for the other framework. One module per layer family; adding a layer touches
its family's module only.

Readers raise :class:`Unconvertible` with the reason when a layer's settings have no equivalent; writers
return a :class:`TorchCode` or a :class:`KerasCode` with comments stating what is not carried over exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


class Unconvertible(Exception):
    """A layer (or one of its settings) without an equivalent in the other framework; the message says why."""


@dataclass
class TorchCode:
    """What a layer becomes in PyTorch.

    ``modules`` are ``(attribute suffix, constructor)`` pairs for ``__init__`` (suffix "" is the layer's own
    name); ``call(attrs, inputs)`` is the forward expression given ``self.<attr>`` names and input expressions.
    ``comments`` go above the layer's ``__init__`` line; ``trailing`` after it (``# 16 × 14 × 14``).
    """

    modules: list[tuple[str, str]]
    call: Callable[[list[str], list[str]], str]
    comments: list[str] = field(default_factory=list)
    trailing: str = ""
    lines: Callable[[list[str], list[str], str], list[str]] | None = None
    """Several forward statements instead of ``out = call(...)`` (RNNs: ``_, (h, _) = self.lstm(x)``)."""


@dataclass
class KerasCode:
    """What a layer becomes in Keras: constructors applied in a chain (``ZeroPadding2D`` then ``Conv2D``), the
    last one under the layer's name; ``comments`` go above them."""

    layers: list[str]
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mapping:
    """One kind of layer in both frameworks."""

    kind: str
    keras_types: tuple[str, ...] = ()
    torch_types: tuple[str, ...] = ()
    torch_ops: tuple[str, ...] = ()
    read_keras: Callable | None = None  # (layer, ReadContext) -> attrs
    read_torch: Callable | None = None  # (module, ReadContext) -> attrs
    read_torch_op: Callable | None = None  # (event, ReadContext) -> attrs
    write_torch: Callable | None = None  # (op, WriteContext) -> TorchCode
    write_keras: Callable | None = None  # (op, WriteContext) -> KerasCode
    takes_activation: bool = False  # a following activation folds into it (Keras ``activation=``)


@dataclass
class ReadContext:
    """What a reader may need besides the layer: the input and output shapes without batch, source layout."""

    input_shapes: list[tuple]
    output_shapes: list[tuple]


REGISTRY: dict[str, Mapping] = {}
BY_KERAS: dict[str, Mapping] = {}
BY_TORCH: dict[str, Mapping] = {}
BY_TORCH_OP: dict[str, Mapping] = {}


def register(*mappings: Mapping) -> None:
    for mapping in mappings:
        REGISTRY[mapping.kind] = mapping
        BY_KERAS.update(dict.fromkeys(mapping.keras_types, mapping))
        BY_TORCH.update(dict.fromkeys(mapping.torch_types, mapping))
        BY_TORCH_OP.update(dict.fromkeys(mapping.torch_ops, mapping))


def ints(values) -> str:
    """``(3, 3)`` → ``3``; ``(3, 5)`` → ``(3, 5)``: the short form both frameworks accept."""
    values = tuple(values)
    if len(set(values)) == 1:
        return str(values[0])
    return "(" + ", ".join(str(v) for v in values) + ")"


def call_text(callee: str, *args, **kwargs) -> str:
    """``callee(a, b, key=value)``, values written as Python literals; ``None`` keyword values are left out."""
    parts = [literal(a) for a in args]
    parts += [f"{k}={literal(v)}" for k, v in kwargs.items() if v is not None]
    return f"{callee}({', '.join(parts)})"


def literal(value) -> str:
    """A value as Python source, strings in double quotes, tuples without a trailing comma (but ``(3,)``)."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


class Raw(str):
    """Text written into code as is (``ints(...)`` results), not quoted."""


def bind(event, names: list[str], defaults: dict) -> dict:
    """A functional op's arguments by name (``F.max_pool2d(x, 2)`` → ``{"input": x, "kernel_size": 2, …}``)."""
    bound = dict(defaults)
    bound.update(zip(names, event.args))
    bound.update(event.kwargs)
    return bound


def as_tuple(value, rank: int) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * rank


def load() -> None:
    """Import every family module (each registers its mappings)."""
    from nncalc.convert.mapping import (  # noqa: F401
        activation, attention, conv, embedding, linear, merge, normalization, pooling, recurrent, reshape, resize,
    )
