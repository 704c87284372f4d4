"""Reading a model file from disk: only a regular file within the size limit, with a bounded read.

A path can name something that is not a file on disk: a named pipe (reading blocks until someone writes), a
device (``/dev/zero`` never ends), a file of ``/proc`` or ``/sys`` (its size says 0, its content is whatever the
kernel makes up, ``/proc/self/environ`` included), or a symbolic link to any of these. Each is refused by
:func:`read_regular_file` from ``os.stat`` before it is opened, checked again on the open descriptor (the path
could change in between), and read with a bounded read that refuses a file growing past what ``stat`` said.

The one exception is a stream the user hands over on purpose: ``/dev/stdin``, ``/dev/fd/N`` (a shell's
``<(…)``) or ``/proc/self/fd/N``, read with a bounded read (a process kept waiting on it is the contained
analysis's time limit's business, see :mod:`nncalc.contain`).
"""

from __future__ import annotations

import os
import stat

from nncalc import result_cache
from nncalc.errors import InputError

PYTHON_SUFFIXES = (".py", ".pyw", ".pyi", ".ipynb")
"""What a symbolic link may point to: a link named ``model.py`` that leads to ``~/.ssh/id_rsa`` would have
nncalc echo the secret's first word in its syntax error."""
_KERNEL_FILESYSTEMS = ("/proc", "/sys")
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"),
)  # fmt: skip


def read_regular_file(path: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them.

    Raises:
        InputError: naming ``path`` and what it is, for anything but a readable regular file within the limit.
    """
    if path == "/dev/stdin" or path.startswith(USER_STREAMS):
        return _read_stream(path, max_bytes)
    try:
        info = os.stat(path)
        linked = os.path.islink(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: cannot be read ({getattr(err, 'strerror', None) or err})") from None
    _check_kind(path, info, linked)
    if linked and not os.path.realpath(path).lower().endswith(PYTHON_SUFFIXES):
        raise InputError(
            f"{path}: is a symbolic link to a file that is not a Python file; nncalc follows links only to "
            ".py files (give the target's own path if you mean it)"
        )
    _check_size(path, info.st_size, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})") from None
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise InputError(f"{path}: changed while nncalc was opening it; try again")
        _check_size(path, opened.st_size, max_bytes)
        data = _read_at_most(fd, opened.st_size + 1)
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})") from None
    finally:
        os.close(fd)
    if len(data) != opened.st_size:
        raise InputError(f"{path}: changed size while nncalc read it (a file being written?); try again")
    result_cache.note_file(path, data)
    return data


USER_STREAMS = ("/dev/fd/", "/proc/self/fd/")


def _read_stream(path: str, max_bytes: int) -> bytes:
    result_cache.note_unrepeatable()
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: more than {max_bytes:,} bytes; nncalc reads model files up to that size")
    return data


def _check_kind(path: str, info: os.stat_result, linked: bool) -> None:
    via = "is a symbolic link to" if linked else "is"
    for test, kind in _KINDS:
        if test(info.st_mode):
            if kind == "a directory":
                raise InputError(f"{path}: {via} a directory; give a Python model file")
            raise InputError(f"{path}: {via} {kind}, not a regular file; nncalc reads model files from regular files only")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: {via} not a regular file; nncalc reads model files from regular files only")
    for root in _KERNEL_FILESYSTEMS:
        try:
            if os.stat(root).st_dev == info.st_dev:
                raise InputError(
                    f"{path}: {via} a file of {root}, made up by the kernel as it is read, not a model file"
                )
        except OSError:
            continue


def _check_size(path: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(f"{path}: the file is {size:,} bytes; nncalc reads model files up to {max_bytes:,}")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
