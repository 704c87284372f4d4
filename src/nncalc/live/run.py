"""``nncalc summary FILE --run``: EXECUTE a model file with the real framework and summarise its live model.

This is the one path of nncalc that runs the user's code, and only when asked (``--run``): the file is
imported like a script (its ``if __name__ == "__main__":`` block excepted), with all the rights of the user
running it. The model is found by the static path's rules (:func:`nncalc.analysis.find_model`'s, applied to
real objects): ``--model NAME`` (an instance, a class built with its defaults, or a function returning a model);
else the last model instance assigned at module level (losses skipped); else the one ``nn.Module`` subclass of
the file that no other class of the file uses.
"""

from __future__ import annotations

import ast
import os
import sys
import traceback

from nncalc.errors import InputError, Location, ModelNotFound, NncalcError
from nncalc.report import Report

RUN_NAME = "__nncalc_run__"


class RunError(NncalcError):
    """The model file raised while it was being executed."""

    exit_code = 2


def summarize_file(path: str, *, input_shapes=None, batch=None, model=None, dtype=None, optimizer="adam",
                   mixed_precision=False) -> Report:
    """Execute ``path``, find its model and return ``nncalc.summary`` of it.

    ``input_shapes`` are without the batch, as on the command line; ``batch`` defaults to 1 for PyTorch and
    stays unknown for Keras. Without an input shape a PyTorch model is summarised by its parameters only.
    """
    from nncalc.analysis import read_source, split_dtype
    from nncalc.live import framework_of, summary

    source = read_source(path)
    tree = _parse(source)
    namespace = execute(path, source.text, tree)
    found, name = find_live_model(namespace, tree, source.text, path, model)
    framework = framework_of(found)
    input_dtype, precision = split_dtype(dtype)
    options = dict(verbose=0, precision=precision, optimizer=optimizer, mixed_precision=mixed_precision)
    notes = [f"ran {os.path.basename(path)} for real (--run) and summarised its model '{name}'"]
    if framework == "keras":
        size = (batch, *input_shapes[0]) if input_shapes else None
        report = summary(found, input_size=size, batch_size=batch, dtypes=input_dtype, **options)
    else:
        if not input_shapes:
            input_shapes = _static_input_shapes(path, name, model)
            if input_shapes:
                shown = ", ".join("×".join(map(str, shape)) for shape in input_shapes)
                notes.append(f"input shape {shown} as the file reads statically; pass --input-shape to choose another")
        sizes = [(batch or 1, *shape) for shape in input_shapes or []]
        dtypes = [input_dtype] if input_dtype else None
        report = summary(found, input_size=(sizes[0] if len(sizes) == 1 else sizes) if sizes else None,
                         dtypes=dtypes, **options)
    from dataclasses import replace

    return replace(report, file=path, notes=tuple(notes) + report.notes, display_depth=None)


def _static_input_shapes(path: str, name: str, wanted: str | None) -> list[tuple] | None:
    """The input shapes the static reading infers for this model, if it can read the file (it runs nothing)."""
    from nncalc.analysis import analyze

    try:
        report = analyze(path, model=wanted or name)
    except Exception:  # noqa: BLE001 - a file too dynamic to read statically: parameters only, with a note
        return None
    if report.framework != "pytorch" or not report.input_shapes:
        return None
    return [tuple(shape[1:]) for shape in report.input_shapes]


def _parse(source) -> ast.Module:
    try:
        return ast.parse(source.text, filename=source.filename)
    except SyntaxError as err:
        raise InputError(f"{source.filename}:{err.lineno}: {err.msg}") from None


def execute(path: str, text: str, tree: ast.Module) -> dict:
    """Run the file as a script would run it (its folder first on ``sys.path``); return its globals."""
    import runpy

    folder = os.path.dirname(os.path.abspath(path))
    init = _snippet_globals(tree) if not _imports_anything(tree) else None
    sys.path.insert(0, folder)
    try:
        return runpy.run_path(path, init_globals=init, run_name=RUN_NAME)
    except SystemExit as err:
        raise RunError(f"{path}: the file called exit({err.code}) while running", hint=_GUARD_HINT) from None
    except Exception as err:
        raise _user_error(path, err) from err
    finally:
        if sys.path and sys.path[0] == folder:
            sys.path.pop(0)


_GUARD_HINT = "put training or other top-level work under `if __name__ == \"__main__\":`; --run does not run it"


