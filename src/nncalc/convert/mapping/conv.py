"""Convolutions: Keras ``Conv1D/2D/3D``, ``DepthwiseConv2D``, ``SeparableConv2D``, ``Conv2DTranspose`` ↔ torch
``nn.Conv1d/2d/3d``, ``nn.ConvTranspose1d/2d/3d``.

Parameters match exactly (kernel ``(k…, C_in/g, C_out)`` in Keras, ``(C_out, C_in/g, k…)`` in torch, one bias).
Padding differs: Keras has ``"valid"``/``"same"`` (``"same"`` with stride > 1 pads the odd pixel at the bottom
and right), torch a symmetric integer (``padding="same"`` only with stride 1).
"""

from __future__ import annotations

from nncalc.convert.mapping import (
    KerasCode, Mapping, Raw, TorchCode, Unconvertible, call_text, ints, register,
)
from nncalc.convert.mapping.activation import keras_argument
from nncalc.convert.mapping.padding import same_pads, torch_padding_as_keras


def read_keras(layer, ctx) -> dict:
    rank = len(layer.kernel_size)
    if layer.padding not in ("valid", "same"):
        raise Unconvertible(f"padding={layer.padding!r} has no torch equivalent in nn.Conv{rank}d")
    if layer.data_format != "channels_last":
        raise Unconvertible("data_format='channels_first' Keras layers are not converted")
    if type(layer).__name__ == "DepthwiseConv2D":
        channels = ctx.input_shapes[0][-1]
        out_channels, groups = channels * layer.depth_multiplier, channels
    else:
        out_channels, groups = layer.filters, layer.groups
    return {
        "rank": rank, "out_channels": out_channels, "kernel": tuple(layer.kernel_size),
        "stride": tuple(layer.strides), "padding": layer.padding, "dilation": tuple(layer.dilation_rate),
        "groups": groups, "bias": layer.use_bias, "activation": layer.activation,
    }


def read_torch(module, ctx) -> dict:
    rank = len(module.kernel_size)
    if module.padding_mode != "zeros":
        raise Unconvertible(f"padding_mode={module.padding_mode!r}: Keras convolutions pad with zeros only")
    padding = module.padding if isinstance(module.padding, str) else tuple(module.padding)
    return {
        "rank": rank, "out_channels": module.out_channels, "kernel": tuple(module.kernel_size),
        "stride": tuple(module.stride), "padding": padding, "dilation": tuple(module.dilation),
        "groups": module.groups, "bias": module.bias is not None, "activation": None,
    }


def write_torch(op, ctx) -> TorchCode:
    a = op.attrs
    rank = a["rank"]
    kwargs: dict = {"kernel_size": Raw(ints(a["kernel"]))}
    comments: list[str] = []
    modules: list[tuple[str, str]] = []
    if any(s != 1 for s in a["stride"]):
        kwargs["stride"] = Raw(ints(a["stride"]))
    if a["padding"] == "same":
        spatial = ctx.in_shape(op)[1:]
        pads = same_pads(spatial, a["kernel"], a["stride"], a["dilation"])
        if all(before == after for before, after in pads):
            if any(before for before, _ in pads):
                kwargs["padding"] = Raw(ints([before for before, _ in pads]))
        else:
            flat = [p for pair in reversed(pads) for p in pair]
            modules.append(("_pad", f"nn.ZeroPad{rank}d({tuple(flat)})"))
            comments.append(f"Keras padding='same' with stride {ints(a['stride'])} pads the odd pixel at the end; "
                            "torch pads symmetrically, so the padding is an explicit layer")
    if any(d != 1 for d in a["dilation"]):
        kwargs["dilation"] = Raw(ints(a["dilation"]))
    if a["groups"] != 1:
        kwargs["groups"] = a["groups"]
    if not a["bias"]:
        kwargs["bias"] = False
    modules.append(("", call_text(f"nn.Conv{rank}d", ctx.in_channels(op), a["out_channels"], **kwargs)))
    padded = len(modules) == 2
    return TorchCode(modules, lambda names, xs: f"self.{names[-1]}(self.{names[0]}({xs[0]}))" if padded
                     else f"self.{names[0]}({xs[0]})", comments)


