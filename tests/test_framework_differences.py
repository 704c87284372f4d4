"""The layers whose parameter count differs between PyTorch and Keras (docs/frameworks.md, "Layers whose count
differs"): each row builds the layer in the REAL torch and the REAL Keras, checks both counts against the
formula written out here, and checks that nncalc, reading the same source without running it, says the same
and shows the same formula.

To add a row: one :class:`Difference` with a small source per framework (a module-level ``model``), its input,
and the formulas as nncalc prints them; then the row in the docs table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
torch = pytest.importorskip("torch")
keras = pytest.importorskip("keras")

import nncalc  # noqa: E402

DOCS = Path(__file__).resolve().parents[1] / "docs" / "frameworks.md"
I, H, T = 32, 64, 10  # input features, units, time steps


@dataclass(frozen=True)
class Difference:
    """One layer in both frameworks: its name in the docs table, sources defining ``model``, the torch input
    (without batch), the parameter counts by the closed formulas, and nncalc's formula text for the layer."""

    layer: str
    torch_source: str
    torch_input: tuple
    torch_params: int
    torch_formula: str
    keras_source: str
    keras_params: int
    keras_formula: str


TORCH_HEAD = "import torch.nn as nn\n"
KERAS_HEAD = "import keras\nfrom keras import layers\n"


def _torch(layer: str) -> str:
    return TORCH_HEAD + f"model = nn.Sequential({layer})\n"


def _keras(layer: str) -> str:
    return KERAS_HEAD + f"model = keras.Sequential([keras.Input(shape=({T}, {I})), {layer}])\n"


DIFFERENCES = [
    Difference(
        "simple RNN",
        _torch(f"nn.RNN({I}, {H}, batch_first=True)"), (T, I), H * (I + H) + 2 * H,
        "H × (I + H) + 2 × H",
        _keras(f"layers.SimpleRNN({H})"), H * (I + H) + H, "H × (I + H) + H",
    ),
    Difference(
        "LSTM",
        _torch(f"nn.LSTM({I}, {H}, batch_first=True)"), (T, I), 4 * (H * (I + H) + 2 * H),
        "4 × (H × (I + H) + 2 × H)",
        _keras(f"layers.LSTM({H})"), 4 * (H * (I + H) + H), "4 × (H × (I + H) + H)",
    ),
    Difference(
        "GRU, Keras reset_after=False",
        _torch(f"nn.GRU({I}, {H}, batch_first=True)"), (T, I), 3 * (H * (I + H) + 2 * H),
        "3 × (H × (I + H) + 2 × H)",
        _keras(f"layers.GRU({H}, reset_after=False)"), 3 * (H * (I + H) + H), "3 × (H × (I + H) + H)",
    ),
    Difference(
        "stacked bidirectional LSTM",
        _torch(f"nn.LSTM({I}, {H}, num_layers=2, bidirectional=True, batch_first=True)"), (T, I),
        2 * 4 * (H * (I + H) + 2 * H) + 2 * 4 * (H * (2 * H + H) + 2 * H),
        "2 × 4 × (H × (I + H) + 2 × H) + 2 × 4 × (H × (2 × H + H) + 2 × H)",
        _keras(f"layers.Bidirectional(layers.LSTM({H}, return_sequences=True)), "
               f"layers.Bidirectional(layers.LSTM({H}))"),
        2 * 4 * (H * (I + H) + H) + 2 * 4 * (H * (2 * H + H) + H), "2 × 4 × (H × (I + H) + H)",
    ),
]

# Keras's default GRU(reset_after=True) keeps two bias rows: the same count as PyTorch's. Not a difference,
# but the docs say so, and so does this test.
SAME = Difference(
    "GRU, Keras reset_after=True (default)",
    _torch(f"nn.GRU({I}, {H}, batch_first=True)"), (T, I), 3 * (H * (I + H) + 2 * H),
    "3 × (H × (I + H) + 2 × H)",
    _keras(f"layers.GRU({H})"), 3 * (H * (I + H) + 2 * H), "3 × (H × (I + H) + 2 × H)",
)
ROWS = DIFFERENCES + [SAME]
IDS = [row.layer for row in ROWS]


def _real_torch_params(source: str, shape: tuple) -> int:
    namespace: dict = {}
    exec(compile(source, "<torch>", "exec"), namespace)  # noqa: S102 - the test's own source
    model = namespace["model"].eval()
    with torch.no_grad():
        model(torch.zeros(1, *shape))
    return sum(p.numel() for p in model.parameters())


def _real_keras_params(source: str) -> int:
    namespace: dict = {}
    exec(compile(source, "<keras>", "exec"), namespace)  # noqa: S102 - the test's own source
    return int(namespace["model"].count_params())


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_real_frameworks_count_as_the_formulas_say(row):
    assert _real_torch_params(row.torch_source, row.torch_input) == row.torch_params
    assert _real_keras_params(row.keras_source) == row.keras_params
    assert (row.torch_params != row.keras_params) == (row is not SAME)


def _layer_formulas(report) -> list[str]:
    return [r.formula.symbols() for r in report.layers if r.is_leaf and r.formula is not None]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_nncalc_reads_both_as_the_frameworks_count(row):
    torch_report = nncalc.analyze(row.torch_source, input_shape=row.torch_input)
    keras_report = nncalc.analyze(row.keras_source)
    assert torch_report.total_params == _real_torch_params(row.torch_source, row.torch_input)
    assert keras_report.total_params == _real_keras_params(row.keras_source)
    assert _layer_formulas(torch_report) == [row.torch_formula]
    assert _layer_formulas(keras_report)[0] == row.keras_formula


