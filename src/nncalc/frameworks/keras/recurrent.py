"""Keras recurrent layers: ``SimpleRNN``/``LSTM``/``GRU``, ``Bidirectional`` and ``TimeDistributed`` (the
generic ``RNN`` and its cells are in :mod:`.recurrent_cells`, ``ConvLSTM*`` in :mod:`.recurrent_conv`).

Recurrent layers take ``(batch, timesteps, features)``; their weights follow :mod:`nncalc.layers.recurrent`
(one bias vector per gate in Keras, two for GRU with ``reset_after=True``, its default). ``return_state``
makes the call return a list: the output, then the states (``h``; LSTM ``h`` and ``c``).
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import BuiltinLayer, _Context, positive_size
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.frameworks.keras.layer import Layer, flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.formula import num
from nncalc.layers.base import Term
from nncalc.layers.recurrent import RECURRENT, RecurrentSpec, state_count


def recurrent_terms(spec: RecurrentSpec) -> list[Term]:
    """Keras's layout of :data:`~nncalc.layers.recurrent.RECURRENT`'s terms: ``kernel (I, g·H)``,
    ``recurrent_kernel (H, g·H)``, ``bias (g·H)`` or, with two bias vectors (GRU reset_after), both in one
    ``bias (2, g·H)``."""
    terms = RECURRENT.terms(spec)
    if spec.biases < 2:
        return terms
    return [Term("bias", (("2", 2), *term.dims)) if term.role == "bias" else term
            for term in terms if term.role != "recurrent_bias"]


class _RNN(BuiltinLayer):
    """A Keras recurrent layer over ``(batch, timesteps, features)``."""

    _ndim = 3
    _kind = "rnn"
    _rule = RECURRENT

    def _setup(self, units, activation, use_bias, dropout, recurrent_dropout, return_sequences, return_state,
               go_backwards, stateful, unroll, kwargs):
        for name in ("recurrent_activation", "kernel_initializer", "recurrent_initializer", "bias_initializer",
                     "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                     "kernel_constraint", "recurrent_constraint", "bias_constraint", "seed", "use_cudnn",
                     "time_major", "implementation"):
            kwargs.pop(name, None)
        BuiltinLayer.__init__(self, **kwargs)
        kind = type(self).__name__
        self.units = positive_size(units, "units", kind)
        self.activation = activation
        self.use_bias = bool(use_bias)
        for name, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
                raise KerasValueError(f"`{name}` must be a float between 0 and 1. Received: {name}={rate!r}")
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful, self.unroll = bool(go_backwards), bool(stateful), bool(unroll)

    def _layout(self) -> str:
        return "(batch, timesteps, features)"

    def _rank_hint(self, shape):
        if len(shape) == 2:
            return ("a recurrent layer reads a sequence; give keras.Input(shape=(timesteps, features)), put an "
                    "Embedding before it, or set return_sequences=True on the recurrent layer before it")
        return "reshape the input to (batch, timesteps, features), e.g. with layers.Reshape or TimeDistributed"

    def _biases(self) -> int:
        return 1 if self.use_bias else 0

    def _spec(self, shape) -> RecurrentSpec:
        if shape[-1] is None:
            raise KerasValueError(f"the features axis of the input must be known to build the kernels; received "
                                  f"{shape_text(shape)}", hint="give keras.Input a fixed last dimension")
        return RecurrentSpec(self._kind, shape[-1], self.units, self._biases(), sequences=self.return_sequences)

    def _weights_for(self, shape):
        spec = self._spec(shape)
        return recurrent_terms(spec), self._rule.formula(spec), {-1: spec.inputs}

    def _output_shapes(self, shape) -> list[tuple]:
        """The output, then with ``return_state`` one ``(batch, units)`` per state (which the input's features
        do not change: ``compute_output_shape`` takes an unknown number of them, as Keras does)."""
        spec = self._spec(shape if not shape or shape[-1] is not None else (*shape[:-1], 1))
        states = [RECURRENT.output(spec.last_step(), shape)] * state_count(self._kind) if self.return_state else []
        return [RECURRENT.output(spec, shape), *states]

    def call(self, inputs, *args, **kwargs):
        tensor = flat_tensors(inputs)[0]
        with _Context(self):
            _, formulas, macs = self._forward(tensor.shape)
        self._record_cost(macs, formulas)
        outputs = [KerasTensor(s, self.compute_dtype) for s in self._output_shapes(tensor.shape)]
        return outputs if self.return_state else outputs[0]

    def compute_output_shape(self, input_shape):
        shapes = self._output_shapes(tuple(input_shape))
        return shapes if self.return_state else shapes[0]


class SimpleRNN(_RNN):
    """``keras.layers.SimpleRNN(units)``: ``kernel (I, H)``, ``recurrent_kernel (H, H)``, ``bias (H)``."""

    _kind = "rnn"

    def __init__(self, units, activation="tanh", use_bias=True, dropout=0.0, recurrent_dropout=0.0,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False,
                 **kwargs):
        self._setup(units, activation, use_bias, dropout, recurrent_dropout, return_sequences, return_state,
                    go_backwards, stateful, unroll, kwargs)


class LSTM(_RNN):
    """``keras.layers.LSTM(units)``: ``kernel (I, 4·H)``, ``recurrent_kernel (H, 4·H)``, one ``bias (4·H)``:
    ``4 × (H·(I + H) + H)`` (PyTorch has two bias vectors: ``4 × (H·(I + H) + 2·H)``)."""

    _kind = "lstm"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, **kwargs):
        self._setup(units, activation, use_bias, dropout, recurrent_dropout, return_sequences, return_state,
                    go_backwards, stateful, unroll, kwargs)
        self.recurrent_activation = recurrent_activation


class GRU(_RNN):
    """``keras.layers.GRU(units, reset_after=True)``: ``kernel (I, 3·H)``, ``recurrent_kernel (H, 3·H)``, and
    ``bias (2, 3·H)`` with ``reset_after`` (the default; ``3 × (H·(I + H) + 2·H)``) or ``bias (3·H)`` without
    (``3 × (H·(I + H) + H)``)."""

    _kind = "gru"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, reset_after=True, **kwargs):
        self._setup(units, activation, use_bias, dropout, recurrent_dropout, return_sequences, return_state,
                    go_backwards, stateful, unroll, kwargs)
        self.recurrent_activation = recurrent_activation
        self.reset_after = bool(reset_after)

    def _biases(self) -> int:
        if not self.use_bias:
            return 0
        return 2 if self.reset_after else 1


_MERGE_MODES = ("sum", "mul", "concat", "ave", None)


class Bidirectional(BuiltinLayer):
    """``keras.layers.Bidirectional(layer, merge_mode='concat')``: the recurrent ``layer`` run forwards and
    backwards, each direction with its own weights (forward's, then backward's); ``concat`` doubles the
    units, ``sum``/``mul``/``ave`` keep them, ``None`` returns both outputs as a list."""

    _ndim = 3

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, _RNN):
            if isinstance(layer, Layer) and not layer._builtin:  # a user's own RNN subclass
                raise unknown_layer(f"Bidirectional({type(layer).__name__}(...))")
            if isinstance(layer, Layer):
                raise KerasValueError(
                    f"Bidirectional wraps a recurrent layer; received {layer._describe()}",
                    hint="write Bidirectional(LSTM(units)), Bidirectional(GRU(units)) or Bidirectional(SimpleRNN(units))",
                )
            raise KerasValueError(f"Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                                  f"Received: {layer!r}")
        if merge_mode not in _MERGE_MODES:
            raise KerasValueError(f"Invalid merge mode. Received: {merge_mode!r}. Merge mode should be one of "
                                  "{'sum', 'mul', 'ave', 'concat', None}")
        if backward_layer is not None and not isinstance(backward_layer, _RNN):
            raise unknown_layer(f"Bidirectional(backward_layer={type(backward_layer).__name__}(...))")
        super().__init__(**kwargs)
        self.__dict__["_forward_layer"] = layer
        self.__dict__["_backward_layer"] = backward_layer if backward_layer is not None else layer
        self.merge_mode = merge_mode
        self.return_sequences, self.return_state = layer.return_sequences, layer.return_state

    @property
    def forward_layer(self):
        return self._forward_layer

    @property
    def backward_layer(self):
        return self._backward_layer

    def _layout(self) -> str:
        return "(batch, timesteps, features)"

    def _rank_hint(self, shape):
        return self._forward_layer._rank_hint(shape)

    def _weights_for(self, shape):
        forward_terms, formula, axes = self._forward_layer._weights_for(shape)
        backward_terms, backward_formula, _ = self._backward_layer._weights_for(shape)
        if self._backward_layer is self._forward_layer:
            formula = num(2) * formula
        else:
            formula = formula + backward_formula
        return forward_terms + backward_terms, formula, axes

    def _forward(self, shape):
        forward, _, macs = self._forward_layer._forward(shape)
        backward, _, back_macs = self._backward_layer._forward(shape)
        return self._merged(forward, backward), [], macs + back_macs

    def _merged(self, forward: tuple, backward: tuple) -> tuple:
        if self.merge_mode == "concat":
            return forward[:-1] + (forward[-1] + backward[-1],)
        return forward

    def _output_shapes(self, shape) -> list[tuple]:
        forward = self._forward_layer._output_shapes(shape)
        backward = self._backward_layer._output_shapes(shape)
        if self.merge_mode is None:
            outputs = [forward[0], backward[0]]
        else:
            outputs = [self._merged(forward[0], backward[0])]
        return outputs + forward[1:] + backward[1:]

    def call(self, inputs, *args, **kwargs):
        tensor = flat_tensors(inputs)[0]
        with _Context(self):
            _, formulas, macs = self._forward(tensor.shape)
        self._record_cost(macs, formulas)
        outputs = [KerasTensor(s, self.compute_dtype) for s in self._output_shapes(tensor.shape)]
        return outputs if len(outputs) > 1 else outputs[0]

    def compute_output_shape(self, input_shape):
        shapes = self._output_shapes(tuple(input_shape))
        return shapes if len(shapes) > 1 else shapes[0]


class TimeDistributed(BuiltinLayer):
    """``keras.layers.TimeDistributed(layer)``: ``layer`` applied to every time step of ``(batch, T, …)``; its
    weights once, its MACs ``T`` times."""

    _min_ndim = 3

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise KerasValueError(f"Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. "
                                  f"Received: {layer!r}")
        if not isinstance(layer, BuiltinLayer) or isinstance(layer, (_RNN, Bidirectional)):
            raise unknown_layer(f"TimeDistributed({type(layer).__name__}(...))")
        super().__init__(**kwargs)
        self.__dict__["_inner"] = layer

    @property
    def layer(self):
        return self._inner

    def _layout(self) -> str:
        return "(batch, timesteps, …)"

    def _rank_hint(self, shape):
        return "TimeDistributed needs a time axis after the batch: give keras.Input(shape=(timesteps, ...))"

    def build(self, input_shape=None) -> None:
        shape = tuple(input_shape)
        self._check_shape(shape)
        inner = self._inner
        step = (shape[0],) + shape[2:]
        if not inner.built:
            with _Context(inner):
                inner.build(step)
        self._own_weights = inner._own_weights
        self._params_formula = inner._params_formula
        self.built = True

    def _forward(self, shape):
        output, formulas, macs = self._inner._forward((shape[0],) + tuple(shape[2:]))
        return (output[0], shape[1]) + tuple(output[1:]), formulas, macs * (shape[1] or 1)


CLASSES = [SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed]
