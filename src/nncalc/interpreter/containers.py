"""``collections`` for user code: ``namedtuple`` (and ``typing.NamedTuple`` classes) built without generating
source code, and the mapping constructors (``OrderedDict``, ``defaultdict``, ``Counter``) with their input
materialised within the limits.
"""

from __future__ import annotations

import collections
import operator

from nncalc.interpreter.builtins import SAFE_CONSTRUCTORS, hashed, materialize
from nncalc.interpreter.classes import MARKER, interpreted_functions
from nncalc.interpreter.limits import active_budget
from nncalc.interpreter.objects import bind_fields
from nncalc.interpreter.safety import text_of

_NAMEDTUPLE_API = frozenset({"_make", "_replace", "_asdict", "_fields", "_field_defaults", "__new__", "__init__"})


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """``collections.namedtuple``: a tuple subclass with named fields, made with ``type()``."""
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    names = tuple(str(name) for name in materialize(field_names))
    for name in (typename, *names):
        if not name.isidentifier() or name.startswith("_"):
            raise ValueError(f"Type names and field names must be valid identifiers: {name!r}")
    defaults = tuple(materialize(defaults)) if defaults is not None else ()
    if len(defaults) > len(names):
        raise TypeError("Got more default values than field names")
    first_default = len(names) - len(defaults)

    def __new__(cls, *args, **kwargs):
        values = bind_fields(f"{typename}.__new__", names, names, args, kwargs)
        missing = [n for i, n in enumerate(names) if n not in values and i < first_default]
        if missing:
            quoted = " and ".join(repr(n) for n in missing)
            raise TypeError(f"{typename}.__new__() missing {len(missing)} required positional argument(s): {quoted}")
        items = [values[n] if n in values else defaults[i - first_default] for i, n in enumerate(names)]
        return tuple.__new__(cls, items)

    def __repr__(self):
        budget = active_budget()
        fields = ", ".join(f"{n}={text_of(budget, v, repr)}" for n, v in zip(names, self))
        return f"{type(self).__name__}({fields})"

    def _make(cls, iterable):
        items = tuple(materialize(iterable))
        if len(items) != len(names):
            raise TypeError(f"Expected {len(names)} arguments, got {len(items)}")
        return tuple.__new__(cls, items)

    def _replace(self, **changes):
        unexpected = [key for key in changes if key not in names]
        if unexpected:
            raise ValueError(f"Got unexpected field names: {unexpected!r}")
        return type(self)._make(changes.get(n, v) for n, v in zip(names, self))

    namespace = {
        "__slots__": (), "__new__": __new__, "__repr__": __repr__, "_fields": names,
        "_field_defaults": dict(zip(names[first_default:], defaults)), "_make": classmethod(_make),
        "_asdict": lambda self: dict(zip(names, self)), "_replace": _replace,
        "__module__": module or "nncalc_model", "__qualname__": typename, MARKER: True,
    }  # fmt: skip
    for index, name in enumerate(names):
        namespace[name] = property(operator.itemgetter(index))
    return type(typename, (tuple,), namespace)


def namedtuple_class(name: str, qualname: str, module: str, namespace: dict) -> type:
    """The class a ``class Name(NamedTuple):`` statement makes: fields from the annotations (defaults from
    their values), and the other names of the body (methods, docstring) on the class."""
    annotations = namespace.get("__annotations__", {})
    defaults = []
    for field in annotations:
        if field in namespace:
            defaults.append(namespace[field])
        elif defaults:
            raise TypeError(f"Non-default namedtuple field {field} cannot follow default field")
    cls = namedtuple(name, list(annotations), defaults=defaults, module=module)
    cls.__qualname__ = qualname
    for key, value in namespace.items():
        if key in annotations or key in ("__annotations__", "__qualname__", "__module__"):
            continue
        if key in _NAMEDTUPLE_API:
            raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
        setattr(cls, key, value)
        for fn in interpreted_functions(value):
            if fn._class is None:
                fn._class = cls
    return cls


class NamedTupleForm:
    """``typing.NamedTuple``: a base for ``class Spec(NamedTuple):`` and ``NamedTuple("Spec", [("k", int)])``."""

    __slots__ = ()

    def __call__(self, typename, fields=None, /, **kwargs):
        pairs = materialize(fields if fields is not None else kwargs.items())
        return namedtuple(typename, [field for field, _ in pairs])

    def __repr__(self) -> str:
        return "typing.NamedTuple"


NAMED_TUPLE = NamedTupleForm()


def _mapping_items(args: tuple, pairs: bool = True):
    """The positional argument of a mapping constructor, materialised within the limits unless a mapping, its
    keys checked for hashing (see builtins.hashed)."""
    if len(args) > 1:
        raise TypeError(f"expected at most 1 argument, got {len(args)}")
    if args and not hasattr(type(args[0]), "keys"):
        return (hashed(args[0], pairs=pairs),)
    return args


def _ordered_dict(*args, **kwargs):
    result = collections.OrderedDict(*_mapping_items(args), **kwargs)
    active_budget().charge(len(result))
    return result


def _defaultdict(default_factory=None, *args, **kwargs):
    result = collections.defaultdict(default_factory, *_mapping_items(args), **kwargs)
    active_budget().charge(len(result))
    return result


def _counter(*args, **kwargs):
    result = collections.Counter(*_mapping_items(args, pairs=False), **kwargs)
    active_budget().charge(len(result))
    return result


def _deque(iterable=(), maxlen=None):
    items = materialize(iterable)
    return collections.deque(items, maxlen)


SAFE_CONSTRUCTORS.update(
    {collections.OrderedDict: _ordered_dict, collections.defaultdict: _defaultdict, collections.Counter: _counter,
     collections.deque: _deque}
)

COLLECTIONS = {
    "OrderedDict": collections.OrderedDict, "defaultdict": collections.defaultdict, "Counter": collections.Counter,
    "namedtuple": namedtuple, "deque": collections.deque,
}  # fmt: skip
"""The names of nncalc's ``collections`` (besides ``abc``)."""
