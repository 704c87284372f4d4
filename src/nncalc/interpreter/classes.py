"""``class`` statements: real Python classes whose methods are interpreted functions.

A class is made with ``type(name, bases, namespace)``, so its instances are ordinary Python objects that host
code can use (a user's ``nn.Module`` subclass registers its layers through the host ``__setattr__``). The
bases are checked first: interpreted classes, ``object``, exception classes, and host classes that declare
``__nncalc_subclassable__ = True``; nothing else. Special methods that Python calls implicitly at odd times
(``__del__``, ``__new__``, ``__init_subclass__``, ``__getattribute__`` …) are refused.
"""

from __future__ import annotations

import builtins

from nncalc.errors import Refused, UnsupportedSyntax
from nncalc.interpreter.objects import InterpFunction
from nncalc.interpreter.unknown import Unknown

MARKER = "__nncalc_class__"
"""Set in the namespace of every class the interpreter creates (and so inherited by their subclasses)."""

SUBCLASSABLE = "__nncalc_subclassable__"
"""A host class user classes may derive from declares ``__nncalc_subclassable__ = True``."""
MUTABLE = "__nncalc_mutable__"
"""A host class whose instances user code must not assign attributes to declares ``__nncalc_mutable__ = False``
(shared singletons such as dtypes); other host instances accept ``obj.name = value`` for public names."""

REFUSED_CLASS_NAMES = frozenset(
    {
        "__new__", "__del__", "__init_subclass__", "__class_getitem__", "__set_name__", "__getattribute__",
        "__mro_entries__", "__prepare__", "__instancecheck__", "__subclasscheck__", "__subclasshook__",
        "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__getnewargs__", "__getnewargs_ex__",
        "__dict__", "__weakref__", "__class__", "__slots__", "__classcell__", "__builtins__", "__globals__",
        "__nncalc_class__", "__nncalc_subclassable__", "__nncalc_mutable__",
    }
)  # fmt: skip

SPECIAL_METHODS = frozenset(
    {
        "__init__", "__call__", "__repr__", "__str__", "__format__", "__len__", "__getitem__", "__setitem__",
        "__delitem__", "__iter__", "__next__", "__reversed__", "__contains__", "__bool__", "__hash__", "__eq__",
        "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__enter__", "__exit__", "__index__", "__int__",
        "__float__", "__neg__", "__pos__", "__abs__", "__invert__", "__post_init__", "__missing__",
    }
    | {
        f"__{prefix}{op}__"
        for op in (
            "add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "pow", "lshift", "rshift", "and",
            "or", "xor",
        )
        for prefix in ("", "r", "i")
    }
)  # fmt: skip
"""Dunder names user code may read from ``super()`` and from classes (``nn.Module.__init__(self)``)."""

ATTRIBUTE_METHODS = frozenset({"__getattr__", "__getattribute__", "__setattr__", "__delattr__"})
"""Also readable from ``super()`` and classes, for ``__setattr__`` overrides; the attribute name they are
called with is checked like any attribute name."""

_BUILTIN_BASES = frozenset({builtins.object})


def is_interpreted_class(cls) -> bool:
    return isinstance(cls, type) and getattr(cls, MARKER, False) is True


def is_interpreted_instance(obj) -> bool:
    return getattr(type(obj), MARKER, False) is True


def is_plain_user_instance(obj) -> bool:
    """Is ``obj`` an instance of a class made in the file from other such classes, ``object``, exceptions or
    ``abc.ABC`` only? Its ``__dict__`` holds nothing but what user code put there (a host base class, such as
    ``nn.Module``, keeps its own state in it)."""
    kind = type(obj)
    if getattr(kind, MARKER, False) is not True:
        return False
    return all(
        getattr(c, MARKER, False) is True or c.__module__ in ("builtins", "nncalc.interpreter.stdlib")
        for c in kind.__mro__
    )


def _is_exception_class(base: type) -> bool:
    module = base.__module__ or ""
    return issubclass(base, Exception) and (module == "builtins" or module.startswith("nncalc"))


