"""Symbolic twins of real ``torch.nn`` modules: nncalc's own rules applied to a live module.

A real ``nn.Conv2d`` carries its constructor arguments as attributes (``in_channels``, ``kernel_size``,
``stride``…). The twin is nncalc's symbolic ``nn.Conv2d`` (:mod:`nncalc.frameworks.torch`) built with those same
arguments; it gives the parameter formula, and, called on the input shape a live call received, the MACs and the
output-size formulas — exactly what the static path shows for the same layer. A twin is used only when its
weights have the names and shapes of the real module's; anything else (a user's module, a layer nncalc has no
rule for) is described from the real module alone.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from nncalc.formula import Expr
from nncalc.layers.base import Term, terms_formula

_SKIPPED_ARGUMENTS = ("device", "dtype")
_MISSING = object()


@dataclass
class TwinCall:
    """What the twin computes for one call: MACs, output-size formulas and the output shapes it expects."""

    macs: int | None
    shape_formulas: list
    output_shapes: list


class TorchTwins:
    """Finds and caches the twin of each live module (by identity) and of each call (by input shapes)."""

    def __init__(self):
        self._session = None
        self._twins: dict[int, object] = {}
        self._calls: dict[tuple, TwinCall | None] = {}

    def _namespace(self):
        if self._session is None:
            from nncalc.frameworks.torch import new_session

            self._session = new_session()
        return self._session.modules["torch.nn"]

    def twin(self, module, weights: list[tuple[str, tuple, bool]]):
        """The symbolic twin of the leaf ``module`` whose own weights are ``(name, shape, is_param)``, or None."""
        key = id(module)
        if key not in self._twins:
            self._twins[key] = self._build(module, weights)
        return self._twins[key]

    def _build(self, module, weights):
        import torch

        found = self._symbolic_class(module, torch)
        if found is None:
            return None
        base, cls = found
        try:
            twin = cls(**_arguments(cls, module, torch))
        except Exception:  # the live module holds values nncalc's signature refuses: no twin, real numbers only
            return None
        if _weights_of(twin) != weights:
            return None
        twin_forward = type(module).forward is base.forward
        return _Twin(twin, twin_forward)

    def _symbolic_class(self, module, torch):
        """(torch's class, nncalc's symbolic class of the same name) for the first ``torch.nn`` class in the
        module's MRO that nncalc has (``NonDynamicallyQuantizableLinear`` → ``Linear``), or None."""
        try:
            from nncalc.frameworks.torch.module import Module

            namespace = self._namespace()
        except Exception:  # the symbolic framework is unavailable: live numbers only
            return None
        for base in type(module).__mro__:
            if base is torch.nn.Module:
                return None
            if not base.__module__.startswith("torch.nn.modules."):
                continue
            try:
                cls = getattr(namespace, base.__name__)
            except Exception:  # the symbolic namespace raises its own AttributeError for names it lacks
                continue
            if isinstance(cls, type) and issubclass(cls, Module):
                return base, cls
        return None

    def formula(self, twin) -> Expr | None:
        """The twin's parameter formula (the rule's, e.g. ``(k_h × k_w × C_in + 1) × filters``)."""
        from nncalc.frameworks.torch.trace import params_formula

        try:
            return params_formula(twin.module)
        except Exception:
            return None

    def call(self, twin, input_shapes: list[tuple], dtype: str) -> TwinCall | None:
        """The twin run on inputs of ``input_shapes`` (batch first); None when it cannot follow the call."""
        if not twin.forward or not input_shapes or any(len(s) < 1 or s[0] < 1 for s in input_shapes):
            return None
        batch = input_shapes[0][0]
        if any(s[0] != batch for s in input_shapes):
            return None
        key = (id(twin), tuple(input_shapes), dtype)
        if key not in self._calls:
            self._calls[key] = _run(twin.module, input_shapes, batch, dtype)
        return self._calls[key]


@dataclass
class _Twin:
    module: object
    forward: bool  # the live class keeps torch's forward, so the twin's MACs and shape formulas apply


def _run(module, input_shapes, batch, dtype) -> TwinCall | None:
    from nncalc.frameworks.torch.trace import trace

    try:
        graph = trace(module, [tuple(s[1:]) for s in input_shapes], batch, dtype)
    except Exception:  # nncalc's rule refuses the call torch accepted: keep torch's numbers
        return None
    root_calls = [c for c in graph.calls if c.node is graph.root]
    if len(root_calls) != 1:
        return None
    call = root_calls[0]
    return TwinCall(call.macs, list(call.shape_formulas), [tuple(s) for s in graph.output_shapes])


def _arguments(cls, module, torch) -> dict:
    """The twin's constructor arguments, read from the live module's attributes of the same names."""
    arguments = {}
    for parameter in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        name = parameter.name
        if name in _SKIPPED_ARGUMENTS:
            continue
        if name in module._parameters or name in module._buffers:
            registry = module._parameters if name in module._parameters else module._buffers
            arguments[name] = registry[name] is not None  # ``bias=True`` became a Parameter (or None)
            continue
        value = module.__dict__.get(name, _MISSING)
        if value is _MISSING:
            value = getattr(type(module), name, _MISSING)
        if value is _MISSING or isinstance(value, torch.Tensor) or callable(value):
            continue
        if isinstance(value, torch.Size):
            value = tuple(value)
        arguments[name] = value
    return arguments


def _weights_of(twin) -> list[tuple[str, tuple, bool]]:
    from nncalc.frameworks.torch.trace import make_node

    return [(w.name, tuple(w.shape), w.is_param) for w in make_node(twin, "", {}).weights]


def generic_formula(params: list[tuple[str, tuple]]) -> Expr | None:
    """For a module without a rule: the sum of its own parameters' shapes (``768 × 768 + 768``), as the static
    path shows a user's module that holds parameters directly."""
    terms = [Term(name, tuple((str(size), size) for size in shape)) for name, shape in params]
    return terms_formula(terms) if terms else None
