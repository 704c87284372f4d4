"""The static pipeline: read a file, interpret it over the symbolic frameworks, find the model, trace it,
build the report. Nothing in the file is executed by Python; it is interpreted by :mod:`nncalc.interpreter`.
"""

from __future__ import annotations

import ast
import builtins
import os
import re

TYPE_CHECKING = False  # typing costs milliseconds of every start; only type checkers need these
if TYPE_CHECKING:
    from typing import Any

from nncalc.errors import InputError, Location, ModelNotFound, NncalcError
from nncalc.graph import Graph
from nncalc.records import dataclass
from nncalc.report import Report, build_report

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOKENS = 300_000
"""Words and symbols of one file (counted roughly, strings' words included): parsing happens before the
interpreter's clock starts and costs about 20 µs and 1.5 KB per token, so this bounds it (about 6 s and
450 MB). The largest real Python files have fewer (torch's largest source file: 270,000)."""
_TOKEN = re.compile(r"[A-Za-z_0-9]+|[^\sA-Za-z_0-9]")


@dataclass
class Source:
    """A model file's text and the name used in messages."""

    text: str
    filename: str


def read_source(path_or_source: str | os.PathLike) -> Source:
    """A path is read as UTF-8; a string with a newline is taken as source text itself."""
    if isinstance(path_or_source, str) and "\n" in path_or_source:
        if len(path_or_source) > MAX_FILE_BYTES:
            raise InputError(
                f"<string>: the source has {len(path_or_source):,} characters; nncalc reads up to {MAX_FILE_BYTES:,}"
            )
        if "\x00" in path_or_source:
            line = path_or_source.count("\n", 0, path_or_source.index("\x00")) + 1
            raise InputError(f"<string>:{line}: contains NUL bytes; it is not Python source")
        return _checked(Source(path_or_source, "<string>"))
    path = os.fspath(path_or_source)
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path}: the file is {size:,} bytes; nncalc reads model files up to {MAX_FILE_BYTES:,}")
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give a Python model file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})") from None
    if b"\x00" in data:
        raise InputError(f"{path}: contains NUL bytes; it is not a Python source file")
    try:
        source = Source(data.decode("utf-8-sig"), path)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte {err.start}); save the file as UTF-8") from None
    return _checked(source)


def _checked(source: Source) -> Source:
    """Refuse a file too large to parse within the limits (see :data:`MAX_TOKENS`)."""
    tokens = 0
    for _ in _TOKEN.finditer(source.text):
        tokens += 1
        if tokens > MAX_TOKENS:
            raise InputError(
                f"{source.filename}: the file has more than {MAX_TOKENS:,} words and symbols; nncalc reads model "
                "files up to that size"
            )
    return source


FRAMEWORK_MODULES = {"torch": "pytorch", "keras": "keras", "tensorflow": "keras", "tf_keras": "keras"}
TORCH_SNIPPET_NAMES = {"torch", "nn", "F"}
BUILTIN_NAMES = set(dir(builtins))


