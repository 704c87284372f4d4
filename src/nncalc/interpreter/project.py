"""Imports of the user's own modules and of library sources: read and interpreted like the main file, never
imported or executed.

A :class:`ProjectLoader` resolves ``import models.resnet``, ``from .unet_parts import *`` and
``from ..ops.misc import MLP`` to files under the project root (the nearest folder upward from the main
file holding ``pyproject.toml``, ``setup.py``, ``setup.cfg`` or ``.git``, else the file's folder), and names
no module of nncalc's own provides (``torchvision``, ``timm``) to their source in the library paths
(site-packages, ``--source-path`` folders). Nothing outside those folders is ever read: a path that leaves
them (through ``..`` or a symlink) is refused, and only regular files within the size limit are read.

Each module is read once per run. It is registered before it runs, so an import cycle sees the partially
initialised module, as in Python. Modules run in script mode: a statement that fails is skipped and what
it binds is unknown (``nncalc.interpreter.script``).
"""

from __future__ import annotations

import os
import re
import types
import weakref

from nncalc import result_cache
from nncalc.errors import InputError, Location

MAX_MODULE_BYTES = 10 * 1024 * 1024
ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

NOT_MODEL_LIBRARIES = frozenset(
    """
    torch keras tf_keras numpy
    matplotlib pandas sklearn scipy PIL cv2 tqdm wandb tensorboard tensorboardX seaborn requests urllib3 yaml
    h5py tensorflow tensorflow_datasets tensorflow_hub jax jaxlib flax optax torchinfo torchsummary fvcore
    ptflops thop hydra omegaconf absl IPython ipywidgets plotly bokeh sympy numba pyarrow datasets
    huggingface_hub tokenizers sentencepiece accelerate deepspeed apex lightning_fabric mlflow comet_ml
    neptune ray optuna albumentations imgaug skimage imageio nltk spacy gensim rich click typer pytest
    setuptools pkg_resources importlib_metadata packaging six future pydantic attr attrs dataclasses_json
    psutil GPUtil pynvml boto3 google onnx onnxruntime tensorrt triton safetensors fsspec filelock
    regex json5 toml tomli termcolor colorama tabulate prettytable joblib dill cloudpickle pyyaml
    """.split()
)
"""Installed packages never read as library sources: they hold data handling, plotting, logging or tooling,
not models (what a script takes from them is unknown, as it always was)."""

HOSTED_SOURCES = ("keras.src.applications",)
"""Packages of a framework nncalc stands in for that are nevertheless read from the library's source: Keras's
model zoo, whose ``keras.src`` imports resolve to nncalc's symbolic Keras
(:mod:`nncalc.frameworks.keras.applications`)."""


def hosted_source(dotted: str) -> bool:
    """Is ``dotted`` in (or one of) :data:`HOSTED_SOURCES`?"""
    return any(dotted == package or dotted.startswith(package + ".") for package in HOSTED_SOURCES)


