"""The report's rows as the module tree that the page folds: which row each row sits in."""

from __future__ import annotations

from nncalc.report import Row


def parents(rows: tuple[Row, ...] | list[Row]) -> list[int]:
    """Per row, the index of the row it sits in (-1: the model itself); always an earlier row.

    Rows come in call order, a module before the calls made inside it: a row goes under the nearest earlier
    module of smaller depth that has children (never under a layer). A PyTorch row whose dotted name says
    otherwise (a module its owner holds but never calls, listed after the calls) goes under the module its
    name names.
    """
    out: list[int] = []
    stack: list[int] = []  # the modules with children that are still open
    named: dict[str, int] = {}  # a module with children → its first row
    for index, row in enumerate(rows):
        while stack and rows[stack[-1]].depth >= row.depth:
            stack.pop()
        parent = stack[-1] if stack else -1
        owner = named.get(row.name.rpartition(".")[0]) if "." in row.name else None
        if owner is not None and (parent == -1 or rows[parent].name != rows[owner].name):
            parent = owner
        out.append(parent)
        if not row.is_leaf:
            stack.append(index)
            named.setdefault(row.name, index)
    return out


def children(parent_of: list[int]) -> dict[int, list[int]]:
    """``{row: [its child rows in order]}``, -1 for the model's own."""
    out: dict[int, list[int]] = {-1: []}
    for index, parent in enumerate(parent_of):
        out.setdefault(parent, []).append(index)
        out.setdefault(index, [])
    return out
