"""Ground truth for the model-file tests: run a model file for real with PyTorch or Keras.

nncalc reads model files without running them; this module is its referee. It executes a file the way a
user's script would (the real ``torch`` / ``keras`` on the torch backend), finds the model a user would point
at, pushes one input through it and returns what the framework itself reports::

    {"framework": "pytorch" | "keras", "model": str,
     "total_params": int, "trainable_params": int, "non_trainable_params": int,
     "output_shape": list,       # torch [1, ...] (batch 1); keras [None, ...]; the first output
     "output_shapes": [list],    # keras only: every output, in the order of model.outputs
     "layers": [{"name", "type", "params", "trainable_params", "output_shape"}, ...],
     # torch only, [all, trainable]: parameters held by modules with children (an nn.Parameter on the model,
     # MultiheadAttention's in_proj_weight), and those a second module holds again (tied weights)
     "params_outside_leaves": [int, int], "repeated_params": [int, int]}

A torch leaf module the forward pass never calls (``out_proj`` of ``nn.MultiheadAttention``, whose weights
torch uses without calling it) is a row with ``"output_shape": None``, after the called ones.

Keras rows are ``model.layers``, as Keras lists them: a nested model is ONE row, which lists its own
``model.layers`` under ``"layers"``. A layer that a subclassed model calls inside ``call`` has no symbolic
output in Keras; its output shape is recorded during one eager call on zeros.

Keras names layers from process-wide counters (``conv2d``, ``conv2d_1``…), so every file runs in a fresh
process: either ``python -m tests.oracle FILE`` (one process, prints the JSON) or ``--batch FILE…``, which
imports the frameworks once and forks a child per file before any layer exists, so each child starts from
the same pristine counters a fresh script has. :func:`run_batch` drives the batch mode from the tests.

Conventions a model file follows:

* ``# nncalc: input-shape 3,32,32`` — a full-line comment giving the input without the batch
  (channels first for PyTorch); Keras files take their input from ``Input`` / ``input_shape=``. Several
  inputs are separated by ``;``: ``# nncalc: input-shape 3,32,32; 10``.
* ``# nncalc: dtype int64`` — the PyTorch inputs hold token indices: they are built as
  ``torch.zeros(1, *shape, dtype=torch.int64)`` (default float32); ``float32,int64`` gives one dtype per input.
* ``# nncalc: model NAME`` — the module-level name of the model: an instance, a class built with no
  arguments, or a function called with no arguments.
* Without it, the model is the last ``nn.Module`` / ``keras.Model`` instance assigned at module level,
  else the one ``nn.Module`` subclass of the file that no other class of the file uses or extends.
* A file without any import statement is a snippet: it sees ``torch``, ``nn``, ``F``, ``keras``,
  ``layers``, ``Sequential``, ``Model`` and every name of ``keras.layers`` as globals.
* ``tensorflow.keras`` resolves to Keras 3 through a small ``sys.modules`` shim where TensorFlow is not
  installed (the main test environment); the model files stay exactly as users write them. Where it is
  (README's TensorFlow environment, ``tests/test_tf_keras_models.py``), TensorFlow itself runs them.
"""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

TESTS_DIR = Path(__file__).resolve().parent
MODELS_DIR = TESTS_DIR / "models"
RUN_NAME = "nncalc_oracle_model"
CHILD_TIMEOUT_SECONDS = 120
BATCH_TIMEOUT_SECONDS = 900

_DIRECTIVE = re.compile(r"^#\s*nncalc:\s*(?P<key>[\w-]+)\s+(?P<value>\S.*?)\s*$")
_TF_KERAS_SUBMODULES = (
    "layers", "models", "activations", "initializers", "regularizers", "constraints",
    "losses", "metrics", "optimizers", "callbacks", "utils", "backend", "ops", "applications",
)


class OracleError(RuntimeError):
    """A model file could not be run, or its model could not be found."""


@dataclass(frozen=True)
class Directives:
    """The ``# nncalc:`` comments of a model file."""

    input_shape: tuple[int, ...] | None = None
    model: str | None = None
    input_shapes: tuple[tuple[int, ...], ...] | None = None
    dtype: str | None = None


