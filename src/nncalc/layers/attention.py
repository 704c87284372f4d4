"""Multi-head attention (Keras ``MultiHeadAttention``, PyTorch ``nn.MultiheadAttention``) and dot-product
attention.

Keras keeps one kernel per projection with the heads as an axis: query ``(d_q, heads, key_dim)``, key
``(d_k, heads, key_dim)``, value ``(d_v, heads, value_dim)``, each with a bias ``(heads, key_dim|value_dim)``,
and output ``(heads, value_dim, d_out)`` with a bias ``(d_out)``. PyTorch packs the three input projections
into one ``in_proj_weight (3·E, E)`` and ``in_proj_bias (3·E)`` when the key and value sizes equal E
(``heads × key_dim = E``), then ``out_proj`` ``(E, E)`` + ``(E)``: the same count when
``key_dim = value_dim = E / heads``.

Parameters (Keras): ``h·k·(d_q + 1) + h·k·(d_k + 1) + h·v·(d_v + 1) + (h·v + 1)·d_out``.
MACs: the four projections plus the scores ``T_q·T_k·h·k`` (Q·Kᵀ) and the weighted sum ``T_q·T_k·h·v`` (A·V).
"""

from __future__ import annotations

from math import prod

from nncalc.formula import Expr, product, sym, total
from nncalc.records import dataclass


@dataclass(frozen=True)
class AttentionSpec:
    """Multi-head attention: input sizes ``query``, ``key``, ``value``; ``heads``; per-head ``key_dim`` and
    ``value_dim``; the output's trailing sizes ``output`` (default: the query size); ``bias``; ``kv_heads``, the
    key/value heads of grouped-query attention, each shared by ``heads / kv_heads`` query heads (0: ``heads``)."""

    query: int
    key: int
    value: int
    heads: int
    key_dim: int
    value_dim: int
    output: tuple[int, ...]
    bias: bool = True
    kv_heads: int = 0

    @property
    def key_heads(self) -> int:
        return self.kv_heads or self.heads


def attention_params_formula(spec: AttentionSpec) -> Expr:
    """``h × k × (d_q + 1) + h × k × (d_k + 1) + h × v × (d_v + 1) + (h × v + 1) × d_out`` (no ``+ 1``
    without bias)."""
    h, k, v = sym("heads", spec.heads), sym("key_dim", spec.key_dim), sym("value_dim", spec.value_dim)
    g = sym("kv_heads", spec.kv_heads) if spec.kv_heads else h
    d_out = sym("d_out", prod(spec.output))
    parts = []
    for name, size, heads, per_head in (("d_q", spec.query, h, k), ("d_k", spec.key, g, k),
                                        ("d_v", spec.value, g, v)):
        d = sym(name, size)
        parts.append(product([heads, per_head, (d + 1) if spec.bias else d]))
    parts.append(((h * v + 1) if spec.bias else h * v) * d_out)
    return total(parts)


def attention_params(spec: AttentionSpec) -> int:
    """The number :func:`attention_params_formula` evaluates to."""
    return attention_params_formula(spec).value


def attention_macs(spec: AttentionSpec, query_len: int | None, key_len: int | None) -> int:
    """Projections ``T_q·d_q·h·k + T_k·d_k·h·k + T_k·d_v·h·v + T_q·h·v·d_out`` plus ``T_q·T_k·h·(k + v)`` for
    Q·Kᵀ and A·V (unknown lengths count as 1)."""
    tq, tk = query_len or 1, key_len or 1
    h, k, v, g = spec.heads, spec.key_dim, spec.value_dim, spec.key_heads
    projections = tq * spec.query * h * k + tk * spec.key * g * k + tk * spec.value * g * v
    return projections + tq * h * v * prod(spec.output) + tq * tk * h * (k + v)


def dot_attention_macs(query_len: int | None, key_len: int | None, dim: int, value_dim: int) -> int:
    """Dot-product attention without projections: ``T_q·T_k·d`` (scores) ``+ T_q·T_k·d_v`` (weighted sum)."""
    return (query_len or 1) * (key_len or 1) * (dim + value_dim)
