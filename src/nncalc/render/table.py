"""The terminal table (rich): layer, output shape, parameters and the formula behind them, then the totals."""

from __future__ import annotations

import io
import sys

from nncalc.render import DEFAULT_COLUMNS, general_formulas, total_lines
from nncalc.render.plain_table import plain_lines, stdout_is_plain, table_content, terminal_width
from nncalc.report import Report


def build_table(report: Report, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS):
    """A rich Table of the report's rows down to ``depth``, identical sibling blocks folded with ``fold``."""
    from rich import box
    from rich.table import Table

    content = table_content(report, depth, fold, columns)
    table = Table(title=content.title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    table.add_column("Layer (type)", overflow="fold")
    for i, name in enumerate(columns, start=1):
        title_text, right = content.headers[i]
        if name == "formula":
            table.add_column(title_text, overflow="fold")
        else:
            width = max((len(cells[i]) for cells, _ in content.rows), default=0)
            table.add_column(title_text, justify="right" if right else "left", no_wrap=True, min_width=width)
    for cells, style in content.rows:
        table.add_row(*cells, style=style)
    return table


def print_table(
    report: Report, console=None, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS
) -> None:
    """Print the table, totals and notes to a rich console (stdout by default)."""
    if console is None and stdout_is_plain():  # piped: the same text without rich (see plain_table)
        text = plain_lines(report, depth, fold, columns, terminal_width())
        if text is not None:
            sys.stdout.write(text)
            return
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
    text = plain_lines(report, depth, fold, columns, width)
    if text is not None:
        return text
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    print_table(report, console, depth, fold, columns)
    return buffer.getvalue()