def write_keras(op, ctx) -> KerasCode:
    a = op.attrs
    rank = a["rank"]
    layers: list[str] = []
    comments: list[str] = []
    padding = torch_padding_as_keras(a["padding"], a["kernel"], a["stride"], a["dilation"])
    if padding is None:
        layers.append(call_text(f"layers.ZeroPadding{rank}D", padding=Raw(ints(a["padding"])), name=f"{op.name}_pad"))
        padding = "valid"
        comments.append(f"torch padding={ints(a['padding'])} becomes an explicit ZeroPadding{rank}D")
    in_channels = ctx.in_channels(op)
    depthwise = a["groups"] == in_channels and a["groups"] > 1 and rank == 2
    kwargs: dict = {}
    if any(s != 1 for s in a["stride"]):
        kwargs["strides"] = Raw(ints(a["stride"]))
    if padding != "valid":
        kwargs["padding"] = padding
    if any(d != 1 for d in a["dilation"]):
        kwargs["dilation_rate"] = Raw(ints(a["dilation"]))
    if not a["bias"]:
        kwargs["use_bias"] = False
    kwargs["activation"] = keras_argument(a)
    if depthwise:
        multiplier = a["out_channels"] // in_channels
        if multiplier != 1:
            kwargs = {"depth_multiplier": multiplier, **kwargs}
        layers.append(call_text("layers.DepthwiseConv2D", Raw(ints(a["kernel"])), **kwargs, name=op.name))
    else:
        if a["groups"] != 1:
            kwargs["groups"] = a["groups"]
        layers.append(call_text(f"layers.Conv{rank}D", a["out_channels"], Raw(ints(a["kernel"])), **kwargs,
                                name=op.name))
    return KerasCode(layers, comments)


def read_keras_separable(layer, ctx) -> dict:
    if layer.padding not in ("valid", "same") or any(s != 1 for s in layer.strides) and layer.padding == "same":
        raise Unconvertible("SeparableConv2D with padding='same' and stride > 1 is not converted")
    return {"rank": len(layer.kernel_size), "out_channels": layer.filters, "multiplier": layer.depth_multiplier,
            "kernel": tuple(layer.kernel_size), "stride": tuple(layer.strides), "padding": layer.padding,
            "dilation": tuple(layer.dilation_rate), "bias": layer.use_bias, "activation": layer.activation}


def write_torch_separable(op, ctx) -> TorchCode:
    """A depthwise convolution without bias, then a 1×1 convolution with the bias: Keras's parameters exactly."""
    a = op.attrs
    channels = ctx.in_channels(op)
    kwargs: dict = {"kernel_size": Raw(ints(a["kernel"]))}
    if any(s != 1 for s in a["stride"]):
        kwargs["stride"] = Raw(ints(a["stride"]))
    if a["padding"] == "same":
        kwargs["padding"] = "same"
    if any(d != 1 for d in a["dilation"]):
        kwargs["dilation"] = Raw(ints(a["dilation"]))
    depthwise = call_text(f"nn.Conv{a['rank']}d", channels, channels * a["multiplier"], **kwargs, groups=channels,
                          bias=False)
    pointwise = call_text(f"nn.Conv{a['rank']}d", channels * a["multiplier"], a["out_channels"], kernel_size=1,
                          **({} if a["bias"] else {"bias": False}))
    return TorchCode([("_depthwise", depthwise), ("_pointwise", pointwise)],
                     lambda names, xs: f"self.{names[1]}(self.{names[0]}({xs[0]}))",
                     ["Keras SeparableConv2D = a depthwise convolution (no bias) then a 1×1 convolution"])


def read_keras_transpose(layer, ctx) -> dict:
    if layer.output_padding is not None or any(d != 1 for d in layer.dilation_rate):
        raise Unconvertible("output_padding= / dilation_rate= of a Keras transposed convolution are not converted")
    if any(k < s for k, s in zip(layer.kernel_size, layer.strides)):
        raise Unconvertible("a kernel smaller than the stride: Keras pads the output, torch cannot")
    return {"rank": len(layer.kernel_size), "out_channels": layer.filters, "kernel": tuple(layer.kernel_size),
            "stride": tuple(layer.strides), "padding": layer.padding, "bias": layer.use_bias,
            "activation": layer.activation}


