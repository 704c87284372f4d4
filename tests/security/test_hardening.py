"""What the attacks of issue 19 found that is not an attack: model files nncalc mis-read or crashed on
(internal errors, exit 3), checked against real PyTorch, and the clean messages of the rest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nncalc import analyze
from nncalc.errors import LimitExceeded, NncalcError, UnsupportedSyntax

SRC = Path(__file__).resolve().parents[2] / "src"

OVERRIDES = """import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
    def named_modules(self):
        return 5
    def children(self):
        return 5
    def parameters(self):
        return 5
    def forward(self, x):
        return self.fc(x)
model = Net()
"""
IN_FORWARD = """import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
    def forward(self, x):
        {body}
model = Net()
"""
ASSIGNED_IN_FORWARD = IN_FORWARD.format(body="self.g = nn.Linear(4, 3)\n        return self.g(self.fc(x))")
MADE_IN_FORWARD = IN_FORWARD.format(body="return nn.Linear(4, 3)(self.fc(x))")


def torch_params(source: str) -> int:
    """Real torch's count after one forward pass: its state dict (walked through ``_modules``, whatever the
    model overrides; these models have no buffers), which is ``model.parameters()`` where that still works."""
    import torch

    namespace: dict = {}
    exec(compile(source, "<model>", "exec"), namespace)  # the test's own model source, for the oracle
    model = namespace["model"]
    model(torch.zeros(1, 4))
    return sum(value.numel() for value in model.state_dict().values())


@pytest.mark.parametrize("source", [OVERRIDES, ASSIGNED_IN_FORWARD, MADE_IN_FORWARD], ids=["overrides",
                                                                                          "assigned", "made"])
def test_models_that_crashed_nncalc_match_torch(source):
    report = analyze(source, input_shape=(4,))
    assert report.total_params == torch_params(source)


def test_a_layer_made_in_forward_says_torch_does_not_count_it():
    report = analyze(MADE_IN_FORWARD, input_shape=(4,))
    assert any("created inside forward" in note for note in report.notes)
    assert not any("created inside forward" in note for note in analyze(ASSIGNED_IN_FORWARD, input_shape=(4,)).notes)


@pytest.mark.parametrize("name, framework", [("_modules", "torch"), ("_parameters", "torch"), ("_buffers", "torch"),
                                             ("_state", "keras"), ("_tracked", "keras")])
def test_the_frameworks_own_state_cannot_be_overwritten(name, framework):
    if framework == "torch":
        source = (f"import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                  f"        self.{name} = None\n    def forward(self, x):\n        return x\nmodel = Net()\n")
    else:
        source = (f"import keras\nclass Odd(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n"
                  f"        self.{name} = 1\n    def call(self, x):\n        return x\n"
                  "model = keras.Sequential([keras.Input((4,)), Odd()])\n")
    with pytest.raises(UnsupportedSyntax, match=f"cannot assign attribute `{name}`") as caught:
        analyze(source, input_shape=(4,))
    assert caught.value.location is not None and caught.value.location.line == 5


def test_a_users_own_private_attributes_still_work():
    source = ("import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
              "        self._width = 4\n        self.fc = nn.Linear(self._width, 2)\n    def forward(self, x):\n"
              "        return self.fc(x)\nmodel = Net()\n")
    assert analyze(source, input_shape=(4,)).total_params == 10


@pytest.mark.parametrize("source, expected", [
    ("import torch.nn as nn\nmodel = nn.Linear(10**200, 10**200)\n", "10**200"),
    ("import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10**400, 4))\n", "10**400"),
    ("import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10**400)])\n", "10**400"),
    ("import keras\nmodel = keras.Sequential([keras.Input((10**30,)), keras.layers.Dense(10**30)])\n", "10**60"),
])  # fmt: skip
def test_sizes_no_framework_can_hold_are_a_clean_error(source, expected):
    with pytest.raises(LimitExceeded, match="64") as caught:
        analyze(source, input_shape=(4,) if "torch" in source else None)
    assert expected in str(caught.value) and caught.value.location is not None


def test_two_input_shapes_for_one_input_is_a_clean_error():
    with pytest.raises(NncalcError, match="2 given"):
        analyze("import torch.nn as nn\nmodel = nn.Linear(4, 4)\n", input_shapes=[(4,), (4,)])


def _cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-W", "default", "-m", "nncalc.cli", "summary", str(path)],
                          capture_output=True, text=True, timeout=60, env={"PYTHONPATH": str(SRC), "PATH": "", "NNCALC_NO_CACHE": "1"})


def test_pythons_warnings_never_reach_the_terminal(tmp_path):
    path = tmp_path / "warns.py"
    path.write_text('pattern = "\\d+"\nsame = 1 is 1\nx = pattern / 0\n')
    done = _cli(path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"nncalc: {path}:3:") and "Warning" not in done.stderr, done.stderr


def test_numbers_in_messages_are_abbreviated(tmp_path):
    path = tmp_path / "big.py"
    path.write_text("import torch.nn as nn\nmodel = nn.Linear(10**300, -5)\n")
    done = _cli(path)
    assert "10**300" in done.stderr and "0" * 40 not in done.stderr and len(done.stderr) < 400, done.stderr