def frameworks_used(text: str) -> tuple[set[str], bool]:
    """Which symbolic frameworks a file needs, and whether it is a snippet (imports no framework).

    A snippet uses ``nn``/``torch``/``F`` (PyTorch) or Keras's names (``Sequential``, ``Conv2D``, …) unbound;
    only the frameworks a file needs are loaded, which keeps start-up short.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {"pytorch", "keras"}, False  # the interpreter reports it properly
    imported: set[str] = set()
    bound: set[str] = set()
    loaded: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(FRAMEWORK_MODULES.get(a.name.split(".")[0], "") for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(FRAMEWORK_MODULES.get((node.module or "").split(".")[0], ""))
        elif isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    imported.discard("")
    if imported:
        return imported, False
    free = loaded - bound
    needed = set()
    if free & TORCH_SNIPPET_NAMES:
        needed.add("pytorch")
    if free - TORCH_SNIPPET_NAMES - BUILTIN_NAMES:
        needed.add("keras")
    return needed or {"pytorch", "keras"}, True


def _sessions(names: set[str]) -> list:
    sessions = []
    if "pytorch" in names:
        from nncalc.frameworks import torch as torch_api

        sessions.append(torch_api.new_session())
    if "keras" in names:
        from nncalc.frameworks import keras as keras_api

        sessions.append(keras_api.new_session())
    return sessions


def analyze(
    path_or_source: str | os.PathLike,
    *,
    input_shape: tuple | None = None,
    input_shapes: list[tuple] | None = None,
    batch: int | None = None,
    model: str | None = None,
    dtype: str | None = None,
    optimizer: str = "adam",
    mixed_precision: bool = False,
    filename: str | None = None,
    limits=None,
) -> Report:
    """Analyse a model file (or source text) without executing it.

    Args:
        path_or_source: a path to a ``.py`` file, or the source text itself.
        input_shape: the input's shape without the batch, e.g. ``(3, 32, 32)``; for several inputs use
            ``input_shapes``. Keras files usually carry their own; PyTorch shapes are inferred when the
            layers pin them down.
        batch: the batch size (PyTorch default 1, Keras ``None``).
        model: the name of the module-level variable, class or function holding the model.
        dtype: an integer type (``"int64"``, ``"int32"``) is the input's dtype (token indices); a float or
            quantised type (``"fp32"``, ``"fp16"``, ``"bf16"``, ``"int8"``, ``"int4"``) is the precision of
            the weights, which sets the memory estimates.
        optimizer: ``"sgd"``, ``"momentum"``, ``"adam"`` or ``"adamw"``, for the training memory estimate.
        mixed_precision: estimate training memory for mixed precision (16-bit weights, fp32 master copy).
        filename: the name messages give source text (``<string>`` by default), e.g. ``model.py``.
        limits: the interpreter's budgets (:class:`nncalc.interpreter.Limits`); the defaults when None.

    Returns:
        The :class:`~nncalc.report.Report`.

    Raises:
        NncalcError: with file, line and the fix, for anything wrong with the input or the model.
    """
    graph = trace(path_or_source, input_shape=input_shape, input_shapes=input_shapes, batch=batch, model=model,
                  dtype=dtype, filename=filename, limits=limits)
    return build_report(graph, split_dtype(dtype)[1], optimizer, mixed_precision)


def trace(
    path_or_source: str | os.PathLike,
    *,
    input_shape: tuple | None = None,
    input_shapes: list[tuple] | None = None,
    batch: int | None = None,
    model: str | None = None,
    dtype: str | None = None,
    filename: str | None = None,
    limits=None,
) -> Graph:
    """The traced :class:`~nncalc.graph.Graph` that :func:`analyze` reports on (its calls know their inputs'
    sources, which the report does not keep: the web page's diagram draws them). Arguments as for analyze."""
    from nncalc.interpreter import default_modules, run_source

    source = read_source(path_or_source)
    if filename is not None and source.filename == "<string>":
        source = Source(source.text, filename)
    needed, snippet = frameworks_used(source.text)
    sessions = _sessions(needed)
    modules = dict(default_modules())
    prelude: dict[str, Any] = {}
    for session in sessions:
        modules.update(session.modules)
        prelude.update(session.snippet_names)
    namespace = run_source(
        source.text, source.filename, modules=modules, prelude=prelude if snippet else None, limits=limits
    )
    shapes = input_shapes if input_shapes is not None else ([tuple(input_shape)] if input_shape else None)
    found, session, name = find_model(namespace, sessions, source, model)
    input_dtype, _ = split_dtype(dtype)
    try:
        graph = session.trace(found, shapes, batch, input_dtype)
    except NncalcError as err:
        raise err.attach(Location(source.filename, _definition_line(source.text, name))) from None
    graph.file = source.filename
    if name and graph.model_name in ("", None):
        graph.model_name = name
    return graph


INDEX_DTYPES = ("int64", "int32", "int16", "uint8", "long", "int")


def split_dtype(dtype: str | None) -> tuple[str | None, str | None]:
    """``--dtype``: an index type is the input's dtype, anything else the weights' precision."""
    if dtype is None:
        return None, None
    if dtype.lower() in INDEX_DTYPES:
        return dtype.lower(), None
    return None, dtype


def find_model(namespace: dict, sessions: list, source: Source, wanted: str | None):
    """The model a user would point at, per DESIGN.md; returns (model, session, name)."""
    if wanted is not None:
        return _named_model(namespace, sessions, source, wanted)
    instances = [
        (name, value, s)
        for name, value in namespace.items()
        for s in sessions
        if _safe(s.is_model, value) and not _safe(s.is_auxiliary, value)
    ]
    if instances:
        name, value, session = instances[-1]
        return value, session, name
    classes = [(name, value, s) for name, value in namespace.items() for s in sessions if _safe(s.is_model_class, value)]
    if not classes:
        raise ModelNotFound(
            f"{source.filename}: no model found",
            hint="define an nn.Module subclass, or assign a Keras model at module level (model = Sequential([...])); "
            "or name one with --model NAME",
        )
    roots = _unused_classes(source.text, [name for name, _, _ in classes])
    if len(roots) != 1:
        names = ", ".join(roots or [name for name, _, _ in classes])
        raise ModelNotFound(
            f"{source.filename}: several models could be meant: {names}",
            hint=f"choose one with --model NAME, e.g. --model {(roots or [classes[-1][0]])[-1]}",
        )
    for name, value, session in classes:
        if name == roots[0]:
            return _build(value, name, source), session, name
    raise AssertionError("unreachable")


def _named_model(namespace: dict, sessions: list, source: Source, wanted: str):
    if wanted not in namespace:
        known = [n for n, v in namespace.items() if any(_safe(s.is_model, v) or _safe(s.is_model_class, v) for s in sessions)]
        raise ModelNotFound(
            f"{source.filename}: no name {wanted!r} at module level",
            hint=("models found: " + ", ".join(known)) if known else "no models found in the file",
        )
    value = namespace[wanted]
    for session in sessions:
        if _safe(session.is_model, value):
            return value, session, wanted
        if _safe(session.is_model_class, value):
            return _build(value, wanted, source), session, wanted
    if callable(value):
        built = _build(value, wanted, source)
        for session in sessions:
            if _safe(session.is_model, built):
                return built, session, wanted
    raise ModelNotFound(f"{source.filename}: {wanted!r} is not a model, a model class, or a function returning one")


def _build(factory, name: str, source: Source):
    try:
        return factory()
    except NncalcError as err:
        if "argument" in err.message:
            raise ModelNotFound(
                f"{source.filename}: `{name}()` cannot be built without arguments ({err.message})",
                location=err.location,
                hint="give its arguments defaults, or assign an instance at module level (model = "
                f"{name}(...)) and pass --model model",
            ) from None
        raise


def _definition_line(text: str, name: str | None) -> int:
    """The line of the last module-level statement that defines ``name`` (1 when unknown)."""
    line = 1
    for node in ast.parse(text).body:
        targets: list[ast.expr] = []
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and node.name == name:
            line = node.lineno
        elif any(isinstance(t, ast.Name) and t.id == name for t in targets):
            line = node.lineno
    return line


def _unused_classes(text: str, names: list[str]) -> list[str]:
    """Candidate classes that no other candidate class mentions (as a base or in its body)."""
    tree = ast.parse(text)
    mentioned: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in names:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name) and inner.id != node.name:
                    mentioned.add(inner.id)
                elif isinstance(inner, ast.Attribute):
                    mentioned.add(inner.attr)
    return [n for n in names if n not in mentioned]


def _safe(predicate, value) -> bool:
    try:
        return bool(predicate(value))
    except Exception:  # a predicate on a foreign value must never fail the analysis
        return False
