"""``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` and their cells ``nn.RNNCell``, ``nn.LSTMCell``, ``nn.GRUCell``: torch's
signatures mapped onto :mod:`nncalc.layers.recurrent`, with torch's weight names and layouts.

Every layer and direction has ``weight_ih_l{k}`` ``(g·H, I)``, ``weight_hh_l{k}`` ``(g·H, H)`` and two bias
vectors ``bias_ih_l{k}``, ``bias_hh_l{k}`` ``(g·H)`` (Keras has one), the backward direction the same names
with ``_reverse``; layer k > 0 reads the ``D·H`` outputs of the layer below (D = 2 when bidirectional). An
LSTM with ``proj_size`` P also has ``weight_hr_l{k}`` ``(P, H)`` and its ``h`` has P features.

A layer returns ``(output, h_n)`` (LSTM ``(output, (h_n, c_n))``): ``output`` is ``(L, N, D·H_out)``,
``(N, L, D·H_out)`` with ``batch_first`` or ``(L, D·H_out)`` unbatched; ``h_n`` ``(D·num_layers, N, H_out)``
whatever ``batch_first``. A cell computes one step: ``h`` (LSTM ``(h, c)``), ``(N, H)`` or ``(H,)``.
Weights, formula and MACs are those of the rule :data:`~nncalc.layers.recurrent.RECURRENT`, once per layer and
direction (a cell: once, for one step): ``g × H·(I + H)`` MACs per time step (bias excluded), times steps and batch.
"""

from __future__ import annotations

from nncalc.errors import UnknownLayer
from nncalc.formula import Expr
from nncalc.interpreter.limits import HOST_LAYER_STEPS, active_budget, number_text
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.errors import (
    TorchTypeError,
    TorchValueError,
    check_int,
    is_unknown,
    plural,
    render_value,
    shape_error,
)
from nncalc.frameworks.torch.arguments import layer_dtype, tensor_input
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import Tensor, make_parameter
from nncalc.layers.base import Term
from nncalc.layers.recurrent import RECURRENT, RecurrentSpec, stack_params_formula

_KINDS = {"LSTM": "lstm", "GRU": "gru", "RNN_TANH": "rnn", "RNN_RELU": "rnn"}
_NONLINEARITY = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}
_CHUNKS = {1: "rnn", 3: "gru", 4: "lstm"}


def _flag(value, name: str, layer) -> bool:
    if not isinstance(value, bool):
        raise TorchTypeError(f"{layer._describe()}: {name} should be of type bool, got: {type(value).__name__}")
    return value


def _rate(value, layer) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise TorchValueError(
            f"{layer._describe()}: dropout should be a number in range [0, 1] representing the probability of an "
            f"element being zeroed. Received: dropout={value!r}"
        )
    return float(value)


def _sequence_input(value, layer) -> Tensor:
    """The tensor a recurrent layer reads; a packed sequence is beyond nncalc, an integer tensor a mistake."""
    if is_unknown(value):
        raise UnknownLayer(
            f"nncalc cannot run {layer._describe()} on {render_value(value)}: packed sequences are not supported",
            hint="give the layer the padded tensor itself (the parameters are the same; the MACs are then those "
            "of the full length)",
        )
    x = tensor_input(value, layer)
    if not x._dtype.is_floating_point:
        weights = next(p for p in layer._parameters.values() if p is not None)._dtype
        raise shape_error(
            f"{layer._describe()}: input dtype ({x._dtype!r}) does not match weight dtype ({weights!r})",
            "dtype",
            layer,
            hint="a recurrent layer reads float features; token indices go through an nn.Embedding first",
        )
    return x


def _check_rank(layer, x: Tensor, unbatched: int, hint: str) -> None:
    """The input is unbatched (rank ``unbatched``) or batched (one more), or torch's error."""
    if len(x._shape) not in (unbatched, unbatched + 1):
        raise shape_error(
            f"{layer._describe()}: Expected input to be {unbatched}D or {unbatched + 1}D, got {len(x._shape)}D "
            f"instead (shape {list(x._shape)})",
            "rank",
            layer,
            hint=hint,
        )


