"""Keras's generic recurrent layer and its cells: ``RNN(cell)``, ``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``,
``StackedRNNCells``.

``RNN(LSTMCell(units))`` has the weights, shapes and MACs of ``LSTM(units)``; a list of cells (or
``StackedRNNCells``) runs them one above the other, each reading the previous one's ``units``; the output is
the last cell's. With ``return_state`` the states follow the output: each cell's ``h`` (LSTM: ``[h, c]``).
A cell nncalc does not know (a user's own class) is reported as unsupported.
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import BuiltinLayer, _Context, positive_size
from nncalc.frameworks.keras.errors import KerasValueError, unknown_layer
from nncalc.frameworks.keras.layer import flat_tensors
from nncalc.frameworks.keras.recurrent import _RNN, recurrent_terms
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.formula import total
from nncalc.layers.recurrent import RECURRENT, RecurrentSpec, state_count


class _Cell(BuiltinLayer):
    """One step of a recurrent layer; ``RNN`` runs it over the time axis."""

    _kind = "rnn"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, reset_after=True, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = positive_size(units, "units", type(self).__name__)
        self.activation, self.recurrent_activation = activation, recurrent_activation
        self.use_bias, self.reset_after = bool(use_bias), bool(reset_after)
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout

    def spec(self, inputs: int, sequences: bool = True) -> RecurrentSpec:
        """The rule's spec of this cell reading ``inputs`` features, run over every step."""
        biases = 0 if not self.use_bias else 2 if self._kind == "gru" and self.reset_after else 1
        return RecurrentSpec(self._kind, inputs, self.units, biases, sequences=sequences)

    def _apply(self, args, kwargs, location):
        raise unknown_layer(f"calling a {type(self).__name__} directly (wrap it: keras.layers.RNN(cell))")


class SimpleRNNCell(_Cell):
    """``keras.layers.SimpleRNNCell(units)``."""

    _kind = "rnn"


class LSTMCell(_Cell):
    """``keras.layers.LSTMCell(units)``."""

    _kind = "lstm"


class GRUCell(_Cell):
    """``keras.layers.GRUCell(units, reset_after=True)``."""

    _kind = "gru"


class StackedRNNCells(BuiltinLayer):
    """``keras.layers.StackedRNNCells(cells)``: cells run one above the other within each step."""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        self.__dict__["cells"] = _known_cells(cells)

    def _apply(self, args, kwargs, location):
        raise unknown_layer("calling StackedRNNCells directly (wrap it: keras.layers.RNN(cells))")


def _known_cells(cells) -> list:
    cells = list(cells) if isinstance(cells, (list, tuple)) else [cells]
    for cell in cells:
        if not isinstance(cell, _Cell):
            raise unknown_layer(f"keras.layers.RNN with the cell {type(cell).__name__} (only SimpleRNNCell, LSTMCell "
                                "and GRUCell have rules)")
    if not cells:
        raise KerasValueError("RNN needs at least one cell")
    return cells


class RNN(_RNN):
    """``keras.layers.RNN(cell, return_sequences=False, return_state=False, …)``: its cells' rules, one above the
    other (so no single rule of its own)."""

    _rule = None

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = self._state.new("StackedRNNCells", list(cell))
        cells = cell.cells if isinstance(cell, StackedRNNCells) else _known_cells(cell)
        BuiltinLayer.__init__(self, **kwargs)
        self.__dict__.update(cell=cell, _cells=cells)  # the cells' weights are the RNN's rows, as for LSTM
        self.units = cells[-1].units
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful, self.unroll = bool(go_backwards), bool(stateful), bool(unroll)

    def _specs(self, shape) -> list[RecurrentSpec]:
        inputs = self._spec_inputs(shape)
        specs = []
        for cell in self._cells:
            specs.append(cell.spec(inputs, self.return_sequences))
            inputs = cell.units
        return specs

    def _spec_inputs(self, shape) -> int:
        if shape[-1] is None:
            raise KerasValueError(f"the features axis of the input must be known to build the kernels; received "
                                  f"{shape}", hint="give keras.Input a fixed last dimension")
        return shape[-1]

    def _weights_for(self, shape):
        specs = self._specs(shape)
        terms = [term for spec in specs for term in recurrent_terms(spec)]
        return terms, total([RECURRENT.formula(spec) for spec in specs]), {-1: shape[-1]}

    def _forward(self, shape):
        specs = self._specs(shape)
        return RECURRENT.output(specs[-1], shape), [], sum(RECURRENT.macs(spec, shape) for spec in specs)

    def _states(self, shape) -> list:
        """Per cell, its state shapes: ``[h]`` or, for an LSTM, ``[h, c]``."""
        return [[RECURRENT.output(spec.last_step(), shape)] * state_count(spec.kind) for spec in self._specs(shape)]

    def _output_shapes(self, shape) -> list[tuple]:
        output = RECURRENT.output(self._specs(shape)[-1], shape)
        return [output, *(s for states in self._states(shape) for s in states)] if self.return_state else [output]

    def call(self, inputs, *args, **kwargs):
        tensor = flat_tensors(inputs)[0]
        with _Context(self):
            output, formulas, macs = self._forward(tensor.shape)
        self._record_cost(macs, formulas)
        output = KerasTensor(output, self.compute_dtype)
        if not self.return_state:
            return output
        states = [[KerasTensor(s, self.compute_dtype) for s in group] for group in self._states(tensor.shape)]
        if len(states) == 1:
            return [output, *states[0]]
        return (output, *(group if len(group) > 1 else group[0] for group in states))


CLASSES = [SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells, RNN]
