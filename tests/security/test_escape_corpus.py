"""The escape corpus: every file in ``corpus/`` is a known way to break out of a Python sandbox or to exhaust it.

Each runs through the real CLI (``python -m nncalc.cli summary FILE``) in a subprocess whose working directory is a
fresh temporary directory, and must end in a clean one-line ``nncalc: FILE:LINE…`` error (exit code 1 or 2, no
traceback) within the time limit plus one second and 1 GB of memory, leaving no file behind (the corpus files
try to create ``ESCAPE_MARKER`` in the working directory, by ``open``, ``os.system``, ``subprocess`` …).
"""

from __future__ import annotations

import json
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
COMMANDS = ("summary", "check", "explain", "convert")
CORPUS_SECONDS = 2.0
CORPUS_MEMORY_MB = 512
"""The corpus runs under ``--max-seconds 2 --max-memory 512M``: the limits hold at whatever values they are
given, and the whole corpus (every file through four commands) fits in a couple of minutes."""


def test_corpus_is_large_enough():
    assert len(CORPUS_FILES) >= 150


def _argv(command: str, path: Path) -> list[str]:
    limits = ["--max-seconds", f"{CORPUS_SECONDS:g}", "--max-memory", f"{CORPUS_MEMORY_MB}M"]
    if command == "convert":
        target = "pytorch" if "keras" in path.read_text(encoding="utf-8") else "keras"
        return ["convert", str(path), "--to", target, *limits]
    return [command, str(path), *limits]


class Drivers:
    """Two ``cli_driver.py`` processes (one per CPU core) that run the corpus's command lines in forked
    children: each result is the exit code, the output, the wall time and the peak memory of that run."""

    def __init__(self, count: int = 2):
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        self.procs = [
            subprocess.Popen([sys.executable, str(Path(__file__).with_name("cli_driver.py"))], env=env, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
            for _ in range(count)
        ]  # fmt: skip

    def run(self, driver: int, argv: list[str], workdir: Path) -> dict:
        cwd, logs = workdir / "cwd", workdir / "logs"
        cwd.mkdir()
        logs.mkdir()
        proc = self.procs[driver]
        job = {"argv": argv, "cwd": str(cwd), "out": str(logs / "out"), "err": str(logs / "err")}
        proc.stdin.write(json.dumps(job) + "\n")
        proc.stdin.flush()
        result = json.loads(proc.stdout.readline())
        result["out"] = (logs / "out").read_text("utf-8", "replace")
        result["err"] = (logs / "err").read_text("utf-8", "replace")
        result["left"] = sorted(p.name for p in cwd.iterdir())
        return result

    def close(self) -> None:
        for proc in self.procs:
            proc.stdin.close()
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory) -> dict:
    """Every corpus file through every command, two at a time; {(file name, command): result}."""
    from concurrent.futures import ThreadPoolExecutor

    drivers = Drivers()
    jobs = [(path, command) for path in CORPUS_FILES for command in COMMANDS]
    slots = list(range(len(drivers.procs)))
    lock = threading.Lock()

    def one(job):
        path, command = job
        with lock:
            slot = slots.pop()
        try:
            workdir = tmp_path_factory.mktemp(f"{path.stem}-{command}")
            return (path.name, command), drivers.run(slot, _argv(command, path), workdir)
        finally:
            with lock:
                slots.append(slot)

    try:
        with ThreadPoolExecutor(len(slots)) as pool:
            return dict(pool.map(one, jobs))
    finally:
        drivers.close()


_LONG_NUMBER = re.compile(r"\d{31,}")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_file_ends_in_clean_error(corpus_runs, path, command):
    run = corpus_runs[(path.name, command)]
    text = run["out"] + run["err"]
    assert "Traceback" not in text and "Warning" not in text, text
    assert "nncalc's own bug" not in text and "internal error" not in text.lower(), text
    assert not _LONG_NUMBER.search(text), "a number in a message is not abbreviated: " + text
    assert run["code"] in (1, 2), (run["code"], text)
    if command == "check":  # one diagnostic line for the file, then the verdict
        assert re.match(rf"{re.escape(str(path))}(:\d+:\d+)?: error \[", run["out"]), text
    else:
        first = run["err"].splitlines()[0] if run["err"] else ""
        assert first.startswith(f"nncalc: {path}"), text
        if "no model found" not in first and "the analysis" not in first:
            assert re.match(rf"nncalc: {re.escape(str(path))}:\d+", first), text
    assert run["seconds"] < CORPUS_SECONDS + 1, f"{path.name} {command} took {run['seconds']:.1f} s"
    tree_mb = ((run["own_kb"] or 0) + run["tree_max_kb"]) / 1024
    assert tree_mb < CORPUS_MEMORY_MB + 100, f"{path.name} {command}: the processes peaked at {tree_mb:.0f} MB"
    assert run["left"] == [], f"the run left {run['left']} behind"
    assert not Path(MARKER).exists()


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


@pytest.mark.parametrize("piece", [b"-", b"not ", b"~", b"(", b"lambda: ", b"2 ** ", b"1 if 1 else "])
def test_deep_expressions(tmp_path, piece):
    closing = b")" * 10_000 if piece == b"(" else b""
    path, cwd = _generated(tmp_path, "deep.py", b"x = " + piece * 10_000 + b"1" + closing + b"\nx / 0\n")
    first = assert_clean_error(path, cwd)
    assert "memory" not in first, first  # Python's parser says MemoryError when it nests too deeply


# ----- what is not a regular file ------------------------------------------------------------------------------
def test_named_pipe_is_refused_without_blocking(tmp_path):
    files, cwd = tmp_path / "files", tmp_path / "cwd"
    files.mkdir()
    cwd.mkdir()
    os.mkfifo(files / "model.py")
    assert "named pipe" in assert_clean_error(files / "model.py", cwd, need_line=False)


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "/proc/self/environ", "/proc/self/status"])
def test_links_to_devices_and_kernel_files_are_refused(tmp_path, target):
    files, cwd = tmp_path / "files", tmp_path / "cwd"
    files.mkdir()
    cwd.mkdir()
    (files / "model.py").symlink_to(target)
    first = assert_clean_error(files / "model.py", cwd, need_line=False)
    assert "regular file" in first or "/proc" in first, first


def test_devices_named_directly_are_refused(tmp_path):
    assert "device" in assert_clean_error(Path("/dev/zero"), tmp_path, need_line=False)


def test_link_to_a_file_that_is_not_python_is_refused_without_echoing_it(tmp_path):
    secret = tmp_path / "id_secret"
    secret.write_text("TOPSECRETWORD and more\n")
    files, cwd = tmp_path / "files", tmp_path / "cwd"
    files.mkdir()
    cwd.mkdir()
    (files / "model.py").symlink_to(secret)
    code, out, err, _, _ = run_cli(files / "model.py", cwd)
    assert code == 2 and "TOPSECRETWORD" not in out + err and "not a Python file" in err, err


def test_link_to_a_python_file_is_followed(tmp_path):
    files, cwd = tmp_path / "files", tmp_path / "cwd"
    files.mkdir()
    cwd.mkdir()
    (files / "real.py").write_text("x = 1\nx / 0\n")
    (files / "model.py").symlink_to(files / "real.py")
    assert "ZeroDivisionError" in assert_clean_error(files / "model.py", cwd)


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
