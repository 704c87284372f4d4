"""nncalc's safe Python interpreter: evaluates a model file's AST over nncalc's symbolic host modules, without
executing the file and without importing anything it imports.

Public API::

    from nncalc.interpreter import run_source, default_modules, Unknown, Limits

    namespace = run_source(source, filename, modules={...}, prelude=None, limits=None)
    namespace["model"]          # the file's global names: user-defined and imported, no builtins
    namespace.warnings          # list of InterpreterWarning(message, location)

``modules`` maps dotted import names to host objects (``"torch.nn"`` → the symbolic ``nn``); the safe standard
modules of :func:`default_modules` (``math``, ``typing``, ``collections``, ``functools``, ``itertools``,
``operator``, ``copy``, ``dataclasses``, ``abc``, ``warnings`` and a ``numpy`` subset) are added underneath (a
key mapped to None removes one). ``prelude`` names are pre-bound globals (snippet mode).
``__name__`` is the file's stem (never ``"__main__"``), so ``if __name__ == "__main__":`` blocks do not run.

Supported
    Module code; ``import``/``from … import`` (``as``, ``*``); assignment with unpacking and starred targets,
    augmented and annotated assignment, ``del``; literals and f-strings (conversions, nested format specs);
    arithmetic, bitwise, comparison (chained), boolean, ``is``/``in`` operators, conditional expressions,
    ``:=``; subscripts and slices; calls with ``*args``/``**kwargs``; ``def`` (defaults, keyword-only,
    positional-only, ``*args``, ``**kwargs``), closures with ``nonlocal``/``global``, ``lambda``, recursion;
    decorators (``staticmethod``, ``classmethod``, ``property`` and setters, ``dataclass``, ``functools``
    ones (``wraps`` copies the name, ``total_ordering`` fills in comparisons), user-defined); ``class`` with
    inheritance, class attributes, ``super()`` in both forms, special methods (``__init__``, ``__call__``,
    ``__len__``, ``__getitem__``, operators …), ``typing.NamedTuple`` classes; reading ``__name__``,
    ``__qualname__``, ``__doc__``, ``__module__``, ``__class__`` (as ``type()`` gives it), and ``__dict__`` /
    ``vars(obj)`` of instances of the file's own classes; ``if``/``for``/``while`` with
    ``break``/``continue``/``else``; comprehensions; ``try``/``except``/``else``/``finally``, ``raise … from``,
    ``assert``; ``with`` (host and user context managers); generators (see limitations).

What nncalc does not know
    An import of a module nobody provides binds an :class:`Unknown` named as the file names it (``cfg`` for
    ``from mylib import cfg``). It absorbs attribute access, calls and arithmetic and fails only where a value
    is needed (a truth test, ``int()``, iteration, a host layer's argument), naming the import, its line and
    the line that needed it: "`cfg.hidden` comes from `from mylib import cfg` (line 3), which nncalc does not
    read; int() at line 12 needs its value: pass the value or inline it". A host error raised for an argument
    that is such an Unknown gets the same sentence. A name a provided module lacks is an Unknown too (with a
    warning and a "did you mean"), unless the host raises its own ``NncalcError`` for it (``from keras.layers
    import Conv2d``: "did you mean 'Conv2D'?"), which passes through at the import. A decorator that is an
    Unknown, returns one, or is a host context manager that cannot be called (``@torch.no_grad()``) is the
    identity, with a warning.

Not supported (``UnsupportedSyntax`` at the node's line and column)
    ``match``, ``async``/``await``, ``except*``, ``metaclass=`` and other class keywords, ``type()`` with three
    arguments, ``__new__``/``__del__``/``__init_subclass__``/``__getattribute__``/``__slots__`` … in a class
    body, bases other than user classes, ``object``, exception classes and host classes marked
    ``__nncalc_subclassable__ = True``; any attribute starting with ``__`` (dunders and name-mangled
    private names) except special methods read from ``super()`` or a class (``nn.Module.__init__(self)``) and
    the descriptive ones listed above;
    ``_private`` attributes of host objects; ``eval``, ``exec``, ``compile``, ``open``, ``__import__``,
    ``globals``, ``locals``, ``vars()`` without an argument, ``dir``, ``input``, ``breakpoint``, ``help``,
    ``memoryview``, ``id``.

Limitations
    Generators run eagerly: calling a generator function runs it to the end and returns an iterator over
    the collected values (``yield`` evaluates to None; an endless generator hits a limit). Generator
    expressions are materialised the same way, so two generators zipped run one after the other. Annotations
    are never evaluated. A lazy iterator given to another (``enumerate(zip(a, b))``, ``map(f, filter(...))``) is
    materialised first, so they never nest (an endless one there hits a limit). A comprehension in a class body sees the class's names (CPython's does not); zero-
    argument ``super()`` works in a comprehension inside a method (as in Python 3.12). ``print`` does nothing.
    ``isinstance(3, np.integer)`` is True (nncalc's numpy scalars are Python numbers). ``enum`` is not
    provided (an ``Enum`` class needs a metaclass): ``class Act(Enum)`` fails at the class, naming the import.

Errors
    Every problem is an :class:`~nncalc.errors.NncalcError` with ``file:line:col``: ``SyntaxProblem``
    (invalid Python), ``UnsupportedSyntax``, ``InterpreterError`` (an uncaught exception in the file,
    "ValueError: msg" at the ``raise``; a host ``TypeError`` at the call; a name error; an :class:`Unknown`
    used where a value is needed), ``LimitExceeded``. Host ``NncalcError``\\ s pass through with the location
    of the innermost call being evaluated attached. User ``except`` clauses see Python exceptions and host
    errors that also derive from a built-in exception (``class TorchTypeError(InterpreterError, TypeError)``),
    never nncalc's own errors. nncalc's own errors end the run: no user ``except``, ``finally`` or
    ``__exit__`` runs for them (a host context manager's ``__exit__`` does, for cleanup).

Limits (:class:`Limits`, defaults in :mod:`nncalc.interpreter.limits`)
    5,000,000 steps, call depth 200, 30 s of wall time (read every 1,000 steps), 10,000,000 items per
    collection, 10,000-bit integers, 10,000,000-character strings, 512 MiB of resident-memory growth (read
    from ``/proc/self/statm``; see ``docs/limits.md``). A step is an evaluated node; items built in bulk cost
    one step per 8 and items a builtin produces lazily (``map``, ``itertools.count``) 4 steps each, which
    also bounds the memory a file can claim in total. Sizes are checked before allocating (``'a' * n``,
    ``[0] * n``, ``2 ** n``, ``1 << n``, ``range(n)``, format widths, ``str.ljust`` …; a count from
    ``__index__`` is taken once), hashing and comparing nested containers before Python's C code does it, and
    host code sizes its own loops before them (:meth:`Budget.reserve`). The process running the analysis may
    be under OS limits too (:mod:`nncalc.contain`).

Host code
    * Interpreted functions are callables and descriptors (``inspect.signature`` works on them); calling one
      from host code runs it under the same budget, and an uncaught exception comes out as an
      ``InterpreterError`` with the file's location. Classes are real classes made by ``type()``.
    * A host class user code may derive from declares ``__nncalc_subclassable__ = True``. Host instances
      accept attribute assignment unless their class declares ``__nncalc_mutable__ = False``; host classes,
      functions and modules never do (assignments to modules are ignored with a warning).
    * User code reads public attributes of host objects, but modules (other than those passed in
      ``modules``), Python functions and classes of the standard library (``subprocess.Popen``), builtins of
      modules other than ``math``/``operator``/``itertools`` (``os.system``), metaclasses, frames and code
      never reach it: a host namespace may import what it likes, what it exposes must be nncalc's own.
    * ``nncalc.location.current_location()`` is the location of the innermost call or statement being
      evaluated (None outside the interpreter).
    * Host errors: raise :class:`~nncalc.errors.NncalcError` subclasses; ones that also derive from a
      built-in exception (``TypeError``) are catchable by user code like the real framework's. Do not catch
      ``NncalcError`` broadly in host code: limits travel as ``LimitExceeded``.
    * One interpreter is not thread-safe.
"""

