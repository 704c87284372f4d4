"""The static pipeline: read a file, interpret it over the symbolic frameworks, find the model, trace it,
build the report. Nothing in the file is executed by Python; it is interpreted by :mod:`nncalc.interpreter`.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import sys

TYPE_CHECKING = False  # typing costs milliseconds of every start; only type checkers need these
if TYPE_CHECKING:
    from typing import Any

from nncalc import result_cache
from nncalc.errors import InputError, Location, ModelNotFound, NncalcError
from nncalc.graph import Graph
from nncalc.notebook import is_notebook, read_notebook
from nncalc.pyparse import parse
from nncalc.reading import read_regular_file
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
    """A model file's text and the name used in messages. A notebook's ``text`` is its code cells joined
    (for what reads the whole file's syntax); ``cells`` holds them one by one (:mod:`nncalc.notebook`)."""

    text: str
    filename: str
    cells: tuple | None = None

    def labelled_cells(self) -> list[tuple[str, str]]:
        """``(label, text)`` of each code cell: ``("nb.ipynb:cell 7", "model = ...")``."""
        return [(f"{self.filename}:cell {cell.number}", cell.text) for cell in self.cells or ()]

    def definition(self, name: str | None) -> Location:
        """Where the last module-level statement defining ``name`` is (line 1 when none)."""
        if self.cells is None:
            return Location(self.filename, definition_line(self.text, name))
        found = Location(self.filename, 1)
        for label, text in self.labelled_cells():
            line = definition_line(text, name, default=0)
            if line:
                found = Location(label, line)
        return found


def read_source(path_or_source: str | os.PathLike | Source) -> Source:
    """The text to analyse, read once: a :class:`Source` stays as it is; ``"-"`` is standard input; a
    ``PathLike``, or a string that names a file or looks like a file name (one line, ending in ``.py`` or
    ``.ipynb``, or without spaces, brackets and ``=``), is a path read as UTF-8 (a notebook's code cells for
    ``.ipynb``); any other string (one with a newline, or a line of code like ``model = nn.Linear(3, 4)``) is
    the source text itself."""
    if isinstance(path_or_source, Source):
        return path_or_source
    if isinstance(path_or_source, str) and path_or_source == "-":
        result_cache.note_unrepeatable()
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(f"<stdin>: more than {MAX_FILE_BYTES:,} bytes; nncalc reads model files up to that size")
        return _decoded(data, "<stdin>")
    if isinstance(path_or_source, str) and not _names_a_file(path_or_source):
        if len(path_or_source) > MAX_FILE_BYTES:
            raise InputError(
                f"<string>: the source has {len(path_or_source):,} characters; nncalc reads up to {MAX_FILE_BYTES:,}"
            )
        if "\x00" in path_or_source:
            line = path_or_source.count("\n", 0, path_or_source.index("\x00")) + 1
            raise InputError(f"<string>:{line}: contains NUL bytes; it is not Python source")
        return _checked(Source(path_or_source, "<string>"))
    path = os.fspath(path_or_source)
    data = read_regular_file(path, MAX_FILE_BYTES)  # a pipe the user gives (/dev/stdin) is read bounded
    return _decoded(data, path)


_CODE_CHARACTERS = re.compile(r"[\s()\[\]=;]")


def _names_a_file(text: str) -> bool:
    """Is this string meant as a path rather than as source text (see :func:`read_source`)?"""
    if "\n" in text:
        return False
    return os.path.exists(text) or text.endswith((".py", ".ipynb")) or not _CODE_CHARACTERS.search(text)


def _decoded(data: bytes, name: str) -> Source:
    if b"\x00" in data:
        raise InputError(f"{name}: contains NUL bytes; it is not a Python source file")
    try:
        source = Source(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"{name}:{line}: not valid UTF-8 (byte {err.start}); save the file as UTF-8") from None
    if is_notebook(name):
        cells = tuple(read_notebook(source.text, name))
        source = Source("\n".join(cell.text for cell in cells), name, cells)
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


FRAMEWORK_MODULES = {"torch": "pytorch", "keras": "keras", "tensorflow": "keras", "tf_keras": "keras", "einops": "pytorch"}
TORCH_SNIPPET_NAMES = {"torch", "nn", "F"}
BUILTIN_NAMES = set(dir(builtins))


def frameworks_used(text: str) -> tuple[set[str], bool]:
    """Which symbolic frameworks a file needs, and whether it is a snippet (imports no framework).

    A snippet uses ``nn``/``torch``/``F`` (PyTorch) or Keras's names (``Sequential``, ``Conv2D``, …) unbound;
    only the frameworks a file needs are loaded, which keeps start-up short.
    """
    try:
        tree = parse(text)
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


@dataclass
class Program:
    """A file read and interpreted, before a model is chosen: what ``summary``, ``check``, ``convert`` and
    the web page all start from (:func:`load_program`)."""

    source: Source
    sessions: list
    namespace: dict
    bindings: dict
    """In a notebook, ``{(name, cell number): value}`` for every model bound in each cell (``--model m@7``)."""

    @property
    def skipped(self) -> list:
        return list(getattr(self.namespace, "skipped", ()))


def load_program(
    path_or_source: str | os.PathLike,
    *,
    filename: str | None = None,
    limits=None,
    set_values: dict | None = None,
    prepare=None,
    root: str | None = None,
    source_paths: list[str] | None = None,
) -> Program:
    """Read a file (a script, a snippet, a notebook) and interpret it in script mode over the symbolic
    frameworks it uses. ``prepare(sessions)`` may adjust the sessions' modules first (``convert`` records
    calls). A file's imports of its project's modules (under ``root``, found from the file when None) and
    of library sources (``source_paths``, then site-packages) are read the same way. Nothing in the file is
    executed."""
    from nncalc.interpreter import default_modules, run_source

    source = read_source(path_or_source)
    if filename is not None and source.filename == "<string>":
        source = Source(source.text, filename)
    needed, snippet = frameworks_used(source.text)
    sessions = _sessions(needed)
    if prepare is not None:
        prepare(sessions)
    modules = dict(default_modules())
    prelude: dict[str, Any] = {}
    for session in sessions:
        modules.update(session.modules)
        prelude.update(session.snippet_names)
    bindings: dict = {}
    loader = None
    if not source.filename.startswith("<") and os.path.isfile(source.filename):
        from nncalc.interpreter.project import ProjectLoader, source_paths as library_paths

        loader = ProjectLoader(source.filename, root, lambda: library_paths(source_paths))
    elif root is not None or source_paths:
        from nncalc.interpreter.project import ProjectLoader, source_paths as library_paths

        loader = ProjectLoader(os.path.join(root or os.getcwd(), "<string>.py"), root,
                               lambda: library_paths(source_paths))
    options = dict(modules=modules, prelude=prelude if snippet else None, limits=limits, tolerant=True,
                   overrides=set_values, loader=loader, provider=_framework_provider(sessions, prepare),
                   prelude_more=_prelude_more(sessions) if snippet else None)
    if source.cells is None:
        namespace = run_source(source.text, source.filename, **options)
    else:
        namespace = run_source(source.labelled_cells(), source.filename, on_cell=_binding_recorder(sessions, bindings),
                               **options)
    return Program(source, sessions, namespace, bindings)


def _prelude_more(sessions: list):
    """A snippet's names the sessions bind on first use (:meth:`KerasSession.snippet_more`)."""
    lookups = [session.snippet_more for session in sessions if hasattr(session, "snippet_more")]

    def more(name: str):
        return next((value for value in (lookup(name) for lookup in lookups) if value is not None), None)

    return more if lookups else None


def _framework_provider(sessions: list, prepare):
    """The symbolic framework a module of the project imports when the main file did not (its session is
    added to ``sessions``)."""

    def provide(root: str) -> dict | None:
        name = FRAMEWORK_MODULES.get(root)
        if name is None or any(s.name == name for s in sessions):
            return None
        added = _sessions({name})
        if prepare is not None:
            prepare(added)
        sessions.extend(added)
        return dict(added[0].modules)

    return provide


def _binding_recorder(sessions: list, bindings: dict):
    """After each notebook cell: remember the models bound at module level, by name and cell."""
    seen: dict[str, int] = {}

    def record(namespace, label: str) -> None:
        number = int(label.rpartition(" ")[2])
        for name, value in namespace.items():
            if seen.get(name) != id(value) and any(_safe(s.is_model, value) for s in sessions):
                bindings[(name, number)] = value
            seen[name] = id(value)

    return record


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
    set_values: dict | None = None,
    root: str | None = None,
    source_paths: list[str] | None = None,
    seq_len: int | None = None,
    params_only: bool = False,
) -> Report:
    """Analyse a model file (or source text) without executing it.

    Args:
        path_or_source: a path to a ``.py`` file (``"-"``: standard input), or the source text itself: a
            string with a newline, or one line of code (see :func:`read_source` for how a string is told apart
            from a file name).
        input_shape: the input's shape without the batch, e.g. ``(3, 32, 32)``; for several inputs use
            ``input_shapes``. Keras files usually carry their own; PyTorch shapes are inferred when the
            layers pin them down.
        batch: the batch size (PyTorch default 1, Keras ``None``); 0: PyTorch inputs without a batch dimension
            (``--unbatched``: ``input_shapes`` are whole shapes).
        model: the name of the module-level variable, class or function holding the model.
        dtype: an integer type (``"int64"``, ``"int32"``) is the input's dtype (token indices); a float or
            quantised type (``"fp32"``, ``"fp16"``, ``"bf16"``, ``"int8"``, ``"int4"``) is the precision of
            the weights, which sets the memory estimates.
        optimizer: ``"sgd"``, ``"momentum"``, ``"adam"`` or ``"adamw"``, for the training memory estimate.
        mixed_precision: estimate training memory for mixed precision (16-bit weights, fp32 master copy).
        filename: the name messages give source text (``<string>`` by default), e.g. ``model.py``.
        limits: the interpreter's budgets (:class:`nncalc.interpreter.Limits`); the defaults when None.
        set_values: values for module-level names the file cannot compute (``--set``):
            ``{"num_classes": 10, "args.epochs": 1}``.
        root: the project root its imports are read from (default: found from the file).
        source_paths: folders or wheels holding library sources (``torchvision``, ``timm``) to read, before
            site-packages and ``NNCALC_SOURCE_PATH``.
        seq_len: the size of every unknown length of the inputs (``keras.Input(shape=(None, 8))``); without
            it such a model's MACs, activations and memory are per step (``Report.per_step``).
        params_only: the parameters of the PyTorch module tree without a forward pass (what torchinfo lists
            without an input): no output shapes, MACs or activation memory; for models whose forward nncalc
            cannot follow (detection models that filter by data) or whose input is not known.

    Returns:
        The :class:`~nncalc.report.Report`.

    Raises:
        NncalcError: with file, line and the fix, for anything wrong with the input or the model.
    """
    graph = trace(path_or_source, input_shape=input_shape, input_shapes=input_shapes, batch=batch, model=model,
                  dtype=dtype, filename=filename, limits=limits, set_values=set_values, root=root,
                  source_paths=source_paths, seq_len=seq_len, params_only=params_only)
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
    set_values: dict | None = None,
    root: str | None = None,
    source_paths: list[str] | None = None,
    seq_len: int | None = None,
    params_only: bool = False,
) -> Graph:
    """The traced :class:`~nncalc.graph.Graph` that :func:`analyze` reports on (its calls know their inputs'
    sources, which the report does not keep: the web page's diagram draws them). Arguments as for analyze."""
    program = load_program(path_or_source, filename=filename, limits=limits, set_values=set_values, root=root,
                           source_paths=source_paths)
    source = program.source
    shapes = input_shapes if input_shapes is not None else ([tuple(input_shape)] if input_shape else None)
    found, session, name = find_model(program.namespace, program.sessions, source, model, program.bindings)
    refuse_poisoned_parts(found, name, program.namespace, program.sessions)
    input_dtype, _ = split_dtype(dtype)
    try:
        if params_only:
            graph = _module_tree(session, found)
        elif shapes is None and hasattr(session, "trace_as_used"):  # the file's own input, else inferred
            graph = session.trace_as_used(found, source.text, {name, type(found).__name__}, batch, input_dtype,
                                          program.namespace)
        else:
            graph = session.trace(found, shapes, batch, input_dtype)
        if seq_len is not None and not params_only:
            graph = _at_length(session, found, graph, seq_len, batch, input_dtype)
    except NncalcError as err:
        raise err.attach(source.definition(name)) from None
    graph.file = source.filename
    graph.skipped = program.skipped
    graph.notes.extend(n for n in getattr(program.namespace, "notes", ()) if n not in graph.notes)
    if name and graph.model_name in ("", None):
        graph.model_name = name
    return graph


