"""The terminal table (rich): layer, output shape, parameters and the formula behind them, then the totals."""

from __future__ import annotations

import io

from nncalc.render import COLUMNS, DEFAULT_COLUMNS, general_formulas, total_lines, visible_rows
from nncalc.report import Report


def build_table(report: Report, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS):
    """A rich Table of the report's rows down to ``depth``, identical sibling blocks folded with ``fold``."""
    from rich import box
    from rich.table import Table

    shown = visible_rows(report, depth, fold)
    title = f"Model: {report.model_name} ({'PyTorch' if report.framework == 'pytorch' else 'Keras'})"
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    table.add_column("Layer (type)", overflow="fold")
    cells = [[COLUMNS[name][2](item, report.framework) for name in columns] for item in shown]
    for i, name in enumerate(columns):
        title_text, right, _ = COLUMNS[name]
        if name == "formula":
            table.add_column(title_text, overflow="fold")
        else:
            width = max((len(row[i]) for row in cells), default=0)
            table.add_column(title_text, justify="right" if right else "left", no_wrap=True, min_width=width)
    for item, row_cells in zip(shown, cells):
        row = item.row
        style = "red" if not row.rule else ("dim" if not row.called else None)
        table.add_row("  " * max(row.depth - 1, 0) + item.label, *row_cells, style=style)
    return table


def print_table(
    report: Report, console=None, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS
) -> None:
    """Print the table, totals and notes to a rich console (stdout by default)."""
    from rich.console import Console

    console = console or Console()
    table = build_table(report, depth, fold, columns)
    if not console.is_terminal:  # piped or captured: as wide as the table, so nothing is cut or folded
        console.width = max(console.width, console.measure(table, options=console.options.update_width(10_000)).maximum)
    console.print(table)
    for kind, symbols in general_formulas(report):
        console.print(f" {kind}: params = {symbols}", style="dim", highlight=False)
    for label, value in total_lines(report):
        console.print(f" {label}: {value}", highlight=False, soft_wrap=True)
    for note in report.notes:
        console.print(f" Note: {note}", style="italic", highlight=False, soft_wrap=True)


def render_text(
    report: Report, width: int = 120, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS
) -> str:
    """The table as plain text (no colours), for ``str(report)``."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    print_table(report, console, depth, fold, columns)
    return buffer.getvalue()
