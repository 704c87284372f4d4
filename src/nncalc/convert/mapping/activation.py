"""Activations: Keras ``Activation``/``ReLU``/``Softmax``… and ``activation=`` arguments; torch ``nn.ReLU``…,
``torch.relu``, ``F.relu``, ``x.relu()``. Neutral names are Keras's (``relu``, ``softmax``, ``leaky_relu``)."""

from __future__ import annotations

from nncalc.convert.mapping import (
    KerasCode, Mapping, TorchCode, Unconvertible, bind, call_text, register,
)

TORCH_EXPRESSIONS = {
    "relu": "torch.relu({x})", "sigmoid": "torch.sigmoid({x})", "tanh": "torch.tanh({x})",
    "softmax": "torch.softmax({x}, dim={dim})", "log_softmax": "torch.log_softmax({x}, dim={dim})",
    "gelu": "F.gelu({x})", "silu": "F.silu({x})", "swish": "F.silu({x})", "elu": "F.elu({x}, alpha={alpha})",
    "selu": "F.selu({x})", "softplus": "F.softplus({x})", "softsign": "F.softsign({x})", "relu6": "F.relu6({x})",
    "leaky_relu": "F.leaky_relu({x}, negative_slope={slope})", "hard_sigmoid": "F.hardsigmoid({x})",
    "hard_swish": "F.hardswish({x})", "hard_silu": "F.hardswish({x})", "mish": "F.mish({x})", "linear": "{x}",
}
"""Every activation nncalc can write for torch (Keras's ``hard_sigmoid`` is ``relu6(x + 3) / 6``, torch's too)."""

TORCH_MODULES = {
    "ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softmax": "softmax", "LogSoftmax": "log_softmax",
    "GELU": "gelu", "SiLU": "silu", "ELU": "elu", "SELU": "selu", "Softplus": "softplus", "Softsign": "softsign",
    "ReLU6": "relu6", "LeakyReLU": "leaky_relu", "Hardsigmoid": "hard_sigmoid", "Hardswish": "hard_silu",
    "Mish": "mish",
}
TORCH_FUNCTIONS = {
    "relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh", "softmax": "softmax", "log_softmax": "log_softmax",
    "gelu": "gelu", "silu": "silu", "elu": "elu", "selu": "selu", "softplus": "softplus", "softsign": "softsign",
    "relu6": "relu6", "leaky_relu": "leaky_relu", "hardsigmoid": "hard_sigmoid", "hardswish": "hard_silu",
    "mish": "mish",
}
TORCH_OPS = {f"{prefix}.{name}": neutral for name, neutral in TORCH_FUNCTIONS.items()
             for prefix in ("torch", "F", "Tensor")}

SOFTMAX_LIKE = ("softmax", "log_softmax")


def torch_expression(name: str, x: str, attrs: dict, spatial: bool) -> str:
    """The torch expression applying activation ``name`` to ``x``."""
    template = TORCH_EXPRESSIONS.get(name)
    if template is None:
        raise Unconvertible(f"activation {name!r} has no PyTorch function nncalc knows")
    return template.format(x=x, dim=1 if spatial else -1, alpha=attrs.get("alpha", 1.0),
                           slope=attrs.get("negative_slope", 0.2))


def keras_argument(attrs: dict) -> str | None:
    """An ``activation=`` value for Keras, or None when it needs its own layer (parameters, a non-default
    slope) or there is none."""
    name = attrs.get("activation")
    if name in (None, "linear"):
        return None
    return name


def _softmax_axis(dim, rank: int, spatial: bool) -> None:
    channel = 1 if spatial else rank - 1
    if dim is None or dim % rank != channel:
        raise Unconvertible(f"softmax over dim={dim}: only the channel/feature axis converts (dim={channel})")


SECOND_ARGUMENT = {"softmax": "dim", "log_softmax": "dim", "leaky_relu": "negative_slope", "elu": "alpha"}
"""The one setting an activation has besides its input: its name as a module attribute and as an argument."""


def _torch_attrs(name: str, ctx, settings: dict) -> dict:
    attrs = {"activation": name}
    if name in SOFTMAX_LIKE:
        rank = len(ctx.input_shapes[0]) + 1
        _softmax_axis(settings.get("dim"), rank, rank >= 3)
    if name == "leaky_relu":
        attrs["negative_slope"] = settings.get("negative_slope", 0.01)
    if name == "elu":
        attrs["alpha"] = settings.get("alpha", 1.0)
    return attrs


def read_torch(module, ctx) -> dict:
    name = TORCH_MODULES[type(module).__name__]
    setting = SECOND_ARGUMENT.get(name)
    return _torch_attrs(name, ctx, {setting: getattr(module, setting)} if setting else {})


def read_torch_op(event, ctx) -> dict:
    name = TORCH_OPS[event.name]
    setting = SECOND_ARGUMENT.get(name)
    return _torch_attrs(name, ctx, bind(event, ["input", setting] if setting else ["input"], {}))


KERAS_SIMPLE = {"ReLU": "relu", "Softmax": "softmax", "LeakyReLU": "leaky_relu", "ELU": "elu"}


def read_keras(layer, ctx) -> dict:
    kind = type(layer).__name__
    if kind == "Activation":
        return {"activation": layer.activation or "linear"}
    if kind == "ReLU" and (layer.max_value is not None or layer.negative_slope or layer.threshold):
        if layer.max_value == 6 and not layer.negative_slope and not layer.threshold:
            return {"activation": "relu6"}
        raise Unconvertible("ReLU with max_value/negative_slope/threshold other than relu6 has no torch layer")
    attrs = {"activation": KERAS_SIMPLE[kind]}
    if kind == "Softmax" and layer.axis not in (-1, len(ctx.input_shapes[0])):
        raise Unconvertible(f"Softmax(axis={layer.axis}): only the last axis converts")
    if kind == "LeakyReLU":
        attrs["negative_slope"] = layer.negative_slope
    if kind == "ELU":
        attrs["alpha"] = layer.alpha
    return attrs


def write_torch(op, ctx) -> TorchCode:
    name = op.attrs["activation"]
    spatial = ctx.spatial(op.inputs[0])
    torch_expression(name, "x", op.attrs, spatial)  # raises for an unknown one
    return TorchCode([], lambda attrs, xs: torch_expression(name, xs[0], op.attrs, spatial))


def write_keras(op, ctx) -> KerasCode:
    name = op.attrs["activation"]
    if name == "softmax":
        return KerasCode([call_text("layers.Softmax", name=op.name)])
    if name == "leaky_relu":
        return KerasCode([call_text("layers.LeakyReLU", negative_slope=op.attrs["negative_slope"], name=op.name)])
    if name == "elu":
        return KerasCode([call_text("layers.ELU", alpha=op.attrs["alpha"], name=op.name)])
    return KerasCode([call_text("layers.Activation", name, name=op.name)])


register(Mapping(
    "activation",
    keras_types=("Activation", "ReLU", "Softmax", "LeakyReLU", "ELU"),
    torch_types=tuple(TORCH_MODULES),
    torch_ops=tuple(TORCH_OPS),
    read_keras=read_keras, read_torch=read_torch, read_torch_op=read_torch_op,
    write_torch=write_torch, write_keras=write_keras,
))
