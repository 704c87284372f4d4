"""``import enum`` for user code: ``Enum``, ``IntEnum``, ``StrEnum``, ``Flag``, ``auto``. Libraries use them
for options and weight tables (``class Format(str, Enum)``, torchvision's ``WeightsEnum``).

The class statement is the user's; its metaclass is nncalc's :class:`EnumMeta` (host code), which turns the
class's plain attributes into members with ``name`` and ``value``, and makes the class iterable, sized and
indexable by name. ``Color(3)`` finds a member by value. A ``str``, ``int`` or ``float`` mixin is allowed
beside an Enum base (and only there).
"""

from __future__ import annotations

from nncalc.interpreter.classes import MARKER, is_interpreted_class


class auto:  # noqa: N801 - the name user code knows
    """``enum.auto()``: the next value (1, 2, … or, in a ``StrEnum``, the member's name in lower case)."""

    def __repr__(self) -> str:
        return "auto()"


class EnumMeta(type):
    """Makes members of an Enum class's attributes (host code: user code never sees this metaclass)."""

    def __new__(mcs, name, bases, namespace):
        cls = super().__new__(mcs, name, bases, namespace)
        members: dict = {}
        by_value: dict = {}
        mixin = next((b for b in cls.__mro__ if b in (str, int, float)), None)
        counter = 0
        for key, value in list(namespace.items()):
            if key.startswith("_") or key == MARKER or callable(value) or isinstance(
                value, (staticmethod, classmethod, property)
            ):
                continue
            if isinstance(value, auto):
                counter += 1
                value = key.lower() if mixin is str else counter
            elif isinstance(value, int) and not isinstance(value, bool):
                counter = value
            try:
                existing = by_value.get(value) if value.__hash__ is not None else None
            except TypeError:
                existing = None
            if existing is not None:
                member = existing  # an alias
            else:
                args = value if isinstance(value, tuple) else (value,)
                member = mixin.__new__(cls, *args) if mixin is not None else object.__new__(cls)
                object.__setattr__(member, "_name_", key)
                object.__setattr__(member, "_value_", value)
                init = cls.__init__
                if init is not object.__init__ and any(
                    "__init__" in vars(c) for c in cls.__mro__ if is_interpreted_class(c)
                ):
                    init(member, *args)
                try:
                    by_value[value] = member
                except TypeError:
                    pass
            members[key] = member
            type.__setattr__(cls, key, member)
        type.__setattr__(cls, "_member_map_", {**getattr(cls, "_member_map_", {}), **members})
        return cls

    def __call__(cls, value, *args, **kwargs):
        """``Color(3)``: the member of that value (an Enum class is never instantiated again)."""
        for member in cls.__dict__.get("_member_map_", {}).values():
            if member is value or member._value_ == value:
                return member
        if isinstance(value, cls):
            return value
        raise ValueError(f"{value!r} is not a valid {cls.__qualname__}")

    def __iter__(cls):
        seen = []
        for member in cls._member_map_.values():
            if not any(member is s for s in seen):
                seen.append(member)
        return iter(seen)

    def __len__(cls) -> int:
        return len(list(cls.__iter__()))

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __contains__(cls, member) -> bool:
        return any(member is m for m in cls._member_map_.values())

    @property
    def __members__(cls) -> dict:
        return dict(cls._member_map_)


class Enum(metaclass=EnumMeta):
    """``enum.Enum``."""

    __nncalc_subclassable__ = True

    @property
    def name(self) -> str:
        return self._name_

    @property
    def value(self):
        return self._value_

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self._name_}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __hash__(self) -> int:
        return hash(self._name_)

    def __reduce_ex__(self, protocol):
        return (type(self), (self._value_,))


class IntEnum(int, Enum):
    """``enum.IntEnum``."""

    __str__ = int.__repr__
    __format__ = int.__format__


class StrEnum(str, Enum):
    """``enum.StrEnum``: members are their values as text."""

    __str__ = str.__str__
    __format__ = str.__format__


Flag = IntFlag = Enum


def unique(cls):
    """``@enum.unique``: checks nothing here (the members are as written)."""
    return cls


def enum_namespace() -> dict:
    return {"Enum": Enum, "IntEnum": IntEnum, "StrEnum": StrEnum, "Flag": Flag, "IntFlag": IntFlag, "auto": auto,
            "unique": unique}


def enum_bases_allowed(bases) -> bool:
    """May ``str``/``int``/``float`` be among ``bases``? Only as a mixin beside an Enum base."""
    return any(isinstance(b, type) and issubclass(b, Enum) for b in bases)
