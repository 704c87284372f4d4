"""What user code may touch: the attribute rules, the methods of plain data, and safe text conversion.

Attribute rules (read, write and delete alike; ``getattr``/``setattr``/``hasattr``/``delattr`` use them too):

* names starting with ``__`` are refused, except the special methods of :data:`classes.SPECIAL_METHODS`
  (and the attribute hooks, with the attribute name checked) read from ``super()`` or from a class
  (``super().__init__()``, ``nn.Module.__init__(self)``), and the read-only :data:`DESCRIPTIVE` ones
  (``__name__``, ``__qualname__``, ``__doc__``, ``__module__`` as text, ``__class__`` as ``type()`` gives it),
  and ``__dict__`` of instances of classes defined in the file that derive from no host class;
* single-underscore names only on interpreted instances and classes;
* plain data (str, list, dict, …) exposes a whitelist of methods; the ones that can build something large
  (``join``, ``ljust``, ``replace``, ``format``, ``extend`` …) are wrapped with size checks;
* host objects expose their public attributes, but values that are Python internals never come back: modules
  other than the provided ones, functions and classes of the standard library (``os.system``,
  ``subprocess.Popen``), metaclasses, frames, code, generators' insides, ``eval`` and friends;
* interpreter internals (functions' state, frames, AST nodes) expose nothing;
* writing: interpreted instances and classes; host instances unless their class says
  ``__nncalc_mutable__ = False``; never classes, functions or interpreter objects; modules ignore it.
"""

from __future__ import annotations

import _string
import ast
import builtins
import functools
import operator
import sys
import types
from collections import Counter, OrderedDict, defaultdict

from nncalc.errors import Refused, UnsupportedSyntax
from nncalc.interpreter.classes import (
    ATTRIBUTE_METHODS,
    MARKER,
    MUTABLE,
    SPECIAL_METHODS,
    SpecialMethod,
    is_interpreted_class,
    is_interpreted_instance,
    is_plain_user_instance,
)
from nncalc.interpreter.limits import active_budget
from nncalc.interpreter.objects import BoundMethod, InterpFunction
from nncalc.interpreter.unknown import Unknown

PASS = object()
"""In a method table: hand out the real method."""


