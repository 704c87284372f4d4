"""``import`` and ``from … import``: names resolve to the host modules the caller gave, or to :class:`Unknown`.

Nothing is ever imported. ``import torch.nn as nn`` binds ``modules["torch.nn"]``; ``import torch.nn`` binds
``modules["torch"]``; ``from torch import nn`` reads ``nn`` from ``modules["torch"]`` or takes
``modules["torch.nn"]``. A module nobody provides (``torchvision``, ``os``, relative imports) is an Unknown.
"""

from __future__ import annotations

import types

from nncalc.errors import UnsupportedSyntax
from nncalc.interpreter.core import node_location
from nncalc.interpreter.safety import check_value
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
        return _resolve(self._interp, f"{self.__name__}.{name}", self._origin)


def _provided(interp, name: str):
    return interp.modules.get(name)


def _has_submodules(interp, name: str) -> bool:
    prefix = name + "."
    return any(key.startswith(prefix) and value is not None for key, value in interp.modules.items())


def _resolve(interp, name: str, origin, root: str | None = None):
    value = _provided(interp, name)
    if value is not None:
        return value
    if _has_submodules(interp, name):
        return PackageView(interp, name, origin)
    return Unknown(name, origin, root)


def import_module(interp, name: str, node, wanted: str | None = None):
    """The value ``import name`` binds. ``wanted`` is the full dotted name of ``import a.b.c`` (binds ``a``)."""
    origin = node_location(interp, node)
    if name.startswith("."):
        return Unknown(name, origin)
    value = _resolve(interp, name, origin)
    if isinstance(value, Unknown) and wanted and wanted != name and _provided(interp, wanted) is not None:
        return PackageView(interp, name, origin)
    return value


def import_from(interp, module: str, name: str, node):
    """The value ``from module import name`` binds."""
    origin = node_location(interp, node)
    full = f"{module}.{name}"
    if module.startswith("."):
        return Unknown(full, origin, module)
    source = _provided(interp, module)
    if source is not None:
        if not name.startswith("_") or name in (getattr(source, "__all__", None) or ()):
            try:
                value = getattr(source, name)
            except AttributeError:
                pass
            else:
                return _checked(interp, value, node)
        submodule = _provided(interp, full)
        if submodule is not None:
            return submodule
        interp.warn(f"nncalc's `{module}` has no `{name}`; it is treated as unknown", origin)
        return Unknown(full, origin, module)
    return _resolve(interp, full, origin, module)


def import_star(interp, module: str, node):
    """The (name, value) pairs ``from module import *`` binds."""
    origin = node_location(interp, node)
    source = None if module.startswith(".") else _provided(interp, module)
    if source is None:
        unknown = Unknown(module, origin)
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
