"""``import re`` for user code: Python's regular expressions over bounded text. Libraries parse their own
model names and block strings with them (timm's ``'ir_r1_k3_s1_e1_c16'``); a pattern or a text past the limits
is refused before matching."""

from __future__ import annotations

import re as _re

from nncalc.errors import LimitExceeded
from nncalc.interpreter.unknown import Unknown

MAX_PATTERN = 2_000
MAX_TEXT = 100_000


def _checked(pattern, text=None):
    source = pattern.pattern if isinstance(pattern, _re.Pattern) else pattern
    if not isinstance(source, str) or len(source) > MAX_PATTERN:
        raise LimitExceeded(f"re: a pattern longer than {MAX_PATTERN:,} characters (or not text)")
    if text is not None and not isinstance(text, str):
        raise TypeError(f"expected string or bytes-like object, got '{type(text).__name__}'")  # as re says it
    if text is not None and len(text) > MAX_TEXT:
        raise LimitExceeded(f"re: a text longer than {MAX_TEXT:,} characters")
    return pattern


def _unknown_text(name: str, text):
    """The match of a text nncalc does not know (``re.search(r"\\d+", torch.__version__)``): unknown too."""
    return text._derive(f"re.{name}(…, {text._ref()})")


def _wrap(name: str):
    real = getattr(_re, name)

    def function(pattern, string, *args, **kwargs):
        if isinstance(string, Unknown):
            return _unknown_text(name, string)
        return real(_checked(pattern, string), string, *args, **kwargs)

    function.__name__ = name
    return function


def sub(pattern, repl, string, count=0, flags=0):
    if isinstance(string, Unknown):
        return _unknown_text("sub", string)
    if not isinstance(repl, str):
        raise TypeError("nncalc's re.sub takes a replacement text, not a function")
    return _re.sub(_checked(pattern, string), repl, string, count=count, flags=flags)


class Pattern:
    """A compiled pattern whose methods check the text's length first."""

    __nncalc_mutable__ = False

    def __init__(self, pattern: str, flags: int = 0):
        self._compiled = _re.compile(_checked(pattern), flags)
        self.pattern = pattern

    def match(self, string, *args):
        if isinstance(string, Unknown):
            return _unknown_text("match", string)
        _checked(self.pattern, string)
        return self._compiled.match(string, *args)

    def fullmatch(self, string, *args):
        if isinstance(string, Unknown):
            return _unknown_text("fullmatch", string)
        _checked(self.pattern, string)
        return self._compiled.fullmatch(string, *args)

    def search(self, string, *args):
        if isinstance(string, Unknown):
            return _unknown_text("search", string)
        _checked(self.pattern, string)
        return self._compiled.search(string, *args)

    def split(self, string, maxsplit=0):
        if isinstance(string, Unknown):
            return _unknown_text("split", string)
        _checked(self.pattern, string)
        return self._compiled.split(string, maxsplit)

    def findall(self, string, *args):
        if isinstance(string, Unknown):
            return _unknown_text("findall", string)
        _checked(self.pattern, string)
        return self._compiled.findall(string, *args)

    def sub(self, repl, string, count=0):
        return sub(self.pattern, repl, string, count)


def re_namespace() -> dict:
    names = {name: _wrap(name) for name in ("match", "fullmatch", "search", "split", "findall")}
    names.update(sub=sub, compile=Pattern, escape=_re.escape, IGNORECASE=_re.IGNORECASE, I=_re.I,
                 MULTILINE=_re.MULTILINE, M=_re.M, DOTALL=_re.DOTALL, S=_re.S, VERBOSE=_re.VERBOSE, X=_re.X,
                 ASCII=_re.ASCII, A=_re.A, Pattern=Pattern, error=_re.error)
    return names
