"""The real frameworks' verdict on the check corpus: does PyTorch / Keras accept each model of a file?

Run in a fresh process (``python tests/check/real_run.py FILE...``); prints JSON ``{file: {"error": str|None,
"models": {name: "ok" | "ExceptionType: message"}}}``. ``error`` is an exception raised while the file itself
runs (Keras rejects an inconsistent model while it is built). PyTorch models run on zeros of the file's
``# nncalc: input-shape``. ``--sizes JSON`` instead takes ``[[FILE, C, RANK, [N1, N2, …]], …]``, runs each
file's one PyTorch model on square (cubic) inputs of each size and prints the sizes each accepts.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import oracle  # noqa: E402


def _verdict(run, path: Path | None = None) -> str:
    """``ok``, or the framework's error and the line of the model file where it was raised."""
    try:
        run()
    except Exception as error:  # noqa: BLE001 - the verdict is the framework's own error
        return describe(error, path)
    return "ok"


def describe(error: Exception, path: Path | None) -> str:
    """``ValueError: … (line 13)``: the last line of ``path`` in the traceback."""
    line = None
    frame = error.__traceback__
    while frame is not None:
        if path is not None and frame.tb_frame.f_code.co_filename == str(path):
            line = frame.tb_lineno
        frame = frame.tb_next
    text = f"{type(error).__name__}: {error}".splitlines()[0]
    return f"{text} (line {line})" if line else text


def models_of(namespace: dict, path: Path | None = None) -> dict:
    """The module-level model instances, and the file's nn.Module classes that no instance or other class uses
    (built with their defaults); a class that PyTorch refuses to build maps to its error."""
    import torch

    found = {name: value for name, value in namespace.items() if oracle._is_model_instance(value)}
    used = {type(sub) for model in found.values() if oracle._is_torch_module(model) for sub in model.modules()}
    classes = {name: value for name, value in namespace.items() if isinstance(value, type)
               and issubclass(value, torch.nn.Module) and value.__module__ == oracle.RUN_NAME and value not in used}
    built, refused = {}, {}
    for name, cls in classes.items():
        try:
            built[name] = cls()
        except TypeError:
            continue  # needs arguments: a building block, not a model
        except Exception as error:  # noqa: BLE001 - PyTorch's verdict on the class
            refused[name] = describe(error, path)
    inner = {type(sub) for model in built.values() for sub in model.modules() if sub is not model}
    found.update({name: model for name, model in built.items() if type(model) not in inner})
    return {**found, **refused}


def run_models(path: Path) -> dict:
    import torch

    directives = oracle.read_directives(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    try:
        namespace = oracle._execute(path, tree)
    except Exception as error:  # noqa: BLE001
        return {"error": describe(error, path), "models": {}}
    verdicts = {}
    for name, model in models_of(namespace, path).items():
        if isinstance(model, str):
            verdicts[name] = model
        elif oracle._is_torch_module(model):
            shape = directives.input_shape
            verdicts[name] = _verdict(lambda: model.eval()(torch.zeros(1, *shape)), path)
        else:
            verdicts[name] = "ok"  # Keras built it while the file ran
    return {"error": None, "models": verdicts}


def accepted_sizes(path: Path, channels: int, rank: int, sizes: list[int]) -> list[int]:
    import torch

    tree = ast.parse(path.read_text(encoding="utf-8"))
    (model,) = [m for m in models_of(oracle._execute(path, tree)).values()]
    model.eval()
    out = []
    with torch.no_grad():
        for size in sizes:
            if _verdict(lambda: model(torch.zeros(1, channels, *(size,) * rank))) == "ok":
                out.append(size)
    return out


def main(argv: list[str]) -> int:
    out = oracle._claim_stdout()
    import torch  # noqa: F401 - imported before any file runs

    if argv[0] == "--sizes":
        jobs = json.loads(argv[1])
        result = [accepted_sizes(Path(path), channels, rank, sizes) for path, channels, rank, sizes in jobs]
    else:
        import keras  # noqa: F401

        result = {str(Path(p).resolve()): run_models(Path(p).resolve()) for p in argv}
    json.dump(result, out)
    out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
