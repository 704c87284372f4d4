"""The symbolic torch's transposed convolutions, resizing, padding and normalisation layers against the real
torch: same arguments, same output shape, same parameters and buffers. Expected values come from real torch."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from nncalc.errors import ShapeError  # noqa: E402
from nncalc.frameworks.torch import new_session  # noqa: E402
from nncalc.frameworks.torch.module import tensors_in  # noqa: E402
from torch_helpers import real_layer as _real, row_id as _ids  # noqa: E402

SESSION = new_session()
NN = SESSION.modules["torch.nn"]
TORCH = SESSION.modules["torch"]
F = SESSION.modules["torch.nn.functional"]

# (layer, args, kwargs, input shape)
ROWS = [
    ("ConvTranspose2d", (8, 4, 2), {"stride": 2}, (1, 8, 7, 7)),
    ("ConvTranspose2d", (8, 4, 4), {"stride": 2, "padding": 1}, (1, 8, 16, 16)),
    ("ConvTranspose2d", (8, 4, 3), {"stride": 2, "padding": 1, "output_padding": 1}, (1, 8, 7, 9)),
    ("ConvTranspose2d", (8, 6, 3), {"groups": 2, "bias": False}, (2, 8, 5, 5)),
    ("ConvTranspose2d", (4, 4, (3, 5)), {"stride": (1, 2), "dilation": 2, "output_padding": (0, 1)}, (1, 4, 6, 6)),
    ("ConvTranspose2d", (4, 8, 3), {}, (4, 5, 5)),  # unbatched
    ("ConvTranspose1d", (16, 8, 4), {"stride": 4}, (1, 16, 25)),
    ("ConvTranspose1d", (16, 8, 5), {"stride": 3, "padding": 2, "output_padding": 2}, (1, 16, 10)),
    ("ConvTranspose3d", (8, 4, 3), {"stride": 2, "padding": 1, "output_padding": 1}, (1, 8, 4, 5, 6)),
    ("ConvTranspose3d", (8, 8, (1, 2, 2)), {"stride": (1, 2, 2), "groups": 4}, (1, 8, 4, 5, 6)),
    ("Upsample", (), {"scale_factor": 2}, (1, 3, 7, 9)),
    ("Upsample", (), {"scale_factor": 2, "mode": "bilinear", "align_corners": True}, (1, 3, 7, 9)),
    ("Upsample", (), {"scale_factor": 1.5, "mode": "bicubic"}, (1, 3, 7, 9)),
    ("Upsample", (), {"size": (10, 12)}, (1, 3, 7, 9)),
    ("Upsample", (), {"size": 20, "mode": "linear"}, (1, 3, 7)),
    ("Upsample", (), {"scale_factor": (1, 2, 2), "mode": "trilinear"}, (1, 3, 4, 7, 9)),
    ("Upsample", (), {"scale_factor": 0.5, "mode": "area"}, (1, 3, 7, 9)),
    ("UpsamplingNearest2d", (), {"scale_factor": 3}, (1, 3, 4, 4)),
    ("UpsamplingBilinear2d", ((8, 6),), {}, (1, 3, 4, 4)),
    ("ZeroPad2d", (1,), {}, (1, 3, 7, 9)),
    ("ZeroPad2d", ((1, 2, 3, 4),), {}, (1, 3, 7, 9)),
    ("ZeroPad2d", ((-1, 0, 2, -2),), {}, (1, 3, 7, 9)),
    ("ZeroPad1d", (2,), {}, (1, 3, 7)),
    ("ZeroPad3d", ((1, 0, 0, 1, 2, 2),), {}, (1, 3, 4, 5, 6)),
    ("ConstantPad1d", ((3, 1), 0.5), {}, (1, 3, 7)),
    ("ConstantPad2d", (2, 1.0), {}, (3, 7, 9)),
    ("ConstantPad3d", (1, 0.0), {}, (1, 3, 4, 5, 6)),
    ("ReflectionPad1d", (2,), {}, (1, 3, 7)),
    ("ReflectionPad2d", (3,), {}, (1, 3, 7, 9)),
    ("ReflectionPad2d", ((1, 0, 2, 1),), {}, (1, 3, 7, 9)),
    ("ReflectionPad3d", (1,), {}, (1, 3, 4, 5, 6)),
    ("ReplicationPad2d", ((2, 2, 0, 1),), {}, (1, 3, 7, 9)),
    ("ReplicationPad1d", (5,), {}, (1, 3, 2)),
    ("CircularPad2d", (2,), {}, (1, 3, 7, 9)),
    ("PixelShuffle", (2,), {}, (1, 12, 5, 6)),
    ("PixelUnshuffle", (2,), {}, (1, 3, 8, 6)),
    ("GroupNorm", (4, 16), {}, (2, 16, 5, 5)),
    ("GroupNorm", (1, 8), {"affine": False}, (2, 8, 5)),
    ("GroupNorm", (8, 8), {"eps": 1e-3}, (1, 8, 3, 3, 3)),
    ("InstanceNorm1d", (8,), {}, (2, 8, 10)),
    ("InstanceNorm2d", (8,), {}, (2, 8, 5, 5)),
    ("InstanceNorm2d", (8,), {"affine": True}, (2, 8, 5, 5)),
    ("InstanceNorm2d", (8,), {"track_running_stats": True}, (2, 8, 5, 5)),
    ("InstanceNorm2d", (8,), {"affine": True, "track_running_stats": True}, (8, 5, 5)),
    ("InstanceNorm3d", (4,), {"affine": True}, (1, 4, 3, 3, 3)),
    ("LayerNorm", (10,), {}, (2, 7, 10)),
    ("LayerNorm", ((7, 10),), {}, (2, 7, 10)),
    ("LayerNorm", ([8, 5, 5],), {"elementwise_affine": False}, (2, 8, 5, 5)),
    ("LayerNorm", (10,), {"bias": False}, (2, 10)),
    ("RMSNorm", (10,), {}, (2, 7, 10)),
    ("RMSNorm", ((7, 10),), {"elementwise_affine": False}, (2, 7, 10)),
    ("LocalResponseNorm", (5,), {}, (1, 8, 6, 6)),
    ("Hardswish", (), {}, (1, 8, 6, 6)),
    ("SiLU", (), {"inplace": True}, (1, 8, 6, 6)),
    ("ReLU6", (), {"inplace": True}, (1, 8, 6, 6)),
]


@pytest.mark.parametrize("row", ROWS, ids=[_ids(r) for r in ROWS])
def test_layer_matches_torch(row):
    name, args, kwargs, shape = row
    real, real_out = _real(name, args, kwargs, shape)
    ours = getattr(NN, name)(*args, **kwargs)
    out = ours(TORCH.zeros(*shape))

    assert [t._shape for t in tensors_in(out)] == [tuple(real_out.shape)]
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in real.named_parameters()
    ]
    assert [(n, tuple(b.shape)) for n, b in ours.named_buffers()] == [
        (n, tuple(b.shape)) for n, b in real.named_buffers()
    ]


UNBATCHED = {("ConvTranspose2d", (4, 5, 5)), ("ConstantPad2d", (3, 7, 9)), ("InstanceNorm2d", (8, 5, 5))}
BATCHED = [r for r in ROWS if (r[0], r[3]) not in UNBATCHED]


@pytest.mark.parametrize("row", BATCHED, ids=[_ids(r) for r in BATCHED])
def test_traced_graph_matches_torch(row):
    """The layer traced as a model: its output, weights, parameter formula, shape formulas and MACs."""
    name, args, kwargs, shape = row
    real, real_out = _real(name, args, kwargs, shape)
    graph = SESSION.trace(getattr(NN, name)(*args, **kwargs), [shape[1:]], shape[0], None)

    assert graph.output_shapes == [tuple(real_out.shape)]
    call = graph.calls[0]
    params = sum(w.numel for w in graph.root.weights if w.is_param)
    assert params == sum(p.numel() for p in real.parameters())
    formula = graph.root.params_formula
    assert (formula.value if formula is not None else 0) == params
    for axis, shape_formula in call.shape_formulas:
        assert shape_formula.value in real_out.shape[2:], axis
    if isinstance(real, torch.nn.modules.conv._ConvTransposeNd):
        expected = math.prod(shape) * (real.out_channels // real.groups) * math.prod(real.kernel_size)
        assert call.macs == expected
        assert [f.value for _, f in call.shape_formulas] == list(real_out.shape[2:])
    else:
        assert not call.macs


def test_conv_transpose_formula_and_weight_layout():
    graph = SESSION.trace(NN.ConvTranspose2d(64, 32, kernel_size=2, stride=2), [(64, 16, 16)], None, None)
    assert graph.root.params_formula.worked() == (
        "(k_h × k_w × C_in + 1) × filters = (2 × 2 × 64 + 1) × 32 = (256 + 1) × 32 = 257 × 32 = 8,224"
    )
    assert [w.shape for w in graph.root.weights] == [(64, 32, 2, 2), (32,)]
    assert graph.calls[0].shape_formulas[0][1].symbols() == "(H_in − 1) × s_h + k_h"


def test_conv_transpose_output_size_argument():
    real = torch.nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1)
    ours = NN.ConvTranspose2d(8, 4, 3, stride=2, padding=1)
    want = [1, 4, 14, 13]
    real_out = real(torch.zeros(1, 8, 7, 7), output_size=want)
    assert ours(TORCH.zeros(1, 8, 7, 7), output_size=want)._shape == tuple(real_out.shape)
    with pytest.raises(ShapeError, match="valid sizes range from 13 to 14"):
        ours(TORCH.zeros(1, 8, 7, 7), output_size=[16, 16])


def test_conv_transpose_errors():
    with pytest.raises(ShapeError, match="receives 3 channels; use `nn.ConvTranspose2d\\(3, 4, 2"):
        NN.ConvTranspose2d(8, 4, 2, stride=2)(TORCH.zeros(1, 3, 4, 4))
    with pytest.raises(ShapeError, match="output padding must be smaller than either stride or dilation"):
        NN.ConvTranspose2d(8, 4, 3, output_padding=1)(TORCH.zeros(1, 8, 4, 4))
    with pytest.raises(ShapeError, match="Only \"zeros\" padding mode"):
        NN.ConvTranspose2d(8, 4, 3, padding_mode="reflect")


def test_norm_errors_name_the_fix():
    with pytest.raises(ShapeError, match="divisible by num_groups"):
        NN.GroupNorm(3, 16)
    with pytest.raises(ShapeError, match="receives 8 channels; use `nn.GroupNorm\\(4, 8\\)`"):
        NN.GroupNorm(4, 16)(TORCH.zeros(1, 8, 3, 3))
    with pytest.raises(ShapeError, match="use `nn.LayerNorm\\(32\\)`"):
        NN.LayerNorm(64)(TORCH.zeros(1, 10, 32))
    with pytest.raises(ShapeError, match="receives 4 channels"):
        NN.InstanceNorm2d(8, affine=True)(TORCH.zeros(1, 4, 3, 3))
    NN.InstanceNorm2d(8)(TORCH.zeros(1, 4, 3, 3))  # torch only warns without weights or statistics


def test_resize_errors():
    with pytest.raises(ShapeError, match="padding size should be less than"):
        NN.ReflectionPad2d(4)(TORCH.zeros(1, 3, 4, 8))
    with pytest.raises(ShapeError, match="bilinear mode needs a 4D input"):
        F.interpolate(TORCH.zeros(1, 3, 8), scale_factor=2, mode="bilinear")
    with pytest.raises(ShapeError, match="align_corners option can only be set"):
        NN.Upsample(scale_factor=2, align_corners=True)(TORCH.zeros(1, 3, 8, 8))
    with pytest.raises(ShapeError, match="either size or scale_factor"):
        F.interpolate(TORCH.zeros(1, 3, 8, 8))


# (expression over `x` with real or symbolic torch/F, input shape)
FUNCTIONAL = [
    ("F.interpolate(x, scale_factor=2, mode='nearest')", (1, 3, 5, 7)),
    ("F.interpolate(x, size=(9, 4), mode='bilinear', align_corners=False)", (1, 3, 5, 7)),
    ("F.interpolate(x, scale_factor=(2.5, 0.5), mode='bicubic')", (1, 3, 5, 7)),
    ("F.interpolate(x, size=11)", (1, 3, 5)),
    ("F.interpolate(x, scale_factor=2, mode='trilinear')", (1, 3, 2, 5, 7)),
    ("F.pad(x, (1, 2))", (1, 3, 5, 7)),
    ("F.pad(x, (1, 2, 3, 4), mode='reflect')", (1, 3, 5, 7)),
    ("F.pad(x, [1, 1, 1, 1], mode='replicate')", (1, 3, 5, 7)),
    ("F.pad(x, (0, 0, -1, -1))", (1, 3, 5, 7)),
    ("F.pad(x, (1, 1, 1, 1, 1, 1), value=1.0)", (1, 3, 5, 7)),
    ("F.pixel_shuffle(x, 2)", (1, 8, 3, 3)),
    ("F.pixel_unshuffle(x, 3)", (1, 2, 6, 9)),
    ("F.layer_norm(x, (7,))", (1, 3, 5, 7)),
    ("F.group_norm(x, 3)", (1, 3, 5, 7)),
    ("torch.cat([x, x[:, :1]], dim=1)", (1, 3, 5, 7)),
    ("torch.stack([x, x], dim=-1)", (1, 3, 5, 7)),
    ("torch.split(x, 2, dim=1)[1]", (1, 3, 5, 7)),
    ("x.split([1, 2], dim=1)[1]", (1, 3, 5, 7)),
    ("torch.chunk(x, 2, dim=3)[1]", (1, 3, 5, 7)),
    ("x.chunk(4, 2)[-1]", (1, 3, 5, 7)),
    ("x.max(dim=1)[0]", (1, 3, 5, 7)),
    ("x.max(dim=1, keepdim=True)[1]", (1, 3, 5, 7)),
    ("torch.max(x, 1)[0]", (1, 3, 5, 7)),
    ("x.mean([2, 3])", (1, 3, 5, 7)),
    ("x.mean((2, 3), keepdim=True)", (1, 3, 5, 7)),
    ("torch.sum(x, dim=1)", (1, 3, 5, 7)),
    ("x.permute(0, 2, 3, 1).contiguous()", (1, 3, 5, 7)),
    ("x.transpose(1, 2)", (1, 3, 5, 7)),
    ("x.flatten(2).transpose(1, 2) @ x.flatten(2)", (1, 3, 5, 7)),
    ("x * x.mean((2, 3), keepdim=True).sigmoid() + x", (1, 3, 5, 7)),
    ("x[:, 1:, ::2, None]", (1, 3, 5, 7)),
    ("x[..., 0]", (1, 3, 5, 7)),
    ("x.view(x.size(0), -1)", (1, 3, 5, 7)),
    ("torch.flatten(x, 1)", (1, 3, 5, 7)),
    ("x.unsqueeze(1).squeeze(1)", (1, 3, 5, 7)),
    ("F.adaptive_avg_pool2d(x, 1).flatten(1)", (1, 3, 5, 7)),
    ("F.silu(F.hardswish(F.relu6(x)))", (1, 3, 5, 7)),
    ("x.max(dim=1).values", (1, 3, 5, 7)),
    ("torch.max(x, -1, keepdim=True).indices", (1, 3, 5, 7)),
    ("torch.topk(x, 2, dim=1).indices", (1, 3, 5, 7)),
    ("x.topk(4)[0]", (1, 3, 5, 7)),
    ("x.sort(dim=-1)[1]", (1, 3, 5, 7)),
    ("x.argsort(dim=1)", (1, 3, 5, 7)),
    ("x.median(dim=2).values", (1, 3, 5, 7)),
    ("x.new_zeros((2, 3))", (1, 3, 5, 7)),
    ("x.new_empty(4, 1)", (1, 3, 5, 7)),
    ("x.new_full((4,), 2.0)", (1, 3, 5, 7)),
    ("torch.pixel_shuffle(x, 2)", (1, 12, 5, 7)),
    ("torch.linspace(0, 1, 5)", (1,)),
    ("torch.arange(2, 11, 3)", (1,)),
]


def test_small_tensors_of_known_numbers_keep_their_values():
    """Drop-path rates come from ``[x.item() for x in torch.linspace(0, rate, depth)]``: nncalc keeps them."""
    ours = [x.item() for x in TORCH.linspace(0, 0.2, 5)]
    real = [x.item() for x in torch.linspace(0, 0.2, 5)]
    assert ours == pytest.approx(real)
    assert TORCH.arange(1, 10, 4).tolist() == torch.arange(1, 10, 4).tolist()
    assert TORCH.tensor([3, 1, 2])[1:].tolist() == [1, 2]
    assert TORCH.tensor(2.5).item() == 2.5
    assert type(TORCH.zeros(3).item()).__name__ == "Unknown"  # values of other tensors stay unknown


@pytest.mark.parametrize("expression, shape", FUNCTIONAL, ids=[e for e, _ in FUNCTIONAL])
def test_functional_matches_torch(expression, shape):
    import torch.nn.functional as real_f

    real = eval(expression, {"torch": torch, "F": real_f, "x": torch.zeros(shape)})  # noqa: S307 - test literals
    ours = eval(expression, {"torch": TORCH, "F": F, "x": TORCH.zeros(*shape)})  # noqa: S307
    assert ours._shape == tuple(real.shape)
    assert ours.dtype.name == str(real.dtype).removeprefix("torch.")
