"""Replaying an analysis whose inputs have not changed: ``nncalc summary model.py`` run a second time prints
what the first run printed, without reading the model again.

An entry is keyed by everything the output can depend on besides files: the command line, the working
folder, the output's terminal (width, colour), the environment variables nncalc or its output reads, the Python
running it and nncalc's own source (each file's size and time). It records what the analysis read: every file
(with a hash of its bytes) and every folder it looked in for a module (with its time, which changes when a file
is added or removed there). It is replayed only when each of them is as recorded; a run that read standard
input, executed the file (``--run``) or ended on an error other than a shape error is not stored. Only
``summary`` and ``explain`` are replayed.

``NNCALC_NO_CACHE=1`` or ``--no-cache`` turns it off. The cache keeps the most recent :data:`MAX_ENTRIES`.
This module is the first thing the command line imports: it uses nothing but ``os``, ``sys`` and ``_blake2``.
"""

from __future__ import annotations

import os
import sys

FORMAT = b"nncalc-result 1"
MAX_ENTRIES = 500
COMMANDS = ("summary", "explain")
NOT_REPLAYED = frozenset(("--run", "--no-cache", "-h", "--help", "--version"))
"""Options whose runs are never stored: they execute the file, ask for no cache, or print no analysis."""
ENVIRONMENT = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "LANG", "LANGUAGE", "HOME")
ENVIRONMENT_PREFIXES = ("NNCALC_", "LC_", "PYTHON", "KERAS_", "XDG_")
STORED_EXITS = (0, 1)
"""A model read (0) or a shape error found (1): what the same inputs always give again. Refusals (2) are not
stored: some come from a time or memory limit."""

_recorded: dict | None = None
"""While an analysis runs under the cache: ``(kind, path) → stamp`` of what it read: "f" a file (a hash of its
bytes), "s" a file by its size and time (a wheel), "d" a folder (its time)."""
_unrepeatable = False
"""Set when the analysis read something that cannot be checked again (standard input)."""


def cache_folder() -> str:
    """``$NNCALC_CACHE``, else ``$XDG_CACHE_HOME/nncalc``, else ``~/.cache/nncalc``."""
    return os.environ.get("NNCALC_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "nncalc"
    )


# ----- recording, in the analysis ------------------------------------------------------------------------------
def note_file(path: str, data: bytes) -> None:
    """The analysis read ``data`` from ``path``."""
    if _recorded is not None:
        _recorded[("f", os.fspath(path))] = _digest(data)


def note_file_by_time(path: str) -> None:
    """The analysis used the file ``path`` (a wheel, too big to hash at every run) as its size and time say."""
    if _recorded is not None:
        _recorded[("s", os.fspath(path))] = _size_and_time(path)


def note_folder(path: str) -> None:
    """The analysis looked in the folder ``path`` for a file (or found it missing)."""
    if _recorded is not None and ("d", path) not in _recorded:
        _recorded[("d", path)] = _folder_stamp(path)


def note_unrepeatable() -> None:
    """The analysis read something that cannot be checked again (standard input): nothing is stored."""
    global _unrepeatable
    _unrepeatable = True


def recording(work):
    """``work()`` (an exit code) with what it reads recorded: ``(exit code, record)``, the record None when
    the run cannot be replayed."""
    global _recorded, _unrepeatable
    _recorded, _unrepeatable = {}, False
    try:
        code = work()
        record = None if _unrepeatable else tuple((kind, stamp, path) for (kind, path), stamp in _recorded.items())
        return code, record
    finally:
        _recorded = None


# ----- replaying and storing, in the command line --------------------------------------------------------------
def replayable(argv: list[str]) -> bool:
    """Can this command line be replayed (a ``summary`` or ``explain`` of a file, the cache on)?"""
    if not argv or argv[0] not in COMMANDS or os.environ.get("NNCALC_NO_CACHE", "") not in ("", "0"):
        return False
    if os.environ.get("NNCALC_IN_PROCESS") == "1":  # someone profiling or debugging an analysis
        return False
    return not any(arg in NOT_REPLAYED or arg == "-" for arg in argv)


