"""Write a :class:`~nncalc.convert.ir.Program` as Keras code: a ``keras.Sequential`` when the model is a chain,
else a functional ``keras.Model``. Layer names are kept; an activation right after a convolution or dense
layer folds into its ``activation=``; comments say what is not carried over exactly, and a layer without an
equivalent becomes a ``NotImplementedError`` with the reason.
"""

from __future__ import annotations

from nncalc.convert.ir import Problem, Program, WriteContext, target_shape
from nncalc.convert.mapping import REGISTRY, KerasCode, Unconvertible, literal
from nncalc.convert.naming import Names, placeholder

FOLDABLE = {"relu", "sigmoid", "tanh", "softmax", "gelu", "silu", "selu", "softplus", "softsign", "relu6",
            "hard_sigmoid", "mish"}
"""Activations Keras takes as ``activation="…"`` with the same meaning as torch's function."""


def write_keras(program: Program) -> str:
    """The source text of the converted model."""
    fold_rnn_outputs(program)
    fold_activations(program)
    ctx = WriteContext(program, target_last=True)
    codes = [(op, _code(program, op, ctx)) for op in program.ops]
    said: set[str] = set()  # a note is written where it first applies, not at every layer
    for _, code in codes:
        if code is not None:
            code.comments = [c for c in code.comments if c not in said]
            said.update(code.comments)
    if program.is_chain():
        body = _sequential(program, codes)
    else:
        body = _functional(program, codes)
    return "\n".join([_docstring(program), "import keras", "from keras import layers", "", *body, ""])


def fold_rnn_outputs(program: Program) -> None:
    """torch RNNs return (output, state): ``out[:, -1]``, ``h[-1]`` or, bidirectional, ``torch.cat([h[-2], h[-1]],
    1)`` become ``return_sequences=False``; an output used as it is stays ``return_sequences=True``."""
    for rnn in [op for op in program.ops if op.kind in ("rnn", "bidirectional_rnn") and len(op.outputs) > 1]:
        out, state = rnn.outputs[0], rnn.outputs[1]
        users = {v: program.consumers(v) for v in rnn.outputs}
        final = _final_step(program, rnn, out, state, users)
        if final is not None:
            removed, result = final
            rnn.attrs["return_sequences"] = False
            rnn.outputs = [result]
            program.ops = [op for op in program.ops if not any(op is r for r in removed)]
        elif not any(users[v] or v in program.outputs for v in rnn.outputs[1:]):
            rnn.outputs = [out]


def _final_step(program: Program, rnn, out, state, users):
    """The ops that pick the last step / final state of ``rnn`` and the value they give, or None."""
    if any(users[v] or v in program.outputs for v in rnn.outputs[2:]):
        return None
    picks = [op for v in (out, state) for op in users[v]]
    if len(picks) == 1 and picks[0].kind == "index" and not rnn.attrs["bidirectional"]:
        pick = picks[0]
        if (pick.inputs == [out] and pick.attrs["select"] == "last_step") or \
                (pick.inputs == [state] and pick.attrs == {"select": "state", "index": -1}):
            return [pick], pick.outputs[0]
    if len(picks) == 2 and not users[out] and rnn.attrs["bidirectional"] and all(p.kind == "index" for p in picks):
        joined = program.consumers(picks[0].outputs[0])
        order = [p.attrs.get("index") for p in picks]
        if len(joined) == 1 and joined[0].kind == "concat" and order == [-2, -1] and \
                joined[0].inputs == [picks[0].outputs[0], picks[1].outputs[0]]:
            return [*picks, joined[0]], joined[0].outputs[0]
    return None


def fold_activations(program: Program) -> None:
    """``torch.relu(self.conv1(x))`` → ``Conv2D(..., activation="relu")``."""
    producers = {v: op for op in program.ops for v in op.outputs}
    kept = []
    for op in program.ops:
        source = producers.get(op.inputs[0]) if op.kind == "activation" and op.inputs else None
        if (source is not None and op.attrs["activation"] in FOLDABLE and source.kind in REGISTRY
                and REGISTRY[source.kind].takes_activation and not source.attrs.get("activation")
                and not source.shared and len(program.consumers(op.inputs[0])) == 1
                and op.inputs[0] not in program.outputs):
            source.attrs["activation"] = op.attrs["activation"]
            source.outputs = op.outputs
            producers.update({v: source for v in op.outputs})
            continue
        kept.append(op)
    program.ops = kept


