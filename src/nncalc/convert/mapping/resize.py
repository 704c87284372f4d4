"""Spatial resizing without weights: Keras ``ZeroPadding1D/2D/3D`` ↔ torch ``nn.ZeroPad1d/2d/3d``; Keras
``UpSampling1D/2D/3D`` ↔ torch ``nn.Upsample(scale_factor=…)`` (nearest or bilinear)."""

from __future__ import annotations

from nncalc.convert.mapping import (
    KerasCode, Mapping, Raw, TorchCode, Unconvertible, bind, call_text, ints, register,
)


def read_keras_pad(layer, ctx) -> dict:
    return {"pairs": tuple(tuple(pair) for pair in layer.padding)}


def read_torch_pad(module, ctx) -> dict:
    rank = int(type(module).__name__[-2])
    padding = module.padding
    flat = (padding,) * (2 * rank) if isinstance(padding, int) else tuple(padding)
    if len(flat) != 2 * rank:
        raise Unconvertible(f"padding={padding!r} does not pad every spatial axis")
    pairs = tuple((flat[2 * i], flat[2 * i + 1]) for i in range(rank))  # torch lists the last axis first
    return {"pairs": tuple(reversed(pairs))}


def read_torch_pad_op(event, ctx) -> dict:
    a = bind(event, ["input", "pad", "mode", "value"], {"mode": "constant", "value": None})
    rank = len(ctx.input_shapes[0]) - 1
    flat = tuple(a["pad"])
    if a["mode"] != "constant" or a["value"] not in (None, 0, 0.0) or len(flat) > 2 * rank or any(p < 0 for p in flat):
        raise Unconvertible("only F.pad with zeros over spatial axes converts (ZeroPadding)")
    flat = flat + (0,) * (2 * rank - len(flat))
    pairs = tuple((flat[2 * i], flat[2 * i + 1]) for i in range(rank))
    return {"pairs": tuple(reversed(pairs))}


def write_torch_pad(op, ctx) -> TorchCode:
    pairs = op.attrs["pairs"]
    flat = tuple(p for pair in reversed(pairs) for p in pair)
    argument = flat[0] if len(set(flat)) == 1 else flat
    return TorchCode([("", call_text(f"nn.ZeroPad{len(pairs)}d", argument))],
                     lambda names, xs: f"self.{names[0]}({xs[0]})")


def write_keras_pad(op, ctx) -> KerasCode:
    pairs = op.attrs["pairs"]
    if all(a == b for a, b in pairs):
        padding = Raw(ints([a for a, _ in pairs]))
    else:
        padding = tuple(tuple(pair) for pair in pairs)
    return KerasCode([call_text(f"layers.ZeroPadding{len(pairs)}D", padding=padding, name=op.name)])


KERAS_MODES = {"nearest": "nearest", "bilinear": "bilinear"}


def read_keras_upsample(layer, ctx) -> dict:
    if layer.interpolation not in KERAS_MODES:
        raise Unconvertible(f"interpolation={layer.interpolation!r} has no nn.Upsample mode")
    return {"size": tuple(layer.size), "mode": layer.interpolation}


def read_torch_upsample(module, ctx) -> dict:
    if module.scale_factor is None or module.mode not in KERAS_MODES or module.align_corners:
        raise Unconvertible("only nn.Upsample(scale_factor=…, mode='nearest'/'bilinear') without align_corners "
                            "converts (Keras's UpSampling takes whole factors)")
    rank = len(ctx.input_shapes[0]) - 1
    factors = module.scale_factor if isinstance(module.scale_factor, tuple) else (module.scale_factor,) * rank
    if any(float(f) != int(f) for f in factors):
        raise Unconvertible(f"scale_factor={module.scale_factor}: Keras UpSampling takes whole factors")
    return {"size": tuple(int(f) for f in factors), "mode": module.mode}


def read_torch_interpolate(event, ctx) -> dict:
    a = bind(event, ["input", "size", "scale_factor", "mode", "align_corners"],
             {"size": None, "scale_factor": None, "mode": "nearest", "align_corners": None})
    rank = len(ctx.input_shapes[0]) - 1
    before, after = ctx.input_shapes[0][1:], ctx.output_shapes[0][1:]
    if a["mode"] not in KERAS_MODES or a["align_corners"] or any(o % i for i, o in zip(before, after)):
        raise Unconvertible("only F.interpolate by whole factors, mode 'nearest'/'bilinear', converts")
    return {"size": tuple(o // i for i, o in zip(before, after))[:rank], "mode": a["mode"]}


def write_torch_upsample(op, ctx) -> TorchCode:
    size = op.attrs["size"]
    factor = size[0] if len(set(size)) == 1 else size
    return TorchCode([("", call_text("nn.Upsample", scale_factor=factor, mode=op.attrs["mode"]))],
                     lambda names, xs: f"self.{names[0]}({xs[0]})")


def write_keras_upsample(op, ctx) -> KerasCode:
    rank = len(op.attrs["size"])
    interpolation = op.attrs["mode"] if op.attrs["mode"] != "nearest" else None
    return KerasCode([call_text(f"layers.UpSampling{rank}D", size=Raw(ints(op.attrs["size"])),
                                interpolation=interpolation, name=op.name)])


register(
    Mapping("zero_pad", keras_types=("ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"),
            torch_types=("ZeroPad1d", "ZeroPad2d", "ZeroPad3d"), torch_ops=("F.pad",), read_keras=read_keras_pad,
            read_torch=read_torch_pad, read_torch_op=read_torch_pad_op, write_torch=write_torch_pad, write_keras=write_keras_pad),
    Mapping("upsample", keras_types=("UpSampling1D", "UpSampling2D", "UpSampling3D"), torch_types=("Upsample",),
            torch_ops=("F.interpolate",), read_keras=read_keras_upsample, read_torch=read_torch_upsample,
            read_torch_op=read_torch_interpolate, write_torch=write_torch_upsample,
            write_keras=write_keras_upsample),
)
