"""The terminal table: layer, output shape, parameters and the formula behind them, then the totals.

The text is laid out by :mod:`nncalc.render.plain_table` to the terminal's width (120 columns when the output
is piped, or ``--width``); on a terminal it is coloured with ANSI styles unless ``NO_COLOR`` is set.
"""

from __future__ import annotations

import os
import sys

from nncalc.render import DEFAULT_COLUMNS, RenderOptions
from nncalc.render.plain_table import PIPED_WIDTH, layout, plain_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nncalc.report import Report

_STYLES = {"title": "\x1b[3m", "header": "\x1b[1m", "dim": "\x1b[2m", "note": "\x1b[3m"}
_RESET = "\x1b[0m"


def print_table(report: Report, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS,
                width: int | None = None, file=None) -> None:
    """Print the table, totals and notes to ``file`` (stdout by default), fitted to ``width`` (default: the
    terminal's, else :data:`~nncalc.render.plain_table.PIPED_WIDTH`)."""
    out = file or sys.stdout
    out.write(render(report, RenderOptions(depth, fold, columns, width, stream=out)))


def render(report: Report, options: RenderOptions) -> str:
    """The ``table`` format: the table, totals and notes as :func:`print_table` writes them to
    ``options.stream`` (None: not a terminal), ending in a newline."""
    terminal = _is_terminal(options.stream)
    lines = layout(report, options.depth, options.fold, options.columns,
                   options.width or output_width(options.stream, terminal))
    if _colours(terminal):
        text = "\n".join(f"{_STYLES[style]}{line}{_RESET}" if style and line else line for line, style in lines)
    else:
        text = "\n".join(line for line, _ in lines)
    return text + "\n"


def render_plain(report: Report, options: RenderOptions) -> str:
    """The ``plain`` format: the table without colours, ``options.width`` wide (default :data:`PIPED_WIDTH`),
    ending in a newline."""
    return plain_lines(report, options.depth, options.fold, options.columns, options.width or PIPED_WIDTH)


def render_text(
    report: Report, width: int = PIPED_WIDTH, depth: int | None = None, fold: bool = False, columns=DEFAULT_COLUMNS
) -> str:
    """The table as plain text (no colours), for ``str(report)``."""
    return plain_lines(report, depth, fold, columns, width)


def output_width(out, terminal: bool) -> int:
    """A terminal's width (``COLUMNS`` first, as shells set it), else :data:`PIPED_WIDTH` (or ``COLUMNS`` when
    narrower)."""
    columns = os.environ.get("COLUMNS", "")
    given = int(columns) if columns.isdigit() and int(columns) > 0 else None
    if not terminal:
        return min(given or PIPED_WIDTH, PIPED_WIDTH)
    if given:
        return given
    try:
        return os.get_terminal_size(out.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


def _is_terminal(out) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def _colours(terminal: bool) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return terminal and os.environ.get("TERM") != "dumb"