class Static:
    """In a method table: a function that does not bind the instance (``dict.fromkeys``)."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn


def refuse(name: str, what: str = "") -> UnsupportedSyntax:
    if name.startswith("__"):
        why = "names starting with '__' are not accessible"
    else:
        why = what or "this attribute is not accessible"
    return Refused(f"attribute `{name}`: {why} in nncalc's safe interpreter")


SITE_BUILTINS = ("help", "exit", "quit", "copyright", "credits", "license")
"""Names that ``site`` adds to builtins and IPython replaces: absent under ``python -S``, never named directly."""
FORBIDDEN_BUILTINS = (
    eval, exec, compile, open, __import__, getattr, setattr, delattr, hasattr, vars, globals, locals, dir,
    input, breakpoint, memoryview, bytearray, type, super, print, id, object.__subclasses__,
    *(getattr(builtins, name) for name in SITE_BUILTINS if hasattr(builtins, name)),
)  # fmt: skip
FORBIDDEN_IDS = frozenset(id(f) for f in FORBIDDEN_BUILTINS)
SAFE_BUILTIN_MODULES = frozenset({"builtins", "math", "cmath", "_operator", "operator", "itertools", "_functools"})
SAFE_CLASS_MODULES = frozenset({"collections", "collections.abc", "functools", "typing", "abc", "numbers"})

_BLOCKED_TYPES = frozenset(
    {
        types.FrameType, types.CodeType, types.TracebackType, types.GeneratorType, types.CoroutineType,
        types.AsyncGeneratorType, types.CellType, types.GetSetDescriptorType, types.MemberDescriptorType,
        types.MappingProxyType,
    }
)  # fmt: skip
_FAST_VALUES = frozenset(
    {int, float, bool, str, type(None), tuple, list, dict, set, frozenset, InterpFunction, BoundMethod, Unknown}
)


def host_code(module: str | None) -> bool:
    """Is ``module`` (a ``__module__``) host code rather than the standard library? Functions and classes of
    the standard library never reach user code through a host object (``subprocess.Popen``, ``os.system``)."""
    return bool(module) and module.partition(".")[0] not in sys.stdlib_module_names


def check_value(interp, value):
    """Pass ``value`` (an attribute read from a host object) to user code, unless it is a Python internal."""
    kind = type(value)
    if kind in _FAST_VALUES:
        return value
    if kind is types.ModuleType:
        if id(value) in interp.module_ids or value.__name__.startswith("nncalc."):
            return value
        raise Refused(f"module `{value.__name__}` is not accessible in nncalc's safe interpreter")
    if kind is types.FunctionType:
        if host_code(value.__module__):
            return value
        raise Refused(f"function `{value.__qualname__}` is not accessible in nncalc's safe interpreter")
    if kind is types.BuiltinFunctionType:
        owner = value.__self__
        if id(value) in FORBIDDEN_IDS or (
            (owner is None or isinstance(owner, types.ModuleType)) and value.__module__ not in SAFE_BUILTIN_MODULES
        ):
            raise Refused(f"`{value.__name__}` is not available in nncalc's safe interpreter")
        return value
    if isinstance(value, type):
        if value is type or issubclass(value, type) or id(value) in FORBIDDEN_IDS:
            raise Refused("metaclasses are not accessible in nncalc's safe interpreter")
        module = value.__module__ or ""
        if module == "builtins":
            if value in METHODS or value in _BUILTIN_CLASSES or issubclass(value, BaseException):
                return value
        elif is_interpreted_class(value) or host_code(module) or module in SAFE_CLASS_MODULES:
            return value
        raise Refused(f"class `{value.__qualname__}` is not accessible in nncalc's safe interpreter")
    if (kind in _BLOCKED_TYPES or isinstance(value, ast.AST) or getattr(kind, "_nncalc_internal", False)
            or kind.__module__ == "_sitebuiltins"):
        raise Refused(f"a `{kind.__name__}` object is not accessible in nncalc's safe interpreter")
    return value


# ----- reading ---------------------------------------------------------------------------------------------
def get_attr(interp, obj, name: str):
    """``obj.name`` as user code may see it."""
    if name[:1] == "_":
        return _get_private(interp, obj, name)
    kind = type(obj)
    table = METHODS.get(kind)
    if table is not None:
        return _plain_method(obj, kind, table, name, bind=True)
    if kind in _BLOCKED_TYPES or getattr(kind, "_nncalc_internal", False) or isinstance(obj, ast.AST):
        raise refuse(name, f"a `{kind.__name__}` object has no accessible attributes")
    if isinstance(obj, type):
        table = METHODS.get(obj)
        if table is not None:
            return _plain_method(obj, obj, table, name, bind=False)
        if not (is_interpreted_class(obj) or host_code(obj.__module__)):
            raise refuse(name, f"attributes of class `{obj.__qualname__}` are not accessible")
    return check_value(interp, getattr(obj, name))


def _get_private(interp, obj, name: str):
    if isinstance(obj, Unknown):
        if name[:2] != "__" and hasattr(type(obj), name):
            raise refuse(name, "names starting with '_' are private to nncalc's own objects")
        return obj._derive(f"{obj._ref()}.{name}")
    if name == "__version__" and (isinstance(obj, types.ModuleType) or id(obj) in interp.module_ids):
        label = getattr(obj, "__name__", None) or getattr(obj, "_name", None) or "the module"
        return Unknown(f"{label}.__version__", reason="the installed version, which nncalc does not read")
    if name == "__annotations__" and (is_interpreted_class(obj) or type(obj) in (InterpFunction, BoundMethod)):
        return dict(obj.__dict__.get("__annotations__", {})) if is_interpreted_class(obj) else {}
    if name[:2] == "__":
        if name in MODULE_DUNDERS and _user_module(obj):
            if name not in obj.__dict__:
                raise AttributeError(f"module '{obj.__name__}' has no attribute '{name}'")
            return check_value(interp, obj.__dict__[name])
        if name in SPECIAL_METHODS or name in ATTRIBUTE_METHODS:
            if type(obj) is super:
                value = getattr(obj, name)
                return value if type(value) is BoundMethod else SpecialMethod(value, None, name)
            if isinstance(obj, type) and not issubclass(obj, type):
                value = getattr(obj, name)
                return value if type(value) is InterpFunction else SpecialMethod(value, obj, name)
        if name in DESCRIPTIVE:
            return _descriptive(interp, obj, name)
        if name == "__dict__" and is_plain_user_instance(obj):
            return obj.__dict__
        if name in ATTRIBUTE_METHODS and is_interpreted_instance(obj):
            return _attribute_method(interp, obj, name)
        raise refuse(name)
    if is_interpreted_instance(obj) or is_interpreted_class(obj) or type(obj) is super or _user_module(obj):
        return check_value(interp, getattr(obj, name))
    allowed = getattr(type(obj), PRIVATE, ())
    if name in allowed:
        return check_value(interp, getattr(obj, name))
    if _host_namespace(interp, obj):
        if name in getattr(obj, "__dict__", {}).get(PRIVATE, ()):  # a namespace lists its own (torch.nn.modules)
            return check_value(interp, getattr(obj, name))
        label = getattr(obj, "_qualname", None) or getattr(obj, "_name", None) or getattr(obj, "__name__", "module")
        return Unknown(f"{label}.{name}", reason="a private part of the framework, which nncalc does not model")
    raise refuse(name, "names starting with '_' are private to nncalc's own objects")


def _attribute_method(interp, obj, name: str):
    """``self.__setattr__('level_1', block)`` (a DLA tree naming its levels), ``self.__getattr__(name)`` and
    ``__delattr__`` on an instance of the file's classes: ``setattr``, ``getattr`` and ``delattr`` on it, which
    call the class's own methods as these do, the attribute name checked as any."""
    if name == "__setattr__":
        return lambda attr, value: set_attr(interp, obj, _attribute_name(attr), value)
    if name == "__delattr__":
        return lambda attr: del_attr(interp, obj, _attribute_name(attr))
    return lambda attr: get_attr(interp, obj, _attribute_name(attr))


