"""The errors both symbolic frameworks raise, and the values they give for what nncalc cannot see.

Each error is an :class:`~nncalc.errors.NncalcError` and also the built-in exception the framework would raise,
so user code catching ``TypeError`` or ``ValueError`` behaves as with the framework. A framework names them
after itself (``TorchValueError``, ``KerasValueError``: ``nncalc check`` shows that name as the error's code)
by subclassing them, and adds nothing else.
"""

from __future__ import annotations

from nncalc.errors import InterpreterError, ShapeError, UnknownLayer


class FrameworkTypeError(InterpreterError, TypeError):
    """A call bound or typed wrongly (a missing ``kernel_size``, an unknown keyword), like the framework's
    ``TypeError``."""


class FrameworkAttributeError(InterpreterError, AttributeError):
    """A name the framework does not have, or a property not defined yet, like its ``AttributeError``."""


class FrameworkValueError(ShapeError, ValueError):
    """A layer or model configured inconsistently, which the framework rejects with ``ValueError``."""


def unknown_layer(name: str) -> UnknownLayer:
    """The error for a real framework name nncalc has no rule for (``nn.LSTM``, ``keras.layers.LSTM``)."""
    return UnknownLayer(
        f"nncalc has no rule for {name} yet",
        hint="the layers nncalc knows are listed in its documentation; please open an issue for this one",
    )


class NoRule:
    """A real framework name nncalc has no rule for (``torch.stft``, ``F.some_op``, ``keras.ops.fft``,
    ``keras.layers.SomeLayer``): calling it, or using it as a value (``x * torch.some_constant``), raises
    :func:`unknown_layer` naming it, or ``reason`` for a name that is no model operation; its attributes are more
    of the same (``keras.applications.ResNet50.preprocess``). ``builds``: constructing it is building a model
    (a layer: in script mode the statement is one the model needed, see
    :func:`nncalc.interpreter.core.in_framework`)."""

    def __init__(self, qualname: str, reason: str | None = None, builds: bool = False):
        self._qualname = qualname
        self._reason = reason
        self.__nncalc_builds__ = builds

    def __call__(self, *args, **kwargs):
        if self._reason:
            raise UnknownLayer(f"{self._qualname} {self._reason}",
                               hint="nncalc reads models built from the framework's layers; replace it to analyse "
                               "the rest")
        raise unknown_layer(self._qualname)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return NoRule(f"{self._qualname}.{name}", builds=self.__nncalc_builds__)

    def __repr__(self) -> str:
        return f"<{self._qualname}: no rule in nncalc>"

    _used = __call__
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _used
    __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = __matmul__ = __rmatmul__ = __mod__ = __rmod__ = _used
    __neg__ = __float__ = __int__ = __index__ = _used


def suggest(name: str, candidates, cutoff: float = 0.7) -> str | None:
    """The candidate a typo most likely meant: the same name in another case, else the same letters in
    another order, else the closest by :mod:`difflib` at ``cutoff``; None when nothing is close."""
    ordered = sorted(candidates)
    lower = name.lower()
    letters = sorted(lower)
    for candidate in ordered:
        if candidate.lower() == lower:
            return candidate
    for candidate in ordered:
        if sorted(candidate.lower()) == letters:
            return candidate
    import difflib  # lazily: only an error message needs it

    close = difflib.get_close_matches(name, ordered, n=1, cutoff=cutoff)
    return close[0] if close else None


def unknown_value(name: str, attr: str = ""):
    """The interpreter's opaque unknown value standing for ``name`` (an optimizer's result, a data loader).
    ``attr``: the short name, when a namespace's fallback passes it (unused)."""
    from nncalc.interpreter.unknown import Unknown  # the interpreter is a later stage of start-up

    return Unknown(name)


def is_unknown(value) -> bool:
    """Is ``value`` the interpreter's opaque unknown value?"""
    from nncalc.interpreter.unknown import Unknown

    return isinstance(value, Unknown)


def reject_unknown(value, what: str) -> None:
    """An unknown value used where a real one is needed (``what``) raises the interpreter's own error, naming
    where the value came from."""
    if is_unknown(value):
        value._concrete(what)
