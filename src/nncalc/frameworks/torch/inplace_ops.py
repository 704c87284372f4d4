"""torch's in-place functions (``torch.abs_(x)``, ``torch.clamp_(x, 0, 1)``, ``torch.dropout_(x, 0.5, True)``): the
out-of-place op's rule, whose result must fit the input — the same shape (the input never grows by
broadcasting) and a dtype the input can hold (no float into an integer tensor) — and the input itself is
returned, as torch does.
"""

from __future__ import annotations

from nncalc.frameworks.torch.dtypes import TYPE_NAMES
from nncalc.frameworks.torch.errors import TorchTypeError, shape_error
from nncalc.frameworks.torch.tensor import Tensor

_ORDER = {"bool": 0, "uint8": 1, "int8": 1, "int16": 1, "int32": 1, "int64": 1, "float16": 2, "bfloat16": 2,
          "float32": 2, "float64": 2, "complex32": 3, "complex64": 3, "complex128": 3}


def fits(target: Tensor, result: Tensor) -> Tensor:
    """``target`` after receiving ``result`` in place; torch's errors when it cannot."""
    if result._shape != target._shape:
        raise shape_error(f"output with shape {list(target._shape)} doesn't match the broadcast shape "
                          f"{list(result._shape)}", "broadcast")
    if _ORDER[result._dtype.name] > _ORDER[target._dtype.name]:
        raise TorchTypeError(f"result type {TYPE_NAMES[result._dtype.name]} can't be cast to the desired output "
                             f"type {TYPE_NAMES[target._dtype.name]}")
    target._values = result._values if result._dtype is target._dtype else None
    return target


def inplace(name: str, base):
    """``torch.<name>``: ``base`` (the out-of-place function) written into its first argument."""

    def function(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise TorchTypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
        result = base(input, *args, **kwargs)
        return fits(input, result[0] if isinstance(result, tuple) else result)

    function.__name__ = name
    function.__doc__ = f"``torch.{name}``: in place, the rule of ``torch.{name[:-1]}``."
    return function


def checked_method(base):
    """A tensor's in-place method (``x.sqrt_()``, ``x.add_(y, alpha=2)``): ``base`` written into ``x``."""

    def method(self: Tensor, *args, **kwargs) -> Tensor:
        result = base(self, *args, **kwargs)
        return fits(self, result[0] if isinstance(result, tuple) else result)

    method.__name__ = getattr(base, "__name__", "method") + "_"
    return method


ELEMENTWISE = (
    "add_", "sub_", "mul_", "div_", "clamp_", "relu_", "sigmoid_", "tanh_", "erfinv_", "exp_", "log_", "sqrt_",
    "abs_", "neg_", "floor_", "ceil_", "round_", "sign_", "pow_", "fmod_", "remainder_", "clamp_min_", "clamp_max_",
    "lerp_", "addcmul_", "addcdiv_", "masked_fill_",
)  # fmt: skip
"""Tensor in-place methods (beside ``tensor_extras.INPLACE_VALUES``) whose out-of-place form gives the rule."""


def check_tensor_methods() -> None:
    """Make the element-wise in-place methods of :class:`Tensor` check their result as torch does."""
    from nncalc.frameworks.torch.tensor_extras import INPLACE_VALUES

    for name in ELEMENTWISE + INPLACE_VALUES:
        base = getattr(Tensor, name[:-1], None)
        if callable(base):
            setattr(Tensor, name, checked_method(base))


def method_call(name: str):
    """``torch.<name>(input, …)`` as the tensor method ``input.<name>(…)`` (``zero_``, which has no base)."""

    def function(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise TorchTypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
        return getattr(input, name)(*args, **kwargs)

    function.__name__ = name
    return function


def torch_inplace(members: dict, names) -> dict:
    """The in-place functions among ``names`` (torch's own) that ``members`` lacks, from their base ops."""
    found = {}
    for name in names:
        if not name.endswith("_") or name.startswith("_") or name in members:
            continue
        base = members.get(name[:-1])
        if base is not None and callable(base):
            found[name] = inplace(name, base)
        elif hasattr(Tensor, name):
            found[name] = method_call(name)
    return found
