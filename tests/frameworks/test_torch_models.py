"""Whole model files traced symbolically and run through the real torch: every module call (in the order
calls start), every output shape, the parameters, buffers and conv/linear MACs agree."""

from __future__ import annotations

import math

import pytest

real_torch = pytest.importorskip("torch")

from torch_helpers import MODELS, declared_input_shape, real_namespace, symbolic_namespace  # noqa: E402

from nncalc.frameworks.torch import Module, new_session  # noqa: E402

FILES = sorted(p for p in MODELS.glob("*.py") if p.name.startswith(("torch_", "seed_torch")))


def _build(namespace: dict, base, source: str):
    if "(nn.Module)" not in source:
        return namespace["model"]
    classes = [v for v in namespace.values() if isinstance(v, type) and issubclass(v, base) and v is not base]
    directive = [line.split()[-1] for line in source.splitlines() if line.startswith("# nncalc: model ")]
    chosen = [c for c in classes if c.__name__ == directive[0]] if directive else classes
    return chosen[-1]()


def _real_calls(model, shape):
    """(name, output shapes) of every module call, in start order, from forward pre-hooks and hooks."""
    names = {id(m): n for n, m in model.named_modules()}
    calls, stack = [], []

    def pre(module, args):
        calls.append([names[id(module)], None])
        stack.append(len(calls) - 1)

    def post(module, args, output):
        outputs = output if isinstance(output, tuple) else (output,)
        calls[stack.pop()][1] = [tuple(t.shape) for t in outputs if isinstance(t, real_torch.Tensor)]

    for module in model.modules():
        module.register_forward_pre_hook(pre)
        module.register_forward_hook(post)
    with real_torch.no_grad():
        model(real_torch.zeros(1, *shape))
    return [tuple(c) for c in calls]


def _expected_macs(model, shape) -> int:
    total = 0

    def hook(module, args, output):
        nonlocal total
        if isinstance(module, real_torch.nn.modules.conv._ConvNd):
            total += output.numel() * module.in_channels // module.groups * math.prod(module.kernel_size)
        elif isinstance(module, real_torch.nn.Linear):
            total += output.numel() * module.in_features

    for module in model.modules():
        module.register_forward_hook(hook)
    with real_torch.no_grad():
        model(real_torch.zeros(1, *shape))
    return total


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
    real = _build(real_namespace(source, str(path)), real_torch.nn.Module, source).eval()

    graph = session.trace(ours, [shape], None, None)

    assert [(c.node.name, c.output_shapes) for c in graph.calls] == _real_calls(real, shape)
    weights = graph.root.all_weights()
    assert sum(w.numel for w in weights if w.is_param) == sum(p.numel() for p in real.parameters())
    assert sum(w.numel for w in weights if w.is_param and w.trainable) == sum(
        p.numel() for p in real.parameters() if p.requires_grad
    )
    assert sum(w.numel for w in weights if not w.is_param) == sum(b.numel() for b in real.buffers())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in real.named_modules()]
    assert sum(c.macs for c in graph.calls) == _expected_macs(real, shape)


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
