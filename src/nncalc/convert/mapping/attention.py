"""Attention, Keras → PyTorch: ``MultiHeadAttention`` → ``nn.MultiheadAttention`` (when ``num_heads ×
key_dim`` is the query's features), ``Attention`` (unscaled dot product) written out with ``torch.softmax``."""

from __future__ import annotations

from nncalc.convert.mapping import Mapping, TorchCode, Unconvertible, call_text, register


def read_keras_mha(layer, ctx) -> dict:
    shapes = ctx.input_shapes
    embed = shapes[0][-1]
    if layer.num_heads * layer.key_dim != embed or layer.value_dim != layer.key_dim:
        raise Unconvertible(f"num_heads × key_dim = {layer.num_heads} × {layer.key_dim} ≠ the query's {embed} "
                            "features: torch's MultiheadAttention projects to embed_dim = num_heads × head_dim")
    if layer.output_shape_arg is not None:
        raise Unconvertible("output_shape= has no torch equivalent")
    kdim = shapes[2][-1] if len(shapes) > 2 else shapes[1][-1] if len(shapes) > 1 else embed
    vdim = shapes[1][-1] if len(shapes) > 1 else embed
    return {"embed": embed, "heads": layer.num_heads, "bias": layer.use_bias, "dropout": layer.dropout,
            "kdim": kdim, "vdim": vdim}


def write_torch_mha(op, ctx) -> TorchCode:
    a = op.attrs
    kwargs = {"dropout": a["dropout"] or None, "bias": None if a["bias"] else False, "batch_first": True,
              "kdim": a["kdim"] if a["kdim"] != a["embed"] else None,
              "vdim": a["vdim"] if a["vdim"] != a["embed"] else None}
    code = TorchCode([("", call_text("nn.MultiheadAttention", a["embed"], a["heads"], **kwargs))],
                     lambda names, xs: "")

    def lines(names, xs, out):
        query, value = xs[0], xs[1] if len(xs) > 1 else xs[0]
        key = xs[2] if len(xs) > 2 else value
        return [f"{out}, _ = self.{names[0]}({query}, {key}, {value}, need_weights=False)"]

    code.lines = lines
    return code


def read_keras_attention(layer, ctx) -> dict:
    if layer.use_scale or layer.score_mode != "dot":
        raise Unconvertible("Attention(use_scale=True) or score_mode='concat' has no torch function")
    return {}


def write_torch_attention(op, ctx) -> TorchCode:
    def call(names, xs):
        query, value = xs[0], xs[1] if len(xs) > 1 else xs[0]
        key = xs[2] if len(xs) > 2 else value
        return f"torch.softmax({query} @ {key}.transpose(1, 2), dim=-1) @ {value}"

    return TorchCode([], call, ["Keras Attention: unscaled dot-product attention, written out"])


register(
    Mapping("multi_head_attention", keras_types=("MultiHeadAttention",), read_keras=read_keras_mha,
            write_torch=write_torch_mha),
    Mapping("attention", keras_types=("Attention",), read_keras=read_keras_attention,
            write_torch=write_torch_attention),
)
