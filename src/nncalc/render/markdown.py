"""A Markdown summary table with totals."""

from __future__ import annotations

from nncalc.render import COLUMNS, DEFAULT_COLUMNS, total_lines, visible_rows

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nncalc.render import RenderOptions
    from nncalc.report import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: Report, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS) -> str:
    """The summary as a GitHub-flavoured Markdown table, then the totals and notes."""
    titles = [COLUMNS[name][0] for name in columns]
    aligns = ["--:" if COLUMNS[name][1] else "---" for name in columns]
    lines = [
        f"**{report.model_name}** ({report.framework})",
        "",
        "| Layer (type) | " + " | ".join(titles) + " |",
        "|---|" + "|".join(aligns) + "|",
    ]
    for item in visible_rows(report, depth, fold):
        label = "&nbsp;&nbsp;" * max(item.row.depth - 1, 0) + _cell(item.label)
        cells = []
        for name in columns:
            text = COLUMNS[name][2](item, report.framework)
            cells.append(f"`{text}`" if name == "formula" and text else _cell(text))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"- {label}: **{value}**" for label, value in total_lines(report))
    lines.extend(f"- Note: {note}" for note in report.notes)
    return "\n".join(lines) + "\n"


def render(report: Report, options: RenderOptions) -> str:
    """The ``markdown`` format: :func:`render_markdown` with the options' depth, fold and columns."""
    return render_markdown(report, options.depth, options.fold, options.columns)
