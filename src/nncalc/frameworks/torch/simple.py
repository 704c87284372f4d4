"""Modules without weights whose output keeps the input's elements: activations, dropout, ``nn.Identity``,
``nn.Flatten``/``nn.Unflatten``, and the loss modules (auxiliary: never the model a user points at)."""

from __future__ import annotations

from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, check_int, shape_error
from nncalc.frameworks.torch.layers import tensor_input
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.shapes import dim_index, sizes_arg
from nncalc.frameworks.torch.tensor import Tensor, flatten


class _Elementwise(Module):
    """An activation: same shape out as in."""

    def forward(self, input):
        return tensor_input(input, self)._like()


class _InplaceActivation(_Elementwise):
    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace


@builtin
class ReLU(_InplaceActivation):
    """``nn.ReLU(inplace=False)``."""


@builtin
class ReLU6(_InplaceActivation):
    """``nn.ReLU6(inplace=False)``."""


@builtin
class SiLU(_InplaceActivation):
    """``nn.SiLU(inplace=False)`` (swish)."""


@builtin
class Hardswish(_InplaceActivation):
    """``nn.Hardswish(inplace=False)``."""


@builtin
class Hardsigmoid(_InplaceActivation):
    """``nn.Hardsigmoid(inplace=False)``."""


@builtin
class Mish(_InplaceActivation):
    """``nn.Mish(inplace=False)``."""


@builtin
class SELU(_InplaceActivation):
    """``nn.SELU(inplace=False)``."""


@builtin
class Sigmoid(_Elementwise):
    """``nn.Sigmoid()``."""

    def __init__(self):
        super().__init__()


@builtin
class Tanh(_Elementwise):
    """``nn.Tanh()``."""

    def __init__(self):
        super().__init__()


@builtin
class Softsign(_Elementwise):
    """``nn.Softsign()``."""

    def __init__(self):
        super().__init__()


@builtin
class Tanhshrink(_Elementwise):
    """``nn.Tanhshrink()``."""

    def __init__(self):
        super().__init__()


@builtin
class LeakyReLU(_Elementwise):
    """``nn.LeakyReLU(negative_slope=0.01, inplace=False)``."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace


@builtin
class ELU(_Elementwise):
    """``nn.ELU(alpha=1.0, inplace=False)``."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace


@builtin
class CELU(ELU):
    """``nn.CELU(alpha=1.0, inplace=False)``."""


@builtin
class GELU(_Elementwise):
    """``nn.GELU(approximate='none')``."""

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise TorchValueError(f"approximate argument must be either none or tanh. Received: {approximate!r}")
        self.approximate = approximate


@builtin
class Softplus(_Elementwise):
    """``nn.Softplus(beta=1.0, threshold=20.0)``."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold


@builtin
class Hardtanh(_Elementwise):
    """``nn.Hardtanh(min_val=-1.0, max_val=1.0, inplace=False)``."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
        super().__init__()
        self.min_val = min_val if min_value is None else min_value
        self.max_val = max_val if max_value is None else max_value
        self.inplace = inplace


@builtin
class LogSigmoid(_Elementwise):
    """``nn.LogSigmoid()``."""

    def __init__(self):
        super().__init__()


class _Shrink(_Elementwise):
    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd


@builtin
class Hardshrink(_Shrink):
    """``nn.Hardshrink(lambd=0.5)``."""


@builtin
class Softshrink(_Shrink):
    """``nn.Softshrink(lambd=0.5)``."""


@builtin
class Threshold(_Elementwise):
    """``nn.Threshold(threshold, value, inplace=False)``."""

    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace


