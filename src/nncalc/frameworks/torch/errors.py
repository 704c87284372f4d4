"""Errors the symbolic torch raises, and how it names a layer "as the user wrote it" in messages.

Argument mistakes are :class:`~nncalc.errors.InterpreterError` that are also the built-in exception torch would
raise (``TypeError``, ``AttributeError``), so user code catching ``TypeError`` still behaves as with torch.
Inconsistent models are :class:`~nncalc.errors.ShapeError`; the ones torch raises at construction as
``ValueError`` (``padding='same'`` with a stride) are also ``ValueError``.
"""

from __future__ import annotations

from nncalc.errors import InterpreterError, LimitExceeded, ShapeError, number_text
from nncalc.frameworks.common.errors import (  # noqa: F401 - unknown_layer, unknown_value, is_unknown: torch's too
    FrameworkAttributeError,
    FrameworkTypeError,
    FrameworkValueError,
    is_unknown,
    unknown_layer,
    unknown_value,
)
from nncalc.layers.base import MAX_SIZE


class TorchTypeError(FrameworkTypeError):
    """A call bound or typed wrongly, like torch's ``TypeError``."""


class TorchAttributeError(FrameworkAttributeError):
    """A missing attribute, like torch's ``AttributeError``."""


class TorchValueError(FrameworkValueError):
    """A layer configured inconsistently, which torch rejects with ``ValueError``."""


def shape_error(message: str, kind: str, layer=None, hint: str | None = None, **facts) -> ShapeError:
    """A ShapeError tagged for input inference: ``kind`` is ``features``, ``channels``, ``rank``, ``window``,
    ``reshape`` or ``broadcast``; ``facts`` (e.g. ``got=3136, expected=3200``) say what was compared."""
    error = ShapeError(message, hint=hint)
    error.kind = kind
    error.layer = layer
    error.facts = facts
    return error


def render_value(value) -> str:
    """A constructor argument as the user would have written it."""
    from nncalc.frameworks.torch.module import Module  # the two modules refer to each other
    from nncalc.frameworks.torch.tensor import Tensor

    if isinstance(value, Module):
        return f"{display_name(type(value))}(…)"
    if isinstance(value, Tensor):
        return f"<tensor {list(value._shape)}>"
    if is_unknown(value):
        return str(getattr(value, "_name", None) or repr(value))
    if isinstance(value, tuple):
        inner = ", ".join(render_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(render_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "OrderedDict(…)" if value else "{}"
    return repr(value)


def display_name(cls) -> str:
    """``nn.Conv2d`` for nncalc's own classes, the bare class name for the user's."""
    from nncalc.frameworks.torch.module import BUILTIN_CLASSES

    return f"nn.{cls.__name__}" if cls in BUILTIN_CLASSES else cls.__name__


def render_call(name: str, args: tuple, kwargs: dict) -> str:
    """``nn.Conv2d(3, 8, kernel_size=3)``."""
    parts = [render_value(a) for a in args] + [f"{k}={render_value(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def plural(count, word: str) -> str:
    """``1 channel``, ``3 channels``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def check_int(value, name: str, layer, minimum: int | None = 0) -> int:
    """An int argument as torch requires it; a float (``14*14*16/2``) or an unknown value is a clear error."""
    if isinstance(value, int) and not isinstance(value, bool):
        if minimum is not None and value < minimum:
            raise TorchValueError(
                f"{layer._describe()}: {name} must be at least {minimum}. Received: {name}={value}"
            )
        if value > MAX_SIZE:  # torch raises "Overflow when unpacking long"; nncalc's numbers would overflow too
            raise LimitExceeded(
                f"{layer._describe()}: {name}={number_text(value)} is larger than torch's sizes go "
                f"(64-bit: at most {MAX_SIZE:,})", hint="no framework can build this layer: check its sizes",
            )
        return value
    raise bad_type(value, name, layer, "an int")


def bad_type(value, name: str, layer, expected: str) -> InterpreterError:
    """The error for an argument of the wrong type, with the usual cause when there is one."""
    where = layer._describe()
    if is_unknown(value):
        fix = getattr(value, "_fix_text", None)
        return TorchTypeError(
            f"{where}: {name} comes from {render_value(value)}, a value nncalc cannot see",
            hint=fix() if fix is not None and value._chain else f"give {name} a literal value, or define it in the model file",
        )
    hint = None
    if isinstance(value, float):
        hint = "`/` always gives a float in Python 3; use `//` for whole numbers, or int(...)"
    return TorchTypeError(
        f"{where}: {name} must be {expected}. Received: {name}={render_value(value)} ({type(value).__name__})",
        hint=hint,
    )
