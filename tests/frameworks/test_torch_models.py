"""Whole model files traced symbolically and run through the real torch: every module call (in the order
calls start), every output shape, the parameters, buffers and conv/linear MACs agree."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

real_torch = pytest.importorskip("torch")

import oracle  # noqa: E402
from torch_helpers import MODELS, declared_input_shape, real_namespace, symbolic_namespace  # noqa: E402

from nncalc.frameworks.torch import Module, new_session  # noqa: E402

FILES = sorted(p for p in MODELS.glob("*.py") if p.name.startswith(("torch_", "seed_torch")))


def _build(namespace: dict, base, source: str):
    """The model the file means, by the oracle's rules: the ``# nncalc: model NAME`` directive (an instance, a
    class or a function), else the last module-level instance, else the one class no other class uses."""
    directive = [line.split()[-1] for line in source.splitlines() if line.startswith("# nncalc: model ")]
    if directive:
        chosen = namespace[directive[0]]
        return chosen if isinstance(chosen, base) else chosen()
    for name in reversed(oracle._module_level_assignments(ast.parse(source))):
        if isinstance(namespace.get(name), base):
            return namespace[name]
    classes = [v for v in namespace.values() if isinstance(v, type) and issubclass(v, base) and v is not base
               and v.__module__ == namespace.get("__name__", v.__module__)]
    built = {}
    for cls in classes:
        try:
            built[cls] = cls()
        except Exception:  # noqa: BLE001 - a class needing arguments is a building block, not the model
            continue
    used = {type(sub) for model in built.values() for sub in model.modules() if sub is not model}
    extended = {base_ for cls in classes for base_ in cls.__mro__[1:]}
    roots = [model for cls, model in built.items() if cls not in used | extended]
    assert len(roots) == 1, f"cannot choose the model among {[type(m).__name__ for m in roots]}"
    return roots[0]


def _tensors(value) -> list:
    if isinstance(value, real_torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in _tensors(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _tensors(item)]
    return []


@functools.lru_cache(maxsize=None)
def _real_facts(path: Path) -> dict:
    """What the real torch says about a file's model, computed once for both readers: every module call (name,
    output shapes) in start order, the parameter and buffer counts, the module names, and the MACs."""
    source = path.read_text()
    shape = declared_input_shape(source)
    model = _build(real_namespace(source, str(path)), real_torch.nn.Module, source).eval()
    params = list(model.parameters())
    calls, macs = _real_run(model, shape)
    return {
        "calls": calls,
        "params": sum(p.numel() for p in params),
        "trainable": sum(p.numel() for p in params if p.requires_grad),
        "buffers": sum(b.numel() for b in model.buffers()),
        "modules": [n for n, _ in model.named_modules()],
        "macs": macs,
    }


def _real_run(model, shape) -> tuple[list, int]:
    """One real forward pass: (name, output shapes) of every module call in start order, from forward
    pre-hooks and hooks, and the MACs by torch's own count (``FlopCounterMode``: convolutions, transposed ones
    included, linear layers and matrix products; two flops per multiply-accumulate, bias additions not
    counted)."""
    from torch.utils.flop_counter import FlopCounterMode

    names = {id(m): n for n, m in model.named_modules()}
    calls, stack = [], []

    def pre(module, args):
        calls.append([names[id(module)], None])
        stack.append(len(calls) - 1)

    def post(module, args, output):
        calls[stack.pop()][1] = [tuple(t.shape) for t in _tensors(output)]

    for module in model.modules():
        module.register_forward_pre_hook(pre)
        module.register_forward_hook(post)
    counter = FlopCounterMode(display=False)
    with real_torch.no_grad(), counter:
        model(real_torch.zeros(1, *shape))
    flops = counter.get_total_flops()
    assert flops % 2 == 0
    return [tuple(c) for c in calls], flops // 2


def _interpreted_namespace(source: str, session, filename: str) -> dict:
    interpreter = pytest.importorskip("nncalc.interpreter")
    prelude = None if "import" in source else session.snippet_names
    return interpreter.run_source(source, filename, modules=session.modules, prelude=prelude)


@pytest.mark.parametrize("reader", ["python", "interpreter"])
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_model_file_matches_torch(path, reader):
    """``python`` runs the file over the symbolic API directly; ``interpreter`` reads it the way nncalc does."""
    source = path.read_text()
    shape = declared_input_shape(source)
    session = new_session()
    read = symbolic_namespace if reader == "python" else _interpreted_namespace
    ours = _build(read(source, session, str(path)), Module, source)
    real = _real_facts(path)

    graph = session.trace(ours, [shape], None, None)

    assert [(c.node.name, c.output_shapes) for c in graph.calls] == real["calls"]
    weights = graph.root.all_weights()
    assert sum(w.numel for w in weights if w.is_param) == real["params"]
    assert sum(w.numel for w in weights if w.is_param and w.trainable) == real["trainable"]
    assert sum(w.numel for w in weights if not w.is_param) == real["buffers"]
    assert [n for n, _ in ours.named_modules()] == real["modules"]
    assert sum(c.macs for c in graph.calls) == real["macs"]


def test_seed_through_the_interpreter():
    """The seed's text read by the safe interpreter, with the session's names as its prelude."""
    interpreter = pytest.importorskip("nncalc.interpreter")
    run_source = getattr(interpreter, "run_source", None)
    if run_source is None:
        pytest.skip("nncalc.interpreter.run_source is not there yet")
    session = new_session()
    source = (MODELS / "seed_torch.py").read_text()
    namespace = run_source(source, "seed_torch.py", modules=session.modules, prelude=session.snippet_names)
    model = namespace["SimpleCNN"]()
    assert session.is_model_class(namespace["SimpleCNN"]) and session.is_model(model)
    graph = session.trace(model, None, None, None)
    assert graph.input_shapes == [(1, 3, 32, 32)]
    assert [sum(w.numel for w in c.node.weights) for c in graph.calls] == [0, 224, 1168, 0, 401536, 1290]
    assert graph.root.children[0].location.line == 7
