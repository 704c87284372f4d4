"""The framework-neutral sequence rules (embedding, recurrent, attention) against BOTH real frameworks: the same
rule, asked for each framework's layout, gives each framework's weights and counts."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402  (the oracle: tests only)
import pytest  # noqa: E402
import torch  # noqa: E402

from nncalc.layers.attention import AttentionSpec, attention_macs, attention_params  # noqa: E402
from nncalc.layers.embedding import embedding_params_formula  # noqa: E402
from nncalc.frameworks.keras.recurrent import recurrent_terms as keras_recurrent_terms  # noqa: E402
from nncalc.frameworks.torch.recurrent import recurrent_terms as torch_recurrent_terms  # noqa: E402
from nncalc.layers.recurrent import (  # noqa: E402
    RecurrentSpec, recurrent_macs, recurrent_params, recurrent_params_formula,
)


def test_macs_per_time_step():
    assert recurrent_macs(RecurrentSpec("lstm", 32, 64), 10) == 10 * 4 * 64 * (32 + 64) == 245_760
    assert recurrent_macs(RecurrentSpec("gru", 32, 64), 10) == 10 * 3 * 64 * (32 + 64) == 184_320
    assert recurrent_macs(RecurrentSpec("rnn", 32, 64), 10) == 61_440


@pytest.mark.parametrize("kind, torch_class", [("rnn", "RNN"), ("lstm", "LSTM"), ("gru", "GRU")])
@pytest.mark.parametrize("bias", [True, False])
def test_torch_layout_matches_real_torch(kind, torch_class, bias):
    spec = RecurrentSpec(kind, 12, 20, biases=2 if bias else 0)
    real = getattr(torch.nn, torch_class)(12, 20, bias=bias)
    assert [(t.role, t.shape) for t in torch_recurrent_terms(spec)] == [
        (name, tuple(p.shape)) for name, p in real.named_parameters()
    ]
    assert recurrent_params(spec) == recurrent_params_formula(spec).value == sum(p.numel() for p in real.parameters())


@pytest.mark.parametrize("kind, keras_class, options, biases", [
    ("rnn", "SimpleRNN", {}, 1), ("lstm", "LSTM", {}, 1), ("gru", "GRU", {}, 2),
    ("gru", "GRU", {"reset_after": False}, 1), ("lstm", "LSTM", {"use_bias": False}, 0),
])
def test_keras_layout_matches_real_keras(kind, keras_class, options, biases):
    spec = RecurrentSpec(kind, 12, 20, biases=biases)
    layer = getattr(keras.layers, keras_class)(20, **options)
    layer.build((None, 5, 12))
    assert [(t.role, t.shape) for t in keras_recurrent_terms(spec)] == [(w.name, tuple(w.shape)) for w in layer.weights]
    assert recurrent_params_formula(spec).value == layer.count_params()


def test_lstm_formulas_name_the_bias_difference():
    keras_lstm, torch_lstm = RecurrentSpec("lstm", 32, 64, biases=1), RecurrentSpec("lstm", 32, 64, biases=2)
    assert recurrent_params_formula(keras_lstm).symbols() == "4 × (H × (I + H) + H)"
    assert recurrent_params_formula(torch_lstm).symbols() == "4 × (H × (I + H) + 2 × H)"
    assert torch_lstm.gates * torch_lstm.units == 256
    lstm = torch.nn.LSTM(32, 64)
    assert sum(p.numel() for p in lstm.parameters()) == recurrent_params(torch_lstm) == 25_088
    assert recurrent_params(keras_lstm) == 24_832


def test_embedding_same_in_both_frameworks():
    layer = keras.layers.Embedding(1000, 64)
    layer.build((None, 7))
    assert embedding_params_formula(1000, 64).value == layer.count_params() == torch.nn.Embedding(1000, 64).weight.numel()


@pytest.mark.parametrize("embed, heads", [(32, 2), (512, 8), (48, 3)])
def test_attention_count_equal_when_head_dims_split_the_model(embed, heads):
    spec = AttentionSpec(embed, embed, embed, heads, embed // heads, embed // heads, (embed,))
    torch_mha = torch.nn.MultiheadAttention(embed, heads)
    assert attention_params(spec) == sum(p.numel() for p in torch_mha.parameters()) == 4 * embed * embed + 4 * embed
    keras_mha = keras.layers.MultiHeadAttention(heads, embed // heads)
    x = keras.Input((10, embed))
    keras_mha(x, x)
    assert attention_params(spec) == keras_mha.count_params()


def test_attention_macs_include_scores_and_weighted_sum():
    spec = AttentionSpec(32, 32, 32, 2, 16, 16, (32,))
    projections = 4 * 10 * 32 * 32
    assert attention_macs(spec, 10, 10) == projections + 10 * 10 * 2 * 16 * 2
