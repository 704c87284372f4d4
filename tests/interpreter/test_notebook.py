"""nncalc.notebook: a notebook's code cells, IPython syntax replaced, line numbers kept."""

from __future__ import annotations

import json

import pytest

from nncalc.errors import InputError
from nncalc.notebook import notebook_script, python_of_cell, read_notebook


def notebook(*cells: tuple[str, str]) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                       "cells": [{"cell_type": kind, "metadata": {}, "source": text} for kind, text in cells]})


CELL = "%matplotlib inline\nfiles = !ls data\nif True:\n    !pip install x\nmodel?\nx = 1\n"


def test_ipython_lines_become_python_on_the_same_lines():
    assert python_of_cell(CELL) == "pass\nfiles = None\nif True:\n    pass\npass\nx = 1\n"


def test_shown_cells_keep_the_original_in_a_comment():
    assert python_of_cell(CELL, shown=True) == (
        "pass  # %matplotlib inline\nfiles = None  # files = !ls data\nif True:\n    pass  # !pip install x\n"
        "pass  # model?\nx = 1\n")


def test_foreign_cell_magics_are_dropped_or_commented_out():
    assert python_of_cell("%%bash\nls -l\n") is None
    assert python_of_cell("%%bash\nls -l", shown=True) == "# %%bash\n# ls -l"
    assert python_of_cell("%%time\nx = 1") == "\nx = 1"
    assert python_of_cell("%%time\nx = 1", shown=True) == "# %%time\nx = 1"


def test_the_script_marks_each_code_cell_with_its_number():
    text = notebook(("markdown", "# A model"), ("code", "import torch\n"), ("code", ["%%bash\n", "ls"]),
                    ("code", "x = 2"))
    assert notebook_script(text, "nb.ipynb") == (
        "# %% [cell 2]\nimport torch\n\n\n# %% [cell 3]\n# %%bash\n# ls\n\n# %% [cell 4]\nx = 2\n")
    assert [(cell.number, cell.text) for cell in read_notebook(text, "nb.ipynb")] == [(2, "import torch\n"),
                                                                                     (4, "x = 2")]


@pytest.mark.parametrize("text, says", [("{", "its JSON does not parse"), ("[1, 2]", "no \"cells\" list"),
                                        ('{"cells": [{"cell_type": "code", "source": 3}]}', "cell 1 has no text")])
def test_what_is_not_a_notebook_gets_a_clear_message(text, says):
    for read in (read_notebook, notebook_script):
        with pytest.raises(InputError, match=says):
            read(text, "nb.ipynb")

