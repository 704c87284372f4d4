"""Containment: an analysis runs in a forked child process under limits the operating system enforces.

The interpreter's own budgets (:mod:`nncalc.interpreter.limits`) stop almost every file with a message naming
its line, but they are checked by Python code: a single C call that holds the interpreter lock (hashing a
structure of shared tuples, a C-level recursion that overflows the stack) runs past them or crashes the
process. So the command line forks (after its imports: the child starts at once) and the child runs the work
with

* ``RLIMIT_AS`` / ``RLIMIT_DATA``: its address space may grow by ``max_memory`` beyond its size at the fork
  (an allocation past it fails, Python raises ``MemoryError``);
* ``RLIMIT_CPU``: ``max_seconds`` plus a second of CPU time, then the kernel kills it;
* ``RLIMIT_CORE`` 0: a crash writes no core file;

while the parent waits at most ``max_seconds`` + :data:`GRACE_SECONDS` of wall time for its result (the exit
code, the text it printed) on a pipe, then kills it. A child that is killed, crashes or runs out of memory
becomes one :class:`~nncalc.errors.LimitExceeded` naming the limit, at the place the interpreter last reported
(it writes its location to a shared page at every clock check). Inside the child the interpreter's in-process
limits are set from the same numbers (:func:`interpreter_limits`), so most files still end in the
interpreter's own, more precise message.

Where ``os.fork`` or the ``resource`` module does not exist (Windows), :func:`available` is False and the
caller runs the work in-process under the interpreter's limits alone.
"""

from __future__ import annotations

import os
import sys

from nncalc.errors import LimitExceeded, Location

DEFAULT_MAX_MEMORY = 1 << 30
"""Bytes the analysis process may grow by (address space), ``--max-memory``."""
DEFAULT_MAX_SECONDS = 30.0
"""Wall-clock seconds of one analysis, ``--max-seconds``."""
GRACE_SECONDS = 0.5
"""The parent's watchdog fires this long after the limit: the interpreter's own clock check comes first."""
IN_PROCESS_MEMORY_SHARE = 2
"""The interpreter refuses to grow past 1/2 of ``max_memory`` by itself (it checks resident memory and
estimates before it builds); the OS limit on the address space, which is larger than what is resident, backs
it up."""
EXIT_NO_MEMORY = 75
"""The child's exit status when it could not even report running out of memory."""
_PROGRESS_BYTES = 1024


class ProcessLimits:
    """The limits of one contained analysis (``--max-memory``, ``--max-seconds``)."""

    __slots__ = ("max_memory", "max_seconds")

    def __init__(self, max_memory: int = DEFAULT_MAX_MEMORY, max_seconds: float = DEFAULT_MAX_SECONDS):
        self.max_memory = max_memory
        self.max_seconds = max_seconds

    def __repr__(self) -> str:
        return f"ProcessLimits(max_memory={self.max_memory}, max_seconds={self.max_seconds})"


class Finished:
    """What the child sent back: the work's return value and the bytes it wrote to stdout and stderr."""

    __slots__ = ("value", "out", "err")

    def __init__(self, value, out: bytes, err: bytes):
        self.value = value
        self.out = out
        self.err = err


def available() -> bool:
    """Can this system contain an analysis in a child process (``os.fork`` and ``resource`` exist)? The
    environment variable ``NNCALC_IN_PROCESS=1`` says no (to profile an analysis, or see what it imports)."""
    if not hasattr(os, "fork") or os.environ.get("NNCALC_IN_PROCESS") == "1":
        return False
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


def interpreter_limits(limits: ProcessLimits):
    """The interpreter's budgets inside a child with ``limits``: its clock at ``max_seconds``, its memory check
    at a share of ``max_memory``; steps and sizes at their defaults."""
    from nncalc.interpreter.limits import Limits

    return Limits(max_seconds=limits.max_seconds, max_memory=limits.max_memory // IN_PROCESS_MEMORY_SHARE)


def describe_bytes(n: int) -> str:
    """``1 GiB``, ``512 MiB``, ``1.5 GiB``."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.4g} {unit}"
    return f"{n} bytes"


def memory_exceeded(limits: ProcessLimits, where: Location | str) -> LimitExceeded:
    return _stopped(
        where, f"the analysis needed more than {describe_bytes(limits.max_memory)} of memory; nncalc stopped it",
        "--max-memory SIZE allows more",
    )  # fmt: skip


def time_exceeded(limits: ProcessLimits, where: Location | str) -> LimitExceeded:
    return _stopped(
        where, f"the analysis took more than {limits.max_seconds:g} s; nncalc stopped it",
        "--max-seconds N allows more",
    )  # fmt: skip


def crashed(signal_name: str, where: Location | str) -> LimitExceeded:
    return _stopped(
        where, f"the analysis crashed ({signal_name}) in Python's own C code, most likely on data nested too "
        "deeply for it; nncalc stopped it", None,
    )  # fmt: skip


def _stopped(where: Location | str, message: str, hint: str | None) -> LimitExceeded:
    """The error at the interpreter's last reported place, or naming only the file when it had none."""
    if isinstance(where, Location):
        return LimitExceeded(message, where, hint=hint)
    return LimitExceeded(f"{where}: {message}" if where else message, hint=hint)


def run_contained(work, limits: ProcessLimits, name: str) -> Finished:
    """Run ``work()`` in a forked child under ``limits``; its return value must be marshallable (numbers,
    text, bytes and tuples of them). What it prints to ``sys.stdout`` / ``sys.stderr`` comes back as bytes.

    Raises:
        LimitExceeded: the child was stopped (time, memory) or crashed; placed at its last known location,
            else at ``name``.
    """
    import marshal
    import mmap

    progress = mmap.mmap(-1, _PROGRESS_BYTES)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns from here
        os.close(read_end)
        _child(work, limits, write_end, progress)
    os.close(write_end)
    try:
        data, timed_out = _collect(read_end, pid, limits.max_seconds + GRACE_SECONDS)
    except BaseException:  # Ctrl+C, or anything else: never leave the child running
        _kill(pid)
        raise
    finally:
        os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    where = _last_location(progress, name)
    progress.close()
    if data and not timed_out:
        try:
            value, out, err = marshal.loads(data)
            return Finished(value, out, err)
        except (EOFError, ValueError, TypeError):
            pass
    if timed_out:
        raise time_exceeded(limits, where)
    if os.WIFSIGNALED(status):
        import signal

        number = os.WTERMSIG(status)
        cpu = usage.ru_utime + usage.ru_stime
        if number == signal.SIGXCPU or (number == signal.SIGKILL and cpu >= limits.max_seconds):
            raise time_exceeded(limits, where)
        if number == signal.SIGKILL:  # not ours, not the CPU limit: the system's out-of-memory killer
            raise memory_exceeded(limits, where)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        raise crashed(name, where)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_NO_MEMORY:
        raise memory_exceeded(limits, where)
    raise crashed(f"exit status {os.waitstatus_to_exitcode(status)}", where)


def _collect(fd: int, pid: int, seconds: float) -> tuple[bytes, bool]:
    """Read the child's result until it closes the pipe or ``seconds`` pass; (data, timed out)."""
    import select
    import time

    deadline = time.monotonic() + seconds
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _kill(pid)
            return b"", True
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)


