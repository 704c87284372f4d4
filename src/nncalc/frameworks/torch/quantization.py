"""``torch.ao.quantization.QuantStub``/``DeQuantStub`` and ``torch.ao.nn.quantized.FloatFunctional``: what a
quantizable model holds, which a float model passes through or computes as the plain operations."""

from __future__ import annotations

from nncalc.frameworks.torch.activation import Identity
from nncalc.frameworks.torch.errors import TorchTypeError
from nncalc.frameworks.torch.module import Module, builtin


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
