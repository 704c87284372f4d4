"""Errors the symbolic Keras raises.

Each is an :class:`~nncalc.errors.NncalcError` and also the built-in exception Keras would raise, so user code
catching ``ValueError`` behaves as with Keras. Keras rejects inconsistent models with ``ValueError``; nncalc
makes those :class:`~nncalc.errors.ShapeError` (the model cannot be built as written).
"""

from __future__ import annotations

from nncalc.errors import InterpreterError, ShapeError, UnknownLayer


class KerasValueError(ShapeError, ValueError):
    """A layer or model Keras would reject with ``ValueError``: bad configuration or an incompatible input."""


class KerasTypeError(InterpreterError, TypeError):
    """A call with arguments that do not bind (a missing ``kernel_size``, an unknown keyword)."""


class KerasAttributeError(InterpreterError, AttributeError):
    """A name that Keras does not have, or a property that is not defined yet (an unbuilt model's shape)."""


def unknown_layer(qualname: str) -> UnknownLayer:
    """The error for a real Keras name nncalc has no rule for, e.g. ``keras.layers.LSTM``."""
    return UnknownLayer(
        f"nncalc has no rule for {qualname} yet",
        hint="the layers nncalc knows are listed in its documentation; please open an issue for this one",
    )


def no_attribute(owner: str, name: str, candidates) -> KerasAttributeError:
    """``keras.layers has no attribute 'Conv2d'; did you mean 'Conv2D'?``"""
    letters = sorted(name.lower())
    close = [c for c in sorted(candidates) if sorted(c.lower()) == letters]  # wrong case or swapped letters
    import difflib  # lazily: only an error message needs it

    close = close or difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    message = f"{owner} has no attribute {name!r}"
    if close:
        message += f"; did you mean {close[0]!r}?"
    return KerasAttributeError(message)


def shape_text(shape) -> str:
    """A shape as Keras prints it: ``(None, 30, 30, 8)``, ``(None, 10)``."""
    inner = ", ".join("None" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def unknown_class():
    """The interpreter's ``Unknown`` class (imported lazily: the interpreter may be absent), or None."""
    try:
        from nncalc.interpreter.unknown import Unknown
    except ImportError:
        return None
    return Unknown


def reject_unknown(value, what: str) -> None:
    """An interpreter ``Unknown`` (from an import nncalc does not know) used where a real value is needed
    raises the interpreter's own error, naming the import."""
    unknown = unknown_class()
    if unknown is not None and isinstance(value, unknown):
        value._concrete(what)
