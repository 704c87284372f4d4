"""Fully connected layers (``nn.Linear``, ``Dense``).

Parameters: ``(inputs + 1) × outputs`` (``inputs × outputs`` without bias).
MACs per call: positions × inputs × outputs, where positions is the product of all but the last dimension.
"""

from __future__ import annotations

from nncalc.formula import Expr, sym
from nncalc.layers.base import Term, positions
from nncalc.layers.rule import Rule, register
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


DENSE = register(Rule("dense", dense_terms, dense_output, dense_macs, dense_params_formula))
"""``nn.Linear``, ``keras.layers.Dense``."""


@dataclass(frozen=True)
class BilinearSpec:
    """A bilinear layer (``nn.Bilinear``): ``y_k = x1ᵀ W_k x2 + b_k`` for ``outputs`` values of ``k``."""

    inputs1: int
    inputs2: int
    outputs: int
    bias: bool = True


def bilinear_terms(spec: BilinearSpec) -> list[Term]:
    """``weight (outputs, in1, in2)`` and, with bias, ``bias (outputs)``."""
    terms = [Term("weight", (("outputs", spec.outputs), ("in1", spec.inputs1), ("in2", spec.inputs2)))]
    if spec.bias:
        terms.append(Term("bias", (("outputs", spec.outputs),)))
    return terms


def bilinear_params_formula(spec: BilinearSpec) -> Expr:
    """``(in1 × in2 + 1) × outputs``."""
    pairs = sym("in1", spec.inputs1) * sym("in2", spec.inputs2)
    return ((pairs + 1) if spec.bias else pairs) * sym("outputs", spec.outputs)


def bilinear_macs(spec: BilinearSpec, shape: tuple) -> int:
    """Multiply-accumulates of one call on a first input of ``shape``: every output sums ``in1 × in2``
    weighted products (torch's ``_trilinear``), bias excluded."""
    return positions(shape[:-1]) * spec.inputs1 * spec.inputs2 * spec.outputs


def bilinear_output(spec: BilinearSpec, shape: tuple) -> tuple:
    """The first input's shape with its last dimension replaced by ``outputs``."""
    return tuple(shape[:-1]) + (spec.outputs,)


BILINEAR = register(Rule("bilinear", bilinear_terms, bilinear_output, bilinear_macs, bilinear_params_formula))
"""``nn.Bilinear``, ``F.bilinear``."""
