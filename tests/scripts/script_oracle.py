"""Ground truth for whole scripts and notebooks: run one with the REAL framework, the way nncalc reads it.

nncalc reads a training script or a notebook unchanged and reports the model inside it; everything around the
model (data, training, plots, saving) is skipped. This module is its referee. In a fresh process it executes the
file with the real PyTorch / Keras 3 (``KERAS_BACKEND=torch``) under the same rules nncalc follows:

* module-level statements run one at a time, in order; a statement that raises (``SystemExit`` included) is
  skipped and recorded, and the next one runs — nncalc skips what needs a value it cannot know;
* notebooks (``.ipynb``): the code cells in order, IPython magics and shell lines (``%matplotlib``, ``!pip``,
  ``x?``) dropped, ``%%time``/``%%capture`` cells run without their magic line, other ``%%`` cells
  (``%%writefile``, ``%%bash``…) skipped whole;
* ``__name__`` is not ``"__main__"`` (as when the file is imported), except that the ``argparse`` part of an
  ``if __name__ == "__main__":`` block runs (its statements up to the last ``parse_args()``, directly or through
  a function of the file), so the model code that reads ``args`` sees the defaults; ``sys.argv`` is ``[file]``, the working
  directory is an empty temporary folder;
* ``argparse``: ``parse_args()`` gives the declared defaults; a required option nobody passed is a value that
  raises on any use (nncalc: an unknown), so what depends on it is skipped unless a ``set`` binds it;
* ``set`` (nncalc's ``--set NAME=VALUE`` / ``--set args.epochs=1``, and ``# nncalc: set …`` lines in the file):
  right after the statement that assigns ``NAME`` at module level (even one that raised), ``NAME`` (or the
  attribute of it) is bound to the literal VALUE;
* imports of modules that are not installed (tensorflow, matplotlib, pandas, sklearn, tensorflow_datasets,
  google.colab…) give permissive stand-ins: attributes, calls, indexing and arithmetic give more stand-ins;
  truth tests, ``len``, iteration and ``int`` raise (so the statement is skipped). ``tensorflow.keras`` is the
  real Keras 3, and ``tf.nn`` activations, ``tf.float32``… and ``tf.newaxis`` are the real thing;
  ``torchvision`` is always a stand-in whose datasets are zero arrays;
* dataset loaders give zero arrays of the real per-sample shape and dtype (``keras.datasets.*.load_data``,
  ``torchvision.datasets.MNIST``/``CIFAR10``…), with ``SAMPLES`` samples (``NNCALC_ORACLE_FULL_DATASETS=1``: the
  real counts); ``keras.utils.*_dataset_from_directory`` and ``get_file`` give stand-ins;
* training and I/O are neutralised: Keras ``fit/evaluate/predict/train_on_batch/…`` return a stand-in,
  ``save/save_weights/load_weights/load_model`` raise, iterating a torch ``DataLoader`` raises, ``torch.save``/
  ``torch.load``/``torch.hub`` raise; ``keras.applications``' pretrained weights are not downloaded: their
  ``get_file`` gives a placeholder path whose ``load_weights`` leaves the weights as built;
* nothing can write to disk or reach the network: ``open`` for writing, ``os``/``shutil`` file changes,
  ``subprocess``, sockets and ``urllib`` raise ``Blocked``.

Then it evaluates the model expression given for the file (``model``, ``Net()``, ``Net(upscale_factor=3)``,
``decoder``; ``model@7`` is the binding of ``model`` right after cell 7 of a notebook, cells counted from 1 with
the markdown ones, as nncalc counts them) in the file's
namespace — a class or function is called with no arguments — and reports::

    {"framework": "pytorch" | "keras", "total_params", "trainable_params", "non_trainable_params",
     "output_shape": list, "output_shapes": [list], "skipped": [[where, "Error: message"], ...]}

Keras models give their input shape themselves; a model that has none yet (a ``Sequential`` without ``Input``,
a subclassed model) and every torch model is given ``inputs`` (shapes without the batch). Torch output shapes
have batch 1, Keras ones ``None``.

Every file runs in a child forked from a process that imported torch and Keras once (Keras names layers from
process-wide counters, and a file must not see what another one did); the models of one file with the same
bindings are described after one run. Use :func:`run_batch`. The stand-ins and
the guards are in ``script_standins.py``.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

for _folder in (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent):  # tests/scripts, tests
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))
import oracle  # noqa: E402 - tests/oracle.py: the model-file oracle, whose torch description and fork are reused
from script_standins import install_guards, make_importer, torchvision_stand_in  # noqa: E402

os.environ.setdefault("KERAS_BACKEND", "torch")

RUN_NAME = "nncalc_script"
STATEMENT_SECONDS = 20
CHILD_SECONDS = 120
BATCH_SECONDS = 900
_SET_DIRECTIVE = re.compile(r"^\s*#\s*nncalc:\s*set\s+(?P<name>[\w.]+)\s*=\s*(?P<value>.+?)\s*$")
_SNAPSHOT = re.compile(r"^(?P<name>\w+)@(?P<cell>\d+)$")
_KEEP_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")
_HELP = re.compile(r"^[\w.]+\?{1,2}$")  # `layers.Conv2D?`
_CAPTURE = re.compile(r"^[\w, ]+=\s*[!%]")  # `files = !ls`


class OracleError(RuntimeError):
    """A file could not be run, or its model expression gave no model."""


class StatementTimeout(Exception):
    """One statement ran longer than ``STATEMENT_SECONDS``; it is skipped like any failing statement."""


# ----- what the test gives and gets ------------------------------------------------------------------------


def run_batch(entries: list[dict], processes: int | None = None) -> dict[str, dict | OracleError]:
    """Run each file once per distinct ``set`` (a job) in its own forked child of a framework-importing process,
    and describe there the model of every entry of the job.

    An entry is ``{"id", "path", "model", "inputs": [[...], ...] | None, "dtype": str | None,
    "set": {"NAME": "VALUE text"}, "unbatched": bool, "state": str | None}`` (``unbatched``: a torch model is
    called on the inputs as they are, without a batch of 1; ``state``: an expression of ``model`` giving one more
    argument after the inputs, ``"model.init_hidden(1)"``). Returns ``{id: result dict | OracleError}``. The jobs are shared out over
    ``processes`` batch processes (default 1), each importing the frameworks once: on a loaded 2-CPU machine one
    process is faster than two.
    """
    if not entries:
        return {}
    entries = [{**entry, "path": str(Path(entry["path"]).resolve())} for entry in entries]
    grouped: dict[str, list[dict]] = {}
    for entry in entries:  # one run of a file serves every model of it with the same bindings
        grouped.setdefault(json.dumps([entry["path"], entry.get("set") or {}], sort_keys=True), []).append(entry)
    jobs = list(grouped.values())
    count = max(1, min(processes or 1, len(jobs)))
    env = dict(os.environ, KERAS_BACKEND="torch")
    workdir = tempfile.mkdtemp(prefix="nncalc-oracle-")
    try:
        running = []
        for share in (jobs[i::count] for i in range(count)):
            process = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--batch", workdir],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            )
            running.append((process, json.dumps(share)))
        payload = {}
        for process, share in running:
            out, err = process.communicate(share, timeout=BATCH_SECONDS)
            if process.returncode != 0:
                raise OracleError(f"the script oracle failed ({process.returncode}):\n{err[-4000:]}")
            payload.update(json.loads(out))
    finally:
        _remove_tree(workdir)
    results: dict[str, dict | OracleError] = {}
    for entry in entries:
        got = payload.get(entry["id"])
        if got is None:
            results[entry["id"]] = OracleError(f"{entry['path']}: the oracle gave no result")
        elif "error" in got:
            results[entry["id"]] = OracleError(f"{entry['path']} [{entry['model']}]: {got['error']}")
        else:
            results[entry["id"]] = got["result"]
    return results


def _remove_tree(path: str) -> None:
    for root, dirs, files in os.walk(path, topdown=False):
        for name in files:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(path)


# ----- reading a script or a notebook ---------------------------------------------------------------------


def notebook_cells(path: Path) -> list[tuple[int, str]]:
    """``(cell number, text)`` of the code cells of a notebook, in order; cells are numbered from 1 counting
    markdown cells too, as nncalc's messages and ``--model name@N`` count them."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for number, cell in enumerate(notebook.get("cells", []), 1):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append((number, source if isinstance(source, str) else "".join(source)))
    return cells


