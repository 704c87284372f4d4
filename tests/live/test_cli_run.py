"""``nncalc summary FILE --run``: the file is executed with the real framework (explicit opt-in) and its live
model summarised; without ``--run`` nothing in the file runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "tests" / "models"

DYNAMIC = '''
import torch
from torch import nn

WIDTHS = [int(w) for w in "8 16 32".split()]   # built from data the static reader could not follow


class Dynamic(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        for a, b in zip([3] + WIDTHS, WIDTHS):
            layers += [nn.Conv2d(a, b, 3, padding=1), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(WIDTHS[-1], 10)

    def forward(self, x):
        return self.head(self.body(x).mean((2, 3)))


model = Dynamic()
open(MARKER, "w").write("ran")

if __name__ == "__main__":
    raise SystemExit("the main block must not run under --run")
'''


def run_cli(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), KERAS_BACKEND="torch", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "nncalc.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_run_executes_the_file_and_summarises_its_model(tmp_path):
    marker = tmp_path / "marker.txt"
    source = tmp_path / "dynamic.py"
    source.write_text(f"MARKER = {str(marker)!r}\n" + DYNAMIC)
    done = run_cli("summary", source, "--run", "--input-shape", "3,16,16", "--batch", "2", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert marker.read_text() == "ran"
    assert data["framework"] == "pytorch" and data["model"] == "Dynamic"
    assert data["output_shape"] == [2, 10]
    expected = (3 * 9 + 1) * 8 + (8 * 9 + 1) * 16 + (16 * 9 + 1) * 32 + (32 + 1) * 10
    assert data["total_params"] == expected
    assert data["layers"][1]["formula"].startswith("(k_h × k_w × C_in + 1) × filters")
    assert any("--run" in note for note in data["notes"])


def test_without_run_nothing_is_executed(tmp_path):
    marker = tmp_path / "marker.txt"
    source = tmp_path / "dynamic.py"
    source.write_text(f"MARKER = {str(marker)!r}\n" + DYNAMIC)
    run_cli("summary", source, "--input-shape", "3,16,16")
    assert not marker.exists()


@pytest.mark.parametrize("name", ["seed_torch.py", "torch_lenet5.py", "seed_keras.py"])
def test_run_agrees_with_static_reading(name):
    static = run_cli("summary", MODELS / name, "--format", "json")
    live = run_cli("summary", MODELS / name, "--run", "--format", "json")
    assert static.returncode == 0 and live.returncode == 0, static.stderr + live.stderr
    a, b = json.loads(static.stdout), json.loads(live.stdout)
    for key in ("framework", "total_params", "trainable_params", "output_shape", "total_macs"):
        assert a[key] == b[key], key
    assert [(r["name"], r["params"], r["formula"]) for r in a["layers"]] == [
        (r["name"], r["params"], r["formula"]) for r in b["layers"]]


def test_run_model_choice_and_errors(tmp_path):
    undirected = tmp_path / "two_models.py"  # the file without its '# nncalc: model' line
    lines = (MODELS / "torch_model_directive.py").read_text().splitlines(keepends=True)
    undirected.write_text("".join(line for line in lines if not line.startswith("# nncalc:")))
    done = run_cli("summary", undirected, "--run", "--input-shape", "3,28,28")
    assert done.returncode == 2 and "NarrowNet, WideNet" in done.stderr
    done = run_cli("summary", MODELS / "torch_model_directive.py", "--run", "--input-shape", "3,28,28")
    assert done.returncode == 0 and "'WideNet'" in done.stdout, done.stderr  # the file's directive
    done = run_cli("summary", MODELS / "torch_model_directive.py", "--run", "--model", "WideNet",
                   "--input-shape", "3,28,28", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["model"] == "WideNet"
    broken = tmp_path / "broken.py"
    broken.write_text("import torch\n\nx = 1\nraise ValueError('boom')\n")
    done = run_cli("summary", broken, "--run")
    assert done.returncode == 2
    assert "broken.py:4" in done.stderr and "ValueError: boom" in done.stderr


def test_run_html_format():
    done = run_cli("summary", MODELS / "seed_torch.py", "--run", "--format", "html")
    assert done.returncode == 0, done.stderr
    assert "<table>" in done.stdout and "conv1 (Conv2d)" in done.stdout and "404,218" in done.stdout
