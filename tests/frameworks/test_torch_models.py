"""Whole model files traced symbolically and run through the real torch: every module call (in the order
calls start), every output shape, the parameters, buffers and conv/linear MACs agree."""

from __future__ import annotations

import pytest

real_torch = pytest.importorskip("torch")

import oracle  # noqa: E402
from torch_helpers import MODELS, symbolic_namespace  # noqa: E402
from torch_real import choose_model, facts_in_fresh_process  # noqa: E402

from nncalc.analysis import split_dtype
from nncalc.frameworks.torch import Module, new_session  # noqa: E402

FILES = sorted(p for p in MODELS.glob("*.py") if p.name.startswith(("torch_", "seed_torch")))


@pytest.fixture(scope="module")
def real_facts() -> dict:
    """The real torch's account of every model file (see :mod:`torch_real`), from one fresh process."""
    return facts_in_fresh_process(FILES)


def _interpreted_namespace(source: str, session, filename: str) -> dict:
    interpreter = pytest.importorskip("nncalc.interpreter")
    prelude = None if "import" in source else session.snippet_names
    return interpreter.run_source(source, filename, modules=session.modules, prelude=prelude)


@pytest.mark.parametrize("reader", ["python", "interpreter"])
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_model_file_matches_torch(path, reader, real_facts):
    """``python`` runs the file over the symbolic API directly; ``interpreter`` reads it the way nncalc does."""
    source = path.read_text()
    directives = oracle.read_directives(path)
    session = new_session()
    read = symbolic_namespace if reader == "python" else _interpreted_namespace
    ours = choose_model(read(source, session, str(path)), Module, source)
    real = real_facts[path]
    assert "error" not in real, real.get("error")

    input_dtype, _ = split_dtype(directives.dtype)  # one dtype, or one per input (float32,int64)
    graph = session.trace(ours, list(directives.input_shapes), None, input_dtype)

    assert [[c.node.name, [list(s) for s in c.output_shapes]] for c in graph.calls] == real["calls"]
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
