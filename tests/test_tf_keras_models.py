"""The ``tf.keras`` model files of tests/models, run by real TensorFlow (Keras on its TensorFlow backend) instead
of the main suite's shim that maps ``tensorflow.keras`` onto Keras 3 on torch: nncalc's reading must match
TensorFlow's own model, exactly (totals, trainable split, output shapes, and the rows of ``model.layers`` as
``test_models_oracle.py`` compares them).

TensorFlow runs in an environment of its own (README's TensorFlow command); elsewhere this file skips, and with
``NNCALC_REQUIRE_TENSORFLOW=1`` a missing TensorFlow is a failure instead. Each file runs in a fresh process
(``python tests/oracle.py FILE``), so Keras's layer names start from the same counters as a user's script.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

if os.environ.get("NNCALC_REQUIRE_TENSORFLOW") != "1":
    pytest.importorskip("tensorflow", reason="TensorFlow runs in its own environment (README's TensorFlow command)")

import oracle  # noqa: E402
from test_models_oracle import _assert_keras_rows, _row_tree  # noqa: E402 - the same comparison of the rows

TF_KERAS_FILES = [path for path in oracle.model_files()
                  if oracle._imports(ast.parse(path.read_text(encoding="utf-8")), "tensorflow")]
SECONDS = 300


def _run_on_tensorflow(path: Path) -> dict:
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, str(Path(oracle.__file__)), str(path)], capture_output=True, text=True,
                          env=env, timeout=SECONDS, check=False)
    assert done.returncode == 0, f"the oracle failed on {path.name}:\n{done.stderr[-2000:]}"
    return json.loads(done.stdout)


def test_there_are_tf_keras_files():
    assert len(TF_KERAS_FILES) >= 4, [p.name for p in TF_KERAS_FILES]


@pytest.mark.parametrize("path", TF_KERAS_FILES, ids=lambda p: p.name)
def test_tf_keras_file_matches_real_tensorflow(path):
    import nncalc

    expected = _run_on_tensorflow(path)
    assert "error" not in expected, expected
    directives = oracle.read_directives(path)
    report = nncalc.analyze(str(path), input_shapes=directives.input_shapes,
                            **({"model": directives.model} if directives.model else {}))
    got = {"total_params": report.total_params, "trainable_params": report.trainable_params,
           "non_trainable_params": report.non_trainable_params, "output_shape": list(report.output_shape)}
    assert got == {key: expected[key] for key in got}
    if "output_shapes" in expected:
        assert [list(s) for s in report.output_shapes] == [list(s) for s in expected["output_shapes"]]
    _assert_keras_rows(expected["layers"], _row_tree(report.layers))
