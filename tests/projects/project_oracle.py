"""The real torch's account of a model of a project: ``python project_oracle.py DIR MODULE EXPRESSION SHAPE
[DTYPE]`` imports ``MODULE`` with ``DIR`` first on ``sys.path`` (as running a script from ``DIR`` would), builds
``EXPRESSION`` in its namespace, runs it on zeros of ``(1, *SHAPE)`` and prints JSON: total and trainable
parameters, output shape. Run in a fresh process by ``test_projects.py``."""

from __future__ import annotations

import importlib
import json
import sys


def main(folder: str, module: str, expression: str, shape: str, dtype: str = "float32") -> dict:
    import torch

    sys.path.insert(0, folder)
    namespace = vars(importlib.import_module(module))
    model = eval(expression, namespace)  # noqa: S307 - our own test projects, run by the oracle only
    model.eval()
    size = tuple(int(d) for d in shape.split(",") if d)
    x = torch.zeros((1, *size), dtype=getattr(torch, dtype))
    with torch.no_grad():
        out = model(x)
    params = {id(p): p for p in model.parameters()}
    return {
        "total": sum(p.numel() for p in params.values()),
        "trainable": sum(p.numel() for p in params.values() if p.requires_grad),
        "output_shape": list(out.shape),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
