"""Script mode: the file around the model must not stop nncalc.

A training script loads data, trains, evaluates, plots and saves around the few lines that build the model.
nncalc cannot run those parts (they need files, datasets, a GPU, time), and the model rarely needs them. In
script mode, a module-level statement that fails is *skipped*, not fatal:

* the statement is recorded (:class:`Skipped`: where, what, why), for ``--verbose`` and the report's note;
* every name it would bind becomes an :class:`~nncalc.interpreter.unknown.Unknown` that remembers the skip,
  so whatever later needs one of them (a layer's size) fails there, naming the chain and the ``--set`` fix;
* every object it could have changed half-way (a list it appends to, a model it adds layers to, an instance
  of the file's own classes it calls a method of) is poisoned the same way: a model is never reported with
  part of its layers.

``if`` statements with a known test, and ``with`` blocks over unknown context managers
(``with strategy.scope():``), are entered and their statements treated the same way; other compound
statements (loops, ``try``) are skipped whole. Limits, shape errors (the model's own inconsistency) and
syntax errors stay fatal.
"""

from __future__ import annotations

import ast
import os

from nncalc import location as _location
from nncalc.errors import LimitExceeded, Location, NncalcError, Refused, ShapeError, SyntaxProblem
from nncalc.interpreter.classes import is_interpreted_instance
from nncalc.interpreter.main_block import is_main_test, option_statements
from nncalc.interpreter.unknown import Unknown
from nncalc.records import dataclass

FATAL = (LimitExceeded, ShapeError, SyntaxProblem, Refused)

MUTATING_METHODS = frozenset(
    "append extend insert pop remove clear update setdefault add discard sort reverse popitem "
    "add_module register_module register_buffer register_parameter add_weight build apply "
    "__setitem__ __delitem__".split()
)
"""Methods that change their receiver in place; a failed statement calling one poisons the receiver."""

PURE_CALLS = frozenset(
    "print len str repr format isinstance issubclass sorted list tuple set dict enumerate zip range min max sum "
    "any all type getattr hasattr int float bool abs round reversed iter map filter".split()
)
"""Builtins that never change their arguments: passing a name to one does not poison it."""


@dataclass(frozen=True)
class Skipped:
    """A module-level statement nncalc did not evaluate: where, the statement (first line) and why."""

    location: Location
    statement: str
    reason: str
    names: tuple
    building: bool = False
    """The failure happened inside a framework layer or model (the statement was building one)."""
    error: object = None
    """The :class:`~nncalc.errors.NncalcError` that stopped it."""
    main: str = ""
    """The file nncalc was asked to read (places in other files are shown with their path)."""

    def __str__(self) -> str:
        return f"{self.location.file}:{self.location.line}: `{self.statement}` skipped: {self.reason}"


class Overrides(dict):
    """``--set NAME=VALUE`` (and ``# nncalc: set NAME=VALUE``): module-level values the file cannot compute.

    ``num_classes=10`` replaces what the file assigns to ``num_classes`` from the point it is assigned (and
    defines it at the start if the file never assigns it); ``args.epochs=1`` sets an attribute of whatever the
    file assigns to ``args`` (an ``argparse`` namespace).
    """

    def __init__(self, pairs: dict):
        super().__init__()
        self.attributes: dict[str, dict[str, object]] = {}
        for key, value in pairs.items():
            head, _, rest = key.partition(".")
            if rest:
                self.attributes.setdefault(head, {})[rest] = value
                self.setdefault(head, _ATTRIBUTES_ONLY)
            else:
                self[key] = value

    def apply(self, interp, name: str, value):
        direct = dict.get(self, name, _ATTRIBUTES_ONLY)
        if direct is not _ATTRIBUTES_ONLY:
            value = direct
        for path, item in self.attributes.get(name, {}).items():
            _set_path(interp, value, path, item)
        return value

    def initial(self) -> dict:
        """The names to bind before the file runs (those the file may never assign)."""
        return {k: v for k, v in self.items() if v is not _ATTRIBUTES_ONLY}


