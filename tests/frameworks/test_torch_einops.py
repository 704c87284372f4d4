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
