"""A Markdown summary table with totals."""

from __future__ import annotations

from nncalc.render import format_shapes, row_label, row_params, total_lines
from nncalc.report import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: Report) -> str:
    """The summary as a GitHub-flavoured Markdown table, then the totals and notes."""
    lines = [
        f"**{report.model_name}** ({report.framework})",
        "",
        "| Layer (type) | Output shape | Param # | Formula |",
        "|---|---|--:|---|",
    ]
    for row in report.layers:
        label = "&nbsp;&nbsp;" * max(row.depth - 1, 0) + _cell(row_label(row))
        formula = f"`{row.formula.worked()}`" if row.formula is not None and not row.shared else ""
        shapes = _cell(format_shapes(row.output_shapes, report.framework))
        lines.append(f"| {label} | {shapes} | {row_params(row)} | {formula} |")
    lines.append("")
    lines.extend(f"- {label}: **{value}**" for label, value in total_lines(report))
    lines.extend(f"- Note: {note}" for note in report.notes)
    return "\n".join(lines) + "\n"
