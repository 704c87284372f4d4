"""The symbolic ``nn.RNN/LSTM/GRU`` and their cells against the real torch: same arguments, same outputs (every
tensor of the returned tuples), same named parameters, MACs as torch's ``FlopCounterMode`` counts them; and the
errors a user meets, with their line and fix."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import nncalc  # noqa: E402
from nncalc.errors import ShapeError, UnknownLayer  # noqa: E402
from nncalc.frameworks.torch import InputShapeNeeded, new_session  # noqa: E402
from nncalc.frameworks.torch.module import tensors_in  # noqa: E402
from torch_helpers import real_layer as _real, row_id as _ids  # noqa: E402
from torch_rows import RECURRENT as ROWS  # noqa: E402

SESSION = new_session()
NN = SESSION.modules["torch.nn"]
TORCH = SESSION.modules["torch"]


def _torch_macs(module, shape) -> int:
    """torch's own MAC count (its oneDNN LSTM kernel is invisible to the counter: run the reference path)."""
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), counter:
        module(torch.zeros(shape))
    return counter.get_total_flops() // 2


@pytest.mark.parametrize("row", ROWS, ids=[_ids(r) for r in ROWS])
def test_layer_matches_torch(row):
    name, args, kwargs, shape = row
    real, real_out = _real(name, args, kwargs, shape)
    ours = getattr(NN, name)(*args, **kwargs)
    out = ours(TORCH.zeros(*shape))

    real_tensors = [real_out] if isinstance(real_out, torch.Tensor) else list(real_out)
    if name == "LSTM":
        real_tensors = [real_out[0], *real_out[1]]
    assert [t._shape for t in tensors_in(out)] == [tuple(t.shape) for t in real_tensors]
    assert isinstance(out, tuple) == isinstance(real_out, tuple)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in real.named_parameters()
    ]


@pytest.mark.parametrize("row", ROWS, ids=[_ids(r) for r in ROWS])
def test_traced_parameters_formula_and_macs(row):
    name, args, kwargs, shape = row
    real, _ = _real(name, args, kwargs, shape)
    graph = SESSION.trace(getattr(NN, name)(*args, **kwargs), [shape[1:]], shape[0], None)

    params = sum(w.numel for w in graph.root.weights if w.is_param)
    assert params == sum(p.numel() for p in real.parameters())
    assert graph.root.params_formula.value == params
    assert graph.calls[0].macs == _torch_macs(real, shape)


def test_issue_6_macs():
    """LSTM(32, 64) over 10 steps: 10 × 4 × 64 × (32 + 64) = 245,760 MACs; GRU(32, 64): 184,320."""
    for name, expected in (("LSTM", 245_760), ("GRU", 184_320)):
        graph = SESSION.trace(getattr(NN, name)(32, 64, batch_first=True), [(10, 32)], None, None)
        assert graph.calls[0].macs == expected
        assert _torch_macs(getattr(torch.nn, name)(32, 64, batch_first=True), (1, 10, 32)) == expected


def test_formulas_name_the_structure():
    def formula(layer):
        return SESSION.trace(layer, [(10, 32)], None, None).root.params_formula.symbols()

    assert formula(NN.LSTM(32, 64)) == "4 × (H × (I + H) + 2 × H)"
    assert formula(NN.GRU(32, 64, bias=False)) == "3 × H × (I + H)"
    assert formula(NN.LSTM(32, 64, 2, bidirectional=True)) == (
        "2 × 4 × (H × (I + H) + 2 × H) + 2 × 4 × (H × (2 × H + H) + 2 × H)"
    )
    assert formula(NN.RNN(32, 64, 4)) == "H × (I + H) + 2 × H + (L − 1) × (H × (H + H) + 2 × H)"
    assert formula(NN.LSTM(32, 64, proj_size=16)) == "4 × (H × (I + P) + 2 × H) + P × H"


def test_explain_shows_torch_and_keras_lstm_formulas():
    torch_source = "import torch.nn as nn\nmodel = nn.Sequential(nn.LSTM(32, 64, batch_first=True))\n"
    keras_source = ("import keras\nfrom keras import layers\n"
                    "model = keras.Sequential([keras.Input(shape=(10, 32)), layers.LSTM(64)])\n")
    torch_text = nncalc.analyze(torch_source, input_shape=(10, 32)).explain()
    keras_text = nncalc.analyze(keras_source).explain()
    assert "LSTM: Params = 4 × (H × (I + H) + 2 × H)" in torch_text
    assert "= 4 × (64 × (32 + 64) + 2 × 64)" in torch_text
    assert "= 25,088" in torch_text
    assert "PyTorch's LSTM keeps two bias vectors per gate, bias_ih and bias_hh" in torch_text
    assert "LSTM: Params = 4 × (H × (I + H) + H)" in keras_text
    assert "= 24,832" in keras_text


