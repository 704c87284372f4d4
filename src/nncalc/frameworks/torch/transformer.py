"""``nn.TransformerEncoderLayer``, ``nn.TransformerDecoderLayer``, ``nn.TransformerEncoder``,
``nn.TransformerDecoder`` and ``nn.Transformer``, built from nncalc's own modules with torch's child names
(``self_attn``, ``linear1``, ``dropout``, ``linear2``, ``norm1``…, ``layers.0``…) and torch's order of calls,
so every row matches the real model's modules.

An encoder layer holds ``4·d² + 4·d`` (attention) ``+ 2·d·f + f + d`` (feed-forward) ``+ 4·d`` (two layer
norms) parameters for ``d_model = d`` and ``dim_feedforward = f``; a decoder layer adds a second attention and a
third norm. ``TransformerEncoder(layer, N)`` holds N deep copies of ``layer`` (the layer passed in is not
registered).
"""

from __future__ import annotations

from nncalc.frameworks.torch.attention import MultiheadAttention
from nncalc.frameworks.torch.containers import ModuleList
from nncalc.frameworks.torch.errors import TorchTypeError, check_int, shape_error
from nncalc.frameworks.torch.functional import functional_members
from nncalc.frameworks.torch.arguments import tensor_input
from nncalc.frameworks.torch.linear import Linear
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.normalization import LayerNorm
from nncalc.frameworks.torch.activation import Dropout
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.interpreter.limits import HOST_LAYER_STEPS, active_budget, number_text

_ACTIVATIONS = functional_members()


def activation_arg(value, layer):
    """``"relu"`` / ``"gelu"`` become ``F.relu`` / ``F.gelu`` (no module); a module or function stays."""
    if isinstance(value, str):
        if value not in ("relu", "gelu"):
            raise TorchTypeError(f"{layer._describe()}: activation should be relu/gelu, not {value}")
        return _ACTIVATIONS[value]
    if not callable(value):
        raise TorchTypeError(f"{layer._describe()}: activation must be 'relu', 'gelu', a module or a function, "
                             f"got {type(value).__name__}")
    return value


class _Block(Module):
    """What encoder and decoder layers share: their signature, the attentions (``_attentions``), the
    feed-forward part, ``_norms`` layer norms and as many dropouts, in torch's order of registration."""

    _attentions: tuple[str, ...] = ()
    _norms = 0

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu", layer_norm_eps=1e-05,
                 batch_first=False, norm_first=False, bias=True, device=None, dtype=None):
        super().__init__()
        check_int(dim_feedforward, "dim_feedforward", self, 1)
        for name in self._attentions:
            setattr(self, name, MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                                   batch_first=batch_first, dtype=dtype))
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
        self.norm_first = bool(norm_first)
        for i in range(1, self._norms + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype))
        for i in range(1, self._norms + 1):
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation = activation_arg(activation, self)

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal, drop):
        out = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False,
                             is_causal=is_causal)[0]
        return drop(out)

    def _ff_block(self, x, drop):
        return drop(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def _check_input(self, x, what: str) -> None:
        x = tensor_input(x, self)
        d_model = self.linear1.in_features
        if len(x._shape) not in (2, 3) or x._shape[-1] != d_model:
            layout = "(N, S, E)" if self.self_attn.batch_first else "(S, N, E)"
            raise shape_error(
                f"{self._describe()} expects {what} of shape {layout} with E = d_model = {d_model}, but got "
                f"{list(x._shape)}",
                "features",
                self,
                got=x._shape[-1] if x._shape else 0,
                expected=d_model,
            )


@builtin
class TransformerEncoderLayer(_Block):
    """``nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=relu,
    layer_norm_eps=1e-05, batch_first=False, norm_first=False, bias=True, device=None, dtype=None)``:
    self-attention then feed-forward, each with a residual connection and a layer norm."""

    _attentions = ("self_attn",)
    _norms = 2

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        self._check_input(src, "src")
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal, self.dropout1)
            return x + self._ff_block(self.norm2(x), self.dropout2)
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal, self.dropout1))
        return self.norm2(x + self._ff_block(x, self.dropout2))


@builtin
class TransformerDecoderLayer(_Block):
    """``nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=relu,
    layer_norm_eps=1e-05, batch_first=False, norm_first=False, bias=True, device=None, dtype=None)``:
    self-attention, attention over the encoder's ``memory``, then feed-forward."""

    _attentions = ("self_attn", "multihead_attn")
    _norms = 3

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        self._check_input(tgt, "tgt")
        self._check_input(memory, "memory")
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal, self.dropout1)
            x = x + self._mha_block(self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal)
            return x + self._ff_block(self.norm3(x), self.dropout3)
        x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal, self.dropout1))
        x = self.norm2(x + self._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal))
        return self.norm3(x + self._ff_block(x, self.dropout3))

    def _mha_block(self, x, memory, attn_mask, key_padding_mask, is_causal):
        out = self.multihead_attn(x, memory, memory, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                                  is_causal=is_causal, need_weights=False)[0]
        return self.dropout2(out)


