"""Fully connected layers (``nn.Linear``, ``Dense``).

Parameters: ``(inputs + 1) × outputs`` (``inputs × outputs`` without bias).
MACs per call: positions × inputs × outputs, where positions is the product of all but the last dimension.
"""

from __future__ import annotations

from nncalc.formula import Expr, sym
from nncalc.layers.base import Term, positions
from nncalc.records import dataclass


@dataclass(frozen=True)
class DenseSpec:
    """A dense layer: ``inputs`` features in, ``outputs`` out."""

    inputs: int
    outputs: int
    bias: bool = True


def dense_terms(spec: DenseSpec) -> list[Term]:
    """``kernel (inputs, outputs)`` and, with bias, ``bias (outputs)``."""
    terms = [Term("kernel", (("inputs", spec.inputs), ("outputs", spec.outputs)))]
    if spec.bias:
        terms.append(Term("bias", (("outputs", spec.outputs),)))
    return terms


def dense_params_formula(spec: DenseSpec) -> Expr:
    """The seed's formula: ``(inputs + 1) × outputs``."""
    inputs = sym("inputs", spec.inputs)
    return ((inputs + 1) if spec.bias else inputs) * sym("outputs", spec.outputs)


def dense_output(spec: DenseSpec, shape: tuple) -> tuple:
    """The input shape with its last dimension replaced by ``outputs``."""
    return tuple(shape[:-1]) + (spec.outputs,)


def dense_macs(spec: DenseSpec, shape: tuple) -> int:
    """Multiply-accumulates of one call on ``shape`` (the input), bias excluded."""
    return positions(shape[:-1]) * spec.inputs * spec.outputs
