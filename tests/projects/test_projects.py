"""Projects: models split over modules and packages, read unchanged (relative imports, ``__init__``
re-exports, an import cycle, ``import a.b as c``, a training script importing the model), each compared with
the real torch importing the same project; and the cases nncalc must refuse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import nncalc
from nncalc.errors import NncalcError

HERE = Path(__file__).resolve().parent
ORACLE = HERE / "project_oracle.py"

CASES = [
    # (file, nncalc options, folder the oracle imports from, module, expression, input shape, dtype)
    ("unet_repo/train.py", {"input_shape": (3, 64, 64)},
     "unet_repo", "unet", "UNet(n_channels=3, n_classes=2, bilinear=False)", "3,64,64", "float32"),
    ("unet_repo/unet/model.py", {"model": "UNet(3, 2, bilinear=True)", "input_shape": (3, 64, 64)},
     "unet_repo", "unet", "UNet(3, 2, bilinear=True)", "3,64,64", "float32"),
    ("segmenter/predict.py", {"input_shape": (3, 64, 64)},
     "segmenter", "nets", "SegNet(num_classes=21, preset='base')", "3,64,64", "float32"),
    ("segmenter/nets/segnet.py", {"model": "segnet_small(5)", "input_shape": (3, 32, 32)},
     "segmenter", "nets", "segnet_small(5)", "3,32,32", "float32"),
    ("gpt/train.py", {"input_shape": (16,), "dtype": "int64", "set_values": {"meta_vocab_size": None}},
     "gpt", "model", "GPT(GPTConfig(n_layer=6, n_head=6, n_embd=384, block_size=128, bias=False, "
     "vocab_size=50304, dropout=0.0))", "16", "int64"),
    ("gpt/model.py", {"model": "GPT(GPTConfig(n_layer=2, vocab_size=1000))", "input_shape": (8,), "dtype": "int64"},
     "gpt", "model", "GPT(GPTConfig(n_layer=2, vocab_size=1000))", "8", "int64"),
]  # fmt: skip


def real(folder: str, module: str, expression: str, shape: str, dtype: str) -> dict:
    done = subprocess.run([sys.executable, str(ORACLE), str(HERE / folder), module, expression, shape, dtype],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}:{c[1].get('model', 'default')}" for c in CASES])
def test_project_models_match_torch(case):
    file, options, folder, module, expression, shape, dtype = case
    report = nncalc.analyze(HERE / file, **options)
    expected = real(folder, module, expression, shape, dtype)
    assert (report.total_params, report.trainable_params) == (expected["total"], expected["trainable"])
    assert list(report.output_shape) == expected["output_shape"]


def test_a_setting_the_data_decides_is_asked_for():
    with pytest.raises(NncalcError) as info:
        nncalc.analyze(HERE / "gpt/train.py", input_shape=(16,), dtype="int64")
    message = str(info.value)
    assert "`model` cannot be built" in message and "nn.Embedding(config.vocab_size, config.n_embd)" in message
    assert "`meta_vocab_size`, which line 29 would set" in message and "--set meta_vocab_size=" in message


def test_each_module_is_read_once_and_the_cycle_resolves():
    from nncalc.analysis import load_program

    program = load_program(HERE / "segmenter/predict.py")
    loader = program.namespace.interpreter.loader
    assert {"nets", "nets.layers", "nets.layers.registry", "nets.layers.conv", "nets.backbone", "nets.head",
            "nets.segnet", "segmenter_config"} <= set(loader.modules)
    assert loader.root == str(HERE / "segmenter")  # its setup.cfg marks the root


def test_an_unread_import_is_refused_never_reported_short(tmp_path):
    project = tmp_path / "repo"
    shutil.copytree(HERE / "unet_repo", project)
    (project / "unet" / "parts.py").unlink()
    with pytest.raises(NncalcError) as info:
        nncalc.analyze(project / "unet" / "model.py", model="UNet(3, 2)", input_shape=(3, 64, 64))
    assert info.value.exit_code == 2
    assert "DoubleConv" in str(info.value) or "parts" in str(info.value)


def test_a_module_leaving_the_root_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "layers.py").write_text("import torch.nn as nn\nWIDTH = 7\n")
    project = tmp_path / "repo"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'repo'\n")
    os.symlink(outside / "layers.py", project / "layers.py")
    (project / "net.py").write_text(
        "import torch.nn as nn\nfrom layers import WIDTH\n\nclass Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, WIDTH)\n\n"
        "    def forward(self, x):\n        return self.fc(x)\n"
    )
    with pytest.raises(NncalcError, match="leaves the project root"):
        nncalc.analyze(project / "net.py", input_shape=(4,), source_paths=[])


def test_the_root_option_limits_what_is_read(tmp_path):
    project = tmp_path / "repo"
    shutil.copytree(HERE / "segmenter", project)
    with pytest.raises(NncalcError):
        nncalc.analyze(project / "nets" / "segnet.py", model="segnet_small(5)", input_shape=(3, 32, 32),
                       root=str(project / "nets"))


def test_a_model_class_whose_definition_a_library_skipped_names_that_statement(tmp_path):
    """A library module's class definition fails (its decorator needs a value nncalc cannot know); the user's
    file then builds the model from it: the refusal names the user's line, the library's skipped statement and
    why, never only "no model found" or an unrelated first skip."""
    library = tmp_path / "lib" / "zoo"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("from .nets import Net\n")
    (library / "nets.py").write_text(
        "from packaging import version\nimport torch.nn as nn\n\n\ndef registered(cls):\n"
        "    if version.parse('2.1') >= version.parse('2.0'):\n        return cls\n    return cls\n\n\n"
        "@registered\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n")
    project = tmp_path / "repo"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'repo'\n")
    (project / "train.py").write_text("import zoo\n\nprint('building')\nmodel = zoo.Net()\n")
    with pytest.raises(NncalcError) as info:
        nncalc.analyze(project / "train.py", input_shape=(4,), source_paths=[str(tmp_path / "lib")])
    text = str(info.value)
    assert info.value.exit_code == 2 and info.value.location.line == 4
    assert "`model` cannot be built: `@registered` (" in text and "nets.py:12) was skipped" in text
    assert "nets.py:6:5: `(version.parse(...) >= ...)` comes from `from packaging import version`" in text
