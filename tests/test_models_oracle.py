"""Each model file of tests/models, read by nncalc without running it, must match the real framework.

The expected numbers come from ``tests/oracle.py``, which runs the file with real PyTorch / Keras. Totals,
the final output shape and every layer's parameters and output shape must be equal, exactly. The file's
``# nncalc: input-shape``, ``# nncalc: dtype`` and ``# nncalc: model`` comments are passed to ``nncalc.analyze``
as arguments.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import oracle

MODEL_FILES = oracle.model_files()


def _neutral_row(name, params, trainable_params, output_shape) -> dict:
    return {
        "name": name,
        "params": int(params),
        "trainable_params": int(trainable_params),
        "output_shape": None if output_shape is None else [None if dim is None else int(dim) for dim in output_shape],
    }


@pytest.fixture(params=MODEL_FILES, ids=lambda path: path.name)
def model_file(request) -> Path:
    return request.param


@pytest.fixture
def expected(model_file, oracle_result) -> dict:
    return oracle_result(model_file)


def _analyze(model_file: Path):
    """nncalc's static report on the file; a missing nncalc or ``analyze`` is a failure, never a skip."""
    try:
        nncalc = importlib.import_module("nncalc")
        analyze = nncalc.analyze
    except (ImportError, AttributeError) as error:
        pytest.fail(f"nncalc.analyze is not available: {type(error).__name__}: {error}")
    directives = oracle.read_directives(model_file)
    options = {"model": directives.model} if directives.model else {}
    if directives.dtype:
        options["dtype"] = directives.dtype
    return analyze(str(model_file), input_shapes=directives.input_shapes, **options)


def test_totals(model_file, expected):
    report = _analyze(model_file)
    actual = {
        "framework": report.framework,
        "total_params": report.total_params,
        "trainable_params": report.trainable_params,
        "non_trainable_params": report.non_trainable_params,
    }
    assert actual == {key: expected[key] for key in actual}


def test_output_shape(model_file, expected):
    report = _analyze(model_file)
    assert tuple(report.output_shape) == tuple(expected["output_shape"])
    if "output_shapes" in expected:
        assert [tuple(shape) for shape in report.output_shapes] == [tuple(s) for s in expected["output_shapes"]]


def _row_tree(rows) -> list[dict]:
    """nncalc's rows as a tree: every node's first call, with the rows of the calls made inside it (later calls
    of a shared layer repeat rows already shown, as Keras lists a layer once)."""
    top: list[dict] = []
    stack: list[tuple[int, list]] = [(0, top)]
    for row in rows:
        if row.shared:
            continue
        node = {"row": row, "children": []}
        while stack[-1][0] >= row.depth:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((row.depth, node["children"]))
    return top


def _assert_keras_rows(wanted: list[dict], nodes: list[dict], where: str = "model.layers") -> None:
    actual = [
        _neutral_row(n["row"].name, n["row"].params, n["row"].trainable_params, n["row"].output_shape) for n in nodes
    ]
    expected = [_neutral_row(w["name"], w["params"], w["trainable_params"], w["output_shape"]) for w in wanted]
    assert [row["name"] for row in actual] == [row["name"] for row in expected], where
    assert actual == expected, where
    for row, node in zip(wanted, nodes):
        if "layers" in row:  # a nested model: its own model.layers are the rows inside it
            _assert_keras_rows(row["layers"], node["children"], f"{row['name']}.layers")


def test_layers(model_file, expected):
    report = _analyze(model_file)
    if expected["framework"] == "keras":
        # Keras: the rows of model.layers, matched by position and name; a nested model's rows inside it
        _assert_keras_rows(expected["layers"], _row_tree(report.layers))
        return
    # torch: leaf modules matched by name, in the order of their first call. nncalc may add leaf rows
    # of its own (functional ops, say); they must hold no parameters.
    wanted = [
        _neutral_row(row["name"], row["params"], row["trainable_params"], row["output_shape"])
        for row in expected["layers"]
    ]
    module_names = {row["name"] for row in wanted}
    leaves = [row for row in report.layers if row.is_leaf]
    extra = [(row.name, row.params) for row in leaves if row.name not in module_names and row.params]
    assert not extra, f"parameters in leaf rows that are no module of the model: {extra}"
    first_call: dict[str, dict] = {}
    for row in leaves:
        if row.name in module_names and row.name not in first_call:
            first_call[row.name] = _neutral_row(row.name, row.params, row.trainable_params, row.output_shape)
    actual = list(first_call.values())
    # called leaves in the order of their first call; a leaf never called (a MultiheadAttention's out_proj)
    # stands where nncalc places it in the module tree, the oracle lists it last: compared as a set
    called = [row for row in actual if row["output_shape"] is not None]
    assert [row["name"] for row in called] == [row["name"] for row in wanted if row["output_shape"] is not None]
    assert called == [row for row in wanted if row["output_shape"] is not None]
    key = lambda row: row["name"]  # noqa: E731
    assert sorted((r for r in actual if r["output_shape"] is None), key=key) == sorted(
        (r for r in wanted if r["output_shape"] is None), key=key)
