"""Recurrent layers, Keras → PyTorch: ``SimpleRNN``/``LSTM``/``GRU`` (and ``Bidirectional``).

Parameter counts differ where the frameworks' cells differ, and the converted code says by how much:
- torch RNN cells have two biases (``bias_ih``, ``bias_hh``), Keras one: torch LSTM has 4·H more parameters per
  direction, SimpleRNN → RNN H more;
- Keras GRU with ``reset_after=True`` (the default) has the same two biases as torch (equal counts);
  ``reset_after=False`` has one (torch has 3·H more) and applies the reset gate before the matmul, which torch's
  GRU never does: the same size, not the same function.
PyTorch → Keras: ``nn.LSTM``/``nn.GRU``/``nn.RNN`` (``batch_first=True``; stacked layers
become stacked Keras layers, with their dropout in between); an RNN's ``out[:, -1]`` or ``h[-1]`` (and
``torch.cat([h[-2], h[-1]], 1)`` when bidirectional) becomes ``return_sequences=False``.
"""

from __future__ import annotations

from nncalc.convert.mapping import KerasCode, Mapping, Raw, TorchCode, Unconvertible, call_text, register
from nncalc.layers.recurrent import GATES

RNN_TORCH = {"LSTM": ("LSTM", GATES["lstm"]), "GRU": ("GRU", GATES["gru"]), "SimpleRNN": ("RNN", GATES["rnn"])}
"""Keras class → (torch class, gates), the gates of the recurrent rule (:data:`nncalc.layers.recurrent.GATES`)."""


def _read_cell(layer) -> dict:
    kind = type(layer).__name__
    if kind not in RNN_TORCH:
        raise Unconvertible(f"{kind} has no torch equivalent")
    if layer.return_state or layer.go_backwards or layer.stateful:
        raise Unconvertible("return_state, go_backwards and stateful RNNs are not converted")
    activation = layer.activation if isinstance(layer.activation, str) else "custom"
    if activation != "tanh" and not (kind == "SimpleRNN" and activation == "relu"):
        raise Unconvertible(f"activation={activation!r}: torch's {RNN_TORCH[kind][0]} uses tanh")
    if getattr(layer, "recurrent_activation", "sigmoid") != "sigmoid":
        raise Unconvertible(f"recurrent_activation={layer.recurrent_activation!r}: torch's gates use sigmoid")
    return {"cell": kind, "units": layer.units, "bias": layer.use_bias, "activation": activation,
            "return_sequences": layer.return_sequences, "reset_after": getattr(layer, "reset_after", True),
            "dropout": layer.dropout or layer.recurrent_dropout}


def read_keras_rnn(layer, ctx) -> dict:
    return {**_read_cell(layer), "bidirectional": False}


def read_keras_bidirectional(layer, ctx) -> dict:
    if layer.forward_layer is not layer.backward_layer and type(layer.backward_layer) is not type(layer.forward_layer):
        raise Unconvertible("a backward_layer of another kind has no torch equivalent")
    if layer.merge_mode not in ("concat", "sum"):
        raise Unconvertible(f"merge_mode={layer.merge_mode!r}: torch concatenates the two directions")
    return {**_read_cell(layer.forward_layer), "bidirectional": True, "merge": layer.merge_mode}


def _count_note(a: dict, features: int) -> list[str]:
    cell, units = a["cell"], a["units"]
    torch_name, gates = RNN_TORCH[cell]
    directions = 2 if a["bidirectional"] else 1
    if not a["bias"]:
        extra = 0
    elif cell == "GRU" and a["reset_after"]:
        extra = 0
    else:
        extra = gates * units * directions
    notes = []
    if extra:
        per = f"{gates}·H × 2 directions" if directions == 2 else f"{gates}·H"
        notes.append(f"torch {torch_name} has two biases, Keras {cell} one: {per} = {extra:,} more parameters")
    if cell == "GRU" and not a["reset_after"]:
        notes.append("Keras GRU(reset_after=False) applies the reset gate before the recurrent matmul; torch's GRU "
                     "applies it after (Keras's default): same size, different function")
    if a["dropout"]:
        notes.append("Keras dropout/recurrent_dropout inside the cell has no torch equivalent (not carried over)")
    return notes


