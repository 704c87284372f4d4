"""The builtins user code can name: a whitelist, with bounded versions of everything that builds or consumes
collections in C.

Anything not here (``eval``, ``exec``, ``open``, ``__import__``, ``globals``, ``vars()`` without an argument,
``type`` with three arguments, ``memoryview`` …) does not exist for user code. The real types (``list``,
``str`` …) are bound so that ``isinstance`` works; calling them goes through :data:`SAFE_CONSTRUCTORS` (see
:func:`safe_call`).
"""

from __future__ import annotations

import itertools
import operator
import types

from nncalc.errors import LimitExceeded, Refused, UnsupportedSyntax
from nncalc.interpreter import safety
from nncalc.interpreter.classes import is_interpreted_class, is_plain_user_instance
from nncalc.interpreter.limits import active_budget
from nncalc.interpreter.unknown import Unknown

_SIZED = (list, tuple, str, bytes, dict, set, frozenset, range, type({}.keys()), type({}.values()), type({}.items()))
_BULK = frozenset({list, tuple, str, bytes, dict, set, frozenset})


def materialize(iterable) -> list:
    """``list(iterable)`` within the limits: sized inputs are checked first, others counted item by item."""
    budget = active_budget()
    if isinstance(iterable, _SIZED):
        try:
            n = len(iterable)
        except OverflowError:
            n = budget.limits.max_collection + 1
        budget.check_size(n)
        budget.charge(n)
        return list(iterable)
    if isinstance(iterable, Unknown):
        iterable._concrete("iterating")
    hint = operator.length_hint(iterable, 0)
    budget.check_size(hint)
    out: list = []
    append = out.append
    limit = budget.limits.max_collection
    for item in iterable:
        budget.tick()
        if type(item) in _BULK:
            budget.charge(len(item))
        append(item)
        if len(out) > limit:
            budget.check_size(len(out))
    return out


_WRAPPING_TYPES = {enumerate, zip, itertools.islice}
WRAPPING_CODES: set = set()
"""The code of nncalc's generators that wrap another iterator (``map``, ``filter``, ``itertools.chain`` …)."""


def flat(iterable):
    """``iterable`` as a lazy builtin (``enumerate``, ``zip``, ``map`` …) may wrap it: one that wraps another
    iterator itself is materialised first. Lazy iterators then never nest: each level of nesting is a level of
    C recursion when the outer one is advanced, and ``functools.reduce(enumerate, range(10**6), [0])`` would
    crash Python at the first ``next()``. (An iterator that wraps nothing, ``itertools.count()``, stays lazy.)"""
    kind = iterable.__class__
    if kind in _WRAPPING_TYPES or (kind is types.GeneratorType and iterable.gi_code in WRAPPING_CODES):
        return iter(materialize(iterable))
    return iterable


def wrapping(generator_function):
    """Register a generator function of nncalc's that wraps the iterators it is given (see :func:`flat`)."""
    WRAPPING_CODES.add(generator_function.__code__)
    return generator_function


def safe_call(func, args: tuple = (), kwargs: dict | None = None):
    """Call ``func`` from a builtin (``map``, ``reduce`` …) as user code would call it."""
    if type(func) is type:
        ctor = SAFE_CONSTRUCTORS.get(func)
        if ctor is not None:
            func = ctor
    return func(*args, **kwargs) if kwargs else func(*args)


def safe_callable(func):
    """A callable C code may call (a sort key, say): the real types are swapped for their safe constructors."""
    if type(func) is type:
        return SAFE_CONSTRUCTORS.get(func, func)
    return func


# ----- constructors ------------------------------------------------------------------------------------------
def _list(iterable=()):
    return materialize(iterable)


def _tuple(iterable=()):
    return iterable if type(iterable) is tuple else tuple(materialize(iterable))


def hashed(iterable, pairs: bool = False) -> list:
    """The items of a set (or the pairs of a dict) about to be built, with its hash table checked against the
    memory limit now that the items are resident, and the keys' hashing (see Budget.check_shared)."""
    items = materialize(iterable)
    budget = active_budget()
    budget.check_size(len(items))
    keys = items if not pairs else [pair[0] for pair in items if pair.__class__ in (tuple, list) and pair]
    budget.check_items(keys)
    budget.check_collisions(keys)
    return items


def _set(iterable=()):
    return set(hashed(iterable))