def _check_features(layer, x: Tensor, layout: str) -> None:
    """The last axis holds ``input_size`` features, or a ShapeError with the fix (and a transpose hint when
    another axis has the right size: a conv's ``(N, C, L)`` read as ``(N, L, C)``)."""
    features = x._shape[-1]
    if features == layer.input_size:
        return
    hint = f"the input has shape {list(x._shape)}; {type(layer).__name__} reads {layout}"
    others = [axis for axis, size in enumerate(x._shape[:-1]) if size == layer.input_size]
    if others:
        hint += (f"; its dimension {others[-1]} has {layer.input_size}: move it last, e.g. "
                 f"x.transpose({others[-1]}, {len(x._shape) - 1})")
    raise shape_error(
        f"{layer._describe()} receives {plural(features, 'feature')} per step; "
        f"use {layer._describe(input_size=features)}",
        "features",
        layer,
        hint=hint,
        got=features,
        expected=layer.input_size,
    )


_LAYER_STATE = ("the initial state is (num_layers × directions, batch, hidden size); a bidirectional encoder's "
                "h_n has twice the layers of a one-directional decoder")
_CELL_STATE = "a cell's state is (batch, hidden_size), or (hidden_size,) for an unbatched input"


def _check_state(layer, state, expected: tuple, what: str, hint: str = _LAYER_STATE) -> None:
    if not isinstance(state, Tensor):
        raise TorchTypeError(f"{layer._describe()}: {what} must be a tensor, got {type(state).__name__}")
    if tuple(state._shape) != expected:
        raise shape_error(
            f"{layer._describe()}: Expected {what} size {expected}, got {list(state._shape)}",
            "state",
            layer,
            hint=hint,
        )


def _state_pair(layer, hx, what: str = "hx") -> tuple:
    if not isinstance(hx, (tuple, list)) or len(hx) != 2:
        raise TorchTypeError(f"{layer._describe()}: an LSTM's {what} is a pair (h_0, c_0), got {type(hx).__name__}")
    return tuple(hx)


TORCH_NAMES = {"kernel": "weight_ih", "recurrent_kernel": "weight_hh", "bias": "bias_ih", "recurrent_bias": "bias_hh",
               "projection": "weight_hr"}
"""torch's names of :data:`~nncalc.layers.recurrent.RECURRENT`'s terms."""


def recurrent_terms(spec: RecurrentSpec, suffix: str = "_l0") -> list[Term]:
    """torch's layout of :data:`~nncalc.layers.recurrent.RECURRENT`'s terms, each matrix outputs first:
    ``weight_ih (g·H, I)``, ``weight_hh (g·H, H)``, ``bias_ih (g·H)``, ``bias_hh (g·H)`` (the biases when
    ``spec.biases`` is 2), then with a projection ``weight_hr (P, H)`` (and ``weight_hh`` reads ``P``);
    ``suffix`` names the layer and direction, ``_l0``, ``_l1_reverse``, or nothing for a cell."""
    return [Term(TORCH_NAMES[term.role] + suffix, term.dims[::-1]) for term in RECURRENT.terms(spec)]


