"""Keras ``padding="same"`` where torch's ``padding=`` cannot say it: the converted torch model, run by real torch,
gives Keras's output size at every step (stride-2 convolution on an even size → ``nn.ZeroPad2d((0, 1, 0, 1))``;
pooling on an odd size → ``ceil_mode=True``; stride-2 transposed convolution → ``output_padding=1``)."""

from __future__ import annotations

from pathlib import Path

import oracle
from nncalc.convert import convert
from nncalc.convert.mapping.padding import same_pads, torch_padding_as_keras

SAMPLE = Path(__file__).resolve().parent / "samples" / "keras_same_padding.py"


def test_same_padding_keeps_every_size(tmp_path):
    code = convert(SAMPLE, "pytorch").code
    assert "nn.ZeroPad2d((0, 1, 0, 1))" in code
    assert "nn.MaxPool2d(2, ceil_mode=True)" in code
    assert "padding=1, output_padding=1" in code
    out = tmp_path / "same_padding_torch.py"
    out.write_text(code, encoding="utf-8")
    real = oracle.run_batch([SAMPLE, out])
    keras_model, torch_model = real[SAMPLE.resolve()], real[out.resolve()]
    assert not isinstance(keras_model, Exception) and not isinstance(torch_model, Exception)
    assert torch_model["total_params"] == keras_model["total_params"]
    keras_rows = [row["output_shape"][1:] for row in keras_model["layers"] if row["type"] != "InputLayer"]
    torch_rows = [row["output_shape"][1:] for row in torch_model["layers"] if row["type"] != "ZeroPad2d"]
    assert [[*shape[1:], shape[0]] for shape in torch_rows] == keras_rows


def test_same_pads_by_hand():
    # 32 wide, kernel 3, stride 2: 16 outputs need (16 − 1) × 2 + 3 = 33 inputs: one extra, at the end
    assert same_pads((32,), (3,), (2,), (1,)) == [(0, 1)]
    # 33 wide: (17 − 1) × 2 + 3 = 35: two extra, one each side
    assert same_pads((33,), (3,), (2,), (1,)) == [(1, 1)]
    assert torch_padding_as_keras((1, 1), (3, 3), (1, 1), (1, 1)) == "same"
    assert torch_padding_as_keras((0, 0), (3, 3), (2, 2), (1, 1)) == "valid"
    assert torch_padding_as_keras((1, 1), (3, 3), (2, 2), (1, 1)) is None
