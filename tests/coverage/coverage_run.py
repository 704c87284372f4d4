"""Run one generated minimal use of an op both ways — read statically by nncalc, in this process, and
executed by the real framework — and compare what comes out.

A recipe (``coverage_recipes``) is a snippet in which ``OP(a, b, …)`` stands for the op: ``torch.exp(a, b)``
for a function, ``a.exp(b)`` for a method, ``a + b`` for an operator (``a += b`` then ``out = a`` for an
in-place one), and ``ATTR(a)`` stands for the attribute ``a.name``. The snippet binds ``out``; when it binds
``model`` too, the parameters are compared (nncalc's report against the framework's own count).

A ``tf.*`` recipe makes its inputs with ``INPUT(shape, dtype)``: for nncalc a ``keras.Input`` (batch unknown), for
TensorFlow a tensor of random values with a batch of 2, then of 3; the layer runs eagerly on both and a size
that follows the batch is the unknown size (``None``) of nncalc's reading. An op without a kernel for this CPU
(TensorFlow's GPU-only ``FFTND``) is traced instead on ``keras.Input`` (Keras on TensorFlow's backend), its shape
from TensorFlow's own shape inference.
"""

from __future__ import annotations

import ast
import math
import signal
import warnings

from coverage_names import framework_of

HEADERS = {
    "torch": "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n",
    "keras": "import keras\nfrom keras import layers, ops\n",
    "tensorflow": "import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n",
}
INPUTS = {
    "nncalc": "def INPUT(shape, dtype='float32'):\n    return keras.Input(shape=shape, dtype=dtype)\n",
    "framework": "def INPUT(shape, dtype='float32'):\n"
                 "    return tf.cast(tf.random.uniform((BATCH, *shape), 0, 4), dtype)\n",
}
"""How a ``tf.*`` recipe's ``INPUT`` is made on each side (``BATCH`` is set by :func:`run_real`)."""
BATCHES = (2, 3)
CALLEES = {
    "torch.nn": "nn.{}", "torch.nn.functional": "F.{}", "torch": "torch.{}", "keras.layers": "layers.{}",
    "keras.ops": "ops.{}", "keras.activations": "keras.activations.{}",
    "tf": "tf.{}", "tf.math": "tf.math.{}", "tf.nn": "tf.nn.{}", "tf.random": "tf.random.{}",
    "tf.linalg": "tf.linalg.{}", "tf.image": "tf.image.{}", "tf.signal": "tf.signal.{}",
}
METHOD_NAMESPACES = ("torch.Tensor", "KerasTensor")
SECONDS_PER_RUN = 20

_BINARY = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "div": "/", "floordiv": "//", "mod": "%",
           "pow": "**", "matmul": "@", "and": "&", "or": "|", "xor": "^", "lshift": "<<", "rshift": ">>"}
OPERATORS = {
    **{f"__{n}__": "{0} %s {1}" % s for n, s in _BINARY.items()},
    **{f"__r{n}__": "{1} %s {0}" % s for n, s in _BINARY.items()},
    **{f"__i{n}__": "{0} %s= {1}" % s for n, s in _BINARY.items()},
    **{f"__{n}__": "{0} %s {1}" % s for n, s in
       {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}.items()},
    "__neg__": "-{0}", "__pos__": "+{0}", "__abs__": "abs({0})", "__invert__": "~{0}",
    "__len__": "len({0})", "__iter__": "list({0})", "__reversed__": "list(reversed({0}))", "__bool__": "bool({0})",
    "__nonzero__": "bool({0})", "__int__": "int({0})", "__long__": "int({0})", "__float__": "float({0})",
    "__complex__": "complex({0})", "__round__": "round({0})", "__index__": "[10, 20, 30][{0}]",
    "__contains__": "{1} in {0}", "__getitem__": "{0}[{1}]",
}
"""How each operator is written in Python, ``{0}`` the tensor."""


def render(namespace: str, name: str, template: str, side: str = "framework") -> str:
    """The snippet of ``template`` for ``namespace.name``, with the framework's imports (and, for a ``tf.*``
    recipe, the ``INPUT`` of ``side``: ``"framework"`` or ``"nncalc"``)."""
    lines = []
    for statement in ast.parse(template).body:
        call = getattr(statement, "value", None)
        if isinstance(statement, ast.Assign) and _placeholder(call) and _augmented(namespace, name):
            target, operand = ast.unparse(statement.targets[0]), ast.unparse(call.args[0])
            lines += [_op_text(namespace, name, call), f"{target} = {operand}"]  # x += y: out is x
        else:
            lines.append(ast.unparse(_Substitute(namespace, name).visit(statement)))
    framework = framework_of(namespace)
    prelude = INPUTS[side] if framework == "tensorflow" else ""
    return HEADERS[framework] + prelude + "\n".join(lines) + "\n"


