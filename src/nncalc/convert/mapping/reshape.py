"""Shape-only layers: flatten, reshape, dropout, identity.

Flatten order: Keras flattens channels-last ``(H, W, C)``, torch channels-first ``(C, H, W)``; the following
dense layer has the same size and parameters, but its weights see the features in another order, so trained
weights cannot be copied across without permuting them. The converted code says so where it happens.
"""

from __future__ import annotations

from math import prod

from nncalc.convert.mapping import KerasCode, Mapping, TorchCode, Unconvertible, bind, call_text, register

FLATTEN_NOTE = "flatten order: Keras flattens (H, W, C), torch (C, H, W); same size, permute copied weights"


def read_keras_flatten(layer, ctx) -> dict:
    return {}


def read_torch_flatten(module, ctx) -> dict:
    if module.start_dim != 1 or module.end_dim != -1:
        raise Unconvertible(f"Flatten(start_dim={module.start_dim}, end_dim={module.end_dim}): only "
                            "Flatten(1, -1) converts")
    return {}


def read_torch_flatten_op(event, ctx):
    if event.name in ("torch.flatten", "Tensor.flatten"):
        a = bind(event, ["input", "start_dim", "end_dim"], {"start_dim": 0, "end_dim": -1})
        rank = len(ctx.input_shapes[0]) + 1
        if a["start_dim"] % rank == 1 and a["end_dim"] % rank == rank - 1:
            return "flatten", {}
        raise Unconvertible(f"flatten(start_dim={a['start_dim']}, end_dim={a['end_dim']}): only flatten(x, 1) "
                            "converts")
    target = ctx.output_shapes[0]
    if len(target) == 1 and len(ctx.input_shapes[0]) > 1:
        return "flatten", {}
    return "reshape", {"target": tuple(target)}


def write_torch_flatten(op, ctx) -> TorchCode:
    spatial = ctx.spatial(op.inputs[0]) and len(ctx.in_shape(op)) > 1
    return TorchCode([], lambda names, xs: f"torch.flatten({xs[0]}, 1)", [FLATTEN_NOTE] if spatial else [])


def write_keras_flatten(op, ctx) -> KerasCode:
    spatial = ctx.spatial(op.inputs[0]) and len(ctx.in_shape(op)) > 1
    return KerasCode([call_text("layers.Flatten", name=op.name)], [FLATTEN_NOTE] if spatial else [])


def read_keras_reshape(layer, ctx) -> dict:
    return {"target": tuple(ctx.output_shapes[0])}


def read_torch_unflatten(module, ctx) -> dict:
    if module.dim not in (1, -len(ctx.input_shapes[0])):
        raise Unconvertible(f"Unflatten(dim={module.dim}): only unflattening the features (dim=1) converts")
    return {"target": tuple(ctx.output_shapes[0])}


def _layout_note(op, ctx) -> list[str]:
    if ctx.spatial(op.inputs[0]) or ctx.spatial(op.outputs[0]):
        return ["reshape between flat features and channels: the element order differs between layouts "
                "(same sizes and parameters)"]
    return []


def write_torch_reshape(op, ctx) -> TorchCode:
    target = ctx.out_shape(op)
    sizes = ", ".join(str(s) for s in target)
    return TorchCode([], lambda names, xs: f"{xs[0]}.reshape(-1, {sizes})", _layout_note(op, ctx))


def write_keras_reshape(op, ctx) -> KerasCode:
    target = ctx.out_shape(op)
    if prod(target) != prod(ctx.in_shape(op)):
        raise Unconvertible("reshape changes the batch axis; Keras's Reshape keeps it")
    return KerasCode([call_text("layers.Reshape", tuple(target), name=op.name)], _layout_note(op, ctx))


def read_keras_dropout(layer, ctx) -> dict:
    return {"rate": layer.rate, "spatial": type(layer).__name__.startswith("Spatial")}


def read_torch_dropout(module, ctx) -> dict:
    return {"rate": module.p, "spatial": type(module).__name__ in ("Dropout1d", "Dropout2d", "Dropout3d")}


def read_torch_dropout_op(event, ctx) -> dict:
    a = bind(event, ["input", "p", "training"], {"p": 0.5, "training": True})
    return {"rate": a["p"], "spatial": event.name in ("F.dropout1d", "F.dropout2d", "F.dropout3d")}


def write_torch_dropout(op, ctx) -> TorchCode:
    kind = f"Dropout{len(ctx.in_shape(op)) - 1}d" if op.attrs["spatial"] else "Dropout"
    return TorchCode([("", call_text(f"nn.{kind}", op.attrs["rate"]))], lambda names, xs: f"self.{names[0]}({xs[0]})")


def write_keras_dropout(op, ctx) -> KerasCode:
    kind = f"SpatialDropout{len(ctx.in_shape(op)) - 1}D" if op.attrs["spatial"] else "Dropout"
    return KerasCode([call_text(f"layers.{kind}", op.attrs["rate"], name=op.name)])


def write_torch_identity(op, ctx) -> TorchCode:
    return TorchCode([("", "nn.Identity()")], lambda names, xs: f"self.{names[0]}({xs[0]})")


def write_keras_identity(op, ctx) -> KerasCode:
    return KerasCode([call_text("layers.Identity", name=op.name)])


register(
    Mapping("flatten", keras_types=("Flatten",), torch_types=("Flatten",),
            torch_ops=("torch.flatten", "Tensor.flatten", "Tensor.view", "Tensor.reshape", "torch.reshape"),
            read_keras=read_keras_flatten, read_torch=read_torch_flatten, read_torch_op=read_torch_flatten_op,
            write_torch=write_torch_flatten, write_keras=write_keras_flatten),
    Mapping("reshape", keras_types=("Reshape",), torch_types=("Unflatten",), read_keras=read_keras_reshape,
            read_torch=read_torch_unflatten, write_torch=write_torch_reshape, write_keras=write_keras_reshape),
    Mapping("dropout", keras_types=("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"),
            torch_types=("Dropout", "Dropout1d", "Dropout2d", "Dropout3d"),
            torch_ops=("F.dropout", "F.dropout1d", "F.dropout2d", "F.dropout3d"),
            read_keras=read_keras_dropout, read_torch=read_torch_dropout, read_torch_op=read_torch_dropout_op,
            write_torch=write_torch_dropout, write_keras=write_keras_dropout),
    Mapping("identity", keras_types=("Identity",), torch_types=("Identity",), read_keras=lambda layer, ctx: {},
            read_torch=lambda module, ctx: {}, write_torch=write_torch_identity, write_keras=write_keras_identity),
)
