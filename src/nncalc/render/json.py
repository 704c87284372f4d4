"""The JSON format (stable; documented in README.md and docs/json.md)."""

from __future__ import annotations

import json
import re

from nncalc import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nncalc.render import RenderOptions
    from nncalc.report import Report, Row

SCHEMA_VERSION = 1


def _shape(shape):
    return None if shape is None else list(shape)


def _row_dict(row: Row) -> dict:
    return {
        "name": row.name,
        "type": row.type,
        "depth": row.depth,
        "is_leaf": row.is_leaf,
        "output_shape": _shape(row.output_shape),
        "output_shapes": [_shape(s) for s in row.output_shapes],
        "params": row.params,
        "trainable_params": row.trainable_params,
        "non_trainable_params": row.non_trainable_params,
        "buffers": row.buffers,
        "macs": row.macs,
        "own_macs": row.own_macs,
        "flops": row.flops,
        "activation_values": row.activation_values,
        "formula": row.formula.worked() if row.formula is not None else None,
        "shape_formulas": {axis: f.worked() for axis, f in row.shape_formulas},
        "line": row.location.line if row.location else None,
        "shared": row.shared,
        "called": row.called,
        "supported": row.rule,
        "receptive_field": [
            {"axis": f.axis, "size": f.size, "jump": f.jump, "start": f.start} for f in row.receptive_field
        ] if row.receptive_field else None,
    }


def report_dict(report: Report) -> dict:
    """The report as plain JSON-ready data."""
    return {
        "schema": SCHEMA_VERSION,
        "nncalc_version": __version__,
        "framework": report.framework,
        "model": report.model_name,
        "file": report.file,
        "input_shape": _shape(report.input_shape),
        "input_shapes": [_shape(s) for s in report.input_shapes],
        "output_shape": _shape(report.output_shape),
        "output_shapes": [_shape(s) for s in report.output_shapes],
        "total_params": report.total_params,
        "trainable_params": report.trainable_params,
        "non_trainable_params": report.non_trainable_params,
        "buffers": report.buffers,
        "param_bytes": report.param_bytes,
        "total_macs": report.total_macs,
        "total_flops": report.total_flops,
        "per_step": report.per_step,
        "forward": report.forward,
        "memory": {
            "precision": report.memory.precision,
            "optimizer": report.memory.optimizer,
            "mixed_precision": report.memory.mixed_precision,
            "parameters": report.memory.parameters,
            "activations": report.memory.activations,
            "inference": report.memory.inference,
            "gradients": report.memory.gradients,
            "optimizer_state": report.memory.optimizer_state,
            "master_weights": report.memory.master_weights,
            "training": report.memory.training,
        },
        "notes": list(report.notes),
        "skipped": [
            {"line": s.location.line, "statement": s.statement, "reason": s.reason} for s in report.skipped
        ],
        "layers": [_row_dict(row) for row in report.layers],
    }


_SHAPE = re.compile(r"\[\s*((?:-?\d+|null)(?:,\s*(?:-?\d+|null))*)\s*\]")


def render_json(report: Report, indent: int | None = 2) -> str:
    """The report as a JSON document; shapes stay on one line (``[null, 30, 30, 8]``)."""
    text = json.dumps(report_dict(report), indent=indent, ensure_ascii=False)
    if indent is None:
        return text
    return _SHAPE.sub(lambda m: "[" + re.sub(r",\s*", ", ", m.group(1)) + "]", text)


def render(report: Report, options: RenderOptions) -> str:
    """The ``json`` format: :func:`render_json`, as a document ending in a newline."""
    return render_json(report) + "\n"
