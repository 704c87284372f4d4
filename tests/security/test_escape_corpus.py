"""The escape corpus: every file in ``corpus/`` is a known way to break out of a Python sandbox or to exhaust it.

Each runs through the real CLI (``python -m nncalc.cli summary FILE``) in a subprocess whose working directory is a
fresh temporary directory, and must end in a clean one-line ``nncalc: FILE:LINE…`` error (exit code 1 or 2, no
traceback) within the time limit plus one second and 1 GB of memory, leaving no file behind (the corpus files
try to create ``ESCAPE_MARKER`` in the working directory, by ``open``, ``os.system``, ``subprocess`` …).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from nncalc.interpreter.limits import MAX_SECONDS

CORPUS = Path(__file__).parent / "corpus"
SRC = Path(__file__).resolve().parents[2] / "src"
MARKER = "ESCAPE_MARKER"
STARTUP_SECONDS = 3.0
"""Python's start-up and nncalc's imports, which the interpreter's clock does not see."""
MAX_RSS_BYTES = 1024**3


# A small launcher forks the CLI and reports the child's own peak memory. Measuring a process forked straight
# from pytest would count pytest's pages too: Linux carries a process's peak resident size across exec.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def run_cli(path: Path, cwd: Path) -> tuple[int, str, str, float, int]:
    """Run the CLI on ``path``: (exit code, stdout, stderr, wall seconds, peak resident bytes of the CLI)."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    with tempfile.TemporaryDirectory() as logs:
        out_path, err_path, rss_path = Path(logs, "out"), Path(logs, "err"), Path(logs, "rss")
        with out_path.open("wb") as out, err_path.open("wb") as err:
            start = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-S", "-c", LAUNCHER, str(rss_path),
                 sys.executable, "-m", "nncalc.cli", "summary", str(path)],
                cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            timer = threading.Timer(MAX_SECONDS + STARTUP_SECONDS + 30, os.killpg, (proc.pid, 9))
            timer.start()
            proc.wait()
            timer.cancel()
            elapsed = time.monotonic() - start
        if proc.returncode < 0:
            pytest.fail(f"{path.name}: nncalc hung or was killed ({proc.returncode})")
        return (
            proc.returncode, out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace"),
            elapsed, int(rss_path.read_text()) * 1024,
        )  # fmt: skip


def assert_clean_error(path: Path, cwd: Path, need_line: bool = True) -> str:
    before = sorted(p.name for p in cwd.iterdir())
    code, out, err, elapsed, rss = run_cli(path, cwd)
    text = out + err
    assert "Traceback" not in text, text
    assert "nncalc's own bug" not in text and "internal error" not in text.lower(), text
    assert code in (1, 2), (code, text)
    first = err.splitlines()[0] if err else ""
    assert first.startswith(f"nncalc: {path}"), text
    if need_line and "no model found" not in first:
        assert re.match(rf"nncalc: {re.escape(str(path))}:\d+", first), text
    assert elapsed < MAX_SECONDS + 1 + STARTUP_SECONDS, f"{path.name} took {elapsed:.1f} s"
    assert rss < MAX_RSS_BYTES, f"{path.name} used {rss / 2**20:.0f} MB"
    assert sorted(p.name for p in cwd.iterdir()) == before, "the run left a file behind"
    assert not (cwd / MARKER).exists() and not Path(MARKER).exists()
    return first


CORPUS_FILES = sorted(CORPUS.glob("*.py"))


def test_corpus_is_large_enough():
    assert len(CORPUS_FILES) >= 40


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_file_ends_in_clean_error(path, tmp_path):
    assert_clean_error(path, tmp_path)


# ----- file-level attacks, generated (too big or too odd to commit) --------------------------------------------
def _generated(tmp_path: Path, name: str, data: bytes) -> tuple[Path, Path]:
    files = tmp_path / "files"
    files.mkdir()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    path = files / name
    path.write_bytes(data)
    return path, cwd


def test_hundred_megabyte_file(tmp_path):
    line = b"x = 1  # " + b"p" * 90 + b"\n"
    path, cwd = _generated(tmp_path, "huge.py", line * (100 * 1024 * 1024 // len(line) + 1))
    first = assert_clean_error(path, cwd, need_line=False)
    assert "bytes" in first


def test_nul_bytes(tmp_path):
    path, cwd = _generated(tmp_path, "nul.py", b"import torch\nx = 1\x00\n")
    assert "NUL" in assert_clean_error(path, cwd, need_line=False)


def test_invalid_utf8(tmp_path):
    path, cwd = _generated(tmp_path, "latin.py", b"import torch\n# caf\xe9\nx = 1\n")
    assert "UTF-8" in assert_clean_error(path, cwd)


@pytest.mark.parametrize("depth", [100, 10_000, 100_000])
def test_nested_brackets(tmp_path, depth):
    path, cwd = _generated(tmp_path, "nested.py", b"x = " + b"[" * depth + b"1" + b"]" * depth + b"\nx / 0\n")
    assert_clean_error(path, cwd)


@pytest.mark.parametrize("piece", [b"-", b"not ", b"~", b"(", b"lambda: "])
def test_deep_expressions(tmp_path, piece):
    closing = b")" * 10_000 if piece == b"(" else b""
    path, cwd = _generated(tmp_path, "deep.py", b"x = " + piece * 10_000 + b"1" + closing + b"\nx / 0\n")
    assert_clean_error(path, cwd)


def test_deeply_nested_blocks(tmp_path):
    lines = [" " * i + "if True:" for i in range(120)] + [" " * 120 + "x = 1"]
    path, cwd = _generated(tmp_path, "blocks.py", ("\n".join(lines) + "\nx / 0\n").encode())
    assert_clean_error(path, cwd)


def test_long_chain_of_operators(tmp_path):
    path, cwd = _generated(tmp_path, "chain.py", b"x = " + b"1 + " * 100_000 + b"1\nx / 0\n")
    assert_clean_error(path, cwd)


def test_binary_garbage(tmp_path):
    path, cwd = _generated(tmp_path, "garbage.py", bytes(range(1, 256)) * 100)
    assert_clean_error(path, cwd, need_line=False)


def test_directory_and_missing_file(tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    assert_clean_error(tmp_path, cwd, need_line=False)
    assert_clean_error(tmp_path / "missing.py", cwd, need_line=False)


@pytest.mark.parametrize(
    "name, text",
    [
        ("names.py", "x = [" + "a," * 149_990 + "]\n"),  # just under the token limit: parsed, then fails
        ("calls.py", "x = [" + "f(a)," * 59_990 + "]\n"),
        ("too_many.py", "x = [" + "a," * 600_000 + "]\n"),  # past it: refused before parsing
        ("list.py", "x = [" + "1," * 5_000_000 + "]\n"),  # 10 MB of tokens
    ],
)
def test_files_dense_in_tokens(tmp_path, name, text):
    path, cwd = _generated(tmp_path, name, text.encode())
    assert_clean_error(path, cwd, need_line=False)
