"""Safe stand-ins for the standard modules model files import: see :func:`default_modules`.

Each is a namespace of real functions where they are harmless (``math.floor``), bounded versions where the
real one could build something huge or loop forever (``math.prod``, ``itertools.count``, ``functools.reduce``),
and harmless placeholders where only the name matters (``typing.Optional[int]``).
"""

from __future__ import annotations

import collections
import collections.abc
import functools as _functools
import itertools as _itertools
import math as _math
import numbers
import operator as _operator
import string as _string_module
import types

from nncalc.interpreter import dataclass as dc
from nncalc.interpreter import limits as _limits
from nncalc.interpreter import ops as _ops
from nncalc.interpreter import containers
from nncalc.interpreter.numpy_subset import numpy_module
from nncalc.interpreter.builtins import flat, materialize, safe_call, wrapping
from nncalc.interpreter.classes import cached_property, is_interpreted_class
from nncalc.interpreter.limits import active_budget
from nncalc.interpreter.objects import BoundMethod, InterpFunction
from nncalc.interpreter.safety import get_attr
from nncalc.interpreter.enum_module import enum_namespace
from nncalc.interpreter.inspect_module import inspect_namespace
from nncalc.interpreter.logging_module import logging_namespace
from nncalc.interpreter.os_module import os_namespace
from nncalc.interpreter.re_module import re_namespace
from nncalc.interpreter.script_modules import argparse_namespace, sys_namespace, types_namespace


class SafeModule(types.ModuleType):
    """A namespace standing in for a standard module (assignments to it from user code are ignored)."""

    def __init__(self, name: str, attrs: dict):
        super().__init__(name)
        self.__dict__.update(attrs)
        self.__all__ = sorted(k for k in attrs if not k.startswith("_"))

    def __repr__(self) -> str:
        return f"<module {self.__name__!r} (nncalc)>"


class _OpenModule(SafeModule):
    """A standard module nncalc gives only part of: its other names are unknown values (as an import nncalc does
    not provide would be), not errors."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        from nncalc.interpreter.unknown import Unknown

        return Unknown(f"{self.__name__}.{name}", root=self.__name__)


class _Suppress:
    """``contextlib.suppress(*exceptions)``: an exception of those kinds raised in the block ends it quietly
    (YOLOv5 evaluates its config's strings with ``with contextlib.suppress(NameError): eval(a)``)."""

    def __init__(self, *exceptions):
        self._kinds = tuple(kind for kind in exceptions if isinstance(kind, type) and issubclass(kind, BaseException))

    def __enter__(self):
        return None

    def __exit__(self, kind, value, traceback) -> bool:
        return kind is not None and issubclass(kind, self._kinds)


class _NullContext:
    """``contextlib.nullcontext(enter_result=None)``."""

    def __init__(self, enter_result=None):
        self._value = enter_result

    def __enter__(self):
        return self._value

    def __exit__(self, *exc) -> bool:
        return False


# ----- typing ----------------------------------------------------------------------------------------------
class TypingForm:
    """A harmless stand-in for a typing construct: subscriptable, callable, combinable with ``|``."""

    __slots__ = ("_name",)

    def __init__(self, name: str):
        object.__setattr__(self, "_name", name)

    def __getitem__(self, item) -> "TypingForm":
        return TypingForm(f"{self._name}[...]")

    def __call__(self, *args, **kwargs) -> "TypingForm":
        return TypingForm(f"{self._name}(...)")

    def __or__(self, other) -> "TypingForm":
        return TypingForm(f"{self._name} | ...")

    def __ror__(self, other) -> "TypingForm":
        return TypingForm(f"... | {self._name}")

    def __getattr__(self, name: str) -> "TypingForm":
        if name.startswith("_"):
            raise AttributeError(name)
        return TypingForm(f"{self._name}.{name}")

    def __repr__(self) -> str:
        return f"typing.{self._name}"


def is_typing_form(value) -> bool:
    return type(value) is TypingForm or value is containers.NAMED_TUPLE


def _identity(value):
    return value


def _cast(typ, value):
    return value


def _new_type(name, typ):
    return _identity


_TYPING_FORMS = (
    "Any Optional Union ClassVar Final Literal Annotated Generic Protocol TypeVar ParamSpec NamedTuple TypedDict "
    "NoReturn Never Self TypeAlias Concatenate Required NotRequired Unpack TypeGuard AnyStr Type ForwardRef"
)
_ABCS = (
    "Iterable Iterator Sequence MutableSequence Mapping MutableMapping Callable Collection Container Hashable Sized "
    "Generator Reversible Set MutableSet KeysView ItemsView ValuesView Awaitable Coroutine AsyncIterable"
)
_abc_namespace = {name: getattr(collections.abc, name) for name in _ABCS.split()}
_typing = {name: TypingForm(name) for name in _TYPING_FORMS.split()}
_typing["NamedTuple"] = containers.NAMED_TUPLE
_typing.update(_abc_namespace)
_typing.update(
    List=list, Dict=dict, Tuple=tuple, Set=set, FrozenSet=frozenset, DefaultDict=collections.defaultdict,
    OrderedDict=collections.OrderedDict, Counter=collections.Counter, Text=str, TYPE_CHECKING=False, cast=_cast,
    overload=_identity, final=_identity, no_type_check=_identity, runtime_checkable=_identity, NewType=_new_type,
    AbstractSet=collections.abc.Set,
)  # fmt: skip


# ----- functools -------------------------------------------------------------------------------------------
class partial:
    """``functools.partial``; the call goes through the interpreter's safe call path."""

    __slots__ = ("func", "args", "keywords")

    def __init__(self, func, /, *args, **keywords):
        if not callable(func):
            raise TypeError("the first argument must be callable")
        if type(func) is partial:
            args = func.args + args
            keywords = {**func.keywords, **keywords}
            func = func.func
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, /, *args, **keywords):
        return safe_call(self.func, (*self.args, *args), {**self.keywords, **keywords})

    def __repr__(self) -> str:
        return f"functools.partial({self.func!r}, ...)"