class RNNBase(Module):
    """``nn.RNNBase(mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
    bidirectional=False, proj_size=0, device=None, dtype=None)``: the stack of recurrent layers."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if mode not in _KINDS:
            raise TorchValueError(f"Unrecognized RNN mode: {mode}")
        self.mode = mode
        self.input_size = check_int(input_size, "input_size", self, 1)
        self.hidden_size = check_int(hidden_size, "hidden_size", self, 1)
        self.num_layers = check_int(num_layers, "num_layers", self, 1)
        self.bias = _flag(bias, "bias", self)
        self.batch_first = _flag(batch_first, "batch_first", self)
        self.dropout = _rate(dropout, self)
        self.bidirectional = bool(bidirectional)
        self.proj_size = check_int(proj_size, "proj_size", self, 0)
        if self.proj_size >= self.hidden_size:
            raise TorchValueError(f"{self._describe()}: proj_size has to be smaller than hidden_size")
        if self.proj_size and mode != "LSTM":
            raise TorchValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        self._kind = kind = _KINDS[mode]
        directions = 2 if self.bidirectional else 1
        outputs = self.proj_size or self.hidden_size
        biases = 2 if self.bias else 0
        active_budget().reserve(self.num_layers * directions, f"nn.{mode}(num_layers={number_text(self.num_layers)})",
                                steps_each=HOST_LAYER_STEPS, items="layers")
        self._layers = tuple(
            RecurrentSpec(kind, self.input_size if k == 0 else directions * outputs, self.hidden_size, biases,
                          self.proj_size)
            for k in range(self.num_layers)
        )
        self._spec = (self._layers, directions)
        self._names = []
        weight_dtype = layer_dtype(dtype)
        budget = active_budget()
        for k, spec in enumerate(self._layers):
            budget.tick()  # charged above; the tick reads the clock now and then
            for suffix in ("", "_reverse")[:directions]:
                terms = recurrent_terms(spec, f"_l{k}{suffix}")
                for term in terms:
                    setattr(self, term.role, make_parameter(term.shape, weight_dtype, term))
                self._names.append([term.role for term in terms])

    @property
    def all_weights(self) -> list:
        """The parameters per layer and direction, as torch lists them."""
        return [[getattr(self, name) for name in names] for names in self._names]

    def flatten_parameters(self) -> None:
        """A cuDNN memory layout: nothing to nncalc."""
        return None

    def _formula(self) -> Expr:
        return stack_params_formula(*self._spec)

    def forward(self, input, hx=None):
        x = _sequence_input(input, self)
        _check_rank(self, x, 2, "give it (seq_len, batch, features), (batch, seq_len, features) with "
                    "batch_first=True, or (seq_len, features) unbatched")
        batched = len(x._shape) == 3
        layout = ("(batch, seq_len, features)" if self.batch_first else "(seq_len, batch, features)") if batched \
            else "(seq_len, features)"
        _check_features(self, x, layout)
        if batched:
            steps, batch = (x._shape[1], x._shape[0]) if self.batch_first else (x._shape[0], x._shape[1])
        else:
            steps, batch = x._shape[0], 1
        directions = self._spec[1]
        outputs = self.proj_size or self.hidden_size
        lead = (directions * self.num_layers, batch) if batched else (directions * self.num_layers,)
        h_shape, c_shape = lead + (outputs,), lead + (self.hidden_size,)
        if hx is not None:
            if self.mode == "LSTM":
                h0, c0 = _state_pair(self, hx)
                _check_state(self, h0, h_shape, "hidden[0]")
                _check_state(self, c0, c_shape, "hidden[1]")
            else:
                _check_state(self, hx, h_shape, "hidden")
        if recorder.active():
            recorder.note(directions * sum(RECURRENT.macs(spec, (batch, steps, spec.inputs)) for spec in self._layers))
        top = self._layers[-1]
        seq = (steps, directions * RECURRENT.output(top, (batch, steps, top.inputs))[-1])
        out_shape = ((batch,) + seq if self.batch_first else (steps, batch, seq[1])) if batched else seq
        output = x._like(out_shape, factors=None)
        h_n = x._like(h_shape, factors=None)
        if self.mode == "LSTM":
            return output, (h_n, x._like(c_shape, factors=None))
        return output, h_n

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        for name, default in (("bias", True), ("batch_first", False), ("dropout", 0.0), ("bidirectional", False)):
            if getattr(self, name) != default:
                text += f", {name}={getattr(self, name)}"
        return text


@builtin
class RNN(RNNBase):
    """``nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False,
    dropout=0.0, bidirectional=False, device=None, dtype=None)``: ``H × (I + H) + 2 × H`` per layer and
    direction."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None, *, proj_size=None):
        if proj_size is not None:
            raise TorchValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if nonlinearity not in _NONLINEARITY:
            raise TorchValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__(_NONLINEARITY[nonlinearity], input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, 0, device, dtype)


@builtin
class LSTM(RNNBase):
    """``nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
    bidirectional=False, proj_size=0, device=None, dtype=None)``: ``4 × (H × (I + H) + 2 × H)`` per layer and
    direction, the ``2 × H`` being ``bias_ih`` and ``bias_hh`` (Keras's LSTM has one bias: ``+ H``)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)


@builtin
class GRU(RNNBase):
    """``nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
    bidirectional=False, device=None, dtype=None)``: ``3 × (H × (I + H) + 2 × H)`` per layer and direction (as
    Keras's ``GRU(reset_after=True)``)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None, *, proj_size=None):
        if proj_size is not None:
            raise TorchValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         0, device, dtype)


