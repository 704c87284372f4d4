"""One op's rule, described once for both frameworks: its weight terms, parameter formula, output shape and MACs.

A :class:`Rule` is built from a family module's functions of a *spec* (the op in canonical form, whatever
framework declared it: :class:`~nncalc.layers.linear.DenseSpec`, …). The framework classes are thin: they parse
their framework's arguments into the spec and point at the rule (``_rule = DENSE``); the weights they create
come from :meth:`Rule.terms` (laid out the framework's way by the adapter) and the formula they show from
:meth:`Rule.formula`, so weights and formula cannot disagree (:meth:`Rule.check` says where they would).
Every rule is registered by name (:data:`RULES`), where the tests find them all.

A rule may also compute framework *functions* (:class:`Function`: ``torch.ops.torchvision.deform_conv2d``): the
function's arguments, tensors given as :class:`Operand` (shape and dtype), make the spec; the framework's
generic adapter charges the MACs and returns a tensor of the rule's output shape. Such a rule is found by the
function's name (:func:`find_function`) in the modules of this package, imported only then: a new op of this
kind is one rule file here and one test row.
"""

from __future__ import annotations

from math import prod

from nncalc.formula import Expr
from nncalc.layers.base import Term, terms_formula
from nncalc.records import dataclass

TYPE_CHECKING = False  # typing costs milliseconds of every start; only type checkers need it
if TYPE_CHECKING:
    from typing import Any, Callable

RULES: dict[str, "Rule"] = {}
"""Every registered rule by name."""


@dataclass(frozen=True)
class Operand:
    """A tensor argument of a function, as a rule sees it: its shape and dtype name."""

    shape: tuple
    dtype: str


@dataclass(frozen=True)
class Function:
    """A framework function a rule computes: its qualified ``name`` and ``bind(*args, **kwargs)``, which takes the
    function's arguments (tensors as :class:`Operand`) and returns ``(spec, shape)``: the rule's spec and the
    input shape its output and MACs are computed from; it raises the framework's error
    (:class:`~nncalc.errors.ShapeError`) for arguments the function refuses. The result has the dtype of the
    first tensor argument."""

    name: str
    bind: "Callable[..., tuple]"


@dataclass(frozen=True)
class Rule:
    """An op's rule. ``terms(spec)`` are its weights in the canonical layout (Keras's: ``kernel (inputs,
    outputs)``); ``output(spec, shape)`` the output shape for an input of ``shape`` (batch first, channels last);
    ``macs(spec, shape)`` the multiply–accumulates of one call; ``params_formula(spec)`` the formula shown,
    when it is not the plain sum of the terms (the seed's ``(inputs + 1) × outputs``); ``shape_formulas(spec,
    shape)`` the ``(axis, formula)`` of each computed output size; ``window(spec, shape)`` the sliding window
    the receptive field follows (:mod:`nncalc.receptive`), for convolutions and pooling."""

    name: str
    terms: Callable[[Any], list[Term]]
    output: Callable[[Any, tuple], tuple]
    macs: Callable[[Any, tuple], int]
    params_formula: Callable[[Any], Expr] | None = None
    functions: tuple = ()
    shape_formulas: Callable[[Any, tuple], list] | None = None
    window: Callable[[Any, tuple], Any] | None = None

    def formula(self, spec, statistics: bool = True) -> Expr | None:
        """The parameter formula of ``spec``: the rule's own, or the sum of its terms; without ``statistics``
        the sum of the learned ones (PyTorch keeps the statistics as buffers, outside the parameters)."""
        if self.params_formula is not None:
            return self.params_formula(spec)
        return terms_formula([term for term in self.terms(spec) if statistics or not term.statistic])

    def formulas(self, spec, shape: tuple) -> list:
        """The ``(axis, formula)`` of each output size the rule computes (none for most)."""
        return [] if self.shape_formulas is None else self.shape_formulas(spec, shape)

    def check(self, spec) -> str | None:
        """None when the formula counts exactly the weights the terms make, else what differs."""
        counted = sum(prod(term.shape) for term in self.terms(spec))
        formula = self.formula(spec)
        shown = 0 if formula is None else formula.value
        return None if shown == counted else f"{self.name}: the formula gives {shown}, the weights hold {counted}"


def register(rule: Rule) -> Rule:
    """Add ``rule`` to :data:`RULES` (a name is registered once)."""
    if rule.name in RULES:
        raise ValueError(f"a rule named {rule.name!r} is already registered")
    RULES[rule.name] = rule
    return rule


def find_function(name: str) -> "tuple[Rule, Function] | None":
    """The rule computing the framework function ``name`` and its :class:`Function`, or None; the family modules
    of this package are imported first (once), so that a rule file is found without being listed anywhere."""
    for rule in all_rules().values():
        for function in rule.functions:
            if function.name == name:
                return rule, function
    return None


_imported: list = []


def all_rules() -> dict[str, Rule]:
    """Every rule, the family modules of this package imported first (once)."""
    if _imported:
        return RULES
    import importlib
    import pkgutil

    import nncalc.layers as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    _imported.append(True)
    return RULES
