"""Normalisation: Keras ``BatchNormalization``, ``LayerNormalization``, ``GroupNormalization`` ↔ torch
``nn.BatchNorm1d/2d/3d``, ``nn.LayerNorm``, ``nn.GroupNorm``.

What does not carry over by itself, and is written out explicitly:
- momentum means the opposite: Keras keeps ``momentum`` of the old statistics (0.99), torch takes ``momentum``
  of the new batch (0.1), so ``torch = 1 − keras``;
- epsilon defaults differ (Keras 1e-3, torch 1e-5), so the value is always written;
- Keras counts the moving mean and variance as non-trainable parameters; torch keeps them as buffers, so a
  Keras total is the torch parameters plus the running statistics.
"""

from __future__ import annotations

from nncalc.convert.mapping import KerasCode, Mapping, TorchCode, Unconvertible, call_text, register

STATS_NOTE = "Keras counts BatchNormalization's moving mean/variance as non-trainable parameters, torch as buffers"


def _is_channel_axis(axis, rank: int) -> bool:
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    return len(axes) == 1 and axes[0] % rank == rank - 1


def read_keras_batch(layer, ctx) -> dict:
    rank = len(ctx.input_shapes[0]) + 1
    if not _is_channel_axis(layer.axis, rank):
        raise Unconvertible(f"axis={layer.axis}: only the channel axis (-1) converts to torch's BatchNorm")
    if not layer.center == layer.scale:
        raise Unconvertible("center and scale differ: torch's affine= covers both or neither")
    return {"momentum": round(1 - layer.momentum, 10), "eps": layer.epsilon, "affine": layer.center}


def read_torch_batch(module, ctx) -> dict:
    if not module.track_running_stats:
        raise Unconvertible("track_running_stats=False: Keras BatchNormalization always keeps moving statistics")
    if module.momentum is None:
        raise Unconvertible("momentum=None (a cumulative average) has no Keras equivalent")
    return {"momentum": module.momentum, "eps": module.eps, "affine": module.affine}


def write_torch_batch(op, ctx) -> TorchCode:
    a = op.attrs
    shape = ctx.in_shape(op)
    features = ctx.in_channels(op)
    rank = max(len(shape) - 1, 1)
    kwargs = {"eps": a["eps"], "momentum": a["momentum"]}
    if not a["affine"]:
        kwargs["affine"] = False
    comments = [f"Keras momentum={round(1 - a['momentum'], 10)} is torch momentum={a['momentum']} (1 − it); "
                f"Keras epsilon={a['eps']} kept (torch's default is 1e-5)",
                STATS_NOTE]
    if len(shape) == 2 and not ctx.spatial(op.inputs[0]):
        raise Unconvertible("BatchNormalization over the last axis of a sequence: torch's BatchNorm1d normalises "
                            "axis 1; transpose first")
    return TorchCode([("", call_text(f"nn.BatchNorm{rank}d", features, **kwargs))],
                     lambda names, xs: f"self.{names[0]}({xs[0]})", comments)


def write_keras_batch(op, ctx) -> KerasCode:
    a = op.attrs
    kwargs = {"momentum": round(1 - a["momentum"], 10), "epsilon": a["eps"]}
    if not a["affine"]:
        kwargs.update(center=False, scale=False)
    comments = [f"torch momentum={a['momentum']} is Keras momentum={kwargs['momentum']} (1 − it); "
                f"torch eps={a['eps']} kept (Keras's default is 1e-3)",
                STATS_NOTE]
    return KerasCode([call_text("layers.BatchNormalization", **kwargs, name=op.name)], comments)


def read_keras_layer(layer, ctx) -> dict:
    if not _is_channel_axis(layer.axis, len(ctx.input_shapes[0]) + 1) or layer.rms_scaling:
        raise Unconvertible("only LayerNormalization over the last axis converts (torch normalises trailing dims)")
    if layer.center != layer.scale:
        raise Unconvertible("center and scale differ: torch's elementwise_affine= covers both or neither")
    return {"eps": layer.epsilon, "affine": layer.center}


def read_torch_layer(module, ctx) -> dict:
    if len(module.normalized_shape) != 1 or getattr(module, "bias", True) is None:
        raise Unconvertible("LayerNorm over several trailing dims (or without bias) has no Keras equivalent")
    return {"eps": module.eps, "affine": module.elementwise_affine}


def write_torch_layer(op, ctx) -> TorchCode:
    kwargs = {"eps": op.attrs["eps"]}
    if not op.attrs["affine"]:
        kwargs["elementwise_affine"] = False
    if ctx.spatial(op.inputs[0]):
        raise Unconvertible("LayerNormalization over image channels: torch's LayerNorm normalises the last axis "
                            "(width in NCHW)")
    return TorchCode([("", call_text("nn.LayerNorm", ctx.in_shape(op)[-1], **kwargs))],
                     lambda names, xs: f"self.{names[0]}({xs[0]})",
                     [f"Keras epsilon={op.attrs['eps']} kept (torch's default is 1e-5)"])


def write_keras_layer(op, ctx) -> KerasCode:
    if ctx.spatial(op.inputs[0]):
        raise Unconvertible("torch LayerNorm over the width of an NCHW image has no channels-last equivalent")
    kwargs = {"epsilon": op.attrs["eps"]}
    if not op.attrs["affine"]:
        kwargs.update(center=False, scale=False)
    return KerasCode([call_text("layers.LayerNormalization", **kwargs, name=op.name)],
                     [f"torch eps={op.attrs['eps']} kept (Keras's default is 1e-3)"])


def read_keras_group(layer, ctx) -> dict:
    if not _is_channel_axis(layer.axis, len(ctx.input_shapes[0]) + 1) or layer.center != layer.scale:
        raise Unconvertible("only GroupNormalization over the channel axis with center == scale converts")
    return {"groups": layer.groups, "eps": layer.epsilon, "affine": layer.center}


def read_torch_group(module, ctx) -> dict:
    return {"groups": module.num_groups, "eps": module.eps, "affine": module.affine}


def write_torch_group(op, ctx) -> TorchCode:
    kwargs = {"eps": op.attrs["eps"]}
    if not op.attrs["affine"]:
        kwargs["affine"] = False
    return TorchCode([("", call_text("nn.GroupNorm", op.attrs["groups"], ctx.in_channels(op), **kwargs))],
                     lambda names, xs: f"self.{names[0]}({xs[0]})")


def write_keras_group(op, ctx) -> KerasCode:
    kwargs = {"groups": op.attrs["groups"], "epsilon": op.attrs["eps"]}
    if not op.attrs["affine"]:
        kwargs.update(center=False, scale=False)
    return KerasCode([call_text("layers.GroupNormalization", **kwargs, name=op.name)])


register(
    Mapping("batch_norm", keras_types=("BatchNormalization",),
            torch_types=("BatchNorm1d", "BatchNorm2d", "BatchNorm3d"), read_keras=read_keras_batch,
            read_torch=read_torch_batch, write_torch=write_torch_batch, write_keras=write_keras_batch),
    Mapping("layer_norm", keras_types=("LayerNormalization",), torch_types=("LayerNorm",),
            read_keras=read_keras_layer, read_torch=read_torch_layer, write_torch=write_torch_layer,
            write_keras=write_keras_layer),
    Mapping("group_norm", keras_types=("GroupNormalization",), torch_types=("GroupNorm",),
            read_keras=read_keras_group, read_torch=read_torch_group, write_torch=write_torch_group,
            write_keras=write_keras_group),
)
