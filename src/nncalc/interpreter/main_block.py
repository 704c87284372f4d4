"""The command-line options a script parses in its ``if __name__ == "__main__":`` block.

nncalc never enters that block (it is the script's demo or training run), but many scripts parse their options
there and read them as a global in the model code::

    class Net(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(784, args.hidden)

    if __name__ == "__main__":
        parser = argparse.ArgumentParser()
        parser.add_argument("--hidden", type=int, default=128)
        args = parser.parse_args()
        main()

:func:`option_statements` picks out of the block the statements that build the parser and bind such a global
(``args = parser.parse_args()``, ``args = get_args()`` of a module function that parses them, ``args.cuda = …``); script mode runs them, so ``args``
holds the declared defaults and ``--set args.hidden=64`` applies, as for a parser at module level. Nothing else
of the block runs.
"""

from __future__ import annotations

import ast

PARSER_CALLS = frozenset(
    "ArgumentParser add_argument add_argument_group add_mutually_exclusive_group set_defaults parse_args "
    "parse_known_args".split()
)
"""The ``argparse`` calls that build a parser and read its defaults."""


def is_main_test(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = {_text(test.left), _text(test.comparators[0])}
    return sides == {"__name__", "'__main__'"}


def option_statements(module_body: list[ast.stmt], block: ast.If, bound) -> list[ast.stmt]:
    """The statements of ``block`` (a ``__main__`` block) that parse the options the module's functions and
    classes read as a global the module does not bind (``bound(name)``: it is bound already); none when the
    block binds no such name."""
    wanted = {name for name in _global_reads(module_body) if not bound(name)}
    parsers = {stmt.name for stmt in module_body if isinstance(stmt, ast.FunctionDef) and _parses(stmt)}
    chosen, names = [], set()
    for stmt in block.body:
        targets = _assigned(stmt)
        call = _call_name(stmt)
        if call in PARSER_CALLS or (targets and call in parsers) or _sets_attribute_of(stmt, names):
            chosen.append(stmt)
            names |= targets
    return chosen if names & wanted else []


def _global_reads(body: list[ast.stmt]) -> set[str]:
    """Names loaded inside the module's functions and classes, less those the module binds at its top level."""
    reads, bound = set(), set()
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(stmt.name)
            reads.update(n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load))
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            bound.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in stmt.names)
    return reads - bound


def _parses(function: ast.FunctionDef) -> bool:
    """A module function that parses the options (``def get_args(): …; return parser.parse_args()``)."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in (
        "parse_args", "parse_known_args") for n in ast.walk(function))


def _assigned(stmt: ast.stmt) -> set[str]:
    """The plain names an assignment binds (``args``, ``args, unknown``); empty for anything else."""
    if not isinstance(stmt, ast.Assign):
        return set()
    names = set()
    for target in stmt.targets:
        items = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
        if not all(isinstance(item, ast.Name) for item in items):
            return set()
        names.update(item.id for item in items)
    return names


def _call_name(stmt: ast.stmt) -> str | None:
    value = stmt.value if isinstance(stmt, (ast.Assign, ast.Expr)) else None
    if not isinstance(value, ast.Call):
        return None
    func = value.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _sets_attribute_of(stmt: ast.stmt, names: set[str]) -> bool:
    """``args.cuda = …`` on an options object already bound."""
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return False
    target = stmt.targets[0]
    return isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in names


def _text(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return repr(node.value)
    return ""
