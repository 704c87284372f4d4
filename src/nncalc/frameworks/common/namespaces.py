"""The host modules user code imports (``torch.nn``, ``keras.layers``): read-only, with a suggestion for a
misspelled name."""

from __future__ import annotations

from nncalc.frameworks.common.errors import FrameworkAttributeError, suggest


class Namespace:
    """A read-only host module: its ``members``, then, for the other real names in ``known``, the value
    ``fallback`` makes on first use (an unknown-layer class, an opaque value); any other name is the framework's
    ``AttributeError`` with the name it most likely meant.

    A framework sets its wording and error class in a subclass, and how its fallbacks are called
    (:meth:`_fallback_value`).
    """

    error = FrameworkAttributeError
    missing = "{owner} has no attribute {attr!r}"
    read_only = "nncalc's module '{owner}' is read-only (cannot set '{attr}')"
    cutoff = 0.7
    """How close a name must be to be suggested (:func:`~nncalc.frameworks.common.errors.suggest`)."""

    def __init__(self, name: str, members: dict, known=frozenset(), fallback=None, more=None):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_known", frozenset(known) | frozenset(members))
        object.__setattr__(self, "_fallback", fallback)
        object.__setattr__(self, "_more", more)
        self.__dict__.update(members)

    def _load_more(self) -> None:
        """The members ``more()`` makes, added on the first name the namespace lacks: op families a file
        imports only when it uses one of their names, so that start-up does not grow with them."""
        more = self._more
        if more is not None:
            object.__setattr__(self, "_more", None)
            self.__dict__.update({key: value for key, value in more().items() if key not in self.__dict__})

    def __getattr__(self, attr: str):
        if attr.startswith("_"):
            raise AttributeError(attr)
        if self._more is not None:
            self._load_more()
            if attr in self.__dict__:
                return self.__dict__[attr]
        if attr in self._known and self._fallback is not None:
            value = self._fallback_value(attr)
            self.__dict__[attr] = value
            return value
        message = self.missing.format(owner=self._name, attr=attr)
        suggestion = suggest(attr, self._known, self.cutoff)
        if suggestion:
            message += f"; did you mean {suggestion!r}?"
        raise self.error(message)

    def _fallback_value(self, attr: str):
        """What ``fallback`` makes for the real name ``attr``: called with the qualified and the short name."""
        return self._fallback(f"{self._name}.{attr}", attr)

    def __setattr__(self, attr: str, value) -> None:
        raise self.error(self.read_only.format(owner=self._name, attr=attr))

    def __dir__(self):
        return sorted(self._known)

    def __repr__(self) -> str:
        return f"<module '{self._name}' (nncalc symbolic)>"
