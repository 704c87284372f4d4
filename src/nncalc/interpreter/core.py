"""The evaluator: dispatch tables from AST node type to handler, frames and names, calls, and how errors
leave the interpreter.

Every node goes through :meth:`Interpreter.eval` (expressions) or :meth:`Interpreter.exec_block`
(statements): one step is counted, then the handler for ``type(node)`` runs. A node type without a handler
reaches :func:`unsupported` and becomes an :class:`UnsupportedSyntax` at its line and column.
"""

from __future__ import annotations

import ast
import os
import sys
import types

from nncalc import location as _location
from nncalc.errors import (
    InterpreterError,
    LimitExceeded,
    Location,
    NncalcError,
    Refused,
    SyntaxProblem,
    UnsupportedSyntax,
)
from nncalc.interpreter import limits as _limits
from nncalc.interpreter.builtins import FORBIDDEN_NAMES, SAFE_BUILTINS, SAFE_CONSTRUCTORS
from nncalc.interpreter.limits import Budget, Limits
from nncalc.interpreter.prepare import prepare
from nncalc.pyparse import parse
from nncalc.interpreter.objects import MODULE_SCOPE, BoundMethod, InterpFunction, bind_arguments
from nncalc.interpreter.project import MISSING as MISSING_LAZY
from nncalc.interpreter.unknown import Unknown

EVAL: dict[type, object] = {}
"""Expression node type → ``handler(interp, node, frame) -> value``."""
EXEC: dict[type, object] = {}
"""Statement node type → ``handler(interp, node, frame) -> None | BREAK | CONTINUE | RETURN``."""

MISSING = object()
_Constant = ast.Constant
_Name = ast.Name
_LOCATION = _location.__dict__
"""The globals of :mod:`nncalc.location`; ``_LOCATION["_current"]`` is the current location."""


class _Signal:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


BREAK = _Signal("BREAK")
CONTINUE = _Signal("CONTINUE")
RETURN = _Signal("RETURN")

LOCATION_ATTR = "__nncalc_location__"
"""Where a Python exception raised in user code was raised (innermost node), set as it propagates."""

CONSTRUCT_NAMES = {
    ast.Match: "`match` statements", ast.AsyncFunctionDef: "`async def`", ast.Await: "`await`",
    ast.AsyncFor: "`async for`", ast.AsyncWith: "`async with`",
}  # fmt: skip
if hasattr(ast, "TryStar"):  # Python 3.11+
    CONSTRUCT_NAMES[ast.TryStar] = "`except*`"


def evaluates(*kinds):
    """Register an expression handler."""

    def register(handler):
        for kind in kinds:
            EVAL[kind] = handler
        return handler

    return register


def executes(*kinds):
    """Register a statement handler."""

    def register(handler):
        for kind in kinds:
            EXEC[kind] = handler
        return handler

    return register