def _module_tree(session, model) -> Graph:
    """``--params-only``: the module tree without a forward pass (PyTorch); input shapes are not used."""
    if not hasattr(session, "module_tree"):
        raise InputError("--params-only reads PyTorch module trees; a Keras layer has its weights once it is built "
                         "on an input", hint="leave --params-only out (with --input-shape if needed)")
    return session.module_tree(model)


def _at_length(session, model, graph: Graph, seq_len: int, batch: int | None, dtype: str | None) -> Graph:
    """``--seq-len``: the model traced again with the unknown sizes of its inputs (besides the batch) set."""
    given = [tuple(shape[1:]) for shape in graph.input_shapes]
    shapes = [tuple(seq_len if size is None else size for size in shape) for shape in given]
    if shapes == given:
        raise InputError(f"--seq-len {seq_len}: no input of the model has an unknown length (inputs "
                         f"{', '.join(map(str, graph.input_shapes))})", hint="leave --seq-len out")
    graph = session.trace(model, shapes, batch, dtype)
    graph.notes[:] = [n for n in graph.notes if "from --input-shape" not in n]
    graph.notes.append(f"unknown lengths set to {seq_len} (--seq-len)")
    return graph


INDEX_DTYPES = ("int64", "int32", "int16", "uint8", "long", "int")
INPUT_DTYPES = ("float32", "float16", "bfloat16", "float64", "int64", "int32", "int16", "uint8", "bool")
"""The dtypes ``--dtype A,B`` gives the inputs, one each."""