def model_files() -> list[Path]:
    """Every model file of the suite, sorted by name."""
    return sorted(MODELS_DIR.glob("*.py"))


def read_directives(path: str | os.PathLike) -> Directives:
    """Parse the full-line ``# nncalc: KEY VALUE`` comments of a file."""
    found: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = _DIRECTIVE.match(line)
        if match:
            found[match["key"]] = match["value"]
    unknown = set(found) - {"input-shape", "model", "dtype"}
    if unknown:
        raise OracleError(f"{path}: unknown nncalc directive(s) {sorted(unknown)}")
    shapes = None
    if "input-shape" in found:
        parts = found["input-shape"].replace(" ", "").split(";")
        shapes = tuple(tuple(int(dim) for dim in part.strip("()").split(",") if dim) for part in parts)  # () a scalar
    return Directives(input_shape=shapes[0] if shapes else None, model=found.get("model"), input_shapes=shapes,
                      dtype=found.get("dtype"))


def run_batch(paths: list[str | os.PathLike]) -> dict[Path, dict | OracleError]:
    """Run each file in its own fresh process; map each path to its result or its error.

    One subprocess imports torch and Keras once and forks a child per file, so the cost is one framework
    import plus a fraction of a second per file. Without ``os.fork`` each file gets its own interpreter.
    """
    resolved = [Path(p).resolve() for p in paths]
    if not resolved:
        return {}
    if not hasattr(os, "fork"):
        return {path: _unpack(path, _run_oracle_process([str(path)])) for path in resolved}
    payload = _run_oracle_process(["--batch", *map(str, resolved)])
    return {path: _unpack(path, payload.get(str(path))) for path in resolved}


def _run_oracle_process(arguments: list[str]) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    env = dict(os.environ, KERAS_BACKEND="torch")
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=BATCH_TIMEOUT_SECONDS, env=env, check=False
    )
    if completed.returncode != 0:
        raise OracleError(f"oracle process failed ({completed.returncode}):\n{completed.stderr}")
    payload = json.loads(completed.stdout)
    return payload if arguments[0] == "--batch" else {"result": payload}


def _unpack(path: Path, entry: dict | None) -> dict | OracleError:
    if entry is None:
        return OracleError(f"{path}: the oracle gave no result")
    if "error" in entry:
        return OracleError(f"{path}: the real framework failed:\n{entry['error']}")
    return entry["result"]


def run_file(path: str | os.PathLike) -> dict:
    """Execute a model file in THIS process and describe its model.

    Call it in a fresh process only: Keras layer names depend on what the process built before.
    """
    path = Path(path).resolve()
    directives = read_directives(path)
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    namespace = _execute(path, tree)
    name, model = _find_model(namespace, tree, directives.model, path)
    if _is_torch_module(model):
        if directives.input_shape is None:
            raise OracleError(f"{path}: a PyTorch model needs '# nncalc: input-shape C,H,W'")
        result = _describe_torch(model, directives.input_shapes, directives.dtype)
    else:
        result = _describe_keras(model)
    return {"model": name, **result}


def _execute(path: Path, tree: ast.Module) -> dict:
    """Run the file as a module named ``RUN_NAME``; return its globals."""
    if _imports(tree, "tensorflow"):
        _install_tensorflow_shim()
    module = types.ModuleType(RUN_NAME)
    module.__file__ = str(path)
    if not any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in ast.walk(tree)):
        module.__dict__.update(_snippet_globals())
    sys.modules[RUN_NAME] = module
    sys.path.insert(0, str(path.parent))
    exec(compile(tree, str(path), "exec"), module.__dict__)  # noqa: S102 - the oracle runs test files
    return module.__dict__