def _frozenset(iterable=()):
    return frozenset(hashed(iterable))


def _dict(*args, **kwargs):
    if len(args) > 1:
        raise TypeError(f"dict expected at most 1 argument, got {len(args)}")
    if args and not isinstance(args[0], dict) and not hasattr(type(args[0]), "keys"):
        args = (hashed(args[0], pairs=True),)
    result = dict(*args, **kwargs)
    active_budget().charge(len(result))
    return result


def _str(obj="", *args, **kwargs):
    if args or kwargs:
        safety.checked_codec(*_codec_arguments(args, kwargs))
        return str(obj, *args, **kwargs)
    return safety.text_of(active_budget(), obj, str)


def _codec_arguments(args, kwargs) -> tuple:
    """(encoding, errors) of ``str(b, encoding, errors)`` / ``bytes(s, encoding, errors)``."""
    encoding = args[0] if args else kwargs.get("encoding")
    errors = args[1] if len(args) > 1 else kwargs.get("errors")
    return encoding, errors


def _bytes(source=b"", *args, **kwargs):
    if args or kwargs:
        safety.checked_codec(*_codec_arguments(args, kwargs))
    if not isinstance(source, (bytes, str)) and hasattr(type(source), "__index__"):
        source = operator.index(source)
        active_budget().check_text(source)
    elif not isinstance(source, (bytes, str)):
        source = materialize(source)
    return bytes(source, *args, **kwargs)


def _int(x=0, *args, **kwargs):
    try:
        value = int(x, *args, **kwargs)
    except ValueError as err:
        if isinstance(x, (str, bytes)) and "Exceeds the limit" in str(err):  # Python's 4,300-digit limit
            budget = active_budget()
            raise LimitExceeded(
                f"int() of a text of {len(x):,} digits would be larger than the limit of "
                f"{budget.limits.max_int_bits:,} bits (about {budget.limits.max_int_bits * 3 // 10:,} digits)",
                hint="nncalc's safe interpreter stops here; Limits(max_int_bits=...) allows more",
            ) from None
        raise
    return active_budget().check_int(value)


def _range(*args):
    r = range(*args)
    try:
        n = len(r)
    except OverflowError:
        n = active_budget().limits.max_collection + 1
    active_budget().check_size(n, "a range")
    return r


def _enumerate(iterable, start=0):
    return enumerate(flat(iterable), start)


def _zip(*iterables, strict=False):
    return zip(*(flat(it) for it in iterables), strict=strict)


def _float(x=0.0):
    return float(x)


