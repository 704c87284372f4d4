"""``nncalc.analyze`` and ``nncalc.summary`` inside a real IPython kernel: a notebook executed by nbclient, its
outputs read back. IPython replaces the names ``site`` adds to builtins (``exit``, ``quit``), which once made
``import``-time code of the interpreter fail with a NameError there; the same names are absent under
``python -S``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import nncalc

SRC = Path(nncalc.__file__).resolve().parents[1]
EXAMPLES = SRC.parent / "examples"

SETUP = f"""
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
sys.path.insert(0, {str(SRC)!r})
import nncalc
print(nncalc.__file__)
"""

ANALYZE = f"""
report = nncalc.analyze({str(EXAMPLES / "simple_cnn_torch.py")!r})
report
"""

SUMMARY = """
import torch.nn as nn

net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 30 * 30, 10))
print("torch", sum(p.numel() for p in net.parameters()))
nncalc.summary(net, input_size=(1, 3, 32, 32))
"""

STATIC = """
print("static", report.total_params)
"""


def _run(cells: list[str], tmp_path: Path) -> list:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return notebook.cells


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _html(cell) -> str:
    return "".join(o["data"].get("text/html", "") for o in cell.outputs if o.output_type == "execute_result")


def _real_params(path: Path, name: str) -> int:
    """The snippet run by real torch (it uses ``torch`` and ``nn`` without importing them)."""
    import torch

    namespace = {"torch": torch, "nn": torch.nn}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # the oracle: a repository example
    return sum(p.numel() for p in namespace[name]().parameters())


def test_analyze_and_summary_in_an_ipython_kernel(tmp_path):
    cells = _run([SETUP, ANALYZE, SUMMARY, STATIC], tmp_path)
    assert _text(cells[0]).strip() == str(SRC / "nncalc" / "__init__.py")
    analyzed = _html(cells[1])
    real = _real_params(EXAMPLES / "simple_cnn_torch.py", "SimpleCNN")
    assert f"{real:,}" in analyzed and "<table" in analyzed
    assert _text(cells[3]).split() == ["static", str(real)]
    torch_total = int(_text(cells[2]).split()[1])
    summarized = _html(cells[2])
    assert f"{torch_total:,}" in summarized and "Conv2d" in summarized and "Linear" in summarized


@pytest.mark.parametrize("flag", ["-S", "-I"])
def test_analyze_without_site(flag):
    """``python -S`` has no ``help``, ``exit``, ``quit``: importing and running the interpreter still works."""
    code = f"import sys; sys.path.insert(0, {str(SRC)!r}); import nncalc; " \
           f"print(nncalc.analyze({str(EXAMPLES / 'simple_cnn_keras.py')!r}).total_params)"
    done = subprocess.run([sys.executable, flag, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(nncalc.analyze(EXAMPLES / "simple_cnn_keras.py").total_params)]