def _attribute_name(name) -> str:
    if type(name) is not str:
        raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
    return name


PRIVATE = "__nncalc_private__"
"""A host class lists the single-underscore attributes its instances show user code, as the real framework
has them (``nn.Module``'s ``_modules``, ``_parameters``, ``_buffers``); a framework namespace may list its own
(``torch.nn.modules``' ``_BatchNorm``)."""


def _host_namespace(interp, obj) -> bool:
    """A framework namespace (``torch``, ``torch.nn``, ``keras.layers``) or a provided module."""
    return id(obj) in interp.module_ids or (
        type(obj).__name__ in ("Namespace", "_OpenNamespace", "PackageView")
        and (type(obj).__module__ or "").startswith("nncalc.")
    )


MODULE_DUNDERS = frozenset({"__all__", "__file__", "__package__", "__path__", "__version__", "__author__", "__name__",
                            "__doc__"})
"""The module attributes a module read by nncalc shows user code (the values its own text gave them)."""


def _user_module(obj) -> bool:
    """A module of the project or a library source, read by nncalc (its names are the user's code)."""
    return getattr(type(obj), "_nncalc_user_module", False) is True


DESCRIPTIVE = frozenset({"__name__", "__qualname__", "__doc__", "__module__", "__class__"})
"""Dunder attributes user code may read (``type(self).__name__``, ``fn.__doc__``, ``self.__class__``): text,
and the class ``type(obj)`` gives."""


def _descriptive(interp, obj, name: str):
    if name == "__class__":
        return class_of(interp, obj)
    kind = type(obj)
    if name == "__doc__" and kind in (InterpFunction, BoundMethod):
        return obj._docstring()
    if name == "__module__" and kind in (InterpFunction, BoundMethod):
        fn = obj if kind is InterpFunction else obj._func
        return fn._globals.get("__name__") or fn._interp.module_name
    if kind in _BLOCKED_TYPES or getattr(kind, "_nncalc_internal", False) or isinstance(obj, ast.AST):
        raise refuse(name, f"a `{kind.__name__}` object has no accessible attributes")
    value = getattr(obj, name)
    if type(value) is str or (value is None and name == "__doc__"):
        return value
    raise refuse(name, f"`{name}` of a `{kind.__name__}` object is not text here")


