"""Recurrent layers: simple RNN, LSTM and GRU (PyTorch ``nn.RNN/LSTM/GRU``, Keras ``SimpleRNN/LSTM/GRU``).

Each gate g has an input kernel ``(I, H)``, a recurrent kernel ``(H, H)`` and bias vectors of ``H``: simple
RNN g = 1, GRU g = 3, LSTM g = 4. The frameworks differ only in how many bias vectors a gate has:

- Keras ``SimpleRNN`` / ``LSTM``, ``GRU(reset_after=False)``: 1 (``bias``): ``g × (H·(I + H) + H)``
- Keras ``GRU(reset_after=True)`` (its default): 2 (``bias (2, 3·H)``): ``3 × (H·(I + H) + 2·H)``
- PyTorch ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU``: 2 (``bias_ih``, ``bias_hh``): ``g × (H·(I + H) + 2·H)``

MACs per time step: ``g × H·(I + H)`` (input and recurrent kernels, bias excluded), times the steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from nncalc.errors import ShapeError
from nncalc.formula import Expr, num, sym, total
from nncalc.layers.base import Term

GATES = {"rnn": 1, "gru": 3, "lstm": 4}


@dataclass(frozen=True)
class RecurrentSpec:
    """One direction of one recurrent layer: ``kind`` (``rnn``, ``gru``, ``lstm``), ``inputs`` I, ``units`` H,
    and ``biases`` bias vectors per gate (0 without bias; Keras 1, Keras GRU reset_after 2, PyTorch 2)."""

    kind: str
    inputs: int
    units: int
    biases: int = 1

    def __post_init__(self):
        if self.kind not in GATES:
            raise ShapeError(f"unknown recurrent kind {self.kind!r}; expected one of {sorted(GATES)}")
        if self.biases not in (0, 1, 2):
            raise ShapeError(f"a recurrent gate has 0, 1 or 2 bias vectors, not {self.biases}")

    @property
    def gates(self) -> int:
        return GATES[self.kind]


def keras_recurrent_terms(spec: RecurrentSpec) -> list[Term]:
    """Keras's layout: ``kernel (I, g·H)``, ``recurrent_kernel (H, g·H)``, ``bias (g·H)`` or, with two bias
    vectors (GRU reset_after), ``bias (2, g·H)``."""
    gh = (f"{spec.gates}·H" if spec.gates > 1 else "H", spec.gates * spec.units)
    terms = [Term("kernel", (("I", spec.inputs), gh)), Term("recurrent_kernel", (("H", spec.units), gh))]
    if spec.biases == 1:
        terms.append(Term("bias", (gh,)))
    elif spec.biases == 2:
        terms.append(Term("bias", (("2", 2), gh)))
    return terms


def torch_recurrent_terms(spec: RecurrentSpec, suffix: str = "_l0") -> list[Term]:
    """PyTorch's layout: ``weight_ih (g·H, I)``, ``weight_hh (g·H, H)``, ``bias_ih (g·H)``, ``bias_hh (g·H)``
    (the biases when ``spec.biases`` is 2; ``suffix`` names the layer and direction, ``_l0``, ``_l1_reverse``)."""
    gh = (f"{spec.gates}·H" if spec.gates > 1 else "H", spec.gates * spec.units)
    terms = [Term(f"weight_ih{suffix}", (gh, ("I", spec.inputs))), Term(f"weight_hh{suffix}", (gh, ("H", spec.units)))]
    if spec.biases:
        terms.append(Term(f"bias_ih{suffix}", (gh,)))
    if spec.biases == 2:
        terms.append(Term(f"bias_hh{suffix}", (gh,)))
    return terms


def recurrent_params_formula(spec: RecurrentSpec) -> Expr:
    """``g × (H·(I + H) + b·H)``: LSTM Keras ``4 × (H × (I + H) + H)``, PyTorch ``4 × (H × (I + H) + 2 × H)``."""
    h, i = sym("H", spec.units), sym("I", spec.inputs)
    per_gate = h * (i + h)
    if spec.biases == 1:
        per_gate = total([per_gate, h])
    elif spec.biases == 2:
        per_gate = total([per_gate, num(2) * h])
    return num(spec.gates) * per_gate if spec.gates > 1 else per_gate


def recurrent_params(spec: RecurrentSpec) -> int:
    """The number :func:`recurrent_params_formula` evaluates to."""
    return spec.gates * (spec.units * (spec.inputs + spec.units) + spec.biases * spec.units)


def recurrent_macs(spec: RecurrentSpec, steps: int | None, batch: int = 1) -> int:
    """``steps × g × H·(I + H)`` per sequence (an unknown number of steps counts as 1)."""
    return batch * (steps or 1) * spec.gates * spec.units * (spec.inputs + spec.units)


def recurrent_output(batch, steps, units: int, return_sequences: bool) -> tuple:
    """``(B, T, H)`` with ``return_sequences``, else ``(B, H)`` (the last step)."""
    return (batch, steps, units) if return_sequences else (batch, units)


def state_count(kind: str) -> int:
    """States a layer carries from step to step: LSTM 2 (h and c), simple RNN and GRU 1 (h)."""
    return 2 if kind == "lstm" else 1
