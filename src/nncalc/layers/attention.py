"""Multi-head attention (Keras ``MultiHeadAttention`` and ``GroupedQueryAttention``, PyTorch
``nn.MultiheadAttention``) and dot-product attention.

The rule's weights (:data:`MULTI_HEAD_ATTENTION`) are one kernel per projection with the heads as an axis, and
its bias: query ``(d_q, heads, key_dim)``, key ``(d_k, heads, key_dim)``, value ``(d_v, heads, value_dim)``, each
bias ``(heads, key_dim|value_dim)``, output ``(heads, value_dim, d_out)`` with a bias ``(d_out)``; a layer may
append a learned key and value as one more position (``key_token``, ``value_token``). The adapters lay them out
their framework's way (PyTorch packs the three input projections into one matrix when their sizes agree).

Parameters: ``h·k·(d_q + 1) + h·k·(d_k + 1) + h·v·(d_v + 1) + (h·v + 1)·d_out``, or, written in the width
``E = h·k = h·v`` of the query and the output (PyTorch's notation), ``3 × E × (E + 1) + (E + 1) × E``.
MACs: the four projections plus the scores ``T_q·T_k·h·k`` (Q·Kᵀ) and the weighted sum ``T_q·T_k·h·v`` (A·V).
"""

from __future__ import annotations

from math import prod

from nncalc.formula import Expr, num, product, sym, total
from nncalc.layers.base import Term, positions
from nncalc.layers.rule import Rule, register
from nncalc.records import dataclass

PROJECTIONS = ("query", "key", "value", "output")
"""The projections of multi-head attention, in the order of their weights."""


@dataclass(frozen=True)
class AttentionSpec:
    """Multi-head attention: input sizes ``query``, ``key``, ``value``; ``heads``; per-head ``key_dim`` and
    ``value_dim``; the output's trailing sizes ``output`` (default: the query size); ``bias``; ``kv_heads``, the
    key/value heads of grouped-query attention, each shared by ``heads / kv_heads`` query heads (0: ``heads``);
    ``kv_token``, a learned key and value appended to the keys and values as one more position, and
    ``zero_token`` a zero one; ``embed_notation`` writes the formula in ``E``, the width ``heads × key_dim`` of
    the query and the output, and the key and value sizes ``kdim``, ``vdim``."""

    query: int
    key: int
    value: int
    heads: int
    key_dim: int
    value_dim: int
    output: tuple[int, ...]
    bias: bool = True
    kv_heads: int = 0
    kv_token: bool = False
    zero_token: bool = False
    embed_notation: bool = False

    @property
    def key_heads(self) -> int:
        return self.kv_heads or self.heads


def attention_weights(spec: AttentionSpec) -> list[tuple[str, Term]]:
    """Each weight with its projection (:data:`PROJECTIONS`, or ``"token"``): the query, key, value and output
    kernels, each followed by its bias, then the learned key and value tokens."""
    h, k, v = ("heads", spec.heads), ("key_dim", spec.key_dim), ("value_dim", spec.value_dim)
    g = ("kv_heads", spec.kv_heads) if spec.kv_heads else h
    out = tuple((f"d_out{i}" if len(spec.output) > 1 else "d_out", size) for i, size in enumerate(spec.output))
    weights = []
    for projection, size, name, heads, per_head in (("query", spec.query, "d_q", h, k), ("key", spec.key, "d_k", g, k),
                                                    ("value", spec.value, "d_v", g, v)):
        weights.append((projection, Term("kernel", ((name, size), heads, per_head))))
        if spec.bias:
            weights.append((projection, Term("bias", (heads, per_head))))
    weights.append(("output", Term("kernel", (h, v) + out)))
    if spec.bias:
        weights.append(("output", Term("bias", out)))
    if spec.kv_token:
        weights += [("token", Term("key_token", (g, k))), ("token", Term("value_token", (g, v)))]
    return weights


def attention_terms(spec: AttentionSpec) -> list[Term]:
    """The weights of :func:`attention_weights`, in their order."""
    return [term for _, term in attention_weights(spec)]


def attention_params_formula(spec: AttentionSpec) -> Expr:
    """``h × k × (d_q + 1) + h × k × (d_k + 1) + h × v × (d_v + 1) + (h × v + 1) × d_out`` (no ``+ 1``
    without bias; ``+ h × k + h × v`` with the learned tokens), or :func:`_embed_formula`."""
    if spec.embed_notation:
        return _embed_formula(spec)
    h, k, v = sym("heads", spec.heads), sym("key_dim", spec.key_dim), sym("value_dim", spec.value_dim)
    g = sym("kv_heads", spec.kv_heads) if spec.kv_heads else h
    d_out = sym("d_out", prod(spec.output))
    parts = []
    for name, size, heads, per_head in (("d_q", spec.query, h, k), ("d_k", spec.key, g, k),
                                        ("d_v", spec.value, g, v)):
        d = sym(name, size)
        parts.append(product([heads, per_head, (d + 1) if spec.bias else d]))
    parts.append(((h * v + 1) if spec.bias else h * v) * d_out)
    if spec.kv_token:
        parts += [g * k, g * v]
    return total(parts)


