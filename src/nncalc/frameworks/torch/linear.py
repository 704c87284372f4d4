"""The linear family's torch classes, ``nn.Linear`` and ``nn.Bilinear``: torch's signatures parsed into the
specs of :mod:`nncalc.layers.linear`, whose rules (``DENSE``, ``BILINEAR``) give the weights, the formula, the
output shape and the MACs; torch's own checks and messages on the inputs."""

from __future__ import annotations

from nncalc.diagnostics import recoverable
from nncalc.frameworks.torch.arguments import layer_dtype, tensor_input
from nncalc.frameworks.torch.errors import check_int, plural, shape_error
from nncalc.frameworks.torch.module import builtin
from nncalc.frameworks.torch.rules import RuleModule
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.layers.linear import BILINEAR, DENSE, BilinearSpec, DenseSpec


@builtin
class Linear(RuleModule):
    """``nn.Linear(in_features, out_features, bias=True, device=None, dtype=None)``; weight ``(out, in)``."""

    _rule = DENSE

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = check_int(in_features, "in_features", self)
        self.out_features = check_int(out_features, "out_features", self)
        self._make_weights(DenseSpec(self.in_features, self.out_features, bool(bias)), layer_dtype(dtype))

    def forward(self, input):
        x = tensor_input(input, self)
        if not x._shape:
            raise shape_error(f"{self._describe()} needs an input of at least 1 dimension, got a scalar", "rank", self)
        features = x._shape[-1]
        if features != self.in_features:
            merged = x._factors[-1] if x._factors else None
            how = f" ({' × '.join(str(f) for f in merged)})" if merged and len(merged) > 1 else ""
            recoverable(shape_error(
                f"{self._describe()} receives {plural(features, 'feature')}{how}; "
                f"use {self._describe(in_features=features)}",
                "features",
                self,
                hint=f"the input has shape {list(x._shape)}; Linear works on its last dimension",
                got=features,
                expected=self.in_features,
                argument="in_features",
                factors=merged,
            ))
        self._charge(x._shape)
        return x._like(DENSE.output(self._spec, x._shape), factors=None)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


def bilinear_shape(x1: Tensor, x2: Tensor, spec: BilinearSpec, where, fix=None) -> tuple:
    """The output shape of ``y = x1ᵀ W x2 + b`` on ``(*, in1)`` and ``(*, in2)``, or torch's error; ``fix(name,
    size)`` renders the layer with one size fixed, for the hint."""
    if len(x1._shape) != len(x2._shape) or not x1._shape:
        raise shape_error(f"{where._describe()}: input1 and input2 must have the same number of dimensions, got "
                          f"{list(x1._shape)} and {list(x2._shape)}", "rank", where)
    for dim, (a, b) in enumerate(zip(x1._shape[:-1], x2._shape[:-1])):
        if a != b:
            raise shape_error(f"{where._describe()}: input batch dimensions do not match at dim {dim}: got {a} and "
                              f"{b}", "broadcast", where)
    for index, (x, wanted, name) in enumerate(((x1, spec.inputs1, "in1_features"), (x2, spec.inputs2, "in2_features"))):
        if x._shape[-1] != wanted:
            recoverable(shape_error(
                f"{where._describe()}: input{index + 1} size does not match weight size: got {x._shape[-1]} but "
                f"expected {wanted}" + (f"; use {fix(name, x._shape[-1])}" if fix else ""),
                "features",
                where,
                got=x._shape[-1],
                expected=wanted,
                argument=name,
            ))
    return BILINEAR.output(spec, x1._shape)


@builtin
class Bilinear(RuleModule):
    """``nn.Bilinear(in1_features, in2_features, out_features, bias=True, device=None, dtype=None)``:
    ``y = x1ᵀ W x2 + b`` with weight ``(out, in1, in2)``; called on two inputs ``(*, in1)`` and ``(*, in2)``."""

    _rule = BILINEAR

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in1_features = check_int(in1_features, "in1_features", self)
        self.in2_features = check_int(in2_features, "in2_features", self)
        self.out_features = check_int(out_features, "out_features", self)
        self._make_weights(BilinearSpec(self.in1_features, self.in2_features, self.out_features, bool(bias)),
                           layer_dtype(dtype))

    def forward(self, input1, input2):
        x1, x2 = tensor_input(input1, self), tensor_input(input2, self)
        shape = bilinear_shape(x1, x2, self._spec, self, lambda name, size: self._describe(**{name: size}))
        self._charge(x1._shape)
        return Tensor._make(shape, x1._dtype, x1._device)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
