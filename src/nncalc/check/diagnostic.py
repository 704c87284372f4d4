"""A diagnostic: one problem with its place, what the layer receives and expects, and the fix.

The fields are those a GitHub annotation or an LSP diagnostic needs: file, 1-based line and column, the end
of the range when known, severity, a stable code, the message, and the fix as a replacement text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nncalc.check.fixes import Fix, SourceFile, argument_fix
from nncalc.diagnostics import Recorded
from nncalc.errors import Location, NncalcError, ShapeError

_ARGUMENT_CODES = {"in_features": "linear-in-features", "in_channels": "conv-in-channels",
                   "num_features": "norm-num-features"}
_KIND_CODES = {"broadcast": "broadcast", "reshape": "reshape", "window": "window-too-small", "rank": "rank",
               "features": "in-features", "channels": "channels", "config": "layer-config"}
_MESSAGE_CODES = (  # Keras and neutral rules' errors, which carry no kind
    ("cannot be combined element-wise", "broadcast"), ("concatenation axis", "concat"), ("torch.cat", "concat"),
    ("was built for inputs with", "layer-reuse"), ("reshape", "reshape"), ("leaves no output", "window-too-small"),
    ("divisible by num_heads", "attention-heads"), ("D input", "rank"),
)


@dataclass
class Diagnostic:
    """One problem (or note) found by ``nncalc check``."""

    file: str
    line: int | None
    column: int | None
    message: str
    code: str
    severity: str = "error"
    end_line: int | None = None
    end_column: int | None = None
    hint: str | None = None
    layer: str | None = None
    received: int | None = None
    expected: int | None = None
    fix: Fix | None = None
    exit_code: int = 1

    def to_dict(self) -> dict:
        """The JSON form (``--format json``)."""
        out = {key: getattr(self, key) for key in ("file", "line", "column", "end_line", "end_column", "severity",
                                                    "code", "message", "hint", "layer", "received", "expected")}
        out["fix"] = None
        if self.fix is not None:
            span = self.fix.span
            out["fix"] = {"message": f"use `{self.fix.call}`", "replacement": self.fix.text, "line": span.line,
                          "column": span.column, "end_line": span.end_line, "end_column": span.end_column}
        elif self.hint:
            out["fix"] = {"message": self.hint}
        return out


def from_recorded(recorded: Recorded, source: SourceFile, filename: str) -> Diagnostic:
    """A recovered error (the check went on as if it were fixed)."""
    error = recorded.error
    if recorded.prefix and not error.message.startswith(recorded.prefix):
        joiner = " " if error.message.startswith("receives") else ": "
        error.message = f"{recorded.prefix}{joiner}{error.message}"
    return _diagnostic(error, recorded.location, source, filename)


def from_error(error: NncalcError, source: SourceFile | None, filename: str) -> Diagnostic:
    """An error that stopped a model (or the whole file, when it cannot be read)."""
    return _diagnostic(error, error.location, source, filename)


def note(model, filename: str) -> Diagnostic:
    """How the input of a model was chosen, as a note at the line that defines the model."""
    return Diagnostic(filename, model.line, 1 if model.line else None, f"{model.name}: {model.note}",
                      "input-inferred", severity="note", exit_code=0)


def _diagnostic(error: NncalcError, where: Location | None, source: SourceFile | None, filename: str) -> Diagnostic:
    layer = getattr(error, "layer", None)
    facts = getattr(error, "facts", None) or {}
    defined = getattr(layer, "_location", None) if layer is not None else None
    place = defined or where
    code = _code(error, facts)
    diagnostic = Diagnostic(
        file=place.file if place else filename,
        line=place.line if place else None,
        column=place.col + 1 if place else None,
        message=error.message.removeprefix(f"{filename}: "),  # the place is printed apart
        code=code,
        hint=error.hint,
        received=facts.get("got"),
        expected=facts.get("expected"),
        exit_code=1 if code == "no-input-fits" else error.exit_code,  # the model is inconsistent at every size
    )
    if layer is not None and hasattr(layer, "_render"):
        diagnostic.layer = layer._render()
    if source is not None and defined is not None and "argument" in facts:
        _add_fix(diagnostic, source, layer, facts, where if where != defined else None)
    if source is not None and diagnostic.end_line is None:
        call = source.call_at(place, "")
        if call is not None:  # the range of the call where it happened, for editors to underline
            span = source.span(call)
            diagnostic.column, diagnostic.end_line, diagnostic.end_column = (span.column, span.end_line,
                                                                             span.end_column)
    return diagnostic


def _code(error: NncalcError, facts: dict) -> str:
    if getattr(error, "layer", None) is not None and "input fits" in error.message:
        return "no-input-fits"
    if "argument" in facts:
        return _ARGUMENT_CODES.get(facts["argument"], "argument")
    kind = getattr(error, "kind", None)
    for text, code in _MESSAGE_CODES:
        if text in error.message:
            return code
    if kind in _KIND_CODES:
        return _KIND_CODES[kind]
    if isinstance(error, ShapeError):
        return "shape"
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(error).__name__).lower()  # UnknownLayer → unknown-layer


def _add_fix(diagnostic: Diagnostic, source: SourceFile, layer, facts: dict, called: Location | None) -> None:
    """The corrected call, in the user's own style, and a message built from it."""
    call = source.call_at(layer._location, type(layer).__name__)
    if call is None:
        return
    fix = argument_fix(source, call, type(layer), facts["argument"], facts["got"], facts.get("factors"))
    if fix is None:
        return
    diagnostic.fix = fix
    span = source.span(call)
    diagnostic.column, diagnostic.end_line, diagnostic.end_column = span.column, span.end_line, span.end_column
    written = source.segment(call)
    if "\n" in written or len(written) > 72:
        written = layer._render()
    got, expected = facts["got"], facts["expected"]
    noun = "features" if " feature" in diagnostic.message else "channels"
    factors = facts.get("factors")
    how = ""
    if factors and len(factors) > 1:
        how = f" (the flattened size {got:,} = {' × '.join(str(f) for f in factors)})"
    at = f" when called at line {called.line}" if called is not None and called.line != layer._location.line else ""
    diagnostic.layer = written
    diagnostic.message = (f"`{written}` receives {got:,} {noun}{at}{how}, but its {facts['argument']} is "
                          f"{expected:,}; use `{fix.call}`")
