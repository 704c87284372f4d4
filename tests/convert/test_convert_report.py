"""Layers without an equivalent are never dropped: ``nncalc convert`` lists each on stderr with its line, marks
it in the code (``# NOT CONVERTED`` and a ``NotImplementedError`` where it would run) and exits with 4."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nncalc.cli import main
from nncalc.convert.command import EXIT_PARTIAL

SAMPLES = Path(__file__).resolve().parent / "samples"


RUN = """
import runpy, sys, torch
namespace = runpy.run_path(sys.argv[1])  # a Keras file raises here, at the layer
model = namespace["model"]
if isinstance(model, torch.nn.Module):  # a torch module raises in forward
    model(torch.zeros(1, 16))
"""


def run_real(path: Path) -> subprocess.CompletedProcess:
    """Build the converted model with the real framework and run it on an input (a fresh process)."""
    env = dict(os.environ, KERAS_BACKEND="torch")
    return subprocess.run([sys.executable, "-c", RUN, str(path)], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


@pytest.mark.parametrize("name, target, options, layer", [
    ("torch_pixel_shuffle.py", "keras", ["--input-shape", "3,16,16"], "`shuffle` (PixelShuffle) (line 16)"),
    ("keras_repeat_vector.py", "pytorch", [], "`repeat` (RepeatVector) (line 7)"),
])
def test_unconvertible_layer_is_reported(tmp_path, capsys, name, target, options, layer):
    out = tmp_path / name
    assert main(["convert", str(SAMPLES / name), "--to", target, "-o", str(out), *options]) == EXIT_PARTIAL == 4
    err = capsys.readouterr().err
    assert f"not converted: {layer}" in err
    code = out.read_text(encoding="utf-8")
    assert "# NOT CONVERTED: " in code and "NotImplementedError" in code
    completed = run_real(out)
    assert completed.returncode != 0
    assert "NotImplementedError" in completed.stderr and "was not converted by nncalc" in completed.stderr


def test_exit_codes(tmp_path, capsys):
    seed = Path(__file__).resolve().parents[2] / "examples" / "simple_cnn_keras.py"
    assert main(["convert", str(seed), "--to", "pytorch", "-o", str(tmp_path / "out.py")]) == 0
    assert main(["convert", str(seed), "--to", "keras"]) == 2
    assert "already a Keras model" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "missing.py"), "--to", "keras"]) == 2


def test_stdout_without_output_option(capsys):
    seed = Path(__file__).resolve().parents[2] / "examples" / "simple_cnn_torch.py"
    assert main(["convert", str(seed), "--to", "keras"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('"""Converted by nncalc from') and "keras.Sequential(" in out