def test_recurrent_macs_are_the_same_in_both_frameworks():
    """Issue 6's numbers: LSTM(32 → 64) over 10 steps 245,760 MACs, GRU 184,320; bias work is not counted, so
    the frameworks' bias layouts change no MAC. torch's own FlopCounterMode agrees (its oneDNN LSTM kernel is
    not counted, so torch runs its reference path)."""
    from torch.utils.flop_counter import FlopCounterMode

    for layer, keras_layer, expected in (("LSTM", "LSTM", 245_760), ("GRU", "GRU", 184_320),
                                         ("RNN", "SimpleRNN", 61_440)):
        torch_source = _torch(f"nn.{layer}({I}, {H}, batch_first=True)")
        namespace: dict = {}
        exec(compile(torch_source, "<torch>", "exec"), namespace)  # noqa: S102 - the test's own source
        counter = FlopCounterMode(display=False)
        with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), counter:
            namespace["model"](torch.zeros(1, T, I))
        assert counter.get_total_flops() == 2 * expected
        assert nncalc.analyze(torch_source, input_shape=(T, I)).total_macs == expected
        assert nncalc.analyze(_keras(f"layers.{keras_layer}({H})")).total_macs == expected


def _docs_table() -> dict[str, list[str]]:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Layers whose count differs", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| layer")]
    return {row.split("|")[1].strip(): row for row in rows}


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_docs_table_shows_both_formulas(row):
    """Every row here is a row of the docs table, with both formulas as nncalc prints them."""
    table = _docs_table()
    assert row.layer in table, f"docs/frameworks.md lacks a row for {row.layer!r}"
    assert f"`{row.torch_formula}`" in table[row.layer]
    assert f"`{row.keras_formula}`" in table[row.layer]


MODELS = Path(__file__).resolve().parent / "models"


@pytest.mark.parametrize(
    "torch_file, keras_file, difference",
    [
        # 2 layers × 2 directions × 4 gates × 64 units: the bias_hh vectors Keras does not have
        ("torch_lstm_text_classifier.py", "keras_lstm_text_classifier.py", 2 * 2 * 4 * 64),
        ("torch_gru_text_classifier.py", "keras_gru_reset_after.py", 0),
    ],
)
def test_twin_model_files_differ_by_the_bias_vectors(torch_file, keras_file, difference):
    """The same architecture in both frameworks (each file is checked against its real framework by
    test_models_oracle): the totals differ by exactly the second bias vectors, the MACs not at all."""
    import oracle

    directives = oracle.read_directives(MODELS / torch_file)
    torch_report = nncalc.analyze(str(MODELS / torch_file), input_shapes=directives.input_shapes,
                                  dtype=directives.dtype)
    keras_report = nncalc.analyze(str(MODELS / keras_file))
    assert torch_report.total_params - keras_report.total_params == difference
    assert torch_report.total_macs == keras_report.total_macs


E, HEADS, L = 64, 4, 10  # embedding size, heads, sequence length
MHA_ROW = "multi-head attention, Keras key_dim = E / heads"
MHA_TORCH = (TORCH_HEAD + "class Attend(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
             f"        self.attn = nn.MultiheadAttention({E}, {HEADS}, batch_first=True)\n\n"
             "    def forward(self, x):\n        return self.attn(x, x, x)[0]\n\nmodel = Attend()\n")
MHA_KERAS = (KERAS_HEAD + f"x = keras.Input(shape=({L}, {E}))\n"
             f"model = keras.Model(x, layers.MultiHeadAttention({HEADS}, key_dim={E // HEADS})(x, x))\n")
MHA_TORCH_FORMULAS = ["3 × E × (E + 1) + (E + 1) × E", "(inputs + 1) × outputs"]  # the whole layer, then out_proj
MHA_KERAS_FORMULA = ("heads × key_dim × (d_q + 1) + heads × key_dim × (d_k + 1) + heads × value_dim × (d_v + 1) + "
                     "(heads × value_dim + 1) × d_out")


def test_multihead_attention_packed_and_per_head_count_the_same():
    """torch packs q, k, v into ``in_proj_weight (3·E, E)`` and keeps ``out_proj`` as a child; Keras keeps four
    kernels with the heads as an axis. With ``key_dim = value_dim = E / heads`` both hold 4·E² + 4·E = 16,640
    and cost 4·L·E² + 2·L²·E = 176,640 MACs (torch's FlopCounterMode agrees)."""
    from torch.utils.flop_counter import FlopCounterMode

    expected = 4 * E * E + 4 * E
    assert expected == 16_640
    assert _real_torch_params(MHA_TORCH, (L, E)) == _real_keras_params(MHA_KERAS) == expected
    torch_report, keras_report = nncalc.analyze(MHA_TORCH, input_shape=(L, E)), nncalc.analyze(MHA_KERAS)
    assert torch_report.total_params == keras_report.total_params == expected
    assert [r.formula.symbols() for r in torch_report.layers if r.formula is not None] == MHA_TORCH_FORMULAS
    assert [r.formula.symbols() for r in keras_report.layers if r.formula is not None] == [MHA_KERAS_FORMULA]
    namespace: dict = {}
    exec(compile(MHA_TORCH, "<torch>", "exec"), namespace)  # noqa: S102 - the test's own source
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        torch.backends.mha.set_fastpath_enabled(False)  # the fused kernel is invisible to the counter
        namespace["model"].eval()(torch.zeros(1, L, E))
    macs = 4 * L * E * E + 2 * L * L * E
    assert counter.get_total_flops() == 2 * macs
    assert torch_report.total_macs == keras_report.total_macs == macs
    row = _docs_table()[MHA_ROW]
    assert all(f"`{formula}`" in row for formula in MHA_TORCH_FORMULAS + [MHA_KERAS_FORMULA])