def class_of(interp, obj) -> type:
    """``type(obj)`` as user code may see it: plain types, user classes, host classes; never Python internals."""
    kind = type(obj)
    if kind in METHODS or is_interpreted_class(kind):
        return kind
    if kind is InterpFunction or kind is BoundMethod:
        from nncalc.interpreter.objects import FunctionKind, MethodKind

        return FunctionKind if kind is InterpFunction else MethodKind
    if kind is type or issubclass(kind, type):
        raise Refused(f"type() of a {kind.__name__} is not available in nncalc's safe interpreter")
    return check_value(interp, kind)


def _plain_method(obj, kind, table, name: str, bind: bool):
    entry = table.get(name)
    if entry is None:
        if not hasattr(kind, name):
            raise AttributeError(f"'{kind.__name__}' object has no attribute '{name}'")
        raise refuse(name, f"`{kind.__name__}.{name}` is not supported")
    if entry is PASS:
        return getattr(obj, name)
    if isinstance(entry, Static):
        return entry.fn
    return functools.partial(entry, obj) if bind else entry


def has_attr(interp, obj, name: str) -> bool:
    try:
        get_attr(interp, obj, name)
    except AttributeError:
        return False
    return True


# ----- writing ---------------------------------------------------------------------------------------------
def set_attr(interp, obj, name: str, value) -> None:
    """``obj.name = value``: interpreted instances and classes, host objects that allow it; modules ignore it."""
    if _writable(interp, obj, name, "assign"):
        setattr(obj, name, value)


def del_attr(interp, obj, name: str) -> None:
    if _writable(interp, obj, name, "delete"):
        delattr(obj, name)


def _writable(interp, obj, name: str, verb: str) -> bool:
    if name in MODULE_DUNDERS and _user_module(obj):
        return True
    if name in ("__doc__", "__annotations__") and verb == "assign" and (
        is_interpreted_class(obj) or type(obj) in (InterpFunction, BoundMethod)
    ):
        return is_interpreted_class(obj)  # a function's docstring stays as written
    if name.startswith("__"):
        raise refuse(name)
    if is_interpreted_instance(obj) or is_interpreted_class(obj) or _user_module(obj):
        if name[:1] == "_" and not _user_module(obj):
            _check_not_reserved(obj if isinstance(obj, type) else type(obj), name, verb)
        return True
    if name.startswith("_"):
        raise refuse(name, "names starting with '_' are private to nncalc's own objects")
    kind = type(obj)
    if kind is Unknown:
        return False
    if isinstance(obj, (types.ModuleType, types.SimpleNamespace)) or id(obj) in interp.module_ids:
        interp.warn(f"ignored: {verb} `{name}` on a module")
        return False
    if (
        isinstance(obj, type)
        or kind in _SHARED_TYPES
        or kind in _BLOCKED_TYPES
        or getattr(kind, "_nncalc_internal", False)
        or getattr(kind, MUTABLE, True) is False
    ):
        raise Refused(
            f"cannot {verb} attribute `{name}` of a `{kind.__name__}` object in nncalc's safe interpreter",
            hint=None if isinstance(obj, type) else "its class declares __nncalc_mutable__ = False",
        )
    return True


RESERVED = "__nncalc_reserved__"
"""A host class user code may derive from lists here the private attributes it keeps its own state in
(``nn.Module``'s ``_modules``); user code cannot assign or delete them, nor the private class attributes of
host classes (Keras's ``_state``)."""


