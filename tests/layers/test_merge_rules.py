"""The framework-neutral merge rules (nncalc.layers.merge) against NumPy's own shape arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from nncalc.errors import ShapeError
from nncalc.layers.merge import batch_dot_shape, broadcast_shapes, concat_shapes

BROADCASTS = [
    [(2, 3), (2, 3)],
    [(8, 1, 6, 1), (7, 1, 5)],
    [(5, 4), (1,)],
    [(1, 4), (3, 1), (3, 4)],
    [(3,), (2, 1), (1, 1, 1)],
    [(4,)],
    [(2, 3), ()],
]


@pytest.mark.parametrize("shapes", BROADCASTS, ids=str)
def test_broadcast_matches_numpy(shapes):
    assert broadcast_shapes(shapes) == np.broadcast_shapes(*shapes)


def test_broadcast_keeps_lead_axes_apart_and_unknown_sizes_unknown():
    assert broadcast_shapes([(None, 4), (None, 3, 4)], lead=1) == (None, 3, 4)
    assert broadcast_shapes([(None, None, 4), (None, 3, 4)], lead=1) == (None, None, 4)
    assert broadcast_shapes([(None, 4), (2, 4)], lead=1) == (2, 4)
    with pytest.raises(ShapeError, match="along axis 0"):
        broadcast_shapes([(2, 4), (3, 4)], lead=1)


def test_broadcast_error_names_both_shapes_and_the_axis():
    with pytest.raises(ShapeError) as info:
        broadcast_shapes([(None, 8, 8, 32), (None, 8, 8, 64)], lead=1)
    assert info.value.message.startswith(
        "receives (None, 8, 8, 32) and (None, 8, 8, 64): sizes 32 and 64 along axis 3 differ and neither is 1"
    )
    with pytest.raises(ValueError):
        np.broadcast_shapes((8, 8, 32), (8, 8, 64))


@pytest.mark.parametrize("shapes, axis", [
    ([(2, 3), (2, 5)], -1), ([(2, 3), (4, 3), (1, 3)], 0), ([(2, 3, 4), (2, 1, 4)], 1), ([(5,)], 0),
], ids=str)
def test_concat_matches_numpy(shapes, axis):
    out, formulas = concat_shapes(shapes, axis, "C")
    assert out == np.concatenate([np.zeros(s) for s in shapes], axis=axis).shape
    if len(shapes) > 1:
        (name, formula), = formulas
        assert name == "C" and formula.value == out[axis] and formula.symbols() == " + ".join(
            f"C_{i + 1}" for i in range(len(shapes)))


def test_concat_errors_and_unknown_sizes():
    assert concat_shapes([(None, 4, 3), (None, 4, 5)], -1)[0] == (None, 4, 8)
    assert concat_shapes([(None, None, 3), (None, 4, 5)], -1)[0] == (None, None, 8)
    assert concat_shapes([(None, 3), (None, None)], -1)[0] == (None, None)
    with pytest.raises(ShapeError, match="differ along axis 1 \\(8 vs 4\\)"):
        concat_shapes([(None, 8, 3), (None, 4, 3)], -1)
    with pytest.raises(ShapeError, match="different ranks"):
        concat_shapes([(2, 3), (3,)], 0)
    with pytest.raises(ShapeError, match="out of range"):
        concat_shapes([(2, 3), (2, 3)], 2)


@pytest.mark.parametrize("a, b, axes", [((2, 4), (2, 4), (1, 1)), ((2, 3, 5), (2, 4, 3), (1, 2)),
                                        ((2, 3, 4), (2, 5, 4), (2, 2))], ids=str)
def test_batch_dot_matches_numpy(a, b, axes):
    out, macs = batch_dot_shape(a, b, axes)
    x, y = np.zeros(a), np.zeros(b)
    expected = np.stack([np.tensordot(x[i], y[i], axes=(axes[0] - 1, axes[1] - 1)) for i in range(a[0])]).shape
    assert out == (expected if len(expected) > 1 else (*expected, 1))
    assert macs == int(np.prod(out)) * a[axes[0]]
    with pytest.raises(ShapeError, match="contracted sizes"):
        batch_dot_shape((2, 3), (2, 4), (1, 1))
