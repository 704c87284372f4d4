"""The framework-neutral rules for transposed convolutions (nncalc.layers.conv), resizing, padding and cropping
(nncalc.layers.resize) and layer/group/instance norm (nncalc.layers.normalization). Expected sizes come from
the frameworks' own formulas: PyTorch's documented transposed-convolution size, Keras's
``_get_output_shape_given_tf_padding`` and ``torch.nn.functional`` run on zeros."""

from __future__ import annotations

import itertools
import math

import pytest

from nncalc.errors import ShapeError
from nncalc.layers.conv import ConvSpec, conv_output, conv_params_formula, conv_terms, conv_transpose_macs
from nncalc.layers.conv import transposed_window
from nncalc.layers.normalization import check_groups, group_norm_terms, instance_norm_terms, layer_norm_terms
from nncalc.layers.resize import as_pairs, check_reflection_padding, crop_output, pad_output, upsample_output

def _torch_cases():
    """Sizes torch accepts: output_padding below the stride or the dilation, and some output left."""
    for size, k, s, p, d, op in itertools.product((1, 5, 8), (1, 2, 3, 4), (1, 2, 3), (0, 1, 2), (1, 2), (0, 1)):
        expected = (size - 1) * s - 2 * p + d * (k - 1) + op + 1
        if op < max(s, d) and expected >= 1:
            yield size, k, s, p, d, op, expected


def test_transposed_window_is_torchs_formula():
    cases = list(_torch_cases())
    assert len(cases) > 200
    for size, k, s, p, d, op, expected in cases:
        out, formula = transposed_window(size, k, s, (p, p), d, op)
        assert out == expected, (size, k, s, p, d, op)
        assert formula.value == expected


def test_transposed_window_is_keras_formula():
    keras_utils = pytest.importorskip("keras.src.backend.common.backend_utils")
    reference = keras_utils._get_output_shape_given_tf_padding
    for size, k, s, padding, d, op in itertools.product(
        (1, 5, 8), (1, 2, 3, 4), (1, 2, 3), ("valid", "same"), (1, 2), (None, 0, 1, 2)
    ):
        out, formula = transposed_window(size, k, s, padding, d, op)
        assert out == reference(size, k, s, padding, op, d), (size, k, s, padding, d, op)
        assert formula.value == out


def test_transposed_spec_terms_formula_and_macs():
    spec = ConvSpec(2, 64, 32, (2, 2), (2, 2), ((0, 0), (0, 0)), (1, 1), 1, True, transposed=True,
                    output_padding=(0, 0))
    assert [t.dims for t in conv_terms(spec)] == [
        (("k_h", 2), ("k_w", 2), ("filters", 32), ("C_in", 64)),
        (("filters", 32),),
    ]
    assert conv_params_formula(spec).worked().endswith("= 8,224")
    assert conv_output(spec, (16, 15))[0] == (32, 30)
    assert conv_output(spec, (16, 15))[1][0][1].symbols() == "(H_in − 1) × s_h + k_h"
    assert conv_transpose_macs(spec, 1, (16, 15)) == 16 * 15 * 64 * 2 * 2 * 32


def test_grouped_transposed_kernel_holds_filters_per_group():
    spec = ConvSpec(2, 8, 6, (3, 3), (1, 1), "valid", (1, 1), 2, False, transposed=True)
    (kernel,) = conv_terms(spec)
    assert kernel.dims == (("k_h", 3), ("k_w", 3), ("filters/groups", 3), ("C_in", 8))
    assert kernel.numel == conv_params_formula(spec).value == 8 * 3 * 9


UPSAMPLES = [
    ((7, 9), None, (2, 2)),
    ((7, 9), None, (2.0, 3)),
    ((7, 9), None, (1.5, 0.5)),
    ((7, 9), None, (1.1, 2.5)),
    ((5,), None, (3,)),
    ((2, 5, 7), None, (1, 2, 2)),
    ((7, 9), (10, 4), None),
]


@pytest.mark.parametrize("spatial, size, scale", UPSAMPLES, ids=str)
def test_upsample_output_matches_torch_interpolate(spatial, size, scale):
    torch = pytest.importorskip("torch")
    real = torch.nn.functional.interpolate(torch.zeros(1, 1, *spatial), size=size, scale_factor=scale)
    sizes, formulas = upsample_output(spatial, size, scale)
    assert sizes == tuple(real.shape[2:])
    assert [f.value for _, f in formulas] == list(real.shape[2:])