def test_initial_states_and_public_attributes():
    lstm = NN.LSTM(8, 16, num_layers=2, batch_first=True)
    h0, c0 = TORCH.zeros(2, 3, 16), TORCH.zeros(2, 3, 16)
    out, (h, c) = lstm(TORCH.zeros(3, 5, 8), (h0, c0))
    assert (out._shape, h._shape, c._shape) == ((3, 5, 16), (2, 3, 16), (2, 3, 16))
    assert [[tuple(p._shape) for p in layer] for layer in lstm.all_weights] == [
        [tuple(p.shape) for p in layer] for layer in torch.nn.LSTM(8, 16, num_layers=2).all_weights
    ]
    assert lstm.flatten_parameters() is None
    assert (lstm.hidden_size, lstm.num_layers, lstm.mode, lstm.proj_size) == (16, 2, "LSTM", 0)
    gru = NN.GRU(8, 16)
    assert gru(TORCH.zeros(5, 3, 8), TORCH.zeros(1, 3, 16))[1]._shape == (1, 3, 16)
    cell = NN.LSTMCell(8, 16)
    h, c = cell(TORCH.zeros(3, 8), (TORCH.zeros(3, 16), TORCH.zeros(3, 16)))
    assert (h._shape, c._shape) == ((3, 16), (3, 16))


def test_cell_in_a_loop_counts_every_step():
    source = """
import torch
import torch.nn as nn

class Stepper(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.GRUCell(16, 32)

    def forward(self, x):
        h = torch.zeros(x.size(0), 32)
        for t in range(x.size(1)):
            h = self.cell(x[:, t, :], h)
        return h
"""
    report = nncalc.analyze(source, input_shape=(7, 16), batch=2)
    assert report.total_macs == 2 * 7 * 3 * 32 * (16 + 32)
    assert report.total_params == 3 * (32 * (16 + 32) + 2 * 32)


WRONG_FEATURES = """
import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(100, 64, batch_first=True)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return out[:, -1, :]
"""


def test_wrong_input_size_names_the_line_and_the_fix():
    with pytest.raises(ShapeError) as caught:
        nncalc.analyze(WRONG_FEATURES, input_shape=(10, 128), filename="tagger.py")
    error = caught.value
    assert "`nn.LSTM(100, 64, batch_first=True)` (line 7) receives 128 features per step" in error.message
    assert "use `nn.LSTM(128, 64, batch_first=True)`" in error.message
    assert error.location.line == 10


def test_channels_first_input_gets_a_transpose_hint():
    with pytest.raises(ShapeError) as caught:
        NN.LSTM(64, 32, batch_first=True)(TORCH.zeros(2, 64, 50))  # a Conv1d's (N, C, L)
    assert "x.transpose(1, 2)" in caught.value.hint


@pytest.mark.parametrize(
    "build, call, match",
    [
        (lambda: NN.LSTM(8, 16), lambda m: m(TORCH.zeros(2, 3, 4, 8)), "Expected input to be 2D or 3D, got 4D"),
        (lambda: NN.LSTM(8, 16), lambda m: m(TORCH.zeros(2, 5, dtype=TORCH.int64)), "does not match weight dtype"),
        (lambda: NN.LSTM(8, 16), lambda m: m(TORCH.zeros(5, 2, 8), TORCH.zeros(1, 2, 16)), "pair"),
        (lambda: NN.LSTM(8, 16, bidirectional=True), lambda m: m(TORCH.zeros(5, 2, 8), (TORCH.zeros(1, 2, 16),) * 2),
         r"Expected hidden\[0\] size \(2, 2, 16\), got \[1, 2, 16\]"),
        (lambda: NN.GRU(8, 16), lambda m: m(TORCH.zeros(5, 2, 8), TORCH.zeros(1, 3, 16)), "Expected hidden size"),
        (lambda: NN.LSTMCell(8, 16), lambda m: m(TORCH.zeros(2, 5, 8)), "Expected input to be 1D or 2D, got 3D"),
        (lambda: NN.GRUCell(8, 16), lambda m: m(TORCH.zeros(2, 9)), "receives 9 features"),
    ],
    ids=["rank", "token-ids", "lstm-state-not-a-pair", "bidirectional-state", "gru-state", "cell-rank",
         "cell-features"],
)
def test_call_errors(build, call, match):
    with pytest.raises(ShapeError if "pair" not in match else TypeError, match=match):
        call(build())


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: NN.GRU(8, 16, proj_size=4), "proj_size argument is only supported for LSTM"),
        (lambda: NN.LSTM(8, 16, proj_size=16), "proj_size has to be smaller than hidden_size"),
        (lambda: NN.LSTM(8, 16, dropout=1.5), "dropout should be a number in range"),
        (lambda: NN.RNN(8, 16, nonlinearity="gelu"), "Unknown nonlinearity 'gelu'"),
        (lambda: NN.LSTM(8, 16, num_layers=0), "num_layers must be at least 1"),
        (lambda: NN.LSTM(8, 16.0), "hidden_size must be an int"),
        (lambda: NN.LSTM(8, 16, bias=1), "bias should be of type bool"),
    ],
)
def test_construction_errors_as_torch(build, match):
    with pytest.raises((ShapeError, TypeError), match=match):
        build()


def test_packed_sequence_is_reported_not_guessed():
    source = """
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 16, batch_first=True)

    def forward(self, x):
        packed = pack_padded_sequence(x, [5], batch_first=True)
        out, _ = self.lstm(packed)
        return out
"""
    with pytest.raises(UnknownLayer, match="nn.LSTM"):
        nncalc.analyze(source, input_shape=(5, 8))


def test_input_shape_is_asked_for_with_the_features():
    with pytest.raises(InputShapeNeeded) as caught:
        nncalc.analyze(WRONG_FEATURES)
    assert "reads 100 features per step" in caught.value.message
    assert "--input-shape 100,100" in caught.value.hint
