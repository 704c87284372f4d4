"""Pooling: Keras ``MaxPooling2D``/``AveragePooling2D`` (1D–3D), ``GlobalAveragePooling2D``/``GlobalMaxPooling2D``
↔ torch ``nn.MaxPool2d``/``nn.AvgPool2d``, ``nn.AdaptiveAvgPool2d``, ``F.max_pool2d``, ``F.avg_pool2d``,
``F.adaptive_avg_pool2d``. No parameters; only the padding conventions differ."""

from __future__ import annotations

from nncalc.convert.mapping import (
    KerasCode, Mapping, Raw, TorchCode, Unconvertible, as_tuple, bind, call_text, ints, register,
)
from nncalc.convert.mapping.padding import same_pads, torch_padding_as_keras

KERAS_POOLS = {f"{kind}Pooling{r}D": (op, r) for kind, op in (("Max", "max"), ("Average", "avg")) for r in (1, 2, 3)}
KERAS_GLOBAL = {f"Global{kind}Pooling{r}D": (op, r) for kind, op in (("Max", "max"), ("Average", "avg"))
                for r in (1, 2, 3)}
TORCH_POOLS = {f"{kind}Pool{r}d": (op, r) for kind, op in (("Max", "max"), ("Avg", "avg")) for r in (1, 2, 3)}
TORCH_ADAPTIVE = {f"Adaptive{kind}Pool{r}d": (op, r) for kind, op in (("Max", "max"), ("Avg", "avg"))
                  for r in (1, 2, 3)}
POOL_OPS = {f"F.{op}_pool{r}d": (op, r) for op in ("max", "avg") for r in (1, 2, 3)}
ADAPTIVE_OPS = {f"F.adaptive_{op}_pool{r}d": (op, r) for op in ("max", "avg") for r in (1, 2, 3)}


def read_keras(layer, ctx) -> dict:
    op, rank = KERAS_POOLS[type(layer).__name__]
    if layer.data_format != "channels_last":
        raise Unconvertible("data_format='channels_first' Keras layers are not converted")
    return {"op": op, "rank": rank, "kernel": tuple(layer.pool_size), "stride": tuple(layer.strides),
            "padding": layer.padding}


