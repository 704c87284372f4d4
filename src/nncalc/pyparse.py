r"""Python's parser, quiet: ``ast.parse`` prints ``SyntaxWarning`` / ``DeprecationWarning`` lines for things like an
invalid escape (``"\d"``) or ``x is 1`` straight to stderr, before nncalc's own message (one of them naming the
file ``<unknown>``). nncalc reads files; it reports what matters its own way."""

from __future__ import annotations

import ast
import warnings


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(text, filename)`` with Python's warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename)
