"""The summary table as plain lines, laid out exactly as rich lays out nncalc's table when nothing is folded.

Why: rich's Table measures and renders every cell through several layers of objects, about a millisecond per
row (ten seconds for a 10,000-layer model), and importing rich is a third of a small model's whole run. When
nothing needs folding (always without a terminal: the table then grows to fit its content), the same text is
made here in one pass over the rows, and piped output does not import rich at all. Anything rich would render
differently (markup, emoji codes, wide or control characters, a line to wrap) falls back to rich.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata

from nncalc.render import COLUMNS, general_formulas, total_lines, visible_rows
from nncalc.report import Report

_RICH_SYNTAX = re.compile(r"\[[a-z#/@]|:[\w+\-]+:")  # markup tags and emoji codes, which rich would replace


class TableContent:
    """What the table shows: its title, (header, right-aligned) per column, and (cells, style) per row.

    A plain class, not a dataclass: making a dataclass compiles its methods when the module is imported, about
    a millisecond on every start of the command line.
    """

    __slots__ = ("title", "headers", "rows")

    def __init__(self, title: str, headers: list[tuple[str, bool]], rows: list[tuple[list[str], str | None]]):
        self.title, self.headers, self.rows = title, headers, rows


def table_content(report: Report, depth: int | None, fold: bool, columns) -> TableContent:
    """The cells of the table, shared by the rich table and the plain lines."""
    shown = visible_rows(report, depth, fold)
    title = f"Model: {report.model_name} ({'PyTorch' if report.framework == 'pytorch' else 'Keras'})"
    headers = [("Layer (type)", False)] + [(COLUMNS[name][0], COLUMNS[name][1]) for name in columns]
    rows = []
    for item in shown:
        row = item.row
        label = "  " * max(row.depth - 1, 0) + item.label
        style = "red" if not row.rule else ("dim" if not row.called else None)
        rows.append(([label, *(COLUMNS[name][2](item, report.framework) for name in columns)], style))
    return TableContent(title, headers, rows)


def _one_cell_per_char(text: str) -> bool:
    """Every character takes one terminal cell, so ``len`` is the width rich would measure."""
    for char in set(text):
        if char.isascii():
            if char < " " or char == "\x7f":
                return False
        elif unicodedata.east_asian_width(char) in "WF" or unicodedata.category(char)[0] in "CMZ" and char != " ":
            return False
    return True


def terminal_width() -> int:
    """The width rich gives a console that is not told one: ``COLUMNS``, else a standard stream's terminal, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (OSError, ValueError):
            continue
    return 80


def plain_lines(report: Report, depth: int | None, fold: bool, columns, width: int) -> str | None:
    """The table, the per-type formulas, totals and notes as rich prints them to a non-terminal console of
    ``width`` columns (which grows to the table's width); None when only rich can render them faithfully."""
    content = table_content(report, depth, fold, columns)
    if not content.rows:
        return None
    formulas = [f" {kind}: params = {symbols}" for kind, symbols in general_formulas(report)]
    after = [*formulas, *(f" {label}: {value}" for label, value in total_lines(report)),
             *(f" Note: {note}" for note in report.notes)]
    texts = "\n".join([content.title, *(h for h, _ in content.headers), *after,
                       *("\n".join(cells) for cells, _ in content.rows)])
    if _RICH_SYNTAX.search(texts) or not _one_cell_per_char(texts.replace("\n", "")):
        return None
    widths = [max(len(header), max(len(cells[i]) for cells, _ in content.rows))
              for i, (header, _) in enumerate(content.headers)]
    table_width = sum(widths) + 3 * len(widths) - 1
    width = max(width, table_width)
    if len(content.title) > table_width or any(len(line) > width for line in formulas):  # rich would wrap them
        return None
    aligned = [(w, right) for w, (_, right) in zip(widths, content.headers)]

    def line(cells: list[str]) -> str:
        return " " + "   ".join(c.rjust(w) if right else c.ljust(w) for c, (w, right) in zip(cells, aligned)) + " "

    out = [content.title.ljust(table_width), line([h for h, _ in content.headers]), "─" * table_width]
    out += [line(cells) for cells, _ in content.rows]
    return "\n".join(out + after) + "\n"


def stdout_is_plain() -> bool:
    """stdout is neither a terminal nor forced to act as one (rich's FORCE_COLOR, TTY_COMPATIBLE) nor Jupyter."""
    forced = any(os.environ.get(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"))
    return not forced and "ipykernel" not in sys.modules and not sys.stdout.isatty()
