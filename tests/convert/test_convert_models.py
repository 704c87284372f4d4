"""Every model of tests/models converts to the other framework; the converted file, run by the REAL other
framework, has the same parameters and output shape, and nncalc reads it back to the same total.

Where the frameworks count differently the difference is asserted, not hidden:
- Keras counts BatchNormalization's moving mean and variance as non-trainable parameters, torch keeps them as
  buffers: torch total = Keras total − 2 × channels per BatchNormalization layer;
- torch RNNs have two biases, Keras one: ``RNN_EXTRA`` below, worked out by hand per file.
Layers without an equivalent are reported and marked in the code (see test_convert_report.py).
"""

from __future__ import annotations

import pytest

import nncalc
import oracle

MODEL_FILES = oracle.model_files()

MUST_CONVERT = {
    "seed_keras.py", "seed_torch.py", "keras_functional_cnn.py", "keras_input_in_sequential.py",
    "keras_mobilenet.py", "keras_sequential_add.py", "keras_tf_layers.py", "keras_video_3d.py", "keras_text_1d.py",
    "keras_gru_reset_after.py", "keras_gru_reset_before.py", "keras_lstm_text_classifier.py",
    "keras_frozen_part.py", "keras_mobilenet_v2.py", "keras_resnet50.py", "keras_unet.py", "keras_xception_entry.py",
    "torch_dcgan.py", "torch_unet.py", "torch_conv_autoencoder.py", "torch_lstm_text_classifier.py",
    "torch_gru_regressor.py", "torch_gru_text_classifier.py",
    "torch_audio_1d.py", "torch_frozen_backbone.py", "torch_lenet5.py", "torch_mlp_bn1d.py", "torch_mobilenet.py",
    "torch_mobilenet_v2.py", "torch_model_directive.py", "torch_nested_containers.py", "torch_resnet18.py",
    "torch_resnet50.py", "torch_sequential_instance.py", "torch_vgg16.py", "torch_vgg_bn.py", "torch_video_3d.py",
}
"""CNN, MLP and sequence models with an exact equivalent for every layer: they must convert completely."""

RNN_EXTRA = {
    # GRU(32, reset_after=False): torch adds the second bias, 3·32 = 96; Bidirectional(GRU(16,
    # reset_after=False)): 3·16 per direction × 2 = 96
    "keras_gru_reset_before.py": 96 + 96,
    # two Bidirectional(LSTM(64)): 4·64 per direction × 2 directions × 2 layers
    "keras_lstm_text_classifier.py": 4 * 64 * 2 * 2,
    # GRU with reset_after=True (Keras's default) has torch's two biases: no difference
    "keras_gru_reset_after.py": 0,
    # nn.LSTM(128, 64, num_layers=2, bidirectional=True): 4·64 per layer and direction × 2 × 2
    "torch_lstm_text_classifier.py": 4 * 64 * 2 * 2,
    "torch_gru_regressor.py": 0,
    "torch_gru_text_classifier.py": 0,
}
"""torch parameters − Keras parameters of the recurrent layers (docs/convert.md)."""


def batch_norm_statistics(rows: list[dict]) -> int:
    """Keras's moving mean and variance: 2 × the channels of each BatchNormalization row (nested models too)."""
    total = 0
    for row in rows:
        if row["type"] == "BatchNormalization":
            total += 2 * row["output_shape"][-1]
        total += batch_norm_statistics(row.get("layers") or [])
    return total


def channels_last(shape: list) -> list:
    return [*shape[1:], shape[0]] if len(shape) >= 3 else list(shape)


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_converts_or_reports(path, converted):
    item = converted.get(path)
    if path.name in MUST_CONVERT:
        assert item.error is None, item.error
        assert item.conversion.problems == (), [str(p) for p in item.conversion.problems]
    if item.conversion is not None:
        for problem in item.conversion.problems:
            assert f"# NOT CONVERTED: {problem.name} ({problem.source_type}" in item.conversion.code
        compile(item.conversion.code, str(item.out), "exec")


@pytest.mark.parametrize("path", sorted(p for p in MODEL_FILES if p.name in MUST_CONVERT), ids=lambda p: p.name)
def test_real_framework_agrees(path, converted, oracle_result):
    source = oracle_result(path)
    result = converted.run(path)
    assert result["framework"] != source["framework"]
    if source["framework"] == "keras":
        expected = source["total_params"] - batch_norm_statistics(source["layers"]) + RNN_EXTRA.get(path.name, 0)
        assert result["total_params"] == expected
        assert result["trainable_params"] == source["trainable_params"] + RNN_EXTRA.get(path.name, 0)
        torch_shape, keras_shape = result["output_shape"], source["output_shape"]
    else:
        extra = RNN_EXTRA.get(path.name, 0)
        assert result["total_params"] - batch_norm_statistics(result["layers"]) == source["total_params"] - extra
        assert result["trainable_params"] == source["trainable_params"] - extra  # frozen layers stay frozen
        torch_shape, keras_shape = source["output_shape"], result["output_shape"]
    assert keras_shape[1:] == channels_last(torch_shape[1:])


@pytest.mark.parametrize("path", sorted(p for p in MODEL_FILES if p.name in MUST_CONVERT), ids=lambda p: p.name)
def test_nncalc_reads_the_converted_file(path, converted):
    item = converted.get(path)
    result = converted.run(path)
    directives = oracle.read_directives(item.out)
    options = {"dtype": directives.dtype} if directives.dtype else {}
    report = nncalc.analyze(str(item.out), input_shapes=directives.input_shapes, **options)
    assert report.total_params == result["total_params"]
    assert list(report.output_shape[1:]) == list(result["output_shape"][1:])
