"""A Keras model (nncalc's symbolic one, as built from the file) → :class:`~nncalc.convert.ir.Program`.

Sequential and functional models keep the record of every layer call with its input and output tensors; the
program follows those records. Nested models are inlined; a subclassed model (``call`` written by the user)
has no such graph and is reported.
"""

from __future__ import annotations

from nncalc.convert.ir import Op, Problem, Program
from nncalc.convert.mapping import BY_KERAS, ReadContext, Unconvertible
from nncalc.errors import InputError

ATTENTION_KINDS = ("multi_head_attention", "attention")


def read_keras(model, file: str) -> Program:
    """The program of a built Keras model."""
    graph = getattr(model, "_graph", None)
    if graph is None:
        raise InputError(f"{file}: `{model.name}` is a subclassed Keras model (its own call()); nncalc converts "
                         "Sequential and functional models", hint="rewrite it with keras.Input and layer calls")
    program = Program("keras", model.name, file)
    ids: dict[int, int] = {}
    for tensor in graph.flat_inputs:
        value = program.new_value(tensor.shape[1:], tensor.dtype)
        ids[id(tensor)] = value
        program.inputs.append(value)
    _read_records(program, graph.records, ids, set(), not model.trainable)
    program.outputs = [ids[id(t)] for t in graph.flat_outputs]
    return program


def _read_records(program: Program, records, ids: dict[int, int], seen: set[int], frozen: bool) -> None:
    for record in records:
        layer = record.layer
        inner = getattr(layer, "_graph", None)
        if inner is not None:  # a nested model: its layers, wired to this call's tensors
            for outer, inside in zip(record.inputs, inner.flat_inputs):
                ids[id(inside)] = ids[id(outer)]
            _read_records(program, inner.records, ids, seen, frozen or not layer.trainable)
            for outer, inside in zip(record.outputs, inner.flat_outputs):
                ids[id(outer)] = ids[id(inside)]
            continue
        inputs = _inputs(record)
        for tensor in inputs:
            if id(tensor) not in ids:
                ids[id(tensor)] = program.new_value(tensor.shape[1:], tensor.dtype)
        outputs = []
        for tensor in record.outputs:
            ids[id(tensor)] = program.new_value(tensor.shape[1:], tensor.dtype)
            outputs.append(ids[id(tensor)])
        line = record.location.line if record.location else None
        kind, attrs = _read_layer(program, layer, inputs, record.outputs, line)
        if (frozen or not layer.trainable) and layer.weights:
            attrs["frozen"] = True
        program.ops.append(Op(kind, layer.name, type(layer).__name__, attrs, [ids[id(t)] for t in inputs], outputs,
                              line, shared=id(layer) in seen))
        seen.add(id(layer))


def _read_layer(program: Program, layer, inputs, outputs, line) -> tuple[str, dict]:
    kind_name = type(layer).__name__
    mapping = BY_KERAS.get(kind_name) if getattr(layer, "_builtin", False) else None
    if mapping is None or mapping.read_keras is None:
        reason = "a custom layer: its call() is not converted" if not getattr(layer, "_builtin", False) else \
            "no PyTorch equivalent in nncalc's mapping table"
        program.problems.append(Problem(layer.name, kind_name, line, reason))
        return "unconvertible", {"reason": reason}
    ctx = ReadContext([t.shape[1:] for t in inputs], [t.shape[1:] for t in outputs])
    try:
        attrs = mapping.read_keras(layer, ctx)
    except Unconvertible as why:
        program.problems.append(Problem(layer.name, kind_name, line, str(why)))
        return "unconvertible", {"reason": str(why)}
    return mapping.kind, attrs


def _inputs(record) -> list:
    """The call's tensors in their roles: for attention layers (query, value, key), else as recorded."""
    if BY_KERAS.get(type(record.layer).__name__) is None or \
            BY_KERAS[type(record.layer).__name__].kind not in ATTENTION_KINDS or record.arguments is None:
        return list(record.inputs)
    args, kwargs = record.arguments
    first = args[0]
    if isinstance(first, (list, tuple)):  # Attention([query, value, key])
        return list(first)
    query = first
    value = args[1] if len(args) > 1 else kwargs.get("value", query)
    key = args[2] if len(args) > 2 else kwargs.get("key")
    return [query, value] + ([key] if key is not None else [])
