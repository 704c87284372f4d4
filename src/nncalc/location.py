"""Where in the user's file the interpreter is evaluating right now, for host code to record.

The interpreter sets the location of every call it evaluates; a symbolic layer constructor reads it to know
its source line. Outside the interpreter it is None.
"""

from __future__ import annotations

from nncalc.errors import Location

_current: Location | None = None


def current_location() -> Location | None:
    """The location of the innermost call being evaluated, or None."""
    return _current


def set_location(location: Location | None) -> Location | None:
    """Set the current location and return the previous one (for the caller to restore)."""
    global _current
    previous, _current = _current, location
    return previous
