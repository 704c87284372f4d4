"""The terminal table fits its width: every model file at several widths and column sets keeps its lines
inside the width with no trailing spaces, cuts labels only with ``…`` and never breaks a word; golden files
show the layout of the seed, GPT-2, ResNet-50 and a transformer; the command line fits the terminal it
writes to, or 120 columns when piped, or ``--width``.

``NNCALC_UPDATE_GOLDEN=1 pytest tests/test_render_plain_table.py`` rewrites the golden files (then read the
diff before committing it).
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from oracle import model_files, read_directives

from nncalc.analysis import analyze
from nncalc.render import COLUMNS, DEFAULT_COLUMNS, visible_rows
from nncalc.render.plain_table import _fit, layout, plain_lines, table_content, width_of, wrap

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "tests" / "models"
GOLDEN = ROOT / "tests" / "golden" / "table"
UPDATE = bool(os.environ.get("NNCALC_UPDATE_GOLDEN"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ALL_COLUMNS = tuple(COLUMNS)


def report_of(path: Path):
    found = read_directives(path)
    return analyze(path, input_shapes=list(found.input_shapes) if found.input_shapes else None,
                   model=found.model, dtype=found.dtype)


def check_fits(report, width: int, columns, depth=None, fold=False) -> list[str]:
    """The laid-out lines, after checking the layout's promises: inside the width, no trailing spaces, one
    line per row starting with its label, whole or cut with ``…`` (never broken onto a second line)."""
    lines = plain_lines(report, depth, fold, columns, width).splitlines()
    for line in lines:
        assert width_of(line) <= width, (width, line)
        assert line == line.rstrip(), repr(line)
    content = table_content(report, depth, fold, columns)
    label_width = _fit(content, width)[1][0]
    at = 3  # title, header, rule
    for cells, _ in content.rows:
        shown = lines[at][1:1 + label_width].rstrip()
        assert shown == cells[0] or shown.endswith("…") and cells[0].startswith(shown[:-1]), (shown, cells[0])
        at += 1
        while at < len(lines) and lines[at].strip() and not lines[at][1:1 + label_width].strip():
            at += 1  # a row's wrapped cells
    return lines


@pytest.mark.parametrize("path", model_files(), ids=lambda p: p.name)
def test_every_model_file_fits(path):
    report = report_of(path)
    for width in (60, 80, 100, 120, 200):
        check_fits(report, width, DEFAULT_COLUMNS)
    check_fits(report, 80, ALL_COLUMNS)
    check_fits(report, 120, DEFAULT_COLUMNS, depth=1, fold=True)


def test_labels_are_short_names_under_their_parents():
    lines = plain_lines(report_of(MODELS / "torch_resnet50.py"), None, False, DEFAULT_COLUMNS, 120).splitlines()
    assert " layer1 (Sequential)" in "\n".join(lines)
    at = next(i for i, line in enumerate(lines) if line.startswith(" layer1 (Sequential)"))
    assert lines[at + 1].startswith("   0 (Bottleneck)")
    assert lines[at + 2].startswith("     conv1 (Conv2d)")
    assert not any("layer1.0" in line for line in lines)


def test_folded_blocks_are_short_too():
    report = report_of(MODELS / "torch_resnet50.py")
    text = plain_lines(report, 2, True, DEFAULT_COLUMNS, 120)
    assert "   1–2 (Bottleneck) × 2" in text
    assert [item.label for item in visible_rows(report, 2, True)][5:7] == [  # other renderers keep full names
        "layer1.0 (Bottleneck)", "layer1.1–layer1.2 (Bottleneck) × 2"]


def test_the_formula_column_goes_first_and_says_so():
    report = report_of(MODELS / "torch_gpt2_nanogpt.py")
    wide = plain_lines(report, None, False, DEFAULT_COLUMNS, 200)
    narrow = plain_lines(report, None, False, DEFAULT_COLUMNS, 80)
    assert " Formula" in wide.splitlines()[1] and "(768 + 1) × 2,304" in wide
    assert " Formula" not in narrow.splitlines()[1] and "(768 + 1) × 2,304" not in narrow
    needed = max(width_of(line) for line in wide.splitlines()[1:40])
    assert f"The Formula column is left out to fit 80 columns; --width {needed} shows it." in narrow
    assert "Linear: params = (inputs + 1) × outputs" in narrow  # the types' formulas stay
    assert " Formula" in plain_lines(report, None, False, DEFAULT_COLUMNS, needed).splitlines()[1]


def test_columns_beyond_the_width_are_left_out_in_order():
    lines = check_fits(report_of(MODELS / "torch_gpt2_nanogpt.py"), 60, ("input_shape", "output_shape", "params",
                                                                         "macs", "formula"))
    assert lines[1].split() == ["Layer", "(type)", "Output", "shape", "Param", "#", "MACs"]
    assert "The Input shape and Formula columns are left out to fit 60 columns" in " ".join(" ".join(lines).split())


def test_text_is_shown_as_written():
    report = dataclasses.replace(report_of(MODELS / "seed_torch.py"), notes=("see [bold]this[/bold] :thumbs_up:",
                                                                              "wide 形状 " * 12))
    lines = plain_lines(report, None, False, DEFAULT_COLUMNS, 80).splitlines()
    assert " Note: see [bold]this[/bold] :thumbs_up:" in lines
    assert all(width_of(line) <= 80 for line in lines) and any("形状" in line for line in lines)


@pytest.mark.parametrize("text, width, indent, expected", [
    ("a b c", 80, 0, ["a b c"]),
    (" Note: alpha beta gamma", 12, 7, [" Note: alpha", "       beta", "       gamma"]),
    (" x = 12.50 KiB", 12, 3, [" x =", "   12.50 KiB"]),  # a number keeps its unit
    ("use `nn.Linear(3136, 128)` here", 24, 0, ["use", "`nn.Linear(3136, 128)`", "here"]),
    ("a `too long for one line` b", 12, 2, ["a `too long", "  for one", "  line` b"]),
    ("abcdefghijklmnop", 8, 0, ["abcdefg…"]),
    ("trailing   ", 20, 0, ["trailing"]),
])
def test_wrap_breaks_between_words(text, width, indent, expected):
    assert wrap(text, width, indent) == expected


# ----- golden files ------------------------------------------------------------------------------------------------
GOLDEN_CASES = [
    ("seed_torch.py", 80, None), ("seed_torch.py", 120, None), ("seed_keras.py", 80, None),
    ("torch_gpt2_nanogpt.py", 80, None), ("torch_gpt2_nanogpt.py", 100, None), ("torch_resnet50.py", 80, 3),
    ("torch_bert_base.py", 80, 3), ("torch_transformer_text_classifier.py", 100, 3),
]


@pytest.mark.parametrize("name, width, depth", GOLDEN_CASES, ids=[f"{n[:-3]}-{w}" for n, w, _ in GOLDEN_CASES])
def test_golden(name, width, depth):
    text = plain_lines(report_of(MODELS / name), depth, False, DEFAULT_COLUMNS, width)
    golden = GOLDEN / f"{name[:-3]}.{width}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


# ----- the command line -----------------------------------------------------------------------------------------
def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "nncalc.cli", "summary", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env=dict(clean, PYTHONPATH=str(ROOT / "src"), **(env or {})),
                          stdin=subprocess.DEVNULL)


def test_piped_output_is_120_columns_unless_told():
    gru = str(MODELS / "torch_gru_regressor.py")  # its notes run to 224 characters
    for env in ({}, {"COLUMNS": "200"}):
        done = cli(gru, env=env)
        assert done.returncode == 0, done.stderr
        assert max(width_of(line) for line in done.stdout.splitlines()) <= 120
        assert not ANSI.search(done.stdout)
    assert max(width_of(line) for line in cli(gru, env={"COLUMNS": "70"}).stdout.splitlines()) <= 70
    wide = cli(gru, "--width", "200").stdout.splitlines()
    assert 120 < max(width_of(line) for line in wide) <= 200


def run_in_terminal(args: list[str], columns: int, env: dict) -> str:
    """The CLI writing to a pseudo-terminal ``columns`` wide; what it printed."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    clean = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    process = subprocess.Popen([sys.executable, "-m", "nncalc.cli", "summary", *args], stdout=follower,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT,
                               env=dict(clean, PYTHONPATH=str(ROOT / "src"), TERM="xterm", **env))
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=120) == 0, process.stderr.read()
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", [80, 100])
def test_a_terminal_gets_its_width_and_colours(columns):
    printed = run_in_terminal([str(MODELS / "torch_resnet50.py")], columns, {})
    assert ANSI.search(printed)
    lines = ANSI.sub("", printed).splitlines()
    assert max(width_of(line) for line in lines) <= columns
    assert all(line == line.rstrip() for line in lines)
    assert "\x1b[1m Layer (type)" in printed  # the header in bold


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_no_color_and_columns_are_honoured_on_a_terminal():
    printed = run_in_terminal([str(MODELS / "seed_torch.py")], 100, {"NO_COLOR": "1", "COLUMNS": "70"})
    assert not ANSI.search(printed)
    assert max(width_of(line) for line in printed.splitlines()) <= 70


def test_the_command_line_never_imports_rich():
    probe = ("import sys, io, contextlib\nfrom nncalc.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
             "    main(['summary', 'tests/models/seed_torch.py'])\n"
             "assert 'conv1 (Conv2d)' in out.getvalue()\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_layout_styles_the_lines():
    report = dataclasses.replace(report_of(MODELS / "seed_torch.py"), notes=("a note",))
    lines = layout(report, None, False, DEFAULT_COLUMNS, 80)
    assert [style for _, style in lines[:2]] == ["title", "header"]
    assert lines[-1][1] == "note"
