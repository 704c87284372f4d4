"""Model registries of the libraries nncalc reads from source, made lazy.

timm and torchvision find a builder by name in a dict that ``@register_model`` fills as each model module is
imported; nncalc reads a library's model modules only when needed (``UserModule``), so such a dict starts
empty. After the module holding it is read, the dict is replaced by a :class:`LazyRegistry`: looking up a
name it lacks first reads the module whose source defines a function of that name (whose decorator then
registers it), as if the library had imported everything.
"""

from __future__ import annotations

REGISTRIES = {
    "timm.models._registry": (("_model_entrypoints", "timm.models"), ("_model_pretrained_cfgs", "timm.models"),
                              ("_model_default_cfgs", "timm.models"), ("_model_to_module", "timm.models")),
    "torchvision.models._api": (("BUILTIN_MODELS", "torchvision.models"),),
}  # fmt: skip
"""Module → (dict attribute, the package whose modules define its keys)."""


class LazyRegistry(dict):
    """A registry dict that reads the module defining a missing name (``resnet50`` or ``resnet50.a1_in1k``)
    before answering."""

    def __init__(self, items: dict, loader, package: str):
        super().__init__(items)
        self._loader = loader
        self._package = package
        self._tried: set[str] = set()

    def _ensure(self, key) -> None:
        if not isinstance(key, str) or dict.__contains__(self, key):
            return
        arch = key.split(".", 1)[0]
        if arch in self._tried:
            return
        self._tried.add(arch)
        dotted = self._loader.module_defining(self._package, arch)
        if dotted is not None:
            from nncalc.interpreter import limits

            self._loader.load(limits._active, dotted, None)

    def __contains__(self, key) -> bool:
        self._ensure(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key):
        self._ensure(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._ensure(key)
        return dict.get(self, key, default)


def after_load(loader, module) -> None:
    """Make ``module``'s registries lazy, if it is one of :data:`REGISTRIES`."""
    for attribute, package in REGISTRIES.get(module.__name__, ()):
        current = module.__dict__.get(attribute)
        if type(current) is dict:
            module.__dict__[attribute] = LazyRegistry(current, loader, package)
