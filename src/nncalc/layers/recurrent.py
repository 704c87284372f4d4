"""Recurrent layers: simple RNN, LSTM and GRU (PyTorch ``nn.RNN/LSTM/GRU``, Keras ``SimpleRNN/LSTM/GRU``).

Each gate g has an input kernel ``(I, H)``, a recurrent kernel ``(H, H)`` and bias vectors of ``H``: simple
RNN g = 1, GRU g = 3, LSTM g = 4. The frameworks differ only in how many bias vectors a gate has:

- Keras ``SimpleRNN`` / ``LSTM``, ``GRU(reset_after=False)``: 1 (``bias``): ``g × (H·(I + H) + H)``
- Keras ``GRU(reset_after=True)`` (its default): 2 (``bias (2, 3·H)``): ``3 × (H·(I + H) + 2·H)``
- PyTorch ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU``: 2 (``bias_ih``, ``bias_hh``): ``g × (H·(I + H) + 2·H)``

How each framework lays these weights out (their names, shapes and order) is the adapters' business:
:func:`nncalc.frameworks.keras.recurrent.recurrent_terms`, :func:`nncalc.frameworks.torch.recurrent.recurrent_terms`.

MACs per time step: ``g × H·(I + H)`` (input and recurrent kernels, bias excluded), times the steps.

PyTorch's LSTM may project its hidden state (``proj_size`` P): the recurrent kernel reads the projected
``h`` (``(4·H, P)``), one more weight ``weight_hr (P, H)`` makes it, and each step costs ``P·H`` more:
``4 × (H·(I + P) + 2·H) + P·H``.
"""

from __future__ import annotations

from math import prod

from nncalc.errors import ShapeError
from nncalc.formula import Expr, num, product, sym, total
from nncalc.layers.base import Term
from nncalc.records import dataclass

GATES = {"rnn": 1, "gru": 3, "lstm": 4}


@dataclass(frozen=True)
class RecurrentSpec:
    """One direction of one recurrent layer: ``kind`` (``rnn``, ``gru``, ``lstm``), ``inputs`` I, ``units`` H,
    ``biases`` bias vectors per gate (0 without bias; Keras 1, Keras GRU reset_after 2, PyTorch 2) and
    ``projection`` P (PyTorch LSTM's ``proj_size``; 0 without)."""

    kind: str
    inputs: int
    units: int
    biases: int = 1
    projection: int = 0

    def __post_init__(self):
        if self.kind not in GATES:
            raise ShapeError(f"unknown recurrent kind {self.kind!r}; expected one of {sorted(GATES)}")
        if self.biases not in (0, 1, 2):
            raise ShapeError(f"a recurrent gate has 0, 1 or 2 bias vectors, not {self.biases}")
        if self.projection and (self.kind != "lstm" or not 0 < self.projection < self.units):
            raise ShapeError(f"only an LSTM projects its hidden state, to fewer than {self.units} units; "
                             f"got projection={self.projection} for {self.kind!r}")

    @property
    def gates(self) -> int:
        return GATES[self.kind]

    @property
    def outputs(self) -> int:
        """The size of ``h``: P when projected, else H."""
        return self.projection or self.units


def recurrent_params_formula(spec: RecurrentSpec, inputs: Expr | None = None) -> Expr:
    """``g × (H·(I + H) + b·H)``: LSTM Keras ``4 × (H × (I + H) + H)``, PyTorch ``4 × (H × (I + H) + 2 × H)``;
    projected ``4 × (H × (I + P) + 2 × H) + P × H``. ``inputs`` stands for I (a stacked layer's ``2 × H``)."""
    h = sym("H", spec.units)
    i = sym("I", spec.inputs) if inputs is None else inputs
    recurrent = sym("P", spec.projection) if spec.projection else h
    per_gate = h * (i + recurrent)
    if spec.biases == 1:
        per_gate = total([per_gate, h])
    elif spec.biases == 2:
        per_gate = total([per_gate, num(2) * h])
    formula = num(spec.gates) * per_gate if spec.gates > 1 else per_gate
    return formula + recurrent * h if spec.projection else formula


def recurrent_params(spec: RecurrentSpec) -> int:
    """The number :func:`recurrent_params_formula` evaluates to."""
    h = spec.units
    return spec.gates * (h * (spec.inputs + spec.outputs) + spec.biases * h) + spec.projection * h


def recurrent_macs(spec: RecurrentSpec, steps: int | None, batch: int = 1) -> int:
    """``steps × (g × H·(I + H))`` per sequence (projected: ``steps × (4 × H·(I + P) + P·H)``); an unknown
    number of steps counts as 1."""
    h = spec.units
    per_step = spec.gates * h * (spec.inputs + spec.outputs) + spec.projection * h
    return batch * (steps or 1) * per_step


def recurrent_output(batch, steps, units: int, return_sequences: bool) -> tuple:
    """``(B, T, H)`` with ``return_sequences``, else ``(B, H)`` (the last step)."""
    return (batch, steps, units) if return_sequences else (batch, units)


def state_count(kind: str) -> int:
    """States a layer carries from step to step: LSTM 2 (h and c), simple RNN and GRU 1 (h)."""
    return 2 if kind == "lstm" else 1


def conv_lstm_terms(kernel: tuple, names: tuple, channels: int, filters: int, bias: bool) -> list[Term]:
    """A convolutional LSTM (Keras ``ConvLSTM1D/2D/3D``): the gates are convolutions; ``kernel (k…, C_in, 4·F)``
    reads the input, ``recurrent_kernel (k…, F, 4·F)`` the hidden state, ``bias (4·F)``."""
    window = tuple(zip(names, kernel))
    gates = ("4·F", 4 * filters)
    terms = [Term("kernel", (*window, ("C_in", channels), gates)),
             Term("recurrent_kernel", (*window, ("F", filters), gates))]
    if bias:
        terms.append(Term("bias", (gates,)))
    return terms


def conv_lstm_params_formula(kernel: tuple, names: tuple, channels: int, filters: int, bias: bool) -> Expr:
    """``4 × (k_h × k_w × (C_in + F) + 1) × F``."""
    window = [sym(name, size) for name, size in zip(names, kernel)]
    per_filter = product(window + [sym("C_in", channels) + sym("F", filters)])
    if bias:
        per_filter = per_filter + 1
    return num(4) * (per_filter * sym("F", filters))


def conv_lstm_macs(kernel: tuple, channels: int, filters: int, out_positions: int, steps: int | None) -> int:
    """Per step, both convolutions at every output position: ``positions × 4·F × k… × (C_in + F)``; an unknown
    number of steps counts as 1."""
    return (steps or 1) * out_positions * 4 * filters * prod(kernel) * (channels + filters)