def replay(argv: list[str]) -> int | None:
    """Print the stored output of ``argv`` and return its exit code, or None (nothing stored, or something it
    read has changed)."""
    if not replayable(argv):
        return None
    path = _entry_path(argv)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        code, out, err = _valid(data)
    except (OSError, ValueError, IndexError, KeyError):
        return None
    for stream, text in ((sys.stdout, out), (sys.stderr, err)):
        if text:
            stream.flush()
            stream.buffer.write(text)
            stream.flush()
    try:
        os.utime(path)  # recently used: kept when the cache is pruned
    except OSError:
        pass
    return code


def store(argv: list[str], code: int, record, out: bytes, err: bytes) -> None:
    """Keep the output of a finished run of ``argv`` (``record`` from :func:`recording`), if it can be
    replayed. A cache that cannot be written is no error: the next run analyses again."""
    if record is None or code not in STORED_EXITS or not replayable(argv):
        return
    lines = [FORMAT, str(code).encode(), str(len(record)).encode()]
    for kind, stamp, path in record:
        if "\n" in path:
            return
        lines.append(f"{kind} {stamp} {path}".encode("utf-8", "surrogateescape"))
    lines.append(f"{len(out)} {len(err)}".encode())
    path = _entry_path(argv)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(b"\n".join(lines) + b"\n" + out + err)
        os.replace(temporary, path)
        _prune(os.path.dirname(path))
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _valid(data: bytes) -> tuple[int, bytes, bytes]:
    """(exit code, stdout, stderr) of an entry whose every recorded input is unchanged; ValueError if not."""
    lines = data.split(b"\n", 3)
    if lines[0] != FORMAT:
        raise ValueError("not an entry")
    code, count, rest = int(lines[1]), int(lines[2]), lines[3]
    for _ in range(count):
        line, rest = rest.split(b"\n", 1)
        kind, stamp, path = line.decode("utf-8", "surrogateescape").split(" ", 2)
        if _STAMPS[kind](path) != stamp:
            raise ValueError(f"{path} changed")
    sizes, body = rest.split(b"\n", 1)
    out_size, err_size = (int(n) for n in sizes.split())
    if len(body) != out_size + err_size:
        raise ValueError("truncated")
    return code, body[:out_size], body[out_size:]


_entries: dict = {}


def _entry_path(argv: list[str]) -> str:
    """The entry's file (worked out once per process: replay looks, store writes)."""
    asked = (tuple(argv), os.getcwd())
    if asked not in _entries:
        key = repr(_key(argv)).encode("utf-8", "surrogateescape")
        _entries[asked] = os.path.join(cache_folder(), "results", _digest(key))
    return _entries[asked]


def _key(argv: list[str]) -> tuple:
    """Everything but the files read that the output depends on."""
    environment = tuple(sorted(
        (name, value) for name, value in os.environ.items()
        if name in ENVIRONMENT or name.startswith(ENVIRONMENT_PREFIXES)
    ))  # fmt: skip
    terminal = None
    try:
        if sys.stdout.isatty():
            terminal = tuple(os.get_terminal_size(sys.stdout.fileno()))
    except (AttributeError, OSError, ValueError):
        pass
    return (FORMAT, tuple(argv), os.getcwd(), environment, terminal, sys.executable, sys.version, _own_source())


def _own_source() -> tuple:
    """nncalc's own files, each with its size and time: a changed nncalc never replays an old answer."""
    stamps = []
    folders = [os.path.dirname(os.path.abspath(__file__))]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    stamps.append((entry.path, info.st_size, info.st_mtime_ns))
                elif entry.name != "__pycache__" and entry.is_dir():
                    folders.append(entry.path)
    return tuple(sorted(stamps))


def _digest(data: bytes) -> str:
    from _blake2 import blake2b

    return blake2b(data, digest_size=20).hexdigest()


def _file_stamp(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return _digest(handle.read())
    except OSError:
        return "-"


def _folder_stamp(path: str) -> str:
    try:
        return str(os.stat(path).st_mtime_ns)
    except OSError:
        return "-"


def _size_and_time(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}"


_STAMPS = {"f": _file_stamp, "s": _size_and_time, "d": _folder_stamp}


def _prune(folder: str) -> None:
    """Keep the :data:`MAX_ENTRIES` most recently used entries."""
    with os.scandir(folder) as entries:
        found = [(entry.stat().st_mtime_ns, entry.path) for entry in entries if entry.is_file()]
    if len(found) > MAX_ENTRIES:
        for _, path in sorted(found)[: len(found) - MAX_ENTRIES]:
            try:
                os.unlink(path)
            except OSError:
                pass
