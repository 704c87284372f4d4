"""One op's rule, described once for both frameworks: its weight terms, parameter formula, output shape and MACs.

A :class:`Rule` is built from a family module's functions of a *spec* (the op in canonical form, whatever
framework declared it: :class:`~nncalc.layers.linear.DenseSpec`, …). The framework classes are thin: they parse
their framework's arguments into the spec and point at the rule (``_rule = DENSE``); the weights they create
come from :meth:`Rule.terms` (laid out the framework's way by the adapter) and the formula they show from
:meth:`Rule.formula`, so weights and formula cannot disagree (:meth:`Rule.check` says where they would).
Every rule is registered by name (:data:`RULES`), where the tests find them all.
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
class Rule:
    """An op's rule. ``terms(spec)`` are its weights in the canonical layout (Keras's: ``kernel (inputs,
    outputs)``); ``output(spec, shape)`` the output shape for an input of ``shape`` (batch first);
    ``macs(spec, shape)`` the multiply–accumulates of one call; ``params_formula(spec)`` the formula shown,
    when it is not the plain sum of the terms (the seed's ``(inputs + 1) × outputs``)."""

    name: str
    terms: Callable[[Any], list[Term]]
    output: Callable[[Any, tuple], tuple]
    macs: Callable[[Any, tuple], int]
    params_formula: Callable[[Any], Expr] | None = None

    def formula(self, spec) -> Expr | None:
        """The parameter formula of ``spec``: the rule's own, or the sum of its terms."""
        if self.params_formula is not None:
            return self.params_formula(spec)
        return terms_formula(self.terms(spec))

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