def reduce(function, iterable, *initial):
    items = materialize(iterable)
    budget = active_budget()
    if initial:
        value = initial[0]
    elif items:
        value, items = items[0], items[1:]
    else:
        raise TypeError("reduce() of empty iterable with no initial value")
    for item in items:
        budget.tick()
        value = safe_call(function, (value, item))
        if type(value) is int:
            budget.check_int(value)
        elif type(value) in (str, list, tuple, bytes):
            budget.check_len(value, len(value))
    return value


def _decorator_factory(*args, **kwargs):
    """``lru_cache``, ``cache`` …: decorators that change nothing nncalc can see, with or without arguments."""
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return _identity


def _update_wrapper(wrapper, wrapped, *args, **kwargs):
    """An interpreted wrapper takes the wrapped function's ``__name__``, ``__qualname__`` and ``__doc__``."""
    if type(wrapper) is InterpFunction:
        if type(wrapped) in (InterpFunction, BoundMethod):
            target = wrapped if type(wrapped) is InterpFunction else None
            wrapper._wrap(wrapped.__name__, wrapped.__qualname__, wrapped._docstring(), target)
        else:
            name = getattr(wrapped, "__name__", None)
            if type(name) is str:
                qualname = getattr(wrapped, "__qualname__", name)
                wrapper._wrap(name, qualname if type(qualname) is str else name, None)
    return wrapper


def _wraps(wrapped, *args, **kwargs):
    return lambda wrapper: _update_wrapper(wrapper, wrapped)


def _total_ordering(cls):
    if not is_interpreted_class(cls):
        raise TypeError("functools.total_ordering applies to classes defined in the file")
    return _functools.total_ordering(cls)


# ----- itertools ------------------------------------------------------------------------------------------
def chain(*iterables):
    return _chaining([flat(iterable) for iterable in iterables])


@wrapping
def _chaining(iterables):
    budget = active_budget()
    for iterable in iterables:
        for item in iterable:
            budget.tick()
            yield item


chain.from_iterable = lambda iterables: chain(*materialize(iterables))


def count(start=0, step=1):
    budget = active_budget()
    value = start
    while True:
        budget.tick()
        yield value
        value += step


def cycle(iterable):
    items = materialize(iterable)
    budget = active_budget()
    while items:
        for item in items:
            budget.tick()
            yield item


def repeat(obj, times=None):
    if times is None:
        return _repeat_forever(obj)
    times = _operator.index(times)
    active_budget().check_size(times)
    return _itertools.repeat(obj, times)


