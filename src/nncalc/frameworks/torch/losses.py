"""The loss modules (``nn.CrossEntropyLoss`` …): built and called like modules, but auxiliary, never the model a
user points at."""

from __future__ import annotations

from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import Tensor


class _Loss(Module):
    """A loss: built and called like a module, but not part of any model's graph. Its value is a scalar, or with
    ``reduction="none"`` one value per element of the input, less the axes the loss sums over (:data:`SUMMED`)."""

    __nncalc_auxiliary__ = True  # built around a model, not into it (nncalc.interpreter.limits.note_built)

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.reduction = kwargs.get("reduction", "mean")

    def forward(self, input, *args, **kwargs):
        if self.reduction != "none" or not isinstance(input, Tensor):
            return Tensor._make(())
        shape = input._shape
        summed = SUMMED.get(type(self).__name__)
        if summed == "class":  # (C,) or (N, C, d1, …): the class axis
            shape = shape[:1] + shape[2:] if len(shape) > 1 else ()
        elif summed == "last":  # (D,) or (N, D): the feature axis
            shape = shape[:-1]
        elif summed == "time and class":  # log-probabilities (T, C) or (T, N, C): one loss per sequence
            shape = shape[1:-1]
        return input._like(shape)


SUMMED = {
    "CrossEntropyLoss": "class", "NLLLoss": "class", "NLLLoss2d": "class",
    "MultiMarginLoss": "last", "MultiLabelMarginLoss": "last", "MultiLabelSoftMarginLoss": "last",
    "TripletMarginLoss": "last", "TripletMarginWithDistanceLoss": "last", "CosineEmbeddingLoss": "last",
    "CTCLoss": "time and class",
}


LOSS_NAMES = (
    "L1Loss", "MSELoss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "KLDivLoss",
    "SmoothL1Loss", "HuberLoss", "CTCLoss", "PoissonNLLLoss", "GaussianNLLLoss", "HingeEmbeddingLoss",
    "MarginRankingLoss", "MultiLabelMarginLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss",
    "SoftMarginLoss", "CosineEmbeddingLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss", "NLLLoss2d",
)
LOSSES: dict[str, type] = {
    name: builtin(type(name, (_Loss,), {"__doc__": f"``nn.{name}``: a loss, auxiliary to the model."}))
    for name in LOSS_NAMES
}
