"""What the web page shows, built from a :class:`~nncalc.report.Report` (and what it shows for an error).

The page gets the documented JSON document (``report``) plus the same numbers formatted the way the CLI
formats them, the module tree (each row's parent; a module's MACs and memory are those of the calls inside
it, as the terminal table's subtotals), the LaTeX of every formula for KaTeX (a module's as the folded sum
of its parts), the exports (Markdown, LaTeX) and the diagram. Messages speak of the page's fields, not of
the command line's options.
"""

from __future__ import annotations

import re

from nncalc.errors import NncalcError
from nncalc.render import (
    format_bytes, format_count, format_shapes, format_si, row_label, row_params, total_lines, visible_rows,
)
from nncalc.render.explain import total_latex
from nncalc.report import Report, Row
from nncalc.web.total import sum_latex, tex_name
from nncalc.web.tree import children, parents
from nncalc.web.wording import for_the_page

MARKDOWN_COLUMNS = ("output_shape", "params", "macs", "formula")
TABLE_ROWS = 30
"""The table opens the module tree level by level while it shows at most this many rows."""
_EARLY_PLACE = re.compile(r"^<string>(?::(\d+))?: ")


STEP_CHARS = 44
"""About how many characters of a worked formula one line holds before the next step wraps."""


def _row_latex(row: Row) -> list[str]:
    """The row's worked formulas as LaTeX ``aligned`` blocks: parameters, then each computed axis (axes
    with the same numbers at once, ``H = W``); the steps wrap onto lines of about STEP_CHARS characters."""
    named = [("Params", row.formula)] if row.formula is not None else []
    for axis, formula in row.shape_formulas:
        if named and named[-1][0] != "Params" and named[-1][1].numbers() == formula.numbers():
            named[-1] = (f"{named[-1][0]} = {axis}", named[-1][1])
        else:
            named.append((axis, formula))
    blocks = []
    for name, formula in named:
        title = " = ".join(axis if len(axis) == 1 else tex_name(axis) for axis in name.split(" = "))
        steps = list(zip([formula.latex()] + formula.latex_steps(), [formula.symbols()] + formula.steps()))
        steps = [s for i, s in enumerate(steps) if i == 0 or s[1] != steps[i - 1][1]]
        body, width = title + " &= " + steps[0][0], len(steps[0][1])
        for tex, plain in steps[1:]:
            if width + len(plain) > STEP_CHARS:
                body, width = body + r" \\ &= " + tex, len(plain)
            else:
                body, width = body + " = " + tex, width + len(plain) + 3
        blocks.append(r"\begin{aligned}" + body + r"\end{aligned}")
    return blocks


def _bytes_per_value(report: Report) -> float:
    values = sum(r.activation_values for r in report.layers)
    return report.memory.activations / values if values else 0.0


def _short_label(row: Row, parent: Row | None) -> str:
    """``conv1 (Conv2d)`` for ``layer1.0.conv1`` under ``layer1.0``: the tree's indentation says the rest."""
    prefix = parent.name + "." if parent is not None and parent.name else ""
    name = row.name[len(prefix):] if prefix and row.name.startswith(prefix) else row.name
    return f"{name} ({row.type})" if name else row.type


def _block_values(rows, kids: dict[int, list[int]]) -> list[int]:
    """Per row, the activation values of its output and of every call inside it."""
    totals = [row.activation_values for row in rows]
    for index in range(len(rows) - 1, -1, -1):  # children come after their parent
        totals[index] += sum(totals[child] for child in kids[index])
    return totals


def _open_depth(rows) -> int:
    """The deepest level of the tree that the table opens by default (at most TABLE_ROWS rows shown)."""
    depth = 1
    while any(r.depth > depth for r in rows) and sum(r.depth <= depth + 1 for r in rows) <= TABLE_ROWS:
        depth += 1
    return depth


def report_payload(report: Report, expand: list[str] | None = None, shape_from_file: bool = False) -> dict:
    """The whole answer of ``POST /api/analyze`` for a model that was read; ``expand``: the blocks the
    diagram draws open (None: its default)."""
    from nncalc.render import RenderOptions, render
    from nncalc.render.json import report_dict
    from nncalc.web.diagram import layout, svg_of

    per_value = _bytes_per_value(report)
    rows = report.layers
    parent_of = parents(rows)
    kids = children(parent_of)
    values = _block_values(rows, kids)
    shown = visible_rows(report)
    drawing = layout(report, set(expand) if expand is not None else None)
    table = []
    for index, (row, item) in enumerate(zip(rows, shown)):
        parent = rows[parent_of[index]] if parent_of[index] >= 0 else None
        latex = _row_latex(row)
        if kids[index] and row.params and not row.shared:
            latex.insert(0, sum_latex(report, kids, index) or rf"\text{{Params}} = {row.params:,}".replace(",", "{,}"))
        table.append({
            "index": index,
            "label": row_label(row),
            "short": _short_label(row, parent),
            "parent": parent_of[index],
            "name": row.name,
            "type": row.type,
            "depth": row.depth,
            "is_leaf": row.is_leaf,
            "output_shape": format_shapes(row.output_shapes, report.framework),
            "params": row_params(row),
            "macs": format_si(item.macs) if row.called or kids[index] else "--",
            "memory": format_bytes(values[index] * per_value) if values[index] else "--",
            "formula": row.formula.worked() if row.formula is not None else "",
            "latex": latex,
            "line": row.location.line if row.location else None,
            "shared": row.shared,
            "supported": row.rule,
        })
    return {
        "ok": True,
        "framework": report.framework,
        "model": report.model_name,
        "total_params": report.total_params,
        "rows": table,
        "open_depth": _open_depth(rows),
        "totals": [{"label": label, "value": value} for label, value in total_lines(report)],
        "total_latex": sum_latex(report, kids) or total_latex(report),
        "total_latex_narrow": sum_latex(report, kids, line_chars=30) or total_latex(report),
        "notes": [for_the_page(note, shape_from_file) for note in report.notes],
        "report": report_dict(report),
        "exports": {
            "markdown": render(report, "markdown", RenderOptions(columns=MARKDOWN_COLUMNS)) + "\n"
            + render(report, "explain-markdown"),
            "latex": render(report, "explain-latex"),
            "json": render(report, "json"),
        },
        "svg": svg_of(drawing),
        "diagram_open": sorted(drawing.opened),
        "summary": f"{format_count(report.total_params)} parameters",
    }


def error_payload(err: NncalcError, filename: str, shape_from_file: bool = False) -> dict:
    """A user's error: the message, the line and column to mark, the hint, and all of it as one text.

    Errors found before interpretation (NUL bytes, size) name the source ``<string>:LINE`` in their message,
    without a location: they are given the file's name and their line here.
    """
    location = err.location if err.location is not None and err.location.file == filename else None
    message = for_the_page(err.message, shape_from_file)
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
        "hint": for_the_page(err.hint, shape_from_file),
        "line": line,
        "column": column,
        "text": f"{place}: {message}" if place else message,
    }