class RNNCellBase(Module):
    """``nn.RNNCellBase(input_size, hidden_size, bias, num_chunks, device=None, dtype=None)``: one time step,
    weights ``weight_ih (g·H, I)``, ``weight_hh (g·H, H)``, ``bias_ih``, ``bias_hh (g·H)``."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = check_int(input_size, "input_size", self, 1)
        self.hidden_size = check_int(hidden_size, "hidden_size", self, 1)
        self.bias = bool(bias)
        self._kind = _CHUNKS.get(check_int(num_chunks, "num_chunks", self, 1))
        if self._kind is None:
            raise TorchValueError(f"{self._describe()}: num_chunks is 1 (RNN), 3 (GRU) or 4 (LSTM)")
        self._spec = RecurrentSpec(self._kind, self.input_size, self.hidden_size, 2 if self.bias else 0)
        weight_dtype = layer_dtype(dtype)
        for term in recurrent_terms(self._spec, ""):
            setattr(self, term.role, make_parameter(term.shape, weight_dtype, term))
        if not self.bias:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)

    def _formula(self) -> Expr:
        return RECURRENT.formula(self._spec)

    def forward(self, input, hx=None):
        x = _sequence_input(input, self)
        name = type(self).__name__
        _check_rank(self, x, 1, "a cell computes one time step of (batch, features): call it on x[:, t] in a "
                    "loop over t")
        _check_features(self, x, "(batch, features), one time step")
        state = x._shape[:-1] + (self.hidden_size,)
        if hx is not None:
            pairs = zip(_state_pair(self, hx), ("hx[0]", "hx[1]")) if self._kind == "lstm" else [(hx, "hx")]
            for tensor, what in pairs:
                _check_state(self, tensor, state, f"{name} {what}", _CELL_STATE)
        if recorder.active():
            recorder.note(RECURRENT.macs(self._spec, (x._shape[0] if len(x._shape) == 2 else 1, 1, self.input_size)))
        h = x._like(state, factors=None)
        return (h, x._like(state, factors=None)) if self._kind == "lstm" else h

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        return text if self.bias else text + ", bias=False"


@builtin
class RNNCell(RNNCellBase):
    """``nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh', device=None, dtype=None)``."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        if nonlinearity not in _NONLINEARITY:
            raise TorchValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)


@builtin
class LSTMCell(RNNCellBase):
    """``nn.LSTMCell(input_size, hidden_size, bias=True, device=None, dtype=None)``: returns ``(h, c)``."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)


@builtin
class GRUCell(RNNCellBase):
    """``nn.GRUCell(input_size, hidden_size, bias=True, device=None, dtype=None)``."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)


builtin(RNNBase)
builtin(RNNCellBase)

_KERAS_BIASES = {
    "lstm": ("LSTM", "4 × (H × (I + H) + 2 × H)", "Keras's LSTM keeps one: 4 × (H × (I + H) + H)"),
    "gru": ("GRU", "3 × (H × (I + H) + 2 × H)", "Keras's GRU keeps two with reset_after=True (its default), "
            "one with reset_after=False: 3 × (H × (I + H) + H)"),
    "rnn": ("RNN", "H × (I + H) + 2 × H", "Keras's SimpleRNN keeps one: H × (I + H) + H"),
}


def bias_notes(model: Module) -> list[str]:
    """One note per recurrent kind in ``model`` with biases: why its count is not Keras's."""
    kinds: dict[str, None] = {}
    for _, module in Module.named_modules(model):  # the file may override named_modules
        if isinstance(module, (RNNBase, RNNCellBase)) and module.bias:
            kinds.setdefault(module._kind)
    notes = []
    for kind in kinds:
        name, formula, keras = _KERAS_BIASES[kind]
        notes.append(f"PyTorch's {name} keeps two bias vectors per gate, bias_ih and bias_hh (the 2 × H of "
                     f"{formula}); {keras}")
    return notes