def _torch_pool(op, rank, kernel, stride, padding, ceil_mode, ctx, include_pad=True) -> dict:
    kernel = as_tuple(kernel, rank)
    stride = as_tuple(stride if stride not in (None, []) else kernel, rank)
    padding = as_tuple(padding, rank)
    sizes = ctx.input_shapes[0][1:]
    if ceil_mode:
        floor = [(n + 2 * p - k) // s + 1 for n, k, s, p in zip(sizes, kernel, stride, padding)]
        ceil = [-(-(n + 2 * p - k) // s) + 1 for n, k, s, p in zip(sizes, kernel, stride, padding)]
        if floor == ceil:
            ceil_mode = False
        elif any(padding) or ceil != [-(-n // s) for n, s in zip(sizes, stride)]:
            raise Unconvertible("ceil_mode=True with these sizes has no Keras padding equivalent")
        else:
            return {"op": op, "rank": rank, "kernel": kernel, "stride": stride, "padding": "same"}
    if op == "avg" and any(padding) and not include_pad:
        raise Unconvertible("count_include_pad=False with padding: Keras averages over zero padding")
    return {"op": op, "rank": rank, "kernel": kernel, "stride": stride, "padding": padding}


def read_torch(module, ctx) -> dict:
    op, rank = TORCH_POOLS[type(module).__name__]
    return _torch_pool(op, rank, module.kernel_size, module.stride, module.padding, module.ceil_mode, ctx,
                       getattr(module, "count_include_pad", True))


def read_torch_op(event, ctx) -> dict:
    op, rank = POOL_OPS[event.name]
    a = bind(event, ["input", "kernel_size", "stride", "padding"], {"stride": None, "padding": 0, "ceil_mode": False,
                                                                     "count_include_pad": True})
    return _torch_pool(op, rank, a["kernel_size"], a["stride"], a["padding"], a["ceil_mode"], ctx,
                       a["count_include_pad"])


def write_torch(op, ctx) -> TorchCode:
    a = op.attrs
    rank, kind = a["rank"], "MaxPool" if a["op"] == "max" else "AvgPool"
    kwargs: dict = {}
    comments: list[str] = []
    if a["stride"] != a["kernel"]:
        kwargs["stride"] = Raw(ints(a["stride"]))
    if a["padding"] == "same":
        sizes = ctx.in_shape(op)[1:]
        pads = same_pads(sizes, a["kernel"], a["stride"], (1,) * rank)
        if any(before != after for before, after in pads):
            if any(before for before, _ in pads):
                raise Unconvertible("padding='same' here pads unevenly on both sides; torch pooling cannot")
            kwargs["ceil_mode"] = True
            comments.append("Keras padding='same' pads the last row/column; torch's ceil_mode=True does the same")
        elif any(before for before, _ in pads):
            kwargs["padding"] = Raw(ints([before for before, _ in pads]))
            if a["op"] == "avg":
                kwargs["count_include_pad"] = False
    return TorchCode([("", call_text(f"nn.{kind}{rank}d", Raw(ints(a["kernel"])), **kwargs))],
                     lambda names, xs: f"self.{names[0]}({xs[0]})", comments)


def write_keras(op, ctx) -> KerasCode:
    a = op.attrs
    rank, kind = a["rank"], "MaxPooling" if a["op"] == "max" else "AveragePooling"
    layers, comments = [], []
    padding = torch_padding_as_keras(a["padding"], a["kernel"], a["stride"], (1,) * rank) if a["padding"] != "same" \
        else "same"
    if padding is None or (padding == "same" and a["padding"] != "same" and a["op"] == "avg"):
        layers.append(call_text(f"layers.ZeroPadding{rank}D", padding=Raw(ints(a["padding"])), name=f"{op.name}_pad"))
        padding = "valid"
        if a["op"] == "max":
            comments.append("torch max pooling pads with -inf, Keras's ZeroPadding with 0: equal after a ReLU")
    kwargs: dict = {"strides": Raw(ints(a["stride"]))} if a["stride"] != a["kernel"] else {}
    if padding == "same":
        kwargs["padding"] = "same"
    layers.append(call_text(f"layers.{kind}{rank}D", Raw(ints(a["kernel"])), **kwargs, name=op.name))
    return KerasCode(layers, comments)


def read_keras_global(layer, ctx) -> dict:
    op, rank = KERAS_GLOBAL[type(layer).__name__]
    return {"op": op, "rank": rank, "keepdims": layer.keepdims}


def _adaptive(op, rank, output_size, ctx) -> tuple[str, dict]:
    output = as_tuple(output_size, rank)
    sizes = ctx.input_shapes[0][1:]
    output = tuple(n if o is None else o for n, o in zip(sizes, output))
    if all(o == 1 for o in output):
        return "global_pool", {"op": op, "rank": rank, "keepdims": True}
    if all(n % o == 0 for n, o in zip(sizes, output)):
        kernel = tuple(n // o for n, o in zip(sizes, output))
        return "pool", {"op": op, "rank": rank, "kernel": kernel, "stride": kernel, "padding": (0,) * rank}
    raise Unconvertible(f"adaptive pooling from {sizes} to {output} has uneven windows; Keras has no equivalent")


def read_torch_adaptive(module, ctx):
    op, rank = TORCH_ADAPTIVE[type(module).__name__]
    return _adaptive(op, rank, module.output_size, ctx)


def read_torch_adaptive_op(event, ctx):
    op, rank = ADAPTIVE_OPS[event.name]
    return _adaptive(op, rank, bind(event, ["input", "output_size"], {})["output_size"], ctx)


def write_torch_global(op, ctx) -> TorchCode:
    a = op.attrs
    kind = "AdaptiveMaxPool" if a["op"] == "max" else "AdaptiveAvgPool"
    module = ("", f"nn.{kind}{a['rank']}d(1)")
    if a["keepdims"]:
        return TorchCode([module], lambda names, xs: f"self.{names[0]}({xs[0]})")
    return TorchCode([module], lambda names, xs: f"torch.flatten(self.{names[0]}({xs[0]}), 1)")


def write_keras_global(op, ctx) -> KerasCode:
    a = op.attrs
    kind = "GlobalMaxPooling" if a["op"] == "max" else "GlobalAveragePooling"
    keepdims = True if a["keepdims"] else None
    return KerasCode([call_text(f"layers.{kind}{a['rank']}D", keepdims=keepdims, name=op.name)])


register(
    Mapping("pool", keras_types=tuple(KERAS_POOLS), torch_types=tuple(TORCH_POOLS), torch_ops=tuple(POOL_OPS),
            read_keras=read_keras, read_torch=read_torch, read_torch_op=read_torch_op, write_torch=write_torch,
            write_keras=write_keras),
    Mapping("global_pool", keras_types=tuple(KERAS_GLOBAL), torch_types=tuple(TORCH_ADAPTIVE),
            torch_ops=tuple(ADAPTIVE_OPS), read_keras=read_keras_global, read_torch=read_torch_adaptive,
            read_torch_op=read_torch_adaptive_op, write_torch=write_torch_global, write_keras=write_keras_global),
)
