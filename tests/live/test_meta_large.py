"""A Llama-shaped model of about 7B parameters built on the meta device summarises with nothing allocated:
the weights stay on meta, the forward runs on fake tensors, and the whole run stays far below 1 GiB of resident
memory (measured in a fresh process by ``benchmarks/live_meta_7b.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

import nncalc  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import live_meta_7b  # noqa: E402


def test_seven_billion_parameters_on_meta():
    with torch.device("meta"):
        model = live_meta_7b.llama(torch, layers=32)
    report = nncalc.summary(model, input_size=(1, 128), dtypes=[torch.long], verbose=0)
    assert report.total_params == sum(p.numel() for p in model.parameters()) == 6_738_415_616
    assert report.output_shape == (1, 128, 32000)
    assert all(p.is_meta for p in model.parameters())
    rows = {row.name: row for row in report.layers}
    q = rows["layers.0.self_attn.q_proj"]
    assert q.formula.numbers() == "4,096 × 4,096" and q.macs == 128 * 4096 * 4096
    assert rows["layers.31.mlp.down_proj"].params == 11008 * 4096
    attention = 32 * 128 * 128 * (128 + 128)  # heads × L × S × (E + E_v) per layer
    assert rows["layers.0.self_attn"].own_macs == attention
    assert rows["layers.0.self_attn"].macs == attention + 4 * q.macs  # with the q, k, v, o projections it calls


def test_peak_memory_stays_under_one_gibibyte():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "live_meta_7b.py"), "--seq", "512"],
        capture_output=True, text=True, timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK" in done.stdout


class _RecurrentGPT(torch.nn.Module):
    """GPT-2 small's shape on torch's own layers (causal TransformerEncoder, LM head tied to the token
    embedding) with a bidirectional LSTM between the blocks and the head."""

    def __init__(self, vocab=50257, d=768, heads=12, layers=12, context=1024):
        super().__init__()
        nn = torch.nn
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(context, d)
        block = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, activation="gelu", batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(block, layers, norm=nn.LayerNorm(d), enable_nested_tensor=False)
        self.rnn = nn.LSTM(d, 256, num_layers=2, batch_first=True, bidirectional=True)
        self.proj = nn.Linear(512, d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, idx):
        steps = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(steps, device=idx.device))
        mask = torch.nn.Transformer.generate_square_subsequent_mask(steps, device=idx.device)
        x, _ = self.rnn(self.blocks(x, mask=mask, is_causal=True))
        return self.lm_head(self.proj(x))


def test_gpt2_sized_transformer_and_lstm_on_meta():
    with torch.device("meta"):
        model = _RecurrentGPT()
    report = nncalc.summary(model, input_size=(1, 128), dtypes=[torch.long], verbose=0)
    assert all(p.is_meta for p in model.parameters())
    assert report.total_params == sum(p.numel() for p in model.parameters())  # the tied weight once
    assert report.output_shape == (1, 128, 50257)
    tokens, d, vocab = 128, 768, 50257
    attention = 4 * tokens * d * d + 2 * tokens * tokens * d  # q, k, v, out projections; QKᵀ and AV
    block = attention + 2 * tokens * d * 4 * d
    lstm = 2 * tokens * (4 * 256 * (768 + 256) + 4 * 256 * (512 + 256))  # two directions, two layers, per step
    rows = {row.name: row for row in report.layers}
    assert rows["blocks.layers.0.self_attn"].macs == attention
    assert rows["rnn"].macs == lstm
    assert report.total_macs == 12 * block + lstm + tokens * 512 * d + tokens * d * vocab