def unknown_base(base: Unknown) -> type:
    """A stand-in base class for an unknown one (``class MyData(Dataset)``, ``class Weights(WeightsEnum)``):
    the class is defined; ``super().__init__(...)`` accepts anything; an attribute only the unknown base
    would provide is an :class:`Unknown` naming it, failing where its value is needed."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return base._derive(f"{type(self).__name__}(...).{attr}")

    return type(
        base._ref().rpartition(".")[2] or "UnknownBase",
        (object,),
        {"__init__": __init__, "__getattr__": __getattr__, SUBCLASSABLE: True, "__module__": "nncalc.unknown",
         "_nncalc_unknown": base},
    )


def check_base(base, name: str, location) -> None:
    """Refuse a base a user class may not derive from (raises UnsupportedSyntax at ``location``)."""
    if not isinstance(base, type):
        if isinstance(base, Unknown):
            base._concrete(f"using it as the base class of `{name}`")
        raise UnsupportedSyntax(f"class `{name}` derives from {type(base).__name__!r} value, which is not a class", location)
    if base in _BUILTIN_BASES or is_interpreted_class(base) or _is_exception_class(base):
        return
    if getattr(base, SUBCLASSABLE, False) is True:
        return
    raise UnsupportedSyntax(
        f"class `{name}` derives from `{base.__qualname__}`, which nncalc's interpreter does not allow as a base",
        location,
        hint="user classes may derive from their own classes, object, exception classes and the framework base "
        "classes (nn.Module, keras.layers.Layer, keras.Model)",
    )


DROPPED_CLASS_NAMES = frozenset(
    {
        "__del__", "__getstate__", "__setstate__", "__reduce__", "__reduce_ex__", "__getnewargs__",
        "__getnewargs_ex__", "__slots__", "__class_getitem__", "__init_subclass__", "__set_name__",
    }
)  # fmt: skip
"""Special names Python would only use for pickling, finalising, typing generics or subclass hooks: dropped
from the class (with a warning), as nothing nncalc computes depends on them."""
UNSUPPORTED_CLASS_NAMES = frozenset(
    {"__new__", "__getattribute__", "__mro_entries__", "__prepare__", "__instancecheck__", "__subclasscheck__",
     "__subclasshook__"}
)  # fmt: skip
"""Special names that change how Python makes or looks into the class: not supported (the statement defining
the class is skipped in script mode)."""


def check_namespace(namespace: dict, name: str, location, warn=None) -> None:
    for key in list(namespace):
        if key in DROPPED_CLASS_NAMES:
            del namespace[key]
            if warn is not None:
                warn(f"class `{name}`: `{key}` ignored (nncalc never pickles, finalises or subclasses-hooks)", location)
        elif key in UNSUPPORTED_CLASS_NAMES:
            raise UnsupportedSyntax(f"class `{name}` defines `{key}`, which nncalc's interpreter does not support",
                                    location)
        elif key in REFUSED_CLASS_NAMES:
            raise Refused(f"class `{name}` defines `{key}`, which nncalc's interpreter does not support", location)


class cached_property:  # noqa: N801 - the name user code knows from functools
    """``functools.cached_property``: computed on first read, then stored in the instance (which may also
    assign it)."""

    def __init__(self, func):
        self.func = func
        self.attrname = None

    def __set_name__(self, owner, name):
        self.attrname = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        cache = instance.__dict__
        if self.attrname in cache:
            return cache[self.attrname]
        value = self.func(instance)
        cache[self.attrname] = value
        return value


def interpreted_functions(value):
    """The interpreted functions in a class-namespace value (a function, staticmethod, classmethod, property,
    cached_property)."""
    if isinstance(value, InterpFunction):
        yield value
    elif isinstance(value, cached_property):
        if isinstance(value.func, InterpFunction):
            yield value.func
    elif isinstance(value, (staticmethod, classmethod)):
        if isinstance(value.__func__, InterpFunction):
            yield value.__func__
    elif isinstance(value, property):
        for accessor in (value.fget, value.fset, value.fdel):
            if isinstance(accessor, InterpFunction):
                yield accessor


def make_class(name: str, qualname: str, module: str, bases: tuple, namespace: dict) -> type:
    """Create the class and tell its methods which class defines them (for ``super()``)."""
    namespace.setdefault("__module__", module)
    namespace["__qualname__"] = qualname
    namespace[MARKER] = True
    cls = type(name, bases, namespace)
    for value in namespace.values():
        for fn in interpreted_functions(value):
            if fn._class is None:
                fn._class = cls
    return cls


class SpecialMethod:
    """A special method user code read from ``super()`` or from a class that is not interpreted
    (``nn.Module.__init__``). Called on a class's method, the first argument must be an instance of an
    interpreted class (so user code cannot re-initialise shared host objects); for the attribute methods the
    attribute name must be one user code may use."""

    __slots__ = ("_func", "_cls", "_name")

    def __init__(self, func, cls: type | None, name: str):
        self._func = func
        self._cls = cls
        self._name = name

    def __call__(self, *args, **kwargs):
        if self._cls is not None:
            if not args or not isinstance(args[0], self._cls) or not is_interpreted_instance(args[0]):
                raise TypeError(
                    f"{self._cls.__name__}.{self._name}() needs an instance of a class defined in the file as "
                    "first argument"
                )
            name_index = 1
        else:
            name_index = 0
        if self._name in ATTRIBUTE_METHODS and len(args) > name_index:
            attribute = args[name_index]
            if not isinstance(attribute, str) or attribute.startswith("__"):
                raise Refused(f"{self._name}() of {attribute!r} is not supported by nncalc's safe interpreter")
        return self._func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<special method {self._name}>"
