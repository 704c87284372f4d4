"""``nn.ParameterList`` and ``nn.ParameterDict``: parameters registered under ``"0"``, ``"1"``… or under keys,
as torch does (a plain tensor put in one becomes an ``nn.Parameter``)."""

from __future__ import annotations

from nncalc.frameworks.torch.containers import list_index
from nncalc.frameworks.torch.errors import TorchTypeError
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import Parameter, Tensor


def _as_parameter(value, where: str):
    if value is None or isinstance(value, Parameter):
        return value
    if isinstance(value, Tensor):
        return Parameter(value)
    raise TorchTypeError(f"{where} holds tensors and parameters, got {type(value).__name__}")


@builtin
class ParameterList(Module):
    """``nn.ParameterList(values=None)``: parameters named ``0``, ``1``, …"""

    def __init__(self, values=None):
        super().__init__()
        for value in values or ():
            self.append(value)

    def append(self, value) -> "ParameterList":
        self.register_parameter(str(len(self._parameters)), _as_parameter(value, "ParameterList"))
        return self

    def extend(self, values) -> "ParameterList":
        for value in values:
            self.append(value)
        return self

    def __getitem__(self, index):
        values = list(self._parameters.values())
        if isinstance(index, slice):
            return ParameterList(values[index])
        return values[list_index(index, len(values), "ParameterList")]

    def __setitem__(self, index: int, value) -> None:
        keys = list(self._parameters)
        key = keys[list_index(index, len(keys), "ParameterList")]
        self.register_parameter(key, _as_parameter(value, "ParameterList"))

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self):
        return iter(list(self._parameters.values()))


@builtin
class ParameterDict(Module):
    """``nn.ParameterDict(parameters=None)``: parameters by key."""

    def __init__(self, parameters=None):
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def update(self, parameters) -> None:
        items = parameters.items() if isinstance(parameters, dict) else parameters
        for key, value in items:
            self[key] = value

    def __getitem__(self, key: str):
        if key not in self._parameters:
            raise KeyError(key)
        return self._parameters[key]

    def __setitem__(self, key: str, value) -> None:
        self.register_parameter(key, _as_parameter(value, "ParameterDict"))

    def __contains__(self, key) -> bool:
        return key in self._parameters

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self):
        return iter(list(self._parameters))

    def keys(self):
        return list(self._parameters)

    def values(self):
        return list(self._parameters.values())

    def items(self):
        return list(self._parameters.items())
