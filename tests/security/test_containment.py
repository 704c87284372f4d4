"""OS-enforced containment (:mod:`nncalc.contain`): what no in-process check can stop — a C call that holds the
interpreter lock, a crash, memory taken in one allocation — ends in one clean line and exit 2, within the limits.

The work functions here stand for such C calls directly; the CLI tests at the end go through a model file
whose comparison no in-process check sees (a ``max`` with a ``key``, comparing shared nested tuples in C).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nncalc import contain
from nncalc.errors import LimitExceeded

SRC = Path(__file__).resolve().parents[2] / "src"
LIMITS = contain.ProcessLimits(max_memory=256 * 1024 * 1024, max_seconds=1.0)

pytestmark = pytest.mark.skipif(not contain.available(), reason="this system cannot fork")


def _print_and_return():
    print("table")
    print("note", file=sys.stderr)
    return 7


def test_the_child_s_output_and_value_come_back():
    finished = contain.run_contained(_print_and_return, LIMITS, "m.py")
    assert (finished.value, finished.out, finished.err) == (7, b"table\n", b"note\n")


def _spin_in_c():
    return sum(range(10**14))  # one C call, the interpreter lock held throughout


def test_a_c_call_that_never_returns_is_stopped_at_the_time_limit():
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"^m\.py: the analysis took more than 1 s; nncalc stopped it"):
        contain.run_contained(_spin_in_c, LIMITS, "m.py")
    assert time.monotonic() - start < LIMITS.max_seconds + 1


def _allocate():
    return len(bytearray(2 * LIMITS.max_memory))


def test_an_allocation_past_the_memory_limit_is_stopped():
    with pytest.raises(LimitExceeded, match="needed more than 256 MiB of memory"):
        contain.run_contained(_allocate, LIMITS, "m.py")


def _crash():
    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_crash_is_one_clean_error():
    with pytest.raises(LimitExceeded, match=r"crashed \(SIGSEGV\)"):
        contain.run_contained(_crash, LIMITS, "m.py")


def _killed():
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_child_killed_by_the_system_is_reported_as_memory():
    with pytest.raises(LimitExceeded, match="memory"):
        contain.run_contained(_killed, LIMITS, "m.py")


def _interpret_forever():
    from nncalc.interpreter import Limits, run_source

    run_source("x = 1\nwhile True:\n    x = x + 1\n", "loop.py", modules={},
               limits=Limits(max_seconds=1000, max_steps=10**12))


def test_the_error_names_the_line_the_interpreter_was_at():
    with pytest.raises(LimitExceeded) as caught:
        contain.run_contained(_interpret_forever, LIMITS, "loop.py")
    assert str(caught.value).startswith("loop.py:3:"), str(caught.value)


def test_the_interpreter_in_the_child_has_the_limits_given():
    limits = contain.interpreter_limits(contain.ProcessLimits(max_memory=2 << 30, max_seconds=12.5))
    assert (limits.max_seconds, limits.max_memory) == (12.5, 1 << 30)


# ----- through the command line --------------------------------------------------------------------------------
HIDDEN_COMPARISON = """t = ()
u = ()
for _ in range(100):
    t = (t, t)
    u = (u, u)
biggest = max([t, u], key=lambda v: v)
"""


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "nncalc.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


@pytest.mark.parametrize("command", ["summary", "check"])
def test_max_seconds_bounds_what_the_interpreter_cannot_see(tmp_path, command):
    path = tmp_path / "hidden.py"
    path.write_text(HIDDEN_COMPARISON)
    start = time.monotonic()
    done = _cli(command, str(path), "--max-seconds", "1.5", cwd=tmp_path)
    elapsed = time.monotonic() - start
    assert done.returncode == 2, done.stdout + done.stderr
    assert "the analysis took more than 1.5 s" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 2
    assert elapsed < 1.5 + 1 + 3  # the limit, a second, Python's start-up
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hidden.py"]


def test_check_goes_on_with_the_next_file_after_one_is_stopped(tmp_path):
    hidden, fine = tmp_path / "hidden.py", tmp_path / "fine.py"
    hidden.write_text(HIDDEN_COMPARISON)
    fine.write_text("import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 2))\n# nncalc: input-shape 4\n")
    done = _cli("check", str(hidden), str(fine), "--max-seconds", "1", cwd=tmp_path)
    assert done.returncode == 2
    assert "hidden.py" in done.stdout and "limit-exceeded" in done.stdout
    assert f"{fine}: model (PyTorch, input 4): checked" in done.stdout


@pytest.mark.parametrize("value", ["0", "12", "abc", "1T5", "0.01G"])
def test_bad_limit_values_are_usage_errors(tmp_path, value):
    done = _cli("summary", "x.py", "--max-memory", value, cwd=tmp_path)
    assert done.returncode == 2 and "memory size" in done.stderr


@pytest.mark.parametrize("value, expected", [("2G", 2 << 30), ("512M", 512 << 20), ("1.5GiB", 3 << 29), ("768", 768 << 20)])
def test_memory_sizes(value, expected):
    from nncalc.arguments import _memory_size

    assert _memory_size(value) == expected
