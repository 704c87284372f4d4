"""The seed's two models (examples/) convert into each other: the Keras snippet becomes a PyTorch class with
the seed's own SimpleCNN layers (``nn.Linear(3136, 128)  # 16 × 14 × 14``), and back; the real frameworks run
the converted files and count 404,218 parameters, layer by layer as the seed's other half does."""

from __future__ import annotations

from pathlib import Path

import nncalc
import oracle

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED_KERAS = EXAMPLES / "simple_cnn_keras.py"
SEED_TORCH = EXAMPLES / "simple_cnn_torch.py"
MODELS = oracle.MODELS_DIR


def rows(result: dict) -> list[tuple]:
    """Layers without their names (Keras's conv2d is the seed's conv1): type, parameters, output shape."""
    return [(row["type"], row["params"], row["output_shape"]) for row in result["layers"] if row["params"]]


def test_keras_snippet_becomes_the_seeds_torch_class(converted, oracle_result):
    item = converted.get(SEED_KERAS)
    code = item.conversion.code
    assert "self.dense = nn.Linear(3136, 128)  # 16 × 14 × 14" in code
    assert "class SimpleCnnKeras(nn.Module):" in code and "def forward(self, x):" in code
    assert "# nncalc: input-shape 3,32,32" in code
    result = converted.run(SEED_KERAS)
    seed_torch = oracle_result(MODELS / "seed_torch.py")  # the seed's own SimpleCNN, run by torch
    assert result["total_params"] == seed_torch["total_params"] == 404_218
    assert result["output_shape"] == seed_torch["output_shape"] == [1, 10]
    assert rows(result) == rows(seed_torch)


def test_torch_class_becomes_the_seeds_keras_model(converted, oracle_result):
    item = converted.get(SEED_TORCH)
    code = item.conversion.code
    assert "keras.Sequential(" in code and 'layers.Conv2D(8, 3, activation="relu", name="conv1")' in code
    assert "keras.Input(shape=(32, 32, 3))" in code
    result = converted.run(SEED_TORCH)
    seed_keras = oracle_result(MODELS / "seed_keras.py")
    assert result["total_params"] == seed_keras["total_params"] == 404_218
    assert result["output_shape"] == seed_keras["output_shape"] == [None, 10]
    assert rows(result) == rows(seed_keras)
    assert [row["name"] for row in result["layers"]] == ["conv1", "conv2", "pool", "flatten", "fc1", "fc2"]


def test_round_trip_reads_back_the_same_total(converted):
    for seed in (SEED_KERAS, SEED_TORCH):
        item = converted.get(seed)
        directives = oracle.read_directives(item.out)
        report = nncalc.analyze(str(item.out), input_shapes=directives.input_shapes)
        assert report.total_params == 404_218


def test_twice_converted_is_the_same_model(tmp_path):
    """Keras → torch → Keras gives back the seed's layers (names as torch attributes keep them)."""
    from nncalc.convert import convert

    first = tmp_path / "seed_torch.py"
    first.write_text(convert(SEED_KERAS, "pytorch").code, encoding="utf-8")
    again = convert(first, "keras", input_shapes=[(3, 32, 32)]).code
    assert 'layers.Conv2D(8, 3, activation="relu", name="conv2d")' in again
    assert 'layers.Dense(10, activation="softmax", name="dense_1")' in again
