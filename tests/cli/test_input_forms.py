"""The ways a model and its input shape reach nncalc: a file, standard input (``-`` or ``/dev/stdin``, read
once), source text given to ``nncalc.analyze``; ``--input-shape`` written as ``3,32,32``, ``(3, 32, 32)``, or
with the batch by torchinfo's habit (refused with the fix)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import nncalc
from tests.cli.test_seed import KERAS_SEED, NO_FRAMEWORKS, ROOT, TORCH_SEED


def run(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    return subprocess.run([sys.executable, "-c", NO_FRAMEWORKS, *map(str, args)], input=stdin, capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=60)


def expected(path) -> int:
    """The seed file's total as nncalc reads the file from disk (itself checked against the frameworks)."""
    return nncalc.analyze(path, input_shape=(3, 32, 32) if path == TORCH_SEED else None).total_params


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
@pytest.mark.parametrize("command", ["summary", "explain", "convert"])
def test_standard_input(name, command):
    extra = ["--to", "pytorch"] if command == "convert" else ["--format", "json"] if command == "summary" else []
    done = run(command, name, *extra, stdin=KERAS_SEED.read_text())
    assert done.returncode == 0, done.stderr
    total = expected(KERAS_SEED)
    if command == "summary":
        assert json.loads(done.stdout)["total_params"] == total
    else:
        assert f"{total:,}" in done.stdout


def test_standard_input_keeps_its_directives():
    text = "# nncalc: input-shape 3,32,32\n" + TORCH_SEED.read_text()
    done = run("summary", "-", "--format", "json", stdin=text)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["input_shape"] == [1, 3, 32, 32] and data["total_params"] == expected(TORCH_SEED)


def test_check_reads_standard_input():
    done = run("check", "-", stdin=KERAS_SEED.read_text())
    assert done.returncode == 0 and "<stdin>" in done.stdout, done.stdout + done.stderr


def test_run_needs_a_real_file():
    done = run("summary", "--run", "-", stdin=TORCH_SEED.read_text())
    assert done.returncode == 2 and "--run executes a file" in done.stderr


@pytest.mark.parametrize("written", ["(3, 32, 32)", "[3,32,32]", "3x32x32", " 3, 32, 32 "])
def test_input_shape_forms(written):
    done = run("summary", TORCH_SEED, "--input-shape", written, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["input_shape"] == [1, 3, 32, 32]


def test_input_shape_with_the_batch_gets_the_fix():
    done = run("summary", TORCH_SEED, "--input-shape", "1,3,32,32")
    assert done.returncode == 1
    assert "hint: --input-shape is the shape without the batch" in done.stderr
    assert "--input-shape 3,32,32, and --batch N" in done.stderr


def test_a_wrong_shape_starting_with_one_keeps_its_own_hint():
    done = run("summary", TORCH_SEED, "--input-shape", "1,32,32")
    assert done.returncode == 1 and "without the batch" not in done.stderr and "nn.Conv2d(1, 8" in done.stderr


def test_analyze_takes_one_line_of_source():
    report = nncalc.analyze("model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))", input_shape=(3,))
    assert report.total_params == (3 + 1) * 4 + (4 + 1) * 2


@pytest.mark.parametrize("name", ["missing.py", "models/missing", "missing_model"])
def test_analyze_takes_a_missing_file_name_as_a_file(name):
    with pytest.raises(nncalc.NncalcError, match="no such file"):
        nncalc.analyze(name)
