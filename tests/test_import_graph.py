"""The package's import graph, read from the source (an AST walk of ``src/nncalc``, nothing imported): no two
modules import each other, directly or round a loop, at module level; no two folders do at any level, imports
inside functions included; and no module takes a private name (``_safe``) from another folder's module.

A folder is a package's own files (``render/`` is ``render/*.py``, not its subfolders); each module at the top
of the package (``report.py``, ``cli.py``) counts as a folder of its own, since the top folder holds every
layer. Imports under ``if TYPE_CHECKING:`` are for type checkers only and never run: they are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "nncalc"

KNOWN_FOLDER_CYCLES: dict[frozenset[str], str] = {}
"""Folder cycles that stand for now, each with the reason; keep this short."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(name: str) -> bool:
    return (SRC.joinpath(*name.split(".")) / "__init__.py").is_file()


def is_module(name: str) -> bool:
    return is_package(name) or SRC.joinpath(*name.split(".")).with_suffix(".py").is_file()


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path) -> list[tuple[str, bool]]:
    """The nncalc modules ``path`` imports, each with whether the import runs when the module is imported
    (module level, a class body, a module-level ``try`` or ``if``) rather than inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.orelse:
                visit(child, top)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, top) for alias in node.names if alias.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base.split(".")[0] == PACKAGE:
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    found.append((target if is_module(target) else base, top))
        inner = top and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), True)
    return found


def graph() -> dict[str, list[tuple[str, bool]]]:
    return {module_name(p): imports(p) for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def folder(module: str) -> str:
    """The folder a module stands in (see the module docstring)."""
    if module.count(".") == 1 and not is_package(module):
        return module
    return module if is_package(module) else module.rpartition(".")[0]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def describe(component: list[str], edges: dict[str, set[str]]) -> str:
    inside = set(component)
    arrows = [f"{a} -> {b}" for a in component for b in sorted(edges.get(a, ())) if b in inside]
    return "{" + ", ".join(component) + "}: " + "; ".join(arrows)


def test_no_module_level_cycle():
    edges: dict[str, set[str]] = {}
    for module, targets in graph().items():
        edges[module] = {target for target, top in targets if top and target != module}
    found = cycles(edges)
    assert not found, "modules that import each other at module level:\n" + "\n".join(
        describe(c, edges) for c in found)


def test_no_folder_cycle():
    edges: dict[str, set[str]] = {}
    for module, targets in graph().items():
        source = folder(module)
        edges.setdefault(source, set()).update(folder(t) for t, _ in targets if folder(t) != source)
    found = [c for c in cycles(edges) if frozenset(c) not in KNOWN_FOLDER_CYCLES]
    assert not found, "folders that import each other (function-level imports included):\n" + "\n".join(
        describe(c, edges) for c in found)


def test_no_private_name_from_another_folder():
    found = []
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        here = folder(module_name(path))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith(PACKAGE):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private and folder(node.module) != here:
                    found.append(f"{module_name(path)}: from {node.module} import {', '.join(private)}")
    assert not found, "private names used from another folder (make them public or move the code):\n" + \
        "\n".join(found)


def test_the_walk_sees_imports():
    """The walk finds the imports it must: a module-level one, a function-level one, none under TYPE_CHECKING."""
    report = dict(imports(SRC / PACKAGE / "report.py"))
    assert report["nncalc.graph"] is True
    assert report["nncalc.render"] is False
    assert "nncalc.report" not in dict(imports(SRC / PACKAGE / "render" / "json.py"))
