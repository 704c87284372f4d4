"""The symbolic torch layers against the real torch: same arguments, same output shape, same parameters and
buffers (names, shapes, counts). Every expected value comes from real torch in the same test."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from nncalc.frameworks.torch import new_session  # noqa: E402
from nncalc.frameworks.torch.module import tensors_in  # noqa: E402
from torch_helpers import real_layer as _real, row_id as _ids  # noqa: E402
from torch_rows import LAYERS as ROWS  # noqa: E402

SESSION = new_session()
NN = SESSION.modules["torch.nn"]
TORCH = SESSION.modules["torch"]


@pytest.mark.parametrize("row", ROWS, ids=[_ids(r) for r in ROWS])
def test_layer_matches_torch(row):
    name, args, kwargs, shape = row
    real, real_out = _real(name, args, kwargs, shape)
    ours = getattr(NN, name)(*args, **kwargs)
    out = ours(TORCH.zeros(*shape))

    assert [t._shape for t in tensors_in(out)] == [tuple(t.shape) for t in tensors_in_real(real_out)]
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in real.named_parameters()
    ]
    assert [(n, tuple(b.shape)) for n, b in ours.named_buffers()] == [
        (n, tuple(b.shape)) for n, b in real.named_buffers()
    ]
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in real.parameters())


def tensors_in_real(value):
    if isinstance(value, torch.Tensor):
        return [value]
    return [t for item in value for t in tensors_in_real(item)]


BATCHED = [r for r in ROWS if r[0] not in ("Identity",) and len(r[3]) >= 2 and not r[2].get("return_indices")]


@pytest.mark.parametrize("row", BATCHED, ids=[_ids(r) for r in BATCHED])
def test_traced_graph_matches_torch(row):
    """The same layer traced as a model: one call, its shapes, weights and MACs."""
    name, args, kwargs, shape = row
    real, real_out = _real(name, args, kwargs, shape)
    graph = SESSION.trace(getattr(NN, name)(*args, **kwargs), [shape[1:]], shape[0], None)

    assert graph.model_name == name
    assert graph.output_shapes == [tuple(real_out.shape)]
    assert len(graph.calls) == 1
    call = graph.calls[0]
    assert call.node is graph.root and call.parent is None
    assert call.input_shapes == [shape] and call.output_shapes == [tuple(real_out.shape)]
    weights = graph.root.weights
    assert [(w.name, w.shape) for w in weights if w.is_param] == [(n, tuple(p.shape)) for n, p in real.named_parameters()]
    assert [(w.name, w.shape) for w in weights if not w.is_param] == [
        (n, tuple(b.shape)) for n, b in real.named_buffers()
    ]
    params = sum(w.numel for w in weights if w.is_param)
    formula = graph.root.params_formula
    assert (formula.value if formula is not None else 0) == params
    assert call.macs == _expected_macs(real, shape, real_out)


def _expected_macs(real, shape, out) -> int:
    """Multiply-accumulates from the real layer's output, by the textbook formula (bias excluded)."""
    if isinstance(real, torch.nn.modules.conv._ConvNd):
        return out.numel() * (real.in_channels // real.groups) * math.prod(real.kernel_size)
    if isinstance(real, torch.nn.Linear):
        return out.numel() * real.in_features
    return 0


def test_conv_formula_is_the_seeds():
    conv = NN.Conv2d(in_channels=3, out_channels=8, kernel_size=3, stride=1, padding=0)
    graph = SESSION.trace(conv, [(3, 32, 32)], None, None)
    assert graph.root.params_formula.worked() == (
        "(k_h × k_w × C_in + 1) × filters = (3 × 3 × 3 + 1) × 8 = (27 + 1) × 8 = 28 × 8 = 224"
    )
    assert [axis for axis, _ in graph.calls[0].shape_formulas] == ["H", "W"]
    assert graph.calls[0].shape_formulas[0][1].value == 30


def test_batch_norm_formula_counts_only_parameters():
    graph = SESSION.trace(NN.BatchNorm2d(8), [(8, 4, 4)], None, None)
    assert graph.root.params_formula.symbols() == "2 × num_features"
    assert graph.root.params_formula.value == 16
    assert {w.name: w.is_param for w in graph.root.weights} == {
        "weight": True, "bias": True, "running_mean": False, "running_var": False, "num_batches_tracked": False,
    }


def test_layer_dtype_argument_sets_weight_dtype():
    real = torch.nn.Linear(3, 4, dtype=torch.float16)
    graph = SESSION.trace(NN.Linear(3, 4, dtype=TORCH.float16), [(3,)], None, None)
    assert {w.dtype for w in graph.root.weights} == {str(real.weight.dtype).removeprefix("torch.")}


def test_layer_attributes_like_torch():
    real, ours = torch.nn.Conv2d(3, 8, 3, padding=1), NN.Conv2d(3, 8, 3, padding=1)
    for attr in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"):
        assert getattr(ours, attr) == getattr(real, attr), attr
    assert NN.Linear(4, 2).out_features == torch.nn.Linear(4, 2).out_features
    assert NN.BatchNorm2d(5).num_features == 5


def test_quick_window_sizes_equal_the_rule():
    """Unrecorded runs (input inference) size windows by numbers only; they must agree with the rule."""
    from itertools import product

    from nncalc.layers.base import sliding_window, window_output

    for size, kernel, stride, pad, dilation, ceil in product(range(1, 12), (1, 2, 3, 5), (1, 2, 3), (0, 1, 2),
                                                             (1, 2), (False, True)):
        for padding in ((pad, pad), (0, pad), "valid", "same"):
            expected, _ = sliding_window(size, kernel, stride, padding, dilation, ceil)
            assert window_output(size, kernel, stride, padding, dilation, ceil) == expected