def _imports(tree: ast.Module, top_level: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == top_level for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == top_level:
            return True
    return False


def _install_tensorflow_shim() -> None:
    """Make ``tensorflow.keras`` (and ``import tensorflow as tf; tf.keras``) resolve to Keras 3, unless real
    TensorFlow is installed (its own environment: README's TensorFlow command), which then runs the file."""
    import importlib
    import importlib.util

    if "tensorflow" in sys.modules or importlib.util.find_spec("tensorflow") is not None:
        return

    import keras

    tensorflow = types.ModuleType("tensorflow")
    tensorflow.__path__ = []  # a package, so that submodule imports are looked up in sys.modules
    tensorflow.keras = keras
    # einops asks every imported framework whether a tensor is its own: this shim owns none
    tensorflow.is_tensor = lambda value: False
    tensorflow.Tensor = tensorflow.Variable = type("NotATensor", (), {})
    sys.modules["tensorflow"] = tensorflow
    sys.modules["tensorflow.keras"] = keras
    for name in _TF_KERAS_SUBMODULES:
        submodule = importlib.import_module(f"keras.{name}")
        sys.modules[f"tensorflow.keras.{name}"] = submodule


def _snippet_globals() -> dict:
    import keras
    import torch
    import torch.nn.functional as F
    from keras import layers
    from torch import nn

    names = {name: getattr(layers, name) for name in dir(layers) if not name.startswith("_")}
    names.update(
        torch=torch, nn=nn, F=F, keras=keras, layers=layers,
        Sequential=keras.Sequential, Model=keras.Model, Input=keras.Input,
    )
    return names


def _is_torch_module(obj) -> bool:
    """A torch module that is not a Keras layer (on the torch backend every Keras layer is one)."""
    torch = sys.modules.get("torch")
    keras = sys.modules.get("keras")
    if keras is not None and isinstance(obj, keras.layers.Layer):
        return False
    return torch is not None and isinstance(obj, torch.nn.Module)


def _is_keras_model(obj) -> bool:
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(obj, keras.Model)


def _is_model_instance(obj) -> bool:
    if _is_torch_module(obj):
        return not isinstance(obj, sys.modules["torch"].nn.modules.loss._Loss)
    return _is_keras_model(obj)


def _find_model(namespace: dict, tree: ast.Module, wanted: str | None, path: Path):
    if wanted is not None:
        if wanted not in namespace:
            raise OracleError(f"{path}: '# nncalc: model {wanted}' names nothing defined at module level")
        obj = namespace[wanted]
        model = obj() if callable(obj) and not _is_model_instance(obj) else obj
        if not _is_model_instance(model):
            raise OracleError(f"{path}: {wanted} is not a torch nn.Module or keras.Model")
        return wanted, model

    for name in reversed(_module_level_assignments(tree)):
        if _is_model_instance(namespace.get(name)):
            return name, namespace[name]

    return _only_torch_class(namespace, path)


def _module_level_assignments(tree: ast.Module) -> list[str]:
    """Names bound by module-level assignments, in the order of their last assignment."""
    order: dict[str, int] = {}

    def visit(statements):
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    for node in ast.walk(target):
                        if isinstance(node, ast.Name):
                            order.pop(node.id, None)
                            order[node.id] = statement.lineno
            for field in ("body", "orelse", "finalbody", "handlers"):
                visit(getattr(statement, field, []) or [])

    visit(tree.body)
    return list(order)


def _only_torch_class(namespace: dict, path: Path):
    """The one nn.Module subclass of the file that no other class of the file uses or extends."""
    if "torch" not in sys.modules:
        raise OracleError(f"{path}: no model instance at module level and no nn.Module subclass")
    nn = sys.modules["torch"].nn
    keras = sys.modules.get("keras")
    classes = {
        name: obj
        for name, obj in namespace.items()
        if isinstance(obj, type)
        and issubclass(obj, nn.Module)
        and not (keras is not None and issubclass(obj, keras.layers.Layer))
        and obj.__module__ == RUN_NAME
    }
    instances = {}
    for name, cls in classes.items():
        try:
            instances[name] = cls()
        except TypeError:
            continue
    extended = {base for cls in classes.values() for base in cls.__mro__[1:]}
    used = {
        type(sub) for inst in instances.values() for sub in inst.modules() if sub is not inst
    }
    candidates = [n for n, inst in instances.items() if type(inst) not in extended | used]
    if len(candidates) != 1:
        raise OracleError(
            f"{path}: cannot choose the model among {sorted(candidates) or sorted(classes)}; "
            "add '# nncalc: model NAME'"
        )
    return candidates[0], instances[candidates[0]]


def _first_tensor(value):
    torch = sys.modules["torch"]
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)):
        for item in value:
            found = _first_tensor(item)
            if found is not None:
                return found
    if isinstance(value, dict):
        for item in value.values():
            found = _first_tensor(item)
            if found is not None:
                return found
    return None


