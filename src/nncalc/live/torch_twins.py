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
from math import prod
from dataclasses import dataclass

from nncalc.formula import Expr
from nncalc.layers.base import Term, terms_formula

_SKIPPED_ARGUMENTS = ("device", "dtype")
_MISSING = object()
# constructor arguments a module keeps only as the parameters they made, by torch class
_DERIVED = {
    "MultiheadAttention": {
        "bias": lambda module: module.in_proj_bias is not None,
        "add_bias_kv": lambda module: module.bias_k is not None,
    },
}


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
        twin = _construct(cls, _arguments(cls, module, torch))
        if twin is None:  # the live module holds values nncalc's signature refuses: no twin, real numbers only
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
        from nncalc.frameworks.torch.trace import make_node, params_formula

        try:
            formula = params_formula(twin.module)
            own = sum(w.numel for w in make_node(twin.module, "", {}).weights if w.is_param)
            # a MultiheadAttention's formula counts its out_proj too (report.Row.whole)
            whole = sum(prod(p._shape) for _, p in twin.module.named_parameters())
            if formula is not None and formula.value not in (own, whole):  # a cached look-alike's formula
                formula = twin.module._formula()
            return formula if formula is not None and formula.value in (own, whole) else None
        except Exception:
            return None

    def call(self, twin, arguments) -> TwinCall | None:
        """The twin called as the live module was: ``arguments`` is :func:`skeleton` of the call's ``(args,
        kwargs)``; None when the twin cannot follow the call."""
        if not twin.forward or arguments is None:
            return None
        key = (id(twin), repr(arguments))
        if key not in self._calls:
            self._calls[key] = _run(twin.module, arguments)
        return self._calls[key]


@dataclass
class _Twin:
    module: object
    forward: bool  # the live class keeps torch's forward, so the twin's MACs and shape formulas apply


@dataclass(frozen=True)
class TensorSpec:
    """A live tensor argument reduced to what the twin needs."""

    shape: tuple
    dtype: str


_PLAIN = (type(None), bool, int, float, str)


def skeleton(torch, args, kwargs):
    """``(args, kwargs)`` of a live call with every tensor replaced by its :class:`TensorSpec`; None when an
    argument is neither a tensor nor a plain value (the twin could not be called the same way)."""
    from torch.utils._pytree import tree_flatten, tree_unflatten

    leaves, structure = tree_flatten((tuple(args), dict(kwargs)))
    plain = []
    for leaf in leaves:
        if isinstance(leaf, torch.Tensor):
            plain.append(TensorSpec(tuple(int(s) for s in leaf.shape), str(leaf.dtype).removeprefix("torch.")))
        elif isinstance(leaf, _PLAIN):
            plain.append(leaf)
        else:
            return None
    return tree_unflatten(plain, structure)


def _symbolic(value):
    """A skeleton with symbolic tensors in place of the :class:`TensorSpec` s."""
    from nncalc.frameworks.torch.dtypes import dtype_named
    from nncalc.frameworks.torch.tensor import Tensor

    if isinstance(value, TensorSpec):
        return Tensor._make(value.shape, dtype_named(value.dtype))
    if isinstance(value, (list, tuple)):
        return type(value)(_symbolic(v) for v in value)
    if isinstance(value, dict):
        return {k: _symbolic(v) for k, v in value.items()}
    return value


def _run(module, arguments) -> TwinCall | None:
    """The twin's own call (not its children's) on the symbolic version of the live call's arguments."""
    from nncalc.frameworks.torch.module import tensors_in
    from nncalc.frameworks.torch.recorder import Recorder, recording
    from nncalc.frameworks.torch.trace import build_tree, make_node

    try:
        args, kwargs = _symbolic(arguments)
        root, nodes = build_tree(module)
        recorder = Recorder(nodes, lambda loose, parent: make_node(loose, type(loose).__name__, {}))
        with recording(recorder):
            result = module(*args, **kwargs)
    except Exception:  # nncalc's rule refuses the call torch accepted: keep torch's numbers
        return None
    root_calls = [c for c in recorder.calls if c.node is root]
    if len(root_calls) != 1:
        return None
    call = root_calls[0]
    return TwinCall(call.macs, list(call.shape_formulas), [tuple(t._shape) for t in tensors_in(result)])


def _construct(cls, arguments: dict):
    """``cls(**arguments)``; failing that, without the keyword-only ones (torch's ``nn.GRU`` keeps
    ``proj_size = 0`` as an attribute but refuses it as an argument), else None."""
    for attempt in (arguments, _positional_only(cls, arguments)):
        try:
            return cls(**attempt)
        except Exception:  # noqa: BLE001 - tried again without, then no twin
            continue
    return None


def _positional_only(cls, arguments: dict) -> dict:
    keyword_only = {p.name for p in inspect.signature(cls.__init__).parameters.values() if p.kind == p.KEYWORD_ONLY}
    return {k: v for k, v in arguments.items() if k not in keyword_only}


def _arguments(cls, module, torch) -> dict:
    """The twin's constructor arguments, read from the live module's attributes of the same names."""
    arguments = {}
    for parameter in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        name = parameter.name
        if name in _SKIPPED_ARGUMENTS:
            continue
        derived = _DERIVED.get(cls.__name__, {}).get(name)
        if derived is not None:
            arguments[name] = derived(module)
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