def _code(program: Program, op, ctx) -> KerasCode | None:
    if op.kind == "unconvertible":
        return None
    try:
        code = REGISTRY[op.kind].write_keras(op, ctx) if REGISTRY[op.kind].write_keras else _missing(op)
        if op.attrs.get("frozen"):
            _frozen(code)
        return code
    except Unconvertible as why:
        op.attrs["reason"] = str(why)
        program.problems.append(Problem(op.name, op.source_type, op.line, str(why)))
        return None


def _frozen(code: KerasCode) -> None:
    """``trainable=False`` on the layer holding the weights (the last of the chain), before its ``name=``."""
    last = code.layers[-1]
    at = last.rfind("name=")
    code.layers[-1] = f"{last[:at]}trainable=False, {last[at:]}"


def _missing(op):
    raise Unconvertible(f"{op.kind} has no Keras writer")


def _sequential(program: Program, codes) -> list[str]:
    if any(code is None for _, code in codes):
        return _functional(program, codes)
    shape = target_shape(program, program.inputs[0], True)
    dtype = program.values[program.inputs[0]].dtype
    dtype_arg = f", dtype={literal(dtype)}" if dtype != "float32" else ""
    lines = ["model = keras.Sequential(", "    [", f"        keras.Input(shape={literal(tuple(shape))}{dtype_arg}),"]
    for op, code in codes:
        lines += [f"        # {comment}" for comment in code.comments]
        lines += [f"        {layer}," for layer in code.layers]
    lines += ["    ],", f"    name={literal(program.model_name)},", ")"]
    return lines


def _functional(program: Program, codes) -> list[str]:
    names = Names()
    lines = []
    for value in program.inputs:
        shape = target_shape(program, value, True)
        dtype = program.values[value].dtype
        dtype_arg = f", dtype={literal(dtype)}" if dtype != "float32" else ""
        var = names.assign(value, "x" if len(program.inputs) == 1 else f"x{len(names.of)}")
        lines.append(f"{var} = keras.Input(shape={literal(tuple(shape))}{dtype_arg})")
    shared = {op.name for op in program.ops if op.shared}
    layer_vars: dict[str, str] = {}
    for op, code in codes:
        xs = [names.of.get(v, "None") for v in op.inputs]
        out = names.assign(op.outputs[0], op.name)
        if code is None:
            lines += placeholder(op)
            continue
        lines += [f"# {comment}" for comment in code.comments]
        argument = xs[0] if len(xs) == 1 else "[" + ", ".join(xs) + "]"
        if op.kind in ("multi_head_attention",):
            argument = ", ".join(xs)
        *before, last = code.layers
        for layer in before:
            lines.append(f"{out} = {layer}({argument})")
            argument = out
        if op.name in shared or op.shared:
            var = layer_vars.get(op.name)
            if var is None:
                var = layer_vars[op.name] = names.assign(-1 - len(layer_vars), f"{op.name}_layer")
                lines.append(f"{var} = {last}")
            lines.append(f"{out} = {var}({argument})")
        else:
            lines.append(f"{out} = {last}({argument})")
    outputs = [names.of[v] for v in program.outputs]
    result = outputs[0] if len(outputs) == 1 else "[" + ", ".join(outputs) + "]"
    inputs = [names.of[v] for v in program.inputs]
    given = inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"
    lines.append(f"model = keras.Model({given}, {result}, name={literal(program.model_name)})")
    return lines


def _docstring(program: Program) -> str:
    source = "PyTorch" if program.framework == "pytorch" else "Keras"
    text = [f'"""Converted by nncalc from {program.file} ({source} model {program.model_name!r}).', "",
            f"The {source} model has {program.total_params:,} parameters."]
    if any(program.values[v].spatial for v in program.inputs):
        text[-1] += " Keras is channels last: images are (H, W, C)."
    if program.problems:
        text += ["", "NOT CONVERTED (no Keras equivalent; the code raises NotImplementedError there):"]
        text += [f"- {problem}" for problem in program.problems]
    return "\n".join(text) + '\n"""'
