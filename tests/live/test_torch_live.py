"""``nncalc.summary`` on live PyTorch modules: the numbers torch and torchinfo give, formulas and MACs from
nncalc's rules, nothing allocated, nothing about the model changed."""

from __future__ import annotations

import inspect

import pytest

torch = pytest.importorskip("torch")
torchinfo = pytest.importorskip("torchinfo")

import nncalc  # noqa: E402
from nncalc.errors import InputError, NncalcError  # noqa: E402

nn = torch.nn
F = torch.nn.functional


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, stride=2, groups=2, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        return self.head(torch.flatten(self.pool(self.features(x)), 1))


class Tied(nn.Module):
    """A language-model head tied to its embedding, and one block called twice."""

    def __init__(self, vocab=50, dim=12):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.block = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.embed.weight

    def forward(self, tokens):
        x = self.embed(tokens)
        x = self.block(torch.relu(self.block(x)))
        return self.head(x)


class Attention(nn.Module):
    def __init__(self, dim=16, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.scale = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        y, _ = self.attn(x, x, x, need_weights=False)
        return (y * self.scale) @ x.transpose(1, 2)


def quiet(model, **kwargs):
    return nncalc.summary(model, verbose=0, **kwargs)


def test_totals_equal_torch_and_torchinfo():
    model = SmallCNN()
    report = quiet(model, input_size=(1, 3, 32, 32))
    expected = torchinfo.summary(model, input_size=(1, 3, 32, 32), verbose=0)
    assert report.total_params == sum(p.numel() for p in model.parameters()) == expected.total_params
    assert report.trainable_params == expected.trainable_params
    assert report.buffers == sum(b.numel() for b in model.buffers())
    assert report.output_shape == (1, 10)
    assert report.framework == "pytorch" and report.model_name == "SmallCNN"


def test_rows_names_formulas_and_macs():
    report = quiet(SmallCNN(), input_size=(2, 3, 32, 32))
    rows = {row.name: row for row in report.layers}
    assert [r.name for r in report.layers][:3] == ["features", "features.0", "features.1"]
    conv = rows["features.0"]
    assert conv.type == "Conv2d" and conv.output_shape == (2, 8, 32, 32)
    assert conv.formula.worked().startswith("(k_h × k_w × C_in + 1) × filters = (3 × 3 × 3 + 1) × 8")
    assert conv.macs == 2 * 32 * 32 * 8 * 3 * 3 * 3
    assert [axis for axis, _ in conv.shape_formulas] == ["H", "W"]
    grouped = rows["features.4"]
    assert grouped.formula.symbols() == "k_h × k_w × C_in / groups × filters"
    assert rows["features.1"].buffers == 8 + 8 + 1  # running mean, variance, num_batches_tracked
    assert rows["head"].macs == 2 * 16 * 10
    assert report.total_macs == sum(row.macs for row in report.layers if row.is_leaf)


def test_tied_weights_and_shared_modules_count_once():
    model = Tied()
    report = quiet(model, input_size=(1, 7), dtypes=[torch.long])
    assert report.total_params == sum(p.numel() for p in model.parameters()) == 50 * 12 + 12 * 12 + 12
    block_rows = [row for row in report.layers if row.name == "block"]
    assert [row.shared for row in block_rows] == [False, True]
    assert all(row.macs == 7 * 12 * 12 for row in block_rows)  # MACs count at every call
    assert {row.name: row.params for row in report.layers}["head"] == 50 * 12  # its (tied) weight, shown


def test_attention_counts_projections_scores_and_weighted_sum():
    model = Attention()
    report = quiet(model, input_size=(2, 5, 16))
    assert report.total_params == sum(p.numel() for p in model.parameters())
    attn = next(row for row in report.layers if row.name == "attn")
    assert attn.rule and attn.formula.symbols() == "3 × E × (E + 1) + (E + 1) × E"
    projections = 2 * 5 * 16 * 3 * 16 + 2 * 5 * 16 * 16
    scores = 2 * 4 * 5 * 5 * (4 + 4)
    assert attn.macs == projections + scores
    assert report.total_macs == attn.macs + 2 * 5 * 16 * 5  # the user's own matmul, charged to the root


class Holder(nn.Module):
    def __init__(self, attn):
        super().__init__()
        self.attn = attn

    def forward(self, query, key, value):
        return self.attn(query, key, value)[0]


def test_attention_formula_follows_each_layers_options():
    plain = nn.MultiheadAttention(16, 4)
    extra = nn.MultiheadAttention(16, 4, add_bias_kv=True)  # the same sizes, two more weights
    apart = nn.MultiheadAttention(16, 4, kdim=8, vdim=8)
    expected = {
        id(plain): ("3 × E × (E + 1) + (E + 1) × E", 4 * 16 * 17),
        id(extra): ("3 × E × (E + 1) + 2 × E + (E + 1) × E", 4 * 16 * 17 + 32),
        id(apart): ("E × (E + kdim + vdim) + 3 × E + (E + 1) × E", 16 * (16 + 8 + 8) + 3 * 16 + 17 * 16),
    }
    for attn in (plain, extra, apart, plain):
        x, kv = torch.zeros(5, 2, 16), torch.zeros(7, 2, 8 if attn is apart else 16)
        report = quiet(Holder(attn), input_data=[x, kv, kv])
        rows = {row.name: row for row in report.layers}
        assert (rows["attn"].formula.symbols(), rows["attn"].formula.value) == expected[id(attn)]
        assert not rows["attn.out_proj"].called  # its weights are used inside the attention's forward
        assert report.total_params == sum(p.numel() for p in attn.parameters())


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.LSTM(16, 32, num_layers=2, batch_first=True)
        self.decoder = nn.LSTM(16, 32, num_layers=2, batch_first=True)
        self.cell = nn.GRUCell(32, 8)

    def forward(self, src, tgt):
        _, (h, c) = self.encoder(src)
        out, _ = self.decoder(tgt, (h, c))
        return self.cell(out[:, -1])


def test_recurrent_macs_per_step_with_and_without_initial_state():
    report = quiet(Recurrent(), input_size=[(3, 10, 16), (3, 7, 16)])
    rows = {row.name: row for row in report.layers}
    per_step = 4 * 32 * (16 + 32) + 4 * 32 * (32 + 32)  # both layers, bias excluded
    assert rows["encoder"].macs == 3 * 10 * per_step
    assert rows["decoder"].macs == 3 * 7 * per_step
    assert rows["decoder"].input_shapes == ((3, 7, 16), (2, 3, 32), (2, 3, 32))  # the (h, c) it was given
    assert rows["cell"].macs == 3 * 3 * 8 * (32 + 8)
    assert rows["encoder"].formula.value == 4 * (32 * (16 + 32) + 2 * 32) + 4 * (32 * (32 + 32) + 2 * 32)


def test_transformer_with_a_mask_runs_without_data():
    model = nn.Transformer(32, 4, 1, 1, 64, batch_first=True)
    mask = nn.Transformer.generate_square_subsequent_mask(7)
    report = quiet(model, input_size=[(2, 10, 32), (2, 7, 32)], tgt_mask=mask)
    assert report.output_shape == (2, 7, 32)
    attention = {"encoder.layers.0.self_attn": (10, 10), "decoder.layers.0.self_attn": (7, 7),
                 "decoder.layers.0.multihead_attn": (7, 10)}
    rows = {row.name: row for row in report.layers}
    for name, (target, source) in attention.items():
        projections = 2 * (2 * target * 32 * 32 + 2 * source * 32 * 32)  # q, out; k, v
        assert rows[name].macs == projections + 2 * 2 * target * source * 32  # QKᵀ and AV
    assert report.total_params == sum(p.numel() for p in model.parameters())


def test_input_data_dtypes_and_batch_size():
    model = Tied()
    tokens = torch.randint(0, 50, (3, 9))
    assert quiet(model, input_data=tokens).output_shape == (3, 9, 50)
    assert quiet(model, input_data=[tokens], batch_size=2).output_shape == (2, 9, 50)
    assert quiet(model, input_size=(1, 4), dtypes=["int64"], batch_size=5).output_shape == (5, 4, 50)


def test_forward_keyword_arguments():
    class Gated(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x, scale=1.0):
            return self.fc(x) * scale

    assert quiet(Gated(), input_data={"x": torch.zeros(2, 4), "scale": 3.0}).output_shape == (2, 4)
    assert quiet(Gated(), input_size=(2, 4), scale=2.0).output_shape == (2, 4)


def test_without_input_parameters_only():
    report = quiet(SmallCNN())
    assert report.total_params == sum(p.numel() for p in SmallCNN().parameters())
    assert report.total_macs is None
    assert all(not row.called for row in report.layers)
    assert "no input given" in report.notes[0]


def test_nothing_is_allocated_nor_changed():
    model = SmallCNN().train()
    model.features[1].eval()
    before = {name: p.data_ptr() for name, p in model.named_parameters()}
    stats = model.features[1].running_mean.clone()
    quiet(model, input_size=(4, 3, 32, 32))
    assert {name: p.data_ptr() for name, p in model.named_parameters()} == before
    assert model.training and not model.features[1].training and model.features[5].training
    assert torch.equal(model.features[1].running_mean, stats)
    assert all(p.device.type == "cpu" for p in model.parameters())


def test_meta_model_works_as_is():
    with torch.device("meta"):
        model = SmallCNN()
    report = quiet(model, input_size=(1, 3, 32, 32))
    assert report.total_params == sum(p.numel() for p in model.parameters())
    assert report.output_shape == (1, 10)
    assert all(p.is_meta for p in model.parameters())


def test_meta_model_creating_tensors_in_forward():
    class Positional(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(100, 8)

        def forward(self, x):
            positions = torch.arange(x.shape[1])  # created on the default device
            return self.embed(positions).unsqueeze(0) + torch.zeros(x.shape[0], 1, 8)

    with torch.device("meta"):
        model = Positional()
    assert quiet(model, input_size=(2, 6)).output_shape == (2, 6, 8)


def test_value_dependent_forward_needs_real():
    class Branchy(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)

        def forward(self, x):
            if x.sum() > 0:
                return self.fc(x)
            return x

    with pytest.raises(NncalcError) as info:
        quiet(Branchy(), input_size=(1, 3))
    assert "fake tensors" in info.value.message and "real=True" in info.value.hint
    assert quiet(Branchy(), input_size=(1, 3), real=True).output_shape == (1, 3)


def test_rejects_what_is_not_a_model():
    with pytest.raises(InputError, match="nncalc.analyze"):
        nncalc.summary("model.py")
    with pytest.raises(InputError, match="torch.nn.Module or a keras.Model"):
        nncalc.summary(42)
    with pytest.raises(InputError, match="input_size"):
        quiet(SmallCNN(), input_size="3x32x32")
    with pytest.raises(InputError, match="verbose"):
        nncalc.summary(SmallCNN(), verbose=5)
    with pytest.raises(InputError, match="unknown column"):
        quiet(SmallCNN(), col_names=["bogus"])


def test_verbose_prints_to_depth(capsys):
    nncalc.summary(SmallCNN(), input_size=(1, 3, 32, 32), depth=1, verbose=1)
    printed = capsys.readouterr().out
    assert "features (Sequential)" in printed and "features.0" not in printed
    assert f"Total params: {sum(p.numel() for p in SmallCNN().parameters()):,}" in printed
    nncalc.summary(SmallCNN(), input_size=(1, 3, 32, 32), depth=1, verbose=2)
    assert "\n   0 (Conv2d)" in capsys.readouterr().out  # features.0, under features (Sequential)
    nncalc.summary(SmallCNN(), input_size=(1, 3, 32, 32), verbose=0)
    assert capsys.readouterr().out == ""


def test_torchinfo_column_names():
    report = quiet(SmallCNN(), input_size=(1, 3, 32, 32), col_names=("input_size", "output_size", "num_params",
                                                                     "kernel_size", "mult_adds"))
    assert report.display_columns == ("input_shape", "output_shape", "params", "macs", "formula")
    text = str(report)
    assert "Input shape" in text and "MACs" in text and "Formula" in text


class Deep(nn.Module):
    """Five levels of nesting: torchinfo's default depth 3 would hide the two innermost."""

    def __init__(self):
        super().__init__()
        self.a = nn.Sequential(nn.Sequential(nn.Sequential(nn.Sequential(nn.Linear(4, 3)))))

    def forward(self, x):
        return self.a(x)


def test_default_depth_shows_every_row_as_the_cli_does(capsys, tmp_path):
    """``nncalc.summary`` prints every row by default, like ``nncalc summary FILE``; ``depth=3`` is torchinfo's
    view."""
    source = tmp_path / "deep.py"
    source.write_text("import torch.nn as nn\n\n" + inspect.getsource(Deep))
    static = str(nncalc.analyze(source, input_shape=(4,)))
    nncalc.summary(Deep(), input_size=(1, 4), verbose=1)
    printed = capsys.readouterr().out
    assert "(Linear)" in printed and "(Linear)" in static  # the innermost row, at depth 5
    assert str(quiet(Deep(), input_size=(1, 4))).count("\n") == static.count("\n")
    nncalc.summary(Deep(), input_size=(1, 4), depth=3, verbose=1)
    assert "(Linear)" not in capsys.readouterr().out
