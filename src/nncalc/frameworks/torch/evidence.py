"""The input a PyTorch file feeds its model, preferred to the smallest input its layers accept.

Two kinds of evidence, strongest first: the calls the interpreter saw while it ran the file (the model called
at module level; a dummy forward in ``__init__``, seen as the first layer called on a tensor while the model
was built), then what :class:`nncalc.evidence.FileEvidence` reads in code that does not run (``test()``,
``__main__``, summaries and exports, docstrings, comments, datasets). Each is tried in turn; the first the
layers accept is the input, and the note says where it came from. When none fits, the input is inferred as
before (:func:`nncalc.frameworks.torch.infer.infer_input_shapes`) and the note says why the evidence was not
used.
"""

from __future__ import annotations

from nncalc.diagnostics import strict
from nncalc.errors import InterpreterError, ShapeError
from nncalc.evidence import Evidence, FileEvidence, unique
from nncalc.frameworks.torch.infer import InputShapeNeeded, first_layer
from nncalc.frameworks.torch.linear import Linear
from nncalc.frameworks.torch.module import Module
from nncalc.frameworks.torch.state import StateNeeded
from nncalc.frameworks.torch.trace import UNBATCHED, trace, trace_or_unbatched
from nncalc.graph import Graph

_ADVICE = "pass --input-shape to choose another"


def trace_with_evidence(model: Module, text: str, names: set[str], batch: int | None, dtype: str | None,
                        values: dict | None = None) -> Graph:
    """Trace ``model`` on the input its file uses (see the module docstring); ``names`` are the variable,
    class or function names the file reaches the model by, ``values`` the file's module-level values."""
    graph, note, refused = _first_fit(model, text, names, batch, dtype, values)
    if graph is not None:
        graph.notes.insert(0, note)
        return graph
    try:
        graph = trace(model, None, batch, dtype)
    except InputShapeNeeded as error:
        if refused and not isinstance(refused[1], ShapeError):
            raise refused[1] from None  # the file's own input met what nncalc cannot read: that is the reason
        if refused:
            error.message += f"; {refused[0]}"
        raise
    if refused:
        graph.notes.insert(0, f"{refused[0]}, so it is inferred")
    return graph


def input_as_used(model: Module, text: str, names: set[str], dtype: str | None,
                  values: dict | None = None) -> tuple[list | None, str | None]:
    """For ``nncalc check``: the input shapes the file uses and the note saying where they come from; else
    None and why the file's evidence was refused (None without any)."""
    graph, note, refused = _first_fit(model, text, names, None, dtype, values)
    if graph is None:
        return None, refused[0] if refused else None
    if not graph.batched:  # whole shapes: checked again, nncalc's batch fails again and they are taken whole
        return [tuple(shape) for shape in graph.input_shapes], note
    return [tuple(shape[1:]) for shape in graph.input_shapes], note


def _first_fit(model: Module, text: str, names: set[str], batch: int | None, dtype: str | None,
               values: dict | None = None):
    """The graph of the first piece of evidence the model accepts and its note; else None, None and why the
    first one was refused, with its error (None without any)."""
    reader = FileEvidence(text, {n for n in names if n}, values)
    layer = first_layer(model)
    refused = None
    for evidence in unique(runtime_evidence(model, layer, reader) + reader.candidates):
        for shapes, how in _readings(evidence, layer):
            whole = None if evidence.batch is None else [(evidence.batch, *shape) for shape in shapes]
            if batch == UNBATCHED and whole is None:
                continue
            try:
                with strict():
                    if batch == UNBATCHED:
                        graph = trace(model, whole, batch, dtype or evidence.dtype)
                    elif whole is not None and evidence.kind in ("call", "run"):  # the file's own call
                        graph = trace_or_unbatched(model, shapes, batch, dtype or evidence.dtype, whole)
                    else:
                        graph = trace(model, shapes, batch, dtype or evidence.dtype)
            except (ShapeError, InterpreterError, StateNeeded) as error:  # another piece may give every input
                refused = refused or (_refusal(evidence, shapes, error), error)
                continue
            if not graph.batched:
                shapes = whole
            if evidence.kind == "layer" and not _reaches(graph, model, layer, evidence):
                continue
            return graph, _note(evidence, shapes, how, batch if graph.batched else UNBATCHED), None
    return None, None, refused