def _check_not_reserved(cls: type, name: str, verb: str) -> None:
    for klass in cls.__mro__:
        if MARKER in klass.__dict__ or klass is object:
            continue
        if name in klass.__dict__ or name in klass.__dict__.get(RESERVED, ()):
            raise UnsupportedSyntax(
                f"cannot {verb} attribute `{name}`: {klass.__name__} keeps its own state there in nncalc",
                hint="give your attribute another name",
            )


_SHARED_TYPES = frozenset(
    {
        types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.MethodWrapperType,
        types.WrapperDescriptorType, types.MethodDescriptorType, types.ClassMethodDescriptorType, property,
        staticmethod, classmethod, functools.partial, SpecialMethod, InterpFunction, BoundMethod, super,
    }
)  # fmt: skip
"""Objects that may be shared between runs or belong to the interpreter: never written to by user code."""


# ----- text --------------------------------------------------------------------------------------------------
_SCALARS = frozenset({int, float, bool, complex, type(None)})


def text_of(interp, value, conv=str) -> str:
    """``str(value)`` / ``repr(value)`` / ``ascii(value)`` with the string limit enforced while building."""
    kind = type(value)
    if kind is str and conv is str:
        return value
    if kind in _SCALARS:
        return conv(value)
    if kind in _CONTAINER_TEXT:
        parts: list[str] = []
        size = [0, 0]
        _container_text(interp, value, conv, parts, size, set())
        interp.charge(size[1])
        return "".join(parts)
    text = conv(value)
    if type(text) is str:
        interp.check_text(len(text))
        interp.charge(len(text))
    return text


def _container_text(interp, value, conv, parts: list, size: list, active: set) -> None:
    kind = type(value)
    opener = _CONTAINER_TEXT.get(kind)
    if opener is None:
        parts.append(conv(value))
    elif id(value) in active:
        parts.append(opener[2])
    elif (bound := _scalar_text_bound(value, kind)) is not None:
        interp.check_text(size[1] + bound)
        parts.append(conv(value))
    else:
        open_, close, _ = opener
        if not value and kind in (set, frozenset):
            parts.append("set()" if kind is set else "frozenset()")
            return
        active.add(id(value))
        parts.append(open_)
        inner = repr if conv is str else conv
        first = True
        for item in value.items() if kind is dict else value:
            if not first:
                parts.append(", ")
            first = False
            if kind is dict:
                _container_text(interp, item[0], inner, parts, size, active)
                parts.append(": ")
                item = item[1]
            _container_text(interp, item, inner, parts, size, active)
            _account(interp, parts, size)
        if kind is tuple and len(value) == 1:
            parts.append(",")
        parts.append(close)
        active.discard(id(value))
    _account(interp, parts, size)


def _scalar_text_bound(value, kind) -> int | None:
    """An upper bound of the text of a container holding only scalars, or None if it holds anything else."""
    items = [*value.keys(), *value.values()] if kind is dict else value
    bound = 16
    for item in items:
        item_kind = type(item)
        if item_kind is str:
            bound += 10 * len(item) + 4
        elif item_kind is int:
            bound += item.bit_length() // 3 + 4
        elif item_kind in _SCALARS:
            bound += 32
        else:
            return None
    return bound


def _account(interp, parts: list, size: list) -> None:
    """``size`` is [pieces counted, characters so far]."""
    counted, total = size
    for piece in parts[counted:]:
        total += len(piece)
    size[0], size[1] = len(parts), total
    interp.check_text(total)


_CONTAINER_TEXT = {
    list: ("[", "]", "[...]"),
    tuple: ("(", ")", "(...)"),
    dict: ("{", "}", "{...}"),
    set: ("{", "}", "{...}"),
    frozenset: ("frozenset({", "})", "frozenset(...)"),
}


def format_value(interp, value, spec: str = "") -> str:
    """``format(value, spec)`` with the width and size checks."""
    if spec:
        interp.check_format_spec(spec)
    elif type(value) is str:
        return value
    if type(value) in _CONTAINER_TEXT:
        text = text_of(interp, value, str)
        return format(text, spec) if spec else text
    text = format(value, spec)
    if type(text) is str:
        interp.check_text(len(text))
    return text


