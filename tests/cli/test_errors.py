"""Bad input gets a short message naming the place and the fix, and the documented exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_seed import TORCH_SEED, nncalc

TORCH_SEED_TEXT = TORCH_SEED.read_text()


def write(tmp_path: Path, text: str, name: str = "model.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def assert_clean(done, code: int, *fragments: str) -> None:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    for fragment in fragments:
        assert fragment in done.stderr, (fragment, done.stderr)


def test_linear_mismatch_names_line_and_fix(tmp_path):
    path = write(tmp_path, TORCH_SEED_TEXT.replace("nn.Linear(14 * 14 * 16, 128)", "nn.Linear(3200, 128)"))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "3200" in text)
    done = nncalc("summary", path, "--input-shape", "3,32,32")
    assert_clean(done, 1, "3136", "nn.Linear(3136, 128)", f"line {line}")


def test_syntax_error(tmp_path):
    path = write(tmp_path, "import torch.nn as nn\nclass Net(nn.Module)\n    pass\n")
    assert_clean(nncalc("summary", path), 2, f"{path}:2")


def test_unsupported_construct(tmp_path):
    path = write(tmp_path, "import torch.nn as nn\n\nasync def load():\n    pass\n")
    assert_clean(nncalc("summary", path), 2, f"{path}:3")


def test_missing_file(tmp_path):
    assert_clean(nncalc("summary", tmp_path / "nope.py"), 2, "no such file")


def test_no_model(tmp_path):
    path = write(tmp_path, "import torch\nx = 3\n")
    assert_clean(nncalc("summary", path), 2, "no model found")


def test_bad_input_shape_argument():
    assert_clean(nncalc("summary", TORCH_SEED, "--input-shape", "3,a,32"), 2, "3,32,32")


def test_conv_channel_mismatch_is_a_shape_error():
    done = nncalc("summary", TORCH_SEED, "--input-shape", "1,32,32")
    assert_clean(done, 1, "nn.Conv2d(1, 8")


def test_too_small_input_is_a_shape_error():
    assert_clean(nncalc("summary", TORCH_SEED, "--input-shape", "3,4,4"), 1)


def test_nothing_in_the_file_is_executed(tmp_path):
    marker = tmp_path / "created.txt"
    text = (
        "import pathlib\nimport os\n"
        f"pathlib.Path({str(marker)!r}).write_text('ran')\n"
        f"os.system('touch {marker}')\n"
        f"open({str(marker)!r}, 'w').write('ran')\n"
        + TORCH_SEED_TEXT
        + f"\nif __name__ == '__main__':\n    open({str(marker)!r}, 'w').write('ran')\n"
    )
    path = write(tmp_path, text)
    done = nncalc("summary", path, "--input-shape", "3,32,32", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_params"] == 404218
    assert not marker.exists()


@pytest.mark.parametrize("body", ["__import__('os').system('true')", "compile('1 + 1', 'f', 'eval')"])
def test_escape_attempts_are_refused(tmp_path, body):
    path = write(tmp_path, "import torch\n" + body + "\n")
    done = nncalc("summary", path, cwd=tmp_path)
    assert_clean(done, 2, f"{path}:2")
    assert not (tmp_path / "x.txt").exists()


@pytest.mark.parametrize("body", ["exec(\"import os\\nos.system('touch x.txt')\")",
                                  "eval(\"__import__('os').system('touch x.txt')\")"])
def test_exec_and_eval_run_inside_the_safe_interpreter(tmp_path, body):
    """exec/eval text runs through the same interpreter as the file: what it tries is refused or unknown there,
    and nothing outside happens."""
    path = write(tmp_path, "import torch\nimport torch.nn as nn\n" + body + "\n" + TORCH_SEED_TEXT)
    done = nncalc("summary", path, "--input-shape", "3,32,32", "--format", "json", cwd=tmp_path)
    assert not (tmp_path / "x.txt").exists()
    if body.startswith("exec"):  # os.system is an unknown value: the model is read
        assert done.returncode == 0, done.stderr
    else:  # __import__ does not exist, in eval'd text as in the file
        assert_clean(done, 2, "__import__")


@pytest.mark.parametrize("source, layer, options, why", [
    ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\nclass Net(nn.Module):\n"
     "    def forward(self, x):\n        return F.conv_tbc(x, torch.zeros(3, 8, 8), torch.zeros(8))\n\n\n"
     "model = Net()\n", "F.conv_tbc", ("--input-shape", "4,8"), "no rule"),
    ("import keras\nfrom keras import layers\nmodel = keras.Sequential([\n    keras.Input((8,)),\n"
     "    layers.Dense(4),\n    layers.JaxLayer(print),\n])\n", "JaxLayer", (), "runs JAX functions"),
])
def test_unsupported_layer_is_named_with_its_line(tmp_path, source, layer, options, why):
    path = write(tmp_path, source)
    line = next(i for i, text in enumerate(source.splitlines(), 1) if layer.split(".")[-1] in text)
    done = nncalc("summary", path, *options)
    assert_clean(done, 2, layer, f"{path}:{line}", why)
