"""What the web page shows, built from a :class:`~nncalc.report.Report` (and what it shows for an error).

The page gets the documented JSON document (``report``) plus the same numbers formatted the way the CLI
formats them, the LaTeX of every formula for KaTeX, the exports (Markdown, LaTeX) and the diagram. Nothing
here computes a number: it only formats the report, like every renderer.
"""

from __future__ import annotations

import re

from nncalc.errors import NncalcError
from nncalc.render import format_bytes, format_count, format_shapes, format_si, row_label, row_params, total_lines
from nncalc.render.explain import total_latex
from nncalc.report import Report, Row

MARKDOWN_COLUMNS = ("output_shape", "params", "macs", "formula")
_EARLY_PLACE = re.compile(r"^<string>(?::(\d+))?: ")


def _row_latex(row: Row) -> list[str]:
    """The row's worked formulas as LaTeX ``aligned`` blocks: parameters, then each computed axis."""
    blocks = []
    if row.formula is not None:
        steps = [row.formula.latex()] + row.formula.latex_steps()
        steps = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
        body = r" \\ ".join((r"\text{Params} &= " if i == 0 else "&= ") + s for i, s in enumerate(steps))
        blocks.append(r"\begin{aligned}" + body + r"\end{aligned}")
    for axis, formula in row.shape_formulas:
        steps = [formula.latex()] + formula.latex_steps()
        steps = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
        blocks.append(_latex_text(axis) + " = " + " = ".join(steps))
    return blocks


def _latex_text(name: str) -> str:
    if len(name) == 1:
        return name
    return r"\text{" + re.sub(r"([_&%#{}$])", r"\\\1", name) + "}"


def _bytes_per_value(report: Report) -> float:
    values = sum(r.activation_values for r in report.layers)
    return report.memory.activations / values if values else 0.0


def row_payload(row: Row, index: int, report: Report, per_value: float) -> dict:
    """One table row as the page shows it."""
    return {
        "index": index,
        "label": row_label(row),
        "name": row.name,
        "type": row.type,
        "depth": row.depth,
        "is_leaf": row.is_leaf,
        "output_shape": format_shapes(row.output_shapes, report.framework),
        "params": row_params(row),
        "macs": format_si(row.macs) if row.called else "--",
        "memory": format_bytes(row.activation_values * per_value) if row.activation_values else "--",
        "formula": row.formula.worked() if row.formula is not None else "",
        "latex": _row_latex(row),
        "line": row.location.line if row.location else None,
        "shared": row.shared,
        "supported": row.rule,
    }


def report_payload(report: Report, graph=None) -> dict:
    """The whole answer of ``POST /api/analyze`` for a model that was read (``graph``: the traced graph the
    report was built from, for the diagram's arrows)."""
    from nncalc.render.explain import render_explain
    from nncalc.render.json import render_json, report_dict
    from nncalc.render.markdown import render_markdown
    from nncalc.web.diagram import render_svg

    per_value = _bytes_per_value(report)
    return {
        "ok": True,
        "framework": report.framework,
        "model": report.model_name,
        "total_params": report.total_params,
        "rows": [row_payload(row, i, report, per_value) for i, row in enumerate(report.layers)],
        "totals": [{"label": label, "value": value} for label, value in total_lines(report)],
        "total_latex": total_latex(report),
        "notes": list(report.notes),
        "report": report_dict(report),
        "exports": {
            "markdown": render_markdown(report, columns=MARKDOWN_COLUMNS) + "\n" + render_explain(report, "markdown"),
            "latex": render_explain(report, "latex"),
            "json": render_json(report),
        },
        "svg": render_svg(report, graph),
        "summary": f"{format_count(report.total_params)} parameters",
    }


def error_payload(err: NncalcError, filename: str) -> dict:
    """A user's error: the message, the line and column to mark, the hint, and all of it as one text.

    Errors found before interpretation (NUL bytes, size) name the source ``<string>:LINE`` in their message,
    without a location: they are given the file's name and their line here.
    """
    location = err.location if err.location is not None and err.location.file == filename else None
    message = err.message
    line, column = (location.line, location.col + 1) if location else (None, None)
    early = _EARLY_PLACE.match(message)
    if early:
        message = message[early.end():]
        line = line or (int(early.group(1)) if early.group(1) else None)
    place = f"{filename}:{line}:{column}" if column else (f"{filename}:{line}" if line else "")
    return {
        "ok": False,
        "kind": type(err).__name__,
        "message": message,
        "hint": err.hint,
        "line": line,
        "column": column,
        "text": f"{place}: {message}" if place else message,
    }