def split_dtype(dtype: str | None) -> tuple[str | tuple | None, str | None]:
    """``--dtype``: an index type is the input's dtype, anything else the weights' precision; several names
    (``float32,int64``) are the inputs' dtypes, one per input (a spectrogram and its tokens)."""
    if dtype is None:
        return None, None
    if "," in dtype:
        names = tuple(part.strip().lower() for part in dtype.split(","))
        wrong = [name for name in names if name not in INPUT_DTYPES]
        if wrong:
            raise InputError(f"--dtype {dtype}: {wrong[0]!r} is not a dtype an input can have",
                             hint="one per input, in --input-shape's order, from: " + ", ".join(INPUT_DTYPES))
        return names, None
    if dtype.lower() in INDEX_DTYPES:
        return dtype.lower(), None
    return None, dtype


def poisoned_record(value):
    from nncalc.interpreter.script import poisoned_record as record

    return record(value)


def find_model(namespace: dict, sessions: list, source: Source, wanted: str | None, bindings: dict | None = None):
    """The model a user would point at, per DESIGN.md; returns (model, session, name). In a notebook,
    ``name@7`` is the model ``name`` held after cell 7 (``bindings`` from :func:`load_program`).

    A model instance at module level (the last one); else, among the model classes no other class or factory
    uses that build without arguments and the module-level functions that build a model without arguments
    (``def ResNet18(): return ResNet(BasicBlock, [2, 2, 2, 2])``), the one there is. Several are named in the
    error; none: the classes' constructors are shown with a ready ``--model "Net(…)"``.
    """
    if wanted is not None and "@" in wanted:
        return _cell_model(namespace, sessions, source, wanted, bindings or {})
    if wanted is not None:
        return _named_model(namespace, sessions, source, wanted)
    _refuse_skipped_model(namespace, sessions, source)
    instances = [
        (name, value, s)
        for name, value in namespace.items()
        for s in sessions
        if is_user_model(s, value)
    ]
    rebound = _rebound_models(namespace, sessions)
    if rebound and (not instances or _position(rebound[-1][3]) > _position(source.definition(instances[-1][0]))):
        name, value, session, _ = rebound[-1]
        return value, session, name
    if instances:
        name, value, session = instances[-1]
        _note_wrappers(namespace, sessions, source, name)
        return value, session, name
    candidates = buildable_models(namespace, sessions, source)
    if len(candidates) > 1:
        names = ", ".join(name for _, _, name in candidates)
        raise ModelNotFound(f"{source.filename}: several models could be meant: {names}",
                            hint=f"choose one with --model NAME, e.g. --model {candidates[-1][2]}")
    factory, _, name = candidates[0]
    model, session = build_model(factory, name, source, sessions)
    return model, session, name


