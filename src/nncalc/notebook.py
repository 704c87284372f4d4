"""Jupyter notebooks (``.ipynb``): their code cells, in order, as the interpreter reads them.

IPython's own syntax is not Python: line magics (``%matplotlib inline``), shell lines (``!pip install …``),
help lines (``model?``) and cell magics (``%%time``) are dropped before a cell is parsed. A cell magic whose
body is not Python (``%%bash``, ``%%writefile``, ``%%html`` …) drops the whole cell; ``%%time``, ``%%capture``
and the like keep their body. A line that assigns a magic's or a shell command's output
(``files = !ls``) binds None. Each cell keeps its own line numbers: messages say ``nb.ipynb:cell 7:3:1``
(cells are numbered from 1, markdown cells included, as notebook editors show them).

:func:`notebook_script` gives the same cells as one Python script in the percent format (``# %% [cell 7]``
before each cell, as VS Code and Jupytext write it), every replaced line keeping its original in a comment:
the web page shows an opened notebook that way.
"""

from __future__ import annotations

import re

from nncalc.errors import InputError
from nncalc.records import dataclass

PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "tensorflow_version"})
"""Cell magics whose body is Python (kept); any other cell magic makes the cell foreign (dropped)."""
_MAGIC_LINE = re.compile(r"^(?P<indent>\s*)(?:[!%]|\?)")
_HELP_LINE = re.compile(r"^\s*[\w.\[\]()]+\?\??\s*$")
_ASSIGNED = re.compile(r"^(?P<head>[ \t]*[\w.,\[\]()*][\w.,\[\]()* \t]*=[ \t]*)[!%]")  # linear: no nesting


@dataclass(frozen=True)
class Cell:
    """A code cell: its number (1-based, all cells counted) and its text with IPython syntax removed."""

    number: int
    text: str


def is_notebook(filename: str) -> bool:
    return filename.endswith(".ipynb")


def read_notebook(data: str, filename: str) -> list[Cell]:
    """The code cells of a notebook's JSON text; a clear :class:`InputError` when it is not a notebook."""
    out = []
    for number, source in _code_cells(data, filename):
        text = python_of_cell(source)
        if text is not None:
            out.append(Cell(number, text))
    return out


def notebook_script(data: str, filename: str) -> str:
    """The notebook's code cells as one percent-format script: a ``# %% [cell N]`` line before each, IPython
    syntax replaced by Python that does the same for nncalc, with the original kept in a comment."""
    parts = []
    for number, source in _code_cells(data, filename):
        parts.append(f"# %% [cell {number}]\n{python_of_cell(source, shown=True)}\n")
    return "\n".join(parts)


def _code_cells(data: str, filename: str) -> list[tuple[int, str]]:
    """``(number, source)`` of each code cell."""
    import json  # only notebooks need it: not imported at every start

    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as err:
        raise InputError(f"{filename}: not a Jupyter notebook (its JSON does not parse: {_short(err)})") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise InputError(f"{filename}: not a Jupyter notebook (no \"cells\" list); save it from Jupyter as .ipynb")
    out = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise InputError(f"{filename}: cell {number} has no text source; is this a Jupyter notebook?")
        out.append((number, source))
    return out


def python_of_cell(source: str, shown: bool = False) -> str | None:
    """The cell's text with IPython syntax replaced, same line numbers; None for a foreign cell magic.
    ``shown``: for a reader's eyes, each replaced line keeps its original in a comment and a foreign cell
    is commented out rather than dropped."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split()[0] if first[2:].split() else ""
        if magic not in PYTHON_CELL_MAGICS:
            return "\n".join("# " + line for line in lines) if shown else None
        lines[0] = f"# {lines[0]}" if shown else ""
    out = []
    continued = False
    for line in lines:
        original = f"  # {line.strip()}" if shown else ""
        if continued:
            out.append(f"# {line}" if shown else "")
            continued = line.rstrip().endswith("\\")
            continue
        match = _MAGIC_LINE.match(line)
        assigned = _ASSIGNED.match(line)
        if match:
            out.append(f"{match['indent']}pass{original}")
            continued = line.rstrip().endswith("\\")
        elif assigned:
            out.append(f"{assigned['head']}None{original}")
        elif _HELP_LINE.match(line) and not line.strip().startswith("#"):
            out.append(line[: len(line) - len(line.lstrip())] + "pass" + original)
        else:
            out.append(line)
    return "\n".join(out)


def _short(err: Exception) -> str:
    text = str(err)
    return text if len(text) <= 80 else text[:77] + "…"
