"""``nn.MultiheadAttention`` and ``F.scaled_dot_product_attention`` (rules in :mod:`nncalc.layers.attention`).

``nn.MultiheadAttention(E, h)`` packs the query, key and value projections into ``in_proj_weight (3·E, E)``
and ``in_proj_bias (3·E)``; with ``kdim`` or ``vdim`` other than E it keeps ``q_proj_weight (E, E)``,
``k_proj_weight (E, kdim)`` and ``v_proj_weight (E, vdim)`` instead. The output projection is the child
``out_proj`` (``NonDynamicallyQuantizableLinear(E, E)``), which torch never calls as a module: its weights are
used inside the attention's own forward, so its MACs are the attention's, and its parameters are part of the
attention's formula (its row follows the attention's as a part of it). ``add_bias_kv`` adds ``bias_k`` and
``bias_v`` ``(1, 1, E)``, appended to the keys and values as one more position (as does ``add_zero_attn``).

The weights, the formula and the MACs are the rule ``MULTI_HEAD_ATTENTION``'s (in the width E): its per-projection
kernels ``(d, heads, head_dim)`` become torch's ``(heads·head_dim, d)`` matrices, packed or apart, its biases
``in_proj_bias``, its tokens ``bias_k`` and ``bias_v``. MACs per batch element: the projections
``L·E·E + S·kdim·E + S·vdim·E + L·E·E``, then ``L·S'·E`` for Q·Kᵀ and ``L·S'·E`` for A·V, where ``S'`` counts the
extra key positions.
"""

from __future__ import annotations

from math import prod

from nncalc.diagnostics import recoverable
from nncalc.frameworks.torch.errors import TorchValueError, check_int, plural, shape_error
from nncalc.frameworks.torch.functional import op, tensor_arg
from nncalc.frameworks.torch.arguments import layer_dtype, tensor_input
from nncalc.frameworks.torch.linear import Linear
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.rules import run_rule
from nncalc.frameworks.torch.shapes import broadcast
from nncalc.frameworks.torch.tensor import Tensor, make_parameter
from nncalc.layers.attention import (DOT_ATTENTION, MULTI_HEAD_ATTENTION, AttentionSpec, DotAttentionSpec,
                                     attention_weights)
from nncalc.layers.base import divisors


class NonDynamicallyQuantizableLinear(Linear):
    """The class torch gives ``MultiheadAttention.out_proj``: an ``nn.Linear`` in all but name."""


def heads_fix(embed_dim: int, num_heads: int) -> str:
    """The nearest head counts that divide ``embed_dim``."""
    found = divisors(embed_dim)
    below = max(d for d in found if d <= num_heads)
    above = [d for d in found if d >= num_heads]
    return " or ".join(f"num_heads={d}" for d in [below] + above[:1])


def torch_attention_weights(spec: AttentionSpec, packed: bool) -> dict:
    """torch's parameters of the rule's input projections and tokens for ``spec``, by name: their shapes, or None
    for those torch registers as None. A projection's kernel ``(d, heads, head_dim)`` is torch's ``(heads·head_dim,
    d)``; ``packed``, the three are one ``in_proj_weight``; their biases are always one ``in_proj_bias``; the
    tokens ``(heads, head_dim)`` are ``bias_k`` and ``bias_v`` ``(1, 1, heads·head_dim)``. The output projection is
    the ``out_proj`` child's."""
    weights = attention_weights(spec)
    inputs = [(prod(t.shape[1:]), t.shape[0]) for p, t in weights if t.role == "kernel" and p != "output"]
    names = ("q_proj_weight", "k_proj_weight", "v_proj_weight")
    if packed:
        shapes = {"in_proj_weight": (sum(rows for rows, _ in inputs), inputs[0][1]), **dict.fromkeys(names)}
    else:
        shapes = {**dict(zip(names, inputs)), "in_proj_weight": None}
    biases = sum(t.numel for p, t in weights if t.role == "bias" and p != "output")
    shapes["in_proj_bias"] = (biases,) if spec.bias else None
    tokens = {"key_token": "bias_k", "value_token": "bias_v"}
    shapes.update({tokens[t.role]: (1, 1, t.numel) for p, t in weights if p == "token"})
    return shapes


