"""Write a :class:`~nncalc.convert.ir.Program` as a PyTorch ``nn.Module`` class.

One layer per line in ``__init__`` under its source name, ``forward`` in execution order, the computed
``in_features`` (``nn.Linear(3136, 128)  # 16 × 14 × 14``), comments where something is not carried over
exactly, and a ``NotImplementedError`` with the reason where a layer has no equivalent.
"""

from __future__ import annotations

import os
import re

from nncalc.convert.ir import Problem, Program, WriteContext, target_shape
from nncalc.convert.mapping import REGISTRY, Unconvertible
from nncalc.convert.mapping.activation import torch_expression
from nncalc.convert.naming import Names, class_name, identifier, placeholder, shape_text


def write_torch(program: Program) -> str:
    """The source text of the converted model."""
    ctx = WriteContext(program, target_last=False)
    names = Names()
    chain = program.is_chain()
    params = []
    for i, value in enumerate(program.inputs):
        params.append(names.assign(value, "x" if len(program.inputs) == 1 else f"x{i}"))
    init: list[str] = []
    forward: list[str] = []
    attrs_of: dict[str, list[str]] = {}
    said: set[str] = set()  # a note is written where it first applies, not at every layer
    for op in program.ops:
        xs = [names.of[v] for v in op.inputs]
        out = "x" if chain else names.assign(op.outputs[0], op.name)
        if chain:
            names.of[op.outputs[0]] = "x"
        for extra in op.outputs[1:]:
            names.assign(extra, op.name)
        code = None
        if op.kind != "unconvertible":
            try:
                code = REGISTRY[op.kind].write_torch(op, ctx)
            except Unconvertible as why:
                op.attrs["reason"] = str(why)
                program.problems.append(Problem(op.name, op.source_type, op.line, str(why)))
        if code is None:
            comment, stop = placeholder(op)
            init.append(comment)
            forward.append(stop)
            continue
        attr = identifier(op.name)
        comments = [c for c in code.comments if c not in said]
        said.update(comments)
        if code.modules and not op.shared:
            init.extend(_init_lines(op, code, attr, comments))
        elif not code.modules:
            forward.extend(f"# {comment}" for comment in comments)
        attrs = attrs_of.setdefault(op.name, [attr + suffix for suffix, _ in code.modules])
        if code.lines is not None:
            forward.extend(code.lines(attrs, xs, out))
            continue
        expression = code.call(attrs, xs)
        activation = op.attrs.get("activation") if REGISTRY[op.kind].takes_activation else None
        if activation not in (None, "linear"):
            try:
                expression = torch_expression(activation, expression, op.attrs, program.values[op.outputs[0]].spatial)
            except Unconvertible as why:
                op.attrs["reason"] = str(why)
                program.problems.append(Problem(op.name, op.source_type, op.line, str(why)))
                forward.append(placeholder(op)[1])
        forward.append(f"{out} = {expression}")
    results = [names.of[v] for v in program.outputs]
    forward.append(f"return {', '.join(results)}")
    return _module_text(program, class_name(_model_name(program)), params, init, forward)


def _init_lines(op, code, attr: str, comments: list[str]) -> list[str]:
    """``self.<name> = nn.…(…)`` lines of one layer, its notes above them."""
    lines = [f"# {comment}" for comment in comments]
    for suffix, ctor in code.modules:
        trailing = f"  # {code.trailing}" if code.trailing and not suffix else ""
        lines.append(f"self.{attr}{suffix} = {ctor}{trailing}")
        if op.attrs.get("frozen") and not ctor.startswith("nn.ZeroPad"):
            lines.append(f"self.{attr}{suffix}.requires_grad_(False)  # trainable=False in Keras")
    return lines


def _model_name(program: Program) -> str:
    """Keras's automatic model names (``sequential``, ``functional_1``) say nothing: use the file's name."""
    if re.fullmatch(r"(sequential|functional|model)(_\d+)?", program.model_name):
        return os.path.splitext(os.path.basename(program.file))[0]
    return program.model_name


def _module_text(program: Program, name: str, params: list[str], init: list[str], forward: list[str]) -> str:
    body = "\n".join(init + forward)
    shapes = [target_shape(program, v, False) for v in program.inputs]
    directives = [f"# nncalc: input-shape {';'.join(','.join(str(s) for s in shape) for shape in shapes)}"]
    dtypes = {program.values[v].dtype for v in program.inputs}
    if any(d.startswith("int") for d in dtypes):
        directives.append("# nncalc: dtype int64")
    lines = [_docstring(program, shapes), *directives, "import torch", "from torch import nn"]
    if "F." in body:
        lines.append("import torch.nn.functional as F")
    lines += ["", "", f"class {name}(nn.Module):", "    def __init__(self):", "        super().__init__()"]
    lines += [f"        {line}" for line in init]
    lines += ["", f"    def forward(self, {', '.join(params)}):"]
    lines += [f"        {line}" for line in forward]
    lines += ["", "", f"model = {name}()", ""]
    return "\n".join(lines)


def _docstring(program: Program, shapes: list[tuple]) -> str:
    source = "Keras" if program.framework == "keras" else "PyTorch"
    inputs = "; ".join(f"[N, {shape_text(shape)}]" for shape in shapes)
    layout = ", channels first (Keras: channels last)" if any(program.values[v].spatial for v in program.inputs) \
        else ""
    text = [f'"""Converted by nncalc from {program.file} ({source} model {program.model_name!r}).', "",
            f"The {source} model has {program.total_params:,} parameters. Input {inputs}{layout}."]
    if program.problems:
        text += ["", "NOT CONVERTED (no PyTorch equivalent; forward raises NotImplementedError there):"]
        text += [f"- {problem}" for problem in program.problems]
    return "\n".join(text) + '\n"""'
