"""A Llama-shaped model of about 7B parameters built on the meta device summarises with nothing allocated:
the weights stay on meta, the forward runs on fake tensors, and the whole run stays far below 1 GiB of resident
memory (measured in a fresh process by ``benchmarks/live_meta_7b.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

import nncalc  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import live_meta_7b  # noqa: E402


def test_seven_billion_parameters_on_meta():
    with torch.device("meta"):
        model = live_meta_7b.llama(torch, layers=32)
    report = nncalc.summary(model, input_size=(1, 128), dtypes=[torch.long], verbose=0)
    assert report.total_params == sum(p.numel() for p in model.parameters()) == 6_738_415_616
    assert report.output_shape == (1, 128, 32000)
    assert all(p.is_meta for p in model.parameters())
    rows = {row.name: row for row in report.layers}
    q = rows["layers.0.self_attn.q_proj"]
    assert q.formula.numbers() == "4,096 × 4,096" and q.macs == 128 * 4096 * 4096
    assert rows["layers.31.mlp.down_proj"].params == 11008 * 4096
    attention = 32 * 128 * 128 * (128 + 128)  # heads × L × S × (E + E_v) per layer
    assert rows["layers.0.self_attn"].macs == attention


def test_peak_memory_stays_under_one_gibibyte():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "live_meta_7b.py"), "--seq", "512"],
        capture_output=True, text=True, timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK" in done.stdout
