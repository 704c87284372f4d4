"""Interpreted functions: scope analysis, argument binding, and the callable objects host code sees.

An :class:`InterpFunction` is an ordinary Python callable and a descriptor, so it can sit in a real class made
by ``type(name, bases, namespace)`` and be called by host code (``nn.Module.__call__`` → ``self.forward``)
like a Python function; calling it evaluates its body with the interpreter that defined it, under the same
budget. Its state lives in underscore slots, which the safe attribute rules never expose to user code.
"""

from __future__ import annotations

import ast

TYPE_CHECKING = False
if TYPE_CHECKING:
    import inspect

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class Scope:
    """What a block of code binds: ``locals`` (function scopes) and names redirected by ``global`` or
    ``nonlocal`` (``redirects`` maps the name to ``"global"`` or ``"nonlocal"``)."""

    __slots__ = ("kind", "locals", "redirects")
    _nncalc_internal = True

    def __init__(self, kind: str, locals: frozenset = frozenset(), redirects: dict | None = None):
        self.kind = kind
        self.locals = locals
        self.redirects = redirects or {}


MODULE_SCOPE = Scope("module")
COMPREHENSION_SCOPE = Scope("comprehension")


def _bound_names(body: list[ast.AST]) -> tuple[set, set, set, bool]:
    """Names a block binds, declares global, declares nonlocal, and whether it yields (nested scopes apart)."""
    assigned: set[str] = set()
    globals_: set[str] = set()
    nonlocals: set[str] = set()
    yields = False
    stack: list[tuple[ast.AST, bool]] = [(node, False) for node in body]
    while stack:
        node, in_comprehension = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if not in_comprehension and not isinstance(node.ctx, ast.Load):
                assigned.add(node.id)
            continue
        if kind is ast.NamedExpr:
            assigned.add(node.target.id)
            stack.append((node.value, in_comprehension))
            continue
        if isinstance(node, _SCOPES):
            if kind is not ast.Lambda:
                assigned.add(node.name)
            outer = list(getattr(node, "decorator_list", ()))
            if kind is ast.ClassDef:
                outer += node.bases + [k.value for k in node.keywords]
            else:
                outer += node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
            stack.extend((child, in_comprehension) for child in outer)
            continue
        if isinstance(node, _COMPREHENSIONS):
            first = node.generators[0]
            stack.append((first.iter, in_comprehension))
            inner = [first.target, *first.ifs, *node.generators[1:]]
            inner += [node.key, node.value] if kind is ast.DictComp else [node.elt]
            stack.extend((child, True) for child in inner)
            continue
        if kind is ast.Global:
            globals_.update(node.names)
        elif kind is ast.Nonlocal:
            nonlocals.update(node.names)
        elif kind in (ast.Import, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    assigned.add(alias.asname or alias.name.split(".")[0])
        elif kind is ast.ExceptHandler and node.name:
            assigned.add(node.name)
        elif kind in (ast.Yield, ast.YieldFrom) and not in_comprehension:
            yields = True
        stack.extend((child, in_comprehension) for child in ast.iter_child_nodes(node))
    return assigned, globals_, nonlocals, yields


def _redirects(globals_: set, nonlocals: set) -> dict:
    redirects = dict.fromkeys(globals_, "global")
    redirects.update(dict.fromkeys(nonlocals, "nonlocal"))
    return redirects


def class_scope(node: ast.ClassDef) -> Scope:
    """The scope of a class body (cached on the node)."""
    scope = node.__dict__.get("_nnscope")
    if scope is None:
        _, globals_, nonlocals, _ = _bound_names(node.body)
        scope = node._nnscope = Scope("class", frozenset(), _redirects(globals_, nonlocals))
    return scope


class FunctionCode(Scope):
    """The static part of a ``def`` or ``lambda``: parameters, body, locals, whether it is a generator."""

    __slots__ = (
        "name", "body", "lineno", "params", "nposonly", "vararg", "kwonly", "kwarg", "keywordable",
        "simple", "is_generator", "is_lambda", "doc",
    )  # fmt: skip

    def __init__(self, node: ast.FunctionDef | ast.Lambda):
        args = node.args
        self.is_lambda = isinstance(node, ast.Lambda)
        self.name = "<lambda>" if self.is_lambda else node.name
        self.doc = None if self.is_lambda else ast.get_docstring(node, clean=False)
        self.body = node.body
        self.lineno = node.lineno
        positional = args.posonlyargs + args.args
        self.params = tuple(a.arg for a in positional)
        self.nposonly = len(args.posonlyargs)
        self.vararg = args.vararg.arg if args.vararg else None
        self.kwonly = tuple(a.arg for a in args.kwonlyargs)
        self.kwarg = args.kwarg.arg if args.kwarg else None
        self.keywordable = frozenset(self.params[self.nposonly :] + self.kwonly)
        self.simple = not (self.nposonly or self.vararg or self.kwonly or self.kwarg)
        params = set(self.params) | set(self.kwonly) | {n for n in (self.vararg, self.kwarg) if n}
        if self.is_lambda:
            assigned, globals_, nonlocals, yields = _bound_names([node.body])
        else:
            assigned, globals_, nonlocals, yields = _bound_names(node.body)
        self.is_generator = yields
        super().__init__("function", frozenset((assigned | params) - globals_ - nonlocals), _redirects(globals_, nonlocals))


def function_code(node: ast.FunctionDef | ast.Lambda) -> FunctionCode:
    """The :class:`FunctionCode` of a node, made once and cached on it."""
    code = node.__dict__.get("_nncode")
    if code is None:
        code = node._nncode = FunctionCode(node)
    return code


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _names(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def bind_arguments(fn: "InterpFunction", args: tuple, kwargs: dict) -> dict:
    """The local variables of a call of ``fn``, bound as Python binds them (same TypeError messages)."""
    code = fn._code
    params = code.params
    n = len(params)
    nargs = len(args)
    if code.simple and not kwargs and nargs == n:
        return dict(zip(params, args))
    title = fn._qualname
    bound: dict = {}
    if nargs > n:
        if code.vararg is None:
            ndefaults = len(fn._defaults)
            takes = f"from {n - ndefaults} to {n}" if ndefaults else str(n)
            raise TypeError(
                f"{title}() takes {takes} positional argument{'' if n == 1 and not ndefaults else 's'} "
                f"but {nargs} {'was' if nargs == 1 else 'were'} given"
            )
        bound.update(zip(params, args[:n]))
        bound[code.vararg] = tuple(args[n:])
    else:
        bound.update(zip(params, args))
        if code.vararg is not None:
            bound[code.vararg] = ()
    extra: dict | None = {} if code.kwarg is not None else None
    for key, value in kwargs.items() if kwargs else ():
        if key in code.keywordable:
            if key in bound:
                raise TypeError(f"{title}() got multiple values for argument '{key}'")
            bound[key] = value
        elif extra is not None:
            extra[key] = value
        elif key in params[: code.nposonly]:
            raise TypeError(f"{title}() got some positional-only arguments passed as keyword arguments: '{key}'")
        else:
            raise TypeError(f"{title}() got an unexpected keyword argument '{key}'")
    defaults = fn._defaults
    first_default = n - len(defaults)
    missing = []
    for i in range(nargs, n):
        name = params[i]
        if name not in bound:
            if i >= first_default:
                bound[name] = defaults[i - first_default]
            else:
                missing.append(name)
    if missing:
        raise TypeError(f"{title}() missing {_plural(len(missing), 'required positional argument')}: {_names(missing)}")
    for name in code.kwonly:
        if name not in bound:
            if name in fn._kwdefaults:
                bound[name] = fn._kwdefaults[name]
            else:
                missing.append(name)
    if missing:
        raise TypeError(f"{title}() missing {_plural(len(missing), 'required keyword-only argument')}: {_names(missing)}")
    if extra is not None:
        bound[code.kwarg] = extra
    return bound


def bind_fields(title: str, positional: list[str], accepted, args: tuple, kwargs: dict) -> dict:
    """Bind ``args`` to the ``positional`` names and ``kwargs`` to the ``accepted`` names (for generated
    constructors: dataclass ``__init__``, namedtuple ``__new__``); defaults are the caller's business."""
    if len(args) > len(positional):
        raise TypeError(
            f"{title}() takes {len(positional) + 1} positional arguments but {len(args) + 1} were given"
        )
    values = dict(zip(positional, args))
    for key, value in kwargs.items():
        if key not in accepted:
            raise TypeError(f"{title}() got an unexpected keyword argument '{key}'")
        if key in values:
            raise TypeError(f"{title}() got multiple values for argument '{key}'")
        values[key] = value
    return values


class InterpFunction:
    """A function or lambda defined in the user's file."""

    __slots__ = (
        "_interp", "_code", "_defaults", "_kwdefaults", "_closure", "_globals", "_class", "_qualname", "_wrapped",
    )  # fmt: skip

    def __init__(self, interp, code: FunctionCode, defaults: tuple, kwdefaults: dict, closure, globals_, qualname):
        self._interp = interp
        self._code = code
        self._defaults = defaults
        self._kwdefaults = kwdefaults
        self._closure = closure
        self._globals = globals_
        self._class = None
        self._qualname = qualname
        self._wrapped = None

    def __call__(self, *args, **kwargs):
        return self._interp.call_from_host(self, args, kwargs)

    def __get__(self, obj, objtype=None):
        return self if obj is None else BoundMethod(self, obj)

    @property
    def __name__(self) -> str:
        return self._wrapped[0] if self._wrapped else self._code.name

    def _docstring(self) -> str | None:
        """What ``fn.__doc__`` is in user code (the attribute itself stays this class's docstring)."""
        return self._wrapped[2] if self._wrapped else self._code.doc

    def __getattr__(self, name: str):
        if name == "__qualname__":
            return self._wrapped[1] if self._wrapped else self._qualname
        raise AttributeError(name)

    def _wrap(self, name: str, qualname: str, doc: str | None, target=None) -> None:
        """Take the names of the function it wraps (``functools.wraps``); error messages keep the real one.
        ``inspect.signature`` then gives the wrapped ``target``'s parameters, as Python's does."""
        self._wrapped = (name, qualname, doc, target)

    @property
    def __signature__(self) -> inspect.Signature:
        target = self._wrapped[3] if self._wrapped else None
        if type(target) is InterpFunction:
            return target.__signature__
        return _signature(self)

    def __repr__(self) -> str:
        return f"<function {self._qualname} at line {self._code.lineno}>"

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        raise TypeError(f"cannot pickle interpreted function {self._qualname}")


class BoundMethod:
    """An :class:`InterpFunction` bound to an instance (or to a class, for classmethods)."""

    __slots__ = ("_func", "_self")

    def __init__(self, func: InterpFunction, obj):
        self._func = func
        self._self = obj

    def __call__(self, *args, **kwargs):
        return self._func._interp.call_from_host(self._func, (self._self, *args), kwargs)

    @property
    def __name__(self) -> str:
        return self._func.__name__

    def _docstring(self) -> str | None:
        return self._func._docstring()

    def __getattr__(self, name: str):
        if name == "__qualname__":
            return self._func.__qualname__
        raise AttributeError(name)

    @property
    def __signature__(self) -> inspect.Signature:
        sig = _signature(self._func)
        return sig.replace(parameters=list(sig.parameters.values())[1:])

    def __eq__(self, other) -> bool:
        return type(other) is BoundMethod and other._func is self._func and other._self is self._self

    def __hash__(self) -> int:
        return hash((id(self._func), id(self._self)))

    def __repr__(self) -> str:
        return f"<bound method {self._func._qualname} of {type(self._self).__name__} object>"

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _signature(fn: InterpFunction) -> inspect.Signature:
    import inspect  # lazily: only callers of inspect.signature need it, and it is slow to import

    code = fn._code
    P = inspect.Parameter
    first_default = len(code.params) - len(fn._defaults)
    params = []
    for i, name in enumerate(code.params):
        kind = P.POSITIONAL_ONLY if i < code.nposonly else P.POSITIONAL_OR_KEYWORD
        default = fn._defaults[i - first_default] if i >= first_default else P.empty
        params.append(P(name, kind, default=default))
    if code.vararg:
        params.append(P(code.vararg, P.VAR_POSITIONAL))
    for name in code.kwonly:
        params.append(P(name, P.KEYWORD_ONLY, default=fn._kwdefaults.get(name, P.empty)))
    if code.kwarg:
        params.append(P(code.kwarg, P.VAR_KEYWORD))
    return inspect.Signature(params)


INTERPRETED_CALLABLES = (InterpFunction, BoundMethod)


class _Kind(type):
    """Metaclass of :class:`FunctionKind` and :class:`MethodKind`: ``isinstance`` checks the real objects."""

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, cls._checks)


class FunctionKind(metaclass=_Kind):
    """What ``type(f)`` and ``types.FunctionType`` are for an interpreted function (its class stays hidden)."""

    _checks = InterpFunction
    __nncalc_mutable__ = False

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'function' instances")


FunctionKind.__name__ = FunctionKind.__qualname__ = "function"


class MethodKind(FunctionKind):
    """``type(obj.method)`` and ``types.MethodType``."""

    _checks = BoundMethod


MethodKind.__name__ = MethodKind.__qualname__ = "method"