def strip_magics(source: str) -> str:
    """A code cell as Python: magic and shell lines blanked (line numbers kept), or empty for a cell magic
    whose body is not Python."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        if not first.startswith(_KEEP_CELL_MAGICS):
            return ""
        lines[0] = ""
    kept = []
    for line in lines:
        text = line.strip()
        kept.append("" if text.startswith(("%", "!", "?")) or _HELP.match(text) or _CAPTURE.match(text) else line)
    return "\n".join(kept)


def statements(path: Path) -> list[tuple[int | None, str, ast.stmt]]:
    """``(cell number or None, filename for tracebacks, statement)`` for every module-level statement."""
    if path.suffix == ".ipynb":
        found = []
        for number, source in notebook_cells(path):
            where = f"{path}:cell {number}"
            tree = ast.parse(strip_magics(source), filename=where)
            found.extend((number, where, statement) for statement in tree.body)
        return found
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for statement in tree.body:  # a __main__ block that parses options: those statements alone (it does not run)
        options = _options_of_main(tree.body, statement)
        found.extend((None, str(path), option) for option in options or [statement])
    return found


def _options_of_main(body: list[ast.stmt], statement: ast.stmt) -> list[ast.stmt]:
    """In ``if __name__ == "__main__":``, the statements up to the last assignment of the parsed command line
    (``args = parser.parse_args()``, ``args = get_args()`` of a function of the file that parses it)."""
    if not (isinstance(statement, ast.If) and "__main__" in ast.unparse(statement.test)):
        return []
    parsers = {f.name for f in body if isinstance(f, ast.FunctionDef) and "parse_args(" in ast.unparse(f)}
    last = [i for i, s in enumerate(statement.body) if isinstance(s, ast.Assign) and (
            "parse_args(" in ast.unparse(s.value) or any(f"{name}(" in ast.unparse(s.value) for name in parsers))]
    return statement.body[: last[-1] + 1] if last else []


def file_sets(path: Path) -> dict[str, str]:
    """The file's own ``# nncalc: set NAME=VALUE`` lines."""
    text = ("\n".join(source for _, source in notebook_cells(path)) if path.suffix == ".ipynb"
            else path.read_text(encoding="utf-8"))
    found = {}
    for line in text.splitlines():
        match = _SET_DIRECTIVE.match(line)
        if match:
            found[match["name"]] = match["value"]
    return found