def runtime_evidence(model: Module, layer: Module | None, reader: FileEvidence) -> list[Evidence]:
    """The inputs the file gave the model, or its first layer, while the interpreter ran it (before any
    trace): a call at module level, or a dummy forward while the model was built."""
    found = []
    for module in (model, layer):
        record = module.__dict__.get("_first_call") if module is not None else None
        if not record or not record[0]:
            continue
        inputs, location = record
        shapes = [shape for shape, _ in inputs]
        if any(len(s) < 2 or not all(isinstance(d, int) for d in s) for s in shapes) or len(
                {s[0] for s in shapes}) != 1:
            continue
        call, label = (reader.call_at(location.line, location.col) if location else None) or ("a call", "")
        where = f"{call} {label} (line {location.line})" if location else call
        if module is not model:
            when = "at module level" if label == "at module level" else "while building the model"
            where = f"the forward the file runs {when}: {where} receives a {_dims(shapes[0])} tensor"
        dtype = _dtypes([kind for _, kind in inputs])
        kind = "run" if module is model else "layer"
        found.append(Evidence([s[1:] for s in shapes], shapes[0][0], where, kind, dtype))
    return found


def _dtypes(kinds: list[str]):
    """The input dtype to trace with: an integer one all inputs share, or one per input where they differ
    (``MaxUnpool2d(y, indices)`` takes floats and int64 indices); None for floats."""
    if len(set(kinds)) > 1:
        return tuple(kinds)
    return kinds[0] if kinds[0].startswith(("int", "uint")) else None


def _reaches(graph: Graph, model: Module, layer: Module, evidence: Evidence) -> bool:
    """The first layer gets, in the model's forward, what the file gave it while building the model: the
    dummy input was the model's input, not something made inside."""
    name = next((n for n, m in model.named_modules() if m is layer), None)
    call = next((c for c in graph.calls if c.node.name == name), None)
    return call is not None and [tuple(s[1:]) for s in call.input_shapes[:1]] == [tuple(evidence.shapes[0])]


def _readings(evidence: Evidence, layer: Module | None):
    """The input shapes to try for one piece of evidence, with how they were read: as given (the channels
    filled in from the first layer when only the size is known); images flattened for a model that starts
    with a linear layer taking exactly their values."""
    shapes = []
    for shape in evidence.shapes:
        if shape and shape[0] is None:
            channels = getattr(layer, "in_channels", None) or getattr(layer, "num_features", None)
            if channels is None:
                return
            shape = (channels, *shape[1:])
        shapes.append(tuple(shape))
    yield shapes, None
    if evidence.kind in ("text", "dataset") and isinstance(layer, Linear) and len(shapes) == 1:
        count = 1
        for d in shapes[0]:
            count *= d
        if count == layer.in_features and len(shapes[0]) > 1:
            yield [(count,)], f"flattened to the {count} features of {layer._describe()}"


def _note(evidence: Evidence, shapes: list[tuple], how: str | None, batch: int | None) -> str:
    note = f"input shape {_shapes(shapes)} from {evidence.source}"
    if how:
        note += f", {how}"
    if batch is None and evidence.batch not in (None, 1):  # (UNBATCHED: the file's first size is no batch)
        note += f"; the file uses batch {evidence.batch}, shown for batch 1 (--batch {evidence.batch} for that)"
    return f"{note}; {_ADVICE}"


def _refusal(evidence: Evidence, shapes: list[tuple], error: Exception) -> str:
    return f"the input {_shapes(shapes)} from {evidence.source} does not fit the model ({error.message})"


def _shapes(shapes: list[tuple]) -> str:
    return " and ".join(_dims(s) if len(s) > 1 else f"({s[0]},)" for s in shapes)


def _dims(shape) -> str:
    return "×".join(str(d) for d in shape)