def _repeat_forever(obj):
    budget = active_budget()
    while True:
        budget.tick()
        yield obj


def _sized(total: int | None, what: str):
    """Charge ``total`` items about to be made; None: more than the collection limit (counted up to it)."""
    budget = active_budget()
    if total is None:
        budget.too_large(what)
    budget.check_size(total, what)
    budget.charge(total)


def _bounded_product(factors, limit: int) -> int | None:
    """The product of ``factors``, or None as soon as it passes ``limit`` (never a huge number)."""
    total = 1
    for factor in factors:
        if factor == 0:
            return 0
        if total is None:
            continue
        total *= factor
        if total > limit:
            total = None
    return total


def product(*iterables, repeat=1):
    repeat = _operator.index(repeat)
    pools = [materialize(it) for it in iterables]
    budget = active_budget()
    budget.check_size(len(pools) * max(repeat, 0), "itertools.product's pools")
    limit = budget.limits.max_collection
    # each of the product's tuples has len(pools) * repeat items: counted as well as the tuples themselves
    per_round = _bounded_product((len(p) for p in pools), limit)
    if per_round is None:
        tuples = None if repeat > 0 else 1
    elif per_round <= 1 or repeat * _math.log2(per_round) <= _math.log2(limit):
        tuples = per_round ** max(repeat, 0)
    else:
        tuples = None
    items = _bounded_product((tuples, max(len(pools) * repeat, 1)), limit) if tuples is not None else None
    _sized(items, "itertools.product")
    return _itertools.product(*pools, repeat=repeat)


def _choices(n: int, r: int, ordered: bool, limit: int) -> int | None:
    """``perm(n, r)`` or ``comb(n, r)``, or None once it passes ``limit``: never computed in full."""
    if not 0 <= r <= n:
        return 0
    if not ordered:
        r = min(r, n - r)
    total = 1
    for i in range(r):  # the partial results only grow (r <= n / 2 for comb): the first past limit decides
        total = total * (n - i) // (1 if ordered else i + 1)
        if total > limit:
            return None
    return total


def _tuples_of(count: int | None, size: int, limit: int) -> int | None:
    return None if count is None else _bounded_product((count, max(size, 1)), limit)


def combinations(iterable, r):
    r = _operator.index(r)
    pool = materialize(iterable)
    limit = active_budget().limits.max_collection
    _sized(_tuples_of(_choices(len(pool), r, False, limit), r, limit), "itertools.combinations")
    return _itertools.combinations(pool, r)


def permutations(iterable, r=None):
    pool = materialize(iterable)
    r = len(pool) if r is None else _operator.index(r)
    limit = active_budget().limits.max_collection
    _sized(_tuples_of(_choices(len(pool), r, True, limit), r, limit), "itertools.permutations")
    return _itertools.permutations(pool, r)


def accumulate(iterable, func=None, *, initial=None):
    return _accumulating(materialize(iterable), func, initial)


@wrapping
def _accumulating(items, func, initial):
    budget = active_budget()
    total = initial
    started = initial is not None
    if started:
        yield total
    for item in items:
        budget.tick()
        total = item if not started else (_ops.add(budget, total, item) if func is None else safe_call(func, (total, item)))
        started = True
        if type(total) is int:
            budget.check_int(total)
        yield total


def _islice(iterable, *args):
    return _itertools.islice(flat(iterable), *args)


def _zip_longest(*iterables, fillvalue=None):
    return _itertools.zip_longest(*(materialize(it) for it in iterables), fillvalue=fillvalue)


def _pairwise(iterable):
    return _itertools.pairwise(materialize(iterable))


# ----- math ------------------------------------------------------------------------------------------------
def _bits_estimate(log_value: float) -> None:
    budget = active_budget()
    if log_value / _math.log(2) > budget.limits.max_int_bits:
        budget.check_int(1 << (budget.limits.max_int_bits + 1))


def prod(iterable, /, *, start=1):
    budget = active_budget()
    value = start
    for item in materialize(iterable):
        value = _ops.mul(budget, value, item)
    return value


def factorial(n):
    n = _operator.index(n)
    if n > 1:
        _bits_estimate(_math.lgamma(n + 1))
    return _math.factorial(n)


