"""Recurrent layers: simple RNN, LSTM and GRU (PyTorch ``nn.RNN/LSTM/GRU`` and their cells, Keras
``SimpleRNN/LSTM/GRU`` and their cells) and the convolutional LSTM (Keras ``ConvLSTM1D/2D/3D``).

Each gate g has an input kernel ``(I, H)``, a recurrent kernel ``(H, H)`` and bias vectors of ``H``: simple
RNN g = 1, GRU g = 3, LSTM g = 4. The frameworks differ only in how many bias vectors a gate has:

- Keras ``SimpleRNN`` / ``LSTM``, ``GRU(reset_after=False)``: 1 (``bias``): ``g × (H·(I + H) + H)``
- Keras ``GRU(reset_after=True)`` (its default): 2 (``bias (2, 3·H)``): ``3 × (H·(I + H) + 2·H)``
- PyTorch ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU``: 2 (``bias_ih``, ``bias_hh``): ``g × (H·(I + H) + 2·H)``

One rule, :data:`RECURRENT`, describes one direction of one layer (a cell is one with a single step); its terms
are neutral, inputs before outputs: ``kernel (I, g·H)``, ``recurrent_kernel (H, g·H)``, ``bias (g·H)``, the
second bias vector ``recurrent_bias (g·H)`` and the projection ``projection (H, P)``. How each framework lays
them out (torch's ``weight_ih_l0 (g·H, I)``, Keras's GRU ``bias (2, 3·H)``) is the adapters' business:
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
from nncalc.layers.base import Term, kernel_names, positions
from nncalc.layers.conv import ConvSpec, conv_output
from nncalc.layers.rule import Rule, register
from nncalc.records import dataclass

GATES = {"rnn": 1, "gru": 3, "lstm": 4}


@dataclass(frozen=True)
class RecurrentSpec:
    """One direction of one recurrent layer: ``kind`` (``rnn``, ``gru``, ``lstm``), ``inputs`` I, ``units`` H,
    ``biases`` bias vectors per gate (0 without bias; Keras 1, Keras GRU reset_after 2, PyTorch 2),
    ``projection`` P (PyTorch LSTM's ``proj_size``; 0 without) and ``sequences``: the output holds every step's
    ``h`` (Keras's ``return_sequences``, always so in torch), else the last one's."""

    kind: str
    inputs: int
    units: int
    biases: int = 1
    projection: int = 0
    sequences: bool = True

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

    def last_step(self) -> "RecurrentSpec":
        """This layer returning its last step only: the shape of its states."""
        return RecurrentSpec(self.kind, self.inputs, self.units, self.biases, self.projection, False)


def recurrent_terms(spec: RecurrentSpec) -> list[Term]:
    """``kernel (I, g·H)``, ``recurrent_kernel (H, g·H)`` (``(P, g·H)`` projected), with biases ``bias (g·H)`` and
    with two ``recurrent_bias (g·H)``, then with a projection ``projection (H, P)``."""
    gh = (f"{spec.gates}·H" if spec.gates > 1 else "H", spec.gates * spec.units)
    h = ("H", spec.units)
    reads = ("P", spec.projection) if spec.projection else h
    terms = [Term("kernel", (("I", spec.inputs), gh)), Term("recurrent_kernel", (reads, gh))]
    terms += [Term(role, (gh,)) for role in ("bias", "recurrent_bias")[:spec.biases]]
    if spec.projection:
        terms.append(Term("projection", (h, reads)))
    return terms


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


def stack_params_formula(layers: tuple[RecurrentSpec, ...], directions: int) -> Expr:
    """The parameters of a stack of layers, each run in ``directions`` (2: forwards and backwards): the first
    layer's ``g × (H × (I + H) + 2 × H)``, doubled when bidirectional, plus ``(L − 1)`` upper layers that read
    ``D × H`` features (``2 × H``, or ``H`` one-directional)."""

    def layer(spec: RecurrentSpec, inputs: Expr | None) -> Expr:
        formula = recurrent_params_formula(spec, inputs)
        return num(directions) * formula if directions > 1 else formula

    parts = [layer(layers[0], None)]
    if len(layers) > 1:
        upper = layers[1]
        read = sym("P", upper.projection) if upper.projection else sym("H", upper.units)
        formula = layer(upper, num(directions) * read if directions > 1 else read)
        parts.append((sym("L", len(layers)) - 1) * formula if len(layers) > 2 else formula)
    return total(parts)


def recurrent_params(spec: RecurrentSpec) -> int:
    """The number :func:`recurrent_params_formula` evaluates to."""
    h = spec.units
    return spec.gates * (h * (spec.inputs + spec.outputs) + spec.biases * h) + spec.projection * h


def recurrent_macs(spec: RecurrentSpec, steps: int | None, batch: int | None = 1) -> int:
    """``steps × (g × H·(I + H))`` per sequence (projected: ``steps × (4 × H·(I + P) + P·H)``); an unknown
    number of steps, or batch, counts as 1."""
    h = spec.units
    per_step = spec.gates * h * (spec.inputs + spec.outputs) + spec.projection * h
    return positions((batch,)) * (steps or 1) * per_step


def recurrent_output(spec: RecurrentSpec, shape: tuple) -> tuple:
    """For an input ``(B, T, I)``: ``(B, T, H)`` with ``sequences``, else ``(B, H)`` (the last step); H is P
    when projected."""
    return (shape[0], shape[1], spec.outputs) if spec.sequences else (shape[0], spec.outputs)


RECURRENT = register(Rule(
    "recurrent", recurrent_terms, recurrent_output,
    lambda spec, shape: recurrent_macs(spec, shape[1], shape[0]), recurrent_params_formula,
))
"""One direction of one recurrent layer, or a cell: ``nn.RNN/LSTM/GRU`` (one per layer and direction),
``nn.RNNCell/LSTMCell/GRUCell``, ``keras.layers.SimpleRNN/LSTM/GRU`` and their cells; input ``(B, T, I)``."""


def state_count(kind: str) -> int:
    """States a layer carries from step to step: LSTM 2 (h and c), simple RNN and GRU 1 (h)."""
    return 2 if kind == "lstm" else 1


@dataclass(frozen=True)
class ConvLSTMSpec:
    """A convolutional LSTM: ``conv`` the input's gate convolution (its ``filters`` F the hidden state's
    channels; the hidden state's own convolution is ``'same'`` with stride 1); ``sequences`` as for
    :class:`RecurrentSpec`."""

    conv: ConvSpec
    sequences: bool = False

    def last_step(self) -> "ConvLSTMSpec":
        """This layer returning its last step only: the shape of its states."""
        return ConvLSTMSpec(self.conv, False)


def conv_lstm_terms(spec: ConvLSTMSpec) -> list[Term]:
    """The gates are convolutions; ``kernel (k…, C_in, 4·F)`` reads the input, ``recurrent_kernel (k…, F, 4·F)``
    the hidden state, ``bias (4·F)``."""
    conv = spec.conv
    window = tuple(zip(kernel_names(conv.rank), conv.kernel))
    gates = ("4·F", 4 * conv.filters)
    terms = [Term("kernel", (*window, ("C_in", conv.in_channels), gates)),
             Term("recurrent_kernel", (*window, ("F", conv.filters), gates))]
    if conv.bias:
        terms.append(Term("bias", (gates,)))
    return terms


def conv_lstm_params_formula(spec: ConvLSTMSpec) -> Expr:
    """``4 × (k_h × k_w × (C_in + F) + 1) × F``."""
    conv = spec.conv
    window = [sym(name, size) for name, size in zip(kernel_names(conv.rank), conv.kernel)]
    per_filter = product(window + [sym("C_in", conv.in_channels) + sym("F", conv.filters)])
    if conv.bias:
        per_filter = per_filter + 1
    return num(4) * (per_filter * sym("F", conv.filters))


def _gate_conv(spec: ConvLSTMSpec, shape: tuple) -> tuple:
    """(spatial sizes, their formulas) of the input's gate convolution on ``(B, T, spatial…, C)``."""
    return conv_output(spec.conv, tuple(shape[2:-1]))


def conv_lstm_output(spec: ConvLSTMSpec, shape: tuple) -> tuple:
    """For an input ``(B, T, spatial…, C)``: ``(B, T, spatial′…, F)`` with ``sequences``, else ``(B, spatial′…,
    F)``; ``spatial′`` the input convolution's."""
    spatial = _gate_conv(spec, shape)[0]
    state = (*spatial, spec.conv.filters)
    return (shape[0], shape[1], *state) if spec.sequences else (shape[0], *state)


def conv_lstm_macs(spec: ConvLSTMSpec, shape: tuple) -> int:
    """Per step, both convolutions at every output position: ``positions × 4·F × k… × (C_in + F)``; an unknown
    number of steps counts as 1."""
    conv = spec.conv
    out_positions = positions((shape[0], *_gate_conv(spec, shape)[0]))
    return (shape[1] or 1) * out_positions * 4 * conv.filters * prod(conv.kernel) * (conv.in_channels + conv.filters)


CONV_LSTM = register(Rule(
    "conv_lstm", conv_lstm_terms, conv_lstm_output, conv_lstm_macs, conv_lstm_params_formula,
    shape_formulas=lambda spec, shape: _gate_conv(spec, shape)[1],
))
"""``keras.layers.ConvLSTM1D/2D/3D``; input ``(B, T, spatial…, C)``."""

