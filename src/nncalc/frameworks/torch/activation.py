"""Element-wise modules, whose output keeps the input's shape: the activations (``nn.ReLU`` … ``nn.GLU``,
``nn.Softmax`` …, ``nn.PReLU`` with its learned slopes), dropout, and ``nn.Identity``."""

from __future__ import annotations

from nncalc.frameworks.torch.arguments import layer_dtype, tensor_input
from nncalc.frameworks.torch.errors import TorchValueError, check_int, plural, shape_error
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.shapes import dim_index
from nncalc.frameworks.torch.tensor import make_parameter
from nncalc.layers.base import Term


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


@builtin
class PReLU(Module):
    """``nn.PReLU(num_parameters=1, init=0.25)``: one learned slope, or one per channel."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = check_int(num_parameters, "num_parameters", self, 1)
        self.init = init
        term = Term("weight", (("num_parameters", self.num_parameters),))
        self.weight = make_parameter((self.num_parameters,), layer_dtype(dtype), term)

    def forward(self, input):
        x = tensor_input(input, self)
        channels = x._shape[1] if len(x._shape) >= 2 else 1
        if self.num_parameters != 1 and channels != self.num_parameters:
            raise shape_error(
                f"{self._describe()} receives {plural(channels, 'channel')}; "
                f"use {self._describe(num_parameters=channels)}, or nn.PReLU() for one shared slope",
                "channels",
                self,
                got=channels,
                expected=self.num_parameters,
            )
        return x._like()

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


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