def safe_format(interp, template: str, args: tuple, kwargs, _state=None) -> str:
    """``template.format(*args, **kwargs)`` with fields resolved by the attribute rules."""
    state = _state if _state is not None else [0]
    out: list[str] = []
    total = 0
    for literal, field, spec, conversion in _string.formatter_parser(template):
        out.append(literal)
        total += len(literal)
        if field is None:
            continue
        first, rest = _string.formatter_field_name_split(field)
        if first == "":
            if state[0] is None:
                raise ValueError("cannot switch from manual field specification to automatic field numbering")
            first = state[0]
            state[0] += 1
        elif isinstance(first, int):
            if state[0]:
                raise ValueError("cannot switch from automatic field numbering to manual field specification")
            state[0] = None
        value = args[first] if isinstance(first, int) else kwargs[first]
        for is_attr, key in rest:
            value = get_attr(interp, value, key) if is_attr else value[key]
        if conversion:
            value = text_of(interp, value, {"s": str, "r": repr, "a": ascii}[conversion])
        if spec and "{" in spec:
            spec = safe_format(interp, spec, args, kwargs, state)
        piece = format_value(interp, value, spec or "")
        out.append(piece)
        total += len(piece)
        interp.check_text(total)
    interp.charge(total)
    return "".join(out)


class _Verbatim(str):
    """Text already converted safely, for ``%r`` (its repr is itself)."""

    def __repr__(self) -> str:
        return str.__str__(self)


def percent_format(interp, template: str, args):
    """``template % args`` with width checks and containers converted safely first."""
    interp.check_percent_format(template, args)
    if isinstance(args, tuple):
        args = tuple(_Verbatim(text_of(interp, a, repr)) if type(a) in _CONTAINER_TEXT else a for a in args)
    elif type(args) in (list, set, frozenset):
        args = _Verbatim(text_of(interp, args, str))
    text = template % args
    interp.check_text(len(text))
    interp.charge(len(text))
    return text


# ----- plain-data methods -----------------------------------------------------------------------------------
def _materialize(iterable):
    from nncalc.interpreter.builtins import materialize  # builtins imports this module

    return materialize(iterable)


def _str_join(sep: str, iterable) -> str:
    items = _materialize(iterable)
    active_budget().check_len(sep, sum(len(x) for x in items if isinstance(x, str)) + len(sep) * max(len(items) - 1, 0))
    return sep.join(items)


def _str_replace(s: str, old: str, new: str, count: int = -1) -> str:
    hits = s.count(old) if old else len(s) + 1
    if count >= 0:
        hits = min(hits, count)
    active_budget().check_len(s, len(s) + hits * (len(new) - len(old)))
    return s.replace(old, new, count)


def _padding(method: str):
    def pad(s, width, *fill):
        width = operator.index(width)
        active_budget().check_len(s, width)
        return getattr(s, method)(width, *fill)

    pad.__name__ = method
    return pad


def _expandtabs(s, tabsize: int = 8):
    tabsize = operator.index(tabsize)
    active_budget().check_len(s, len(s) + s.count("\t") * max(tabsize, 0))
    return s.expandtabs(tabsize)


def _stripping(method: str):
    """``str.strip(chars)`` / ``bytes.strip(chars)``: C looks every stripped character up in ``chars`` one by
    one, so a million-character ``chars`` makes one call take minutes. Long ``chars`` are stripped here,
    with a set, charged per character."""

    def strip(s, chars=None):
        if chars is None or len(chars) <= _SHORT_CHARS:
            return getattr(s, method)(chars)
        budget = active_budget()
        budget.charge(len(chars))
        if len(set(chars)) <= _SHORT_CHARS:  # few distinct characters: C is quick with them
            distinct = "".join(dict.fromkeys(chars)) if isinstance(s, str) else bytes(dict.fromkeys(chars))
            return getattr(s, method)(distinct)
        members = frozenset(chars)
        start, end = 0, len(s)
        if method != "rstrip":
            while start < end and s[start] in members:
                start += 1
        if method != "lstrip":
            while end > start and s[end - 1] in members:
                end -= 1
        budget.charge(start + len(s) - end)
        return s[start:end]

    strip.__name__ = method
    return strip