def torch_inputs(shapes, dtype: str | None, batched: bool = True) -> list:
    """Zeros of ``(1, *shape)`` for every input shape (``shape`` itself when not ``batched``: a forward that
    takes no batch dimension), of the directive's dtype (default float32)."""
    import torch

    names = dtype.split(",") if dtype and "," in dtype else [dtype] * len(shapes)  # one each, or one for all
    kinds = [getattr(torch, name.strip()) if name else torch.float32 for name in names]
    return [torch.zeros(*((1,) if batched else ()), *shape, dtype=kind) for shape, kind in zip(shapes, kinds)]


def _describe_torch(model, input_shapes, dtype: str | None, batched: bool = True, extra: tuple = ()) -> dict:
    import torch

    rows: dict[str, dict] = {}

    def row(name: str, module, output_shape) -> dict:
        params = list(module.parameters(recurse=False))
        return {
            "name": name,
            "type": type(module).__name__,
            "params": sum(p.numel() for p in params),
            "trainable_params": sum(p.numel() for p in params if p.requires_grad),
            "output_shape": output_shape,
        }

    def hook_for(name: str):
        def hook(module, _inputs, output):
            if name not in rows:
                rows[name] = row(name, module, list(_first_tensor(output).shape))

        return hook

    handles = [
        module.register_forward_hook(hook_for(name))
        for name, module in model.named_modules()
        if next(module.children(), None) is None
    ]
    model.eval()
    torch.backends.mha.set_fastpath_enabled(False)  # the fused path calls no submodule of an encoder layer
    try:
        with torch.no_grad():
            output = model(*torch_inputs(input_shapes, dtype, batched), *extra)  # extra: a state (hidden) after them
    finally:
        for handle in handles:
            handle.remove()

    for name, module in model.named_modules():  # never called: out_proj of nn.MultiheadAttention, say
        if name not in rows and next(module.children(), None) is None:
            rows[name] = row(name, module, None)
    parameters = list(model.parameters())
    total = sum(p.numel() for p in parameters)
    outside, repeated, seen = [0, 0], [0, 0], set()
    for name, module in model.named_modules():
        for p in module.parameters(recurse=False):
            counts = repeated if id(p) in seen else outside if name not in rows else None
            seen.add(id(p))
            if counts is not None:
                counts[0] += p.numel()
                counts[1] += p.numel() if p.requires_grad else 0
    trainable = sum(p.numel() for p in parameters if p.requires_grad)
    return {
        "framework": "pytorch",
        "total_params": total,
        "trainable_params": trainable,
        "non_trainable_params": total - trainable,
        "output_shape": list(_first_tensor(output).shape),
        "layers": list(rows.values()),
        "params_outside_leaves": outside,
        "repeated_params": repeated,
    }


def _size(weights) -> int:
    count = 0
    for weight in weights:
        size = 1
        for dim in weight.shape:
            size *= int(dim)
        count += size
    return count


def _shape(shape) -> list:
    return [None if dim is None else int(dim) for dim in shape]


def _describe_keras(model) -> dict:
    import keras

    outputs = [_shape(tensor.shape) for tensor in _model_outputs(model)]
    recorded = _eager_output_shapes(model) if _lacks_symbolic_outputs(model) else {}
    return {
        "framework": "keras",
        "total_params": int(model.count_params()),
        "trainable_params": _size(model.trainable_weights),
        "non_trainable_params": _size(model.non_trainable_weights),
        "output_shape": outputs[0],
        "output_shapes": outputs,
        "layers": _keras_rows(model, recorded),
    }


def _model_outputs(model) -> list:
    """``model.outputs`` (functional and Sequential models), else the flattened output of its first call."""
    import keras

    try:
        outputs = model.outputs
    except (AttributeError, ValueError):
        outputs = None
    return list(outputs) if outputs else keras.tree.flatten(model.output)