def comb(n, k):
    n, k = _operator.index(n), _operator.index(k)
    if 0 <= k <= n:
        _bits_estimate(_math.lgamma(n + 1) - _math.lgamma(k + 1) - _math.lgamma(n - k + 1))
    return _math.comb(n, k)


def perm(n, k=None):
    n = _operator.index(n)
    k = n if k is None else _operator.index(k)
    if 0 <= k <= n:
        _bits_estimate(_math.lgamma(n + 1) - _math.lgamma(n - k + 1))
    return _math.perm(n, k)


def lcm(*integers):
    """``math.lcm``, one argument at a time, each step within the integer limit (the lcm of ``range(1, 10**6)``
    would be computed in one C call, for minutes, before any check)."""
    budget = active_budget()
    value = 1
    for item in integers:
        budget.tick()
        value = budget.check_int(_math.lcm(value, item))
    return value


def fsum(iterable):
    return _math.fsum(materialize(iterable))


_MATH_NAMES = (
    "floor ceil trunc sqrt isqrt exp expm1 log log2 log10 log1p pow fabs fmod modf frexp ldexp copysign gcd "
    "isfinite isinf isnan isclose sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh hypot dist "
    "degrees radians erf erfc gamma lgamma remainder pi e tau inf nan"
)
_math_namespace = {name: getattr(_math, name) for name in _MATH_NAMES.split()}
_math_namespace.update(prod=prod, factorial=factorial, comb=comb, perm=perm, lcm=lcm, fsum=fsum)


# ----- operator --------------------------------------------------------------------------------------------
def _guarded(name: str):
    op = getattr(_ops, name)

    def guarded(a, b):
        return op(active_budget(), a, b)

    guarded.__name__ = name
    return guarded


def _itemgetter(*items):
    return _operator.itemgetter(*items)


def _attrgetter(*names):
    def get(obj):
        values = []
        for dotted in names:
            value = obj
            for part in dotted.split("."):
                value = get_attr(active_budget(), value, part)
            values.append(value)
        return values[0] if len(values) == 1 else tuple(values)

    return get


def _contains(container, item):
    return _ops.contains(active_budget(), item, container)


def _compared(name: str):
    """``operator.eq`` …: comparing containers is checked as ``==`` is (see Budget.check_shared)."""
    op = getattr(_operator, name)

    def compare(a, b):
        budget = active_budget()
        if a.__class__ in _CONTAINERS and b.__class__ in _CONTAINERS:
            budget.check_shared(a)
        return op(a, b)

    compare.__name__ = name
    return compare


_CONTAINERS = frozenset({tuple, list, set, frozenset, dict})
_operator_namespace = {
    name: getattr(_operator, name)
    for name in "truediv floordiv neg pos abs not_ truth getitem index and_ or_ xor rshift matmul is_ is_not invert "
    "inv".split()
}
_operator_namespace.update({name: _compared(name) for name in "eq ne lt le gt ge".split()})
_operator_namespace.update(
    add=_guarded("add"), sub=_guarded("sub"), mul=_guarded("mul"), pow=_guarded("power"), lshift=_guarded("lshift"),
    mod=_guarded("mod"), concat=_guarded("add"), contains=_contains, itemgetter=_itemgetter, attrgetter=_attrgetter,
)  # fmt: skip


# ----- copy, abc, warnings ---------------------------------------------------------------------------------
class _CountingMemo(dict):
    """A deepcopy memo that counts every object deepcopy visits against the step budget."""

    def get(self, key, default=None):
        active_budget().tick()
        return dict.get(self, key, default)


def deepcopy(x, memo=None):
    import copy  # lazily, as below: copy is slow to import and few models copy anything

    return copy.deepcopy(x, _CountingMemo())


def shallow_copy(x):
    import copy

    result = copy.copy(x)
    if isinstance(result, (list, tuple, dict, set, frozenset, str)):
        active_budget().charge(len(result))
    return result


class ABC:
    """``abc.ABC``: a plain base class (abstract methods are not enforced)."""

    __nncalc_subclassable__ = True
    __slots__ = ()


def warn(message, category=None, stacklevel=1, **kwargs):
    interp = _limits._active
    if interp is not None and hasattr(interp, "warn"):
        interp.warn(f"the file warns: {message}")


def _ignore(*args, **kwargs):
    return None


