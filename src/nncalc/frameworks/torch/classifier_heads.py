"""Classifier heads fused with their loss: ``nn.AdaptiveLogSoftmaxWithLoss`` (a head over the frequent
classes and one low-rank tail per cluster of rare ones) and ``nn.LinearCrossEntropyLoss`` (a projection and
cross-entropy in one op), with torch's submodules, so their parameters count as torch counts them."""

from __future__ import annotations

from math import prod

from nncalc.errors import InterpreterError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.containers import ModuleList, Sequential
from nncalc.frameworks.torch.dtypes import INT64
from nncalc.frameworks.torch.errors import TorchValueError, check_int, plural, shape_error
from nncalc.frameworks.torch.arguments import tensor_input
from nncalc.frameworks.torch.linear import Linear
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import Tensor, named_pair
from nncalc.layers.base import positions


ASMOutput = named_pair("ASMOutput", "output", "loss")
"""torch's ``_ASMoutput``."""


@builtin
class AdaptiveLogSoftmaxWithLoss(Module):
    """``nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, div_value=4.0, head_bias=False)``:
    ``head`` a Linear to the shortlist plus one logit per cluster; ``tail.i`` a Linear to
    ``in_features // div_value^(i+1)`` then one to the cluster's classes, both without bias."""

    def __init__(self, in_features, n_classes, cutoffs, div_value=4.0, head_bias=False, device=None, dtype=None):
        super().__init__()
        self.in_features = check_int(in_features, "in_features", self, 1)
        self.n_classes = check_int(n_classes, "n_classes", self, 1)
        cutoffs = list(cutoffs)
        if (not cutoffs or cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > self.n_classes - 1
                or len(set(cutoffs)) != len(cutoffs) or any(int(c) != c for c in cutoffs)):
            raise TorchValueError("cutoffs should be a sequence of unique, positive integers sorted in an increasing "
                                  "order, where each value is between 1 and n_classes-1")
        self.cutoffs = cutoffs + [self.n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(self.in_features, self.head_size, bias=head_bias, dtype=dtype)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hidden = int(self.in_features // (div_value ** (i + 1)))
            size = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(Sequential(Linear(self.in_features, hidden, bias=False, dtype=dtype),
                                        Linear(hidden, size, bias=False, dtype=dtype)))

    def _check(self, x: Tensor) -> None:
        if len(x._shape) not in (1, 2) or x._shape[-1] != self.in_features:
            raise shape_error(f"{self._describe()} receives an input of shape {list(x._shape)}; it takes (N, "
                              f"{self.in_features}) or ({self.in_features},)", "features", self,
                              got=x._shape[-1] if x._shape else 0, expected=self.in_features)

    def forward(self, input, target):
        x, labels = tensor_input(input, self), tensor_input(target, self)
        self._check(x)
        if labels._shape != x._shape[:-1]:
            raise shape_error(f"{self._describe()}: Input and target should have the same size in the batch "
                              f"dimension (input {list(x._shape)}, target {list(labels._shape)})", "reshape", self)
        self.head(x)
        if self.n_clusters:  # which tails run, and on how many rows, depends on the labels' values
            raise InterpreterError(
                f"{self._describe()}: its forward runs the tail of a cluster only on the rows whose target falls "
                "in it, so its work depends on the target's values, which nncalc does not know",
                hint="analyse the model without the loss (log_prob(input) runs every tail), or count the head alone",
            )
        return ASMOutput(x._like(x._shape[:-1], factors=None), Tensor._make((), x._dtype, x._device))

    def log_prob(self, input) -> Tensor:
        """``(N, n_classes)`` log-probabilities: the head and every tail on the whole input."""
        x = tensor_input(input, self)
        self._check(x)
        self.head(x)
        for cluster in self.tail:
            cluster(x)
        return x._like(x._shape[:-1] + (self.n_classes,), factors=None)

    def predict(self, input) -> Tensor:
        """``(N,)`` class indices; the tails torch runs depend on the head's scores, so nncalc runs them all."""
        return self.log_prob(input)._like(tensor_input(input, self)._shape[:-1], dtype_=INT64, factors=None)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, n_classes={self.n_classes}, cutoffs={self.cutoffs[:-1]}"


@builtin
class LinearCrossEntropyLoss(Module):
    """``nn.LinearCrossEntropyLoss(in_features, num_classes, *, out_features=(), bias=False, …,
    reduction='mean', weight=None, ignore_index=None, label_smoothing=0.0, options=None)``: a projection
    (its ``linear``, ``num_classes × ∏out_features`` outputs) and cross-entropy in one op, which uses the
    projection's weights without calling it; a scalar, or the target's shape with ``reduction='none'``."""

    def __init__(self, in_features, num_classes, *, out_features=(), bias=False, device=None, dtype=None,
                 reduction="mean", weight=None, ignore_index=None, label_smoothing=0.0, options=None):
        super().__init__()
        self.in_features = check_int(in_features, "in_features", self, 1)
        self.num_classes = check_int(num_classes, "num_classes", self, 1)
        self.out_features = tuple(out_features)
        self.reduction, self.ignore_index, self.label_smoothing = reduction, ignore_index, label_smoothing
        self.options = options
        self.linear = Linear(self.in_features, self.num_classes * prod(self.out_features), bias=bias, dtype=dtype)
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        x, labels = tensor_input(input, self), tensor_input(target, self)
        if not x._shape or x._shape[-1] != self.in_features:
            raise shape_error(f"{self._describe()} receives {plural(x._shape[-1] if x._shape else 0, 'feature')}; "
                              f"it takes {self.in_features}", "features", self)
        recorder.note(positions(x._shape[:-1]) * self.in_features * self.linear.out_features)
        if self.reduction == "none":
            return Tensor._make(labels._shape, x._dtype, x._device)
        return Tensor._make((), x._dtype, x._device)