def _user_error(path: str, err: Exception) -> RunError:
    """The file's own exception, placed at the deepest line of the file in its traceback."""
    place = None
    for frame in traceback.extract_tb(err.__traceback__):
        if os.path.abspath(frame.filename) == os.path.abspath(path):
            place = Location(path, frame.lineno or 0, 0)
    missing = getattr(err, "name", None) if isinstance(err, ImportError) else None
    if missing in ("torch", "keras", "tensorflow"):
        extra = "torch" if missing == "torch" else "keras"
        return RunError(f"--run needs {missing}, which is not installed", location=place,
                        hint=f"pip install 'nncalc[{extra}]', or drop --run to read the file without running it")
    return RunError(f"running the file raised {type(err).__name__}: {err}", location=place, hint=_GUARD_HINT)


def _imports_anything(tree: ast.Module) -> bool:
    return any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in ast.walk(tree))


TORCH_NAMES = frozenset({"torch", "nn", "F"})
KERAS_NAMES = frozenset({"keras", "layers", "Sequential", "Model", "Input"})


def _snippet_globals(tree: ast.Module) -> dict:
    """A file that imports nothing (like the seed's snippets) sees the usual names, as in static reading; only
    the framework it names is imported."""
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    want_torch, want_keras = bool(used & TORCH_NAMES), bool(used & KERAS_NAMES)
    names: dict = {}
    if want_torch or not want_keras:
        try:
            import torch
            import torch.nn.functional as F
            from torch import nn

            names.update(torch=torch, nn=nn, F=F)
        except ImportError:
            pass
    if want_keras or not want_torch:
        try:
            import keras
            from keras import layers

            names.update({n: getattr(layers, n) for n in dir(layers) if not n.startswith("_")})
            names.update(keras=keras, layers=layers, Sequential=keras.Sequential, Model=keras.Model,
                         Input=keras.Input)
        except ImportError:
            pass
    return names


def _is_model(value) -> bool:
    from nncalc.live import framework_of

    if isinstance(value, type):
        return False
    try:
        framework = framework_of(value)
    except NncalcError:
        return False
    if framework == "pytorch":
        loss = getattr(sys.modules["torch"].nn.modules.loss, "_Loss", ())
        return not isinstance(value, loss)
    return True


def _is_model_class(value) -> bool:
    if not isinstance(value, type) or value.__module__ != RUN_NAME:
        return False
    torch = sys.modules.get("torch")
    keras = sys.modules.get("keras")
    if keras is not None and issubclass(value, keras.Model):
        return True
    if keras is not None and issubclass(value, keras.layers.Layer):
        return False
    if torch is not None and issubclass(value, torch.nn.Module):
        return not issubclass(value, torch.nn.modules.loss._Loss)
    return False


def find_live_model(namespace: dict, tree: ast.Module, text: str, path: str, wanted: str | None):
    """(model, name) by the static path's rules, on the file's real objects."""
    if wanted is not None:
        return _named(namespace, path, wanted), wanted
    for name in reversed(_assigned(tree)):
        if _is_model(namespace.get(name)):
            return namespace[name], name
    from nncalc.analysis import model_choices

    classes = [name for name, value in namespace.items() if _is_model_class(value)]
    buildable, factories = model_choices(text, namespace, classes, path)
    names = buildable + factories
    if len(names) != 1:
        raise ModelNotFound(f"{path}: several models could be meant: {', '.join(names)}",
                            hint=f"choose one with --model NAME, e.g. --model {names[-1]}")
    return _named(namespace, path, names[0]), names[0]


def _named(namespace: dict, path: str, wanted: str):
    if wanted not in namespace:
        raise ModelNotFound(f"{path}: no name {wanted!r} at module level after running the file")
    value = namespace[wanted]
    if _is_model(value):
        return value
    if callable(value):
        built = _build(value, wanted, path)
        if _is_model(built):
            return built
    raise ModelNotFound(f"{path}: {wanted!r} is not a model, a model class, or a function returning one")


def _build(factory, name: str, path: str):
    try:
        return factory()
    except TypeError as err:
        raise ModelNotFound(f"{path}: `{name}()` cannot be built without arguments ({err})",
                            hint=f"assign an instance at module level (model = {name}(...)) and pass --model model")
    except Exception as err:
        raise _user_error(path, err) from err


def _assigned(tree: ast.Module) -> list[str]:
    """Names bound by module-level assignments, in the order of their last assignment."""
    order: dict[str, None] = {}

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
                            order[node.id] = None
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(statement, field, []) or [])

    visit(tree.body)
    return list(order)
