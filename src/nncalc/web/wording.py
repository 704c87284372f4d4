"""Messages, hints and notes in the page's own words: the command line's options become the page's fields.

The analysis speaks to the command line (``pass --input-shape 3,224,224``); the page has an *Input shape*
field, a *Model* field, and reads a file's ``# nncalc: dtype`` and ``# nncalc: set NAME=VALUE`` lines. Only
those phrases change.
"""

from __future__ import annotations

import re

_INPUT_FROM_FILE = "the file's `# nncalc: input-shape` line"
_REWRITES = [
    (re.compile(r"pass --input-shape ([^\s,;]+), e\.g\. --input-shape ([^\s;)]+)"),
     r"fill in the Input shape field (\1), e.g. \2"),
    (re.compile(r"pass --input-shape, e\.g\. --input-shape ([^\s;)]+)"), r"fill in the Input shape field, e.g. \1"),
    (re.compile(r"e\.g\. --input-shape ([^\s;)]+)"), r"e.g. \1 in the Input shape field"),
    (re.compile(r"pass --input-shape"), "fill in the Input shape field"),
    (re.compile(r"drop --input-shape"), "empty the Input shape field"),
    (re.compile(r"--input-shape ([^\s;)]+) differs"), r"the Input shape field's \1 differs"),
    (re.compile(r"choose one with --model NAME, e\.g\. --model ([^\s;)]+)"),
     r"type its name in the Model field, e.g. \1"),
    (re.compile(r"name one with --model NAME"), "type its name in the Model field"),
    (re.compile(r"pass --model ([^\s;)]+)"), r"type \1 in the Model field"),
    (re.compile(r"\(`--dtype (\w+)`\)"), r"(a line `# nncalc: dtype \1` in the code)"),
    (re.compile(r"pass --dtype to choose another"), "a line `# nncalc: dtype int64` (or float32) in the code chooses another"),
    (re.compile(r"--set (\S+) \(or `# nncalc: set \1` in the file\)"), r"a line `# nncalc: set \1` in the code"),
    (re.compile(r"--set (\S+)"), r"`# nncalc: set \1`"),
    (re.compile(r"\(--verbose lists them\)"), "(the command line lists them with --verbose)"),
    (re.compile(r"--input-shape"), "the Input shape field"),
    (re.compile(r"--model"), "the Model field"),
    (re.compile(r"--batch"), "the Batch field"),
    (re.compile(r"--dtype"), "a `# nncalc: dtype` line"),
]


def for_the_page(text: str | None, shape_from_file: bool = False) -> str | None:
    """``text`` with the command line's options replaced by the page's fields. ``shape_from_file``: the input
    shape came from the file's ``# nncalc: input-shape`` line, not from the field."""
    if not text:
        return text
    if shape_from_file:
        text = text.replace("from --input-shape", "from " + _INPUT_FROM_FILE)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return text
