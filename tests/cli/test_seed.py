"""The seed's must-shows, through the real command line in a subprocess.

Expected numbers are the seed's hand calculation (../shared/seed/seed.md), which Keras's own summary and
PyTorch agree with (tests/test_oracle_selfcheck.py checks that against the real frameworks).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from no_frameworks import cli_without

ROOT = Path(__file__).resolve().parents[2]
KERAS_SEED = ROOT / "examples" / "simple_cnn_keras.py"
TORCH_SEED = ROOT / "examples" / "simple_cnn_torch.py"

NO_FRAMEWORKS = cli_without()


def nncalc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-c", NO_FRAMEWORKS, *map(str, args)],
        capture_output=True, text=True, env=env, cwd=cwd or ROOT, timeout=60,
    )


def summary_json(*args: str) -> dict:
    done = nncalc("summary", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_keras_seed_summary():
    data = summary_json(KERAS_SEED)
    assert data["framework"] == "keras"
    rows = [(r["output_shape"], r["params"]) for r in data["layers"]]
    assert rows == [
        ([None, 30, 30, 8], 224),
        ([None, 28, 28, 16], 1168),
        ([None, 14, 14, 16], 0),
        ([None, 3136], 0),
        ([None, 128], 401536),
        ([None, 10], 1290),
    ]
    assert (data["total_params"], data["trainable_params"], data["non_trainable_params"]) == (404218, 404218, 0)


def test_torch_seed_summary_with_input_shape():
    data = summary_json(TORCH_SEED, "--input-shape", "3,32,32")
    assert data["framework"] == "pytorch"
    rows = [(r["name"], r["output_shape"], r["params"]) for r in data["layers"]]
    assert rows == [
        ("conv1", [1, 8, 30, 30], 224),
        ("conv2", [1, 16, 28, 28], 1168),
        ("pool", [1, 16, 14, 14], 0),
        ("fc1", [1, 128], 401536),
        ("fc2", [1, 10], 1290),
    ]
    assert data["total_params"] == 404218


def test_torch_seed_infers_input_shape():
    data = summary_json(TORCH_SEED)
    assert data["input_shape"] == [1, 3, 32, 32]
    assert data["total_params"] == 404218
    assert any("inferred" in note and "32" in note for note in data["notes"])
    table = nncalc("summary", TORCH_SEED)
    assert table.returncode == 0
    assert "inferred" in table.stdout


def test_formulas_in_json():
    data = summary_json(KERAS_SEED)
    assert data["layers"][0]["formula"] == (
        "(k_h × k_w × C_in + 1) × filters = (3 × 3 × 3 + 1) × 8 = (27 + 1) × 8 = 28 × 8 = 224"
    )
    assert data["layers"][4]["formula"].startswith("(inputs + 1) × outputs = (3,136 + 1) × 128")


SEED_NUMBERS = ["224", "30 × 30 × 8", "1,168", "28 × 28 × 16", "14 × 14 × 16", "3,136", "401,536", "1,290", "404,218"]


@pytest.mark.parametrize("seed", [KERAS_SEED, TORCH_SEED], ids=["keras", "torch"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_explain_has_the_seed_numbers_in_order(seed, fmt):
    done = nncalc("explain", seed, "--format", fmt)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    positions = [text.find(number) for number in SEED_NUMBERS]
    assert all(p >= 0 for p in positions), dict(zip(SEED_NUMBERS, positions))
    assert positions == sorted(positions), dict(zip(SEED_NUMBERS, positions))
    for substituted in ["(3 × 3 × 3 + 1) × 8", "(3 × 3 × 8 + 1) × 16", "(3,136 + 1) × 128", "(128 + 1) × 10",
                        "224 + 1,168 + 401,536 + 1,290"]:
        assert substituted in text
    assert "⌊(32 − 3) / 1⌋ + 1" in text


def test_explain_latex():
    done = nncalc("explain", KERAS_SEED, "--format", "latex")
    assert done.returncode == 0, done.stderr
    assert "\\begin{aligned}" in done.stdout and "404{,}218" in done.stdout


def test_table_output():
    done = nncalc("summary", KERAS_SEED)
    assert done.returncode == 0, done.stderr
    for text in ["conv2d (Conv2D)", "(None, 30, 30, 8)", "401,536", "Total params: 404,218",
                 "Trainable params: 404,218", "Non-trainable params: 0"]:
        assert text in done.stdout


def test_markdown_output():
    done = nncalc("summary", KERAS_SEED, "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert "| conv2d (Conv2D) | (None, 30, 30, 8) | 224 |" in done.stdout