def _clones(layer, count: int, owner) -> ModuleList:
    if not isinstance(layer, Module):
        raise TorchTypeError(f"{owner._describe()}: expected a layer module to copy, got {type(layer).__name__}")
    import copy  # lazily: slow to import, and only transformer stacks clone layers

    active_budget().reserve(count, f"{type(owner).__name__}(num_layers={number_text(count)})",
                            steps_each=HOST_LAYER_STEPS * len(getattr(layer, "__dict__", ())), items="layers")
    return ModuleList([copy.deepcopy(layer) for _ in range(count)])


@builtin
class TransformerEncoder(Module):
    """``nn.TransformerEncoder(encoder_layer, num_layers, norm=None, enable_nested_tensor=True,
    mask_check=True)``: ``layers.0`` … ``layers.{N-1}``, deep copies of ``encoder_layer``, then ``norm``."""

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True):
        super().__init__()
        self.num_layers = check_int(num_layers, "num_layers", self)
        self.layers = _clones(encoder_layer, self.num_layers, self)
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        output = src
        for layer in self.layers:
            output = layer(output, src_mask=mask, is_causal=bool(is_causal), src_key_padding_mask=src_key_padding_mask)
        return self.norm(output) if self.norm is not None else output


@builtin
class TransformerDecoder(Module):
    """``nn.TransformerDecoder(decoder_layer, num_layers, norm=None)``: ``layers.0`` … then ``norm``."""

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__()
        self.num_layers = check_int(num_layers, "num_layers", self)
        self.layers = _clones(decoder_layer, self.num_layers, self)
        self.norm = norm

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False):
        output = tgt
        for layer in self.layers:
            output = layer(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                           tgt_key_padding_mask=tgt_key_padding_mask,
                           memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=bool(tgt_is_causal),
                           memory_is_causal=memory_is_causal)
        return self.norm(output) if self.norm is not None else output


@builtin
class Transformer(Module):
    """``nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
    dropout=0.1, activation=relu, custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-05,
    batch_first=False, norm_first=False, bias=True, device=None, dtype=None)``, called as
    ``model(src, tgt, …)``: ``encoder`` (with a final ``norm``) then ``decoder`` (with its ``norm``)."""

    def __init__(self, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
                 dropout=0.1, activation="relu", custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-05,
                 batch_first=False, norm_first=False, bias=True, device=None, dtype=None):
        super().__init__()
        options = dict(dropout=dropout, activation=activation, layer_norm_eps=layer_norm_eps,
                       batch_first=batch_first, norm_first=norm_first, bias=bias, dtype=dtype)

        def stack(custom, layer, stack_class, count):
            """``custom``, else ``count`` copies of ``layer`` with a final LayerNorm."""
            if custom is not None:
                return custom
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            return stack_class(layer(d_model, nhead, dim_feedforward, **options), count, norm)

        self.encoder = stack(custom_encoder, TransformerEncoderLayer, TransformerEncoder, num_encoder_layers)
        self.decoder = stack(custom_decoder, TransformerDecoderLayer, TransformerDecoder, num_decoder_layers)
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = bool(batch_first)

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None,
                tgt_key_padding_mask=None, memory_key_padding_mask=None, src_is_causal=None, tgt_is_causal=None,
                memory_is_causal=False):
        src, tgt = tensor_input(src, self), tensor_input(tgt, self)
        if len(src._shape) == 3 and len(tgt._shape) == 3:
            axis = 0 if self.batch_first else 1
            if src._shape[axis] != tgt._shape[axis]:
                raise shape_error(f"{self._describe()}: the batch number of src ({src._shape[axis]}) and tgt "
                                  f"({tgt._shape[axis]}) must be equal", "reshape", self)
        if src._shape[-1] != self.d_model or tgt._shape[-1] != self.d_model:
            raise shape_error(
                f"{self._describe()}: the feature number of src and tgt must be equal to d_model ({self.d_model}); "
                f"got src {list(src._shape)} and tgt {list(tgt._shape)}",
                "features", self, got=src._shape[-1], expected=self.d_model,
            )
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=tgt_is_causal,
                            memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz, device=None, dtype=None):
        """A ``(sz, sz)`` float mask (``-inf`` above the diagonal)."""
        if not isinstance(sz, int) or isinstance(sz, bool) or sz < 0:
            raise TorchTypeError(f"generate_square_subsequent_mask(): sz must be a non-negative int, got {sz!r}")
        return Tensor._make((sz, sz))
