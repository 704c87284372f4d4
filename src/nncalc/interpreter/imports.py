"""``import`` and ``from … import``: names resolve to the host modules the caller gave, or to :class:`Unknown`.

Nothing is ever imported. ``import torch.nn as nn`` binds ``modules["torch.nn"]``; ``import torch.nn`` binds
``modules["torch"]``; ``from torch import nn`` reads ``nn`` from ``modules["torch"]`` or takes
``modules["torch.nn"]``. Otherwise the interpreter's :class:`~nncalc.interpreter.project.ProjectLoader`
(when there is one) reads the user's own modules and library sources (relative imports included); a module
nobody provides and no file holds (``os``, ``matplotlib``) is an Unknown.
"""

from __future__ import annotations

import ast
import types

from nncalc.errors import NncalcError, UnsupportedSyntax
from nncalc.interpreter.core import node_location
from nncalc.interpreter.safety import PRIVATE, check_value
from nncalc.interpreter.unknown import Unknown


class PackageView(types.ModuleType):
    """A package the caller provides only submodules of (``tensorflow`` when only ``tensorflow.keras`` is
    given): its attributes are those submodules."""

    _nncalc_package = True

    def __init__(self, interp, name: str, origin):
        super().__init__(name)
        object.__setattr__(self, "_interp", interp)
        object.__setattr__(self, "_origin", origin)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        full = f"{self.__name__}.{name}"
        return _resolve(self._interp, full, self._origin, full, f"import {full}")


def _provided(interp, name: str):
    value = interp.modules.get(name)
    if value is None and interp.provider is not None and interp.provide(name.partition(".")[0]):
        value = interp.modules.get(name)
    return value


def _has_submodules(interp, name: str) -> bool:
    prefix = name + "."
    return any(key.startswith(prefix) and value is not None for key, value in interp.modules.items())


def _resolve(interp, name: str, origin, bound: str, source: str):
    value = _provided(interp, name)
    if value is not None:
        return value
    if _has_submodules(interp, name):
        return PackageView(interp, name, origin)
    module = _read(interp, name, origin)
    if module is not None:
        return module
    root = name.partition(".")[0]
    if interp.loader is not None and root in MODEL_LIBRARIES:  # not found in any library folder
        package = MODEL_LIBRARIES[root]
        return Unknown(bound, origin, name, source=source,
                       reason=f"which is not installed here (nncalc reads {root}'s source, never imports it)",
                       fix=f"install its source with `pip install --no-deps {package}`, or pass --source-path with "
                       f"a folder or wheel of it")
    return Unknown(bound, origin, name, source=source)


MODEL_LIBRARIES = {
    "torchvision": "torchvision", "timm": "timm", "transformers": "transformers", "einops": "einops",
    "torchaudio": "torchaudio", "segmentation_models_pytorch": "segmentation-models-pytorch",
    "efficientnet_pytorch": "efficientnet-pytorch", "pretrainedmodels": "pretrainedmodels", "kornia": "kornia",
    "vit_pytorch": "vit-pytorch", "diffusers": "diffusers", "open_clip": "open-clip-torch",
    "torch_geometric": "torch-geometric", "keras_hub": "keras-hub", "keras_cv": "keras-cv", "keras_nlp": "keras-nlp",
    "ultralytics": "ultralytics",
}
"""Libraries of models whose source nncalc reads from site-packages or --source-path: an import of one that is
in neither says how to get its source (import name → package name)."""


def _read(interp, dotted: str, origin):
    """The user's module or library source ``dotted``, read by the project loader; None without one."""
    loader = interp.loader
    if loader is None or not dotted:
        return None
    if dotted.partition(".")[0] in interp.host_roots:
        from nncalc.interpreter.project import hosted_source

        if not hosted_source(dotted):
            return None
    try:
        return loader.load(interp, dotted, origin)
    except NncalcError as err:
        raise err.attach(origin)


def absolute(interp, module: str, frame) -> str:
    """``module`` as written (``.unet_parts``, ``..ops.misc``) made absolute for the importing file."""
    if not module.startswith("."):
        return module
    level = len(module) - len(module.lstrip("."))
    loader = interp.loader
    if loader is None:
        return module
    package = frame.globals.get("__package__") if frame is not None and frame.globals is not interp.namespace else None
    if package is None:
        package = loader.main_package
    return loader.resolve(module[level:], level, package)