def _note_wrappers(namespace: dict, sessions: list, source: Source, chosen: str) -> None:
    """Training wrappers bound after the model reported (``gan = GAN(discriminator, generator)``): a note says
    they were passed over and which other models the file has."""
    after = _position(source.definition(chosen))
    wrappers = [n for n, v in namespace.items() if any(_safe(s.is_wrapper, v) for s in sessions)
                and _position(source.definition(n)) > after]
    notes = getattr(namespace, "notes", None)
    if not wrappers or notes is None:
        return
    others = [n for n, v in namespace.items() if n != chosen
              and any(_safe(s.is_model, v) and not _safe(s.is_auxiliary, v) for s in sessions)]
    more = f"; the file's other models: {', '.join(f'--model {n}' for n in others)}" if others else ""
    notes.append(f"`{wrappers[-1]}` (line {source.definition(wrappers[-1]).line}) is a training wrapper (a keras.Model "
                 f"with no call()); this is the last model before it{more}")


def build_model(factory, name: str, source: Source, sessions: list):
    """``factory()`` (a model class or a factory function of :func:`buildable_models`) and its session."""
    model = _build(factory, name, source)
    session = next((s for s in sessions if _safe(s.is_model, model)), None)
    if session is None:
        raise ModelNotFound(f"{source.filename}: `{name}()` returns {type(model).__name__}, not a model",
                            hint="name the model with --model NAME")
    return model, session


