"""GPT-3 175B read from the nanoGPT source: the GPT-2 small file of ``tests/models`` with GPT-3's configuration
appended, analysed by nncalc, must hold exactly the closed-form count of a GPT with tied embeddings.

For vocabulary V, context P, width C and L layers (biases on, ``lm_head`` tied to the token embedding)::

    V·C + P·C                      token and position embeddings (lm_head adds nothing: tied)
    + L · (12·C² + 13·C)           per block: c_attn C·3C + 3C, c_proj C² + C, c_fc 4C² + 4C,
                                   c_proj 4C² + C, two LayerNorms 4C
    + 2·C                          final LayerNorm

The formula is checked against the real torch at a small size, and at GPT-2 small it gives 124,439,808 (the
count torch gives for ``tests/models/torch_gpt2_nanogpt.py``, checked by the oracle tests). Time and memory
of the 175B analysis are measured by ``benchmarks/gpt3_175b.py``, not here.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

import nncalc

GPT_FILE = Path(__file__).resolve().parent / "models" / "torch_gpt2_nanogpt.py"
VOCAB = 50257


def closed_form(vocab: int, context: int, width: int, layers: int) -> int:
    """Parameters of a nanoGPT model with biases and a tied output layer."""
    return vocab * width + context * width + layers * (12 * width**2 + 13 * width) + 2 * width


def with_config(**config) -> str:
    """The GPT file's source with ``model = GPT(GPTConfig(**config))`` appended."""
    arguments = ", ".join(f"{key}={value}" for key, value in config.items())
    return GPT_FILE.read_text() + f"\nmodel = GPT(GPTConfig({arguments}))\n"


def test_gpt3_175b_matches_the_closed_form():
    source = with_config(n_layer=96, n_head=96, n_embd=12288, block_size=2048)
    report = nncalc.analyze(source, input_shape=(8,), dtype="int64", model="model")
    expected = closed_form(VOCAB, 2048, 12288, 96)
    assert expected == 174_604_259_328
    assert report.total_params == expected
    assert report.output_shape == (1, 1, VOCAB)


def test_gpt2_small_closed_form():
    assert closed_form(VOCAB, 1024, 768, 12) == 124_439_808


def test_closed_form_against_torch_at_a_small_size(monkeypatch):
    torch = pytest.importorskip("torch")
    source = with_config(n_layer=3, n_head=4, n_embd=64, block_size=32, vocab_size=500)
    module = types.ModuleType("gpt_small")
    monkeypatch.setitem(sys.modules, "gpt_small", module)  # @dataclass looks its module up
    exec(compile(source, str(GPT_FILE), "exec"), module.__dict__)  # noqa: S102 - the suite's own model file
    real = module.model
    ours = nncalc.analyze(source, input_shape=(16,), dtype="int64", model="model")
    assert sum(p.numel() for p in real.parameters()) == ours.total_params == closed_form(500, 32, 64, 3)
    with torch.no_grad():
        logits, _ = real(torch.zeros(1, 16, dtype=torch.long))
    assert tuple(logits.shape) == ours.output_shape
