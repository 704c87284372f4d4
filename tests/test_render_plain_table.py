"""The plain table (``nncalc.render.plain_table``) is the very text rich prints, for every model file, at
several widths, depths and column sets; and piped CLI output does not import rich."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from oracle import model_files, read_directives

from nncalc.analysis import analyze
from nncalc.render import COLUMNS, DEFAULT_COLUMNS
from nncalc.render.plain_table import plain_lines
from nncalc.render.table import print_table

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = [(80, None, False, DEFAULT_COLUMNS), (120, 1, True, DEFAULT_COLUMNS), (40, None, False, tuple(COLUMNS))]


def rich_text(report, width, depth, fold, columns) -> str:
    """What rich prints to a non-terminal console (given a console, print_table always renders with rich)."""
    from rich.console import Console

    buffer = io.StringIO()
    print_table(report, Console(file=buffer, width=width, color_system=None, force_terminal=False), depth, fold,
                columns)
    return buffer.getvalue()


@pytest.mark.parametrize("path", model_files(), ids=lambda p: p.name)
def test_plain_lines_are_rich_text(path):
    found = read_directives(path)
    report = analyze(path, input_shapes=list(found.input_shapes) if found.input_shapes else None,
                     model=found.model, dtype=found.dtype)
    compared = 0
    for width, depth, fold, columns in LAYOUTS:
        plain = plain_lines(report, depth, fold, columns, width)
        if plain is not None:  # None: rich renders it (markup, wide characters, a line to wrap)
            assert plain == rich_text(report, width, depth, fold, columns)
            compared += 1
    assert compared >= 2


def test_piped_summary_does_not_import_rich():
    probe = ("import sys, io, contextlib\nfrom nncalc.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
             "    main(['summary', 'tests/models/seed_torch.py'])\n"
             "assert 'conv1 (Conv2d)' in out.getvalue()\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))\n")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=dict(env, PYTHONPATH=str(ROOT / "src")), stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("note", ["see [bold]this[/bold]", "an emoji code :thumbs_up:", "wide 形状", "a\ttab"])
def test_text_rich_would_change_is_left_to_rich(note):
    report = dataclasses.replace(analyze(ROOT / "tests" / "models" / "seed_torch.py"), notes=(note,))
    assert plain_lines(report, None, False, DEFAULT_COLUMNS, 80) is None
    assert rich_text(report, 80, None, False, DEFAULT_COLUMNS)  # and rich renders it