def _keras_rows(model, recorded: dict) -> list[dict]:
    """One row per entry of ``model.layers`` (input layers left out); a layer that is itself a model lists its
    own ``layers`` under ``"layers"``."""
    import keras
    from keras.layers import InputLayer

    rows = []
    for layer in model.layers:
        if isinstance(layer, InputLayer):
            continue
        row = {
            "name": layer.name,
            "type": type(layer).__name__,
            "params": int(layer.count_params()),
            "trainable_params": _size(layer.trainable_weights),
            "output_shape": _symbolic_output_shape(layer) or recorded.get(id(layer)),
        }
        if isinstance(layer, keras.Model):
            row["layers"] = _keras_rows(layer, recorded)
        rows.append(row)
    return rows


def _symbolic_output_shape(layer) -> list | None:
    """The shape of the layer's first output in the model's graph, or None when it has no symbolic call
    (a layer that a subclassed model calls inside its ``call``)."""
    import keras

    try:
        output = layer.output
    except (AttributeError, ValueError):
        return None
    return _shape(keras.tree.flatten(output)[0].shape)


def _lacks_symbolic_outputs(model) -> bool:
    import keras
    from keras.layers import InputLayer

    for layer in model.layers:
        if not isinstance(layer, InputLayer) and _symbolic_output_shape(layer) is None:
            return True
        if isinstance(layer, keras.Model) and _lacks_symbolic_outputs(layer):
            return True
    return False


def _eager_output_shapes(model) -> dict[int, list]:
    """Output shapes of the layers of a subclassed model, which Keras only runs inside ``call``: recorded
    during one eager call on zeros of the model's input shape (batch 1, shown as None)."""
    import keras

    recorded: dict[int, list] = {}

    def layers_of(owner):
        for layer in owner.layers:
            yield layer
            if isinstance(layer, keras.Model):
                yield from layers_of(layer)

    def recording(layer):
        original = layer.call

        def call(*args, **kwargs):
            output = original(*args, **kwargs)
            recorded.setdefault(id(layer), [None, *_shape(keras.tree.flatten(output)[0].shape)[1:]])
            return output

        return original, call

    patched = []
    for layer in layers_of(model):
        original, call = recording(layer)
        object.__setattr__(layer, "call", call)
        patched.append(layer)
    try:
        zeros = keras.tree.map_structure(
            lambda tensor: keras.ops.zeros([1 if dim is None else dim for dim in tensor.shape]), model.input
        )
        model(zeros)
    finally:
        for layer in patched:
            object.__delattr__(layer, "call")
    return recorded


def _run_forked(path, run=None) -> dict:
    """Run one file in a forked child (pristine framework state); return ``{"result"|"error": …}``.

    ``run`` (default :func:`run_file`) is called with ``path`` in the child; tests/scripts passes its own.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        signal.alarm(CHILD_TIMEOUT_SECONDS)
        try:
            payload = {"result": (run or run_file)(path)}
        except BaseException:  # noqa: BLE001 - every failure is reported to the parent
            payload = {"error": traceback.format_exc()}
        try:
            data = json.dumps(payload).encode()
        except (TypeError, ValueError):
            data = json.dumps({"error": traceback.format_exc()}).encode()
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return {"error": f"the oracle child died (wait status {status}) without a result"}
    return json.loads(data)


def _claim_stdout():
    """Send everything printed (by model files too) to stderr; return a stream on the real stdout."""
    sys.stdout.flush()
    real = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    return real


def main(argv: list[str]) -> int:
    if sys.path and Path(sys.path[0]).resolve() == TESTS_DIR:
        sys.path.pop(0)  # run as a script: do not let tests/ shadow installed packages
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: python -m tests.oracle FILE | --batch FILE...", file=sys.stderr)
        return 2
    out = _claim_stdout()
    if argv[0] == "--batch":
        import keras  # noqa: F401 - imported once, inherited by every forked child
        import torch  # noqa: F401

        results = {str(Path(p).resolve()): _run_forked(p) for p in argv[1:]}
    else:
        results = run_file(argv[0])
    json.dump(results, out, indent=1)
    out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
