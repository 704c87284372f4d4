"""Library sources in a ``.whl`` (``pip download --no-deps torchvision``): its Python files, unpacked once into
nncalc's cache folder and read from there like any library folder. Only ``.py`` files are unpacked, each
within the module size limit, never outside the wheel's own folder."""

from __future__ import annotations

import hashlib
import os
import zipfile

from nncalc import result_cache
from nncalc.errors import InputError
from nncalc.result_cache import cache_folder

MAX_WHEEL_FILES = 20_000
MAX_FILE_BYTES = 10 * 1024 * 1024


def unpacked_wheel(path: str) -> str:
    """The folder holding ``path``'s Python files (unpacked on first use; keyed by the wheel's size, time and
    name)."""
    result_cache.note_file_by_time(path)
    info = os.stat(path)
    key = hashlib.sha256(f"{os.path.realpath(path)}|{info.st_size}|{info.st_mtime_ns}".encode()).hexdigest()[:16]
    target = os.path.join(cache_folder(), "wheels", f"{os.path.basename(path)[:60]}-{key}")
    done = os.path.join(target, ".complete")
    if os.path.exists(done):
        return target
    try:
        with zipfile.ZipFile(path) as wheel:
            members = [m for m in wheel.infolist() if m.filename.endswith(".py")]
            if len(members) > MAX_WHEEL_FILES:
                raise InputError(f"{path}: more than {MAX_WHEEL_FILES:,} Python files; nncalc reads smaller wheels")
            for member in members:
                name = os.path.normpath(member.filename)
                if name.startswith(("..", os.sep)) or os.path.isabs(name) or member.file_size > MAX_FILE_BYTES:
                    continue
                destination = os.path.join(target, name)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                with wheel.open(member) as source, open(destination, "wb") as out:
                    out.write(source.read(MAX_FILE_BYTES + 1))
    except (OSError, zipfile.BadZipFile) as err:
        raise InputError(f"{path}: not a readable wheel ({err})") from None
    with open(done, "w") as marker:
        marker.write(path)
    return target
