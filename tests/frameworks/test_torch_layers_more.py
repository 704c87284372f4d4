"""The symbolic torch's transposed convolutions, resizing, padding and normalisation layers against the real
torch: same arguments, same output shape, same parameters and buffers. Expected values come from real torch."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from nncalc.errors import InterpreterError, ShapeError  # noqa: E402
from nncalc.frameworks.torch import new_session  # noqa: E402
from nncalc.frameworks.torch.infer import InputShapeNeeded  # noqa: E402
from nncalc.frameworks.torch.module import tensors_in  # noqa: E402
from torch_helpers import real_layer as _real, row_id as _ids  # noqa: E402
from torch_rows import MORE as ROWS, MULTI, multi_id as _multi_id  # noqa: E402

SESSION = new_session()
NN = SESSION.modules["torch.nn"]
TORCH = SESSION.modules["torch"]
F = SESSION.modules["torch.nn.functional"]


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


UNBATCHED = {("ConvTranspose2d", (4, 5, 5)), ("ConstantPad2d", (3, 7, 9)), ("InstanceNorm2d", (8, 5, 5)),
             ("Softmax2d", (5, 3, 3)), ("Unfold", (3, 6, 6)), ("Fold", (12, 6)), ("FractionalMaxPool2d", (3, 9, 9))}
BATCHED = [r for r in ROWS if (r[0], r[3]) not in UNBATCHED]


@pytest.mark.parametrize("row", BATCHED, ids=[_ids(r) for r in BATCHED])
def test_traced_graph_matches_torch(row):
    """The layer traced as a model: its output, weights, parameter formula, shape formulas and MACs."""
    name, args, kwargs, shape = row
    real, real_out = _real(name, args, kwargs, shape)
    graph = SESSION.trace(getattr(NN, name)(*args, **kwargs), [shape[1:]], shape[0], None)
    assert graph.root.type == type(real).__name__  # a lazy module has become the plain one, as in torch

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
    assert call.macs == _torch_macs(real, shape)


def _torch_macs(module, shape) -> int:
    """Multiply-accumulates of one call by torch's ``FlopCounterMode`` (see ``torch_real.flop_counter``)."""
    from torch_real import flop_counter

    counter = flop_counter()
    with torch.no_grad(), counter:
        module(torch.zeros(shape))
    return counter.get_total_flops() // 2


@pytest.mark.parametrize("row", MULTI, ids=[_multi_id(r) for r in MULTI])
def test_multi_input_layer_matches_torch(row):
    name, args, kwargs, inputs, call = row
    real = getattr(torch.nn, name)(*args, **kwargs).eval()
    with torch.no_grad():
        real_out = real(*[torch.zeros(shape, dtype=getattr(torch, kind or "float32")) for shape, kind in inputs],
                        **call)
    ours = getattr(NN, name)(*args, **kwargs)
    out = ours(*[TORCH.zeros(*shape, dtype=getattr(TORCH, kind or "float32")) for shape, kind in inputs], **call)

    assert out._shape == tuple(real_out.shape)
    assert out.dtype.name == str(real_out.dtype).removeprefix("torch.")
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in real.named_parameters()
    ]


def test_bilinear_formula_and_macs():
    """``nn.Bilinear``: weight ``(out, in1, in2)``; every output sums ``in1 × in2`` products, as torch's
    ``_trilinear`` computes (counted by ``torch_real.flop_counter``)."""
    from torch_real import flop_counter

    graph = SESSION.trace(NN.Bilinear(5, 7, 3), [(4, 5), (4, 7)], 2, None)
    assert graph.root.params_formula.worked() == "(in1 × in2 + 1) × outputs = (5 × 7 + 1) × 3 = (35 + 1) × 3 = 36 × 3 = 108"
    counter = flop_counter()
    with torch.no_grad(), counter:
        torch.nn.Bilinear(5, 7, 3)(torch.zeros(2, 4, 5), torch.zeros(2, 4, 7))
    assert graph.calls[0].macs == counter.get_total_flops() // 2 == 2 * 4 * 5 * 7 * 3


