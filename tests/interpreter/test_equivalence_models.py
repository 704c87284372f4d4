"""The interpreter against CPython, whole pieces of model files: the shape and channel arithmetic of VGG, ResNet,
MobileNet, DenseNet, EfficientNet, UNet and ViT configurations, layer builders and init loops, written the way model
files use them. Each program runs under real ``exec`` (this test's own trusted source) and under ``run_source``;
``result`` must come out the same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "shape_arithmetic_like_model_files": """
        import math
        def conv_out(size, kernel, stride=1, padding=0, dilation=1):
            return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
        def make_divisible(v, divisor=8, min_value=None):
            if min_value is None:
                min_value = divisor
            new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
            if new_v < 0.9 * v:
                new_v += divisor
            return new_v
        def round_filters(filters, width=1.1, divisor=8):
            filters *= width
            new = max(divisor, int(filters + divisor / 2) // divisor * divisor)
            return int(new + divisor) if new < 0.9 * filters else int(new)
        def round_repeats(repeats, depth=1.2):
            return int(math.ceil(depth * repeats))
        sizes = [224]
        for k, s, p in [(7, 2, 3), (3, 2, 1), (3, 1, 1), (3, 2, 1)]:
            sizes.append(conv_out(sizes[-1], k, s, p))
        result = (sizes, [make_divisible(c * 0.75) for c in (16, 24, 32, 64, 96, 160, 320)],
                  [round_filters(c) for c in (32, 16, 24, 40)], [round_repeats(r) for r in (1, 2, 3, 4)],
                  [make_divisible(c, 8) for c in (3, 11, 100.5)], 1280 * max(1.0, 1.4))
    """,
    "list_comprehension_of_layers_config": """
        cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M"]
        def make_layers(cfg, batch_norm=False):
            layers = []
            in_channels = 3
            for v in cfg:
                if v == "M":
                    layers += [("pool", 2)]
                else:
                    conv = ("conv", in_channels, v)
                    layers += [conv, ("bn", v), ("relu",)] if batch_norm else [conv, ("relu",)]
                    in_channels = v
            return layers
        layers = make_layers(cfg, batch_norm=True)
        params = sum(9 * l[1] * l[2] + l[2] for l in layers if l[0] == "conv")
        result = (len(layers), params, [l[0] for l in layers][:6])
    """,
    "resnet_make_layer_pattern": """
        class BasicBlock:
            expansion = 1
            def __init__(self, inplanes, planes, stride=1, downsample=None):
                self.inplanes, self.planes, self.stride, self.downsample = inplanes, planes, stride, downsample
        class Bottleneck(BasicBlock):
            expansion = 4
        class ResNet:
            def __init__(self, block, layers, width=64):
                self.inplanes = width
                self.stages = [self._make_layer(block, width * 2 ** i, n, stride=1 if i == 0 else 2) for i,
                               n in enumerate(layers)]
            def _make_layer(self, block, planes, blocks, stride=1):
                downsample = None
                if stride != 1 or self.inplanes != planes * block.expansion:
                    downsample = ("conv1x1", self.inplanes, planes * block.expansion, stride)
                layers = [block(self.inplanes, planes, stride, downsample)]
                self.inplanes = planes * block.expansion
                for _ in range(1, blocks):
                    layers.append(block(self.inplanes, planes))
                return layers
        def describe(net):
            return [[(b.inplanes, b.planes, b.stride, b.downsample) for b in stage] for stage in net.stages]
        result = (describe(ResNet(BasicBlock, [2, 2])), describe(ResNet(Bottleneck, [1, 2, 1]))[-1],
                  ResNet(Bottleneck, [3]).inplanes)
    """,
    "mobilenet_inverted_residual_settings": """
        def _make_divisible(v, divisor, min_value=None):
            if min_value is None:
                min_value = divisor
            new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
            if new_v < 0.9 * v:
                new_v += divisor
            return new_v
        settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                    [6, 320, 1, 1]]
        def blocks(width_mult=1.0):
            input_channel = _make_divisible(32 * width_mult, 8)
            out = []
            for t, c, n, s in settings:
                output_channel = _make_divisible(c * width_mult, 8)
                for i in range(n):
                    stride = s if i == 0 else 1
                    out.append((input_channel, output_channel, stride, t, round(input_channel * t)))
                    input_channel = output_channel
            return out
        result = (blocks(), blocks(0.35)[:4], len(blocks(1.4)), _make_divisible(1280 * 1.4, 8))
    """,
    "densenet_growth_arithmetic": """
        def dense(block_config=(6, 12, 24, 16), growth_rate=32, num_init_features=64, bn_size=4):
            num_features = num_init_features
            trans = []
            for i, num_layers in enumerate(block_config):
                layer_inputs = [num_features + j * growth_rate for j in range(num_layers)]
                num_features = num_features + num_layers * growth_rate
                if i != len(block_config) - 1:
                    trans.append((num_features, num_features // 2))
                    num_features = num_features // 2
            return num_features, trans
        result = dense()
    """,
    "efficientnet_scaling": """
        import math
        from functools import partial
        base = [(1, 3, 1, 1, 32, 16, 1), (6, 3, 2, 2, 16, 24, 2), (6, 5, 2, 2, 24, 40, 2)]
        def adjust_channels(channels, width_mult, min_value=None):
            return _make_divisible(channels * width_mult, 8, min_value)
        def _make_divisible(v, divisor, min_value=None):
            if min_value is None:
                min_value = divisor
            new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
            if new_v < 0.9 * v:
                new_v += divisor
            return new_v
        def adjust_depth(num_layers, depth_mult):
            return int(math.ceil(num_layers * depth_mult))
        class Cfg:
            def __init__(self, expand_ratio, kernel, stride, input_channels, out_channels, num_layers, width_mult,
                         depth_mult):
                self.expand_ratio = expand_ratio
                self.kernel = kernel
                self.stride = stride
                self.input_channels = adjust_channels(input_channels, width_mult)
                self.out_channels = adjust_channels(out_channels, width_mult)
                self.num_layers = adjust_depth(num_layers, depth_mult)
            def __repr__(self):
                fields = ", ".join(f"{k}={v}" for k, v in vars(self).items())
                return f"Cfg({fields})"
        bneck = partial(Cfg, width_mult=1.1, depth_mult=1.2)
        rows = [(b[0], b[2], b[1], b[3], b[4], b[5]) for b in base]
        result = [repr(bneck(e, k, s, i, o, n)) for (e, s, k, n, i, o) in rows]
    """,
    "unet_channel_bookkeeping": """
        def unet_channels(in_ch=3, base=64, depth=4, bilinear=True):
            factor = 2 if bilinear else 1
            downs = []
            ch = base
            skips = [ch]
            for i in range(1, depth + 1):
                out = base * 2 ** i // (factor if i == depth else 1)
                downs.append((ch, out))
                ch = out
                skips.append(ch)
            ups = []
            for i in reversed(range(depth)):
                skip = skips[i]
                out = base * 2 ** i // (factor if i else 1)
                ups.append((ch + skip, out))
                ch = out
            return downs, ups
        result = (unet_channels(), unet_channels(bilinear=False, depth=3, base=32))
    """,
    "init_loop_over_modules_with_isinstance": """
        class Module:
            def __init__(self):
                self.children = []
            def modules(self):
                yield self
                for c in self.children:
                    yield from c.modules()
        class Conv(Module):
            def __init__(self, c):
                super().__init__()
                self.c = c
                self.init = None
        class BN(Module):
            pass
        class Linear(Module):
            def __init__(self, n):
                super().__init__()
                self.n = n
                self.init = None
        class Block(Module):
            def __init__(self, c):
                super().__init__()
                self.children = [Conv(c), BN(), Conv(c)]
        class Net(Module):
            def __init__(self):
                super().__init__()
                self.children = [Block(8), Block(16), Linear(10)]
                for m in self.modules():
                    if isinstance(m, Conv):
                        m.init = ("kaiming", m.c)
                    elif isinstance(m, (BN, Linear)):
                        m.init = "constant"
        net = Net()
        result = [(type(m).__name__, getattr(m, "init", None)) for m in net.modules()]
    """,
    "config_dict_with_defaults": """
        DEFAULTS = dict(depth=50, width=64, groups=1, zero_init=False, drop_rate=0.0)
        ARCHS = {
            "resnet18": dict(block="basic", layers=[2, 2, 2, 2]),
            "resnet50": dict(block="bottleneck", layers=[3, 4, 6, 3]),
            "resnext50_32x4d": dict(block="bottleneck", layers=[3, 4, 6, 3], groups=32, width=4),
        }
        def build(name, **overrides):
            cfg = {**DEFAULTS, **ARCHS[name], **overrides}
            unknown = set(overrides) - set(DEFAULTS) - {"block", "layers"}
            if unknown:
                raise KeyError(f"unknown options: {sorted(unknown)}")
            cfg["blocks"] = sum(cfg["layers"])
            return cfg
        try:
            build("resnet18", colour="red")
        except KeyError as e:
            err = e.args[0]
        result = (build("resnet18"), build("resnext50_32x4d", drop_rate=0.2)["blocks"], err,
                  sorted(name for name, cfg in ARCHS.items() if cfg.get("groups", 1) > 1))
    """,
    "transformer_like_dims": """
        import math
        def heads(dim, num_heads):
            if dim % num_heads:
                raise ValueError(f"dim {dim} not divisible by {num_heads} heads")
            return dim // num_heads
        def attn_params(dim, qkv_bias=True):
            return 3 * dim * dim + (3 * dim if qkv_bias else 0) + dim * dim + dim
        def mlp_params(dim, ratio=4.0):
            hidden = int(dim * ratio)
            return dim * hidden + hidden + hidden * dim + dim
        def block_params(dim, **kw):
            return 2 * (2 * dim) + attn_params(dim, kw.get("qkv_bias", True)) + mlp_params(dim,
                                                                                           kw.get("mlp_ratio", 4.0))
        cfgs = {"tiny": (192, 12, 3), "small": (384, 12, 6), "base": (768, 12, 12)}
        out = {}
        for name, (dim, depth, nh) in cfgs.items():
            out[name] = (heads(dim, nh), depth * block_params(dim), math.sqrt(heads(dim, nh)) ** -1)
        try:
            heads(100, 3)
        except ValueError as e:
            msg = str(e)
        result = (out, msg, (224 // 16) ** 2 + 1)
    """,
    "sequential_builder_with_helpers": """
        def conv_bn(inp, oup, stride, groups=1):
            return [("conv", inp, oup, 3, stride, groups), ("bn", oup), ("relu6",)]
        def conv_1x1_bn(inp, oup):
            return [("conv", inp, oup, 1, 1, 1), ("bn", oup), ("relu6",)]
        def inverted_residual(inp, oup, stride, expand_ratio):
            hidden = int(round(inp * expand_ratio))
            layers = []
            if expand_ratio != 1:
                layers += conv_1x1_bn(inp, hidden)
            layers += conv_bn(hidden, hidden, stride, groups=hidden)
            layers += [("conv", hidden, oup, 1, 1, 1), ("bn", oup)]
            return {"layers": layers, "residual": stride == 1 and inp == oup}
        def params(layer):
            if layer[0] == "conv":
                _, i, o, k, _, g = layer
                return k * k * (i // g) * o
            if layer[0] == "bn":
                return 2 * layer[1]
            return 0
        blocks = [inverted_residual(32, 16, 1, 1), inverted_residual(16, 24, 2, 6), inverted_residual(24, 24, 1, 6)]
        result = ([sum(params(l) for l in b["layers"]) for b in blocks], [b["residual"] for b in blocks],
                  [len(b["layers"]) for b in blocks])
    """,
    "string_names_of_modules": """
        names = []
        def walk(prefix, tree):
            for key, sub in tree.items():
                path = f"{prefix}.{key}" if prefix else str(key)
                if isinstance(sub, dict):
                    walk(path, sub)
                else:
                    names.append((path, sub))
        tree = {"features": {0: "Conv2d", 1: "ReLU", 2: {"conv1": "Conv2d", "bn1": "BatchNorm2d"}},
                "classifier": "Linear"}
        walk("", tree)
        widths = max(len(n) for n, _ in names)
        table = [f"{n:<{widths}}  {t}" for n, t in names]
        result = (names, table, [n.split(".")[-1] for n, _ in names], {t for _, t in names} >= {"Conv2d"})
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