def import_module(interp, name: str, node, wanted: str | None = None, bound: str | None = None):
    """The value ``import name`` binds. ``wanted`` is the full dotted name of ``import a.b.c`` (binds ``a``);
    ``bound`` the name the statement binds (for an Unknown's messages)."""
    origin = node_location(interp, node)
    bound = bound or name
    source = _statement(node, wanted or name)
    if name.startswith("."):
        return Unknown(bound, origin, name, source=source)
    if wanted and wanted != name and _provided(interp, name) is None and not _has_submodules(interp, name):
        module = _read(interp, wanted, origin)
        if module is not None:
            return interp.loader.modules[name]
    value = _resolve(interp, name, origin, bound, source)
    if isinstance(value, Unknown) and wanted and wanted != name and _provided(interp, wanted) is not None:
        return PackageView(interp, name, origin)
    return value


def import_from(interp, module: str, name: str, node, bound: str | None = None):
    """The value ``from module import name`` binds. A host error raised while reading the name (a framework
    namespace's "has no attribute 'Conv2d'; did you mean 'Conv2D'?") passes through at the import."""
    origin = node_location(interp, node)
    bound = bound or name
    full = f"{module}.{name}"
    source = _statement(node, name)
    if module.startswith("."):
        return Unknown(bound, origin, module, source=source)
    read = None if _provided(interp, module) is not None else _read(interp, module, origin)
    if read is not None:
        return _from_read(interp, read, module, name, origin)
    provided = _provided(interp, module)
    if provided is not None:
        shown = (*(getattr(provided, "__all__", None) or ()), *getattr(provided, "__dict__", {}).get(PRIVATE, ()))
        if not name.startswith("_") or name in shown:
            try:
                value = getattr(provided, name)
            except NncalcError as err:
                submodule = _provided(interp, full)  # `from keras.src.ops import operation_utils`
                if submodule is not None:
                    return submodule
                raise err.attach(origin)
            except AttributeError:
                pass
            else:
                return _checked(interp, value, node)
        submodule = _provided(interp, full)
        if submodule is not None:
            return submodule
        missing = f"nncalc's `{module}` has no `{name}`{_suggestion(provided, name)}"
        interp.warn(f"{missing}; it is treated as unknown", origin)
        return Unknown(bound, origin, module, source=source, reason=f"but {missing}")
    return _resolve(interp, full, origin, bound, source)


def _from_read(interp, module, dotted: str, name: str, origin):
    """``from dotted import name`` of a module nncalc read: a name it defines, else a submodule."""
    if name in module.__dict__:
        return module.__dict__[name]
    try:
        return getattr(module, name)  # a library package's lazily read star-import
    except AttributeError:
        pass
    submodule = _read(interp, f"{dotted}.{name}", origin)
    if submodule is not None:
        return submodule
    partly = " (most likely due to a circular import)" if dotted in interp.loader.running else ""
    raise ImportError(f"cannot import name '{name}' from '{dotted}'{partly}")


def _suggestion(provided, name: str) -> str:
    try:
        names = [n for n in dir(provided) if not n.startswith("_")]
    except Exception:  # noqa: BLE001 - a suggestion is optional
        return ""
    import difflib  # lazily: only an error message needs it

    close = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _statement(node, name: str) -> str:
    """The import of ``name`` as written (``from mylib import cfg as c``), for an Unknown's messages."""
    alias = next((a for a in node.names if a.name == name), None)
    written = name if alias is None or not alias.asname else f"{name} as {alias.asname}"
    if isinstance(node, ast.ImportFrom):
        return f"from {'.' * node.level}{node.module or ''} import {written}"
    return f"import {written}"


def import_star(interp, module: str, node):
    """The (name, value) pairs ``from module import *`` binds."""
    origin = node_location(interp, node)
    source = None if module.startswith(".") else _provided(interp, module)
    if source is None and not module.startswith("."):
        read = _read(interp, module, origin)
        if read is not None:
            names = read.__dict__.get("__all__")
            if names is None:
                return [(n, v) for n, v in list(read.__dict__.items()) if not n.startswith("_")]
            return [(n, read.__dict__[n]) for n in names if isinstance(n, str) and n in read.__dict__]
    if source is None:
        unknown = Unknown(module, origin, module, source=f"from {module} import *")
        interp.unknown_star.append(unknown)
        interp.warn(f"`from {module} import *`: nncalc does not know `{module}`; names it would define are unknown", origin)
        return []
    names = getattr(source, "__all__", None)
    if names is None:
        names = [n for n in dir(source) if not n.startswith("_")]
    pairs = []
    for name in names:
        try:
            pairs.append((name, check_value(interp, getattr(source, name))))
        except (AttributeError, UnsupportedSyntax):
            continue
    return pairs


def _checked(interp, value, node):
    try:
        return check_value(interp, value)
    except UnsupportedSyntax as err:
        err.attach(node_location(interp, node))
        raise