def project_root(path: str) -> str:
    """The nearest folder upward from ``path`` holding a project marker, else ``path``'s folder."""
    start = os.path.dirname(os.path.abspath(path))
    folder = start
    while True:
        result_cache.note_folder(folder)
        if any(os.path.exists(os.path.join(folder, marker)) for marker in ROOT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent


def site_packages() -> list[str]:
    """This environment's library folders (found by path; nothing is imported)."""
    import sysconfig

    paths = []
    for key in ("purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path and path not in paths and os.path.isdir(path):
            paths.append(path)
    return paths


def source_paths(given: list[str] | None = None) -> list[str]:
    """``--source-path`` folders and wheels, then ``NNCALC_SOURCE_PATH`` (``os.pathsep``-separated), then
    site-packages."""
    paths = list(given or [])
    paths += [p for p in os.environ.get("NNCALC_SOURCE_PATH", "").split(os.pathsep) if p]
    return paths + site_packages()


_LAZY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""A library package → (its loader, the submodules its ``__init__`` star-imports, read when first needed)."""
_LAZY_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""A library package → {name: (submodule, name in it)} its ``__init__`` imports, read when first needed."""
_LOADERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Each module read → its loader."""
MISSING = object()
_REGISTERED = re.compile(r"""register_model\(\s*name\s*=\s*['"]([A-Za-z_]\w*)['"]""")
_DEFINITION = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)", re.M)
_ALL = re.compile(r"^__all__\s*(?:\+)?=\s*[\[(]([^\])]*)[\])]", re.M)


class UserModule(types.ModuleType):
    """A module of the project or of a library source, interpreted by nncalc. Its globals are its
    ``__dict__``, as in Python. A library package's ``from .sub import *`` lines are read lazily: a name
    the package does not have yet is looked up in those submodules' source, and only the one defining it is
    read (``import timm`` does not read timm's hundred model files)."""

    _nncalc_user_module = True

    def __getattr__(self, name: str):
        names = _LAZY_NAMES.get(self)
        if names is not None and name in names:
            from nncalc.interpreter import limits

            dotted, original = names.pop(name)
            loader = _LAZY[self][0] if self in _LAZY else _LOADERS.get(self)
            module = loader.load(limits._active, dotted, None) if loader is not None else None
            if module is not None:
                try:
                    value = module.__dict__[original] if original in module.__dict__ else getattr(module, original)
                except AttributeError:  # `from .utils import logging`: the submodule, as Python's import does
                    value = loader.load(limits._active, f"{dotted}.{original}", None)
                if value is not None:
                    self.__dict__[name] = value  # over the submodule of the same name, as Python's import does
                    return value
        lazy = _LAZY.get(self)
        if lazy is not None and not name.startswith("__"):
            loader, submodules = lazy
            for dotted in list(submodules):
                if name in loader.names_defined(dotted):
                    from nncalc.interpreter import limits

                    module = loader.load(limits._active, dotted, None)
                    if module is not None and name in module.__dict__:
                        self.__dict__[name] = module.__dict__[name]
                        return module.__dict__[name]
        raise AttributeError(f"module '{self.__name__}' has no attribute '{name}'")

    def __repr__(self) -> str:
        return f"<module {self.__name__!r} (read by nncalc)>"


class LazySubmodule:
    """A library package's submodule bound by its ``__init__`` (``from . import datasets``) but read only when
    something of it is used."""

    _nncalc_user_module = True
    __nncalc_mutable__ = False

    def __init__(self, loader: "ProjectLoader", dotted: str):
        object.__setattr__(self, "_loader", loader)
        object.__setattr__(self, "_dotted", dotted)

    def _module(self):
        from nncalc.interpreter import limits

        return self._loader.load(limits._active, self._dotted, None)

    def __getattr__(self, name: str):
        if name.startswith("__") and name not in ("__all__", "__name__", "__file__", "__path__", "__doc__"):
            raise AttributeError(name)
        module = self._module()
        if module is None:
            raise AttributeError(name)
        return getattr(module, name)

    def __repr__(self) -> str:
        return f"<module {self._dotted!r} (read by nncalc when used)>"


class ProjectLoader:
    """Finds and reads the modules a file imports (see the module docstring)."""

    def __init__(self, main_file: str, root: str | None = None, libraries=None, hosted_only: bool = False):
        """``libraries``: the library folders, or a function giving them when first needed (default
        :func:`source_paths`)."""
        self.hosted_only = hosted_only
        """Read nothing but :data:`HOSTED_SOURCES` (a snippet given as text has no project to read from)."""
        self.main_file = os.path.realpath(main_file)
        self.root = os.path.realpath(root or project_root(main_file))
        self.main_dir = os.path.dirname(self.main_file)
        self._given_libraries = libraries
        self._libraries: list[str] | None = None
        self.modules: dict[str, UserModule] = {}
        self.running: set[str] = set()
        self._names: dict[str, frozenset] = {}
        self._index: dict[str, dict[str, str]] = {}
        """Modules being read right now (an import of one of them is a cycle)."""
        self.main_package = self._package_of(self.main_file)

    @property
    def libraries(self) -> list[str]:
        """The library folders, found when first needed (a file that imports nothing from a library never
        looks for site-packages)."""
        if self._libraries is None:
            self._libraries = []
            given = self._given_libraries
            for path in given() if callable(given) else given if given is not None else source_paths():
                real = os.path.realpath(path)
                if path.endswith(".whl") and os.path.isfile(real):
                    from nncalc.interpreter.wheels import unpacked_wheel

                    real = unpacked_wheel(real)
                if real and os.path.isdir(real) and real not in self._libraries:
                    self._libraries.append(real)
        return self._libraries

    # ----- finding ------------------------------------------------------------------------------------------
    def _package_of(self, path: str) -> str:
        """The dotted package a file of the project sits in (``models.unet`` for root/models/unet/x.py)."""
        folder = os.path.dirname(path)
        if not _inside(folder, self.root):
            return ""
        relative = os.path.relpath(folder, self.root)
        return "" if relative == "." else relative.replace(os.sep, ".")

    def bases(self, dotted: str) -> list[tuple[str, bool]]:
        """Folders to look in for ``dotted``, each with whether it is a library folder."""
        if hosted_source(dotted):
            return [(path, True) for path in self.libraries]
        if self.hosted_only:
            return []
        out = [(self.main_dir, False)]
        if self.root != self.main_dir:
            out.append((self.root, False))
        if dotted.partition(".")[0] not in NOT_MODEL_LIBRARIES:
            out += [(path, True) for path in self.libraries]
        return out

    def find(self, dotted: str) -> tuple[str | None, str] | None:
        """``(file, folder)`` for a module or package (file None for a folder without ``__init__.py``)."""
        parts = dotted.split(".")
        if not all(part.isidentifier() for part in parts):
            return None
        for base, library in self.bases(dotted):
            target = os.path.join(base, *parts)
            result_cache.note_folder(os.path.dirname(target))
            result_cache.note_folder(target)
            for candidate, folder in ((os.path.join(target, "__init__.py"), target), (target + ".py", None)):
                if os.path.isfile(candidate):
                    return self._checked(candidate, base), folder or os.path.dirname(candidate)
            if not library and os.path.isdir(target) and _inside(os.path.realpath(target), self.root):
                return None, target
        return None

    def _checked(self, path: str, base: str) -> str:
        real = os.path.realpath(path)
        allowed = [self.root, *self.libraries]
        if not any(_inside(real, folder) for folder in allowed):
            raise InputError(f"{path}: leaves the project root {self.root} (through a symlink); nncalc reads "
                             "nothing outside the project and the library folders")
        return real

    def is_library(self, path: str) -> bool:
        return any(_inside(path, folder) for folder in self.libraries) and not _inside(path, self.root)

    def defer(self, owner: UserModule, dotted: str, name: str, bound: str | None = None):
        """In a library package's ``__init__``, its own submodules wait until first used: ``from .sub import *``
        (True: the names are looked up later), ``from .sub import name`` (True: ``name`` is read from ``sub``
        when first looked up) and ``from . import sub`` (a :class:`LazySubmodule` to bind). None: import now."""
        path = owner.__dict__.get("__file__") or ""
        if not (path.endswith("__init__.py") and self.is_library(path)):
            return None
        package = owner.__name__
        if name == "*":
            if not dotted.startswith(package + "."):
                return None
            _LAZY.setdefault(owner, (self, []))[1].append(dotted)
            return True
        full = f"{dotted}.{name}"
        if dotted == package and full not in self.modules and self.find(full) is not None:
            return LazySubmodule(self, full)
        if dotted.startswith(package + ".") and dotted not in self.modules:
            _LAZY_NAMES.setdefault(owner, {})[bound or name] = (dotted, name)
            return True
        return None

    def lazy_global(self, globals_: dict, name: str):
        """A name a library package's ``__init__`` imports lazily (``from .sub import name``), read now; or
        :data:`MISSING`."""
        owner = self.modules.get(globals_.get("__name__"))
        if owner is None or owner.__dict__ is not globals_:
            return MISSING
        try:
            return owner.__getattr__(name)
        except AttributeError:
            return MISSING

    def names_defined(self, dotted: str) -> frozenset:
        """The top-level names a module's source defines (functions, classes, assignments, ``__all__``), read
        from its text without running it (cached per run)."""
        names = self._names.get(dotted)
        if names is None:
            found = self.find(dotted)
            names = frozenset()
            if found is not None and found[0] is not None:
                text = read_module(found[0])
                names = {a or b for a, b in _DEFINITION.findall(text)}
                for block in _ALL.findall(text):
                    names.update(re.findall(r"['\"]([A-Za-z_]\w*)['\"]", block))
                names = frozenset(names)
            self._names[dotted] = names
        return names

    def module_defining(self, package: str, name: str) -> str | None:
        """The module under ``package`` (searched through its subpackages) whose source defines the function
        or class ``name``: how a model registry finds a builder it has not read yet."""
        index = self._index.get(package)
        if index is None:
            index = self._index[package] = {}
            found = self.find(package)
            folder = found[1] if found is not None else None
            for base, _, files in os.walk(folder) if folder else ():
                result_cache.note_folder(base)
                for file in sorted(files):
                    if not file.endswith(".py") or file == "__init__.py":
                        continue
                    relative = os.path.relpath(os.path.join(base, file[:-3]), folder).replace(os.sep, ".")
                    dotted = f"{package}.{relative}"
                    text = read_module(os.path.join(base, file))
                    for match in re.finditer(r"^def\s+([A-Za-z_]\w*)\s*\(", text, re.M):
                        index.setdefault(match.group(1), dotted)
                    for match in _REGISTERED.finditer(text):  # @register_model(name="quantized_resnet18")
                        index.setdefault(match.group(1), dotted)
        return index.get(name)

    def resolve(self, name: str, level: int, package: str) -> str:
        """The absolute dotted name of ``from <level dots><name> import …`` inside ``package``."""
        if level == 0:
            return name
        parts = package.split(".") if package else []
        if level == 1 and not parts:
            return name  # the main file at the root: its siblings, as if its folder were the package
        if level > len(parts):
            raise ImportError("attempted relative import beyond top-level package")
        base = parts[: len(parts) - (level - 1)]
        return ".".join([*base, name] if name else base)

    # ----- reading ------------------------------------------------------------------------------------------
    def load(self, interp, dotted: str, origin: Location | None) -> UserModule | None:
        """The module ``dotted`` (its parent packages first), read and run once; None when not found."""
        if dotted in self.modules:
            return self.modules[dotted]
        parent = None
        head, _, tail = dotted.rpartition(".")
        if head and (hosted_source(head) or not hosted_source(dotted)):  # never keras.src itself
            parent = self.load(interp, head, origin)
            if parent is None:
                return None
            if dotted in self.modules:  # the parent's __init__ read it
                return self.modules[dotted]
            if tail in parent.__dict__ and isinstance(parent.__dict__[tail], UserModule):
                return parent.__dict__[tail]
        found = self.find(dotted)
        if found is None:
            return None
        path, folder = found
        module = UserModule(dotted)
        _LOADERS[module] = self
        module.__dict__.update(__file__=path or folder, __package__=dotted if path is None or path.endswith(
            "__init__.py") else head, __path__=[folder])
        self.modules[dotted] = module
        interp.module_ids = interp.module_ids | {id(module)}
        if parent is not None:
            if isinstance(parent.__dict__.get(tail), LazySubmodule):
                del parent.__dict__[tail]
            if tail not in _LAZY_NAMES.get(parent, ()):  # `from .x import x` binds the function, not the module
                parent.__dict__.setdefault(tail, module)
        if path is not None:
            library = self.is_library(path)
            text = read_module(path)
            self.running.add(dotted)
            try:
                interp.run_module(module, text, path, cache=library)
            finally:
                self.running.discard(dotted)
            from nncalc.interpreter.library_hooks import after_load

            after_load(self, module)
        return module


def read_module(path: str) -> str:
    """A module's text: a regular file within the size limit, read with a bounded read (see
    :func:`nncalc.reading.read_regular_file`: no pipe, device or ``/proc`` file, no link to one)."""
    from nncalc.reading import read_regular_file

    data = read_regular_file(path, MAX_MODULE_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte {err.start})") from None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)

