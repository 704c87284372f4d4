"""``keras.applications``: Keras's model zoo, built from Keras's own source.

nncalc has no rules of its own for ``keras.applications.ResNet50(...)``: the builder is read from Keras's
``keras/src/applications/*.py`` (in site-packages, or a Keras wheel or folder given with ``--source-path``),
found by path and interpreted like any library source — never imported. The ``keras.src`` modules those files
import are mapped here onto nncalc's symbolic Keras, so the functional graph they build is nncalc's own.
Pretrained weights never change the architecture: ``file_utils.get_file`` gives an unknown path and
``model.load_weights`` does nothing.
"""

from __future__ import annotations

from nncalc.errors import InputError
from nncalc.frameworks.common.errors import reject_unknown, unknown_value
from nncalc.frameworks.keras import names
from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.frameworks.keras.namespaces import Namespace, Opaque
from nncalc.frameworks.keras.tensor import KerasTensor

SOURCE_PACKAGE = "keras.src.applications"
"""Where Keras keeps the builders; nncalc reads this package from source although ``keras`` is its own."""

SUBMODULES = {"resnet50": "resnet"}
"""``keras.applications.NAME`` submodules whose source module has another name."""


def applications_modules(sub: dict, settings: dict, classes: dict) -> dict:
    """The import table entries for ``keras.applications`` (its builders and submodules read from source on
    first use) and for the ``keras.src`` modules the application sources import."""
    applications = Namespace("keras.applications", {}, names.APPLICATIONS, _from_source)
    modules = {"keras.applications": applications}
    for name in sorted(names.APPLICATIONS):
        if name.islower():
            modules[f"keras.applications.{name}"] = _Submodule(name)
    backend = Namespace("keras.src.backend", {**settings, "name_scope": Opaque("keras.src.backend.name_scope")})
    file_utils = Namespace("keras.src.utils.file_utils", {"get_file": _get_file, "exists": _exists})
    source = {
        "backend": backend,
        "layers": sub["layers"],
        "ops": sub["ops"],
        "activations": sub["activations"],
        "initializers": sub["initializers"],
        "random": sub["random"],
        "models": Namespace("keras.src.models", {name: classes[name] for name in ("Model", "Functional",
                                                                                    "Sequential")}),
        "utils": Namespace("keras.src.utils", {"file_utils": file_utils}),
        "api_export": Namespace("keras.src.api_export", {"keras_export": _keras_export}),
    }
    modules["keras.src"] = Namespace("keras.src", source)
    modules.update({f"keras.src.{name}": module for name, module in source.items()})
    modules["keras.src.utils.file_utils"] = file_utils
    modules["keras.src.layers.layer"] = Namespace("keras.src.layers.layer", {"Layer": classes["Layer"]})
    modules["keras.src.ops.operation_utils"] = Namespace("keras.src.ops.operation_utils",
                                                         {"get_source_inputs": get_source_inputs})
    return modules


def _from_source(qualname: str, name: str):
    """``keras.applications.NAME``: the builder function of that name read from Keras's source, or the
    submodule (``keras.applications.mobilenet_v2``)."""
    if name.islower():
        return _Submodule(name)
    interp, loader = _loader(qualname)
    dotted = loader.module_defining(SOURCE_PACKAGE, name)
    module = loader.load(interp, dotted, None) if dotted is not None else None
    if module is None or name not in module.__dict__:
        raise _not_found(qualname, f"no module of {SOURCE_PACKAGE} defines {name}")
    return module.__dict__[name]


class _Submodule:
    """``keras.applications.mobilenet_v2`` (``preprocess_input``, ``decode_predictions``, the builder): its
    source module, read when one of its names is first used."""

    _nncalc_user_module = True
    __nncalc_mutable__ = False

    def __init__(self, name: str):
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        qualname = f"keras.applications.{self._name}"
        interp, loader = _loader(qualname)
        module = loader.load(interp, f"{SOURCE_PACKAGE}.{SUBMODULES.get(self._name, self._name)}", None)
        if module is None:
            raise _not_found(qualname, f"{SOURCE_PACKAGE} has no module {self._name}")
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<module 'keras.applications.{self._name}' (read from Keras's source when used)>"


def _loader(qualname: str):
    """The running interpreter and its loader of library sources (for a snippet given as text, which has none,
    one that reads Keras's applications and nothing else)."""
    from nncalc.interpreter import limits
    from nncalc.interpreter.project import ProjectLoader, source_paths

    interp = limits._active
    if interp is None or not hasattr(interp, "loader"):
        raise _not_found(qualname, "it is built by reading Keras's source, which needs a running analysis")
    if interp.loader is None:
        import os

        here = os.getcwd()
        interp.loader = ProjectLoader(os.path.join(here, "<string>.py"), here, source_paths(), hosted_only=True)
    if interp.loader.find(SOURCE_PACKAGE) is None:
        raise _not_found(qualname, "Keras's source (keras/src/applications) is not in site-packages or any "
                                   "--source-path")
    return interp, interp.loader


def _not_found(qualname: str, why: str) -> InputError:
    return InputError(f"{qualname}: nncalc builds it from Keras's own source, but {why}",
                      hint="install Keras's source (pip install --no-deps keras, no backend needed) or pass "
                           "--source-path keras-<version>-py3-none-any.whl")


def _keras_export(*args, **kwargs):
    """``@keras_export("keras.applications.ResNet50")``: only names the public path; the function stays."""
    return lambda function: function


def _get_file(*args, **kwargs):
    """``keras.utils.get_file(...)``: a downloaded file, which nncalc never fetches (an unknown path)."""
    return unknown_value("keras.utils.get_file(...)")


def _exists(path) -> bool:
    """``file_utils.exists(weights)``: a weights file is only loaded, never read by nncalc, so any path will do."""
    return path is not None


def get_source_inputs(tensor) -> list:
    """The input tensors ``tensor`` was computed from (``keras.utils.get_source_inputs``), in the order a walk
    back through the first inputs of each layer call meets them."""
    reject_unknown(tensor, "keras.utils.get_source_inputs")
    if not isinstance(tensor, KerasTensor):
        raise KerasValueError(f"get_source_inputs() expects a KerasTensor. Received: {tensor!r}")
    found: list = []
    stack = [tensor]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        record = current._history
        if record is None or record.is_input or not record.inputs:
            found.append(current)
        else:
            stack.extend(reversed([t for t in record.inputs if isinstance(t, KerasTensor)]))
    return found
