"""Invariants of every report: leaf rows add up to the totals; the shown formulas equal the counts."""

from __future__ import annotations

import json

import pytest

import nncalc
import oracle

MODEL_FILES = oracle.model_files()


@pytest.fixture(params=MODEL_FILES, ids=lambda path: path.name)
def report(request):
    directives = oracle.read_directives(request.param)
    options = {"model": directives.model} if directives.model else {}
    if directives.dtype:
        options["dtype"] = directives.dtype
    return nncalc.analyze(str(request.param), input_shapes=directives.input_shapes, **options)


def test_rows_own_parameters_add_up_to_the_total(report):
    """Every parameter is held by exactly one row (or by the model itself), counted at its first call; a tied
    weight is held by two rows and counted once."""
    first = [row for row in report.layers if not row.shared]
    assert sum(row.own_params for row in first) + report.model_own_params - report.tied_params == report.total_params


def test_leaf_rows_add_up_to_the_totals(report):
    """Leaf rows hold everything but what containers (and the model) hold themselves."""
    first = [row for row in report.layers if not row.shared]
    held_by_containers = sum(row.own_params for row in first if not row.is_leaf) + report.model_own_params
    leaves = [row for row in first if row.is_leaf]
    assert sum(row.params for row in leaves) + held_by_containers - report.tied_params == report.total_params
    if not held_by_containers and not report.tied_params:
        assert sum(row.trainable_params for row in leaves) == report.trainable_params
        assert sum(row.non_trainable_params for row in leaves) == report.non_trainable_params


def test_formulas_equal_the_row_counts(report):
    for row in report.layers:
        if row.formula is not None and row.is_leaf:
            assert row.formula.value == row.params, row.name


def test_json_round_trip(report):
    data = json.loads(report.to_json())
    assert data["total_params"] == report.total_params
    assert len(data["layers"]) == len(report.layers)
    assert data["framework"] in ("pytorch", "keras")


def test_every_renderer_runs(report):
    assert f"{report.total_params:,}" in str(report)
    assert report.to_markdown().startswith("**")
    assert "Total" in report.explain()
    assert "\\begin{aligned}" in report.to_latex() or report.total_params == 0
