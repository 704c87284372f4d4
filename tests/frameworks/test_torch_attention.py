"""The symbolic torch's embeddings, attention and transformer layers against the real torch: the same
parameter names and shapes, module names, output shapes and MACs (torch's ``FlopCounterMode``, see
``torch_real.flop_counter``). Expected values come from real torch or are worked out by hand in the test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

import nncalc  # noqa: E402
from nncalc.errors import NncalcError, ShapeError  # noqa: E402
from nncalc.frameworks.torch import new_session  # noqa: E402
from inner import built  # noqa: E402
from torch_real import flop_counter  # noqa: E402
from torch_rows import ATTENTION as ROWS, attention_id as _id  # noqa: E402

SESSION = new_session()
NN = SESSION.modules["torch.nn"]
TORCH = SESSION.modules["torch"]
F = SESSION.modules["torch.nn.functional"]


def _ours(name: str, args: tuple, kwargs: dict, shapes: list, dtype=None):
    """nncalc's layer and the graph of one call on zeros of ``shapes`` (made inside a wrapper's forward, so
    that inputs may differ in their first dimension)."""
    layer = built(NN, name, args, kwargs)

    class Wrapper(NN.Module):
        def __init__(self):
            super().__init__()
            self.layer = layer

        def forward(self, _):
            kind = TORCH.long if dtype == "int64" else None
            return self.layer(*[TORCH.zeros(*shape, dtype=kind) for shape in shapes])

    graph = SESSION.trace(Wrapper(), [(1,)], None, None)
    return layer, graph


def _real(name: str, args: tuple, kwargs: dict, shapes: list, dtype=None):
    layer = built(torch.nn, name, args, kwargs).eval()
    counter = flop_counter()
    kind = torch.long if dtype == "int64" else torch.float32
    with torch.no_grad(), counter:
        out = layer(*[torch.zeros(shape, dtype=kind) for shape in shapes])
    outputs = out if isinstance(out, tuple) else (out,)
    return layer, [tuple(t.shape) for t in outputs if t is not None], counter.get_total_flops() // 2


@pytest.mark.parametrize("row", ROWS, ids=[_id(r) for r in ROWS])
def test_layer_matches_torch(row):
    real, real_outputs, real_macs = _real(*row)
    ours, graph = _ours(*row)
    assert [(n, tuple(p.shape)) for n, p in real.named_parameters()] == [
        (n, tuple(p._shape)) for n, p in ours.named_parameters()
    ]
    assert [n for n, _ in real.named_modules()] == [n for n, _ in ours.named_modules()]
    assert [type(m).__name__ for m in real.modules()] == [type(m).__name__ for m in ours.modules()]
    assert graph.output_shapes == real_outputs
    assert sum(c.macs for c in graph.calls) == real_macs


def test_multihead_attention_macs_worked_out():
    """``MultiheadAttention(64, 4)`` on L = S = 10: projections 4 × 10 × 64 × 64 = 163,840, Q·Kᵀ 10 × 10 × 64 =
    6,400, A·V 6,400."""
    _, graph = _ours("MultiheadAttention", (64, 4), {}, [(10, 1, 64)] * 3)
    assert sum(c.macs for c in graph.calls) == 163_840 + 6_400 + 6_400 == 176_640
    _, _, real_macs = _real("MultiheadAttention", (64, 4), {}, [(10, 1, 64)] * 3)
    assert real_macs == 176_640


def test_multihead_attention_weights_options():
    ours = NN.MultiheadAttention(16, 4, batch_first=True)
    q = TORCH.zeros(2, 5, 16)
    kv = TORCH.zeros(2, 7, 16)
    out, weights = ours(q, kv, kv, average_attn_weights=False)
    real = torch.nn.MultiheadAttention(16, 4, batch_first=True).eval()
    real_out, real_weights = real(torch.zeros(2, 5, 16), torch.zeros(2, 7, 16), torch.zeros(2, 7, 16),
                                  average_attn_weights=False)
    assert (tuple(out.shape), tuple(weights.shape)) == (tuple(real_out.shape), tuple(real_weights.shape))
    assert ours(q, kv, kv, need_weights=False)[1] is None
    assert real(torch.zeros(2, 5, 16), torch.zeros(2, 7, 16), torch.zeros(2, 7, 16), need_weights=False)[1] is None


def test_heads_must_divide_embed_dim():
    with pytest.raises(AssertionError):
        torch.nn.MultiheadAttention(64, 5)
    with pytest.raises(ShapeError) as caught:
        NN.MultiheadAttention(64, 5)
    assert "embed_dim must be divisible by num_heads" in caught.value.message
    assert "num_heads=4 or num_heads=8" in caught.value.hint


def test_query_features_must_match():
    layer = NN.MultiheadAttention(64, 4)
    x = TORCH.zeros(10, 1, 32)
    with pytest.raises(ShapeError, match="expecting query features of 64"):
        layer(x, x, x)
    with pytest.raises(AssertionError):
        torch.nn.MultiheadAttention(64, 4)(torch.zeros(10, 1, 32), torch.zeros(10, 1, 32), torch.zeros(10, 1, 32))


def test_embedding_needs_integer_indices():
    with pytest.raises(RuntimeError, match="Long, Int"):
        torch.nn.Embedding(10, 4)(torch.zeros(2, 3))
    with pytest.raises(ShapeError, match="Long or Int") as caught:
        NN.Embedding(10, 4)(TORCH.zeros(2, 3))
    assert "--dtype int64" in caught.value.hint


def test_embedding_arguments():
    with pytest.raises(AssertionError):
        torch.nn.Embedding(10, 4, padding_idx=10)
    with pytest.raises(ShapeError, match="Padding_idx must be within num_embeddings"):
        NN.Embedding(10, 4, padding_idx=10)
    table = NN.Embedding.from_pretrained(TORCH.zeros(7, 3))
    real = torch.nn.Embedding.from_pretrained(torch.zeros(7, 3))
    assert (tuple(table.weight.shape), table.weight.requires_grad) == (tuple(real.weight.shape), False)
    out = F.embedding(TORCH.zeros(2, 5, dtype=TORCH.long), TORCH.zeros(11, 6))
    real_out = torch.nn.functional.embedding(torch.zeros(2, 5, dtype=torch.long), torch.zeros(11, 6))
    assert tuple(out.shape) == tuple(real_out.shape)


def test_scaled_dot_product_attention():
    q, k, v = (2, 4, 10, 16), (2, 4, 12, 16), (2, 4, 12, 8)
    counter = flop_counter()
    with torch.no_grad(), counter:
        real = torch.nn.functional.scaled_dot_product_attention(*(torch.zeros(s) for s in (q, k, v)))
    ours = Wrapped(lambda: F.scaled_dot_product_attention(*(TORCH.zeros(*s) for s in (q, k, v)), is_causal=False))
    assert ours.output == tuple(real.shape)
    assert ours.macs == counter.get_total_flops() // 2 == 2 * 4 * 10 * 12 * (16 + 8)


@pytest.mark.parametrize("separate, out_features", [(False, 8), (True, 6)])
def test_multi_head_attention_forward_with_the_models_own_weights(separate, out_features):
    """CLIP's attention pooling calls the kernel of nn.MultiheadAttention with its own projections."""
    def call(lib, F_):
        q, kv = lib.zeros(1, 2, 8), lib.zeros(5, 2, 8)
        weights = dict(q_proj_weight=lib.zeros(8, 8), k_proj_weight=lib.zeros(8, 8), v_proj_weight=lib.zeros(8, 8),
                       use_separate_proj_weight=True) if separate else {}
        return F_.multi_head_attention_forward(
            q, kv, kv, 8, 2, None if separate else lib.zeros(24, 8), lib.zeros(24), None, None, False, 0.0,
            lib.zeros(out_features, 8), lib.zeros(out_features), need_weights=not separate, **weights)

    counter = flop_counter()
    with torch.no_grad(), counter:
        real = call(torch, torch.nn.functional)
    ours = Wrapped(lambda: call(TORCH, F)[0])
    assert ours.output == tuple(real[0].shape)
    assert ours.macs == counter.get_total_flops() // 2
    assert tuple(call(TORCH, F)[1].shape) == tuple(real[1].shape) if not separate else call(TORCH, F)[1] is None