def test_lazy_module_materialised_by_the_file_and_by_the_trace():
    """A lazy module takes its sizes from the first call: the file's own dry run, or else nncalc's trace; the
    sizes tried by input-shape inference are not kept."""
    dry = NN.LazyLinear(4)
    dry(TORCH.zeros(2, 9))
    assert type(dry).__name__ == "Linear" and dry.in_features == 9
    assert dry._describe().startswith("`nn.Linear(9, 4)`")
    model = NN.Sequential(NN.Conv2d(3, 4, 3), NN.Flatten(), NN.LazyLinear(2))
    with pytest.raises(InputShapeNeeded, match="accepts 3×3×3 and 3×64×64 alike"):
        SESSION.trace(model, None, None, None)
    assert type(model[2]).__name__ == "LazyLinear"  # the sizes inference tried did not stick
    graph = SESSION.trace(model, [(3, 8, 8)], None, None)
    real = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(), torch.nn.LazyLinear(2))
    real(torch.zeros(1, 3, 8, 8))
    assert graph.calls[-1].node.type == "Linear"
    assert graph.calls[-1].node.params_formula.value == 4 * 6 * 6 * 2 + 2
    assert sum(w.numel for w in graph.root.all_weights()) == sum(p.numel() for p in real.parameters())


def test_new_layer_errors_say_what_torch_says():
    with pytest.raises(ShapeError, match="input1 size does not match weight size: got 6 but expected 5; use "
                                         "`nn.Bilinear\\(6, 7, 3\\)`"):
        NN.Bilinear(5, 7, 3)(TORCH.zeros(2, 6), TORCH.zeros(2, 7))
    with pytest.raises(ShapeError, match="input batch dimensions do not match at dim 0: got 2 and 3"):
        NN.Bilinear(5, 7, 3)(TORCH.zeros(2, 5), TORCH.zeros(3, 7))
    with pytest.raises(ShapeError, match="offsets has to be a 1D Tensor but got None"):
        NN.EmbeddingBag(10, 4)(TORCH.zeros(6, dtype=TORCH.long))
    with pytest.raises(ShapeError, match="per_sample_weights is only supported for mode='sum'"):
        NN.EmbeddingBag(10, 4)(TORCH.zeros(2, 3, dtype=TORCH.long), per_sample_weights=TORCH.zeros(2, 3))
    with pytest.raises(ShapeError, match="token indices of type Long or Int"):
        NN.EmbeddingBag(10, 4)(TORCH.zeros(2, 3))
    with pytest.raises(ShapeError, match="calculated number of sliding blocks 4 \\* 4 = 16, but got input.size\\(2\\)=15"):
        NN.Fold((8, 8), 3, padding=1, stride=2)(TORCH.zeros(1, 27, 15))
    with pytest.raises(ShapeError, match="divisible by the product of kernel_size"):
        F.fold(TORCH.zeros(1, 28, 16), (8, 8), 3, padding=1, stride=2)
    with pytest.raises(ShapeError, match="calculated shape of the array of sliding blocks as \\(0, 0\\)"):
        F.unfold(TORCH.zeros(1, 3, 2, 2), 3)
    with pytest.raises(ShapeError, match="dim 0 must be between 6 and 10"):
        NN.MaxUnpool2d(2)(TORCH.zeros(1, 3, 4, 5), TORCH.zeros(1, 3, 4, 5, dtype=TORCH.long), output_size=(10, 12))
    with pytest.raises(ShapeError, match="Expected shape of indices to be same as that of the input"):
        NN.MaxUnpool2d(2)(TORCH.zeros(1, 3, 4, 5), TORCH.zeros(1, 2, 4, 5, dtype=TORCH.long))
    with pytest.raises(ShapeError, match="Halving dimension must be even"):
        NN.GLU(1)(TORCH.zeros(2, 5, 4))
    with pytest.raises(ShapeError, match="Expected 3D \\(unbatched\\) or 4D \\(batched\\) input to LazyConv2d"):
        NN.LazyConv2d(4, 3)(TORCH.zeros(3, 5))
    with pytest.raises(ShapeError, match="in_channels must be divisible by groups"):
        NN.LazyConv2d(4, 3, groups=2)(TORCH.zeros(1, 3, 5, 5))


