"""The summary table laid out to fit a width: a terminal's, or 120 columns when the output is piped.

A row's label is its last name under its parent's indentation (``conv1 (Conv2d)`` under ``0 (Bottleneck)``
under ``layer1 (Sequential)``: the full dotted name ``layer1.0.conv1`` would repeat what the indentation
shows). When the table is wider than the width, in this order: the columns move closer, the formula column is
left out (each layer type's formula is still printed under the table, and a line says how to see the
column), labels are cut with ``…`` (the layer's type kept), and text columns (shapes) wrap between words.
Totals and notes wrap between words too, under a hanging indent. No line ends in spaces.

The layout is pure text; :mod:`nncalc.render.table` adds colours on a terminal.
"""

from __future__ import annotations

import re
import unicodedata

from nncalc.render import COLUMNS, general_formulas, row_label, total_lines, visible_rows

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nncalc.report import Report

PIPED_WIDTH = 120
"""Width of the table when the output is not a terminal (a file, a pipe, a notebook), unless given."""
MIN_WIDTH = 40
"""Narrowest layout: below it the lines are as for this width."""
_MIN_LABEL = 16
_GAP = 3
_NARROW_GAP = 2
_WRAPPING = ("input_shape", "output_shape", "formula", "rf")  # text columns that may wrap between shapes
_DROPPED_FIRST = ("formula", "rf", "flops", "activations", "trainable", "input_shape", "macs")
"""Columns left out when the table is too wide, in this order; the label, output shape and parameters stay."""


class TableContent:
    """What the table shows: its title, the column names (``label`` first), (header, right-aligned) per
    column, and (cells, style) per row.

    A plain class, not a dataclass: making a dataclass compiles its methods when the module is imported, about
    a millisecond on every start of the command line.
    """

    __slots__ = ("title", "names", "headers", "rows")

    def __init__(self, title: str, names: list[str], headers: list[tuple[str, bool]],
                 rows: list[tuple[list[str], str | None]]):
        self.title, self.names, self.headers, self.rows = title, names, headers, rows


def table_content(report: Report, depth: int | None, fold: bool, columns) -> TableContent:
    """The cells of the table: labels are short names under their parent's indentation."""
    title = f"Model: {report.model_name} ({'PyTorch' if report.framework == 'pytorch' else 'Keras'})"
    headers = [("Layer (type)", False)] + [(COLUMNS[name][0], COLUMNS[name][1]) for name in columns]
    rows = []
    parents: list[tuple[int, str]] = []  # (depth, name) of the rows enclosing the current one
    for item in visible_rows(report, depth, fold):
        row = item.row
        while parents and parents[-1][0] >= row.depth:
            parents.pop()
        parent = parents[-1][1] if parents and parents[-1][0] == row.depth - 1 else ""
        parents.append((row.depth, row.name))
        label = "  " * max(row.depth - 1, 0) + _short_label(item, parent)
        style = "dim" if not row.called else None
        rows.append(([label, *(COLUMNS[name][2](item, report.framework) for name in columns)], style))
    return TableContent(title, ["label", *columns], headers, rows)


def _short_label(item, parent: str) -> str:
    """``conv1 (Conv2d)`` for ``layer1.0.conv1`` under ``layer1.0``; ``0–2 (Bottleneck) × 3`` folded."""
    row = item.row

    def short(name: str) -> str:
        return name[len(parent) + 1:] if parent and name.startswith(parent + ".") else name

    if item.count == 1:
        return row_label(row) if not row.name else f"{short(row.name)} ({row.type})"
    return f"{short(row.name)}–{short(item.last_name)} ({row.type}) × {item.count}"


