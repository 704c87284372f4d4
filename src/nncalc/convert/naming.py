"""Names in generated code: Python identifiers for layers and tensors, class names, number formatting."""

from __future__ import annotations

import keyword
import re

RESERVED = {"self", "torch", "nn", "F", "keras", "layers", "model", "inputs", "outputs", "super", "print", "input"}


def identifier(name: str) -> str:
    """A layer or tensor name as a Python identifier: ``features.0`` → ``features_0``."""
    text = re.sub(r"\W", "_", name) or "layer"
    if text[0].isdigit():
        text = "layer_" + text
    if keyword.iskeyword(text) or text in RESERVED:
        text += "_"
    return text


def class_name(name: str) -> str:
    """``sequential`` → ``Sequential``, ``simple_cnn`` → ``SimpleCnn``; never a name the frameworks export."""
    parts = [p for p in re.split(r"\W|_", name) if p]
    text = "".join(p[:1].upper() + p[1:] for p in parts) or "Converted"
    if text[0].isdigit():
        text = "Model" + text
    if text in {"Sequential", "Model", "Functional", "Module"}:
        text = "Converted" + text
    return text


class Names:
    """Unique variable names for values."""

    def __init__(self):
        self.used: set[str] = set()
        self.of: dict[int, str] = {}

    def assign(self, value: int, wanted: str) -> str:
        base = identifier(wanted)
        candidate, n = base, 0
        while candidate in self.used:
            n += 1
            candidate = f"{base}_{n}"
        self.used.add(candidate)
        self.of[value] = candidate
        return candidate


def placeholder(op) -> tuple[str, str]:
    """The comment and the ``raise NotImplementedError(...)`` line standing where a layer was not converted."""
    reason = op.attrs.get("reason", "not converted")
    line = f", line {op.line}" if op.line else ""
    message = f"{op.name} ({op.source_type}) was not converted by nncalc: {reason}"
    return f"# NOT CONVERTED: {op.name} ({op.source_type}{line}): {reason}", f"raise NotImplementedError({message!r})"


def shape_text(shape) -> str:
    return ", ".join(str(s) for s in shape)
