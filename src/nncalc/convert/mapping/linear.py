"""Fully connected layers: Keras ``Dense`` ↔ torch ``nn.Linear``; ``(inputs + 1) × outputs`` in both.

torch needs ``in_features``; the converter writes the computed number, with the factors when it comes from a
flatten (``nn.Linear(3136, 128)  # 16 × 14 × 14``).
"""

from __future__ import annotations

from nncalc.convert.mapping import KerasCode, Mapping, TorchCode, call_text, register
from nncalc.convert.mapping.activation import keras_argument


def read_keras(layer, ctx) -> dict:
    return {"units": layer.units, "bias": layer.use_bias, "activation": layer.activation}


def read_torch(module, ctx) -> dict:
    return {"units": module.out_features, "bias": module.bias is not None, "activation": None}


def write_torch(op, ctx) -> TorchCode:
    in_features = ctx.in_shape(op)[-1]
    kwargs = {} if op.attrs["bias"] else {"bias": False}
    trailing = ""
    source = ctx.producer(op.inputs[0])
    if source is not None and source.kind == "flatten":
        factors = ctx.in_shape(source)
        if len(factors) > 1:
            trailing = " × ".join(str(f) for f in factors)
    return TorchCode([("", call_text("nn.Linear", in_features, op.attrs["units"], **kwargs))],
                     lambda names, xs: f"self.{names[0]}({xs[0]})", trailing=trailing)


def write_keras(op, ctx) -> KerasCode:
    kwargs = {"activation": keras_argument(op.attrs)}
    if not op.attrs["bias"]:
        kwargs["use_bias"] = False
    return KerasCode([call_text("layers.Dense", op.attrs["units"], **kwargs, name=op.name)])


register(Mapping("dense", keras_types=("Dense",), torch_types=("Linear",), read_keras=read_keras,
                 read_torch=read_torch, write_torch=write_torch, write_keras=write_keras, takes_activation=True))