class catch_warnings:
    """``warnings.catch_warnings()``: a context manager that does nothing."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _make_modules() -> dict[str, SafeModule]:
    abc_collections = SafeModule("collections.abc", _abc_namespace)
    typing = SafeModule("typing", _typing)
    modules = {
        "math": SafeModule("math", _math_namespace),
        "typing": typing,
        "typing_extensions": typing,
        "collections": SafeModule(
            "collections",
            {**containers.COLLECTIONS, "abc": abc_collections},
        ),  # fmt: skip
        "collections.abc": abc_collections,
        "functools": SafeModule(
            "functools",
            {"partial": partial, "reduce": reduce, "wraps": _wraps, "update_wrapper": _update_wrapper,
             "lru_cache": _decorator_factory, "cache": _decorator_factory, "cached_property": cached_property,
             "total_ordering": _total_ordering},
        ),  # fmt: skip
        "itertools": SafeModule(
            "itertools",
            {"chain": chain, "count": count, "cycle": cycle, "repeat": repeat, "product": product,
             "combinations": combinations, "permutations": permutations, "accumulate": accumulate,
             "islice": _islice, "zip_longest": _zip_longest, "pairwise": _pairwise},
        ),  # fmt: skip
        "operator": SafeModule("operator", _operator_namespace),
        "copy": SafeModule("copy", {"copy": shallow_copy, "deepcopy": deepcopy}),
        "dataclasses": SafeModule(
            "dataclasses",
            {"dataclass": dc.dataclass, "field": dc.field, "fields": dc.fields, "asdict": dc.asdict,
             "astuple": dc.astuple, "replace": dc.replace, "is_dataclass": dc.is_dataclass, "MISSING": dc.MISSING,
             "FrozenInstanceError": dc.FrozenInstanceError, "InitVar": TypingForm("InitVar"),
             "KW_ONLY": TypingForm("KW_ONLY")},
        ),  # fmt: skip
        "abc": SafeModule("abc", {"ABC": ABC, "abstractmethod": _identity, "ABCMeta": TypingForm("ABCMeta")}),
        "warnings": SafeModule(
            "warnings",
            {"warn": warn, "simplefilter": _ignore, "filterwarnings": _ignore, "catch_warnings": catch_warnings},
        ),
        "numpy": numpy_module(),
        "argparse": SafeModule("argparse", argparse_namespace()),
        "inspect": SafeModule("inspect", inspect_namespace()),
        "types": SafeModule("types", types_namespace()),
        "enum": SafeModule("enum", enum_namespace()),
        "numbers": SafeModule("numbers", {name: getattr(numbers, name) for name in (
            "Number", "Complex", "Real", "Rational", "Integral")}),
        "re": SafeModule("re", re_namespace()),
        "contextlib": _OpenModule("contextlib", {"suppress": _Suppress, "nullcontext": _NullContext}),
        "string": SafeModule("string", {name: getattr(_string_module, name) for name in (
            "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits",
            "punctuation", "printable", "whitespace")}),
        "__future__": SafeModule(
            "__future__",
            dict.fromkeys(
                "annotations division print_function absolute_import generator_stop unicode_literals nested_scopes "
                "with_statement generators barry_as_FLUFL".split(),
                True,
            ),
        ),
    }
    return modules


_MODULES = _make_modules()


def sys_module(filename: str) -> SafeModule:
    """``sys`` as a script imported as ``filename`` sees it (:mod:`nncalc.interpreter.script_modules`)."""
    return SafeModule("sys", sys_namespace(filename))


def os_module() -> SafeModule:
    """``os`` for one run (:mod:`nncalc.interpreter.os_module`): a fresh, empty environment each time."""
    return SafeModule("os", os_namespace())


def logging_module() -> SafeModule:
    """``logging`` for one run (:mod:`nncalc.interpreter.logging_module`): fresh loggers that log nothing."""
    return SafeModule("logging", logging_namespace())


def default_modules() -> dict[str, object]:
    """The standard modules nncalc provides (``math``, ``typing``, ``collections``, ``functools``,
    ``itertools``, ``operator``, ``copy``, ``dataclasses``, ``abc``, ``warnings``, ``__future__``) and a
    ``numpy`` subset (:mod:`nncalc.interpreter.numpy_subset`)."""
    return dict(_MODULES)