def _embed_formula(spec: AttentionSpec) -> Expr:
    """In the width ``E``: the input projections ``3 × E × (E + 1)`` when the key and value sizes are E, else
    ``E × (E + kdim + vdim) + 3 × E``; ``+ 2 × E`` with the learned tokens; the output projection ``(E + 1) × E``
    (no bias terms without bias)."""
    e = sym("E", spec.heads * spec.key_dim)
    if spec.key == spec.value == spec.query:
        parts = [product([num(3), e, (e + 1) if spec.bias else e])]
    else:
        parts = [e * total([e, sym("kdim", spec.key), sym("vdim", spec.value)])]
        if spec.bias:
            parts.append(num(3) * e)
    if spec.kv_token:
        parts.append(num(2) * e)
    parts.append(((e + 1) if spec.bias else e) * e)
    return total(parts)


def attention_params(spec: AttentionSpec) -> int:
    """The number :func:`attention_params_formula` evaluates to."""
    return attention_params_formula(spec).value


def attention_macs(spec: AttentionSpec, query_len: int | None, key_len: int | None) -> int:
    """Projections ``T_q·d_q·h·k + T_k·d_k·h·k + T_k·d_v·h·v + T_q·h·v·d_out`` plus ``T_q·T_k·h·(k + v)`` for
    Q·Kᵀ and A·V (unknown lengths count as 1); the appended token positions add ``T_q·h·(k + v)`` each."""
    tq, tk = query_len or 1, key_len or 1
    h, k, v, g = spec.heads, spec.key_dim, spec.value_dim, spec.key_heads
    projections = tq * spec.query * h * k + tk * spec.key * g * k + tk * spec.value * g * v
    extra = spec.kv_token + spec.zero_token
    return projections + tq * h * v * prod(spec.output) + tq * (tk + extra) * h * (k + v)


def sequence_length(shape: tuple) -> int | None:
    """The length of a ``(batch, *sequence, features)`` input: the product of the axes between the batch and the
    features, None when one is unknown."""
    sizes = shape[1:-1]
    return None if any(s is None for s in sizes) else prod(sizes)


def attention_output(spec: AttentionSpec, shapes: tuple) -> tuple:
    """The output for ``shapes = (query, key)``, each ``(batch, *sequence, features)``: the query's shape with its
    features replaced by ``output``."""
    return tuple(shapes[0][:-1]) + tuple(spec.output)


def attention_call_macs(spec: AttentionSpec, shapes: tuple) -> int:
    """The MACs of one call on ``shapes = (query, key)``: :func:`attention_macs` per batch element (an unknown batch
    counts as 1)."""
    query, key = shapes
    return positions(query[:1]) * attention_macs(spec, sequence_length(query), sequence_length(key))


MULTI_HEAD_ATTENTION = register(Rule("multi_head_attention", attention_terms, attention_output, attention_call_macs,
                                     attention_params_formula))
"""``nn.MultiheadAttention``, ``F.multi_head_attention_forward``, ``keras.layers.MultiHeadAttention``,
``keras.layers.GroupedQueryAttention``; its input shape is the pair ``(query, key)``."""


def dot_attention_macs(query_len: int | None, key_len: int | None, dim: int, value_dim: int) -> int:
    """Dot-product attention without projections: ``T_q·T_k·d`` (scores) ``+ T_q·T_k·d_v`` (weighted sum)."""
    return (query_len or 1) * (key_len or 1) * (dim + value_dim)


@dataclass(frozen=True)
class DotAttentionSpec:
    """Attention without projections over a query of ``features``: its learned ``scale``, none (``""``), one
    number (``"scalar"``) or one per feature (``"vector"``, additive attention's); ``concat_weight``, a learned
    number weighting concatenation scores."""

    features: int | None = None
    scale: str = ""
    concat_weight: bool = False


def dot_attention_terms(spec: DotAttentionSpec) -> list[Term]:
    """``scale ()`` or ``scale (features)``, then ``concat_score_weight ()``, when learned."""
    terms = []
    if spec.scale:
        terms.append(Term("scale", (("features", spec.features),) if spec.scale == "vector" else ()))
    if spec.concat_weight:
        terms.append(Term("concat_score_weight", ()))
    return terms


def dot_attention_params_formula(spec: DotAttentionSpec) -> Expr | None:
    """``features`` for a scale per feature, ``1`` for each learned number; None without weights."""
    parts = [sym("features", spec.features)] if spec.scale == "vector" else []
    parts += [num(1)] * ((spec.scale == "scalar") + spec.concat_weight)
    return total(parts) if parts else None


def dot_attention_output(spec: DotAttentionSpec, shapes: tuple) -> tuple:
    """The output for ``shapes = (query, key, value)``, each ``(…, T, d)``: the query's with the value's
    features."""
    query, _, value = shapes
    return tuple(query[:-1]) + (value[-1],)


def dot_attention_call_macs(spec: DotAttentionSpec, shapes: tuple) -> int:
    """:func:`dot_attention_macs` for each leading index of ``shapes = (query, key, value)``, each ``(…, T, d)``
    (unknown sizes count as 1)."""
    query, key, value = shapes
    return positions(query[:-2]) * dot_attention_macs(query[-2], key[-2], query[-1] or 1, value[-1] or 1)


DOT_ATTENTION = register(Rule("dot_attention", dot_attention_terms, dot_attention_output, dot_attention_call_macs,
                              dot_attention_params_formula))
"""``keras.layers.Attention``, ``keras.layers.AdditiveAttention``, ``F.scaled_dot_product_attention``; its input
shape is the triple ``(query, key, value)``."""
