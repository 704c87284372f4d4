"""``torch.autograd``, what model code uses of it while computing forward: ``Function`` subclasses (a custom op
written as ``forward(ctx, …)``/``backward(ctx, …)``, run by ``apply``: its forward is the op, backward never
runs), ``Variable`` (old code's wrapper: the tensor itself), and the gradient machinery of training
(``grad``, ``backward``: unknown values, as nothing is trained)."""

from __future__ import annotations

from nncalc.frameworks.common.errors import unknown_value
from nncalc.frameworks.common.namespaces import Namespace


class FunctionCtx:
    """The ``ctx`` a custom ``Function``'s forward receives: what it saves for backward is kept, nothing more."""

    def __init__(self):
        self.saved_tensors = ()
        self.needs_input_grad = ()

    def save_for_backward(self, *tensors) -> None:
        self.saved_tensors = tensors

    def save_for_forward(self, *tensors) -> None:
        """Kept for forward-mode gradients, which nncalc never computes."""

    def mark_dirty(self, *tensors) -> None:
        """An in-place op's note for autograd: nothing to do."""

    def mark_non_differentiable(self, *tensors) -> None:
        """Autograd's note: nothing to do."""

    def set_materialize_grads(self, value: bool) -> None:
        """Autograd's setting: nothing to do."""


class Function:
    """``torch.autograd.Function``: subclass it with static ``forward`` and ``backward``; ``Op.apply(x, …)`` runs
    ``forward(ctx, x, …)`` (``forward(x, …)`` when the class has a ``setup_context``, torch's newer style)."""

    __nncalc_subclassable__ = True

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        if "setup_context" in _user_names(cls):
            output = cls.forward(*args, **kwargs)
            cls.setup_context(ctx, args, output)
            return output
        return cls.forward(ctx, *args, **kwargs)


def _user_names(cls) -> set:
    names = set()
    for klass in cls.__mro__:
        if klass is Function:
            break
        names |= set(vars(klass))
    return names


def variable(data=None, requires_grad: bool = False, volatile: bool = False):
    """``Variable(tensor, requires_grad=False)``: since torch 0.4 the tensor itself."""
    if requires_grad and hasattr(data, "requires_grad"):
        data.requires_grad = True
    return data


def namespace() -> Namespace:
    """``torch.autograd`` (also imported as ``torch.autograd.function`` and ``torch.autograd.variable``)."""
    known = {"grad", "backward", "functional", "profiler", "forward_ad", "graph", "gradcheck", "gradgradcheck",
             "set_detect_anomaly", "detect_anomaly", "set_grad_enabled", "no_grad", "enable_grad", "inference_mode"}
    return Namespace("torch.autograd", {"Function": Function, "FunctionCtx": FunctionCtx, "Variable": variable},
                     known, fallback=lambda name, *_: unknown_value(f"torch.autograd.{name}"))