@pytest.mark.filterwarnings("ignore:`nn.Container` is deprecated:FutureWarning")
def test_wrappers_hold_the_module_as_torch_does():
    """``nn.DataParallel(model)`` registers the model as ``module``; ``nn.Container(**modules)`` its keywords."""
    real = torch.nn.DataParallel(torch.nn.Linear(3, 4))
    ours = NN.DataParallel(NN.Linear(3, 4))
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in real.named_parameters()]
    assert ours(TORCH.zeros(2, 3))._shape == tuple(real(torch.zeros(2, 3)).shape)
    real = torch.nn.Container(a=torch.nn.Linear(2, 3), b=torch.nn.ReLU())
    ours = NN.Container(a=NN.Linear(2, 3), b=NN.ReLU())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in real.named_modules()]


def test_classifier_heads_with_their_loss():
    """``nn.AdaptiveLogSoftmaxWithLoss`` and ``nn.LinearCrossEntropyLoss``: torch's submodules and weights; the
    adaptive softmax's ``log_prob`` runs every tail (MACs as torch counts them); its forward, whose tails depend
    on the target's values, is refused."""
    from torch_real import flop_counter

    real = torch.nn.AdaptiveLogSoftmaxWithLoss(16, 100, [10, 40], div_value=2.0)
    ours = NN.AdaptiveLogSoftmaxWithLoss(16, 100, [10, 40], div_value=2.0)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in real.named_parameters()]
    counter = flop_counter()
    with torch.no_grad(), counter:
        real_out = real.log_prob(torch.zeros(4, 16))

    class Head(NN.Module):
        def __init__(self):
            super().__init__()
            self.asm = ours

        def forward(self, x):
            return self.asm.log_prob(x)

    graph = SESSION.trace(Head(), [(16,)], 4, None)
    assert graph.output_shapes == [tuple(real_out.shape)]
    assert sum(c.macs for c in graph.calls) == counter.get_total_flops() // 2
    assert ours.predict(TORCH.zeros(4, 16))._shape == tuple(real.predict(torch.zeros(4, 16)).shape)
    with pytest.raises(InterpreterError, match="depends on the target's values"):
        ours(TORCH.zeros(4, 16), TORCH.zeros(4, dtype=TORCH.long))

    for kwargs, target in (({}, (4,)), ({"out_features": (3,), "bias": True, "reduction": "none"}, (4, 3))):
        real = torch.nn.LinearCrossEntropyLoss(8, 10, **kwargs)
        ours = NN.LinearCrossEntropyLoss(8, 10, **kwargs)
        assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
            (n, tuple(p.shape)) for n, p in real.named_parameters()]
        real_out = real(torch.zeros(4, 8), torch.zeros(target, dtype=torch.long))
        assert ours(TORCH.zeros(4, 8), TORCH.zeros(*target, dtype=TORCH.long))._shape == tuple(real_out.shape)


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
    ("F.unfold(x, 3, padding=1, stride=2)", (1, 3, 8, 8)),
    ("F.unfold(x, (2, 3), dilation=2)", (3, 9, 10)),
    ("F.fold(x, (8, 8), 3, padding=1, stride=2)", (1, 27, 16)),
    ("F.max_unpool2d(x, torch.zeros(1, 3, 5, 7, dtype=torch.long), 2)", (1, 3, 5, 7)),
    ("F.max_unpool1d(x[0], torch.zeros(3, 5, 7, dtype=torch.long), 3, stride=2, padding=1)", (1, 3, 5, 7)),
    ("F.max_unpool3d(x, torch.zeros(1, 3, 2, 5, 7, dtype=torch.long), 2, output_size=(5, 10, 15))", (1, 3, 2, 5, 7)),
    ("F.bilinear(x, x[..., :4], torch.zeros(5, 7, 4), torch.zeros(5))", (1, 3, 5, 7)),
    ("F.embedding_bag(torch.zeros(2, 3, dtype=torch.long), torch.zeros(10, 4))", (1,)),
    ("F.embedding_bag(torch.zeros(6, dtype=torch.long), x, torch.tensor([0, 2, 4]), mode='sum')", (10, 4)),
    ("F.glu(x, 3)", (1, 3, 5, 8)),
    ("F.hardshrink(x) + F.softshrink(x, 0.2) + F.threshold(x, 0.1, 0.0) + F.rrelu(x) + F.logsigmoid(x)", (2, 5)),
    ("F.gumbel_softmax(x, tau=0.5, hard=True)", (2, 5)),
    ("F.feature_alpha_dropout(x, 0.1)", (1, 3, 5, 7)),
    ("torch.outer(x[0, 0, 0], x[0, 0, :, 0])", (1, 3, 5, 7)),
    ("x[0, 0, 0].outer(torch.arange(3))", (1, 3, 5, 7)),
    ("torch.narrow(x, 1, 1, 2)", (1, 3, 5, 7)),
    ("x.narrow(-1, -3, 2)", (1, 3, 5, 7)),
    ("torch.index_select(x, 3, torch.tensor([0, 2]))", (1, 3, 5, 7)),
    ("x.index_select(1, torch.tensor([2]))", (1, 3, 5, 7)),
    ("torch.scatter(x, 1, torch.zeros(1, 2, 5, 7, dtype=torch.long), x[:, :2])", (1, 3, 5, 7)),
    ("x.scatter(2, torch.zeros(1, 3, 2, 7, dtype=torch.long), 1.0)", (1, 3, 5, 7)),
    ("x.scatter_(1, torch.zeros(1, 2, 5, 7, dtype=torch.long), x[:, :2].clone())", (1, 3, 5, 7)),
    ("torch.scatter_add(x, 1, torch.zeros(1, 2, 5, 7, dtype=torch.long), x[:, :2])", (1, 3, 5, 7)),
    ("x.scatter_add_(1, torch.zeros(1, 2, 5, 7, dtype=torch.long), x[:, :2].clone())", (1, 3, 5, 7)),
    ("x.scatter_reduce(1, torch.zeros(1, 2, 5, 7, dtype=torch.long), x[:, :2], 'amax')", (1, 3, 5, 7)),
    ("torch.index_add(x, 1, torch.tensor([0, 2]), x[:, :2])", (1, 3, 5, 7)),
    ("x.index_add_(3, torch.tensor([0, 2]), x[..., :2], alpha=2)", (1, 3, 5, 7)),
    ("x.index_copy(1, torch.tensor([0]), x[:, :1])", (1, 3, 5, 7)),
    ("x.index_fill_(1, torch.tensor([0]), 0.0)", (1, 3, 5, 7)),
    ("torch.cumsum(x, 1)", (1, 3, 5, 7)),
    ("x.cumsum(dim=-1)", (1, 3, 5, 7)),
    ("torch.cumsum(x.long(), 2)", (1, 3, 5, 7)),
    ("torch.cumsum(x.int(), 2, dtype=torch.float64)", (1, 3, 5, 7)),
    ("torch.cumprod(x, 0)", (1, 3, 5, 7)),
    ("x.cumsum_(1)", (1, 3, 5, 7)),
    ("torch.cummax(x, 1).indices", (1, 3, 5, 7)),
    ("torch.logcumsumexp(x, 1)", (1, 3, 5, 7)),
    ("x.type_as(torch.zeros(2, dtype=torch.long))", (1, 3, 5, 7)),
    ("x.long().type_as(x)", (1, 3, 5, 7)),
    ("torch.polar(x, x)", (1, 3, 5, 7)),
    ("torch.view_as_complex(x)", (1, 3, 5, 2)),
    ("torch.view_as_real(torch.view_as_complex(x.reshape(1, 3, 5, 2)))", (1, 3, 10)),
    ("torch.repeat_interleave(x, 2, dim=1)", (1, 3, 5, 7)),
    ("x.repeat_interleave(torch.tensor([1, 2, 3]), dim=1)", (1, 3, 5, 7)),
    ("torch.gather(x, 3, torch.zeros(1, 3, 5, 2, dtype=torch.long))", (1, 3, 5, 7)),
    ("torch.roll(x, shifts=(1, 2), dims=(2, 3))", (1, 3, 5, 7)),
    ("torch.flip(x, [1, 3])", (1, 3, 5, 7)),
    ("torch.flip(x, dims=(0, 2)) + x.flip(dims=[1])", (1, 3, 5, 7)),
    ("x * torch.pi * 2 + torch.e - x.clamp(max=torch.inf)", (1, 3, 5, 7)),
    ("x.clone(memory_format=torch.contiguous_format) + x.contiguous(memory_format=torch.channels_last)", (1, 3, 5, 7)),
    ("torch.fliplr(x) + x.flipud()", (1, 3, 5, 7)),
    ("torch.meshgrid(x[0, 0, :, 0], x[0, 0, 0], indexing='xy')[1]", (1, 3, 5, 7)),
    ("F.one_hot(torch.zeros(2, 3, dtype=torch.long), 6)", (1,)),
    ("F.rms_norm(x, (5, 7))", (1, 3, 5, 7)),
    ("F.linear(x, torch.zeros(4, 7), torch.zeros(4))", (1, 3, 5, 7)),
    ("F.conv2d(x, torch.zeros(6, 1, 3, 3), padding=1, groups=3)", (1, 3, 5, 7)),
    ("x.unfold(3, 3, 2)", (1, 3, 5, 7)),
    ("torch.movedim(x, 1, -1)", (1, 3, 5, 7)),
    ("torch.tile(x, (2, 1))", (1, 3, 5, 7)),
    ("x.broadcast_to((2, 3, 5, 7))", (1, 3, 5, 7)),
    ("torch.take_along_dim(x, torch.zeros(1, 3, 5, 2, dtype=torch.long), dim=3)", (1, 3, 5, 7)),
    ("torch.kron(x[0, 0], torch.zeros(2, 3))", (1, 3, 5, 7)),
    ("torch.addmm(torch.zeros(4), x[0, 0], torch.zeros(7, 4))", (1, 3, 5, 7)),
    ("torch.baddbmm(torch.zeros(3, 5, 5), x[0], x[0].transpose(1, 2))", (1, 3, 5, 7)),
    ("torch.tensordot(x, x[0, 0], dims=2)", (1, 3, 5, 7)),
    ("torch.isnan(x) | x.isinf()", (1, 3, 5, 7)),
    ("torch.logical_and(x > 0, x.long())", (1, 3, 5, 7)),
    ("torch.all(x > 0, dim=1)", (1, 3, 5, 7)),
    ("x.any()", (1, 3, 5, 7)),
    ("torch.logsumexp(x, dim=-1, keepdim=True)", (1, 3, 5, 7)),
    ("torch.atan2(x.long(), x.long())", (1, 3, 5, 7)),
    ("torch.fmod(x.int(), 2) + torch.remainder(x, 2) + torch.floor_divide(x, 2)", (1, 3, 5, 7)),
    ("torch.erfinv(x)", (1, 3, 5, 7)),
    ("F.lp_pool2d(x, 2, 3, stride=2, ceil_mode=True)", (1, 3, 7, 7)),
    ("F.lp_pool1d(x, 2, 3)", (3, 7)),
    ("F.fractional_max_pool2d(x, 2, output_size=(2, 3))", (1, 3, 5, 7)),
    ("F.fractional_max_pool3d(x, 2, output_ratio=0.5, return_indices=True)[1]", (1, 2, 6, 6, 6)),
    ("F.channel_shuffle(x, 3)", (1, 6, 5, 7)),
    ("torch.channel_shuffle(x, 2)", (1, 6, 5, 7)),
    ("F.cosine_similarity(x, x[:1], dim=-1)", (2, 3, 5, 7)),
    ("torch.cosine_similarity(x, x)", (2, 3, 5, 7)),
    ("F.pairwise_distance(x, x, keepdim=True)", (2, 3, 5, 7)),
    ("F.pdist(x)", (5, 7)),
    ("torch.dist(x, x[0])", (2, 3, 5, 7)),
    ("F.conv_transpose2d(x, torch.zeros(8, 2, 3, 3), stride=2, padding=1, output_padding=1, groups=2)", (1, 8, 5, 5)),
    ("F.conv_transpose1d(x, torch.zeros(8, 4, 4), torch.zeros(4), stride=4)", (8, 5)),
    ("torch.conv_transpose3d(x, torch.zeros(2, 3, 2, 2, 2), stride=2)", (1, 2, 3, 4, 5)),
    ("torch.conv2d(x, torch.zeros(4, 3, 3, 3))", (1, 3, 5, 7)),
    ("F.max_pool2d_with_indices(x, 2)[1]", (1, 3, 5, 7)),
    ("F.adaptive_max_pool1d_with_indices(x, 3)[0]", (1, 3, 7)),
    ("F.affine_grid(x, (2, 3, 4, 6), align_corners=False)", (2, 2, 3)),
    ("F.affine_grid(x, (2, 3, 4, 5, 6), align_corners=False)", (2, 3, 4)),
    ("F.linear_cross_entropy(x, torch.zeros(10, 7), torch.zeros(3, dtype=torch.long))", (3, 7)),
    ("F.linear_cross_entropy(x, torch.zeros(10, 7), torch.zeros(3, dtype=torch.long), reduction='none')", (3, 7)),
    ("F.triplet_margin_with_distance_loss(x, x, x)", (3, 7)),
    ("F.celu_(x.clone()) + F.selu_(x.clone()) + F.hardtanh_(x.clone())", (3, 7)),
    ("x.long().acos() + torch.log2(x.long()) + x.long().sqrt() + torch.sigmoid(x.long())", (1, 3, 5, 7)),
    ("x.atanh() + x.expm1() + torch.sinc(x) + x.lgamma() + torch.deg2rad(x)", (1, 3, 5, 7)),
    ("torch.trunc(x.long()) + x.frac() + torch.negative(x) + x.nan_to_num(nan=0.0)", (1, 3, 5, 7)),
    ("x.unsqueeze_(0)", (1, 3, 5, 7)),
    ("x.transpose_(1, 2)", (1, 3, 5, 7)),
    ("x.squeeze_(0)", (1, 3, 5, 7)),
    ("x.sin_().clamp_min_(0).erfc_()", (1, 3, 5, 7)),
    ("x.diagonal()", (1, 3, 5, 7)),
    ("torch.diagonal(x, 1, -2, -1)", (1, 3, 5, 7)),
    ("torch.diag_embed(x)", (1, 3, 5, 7)),
    ("x.diag_embed(-1, 0, 2)", (1, 3, 5, 7)),
    ("torch.rot90(x, 1, (2, 3))", (1, 3, 5, 7)),
    ("x.select(1, -1)", (1, 3, 5, 7)),
    ("torch.take(x, torch.tensor([[0, 2], [1, 3]]))", (1, 3, 5, 7)),
    ("x.kthvalue(2, 1).values", (1, 3, 5, 7)),
    ("torch.mode(x, 2)[1]", (1, 3, 5, 7)),
    ("x.aminmax(dim=1).max", (1, 3, 5, 7)),
    ("torch.nansum(x, 1) + x.nanmean(1)", (1, 3, 5, 7)),
    ("x.short()", (1, 3, 5, 7)),
    ("x.cfloat()", (1, 3, 5, 7)),
    ("torch.fmax(x, x.long())", (1, 3, 5, 7)),
    ("torch.xlogy(x.long(), 2)", (1, 3, 5, 7)),
    ("torch.logaddexp(x, x[:, :1])", (1, 3, 5, 7)),
    ("x.hsplit(3)[0]", (1, 3, 5, 7)),
    ("torch.vsplit(x, [1])[1]", (2, 3, 5, 7)),
    ("x.ravel()", (1, 3, 5, 7)),
    ("torch.multiply(x, 2) + torch.subtract(x, 1)", (1, 3, 5, 7)),
    ("torch.greater(x, 0) | torch.less_equal(x, 0)", (1, 3, 5, 7)),
    ("x.new_tensor([1, 2])", (1, 3, 5, 7)),
    ("x.mH", (1, 3, 5, 7)),
    ("x.adjoint()", (1, 3, 5, 7)),
    ("x.sum_to_size(1, 3, 1, 7)", (1, 3, 5, 7)),
    ("torch.msort(x)", (1, 3, 5, 7)),
    ("torch.diagflat(x[0, 0, 0])", (1, 3, 5, 7)),
    ("torch.cov(x[0, 0])", (1, 3, 5, 7)),
    ("torch.det(x[..., :5])", (1, 3, 5, 7)),
    ("x.nanmedian(dim=1).indices", (1, 3, 5, 7)),
    ("x.addcmul(x, x, value=2)", (1, 3, 5, 7)),
    ("x.dist(x)", (1, 3, 5, 7)),
    ("torch.view_as_complex(x).real", (1, 3, 5, 2)),
    ("torch.view_as_complex(x).angle()", (1, 3, 5, 2)),
    ("torch.angle(x.long())", (1, 3, 5, 7)),
    ("(x[0, 0] + 1).multinomial(3)", (1, 3, 5, 7)),
    ("torch.histc(x, 10)", (1, 3, 5, 7)),
    ("x.quantile(0.5, dim=1)", (1, 3, 5, 7)),
    ("torch.quantile(x, torch.tensor([0.1, 0.5]), dim=-1, keepdim=True)", (1, 3, 5, 7)),
    ("torch.addr(torch.zeros(5, 7), x[0, 0, :, 0], x[0, 0, 0])", (1, 3, 5, 7)),
    ("torch.vdot(x[0, 0, 0], x[0, 0, 0])", (1, 3, 5, 7)),
    ("x.long().bitwise_not()", (1, 3, 5, 7)),
    ("torch.linalg.norm(x, dim=-1)", (1, 3, 5, 7)),
    ("torch.linalg.norm(x)", (1, 3, 5, 7)),
    ("torch.linalg.vector_norm(x, dim=(1, 2), keepdim=True)", (1, 3, 5, 7)),
    ("torch.linalg.matrix_norm(x)", (1, 3, 5, 7)),
    ("torch.linalg.det(x)", (2, 3, 4, 4)),
    ("torch.linalg.slogdet(x).logabsdet", (2, 3, 4, 4)),
    ("torch.linalg.inv(x + torch.eye(4))", (2, 3, 4, 4)),
    ("torch.linalg.pinv(x)", (1, 3, 5, 7)),
    ("torch.linalg.solve(x + torch.eye(4), x[..., :2])", (2, 4, 4)),
    ("torch.linalg.solve(x + torch.eye(4), x[..., 0])", (2, 4, 4)),
    ("torch.linalg.cholesky(x + torch.eye(4))", (2, 4, 4)),
    ("torch.linalg.qr(x).Q", (1, 3, 5, 7)),
    ("torch.linalg.qr(x, mode='complete')[1]", (1, 3, 5, 7)),
    ("torch.linalg.svd(x)[0]", (1, 3, 5, 7)),
    ("torch.linalg.svd(x, full_matrices=False).Vh", (1, 3, 5, 7)),
    ("torch.linalg.svdvals(x)", (1, 3, 5, 7)),
    ("torch.linalg.eigh(x).eigenvectors", (2, 4, 4)),
    ("torch.linalg.eigvalsh(x)", (2, 4, 4)),
    ("torch.linalg.cross(x[..., :3], x[..., :3])", (1, 3, 5, 7)),
    ("torch.linalg.vecdot(x, x)", (1, 3, 5, 7)),
    ("torch.linalg.multi_dot([x, x.T, x])", (5, 7)),
    ("torch.linalg.matrix_power(x, 3)", (2, 4, 4)),
    ("torch.eye(3) + torch.eye(3, 5, dtype=torch.long)[:, :3]", (1,)),
    ("torch.tril_indices(4, 5, 1)", (1,)),
    ("torch.triu_indices(4, 3, -1)", (1,)),
    ("torch.logspace(0, 2, 5)", (1,)),
    ("torch.randperm(7)", (1,)),
    ("torch.randint_like(x, 5)", (1, 3, 5, 7)),
    ("torch.normal(x, 1.0)", (1, 3, 5, 7)),
    ("torch.normal(0.0, 1.0, (2, 3))", (1,)),
    ("torch.complex(x, x)", (1, 3, 5, 7)),
    ("torch.searchsorted(torch.zeros(5), x)", (1, 3, 5, 7)),
    ("torch.bucketize(x, torch.zeros(5), out_int32=True)", (1, 3, 5, 7)),
    ("torch.cartesian_prod(x, x[:3])", (5,)),
    ("torch.combinations(x, 3)", (5,)),
    ("torch.atleast_3d(x)", (5,)),
    ("torch.hstack([x, x])", (1, 3, 5, 7)),
    ("torch.vstack([x, x])", (5,)),
    ("torch.dstack([x, x])", (3, 5)),
    ("torch.column_stack([x, x])", (5,)),
    ("torch.std_mean(x, dim=1)[0]", (1, 3, 5, 7)),
    ("torch.layer_norm(x, (7,))", (1, 3, 5, 7)),
    ("torch.batch_norm(x, None, None, torch.zeros(3), torch.zeros(3), False, 0.1, 1e-5, False)", (1, 3, 5, 7)),
]


def test_tensor_facts_as_torch_gives_them():
    x, real = TORCH.zeros(2, 3, 4), torch.zeros(2, 3, 4)
    assert (x.stride(), x.stride(1), x.nbytes, x.itemsize, x.is_complex()) == (
        real.stride(), real.stride(1), real.nbytes, real.itemsize, real.is_complex())


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
