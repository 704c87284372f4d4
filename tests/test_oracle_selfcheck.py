"""The oracle itself, checked against the seed's hand-computed numbers and against a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import oracle

SEED_KERAS = oracle.MODELS_DIR / "seed_keras.py"
SEED_TORCH = oracle.MODELS_DIR / "seed_torch.py"
SEED_TOTAL = 404_218


@pytest.mark.parametrize("path", [SEED_KERAS, SEED_TORCH], ids=lambda path: path.name)
def test_seed_totals(oracle_result, path):
    result = oracle_result(path)
    assert (result["total_params"], result["trainable_params"], result["non_trainable_params"]) == (
        SEED_TOTAL,
        SEED_TOTAL,
        0,
    )


def test_seed_keras_layers(oracle_result):
    result = oracle_result(SEED_KERAS)
    assert result["framework"] == "keras"
    assert result["output_shape"] == [None, 10]
    assert [row["name"] for row in result["layers"]] == [
        "conv2d", "conv2d_1", "max_pooling2d", "flatten", "dense", "dense_1",
    ]
    assert [row["params"] for row in result["layers"]] == [224, 1168, 0, 0, 401536, 1290]
    assert [row["output_shape"] for row in result["layers"]] == [
        [None, 30, 30, 8],
        [None, 28, 28, 16],
        [None, 14, 14, 16],
        [None, 3136],
        [None, 128],
        [None, 10],
    ]


def test_seed_torch_layers(oracle_result):
    result = oracle_result(SEED_TORCH)
    assert result["framework"] == "pytorch"
    assert result["model"] == "SimpleCNN"
    assert result["output_shape"] == [1, 10]
    assert [(row["name"], row["output_shape"], row["params"]) for row in result["layers"]] == [
        ("conv1", [1, 8, 30, 30], 224),
        ("conv2", [1, 16, 28, 28], 1168),
        ("pool", [1, 16, 14, 14], 0),
        ("fc1", [1, 128], 401536),
        ("fc2", [1, 10], 1290),
    ]


@pytest.mark.parametrize("path", [SEED_KERAS, SEED_TORCH], ids=lambda path: path.name)
def test_seed_files_are_snippets(path):
    assert "import" not in path.read_text(encoding="utf-8")


def test_a_fresh_process_agrees_with_the_batch(oracle_result):
    """The batch forks after importing Keras; a plain new process must name layers the same way."""
    completed = subprocess.run(
        [sys.executable, "-m", "tests.oracle", str(SEED_KERAS)],
        cwd=oracle.TESTS_DIR.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=oracle.CHILD_TIMEOUT_SECONDS,
    )
    assert json.loads(completed.stdout) == oracle_result(SEED_KERAS)


@pytest.mark.parametrize("path", oracle.model_files(), ids=lambda path: path.name)
def test_every_model_file_runs_and_its_rows_add_up(oracle_result, path):
    result = oracle_result(path)
    framework = "keras" if path.name.startswith(("keras_", "seed_keras")) else "pytorch"
    assert result["framework"] == framework
    outside, repeated = result.get("params_outside_leaves", [0, 0]), result.get("repeated_params", [0, 0])
    assert sum(row["params"] for row in result["layers"]) + outside[0] - repeated[0] == result["total_params"]
    assert (sum(row["trainable_params"] for row in result["layers"]) + outside[1] - repeated[1]
            == result["trainable_params"])
    assert result["total_params"] == result["trainable_params"] + result["non_trainable_params"]


def test_directives_are_read(tmp_path):
    path = tmp_path / "net.py"
    path.write_text("# nncalc: input-shape 3, 224,224\n# nncalc: model build\nimport torch\n")
    assert oracle.read_directives(path) == oracle.Directives(input_shape=(3, 224, 224), model="build",
                                                             input_shapes=((3, 224, 224),))
    path.write_text("# nncalc: input-shape 12; 3,32,32\n# nncalc: dtype int64\nimport torch\n")
    assert oracle.read_directives(path) == oracle.Directives(input_shape=(12,), input_shapes=((12,), (3, 32, 32)),
                                                             dtype="int64")
    assert oracle.read_directives(SEED_KERAS) == oracle.Directives()


def test_model_files_cover_both_frameworks():
    names = [path.name for path in oracle.model_files()]
    assert len(names) >= 16
    assert sum(name.startswith("torch_") for name in names) >= 7
    assert sum(name.startswith("keras_") for name in names) >= 7