def _placeholder(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("OP", "ATTR")


def _augmented(namespace: str, name: str) -> bool:
    return namespace in METHOD_NAMESPACES and name.startswith("__i") and name[3:-2] in _BINARY


def _op_text(namespace: str, name: str, call: ast.Call) -> str:
    """``OP(a, b, k=v)`` written as the op: a function call, a method call, an operator or an attribute."""
    args = [ast.unparse(a) for a in call.args]
    keywords = [ast.unparse(k) for k in call.keywords]
    if call.func.id == "ATTR":
        return f"{args[0]}.{name}"
    if namespace in METHOD_NAMESPACES and name in OPERATORS:
        return OPERATORS[name].format(*args)
    if namespace in METHOD_NAMESPACES:
        return f"{args[0]}.{name}({', '.join(args[1:] + keywords)})"
    return f"{CALLEES[namespace].format(name)}({', '.join(args + keywords)})"


class _Substitute(ast.NodeTransformer):
    """Replaces every ``OP(…)`` / ``ATTR(…)`` of a statement (in a class body, inside a call …) by the op."""

    def __init__(self, namespace: str, name: str):
        self.namespace, self.name = namespace, name

    def visit_Call(self, node):
        self.generic_visit(node)
        if _placeholder(node):
            return ast.parse(f"({_op_text(self.namespace, self.name, node)})", mode="eval").body
        return node


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout(f"took more than {SECONDS_PER_RUN} s")


def run_real(source: str) -> dict:
    """Execute the snippet with the real framework: ``{"out": description, "params": [total, trainable]}``.
    A ``tf.*`` snippet runs once per batch size of ``BATCHES``; the sizes that differ are unknown (``None``)."""
    if source.startswith(HEADERS["tensorflow"]):
        try:
            first, *others = [_run_real(source, {"BATCH": batch}) for batch in BATCHES]
        except Exception as error:
            if type(error).__name__ != "NotFoundError":
                raise
            # no kernel on this machine's CPU (a GPU-only op): TensorFlow's own shape inference on keras.Input
            return _run_real(source.replace(INPUTS["framework"], INPUTS["nncalc"]), {})
        return {**first, "out": _batch_merged(first["out"], [other["out"] for other in others])}
    return _run_real(source, {})


def _batch_merged(first, others: list):
    """``first`` with the sizes that differ in ``others`` (another batch) made unknown."""
    for other in others:
        first = _unknown_where_different(first, other)
    return first


def _unknown_where_different(a, b):
    shaped = isinstance(a, dict) and isinstance(b, dict) and "shape" in a and "shape" in b
    if shaped and len(a["shape"]) == len(b["shape"]):
        return {**a, "shape": [x if x == y else None for x, y in zip(a["shape"], b["shape"])]}
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [_unknown_where_different(x, y) for x, y in zip(a, b)]
    return a


def _run_real(source: str, given: dict) -> dict:
    namespace: dict = {"__name__": "coverage_snippet", **given}
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS_PER_RUN)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, "<recipe>", "exec"), namespace)  # noqa: S102 - our own generated snippets
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    result = {"out": describe(namespace.get("out"))}
    if "model" in namespace:
        result["params"] = real_params(namespace["model"])
    return result


def real_params(model) -> list[int]:
    if hasattr(model, "count_params"):
        trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
        return [model.count_params(), trainable]
    params = list(model.parameters())
    return [sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad)]


def run_nncalc(source: str) -> dict:
    """Read the snippet with nncalc, in this process: the same description, or ``{"refused": reason}``."""
    from nncalc.analysis import load_program
    from nncalc.errors import NncalcError

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS_PER_RUN)
    try:
        program = load_program(source, filename="recipe.py")
        if program.skipped:
            return {"refused": program.skipped[0].reason}
        result = {"out": describe(program.namespace.get("out"))}
        if "model" in program.namespace:
            import nncalc

            report = nncalc.analyze(source, model="model", filename="recipe.py")
            result["params"] = [report.total_params, report.trainable_params]
        return result
    except NncalcError as err:
        return {"refused": err.message if hasattr(err, "message") else str(err)}
    except Timeout as err:
        return {"refused": f"nncalc {err}"}
    except Exception as err:  # noqa: BLE001 - an internal error is a finding, recorded with its type
        return {"refused": f"internal error {type(err).__name__}: {err}"}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def describe(value):
    """What a value is, comparable across nncalc and the framework: a tensor is its shape and dtype."""
    kind = type(value).__name__
    if kind in ("Unknown", "Poisoned"):
        return "<unknown value>"
    if kind == "Size" or (isinstance(value, tuple) and not hasattr(value, "_fields") and all(
            isinstance(v, int) or v is None for v in value) and value and kind != "tuple"):
        return {"size": [_number(v) for v in value]}
    if hasattr(value, "shape") and hasattr(value, "dtype") and not isinstance(value, (int, float, bool)):
        return {"shape": [_number(v) for v in value.shape], "dtype": _dtype(value.dtype)}
    if isinstance(value, (list, tuple)):
        return [describe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): describe(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, float):
        return {"float": None if math.isnan(value) else round(value, 6)}
    if kind == "dtype":
        return {"dtype": _dtype(value)}
    if kind == "device":
        return {"device": str(value)}
    return {"type": kind}


def _number(value):
    return None if value is None else int(value)


def _dtype(dtype) -> str:
    return str(getattr(dtype, "name", dtype)).replace("torch.", "")


def compare(real: dict, static: dict) -> str | None:
    """None when nncalc gives what the framework gives, else why not (short)."""
    if "refused" in static:
        return static["refused"]
    if static["out"] != real["out"]:
        return f"out {_short(static['out'])}, the framework {_short(real['out'])}"
    if real.get("params") != static.get("params"):
        return f"parameters {static.get('params')}, the framework {real.get('params')} (total, trainable)"
    return None


def _short(description) -> str:
    if isinstance(description, dict) and "shape" in description:
        return f"{description['shape']} {description['dtype']}"
    if isinstance(description, list):
        return "(" + ", ".join(_short(d) for d in description) + ")"
    if isinstance(description, dict) and len(description) == 1:
        return str(next(iter(description.values())))
    return str(description)
