"""``import os`` for user code: the parts that are pure computation, and unknowns for the outside world.

Path arithmetic (``os.path.join``, ``basename``, ``splitext`` …) and ``os.sep`` are real. The environment is
the one a fresh process gets from nncalc: empty — ``os.environ.get("TIMM_FUSED_ATTN")`` is None,
``"X" in os.environ`` is False — and what the file itself sets (``os.environ["KERAS_BACKEND"] = "torch"``)
is seen by its later reads. The file system (``os.listdir``, ``os.path.exists``, ``os.makedirs`` …), the
process and the machine are :class:`Unknown`: nothing is ever read or written.
"""

from __future__ import annotations

import posixpath

from nncalc.interpreter.unknown import Unknown

PURE_PATH = ("join", "basename", "dirname", "split", "splitext", "normpath", "isabs", "commonprefix")
WORLD_PATH = ("exists", "isfile", "isdir", "islink", "getsize", "getmtime", "abspath", "realpath", "expanduser",
              "expandvars", "relpath", "samefile", "lexists")


def _outside(qualname: str, what: str):
    def function(*args, **kwargs):
        return Unknown(f"{qualname}(...)", root="os", reason=f"{what}, which nncalc never reads")

    function.__name__ = qualname.rpartition(".")[2]
    return function


class Environ(dict):
    """``os.environ`` for one run: empty at the start, holding what the file sets."""

    __nncalc_mutable__ = False


class _Namespace:
    __nncalc_mutable__ = False

    def __init__(self, name: str, members: dict):
        self.__dict__.update(members)
        self._name = name

    def __getattr__(self, attr: str):
        if attr.startswith("_"):
            raise AttributeError(attr)
        return _outside(f"{self._name}.{attr}", "the machine nncalc runs on")

    def __repr__(self) -> str:
        return f"<module {self._name!r} (nncalc)>"


def _pure(name: str):
    real = getattr(posixpath, name)

    def function(*args):
        from nncalc.interpreter.limits import active_budget

        budget = active_budget()
        budget.check_text(sum(len(a) for a in args if isinstance(a, str)))
        return real(*args)

    function.__name__ = name
    return function


def os_namespace() -> dict:
    """A fresh ``os`` for one run (its ``environ`` starts empty)."""
    path = {name: _pure(name) for name in PURE_PATH}
    path.update({name: _outside(f"os.path.{name}", "the file system") for name in WORLD_PATH})
    path.update(sep="/", pathsep=":", extsep=".", curdir=".", pardir="..")
    environ = Environ()

    def getenv(key, default=None):
        return environ.get(key, default)

    members = {
        "path": _Namespace("os.path", path), "environ": environ, "getenv": getenv, "sep": "/", "linesep": "\n",
        "pathsep": ":", "curdir": ".", "pardir": "..", "name": "posix", "devnull": "/dev/null",
    }
    for name in ("listdir", "scandir", "walk", "stat", "getcwd", "makedirs", "mkdir", "remove", "unlink", "rename",
                 "replace", "rmdir", "removedirs", "chdir", "symlink", "system", "popen", "cpu_count", "getpid",
                 "urandom", "access", "chmod", "fspath"):
        members[name] = _outside(f"os.{name}", "the file system or the process")
    return members