_ATTRIBUTES_ONLY = object()


def _set_path(interp, obj, path: str, value) -> None:
    from nncalc.errors import InputError
    from nncalc.interpreter.safety import get_attr, set_attr

    *parents, last = path.split(".")
    for part in parents:
        obj = get_attr(interp, obj, part)
    if isinstance(obj, Unknown):
        return
    try:
        set_attr(interp, obj, last, value)
    except NncalcError as err:
        raise InputError(f"--set {path}={value!r}: {err.message}") from None


def parse_value(text: str):
    """A ``--set`` value: a Python literal (``10``, ``(32, 32, 3)``, ``'relu'``, ``True``), else the text."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


# ----- running -----------------------------------------------------------------------------------------------
def run_tolerant(interp, body: list, frame, module_body: list | None = None) -> None:
    """Run module-level statements, skipping (and recording) those that fail; ``module_body``: the module's
    whole body when ``body`` is a block inside it."""
    module_body = body if module_body is None else module_body
    for stmt in body:
        kind = type(stmt)
        interp.built_before = interp.built  # a statement that builds layers and then fails was building a model
        if kind is ast.If:
            _run_if(interp, stmt, frame, module_body)
        elif kind is ast.With:
            _run_with(interp, stmt, frame, module_body)
        else:
            try:
                interp.exec_block((stmt,), frame)
            except BaseException as exc:
                _skip_or_raise(interp, stmt, exc, frame)


def _type_checking(interp, stmt: ast.If, frame) -> bool:
    """``if TYPE_CHECKING:`` in a library package's ``__init__``: its plain imports are what the package
    exports (transformers lists them there and builds a lazy module otherwise); nncalc reads them lazily."""
    test = stmt.test
    named = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    if not named or interp.loader is None or frame.globals is interp.namespace:
        return False
    path = frame.globals.get("__file__") or ""
    return path.endswith("__init__.py") and interp.loader.is_library(path)


def _run_if(interp, stmt: ast.If, frame, module_body: list) -> None:
    _location._current = stmt._nnloc
    if _type_checking(interp, stmt, frame):
        run_tolerant(interp, stmt.body, frame, module_body)
        return
    try:
        truth = bool(interp.eval(stmt.test, frame))
    except BaseException as exc:
        _skip_or_raise(interp, stmt, exc, frame)
        return
    if not truth and is_main_test(stmt.test):  # the options it parses, which the model code may read
        _run_options(interp, option_statements(module_body, stmt, frame.vars.__contains__), frame, module_body)
    run_tolerant(interp, stmt.body if truth else stmt.orelse, frame, module_body)


def _run_options(interp, statements: list, frame, module_body: list) -> None:
    if not statements:
        return
    from nncalc.interpreter import note

    run_tolerant(interp, statements, frame, module_body)
    names = sorted({t.id for s in statements if isinstance(s, ast.Assign) and not _builds_parser(s) for t in s.targets
                    if isinstance(t, ast.Name) and t.id in frame.vars and not isinstance(frame.vars[t.id], Unknown)})
    if names:
        note(f"{', '.join(f'`{n}`' for n in names)}: the command-line options the __main__ block parses (line "
             f"{statements[0].lineno}), with their defaults (--set {names[0]}.NAME=VALUE for another value)")


def _builds_parser(stmt: ast.Assign) -> bool:
    func = stmt.value.func if isinstance(stmt.value, ast.Call) else None
    name = getattr(func, "attr", None) or getattr(func, "id", None)
    return name in ("ArgumentParser", "add_argument_group", "add_mutually_exclusive_group")


def _run_with(interp, stmt: ast.With, frame, module_body: list) -> None:
    """``with strategy.scope():``, ``with torch.no_grad():``: the body's statements are treated one by one."""
    from nncalc.interpreter.statements import with_items

    _location._current = stmt._nnloc
    try:
        with_items(interp, stmt, 0, frame, lambda: run_tolerant(interp, stmt.body, frame, module_body))
    except BaseException as exc:
        _skip_or_raise(interp, stmt, exc, frame)


