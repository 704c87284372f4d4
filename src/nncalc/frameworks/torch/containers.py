"""The containers: ``nn.Sequential`` (which calls its modules in order), ``nn.ModuleList`` and
``nn.ModuleDict`` (which only register theirs)."""

from __future__ import annotations

from collections import OrderedDict

from nncalc.frameworks.torch.errors import TorchAttributeError, TorchTypeError
from nncalc.frameworks.torch.module import Module, builtin


@builtin
class Sequential(Module):
    """``nn.Sequential(m1, m2, …)`` or ``nn.Sequential(OrderedDict(name=module, …))``."""

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], dict):
            for name, module in args[0].items():
                self.add_module(name, _as_module(module, "Sequential", name))
        else:
            for index, module in enumerate(args):
                self.add_module(str(index), _as_module(module, "Sequential", index))

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def __getitem__(self, index):
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(items[index]))
        return items[list_index(index, len(items), "Sequential")][1]

    def __setitem__(self, index: int, module: Module) -> None:
        """``model.classifier[6] = nn.Linear(4096, 10)``: the module at ``index`` replaced, keeping its name."""
        keys = list(self._modules)
        self._modules[keys[list_index(index, len(keys), "Sequential")]] = _as_module(module, "Sequential", index)

    def __delitem__(self, index) -> None:
        """``del model[-1]`` (or a slice): the modules removed, the rest renumbered as torch renumbers them."""
        keys = list(self._modules)
        doomed = keys[index] if isinstance(index, slice) else [keys[list_index(index, len(keys), "Sequential")]]
        for key in doomed:
            del self._modules[key]
        kept = list(self._modules.values())
        self._modules.clear()
        for i, module in enumerate(kept):
            self._modules[str(i)] = module

    def pop(self, index=-1) -> Module:
        """``model.pop(i)``: the module at ``i``, removed."""
        module = self[index]
        del self[index]
        return module

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(list(self._modules.values()))

    def append(self, module: Module) -> "Sequential":
        self.add_module(str(len(self._modules)), _as_module(module, "Sequential", len(self._modules)))
        return self

    def extend(self, modules) -> "Sequential":
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> "Sequential":
        modules = list(self._modules.values())
        modules.insert(index, _as_module(module, "Sequential", index))
        self._modules.clear()
        for i, m in enumerate(modules):
            self._modules[str(i)] = m
        return self


@builtin
class ModuleList(Module):
    """``nn.ModuleList([...])``: a list of registered modules (no forward of its own)."""

    def __init__(self, modules=None):
        super().__init__()
        for module in modules or ():
            self.append(module)

    def append(self, module: Module) -> "ModuleList":
        self.add_module(str(len(self._modules)), _as_module(module, "ModuleList", len(self._modules)))
        return self

    def extend(self, modules) -> "ModuleList":
        for module in modules:
            self.append(module)
        return self

    __iadd__ = extend

    def insert(self, index: int, module: Module) -> None:
        modules = list(self._modules.values())
        modules.insert(index, _as_module(module, "ModuleList", index))
        self._modules.clear()
        for i, m in enumerate(modules):
            self._modules[str(i)] = m

    def __getitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(modules[index])
        return modules[list_index(index, len(modules), "ModuleList")]

    def __setitem__(self, index: int, module: Module) -> None:
        keys = list(self._modules)
        self._modules[keys[list_index(index, len(keys), "ModuleList")]] = _as_module(module, "ModuleList", index)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(list(self._modules.values()))


@builtin
class ModuleDict(Module):
    """``nn.ModuleDict({...})``: registered modules by name (no forward of its own)."""

    def __init__(self, modules=None):
        super().__init__()
        if modules:
            self.update(modules)

    def update(self, modules) -> None:
        items = modules.items() if isinstance(modules, dict) else modules
        for name, module in items:
            self.add_module(name, _as_module(module, "ModuleDict", name))

    def __getitem__(self, key: str) -> Module:
        if key not in self._modules:
            raise TorchAttributeError(f"ModuleDict has no key {key!r}")
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, _as_module(module, "ModuleDict", key))

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(list(self._modules))

    def __contains__(self, key) -> bool:
        return key in self._modules

    def keys(self):
        return list(self._modules.keys())

    def values(self):
        return list(self._modules.values())

    def items(self):
        return list(self._modules.items())


@builtin
class DataParallel(Module):
    """``nn.DataParallel(module, device_ids=None, output_device=None, dim=0)``: the module, registered as
    ``module``, run as it is (the replicas share its parameters)."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = _as_module(module, "DataParallel", "module")
        self.device_ids, self.output_device, self.dim = device_ids, output_device, dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


@builtin
class Container(Module):
    """``nn.Container(**modules)`` (deprecated): the keyword modules as children."""

    def __init__(self, **kwargs):
        super().__init__()
        for name, module in kwargs.items():
            self.add_module(name, module)


def list_index(index, length: int, what: str) -> int:
    """``index`` checked as a list index of ``what`` (torch's TypeError / Python's IndexError), made positive."""
    if not isinstance(index, int) or isinstance(index, bool):
        raise TorchTypeError(f"{what} indices must be integers or slices, not {type(index).__name__}")
    if not -length <= index < length:
        raise IndexError(f"index {index} is out of range")  # Python's own kind, so user loops can stop on it
    return index % length


def _as_module(value, container: str, position) -> Module | None:
    """``value`` as a container's item: a module, or None (torch keeps an empty slot: ``nn.ModuleList([block,
    None])``, a stage without downsampling)."""
    if value is None or isinstance(value, Module):
        return value
    name = getattr(value, "_torch_name", None) or type(value).__name__
    hint = None
    if name.startswith("F.") or name.startswith("torch."):
        key = name.split(".")[-1].replace("_", "").lower()
        from nncalc.frameworks.torch.namespaces import load_families

        match = next((name for name in load_families() if name.lower() == key), None)
        if match:
            hint = f"pass a module instead: nn.{match}() rather than {name}"
    raise TorchTypeError(f"nn.{container}: item {position!r} is {name}, which is not a Module subclass", hint=hint)