def test_upsample_formula_and_errors():
    assert upsample_output((7, 9), scale=(2, 2))[1][0][1].worked() == "H_in × scale_h = 7 × 2 = 14"
    with pytest.raises(ShapeError, match="either size or scale_factor"):
        upsample_output((7, 9))
    with pytest.raises(ShapeError, match="leaves no output"):
        upsample_output((1, 9), scale=(0.5, 1))
    with pytest.raises(ShapeError, match="2 spatial dimensions"):
        upsample_output((7, 9), size=(4,))


PADS = [
    ((7, 9), ((1, 1), (2, 2))),
    ((7, 9), ((0, 3), (1, 0))),
    ((7, 9), ((-1, -2), (0, 0))),
    ((4,), ((5, 0),)),
]


@pytest.mark.parametrize("spatial, pairs", PADS, ids=str)
def test_pad_output_matches_torch_pad(spatial, pairs):
    torch = pytest.importorskip("torch")
    flat = [amount for pair in reversed(pairs) for amount in pair]
    real = torch.nn.functional.pad(torch.zeros(1, 1, *spatial), flat)
    sizes, formulas = pad_output(spatial, pairs)
    assert sizes == tuple(real.shape[2:])
    assert [f.value for _, f in formulas] == list(real.shape[2:])


def test_pad_and_crop_formulas():
    (_, h), (_, w) = pad_output((7, 9), ((1, 1), (0, 2)))[1]
    assert h.worked() == "H_in + 2 × p_h = 7 + 2 × 1 = 7 + 2 = 9"
    assert w.symbols() == "W_in + p_w_after"
    (_, h), (_, w) = crop_output((7, 9), ((1, 2), (3, 3)))[1]
    assert h.symbols() == "H_in − c_h_before − c_h_after" and h.value == 4
    assert w.worked() == "W_in − 2 × c_w = 9 − 2 × 3 = 9 − 6 = 3"


def test_crop_and_pad_errors():
    with pytest.raises(ShapeError, match="cropping is too large"):
        crop_output((4, 9), ((2, 2), (0, 0)))
    with pytest.raises(ShapeError, match="must not be negative"):
        crop_output((4, 9), ((-1, 0), (0, 0)))
    with pytest.raises(ShapeError, match="resulting padded dimension is invalid"):
        pad_output((4,), ((-3, -2),))
    with pytest.raises(ShapeError, match="less than the corresponding input dimension"):
        check_reflection_padding((4, 9), ((4, 0), (1, 1)))
    check_reflection_padding((4, 9), ((3, 3), (8, 8)))


def test_as_pairs_reads_keras_padding_arguments():
    assert as_pairs(1, 2) == ((1, 1), (1, 1))
    assert as_pairs((1, 2), 2) == ((1, 1), (2, 2))
    assert as_pairs(((1, 2), (3, 4)), 2) == ((1, 2), (3, 4))
    assert as_pairs([2, (0, 1), 3], 3) == ((2, 2), (0, 1), (3, 3))
    with pytest.raises(ShapeError, match="cropping"):
        as_pairs((1, 2, 3), 2, "cropping")


def test_normalisation_terms():
    assert [(t.role, t.shape) for t in layer_norm_terms((64,))] == [("gamma", (64,)), ("beta", (64,))]
    assert [t.numel for t in layer_norm_terms((8, 5, 5), center=False)] == [200]
    assert layer_norm_terms((10,), False, False) == []
    assert [(t.role, t.numel) for t in group_norm_terms(64, 32)] == [("gamma", 64), ("beta", 64)]
    assert [t.role for t in instance_norm_terms(8)] == []
    stats = instance_norm_terms(8, affine=True, track_running_stats=True)
    assert [(t.role, t.statistic) for t in stats] == [
        ("gamma", False), ("beta", False), ("moving_mean", True), ("moving_variance", True)
    ]
    with pytest.raises(ShapeError, match=r"num_channels \(10\) must be divisible by num_groups \(4\)"):
        check_groups(10, 4)


def test_layer_norm_counts_match_torch():
    torch = pytest.importorskip("torch")
    for shape in ((64,), (7, 10), (8, 5, 5)):
        real = sum(p.numel() for p in torch.nn.LayerNorm(shape).parameters())
        assert sum(t.numel for t in layer_norm_terms(shape)) == real == 2 * math.prod(shape)
