"""``nn.CosineSimilarity`` and ``nn.PairwiseDistance`` with ``F.cosine_similarity``, ``F.pairwise_distance``,
``F.pdist`` and ``torch.dist``: one number per pair of vectors. No weights, no multiply-accumulates counted
(torch's ``FlopCounterMode`` counts none either)."""

from __future__ import annotations

from nncalc.frameworks.torch.dtypes import promote
from nncalc.frameworks.torch.errors import shape_error
from nncalc.frameworks.torch.functional import op, tensor_arg
from nncalc.frameworks.torch.arguments import tensor_input
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.shapes import broadcast, dim_index
from nncalc.frameworks.torch.tensor import Tensor


def _pair(x1: Tensor, x2: Tensor, name: str) -> tuple:
    try:
        return broadcast(x1._shape, x2._shape)
    except Exception as error:  # noqa: BLE001 - the broadcast error, told as this op's
        raise shape_error(f"{name}: the inputs {list(x1._shape)} and {list(x2._shape)} do not broadcast", "broadcast",
                          hint=getattr(error, "hint", None)) from None


def cosine_similarity_shape(x1: Tensor, x2: Tensor, dim: int) -> Tensor:
    """The broadcast shape of both without ``dim``."""
    shape = _pair(x1, x2, "cosine_similarity")
    axis = dim_index(dim, len(shape))
    return Tensor._make(shape[:axis] + shape[axis + 1:], promote(x1._dtype, x2._dtype), x1._device)


def pairwise_distance_shape(x1: Tensor, x2: Tensor, keepdim: bool) -> Tensor:
    """The broadcast shape of both without its last dimension (kept as 1 with ``keepdim``); 1-D inputs give
    a scalar."""
    shape = _pair(x1, x2, "pairwise_distance")
    if len(x1._shape) <= 1 and len(x2._shape) <= 1:
        out = (1,) if keepdim and shape else ()
    else:
        out = shape[:-1] + ((1,) if keepdim else ())
    return Tensor._make(out, promote(x1._dtype, x2._dtype), x1._device)


@builtin
class CosineSimilarity(Module):
    """``nn.CosineSimilarity(dim=1, eps=1e-08)``, called on two tensors that broadcast."""

    def __init__(self, dim=1, eps=1e-08):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        return cosine_similarity_shape(tensor_input(x1, self), tensor_input(x2, self), self.dim)


@builtin
class PairwiseDistance(Module):
    """``nn.PairwiseDistance(p=2.0, eps=1e-06, keepdim=False)``, called on two tensors that broadcast."""

    def __init__(self, p=2.0, eps=1e-06, keepdim=False):
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return pairwise_distance_shape(tensor_input(x1, self), tensor_input(x2, self), self.keepdim)


@op("F.cosine_similarity")
def cosine_similarity(x1, x2, dim=1, eps=1e-08):
    """``F.cosine_similarity(x1, x2, dim=1, eps=1e-08)``."""
    return cosine_similarity_shape(tensor_arg(x1, "cosine_similarity"), tensor_arg(x2, "cosine_similarity"), dim)


@op("F.pairwise_distance")
def pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False):
    """``F.pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False)``."""
    return pairwise_distance_shape(tensor_arg(x1, "pairwise_distance"), tensor_arg(x2, "pairwise_distance"),
                                   keepdim)


@op("F.pdist")
def pdist(input, p=2):
    """``F.pdist(input, p=2)``: the distances of the ``N(N − 1)/2`` pairs of rows of an ``(N, M)`` input."""
    x = tensor_arg(input, "pdist")
    if len(x._shape) != 2:
        raise shape_error(f"pdist only supports 2D tensors, got: {len(x._shape)}D", "rank")
    rows = x._shape[0]
    return x._like((rows * (rows - 1) // 2,), factors=None)


@op("torch.dist")
def dist(input, other, p=2):
    """``torch.dist(input, other, p=2)``: the norm of the difference, a scalar."""
    a, b = tensor_arg(input, "dist"), tensor_arg(other, "dist")
    _pair(a, b, "dist")
    return Tensor._make((), promote(a._dtype, b._dtype), a._device)


FUNCTIONAL = {"cosine_similarity": cosine_similarity, "pairwise_distance": pairwise_distance, "pdist": pdist}
"""``torch.nn.functional`` members (the first two and ``pdist`` are also ``torch`` functions)."""
TORCH = {**FUNCTIONAL, "dist": dist}
"""``torch`` members."""
