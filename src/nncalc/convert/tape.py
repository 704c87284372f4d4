"""A tape of what a PyTorch model's ``forward`` does, for the converter.

nncalc's trace records module calls with their shapes; a converter also needs the data flow and the functional
ops between modules (``torch.relu``, ``x.view(...)``, ``a + b``). While a :func:`recording` block is active,
calls of nncalc's own ``nn`` layers, of ``torch`` / ``F`` functions and of tensor methods append an
:class:`Event` with the actual argument and result objects; tensors are matched by identity. Only the
outermost call is recorded: what a layer or an op does inside is its own business.

The symbolic ``torch`` objects are wrapped for the duration of the block and restored after it; functions of
a session's namespaces are wrapped for that session only (:func:`wrap_namespaces`), before the file is read, so
names imported with ``from torch.nn.functional import relu`` are seen too.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from dataclasses import dataclass, field

from nncalc.location import current_location


@dataclass
class Event:
    """One recorded call: a layer (``module`` set) or a function/method named ``name`` (``torch.relu``,
    ``Tensor.view``, ``Tensor.__add__``)."""

    name: str
    args: tuple
    kwargs: dict
    result: object
    module: object = None
    line: int | None = None


@dataclass
class Tape:
    events: list[Event] = field(default_factory=list)
    depth: int = 0
    inputs: list = field(default_factory=list)
    output: object = None


_tape: Tape | None = None

TENSOR_DUNDERS = ("__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__imul__",
                  "__truediv__", "__matmul__", "__getitem__", "__neg__")


def _record(name: str, function, args, kwargs, module=None):
    tape = _tape
    if tape is None or tape.depth:
        return function(*args, **kwargs)
    tape.depth += 1
    try:
        result = function(*args, **kwargs)
    finally:
        tape.depth -= 1
    location = current_location()
    tape.events.append(Event(name, args, kwargs, result, module, location.line if location else None))
    return result


def _wrapped(name: str, function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        return _record(name, function, args, kwargs)

    return call


def wrap_namespaces(modules: dict) -> None:
    """Wrap the functions of one session's ``torch`` and ``torch.nn.functional`` namespaces (before the file
    is read); they record only inside :func:`recording`."""
    for key, prefix in (("torch", "torch"), ("torch.nn.functional", "F")):
        namespace = modules.get(key)
        if namespace is None:
            continue
        for member, value in list(vars(namespace).items()):
            if member.startswith("_") or isinstance(value, type) or not callable(value):
                continue
            if not getattr(value, "__module__", "").startswith("nncalc.frameworks.torch"):
                continue
            name = getattr(value, "_torch_name", f"{prefix}.{member}")
            object.__setattr__(namespace, member, _wrapped(name, value))


@contextmanager
def recording(module_class, tensor_class, layer_classes: set, containers: tuple):
    """Record events while the block runs; yields the :class:`Tape`. Calls of ``layer_classes`` are recorded
    as one event; ``containers`` and users' own modules are looked into."""
    global _tape
    saved: dict[tuple[type, str], object] = {}
    original_call = module_class.__call__

    def module_call(self, *args, **kwargs):
        tape = _tape
        if tape is None or tape.depth:
            return original_call(self, *args, **kwargs)
        if not tape.inputs and tape.output is None:  # the root call: the model's inputs
            tape.inputs = list(args)
            result = original_call(self, *args, **kwargs)
            tape.output = result
            return result
        if isinstance(self, containers) or type(self) not in layer_classes:
            return original_call(self, *args, **kwargs)  # a user's module or a container: record inside it
        return _record(type(self).__name__, functools.partial(original_call, self), args, kwargs, module=self)

    names = [n for n, v in vars(tensor_class).items() if not n.startswith("_") and callable(v)
             and not isinstance(v, (type, staticmethod, classmethod, property))]
    saved[(module_class, "__call__")] = original_call
    for name in names + [n for n in TENSOR_DUNDERS if n in dir(tensor_class)]:
        saved[(tensor_class, name)] = getattr(tensor_class, name)
    _tape = Tape()
    try:
        module_class.__call__ = module_call
        for (owner, name), value in saved.items():
            if owner is tensor_class:
                setattr(owner, name, _wrapped(f"Tensor.{name}", value))
        yield _tape
    finally:
        _tape = None
        for (owner, name), value in saved.items():
            setattr(owner, name, value)
