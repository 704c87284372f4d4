"""The script oracle's own rules, checked on small files: what it blocks, skips, binds and stands in for.

Numbers here are plain arithmetic on tiny layers (``nn.Linear(2, 3)`` holds 2 × 3 + 3 = 9 parameters); the
point is which statements the oracle ran, not the frameworks' counting, which test_scripts.py compares.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import script_oracle

ESCAPES = ("open", "makedirs", "subprocess", "system", "pathlib", "shutil", "torch_save", "numpy_save", "popen")


def _script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def _notebook(tmp_path: Path, cells: list[tuple[str, str]]) -> Path:
    notebook = {
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": textwrap.dedent(text).strip("\n"),
             **({"execution_count": None, "outputs": []} if kind == "code" else {})}
            for kind, text in cells
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 2,
    }
    path = tmp_path / "notebook.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("oracle")
    out = tmp / "out"
    out.mkdir()
    escapes = _script(tmp, "escapes.py", f"""
        import os, pathlib, shutil, socket, subprocess, urllib.request
        import numpy as np
        import torch
        import torch.nn as nn
        OUT = {str(out)!r}
        open(os.path.join(OUT, "open"), "w").write("x")
        os.makedirs(os.path.join(OUT, "makedirs"))
        subprocess.run(["touch", os.path.join(OUT, "subprocess")])
        os.system("touch " + os.path.join(OUT, "system"))
        pathlib.Path(OUT, "pathlib").write_text("x")
        shutil.copy(__file__, os.path.join(OUT, "shutil"))
        torch.save({{}}, os.path.join(OUT, "torch_save"))
        np.save(os.path.join(OUT, "numpy_save"), np.zeros(1))
        os.popen("touch " + os.path.join(OUT, "popen"))
        socket.create_connection(("127.0.0.1", 9))
        urllib.request.urlopen("http://127.0.0.1:9/")
        model = nn.Linear(2, 3)
    """)
    arguments = _script(tmp, "arguments.py", """
        import argparse
        import torch.nn as nn
        parser = argparse.ArgumentParser()
        parser.add_argument("--width", type=int, required=True)
        parser.add_argument("--depth", type=int, default="3")
        parser.add_argument("--cuda", action="store_true")
        args = parser.parse_args()
        model = nn.Sequential(*[nn.Linear(args.width, args.width) for _ in range(args.depth)])
        if __name__ == "__main__":
            model = nn.Linear(1, 1)
    """)
    standins = _script(tmp, "standins.py", """
        import tensorflow as tf
        from tensorflow.keras import layers
        import matplotlib.pyplot as plt
        import keras
        fig, ax = plt.subplots()
        print(tf.__version__)
        (x, y), _ = keras.datasets.cifar10.load_data()
        model = tf.keras.Sequential([tf.keras.Input(shape=x.shape[1:]), layers.Flatten(), layers.Dense(2, activation=tf.nn.relu)])
        history = model.fit(x, y, epochs=100)
        score = model.evaluate(x, y)
        print(score[0])
    """)
    notebook = _notebook(tmp, [
        ("markdown", "# A notebook"),
        ("code", "%matplotlib inline\n!pip install torch\nimport torch.nn as nn"),
        ("code", "model = nn.Linear(2, 2)\nnn.Linear?\nfiles = !ls"),
        ("code", "%%writefile helpers.py\nmodel = nn.Linear(100, 100)"),
        ("markdown", "Bigger:"),
        ("code", "%%time\nmodel = nn.Linear(3, 3)"),
    ])
    entries = [
        {"id": "escapes", "path": str(escapes), "model": "model", "inputs": [[2]]},
        {"id": "set", "path": str(arguments), "model": "model", "inputs": [[4]], "set": {"args.width": "4"}},
        {"id": "unset", "path": str(arguments), "model": "model", "inputs": [[4]]},
        {"id": "standins", "path": str(standins), "model": "model"},
        {"id": "first", "path": str(notebook), "model": "model@3", "inputs": [[2]]},
        {"id": "last", "path": str(notebook), "model": "model", "inputs": [[3]]},
        {"id": "nothing", "path": str(notebook), "model": "model@2", "inputs": [[2]]},
    ]
    return out, script_oracle.run_batch(entries)


def test_nothing_is_written_run_or_connected(runs):
    out, results = runs
    assert sorted(p.name for p in out.iterdir()) == []
    result = results["escapes"]
    assert result["total_params"] == 9
    blocked = [what for _, what in result["skipped"] if what.startswith("Blocked")]
    assert len(blocked) == len(ESCAPES) + 2, result["skipped"]  # every escape, the socket and urlopen


def test_argparse_defaults_set_and_main_guard(runs):
    _, results = runs
    assert results["set"]["total_params"] == 3 * (4 * 4 + 4)  # --depth's default "3", type=int applied
    assert isinstance(results["unset"], script_oracle.OracleError)  # required --width: the model is skipped
    assert "MissingArgument" in str(results["unset"])


def test_stand_ins_datasets_and_training(runs):
    _, results = runs
    result = results["standins"]
    assert result["total_params"] == 32 * 32 * 3 * 2 + 2  # CIFAR-10 images are 32x32x3
    assert result["output_shape"] == [None, 2]
    skipped = [what for _, what in result["skipped"]]
    assert len(skipped) == 1 and "pyplot.subplots" in skipped[0]  # fit/evaluate/score[0] all ran


def test_notebook_cells_magics_and_bindings(runs):
    _, results = runs
    assert results["first"]["total_params"] == 6  # model@3: the binding of cell 3 (the markdown cell 1 counts)
    assert results["last"]["total_params"] == 12  # %%writefile never ran; %%time ran without its magic
    assert results["first"]["skipped"] == results["last"]["skipped"] == []
    assert isinstance(results["nothing"], script_oracle.OracleError)  # no binding of model after cell 2