def bound_names(statement: ast.stmt) -> set[str]:
    """Module-level names a statement binds (not inside the functions and classes it defines)."""
    names: set[str] = set()

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).partition(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(statement)
    return names


def execute(path: Path, sets: dict, snapshot_cells: dict[int, set[str]]):
    """Run the file statement by statement; return (namespace, skipped, snapshots)."""
    overrides = {**file_sets(path), **sets}
    parsed = {name: ast.literal_eval(text) for name, text in overrides.items()}
    module = types.ModuleType(RUN_NAME)
    module.__file__ = str(path)
    namespace = module.__dict__
    script_builtins = dict(builtins.__dict__)
    script_builtins["__import__"] = make_importer({"torchvision": torchvision_stand_in()})
    namespace["__builtins__"] = script_builtins
    sys.modules[RUN_NAME] = module
    sys.argv = [str(path)]
    skipped: list[list[str]] = []
    snapshots: dict[str, object] = {}
    plan = statements(path)

    passed: set[int] = set()

    def take_snapshots(before_cell: float) -> None:
        """Record the wanted bindings of every code cell before ``before_cell`` not yet recorded."""
        for cell, names in snapshot_cells.items():
            if cell < before_cell and cell not in passed:
                passed.add(cell)
                snapshots.update({f"{name}@{cell}": namespace[name] for name in names if name in namespace})

    for cell, filename, statement in plan:
        if cell is not None:
            take_snapshots(cell)
        code = compile(ast.Module(body=[statement], type_ignores=[]), filename, "exec")
        signal.setitimer(signal.ITIMER_REAL, STATEMENT_SECONDS)
        try:
            exec(code, namespace)  # noqa: S102 - the oracle runs the suite's own files, guarded
        except (Exception, SystemExit) as err:  # noqa: BLE001 - a failing statement is skipped, as nncalc does
            where = f"cell {cell}:{statement.lineno}" if cell is not None else f"line {statement.lineno}"
            skipped.append([where, f"{type(err).__name__}: {err}"[:300]])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _apply_sets(namespace, parsed, bound_names(statement))
    take_snapshots(float("inf"))
    return namespace, skipped, snapshots


def _apply_sets(namespace: dict, parsed: dict, bound: set[str]) -> None:
    for target, value in parsed.items():
        head, _, attribute = target.partition(".")
        if head not in bound:
            continue
        if not attribute:
            namespace[head] = value
            continue
        owner = namespace.get(head)
        *path, last = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, last, value)


# ----- describing the model --------------------------------------------------------------------------------


