"""Where in the user's file the interpreter is evaluating right now, for host code to record.

The interpreter sets the location of every statement it executes and of every call it evaluates (restoring
the previous one when the call returns), so host code called from ``nn.Conv2d(...)`` at line 7 sees line 7,
and a host operator run by ``x = x + y`` sees that statement. Outside the interpreter it is None.

The interpreter writes ``_current`` directly (a dict store per statement, no function call); other code
uses :func:`current_location` and :func:`set_location`.
"""

from __future__ import annotations

from nncalc.errors import Location

_current: Location | None = None


def current_location() -> Location | None:
    """The location of the innermost call (or statement) being evaluated, or None."""
    return _current


def set_location(location: Location | None) -> Location | None:
    """Set the current location and return the previous one (for the caller to restore)."""
    global _current
    previous, _current = _current, location
    return previous
