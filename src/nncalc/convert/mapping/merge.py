"""Merging tensors: Keras ``Add``/``Subtract``/``Multiply``/``Average``/``Maximum``/``Minimum``/``Concatenate``
↔ torch ``a + b``, ``a - b``, ``a * b``, ``(a + b) / 2``, ``torch.maximum``, ``torch.minimum``, ``torch.cat``.

Concatenation converts along the channel (feature) axis: Keras ``axis=-1`` is torch ``dim=1`` for images and
``dim=-1`` for features and sequences.
"""

from __future__ import annotations

from nncalc.convert.mapping import KerasCode, Mapping, TorchCode, Unconvertible, bind, call_text, register

ADD_OPS = ("Tensor.__add__", "Tensor.__radd__", "Tensor.__iadd__", "Tensor.add", "torch.add")
SUB_OPS = ("Tensor.__sub__", "Tensor.sub", "torch.sub")
MUL_OPS = ("Tensor.__mul__", "Tensor.__rmul__", "Tensor.__imul__", "Tensor.mul", "torch.mul")


def read_torch_binary(event, ctx) -> dict:
    if len(ctx.input_shapes) < 2:
        raise Unconvertible("an operation with a constant; only tensor + tensor / tensor * tensor convert")
    if len(set(ctx.input_shapes)) != 1:
        raise Unconvertible(f"broadcasting {ctx.input_shapes}: Keras merge layers need equal shapes")
    return {}


def read_keras_concat(layer, ctx) -> dict:
    rank = len(ctx.input_shapes[0]) + 1
    if layer.axis % rank != rank - 1:
        raise Unconvertible(f"Concatenate(axis={layer.axis}): only the channel/feature axis (-1) converts")
    return {}


def read_torch_cat(event, ctx) -> dict:
    dim = bind(event, ["tensors", "dim"], {"dim": 0})["dim"]
    rank = len(ctx.input_shapes[0]) + 1
    channel = 1 if rank >= 3 else rank - 1
    if dim % rank != channel:
        raise Unconvertible(f"torch.cat(dim={dim}): only the channel axis (dim=1) converts")
    return {}


def _torch_infix(symbol: str):
    def write(op, ctx) -> TorchCode:
        return TorchCode([], lambda names, xs: f" {symbol} ".join(xs))

    return write


def _keras_layer(kind: str):
    def write(op, ctx) -> KerasCode:
        return KerasCode([call_text(f"layers.{kind}", name=op.name)])

    return write


def _torch_call(template: str):
    def write(op, ctx) -> TorchCode:
        return TorchCode([], lambda names, xs: template.format(*xs, n=len(xs), joined=", ".join(xs),
                                                               summed=" + ".join(xs)))

    return write


def _torch_fold(function: str):
    """``torch.maximum(torch.maximum(a, b), c)`` for Keras's n-ary Maximum/Minimum."""
    def write(op, ctx) -> TorchCode:
        def call(names, xs):
            expression = xs[0]
            for x in xs[1:]:
                expression = f"{function}({expression}, {x})"
            return expression

        return TorchCode([], call)

    return write


def write_torch_concat(op, ctx) -> TorchCode:
    dim = 1 if ctx.spatial(op.inputs[0]) else -1
    return TorchCode([], lambda names, xs: f"torch.cat([{', '.join(xs)}], dim={dim})")


register(
    Mapping("add", keras_types=("Add",), torch_ops=ADD_OPS, read_keras=lambda layer, ctx: {},
            read_torch_op=read_torch_binary, write_torch=_torch_infix("+"), write_keras=_keras_layer("Add")),
    Mapping("multiply", keras_types=("Multiply",), torch_ops=MUL_OPS, read_keras=lambda layer, ctx: {},
            read_torch_op=read_torch_binary, write_torch=_torch_infix("*"), write_keras=_keras_layer("Multiply")),
    Mapping("subtract", keras_types=("Subtract",), torch_ops=SUB_OPS, read_keras=lambda layer, ctx: {},
            read_torch_op=read_torch_binary, write_torch=_torch_infix("-"), write_keras=_keras_layer("Subtract")),
    Mapping("average", keras_types=("Average",), read_keras=lambda layer, ctx: {},
            write_torch=_torch_call("({summed}) / {n}"), write_keras=_keras_layer("Average")),
    Mapping("maximum", keras_types=("Maximum",), torch_ops=("torch.maximum", "Tensor.maximum"),
            read_keras=lambda layer, ctx: {}, read_torch_op=read_torch_binary, write_torch=_torch_fold("torch.maximum"),
            write_keras=_keras_layer("Maximum")),
    Mapping("minimum", keras_types=("Minimum",), torch_ops=("torch.minimum", "Tensor.minimum"),
            read_keras=lambda layer, ctx: {}, read_torch_op=read_torch_binary, write_torch=_torch_fold("torch.minimum"),
            write_keras=_keras_layer("Minimum")),
    Mapping("concat", keras_types=("Concatenate",), torch_ops=("torch.cat", "torch.concat", "torch.concatenate"),
            read_keras=read_keras_concat, read_torch_op=read_torch_cat, write_torch=write_torch_concat,
            write_keras=_keras_layer("Concatenate")),
)