def _kill(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _last_location(progress, name: str) -> Location | str:
    """Where the interpreter last said it was: a location, or only a file name (``name`` when it said nothing)."""
    size = int.from_bytes(progress[:2], "little")
    if 0 < size <= _PROGRESS_BYTES - 2:
        parts = progress[2 : 2 + size].decode("utf-8", "replace").split("\0", 2)
        if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
            line, col, file = parts
            return Location(file, int(line), int(col)) if int(line) else (file or name)
    return name


# ----- the child ------------------------------------------------------------------------------------------------
def _child(work, limits: ProcessLimits, fd: int, progress) -> None:
    """Set the limits, run ``work`` with its output captured, send the result, and exit (never return)."""
    status = 0
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # Python's fatal-error messages ("Fatal Python error: …") never reach the terminal
        import faulthandler
        import warnings

        faulthandler.disable()  # nor a dump by a handler the host enabled on its own copy of stderr (pytest's)

        warnings.simplefilter("ignore")  # nor do Python's warnings: nncalc reports the file its own way
        _set_os_limits(limits)
        _report_progress_to(progress)
        from nncalc.interpreter import limits as interpreter

        interpreter.set_default_limits(interpreter_limits(limits))
        interpreter.memory_limit_text = describe_bytes(limits.max_memory)
        out, err = _Capture(sys.stdout), _Capture(sys.stderr)
        sys.stdout, sys.stderr = out, err
        value = work()  # a MemoryError ends the child below: the parent reports the limit
        import marshal

        payload = marshal.dumps((value, out.getvalue(), err.getvalue()))
        out.discard()
        err.discard()
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except MemoryError:
        status = EXIT_NO_MEMORY
    except BaseException:  # a broken pipe (the parent is gone), Ctrl+C: nothing left to report to
        status = 70
    finally:
        os._exit(status)


def _set_os_limits(limits: ProcessLimits) -> None:
    import math
    import resource

    def lower(kind: int, value: int) -> None:
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    lower(resource.RLIMIT_CORE, 0)
    lower(resource.RLIMIT_CPU, math.ceil(limits.max_seconds + GRACE_SECONDS) + 1)
    size = address_space()
    if size is not None:  # Linux; elsewhere (macOS) the address space says little and is not limited
        lower(resource.RLIMIT_AS, size + limits.max_memory)
        if hasattr(resource, "RLIMIT_DATA"):
            lower(resource.RLIMIT_DATA, size + limits.max_memory)


def address_space() -> int | None:
    """The bytes of address space this process holds now (Linux), or None where that cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _report_progress_to(progress) -> None:
    """Have the interpreter write where it is to ``progress`` at every clock check."""
    from nncalc import location
    from nncalc.interpreter import limits as interpreter

    def report(budget) -> None:
        where = location._current
        if where is not None:
            text = f"{where.line}\0{where.col}\0{where.file}"
        else:
            text = f"0\0\0{getattr(budget, 'filename', '')}"
        data = text.encode("utf-8", "replace")[: _PROGRESS_BYTES - 2]
        progress[2 : 2 + len(data)] = data
        progress[:2] = len(data).to_bytes(2, "little")

    interpreter.progress_hook = report


class _Capture:
    """A text stream that keeps what is written, and answers ``isatty`` / ``fileno`` / ``encoding`` like the
    stream it stands in for (the table is coloured and sized for the terminal the parent will write to)."""

    def __init__(self, like):
        import io

        self._like = like
        self._buffer = io.BytesIO()
        self.encoding = getattr(like, "encoding", None) or "utf-8"
        self.errors = getattr(like, "errors", None) or "strict"
        self.buffer = self._buffer

    def write(self, text: str) -> int:
        self._buffer.write(text.encode(self.encoding, self.errors))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self._like.isatty()

    def fileno(self) -> int:
        return self._like.fileno()

    def writable(self) -> bool:
        return True

    def getvalue(self) -> bytes:
        return self._buffer.getvalue()

    def discard(self) -> None:
        self._buffer = fresh = type(self._buffer)()
        self.buffer = fresh
