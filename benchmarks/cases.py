"""What is measured: the model files, the command of each tool, and the generated scaling files."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODELS = ROOT / "tests" / "models"
DRIVERS = HERE / "drivers"


@dataclass
class Case:
    """A model file and how each tool is pointed at it (input shape without the batch, dtype, model name)."""

    label: str
    file: Path
    framework: str
    shape: str = ""
    dtype: str = "float32"
    model: str | None = None


CASES = [
    Case("seed (PyTorch)", MODELS / "seed_torch.py", "pytorch", "3,32,32", model="SimpleCNN"),
    Case("seed (Keras)", MODELS / "seed_keras.py", "keras"),
    Case("ResNet-50 (PyTorch)", MODELS / "torch_resnet50.py", "pytorch", "3,224,224", model="resnet50"),
    Case("ResNet-50 (Keras)", MODELS / "keras_resnet50.py", "keras"),
    Case("GPT-2 small (PyTorch)", MODELS / "torch_gpt2_nanogpt.py", "pytorch", "1024", "int64", "model"),
    Case("BERT-base (PyTorch)", MODELS / "torch_bert_base.py", "pytorch", "512", "int64", "model"),
]

NNCALC = "nncalc summary (static)"


def nncalc_prefix() -> list[str]:
    """The installed ``nncalc`` console script next to this Python, as a user runs it; else ``python -m``."""
    script = Path(sys.executable).with_name("nncalc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nncalc.cli"]


def nncalc_cmd(file: Path, shape: str = "", dtype: str = "float32", model: str | None = None,
               fmt: str | None = None) -> list[str]:
    """``nncalc summary FILE`` with the same input the other tools get; the default table unless ``fmt``."""
    cmd = [*nncalc_prefix(), "summary", str(file)]
    if shape:
        cmd += ["--input-shape", shape]
    if dtype == "int64":
        cmd += ["--dtype", "int64"]
    if model:
        cmd += ["--model", model]
    if fmt:
        cmd += ["--format", fmt]
    return cmd


def commands(case: Case, live: bool = True) -> dict[str, list[str]]:
    """nncalc's static command first, then the tools a user would otherwise run, each in a fresh process."""
    py = sys.executable
    model = [case.model] if case.model else []
    cmds = {NNCALC: nncalc_cmd(case.file, case.shape, case.dtype, case.model)}
    if case.framework == "keras":
        cmds["Keras model.summary()"] = [py, str(DRIVERS / "keras_summary.py"), str(case.file), *model]
    else:
        cmds["torchinfo summary()"] = [py, str(DRIVERS / "torchinfo_summary.py"), str(case.file), case.shape,
                                       case.dtype, *model]
    if live:
        cmds["nncalc.summary() live"] = [py, str(DRIVERS / "nncalc_live.py"), str(case.file), case.framework,
                                         case.shape, case.dtype, *model]
    return cmds


@dataclass
class ScalePoint:
    """One generated file of a scaling series and the nncalc command that summarises it."""

    series: str
    label: str
    file: Path
    shape: str
    dtype: str = "float32"
    blocks: int = 0


def stacked_file(blocks: int, folder: Path) -> ScalePoint:
    """A plain file stacking the same block (``nn.Linear(64, 64)``) ``blocks`` times with a loop."""
    path = folder / f"stack_{blocks}.py"
    path.write_text(
        "import torch.nn as nn\n\n"
        "layers = []\n"
        f"for i in range({blocks}):\n"
        "    layers.append(nn.Linear(64, 64))\n"
        "model = nn.Sequential(*layers)\n"
    )
    return ScalePoint("stack", f"{blocks:,} × Linear(64, 64)", path, "64", blocks=blocks)


# name: (n_layer, n_head, n_embd, block_size); the sequence fed is block_size tokens.
GPT_SIZES = {
    "GPT-2 small": (12, 12, 768, 1024),
    "GPT-2 XL": (48, 25, 1600, 1024),
    "GPT-3 depth, GPT-2 width": (96, 96, 768, 2048),
    "GPT-3 175B": (96, 96, 12288, 2048),
}
GPT_FILE = MODELS / "torch_gpt2_nanogpt.py"


def gpt_file(name: str, folder: Path) -> ScalePoint:
    """The nanoGPT file with its ``model = GPT()`` line built from a ``GPTConfig`` of the named size."""
    n_layer, n_head, n_embd, block_size = GPT_SIZES[name]
    source = GPT_FILE.read_text()
    config = f"model = GPT(GPTConfig(n_layer={n_layer}, n_head={n_head}, n_embd={n_embd}, block_size={block_size}))"
    if "\nmodel = GPT()\n" not in source:
        raise SystemExit(f"{GPT_FILE} has no `model = GPT()` line to resize")
    path = folder / f"gpt_{n_layer}x{n_embd}.py"
    path.write_text(source.replace("\nmodel = GPT()\n", f"\n{config}\n"))
    return ScalePoint("gpt", name, path, str(block_size), "int64", blocks=n_layer)


def static_totals(point: ScalePoint) -> tuple[int, int]:
    """(parameters, layer rows) of a scaling file, read from nncalc's JSON (not timed)."""
    cmd = nncalc_cmd(point.file, point.shape, point.dtype, "model", fmt="json")
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return 0, 0
    report = json.loads(done.stdout)
    return report["total_params"], sum(1 for layer in report["layers"] if layer.get("is_leaf", True))