_SHORT_CHARS = 64
_ENCODINGS = frozenset(
    "utf-8 utf8 u8 utf utf-8-sig utf-16 utf16 utf-16-le utf-16-be utf-32 utf32 utf-32-le utf-32-be ascii us-ascii "
    "646 latin-1 latin1 iso-8859-1 iso8859-1 8859 l1 cp819".split()
)
_ERROR_HANDLERS = frozenset(
    "strict ignore replace backslashreplace xmlcharrefreplace surrogateescape surrogatepass".split()
)


def checked_codec(encoding, errors) -> None:
    """Refuse codecs other than the common text encodings: Python imports the module of any codec it is asked
    for (``"x".encode("idna")`` imports ``encodings.idna``), and nncalc imports nothing a file names."""
    if encoding is not None:
        if type(encoding) is not str:
            raise TypeError(f"encoding must be str, not {type(encoding).__name__}")
        if encoding.lower().replace("_", "-").replace(" ", "-") not in _ENCODINGS:
            raise LookupError(f"unknown encoding: {encoding} (nncalc's safe interpreter knows utf-8, utf-16, "
                              "utf-32, ascii and latin-1)")
    if errors is not None:
        if type(errors) is not str:
            raise TypeError(f"errors must be str, not {type(errors).__name__}")
        if errors not in _ERROR_HANDLERS:
            raise LookupError(f"unknown error handler name '{errors}'")


def _coding(method: str):
    def code(value, encoding=None, errors=None):
        checked_codec(encoding, errors)
        args = [a for a in (encoding, errors) if a is not None]
        if errors is not None and encoding is None:
            return getattr(value, method)(errors=errors)
        return getattr(value, method)(*args)

    code.__name__ = method
    return code


def _str_format(s: str, *args, **kwargs) -> str:
    return safe_format(active_budget(), s, args, kwargs)


def _str_format_map(s: str, mapping) -> str:
    return safe_format(active_budget(), s, (), mapping)


_COLLECTIONS = (dict, list, tuple, set, frozenset, str)


def _length(sized) -> int:
    try:
        return len(sized)
    except OverflowError:  # a range longer than sys.maxsize
        return sys.maxsize


def _growing(method: str):
    """A method that adds the items of its arguments (``list.extend``, ``set.update``): charged and checked."""

    def grow(obj, *others, **kwargs):
        budget = active_budget()
        known = sum(_length(o) for o in others if isinstance(o, (range, *_COLLECTIONS)))
        budget.check_size(len(obj) + known)  # before materialising four ranges of 10**7, say
        items = [o if isinstance(o, _COLLECTIONS) else _materialize(o) for o in others]
        added = sum(len(o) for o in items) + len(kwargs)
        budget.check_size(len(obj) + added)
        budget.charge(added)
        if isinstance(obj, (set, frozenset, dict)):
            for other in items:
                if not isinstance(other, (set, frozenset, dict, str)):  # hashed now (a set's were before)
                    budget.check_items(other)
                    budget.check_collisions(other)
        return getattr(obj, method)(*items, **kwargs)

    grow.__name__ = method
    return grow


def _list_sort(lst: list, *, key=None, reverse=False) -> None:
    from nncalc.interpreter.builtins import safe_callable  # builtins imports this module

    active_budget().charge(len(lst))
    lst.sort(key=safe_callable(key), reverse=reverse)


def _fromkeys(cls):
    def fromkeys(iterable, value=None):
        keys = _materialize(iterable)
        active_budget().check_size(len(keys))  # the table about to be built, with the keys' memory now resident
        active_budget().check_items(keys)
        active_budget().check_collisions(keys)
        return cls.fromkeys(keys, value)

    return Static(fromkeys)


def _int_to_bytes(n: int, length: int = 1, byteorder: str = "big", *, signed: bool = False) -> bytes:
    length = operator.index(length)
    active_budget().check_text(length)
    return n.to_bytes(length, byteorder, signed=signed)


def _int_from_bytes(data, byteorder: str = "big", *, signed: bool = False) -> int:
    return active_budget().check_int(int.from_bytes(data, byteorder, signed=signed))


