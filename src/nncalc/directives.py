"""``# nncalc: KEY VALUE`` comment lines: what a model file says about how to read it.

``# nncalc: input-shape 3,32,32`` (several inputs separated by ``;``), ``# nncalc: model NAME`` and
``# nncalc: dtype int64``, and any number of ``# nncalc: set NAME=VALUE`` (as ``--set``). Options given on the
command line win over the file's lines.
"""

from __future__ import annotations

import re

from nncalc.errors import InputError

KEYS = ("input-shape", "model", "dtype")
_DIRECTIVE = re.compile(r"^#\s*nncalc:\s*(?P<key>input-shape|model|dtype)\s+(?P<value>\S.*?)\s*$", re.M)


def read_directives(text: str) -> dict[str, str]:
    """The file's directives, ``{key: value}``; a later line wins over an earlier one. ``set`` lines are
    collected in a list under ``"set"``."""
    found: dict = {m["key"]: m["value"] for m in _DIRECTIVE.finditer(text)}
    sets = set_directives(text)
    if sets:
        found["set"] = sets
    return found


_SET = re.compile(r"^#\s*nncalc:\s*set\s+(?P<value>\S.*?)\s*$", re.M)


def set_directives(text: str) -> list[str]:
    """The file's ``# nncalc: set NAME=VALUE`` lines, in order."""
    return [m["value"] for m in _SET.finditer(text)]


def parse_set(items: list[str]) -> dict:
    """``["num_classes=10", "args.epochs=1"]`` → ``{"num_classes": 10, "args.epochs": 1}`` (values are Python
    literals, anything else a string)."""
    from nncalc.interpreter.script import parse_value

    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not all(part.isidentifier() for part in name.split(".")):
            raise InputError(f"--set {item!r}: write NAME=VALUE, e.g. --set num_classes=10 or --set args.epochs=1")
        values[name] = parse_value(value.strip())
    return values


def parse_input_shapes(value: str) -> list[tuple[int, ...]]:
    """``3,32,32; 10`` → ``[(3, 32, 32), (10,)]``; ``()`` is one number per sample (a timestep)."""
    shapes = []
    for part in value.split(";"):
        try:
            shapes.append(tuple(int(d) for d in part.replace(" ", "").strip("()").split(",") if d))
        except ValueError:
            raise InputError(f"`# nncalc: input-shape {value}` is not a shape; write it like 3,32,32") from None
    return shapes
