"""A PyTorch model (nncalc's symbolic one, as built from the file) → :class:`~nncalc.convert.ir.Program`.

The model is traced once more with a :mod:`~nncalc.convert.tape` running, which records every layer call and
functional op of ``forward`` with the tensors it took and gave; tensors are matched by identity.
"""

from __future__ import annotations

from nncalc.convert.ir import Op, Problem, Program
from nncalc.convert.mapping import BY_TORCH, BY_TORCH_OP, ReadContext, Unconvertible
from nncalc.convert.tape import recording

PASS_THROUGH = {"Tensor.contiguous", "Tensor.to", "Tensor.float", "Tensor.clone", "Tensor.detach", "Tensor.cpu",
                "Tensor.cuda", "Tensor.type_as"}
"""Ops that change nothing a converted model needs: their output stands for their input."""


def read_torch(model, session, input_shapes: list[tuple], dtype: str | None, file: str) -> Program:
    """The program of ``model`` traced on inputs of ``input_shapes`` (without batch)."""
    from nncalc.frameworks.torch.containers import ModuleDict, ModuleList, Sequential
    from nncalc.frameworks.torch.module import BUILTIN_CLASSES, Module, tensors_in
    from nncalc.frameworks.torch.tensor import Tensor

    with recording(Module, Tensor, BUILTIN_CLASSES, (Sequential, ModuleList, ModuleDict)) as tape:
        session.trace(model, input_shapes, None, dtype)
    program = Program("pytorch", type(model).__name__, file)
    names: dict = {id(module): name for name, module in Module.named_modules(model)}  # never an override
    names["called"] = {}
    ids: dict[int, int] = {}
    keep = []  # the tensors whose ids are in ``ids``: alive, so no id is reused
    for tensor in tensors_in(tape.inputs):
        ids[id(tensor)] = program.new_value(tensor._shape[1:], tensor._dtype.name)
        program.inputs.append(ids[id(tensor)])
        keep.append(tensor)
    used: set[str] = set()
    for event in tape.events:
        outputs = tensors_in(event.result)
        if not outputs:
            continue
        inputs = tensors_in(list(event.args)) + tensors_in(event.kwargs)
        if event.name in PASS_THROUGH and inputs and inputs[0] is not outputs[0] and id(inputs[0]) in ids:
            ids[id(outputs[0])] = ids[id(inputs[0])]
            keep.append(outputs[0])
            continue
        in_ids = []
        for tensor in inputs:
            if id(tensor) not in ids:
                ids[id(tensor)] = program.new_value(tensor._shape[1:], tensor._dtype.name)
                keep.append(tensor)
                _constant(program, ids[id(tensor)], event.line)
            in_ids.append(ids[id(tensor)])
        out_ids = []
        for tensor in outputs:
            ids[id(tensor)] = program.new_value(tensor._shape[1:], tensor._dtype.name)
            keep.append(tensor)
            out_ids.append(ids[id(tensor)])
        program.ops.append(_op(program, event, names, used, inputs, outputs, in_ids, out_ids))
    result = tensors_in(tape.output)
    program.outputs = [ids[id(t)] for t in result if id(t) in ids]
    return program


def _op(program, event, names, used, inputs, outputs, in_ids, out_ids) -> Op:
    module = event.module
    ctx = ReadContext([t._shape[1:] for t in inputs], [t._shape[1:] for t in outputs])
    if module is not None:
        source_type = type(module).__name__
        mapping = BY_TORCH.get(source_type)
        shared = id(module) in names["called"]
        name = names["called"].get(id(module)) or names.get(id(module)) or source_type.lower()
        reader = mapping.read_torch if mapping else None
        argument = module
    else:
        source_type = event.name
        mapping = BY_TORCH_OP.get(event.name)
        name = _short_name(event.name)
        shared = False
        reader = mapping.read_torch_op if mapping else None
        argument = event
    if not shared:
        name = _unique(name.replace(".", "_"), used)
        if module is not None:
            names["called"][id(module)] = name
    kind, attrs = "unconvertible", {}
    if reader is None:
        reason = "no Keras equivalent in nncalc's mapping table"
    else:
        try:
            found = reader(argument, ctx)
            kind, attrs = found if isinstance(found, tuple) else (mapping.kind, found)
            reason = ""
        except Unconvertible as why:
            reason = str(why)
    if module is not None and not reason:
        from nncalc.frameworks.torch.module import Module

        params = list(Module.parameters(module))  # the file may override parameters()
        if params and not any(p.requires_grad for p in params):
            attrs["frozen"] = True
    if reason:
        attrs = {"reason": reason}
        program.problems.append(Problem(name, source_type, event.line, reason))
    return Op(kind, name, source_type, attrs, in_ids, out_ids, event.line, shared)


def _short_name(op_name: str) -> str:
    """``torch.relu`` → ``relu``; ``Tensor.__add__`` → ``add``; ``F.max_pool2d`` → ``max_pool2d``."""
    short = op_name.rsplit(".", 1)[-1].strip("_")
    return {"radd": "add", "iadd": "add", "rmul": "multiply", "imul": "multiply", "mul": "multiply", "cat": "concat",
            "view": "flatten", "reshape": "reshape"}.get(short, short)


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 0
    while candidate in used:
        n += 1
        candidate = f"{name}_{n}"
    used.add(candidate)
    return candidate


def _constant(program: Program, value: int, line) -> None:
    """A tensor the forward made itself (``torch.zeros``, a parameter used directly): not converted."""
    name = f"constant_{value}"
    reason = "a tensor created inside forward (or a parameter used directly) is not converted"
    program.ops.append(Op("unconvertible", name, "tensor", {"reason": reason}, [], [value], line))
    program.problems.append(Problem(name, "tensor", line, reason))
