"""The one error hierarchy of nncalc.

Every problem a user can cause is an :class:`NncalcError` that knows where it happened (file, line, column)
and what would fix it. Host code (the symbolic framework APIs, the layer rules) raises errors without a place;
the interpreter attaches the place of the call that was being evaluated as the error passes through it.
"""

from __future__ import annotations

import re

from nncalc.records import dataclass

_LONG_NUMBER = re.compile(r"-?\d{31,}")


@dataclass(frozen=True)
class Location:
    """A place in a source file. ``line`` is 1-based, ``col`` 0-based as in :mod:`ast`."""

    file: str
    line: int
    col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col + 1}"


class NncalcError(Exception):
    """Base of all errors a user can cause. ``exit_code`` is what the CLI exits with."""

    exit_code = 2
    in_framework = False
    """Raised inside a framework layer, model or op (set by the interpreter as the error passes a call)."""

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        message = abbreviate_numbers(message)
        hint = abbreviate_numbers(hint) if hint else hint
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def attach(self, location: Location | None) -> "NncalcError":
        """Give the error a place if it has none yet; the innermost place wins."""
        if self.location is None and location is not None:
            self.location = location
        return self

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputError(NncalcError):
    """The input cannot be read: missing file, bad encoding, bad command-line value."""


class SyntaxProblem(InputError):
    """The file is not valid Python (what the Python compiler would reject, reported without compiling)."""


class UnsupportedSyntax(NncalcError):
    """A Python construct the safe interpreter does not evaluate."""


class Refused(UnsupportedSyntax):
    """Something the safe interpreter refuses on purpose (a dunder, a forbidden builtin, a Python internal):
    never skipped in script mode, always the end of the run."""


class InterpreterError(NncalcError):
    """The model file fails while being interpreted (a name error, a bad call, a raise in user code)."""


class LimitExceeded(NncalcError):
    """A safety limit (steps, recursion depth, collection size, time) was reached."""


class UnknownLayer(NncalcError):
    """A layer or operation nncalc has no rule for."""


class ModelNotFound(NncalcError):
    """No model, or several candidates, in the file."""


class ShapeError(NncalcError):
    """The model is inconsistent: a layer receives a shape it cannot take."""

    exit_code = 1


def number_text(n: int) -> str:
    """An integer for a message: ``1,000,000`` up to 30 digits, ``10**400`` or ``about 3.2 × 10**400`` past."""
    if abs(n) < 10**30:
        return f"{n:,}"
    if n.bit_length() > 13_000:  # str() refuses ints past 4,300 digits
        return f"an integer of {n.bit_length():,} bits"
    digits = len(str(abs(n)))
    sign = "-" if n < 0 else ""
    if abs(n) == 10 ** (digits - 1):
        return f"{sign}10**{digits - 1}"
    head = str(abs(n))[:2]
    return f"about {sign}{head[0]}.{head[1]} × 10**{digits - 1}"


def abbreviate_numbers(text: str) -> str:
    """``text`` with every number of more than 30 digits written as :func:`number_text` writes it: a message
    quoting ``nn.Linear(10**200, 4)`` stays one readable line."""
    if len(text) < 31:
        return text
    return _LONG_NUMBER.sub(_abbreviated, text)


def _abbreviated(match) -> str:
    digits = match[0]
    return number_text(int(digits)) if len(digits) < 4000 else f"a number of {len(digits):,} digits"
