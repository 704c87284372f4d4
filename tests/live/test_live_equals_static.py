"""For every model file of tests/models, the live model (the file run for real, then ``nncalc.summary``) and the
file read without running it (``nncalc.analyze``) give the same report: every row (name, type, depth, shapes,
parameters, buffers, MACs, the worked parameter and output-size formulas) and the totals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import oracle

RUNNER = Path(__file__).resolve().parent / "live_static_runner.py"
MODEL_FILES = oracle.model_files()


@pytest.fixture(scope="module")
def results() -> dict:
    """Both reports of every model file, from one subprocess (the real frameworks import once)."""
    completed = subprocess.run(
        [sys.executable, str(RUNNER), *map(str, MODEL_FILES)],
        capture_output=True, text=True, timeout=1200, check=False,
        env=dict(os.environ, KERAS_BACKEND="torch"),
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(completed.stdout)


@pytest.mark.parametrize("path", MODEL_FILES, ids=[p.name for p in MODEL_FILES])
def test_live_report_equals_static_report(path, results):
    result = results[str(path.resolve())]
    assert "static_error" not in result, result.get("static_error")
    assert "live_error" not in result, result.get("live_error")
    static, live = result["static"], result["live"]
    assert live["totals"] == static["totals"]
    assert [row["name"] for row in live["rows"]] == [row["name"] for row in static["rows"]]
    for live_row, static_row in zip(live["rows"], static["rows"]):
        assert live_row == static_row, f"row {static_row['name']!r} differs"
