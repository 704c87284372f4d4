"""Test helpers: run a model file's text over nncalc's symbolic torch or over the real torch.

The symbolic run stands in for the interpreter (which is not needed to test the API): the file's imports are
answered from the session's namespaces, never from the real torch.
"""

from __future__ import annotations

import builtins
from pathlib import Path

MODELS = Path(__file__).resolve().parents[1] / "models"


def symbolic_namespace(source: str, session, filename: str = "<model>") -> dict:
    """Execute ``source`` with ``import torch…`` bound to the session's symbolic modules."""
    modules = session.modules

    def fake_import(name, globals=None, locals=None, fromlist=(), level=0):
        if name in modules:
            if fromlist:
                return modules[name]
            return modules[name.split(".")[0]]
        return builtins.__import__(name, globals, locals, fromlist, level)

    namespace = {"__builtins__": {**vars(builtins), "__import__": fake_import}, "__name__": "model"}
    namespace.update(session.snippet_names if "import" not in source else {})
    exec(compile(source, filename, "exec", dont_inherit=True), namespace)
    return namespace


def real_namespace(source: str, filename: str = "<model>") -> dict:
    """Execute ``source`` with the real torch (snippet files get ``torch``, ``nn`` and ``F`` bound)."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    namespace = {"__name__": "model", "torch": torch, "nn": nn, "F": F}
    exec(compile(source, filename, "exec", dont_inherit=True), namespace)
    return namespace


def declared_input_shape(source: str) -> tuple:
    """The ``# nncalc: input-shape 3,32,32`` comment of a model file."""
    for line in source.splitlines():
        if line.startswith("# nncalc: input-shape"):
            return tuple(int(v) for v in line.split()[-1].split(","))
    raise ValueError("no input-shape comment")


def real_layer(name: str, args: tuple, kwargs: dict, shape: tuple):
    """The real ``torch.nn.<name>(*args, **kwargs)`` in eval mode and its output on zeros of ``shape``."""
    import torch

    module = getattr(torch.nn, name)(*args, **kwargs).eval()
    with torch.no_grad():
        out = module(torch.zeros(shape))
    return module, out


def row_id(row) -> str:
    """A readable test id for a rule-table row: ``Conv2d(3, 8, 3)-[1, 3, 8, 8]``."""
    name, args, kwargs, shape = row
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})-{list(shape)}"