@builtin
class MultiheadAttention(Module):
    """``nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
    add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None)``, called as
    ``mha(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False)`` → ``(attn_output, attn_weights or None)``. Its weights (its
    ``out_proj`` child's included), formula and MACs are the rule's (``_rule``) for ``_spec``, in torch's layout."""

    _rule = MULTI_HEAD_ATTENTION

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        self.embed_dim = check_int(embed_dim, "embed_dim", self, 1)
        self.num_heads = check_int(num_heads, "num_heads", self, 1)
        self.kdim = self.embed_dim if kdim is None else check_int(kdim, "kdim", self, 1)
        self.vdim = self.embed_dim if vdim is None else check_int(vdim, "vdim", self, 1)
        self._qkv_same_embed_dim = self.kdim == self.embed_dim and self.vdim == self.embed_dim
        self.dropout = dropout
        self.batch_first = bool(batch_first)
        self.add_zero_attn = bool(add_zero_attn)
        if self.embed_dim % self.num_heads:
            recoverable(TorchValueError(
                f"{self._describe()}: embed_dim must be divisible by num_heads ({self.embed_dim} is not a multiple "
                f"of {self.num_heads})",
                hint=f"use {heads_fix(self.embed_dim, self.num_heads)}; each head gets embed_dim // num_heads features",
            ))
        self.head_dim = self.embed_dim // self.num_heads
        e = self.embed_dim
        self._spec = AttentionSpec(e, self.kdim, self.vdim, self.num_heads, self.head_dim, self.head_dim, (e,),
                                   bool(bias), kv_token=bool(add_bias_kv), zero_token=self.add_zero_attn,
                                   embed_notation=True)
        for name, shape in torch_attention_weights(self._spec, self._qkv_same_embed_dim).items():
            if shape is None:
                self.register_parameter(name, None)
            else:
                setattr(self, name, make_parameter(shape, layer_dtype(dtype)))
        self.out_proj = NonDynamicallyQuantizableLinear(e, e, bias=bias, dtype=dtype)
        if not add_bias_kv:
            self.bias_k = self.bias_v = None

    def _formula(self):
        """The rule's, which counts the ``out_proj`` child too (the row counts it), while that child is the
        ``Linear(E, E)`` the layer made; else none (the row's own weights are summed)."""
        out = self.out_proj
        if isinstance(out, Linear) and out.in_features == out.out_features == self.embed_dim \
                and (out.bias is not None) == self._spec.bias:
            return self._rule.formula(self._spec)
        return None

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        q, k, v = (tensor_input(t, self) for t in (query, key, value))
        batched = self._check(q, k, v)
        if batched and self.batch_first:
            batch, target, source = q._shape[0], q._shape[1], k._shape[1]
        elif batched:
            batch, target, source = q._shape[1], q._shape[0], k._shape[0]
        else:
            batch, target, source = 1, q._shape[0], k._shape[0]
        extra = (self.bias_k is not None) + self.add_zero_attn
        run_rule(self._rule, self._spec, ((batch, target, self.embed_dim), (batch, source, self.kdim)))
        output = q._like(factors=None)
        if not need_weights:
            return output, None
        heads = () if average_attn_weights else (self.num_heads,)
        lead = (batch,) if batched else ()
        return output, q._like(lead + heads + (target, source + extra), factors=None)

    def _check(self, q: Tensor, k: Tensor, v: Tensor) -> bool:
        """The inputs agree with the layer and each other; True when they carry a batch dimension."""
        layout = "(N, L, E)" if self.batch_first else "(L, N, E)"
        if len(q._shape) not in (2, 3):
            raise shape_error(f"{self._describe()}: query should be unbatched 2D or batched 3D {layout}, but "
                              f"received a {len(q._shape)}D tensor of shape {list(q._shape)}", "rank", self)
        for tensor, what in ((k, "key"), (v, "value")):
            if len(tensor._shape) != len(q._shape):
                raise shape_error(f"{self._describe()}: for a {len(q._shape)}D query, {what} should be "
                                  f"{len(q._shape)}D, but received a {len(tensor._shape)}D tensor", "rank", self)
        for tensor, what, size, arg in ((q, "query", self.embed_dim, "embed_dim"), (k, "key", self.kdim, "kdim"),
                                        (v, "value", self.vdim, "vdim")):
            if tensor._shape[-1] != size:
                raise shape_error(
                    f"{self._describe()} was expecting {what} features of {size} ({arg}), but got "
                    f"{plural(tensor._shape[-1], 'feature')} (shape {list(tensor._shape)})",
                    "features",
                    self,
                    hint=f"use {self._describe(**{arg: tensor._shape[-1]})}" if arg != "embed_dim" else
                    "embed_dim is the query's last dimension; PyTorch wants (L, N, E) unless batch_first=True",
                    got=tensor._shape[-1],
                    expected=size,
                )
        seq = 1 if self.batch_first and len(q._shape) == 3 else 0
        if k._shape[:-1] != v._shape[:-1]:
            raise shape_error(f"{self._describe()}: key shape {list(k._shape)} does not match value shape "
                              f"{list(v._shape)}", "reshape", self)
        if len(q._shape) == 3 and q._shape[1 - seq] != k._shape[1 - seq]:
            raise shape_error(f"{self._describe()}: the batch of the query ({q._shape[1 - seq]}) and of the key "
                              f"({k._shape[1 - seq]}) differ; this layer has batch_first={self.batch_first}",
                              "reshape", self)
        return len(q._shape) == 3

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"


