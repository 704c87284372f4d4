"""``dataclasses`` for interpreted classes, without generating or compiling source code.

Supported: ``@dataclass`` and ``@dataclass(init=, repr=, eq=, order=, frozen=, unsafe_hash=, kw_only=)``, field
defaults, ``field(default=, default_factory=, init=, repr=, compare=, kw_only=)``, inheritance of fields from
dataclass bases, ``ClassVar`` annotations (not fields), ``__post_init__``, and ``fields``, ``asdict``,
``astuple``, ``replace``, ``is_dataclass``. Not supported: ``InitVar``, ``slots=True``, ``match_args``.
"""

from __future__ import annotations

from nncalc.interpreter.builtins import safe_call
from nncalc.interpreter.classes import is_interpreted_class
from nncalc.interpreter.limits import active_budget
from nncalc.interpreter.objects import bind_fields
from nncalc.interpreter.safety import text_of

FIELDS = "__nncalc_dataclass_fields__"


class _MissingType:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _MissingType()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen dataclass."""


class Field:
    """One field of a dataclass (what ``field(...)`` returns and ``fields(...)`` lists)."""

    __slots__ = ("name", "type", "default", "default_factory", "init", "repr", "hash", "compare", "kw_only", "metadata")

    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = metadata or {}
        self.kw_only = kw_only

    def __repr__(self) -> str:
        return f"Field(name={self.name!r},type={self.type!r},default={self.default!r})"


def field(
    *, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None, compare=True, metadata=None,
    kw_only=MISSING,
):  # fmt: skip
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


def dataclass(
    cls=None, /, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False, frozen=False, match_args=True,
    kw_only=False, slots=False, weakref_slot=False,
):  # fmt: skip
    def wrap(cls):
        return _process(cls, init, repr, eq, order, unsafe_hash, frozen, kw_only)

    return wrap if cls is None else wrap(cls)


def _is_classvar(annotation: str) -> bool:
    head = annotation.split("[", 1)[0].strip()
    return head == "ClassVar" or head.endswith(".ClassVar")


def _process(cls, init, repr_, eq, order, unsafe_hash, frozen, kw_only):
    if not is_interpreted_class(cls):
        raise TypeError("@dataclass applies to classes defined in the file")
    fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(base.__dict__.get(FIELDS, {}))
    own = cls.__dict__
    for name, annotation in own.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        default = own.get(name, MISSING)
        f = default if isinstance(default, Field) else field(default=default)
        f.name = name
        f.type = annotation
        if f.kw_only is MISSING:
            f.kw_only = kw_only
        if isinstance(f.default, (list, dict, set)):
            raise ValueError(
                f"mutable default {type(f.default)} for field {name} is not allowed: use default_factory"
            )
        if isinstance(default, Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        fields[name] = f
    setattr(cls, FIELDS, fields)
    qualname = cls.__qualname__
    ordered = list(fields.values())
    if init:
        _check_defaults_order(ordered)
        _define(cls, "__init__", _make_init(ordered, frozen, qualname))
    if repr_:
        _define(cls, "__repr__", _make_repr(ordered))
    if eq:
        _define(cls, "__eq__", _compare_with(ordered, lambda a, b: a == b))
    if order:
        for name, op in (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">=")):
            if name in own:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}. Consider using functools.total_ordering")
            setattr(cls, name, _compare_with(ordered, _ORDER[op]))
    if frozen:
        setattr(cls, "__setattr__", _frozen_setattr)
        setattr(cls, "__delattr__", _frozen_delattr)
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if not explicit_hash:
        if unsafe_hash or (eq and frozen):
            setattr(cls, "__hash__", _make_hash(ordered))
        elif eq:
            setattr(cls, "__hash__", None)
    return cls


_ORDER = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _define(cls, name: str, fn) -> None:
    if name not in cls.__dict__:
        fn.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, fn)


def _check_defaults_order(fields: list[Field]) -> None:
    seen_default = False
    for f in fields:
        if not f.init or f.kw_only:
            continue
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if has_default:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument '{f.name}' follows default argument")


def _make_init(fields: list[Field], frozen: bool, qualname: str):
    init_fields = [f for f in fields if f.init]
    positional = [f.name for f in init_fields if not f.kw_only]
    names = {f.name for f in init_fields}

    def __init__(self, *args, **kwargs):
        values = bind_fields(f"{qualname}.__init__", positional, names, args, kwargs)
        missing = []
        for f in fields:
            if f.name in values:
                continue
            if f.default_factory is not MISSING:
                values[f.name] = safe_call(f.default_factory)
            elif f.init and f.default is MISSING:
                missing.append(f.name)
            elif f.init:
                values[f.name] = f.default
        if missing:
            quoted = " and ".join(f"'{name}'" for name in missing)
            plural = "s" if len(missing) > 1 else ""
            raise TypeError(f"{qualname}.__init__() missing {len(missing)} required positional argument{plural}: {quoted}")
        assign = object.__setattr__ if frozen else setattr
        for f in fields:
            if f.name in values:
                assign(self, f.name, values[f.name])
        post_init = getattr(type(self), "__post_init__", None)
        if post_init is not None:
            post_init(self)

    return __init__


def _make_repr(fields: list[Field]):
    shown = [f.name for f in fields if f.repr]

    def __repr__(self):
        budget = active_budget()
        parts = ", ".join(f"{name}={text_of(budget, getattr(self, name), repr)}" for name in shown)
        return f"{type(self).__qualname__}({parts})"

    return __repr__


def _compare_with(fields: list[Field], op):
    names = [f.name for f in fields if f.compare]

    def compare(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return op(tuple(getattr(self, n) for n in names), tuple(getattr(other, n) for n in names))

    return compare


def _make_hash(fields: list[Field]):
    names = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]

    def __hash__(self):
        return hash(tuple(getattr(self, n) for n in names))

    return __hash__


def _frozen_setattr(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field '{name}'")


def _frozen_delattr(self, name):
    raise FrozenInstanceError(f"cannot delete field '{name}'")


def fields(obj) -> tuple:
    found = getattr(obj if isinstance(obj, type) else type(obj), FIELDS, None)
    if found is None:
        raise TypeError("must be called with a dataclass type or instance")
    return tuple(found.values())


def is_dataclass(obj) -> bool:
    return getattr(obj if isinstance(obj, type) else type(obj), FIELDS, None) is not None


def asdict(obj):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("asdict() should be called on dataclass instances")
    return {f.name: _plain(getattr(obj, f.name), dict) for f in fields(obj)}


def astuple(obj):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("astuple() should be called on dataclass instances")
    return tuple(_plain(getattr(obj, f.name), tuple) for f in fields(obj))


def _plain(value, factory):
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value) if factory is dict else astuple(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v, factory) for v in value)
    if isinstance(value, dict):
        return {_plain(k, factory): _plain(v, factory) for k, v in value.items()}
    return value


def replace(obj, /, **changes):
    values = {f.name: getattr(obj, f.name) for f in fields(obj) if f.init}
    values.update(changes)
    return type(obj)(**values)