def buildable_models(namespace: dict, sessions: list, source: Source) -> list:
    """What could be meant when the file assigns no model at module level, as ``(factory, session, name)``
    (see :func:`model_choices`; a factory function's session is None: it is what the built model is)."""
    sessions_of = {}
    for name, value in namespace.items():
        for s in sessions:
            if name not in sessions_of and _safe(s.is_model_class, value) and not _safe(s.is_auxiliary, value):
                sessions_of[name] = s
    classes, factories = model_choices(source.text, namespace, list(sessions_of), source.filename)
    return [(namespace[n], sessions_of[n], n) for n in classes] + [(namespace[n], None, n) for n in factories]


def model_choices(text: str, namespace: dict, classes: list[str], filename: str) -> tuple[list[str], list[str]]:
    """The model classes and factory functions a user could mean: the classes (of ``classes``) that no other
    class or factory function uses and that build without arguments, and the factory functions (module-level,
    callable without arguments, returning what a model class of the file or a framework model builds:
    ``def ResNet18(): return ResNet(BasicBlock, [2, 2, 2, 2])``). None at all: a :class:`ModelNotFound` that
    shows the constructors, with a ready ``--model "Net(…)"``."""
    tree = ast.parse(text)
    defined = {node.name: node for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    factories = _factories(tree, namespace, set(classes) | FRAMEWORK_MODELS)
    used = set(_mentions([defined[n] for n in factories]))
    roots = [n for n in _unused_classes(text, classes) if n not in used]
    signatures = {n: _constructor(defined, n) for n in roots or classes}
    buildable = [n for n in roots if signatures[n] is None or not signatures[n][1]]
    if buildable or factories:
        return buildable, factories
    if not classes:
        _no_model_but_skipped(namespace, tree)
        raise ModelNotFound(
            f"{filename}: no model found",
            hint="define an nn.Module subclass, or assign a Keras model at module level (model = Sequential([...])); "
            "or name one with --model NAME",
        )
    listed = ", ".join(f"{n}({signatures[n][0]})" if signatures[n] else n for n in roots or classes)
    raise ModelNotFound(f"{filename}: no model builds without arguments: {listed}",
                        hint=_arguments_hint(defined, (roots or classes)[-1]))


FRAMEWORK_MODELS = frozenset({"Sequential", "Model", "Functional"})
"""Framework model constructors a factory function may return (``keras.Sequential([...])``)."""


def _factories(tree: ast.Module, namespace: dict, models: set[str]) -> list[str]:
    """Module-level functions callable without arguments that return something built from a model class of
    the file or a framework model (``def ResNet18(): return ResNet(BasicBlock, [2, 2, 2, 2])``)."""
    names = []
    for node in tree.body:
        if (isinstance(node, ast.FunctionDef) and callable(namespace.get(node.name))
                and not isinstance(namespace.get(node.name), type) and not _required(node.args)
                and _returns_value(node) and models & set(_mentions([node]))):
            names.append(node.name)
    return names


def _mentions(nodes: list) -> list[str]:
    """The names and attribute names used inside these AST nodes."""
    return [n.id if isinstance(n, ast.Name) else n.attr for node in nodes for n in ast.walk(node)
            if isinstance(n, (ast.Name, ast.Attribute))]


def _returns_value(function: ast.FunctionDef) -> bool:
    """Does the function itself (not a function nested in it) return a value?"""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _required(args: ast.arguments, skip: int = 0) -> list[str]:
    """The parameters without a default (after the first ``skip``: ``self``)."""
    positional = [*args.posonlyargs, *args.args][skip:]
    without = positional[: len(positional) - len(args.defaults)] if args.defaults else positional
    return [a.arg for a in without] + [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None]


def _constructor(defined: dict, name: str, depth: int = 0) -> tuple[str, list[str]] | None:
    """``("block, num_blocks, num_classes=10", ["block", "num_blocks"])``: the class's ``__init__`` as written
    in the file (or its nearest base's there); None when the file does not show it."""
    node = defined.get(name)
    if not isinstance(node, ast.ClassDef) or depth > 20:
        return None
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            args = item.args
            positional = [*args.posonlyargs, *args.args][1:]
            shown = ast.arguments(posonlyargs=[], args=positional, vararg=args.vararg, kwonlyargs=args.kwonlyargs,
                                  kw_defaults=args.kw_defaults, kwarg=args.kwarg,
                                  defaults=args.defaults[-len(positional):] if positional else [])
            return ast.unparse(shown), _required(args, skip=1)
    for base in node.bases:
        if isinstance(base, ast.Name):
            found = _constructor(defined, base.id, depth + 1)
            if found is not None:
                return found
    return None


def _named_model(namespace: dict, sessions: list, source: Source, wanted: str):
    from nncalc.interpreter.unknown import Unknown

    if not wanted.isidentifier():
        return _expression_model(namespace, sessions, source, wanted)
    if wanted not in namespace:
        known = [n for n, v in namespace.items() if any(_safe(s.is_model, v) or _safe(s.is_model_class, v) for s in sessions)]
        raise ModelNotFound(
            f"{source.filename}: no name {wanted!r} at module level",
            hint=("models found: " + ", ".join(known)) if known else "no models found in the file",
        )
    value = namespace[wanted]
    rebound = _rebound_models(namespace, sessions, wanted)
    if rebound:
        return rebound[0][1], rebound[0][2], wanted
    record = poisoned_record(value)
    if record is not None:
        raise _skipped_model_error(record, wanted, namespace, sessions)
    for session in sessions:
        if _safe(session.is_model, value):
            return value, session, wanted
        if _safe(session.is_model_class, value):
            return _build(value, wanted, source), session, wanted
    if callable(value) and not isinstance(value, Unknown):
        built = _build(value, wanted, source)
        for session in sessions:
            if _safe(session.is_model, built):
                return built, session, wanted
    if isinstance(value, Unknown):
        building = [r for r in getattr(namespace, "skipped", ()) if wanted in r.names and r.building]
        if building:  # `model = keras.Model(...)` skipped, then `model = keras.models.load_model(path)`
            raise _skipped_model_error(building[-1], wanted, namespace, sessions)
        value._concrete(f"--model {wanted}")
    raise ModelNotFound(f"{source.filename}: {wanted!r} is not a model, a model class, or a function returning one")


def refuse_poisoned_parts(model, name: str | None, namespace: dict, sessions: list) -> None:
    """A model holding something a skipped statement would have built (``self.encoder = encoder`` after the
    line building ``encoder`` was skipped) is refused with that statement's error: never a model short of a
    part."""
    seen: set[int] = set()
    stack = [(model, name or "model", 0)]
    while stack:
        value, path, depth = stack.pop()
        if id(value) in seen or depth > 8 or len(seen) > 10_000:
            continue
        seen.add(id(value))
        record = poisoned_record(value)
        if record is not None:
            error = _skipped_model_error(record, path, namespace, sessions, exclude={name})
            error.message = f"`{path}` is not known: " + error.message.split(": ", 1)[1]
            error.args = (error.message,)
            raise error
        items = value.items() if type(value) is dict else enumerate(value) if type(value) in (list, tuple) else None
        if items is None:
            attrs = getattr(value, "__dict__", None)
            if attrs is None or not any((c.__module__ or "").startswith("nncalc.frameworks") for c in type(value).__mro__):
                continue
            items = attrs.items()
        for key, item in list(items)[:1000]:
            if not (isinstance(key, str) and key.startswith("__")):
                stack.append((item, f"{path}.{key}", depth + 1))


def _cell_model(namespace: dict, sessions: list, source: Source, wanted: str, bindings: dict):
    name, _, cell = wanted.partition("@")
    if not cell.isdigit():
        raise ModelNotFound(f"{source.filename}: --model {wanted}: write NAME@CELL, e.g. --model model@7")
    if (name, int(cell)) not in bindings:
        cells = sorted(c for n, c in bindings if n == name)
        hint = f"`{name}` is bound to a model in cells {', '.join(map(str, cells))}" if cells else None
        raise ModelNotFound(f"{source.filename}: cell {cell} binds no model `{name}`", hint=hint)
    value = bindings[(name, int(cell))]
    session = next(s for s in sessions if _safe(s.is_model, value))
    return value, session, name


def _rebound_models(namespace: dict, sessions: list, wanted: str | None = None) -> list:
    """Models the file built and then rebound to something nncalc cannot read (``model =
    keras.models.load_model(path)``, ``net = torch.load(f)``): ``(name, model, session, place of the rebinding)``
    in file order, each with a note saying so in ``namespace.notes``."""
    from nncalc.interpreter.unknown import Unknown

    history = getattr(namespace, "history", {})
    found = []
    for name, value in namespace.items():
        if (wanted is not None and name != wanted) or not isinstance(value, Unknown) or name not in history:
            continue
        models = [(place, v) for place, v in history[name]
                  if any(is_user_model(s, v) for s in sessions)]
        if not models:
            continue
        place, model = models[-1]
        session = next(s for s in sessions if _safe(s.is_model, model))
        record = poisoned_record(value)
        where = record.location if record is not None else place
        found.append((name, model, session, where))
        note = (f"`{name}` is rebound after line {place.line if place else '?'} to a value nncalc cannot read "
                f"(`{record.statement if record else value._name}`); this is the model the file built there")
        notes = getattr(namespace, "notes", None)
        if notes is not None and note not in notes:
            notes.append(note)
    return found


def _refuse_skipped_model(namespace: dict, sessions: list, source: Source) -> None:
    """The model a user would point at is the last one the file builds at module level; when the statement
    building it was skipped (a layer needs a value nncalc cannot know, or has no rule), refuse with that
    statement's error rather than report an earlier model."""
    from nncalc.interpreter.unknown import Unknown

    building = [(n, r) for n, v in namespace.items() if (r := poisoned_record(v)) is not None and r.building]
    building += [(n, r) for r in getattr(namespace, "skipped", ()) if r.building  # a branch of an `if` it skipped
                 for n in r.names if isinstance(namespace.get(n), Unknown) and poisoned_record(namespace[n]) is None]
    if not building:
        return
    name, record = max(building, key=lambda item: (_position(item[1].location), item[0] in item[1].names))
    if name not in record.names and record.names:
        name = record.names[0]  # the name the statement bound (`history = model.fit(...)` only carries it)
    models = [n for n, v in namespace.items()
              if any(is_user_model(s, v) for s in sessions)]
    later = [n for n in models if _position(source.definition(n)) > _position(record.location)]
    later += [n for n, _, _, where in _rebound_models(namespace, sessions) if _position(where) > _position(record.location)]
    if not later:
        raise _skipped_model_error(record, name, namespace, sessions)


def _position(location: Location) -> tuple[int, int]:
    """(cell, line) of a place, for ordering; cell 0 outside notebooks."""
    _, _, cell = location.file.rpartition(":cell ")
    return (int(cell) if cell.isdigit() else 0, location.line)


def _skipped_model_error(record, name: str, namespace: dict, sessions: list, exclude=()) -> NncalcError:
    """The error of the skipped statement that was building ``name``, with the other models as a hint."""
    error = record.error
    others = [n for n, v in namespace.items() if n != name and n not in exclude
              and any(is_user_model(s, v) for s in sessions)]
    hint = error.hint
    if others:
        more = f"the file's other models can be analysed: {', '.join(f'--model {n}' for n in others)}"
        hint = f"{hint}; {more}" if hint else more
    return type(error)(f"`{name}` cannot be built: {error.message}", error.location, hint)


def _no_model_but_skipped(namespace: dict, tree: ast.Module | None = None) -> None:
    """No model found, and statements were skipped: the likely reason is the last statement of the file
    itself that was skipped (the one building the model); else the last name the file binds to what a skipped
    statement of a module it imports left unknown (``model = GPT2LMHeadModel(...)`` where that class's
    definition was skipped); else the first skipped at all."""
    skipped = getattr(namespace, "skipped", None)
    if not skipped:
        return
    main = skipped[0].main
    own = [s for s in skipped if s.location.file == main or s.location.file.startswith(f"{main}:cell ")]
    hint = "no model was found; nncalc skipped this statement"
    if not own and tree is not None:
        bound = [(target.id, node) for node in tree.body if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name)]
        poisoned = [(name, node, record) for name, node in bound
                    if (record := poisoned_record(namespace.get(name))) is not None]
        if poisoned:
            name, node, record = poisoned[-1]
            error = record.error
            why = (f"`{name}` cannot be built: `{record.statement}` ({record.location.file}:{record.location.line}) "
                   f"was skipped: {error.location or ''}: {error.message}")
            raise type(error)(why, Location(main, node.lineno, node.col_offset),
                              f"{error.hint}; the module's statement was skipped" if error.hint else None)
    record = own[-1] if own else skipped[0]
    error, message = record.error, record.error.message
    if error.location is not None and error.location.file != record.location.file:  # raised in a library's source
        message = f"{message} (in `{record.statement}`, {record.location.file}:{record.location.line})"
    raise type(error)(message, error.location, f"{error.hint}; {hint}" if error.hint else hint)


