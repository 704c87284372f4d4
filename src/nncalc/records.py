"""A light stand-in for :mod:`dataclasses`, for nncalc's own record classes.

``dataclasses`` imports :mod:`inspect` and compiles every generated method with ``exec`` at import time:
together about a fifth of the start-up of ``nncalc summary``. :func:`dataclass` here builds the same methods
from closures instead: ``__repr__``, ``__eq__`` and, for frozen records, ``__hash__`` and read-only attributes;
only ``__init__`` (with defaults, ``field(default_factory=...)`` and ``__post_init__``) is compiled, once a class
has made a few instances. It supports the subset
nncalc uses (``frozen``, ``eq``; no ``order``, ``slots``, ``kw_only``, ``ClassVar`` or ``InitVar``).

The records stay real dataclasses for callers: ``dataclasses.fields``, ``asdict``, ``replace`` and
``is_dataclass`` work on them, through a ``__dataclass_fields__`` that imports :mod:`dataclasses` only when
someone asks for it.
"""

from __future__ import annotations

from operator import attrgetter

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record (like :class:`dataclasses.FrozenInstanceError`)."""


class Field:
    """A field's options: what ``field(...)`` returns."""

    __slots__ = ("default", "default_factory")

    def __init__(self, default=_MISSING, default_factory=_MISSING):
        self.default = default
        self.default_factory = default_factory


def field(*, default=_MISSING, default_factory=_MISSING) -> Field:
    """A field with a default value or a default factory (``field(default_factory=list)``)."""
    return Field(default, default_factory)


def dataclass(cls=None, /, *, frozen: bool = False, eq: bool = True):
    """Make ``cls`` a record from its annotations, like ``@dataclasses.dataclass(frozen=..., eq=...)``."""

    def wrap(cls):
        return _build(cls, frozen, eq)

    return wrap if cls is None else wrap(cls)


def replace(obj, /, **changes):
    """A copy of the record ``obj`` with some fields changed (like :func:`dataclasses.replace`)."""
    values = {name: getattr(obj, name) for name in obj.__record_fields__}
    values.update(changes)
    return type(obj)(**values)


def _fields_of(cls) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(base.__dict__.get("__record_options__", {}))
    for name in cls.__dict__.get("__annotations__", {}):
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, Field):
            fields[name] = value
        else:
            fields[name] = Field(default=value)
    return fields


def _build(cls, frozen: bool, eq: bool):
    options = _fields_of(cls)
    names = tuple(options)
    for name, option in options.items():
        if name in cls.__dict__:
            if option.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, option.default)
    cls.__record_options__ = options
    cls.__record_fields__ = names
    cls.__match_args__ = names
    cls.__init__ = _make_init(cls, names, options)
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = _make_repr(names)
    class_hash = cls.__dict__.get("__hash__", _MISSING)
    explicit_hash = not (class_hash is _MISSING or (class_hash is None and "__eq__" in cls.__dict__))
    values = attrgetter(*names) if len(names) > 1 else lambda obj: tuple(getattr(obj, name) for name in names)
    if eq and "__eq__" not in cls.__dict__:
        cls.__eq__ = _make_eq(values)
    if eq and not explicit_hash:
        cls.__hash__ = _make_hash(values) if frozen else None
    if frozen:
        _freeze(cls, frozenset(names))
    cls.__dataclass_fields__ = _DataclassFields()
    return cls


COMPILE_AFTER = 16
"""Instances a record's ``__init__`` binds generically before the class gets a compiled one."""


