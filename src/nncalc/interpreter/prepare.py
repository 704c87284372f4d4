"""One pass over a parsed file before it runs: what the Python compiler (never called) would reject, and the
locations the evaluator attaches to errors and hands to host code.

``ast.parse`` accepts ``return`` at module level, ``break`` outside a loop, ``yield`` in a comprehension and
``nonlocal`` at module level; CPython's compiler refuses them, and so does this pass, with
:class:`~nncalc.errors.SyntaxProblem` at the node. It also stores a :class:`~nncalc.errors.Location` on every
statement and call node (``node._nnloc``) so the evaluator does not build one per evaluation.
"""

from __future__ import annotations

import ast

from nncalc.errors import Location, SyntaxProblem

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_MESSAGES = {
    ast.Return: "'return' outside function",
    ast.Break: "'break' outside loop",
    ast.Continue: "'continue' not properly in loop",
    ast.Nonlocal: "nonlocal declaration not allowed at module level",
}


def prepare(tree: ast.Module, filename: str, stamp: bool = False) -> None:
    """Check and annotate ``tree`` in place (iteratively: deep nesting is no problem here). ``stamp`` also
    gives every node its file name (``node._nnfile``), for trees of several files run by one interpreter."""
    stack: list[tuple[ast.AST, bool, bool, bool]] = [(node, False, False, False) for node in tree.body]
    while stack:
        node, in_function, in_loop, in_comprehension = stack.pop()
        kind = type(node)
        if stamp:
            node._nnfile = filename
        if isinstance(node, ast.stmt):
            node._nnloc = Location(filename, node.lineno, node.col_offset)
        elif kind is ast.Call:
            node._nnloc = Location(filename, node.lineno, node.col_offset)
            node._nnsimple = all(type(a) is not ast.Starred for a in node.args) and all(
                k.arg is not None for k in node.keywords
            )

        if kind in _FUNCTIONS or kind is ast.Lambda:
            outer = [*getattr(node, "decorator_list", ()), *node.args.defaults]
            outer += [d for d in node.args.kw_defaults if d is not None]
            stack.extend((child, in_function, in_loop, in_comprehension) for child in outer)
            body = [node.body] if kind is ast.Lambda else node.body
            stack.extend((child, True, False, False) for child in body)
            continue
        if kind is ast.ClassDef:
            outer = [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]
            stack.extend((child, in_function, in_loop, in_comprehension) for child in outer)
            stack.extend((child, False, False, False) for child in node.body)
            continue
        if kind in _LOOPS:
            head = [node.test] if kind is ast.While else [node.target, node.iter]
            stack.extend((child, in_function, in_loop, in_comprehension) for child in head + node.orelse)
            stack.extend((child, in_function, True, in_comprehension) for child in node.body)
            continue
        if kind is ast.AnnAssign:
            stack.extend((child, in_function, in_loop, in_comprehension) for child in (node.target, node.value) if child)
            continue
        if kind in _COMPREHENSIONS:
            in_comprehension = True
        elif kind in (ast.Yield, ast.YieldFrom):
            if not in_function:
                raise _problem("'yield' outside function", node, filename)
            if in_comprehension:
                raise _problem("'yield' inside a comprehension", node, filename)
        elif kind in _MESSAGES:
            if not (in_loop if kind in (ast.Break, ast.Continue) else in_function):
                raise _problem(_MESSAGES[kind], node, filename)
        stack.extend((child, in_function, in_loop, in_comprehension) for child in ast.iter_child_nodes(node))


def _problem(message: str, node: ast.AST, filename: str) -> SyntaxProblem:
    return SyntaxProblem(message, Location(filename, node.lineno, node.col_offset))