def node_location(interp, node) -> Location:
    filename = node.__dict__.get("_nnfile") or interp.filename
    return Location(filename, getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def unsupported(interp, node, frame=None):
    name = CONSTRUCT_NAMES.get(type(node), f"`{type(node).__name__}`")
    raise UnsupportedSyntax(f"{name} is not supported by nncalc's safe interpreter", node_location(interp, node))


def seal() -> None:
    """Send every AST node type without a handler to :func:`unsupported` (reject by default)."""
    kinds = [ast.AST]
    while kinds:
        kind = kinds.pop()
        kinds.extend(kind.__subclasses__())
        EVAL.setdefault(kind, unsupported)
        EXEC.setdefault(kind, unsupported)


class Frame:
    """The variables of one running scope. ``parent`` is the enclosing scope (the closure); module level has
    none. ``scope`` says which names are local and which are redirected by ``global``/``nonlocal``."""

    __slots__ = ("vars", "parent", "globals", "scope", "func", "qual", "ret", "gen")
    _nncalc_internal = True

    def __init__(self, vars, parent, globals_, scope, func=None, qual=""):
        self.vars = vars
        self.parent = parent
        self.globals = globals_
        self.scope = scope
        self.func = func
        self.qual = qual
        self.ret = None
        self.gen = None


class Namespace(dict):
    """The module's global namespace as :func:`run_source` returns it.

    ``warnings`` lists :class:`InterpreterWarning` objects (unknown decorators ignored, assignments to modules
    ignored, the file's own ``warnings.warn`` calls …); interpreted functions called later append to it too.
    """

    warnings: list


class InterpreterWarning:
    """Something nncalc noticed and worked around."""

    __slots__ = ("message", "location")

    def __init__(self, message: str, location: Location | None):
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    __repr__ = __str__


_BULK = frozenset({list, tuple, str, bytes, dict, set, frozenset})
_BuiltinMethod = types.BuiltinMethodType
_SCANNING_METHODS = frozenset(
    "index count remove find rfind rindex split rsplit splitlines strip lstrip rstrip upper lower title capitalize "
    "casefold swapcase encode decode partition rpartition copy reverse difference intersection union issubset "
    "issuperset isdisjoint symmetric_difference hex".split()
)
"""Methods of plain data that walk the whole receiver: charged by its length."""
_catchable_cache: dict[type, bool] = {}


def catchable(exc: BaseException) -> bool:
    """May a user ``except`` clause see ``exc``? Never nncalc's own errors (limits, unsupported syntax …),
    except those that are also a built-in exception on purpose (a host ``TypeError`` that is an
    InterpreterError)."""
    kind = type(exc)
    known = _catchable_cache.get(kind)
    if known is None:
        if issubclass(kind, NncalcError):
            known = any(
                base.__module__ == "builtins" and base not in (Exception, BaseException, object) for base in kind.__mro__
            )
        else:
            known = issubclass(kind, Exception) and not issubclass(kind, (RecursionError, MemoryError))
        _catchable_cache[kind] = known
    return known


def note_unknowns(exc: NncalcError, args, kwargs) -> None:
    """A host error about an argument that is an :class:`Unknown` from an import (``nn.Linear(cfg.hidden, 10)``)
    says where that import is: host code knows the value is unknown, the interpreter knows where it came from."""
    values = [*args, *(kwargs.values() if kwargs else ())]
    values += [item for value in values if type(value) in (tuple, list) for item in value[:16]]
    for value in values:
        if isinstance(value, Unknown) and (value._origin is not None or value._chain) and value._name in exc.message:
            explained = value._full_explain()
            if explained not in exc.message and value._describe() not in exc.message:
                exc.message = f"{exc.message} ({explained})"
                exc.args = (exc.message,)
                if not exc.hint or value._chain:
                    exc.hint = value._fix_text()
            return


def in_framework(func, args=()) -> bool:
    """Was a failing call building a model: a layer or model constructor of a symbolic framework (a class
    deriving from one), or a Keras layer or model called on Keras tensors (the functional API)? Running a
    model on data (``model(x_test)``) and ops (``torch.stack``, ``F.relu``) do not count (see
    :mod:`nncalc.interpreter.script`)."""
    if getattr(func, "__nncalc_builds__", False) is True:  # keras.Input
        return True
    constructor = isinstance(func, type)
    kind = func if constructor else type(func)
    if kind is InterpFunction or kind is BoundMethod or kind.__module__ == "builtins":
        return False
    framework = [c.__module__ or "" for c in kind.__mro__
                 if (c.__module__ or "").startswith("nncalc.frameworks") and getattr(c, "__nncalc_subclassable__", False)]
    if not framework:
        return False
    if constructor:
        return True
    if not framework[0].startswith("nncalc.frameworks.keras"):
        return False
    items = [item for arg in args for item in (arg if type(arg) in (list, tuple) else (arg,))]
    return any(type(item).__name__ == "KerasTensor" or _from_skipped_build(item) for item in items[:64])


def _from_skipped_build(value) -> bool:
    """A value a skipped statement that was building a model would have made (``augmented =
    data_augmentation(inputs)`` after the line building ``data_augmentation`` was skipped): a layer called on
    it is building a model too, not running one on data."""
    record = getattr(value, "_record", None) if isinstance(value, Unknown) else None
    return bool(getattr(record, "building", False))


def mark(exc: BaseException, loc: Location | None) -> None:
    """Give an exception passing through ``loc`` that place, if it has none yet."""
    if isinstance(exc, NncalcError):
        exc.attach(loc)
    elif getattr(exc, LOCATION_ATTR, None) is None:
        try:
            setattr(exc, LOCATION_ATTR, loc)
        except (AttributeError, TypeError):
            pass


_FRAMEWORK_TYPES: dict[type, bool] = {}
"""Type → is it (or does it derive from) a class of nncalc's symbolic frameworks."""


class Interpreter(Budget):
    """One run over one file. Use :func:`nncalc.interpreter.run_source`; see the package docstring."""

    def __init__(self, filename: str, modules: dict, limits: Limits | None = None, prelude: dict | None = None):
        super().__init__(limits or _limits.default_limits())
        self.filename = filename
        self.main_file = filename
        stem = os.path.splitext(os.path.basename(filename))[0]
        self.module_name = stem if stem.isidentifier() else "nncalc_model"
        self.modules = modules
        self.module_ids = frozenset(id(m) for m in modules.values() if m is not None)
        self.host_roots = frozenset(key.partition(".")[0] for key, value in modules.items() if value is not None)
        self.provider = None
        """``provider(root)`` → more host modules for an import of ``root`` nobody provides yet (a framework
        first imported by a module of the project), or None."""
        self.loader = None
        """The :class:`~nncalc.interpreter.project.ProjectLoader` for the user's own modules and library
        sources, or None (imports nobody provides are then unknown)."""
        self.prelude_more = None
        """Snippet mode: ``prelude_more(name)`` → a prelude name bound on first use (a layer class of a family
        loaded then), or None."""
        self.builtins = dict(SAFE_BUILTINS, __name__=self.module_name, __file__=filename, __doc__=None)
        self.warnings: list[InterpreterWarning] = []
        self.namespace = Namespace(prelude or ())
        self.namespace.warnings = self.warnings
        self.module_frame = Frame(self.namespace, None, self.namespace, MODULE_SCOPE)
        self.unknown_star: list[Unknown] = []
        self.overrides = None
        """The ``--set`` values (:class:`nncalc.interpreter.script.Overrides`), or None."""
        self.tolerant = False
        """Script mode: module-level statements that fail are skipped and recorded (see :mod:`.script`)."""
        self.skipped: list = []
        self.history: dict[str, list] = {}
        """Module-level name → every (place, framework object) bound to it, in order (a model the file built
        before rebinding the name to something nncalc cannot read, such as a loaded checkpoint)."""
        self.notes: list[str] = []
        """Host code's remarks for the report (:func:`nncalc.interpreter.note`)."""
        self.handling: list[BaseException] = []
        self.active = False
        self._saved: list[tuple] = []

    # ----- running ------------------------------------------------------------------------------------
    def run(self, source: str) -> Namespace:
        tree = self.parse(source)
        self.builtins["__doc__"] = ast.get_docstring(tree, clean=False)
        self.enter()
        try:
            if self.tolerant:
                from nncalc.interpreter.script import run_tolerant

                run_tolerant(self, tree.body, self.module_frame)
            else:
                self.exec_block(tree.body, self.module_frame)
        except BaseException as exc:
            self.reraise(exc)
        finally:
            self.leave()
        return self.namespace

    def run_cells(self, cells, on_cell=None) -> Namespace:
        """Run a notebook's code cells, ``(label, text)`` pairs, in order in one namespace (labels such as
        ``nb.ipynb:cell 7`` name each cell's places); ``on_cell(label)`` is called after each. A cell that
        does not parse is skipped (in script mode), as a notebook runs on past a broken cell."""
        from nncalc.interpreter.script import run_tolerant, skip_cell

        self.enter()
        try:
            for label, text in cells:
                self.filename = label
                try:
                    tree = self.parse(text, stamp=True)
                except SyntaxProblem as err:
                    if not self.tolerant:
                        raise
                    skip_cell(self, label, err)
                    continue
                if self.tolerant:
                    run_tolerant(self, tree.body, self.module_frame)
                else:
                    self.exec_block(tree.body, self.module_frame)
                if on_cell is not None:
                    on_cell(label)
        except BaseException as exc:
            self.reraise(exc)
        finally:
            self.leave()
        return self.namespace

    def provide(self, root: str) -> bool:
        """Ask the provider for the host modules of ``root``; True when it gave some."""
        if self.provider is None or root in self.host_roots:
            return False
        more = self.provider(root)
        if not more:
            return False
        self.modules.update(more)
        self.module_ids = self.module_ids | {id(m) for m in more.values() if m is not None}
        self.host_roots = self.host_roots | {key.partition(".")[0] for key, value in more.items() if value}
        return root in self.host_roots

    def evaluate(self, text: str, label: str = "--model"):
        """The value of one Python expression (``VGG('VGG19')``) in the main file's namespace, evaluated
        like the file (after it ran); errors name ``label``."""
        saved = self.filename
        self.filename = label
        try:
            try:
                tree = ast.parse(text.strip(), label, mode="eval")
            except SyntaxError as err:
                raise SyntaxProblem(f"{text!r} is not a Python expression ({err.msg})", Location(label, 1)) from None
            prepare(ast.Module(body=[ast.Expr(tree.body, lineno=1, col_offset=0)], type_ignores=[]), label, True)
            self.enter()
            try:
                return self.eval(tree.body, self.module_frame)
            except BaseException as exc:
                self.reraise(exc)
            finally:
                self.leave()
        finally:
            self.filename = saved

    def run_module(self, module, text: str | None, path: str, cache: bool = False) -> None:
        """Run an imported module (its ``text``; ``path`` names its places) with ``module.__dict__`` as
        globals, in script mode: what fails is skipped and recorded, as in the main file. Called while the
        importing file runs (the budget is shared). ``cache``: a library source, whose parsed tree may come
        from (and go to) the disk cache."""
        from nncalc.interpreter import parse_cache
        from nncalc.interpreter.script import run_tolerant

        tree = parse_cache.load(path) if cache else None
        if tree is None:
            saved = self.filename
            self.filename = path
            try:
                tree = self.parse(text if text is not None else "", stamp=True)
            finally:
                self.filename = saved
            if cache:
                parse_cache.store(path, tree)
        globals_ = module.__dict__
        globals_.setdefault("__doc__", ast.get_docstring(tree, clean=False))
        frame = Frame(globals_, None, globals_, MODULE_SCOPE)
        previous = _LOCATION["_current"]
        try:
            run_tolerant(self, tree.body, frame)
        finally:
            _LOCATION["_current"] = previous

    def parse(self, source: str, stamp: bool = False) -> ast.Module:
        try:
            tree = parse(source, self.filename)
        except SyntaxError as err:
            where = Location(self.filename, err.lineno or 0, max((err.offset or 1) - 1, 0))
            if "too many nested" in (err.msg or "") or "too deeply nested" in (err.msg or ""):
                raise LimitExceeded(f"the file nests too deeply for nncalc ({err.msg})", where) from None
            raise SyntaxProblem(f"invalid Python syntax: {err.msg}", where) from None
        except (RecursionError, MemoryError):  # the parser's MemoryError is its stack overflowing: nesting
            raise LimitExceeded(
                "the file nests too deeply for Python's parser (brackets, operators or blocks inside one another)",
                Location(self.filename, 1),
            ) from None
        except ValueError as err:
            raise SyntaxProblem(f"invalid Python syntax: {err}", Location(self.filename, 1)) from None
        prepare(tree, self.filename, stamp)
        return tree

    def enter(self) -> None:
        """Become the running interpreter (budget, recursion limit, clock)."""
        previous_limit = _limits.recursion_guard(self)
        self._saved.append((_limits._active, previous_limit, _location._current))
        _limits._active = self
        self.active = True
        self.start_clock()

    def leave(self) -> None:
        self.stop_clock()
        self.active = False
        _limits._active, previous_limit, _location._current = self._saved.pop()
        if sys.getrecursionlimit() != previous_limit:
            sys.setrecursionlimit(previous_limit)

    def convert(self, exc: BaseException) -> BaseException:
        """The error a Python exception escaping the interpreter becomes."""
        if isinstance(exc, NncalcError):
            return exc
        where = getattr(exc, LOCATION_ATTR, None)
        if isinstance(exc, (RecursionError, MemoryError)):
            return Budget.python_limit(exc).attach(where)
        if not isinstance(exc, Exception):
            return exc
        try:
            text = str(exc)
        except Exception:
            text = ""
        name = type(exc).__name__
        return InterpreterError(f"{name}: {text}" if text else name, where)

    def reraise(self, exc: BaseException):
        converted = self.convert(exc)
        if converted is exc:
            raise exc
        raise converted from exc

    def warn(self, message: str, loc: Location | None = None) -> None:
        self.warnings.append(InterpreterWarning(message, loc or _location._current))

    # ----- evaluation ---------------------------------------------------------------------------------
    def eval(self, node, frame):
        steps = self.steps + 1
        self.steps = steps
        if steps > self.step_mark:
            self.check_steps()
        kind = node.__class__
        if kind is _Constant:
            return node.value
        if kind is _Name:
            value = frame.vars.get(node.id, MISSING)
            return self.load_slow(node.id, frame, node) if value is MISSING else value
        return EVAL[kind](self, node, frame)

    def exec_block(self, body, frame):
        for stmt in body:
            steps = self.steps + 1
            self.steps = steps
            if steps > self.step_mark:
                self.check_steps()
            _LOCATION["_current"] = stmt._nnloc
            try:
                signal = EXEC[stmt.__class__](self, stmt, frame)
            except BaseException as exc:
                mark(exc, stmt._nnloc)
                raise
            if signal is not None:
                return signal
        return None

    # ----- names --------------------------------------------------------------------------------------
    def load_slow(self, name: str, frame: Frame, node=None):
        """A name not in the running scope's own variables (the fast path is inlined in :meth:`eval`)."""
        scope = frame.scope
        redirect = scope.redirects.get(name)
        if redirect == "global":
            value = frame.globals.get(name, MISSING)
            if value is not MISSING:
                return value
        else:
            if redirect is None and scope.kind == "function" and name in scope.locals:
                raise UnboundLocalError(f"cannot access local variable '{name}' where it is not associated with a value")
            parent = frame.parent
            while parent is not None:
                value = parent.vars.get(name, MISSING)
                if value is not MISSING:
                    return value
                parent = parent.parent
        value = self.builtins.get(name, MISSING)
        if value is not MISSING:
            return value
        if self.prelude_more is not None and frame.globals is self.namespace:
            value = self.prelude_more(name)
            if value is not None:
                self.namespace[name] = value
                return value
        if self.loader is not None and frame.globals is not self.namespace:
            value = self.loader.lazy_global(frame.globals, name)
            if value is not MISSING_LAZY:
                return value
        if name == "globals":  # the module's own variables (nanoGPT lists its settings this way)
            module_globals = frame.globals
            return lambda: module_globals
        if name == "locals":  # a snapshot of the frame's variables (timm's NesT reads its arguments by name)
            variables = frame.vars
            return lambda: variables if variables is frame.globals else dict(variables)
        if name in ("exec", "eval"):  # over this interpreter: the code runs as safely as the file itself
            return self._dynamic_code(name, frame)
        if name in FORBIDDEN_NAMES:
            raise Refused(
                f"`{name}` is not available in nncalc's safe interpreter", node_location(self, node) if node else None
            )
        if self.unknown_star:
            source = self.unknown_star[-1]
            return source._derive(f"{source._name}.{name}")
        raise NameError(f"name '{name}' is not defined")

    def _dynamic_code(self, name: str, frame: Frame):
        """``exec(code, globals=None, locals=None)`` and ``eval(...)`` for text the file holds: parsed and run by
        this interpreter in the caller's module namespace (or the dicts given). Text nncalc cannot read
        (``exec(open("configurator.py").read())``, nanoGPT's settings from the command line) is an error the
        script mode skips: the variables such code would set keep the values the file gives them."""
        interp = self

        def run(code, globals_=None, locals_=None):
            if isinstance(code, Unknown):
                if name == "eval":
                    return code._derive(f"eval({code._name})")
                raise InterpreterError(
                    f"{name}() of text nncalc cannot read ({code._name}): skipped, so what it would set keeps the "
                    "value the file gives it", hint="give a value with --set NAME=VALUE if the code would change one"
                )
            if not isinstance(code, str):
                raise TypeError(f"{name}() arg 1 must be a string, bytes or code object")
            for given, what in ((globals_, "globals"), (locals_, "locals")):
                if given is not None and not isinstance(given, dict):
                    raise TypeError(f"{name}() {what} must be a dict, not {type(given).__name__}")
            module_globals = frame.globals if globals_ is None else globals_
            variables = (frame.vars if globals_ is None else module_globals) if locals_ is None else locals_
            saved = interp.filename
            interp.filename = "<string>"
            try:
                tree = interp.parse(code.strip() if name == "eval" else code)
            finally:
                interp.filename = saved
            outer = None if variables is module_globals else Frame(module_globals, None, module_globals, MODULE_SCOPE)
            scope = Frame(variables, outer, module_globals, MODULE_SCOPE)  # locals, then the globals
            if name == "eval":
                if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
                    raise SyntaxProblem("eval() takes one expression", Location("<string>", 1))
                return interp.eval(tree.body[0].value, scope)
            interp.exec_block(tree.body, scope)
            return None

        run.__name__ = name
        return run

    def store(self, name: str, value, frame: Frame) -> None:
        if (frame.globals is frame.vars or frame.scope.redirects.get(name) == "global") and (
            frame.globals is self.namespace
        ):
            value = self.store_global(name, value)
        redirects = frame.scope.redirects
        if redirects and name in redirects:
            if redirects[name] == "global":
                frame.globals[name] = value
            else:
                self.nonlocal_owner(name, frame.parent).vars[name] = value
            return
        frame.vars[name] = value

    def store_global(self, name: str, value, frame: Frame | None = None):
        """A module-level variable is about to hold ``value``: a ``--set`` value replaces it, and an Unknown
        learns the variable's name (its messages then say which variable ``--set`` can give)."""
        overrides = self.overrides
        if overrides and name in overrides:
            return overrides.apply(self, name, value)
        kind = value.__class__
        framework = _FRAMEWORK_TYPES.get(kind)
        if framework is None:
            framework = _FRAMEWORK_TYPES[kind] = any(
                (c.__module__ or "").startswith("nncalc.frameworks") for c in kind.__mro__[:-1])
        if framework:
            self.history.setdefault(name, []).append((_LOCATION["_current"], value))
        elif kind.__module__ == "nncalc.interpreter.script_modules":
            hook = getattr(value, "__nncalc_bound__", None)
            if hook is not None:
                hook(name)
        if isinstance(value, Unknown) and value._name != name:
            current = _LOCATION["_current"]
            if current is None:
                return value._bind(name, 0)
            _, _, cell = current.file.rpartition(":cell ")
            return value._bind(name, f"cell {cell}, line {current.line}" if cell.isdigit() else current.line)
        return value

    def delete(self, name: str, frame: Frame) -> None:
        redirects = frame.scope.redirects
        target = frame.vars
        if redirects and name in redirects:
            target = frame.globals if redirects[name] == "global" else self.nonlocal_owner(name, frame.parent).vars
        if name not in target:
            raise NameError(f"name '{name}' is not defined")
        del target[name]

    def nonlocal_owner(self, name: str, frame: Frame | None) -> Frame:
        """The nearest function frame, from ``frame`` outwards, where ``name`` is local."""
        while frame is not None:
            if frame.scope.kind == "function" and name in frame.scope.locals:
                return frame
            frame = frame.parent
        raise SyntaxProblem(f"no binding for nonlocal '{name}' found")

    # ----- calls --------------------------------------------------------------------------------------
    def call(self, func, args, kwargs):
        kind = type(func)
        if kind is InterpFunction:
            return self.call_function(func, args, kwargs)
        if kind is BoundMethod:
            return self.call_function(func._func, (func._self, *args), kwargs)
        if kind is type:
            func = SAFE_CONSTRUCTORS.get(func, func)
        elif kind is _BuiltinMethod:
            owner = func.__self__
            if owner.__class__ in _BULK:
                if func.__name__ in _SCANNING_METHODS:
                    self.charge(len(owner))
                for arg in args:  # set.add(t), list.index(t), d.get(t): hashed or compared in C
                    if arg.__class__ in _limits._NESTED:
                        self.check_shared(arg, times=len(owner) if owner.__class__ in (list, tuple) else 1)
        result = func(*args, **kwargs) if kwargs else func(*args)
        # A freshly built container (two references: ours and getrefcount's) is charged to the budget; an
        # existing one handed back (``d.get(key)``) is not.
        if result.__class__ in _BULK and sys.getrefcount(result) <= 2:
            self.charge(len(result))
        return result

    def call_at(self, loc: Location, func, args, kwargs):
        """Call ``func`` for the call node at ``loc``: host code sees ``loc`` as the current location, and an
        error passing through gets it if it has no place yet."""
        previous = _LOCATION["_current"]
        _LOCATION["_current"] = loc
        try:
            return self.call(func, args, kwargs)
        except BaseException as exc:
            if isinstance(exc, NncalcError):
                if exc.location is None:
                    note_unknowns(exc, args, kwargs)
                if not exc.in_framework and in_framework(func, args):
                    exc.in_framework = True
            mark(exc, loc)
            raise
        finally:
            _LOCATION["_current"] = previous

    def call_function(self, fn: InterpFunction, args, kwargs):
        if self.depth >= self.limits.max_depth:
            raise self.depth_exceeded()
        code = fn._code
        frame = Frame(bind_arguments(fn, args, kwargs), fn._closure, fn._globals, code, fn, fn._qualname)
        self.depth += 1
        try:
            if code.is_generator:
                frame.gen = []
                if code.is_lambda:
                    self.eval(code.body, frame)
                else:
                    self.exec_block(code.body, frame)
                return iter(frame.gen)
            if code.is_lambda:
                return self.eval(code.body, frame)
            if self.exec_block(code.body, frame) is RETURN:
                return frame.ret
            return None
        finally:
            self.depth -= 1

    def call_from_host(self, fn: InterpFunction, args, kwargs):
        """An interpreted function called by Python code (host code, or Python's own protocols)."""
        if self.active:
            return self.call_function(fn, args, kwargs)
        self.enter()
        try:
            return self.call_function(fn, args, kwargs)
        except BaseException as exc:
            self.reraise(exc)
        finally:
            self.leave()