@op("F.scaled_dot_product_attention")
def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """``F.scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False,
    scale=None, enable_gqa=False)``: ``(…, L, E)``, ``(…, S, E)``, ``(…, S, Ev)`` → ``(…, L, Ev)``; the rule
    ``DOT_ATTENTION``'s MACs ``L·S·E`` (Q·Kᵀ) + ``L·S·Ev`` (A·V) per leading index, charged to the calling
    module."""
    name = "F.scaled_dot_product_attention"
    q, k, v = (tensor_arg(t, name) for t in (query, key, value))
    if min(len(t._shape) for t in (q, k, v)) < 2:
        raise shape_error(f"{name}: query, key and value need at least 2 dimensions (…, L, E)", "rank")
    if q._shape[-1] != k._shape[-1]:
        raise shape_error(f"{name}: the query's last dimension ({q._shape[-1]}) must equal the key's "
                          f"({k._shape[-1]}); shapes {list(q._shape)} and {list(k._shape)}", "features",
                          got=k._shape[-1], expected=q._shape[-1])
    if k._shape[-2] != v._shape[-2]:
        raise shape_error(f"{name}: key and value need the same length S; shapes {list(k._shape)} and "
                          f"{list(v._shape)}", "reshape")
    lead_kv = broadcast(k._shape[:-2], v._shape[:-2])
    if enable_gqa and len(q._shape) >= 3 and len(lead_kv) >= 1 and lead_kv[-1] and q._shape[-3] % lead_kv[-1] == 0:
        lead_kv = lead_kv[:-1] + (q._shape[-3],)
    lead = broadcast(q._shape[:-2], lead_kv)
    target, source = q._shape[-2], k._shape[-2]
    if attn_mask is not None and isinstance(attn_mask, Tensor):
        broadcast(attn_mask._shape, lead + (target, source))
    shapes = (lead + (target, q._shape[-1]), k._shape, v._shape)
    return Tensor._make(run_rule(DOT_ATTENTION, DotAttentionSpec(q._shape[-1]), shapes, window=False), q._dtype,
                        q._device)


@op("F.multi_head_attention_forward")
def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
                                 bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
                                 training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
                                 v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                                 is_causal=False):
    """``nn.MultiheadAttention``'s kernel, which model code calls with weights of its own (CLIP's attention
    pooling): ``(L, N, E)`` queries over ``(S, N, ·)`` keys and values → ``((L, N, E_out), weights or None)``;
    the MACs of the layer (projections, Q·Kᵀ, A·V, output projection)."""
    name = "F.multi_head_attention_forward"
    q, k, v = (tensor_arg(t, name) for t in (query, key, value))
    if len(q._shape) not in (2, 3) or len(k._shape) != len(q._shape) or len(v._shape) != len(q._shape):
        raise shape_error(f"{name}: query, key and value should be all 2D (unbatched) or all 3D (L, N, E); got "
                          f"{list(q._shape)}, {list(k._shape)}, {list(v._shape)}", "rank")
    embed = q._shape[-1]
    if embed != embed_dim_to_check:
        raise shape_error(f"{name}: was expecting embedding dimension of {embed_dim_to_check}, but got {embed}",
                          "features", got=embed, expected=embed_dim_to_check)
    if not isinstance(num_heads, int) or num_heads < 1 or embed % num_heads:
        raise shape_error(f"{name}: embed_dim {embed} not divisible by num_heads {num_heads}", "features")
    if k._shape[:-1] != v._shape[:-1]:
        raise shape_error(f"{name}: key shape {list(k._shape)} does not match value shape {list(v._shape)}",
                          "reshape")
    out_weight = tensor_arg(out_proj_weight, name)
    batch = q._shape[1] if len(q._shape) == 3 else 1
    target, source = q._shape[0], k._shape[0]
    extra = (bias_k is not None) + bool(add_zero_attn)
    spec = AttentionSpec(embed, k._shape[-1], v._shape[-1], num_heads, embed // num_heads, embed // num_heads,
                         (out_weight._shape[0],), in_proj_bias is not None, kv_token=bias_k is not None,
                         zero_token=bool(add_zero_attn), embed_notation=True)
    run_rule(MULTI_HEAD_ATTENTION, spec, ((batch, target, embed), (batch, source, k._shape[-1])), window=False)
    output = Tensor._make(q._shape[:-1] + (out_weight._shape[0],), q._dtype, q._device)
    if not need_weights:
        return output, None
    heads = () if average_attn_weights else (num_heads,)
    lead = (batch,) if len(q._shape) == 3 else ()
    return output, Tensor._make(lead + heads + (target, source + extra), q._dtype, q._device)


FUNCTIONAL = {"scaled_dot_product_attention": scaled_dot_product_attention,
              "multi_head_attention_forward": multi_head_attention_forward}
"""Members this module adds to ``torch.nn.functional``."""