def skip_cell(interp, label: str, error: NncalcError) -> Skipped:
    """A notebook cell that does not parse: skipped whole, as Jupyter runs on past it."""
    location = error.location or Location(label, 1)
    record = Skipped(location, f"{label.rpartition(':')[2]} (whole cell)", error.message, (), False, error)
    interp.skipped.append(record)
    return record


def skippable(exc: BaseException) -> bool:
    if isinstance(exc, FATAL) or not isinstance(exc, Exception):
        return False
    return not isinstance(exc, (RecursionError, MemoryError))


def _skip_or_raise(interp, stmt, exc: BaseException, frame) -> None:
    imported = frame.globals is not interp.namespace
    if not skippable(exc) and not (imported and isinstance(exc, Refused)):
        raise exc
    error = interp.convert(exc)
    if not isinstance(error, NncalcError) or (isinstance(error, FATAL) and not (imported and isinstance(error, Refused))):
        raise error from exc  # a module the file imports may hold what the interpreter refuses: skipped there
    error.attach(stmt._nnloc)
    skip(interp, stmt, error, frame)


def _after_training(error: NncalcError) -> bool:
    """Did ``error`` come from what training or evaluating a model gave back (``_, accuracy =
    model.evaluate(...)`` in a ``run_experiment()`` that built the model first)? Then the model was built."""
    unknown = getattr(error, "unknown", None)
    return str(getattr(unknown, "_reason", None) or "").startswith("a result of ")


def skip(interp, stmt, error: NncalcError, frame) -> Skipped:
    """Record ``stmt`` as skipped for ``error`` and poison what it binds or could have changed."""
    bound, touched = _names(stmt)
    loc = stmt._nnloc
    building = error.in_framework or (interp.built > getattr(interp, "built_before", interp.built)
                                      and not _after_training(error))
    record = Skipped(loc, _first_line(stmt), _reason(error), tuple(sorted(bound)), building, error, interp.main_file)
    interp.skipped.append(record)
    variables = frame.vars
    given = interp.overrides if frame.vars is interp.namespace and interp.overrides else {}
    for name in bound:
        if name not in given:  # a value the user gave with --set stands
            variables[name] = _poisoned(name, record)
    for name in touched - bound - set(given):  # nor a value --set gave that the statement would append to
        value = variables.get(name)
        if value is not None and _could_change(value, name, stmt):
            variables[name] = _poisoned(name, record)
    return record


class Poisoned(Unknown):
    """What a skipped statement would have bound (or could have changed): a use that needs its value fails
    naming the variable, the skipped line and why it was skipped, and the ``--set`` fix."""

    __slots__ = ("_record",)

    def _explain(self) -> str:
        record = self._record
        return f"`{self._chain[0][0]}` is not known: line {record.location.line} (`{record.statement}`) was skipped: {record.reason}"

    def _full_explain(self) -> str:
        return self._explain()

    def _describe(self) -> str:
        record = self._record
        var = self._chain[0][0]
        path = ", ".join(f"`{name}` (line {line}) = `{text}`" for name, line, text in reversed(self._chain[1:]))
        if self._var == var:
            head = f"`{var}`, which"
        elif path and self._var:
            head = f"{path}, where `{var}` is what"
        elif path:
            head = f"`{self._name}`, where {path}, where `{var}` is what"
        else:
            head = f"`{self._name}`, where `{var}` is what"
        return f"{head} {_place(record)} would set, but it was skipped: {record.reason}"

    def _fix_text(self) -> str:
        record = self._record
        if record.building:
            return record.error.hint or f"nncalc cannot read {_place(record)}; see why above"
        if record.statement.startswith(("import ", "from ")):
            return f"make the import at {_place(record)} readable"
        return super()._fix_text()

    def _derive(self, name: str) -> Unknown:
        derived = Poisoned(name, self._origin, chain=self._chain)
        object.__setattr__(derived, "_record", self._record)
        return derived

    def _bind(self, name: str, line: int) -> Unknown:
        """``num_users = len(user2user_encoded)`` after the line binding ``user2user_encoded`` was skipped: the
        chain goes on through ``num_users``, the variable ``--set`` can give a value."""
        if self._var == name:
            return self
        bound = Poisoned(self._name, self._origin, chain=(*self._chain, (name, line, self._ref())))
        object.__setattr__(bound, "_record", self._record)
        object.__setattr__(bound, "_var", name)
        return bound