def write_torch_rnn(op, ctx) -> TorchCode:
    a = op.attrs
    torch_name, _ = RNN_TORCH[a["cell"]]
    features = ctx.in_shape(op)[-1]
    kwargs: dict = {"batch_first": True}
    if a["cell"] == "SimpleRNN" and a["activation"] == "relu":
        kwargs["nonlinearity"] = "relu"
    if not a["bias"]:
        kwargs["bias"] = False
    if a["bidirectional"]:
        kwargs["bidirectional"] = True
    module = call_text(f"nn.{torch_name}", features, a["units"], **kwargs)
    state = "(h, _)" if torch_name == "LSTM" else "h"
    merge = a.get("merge", "concat")

    def lines(names, xs, out):
        call = f"self.{names[0]}({xs[0]})"
        if a["return_sequences"]:
            if a["bidirectional"] and merge == "sum":
                return [f"{out}, _ = {call}", f"{out} = {out}[..., :{a['units']}] + {out}[..., {a['units']}:]"]
            return [f"{out}, _ = {call}"]
        if not a["bidirectional"]:
            return [f"_, {state} = {call}", f"{out} = h[-1]"]
        joined = "h[-2] + h[-1]" if merge == "sum" else "torch.cat([h[-2], h[-1]], dim=1)"
        return [f"_, {state} = {call}", f"{out} = {joined}"]

    code = TorchCode([("", module)], lambda names, xs: "", _count_note(a, features))
    code.lines = lines
    return code


# ----- PyTorch → Keras -----------------------------------------------------------------------------------------
TORCH_CELLS = {"LSTM": ("LSTM", GATES["lstm"]), "GRU": ("GRU", GATES["gru"]), "RNN": ("SimpleRNN", GATES["rnn"])}


def read_torch_rnn(module, ctx):
    kind = type(module).__name__
    if not module.batch_first:
        raise Unconvertible("batch_first=False: Keras RNNs read (batch, time, features); transpose first")
    if len(ctx.input_shapes) > 1:
        raise Unconvertible("an initial state (h_0, c_0) passed in is not converted")
    if module.proj_size:
        raise Unconvertible("proj_size= (an LSTM with projections) has no Keras equivalent")
    activation = getattr(module, "nonlinearity", "tanh")
    attrs = {"cell": TORCH_CELLS[kind][0], "units": module.hidden_size, "bias": module.bias,
             "activation": activation, "return_sequences": True, "reset_after": True, "dropout": 0,
             "bidirectional": module.bidirectional, "merge": "concat", "layers": module.num_layers,
             "between": module.dropout}
    return ("bidirectional_rnn" if module.bidirectional else "rnn"), attrs


def write_keras_rnn(op, ctx) -> KerasCode:
    a = op.attrs
    torch_name = next(t for t, (k, _) in TORCH_CELLS.items() if k == a["cell"])
    gates = TORCH_CELLS[torch_name][1]
    layers = []
    count = a.get("layers", 1)
    for index in range(count):
        last = index == count - 1
        kwargs = {"activation": "relu" if a["activation"] == "relu" else None,
                  "use_bias": None if a["bias"] else False,
                  "return_sequences": True if not last or a["return_sequences"] else None}
        name = op.name if last else f"{op.name}_{index}"
        cell = call_text(f"layers.{a['cell']}", a["units"], **kwargs, **({} if a["bidirectional"] else {"name": name}))
        layers.append(call_text("layers.Bidirectional", Raw(cell), name=name) if a["bidirectional"] else cell)
        if not last and a.get("between"):
            layers.append(call_text("layers.Dropout", a["between"], name=f"{op.name}_dropout_{index}"))
    comments = []
    if a["bias"] and a["cell"] != "GRU":
        directions = 2 if a["bidirectional"] else 1
        fewer = gates * a["units"] * directions * count
        comments.append(f"Keras {a['cell']} has one bias, torch {torch_name} two: {gates}·H per layer and direction "
                        f"= {fewer:,} fewer parameters")
    return KerasCode(layers, comments)


def read_torch_index(event, ctx) -> dict:
    """``out[:, -1]`` / ``out[:, -1, :]`` (the last step) and ``h[-1]`` (a final state) on an RNN's outputs."""
    index = event.args[1] if len(event.args) > 1 else None
    every = slice(None, None, None)
    if isinstance(index, tuple) and index[:2] == (every, -1) and all(i == every for i in index[2:]):
        return {"select": "last_step"}
    if isinstance(index, int) and not isinstance(index, bool):
        return {"select": "state", "index": index}
    raise Unconvertible(f"indexing [{index!r}] has no Keras layer (only an RNN's last step or final state folds "
                        "into return_sequences=False)")


def write_keras_index(op, ctx) -> KerasCode:
    raise Unconvertible("indexing has no Keras layer (only an RNN's last step or final state folds into "
                        "return_sequences=False)")


register(
    Mapping("rnn", keras_types=("LSTM", "GRU", "SimpleRNN"), torch_types=("LSTM", "GRU", "RNN"),
            read_keras=read_keras_rnn, read_torch=read_torch_rnn, write_torch=write_torch_rnn,
            write_keras=write_keras_rnn),
    Mapping("bidirectional_rnn", keras_types=("Bidirectional",), read_keras=read_keras_bidirectional,
            write_torch=write_torch_rnn, write_keras=write_keras_rnn),
    Mapping("index", torch_ops=("Tensor.__getitem__",), read_torch_op=read_torch_index, write_keras=write_keras_index),
)
