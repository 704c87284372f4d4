"""A length of ``None`` (``keras.Input(shape=(None, 8))``): the parameters stay exact (the real framework's),
every format finishes and says that compute and memory are per step, and ``--seq-len N`` gives the model at
length N as the real framework builds it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import nncalc
import oracle

ROOT = Path(__file__).resolve().parents[1]
UNKNOWN_LENGTH = [p for p in oracle.model_files() if re.search(r"shape=\(None\b", p.read_text())]
FORMATS = [
    ("summary", "table"), ("summary", "json"), ("summary", "markdown"), ("summary", "html"),
    ("explain", "text"), ("explain", "markdown"), ("explain", "latex"),
]  # fmt: skip


def run_cli(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "nncalc.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=20)


def test_there_are_such_files():
    assert len(UNKNOWN_LENGTH) >= 3


@pytest.mark.parametrize("path", UNKNOWN_LENGTH, ids=lambda p: p.name)
@pytest.mark.parametrize("command, fmt", FORMATS, ids=lambda v: v if isinstance(v, str) else None)
def test_every_format_finishes_and_says_per_step(path, command, fmt, oracle_result):
    done = run_cli(command, path, "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert "per step" in done.stdout
    total = oracle_result(path)["total_params"]
    if fmt == "json":
        data = json.loads(done.stdout)
        assert data["per_step"] is True and data["total_params"] == total
    elif fmt == "latex":
        assert f"{total:,}".replace(",", "{,}") in done.stdout
    else:
        assert f"{total:,}" in done.stdout


def test_summary_says_macs_per_step():
    report = nncalc.analyze(ROOT / "tests" / "models" / "keras_conv1d_any_length.py")
    assert report.per_step
    text = str(report)
    assert re.search(r"MACs: .* per step", text) and "Activations (per sample, per step)" in text


def test_known_lengths_are_not_per_step():
    report = nncalc.analyze(ROOT / "examples" / "simple_cnn_keras.py")
    assert not report.per_step and "per step" not in str(report) + report.explain()


def _real_shapes_at(path: Path, length: int) -> tuple[int, dict[str, tuple]]:
    """Real Keras: the file's model, every layer's output shape on an input of ``length`` steps."""
    import keras
    import numpy as np

    keras.backend.clear_session()  # layer names as in a fresh process, as nncalc names them
    namespace: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # the oracle runs the repository's model file
    model = namespace["model"]
    shape = (1, length) + tuple(model.inputs[0].shape[2:])
    data = np.zeros(shape, dtype=model.inputs[0].dtype)
    shapes = {}
    for layer in model.layers[1:]:
        probe = keras.Model(model.inputs, layer.output)
        shapes[layer.name] = tuple(probe([data]).shape[1:])
    return model.count_params(), shapes


@pytest.mark.parametrize("name", ["keras_conv1d_any_length.py", "keras_text_any_length.py"])
def test_seq_len_gives_the_model_at_that_length(name):
    path = ROOT / "tests" / "models" / name
    params, real = _real_shapes_at(path, 101)
    report = nncalc.analyze(path, seq_len=101)
    assert not report.per_step and report.total_params == params
    assert {row.name: tuple(row.output_shape[1:]) for row in report.layers} == real
    assert any("--seq-len" in note for note in report.notes)
    per_step = nncalc.analyze(path)
    assert per_step.total_params == params and per_step.total_macs < report.total_macs


def test_seq_len_through_the_cli():
    path = ROOT / "tests" / "models" / "keras_conv1d_any_length.py"
    done = run_cli("summary", path, "--seq-len", "64", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["per_step"] is False and data["input_shape"] == [None, 64, 8]


def test_seq_len_without_an_unknown_length_is_refused():
    done = run_cli("summary", ROOT / "examples" / "simple_cnn_keras.py", "--seq-len", "64")
    assert done.returncode == 2 and "no input of the model has an unknown length" in done.stderr
