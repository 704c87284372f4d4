"""Symbolic PyTorch: ``torch``, ``torch.nn`` and ``torch.nn.functional`` with their real names and
signatures, over tensors that have a shape and a dtype but no elements.

``new_session()`` gives the analysis pipeline what it needs (see :class:`nncalc.frameworks.Session`): the host
namespaces for imports, the snippet names, model recognition and :meth:`TorchSession.trace`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds of every start; only type checkers need these
if TYPE_CHECKING:
    from typing import Any

from nncalc.frameworks.torch.infer import InputShapeNeeded, infer_input_shapes
from nncalc.frameworks.torch.module import BUILTIN_CLASSES, Module, loaded_family
from nncalc.frameworks.torch.namespaces import build_namespaces, einops_modules
from nncalc.frameworks.torch.trace import UNBATCHED, trace, trace_or_unbatched
from nncalc.graph import Graph

__all__ = ["new_session", "TorchSession", "infer_input_shapes", "InputShapeNeeded", "trace", "Module"]


class TorchSession:
    """One analysis's worth of the symbolic torch: its namespaces and how to trace a model."""

    name = "pytorch"

    def __init__(self):
        self.modules: dict[str, Any] = {**build_namespaces(), **einops_modules()}
        torch = self.modules["torch"]
        nn = self.modules["torch.nn"]
        self.snippet_names: dict[str, Any] = {"torch": torch, "nn": nn, "F": self.modules["torch.nn.functional"]}

    def is_model(self, value: Any) -> bool:
        """True for a module instance (losses included; see :meth:`is_auxiliary`)."""
        return isinstance(value, Module)

    def is_model_class(self, value: Any) -> bool:
        """True for a user's ``nn.Module`` subclass (not one of nncalc's own classes)."""
        return isinstance(value, type) and issubclass(value, Module) and value not in BUILTIN_CLASSES

    def is_auxiliary(self, value: Any) -> bool:
        """True for losses (``nn.CrossEntropyLoss()`` and the class itself)."""
        losses = loaded_family("losses")
        if losses is None:
            return False
        if isinstance(value, type):
            return issubclass(value, losses._Loss)
        return isinstance(value, losses._Loss)

    def is_wrapper(self, value: Any) -> bool:
        """PyTorch has no training wrappers of its own (a ``LightningModule`` is a module with ``forward``)."""
        return False

    def trace(self, model: Any, input_shapes: list[tuple] | None, batch: int | None, dtype: str | None) -> Graph:
        """Run ``model`` on symbolic inputs ``(batch or 1, *shape)`` and return its graph (see
        :func:`nncalc.frameworks.torch.trace.trace`); without ``input_shapes`` they are inferred. A forward that
        fails on a batch of the inputs and runs on them whole is traced unbatched (see
        :func:`~nncalc.frameworks.torch.trace.trace_or_unbatched`); ``batch`` ``UNBATCHED`` (0) asks for that."""
        if input_shapes is None:
            return trace(model, input_shapes, batch, dtype)
        if batch == UNBATCHED:
            graph = trace(model, input_shapes, batch, dtype)
            graph.notes.insert(0, "no batch dimension (--unbatched): the input shapes are the whole shapes")
            return graph
        return trace_or_unbatched(model, input_shapes, batch, dtype)

    def module_tree(self, model: Any) -> Graph:
        """The model's modules and weights without a forward pass (``--params-only``; see
        :func:`nncalc.frameworks.torch.trace.module_tree`)."""
        from nncalc.frameworks.torch.trace import module_tree

        return module_tree(model)

    def trace_as_used(self, model: Any, text: str, names: set[str], batch: int | None, dtype: str | None,
                      values: dict | None = None) -> Graph:
        """Trace ``model`` on the input its file ``text`` (module-level ``values``) uses, else the inferred one
        (see :func:`nncalc.frameworks.torch.evidence.trace_with_evidence`)."""
        from nncalc.frameworks.torch.evidence import trace_with_evidence

        return trace_with_evidence(model, text, names, batch, dtype, values)

    def infer_input_shapes(self, model: Any, dtype: str | None = None) -> tuple[list[tuple], str]:
        """The input shapes the layers pin down, with a note; see :func:`infer_input_shapes`."""
        return infer_input_shapes(model, dtype)


def new_session() -> TorchSession:
    """A fresh symbolic torch for one analysis."""
    return TorchSession()
