"""``nn.MultiheadAttention`` and ``F.scaled_dot_product_attention`` (rules in :mod:`nncalc.layers.attention`).

``nn.MultiheadAttention(E, h)`` packs the query, key and value projections into ``in_proj_weight (3·E, E)``
and ``in_proj_bias (3·E)``; with ``kdim`` or ``vdim`` other than E it keeps ``q_proj_weight (E, E)``,
``k_proj_weight (E, kdim)`` and ``v_proj_weight (E, vdim)`` instead. The output projection is the child
``out_proj`` (``NonDynamicallyQuantizableLinear(E, E)``), which torch never calls as a module: its weights are
used inside the attention's own forward, so its MACs are the attention's, and its parameters are part of the
attention's formula (its row follows the attention's as a part of it). ``add_bias_kv`` adds ``bias_k`` and
``bias_v`` ``(1, 1, E)``, appended to the keys and values as one more position (as does ``add_zero_attn``).

MACs per batch element: the projections ``L·E·E + S·kdim·E + S·vdim·E + L·E·E``, then ``L·S'·E`` for Q·Kᵀ
and ``L·S'·E`` for A·V, where ``S'`` counts the extra key positions.
"""

from __future__ import annotations

from math import prod

from nncalc.diagnostics import recoverable
from nncalc.formula import num, product, sym, total
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.errors import TorchValueError, check_int, plural, shape_error
from nncalc.frameworks.torch.functional import op, tensor_arg
from nncalc.frameworks.torch.arguments import layer_dtype, tensor_input
from nncalc.frameworks.torch.linear import Linear
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.shapes import broadcast
from nncalc.frameworks.torch.tensor import Tensor, make_parameter
from nncalc.layers.attention import AttentionSpec, attention_macs, dot_attention_macs
from nncalc.layers.base import divisors


class NonDynamicallyQuantizableLinear(Linear):
    """The class torch gives ``MultiheadAttention.out_proj``: an ``nn.Linear`` in all but name."""


def heads_fix(embed_dim: int, num_heads: int) -> str:
    """The nearest head counts that divide ``embed_dim``."""
    found = divisors(embed_dim)
    below = max(d for d in found if d <= num_heads)
    above = [d for d in found if d >= num_heads]
    return " or ".join(f"num_heads={d}" for d in [below] + above[:1])


@builtin
class MultiheadAttention(Module):
    """``nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
    add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None)``, called as
    ``mha(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False)`` → ``(attn_output, attn_weights or None)``."""

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
        kind = layer_dtype(dtype)
        e = self.embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = make_parameter((3 * e, e), kind)
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = make_parameter((e, e), kind)
            self.k_proj_weight = make_parameter((e, self.kdim), kind)
            self.v_proj_weight = make_parameter((e, self.vdim), kind)
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = make_parameter((3 * e,), kind)
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(e, e, bias=bias, dtype=dtype)
        if add_bias_kv:
            self.bias_k = make_parameter((1, 1, e), kind)
            self.bias_v = make_parameter((1, 1, e), kind)
        else:
            self.bias_k = self.bias_v = None
        self._spec = AttentionSpec(e, self.kdim, self.vdim, self.num_heads, self.head_dim, self.head_dim, (e,),
                                   bool(bias))

    def _formula(self):
        """The whole layer, its ``out_proj`` child included (the row counts it): the input projections
        ``3 × E × (E + 1)`` packed or ``E × (E + kdim + vdim) + 3 × E`` apart, ``+ 2 × E`` with add_bias_kv,
        then the output projection ``(E + 1) × E``."""
        e = sym("E", self.embed_dim)
        bias = self.in_proj_bias is not None
        if self._qkv_same_embed_dim:
            parts = [product([num(3), e, (e + 1) if bias else e])]
        else:
            parts = [e * total([e, sym("kdim", self.kdim), sym("vdim", self.vdim)])]
            if bias:
                parts.append(num(3) * e)
        if self.bias_k is not None:
            parts.append(num(2) * e)
        out = self.out_proj
        if isinstance(out, Linear) and out.in_features == out.out_features == self.embed_dim:
            parts.append(((e + 1) if out.bias is not None else e) * e)
        return total(parts)

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
        if recorder.active():
            macs = attention_macs(self._spec, target, source)
            if extra:
                macs += dot_attention_macs(target, extra, self.embed_dim, self.embed_dim)
            recorder.note(batch * macs)
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
    scale=None, enable_gqa=False)``: ``(…, L, E)``, ``(…, S, E)``, ``(…, S, Ev)`` → ``(…, L, Ev)``; MACs
    ``L·S·E`` (Q·Kᵀ) + ``L·S·Ev`` (A·V) per leading index, charged to the calling module."""
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
    recorder.note(prod(lead) * dot_attention_macs(target, source, q._shape[-1], v._shape[-1]))
    return Tensor._make(lead + (target, v._shape[-1]), q._dtype, q._device)


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
    spec = AttentionSpec(embed, k._shape[-1], v._shape[-1], num_heads, embed // num_heads, embed // num_heads,
                         (out_weight._shape[0],), in_proj_bias is not None)
    extra = (bias_k is not None) + bool(add_zero_attn)
    macs = attention_macs(spec, target, source)
    if extra:
        macs += dot_attention_macs(target, extra, embed, embed)
    recorder.note(batch * macs)
    output = Tensor._make(q._shape[:-1] + (out_weight._shape[0],), q._dtype, q._device)
    if not need_weights:
        return output, None
    heads = () if average_attn_weights else (num_heads,)
    lead = (batch,) if len(q._shape) == 3 else ()
    return output, Tensor._make(lead + heads + (target, source + extra), q._dtype, q._device)


FUNCTIONAL = {"scaled_dot_product_attention": scaled_dot_product_attention,
              "multi_head_attention_forward": multi_head_attention_forward}
"""Members this module adds to ``torch.nn.functional``."""