class Wrapped:
    """The output shape and MACs of ``make()`` called inside a module's forward."""

    def __init__(self, make):
        class Probe(NN.Module):
            def forward(self, _):
                return make()

        graph = SESSION.trace(Probe(), [(1,)], None, None)
        self.output = graph.output_shapes[0]
        self.macs = sum(c.macs for c in graph.calls)


def test_parameter_list_and_dict():
    ours = NN.ParameterList([NN.Parameter(TORCH.zeros(2, 3)), TORCH.zeros(4)])
    real = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2, 3)), torch.zeros(4)])
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in real.named_parameters()
    ]
    ours_d = NN.ParameterDict({"a": NN.Parameter(TORCH.zeros(5))})
    real_d = torch.nn.ParameterDict({"a": torch.nn.Parameter(torch.zeros(5))})
    assert list(ours_d.keys()) == list(real_d.keys()) and tuple(ours_d["a"].shape) == tuple(real_d["a"].shape)


def test_losses_are_scalars():
    logits, labels = TORCH.zeros(4, 10), TORCH.zeros(4, dtype=TORCH.long)
    assert tuple(F.cross_entropy(logits, labels, ignore_index=-1).shape) == ()
    assert tuple(F.mse_loss(logits, logits, reduction="none").shape) == (4, 10)


