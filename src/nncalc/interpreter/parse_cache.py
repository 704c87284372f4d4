"""A disk cache of parsed library modules: reading torchvision or timm again skips Python's parser.

An entry is the prepared syntax tree of one file, keyed by the file's real path, size and modification time,
nncalc's version and Python's. It is only ever *loaded* with an unpickler that can build nothing but syntax
tree nodes and nncalc's :class:`~nncalc.errors.Location`: a corrupt, foreign or tampered entry fails to load
and is ignored (the file is parsed again), never trusted. Only library sources are cached, never the user's
own files. Writes are atomic (a temporary file renamed into place).
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import io
import os
import pickle
import sys

from nncalc.errors import Location

FORMAT = 1
_ALLOWED_BUILTINS = frozenset({"Ellipsis", "complex", "frozenset", "set", "slice", "bytes", "NotImplemented"})


class _TreeUnpickler(pickle.Unpickler):
    """Builds syntax tree nodes, locations and plain constants; anything else is refused."""

    def find_class(self, module: str, name: str):
        if module == "ast":
            value = getattr(ast, name, None)
            if isinstance(value, type) and issubclass(value, ast.AST):
                return value
        elif module == "nncalc.errors" and name == "Location":
            return Location
        elif module == "builtins" and name in _ALLOWED_BUILTINS:
            return getattr(builtins, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a syntax tree")


def _folder() -> str:
    from nncalc.result_cache import cache_folder

    return os.path.join(cache_folder(), "trees")


def _key(path: str) -> tuple[str, bytes]:
    from nncalc import __version__

    info = os.stat(path)
    identity = f"{FORMAT}|{__version__}|{sys.version_info[:3]}|{os.path.realpath(path)}|{info.st_size}|{info.st_mtime_ns}"
    return hashlib.sha256(identity.encode()).hexdigest(), identity.encode()


def load(path: str):
    """The cached tree of ``path``, or None (missing, stale, corrupt or not a tree)."""
    try:
        digest, identity = _key(path)
        with open(os.path.join(_folder(), digest[:2], digest), "rb") as handle:
            data = handle.read()
        header, _, body = data.partition(b"\n")
        if header != identity:
            return None
        tree = _TreeUnpickler(io.BytesIO(body)).load()
    except Exception:  # noqa: BLE001 - any problem with an entry means: parse the file again
        return None
    return tree if isinstance(tree, ast.Module) else None


def store(path: str, tree: ast.Module) -> None:
    """Remember ``tree`` for ``path`` (best effort: a cache that cannot be written is simply not used)."""
    try:
        digest, identity = _key(path)
        folder = os.path.join(_folder(), digest[:2])
        os.makedirs(folder, exist_ok=True)
        temporary = os.path.join(folder, f".{digest}.{os.getpid()}")
        with open(temporary, "wb") as handle:
            handle.write(identity + b"\n")
            pickle.dump(tree, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, os.path.join(folder, digest))
    except (OSError, pickle.PicklingError, RecursionError):
        pass
