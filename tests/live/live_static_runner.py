"""Run each model file of tests/models for real, summarise the live model with ``nncalc.summary`` and read the
same file statically with ``nncalc.analyze``; print both reports' rows and totals as JSON.

One process for all files (the frameworks import once); Keras's name counters are reset before each file
(``keras.backend.clear_session()``), so its layer names are the ones a fresh script (and the static path) gets.
Usage: ``python tests/live/live_static_runner.py FILE...``; the test module drives it.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import traceback
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
TESTS_DIR = Path(__file__).resolve().parents[1]
for path in (TESTS_DIR.parent / "src", TESTS_DIR):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def describe(report) -> dict:
    """Everything a row shows, as plain data (formulas as their worked text)."""
    return {
        "totals": {
            "framework": report.framework,
            "total_params": report.total_params,
            "trainable_params": report.trainable_params,
            "non_trainable_params": report.non_trainable_params,
            "buffers": report.buffers,
            "total_macs": report.total_macs,
            "input_shapes": [list(s) for s in report.input_shapes],
            "output_shapes": [list(s) for s in report.output_shapes],
        },
        "rows": [
            {
                "name": row.name,
                "type": row.type,
                "depth": row.depth,
                "is_leaf": row.is_leaf,
                "input_shapes": [list(s) for s in row.input_shapes],
                "output_shapes": [list(s) for s in row.output_shapes],
                "params": row.params,
                "trainable_params": row.trainable_params,
                "non_trainable_params": row.non_trainable_params,
                "buffers": row.buffers,
                "macs": row.macs,
                "formula": row.formula.worked() if row.formula is not None else None,
                "shape_formulas": [[axis, f.worked()] for axis, f in row.shape_formulas],
                "shared": row.shared,
                "called": row.called,
                "rule": row.rule,
            }
            for row in report.layers
        ],
    }


def compare_file(path: Path) -> dict:
    import keras

    import nncalc
    import oracle

    directives = oracle.read_directives(path)
    options = {"model": directives.model} if directives.model else {}
    if directives.dtype:
        options["dtype"] = directives.dtype
    result: dict = {}
    try:
        result["static"] = describe(nncalc.analyze(str(path), input_shapes=directives.input_shapes, **options))
    except Exception:  # noqa: BLE001 - reported to the test
        result["static_error"] = traceback.format_exc()
    keras.backend.clear_session()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        namespace = oracle._execute(path, tree)
        _, model = oracle._find_model(namespace, tree, directives.model, path)
        if oracle._is_torch_module(model):
            sizes = [(1, *shape) for shape in directives.input_shapes]
            dtypes = directives.dtype if directives.dtype in ("int64", "int32") else None
            if directives.dtype and "," in directives.dtype:  # one dtype per input (float32,int64)
                dtypes = [name.strip() for name in directives.dtype.split(",")]
            report = nncalc.summary(model, input_size=sizes, dtypes=dtypes, verbose=0)
        else:
            report = nncalc.summary(model, verbose=0)
        result["live"] = describe(report)
    except Exception:  # noqa: BLE001 - reported to the test
        result["live_error"] = traceback.format_exc()
    return result


def main(argv: list[str]) -> int:
    real_stdout = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # what model files print goes to stderr; stdout carries the JSON only
    results = {str(Path(p).resolve()): compare_file(Path(p).resolve()) for p in argv}
    json.dump(results, real_stdout)
    real_stdout.write("\n")
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