def run_job(job: list[dict]) -> dict:
    """Execute the file of a job (entries sharing a file and its ``set``) once, then describe each entry's model.

    Returns ``{id: {"result": …} | {"error": …}}``. Call it in a fresh fork only.
    """
    started = time.monotonic()
    snapshots_wanted: dict[int, set[str]] = {}
    for entry in job:
        snapshot = _SNAPSHOT.match(entry["model"])
        if snapshot:
            snapshots_wanted.setdefault(int(snapshot["cell"]), set()).add(snapshot["name"])
    namespace, skipped, snapshots = execute(Path(job[0]["path"]).resolve(), job[0].get("set") or {}, snapshots_wanted)
    results = {}
    for entry in job:
        try:
            result = _describe(entry, namespace, snapshots)
        except Exception as err:  # noqa: BLE001 - reported with what the run skipped, which usually explains it
            lines = "\n".join(f"  {where}: {what}" for where, what in skipped)
            results[entry["id"]] = {"error": f"{type(err).__name__}: {err}\nstatements skipped:\n{lines}"}
            continue
        results[entry["id"]] = {"result": {**result, "skipped": skipped,
                                           "seconds": round(time.monotonic() - started, 2)}}
    return results


def _describe(entry: dict, namespace: dict, snapshots: dict) -> dict:
    expression = entry["model"]
    snapshot = _SNAPSHOT.match(expression)
    if snapshot:
        if expression not in snapshots:
            raise OracleError(f"no binding of {snapshot['name']!r} after code cell {snapshot['cell']}")
        model = snapshots[expression]
    else:
        model = eval(expression, namespace)  # noqa: S307 - the test's own model expression
    if isinstance(model, type) or (callable(model) and not _is_model(model)):
        model = model()
    if not _is_model(model):
        raise OracleError(f"{expression!r} is {type(model).__name__}, not a torch or Keras model")
    inputs = [tuple(shape) for shape in entry["inputs"]] if entry.get("inputs") else None
    return _describe_keras(model, inputs) if _is_keras(model) else _describe_torch(model, inputs, entry)


def _is_keras(obj) -> bool:
    import keras

    return isinstance(obj, keras.Model)


def _is_model(obj) -> bool:
    import torch

    return _is_keras(obj) or (isinstance(obj, torch.nn.Module) and not isinstance(obj, torch.nn.modules.loss._Loss))


def _describe_keras(model, inputs) -> dict:
    import keras

    if not model.built or not _has_graph(model):
        if inputs is None:
            raise OracleError("this Keras model has no input shape yet; give the entry 'inputs'")
        if isinstance(model, keras.Sequential):
            model.build((None, *inputs[0]) if len(inputs) == 1 else [(None, *shape) for shape in inputs])
    if _has_graph(model):
        outputs = [oracle._shape(tensor.shape) for tensor in model.outputs]
    else:
        zeros = [keras.ops.zeros((1, *shape)) for shape in inputs]
        produced = model(zeros[0] if len(zeros) == 1 else zeros)
        outputs = [[None, *oracle._shape(tensor.shape)[1:]] for tensor in keras.tree.flatten(produced)]
    return {
        "framework": "keras",
        "total_params": int(model.count_params()),
        "trainable_params": oracle._size(model.trainable_weights),
        "non_trainable_params": oracle._size(model.non_trainable_weights),
        "output_shape": outputs[0],
        "output_shapes": outputs,
    }


def _has_graph(model) -> bool:
    try:
        return bool(model.outputs)
    except (AttributeError, ValueError):
        return False


def _describe_torch(model, inputs, entry) -> dict:
    if inputs is None:
        raise OracleError("a PyTorch model needs the entry's 'inputs'")
    extra = (eval(entry["state"], {"model": model}),) if entry.get("state") else ()  # noqa: S307 - the row's own
    described = oracle._describe_torch(model, inputs, entry.get("dtype"), not entry.get("unbatched"), extra)
    keys = ("framework", "total_params", "trainable_params", "non_trainable_params", "output_shape")
    return {**{key: described[key] for key in keys}, "output_shapes": [described["output_shape"]]}


# ----- the batch process -------------------------------------------------------------------------------


def _timeout(signum, frame):
    raise StatementTimeout(f"a statement ran longer than {STATEMENT_SECONDS} s")


def _child(job: list[dict], workdir: str) -> dict:
    """In the forked child: an empty working folder, a CPU limit, the guards, then the job."""
    os.chdir(tempfile.mkdtemp(dir=workdir))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_SECONDS, CHILD_SECONDS + 5))
    signal.signal(signal.SIGALRM, _timeout)
    install_guards()
    return run_job(job)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "--batch":
        print("usage: python script_oracle.py --batch WORKDIR < jobs.json", file=sys.stderr)
        return 2
    jobs = json.load(sys.stdin)
    out = oracle._claim_stdout()  # what the scripts print goes to stderr
    import keras  # noqa: F401 - imported once, inherited by every forked child
    import numpy  # noqa: F401
    import torch  # noqa: F401

    results = {}
    for job in jobs:
        done = oracle._run_forked(job, run=lambda job: _child(job, argv[1]))
        for entry in job:
            results[entry["id"]] = done["result"][entry["id"]] if "result" in done else done
    json.dump(results, out)
    out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