TIED = """
import torch.nn as nn

class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(100, 16)
        self.body = nn.Linear(16, 16)
        self.lm_head = nn.Linear(16, 100, bias=False)
        {tie}

    def forward(self, idx):
        return self.lm_head(self.body(self.wte(idx)))
"""


@pytest.mark.parametrize("tie", ["self.lm_head.weight = self.wte.weight", "self.wte.weight = self.lm_head.weight"])
def test_tied_weights_count_once(tie):
    source = TIED.format(tie=tie)
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - the test's own model, run by the real torch
    real = namespace["LM"]()
    report = nncalc.analyze(source, input_shape=(5,))
    assert report.total_params == sum(p.numel() for p in real.parameters()) == 100 * 16 + 16 * 17
    assert any("tied to" in note and "counted once" in note for note in report.notes)
    rows = {row.name: row.params for row in report.layers}
    assert rows["lm_head"] == rows["wte"] == 1600


EMBEDDING_FIRST = """
import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(1000, 32)
        self.out = nn.Linear(32, 9)

    def forward(self, tokens):
        return self.out(self.embed(tokens))
"""


def test_token_inputs_inferred_and_overridden():
    report = nncalc.analyze(EMBEDDING_FIRST, input_shape=(20,))
    assert report.output_shape == (1, 20, 9)
    assert any("int64 (token indices)" in note for note in report.notes)
    overridden = nncalc.analyze(EMBEDDING_FIRST, input_shape=(20,), dtype="int32")
    assert overridden.output_shape == (1, 20, 9)
    assert not any("token indices" in note for note in overridden.notes)
    with pytest.raises(NncalcError, match="token indices") as caught:
        nncalc.analyze(EMBEDDING_FIRST)
    assert "--input-shape 128" in caught.value.hint


def test_several_inputs():
    source = """
import torch.nn as nn

class Pair(nn.Module):
    def __init__(self):
        super().__init__()
        self.words = nn.Embedding(50, 4)
        self.segments = nn.Embedding(2, 4)

    def forward(self, tokens, segments):
        return self.words(tokens) + self.segments(segments)
"""
    report = nncalc.analyze(source, input_shapes=[(6,), (6,)])
    assert report.input_shapes == ((1, 6), (1, 6))
    assert report.output_shape == (1, 6, 4)


TUTORIAL = Path(__file__).resolve().parents[1] / "models" / "torch_transformer_tutorial.py"


def test_multihead_attention_rows_agree_in_every_output():
    """A MultiheadAttention row counts its out_proj, and so does its formula; the out_proj row follows it as a
    part; ``explain`` shows every layer whose parameters its total sums, and names the buffers it holds
    (the tutorial's positional encoding, not running statistics). Counts are real torch's."""
    from torch_helpers import real_namespace
    from torch_real import choose_model

    from nncalc.render.explain import total_latex

    source = TUTORIAL.read_text()
    real = choose_model(real_namespace(source, str(TUTORIAL)), torch.nn.Module, source)
    report = nncalc.analyze(TUTORIAL, input_shape=(35,), dtype="int64")
    rows = {row.name: (index, row) for index, row in enumerate(report.layers)}
    attention = [(name, m) for name, m in real.named_modules() if isinstance(m, torch.nn.MultiheadAttention)]
    assert len(attention) == 2
    text = report.explain()
    for name, module in attention:
        index, row = rows[name]
        count = sum(p.numel() for p in module.parameters())
        assert row.params == row.formula.value == count and row.whole
        after = report.layers[index + 1]
        assert after.name == f"{name}.out_proj" and after.part and after.depth == row.depth + 1
        assert after.params == sum(p.numel() for p in module.out_proj.parameters())
        assert report.to_dict()["layers"][index]["formula"].endswith(f"= {count:,}")
        assert re.search(rf"^Layer \d+: {re.escape(name)} \(MultiheadAttention\)", text, re.M)
    assert report.layers[-1].name == "classifier"
    total = next(line for line in text.splitlines() if "Total params =" in line)
    headings = set(re.findall(r"^Layer \d+: (\S+) ", text, re.M))
    assert set(total.split("=")[1].replace(" ", "").split("+")) <= headings
    assert f"= {sum(p.numel() for p in real.parameters()):,}" in text
    buffers = sum(b.numel() for b in real.buffers())
    assert f"plus {buffers:,} buffer values, not parameters: pe of pos_encoder (PositionalEncoding)" in text
    assert "running statistics" not in text
    assert all(f"\\text{{{name.replace('_', chr(92) + '_')}}}" in total_latex(report) for name, _ in attention)