@builtin
class RReLU(_Elementwise):
    """``nn.RReLU(lower=1/8, upper=1/3, inplace=False)``: a random slope in training, the mean one in eval."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace


@builtin
class GLU(Module):
    """``nn.GLU(dim=-1)``: the input split in two halves along ``dim``, one gating the other; ``dim`` halves."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = check_int(dim, "dim", self, None)

    def forward(self, input):
        from nncalc.frameworks.torch.indexing_ops import glu

        return glu(tensor_input(input, self), self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class _SoftmaxLike(_Elementwise):
    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        x = tensor_input(input, self)
        if self.dim is not None:
            dim_index(self.dim, len(x._shape))
        return x._like()


@builtin
class Softmax(_SoftmaxLike):
    """``nn.Softmax(dim=None)``."""


@builtin
class LogSoftmax(_SoftmaxLike):
    """``nn.LogSoftmax(dim=None)``."""


@builtin
class Softmin(_SoftmaxLike):
    """``nn.Softmin(dim=None)``."""


@builtin
class Softmax2d(_Elementwise):
    """``nn.Softmax2d()``: softmax over the channels of ``(N, C, H, W)`` or ``(C, H, W)``."""

    def __init__(self):
        super().__init__()

    def forward(self, input):
        x = tensor_input(input, self)
        if len(x._shape) not in (3, 4):
            raise shape_error(f"{self._describe()}: Softmax2d: expected input to be 3D or 4D, got "
                              f"{len(x._shape)}D instead", "rank", self)
        return x._like()


@builtin
class Identity(_Elementwise):
    """``nn.Identity(*args, **kwargs)``: arguments are ignored, as in torch."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class _DropoutNd(_Elementwise):
    _ranks: tuple[int, ...] = ()

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0 <= p <= 1:
            raise TorchValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        x = tensor_input(input, self)
        if self._ranks and len(x._shape) not in self._ranks:
            wanted = " or ".join(f"{r}D" for r in self._ranks)
            raise shape_error(
                f"{self._describe()} expects a {wanted} input, but got a {len(x._shape)}D input of shape "
                f"{list(x._shape)}",
                "rank",
                self,
            )
        return x._like()


@builtin
class Dropout(_DropoutNd):
    """``nn.Dropout(p=0.5, inplace=False)``."""


@builtin
class Dropout1d(_DropoutNd):
    """``nn.Dropout1d(p=0.5, inplace=False)`` on ``(C, L)`` or ``(N, C, L)``."""

    _ranks = (2, 3)


@builtin
class Dropout2d(_DropoutNd):
    """``nn.Dropout2d(p=0.5, inplace=False)``."""


@builtin
class Dropout3d(_DropoutNd):
    """``nn.Dropout3d(p=0.5, inplace=False)``."""


@builtin
class AlphaDropout(_DropoutNd):
    """``nn.AlphaDropout(p=0.5, inplace=False)``."""


@builtin
class FeatureAlphaDropout(_DropoutNd):
    """``nn.FeatureAlphaDropout(p=0.5, inplace=False)``."""


@builtin
class Flatten(Module):
    """``nn.Flatten(start_dim=1, end_dim=-1)``: keeps the batch, unlike ``torch.flatten``."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = check_int(start_dim, "start_dim", self, None)
        self.end_dim = check_int(end_dim, "end_dim", self, None)

    def forward(self, input):
        x = tensor_input(input, self)
        out = flatten(x, self.start_dim, self.end_dim)
        formula = getattr(out, "_flatten_formula", None)
        if formula is not None:
            recorder.note(0, [("features", formula)])
        return out

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


@builtin
class Unflatten(Module):
    """``nn.Unflatten(dim, unflattened_size)``: one dimension split into several."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        self.dim = dim
        self.unflattened_size = sizes_arg((unflattened_size,), "Unflatten")

    def forward(self, input):
        x = tensor_input(input, self)
        axis = dim_index(self.dim, len(x._shape))
        wanted = self.unflattened_size
        known = 1
        for size in wanted:
            known *= size if size != -1 else 1
        have = x._shape[axis]
        if (-1 in wanted and have % known) or (-1 not in wanted and known != have):
            raise shape_error(
                f"{self._describe()}: provided sizes {list(wanted)} don't multiply up to the size of dim {self.dim} "
                f"({have}) in the input tensor",
                "reshape",
                self,
            )
        sizes = tuple(have // known if s == -1 else s for s in wanted)
        return x._like(x._shape[:axis] + sizes + x._shape[axis + 1 :], factors=None)


class _Loss(Module):
    """A loss: built and called like a module, but not part of any model's graph. Its value is a scalar, or with
    ``reduction="none"`` one value per element of the input, less the axes the loss sums over (:data:`SUMMED`)."""

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


@builtin
class QuantStub(Identity):
    """``torch.ao.quantization.QuantStub``: where a quantized model converts its input; the float model passes
    it through (as a model built with ``quantize=False`` does)."""


@builtin
class DeQuantStub(Identity):
    """``torch.ao.quantization.DeQuantStub``."""


@builtin
class FloatFunctional(Module):
    """``torch.ao.nn.quantized.FloatFunctional``: tensor arithmetic as a module, for quantization; in a float
    model its methods are the plain operations."""

    def forward(self, x):
        raise TorchTypeError("FloatFunctional is not meant to be called; use its methods (add, cat, mul …)")

    def add(self, x, y):
        return x + y

    def add_scalar(self, x, y):
        return x + y

    def mul(self, x, y):
        return x * y

    def mul_scalar(self, x, y):
        return x * y

    def add_relu(self, x, y):
        return (x + y).relu()

    def cat(self, x, dim=0):
        from nncalc.frameworks.torch.functional import cat

        return cat(x, dim)
