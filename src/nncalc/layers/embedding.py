"""Embedding tables (``nn.Embedding``, Keras ``Embedding``): one learned vector per token index.

Parameters: ``input_dim × output_dim`` in both frameworks (PyTorch calls them ``num_embeddings`` and
``embedding_dim``; ``padding_idx`` and Keras's ``mask_zero`` change no count). A lookup has no MACs.
Output: the index tensor's shape with ``output_dim`` appended.
"""

from __future__ import annotations

from nncalc.formula import Expr, sym
from nncalc.layers.base import Term
from nncalc.layers.rule import Rule, register
from nncalc.records import dataclass


def embedding_terms(input_dim: int, output_dim: int, role: str = "embeddings") -> list[Term]:
    """The table ``(input_dim, output_dim)``; ``role`` is the framework's name (Keras ``embeddings``,
    PyTorch ``weight``)."""
    return [Term(role, (("input_dim", input_dim), ("output_dim", output_dim)))]


def embedding_params_formula(input_dim: int, output_dim: int) -> Expr:
    """``input_dim × output_dim``."""
    return sym("input_dim", input_dim) * sym("output_dim", output_dim)


def embedding_output(shape: tuple, output_dim: int) -> tuple:
    """The index shape with the vector axis appended: ``(B, T)`` → ``(B, T, output_dim)``."""
    return tuple(shape) + (output_dim,)


@dataclass(frozen=True)
class EmbeddingSpec:
    """A table of ``input_dim`` vectors of ``output_dim`` values."""

    input_dim: int
    output_dim: int


EMBEDDING = register(Rule(
    "embedding",
    terms=lambda spec: embedding_terms(spec.input_dim, spec.output_dim),
    output=lambda spec, shape: embedding_output(shape, spec.output_dim),
    macs=lambda spec, shape: 0,
    params_formula=lambda spec: embedding_params_formula(spec.input_dim, spec.output_dim),
))
"""``nn.Embedding`` (and the table of ``nn.EmbeddingBag``), ``keras.layers.Embedding``."""
