"""``nncalc check``: every shape problem of every model in the files, in one run, each with its place and fix.

The file is interpreted as for ``nncalc summary``, but inside :func:`nncalc.diagnostics.collecting`: a layer
that receives a size it can fix (``nn.Linear(3200, 128)`` getting 3136 features) records the error and goes
on as if fixed, so the errors after it are found too. An error with no such continuation stops that model;
the other models and files are still checked. Nothing is executed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from nncalc.check.diagnostic import Diagnostic, from_error, from_recorded, note
from nncalc.check.fixes import SourceFile
from nncalc.diagnostics import collecting
from nncalc.directives import parse_input_shapes, read_directives
from nncalc.errors import Location, NncalcError
from nncalc.report import check_sizes

@dataclass
class ModelChecked:
    """One model of a file: its name, framework, the input it was checked with and how that was chosen."""

    name: str
    framework: str
    line: int | None = None
    input_shapes: list = field(default_factory=list)
    note: str | None = None
    ok: bool = True
    batched: bool = True
    """False when the model's forward takes its inputs without a batch (the shapes are whole shapes)."""


@dataclass
class FileChecked:
    """The result of checking one file."""

    file: str
    models: list[ModelChecked] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 clean, 1 a model is inconsistent, 2 the file cannot be read (the worst of its problems)."""
        return max((d.exit_code for d in self.diagnostics if d.severity == "error"), default=0)


def check_files(paths: list[str], input_shapes: list[tuple] | None = None, model: str | None = None,
                dtype: str | None = None, check_one=None) -> list[FileChecked]:
    """Check every file (with ``check_one``, :func:`check_file` by default); one file's problems never stop
    the others."""
    check_one = check_one or check_file
    return [check_one(path, input_shapes, model, dtype) for path in paths]


def check_file(path: str | os.PathLike, input_shapes: list[tuple] | None = None, model: str | None = None,
               dtype: str | None = None) -> FileChecked:
    """Check every model of one file. ``input_shapes`` / ``model`` override the file's ``# nncalc:``
    directives (``# nncalc: input-shape 3,32,32``, ``# nncalc: model NAME``)."""
    from nncalc.analysis import read_source

    name = os.fspath(path)
    try:
        source = read_source(path)
    except NncalcError as error:
        return FileChecked(name, diagnostics=[from_error(error, None, name)])
    result = FileChecked(source.filename)
    text = SourceFile(source.text)
    directives = read_directives(source.text)
    model = model or directives.get("model")
    dtype = dtype or directives.get("dtype")
    fatal: list[Diagnostic] = []
    with collecting() as recorded:
        try:
            if input_shapes is None and "input-shape" in directives:
                input_shapes = parse_input_shapes(directives["input-shape"])
            _check_models(source, model, input_shapes, dtype, result, fatal, text)
        except NncalcError as error:
            fatal.append(from_error(error, text, source.filename))
    found = [from_recorded(r, text, source.filename) for r in recorded] + fatal
    result.diagnostics = _unique(found + [note(m, source.filename) for m in result.models if m.note])
    return result


def _check_models(source, wanted, input_shapes, dtype, result: FileChecked, fatal: list, text: SourceFile) -> None:
    from nncalc.analysis import find_model, load_program, split_dtype

    program = load_program(source)
    source, namespace, sessions = program.source, program.namespace, program.sessions
    input_dtype, _ = split_dtype(dtype)
    if wanted is not None:
        candidates = [find_model(namespace, sessions, source, wanted, program.bindings)]
    else:
        candidates = _candidates(namespace, sessions, source)
    for found, session, name in candidates:
        checked = ModelChecked(name, session.name if session else sessions[0].name, _line_of(source.text, name))
        result.models.append(checked)
        try:
            if session is None or isinstance(found, type):  # a model class or a factory function
                from nncalc.analysis import build_model

                found, session = build_model(found, name, source, sessions)
                checked.framework = session.name
            shapes, checked.note = _input_for(found, session, input_shapes, input_dtype, source.text, name,
                                              namespace)
            graph = session.trace(found, shapes, None, input_dtype)
            check_sizes(graph)  # sizes past 64 bits: refused as summary refuses them
            checked.input_shapes, checked.batched = list(graph.input_shapes), graph.batched
            if not graph.batched:  # nncalc's batch made forward fail: the note says so, as summary's does
                checked.note = "; ".join(n for n in (checked.note, graph.notes[0]) if n)
        except NncalcError as error:
            checked.ok = False
            fatal.append(from_error(error.attach(Location(source.filename, checked.line)), text, source.filename))


def _input_for(model, session, given, dtype, text: str, name: str, values: dict | None = None):
    """The input to check a PyTorch model with when none is given: the one the file uses (see
    :mod:`nncalc.frameworks.torch.evidence`), else the smallest that fits, with the sizes it accepts (see
    :func:`nncalc.frameworks.torch.infer.input_family`)."""
    if given is not None or session.name != "pytorch":
        return given, None
    from nncalc.frameworks.torch.evidence import input_as_used
    from nncalc.frameworks.torch.infer import input_family

    shapes, note = input_as_used(model, text, {name, type(model).__name__}, dtype, values)
    if shapes is not None:
        return shapes, note
    inferred, family = input_family(model, dtype)
    return inferred, f"{note}, so it is inferred; {family}" if note else family


def _candidates(namespace: dict, sessions: list, source) -> list:
    """Every model a user could mean: the model instances at module level; without any, the model classes
    that no other class uses and the factory functions (:func:`nncalc.analysis.buildable_models`, built when
    checked; its ModelNotFound shows the constructors when there is none)."""
    from nncalc.analysis import buildable_models, is_user_model

    out, seen = [], set()
    for name, value in namespace.items():
        for session in sessions:
            if id(value) not in seen and is_user_model(session, value):
                seen.add(id(value))
                out.append((value, session, name))
    return out or buildable_models(namespace, sessions, source)


def _line_of(text: str, name: str) -> int:
    from nncalc.analysis import definition_line

    return definition_line(text, name)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Once each (a layer called in a loop reports once), in file order."""
    out, seen = [], set()
    for d in diagnostics:
        key = (d.file, d.line, d.column, d.code, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return sorted(out, key=lambda d: (d.line or 0, d.column or 0, d.severity != "error"))
