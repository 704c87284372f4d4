"""einops over nncalc's tensors: what is not a tensor is never a shape error of the model (exit 1)."""

from __future__ import annotations

import pytest

from nncalc import analyze
from nncalc.errors import InterpreterError, ShapeError

MASK = """
import numpy as np
import torch.nn as nn
from einops import rearrange

LENGTHS = np.load("lengths.npy")


class Masked(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(16, 16)

    def forward(self, x):
        mask = rearrange(LENGTHS, "b -> b 1")
        return self.proj(x) * mask


model = Masked()
"""


@pytest.mark.parametrize("lengths, says", [
    ('np.load("lengths.npy")', "needs the value of `LENGTHS` (line 6) = `numpy.load(...)`"),  # its origin
    ("[3, 5]", "nncalc reads einops on torch tensors, got list"),
])  # fmt: skip
def test_rearrange_of_what_is_no_tensor_is_a_refusal_not_a_shape_error(lengths, says):
    with pytest.raises(InterpreterError) as caught:
        analyze(MASK.replace('np.load("lengths.npy")', lengths), input_shapes=[(8, 16)])
    assert not isinstance(caught.value, ShapeError)
    assert says in caught.value.message


PATTERNS = [
    ((1, 64, 14, 14), "b (h d) ... -> b h (...) d", {"h": 4}),  # LeViT's attention: the ellipsis composed
    ((1, 64, 14, 14), "b c ... -> b (...) c", {}),
    ((1, 64), "b c ... -> b (...) c", {}),  # no axes under the ellipsis: a composite of none is 1
    ((2, 3, 4, 5), "b ... c -> b c ...", {}),
    ((2, 3, 8, 8), "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", {"p1": 4, "p2": 4}),
]


@pytest.mark.parametrize("shape, pattern, sizes", PATTERNS, ids=[p[1] for p in PATTERNS])
def test_rearrange_shapes_match_einops(shape, pattern, sizes):
    import einops  # the test environment has both (pyproject's test extra)
    import torch

    from nncalc.frameworks.torch.einops import transform

    expected = tuple(einops.rearrange(torch.zeros(shape), pattern, **sizes).shape)
    assert transform(shape, pattern, sizes, "rearrange") == expected