def _place(record: Skipped) -> str:
    """``line 12`` in the file nncalc was asked to read, ``models/resnet.py:12`` in another."""
    location = record.location
    if not record.main or location.file == record.main or location.file.startswith(f"{record.main}:cell "):
        return f"line {location.line}"
    return f"{os.path.relpath(location.file)}:{location.line}"


def _poisoned(name: str, record: Skipped) -> Unknown:
    value = Poisoned(name, record.location, chain=((name, record.location.line, record.statement),))
    object.__setattr__(value, "_record", record)
    object.__setattr__(value, "_var", name)
    return value


def poisoned_record(value) -> Skipped | None:
    """The skipped statement behind ``value``, when it is a poisoned name."""
    return value._record if type(value) is Poisoned else None


def _reason(error: NncalcError) -> str:
    """Why a statement was skipped, in one sentence (the use and the unknown it needed)."""
    from nncalc.interpreter.unknown import UnknownValueError

    if isinstance(error, UnknownValueError) and error.unknown is not None:
        return f"{error.what} needs the value of {error.unknown._describe()}"
    text = error.message
    if error.location is not None and error.location.line and f"line {error.location.line}" not in text:
        return f"{text} (line {error.location.line})"
    return text


def _first_line(stmt) -> str:
    text = ast.unparse(stmt).splitlines()[0] if stmt is not None else ""
    return text if len(text) <= 80 else text[:77] + "…"


def _names(stmt) -> tuple[set, set]:
    """Names ``stmt`` binds at module level, and names it reads."""
    bound: set[str] = set()
    touched: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name):
            (touched if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is stmt:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    bound.add(alias.asname or alias.name.split(".")[0])
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        bound = {stmt.name}
    return bound, touched


def _could_change(value, name: str, stmt) -> bool:
    """Could ``stmt`` have changed ``value`` (held in ``name``) before it failed?"""
    if isinstance(value, (int, float, complex, str, bytes, bool, tuple, frozenset, type, Unknown)) or value is None:
        return False
    if callable(value) and not hasattr(value, "__dict__") and not isinstance(value, (list, dict, set)):
        return False
    from nncalc.interpreter.objects import BoundMethod, InterpFunction

    if isinstance(value, (InterpFunction, BoundMethod)) or type(value).__name__ == "module":
        return False
    plain = isinstance(value, (list, dict, set)) or is_interpreted_instance(value) and not _is_framework(value)
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and _is_name(func.value, name):
                if func.attr in MUTATING_METHODS or (plain and not isinstance(value, (list, dict, set))):
                    return True
            callee = func.id if isinstance(func, ast.Name) else None
            if callee not in PURE_CALLS and plain:
                if any(_is_name(arg, name) for arg in node.args) or any(_is_name(k.value, name) for k in node.keywords):
                    return True
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
            if _is_name(node.value, name):
                return True
        elif isinstance(node, ast.AugAssign) and _is_name(node.target, name):
            return True
    return False


def _is_name(node, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_framework(value) -> bool:
    module = type(value).__module__ or ""
    return any((c.__module__ or "").startswith("nncalc.frameworks") for c in type(value).__mro__) or module.startswith(
        "nncalc.frameworks"
    )