def _range_search(method: str):
    def search(r: range, value):
        if type(value) not in (int, bool):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            elif method == "count":
                return 0
            else:
                raise ValueError(f"{value!r} is not in range")
        return getattr(r, method)(value)

    return search


def _table(passed: str, **wrapped) -> dict:
    table = dict.fromkeys(passed.split(), PASS)
    table.update(wrapped)
    return table


_STRIPS = {name: _stripping(name) for name in ("strip", "lstrip", "rstrip")}
_STR = _table(
    "capitalize casefold count endswith find index isalnum isalpha isascii isdecimal isdigit isidentifier "
    "islower isnumeric isprintable isspace istitle isupper lower partition removeprefix removesuffix "
    "rfind rindex rpartition rsplit split splitlines startswith swapcase title upper",
    **_STRIPS, encode=_coding("encode"), join=_str_join, replace=_str_replace, center=_padding("center"), ljust=_padding("ljust"),
    rjust=_padding("rjust"), zfill=_padding("zfill"), expandtabs=_expandtabs, format=_str_format,
    format_map=_str_format_map,
)  # fmt: skip
_BYTES = _table("count endswith find hex index lower upper split startswith", **_STRIPS, decode=_coding("decode"))
_LIST = _table("append clear copy count index insert pop remove reverse", extend=_growing("extend"), sort=_list_sort)
_DICT = _table(
    "clear copy get items keys pop popitem setdefault values",
    update=_growing("update"), fromkeys=_fromkeys(dict),
)  # fmt: skip
_SET_OPERATIONS = "difference intersection isdisjoint issubset issuperset symmetric_difference union".split()
"""They take any iterables, which C would consume whole (``set().union(range(10**18))``): materialised first."""
_SET = _table(
    "add clear copy discard pop remove",
    **{name: _growing(name) for name in _SET_OPERATIONS},
    update=_growing("update"), difference_update=_growing("difference_update"),
    intersection_update=_growing("intersection_update"),
    symmetric_difference_update=_growing("symmetric_difference_update"),
)  # fmt: skip
_INT = _table(
    "bit_length bit_count conjugate real imag numerator denominator as_integer_ratio",
    to_bytes=_int_to_bytes, from_bytes=Static(_int_from_bytes),
)  # fmt: skip

METHODS: dict[type, dict] = {
    str: _STR,
    bytes: _BYTES,
    list: _LIST,
    tuple: _table("count index"),
    dict: _DICT,
    OrderedDict: {**_DICT, "move_to_end": PASS, "fromkeys": _fromkeys(OrderedDict)},
    defaultdict: {**_DICT, "default_factory": PASS, "fromkeys": _fromkeys(defaultdict)},
    Counter: {
        **{k: v for k, v in _DICT.items() if k != "fromkeys"}, "most_common": PASS, "elements": PASS, "total": PASS,
        "subtract": _growing("subtract"),
    },
    set: _SET,
    frozenset: _table("copy", **{name: _growing(name) for name in _SET_OPERATIONS}),
    int: _INT,
    bool: _INT,
    float: _table("is_integer as_integer_ratio hex conjugate real imag fromhex"),
    complex: _table("real imag conjugate"),
    range: _table("start stop step", count=_range_search("count"), index=_range_search("index")),
    slice: _table("start stop step indices"),
    type(None): {},
    type(...): {},
    type({}.keys()): _table("isdisjoint mapping"),
    type({}.values()): _table("mapping"),
    type({}.items()): _table("isdisjoint mapping"),
    type(iter([])): {},
    type(iter(())): {},
    type(iter("")): {},
    type(iter(range(0))): {},
    type(iter({})): {},
    type(iter(set())): {},
}
"""Per plain type: the method names user code may use and how (see :data:`PASS`, :class:`Static`)."""

_BUILTIN_CLASSES = frozenset({object, property, staticmethod, classmethod, enumerate, zip, reversed, map, filter})
"""Classes of ``builtins`` other than the plain types and exceptions that user code may hold."""