def _make_init(cls, names: tuple, options: dict):
    """A stand-in ``__init__`` that binds the fields generically for the first :data:`COMPILE_AFTER` instances,
    then compiles the real one: a class made a few times in a run costs no compiling (about 0.1 ms a class, two
    dozen of them at every start), and one made once per layer (``Node``) gets an ``__init__`` as fast as
    dataclasses'."""
    defaults_seen = False
    for name in names:
        has_default = options[name].default is not _MISSING or options[name].default_factory is not _MISSING
        if defaults_seen and not has_default:
            raise TypeError(f"{cls.__name__}: field '{name}' without a default follows one with a default")
        defaults_seen = defaults_seen or has_default
    made = [0]
    post_init = getattr(cls, "__post_init__", None) is not None

    def __init__(self, *args, **kwargs):
        made[0] += 1
        if made[0] > COMPILE_AFTER and cls.__dict__.get("__init__") is __init__:
            cls.__init__ = _compile_init(cls, names, options)
        if len(args) > len(names):
            raise TypeError(f"{cls.__qualname__}.__init__() takes {len(names) + 1} positional arguments but "
                            f"{len(args) + 1} were given")
        values = self.__dict__
        for name, value in zip(names, args):
            if name in kwargs:
                raise TypeError(f"{cls.__qualname__}.__init__() got multiple values for argument '{name}'")
            values[name] = value
        given = len(kwargs)
        for name in names[len(args):]:
            if name in kwargs:
                values[name] = kwargs[name]
                given -= 1
                continue
            option = options[name]
            if option.default_factory is not _MISSING:
                values[name] = option.default_factory()
            elif option.default is not _MISSING:
                values[name] = option.default
            else:
                raise TypeError(f"{cls.__qualname__}.__init__() missing 1 required argument: '{name}'")
        if given:
            unexpected = next(key for key in kwargs if key not in names)
            raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument '{unexpected}'")
        if post_init:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _compile_init(cls, names: tuple, options: dict):
    namespace = {"_FACTORY": _MISSING}
    params, body = [], ["    _values = self.__dict__"]
    for i, name in enumerate(names):
        option = options[name]
        if option.default_factory is not _MISSING:
            namespace[f"_factory_{i}"] = option.default_factory
            params.append(f"{name}=_FACTORY")
            body.append(f"    _values[{name!r}] = _factory_{i}() if {name} is _FACTORY else {name}")
            continue
        if option.default is not _MISSING:
            namespace[f"_default_{i}"] = option.default
            params.append(f"{name}=_default_{i}")
        else:
            params.append(name)
        body.append(f"    _values[{name!r}] = {name}")
    if getattr(cls, "__post_init__", None) is not None:
        body.append("    self.__post_init__()")
    exec("\n".join([f"def __init__(self, {', '.join(params)}):", *body]), namespace)  # fields are identifiers
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _make_repr(names: tuple):
    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _make_eq(values):
    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    return __eq__


def _make_hash(values):
    def __hash__(self) -> int:
        return hash(values(self))

    return __hash__


def _freeze(cls, fields: frozenset) -> None:
    # As in dataclasses, a plain subclass of a frozen record may still set attributes that are not fields.
    def __setattr__(self, name: str, value) -> None:
        if type(self) is cls or name in fields:
            raise FrozenInstanceError(f"cannot assign to field '{name}'")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if type(self) is cls or name in fields:
            raise FrozenInstanceError(f"cannot delete field '{name}'")
        super(cls, self).__delattr__(name)

    cls.__setattr__, cls.__delattr__ = __setattr__, __delattr__


class _DataclassFields:
    """``__dataclass_fields__``, built with :mod:`dataclasses` on first use and then kept on the class."""

    def __get__(self, obj, cls):
        import dataclasses

        fields = {}
        annotations = {}
        for klass in reversed(cls.__mro__):
            annotations.update(klass.__dict__.get("__annotations__", {}))
        for name, option in cls.__record_options__.items():
            made = dataclasses.field(default=option.default if option.default is not _MISSING else dataclasses.MISSING,
                                     default_factory=option.default_factory
                                     if option.default_factory is not _MISSING else dataclasses.MISSING)
            made.name, made.type = name, annotations.get(name)
            made._field_type = dataclasses._FIELD  # what dataclasses.fields() selects on
            fields[name] = made
        type.__setattr__(cls, "__dataclass_fields__", fields)
        return fields
