"""A Markdown summary table with totals."""

from __future__ import annotations

from nncalc.render import format_shapes, total_lines, visible_rows
from nncalc.report import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: Report, depth: int | None = None, fold: bool = False) -> str:
    """The summary as a GitHub-flavoured Markdown table, then the totals and notes."""
    lines = [
        f"**{report.model_name}** ({report.framework})",
        "",
        "| Layer (type) | Output shape | Param # | Formula |",
        "|---|---|--:|---|",
    ]
    for item in visible_rows(report, depth, fold):
        label = "&nbsp;&nbsp;" * max(item.row.depth - 1, 0) + _cell(item.label)
        formula = f"`{item.formula}`" if item.formula else ""
        shapes = _cell(format_shapes(item.row.output_shapes, report.framework))
        lines.append(f"| {label} | {shapes} | {item.params} | {formula} |")
    lines.append("")
    lines.extend(f"- {label}: **{value}**" for label, value in total_lines(report))
    lines.extend(f"- Note: {note}" for note in report.notes)
    return "\n".join(lines) + "\n"
