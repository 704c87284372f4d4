"""The terminal table (rich): layer, output shape, parameters and the formula behind them, then the totals."""

from __future__ import annotations

import io

from nncalc.render import format_shapes, row_label, row_params, total_lines
from nncalc.report import Report


def build_table(report: Report):
    """A rich Table of the report's rows."""
    from rich import box
    from rich.table import Table

    title = f"Model: {report.model_name} ({'PyTorch' if report.framework == 'pytorch' else 'Keras'})"
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    table.add_column("Layer (type)", no_wrap=True)
    table.add_column("Output shape", no_wrap=True)
    table.add_column("Param #", justify="right", no_wrap=True)
    table.add_column("Formula", overflow="fold")
    for row in report.layers:
        indent = "  " * max(row.depth - 1, 0)
        formula = row.formula.worked() if row.formula is not None and not row.shared else ""
        style = "red" if not row.rule else ("dim" if not row.called else None)
        table.add_row(
            indent + row_label(row), format_shapes(row.output_shapes, report.framework), row_params(row), formula,
            style=style,
        )
    return table


def print_table(report: Report, console=None) -> None:
    """Print the table, totals and notes to a rich console (stdout by default)."""
    from rich.console import Console

    console = console or Console()
    console.print(build_table(report))
    for label, value in total_lines(report):
        console.print(f" {label}: {value}", highlight=False)
    for note in report.notes:
        console.print(f" Note: {note}", style="italic", highlight=False)


def render_text(report: Report, width: int = 120) -> str:
    """The table as plain text (no colours), for ``str(report)``."""
    from rich.console import Console

    buffer = io.StringIO()
    print_table(report, Console(file=buffer, width=width, color_system=None, force_terminal=False))
    return buffer.getvalue()