def _expression_model(namespace: dict, sessions: list, source: Source, expression: str):
    """``--model "VGG('VGG19')"``: a Python expression evaluated by the safe interpreter in the file's
    namespace, after the file ran."""
    interpreter = getattr(namespace, "interpreter", None)
    if interpreter is None:
        raise ModelNotFound(f"{source.filename}: --model {expression!r} is not a name in the file")
    value = interpreter.evaluate(expression)
    from nncalc.interpreter.unknown import Unknown

    if isinstance(value, Unknown):
        value._concrete(f"--model {expression}")
    for session in sessions:
        if _safe(session.is_model, value):
            return value, session, expression
        if _safe(session.is_model_class, value):
            return _build(value, expression, source), session, expression
    raise ModelNotFound(f"{source.filename}: --model {expression} gives a {type(value).__name__}, not a model")


def _build(factory, name: str, source: Source):
    try:
        return factory()
    except NncalcError as err:
        if "argument" in err.message:
            raise ModelNotFound(
                f"{source.filename}: `{name}()` cannot be built without arguments ({err.message})",
                location=err.location,
                hint=_arguments_hint(source.text, name),
            ) from None
        raise


def _arguments_hint(defined: dict | str, name: str) -> str:
    """``--model "UNet(n_channels=…, n_classes=…)"``, from the constructor the file (its text, or its
    module-level definitions by name) shows."""
    if isinstance(defined, str):
        defined = {node.name: node for node in ast.parse(defined).body if isinstance(node, ast.ClassDef)}
    signature = _constructor(defined, name)
    needed = ", ".join(f"{arg}=…" for arg in signature[1]) if signature else "…"
    return (f'pass the arguments as an expression, --model "{name}({needed})", or give them defaults, or add a '
            f"function that builds it (def build(): return {name}(...))")


def definition_line(text: str, name: str | None, default: int = 1) -> int:
    """The line of the last module-level statement that defines ``name`` (``default`` when none)."""
    line = default
    try:
        body = parse(text).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return default
    for node in body:
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
    tree = parse(text)
    mentioned: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in names:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name) and inner.id != node.name:
                    mentioned.add(inner.id)
                elif isinstance(inner, ast.Attribute):
                    mentioned.add(inner.attr)
    return [n for n in names if n not in mentioned]


def is_user_model(session, value) -> bool:
    """Is ``value`` a model of ``session``'s framework that a user would point at (not a loss or a metric)?"""
    return _safe(session.is_model, value) and not _safe(session.is_auxiliary, value)


def _safe(predicate, value) -> bool:
    try:
        return bool(predicate(value))
    except Exception:  # a predicate on a foreign value must never fail the analysis
        return False
