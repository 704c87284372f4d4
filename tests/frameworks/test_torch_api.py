"""The symbolic torch layers against the real torch: same arguments, same output shape, same parameters and
buffers (names, shapes, counts). Every expected value comes from real torch in the same test."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from nncalc.frameworks.torch import new_session  # noqa: E402
from nncalc.frameworks.torch.module import tensors_in  # noqa: E402
from torch_helpers import real_layer as _real, row_id as _ids  # noqa: E402

SESSION = new_session()
NN = SESSION.modules["torch.nn"]
TORCH = SESSION.modules["torch"]

# (layer, args, kwargs, input shape)
ROWS = [
    # convolutions
    ("Conv2d", (3, 8, 3), {}, (1, 3, 32, 32)),
    ("Conv2d", (), {"in_channels": 3, "out_channels": 8, "kernel_size": 3, "stride": 1, "padding": 0}, (1, 3, 32, 32)),
    ("Conv2d", (3, 8, 3), {"stride": 2, "padding": 1}, (2, 3, 31, 17)),
    ("Conv2d", (3, 8, (3, 5)), {"stride": (2, 1), "padding": (1, 2)}, (1, 3, 20, 21)),
    ("Conv2d", (4, 8, 3), {"groups": 2, "bias": False}, (1, 4, 9, 9)),
    ("Conv2d", (8, 8, 3), {"groups": 8, "padding": 1}, (1, 8, 7, 7)),
    ("Conv2d", (3, 8, 3), {"padding": "same"}, (1, 3, 11, 12)),
    ("Conv2d", (3, 8, 4), {"padding": "same"}, (1, 3, 11, 12)),
    ("Conv2d", (3, 8, 3), {"padding": "valid"}, (1, 3, 11, 12)),
    ("Conv2d", (3, 8, 3), {"dilation": 2}, (1, 3, 15, 15)),
    ("Conv2d", (3, 8, 3), {"padding": 2, "dilation": 2, "padding_mode": "reflect"}, (1, 3, 15, 15)),
    ("Conv2d", (3, 6, 3), {"padding": "same", "dilation": 2, "padding_mode": "circular"}, (1, 3, 15, 15)),
    ("Conv2d", (3, 8, 3), {}, (3, 10, 10)),  # unbatched (C, H, W)
    ("Conv2d", (3, 8, 1), {"stride": 3}, (1, 3, 10, 10)),
    ("Conv1d", (1, 16, 80), {"stride": 4}, (1, 1, 4000)),
    ("Conv1d", (16, 32, 4), {"padding": "same"}, (1, 16, 50)),
    ("Conv1d", (32, 32, 3), {"dilation": 2, "bias": False}, (1, 32, 16)),
    ("Conv1d", (32, 64, 3), {"stride": 2, "padding": 1, "groups": 4}, (2, 32, 15)),
    ("Conv1d", (2, 4, 3), {}, (2, 9)),  # unbatched (C, L)
    ("Conv3d", (3, 8, 3), {"padding": 1}, (1, 3, 8, 16, 16)),
    ("Conv3d", (8, 16, (3, 3, 3)), {"stride": (1, 2, 2), "padding": (1, 1, 1)}, (1, 8, 8, 16, 16)),
    ("Conv3d", (16, 16, 3), {"padding": "same", "dilation": (1, 2, 2)}, (1, 16, 4, 8, 8)),
    # linear
    ("Linear", (10, 5), {}, (2, 10)),
    ("Linear", (10, 5), {"bias": False}, (2, 10)),
    ("Linear", (10, 5), {}, (2, 3, 10)),
    ("Linear", (10, 5), {}, (10,)),
    ("Linear", (), {"in_features": 3136, "out_features": 128}, (1, 3136)),
    # pooling
    ("MaxPool2d", (2,), {}, (1, 16, 28, 28)),
    ("MaxPool2d", (), {"kernel_size": 2, "stride": 2}, (1, 16, 27, 27)),
    ("MaxPool2d", (3,), {"stride": 2, "ceil_mode": True}, (1, 32, 15, 15)),
    ("MaxPool2d", (2,), {"stride": 2, "padding": 1, "ceil_mode": True}, (1, 4, 7, 9)),
    ("MaxPool2d", (3, 2, 1), {}, (1, 4, 9, 9)),
    ("MaxPool2d", (3,), {"padding": 1, "dilation": 2}, (1, 4, 9, 9)),
    ("MaxPool2d", ((2, 3),), {"stride": (1, 2)}, (1, 4, 9, 9)),
    ("MaxPool2d", (2,), {"return_indices": True}, (1, 4, 8, 8)),
    ("MaxPool2d", (2,), {}, (4, 8, 8)),  # unbatched
    ("MaxPool1d", (4,), {}, (1, 16, 993)),
    ("MaxPool1d", (3,), {"stride": 3, "ceil_mode": True}, (1, 32, 62)),
    ("MaxPool3d", ((1, 2, 2),), {}, (1, 8, 8, 32, 32)),
    ("MaxPool3d", (3, 2, 1), {}, (1, 16, 4, 8, 8)),
    ("AvgPool2d", (2,), {}, (1, 3, 9, 9)),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}, (1, 3, 10, 10)),
    ("AvgPool2d", (2,), {"divisor_override": 3}, (1, 3, 6, 7)),
    ("AvgPool2d", (2,), {"padding": 1}, (1, 3, 5, 5)),
    ("AvgPool1d", (3,), {"stride": 2, "padding": 1}, (1, 32, 20)),
    ("AvgPool3d", (2,), {"ceil_mode": True}, (1, 16, 7, 9, 9)),
    ("AdaptiveAvgPool2d", (1,), {}, (1, 64, 7, 7)),
    ("AdaptiveAvgPool2d", ((2, 3),), {}, (1, 64, 7, 7)),
    ("AdaptiveAvgPool2d", ((None, 3),), {}, (1, 2, 5, 7)),
    ("AdaptiveAvgPool2d", (3,), {}, (1, 3, 2, 2)),
    ("AdaptiveAvgPool1d", (1,), {}, (1, 64, 20)),
    ("AdaptiveAvgPool3d", ((1, 2, 2),), {}, (1, 4, 3, 8, 8)),
    ("AdaptiveMaxPool2d", (4,), {}, (1, 4, 9, 9)),
    ("AdaptiveMaxPool2d", (2,), {"return_indices": True}, (1, 4, 9, 9)),
    ("AdaptiveMaxPool1d", (2,), {}, (1, 4, 9)),
    # reshaping
    ("Flatten", (), {}, (1, 16, 14, 14)),
    ("Flatten", (0,), {}, (2, 3, 4)),
    ("Flatten", (1, 2), {}, (2, 3, 4, 5)),
    ("Flatten", (), {"start_dim": -2}, (2, 3, 4, 5)),
    ("Unflatten", (1, (2, 5)), {}, (1, 10)),
    ("Unflatten", (1, (2, -1)), {}, (1, 10)),
    # dropout
    ("Dropout", (0.3,), {}, (1, 10)),
    ("Dropout", (), {"p": 0.5, "inplace": True}, (1, 3, 4, 4)),
    ("Dropout1d", (0.1,), {}, (1, 3, 8)),
    ("Dropout2d", (), {}, (1, 3, 4, 4)),
    ("Dropout3d", (), {}, (1, 3, 2, 4, 4)),
    # normalisation
    ("BatchNorm1d", (16,), {}, (2, 16)),
    ("BatchNorm1d", (16,), {}, (2, 16, 10)),
    ("BatchNorm2d", (8,), {}, (1, 8, 5, 5)),
    ("BatchNorm2d", (8,), {"affine": False}, (1, 8, 5, 5)),
    ("BatchNorm2d", (8,), {"track_running_stats": False}, (1, 8, 5, 5)),
    ("BatchNorm2d", (8,), {"bias": False}, (1, 8, 5, 5)),
    ("BatchNorm2d", (8, 1e-3, 0.01), {}, (1, 8, 5, 5)),
    ("BatchNorm3d", (4,), {}, (1, 4, 2, 3, 3)),
    # activations
    ("ReLU", (), {}, (1, 3, 4, 4)),
    ("ReLU", (), {"inplace": True}, (1, 3)),
    ("ReLU6", (), {}, (1, 3)),
    ("LeakyReLU", (0.2,), {}, (1, 3)),
    ("ELU", (), {"alpha": 0.5}, (1, 3)),
    ("GELU", (), {}, (1, 3)),
    ("GELU", (), {"approximate": "tanh"}, (1, 3)),
    ("SiLU", (), {}, (1, 3)),
    ("Sigmoid", (), {}, (1, 3)),
    ("Tanh", (), {}, (1, 3)),
    ("Softmax", (), {"dim": 1}, (1, 10)),
    ("Softmax", (-1,), {}, (2, 3, 10)),
    ("LogSoftmax", (), {"dim": 1}, (1, 10)),
    ("Hardswish", (), {}, (1, 3)),
    ("Hardsigmoid", (), {}, (1, 3)),
    ("Mish", (), {}, (1, 3)),
    ("Softplus", (), {"beta": 2}, (1, 3)),
    ("Hardtanh", (-2.0, 2.0), {}, (1, 3)),
    ("Identity", (3,), {"unused": 1}, (1, 3, 4)),
    ("PReLU", (), {}, (1, 3, 4, 4)),
    ("PReLU", (3,), {}, (1, 3, 4, 4)),
]


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
