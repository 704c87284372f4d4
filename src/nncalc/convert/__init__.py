"""``nncalc convert``: write a model read from a PyTorch or Keras file as code for the other framework.

The model is read the way ``nncalc summary`` reads it (never executed); the layers, their settings and the
data flow become a neutral :class:`~nncalc.convert.ir.Program`, which :mod:`~nncalc.convert.to_torch` or
:mod:`~nncalc.convert.to_keras` writes out. What each layer becomes is one entry of the mapping table
(:mod:`nncalc.convert.mapping`, one module per layer family).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from nncalc.convert.ir import Problem, Program, mark_spatial, prune
from nncalc.errors import InputError, Location, NncalcError

TARGETS = {"pytorch": "pytorch", "torch": "pytorch", "keras": "keras"}


@dataclass(frozen=True)
class Conversion:
    """The converted source ``code`` and the layers that could not be converted (empty when all were)."""

    code: str
    target: str
    source_framework: str
    model_name: str
    total_params: int
    problems: tuple[Problem, ...]


def convert(path: str | os.PathLike, to: str, *, model: str | None = None,
            input_shapes: list[tuple] | None = None) -> Conversion:
    """Convert the model of ``path`` to ``to`` (``"pytorch"`` or ``"keras"``).

    Raises:
        NncalcError: the file cannot be read, the model is inconsistent, or it already is a ``to`` model.
    """
    from nncalc.convert.mapping import load
    from nncalc.convert.to_keras import write_keras
    from nncalc.convert.to_torch import write_torch

    target = TARGETS.get(to.lower())
    if target is None:
        raise InputError(f"cannot convert to {to!r}", hint="use --to pytorch or --to keras")
    load()
    program = read_program(path, model, input_shapes)
    if program.framework == target:
        raise InputError(f"{program.file}: the model is already a {'PyTorch' if target == 'pytorch' else 'Keras'} "
                         "model", hint=f"use --to {'keras' if target == 'pytorch' else 'pytorch'}")
    code = write_torch(program) if target == "pytorch" else write_keras(program)
    return Conversion(code, target, program.framework, program.model_name, program.total_params,
                      tuple(program.problems))


def read_program(path, model: str | None = None, input_shapes: list[tuple] | None = None) -> Program:
    """Read the file's model into a :class:`Program` (traced as ``nncalc summary`` would)."""
    from nncalc.analysis import definition_line, find_model, load_program
    from nncalc.convert.read_keras import read_keras
    from nncalc.convert.read_torch import read_torch
    from nncalc.convert.tape import wrap_namespaces
    from nncalc.report import build_report

    def record_calls(sessions):
        for session in sessions:
            if session.name == "pytorch":
                wrap_namespaces(session.modules)

    loaded = load_program(path, prepare=record_calls)
    source = loaded.source
    found, session, name = find_model(loaded.namespace, loaded.sessions, source, model, loaded.bindings)
    try:
        graph = session.trace(found, input_shapes, None, None)
    except NncalcError as err:  # an error of nncalc's own call of the model: at the model's line, as summary's
        raise err.attach(Location(source.filename, definition_line(source.text, name))) from None
    if session.name == "pytorch":
        shapes = [tuple(shape[1:]) for shape in graph.input_shapes]
        program = read_torch(found, session, shapes, None, source.filename)
    else:
        program = read_keras(found, source.filename)
    program.total_params = build_report(graph).total_params
    prune(program)
    mark_spatial(program)
    return program