def width_of(text: str) -> int:
    """Terminal cells ``text`` takes: wide (East Asian) characters two, combining marks none."""
    if text.isascii():
        return len(text)
    cells = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        cells += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return cells


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending in ``…`` when cut."""
    if width_of(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        cells = width_of(char)
        if used + cells > width - 1:
            break
        out.append(char)
        used += cells
    return "".join(out).rstrip() + "…"


def _cut_label(label: str, width: int) -> str:
    """A label in ``width`` cells: the type cut (``transformer (Modu…``) when the name fits, else the name."""
    if width_of(label) <= width:
        return label
    body = label.lstrip(" ")
    indent = label[: len(label) - len(body)]
    name, paren, kind = body.partition(" (")
    room = width - len(indent)
    if paren and width_of(name) + 4 <= room:
        return indent + name + " " + _cut(paren.strip() + kind, room - width_of(name) - 1)
    return indent + _cut(body, room) if room >= 2 else _cut(label, width)


_GLUED = re.compile(r"`[^`\n]*`|\d[\d,.]*\s(?:B|KiB|MiB|GiB|TiB|K|M|G|T|P)\b")
"""Kept on one line when they fit: code spans and a number with its unit (``14.01 KiB``, ``1.50 M``)."""


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words (a code span or a number with its
    unit stays whole when it fits); lines after the first start with ``indent`` spaces, the first keeps the
    text's own leading spaces. A word longer than a line is cut with ``…``."""
    body = text.lstrip(" ")
    words: list[str] = []
    for word in _GLUED.sub(lambda m: m.group(0).replace(" ", "\x00"), body).split():
        whole = word.replace("\x00", " ")
        words.extend(whole.split() if width_of(whole) > width - indent else [whole])
    lines: list[str] = []
    line = text[: len(text) - len(body)]
    for word in words:
        if line.strip():
            if width_of(line) + 1 + width_of(word) <= width:
                line += " " + word
                continue
            lines.append(line)
            line = " " * indent
        if width_of(line) + width_of(word) > width:
            word = _cut(word, max(width - width_of(line), 2))
        line += word
    lines.append(line)
    return [entry.rstrip() for entry in lines]


def _table_width(widths: list[int], gap: int) -> int:
    return sum(widths) + gap * (len(widths) - 1)


def _fit(content: TableContent, width: int) -> tuple[list[int], list[int], int]:
    """The columns kept (indices), their widths, and the gap between them, for a table of at most ``width``
    columns when it can be (see the module docstring for the order in which room is made)."""
    natural = [max(width_of(text) for text in [header, *(cells[i] for cells, _ in content.rows)])
               for i, (header, _) in enumerate(content.headers)]
    keep = list(range(len(natural)))
    room = width - 1  # a leading space
    if _table_width(natural, _GAP) <= room:
        return keep, natural, _GAP
    header = width_of(content.headers[0][0])
    droppable = [content.names.index(name) for name in _DROPPED_FIRST if name in content.names]
    if "formula" in content.names and len(keep) > 2 and _table_width(natural, _NARROW_GAP) > room:
        keep.remove(content.names.index("formula"))  # rather than wrapped: the types' formulas follow the table
    while True:
        widths = [natural[i] for i in keep]
        if _table_width(widths, _NARROW_GAP) <= room:
            return keep, widths, _NARROW_GAP
        widths = _shrunk(content, keep, widths, room, max(header, _MIN_LABEL))
        dropping = [i for i in droppable if i in keep]
        if _table_width(widths, _NARROW_GAP) <= room or not dropping:
            return keep, _shrunk(content, keep, widths, room, header), _NARROW_GAP
        keep.remove(dropping[0])


def _shrunk(content: TableContent, keep: list[int], widths: list[int], room: int, label: int) -> list[int]:
    """The columns' widths made to fit ``room`` as far as they can: the labels down to ``label`` cells, then
    the text columns wrapped between shapes."""
    widths = list(widths)
    natural = widths[0]
    widths[0] -= max(min(_table_width(widths, _NARROW_GAP) - room, widths[0] - label), 0)
    wrapping = [k for k, i in enumerate(keep) if content.names[i] in _WRAPPING]
    floors = {k: _least(content, keep[k]) for k in wrapping}
    while ((_table_width(widths, _NARROW_GAP) > room or widths[0] < natural)  # wrap rather than cut labels
           and any(widths[k] > floors[k] for k in wrapping)):
        widest = max((k for k in wrapping if widths[k] > floors[k]), key=lambda k: widths[k])
        widths[widest] -= 1
    slack = room - _table_width(widths, _NARROW_GAP)
    if slack > 0:  # what the wrapping freed goes back to the labels
        widths[0] = min(widths[0] + slack, natural)
    return widths


def _least(content: TableContent, index: int) -> int:
    """The narrowest a wrapping column can be: its header, and its longest shape or word."""
    words = [width_of(word) for cells, _ in content.rows for word in _words(cells[index], True)]
    return max([width_of(content.headers[index][0]), *words])


_SHAPE = re.compile(r"[\[(][^\[\]()]*[\])]")


def _words(text: str, whole: bool) -> list[str]:
    """The pieces a cell wraps between: whole shapes (``[1, 64, 768],``) and words, or words alone."""
    if whole:
        text = _SHAPE.sub(lambda m: m.group(0).replace(" ", "\x00"), text)
    return [word.replace("\x00", " ") for word in text.split()]


def _cell_lines(text: str, width: int) -> list[str]:
    """A text cell in lines of ``width``, broken between shapes (or words)."""
    if width_of(text) <= width:
        return [text]
    joined = " ".join(word.replace(" ", "\x00") for word in _words(text, True))
    return [line.replace("\x00", " ") for line in wrap(joined, width)]


def layout(report: Report, depth: int | None, fold: bool, columns, width: int) -> list[tuple[str, str | None]]:
    """The table, the per-type formulas, totals and notes as ``(line, style)`` pairs, every line at most
    ``width`` cells (at least :data:`MIN_WIDTH`) and none ending in a space. Styles: ``title``, ``header``,
    ``red``, ``dim``, ``note`` or None."""
    width = max(width, MIN_WIDTH)
    content = table_content(report, depth, fold, columns)
    out: list[tuple[str, str | None]] = [(_cut(content.title, width), "title")]
    if content.rows:
        keep, widths, gap = _fit(content, width)
        aligned = [(widths[k], content.headers[i][1]) for k, i in enumerate(keep)]
        out.append((_join([content.headers[i][0] for i in keep], aligned, gap), "header"))
        out.append(("─" * (1 + _table_width(widths, gap)), None))
        for cells, style in content.rows:
            shown = [cells[i] for i in keep]
            lines = [[_cut_label(shown[0], widths[0])]] + [
                _cell_lines(text, widths[k]) if content.names[keep[k]] in _WRAPPING else [_cut(text, widths[k])]
                for k, text in enumerate(shown) if k
            ]
            for n in range(max(len(cell) for cell in lines)):
                out.append((_join([cell[n] if n < len(cell) else "" for cell in lines], aligned, gap), style))
        if len(keep) < len(content.names):
            out.extend((line, "dim") for line in wrap(_left_out(content, keep, width), width, 1))
    for kind, symbols in general_formulas(report):
        out.extend((line, "dim") for line in wrap(f" {kind}: params = {symbols}", width, 3))
    for label, value in total_lines(report):
        out.extend((line, None) for line in wrap(f" {label}: {value}", width, 3))
    for note in report.notes:
        out.extend((line, "note") for line in wrap(f" Note: {note}", width, 7))
    return out


def _left_out(content: TableContent, keep: list[int], width: int) -> str:
    """`` The Formula column is left out to fit 80 columns; --width 85 shows it.``"""
    full = 1 + _table_width([max(width_of(t) for t in [h, *(c[i] for c, _ in content.rows)])
                             for i, (h, _) in enumerate(content.headers)], _GAP)
    names = [header for i, (header, _) in enumerate(content.headers) if i not in keep]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    column = "column is" if len(names) == 1 else "columns are"
    return f" The {listed} {column} left out to fit {width} columns; --width {full} shows {'it' if len(names) == 1 else 'them'}."


def _join(cells: list[str], aligned: list[tuple[int, bool]], gap: int) -> str:
    parts = []
    for text, (size, right) in zip(cells, aligned):
        pad = " " * max(size - width_of(text), 0)
        parts.append(pad + text if right else text + pad)
    return (" " + (" " * gap).join(parts)).rstrip()


def plain_lines(report: Report, depth: int | None, fold: bool, columns, width: int) -> str:
    """The laid-out table (see :func:`layout`) as text without colours."""
    return "\n".join(line for line, _ in layout(report, depth, fold, columns, width)) + "\n"