from __future__ import annotations

from nncalc.interpreter import core as _core
from nncalc.interpreter import expressions as _expressions  # noqa: F401  (registers handlers)
from nncalc.interpreter import statements as _statements  # noqa: F401  (registers handlers)
from nncalc.interpreter.core import Interpreter, InterpreterWarning, Namespace
from nncalc.interpreter.limits import Limits
from nncalc.interpreter.stdlib import default_modules, logging_module, os_module, sys_module
from nncalc.interpreter.unknown import Unknown

_core.seal()

__all__ = ["run_source", "default_modules", "Unknown", "Limits", "Namespace", "InterpreterWarning", "Interpreter"]


def note(message: str) -> None:
    """Host code's remark for the report (``namespace.notes``), e.g. that a dataset's known shapes were used;
    said once however often it happens. Nothing happens outside a run."""
    from nncalc.interpreter import limits

    running = limits._active
    notes = getattr(running, "notes", None)
    if notes is not None and message not in notes:
        notes.append(message)


def run_source(
    source: str | list[tuple[str, str]],
    filename: str,
    *,
    modules: dict[str, object],
    prelude: dict[str, object] | None = None,
    limits: Limits | None = None,
    tolerant: bool = False,
    overrides: dict | None = None,
    on_cell=None,
    loader=None,
    provider=None,
    prelude_more=None,
) -> Namespace:
    """Interpret ``source`` and return its global namespace (a dict with a ``warnings`` list).

    Args:
        source: the file's text, or a notebook's code cells as ``(label, text)`` pairs, run in order in one
            namespace with ``__name__ == "__main__"`` as Jupyter does (``on_cell(namespace, label)`` after each).
        filename: the name used in locations (``model.py:12:5``); its stem becomes ``__name__``.
        modules: dotted import name → host object; :func:`default_modules` are added underneath.
        prelude: names bound before the file runs (snippet mode).
        prelude_more: ``prelude_more(name)`` → one more prelude name, bound when the file first uses it, or None.
        limits: the budgets; ``Limits()`` by default.
        tolerant: script mode (:mod:`nncalc.interpreter.script`): module-level statements that fail are
            skipped and listed in ``namespace.skipped``, and what they bind becomes unknown.
        overrides: ``--set`` values, ``{"num_classes": 10, "args.epochs": 1}``.
        loader: a :class:`~nncalc.interpreter.project.ProjectLoader` that reads the user's own modules and
            library sources; without one, imports nobody provides are unknown.
        provider: ``provider(root)`` → more ``modules`` when an import of ``root`` finds none (a framework
            imported only by one of the project's modules).

    Raises:
        NncalcError: ``SyntaxProblem``, ``UnsupportedSyntax``, ``InterpreterError``, ``LimitExceeded``, or a host
            error, each with its location.
    """
    merged = default_modules()
    merged["sys"] = sys_module(filename)
    merged["os"] = os_module()
    merged["os.path"] = merged["os"].path
    merged["logging"] = logging_module()
    merged.update(modules)
    provided = {name: value for name, value in merged.items() if value is not None}
    interp = Interpreter(filename, provided, limits, prelude)
    interp.tolerant = tolerant
    interp.loader = loader
    interp.provider = provider
    interp.prelude_more = prelude_more if prelude is not None else None
    if overrides:
        from nncalc.interpreter.script import Overrides

        interp.overrides = Overrides(overrides)
        interp.namespace.update(interp.overrides.initial())
    if isinstance(source, str):
        namespace = interp.run(source)
    else:
        interp.builtins["__name__"] = "__main__"
        callback = None if on_cell is None else (lambda label: on_cell(interp.namespace, label))
        namespace = interp.run_cells(source, callback)
    namespace.skipped = interp.skipped
    namespace.notes = interp.notes
    namespace.history = interp.history
    namespace.interpreter = interp
    return namespace
