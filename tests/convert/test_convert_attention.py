"""Keras attention converts to torch with the same parameters: MultiHeadAttention(num_heads=4, key_dim=8) over
32 features is nn.MultiheadAttention(32, 4) (4·E² + 4·E = 4,224 in both), Attention is written out."""

from __future__ import annotations

from pathlib import Path

import nncalc
import oracle
from nncalc.convert import convert

SAMPLE = Path(__file__).resolve().parent / "samples" / "keras_attention_block.py"


def test_attention_block_keeps_its_parameters(tmp_path):
    result = convert(SAMPLE, "pytorch")
    assert result.problems == ()
    assert "nn.MultiheadAttention(32, 4, batch_first=True)" in result.code
    out = tmp_path / "attention_block_torch.py"
    out.write_text(result.code, encoding="utf-8")
    real = oracle.run_batch([SAMPLE, out])
    keras_model, torch_model = real[SAMPLE.resolve()], real[out.resolve()]
    assert not isinstance(keras_model, Exception) and not isinstance(torch_model, Exception)
    assert torch_model["total_params"] == keras_model["total_params"]
    assert torch_model["output_shape"][1:] == keras_model["output_shape"][1:] == [3]
    report = nncalc.analyze(str(out), input_shapes=oracle.read_directives(out).input_shapes)
    assert report.total_params == torch_model["total_params"]