def read_torch_transpose(module, ctx) -> dict:
    kernel, stride = tuple(module.kernel_size), tuple(module.stride)
    padding, extra = tuple(module.padding), tuple(module.output_padding)
    if module.groups != 1 or any(d != 1 for d in module.dilation) or any(k < s for k, s in zip(kernel, stride)):
        raise Unconvertible("groups, dilation or a kernel smaller than the stride are not converted")
    if not any(padding) and not any(extra):
        mode = "valid"
    elif all((p, e) == _same_transpose(k, s) for p, e, k, s in zip(padding, extra, kernel, stride)):
        mode = "same"
    else:
        raise Unconvertible(f"padding={ints(padding)}, output_padding={ints(extra)}: Keras has 'valid' and 'same'")
    return {"rank": len(kernel), "out_channels": module.out_channels, "kernel": kernel, "stride": stride,
            "padding": mode, "bias": module.bias is not None, "activation": None}


def _same_transpose(kernel: int, stride: int) -> tuple[int, int]:
    """torch (padding, output_padding) giving Keras's ``padding="same"`` size, ``input × stride``."""
    padding = -(-(kernel - stride) // 2)
    return padding, 2 * padding - (kernel - stride)


def write_torch_transpose(op, ctx) -> TorchCode:
    a = op.attrs
    kwargs: dict = {"kernel_size": Raw(ints(a["kernel"]))}
    if any(s != 1 for s in a["stride"]):
        kwargs["stride"] = Raw(ints(a["stride"]))
    comments = []
    if a["padding"] == "same":
        pairs = [_same_transpose(k, s) for k, s in zip(a["kernel"], a["stride"])]
        if any(p for p, _ in pairs):
            kwargs["padding"] = Raw(ints([p for p, _ in pairs]))
        if any(e for _, e in pairs):
            kwargs["output_padding"] = Raw(ints([e for _, e in pairs]))
        comments.append("Keras padding='same': the same output size (input × stride) by padding/output_padding")
    if not a["bias"]:
        kwargs["bias"] = False
    return TorchCode([("", call_text(f"nn.ConvTranspose{a['rank']}d", ctx.in_channels(op), a["out_channels"],
                                     **kwargs))], lambda names, xs: f"self.{names[0]}({xs[0]})", comments)


def write_keras_transpose(op, ctx) -> KerasCode:
    a = op.attrs
    kwargs: dict = {}
    if any(s != 1 for s in a["stride"]):
        kwargs["strides"] = Raw(ints(a["stride"]))
    if a["padding"] == "same":
        kwargs["padding"] = "same"
    if not a["bias"]:
        kwargs["use_bias"] = False
    kwargs["activation"] = keras_argument(a)
    return KerasCode([call_text(f"layers.Conv{a['rank']}DTranspose", a["out_channels"], Raw(ints(a["kernel"])),
                                **kwargs, name=op.name)])


register(
    Mapping("separable_conv", keras_types=("SeparableConv1D", "SeparableConv2D"), read_keras=read_keras_separable,
            write_torch=write_torch_separable, takes_activation=True),
    Mapping("conv_transpose", keras_types=("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"),
            torch_types=("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"), read_keras=read_keras_transpose,
            read_torch=read_torch_transpose, write_torch=write_torch_transpose, write_keras=write_keras_transpose,
            takes_activation=True),
    Mapping("conv", keras_types=("Conv1D", "Conv2D", "Conv3D"), torch_types=("Conv1d", "Conv2d", "Conv3d"),
            read_keras=read_keras, read_torch=read_torch, write_torch=write_torch, write_keras=write_keras,
            takes_activation=True),
    Mapping("depthwise_conv", keras_types=("DepthwiseConv2D",), read_keras=read_keras,
            write_torch=write_torch, write_keras=write_keras, takes_activation=True),
)