def unknown_aware(func, name: str, every: bool = False):
    """``func`` for user code, giving an :class:`Unknown` when its argument is one (``len(class_names)`` of
    unknown ``class_names`` is itself unknown, and says so where a value is needed); ``every``: any argument."""

    def call(*args, **kwargs):
        for arg in args if every else args[:1]:
            if isinstance(arg, Unknown):
                return arg._derive(f"{name}({arg._ref()})")
        return func(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = func.__doc__
    return call


SAFE_CONSTRUCTORS = {
    list: unknown_aware(_list, "list"), tuple: unknown_aware(_tuple, "tuple"), set: unknown_aware(_set, "set"),
    frozenset: unknown_aware(_frozenset, "frozenset"), dict: _dict, str: _str, bytes: _bytes,
    int: unknown_aware(_int, "int"), float: unknown_aware(_float, "float"), range: _range,
    enumerate: _enumerate, zip: _zip,
}  # fmt: skip
"""What calling a real type from user code runs instead."""


# ----- consumers -------------------------------------------------------------------------------------------
def _sorted(iterable, *, key=None, reverse=False):
    items = materialize(iterable)
    if key is None:
        active_budget().check_items(items, "sorting them")
    items.sort(key=safe_callable(key), reverse=reverse)
    return items


def _minmax(pick):
    def minmax(*args, key=None, **kw):
        items = materialize(args[0]) if len(args) == 1 else list(args)
        if key is None:
            active_budget().check_items(items, "comparing them")
        return pick(items, key=safe_callable(key), **kw)

    minmax.__name__ = pick.__name__
    return minmax


def _sum(iterable, /, start=0):
    items = materialize(iterable)
    budget = active_budget()
    if isinstance(start, (int, float, complex)) and all(type(x) in (int, float, bool) for x in items):
        total = sum(items, start)
        if type(total) is int:
            budget.check_int(total)
        return total
    total = start
    for item in items:
        if isinstance(total, (str, bytes, list, tuple)) and isinstance(item, (str, bytes, list, tuple)):
            budget.check_concat(total, item)
        total = total + item
        if type(total) is int:
            budget.check_int(total)
    return total


def _any(iterable):
    return any(materialize(iterable))


def _all(iterable):
    return all(materialize(iterable))


def _map(func, *iterables):
    return _mapping(func, zip(*(flat(it) for it in iterables)))


@wrapping
def _mapping(func, arguments):
    budget = active_budget()
    for args in arguments:
        budget.tick()
        yield safe_call(func, args)


def _filter(func, iterable):
    return _filtering(func, flat(iterable))


@wrapping
def _filtering(func, iterable):
    budget = active_budget()
    for item in iterable:
        budget.tick()
        if (bool(item) if func is None else safe_call(func, (item,))):
            yield item


def _pow(base, exp, mod=None):
    if mod is None:
        active_budget().check_power(base, exp)
        result = base**exp
        return active_budget().check_int(result) if type(result) is int else result
    exp, mod = operator.index(exp), operator.index(mod)
    if exp:
        # modular exponentiation never grows past ``mod`` but costs about one squaring of a ``mod``-sized number
        # per bit of ``exp`` (some 10 ns per pair of 64-bit words), a negative ``exp`` the same after an inverse:
        # charged before it runs, about 1 step a µs
        words = max(abs(mod).bit_length() // 64, 1)
        active_budget().charge(abs(exp).bit_length() * words * words // 12)
    return pow(base, exp, mod)


def _hash(obj):
    active_budget().check_shared(obj, "hashing it")
    return hash(obj)


def _repr(obj):
    return safety.text_of(active_budget(), obj, repr)


def _ascii(obj):
    return safety.text_of(active_budget(), obj, ascii)


def _format(value, spec=""):
    return safety.format_value(active_budget(), value, spec)


def _iter(obj, *sentinel):
    if not sentinel:
        return iter(obj)
    return _call_until(obj, sentinel[0])


def _call_until(func, sentinel):
    budget = active_budget()
    while True:
        budget.tick()
        value = safe_call(func)
        if value == sentinel:
            return
        yield value


def _open(file=None, *args, **kwargs):
    """Files are never opened: the value stands for one (``json.load(f)`` of it is unknown too)."""
    return Unknown("open(...)", reason="a file, which nncalc never reads")


def _print(*args, **kwargs):
    """Printing is a no-op: nncalc's output is the report."""


def _type(obj, *more):
    if more:
        raise Refused("type() with three arguments (making a class) is not supported; use a class statement")
    return safety.class_of(active_budget(), obj)


def _isinstance(obj, classinfo):
    classinfo = _check_classinfo(classinfo)
    return isinstance(obj, classinfo)


def _issubclass(cls, classinfo):
    classinfo = _check_classinfo(classinfo)
    if isinstance(cls, Unknown):
        cls._concrete("issubclass()")
    return issubclass(cls, classinfo)


def _check_classinfo(classinfo):
    """``classinfo`` as Python's ``isinstance`` takes it (the builtin ``type`` user code names is nncalc's
    safe function; it stands for the class ``type`` here)."""
    items = classinfo if isinstance(classinfo, tuple) else (classinfo,)
    for item in items:
        if isinstance(item, Unknown):
            item._concrete("isinstance()")
    if any(item is _type for item in items):
        items = tuple(type if item is _type else item for item in items)
        return items if isinstance(classinfo, tuple) else items[0]
    return classinfo


def _getattr(obj, name, *default):
    if type(name) is not str:
        raise TypeError("attribute name must be string")
    try:
        return safety.get_attr(active_budget(), obj, name)
    except AttributeError:
        if default:
            return default[0]
        raise


def _hasattr(obj, name):
    if type(name) is not str:
        raise TypeError("attribute name must be string")
    return safety.has_attr(active_budget(), obj, name)


def _setattr(obj, name, value):
    if type(name) is not str:
        raise TypeError("attribute name must be string")
    safety.set_attr(active_budget(), obj, name, value)


def _delattr(obj, name):
    if type(name) is not str:
        raise TypeError("attribute name must be string")
    safety.del_attr(active_budget(), obj, name)


def _dir(*obj):
    """``dir(obj)``: the names of an object's attributes (text only; dunders left out). Without an argument
    it is refused, as the scope's names are the interpreter's business."""
    if len(obj) != 1:
        raise Refused("dir() without an argument is not available in nncalc's safe interpreter")
    target = obj[0]
    if isinstance(target, Unknown):
        return target._derive(f"dir({target._ref()})")
    names = set(n for n in dir(target) if not n.startswith("__"))
    known = getattr(target, "_known", None)
    if isinstance(known, (set, frozenset)):
        names.update(known)
    if not (is_interpreted_class(type(target)) or is_interpreted_class(target)):
        names = {n for n in names if not n.startswith("_")}
    return sorted(names)


def _vars(*obj):
    if len(obj) != 1:
        raise Refused("vars() without an argument is not available in nncalc's safe interpreter")
    if type(obj[0]).__name__ == "Namespace" and type(obj[0]).__module__ == "nncalc.interpreter.script_modules":
        return obj[0].__dict__
    if not is_plain_user_instance(obj[0]):
        raise Refused("vars() is available in nncalc's safe interpreter for instances of classes of the file")
    return obj[0].__dict__


class SuperBuiltin:
    """``super``: the interpreter resolves ``super()`` itself (it knows the frame); ``super(C, obj)`` is real."""

    _nncalc_internal = True

    def __call__(self, *args):
        if not args:
            raise RuntimeError("super(): no arguments")
        cls = args[0]
        if not is_interpreted_class(cls):
            raise Refused("super() needs a class defined in the file as first argument")
        return super(*args)

    def __repr__(self) -> str:
        return "<built-in super>"


SUPER = SuperBuiltin()

EXCEPTIONS = (
    Exception, ArithmeticError, AssertionError, AttributeError, IndexError, KeyError, LookupError, NameError,
    NotImplementedError, OverflowError, RuntimeError, StopIteration, TypeError, ValueError, ZeroDivisionError,
    ImportError, ModuleNotFoundError, UnboundLocalError, Warning, UserWarning, DeprecationWarning,
    RuntimeWarning, FutureWarning,
)  # fmt: skip

SAFE_BUILTINS: dict[str, object] = {
    "abs": abs, "all": _all, "bytes": bytes, "any": _any, "ascii": _ascii, "bin": bin, "bool": bool, "callable": callable,
    "chr": chr, "classmethod": classmethod, "delattr": _delattr, "dict": dict, "dir": _dir, "divmod": divmod,
    "enumerate": enumerate, "filter": _filter, "float": float, "format": _format, "frozenset": frozenset,
    "getattr": _getattr, "hasattr": _hasattr, "hash": _hash, "hex": hex, "int": int, "isinstance": _isinstance,
    "issubclass": _issubclass, "iter": _iter, "len": unknown_aware(len, "len"), "list": list, "map": _map, "max": unknown_aware(_minmax(max), "max", True),
    "min": unknown_aware(_minmax(min), "min", True), "next": next, "object": object, "oct": oct, "open": _open, "ord": ord, "pow": _pow, "print": _print,
    "property": property, "range": range, "repr": _repr, "reversed": reversed, "round": round, "set": set,
    "setattr": _setattr, "slice": slice, "sorted": unknown_aware(_sorted, "sorted"), "staticmethod": staticmethod, "str": str,
    "sum": unknown_aware(_sum, "sum"), "super": SUPER, "tuple": tuple, "type": _type, "zip": zip, "NotImplemented": NotImplemented,
    "Ellipsis": Ellipsis, "complex": complex, "vars": _vars,
}  # fmt: skip
SAFE_BUILTINS.update((exc.__name__, exc) for exc in EXCEPTIONS)

FORBIDDEN_NAMES = frozenset(
    {
        "eval", "exec", "compile", "__import__", "globals", "locals", "input",
        "breakpoint", "help", "memoryview", "bytearray", "exit", "quit", "id", "__builtins__", "__loader__",
        "__spec__", "copyright", "credits", "license", "BaseException", "SystemExit", "KeyboardInterrupt",
        "GeneratorExit", "aiter", "anext", "__build_class__",
    }
)  # fmt: skip
"""Names that exist in Python but not here; using one is an UnsupportedSyntax, not a NameError."""
